"""Discuz code rendering, tag by tag, plus escaping, URLs, smilies, attachments and plain text."""

from __future__ import annotations

import pytest

from fupan.markup import (
    ATTACH_MARKER_RE,
    SMILIES,
    MarkupOptions,
    attachment_ids,
    plain_text,
    render_bbcode,
    substitute_attachments,
)
from fupan.markup.bbcode import MAX_DEPTH
from fupan.markup.sanitize import (
    clean_color,
    clean_font_family,
    clean_font_size,
    clean_image_url,
    clean_link_url,
    sanitize_html,
)

REL = 'rel="nofollow ugc noopener noreferrer"'


def link(href: str, text: str) -> str:
    return f'<a href="{href}" target="_blank" {REL}>{text}</a>'


# --- escaping and text --------------------------------------------------------------------


def test_script_tag_in_text_shows_as_text() -> None:
    assert render_bbcode("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_html_attributes_in_text_are_not_parsed() -> None:
    out = render_bbcode('<img src=x onerror="alert(1)">')
    assert "<img" not in out
    assert out.startswith("&lt;img")


def test_ampersand_and_entities_are_shown_literally() -> None:
    assert render_bbcode("&amp; &#106;") == "&amp;amp; &amp;#106;"


def test_every_newline_becomes_br() -> None:
    assert render_bbcode("a\nb\r\nc\rd\n\ne") == "a<br>b<br>c<br>d<br><br>e"


def test_double_spaces_keep_their_width() -> None:
    assert render_bbcode("a  b   c") == "a&nbsp; b&nbsp;&nbsp; c"


def test_leading_spaces_of_a_paragraph_stay_visible() -> None:
    assert render_bbcode("x\n  第一段") == "x<br>&nbsp; 第一段"


def test_full_width_spaces_are_kept_as_they_are() -> None:
    assert render_bbcode("\u3000\u3000段落") == "\u3000\u3000段落"


def test_tab_is_four_spaces_wide() -> None:
    assert render_bbcode("\tx") == "&nbsp;&nbsp;&nbsp; x"


def test_control_characters_are_dropped() -> None:
    assert render_bbcode("a\x00b\x1bc") == "abc"


def test_lone_surrogate_does_not_crash() -> None:
    assert render_bbcode("a\ud800b") == "ab"


def test_empty_source_renders_empty() -> None:
    assert render_bbcode("") == ""


# --- simple tags --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[b]x[/b]", "<strong>x</strong>"),
        ("[B]x[/B]", "<strong>x</strong>"),
        ("[i]x[/i]", "<i>x</i>"),
        ("[i=s]本帖最后由 a 编辑[/i]", '<i class="pstatus">本帖最后由 a 编辑</i>'),
        ("[u]x[/u]", "<u>x</u>"),
        ("[s]x[/s]", "<s>x</s>"),
        ("[sup]2[/sup]", "<sup>2</sup>"),
        ("[sub]2[/sub]", "<sub>2</sub>"),
        ("a[hr]b", "a<hr>b"),
    ],
)
def test_simple_tag_renders_its_element(source: str, expected: str) -> None:
    assert render_bbcode(source) == expected


def test_unknown_tag_is_left_as_text() -> None:
    assert render_bbcode("[blink]x[/blink]") == "[blink]x[/blink]"


def test_unclosed_tag_is_left_as_text() -> None:
    assert render_bbcode("[b]x") == "[b]x"


def test_stray_closing_tag_is_left_as_text() -> None:
    assert render_bbcode("x[/b]") == "x[/b]"


def test_misnested_tags_close_properly_and_leftover_stays_text() -> None:
    assert render_bbcode("[b][i]x[/b][/i]") == "<strong>[i]x</strong>[/i]"


def test_tag_with_parameter_it_does_not_take_is_text() -> None:
    assert render_bbcode("[b=1]x[/b]") == "[b=1]x[/b]"


def test_i_with_unknown_parameter_is_text() -> None:
    assert render_bbcode("[i=x]y[/i]") == "[i=x]y[/i]"


