"""Post HTML: stored with the renderer version; an older post's fresh render is kept in the cache."""

import pytest

from fupan.forum.models import Post
from fupan.forum.rendering import post_base_html


@pytest.mark.django_db
def test_a_post_from_an_older_renderer_is_rendered_once_then_served_from_the_cache(
    thread, monkeypatch
):
    Post.objects.filter(thread=thread, position=1).update(html="<p>旧的</p>", html_version=0)
    post = Post.objects.select_related("thread__board").get(thread=thread, position=1)
    fresh = post_base_html(post, post.thread.board)
    assert "旧的" not in fresh and "正文内容" in fresh
    calls = []
    monkeypatch.setattr("fupan.forum.rendering.render_body", lambda *a, **k: calls.append(1) or "x")
    assert post_base_html(post, post.thread.board) == fresh and calls == []
    post.edit_count += 1  # an edit is a different text: rendered again
    post_base_html(post, post.thread.board)
    assert calls == [1]


@pytest.mark.django_db
def test_a_current_post_uses_its_stored_html(thread):
    post = Post.objects.select_related("thread__board").get(thread=thread, position=1)
    assert post.html and post_base_html(post, post.thread.board) == post.html
