"""Public-page queries whose SQL is compiled once, not on every request.

Building and compiling a queryset costs more CPU than PostgreSQL spends answering the indexed
queries a public page runs (bench/inprocess.py: two thirds of a cold article page). A
function decorated with @prepared builds its queryset from its arguments alone; the first
call of each shape compiles it twice, with two sets of stand-in values, and notes where each
argument lands among the SQL parameters. Later calls swap the real values in and run the
noted SQL through the same queryset, so Django still turns rows into objects and runs
select_related, annotations, prefetches and a queryset's own `_fetch_all`.

It is correct by construction or not used: any parameter that differs between the two
compilations without being exactly one argument (a value the function read from the clock or
the database, an argument the lookup rewrote, as `startswith` does, or a value that changed
the SQL itself), or an argument that is in no parameter (compared in Python, or used to look
something up first), makes that shape run through the ORM as usual, every time. So does an
argument of a type it does not swap (a naive datetime is refused: its time zone is a guess),
and an int outside the range of a column it is compared with (Django, not the database,
decides what that matches). None and booleans are part of the shape, so a function may
branch on them; any other argument must only be handed to the queryset.

    @prepared
    def _public_page(slug, now):
        return Article.objects.published(now).filter(slug=slug).for_detail()

    rows = _public_page.rows("a-slug", timezone.now())

The function must depend on its arguments only: what it reads from elsewhere (a content
type's id, a setting) is compiled in, and the plans are dropped when that can change
(`post_migrate`, which a test database's flush sends, and `setting_changed`).
"""

from __future__ import annotations

import datetime
from functools import partial, update_wrapper

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Value
from django.db.models.signals import post_migrate

# Plans kept per function: shapes are few (argument types and list lengths); this bounds a
# function whose lists come from readers.
MAX_PLANS = 512
MAX_VALUES = 4_000  # swapped values in one call: the int stand-ins stay within a smallint
_EMPTY = object()  # the query matches nothing, whatever the values (EmptyResultSet)
_ALL: list[PreparedQuery] = []
_SWAPPED_TYPES = (int, str, datetime.datetime, datetime.date)


def _stand_in(value, i: int, second: bool):
    """The i-th stand-in value of one compilation. The two sets grow by different steps, so
    arithmetic on one argument cannot land on another's pair; ints stay within a smallint
    (a wider one would be no match, not a value); strings hold what a rewrite changes
    (case, spaces, LIKE's wildcards, a separator)."""
    if isinstance(value, int):
        return (20_011 + 3 * i) if second else (1_009 + i)
    if isinstance(value, str):
        return f" \ue000Stand_%\\,{'b' if second else 'a'}{i}\ue001 "
    if isinstance(value, datetime.datetime):
        if second:
            return datetime.datetime(1907, 8, 9, 10, 11, 12, 2 * i + 1, tzinfo=datetime.UTC)
        return datetime.datetime(1901, 2, 3, 4, 5, 6, i + 1, tzinfo=datetime.UTC)
    if second:
        return datetime.date(1905, 1, 1) + datetime.timedelta(days=2 * i)
    return datetime.date(1901, 1, 1) + datetime.timedelta(days=i)


def _shape(value):
    """What of an argument the SQL may depend on, or None if it is not swapped in."""
    if isinstance(value, bool) or value is None:
        return ("is", value)
    if isinstance(value, int):  # 0 is falsy: a function may branch on it
        return int if value and -(2**31) <= value < 2**31 else None
    if isinstance(value, str):
        return str if value and "\ue000" not in value else None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise TypeError("a prepared query takes aware datetimes only")
        return datetime.datetime
    if isinstance(value, datetime.date):
        return datetime.date
    if isinstance(value, list | tuple):
        items = tuple(_shape(item) for item in value)
        if not items or None in items or any(isinstance(item, tuple) for item in items):
            return None  # empty, nested, or holding something not swapped
        return (list, items)
    return None


def _swapped(args):
    """(argument, item or None, value) of every value that is swapped in."""
    for i, arg in enumerate(args):
        if isinstance(arg, list | tuple):
            for j, item in enumerate(arg):
                yield i, j, item
        elif not (isinstance(arg, bool) or arg is None):
            yield i, None, arg


def _int_range(build, stand_ins, i, counted, sql, n_params) -> tuple[int, int]:
    """The values argument `i` (an int, or a list of them) may take with the same SQL: the
    narrowest of the integer columns' ranges (0 or -32768 up to 32767, or an int's) that it
    is compared with, found by compiling with values just outside each."""

    def same_sql(value):
        probe = list(stand_ins)
        probe[i] = [value] * len(probe[i]) if isinstance(probe[i], list) else value
        compiled = _compile(build, probe, counted)
        return (
            compiled not in (None, _EMPTY) and compiled[0] == sql and len(compiled[1]) == n_params
        )

    low = -(2**31) if same_sql(-32_769) else -32_768 if same_sql(-1) else 0
    high = 2**31 - 1 if same_sql(32_768) else 32_767
    return low, high


