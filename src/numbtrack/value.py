"""Value classes that cost nothing at start-up: what `@dataclass` gives, without its machinery.

A dataclass has its `__init__`, `__repr__` and `__eq__` (and, frozen, `__hash__`,
`__setattr__` and `__delattr__`) written as source and compiled at every start of the
program, about 4 M instructions a frozen class; and importing `dataclasses` loads `inspect`
with `ast`, `dis` and `tokenize`, about 45 M more. For `numbtrack log` the two together were
more than half of its plain-Python floor (docs/performance.md). So the classes every short
command loads (the vocabulary, the model, the store's and the summary's results) are plain
classes: each writes its own `__init__` (compiled once into the bytecode, like any function)
and inherits the rest from `Frozen` or `Mutable`, which read the field names from the class's
annotations in order, as a dataclass does:

- `repr` is `Name(field=value, ...)`; `==` compares the fields of two objects of the same
  class as tuples (anything else is NotImplemented); a `Frozen` value hashes that tuple, a
  `Mutable` one is unhashable;
- assigning or deleting an attribute of a `Frozen` value raises
  `dataclasses.FrozenInstanceError`, with the dataclass's message;
- `dataclasses.fields`, `replace`, `asdict` and `is_dataclass` take them as they are:
  `__dataclass_fields__` is made on first use from a real dataclass of the same annotations
  and defaults (so `dataclasses` is imported only then), with the factories a class names
  in `FACTORIES`.

`replace` below is `dataclasses.replace` without that import. tests/test_value.py checks each
class against the dataclass its annotations make (signature, repr, equality, hash, fields).
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any, ClassVar, TypeVar

    T = TypeVar("T")

set_field = object.__setattr__
"""What a `Frozen` class's `__init__` sets its fields with (its own `__setattr__` refuses)."""


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


FACTORY: Any = _Factory()
"""The default of a parameter whose value is made anew for each object (what a dataclass's
`default_factory` is for): `__init__` makes it when it is given FACTORY."""


class _DataclassFields:
    """`__dataclass_fields__`, made the first time anything asks for it (see the module)."""

    def __get__(self, obj: object, owner: type[Any]) -> dict[str, Any]:
        # The class that declared the fields (a subclass of it inherits them, as a subclass
        # of a dataclass does that is not a dataclass itself); the bases are no dataclass.
        owner = next(c for c in owner.__mro__ if "_names" in c.__dict__)
        if owner is _Value:
            raise AttributeError("__dataclass_fields__")
        import dataclasses

        namespace: dict[str, Any] = {
            "__annotations__": {n: owner.__annotations__[n] for n in owner._names},
            "__module__": owner.__module__,
            "__qualname__": owner.__qualname__,
        }
        factories = owner.__dict__.get("FACTORIES", {})
        for name in owner._names:
            if name in factories:
                namespace[name] = dataclasses.field(default_factory=factories[name])
            elif name in owner.__dict__:
                namespace[name] = owner.__dict__[name]
        twin: Any = dataclasses.dataclass(frozen=issubclass(owner, Frozen))(
            type(owner.__name__, (), namespace)
        )
        fields: dict[str, Any] = twin.__dataclass_fields__
        type.__setattr__(owner, "__dataclass_fields__", fields)
        type.__setattr__(owner, "__dataclass_params__", twin.__dataclass_params__)
        return fields


class _Value:
    _names: ClassVar[tuple[str, ...]] = ()
    _frozen: ClassVar[bool] = False
    _values: ClassVar[Any]
    """The fields' values of an object, as a tuple (operator.attrgetter of `_names`)."""
    __dataclass_fields__: ClassVar[Any] = _DataclassFields()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not any(b.__dict__.get("_base") for b in cls.__bases__):
            return  # Frozen or Mutable itself, or a subclass of a value: it inherits all
        # The class's own annotations (inspect.get_annotations would import inspect).
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
        names = tuple(n for n, t in own.items() if _field(t))
        cls._names = names
        cls.__match_args__ = names  # type: ignore[attr-defined,misc]
        if len(names) == 1:
            one = attrgetter(names[0])

            def values(obj: Any) -> tuple[Any, ...]:
                return (one(obj),)

        elif names:
            values = attrgetter(*names)  # type: ignore[assignment]
        else:

            def values(obj: Any) -> tuple[Any, ...]:
                return ()

        cls._values = staticmethod(values)

        # Equality and hash of this class's own fields, as closures over `values` (a lookup
        # of `_values` on every comparison would cost about half as much again).
        def __eq__(self: Any, other: object) -> bool:
            if other.__class__ is self.__class__:
                return bool(values(self) == values(other))
            return NotImplemented

        cls.__eq__ = __eq__  # type: ignore[method-assign]
        if cls._frozen:

            def __hash__(self: Any) -> int:
                return hash(values(self))

            cls.__hash__ = __hash__  # type: ignore[method-assign]

    def __repr__(self) -> str:
        pairs = zip(self._names, self._values(self), strict=True)
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={v!r}' for n, v in pairs)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._values(self) == self._values(other))
        return NotImplemented


def _field(annotation: object) -> bool:
    """Whether an annotation makes a field (a ClassVar does not), as dataclasses decides for
    an annotation written as text."""
    text = str(annotation)
    return not (text.startswith(("ClassVar", "typing.ClassVar")))


class Frozen(_Value):
    """A frozen dataclass's behaviour, for a class that writes its own `__init__` with
    `set_field`."""

    _frozen = True
    _base = True

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Mutable(_Value):
    """A plain (not frozen) dataclass's behaviour: fields set freely, no hash."""

    _base = True
    __hash__ = None  # type: ignore[assignment]


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of `obj` with `changes`, as `dataclasses.replace` makes it; for a Frozen or
    Mutable value without importing dataclasses (any other dataclass goes to it)."""
    names = getattr(type(obj), "_names", None)
    if names is None:
        import dataclasses

        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    values = dict(zip(names, type(obj)._values(obj), strict=True))  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def as_dict(obj: Frozen | Mutable) -> dict[str, Any]:
    """The fields of a value whose fields hold plain data, by name (`dataclasses.asdict`
    copies and recurses as well, for values that hold values)."""
    return dict(zip(obj._names, obj._values(obj), strict=True))