# --- styled tags --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "style"),
    [
        ("[color=red]x[/color]", "color:red"),
        ("[color=#F00]x[/color]", "color:#f00"),
        ("[color=#ff0000]x[/color]", "color:#ff0000"),
        ("[color=ff0000]x[/color]", "color:#ff0000"),
        ("[color=rgb(1, 2,3)]x[/color]", "color:rgb(1, 2, 3)"),
        ("[color=rgba(255,0,0,0.5)]x[/color]", "color:rgba(255, 0, 0, 0.5)"),
        ("[backcolor=yellow]x[/backcolor]", "background-color:yellow"),
        ("[size=1]x[/size]", "font-size:10px"),
        ("[size=7]x[/size]", "font-size:48px"),
        ("[size=14px]x[/size]", "font-size:14px"),
        ("[size=10.5pt]x[/size]", "font-size:10.5pt"),
        ("[font=微软雅黑]x[/font]", "font-family:微软雅黑"),
        ("[font=Arial Black]x[/font]", "font-family:Arial Black"),
        ("[float=left]x[/float]", "float:left"),
    ],
)
def test_style_tag_renders_checked_span(source: str, style: str) -> None:
    assert render_bbcode(source) == f'<span style="{style}">x</span>'


@pytest.mark.parametrize(
    "source",
    [
        "[color=expression(alert(1))]x[/color]",
        "[color=red;background:url(x)]x[/color]",
        "[color=rgb(300,0,0)]x[/color]",
        "[color=url(javascript:x)]x[/color]",
        "[backcolor=#12345]x[/backcolor]",
        "[size=8]x[/size]",
        "[size=49px]x[/size]",
        "[size=2px]x[/size]",
        "[size=1em]x[/size]",
        "[font=Arial;color:red]x[/font]",
        '[font=a"b]x[/font]',
        "[font=a\\62 c]x[/font]",
        "[float=none]x[/float]",
        "[align=justify]x[/align]",
        "[p=1,2]x[/p]",
    ],
)
def test_style_tag_with_bad_value_keeps_only_its_content(source: str) -> None:
    assert render_bbcode(source) == "x"


def test_quoted_parameter_is_unquoted() -> None:
    assert render_bbcode('[font="Arial"]x[/font]') == '<span style="font-family:Arial">x</span>'


def test_align_renders_div() -> None:
    assert render_bbcode("[align=center]x[/align]") == '<div style="text-align:center">x</div>'


def test_p_renders_div_with_line_height_indent_and_align() -> None:
    assert render_bbcode("[p=30, 2, left]x[/p]") == (
        '<div style="line-height:30px;text-indent:2em;text-align:left">x</div>'
    )


def test_indent_renders_blockquote() -> None:
    assert render_bbcode("[indent]x[/indent]") == '<blockquote class="indent">x</blockquote>'


def test_css_value_checks() -> None:
    assert clean_color("Navy") == "navy"
    assert clean_color("javascript") is None
    assert clean_font_size("3") == "16px"
    assert clean_font_size("0") is None
    assert clean_font_family(" Arial , 宋体 ") == "Arial,宋体"
    assert clean_font_family("x(y)") is None


# --- quotes, hide, free, code -------------------------------------------------------------


def test_quote_renders_blockquote() -> None:
    assert render_bbcode("[quote]x[/quote]") == '<blockquote class="quote">x</blockquote>'


def test_quote_nested_twice_renders_two_blockquotes() -> None:
    out = render_bbcode("[quote][quote]inner[/quote]outer[/quote]")
    assert out == (
        '<blockquote class="quote"><blockquote class="quote">inner</blockquote>outer</blockquote>'
    )


def test_discuz_reply_quote_renders() -> None:
    source = "[quote][size=2][color=#999999]admin 发表于 2020-1-1 12:00[/color][/size]\n原文[/quote]\n回复"
    assert render_bbcode(source) == (
        '<blockquote class="quote"><span style="font-size:13px"><span style="color:#999999">'
        "admin 发表于 2020-1-1 12:00</span></span><br>原文</blockquote>回复"
    )


def test_free_renders_like_quote() -> None:
    assert render_bbcode("[free]x[/free]") == '<blockquote class="quote free">x</blockquote>'


def test_hide_renders_hide_block() -> None:
    assert render_bbcode("[hide]x[/hide]") == '<div class="hide-block">x</div>'


