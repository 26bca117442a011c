"""The value classes of numbtrack.value behave as the dataclasses they stand in for.

Each class is compared with a dataclass made here from its own annotations and the defaults
of its `__init__`: the same parameters, repr, equality, hash, refusal to change, and
`dataclasses.fields` / `replace` / `asdict` / `astuple` give the same answers.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from datetime import UTC, datetime
from typing import Any

import pytest

from numbtrack import exchange, merge, models, store, summary, value, vocab
from numbtrack.exchange import bearable, common, daylio, daylio_backup

CLASSES: list[type[Any]] = [
    vocab.Word,
    vocab.Quality,
    vocab.Practice,
    models.Feeling,
    models.Sensation,
    models.Typed,
    models.CheckIn,
    merge.Version,
    store.Filter,
    store.PutResult,
    store.Own,
    store.JournalBatch,
    store.SyncDevice,
    store.LocalChanges,
    store.SyncApplied,
    store._Staged,
    summary.Day,
    summary.WordRange,
    summary.ContextRow,
    summary.NumbStretches,
    summary.Summary,
    summary.WeekRow,
    summary.Week,
    summary.Report,
    common.Report,
    common.Words,
    exchange.Loaded,
    exchange.Stream,
    daylio.DaylioResult,
    daylio_backup.BackupResult,
    daylio_backup._Mapped,
    bearable._Moment,
    bearable._Effects,
]


def twin(cls: type[Any]) -> type[Any]:
    """The dataclass `cls` stands in for: its annotations, in order, with the defaults its
    __init__ names (a factory where the class names one)."""
    params = inspect.signature(cls).parameters
    factories = cls.__dict__.get("FACTORIES", {})
    spec: list[Any] = []
    for name, annotation in inspect.get_annotations(cls).items():
        if name not in params:
            continue  # a ClassVar
        default = params[name].default
        if name in factories:
            spec.append((name, annotation, dataclasses.field(default_factory=factories[name])))
        elif default is inspect.Parameter.empty:
            spec.append((name, annotation))
        else:
            spec.append((name, annotation, dataclasses.field(default=default)))
    made = dataclasses.make_dataclass(cls.__name__, spec, frozen=issubclass(cls, value.Frozen))
    made.__qualname__ = cls.__qualname__
    return made


def sample(cls: type[Any], salt: int) -> dict[str, Any]:
    """Field values for `cls`: hashable, distinct per field, and changed by `salt`."""
    return {name: (name, salt) for name in inspect.signature(cls).parameters}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_the_parameters_are_the_fields_in_order(cls: type[Any]) -> None:
    names = [f.name for f in dataclasses.fields(twin(cls))]
    assert list(inspect.signature(cls).parameters) == names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_the_defaults_are_the_class_attributes_a_dataclass_keeps(cls: type[Any]) -> None:
    made = twin(cls)
    for f in dataclasses.fields(made):
        if f.default is not dataclasses.MISSING:
            assert cls.__dict__[f.name] is f.default or cls.__dict__[f.name] == f.default
        else:
            assert f.name not in cls.__dict__, f.name


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_repr_equality_and_hash_are_the_dataclass_ones(cls: type[Any]) -> None:
    made = twin(cls)
    ours, theirs = cls(**sample(cls, 1)), made(**sample(cls, 1))
    assert repr(ours) == repr(theirs)
    assert ours == cls(**sample(cls, 1))
    assert ours != cls(**sample(cls, 2))
    assert ours != theirs  # another class, as two dataclasses of one shape are
    assert (ours == theirs) is False
    if issubclass(cls, value.Frozen):
        assert hash(ours) == hash(theirs)
    else:
        with pytest.raises(TypeError):
            hash(ours)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_a_field_changes_only_as_the_dataclass_allows(cls: type[Any]) -> None:
    ours = cls(**sample(cls, 1))
    name = next(iter(sample(cls, 1)))
    if issubclass(cls, value.Frozen):
        with pytest.raises(
            dataclasses.FrozenInstanceError, match=f"cannot assign to field '{name}'"
        ):
            setattr(ours, name, "changed")
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{name}'"):
            delattr(ours, name)
    else:
        setattr(ours, name, "changed")
        assert getattr(ours, name) == "changed"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_the_dataclasses_functions_take_them(cls: type[Any]) -> None:
    values = sample(cls, 1)
    ours, theirs = cls(**values), twin(cls)(**values)
    assert dataclasses.is_dataclass(cls)
    assert [f.name for f in dataclasses.fields(ours)] == list(values)
    assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    name = next(iter(values))
    for replace in (dataclasses.replace, value.replace):
        changed = replace(ours, **{name: "changed"})
        assert type(changed) is cls
        assert getattr(changed, name) == "changed"
        assert replace(ours) == ours
        with pytest.raises(TypeError):
            replace(ours, no_such_field=1)
    assert value.as_dict(ours) == values


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_copies_and_pickles_are_equal(cls: type[Any]) -> None:
    ours = cls(**sample(cls, 1))
    assert copy.copy(ours) == ours
    assert copy.deepcopy(ours) == ours
    assert pickle.loads(pickle.dumps(ours)) == ours


def test_a_check_in_gets_a_new_id_each_time_as_the_default_factory_gave_it() -> None:
    at = datetime.now(UTC)
    first, second = models.CheckIn(at), models.CheckIn(at)
    assert first.id != second.id
    assert models.CheckIn(at, id="x").id == "x"


def test_pattern_matching_takes_the_fields_in_order() -> None:
    match models.Feeling("numb", 2):
        case models.Feeling(word, intensity, custom):
            assert (word, intensity, custom) == ("numb", 2, False)
        case _:
            pytest.fail("no match")


def test_the_base_classes_are_no_dataclasses() -> None:
    assert not dataclasses.is_dataclass(value.Frozen)
    assert not dataclasses.is_dataclass(value.Mutable)


def test_a_subclass_keeps_the_fields_of_its_value_as_with_a_dataclass() -> None:
    class Ahead(exchange.Stream):
        later: int

    ahead = Ahead(iter(()), "kind")
    assert [f.name for f in dataclasses.fields(ahead)] == list(sample(exchange.Stream, 0))
    assert repr(ahead).startswith(
        "test_a_subclass_keeps_the_fields_of_its_value_as_with_a_dataclass.<locals>.Ahead(checkins="
    )