def _stand_ins(args, second: bool):
    out = [list(arg) if isinstance(arg, list | tuple) else arg for arg in args]
    for n, (i, j, value) in enumerate(_swapped(args)):
        if j is None:
            out[i] = _stand_in(value, n, second)
        else:
            out[i][j] = _stand_in(value, n, second)
    return out


def _compile(build, args, counted: bool):
    """(SQL, params, queryset) of build(*args), _EMPTY if it can match nothing, None if it
    fails."""
    try:
        queryset = build(*args)
        query = queryset.query
        if counted:
            query = query.chain()
            if not query.is_sliced:
                query.clear_ordering(force=True)
            if not (
                query.is_sliced
                or query.distinct
                or query.group_by
                or query.combinator
                or query.annotations
            ):
                # Count rows, not columns: an index that holds only what the WHERE reads can
                # then answer alone (a list's columns are in the table, not in its index).
                query.clear_select_clause()
                query.add_annotation(Value(1), "counted_row")
        sql, params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return _EMPTY
    except Exception:  # whatever the stand-ins make fail, the ORM runs with the real values
        return None
    return (f"SELECT COUNT(*) FROM ({sql}) counted" if counted else sql), params, queryset


class _Plan:
    """One compiled query: its SQL, its constant parameters, where each argument goes, and
    the range an int argument must be in (outside a column's range, Django leaves the
    condition out or matches nothing, rather than comparing)."""

    def __init__(self, queryset, sql, params, slots, ranges):
        self.queryset, self.sql, self.params, self.slots = queryset, sql, tuple(params), slots
        self.ranges = ranges
        self.alias = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.alias)
        self.compiler.as_sql()  # sets what turning rows into objects reads (select, klass_info)
        selected = [column for column, *_ in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(selected)

    @classmethod
    def build(cls, build, args, counted=False):
        """The plan of build(*args), or None if its parameters are not exactly the
        arguments and constants."""
        first, second = _stand_ins(args, False), _stand_ins(args, True)
        compiled, compiled_b = _compile(build, first, counted), _compile(build, second, counted)
        if compiled is None or compiled_b is None:
            return None
        if compiled is _EMPTY or compiled_b is _EMPTY:
            return _EMPTY if compiled is compiled_b else None
        (sql, params, queryset), (sql_b, params_b, _) = compiled, compiled_b
        if sql != sql_b or len(params) != len(params_b):
            return None
        pairs = zip(_swapped(first), _swapped(second), strict=True)
        where = {(type(a), a, b): (i, j) for (i, j, a), (_, _, b) in pairs}
        slots = []
        for position, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if type(a) is type(b) and a == b:
                if isinstance(a, str) and "\ue000" in a:
                    return None  # a stand-in rewritten: the real value would be too
                continue
            # A backend may wrap a value in a subclass (psycopg's Int4): the real one is too.
            given = next((t for t in type(a).__mro__ if t in _SWAPPED_TYPES), None)
            slot = where.get((given, a, b)) if type(b) is type(a) else None
            if slot is None:
                return None  # changed, but not as an argument: the clock, a rewritten value
            slots.append((position, *slot, None if type(a) is given else type(a)))
        if {(i, j) for _, i, j, _ in slots} != set(where.values()):
            return None  # an argument the SQL does not show: compared, or looked up first
        ranges = {}
        for i in {i for i, _, value in _swapped(first) if isinstance(value, int)}:
            ranges[i] = _int_range(build, first, i, counted, sql, len(params))
        return cls(queryset, sql, params, slots, ranges)

    def in_range(self, args) -> bool:
        for i, (low, high) in self.ranges.items():
            values = args[i] if isinstance(args[i], list | tuple) else [args[i]]
            if not all(low <= value <= high for value in values):
                return False
        return True

    def params_for(self, args):
        params = list(self.params)
        for position, i, j, wrap in self.slots:
            value = args[i] if j is None else args[i][j]
            params[position] = value if wrap is None else wrap(value)
        return params

    def queryset_for(self, args, sql=None):
        """A copy of the built queryset that runs this plan's SQL with `args`."""
        compiled = (sql or self.sql, tuple(self.params_for(args)))
        compiler = object.__new__(type(self.compiler))
        compiler.__dict__.update(self.compiler.__dict__)
        compiler.connection = connections[self.alias]  # per thread
        compiler.as_sql = lambda *args, **kwargs: compiled
        compiler.get_converters = lambda expressions: self.converters
        query = object.__new__(type(self.queryset.query))
        query.__dict__.update(self.queryset.query.__dict__)
        query.get_compiler = lambda *args, **kwargs: compiler
        # object.__new__, not copy.copy: a QuerySet's __getstate__ would run it.
        queryset = object.__new__(type(self.queryset))
        queryset.__dict__.update(self.queryset.__dict__)
        queryset._query = query
        queryset._result_cache = None
        queryset._prefetch_done = False
        return queryset

    def count(self, args) -> int:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.params_for(args))
            return cursor.fetchone()[0]