@pytest.mark.parametrize("param", ["50", "d3,50", "d3", "nonsense"])
def test_hide_with_any_parameter_still_hides(param: str) -> None:
    assert render_bbcode(f"[hide={param}]x[/hide]") == '<div class="hide-block">x</div>'


def test_code_content_is_not_parsed() -> None:
    out = render_bbcode("[code][b]x[/b] :) http://a.com <i>[/code]")
    assert out == '<pre class="code"><code>[b]x[/b] :) http://a.com &lt;i&gt;</code></pre>'


def test_code_keeps_newlines_and_drops_the_first_and_last() -> None:
    out = render_bbcode("[code]\nline1\n\tline2\n[/code]")
    assert out == '<pre class="code"><code>line1\n\tline2</code></pre>'


def test_code_ends_at_the_first_closing_tag() -> None:
    out = render_bbcode("[code]a[code]b[/code]c[/code]")
    assert out == '<pre class="code"><code>a[code]b</code></pre>c[/code]'


def test_unclosed_code_is_text_and_the_rest_is_parsed() -> None:
    assert render_bbcode("[code][b]x[/b]") == "[code]<strong>x</strong>"


def test_empty_code_is_text() -> None:
    assert render_bbcode("[code][/code]") == "[code][/code]"


# --- line breaks around blocks ------------------------------------------------------------


def test_block_absorbs_one_newline_on_each_side_and_inside() -> None:
    out = render_bbcode("a\n[quote]\nq\n[/quote]\nb")
    assert out == 'a<blockquote class="quote">q</blockquote>b'


def test_extra_newlines_around_a_block_still_break() -> None:
    out = render_bbcode("a\n\n[quote]q[/quote]\n\nb")
    assert out == 'a<br><blockquote class="quote">q</blockquote><br>b'


def test_newline_after_hr_is_absorbed() -> None:
    assert render_bbcode("a\n[hr]\nb") == "a<hr>b"


def test_newline_after_code_is_absorbed() -> None:
    assert render_bbcode("[code]x[/code]\nb") == '<pre class="code"><code>x</code></pre>b'


def test_newline_after_inline_tag_is_kept() -> None:
    assert render_bbcode("[b]a[/b]\nb") == "<strong>a</strong><br>b"


def test_newline_around_invalid_block_is_kept() -> None:
    assert render_bbcode("a\n[align=bad]x[/align]\nb") == "a<br>x<br>b"


# --- lists --------------------------------------------------------------------------------


def test_list_renders_items_without_stray_breaks() -> None:
    assert render_bbcode("[list]\n[*]one\n[*]two\n[/list]\nafter") == (
        "<ul><li>one</li><li>two</li></ul>after"
    )


@pytest.mark.parametrize("kind", ["1", "a", "A"])
def test_ordered_list_types(kind: str) -> None:
    assert render_bbcode(f"[list={kind}][*]x[/list]") == f'<ol type="{kind}"><li>x</li></ol>'


def test_list_with_unknown_type_is_bulleted() -> None:
    assert render_bbcode("[list=z][*]x[/list]") == "<ul><li>x</li></ul>"


def test_text_before_first_item_gets_its_own_item() -> None:
    assert render_bbcode("[list]lead[*]x[/list]") == "<ul><li>lead</li><li>x</li></ul>"


def test_star_outside_a_list_is_text() -> None:
    assert render_bbcode("[*]x") == "[*]x"


def test_nested_lists() -> None:
    out = render_bbcode("[list][*]a[list][*]b[/list][*]c[/list]")
    assert out == "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"


def test_unclosed_list_items_are_text() -> None:
    assert render_bbcode("[list][*]a") == "[list][*]a"


# --- tables -------------------------------------------------------------------------------


def test_table_with_rows_and_cells() -> None:
    out = render_bbcode("[table]\n[tr][td]a[/td][td]b[/td][/tr]\n[/table]")
    assert out == (
        '<table class="bbcode-table"><tbody><tr><td>a</td><td>b</td></tr></tbody></table>'
    )


