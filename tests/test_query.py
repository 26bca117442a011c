"""One search language: `list`, `export` and the dashboard's box read the same terms."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from numbtrack import query
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Feeling, Sensation
from numbtrack.store import Filter, Own, Store

from .conftest import run

TODAY = date.today()


def at(days_ago: int) -> datetime:
    moment = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
    return moment.replace(hour=12).astimezone()


@pytest.fixture
def filled() -> dict[str, str]:
    """Four check-ins that differ in one way each; their ids by a short name."""
    made = {
        "numb-chest": CheckIn(
            at=at(1),
            feelings=(Feeling("numb"),),
            sensations=(Sensation("chest", "tight"),),
            tags=("work",),
            note="sister called",
        ),
        "calm-old": CheckIn(at=at(30), feelings=(Feeling("calm"),), practices=("music",)),
        "numb-old": CheckIn(at=at(20), feelings=(Feeling("numb"),), tags=("work",)),
        "tired-hands": CheckIn(
            at=at(2), feelings=(Feeling("tired"),), sensations=(Sensation("hands", "cold"),)
        ),
    }
    with Store() as store:
        return {name: store.add(c).id for name, c in made.items()}


def ids_listed(runner: CliRunner, *args: str) -> set[str]:
    r = run(runner, "list", "--json", *args)
    assert r.exit_code == 0, r.output
    return {c["id"] for c in json.loads(r.stdout)}


def test_terms_filter_the_list(runner: CliRunner, filled: dict[str, str]) -> None:
    assert ids_listed(runner, "word:numb", "region:chest", "since:-7d") == {filled["numb-chest"]}


def test_free_words_search_the_notes(runner: CliRunner, filled: dict[str, str]) -> None:
    assert ids_listed(runner, "sister") == {filled["numb-chest"]}


def test_a_nul_in_search_text_separates_words(runner: CliRunner, filled: dict[str, str]) -> None:
    # The dashboard's box (and any caller in the same process) can hand over a NUL, which no
    # argv can; FTS5 stopped reading the query there ("unterminated string", exit 1).
    assert ids_listed(runner, "--search", "sister\x00called") == {filled["numb-chest"]}


def test_options_are_spellings_of_the_same_terms(runner: CliRunner, filled: dict[str, str]) -> None:
    by_terms = ids_listed(runner, "word:numb", "tag:work")
    by_options = ids_listed(runner, "--word", "numb", "--tag", "work")
    assert by_terms == by_options
    assert by_terms == {filled["numb-chest"], filled["numb-old"]}


def test_options_and_terms_combine(runner: CliRunner, filled: dict[str, str]) -> None:
    assert ids_listed(runner, "word:numb", "--since", "-7d") == {filled["numb-chest"]}


def test_the_dashboard_box_reads_the_same_filter_as_the_command_line() -> None:
    typed = query.parse_filter('word:numb tag:work since:2026-11-01 "a phrase"')
    spelled = query.to_filter(
        query.terms_from_options(word=["numb"], tag=["work"], since="2026-11-01", text="a phrase")
    )
    assert typed == spelled


def test_an_unknown_key_gets_did_you_mean_on_the_command_line(runner: CliRunner) -> None:
    r = run(runner, "list", "wrod:numb")
    assert r.exit_code == 2
    assert r.stderr.strip() == '"wrod:" is not a search key numbtrack knows; did you mean "word:"?'


def test_an_unknown_key_gets_did_you_mean_in_the_dashboard_box() -> None:
    with pytest.raises(InvalidInput, match='did you mean "tag:"'):
        query.parse("tga:work")


def test_a_key_far_from_any_lists_the_keys() -> None:
    with pytest.raises(InvalidInput, match="The keys are word, region"):
        query.parse("zzzz:work")


def test_a_typo_in_a_value_gets_did_you_mean(runner: CliRunner) -> None:
    r = run(runner, "list", "word:anxios")
    assert r.exit_code == 2
    assert 'did you mean "anxious"' in r.stderr


@pytest.mark.parametrize("command", ["list", "export"])
def test_an_unknown_word_in_a_filter_says_where_the_words_are(
    runner: CliRunner, command: str
) -> None:
    """Neither list nor export takes --new-word: the advice is the did-you-mean and where
    the words are listed."""
    r = run(runner, command, "word:calmm")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        '"calmm" is not a feeling word numbtrack knows; did you mean "calm"? '
        "See them with: numbtrack words."
    )


@pytest.mark.parametrize(
    ("term", "listed_by"),
    [
        ("word:zorbly", "numbtrack words"),
        ("quality:zorbly", "numbtrack body"),
        ("practice:zorbly", "numbtrack practices"),
    ],
)
def test_no_filter_advises_an_option_of_log(term: str, listed_by: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        query.parse_filter(term)
    said = refused.value.message
    assert (listed_by in said, "--new-" in said) == (True, False)


def test_a_key_without_a_value_is_refused() -> None:
    with pytest.raises(InvalidInput, match="needs a value after the colon"):
        query.parse("tag:")


def test_text_key_searches_words_that_hold_a_colon() -> None:
    assert query.parse_filter('text:"ratio: 3"').text == "ratio: 3"


def test_since_after_until_is_refused(runner: CliRunner) -> None:
    r = run(runner, "list", "since:2026-11-20", "until:2026-11-01")
    assert r.exit_code == 2
    assert "swap them" in r.stderr


def test_two_states_are_refused() -> None:
    with pytest.raises(InvalidInput, match="one state"):
        query.parse_filter("state:numb state:mixed")


def test_export_takes_the_same_terms(runner: CliRunner, filled: dict[str, str]) -> None:
    r = run(runner, "export", "--format", "jsonl", "tag:work", "since:-7d")
    assert r.exit_code == 0, r.output
    exported = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    ids = {row["id"] for row in exported if "id" in row}
    assert ids == {filled["numb-chest"]}


def test_store_counts_what_matches(filled: dict[str, str]) -> None:
    with Store() as store:
        assert store.count(Filter(tags=("work",))) == 2


def test_store_pages_through_matches_newest_first(filled: dict[str, str]) -> None:
    with Store() as store:
        first = store.query(limit=2)
        rest = store.query(limit=2, offset=2)
    assert [c.id for c in first + rest] == [
        filled["numb-chest"],
        filled["tired-hands"],
        filled["numb-old"],
        filled["calm-old"],
    ]


@pytest.mark.parametrize(
    ("logged", "term"),
    [
        (("--new-practice", "knitting"), "practice:knitting"),
        (("--new-body", "chest:fizzy"), "quality:fizzy"),
        (("--new-word", "glimmery"), "word:glimmery"),
    ],
)
@pytest.mark.parametrize("command", ["list", "export"])
def test_a_filter_finds_what_was_logged_as_ones_own(
    runner: CliRunner, logged: tuple[str, str], term: str, command: str
) -> None:
    """An own practice or quality was refused as unknown by list and export."""
    assert run(runner, "log", "calm", *logged, "-q").exit_code == 0
    r = run(runner, command, term, *(["--json"] if command == "list" else ["--format", "jsonl"]))
    assert r.exit_code == 0, r.stderr
    assert '"calm"' in r.stdout


def test_the_dashboard_box_finds_own_qualities_and_practices() -> None:
    own = Own(qualities=frozenset({"fizzy"}), practices=frozenset({"knitting"}))
    f = query.parse_filter("quality:fizzy practice:knitting", own)
    assert (f.qualities, f.practices) == (("fizzy",), ("knitting",))