class PreparedQuery:
    def __init__(self, build):
        self.build = build
        self.plans: dict = {}
        update_wrapper(self, build)
        _ALL.append(self)

    def __call__(self, *args):
        """The queryset itself, built as usual (for callers that refine it)."""
        return self.build(*args)

    def _plan(self, args, counted=False):
        """The plan for these arguments: None to run the ORM, _EMPTY for no rows."""
        shape = tuple(_shape(arg) for arg in args)
        if None in shape or sum(1 for _ in _swapped(args)) > MAX_VALUES:
            return None
        key = (counted, shape)
        plan = self.plans.get(key, False)
        if plan is False:
            plan = _Plan.build(self.build, args, counted)
            if len(self.plans) < MAX_PLANS:
                self.plans[key] = plan
        if plan is not None and plan is not _EMPTY and not plan.in_range(args):
            return None  # Django decides what an out-of-range value matches
        return plan

    def rows(self, *args) -> list:
        """The query's results as a list."""
        plan = self._plan(args)
        if plan is None:
            return list(self.build(*args))
        return [] if plan is _EMPTY else list(plan.queryset_for(args))

    def one_or_none(self, *args):
        """The one row of a query by a unique field (a slug), or None."""
        rows = self.rows(*args)
        return rows[0] if rows else None

    def slice(self, low: int, high: int | None, *args) -> list:
        """rows(*args)[low:high], with LIMIT and OFFSET in the SQL."""
        low, high = int(low), None if high is None else int(high)
        if low < 0 or (high is not None and high < 0):
            raise ValueError("Negative indexing is not supported.")
        plan = self._plan(args)
        if plan is None or (plan is not _EMPTY and plan.queryset.query.is_sliced):
            return list(self.build(*args)[low:high])
        if plan is _EMPTY or (high is not None and high <= low):
            return []
        limit = connections[plan.alias].ops.limit_offset_sql(low, high)
        return list(plan.queryset_for(args, sql=f"{plan.sql} {limit}"))

    def count(self, *args) -> int:
        """How many rows rows(*args) has."""
        plan = self._plan(args, counted=True)
        if plan is None:
            return self.build(*args).count()
        return 0 if plan is _EMPTY else plan.count(args)

    def sql(self, *args) -> tuple[str, tuple]:
        """The query's SQL and parameters, as `queryset.query.sql_with_params()` gives them
        (EmptyResultSet if it can match nothing): for SQL that embeds it."""
        plan = self._plan(args)
        if plan is None:
            return self.build(*args).query.sql_with_params()
        if plan is _EMPTY:
            raise EmptyResultSet
        return plan.sql, tuple(plan.params_for(args))

    def pages(self, *args, counted_by: PreparedQuery | None = None) -> Pages:
        """The rows as something a Paginator pages through, one LIMIT query per page.
        `counted_by`: a query of the same rows (with the same arguments) that is cheaper to
        count, without the joins that only the shown columns need (an index-only count)."""
        return Pages(self, args, counted_by or self)

    def is_prepared(self, *args) -> bool:
        """Whether these arguments run from a compiled plan (for tests)."""
        return self._plan(args) is not None


class Pages:
    """A prepared query's rows, sliced and counted the way Paginator asks for them."""

    def __init__(self, prepared: PreparedQuery, args, counted_by: PreparedQuery):
        self.prepared, self.args, self.counted_by = prepared, args, counted_by

    def count(self) -> int:
        return self.counted_by.count(*self.args)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Pages takes a slice without a step")
        return self.prepared.slice(index.start or 0, index.stop, *self.args)


def prepared(build) -> PreparedQuery:
    return PreparedQuery(build)


def forget_plans(**kwargs) -> None:
    """Drop every compiled plan: what they hold as constants may have changed."""
    for query in _ALL:
        query.plans.clear()


post_migrate.connect(forget_plans, dispatch_uid="newsroom.prepared.forget_plans")
setting_changed.connect(forget_plans, dispatch_uid="newsroom.prepared.forget_plans.settings")


def attach(instance, relation: str, rows: list) -> None:
    """Put `rows` where `instance.<relation>.all()` finds them without a query, as
    prefetch_related leaves them: for related rows fetched by a prepared query. A query
    made from it (`.filter()`, `.order_by()`) starts from the instance's own related rows,
    as after a prefetch; it is built only then (one per instance would cost more than the
    query that fetched them all)."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    queryset = instance._meta.get_field(relation).related_model.objects.all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    # A partial of a module function, not a lambda: the instance still pickles.
    queryset._chain = partial(_related_chain, instance, relation)
    cache[relation] = queryset


def _related_chain(instance, relation: str):
    """A chain of the related manager's own queryset of `instance`, not the attached rows."""
    cache = instance._prefetched_objects_cache
    attached = cache.pop(relation)
    try:
        return getattr(instance, relation).get_queryset()._chain()
    finally:
        cache[relation] = attached