def test_table_width_and_background() -> None:
    out = render_bbcode("[table=50%,#eee][tr][td]a[/td][/tr][/table]")
    assert out.startswith(
        '<table class="bbcode-table" style="width:50%;background-color:#eee"><tbody>'
    )


def test_table_wider_than_discuz_allows_is_98_percent() -> None:
    assert 'style="width:98%"' in render_bbcode("[table=900][tr][td]a[/td][/tr][/table]")


def test_cell_span_and_width() -> None:
    out = render_bbcode("[table][tr][td=2,3,40%]a[/td][/tr][/table]")
    assert '<td colspan="2" rowspan="3" style="width:40%">a</td>' in out


def test_row_background_color() -> None:
    out = render_bbcode("[table][tr=red][td]a[/td][/tr][/table]")
    assert '<tr style="background-color:red"><td>a</td></tr>' in out


def test_unclosed_cells_and_rows_end_with_the_table() -> None:
    out = render_bbcode("[table][tr][td]a[td]b[tr][td]c[/table]")
    assert out == (
        '<table class="bbcode-table"><tbody><tr><td>a</td><td>b</td></tr>'
        "<tr><td>c</td></tr></tbody></table>"
    )


def test_pipe_table_splits_lines_and_bars() -> None:
    out = render_bbcode("[table]\na|b\nc\\|d|[b]e[/b]\n[/table]")
    assert out == (
        '<table class="bbcode-table"><tbody><tr><td>a</td><td>b</td></tr>'
        "<tr><td>c|d</td><td><strong>e</strong></td></tr></tbody></table>"
    )


def test_cell_outside_a_row_is_text() -> None:
    assert render_bbcode("[td]x[/td]") == "[td]x[/td]"


def test_unclosed_table_shows_its_rows_as_text() -> None:
    assert render_bbcode("[table][tr][td]x[/td][/tr]") == "[table][tr][td]x[/td][/tr]"


# --- links --------------------------------------------------------------------------------


def test_url_tag_links_its_content() -> None:
    assert render_bbcode("[url]https://example.com/a[/url]") == link(
        "https://example.com/a", "https://example.com/a"
    )


def test_url_with_target_links_the_text() -> None:
    assert render_bbcode("[url=https://example.com]站点[/url]") == link(
        "https://example.com", "站点"
    )


def test_url_text_may_hold_tags() -> None:
    assert render_bbcode("[url=https://a.com][b]x[/b][/url]") == link(
        "https://a.com", "<strong>x</strong>"
    )


def test_long_url_text_is_shortened_like_discuz() -> None:
    url = "https://example.com/" + "a" * 40 + "/" + "b" * 20
    out = render_bbcode(f"[url]{url}[/url]")
    assert f">{url[:32]} ... {url[-19:]}</a>" in out
    assert f'href="{url}"' in out


def test_www_gets_http() -> None:
    assert render_bbcode("[url]www.example.com[/url]") == link(
        "http://www.example.com", "www.example.com"
    )


def test_protocol_relative_url_becomes_https() -> None:
    assert render_bbcode("[url=//example.com/x]e[/url]") == link("https://example.com/x", "e")


def test_site_relative_url_is_kept() -> None:
    assert render_bbcode("[url=/t/1]t[/url]") == link("/t/1", "t")


@pytest.mark.parametrize(
    ("target", "href"),
    [
        ("forum.php?mod=viewthread&tid=1", "/forum.php?mod=viewthread&amp;tid=1"),
        ("thread-1-1-1.html", "/thread-1-1-1.html"),
        ("home.php?mod=space&uid=1", "/home.php?mod=space&amp;uid=1"),
    ],
)
def test_discuz_legacy_relative_links_resolve_from_the_site_root(target: str, href: str) -> None:
    assert render_bbcode(f"[url={target}]x[/url]") == link(href, "x")


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "C:/Windows/win.ini",
        "example.com",
        "http://",
        "\x01javascript:alert(1)",
    ],
)
def test_url_with_bad_scheme_shows_only_the_text(target: str) -> None:
    out = render_bbcode(f"[url={target}]click[/url]")
    assert "<a" not in out
    assert "click" in out


def test_bare_bad_url_is_shown_as_text() -> None:
    assert render_bbcode("[url]javascript:alert(1)[/url]") == "javascript:alert(1)"


