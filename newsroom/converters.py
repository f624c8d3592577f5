"""Path converters for numbers with a range: a crafted path with a 30-digit year or photo
number is a 404 at the resolver, never an overflow in the view or the database.

Registered by NewsroomConfig.ready() as `<year:...>`, `<month:...>`, `<day:...>` and
`<number:...>` (Django's own `<int:...>` accepts any length).
"""

from __future__ import annotations

from django.urls import register_converter


class BoundedNumberConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter(BoundedNumberConverter):
    regex = "[0-9]{4}"

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class MonthOrDayConverter(BoundedNumberConverter):
    regex = "[0-9]{1,2}"


def register() -> None:
    register_converter(YearConverter, "year")
    register_converter(MonthOrDayConverter, "month")
    register_converter(MonthOrDayConverter, "day")
    register_converter(BoundedNumberConverter, "number")
