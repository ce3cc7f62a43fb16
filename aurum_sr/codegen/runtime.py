"""What generated models import: base classes and the Avro value types, with their validators.

Both the dynamic models of :func:`aurum_sr.codegen.get_model` and the static module written by
``aurum-sr codegen`` are built from these names, so they validate identically.

Value policy (what a model accepts, and what ``model_dump(mode="python")`` hands the serializer):

- ``boolean``, ``string`` and ``bytes`` are strict: no coercion from other types.
- ``int`` and ``long`` are strict integers (``bool`` is refused) within their 32/64-bit ranges.
- ``double`` accepts ``int`` and ``float``; ``float`` additionally rounds to the nearest 32-bit
  float (what the encoding keeps) and refuses finite values beyond the 32-bit range.
- ``decimal`` accepts ``Decimal``, ``int`` or a numeric string (never ``float``, which is
  inexact); it refuses values with more fractional digits than the scale or more digits than the
  precision, and stores the value quantized to the scale, so the encoding is exact.
- ``date`` accepts a ``datetime.date`` (not a ``datetime``) or an ISO 8601 date string.
- ``time-millis``/``time-micros`` accept a naive ``datetime.time`` or ISO string; a time with a
  timezone is refused (a time of day in Avro has none).
- ``timestamp-millis``/``timestamp-micros`` are instants: a naive ``datetime`` is taken as UTC
  (``datetime.utcnow()`` works), an aware one is converted to UTC; the value is kept as an aware
  UTC ``datetime``. Numbers are refused: their unit would be ambiguous.
- ``local-timestamp-millis``/``-micros`` are wall-clock times without a zone: only naive values;
  they are dumped as the integer count the encoding holds (the ``avro`` library does not know
  this logical type, ``fastavro`` accepts the integer).
- Millisecond types keep millisecond precision: finer digits are truncated, as the encoding does,
  so a model holds exactly what a consumer will read.
- ``uuid`` accepts a ``uuid.UUID`` or its string form and is dumped as the canonical string.
- Enums accept a member or its symbol and are dumped as the symbol string.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import struct
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    PlainValidator,
    RootModel,
    Strict,
)
from pydantic_core import core_schema

__all__ = [
    "FIRST_MATCH",
    "SYMBOL",
    "AvroRecord",
    "AvroRoot",
    "Boolean",
    "Bytes",
    "Date",
    "Double",
    "Float",
    "Int",
    "LocalTimestampMicros",
    "LocalTimestampMillis",
    "Long",
    "String",
    "TimeMicros",
    "TimeMillis",
    "TimestampMicros",
    "TimestampMillis",
    "Uuid",
    "decimal_type",
    "fixed_size",
]

_AVRO_CONFIG = ConfigDict(
    populate_by_name=True,
    extra="forbid",
    validate_assignment=True,
    validate_default=True,
    protected_namespaces=(),
)


class AvroRecord(BaseModel):
    """Base of every generated record model.

    Field names that Python or Pydantic cannot use (keywords, ``BaseModel`` attributes) get a
    Python name with a trailing ``_`` and the Avro name as alias. Both names are accepted on
    input; ``model_dump`` and ``model_dump_json`` emit the Avro names unless told otherwise.
    Unknown fields are refused, so a misspelt optional field cannot vanish silently.
    """

    model_config = _AVRO_CONFIG

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """Like ``BaseModel.model_dump``, with ``by_alias=True`` by default (Avro field names)."""
        kwargs.setdefault("by_alias", True)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """Like ``BaseModel.model_dump_json``, with ``by_alias=True`` by default."""
        kwargs.setdefault("by_alias", True)
        return super().model_dump_json(**kwargs)


RootT = TypeVar("RootT")


class AvroRoot(RootModel[RootT], Generic[RootT]):
    """Base of the model of a subject whose top-level schema is not a record.

    ``model_dump`` returns the Avro value itself (a string, a list, ...), not a dict.
    """

    model_config = ConfigDict(validate_assignment=True, validate_default=True)

    def model_dump(self, **kwargs: Any) -> Any:
        """Like ``RootModel.model_dump``, with ``by_alias=True`` by default (Avro field names)."""
        kwargs.setdefault("by_alias", True)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """Like ``RootModel.model_dump_json``, with ``by_alias=True`` by default."""
        kwargs.setdefault("by_alias", True)
        return super().model_dump_json(**kwargs)


# --- primitives -------------------------------------------------------------------------------

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_FLOAT32_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]


def _float32(value: float) -> float:
    if math.isfinite(value) and abs(value) > _FLOAT32_MAX:
        raise ValueError(f"{value!r} is out of the range of an Avro float (32-bit)")
    rounded: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return rounded


Boolean = Annotated[bool, Strict()]
Int = Annotated[int, Strict(), Field(ge=_INT_MIN, le=_INT_MAX)]
Long = Annotated[int, Strict(), Field(ge=_LONG_MIN, le=_LONG_MAX)]
Float = Annotated[float, Strict(), AfterValidator(_float32)]
Double = Annotated[float, Strict()]
Bytes = Annotated[bytes, Strict()]
String = Annotated[str, Strict()]


def fixed_size(size: int) -> PlainValidator:
    """Validator of an Avro ``fixed``: ``bytes`` of exactly ``size`` bytes."""

    def check(value: object) -> bytes:
        if not isinstance(value, bytes):
            raise ValueError(f"expected bytes of length {size} (Avro fixed), got {_kind(value)}")
        if len(value) != size:
            raise ValueError(f"expected exactly {size} bytes (Avro fixed), got {len(value)}")
        return value

    return PlainValidator(check)


# --- decimal ------------------------------------------------------------------------------------


def decimal_type(precision: int, scale: int) -> PlainValidator:
    """Validator of an Avro ``decimal`` with ``precision`` and ``scale``."""

    def check(value: object) -> decimal.Decimal:
        number = _to_decimal(value)
        if not number.is_finite():
            raise ValueError(f"{number} is not a finite number; Avro decimals must be finite")
        # Precise enough that no step below rounds, whatever the input's exponent.
        sign_digits_exponent = number.as_tuple()
        exponent = sign_digits_exponent.exponent
        shift = abs(exponent) if isinstance(exponent, int) else 0
        context = decimal.Context(
            prec=len(sign_digits_exponent.digits) + shift + precision + scale + 2
        )
        unscaled = number.scaleb(scale, context=context)
        if unscaled != unscaled.to_integral_value(context=context):
            raise ValueError(f"{number} has more than {scale} fractional digits (scale {scale})")
        integer = int(unscaled)
        if len(str(abs(integer))) > precision:
            raise ValueError(
                f"{number} needs more than {precision} digits (precision {precision}, "
                f"scale {scale}: at most {precision - scale} before the point)"
            )
        return decimal.Decimal(integer).scaleb(-scale, context=context)

    return PlainValidator(check)


def _to_decimal(value: object) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return decimal.Decimal(value)
    if isinstance(value, str):
        try:
            return decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    raise ValueError(
        f"expected a Decimal, int or numeric string, got {_kind(value)}"
        + ("; floats are inexact, pass Decimal(str(x)) or a string" if _is_float(value) else "")
    )


# --- dates and times ----------------------------------------------------------------------------


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (Avro date), got a datetime; pass value.date()")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
    raise ValueError(f"expected a datetime.date or ISO 8601 date string, got {_kind(value)}")


def _time(unit: str) -> Callable[[object], dt.time]:
    def check(value: object) -> dt.time:
        if isinstance(value, str):
            try:
                value = dt.time.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not an ISO 8601 time of day") from None
        if not isinstance(value, dt.time):
            raise ValueError(f"expected a datetime.time (Avro time-{unit}), got {_kind(value)}")
        if value.tzinfo is not None:
            raise ValueError(
                f"Avro time-{unit} is a time of day without timezone; got an aware time "
                f"({value.tzinfo}); pass a naive time"
            )
        if unit == "millis":
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value

    return check


def _instant(unit: str) -> Callable[[object], dt.datetime]:
    def check(value: object) -> dt.datetime:
        value = _datetime(value, f"timestamp-{unit}")
        try:
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.timezone.utc)
            else:
                value = value.astimezone(dt.timezone.utc)
        except OverflowError:
            raise ValueError(f"{value} is out of range once converted to UTC") from None
        if unit == "millis":
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value

    return check


_LOCAL_EPOCH = dt.datetime(1970, 1, 1)


def _local(unit: str) -> Callable[[object], dt.datetime]:
    def check(value: object) -> dt.datetime:
        value = _datetime(value, f"local-timestamp-{unit}")
        if value.tzinfo is not None:
            raise ValueError(
                f"Avro local-timestamp-{unit} is a wall-clock time without timezone; got an "
                f"aware datetime ({value.tzinfo}); pass a naive datetime, or use a "
                "timestamp-* field for instants"
            )
        if unit == "millis":
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value

    return check


def _local_count(unit: str) -> Callable[[dt.datetime], int]:
    per_second = 1000 if unit == "millis" else 1_000_000

    def dump(value: dt.datetime) -> int:
        delta = value - _LOCAL_EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return micros * per_second // 1_000_000

    return dump


def _datetime(value: object, logical: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    if not isinstance(value, dt.datetime):
        raise ValueError(
            f"expected a datetime (Avro {logical}; naive values are taken as UTC for "
            f"timestamp-*), got {_kind(value)}"
        )
    return value


Date = Annotated[dt.date, PlainValidator(_date)]
TimeMillis = Annotated[dt.time, PlainValidator(_time("millis"))]
TimeMicros = Annotated[dt.time, PlainValidator(_time("micros"))]
TimestampMillis = Annotated[dt.datetime, PlainValidator(_instant("millis"))]
TimestampMicros = Annotated[dt.datetime, PlainValidator(_instant("micros"))]
LocalTimestampMillis = Annotated[
    dt.datetime,
    PlainValidator(_local("millis")),
    PlainSerializer(_local_count("millis"), return_type=int, when_used="unless-none"),
]
LocalTimestampMicros = Annotated[
    dt.datetime,
    PlainValidator(_local("micros")),
    PlainSerializer(_local_count("micros"), return_type=int, when_used="unless-none"),
]


# --- uuid, enums, unions ------------------------------------------------------------------------


def _uuid(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a UUID") from None
    raise ValueError(f"expected a uuid.UUID or UUID string, got {_kind(value)}")


Uuid = Annotated[
    uuid.UUID,
    PlainValidator(_uuid),
    PlainSerializer(str, return_type=str, when_used="unless-none"),
]

SYMBOL = PlainSerializer(lambda member: member.value, return_type=str, when_used="unless-none")
"""Dumps an enum member as its Avro symbol (a plain ``str``)."""


class _FirstMatch:
    """Resolves a union the way Avro writers do: the first branch that accepts the value wins.

    Pydantic's default ("smart") mode may pick a later branch that fits "better"; Avro's rule is
    positional, and with strict branches no lossy coercion can win over a later exact match.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema: Any = handler(source)
        # Copies, not edits: the handler's schema may be shared with other uses of the type.
        if schema.get("type") == "nullable" and schema["schema"].get("type") == "union":
            return {**schema, "schema": {**schema["schema"], "mode": "left_to_right"}}
        if schema.get("type") == "union":
            return {**schema, "mode": "left_to_right"}
        return schema  # type: ignore[no-any-return]


FIRST_MATCH = _FirstMatch()


def _kind(value: object) -> str:
    return type(value).__name__


def _is_float(value: object) -> bool:
    return isinstance(value, float)