@pytest.mark.parametrize(
    ("target", "href"),
    [
        ("ftp://files.example.com/a", "ftp://files.example.com/a"),
        ("tel:+86-10-1234", "tel:+86-10-1234"),
        ("magnet:?xt=urn:btih:abc", "magnet:?xt=urn:btih:abc"),
        ("mailto:a@example.com", "mailto:a@example.com"),
    ],
)
def test_other_allowed_schemes_link(target: str, href: str) -> None:
    assert render_bbcode(f"[url={target}]x[/url]") == link(href, "x")


def test_url_inside_url_is_not_a_second_link() -> None:
    out = render_bbcode("[url=https://a.com]x [url]https://b.com[/url][/url]")
    assert out.count("<a ") == 1


def test_spaces_and_quotes_in_urls_are_percent_encoded() -> None:
    assert clean_link_url('http://a.com/x y"z<') == "http://a.com/x%20y%22z%3C"


def test_backslash_path_is_not_a_protocol_relative_url() -> None:
    assert clean_link_url("/\\evil.com") is None
    assert clean_image_url("/\\evil.com") is None


def test_email_tag_links_address() -> None:
    assert render_bbcode("[email]a@example.com[/email]") == link(
        "mailto:a@example.com", "a@example.com"
    )


def test_email_with_address_links_text() -> None:
    assert render_bbcode("[email=a@example.com]写信[/email]") == link(
        "mailto:a@example.com", "写信"
    )


def test_invalid_email_is_text() -> None:
    assert render_bbcode("[email]not an address[/email]") == "not an address"


def test_bare_urls_become_links() -> None:
    assert render_bbcode("see https://example.com/a?b=1&c=2.") == (
        "see "
        + link("https://example.com/a?b=1&amp;c=2", "https://example.com/a?b=1&amp;c=2")
        + "."
    )


def test_bare_www_url_becomes_link() -> None:
    assert render_bbcode("www.example.com") == link("http://www.example.com", "www.example.com")


def test_bare_url_stops_at_chinese_text() -> None:
    assert (
        render_bbcode("看http://x.cn/a谢谢")
        == "看" + link("http://x.cn/a", "http://x.cn/a") + "谢谢"
    )


def test_bare_url_keeps_balanced_parentheses() -> None:
    out = render_bbcode("(see https://en.wikipedia.org/wiki/A_(b))")
    assert 'href="https://en.wikipedia.org/wiki/A_(b)"' in out
    assert out.endswith("</a>)")


def test_bare_url_in_link_text_is_not_linked_again() -> None:
    out = render_bbcode("[url=https://a.com]https://b.com[/url]")
    assert out == link("https://a.com", "https://b.com")


def test_bare_urls_are_not_linked_when_bbcode_is_off() -> None:
    assert render_bbcode("https://a.com", MarkupOptions(bbcode=False)) == "https://a.com"


# --- images and media ---------------------------------------------------------------------


def test_img_renders_lazy_image() -> None:
    assert render_bbcode("[img]https://x.com/a.png[/img]") == (
        '<img src="https://x.com/a.png" alt="" loading="lazy" class="bbcode-img">'
    )


def test_img_size_is_kept() -> None:
    assert 'width="300" height="200"' in render_bbcode("[img=300,200]https://x.com/a.png[/img]")


def test_img_size_with_x_separator() -> None:
    assert 'width="30" height="20"' in render_bbcode("[img=30x20]https://x.com/a.png[/img]")


def test_img_wider_than_the_limit_is_clamped_and_height_scaled() -> None:
    out = render_bbcode("[img=1200,800]https://x.com/a.png[/img]")
    assert 'width="600" height="400"' in out


def test_img_clamp_follows_options() -> None:
    out = render_bbcode(
        "[img=400,100]https://x.com/a.png[/img]", MarkupOptions(max_image_width=200)
    )
    assert 'width="200" height="50"' in out


def test_protocol_relative_img_becomes_https() -> None:
    assert 'src="https://x.com/a.png"' in render_bbcode("[img]//x.com/a.png[/img]")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "file:///c:/a.png",
        "C:\\a.png",
        "ftp://x.com/a.png",
        "x.png",
    ],
)
def test_img_with_bad_url_is_text(url: str) -> None:
    out = render_bbcode(f"[img]{url}[/img]")
    assert "<img" not in out
    assert "<a" not in out


