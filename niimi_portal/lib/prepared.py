"""Querysets built and compiled once per process, then run with each call's values: `@prepared`.

Django builds and compiles a queryset's SQL anew every time one is evaluated. On the public pages that
costs more than PostgreSQL spends answering: the liaisons of one organization take 0.6 ms to build,
0.5 ms to compile and 0.7 ms to run. A function decorated with `@prepared` returns the queryset for
its arguments; the first call for a kind of arguments builds it twice, from two sets of marker
values, and keeps the SQL; each call then puts its own values where the markers went and runs that
SQL, building nothing. On PostgreSQL it runs as a prepared statement, so the server keeps its plan too
(except a query with a LIKE pattern, which is planned for each text).

What a builder may do:
- read nothing but its arguments (ints, strings, dates, and lists of them for `__in`): anything else
  it reads (today's date, a setting, a row) would be kept in the SQL. The tests run with
  `settings.PREPARED_QUERIES_CHECK` on: every call then also builds its queryset as usual and fails
  unless the SQL and the values are the same.
- use its arguments as they are: an argument turned into another value (a year taken from a date, a
  LIKE pattern) cannot be put back, and the first call raises `PreparedQueryError` (ask for that value
  as an argument of its own).
- not prefetch: the result is a list, and the caller attaches related rows to it (`as_prefetched`).

The result is a list, so nobody can filter it further and run SQL that was not built. A call with an
argument of another kind (None, a bool, an empty list) builds its queryset as usual.
"""

import copy
import datetime
import functools
import threading

from django.conf import settings
from django.db import connections
from django.db.models import Count, Window
from django.db.models.sql.compiler import MULTI, cursor_iter
from django.db.models.sql.query import Query

try:  # PostgreSQL's driver; the tests and `make run` may run on SQLite alone
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, Format, ServerBindingCursor, register_tzloader
except ImportError:  # pragma: no cover
    ServerBindingCursor = None


class PreparedQueryError(Exception):
    """A builder whose SQL does not carry its arguments as they are (see the module docstring)."""


def _flatten(args):
    """The arguments as one list of plain values (a list or tuple argument gives its items, each once)
    and their shape; TypeError for a kind of argument that cannot be prepared."""
    values, shape = [], []
    for argument in args:
        if isinstance(argument, (list, tuple)):
            items = list(dict.fromkeys(argument))
            if not items:
                raise TypeError("an empty list matches nothing: no SQL to keep")
            shape.append(len(items))
            values.extend(items)
        else:
            shape.append(None)
            values.append(argument)
    for value in values:
        if isinstance(value, (bool, datetime.datetime)) or not isinstance(value, (int, str, datetime.date)):
            raise TypeError(type(value))
    return values, tuple(shape)


def _arguments(values, shape):
    args, values = [], iter(values)
    for length in shape:
        args.append(next(values) if length is None else [next(values) for _ in range(length)])
    return args


def _markers(values, salt):
    """A value of each one's kind that no real call passes, different for each salt and each place."""
    markers = []
    for index, value in enumerate(values):
        if isinstance(value, datetime.date):
            markers.append(datetime.date(1801 + salt, 1, 1) + datetime.timedelta(days=index))
        elif isinstance(value, int):
            # Within the range of a PositiveSmallIntegerField, which checks its lookups.
            markers.append(30011 - 1009 * salt - index)
        else:
            markers.append(f"\ue000prepared{salt}:{index}\ue000")
    return markers


class _PreparedQuery(Query):
    """A query whose compiler gives the SQL kept and the values of one call (`self.prepared`)."""

    prepared = None
    server_plan = False

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiled, sql, params = self.prepared
        compiler = copy.copy(compiled)
        compiler.query = self
        compiler.connection = connection or connections[using]  # each thread has its own
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        if self.server_plan and compiler.connection.vendor == "postgresql":
            compiler.execute_sql = functools.partial(_execute_planned, compiler, sql, params, compiler.execute_sql)
        return compiler


