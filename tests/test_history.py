"""One undo, everywhere: every change is journaled with the store's own write, and undone
as a person would expect (the last change first, an import as one step)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from numbtrack import history, text
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import JOURNAL_KEEP, Store, same_content

FRI = datetime(2026, 11, 20, 21, 30).astimezone()
ON_FRI = text.moment(FRI)
""""Fri 20 Nov 21:30" (with the year once 2026 is over)."""


def checkin(at: datetime = FRI, word: str = "flat") -> CheckIn:
    return CheckIn(at=at, feelings=(Feeling(word),), sensations=(Sensation("chest", "tight"),))


def journal(home: Path) -> list[tuple[int, str, str, str | None]]:
    conn = sqlite3.connect(home / "numbtrack.db")
    rows = conn.execute("SELECT batch, action, checkin_id, before FROM journal ORDER BY seq")
    out = [tuple(r) for r in rows]
    conn.close()
    return out  # type: ignore[return-value]


def test_nothing_to_undo_in_a_new_store() -> None:
    with Store() as store:
        assert history.last(store) is None


def test_undo_with_nothing_to_undo_says_so() -> None:
    with Store() as store, pytest.raises(InvalidInput, match="nothing to undo"):
        history.undo(store)


def test_an_add_is_undone_by_removing_it() -> None:
    with Store() as store:
        c = store.add(checkin())
        history.undo(store)
        assert store.at_of(c.id) is None


def test_the_question_for_an_add_names_the_checkin() -> None:
    with Store() as store:
        store.add(checkin())
        change = history.last(store)
    assert change is not None
    assert change.question() == f"Remove the check-in of {ON_FRI} you added?"


def test_a_delete_is_undone_by_bringing_the_checkin_back() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
        history.undo(store)
        assert same_content(store.get(c.id), c)


def test_the_question_after_a_delete_offers_to_bring_it_back() -> None:
    """The exact failure of issue 14: undo after delete offered to remove another check-in."""
    with Store() as store:
        store.add(checkin(FRI - timedelta(days=1)))
        c = store.add(checkin())
        store.delete(c.id[:4])
        change = history.last(store)
    assert change is not None
    assert change.question() == f"Bring back the check-in of {ON_FRI} you deleted?"


def test_a_restored_checkin_gets_a_fresh_updated_at_so_sync_carries_it() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
        history.undo(store)
        assert store.get(c.id).updated_at > c.updated_at


def test_an_edit_is_undone_by_putting_the_before_image_back() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.update(replace(c, can_feel=7, note="later"))
        history.undo(store)
        assert same_content(store.get(c.id), c)


def test_an_edit_says_what_it_will_put_back() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.update(replace(c, can_feel=7))
        change = history.last(store)
    assert change is not None
    assert change.question() == f"Put the check-in of {ON_FRI} back as it was before your edit?"


def test_an_import_is_undone_as_one_step() -> None:
    with Store() as store:
        kept = store.add(checkin(FRI - timedelta(days=3), "calm"))
        changed = replace(kept, can_feel=3, updated_at="2099-01-01T00:00:00.000000Z")
        fresh = [checkin(FRI - timedelta(hours=h)) for h in range(1, 6)]
        result = store.put_many([changed, *fresh])
        assert (result.added, result.updated) == (5, 1)
        history.undo(store)
        assert [c.id for c in store.query()] == [kept.id]


def test_an_import_undo_puts_back_what_it_updated() -> None:
    with Store() as store:
        kept = store.add(checkin(FRI - timedelta(days=3), "calm"))
        changed = replace(kept, can_feel=3, updated_at="2099-01-01T00:00:00.000000Z")
        store.put_many([changed, checkin()])
        history.undo(store)
        assert same_content(store.get(kept.id), kept)


def test_the_question_for_an_import_counts_both_kinds() -> None:
    with Store() as store:
        kept = store.add(checkin(FRI - timedelta(days=3), "calm"))
        changed = replace(kept, can_feel=3, updated_at="2099-01-01T00:00:00.000000Z")
        store.put_many([changed, checkin(), checkin(FRI - timedelta(hours=1))])
        change = history.last(store)
    assert change is not None
    assert change.question() == (
        "Take back your import: remove the 2 check-ins it added and put back the 1 it changed?"
    )


def test_an_import_is_one_batch_with_one_row_per_checkin(home: Path) -> None:
    with Store() as store:
        store.put_many([checkin(FRI - timedelta(minutes=m)) for m in range(50)])
    rows = journal(home)
    assert [(b, a) for b, a, _, _ in rows] == [(1, "import")] * 50


def test_a_dry_run_import_journals_nothing(home: Path) -> None:
    with Store() as store:
        store.put_many([checkin()], dry_run=True)
    assert journal(home) == []


def test_an_import_with_nothing_new_is_no_change() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.put_many([c])
        change = history.last(store)
    assert change is not None
    assert change.action == "add"


def test_a_refused_add_journals_nothing(home: Path) -> None:
    with Store() as store:
        c = store.add(checkin())
        with pytest.raises(InvalidInput):
            store.add(c)
    assert len(journal(home)) == 1


def test_undo_twice_reverts_the_change_before_too() -> None:
    with Store() as store:
        a = store.add(checkin(FRI - timedelta(hours=2)))
        store.add(checkin())
        store.delete(a.id)
        history.undo(store)  # a comes back
        history.undo(store)  # b goes
        assert [c.id for c in store.query()] == [a.id]


def test_an_undo_is_never_undone_by_the_next_undo() -> None:
    with Store() as store:
        store.add(checkin())
        history.undo(store)
        assert history.last(store) is None


def test_a_change_after_an_undo_is_undone_first() -> None:
    with Store() as store:
        a = store.add(checkin(FRI - timedelta(hours=2)))
        b = store.add(checkin(FRI - timedelta(hours=1)))
        history.undo(store)  # b goes
        store.add(checkin())
        history.undo(store)  # that one goes
        assert [x.id for x in store.query()] == [a.id]
        assert store.at_of(b.id) is None


def test_an_undo_is_journaled_with_what_it_changed(home: Path) -> None:
    with Store() as store:
        c = store.add(checkin())
        history.undo(store)
    batch, action, cid, _ = journal(home)[-1]
    assert (batch, action, cid) == (2, "undo", c.id)


def test_an_undo_keeps_the_image_of_what_it_removed(home: Path) -> None:
    with Store() as store:
        c = store.add(checkin())
        history.undo(store)
    before = journal(home)[-1][3]
    assert before is not None
    assert c.id in before


def test_recent_lists_changes_newest_first_in_sentences() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
        history.undo(store)
        sentences = [ch.sentence() for ch in history.recent(store)]
    assert sentences == [
        f"You undid this: you deleted the check-in of {ON_FRI}.",
        f"You deleted the check-in of {ON_FRI}.",
        f"You added the check-in of {ON_FRI}.",
    ]


def test_recent_marks_what_was_undone() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
        history.undo(store)
        undone = [ch.undone for ch in history.recent(store)]
    assert undone == [False, True, False]


def test_the_journal_survives_a_restart() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
    with Store() as store:
        history.undo(store)
        assert store.at_of(c.id) is not None


def test_the_journal_keeps_a_capped_number_of_changes(home: Path) -> None:
    with Store() as store:
        for m in range(JOURNAL_KEEP + 5):
            store.add(checkin(FRI - timedelta(minutes=m)))
        assert len(history.recent(store)) == JOURNAL_KEEP
    assert len(journal(home)) == JOURNAL_KEEP


def test_undo_refuses_when_something_else_changed_meanwhile() -> None:
    with Store() as store:
        a = store.add(checkin(FRI - timedelta(hours=1)))
        shown = history.last(store)
        store.add(checkin())
        with pytest.raises(InvalidInput, match="meanwhile"):
            history.undo(store, shown)
        assert store.at_of(a.id) is not None


def test_undo_of_an_add_whose_checkin_is_gone_still_counts() -> None:
    with Store() as store:
        c = store.add(checkin())
        with sqlite3.connect(store.path) as other:  # gone by another hand, unjournaled
            other.execute("PRAGMA foreign_keys = ON")
            other.execute("DELETE FROM checkins WHERE id = ?", [c.id])
        other.close()
        history.undo(store)
        assert history.last(store) is None


def test_an_undone_delete_keeps_the_original_created_at() -> None:
    with Store() as store:
        c = store.add(checkin())
        store.delete(c.id)
        history.undo(store)
        assert store.get(c.id).created_at == c.created_at


def test_a_checkin_time_is_said_the_way_the_app_prints_dates() -> None:
    assert text.moment(FRI, now=datetime(2026, 12, 1).astimezone()) == "Fri 20 Nov 21:30"


def test_a_checkin_time_from_another_year_names_the_year() -> None:
    assert text.moment(FRI, now=datetime(2027, 1, 2).astimezone()) == "Fri 20 Nov 2026 21:30"


def test_an_undo_writes_a_one_digit_day_with_two_digits_like_every_other_command() -> None:
    with Store() as store:
        store.add(checkin(at=datetime(2026, 11, 2, 9, 5).astimezone()))
        change = history.last(store)
    assert change is not None
    assert "the check-in of Mon 02 Nov" in change.sentence()


def test_an_own_practice_comes_back_by_its_own_name_after_undoing_a_delete() -> None:
    with Store() as store:
        c = store.add(replace(checkin(), practices=("therapy" + ":own",)))
        store.delete(c.id)
        history.undo(store)
        assert store.get(c.id).practices == ("therapy",)


def test_an_own_practice_exports_with_one_mark_after_an_undo() -> None:
    from numbtrack.models import to_dict

    with Store() as store:
        c = store.add(replace(checkin(), practices=("therapy:own",)))
        store.delete(c.id)
        history.undo(store)
        assert to_dict(store.get(c.id))["practices"] == ["therapy:own"]
