import pytest

from fupan.core.errors import ErrorCode, FupanError
from fupan.forum.actions import do_vote_post
from fupan.forum.models import Post, PostVote


@pytest.fixture
def reply(thread):
    return Post.objects.get(thread=thread, position=2)


@pytest.mark.django_db
def test_support_and_oppose_count_once_per_member(reply, other_member, user_factory):
    third = user_factory()
    do_vote_post(reply, acting_user=other_member, value=PostVote.Value.SUPPORT)
    post = do_vote_post(reply, acting_user=third, value=PostVote.Value.OPPOSE)
    assert (post.support, post.oppose) == (1, 1)
    with pytest.raises(FupanError) as exc:
        do_vote_post(reply, acting_user=other_member, value=PostVote.Value.OPPOSE)
    assert exc.value.code == ErrorCode.ALREADY_VOTED
    reply.refresh_from_db()
    assert (reply.support, reply.oppose) == (1, 1)
    assert PostVote.objects.filter(post=reply).count() == 2


@pytest.mark.django_db
def test_a_member_cannot_vote_on_their_own_post_or_a_first_post(thread, member, other_member):
    own = Post.objects.get(thread=thread, position=2)  # written by the thread's author, member
    with pytest.raises(FupanError) as exc:
        do_vote_post(own, acting_user=member, value=PostVote.Value.SUPPORT)
    assert exc.value.code == ErrorCode.VOTE_OWN_POST
    first = Post.objects.get(thread=thread, position=1)
    with pytest.raises(FupanError) as exc:
        do_vote_post(first, acting_user=other_member, value=PostVote.Value.SUPPORT)
    assert exc.value.code == ErrorCode.VOTE_FIRST_POST
    assert not PostVote.objects.exists()


@pytest.mark.django_db
def test_an_unknown_vote_value_is_refused(reply, other_member):
    with pytest.raises(FupanError):
        do_vote_post(reply, acting_user=other_member, value=5)
