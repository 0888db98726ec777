"""``fupan bench http-pair``: how a site is named, and how turns become a figure."""

from __future__ import annotations

import pytest

from fupan.bench.pair import parse_env, site_env, summarize


def test_a_site_is_named_by_its_variables():
    assert parse_env(["DATABASE_URL=postgres://h/db?x=1", "REDIS_URL=redis://h/5"], "small") == {
        "DATABASE_URL": "postgres://h/db?x=1",
        "REDIS_URL": "redis://h/5",
    }


@pytest.mark.parametrize("bad", ["postgres://h/db", "=x", "database_url=x"])
def test_anything_else_is_refused_with_an_example(bad):
    with pytest.raises(SystemExit) as exc:
        parse_env([bad], "large")
    message = str(exc.value)
    assert repr(bad) in message and "--large DATABASE_URL=postgres://" in message


def test_a_site_must_be_named():
    with pytest.raises(SystemExit) as exc:
        parse_env([], "small")
    assert "--small DATABASE_URL=postgres://" in str(exc.value)


def test_a_site_does_not_inherit_the_callers_database_or_cache():
    caller = {"PATH": "/bin", "DATABASE_URL": "postgres://h/main", "REDIS_URL": "redis://h/0"}
    env = site_env({"FUPAN_VAR_DIR": "/tmp/small"}, base=caller)
    # A SQLite site (its var dir) must not be served from the caller's PostgreSQL.
    assert env == {"PATH": "/bin", "FUPAN_VAR_DIR": "/tmp/small"}


def test_the_figure_is_the_median_of_the_rounds_ratios():
    # (small, large) requests/s per round: the large site takes 1.2×, 1.5× and 1.25× as long.
    result = summarize(
        "seed", "seed thread", "guest", [(600.0, 500.0), (450.0, 300.0), (500.0, 400.0)]
    )
    assert result.ratio == pytest.approx(1.25)
    assert (result.lowest, result.highest) == (pytest.approx(1.2), pytest.approx(1.5))
    assert (result.small_rps, result.large_rps) == (500.0, 400.0)