def _execute_planned(compiler, sql, params, execute_sql, result_type=MULTI, chunked_fetch=False, chunk_size=100):
    """The rows of a prepared query, run as a statement PostgreSQL keeps planned on this connection
    (psycopg's prepared statements): building the SQL is spared by @prepared, parsing and planning it by
    this (0.2–0.6 ms a query). Through Django's cursor wrapper, so the query log and execute wrappers see it."""
    if result_type != MULTI:
        return execute_sql(result_type, chunked_fetch, chunk_size)
    connection = compiler.connection
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _PlanningCursor(connection.connection)
        # As Django's create_cursor(): the session's time zone for timestamps, when the connection's differs.
        if connection.timezone != connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone:
            register_tzloader(connection.timezone, raw)
        cursor = connection._prepare_cursor(raw)
    try:
        cursor.execute(sql, params)
    except Exception:
        cursor.close()
        raise
    rows = cursor_iter(
        cursor,
        connection.features.empty_fetchmany_value,
        compiler.col_count if compiler.has_extra_select else None,
        chunk_size,
    )
    return rows if chunked_fetch and connection.features.can_use_chunked_reads else list(rows)


class _Shape:
    """The queryset built with markers, its compiler after compiling, its SQL and where each argument goes."""

    def __init__(self, build, values, shape, name):
        first, second = _markers(values, 1), _markers(values, 2)
        try:
            queryset = build(*_arguments(first, shape))
            compiler = queryset.query.get_compiler(queryset.db)
            sql, params = compiler.as_sql()
            other_sql, other_params = build(*_arguments(second, shape)).query.get_compiler(queryset.db).as_sql()
        except (ValueError, TypeError, OverflowError) as error:
            raise PreparedQueryError(f"{name}: its queryset cannot be built from marker values ({error})") from error
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise PreparedQueryError(f"{name}: a prepared queryset may not prefetch")
        if sql != other_sql or len(params) != len(other_params):
            raise PreparedQueryError(f"{name}: its SQL depends on the values of its arguments")
        like = connections[queryset.db].ops.prep_for_like_query
        self.slots = []
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            if value == other:
                continue
            found = next(
                ((i, convert) for i, marker in enumerate(first) if (convert := _conversion(marker, value, like))),
                None,
            )
            if found is None or found[1](second[found[0]]) != other:
                raise PreparedQueryError(
                    f"{name}: the value at position {position} is made from an argument, not the "
                    "argument itself (pass it as an argument of its own)"
                )
            self.slots.append((position, *found))
        # A plan PostgreSQL keeps serves every value alike; a LIKE pattern is planned best for its own text.
        self.server_plan = not any(isinstance(convert, _Pattern) for _, _, convert in self.slots)
        queryset.query.__class__ = _PreparedQuery
        self.queryset, self.compiler, self.sql, self.params = queryset, compiler, sql, list(params)

    def run(self, values):
        params = list(self.params)
        for position, argument, convert in self.slots:
            params[position] = convert(values[argument])
        queryset = self.queryset._chain()
        queryset.query.prepared = (self.compiler, self.sql, tuple(params))
        queryset.query.server_plan = self.server_plan
        return queryset


def _conversion(marker, value, like):
    """How the database backend turned the argument `marker` into the parameter `value`, or None."""
    if isinstance(value, type(marker)) and value == marker:
        kind = type(value)
        return _same if kind is type(marker) else kind  # psycopg's Int2 and the like
    if isinstance(marker, datetime.date) and value == str(marker):
        return str  # SQLite's dates
    if isinstance(marker, str) and isinstance(value, str) and marker in value:
        before, after = value.split(marker, 1)  # a LIKE pattern: contains, startswith…
        return _Pattern(before, after, like)
    return None


class _Pattern:
    """A LIKE pattern made of an argument: its text escaped, between the pattern's ends."""

    def __init__(self, before, after, like):
        self.before, self.after, self.like = before, after, like

    def __call__(self, text):
        return self.before + self.like(text) + self.after


def _same(value):
    return value


# Shapes kept per function at most: lists of every length and every layout of a search could otherwise
# fill the memory of a long-running process.
MAX_SHAPES = 256


