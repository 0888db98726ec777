from __future__ import annotations

from fupan.importers.discuz import convert


def test_highlight_splits_style_and_colour():
    assert convert.highlight_color(41) == ("#EE1B2E", True)
    assert convert.highlight_color(8) == ("#EC1282", False)
    assert convert.highlight_color(40) == ("", True)
    assert convert.highlight_color(0) == ("", False)


def test_post_status_bits_give_the_client():
    assert convert.post_client(0) == 0 and convert.post_client(1) == 0
    assert convert.post_client(8) == 1  # mobile web
    assert convert.post_client(8 | 1 << 7) == 2  # iOS
    assert convert.post_client(8 | 2 << 7) == 3  # Android
    assert convert.post_client(8 | 5 << 7) == 5  # WeChat


def test_permission_lists_are_tab_separated_group_ids():
    assert convert.permission_groups("\t1\t2\t10\t") == {1, 2, 10}
    assert convert.permission_groups("") is None and convert.permission_groups("\t\t") is None


def test_passwords_keep_discuz_formats():
    assert convert.password_field("0" * 32, "abc123") == f"discuz_md5$abc123${'0' * 32}"
    bcrypt = "$2y$10$" + "a" * 53
    assert convert.password_field(bcrypt, "") == f"discuz_bcrypt${bcrypt}"
    assert convert.password_field("short", "") is None
    assert convert.password_field("0" * 32, "toolongsalt") is None  # third-party converters


def test_text_that_is_not_utf8_is_read_as_gbk_or_repaired():
    assert convert.decode_text("中文".encode()) == ("中文", None)
    assert convert.decode_text("中文".encode("gbk"))[0] == "中文"
    text, problem = convert.decode_text(b"\xff\xfe!")
    assert text.endswith("!") and "replaced" in (problem or "")


def test_ips_dates_and_colours_are_checked():
    assert convert.clean_ip("Manual Acting") is None and convert.clean_ip("::1") == "::1"
    assert convert.to_datetime(0) is None and convert.to_datetime(1704067200).year == 2024
    assert convert.clean_color("#ff0000") == "#FF0000" and convert.clean_color("red") == ""


def test_signature_html_turns_back_into_discuz_code():
    html = '<font color="red">红</font><br /><img src="https://x.example/a.png" border="0" />&amp;'
    assert (
        convert.signature_code(html) == "[color=red]红[/color]\n[img]https://x.example/a.png[/img]&"
    )
    assert convert.signature_code("plain [b]code[/b]") == "plain [b]code[/b]"