def test_img_with_images_off_is_a_link() -> None:
    out = render_bbcode("[img]https://x.com/a.png[/img]", MarkupOptions(images=False))
    assert out == link("https://x.com/a.png", "https://x.com/a.png")


def test_img_inside_url_is_a_linked_image() -> None:
    out = render_bbcode("[url=https://a.com][img]https://x.com/a.png[/img][/url]")
    assert out.startswith('<a href="https://a.com"')
    assert "<img " in out


@pytest.mark.parametrize(
    "source",
    [
        "[media=mp4,500,375]https://v.com/a.mp4[/media]",
        "[audio]https://v.com/a.mp3[/audio]",
        "[flash=400,300]https://v.com/a.swf[/flash]",
    ],
)
def test_media_audio_and_flash_are_plain_links(source: str) -> None:
    out = render_bbcode(source)
    assert out.startswith('<a href="https://v.com/a.')
    assert "<iframe" not in out
    assert "<object" not in out


def test_qq_renders_a_link() -> None:
    out = render_bbcode("[qq]123456[/qq]")
    assert out.startswith('<a href="https://wpa.qq.com/msgrd?v=3&amp;uin=123456')
    assert ">QQ: 123456</a>" in out


def test_qq_with_non_digits_is_text() -> None:
    assert render_bbcode("[qq]abc[/qq]") == "[qq]abc[/qq]"


# --- attachments --------------------------------------------------------------------------


def test_attach_renders_marker() -> None:
    assert (
        render_bbcode("[attach]12[/attach]") == '<span class="fupan-attach" data-aid="12"></span>'
    )


def test_attachimg_renders_the_same_marker() -> None:
    assert render_bbcode("[attachimg] 7 [/attachimg]") == (
        '<span class="fupan-attach" data-aid="7"></span>'
    )


def test_attach_with_non_digits_is_text() -> None:
    assert render_bbcode('[attach]1" onload="x[/attach]') == '[attach]1" onload="x[/attach]'


def test_attach_marker_survives_with_bbcode_off() -> None:
    out = render_bbcode("[b]x[/b][attach]3[/attach]", MarkupOptions(bbcode=False))
    assert out == '[b]x[/b]<span class="fupan-attach" data-aid="3"></span>'


def test_attach_marker_regex_matches_rendered_marker() -> None:
    match = ATTACH_MARKER_RE.search(render_bbcode("x[attach]0042[/attach]"))
    assert match is not None
    assert match.group("aid") == "42"


def test_substitute_attachments_replaces_each_marker() -> None:
    html = render_bbcode("[attach]1[/attach] and [attach]2[/attach]")
    out = substitute_attachments(html, lambda aid: f"<figure>{aid}</figure>")
    assert out == "<figure>1</figure> and <figure>2</figure>"


def test_attachment_ids_are_in_order_and_unique() -> None:
    source = "[attach]3[/attach][attachimg]1[/attachimg][quote][attach]3[/attach][attach]2[/attach][/quote]"
    assert attachment_ids(source) == [3, 1, 2]


def test_attachment_ids_ignore_code_blocks_and_bad_ids() -> None:
    assert attachment_ids("[code][attach]1[/attach][/code][attach]x[/attach]") == []


# --- smilies ------------------------------------------------------------------------------


def test_smiley_renders_emoji_span() -> None:
    assert render_bbcode(":)") == (
        '<span class="smiley" title=":)" role="img" aria-label="微笑">🙂</span>'
    )


def test_longer_smiley_code_wins() -> None:
    assert 'title=":\'("' in render_bbcode(":'(")


def test_smiley_packs_from_discuz_are_all_present() -> None:
    codes = {smiley.code for smiley in SMILIES}
    assert len(SMILIES) == 24 + 16 + 24
    assert {":handshake", ":loveliness:", "{:2_25:}", "{:2_40:}", "{:3_41:}", "{:3_64:}"} <= codes


