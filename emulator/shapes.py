"""aiogram's types as the source of the Bot API's JSON shapes."""

from __future__ import annotations

import datetime
import functools
import types as pytypes
import typing
from typing import Any, Literal, TypeVar

from aiogram import methods as tg_methods
from pydantic import BaseModel


def dump(obj: BaseModel) -> dict[str, Any]:
    return obj.model_dump(mode="json", exclude_none=True, by_alias=True)


_M = TypeVar("_M", bound=BaseModel)


def _placeholder(annotation: Any, name: str, truthy: bool) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _placeholder(typing.get_args(annotation)[0], name, truthy)
    if origin in (typing.Union, pytypes.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _placeholder(args[0], name, truthy) if args else None
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set):
        return []
    if annotation is bool:
        return truthy and name.startswith("can_")
    if annotation in (int, float):
        return 0
    if annotation is str:
        return ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return build(annotation, _truthy=truthy)
    if annotation is datetime.datetime:
        return 0
    return None


def build(cls: type[_M], _truthy: bool = False, **kwargs: Any) -> _M:
    """Instantiate an aiogram type, giving placeholder values to unset required fields.

    Keeps working when a newer Bot API adds required booleans/ints to a type.
    """
    for name, info in cls.model_fields.items():
        if name in kwargs or (info.alias and info.alias in kwargs) or not info.is_required():
            continue
        kwargs[name] = _placeholder(info.annotation, name, _truthy)
    return cls(**kwargs)


@functools.cache
def method_registry() -> dict[str, type[BaseModel]]:
    registry: dict[str, type[BaseModel]] = {}
    for name in tg_methods.__all__:
        cls = getattr(tg_methods, name, None)
        api_name = getattr(cls, "__api_method__", None)
        if isinstance(api_name, str) and isinstance(cls, type):
            registry[api_name.lower()] = cls
    return registry