def prepared(build=None, *, fixed=0, plan_patterns=None):
    """`build(*args)` returns a QuerySet; the decorated function returns the list it gives, running SQL
    built once per kind of arguments (see the module docstring). The first `fixed` arguments shape the
    query itself (which fields a search looks in, say): hashable, passed as they are, one SQL for each.
    `plan_patterns(*fixed arguments)`, when true, lets PostgreSQL keep the plan of a query with LIKE
    patterns too: where a plan for any text was measured to serve as well (a table of a few rows)."""
    if build is None:
        return functools.partial(prepared, fixed=fixed, plan_patterns=plan_patterns)
    shapes = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def run(*args):
        layout, args = args[:fixed], args[fixed:]
        try:
            values, shape = _flatten(args)
        except TypeError:
            return list(build(*layout, *args))
        queryset = build(*layout, *args) if settings.PREPARED_QUERIES_CHECK else None
        key = (layout, shape, tuple(type(value) for value in values))  # one database: the project has no other
        prepared_shape = shapes.get(key)
        if prepared_shape is None:
            if len(shapes) >= MAX_SHAPES:
                return list(build(*layout, *args))
            with lock:
                prepared_shape = shapes.get(key)
                if prepared_shape is None:
                    prepared_shape = _Shape(functools.partial(build, *layout), values, shape, build.__qualname__)
                    if plan_patterns is not None and plan_patterns(*layout):
                        prepared_shape.server_plan = True
                    shapes[key] = prepared_shape
        runnable = prepared_shape.run(values)
        if queryset is not None:
            _check(build, queryset, runnable)
        return list(runnable)

    run.forget = shapes.clear
    return run


def _check(build, queryset, runnable):
    expected = queryset.query.get_compiler(queryset.db).as_sql()
    got = runnable.query.get_compiler(queryset.db).as_sql()
    if (expected[0], list(expected[1])) != (got[0], list(got[1])):
        raise PreparedQueryError(
            f"{build.__qualname__} built other SQL than it keeps: it reads something besides its arguments\n"
            f"built: {expected}\nkept:  {got}"
        )


def one_or_none(rows):
    """The row of a prepared look-up by a unique key (`[:1]`), or None."""
    return rows[0] if rows else None


def attach(objects, name, rows, key):
    """Set `name` on each object to the rows (of a prepared query, in its order) whose attribute `key`
    holds its pk: what a Prefetch with to_attr gives, without building a related manager per object."""
    by_object = {}
    for row in rows:
        by_object.setdefault(getattr(row, key), []).append(row)
    for obj in objects:
        setattr(obj, name, by_object.get(obj.pk, []))


def as_prefetched(instance, name, rows):
    """Make `instance.<name>.all()` give `rows` (of a prepared query) without a query, as
    prefetch_related would: the related manager's own queryset, so anything built on it stays right."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    # A many-to-many manager names its cache; a reverse foreign key's is the field's.
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset
    return instance


# The furthest row a page asked for is looked up at; further is past the end of any list here (and past
# what SQLite takes as an OFFSET).
MAX_OFFSET = 2**31 - 1


class PreparedPages:
    """What django.core.paginator.Paginator reads of a list (its count, a slice) from one prepared query:
    `rows(offset, limit, *args)`, made with @prepared(fixed=2), whose rows each carry the number of all
    in `paged_total` (`with_total()`), unless `count()` gives the number. The page asked for (`number`)
    and the count come from the same query; a page past the end costs a second one, for the count, and
    a third, for the last page."""

    def __init__(self, rows, number, per_page, *args, count=None):
        self.rows, self.per_page, self.args, self.counted = rows, per_page, args, count
        try:
            self.number = max(int(number), 1)
        except (TypeError, ValueError):
            self.number = 1
        self.fetched = {}
        self.total = None

    def fetch(self, offset):
        if offset not in self.fetched:
            found = self.fetched[offset] = self.rows(offset, self.per_page, *self.args)
            if found and self.counted is None:
                self.total = found[0].paged_total
        return self.fetched[offset]

    def count(self):
        if self.total is None and self.counted is not None:
            self.total = self.counted()
        offset = (self.number - 1) * self.per_page
        if self.total is None and offset <= MAX_OFFSET:  # ?page=9223372036854775807 is past the end
            self.fetch(offset)
        if self.total is None:  # past the end, or nothing at all
            self.total = len(self.fetch(0)) and self.fetched[0][0].paged_total
        return self.total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("PreparedPages gives pages (slices) only")
        start = index.start or 0
        rows = self.fetch(start)
        return rows if index.stop is None else rows[: index.stop - start]


def with_total(queryset):
    """`queryset` with the number of all its rows on each row (`paged_total`), for PreparedPages."""
    return queryset.annotate(paged_total=Window(Count("pk")))


if ServerBindingCursor is not None:

    class _PlanningCursor(ServerBindingCursor):
        """Django's server-binding cursor that has every statement prepared (kept planned) at once."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)
