"""``fupan.core.routes.url`` gives exactly what ``reverse`` gives, and the same errors."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.base import set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from fupan.core.routes import _pieces as kept
from fupan.core.routes import url


def _routes() -> list[tuple[str, int]]:
    """Every named route of the site with the number of its arguments."""
    found: list[tuple[str, int]] = []

    def walk(patterns: list, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.append((namespace + p.name, len(p.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_integer_route_matches_reverse() -> None:
    checked = 0
    for name, count in _routes():
        args = [7 + i for i in range(count)]
        try:
            expected = reverse(name, args=args or None)
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                url(name, *args)
            continue
        assert url(name, *args) == expected, name
        assert url(name, *args) == expected, name  # again, from the kept pieces
        checked += 1
    assert checked > 50


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**6))
def test_floor_links_for_any_numbers(tid: int, floor: int) -> None:
    assert url("forum:floor", tid, floor) == reverse("forum:floor", args=[tid, floor])
    assert url("forum:thread", tid) == f"/t/{tid}/"


def test_words_and_other_text() -> None:
    assert url("accounts:avatar", 3, "small") == reverse("accounts:avatar", args=[3, "small"])
    # A negative id or text the route refuses fails as reverse fails.
    with pytest.raises(NoReverseMatch):
        url("forum:thread", -1)
    with pytest.raises(NoReverseMatch):
        url("forum:thread", "a/b")
    with pytest.raises(NoReverseMatch):
        url("no-such-route", 1)


def test_script_prefix_is_kept_apart() -> None:
    assert url("forum:thread", 5) == "/t/5/"
    set_script_prefix("/forum/")
    try:
        assert url("forum:thread", 5) == "/forum/t/5/"
    finally:
        set_script_prefix("/")
    assert url("forum:thread", 5) == "/t/5/"


def test_a_new_urlconf_forgets_the_pieces(settings) -> None:
    url("forum:thread", 5)
    assert kept
    settings.ROOT_URLCONF = "fupan.conf.urls"
    assert not kept
