"""Property tests: whatever the source, rendered posts carry no script, handlers or bad URLs."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupan.markup import MarkupOptions, apply_jammer, plain_text, render_bbcode
from fupan.markup.bbcode import _render
from fupan.markup.sanitize import ALLOWED_STYLE_PROPERTIES, URL_SCHEMES, sanitize_html

FORBIDDEN_SCHEMES = {"javascript", "vbscript", "data", "file"}
FRAGMENTS = [
    *"[]=\"'<>/\\;:,#()|*&\n\t ",
    "[url=",
    "[url]",
    "[/url]",
    "[img]",
    "[img=",
    "[/img]",
    "100,100]",
    "[email]",
    "[email=",
    "[/email]",
    "[color=",
    "[/color]",
    "[backcolor=",
    "[size=",
    "[/size]",
    "[font=",
    "[/font]",
    "[align=",
    "[p=",
    "[float=",
    "[b]",
    "[/b]",
    "[i=s]",
    "[quote]",
    "[/quote]",
    "[code]",
    "[/code]",
    "[hide]",
    "[/hide]",
    "[list]",
    "[list=1]",
    "[*]",
    "[/list]",
    "[table]",
    "[table=",
    "[tr]",
    "[tr=",
    "[td]",
    "[td=",
    "[/td]",
    "[/tr]",
    "[/table]",
    "[attach]",
    "[/attach]",
    "[media]",
    "[/media]",
    "[qq]",
    "[/qq]",
    "[hr]",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    " javascript:",
    "\x01javascript:",
    "vbscript:",
    "data:text/html,",
    "data:image/svg+xml,",
    "file:///",
    "C:\\",
    "http://",
    "https://a.com/",
    "www.",
    "//evil.com",
    "/\\evil.com",
    "forum.php?",
    "mailto:",
    "tel:",
    "magnet:?",
    "onerror=",
    " onload=",
    "onclick=alert(1)",
    "style=",
    "&#",
    "&#106;",
    "&#x6a;",
    "&colon;",
    "expression(",
    "url(",
    "rgb(",
    "red",
    "12px",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=javascript:x>",
    "-->",
    "<!--",
    ":)",
    ":'(",
    "{:2_25:}",
    "1",
    "x",
    "中文",
    "\u3000",
    "\u00a0",
]

grammar_sources = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40
).map("".join)
any_sources = st.one_of(st.text(max_size=300), grammar_sources)
options = st.builds(
    MarkupOptions,
    bbcode=st.booleans(),
    smilies=st.booleans(),
    images=st.booleans(),
    max_image_width=st.integers(min_value=0, max_value=2000),
)

_CONTROL_OR_SPACE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in {"script", "style", "iframe", "object", "embed", "svg", "math"}
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            value = value or ""  # HTMLParser has already decoded character references
            if name in {"href", "src"}:
                bare = _CONTROL_OR_SPACE_RE.sub("", value).lower()
                match = _SCHEME_RE.match(bare)
                if match:
                    assert match.group(1) not in FORBIDDEN_SCHEMES, value
                    assert match.group(1) in URL_SCHEMES, value
                else:
                    assert bare.startswith("/") and not bare.startswith("//"), value
            if name == "style":
                lowered = value.lower()
                assert "url(" not in lowered and "expression(" not in lowered, value
                assert "\\" not in value and "javascript:" not in lowered, value
                for declaration in filter(None, (d.strip() for d in value.split(";"))):
                    prop = declaration.split(":", 1)[0].strip().lower()
                    assert prop in ALLOWED_STYLE_PROPERTIES, value


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>x</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        '<a href="//evil.com">x</a>',
        '<span style="background:url(x)">x</span>',
        '<span style="color:expression(alert(1))">x</span>',
    ],
)
def test_safety_checker_catches_unsafe_html(unsafe: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe(unsafe)


SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(source=any_sources, opts=options)
def test_rendering_never_raises_and_output_is_safe(source: str, opts: MarkupOptions) -> None:
    # _render is render_bbcode without its plain-text fallback, so a crash shows up here.
    out = _render(source, opts)
    assert_safe(out)


@SETTINGS
@given(source=grammar_sources)
def test_tag_soup_output_is_safe(source: str) -> None:
    assert_safe(render_bbcode(source))


@SETTINGS
@given(source=any_sources, opts=options)
def test_output_is_unchanged_by_sanitising_again(source: str, opts: MarkupOptions) -> None:
    out = render_bbcode(source, opts)
    assert sanitize_html(out) == out


@SETTINGS
@given(source=any_sources, seed=st.integers(min_value=0, max_value=2**32))
def test_jammed_output_is_safe_and_unchanged_by_the_sanitiser(source: str, seed: int) -> None:
    jammed = apply_jammer(render_bbcode(source), random.Random(seed))
    assert_safe(jammed)
    assert sanitize_html(jammed) == jammed


@SETTINGS
@given(source=any_sources)
def test_plain_text_never_raises(source: str) -> None:
    assert isinstance(plain_text(source), str)


@settings(max_examples=60, deadline=None)
@given(
    source=st.lists(st.sampled_from(["[quote]", "[b]", "[list]", "[*]", "[/b]", "[/quote]"])).map(
        lambda parts: "".join(parts * 200)
    )
)
def test_deep_and_long_tag_runs_render(source: str) -> None:
    assert_safe(_render(source, MarkupOptions()))
