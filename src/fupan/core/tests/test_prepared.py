"""A prepared query returns what the same queryset returns, on every call, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from fupan.core.prepared import Prepared
from fupan.forum.models import Post, Thread


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def threads(thread_factory, board, member, other_member):
    return [
        thread_factory(board, author=member, replies=5, repliers=[member, other_member]),
        thread_factory(board, author=other_member, replies=2),
    ]


page = Prepared(
    lambda thread_id, low, high: (
        Post.objects.filter(thread_id=thread_id, position__range=(low, high))
        .select_related("author")
        .order_by("position")[:10]
    )
)


@pytest.mark.django_db
def test_models_with_related_rows_as_the_orm_builds_them(threads):
    for thread in threads:
        for low, high in [(1, 3), (2, 10), (4, 4), (50, 60)]:
            orm = list(
                Post.objects.filter(thread_id=thread.pk, position__range=(low, high))
                .select_related("author")
                .order_by("position")[:10]
            )
            with CaptureQueriesContext(connection) as queries:
                got = page(thread.pk, low, high)
                # the author came with the post: no further query
                names = [p.author.username for p in got]
            assert len(queries) == 1
            assert [_fields(p) for p in got] == [_fields(p) for p in orm]
            assert names == [p.author.username for p in orm]
            assert all(not p._state.adding and p._state.db == "default" for p in got)
            # the datetimes are converted as the ORM converts them (aware, same value)
            assert [p.created_at for p in got] == [p.created_at for p in orm]


@pytest.mark.django_db
def test_values_lists_annotations_and_lists(threads):
    flat = Prepared(
        lambda ids: (
            Post.objects.filter(thread_id__in=ids).order_by("id").values_list("id", flat=True)
        )
    )
    ids = [t.pk for t in threads]
    assert flat(ids) == list(
        Post.objects.filter(thread_id__in=ids).order_by("id").values_list("id", flat=True)
    )
    assert flat(ids[:1]) == list(
        Post.objects.filter(thread_id=ids[0]).order_by("id").values_list("id", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        assert flat([]) == []
    assert len(queries) == 0

    pairs = Prepared(
        lambda tid: (
            Post.objects.filter(thread_id=tid)
            .order_by("position")
            .values_list("position", "author_id")
        )
    )
    assert pairs(ids[0]) == list(
        Post.objects.filter(thread_id=ids[0])
        .order_by("position")
        .values_list("position", "author_id")
    )

    annotated = Prepared(
        lambda tid: (
            Post.objects.filter(thread_id=tid)
            .annotate(twice=F("position") * 2)
            .order_by("-position")[:3]
        )
    )
    got = annotated(ids[0])
    assert [(p.position, p.twice) for p in got] == [(6, 12), (5, 10), (4, 8)]


@pytest.mark.django_db
def test_one_row_by_primary_key_with_joins(threads):
    one = Prepared(
        lambda pk: Thread.objects.select_related("board", "board__parent", "type").filter(pk=pk)[:1]
    )
    (got,) = one(threads[1].pk)
    orm = Thread.objects.select_related("board", "board__parent", "type").get(pk=threads[1].pk)
    assert _fields(got) == _fields(orm)
    assert _fields(got.board) == _fields(orm.board)
    assert got.type is None
    assert one(10**9) == []


def test_an_argument_that_is_no_parameter_is_refused():
    unused = Prepared(lambda tid, floor: Post.objects.filter(thread_id=tid))
    with pytest.raises(ValueError, match=r"arguments \[1\] are not query parameters"):
        unused(1, 5)


@pytest.mark.django_db
def test_keyword_arguments_are_shapes_of_their_own(threads):
    newest = Prepared(
        lambda tid, *, limit: Post.objects.filter(thread_id=tid).order_by("-position")[:limit]
    )
    tid = threads[0].pk
    assert [p.position for p in newest(tid, limit=2)] == [6, 5]
    assert [p.position for p in newest(tid, limit=3)] == [6, 5, 4]
    assert [p.position for p in newest(threads[1].pk, limit=2)] == [3, 2]


@pytest.mark.django_db
def test_times_are_arguments_too(threads):
    from datetime import timedelta

    from django.utils import timezone

    since = Prepared(
        lambda tid, when: (
            Post.objects.filter(thread_id=tid, created_at__gt=when)
            .order_by("position")
            .values_list("position", flat=True)
        )
    )
    post = Post.objects.get(thread=threads[0], position=3)
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() + timedelta(days=1))
    tid = threads[0].pk
    assert since(tid, timezone.now()) == [3]
    assert since(tid, timezone.now() - timedelta(days=1)) == [1, 2, 3, 4, 5, 6]
    assert since(tid, timezone.now() + timedelta(days=2)) == []


@pytest.mark.django_db
def test_only_the_arguments_stay_parameters(threads):
    """The constants are written into the SQL: a parameter weighed against a partial index's
    condition would make SQLite compile the statement again at every run, and keep
    PostgreSQL's plan for a prepared statement from using the index at all."""
    visible_with_votes = Prepared(
        lambda thread_id: Post.objects.filter(
            thread_id=thread_id, state=Post.State.VISIBLE, position__gt=1
        ).order_by("position")[:5]
    )
    rows = visible_with_votes(threads[0].pk)
    expected = list(
        Post.objects.filter(thread=threads[0], state=Post.State.VISIBLE, position__gt=1).order_by(
            "position"
        )[:5]
    )
    assert [_fields(r) for r in rows] == [_fields(e) for e in expected] and len(rows) == 5
    plan = visible_with_votes._plan((threads[0].pk,), {})
    # On SQLite and PostgreSQL (a prepared statement, planned for any thread) alike.
    assert '"forum_post"."state" = 0' in plan.sql and '"position" > 1' in plan.sql
    assert plan.sql.count("%s") == 1 and len(plan.params) == 1


