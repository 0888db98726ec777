"""The jammer: hidden noise after every line break, as Discuz's jammer() makes it."""

from __future__ import annotations

import html
import random
import re

from fupan.markup import apply_jammer, render_bbcode
from fupan.markup.jammer import jammer_string
from fupan.markup.sanitize import sanitize_html

JAMMER_RE = re.compile(r'<span class="jammer" aria-hidden="true">([^<]*)</span>')


def test_noise_is_inserted_after_every_line_break() -> None:
    out = apply_jammer(render_bbcode("a\nb\nc"), random.Random(1))
    parts = re.split(r"<br>", out)
    assert len(parts) == 3
    assert all(JAMMER_RE.match(part) for part in parts[1:])
    assert out.startswith("a<br>")


def test_text_without_line_breaks_is_unchanged() -> None:
    html_text = render_bbcode("[b]x[/b] y")
    assert apply_jammer(html_text, random.Random(1)) == html_text


def test_noise_is_hidden_from_screen_readers() -> None:
    out = apply_jammer("a<br>b", random.Random(1))
    assert '<span class="jammer" aria-hidden="true">' in out


def test_seeded_random_gives_the_same_noise() -> None:
    source = render_bbcode("a\nb\n\nc")
    assert apply_jammer(source, random.Random(42)) == apply_jammer(source, random.Random(42))
    assert apply_jammer(source, random.Random(42)) != apply_jammer(source, random.Random(43))


def test_noise_without_rng_still_works() -> None:
    assert JAMMER_RE.search(apply_jammer("a<br>b"))


def test_noise_uses_discuz_character_ranges_and_length() -> None:
    rng = random.Random(7)
    for _ in range(500):
        noise = jammer_string(rng)
        assert len(noise) % 3 == 0
        assert 5 <= len(noise) // 3 <= 15
        for i in range(0, len(noise), 3):
            low, space, high = noise[i : i + 3]
            assert 32 <= ord(low) <= 59
            assert space == " "
            assert 63 <= ord(high) <= 126


def test_noise_is_html_escaped() -> None:
    rng = random.Random(3)
    out = apply_jammer("<br>" * 300, rng)
    contents = JAMMER_RE.findall(out)
    assert len(contents) == 300
    assert any("&amp;" in content for content in contents)
    for content in contents:
        assert "<" not in content
        assert ">" not in content
        assert re.search(r"&(?!amp;|lt;|gt;)", content) is None
        jammer_string_chars = html.unescape(content)
        assert all(32 <= ord(ch) <= 126 for ch in jammer_string_chars)


def test_jammed_output_passes_the_sanitiser_unchanged() -> None:
    source = render_bbcode(
        "第一行\n[quote]引用\n第二行[/quote]\n[list][*]a\nb[/list]\n[table]1|2\n3|4[/table]\nend"
    )
    for seed in range(20):
        jammed = apply_jammer(source, random.Random(seed))
        assert sanitize_html(jammed) == jammed


def test_line_breaks_inside_attribute_values_are_not_touched() -> None:
    source = '<a title="x<br>y" href="/a">t</a><br>'
    out = apply_jammer(source, random.Random(1))
    assert out.startswith('<a title="x<br>y" href="/a">t</a><br><span class="jammer"')
    assert out.count("jammer") == 1


def test_code_blocks_get_no_noise() -> None:
    out = apply_jammer(render_bbcode("[code]a\nb\nc[/code]"), random.Random(1))
    assert "jammer" not in out


def test_self_closing_br_forms_are_recognised() -> None:
    out = apply_jammer("a<br/>b<BR />c", random.Random(1))
    assert out.count('class="jammer"') == 2