def test_every_smiley_renders() -> None:
    for smiley in SMILIES:
        assert smiley.emoji in render_bbcode(f"x {smiley.code} x"), smiley.code


def test_each_smiley_code_is_replaced_at_most_ten_times() -> None:
    out = render_bbcode(":) " * 12 + ":(")
    assert out.count("🙂") == 10
    assert out.count(":)") == 10 + 2  # ten titles and two left as text
    assert out.count("🙁") == 1


def test_smiley_followed_by_a_letter_is_text() -> None:
    assert render_bbcode("Note:Do it") == "Note:Do it"


def test_smilies_are_not_replaced_inside_code() -> None:
    assert "smiley" not in render_bbcode("[code]:)[/code]")


def test_smilies_are_not_replaced_inside_urls() -> None:
    out = render_bbcode("https://a.com/:D/x")
    assert "smiley" not in out


def test_smilies_off_leaves_codes() -> None:
    assert render_bbcode(":)", MarkupOptions(smilies=False)) == ":)"


def test_smilies_still_work_with_bbcode_off() -> None:
    assert "🙂" in render_bbcode("[b]:)[/b]", MarkupOptions(bbcode=False))


# --- robustness ---------------------------------------------------------------------------


def without_wbr(html: str) -> str:
    # Long text runs are split by <wbr> (see bbcode._chunked); it shows and copies as nothing.
    return html.replace("<wbr>", "")


def test_deep_nesting_stays_text_beyond_the_limit() -> None:
    out = without_wbr(render_bbcode("[quote]" * 10_000 + "x" + "[/quote]" * 10_000))
    assert out.count("<blockquote") == MAX_DEPTH
    assert out.count("[quote]") == 10_000 - MAX_DEPTH


def test_deep_unclosed_nesting_renders_as_text() -> None:
    assert without_wbr(render_bbcode("[b]" * 10_000)) == "[b]" * 10_000


def test_megabyte_of_tags_renders() -> None:
    out = render_bbcode("[b]x[/b][i]y[/i]" * 70_000)
    assert out.count("<strong>") == 70_000


def test_long_text_is_split_by_wbr_without_losing_characters() -> None:
    out = render_bbcode("&" * 5000)
    assert "<wbr>" in out
    assert without_wbr(out) == "&amp;" * 5000


def test_output_is_stable_under_sanitising_again() -> None:
    source = (
        "[quote]a\n[list][*][b]x[/b][*][table][tr][td]1[/td][/tr][/table][/list][/quote]\n"
        "[code]<x>[/code][img=1000,500]https://a/b.png[/img] :) [attach]1[/attach]"
    )
    out = render_bbcode(source)
    assert sanitize_html(out) == out


# --- plain text ---------------------------------------------------------------------------


def test_plain_text_removes_tags() -> None:
    assert plain_text("[b]粗[/b] [color=red]红[/color]") == "粗 红"


def test_plain_text_keeps_quotes_as_text() -> None:
    assert plain_text("[quote]原文[/quote]回复") == "原文\n回复"


def test_plain_text_keeps_link_text_and_urls() -> None:
    assert plain_text("[url=https://a.com]站点[/url] [url]https://b.com[/url]") == (
        "站点 https://b.com"
    )


def test_plain_text_drops_images_attachments_and_hidden_content() -> None:
    assert plain_text("a[img]https://x/a.png[/img][attach]1[/attach][hide]秘密[/hide]b") == "ab"


def test_plain_text_keeps_code_and_unmatched_tags() -> None:
    assert plain_text("[code][b]x[/b][/code] [b]y") == "[b]x[/b] [b]y"


def test_plain_text_does_not_escape_html() -> None:
    assert plain_text("<b> & [b]x[/b]") == "<b> & x"


def test_plain_text_list_items_are_on_their_own_lines() -> None:
    assert plain_text("[list][*]a[*]b[/list]") == "a\nb"


def test_renderer_failure_falls_back_to_escaped_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from fupan.markup import bbcode

    def broken(source: str, options: MarkupOptions) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(bbcode, "_render", broken)
    assert render_bbcode("<b>x</b>\n[b]y[/b]") == "&lt;b&gt;x&lt;/b&gt;<br>[b]y[/b]"