@pytest.mark.django_db
def test_init_signals_still_fire_when_a_receiver_listens(threads):
    """Instances are built without ``Model.__init__`` only while nothing listens for it."""
    from django.db.models.signals import post_init

    seen: list[int] = []

    def receiver(sender, instance, **kwargs):
        seen.append(id(instance))

    post_init.connect(receiver, sender=Post)
    try:
        rows = page(threads[0].pk, 1, 3)
    finally:
        post_init.disconnect(receiver, sender=Post)
    assert len(rows) == 3 and sorted(seen) == sorted(id(r) for r in rows)
    assert [_fields(r) for r in page(threads[0].pk, 1, 3)] == [_fields(r) for r in rows]


@pytest.mark.django_db
def test_unlogged_runs_give_the_orms_rows_and_are_counted(threads):
    """Without query logging a prepared query takes its fast path (sqlite3 directly; on
    PostgreSQL a prepared statement of the connection): the same rows, each run still seen by
    the connection's execute wrappers (the page's query count)."""
    from django.db import transaction

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    orm = list(
        Post.objects.filter(thread_id=threads[0].pk, position__range=(2, 5))
        .select_related("author")
        .order_by("position")
    )
    assert not connection.queries_logged
    with connection.execute_wrapper(count):
        for _ in range(3):
            got = page(threads[0].pk, 2, 5)
            assert [_fields(p) for p in got] == [_fields(p) for p in orm]
            assert [p.author.username for p in got] == [p.author.username for p in orm]
        # A rolled-back savepoint makes psycopg forget its prepared statements: the next run
        # prepares again.
        try:
            with transaction.atomic():
                page(threads[0].pk, 1, 1)
                raise RuntimeError
        except RuntimeError:
            pass
        assert [p.pk for p in page(threads[0].pk, 2, 5)] == [p.pk for p in orm]
    assert sum(sql.startswith("SELECT") for sql in seen) == 5
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%"forum_post"."position" BETWEEN $1 AND $2 AND "forum_post"."thread_id" = $3%'],
            )
            assert cursor.fetchone()[0] == 1


def test_inlined_constants_keep_their_meaning():
    from fupan.core.prepared import _inline_constants

    sql = 'SELECT 1 WHERE "a" - %s > %s AND "b" = %s AND "c" LIKE \'x%%\' AND "d" = %s'
    params = [-1, 5, True, 42]
    slots = [(3, 0, -1)]  # the last parameter is the argument
    for vendor, true in (("sqlite", "1"), ("postgresql", "true")):
        inlined, kept, moved = _inline_constants(sql, params, slots, vendor=vendor)
        # a negative number in parentheses: "- -1" would start an SQL comment
        assert inlined == (
            f'SELECT 1 WHERE "a" - (-1) > 5 AND "b" = {true} AND "c" LIKE \'x%%\' AND "d" = %s'
        )
        assert kept == [42] and moved == [(0, 0, -1)]


@pytest.mark.django_db
def test_sqlite_reads_times_and_flags_as_the_orm_does(threads):
    """On SQLite the datetime and boolean columns of a prepared query are read by sqlite3 itself
    (``_read_by_sqlite``): the same values and types as the ORM's, for times stored in another
    form too (an imported row), NULLs, and a time the query also orders by."""
    from datetime import UTC, datetime

    post = Post.objects.filter(thread_id=threads[0].pk).order_by("position")[1]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # as another program might have written them
            cursor.execute(
                "UPDATE forum_post SET created_at = %s, edited_at = %s WHERE id = %s",
                ["2021-05-15T14:10:36+08:00", "2021-05-15 06:11:00", post.pk],
            )
    else:
        Post.objects.filter(pk=post.pk).update(
            created_at=datetime(2021, 5, 15, 6, 10, 36, tzinfo=UTC),
            edited_at=datetime(2021, 5, 15, 6, 11, tzinfo=UTC),
        )
    Post.objects.filter(pk=post.pk).update(hidden=True)
    shapes = [
        lambda thread_id: Post.objects.filter(thread_id=thread_id).order_by("position"),
        lambda thread_id: (
            Post.objects.filter(thread_id=thread_id)
            .order_by("position")
            .values_list("created_at", "edited_at", "hidden", "is_first")
        ),
        lambda thread_id: (
            Post.objects.filter(thread_id=thread_id)
            .annotate(at=F("created_at"))
            .order_by("-at", "id")
            .values_list("at", "hidden")
        ),
    ]
    for shape in shapes:
        prepared = Prepared(shape)
        orm = list(shape(threads[0].pk))
        got = prepared(threads[0].pk)
        if orm and not isinstance(orm[0], tuple):
            orm, got = [_fields(p) for p in orm], [_fields(p) for p in got]
        assert got == orm
        assert [[type(v) for v in (r.values() if isinstance(r, dict) else r)] for r in got] == [
            [type(v) for v in (r.values() if isinstance(r, dict) else r)] for r in orm
        ]
    stored = Prepared(lambda pk: Post.objects.filter(pk=pk))(post.pk)[0]
    assert stored.created_at == datetime(2021, 5, 15, 6, 10, 36, tzinfo=UTC)
    assert stored.edited_at == datetime(2021, 5, 15, 6, 11, tzinfo=UTC)
    assert stored.hidden is True and stored.is_first is False
