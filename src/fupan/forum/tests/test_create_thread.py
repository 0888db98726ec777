from datetime import timedelta

import pytest
from django.utils import timezone

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import TITLE_MAX_LENGTH, do_create_thread
from fupan.forum.models import Board, Post, Thread


@pytest.mark.django_db
def test_create_thread_makes_floor_one_and_moves_every_counter(board, member):
    thread = do_create_thread(
        board, acting_user=member, title="  新桥  何时 通车 ", body="请问涪江三桥什么时候通车？"
    )

    thread.refresh_from_db()
    board.refresh_from_db()
    member.refresh_from_db()
    first = Post.objects.get(thread=thread)
    assert thread.title == "新桥 何时 通车"
    assert (first.position, first.is_first, first.author_id) == (1, True, member.pk)
    assert thread.max_position == 1 and thread.replies == 0
    assert (board.threads, board.posts, board.today_posts) == (1, 1, 1)
    assert board.last_thread_id == thread.pk and board.last_thread_title == "新桥 何时 通车"
    assert board.last_poster_name == member.username
    assert (member.threads, member.posts) == (1, 1)
    assert "请问涪江三桥" in first.html


@pytest.mark.django_db
def test_create_thread_with_type_keeps_the_type(board, member):
    advice = board.thread_types.get(name="建言献策")
    thread = do_create_thread(
        board, acting_user=member, title="建议", body="多设公交站", thread_type=advice
    )
    assert Thread.objects.get(pk=thread.pk).type == advice


@pytest.mark.django_db
def test_create_thread_refuses_a_type_of_another_board(board_factory, member):
    board = board_factory(types=["求助"])
    other = board_factory(types=["出售"])
    with pytest.raises(FupanError) as exc:
        do_create_thread(
            board, acting_user=member, title="t", body="b", thread_type=other.thread_types.get()
        )
    assert exc.value.code == ErrorCode.TYPE_INVALID and exc.value.field == "type"


@pytest.mark.django_db
def test_create_thread_requires_a_type_when_the_board_says_so(board_factory, member):
    board = board_factory(types=["求助"], thread_types_required=True)
    with pytest.raises(FupanError) as exc:
        do_create_thread(board, acting_user=member, title="标题", body="正文")
    assert exc.value.code == ErrorCode.TYPE_REQUIRED
    assert not Thread.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("", "正文", ErrorCode.TITLE_EMPTY),
        ("\u3000 \u200b", "正文", ErrorCode.TITLE_EMPTY),
        ("长" * (TITLE_MAX_LENGTH + 1), "正文", ErrorCode.TITLE_TOO_LONG),
        ("标题", "   \n\t ", ErrorCode.BODY_EMPTY),
        ("标题", "字" * 20001, ErrorCode.BODY_TOO_LONG),
    ],
)
def test_create_thread_refuses_empty_or_overlong_input_and_writes_nothing(
    board, member, title, body, code
):
    with pytest.raises(FupanError) as exc:
        do_create_thread(board, acting_user=member, title=title, body=body)
    assert exc.value.code == code
    board.refresh_from_db()
    assert board.threads == 0 and not Post.objects.exists()


@pytest.mark.django_db
def test_create_thread_in_a_category_is_refused(member):
    category = Board.objects.create(name="分区", kind=Board.Kind.CATEGORY)
    with pytest.raises(FupanError):
        do_create_thread(category, acting_user=member, title="标题", body="正文")


@pytest.mark.django_db
def test_an_older_thread_does_not_replace_the_boards_newer_last_post(board, member):
    now = timezone.now()
    newer = do_create_thread(board, acting_user=member, title="新", body="b", now=now)
    do_create_thread(board, acting_user=member, title="旧", body="b", now=now - timedelta(days=3))
    board.refresh_from_db()
    assert board.last_thread_id == newer.pk
    assert board.threads == 2 and board.posts == 2
    assert board.today_posts == 1  # the thread dated three days ago is not today's


@pytest.mark.django_db
def test_todays_count_restarts_on_a_new_day(board, member):
    from fupan.forum.models import Board as BoardModel

    do_create_thread(board, acting_user=member, title="a", body="b")
    BoardModel.objects.filter(pk=board.pk).update(
        today_date=timezone.localdate() - timedelta(days=1), today_posts=7
    )
    do_create_thread(board, acting_user=member, title="c", body="d")
    board.refresh_from_db()
    assert board.today_posts == 1 and board.today_date == timezone.localdate()
