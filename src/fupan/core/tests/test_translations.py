"""The message catalogs: complete for zh_Hans, English falls back to msgids, and the pure-Python
tool (extraction, .po merge, .mo compiler) agrees with GNU gettext."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import engines
from django.utils import translation

from fupan.core import i18n

MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed")


# --- the real catalogs --------------------------------------------------------------------------


def test_zh_hans_catalog_covers_every_msgid_in_the_sources():
    extraction = i18n.extract()
    assert len(extraction.messages) > 100
    problems = i18n.check(extraction)
    assert problems == [], "run `fupan manage update_translations` and translate:\n" + "\n".join(
        problems
    )


def test_check_command_passes():
    call_command("update_translations", check=True, stdout=io.StringIO(), stderr=io.StringIO())


def test_catalogs_exist_for_every_language():
    assert set(i18n.locales()) == {"zh_Hans", "en"}
    for locale in i18n.locales():
        assert i18n.po_path(locale).exists()
        assert i18n.po_path(locale).with_suffix(".mo").exists()
    zh = i18n.read_catalog("zh_Hans")
    en = i18n.read_catalog("en")
    assert zh is not None and en is not None
    assert zh.header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert en.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not any(e.translated for e in en.entries), (
        "English is the source language: msgstr stay empty"
    )


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("Copy link", "复制链接"),
        ("Show all floors", "显示全部楼层"),
        ("Only this author", "只看该作者"),
        ("from mobile", "来自手机"),
        ("Log in or register to see the full-size image", "登录/注册后可看大图"),
        ("You need to log in before you can reply", "您需要登录后才可以回帖"),
        ("Board credit rules", "本版积分规则"),
        ("Invalid floor: this post has been deleted.", "无效楼层，该帖已经被删除"),
    ],
)
def test_key_strings_in_chinese_and_english(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_context_plural_and_placeholders():
    with translation.override("zh-hans"):
        assert translation.pgettext("thread", "Comments") == "评论"
        assert translation.ngettext("%(n)d hour ago", "%(n)d hours ago", 3) % {"n": 3} == "3 小时前"
        assert translation.gettext("yesterday %(time)s") % {"time": "12:00"} == "昨天 12:00"
        edited = translation.gettext("Last edited by %(name)s at %(time)s") % {
            "name": "回望瞬间",
            "time": "2021-5-15 22:10",
        }
        assert edited == "本帖最后由 回望瞬间 于 2021-5-15 22:10 编辑"
    with translation.override("en"):
        assert translation.pgettext("thread", "Comments") == "Comments"
        assert (
            translation.ngettext("%(n)d hour ago", "%(n)d hours ago", 1) % {"n": 1} == "1 hour ago"
        )
        assert (
            translation.ngettext("%(n)d hour ago", "%(n)d hours ago", 3) % {"n": 3} == "3 hours ago"
        )


def test_jinja_templates_are_translated():
    env = next(e for e in engines.all() if hasattr(e, "env")).env
    template = env.from_string(
        '{{ _("You need to") }} {{ _("log in") }} {{ _("to download or view attachments. No account?") }}'
        '{{ _("Register now") }}|{{ pgettext("thread", "Comments") }}|{{ _("Page %(n)d", n=2) }}'
    )
    with translation.override("zh-hans"):
        assert template.render() == "您需要 登录 才可以下载或查看，没有账号？立即注册|评论|第2页"
    with translation.override("en"):
        assert template.render() == (
            "You need to log in to download or view attachments. No account?Register now|Comments|Page 2"
        )


def test_chinese_translations_use_full_width_punctuation():
    catalog = i18n.read_catalog("zh_Hans")
    assert catalog is not None
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        for text in entry.msgstr:
            text = text.replace("Discuz!", "Discuz")  # the product name keeps its "!"
            text = re.sub(r"[\w./-]+\?[\w=&%…]+", "", text)  # URLs keep their ASCII "?"
            if any("\u4e00" <= c <= "\u9fff" for c in text):
                for half, full in ((",", "，"), ("?", "？"), ("!", "！"), (";", "；")):
                    assert half not in text, (
                        f"{entry.msgid!r}: use {full} instead of {half} in {text!r}"
                    )


# --- .mo compiler against GNU msgfmt ---------------------------------------------------------


SAMPLE_PO = r"""# A translator's note on the header.
msgid ""
msgstr ""
"Project-Id-Version: Fupan\n"
"Language: zh_Hans\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: fupan/forum/jinja2/forum/_post.jinja:10
msgid "Reply"
msgstr "回复"

# A translator comment.
#. Translators: the heading above the replies.
#: fupan/forum/jinja2/forum/thread.jinja:21
msgctxt "thread"
msgid "Comments"
msgstr "评论"

#, python-format
msgid "%(n)d hour ago"
msgid_plural "%(n)d hours ago"
msgstr[0] "%(n)d 小时前"

msgid "Untranslated"
msgstr ""

#, fuzzy
msgid "Fuzzy one"
msgstr "模糊"

msgid ""
"Two\n"
"lines with \"quotes\", a \\ backslash and a\ttab"
msgstr ""
"两行\n"
"带“引号”、反斜杠 \\ 和\t制表符"

msgid "Apple"
msgstr "苹果"

msgctxt "zzz"
msgid "Apple"
msgstr "苹果（zzz）"

#~ msgid "Gone"
#~ msgstr "已删除的"
"""


def _msgfmt(po: Path, out: Path, *extra: str) -> bytes:
    subprocess.run([MSGFMT, *extra, "-o", str(out), str(po)], check=True, capture_output=True)
    return out.read_bytes()


def _load(data: bytes) -> dict:
    return dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]


@needs_msgfmt
def test_compiler_matches_msgfmt_on_a_sample(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(SAMPLE_PO, encoding="utf-8")
    ours = i18n.compile_mo(i18n.parse_po(SAMPLE_PO))
    assert ours == _msgfmt(po, tmp_path / "nohash.mo", "--no-hash")
    assert _load(ours) == _load(_msgfmt(po, tmp_path / "hash.mo"))
    catalog = _load(ours)
    assert catalog["thread\x04Comments"] == "评论"
    assert catalog[("%(n)d hour ago", 0)] == "%(n)d 小时前"
    assert "Untranslated" not in catalog and "Fuzzy one" not in catalog and "Gone" not in catalog


@needs_msgfmt
@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_committed_catalogs_compile_like_msgfmt(tmp_path, locale):
    po = i18n.po_path(locale)
    catalog = i18n.parse_po(po.read_text(encoding="utf-8"))
    ours = i18n.compile_mo(catalog)
    assert ours == po.with_suffix(".mo").read_bytes()
    assert ours == _msgfmt(po, tmp_path / "nohash.mo", "--no-hash")
    # -c checks the header and that every python-format translation keeps its placeholders.
    assert _load(ours) == _load(_msgfmt(po, tmp_path / "checked.mo", "-c"))


# --- .po reading and writing -------------------------------------------------------------------


def test_po_round_trip_is_stable():
    catalog = i18n.parse_po(SAMPLE_PO)
    text = i18n.write_po(catalog)
    assert i18n.write_po(i18n.parse_po(text)) == text
    again = i18n.parse_po(text)
    two_lines = again.get((None, 'Two\nlines with "quotes", a \\ backslash and a\ttab'))
    assert two_lines is not None and two_lines.msgstr == ["两行\n带“引号”、反斜杠 \\ 和\t制表符"]
    comments = again.get(("thread", "Comments"))
    assert comments is not None
    assert comments.translator_comments == ["A translator comment."]
    assert comments.extracted_comments == ["Translators: the heading above the replies."]
    assert again.header_comments == ["A translator's note on the header."]
    gone = again.get((None, "Gone"))
    assert gone is not None and gone.obsolete and gone.msgstr == ["已删除的"]


def test_bad_po_is_reported_with_its_line():
    with pytest.raises(i18n.POError, match=r"x\.po:2"):
        i18n.parse_po('msgid "a"\nmsgstr "unterminated\n', "x.po")


# --- extraction ----------------------------------------------------------------------------------


PY_SOURCE = """
from django.utils import translation
from django.utils.translation import gettext_lazy as lazy, ngettext, pgettext_lazy


def f(n, name):
    # Translators: shown in the page header.
    a = lazy("Header")
    b = ngettext("%(n)d post", "%(n)d posts", n)
    c = pgettext_lazy("thread", "Comments")
    d = translation.npgettext("ctx", "one", "many", n)
    e = _(name)
    return _("Hello " "world")
"""

JINJA_SOURCE = """{{ _("Floor %(n)d", n=3) }}
{{ ngettext("%(num)d reply", "%(num)d replies", count) }}
{{ pgettext("thread", "Comments") }}
{% trans user=name %}Hello {{ user }}{% endtrans %}
{{ _(variable) }}
{{ _("100% sure") }}{{ _("Done: 100%") }}
"""


def test_python_extraction():
    out = i18n.Extraction()
    i18n.extract_python(PY_SOURCE, "fupan/x.py", out)
    msgs = out.messages
    assert msgs[(None, "Header")].comments == ["Translators: shown in the page header."]
    assert msgs[(None, "%(n)d post")].msgid_plural == "%(n)d posts"
    assert ("thread", "Comments") in msgs
    assert msgs[("ctx", "one")].msgid_plural == "many"
    assert (None, "Hello world") in msgs
    assert msgs[(None, "Hello world")].references == [("fupan/x.py", 13)]
    assert any("not a literal string" in w and "x.py:12" in w for w in out.warnings)


def test_template_extraction():
    out = i18n.Extraction()
    i18n.extract_template(JINJA_SOURCE.encode(), "fupan/x.jinja", out)
    msgs = out.messages
    assert (None, "Floor %(n)d") in msgs
    assert msgs[(None, "%(num)d reply")].msgid_plural == "%(num)d replies"
    assert ("thread", "Comments") in msgs
    assert (None, "Hello %(user)s") in msgs
    assert any("non-literal" in w and "x.jinja:5" in w for w in out.warnings)
    assert sum("%%" in w and "x.jinja:6" in w for w in out.warnings) == 2


def test_sources_skip_tests_and_migrations():
    python, templates = i18n.source_files()
    parts = {
        part for path in python + templates for part in path.relative_to(i18n.PACKAGE_DIR).parts
    }
    assert "tests" not in parts and "migrations" not in parts
    assert templates, "the Jinja2 templates are scanned"


# --- merging and --check ------------------------------------------------------------------------


def _extraction(*messages: tuple[str | None, str, str | None]) -> i18n.Extraction:
    out = i18n.Extraction()
    for line, (ctx, msgid, plural) in enumerate(messages, 1):
        out.add("fupan/x.py", line, ctx, msgid, plural, [], template=False)
    return out


def test_merge_keeps_translations_adds_new_and_obsoletes_removed():
    old = i18n.parse_po(SAMPLE_PO)
    new = i18n.merge(
        old,
        _extraction((None, "Reply", None), (None, "Brand new", None), (None, "Apple", "Apples")),
        "zh_Hans",
    )
    live = {e.key: e for e in new.entries if not e.obsolete}
    assert live[(None, "Reply")].msgstr == ["回复"]
    assert live[(None, "Reply")].references == ["fupan/x.py:1"]
    assert live[(None, "Brand new")].msgstr == [""]
    apple = live[(None, "Apple")]
    assert apple.msgid_plural == "Apples" and apple.msgstr == ["苹果"] and apple.fuzzy
    obsolete = {e.key for e in new.entries if e.obsolete}
    assert ("thread", "Comments") in obsolete and (None, "Gone") in obsolete
    assert (None, "Untranslated") not in obsolete, "untranslated leftovers are dropped"
    revived = i18n.merge(new, _extraction(("thread", "Comments", None)), "zh_Hans")
    comments = revived.get(("thread", "Comments"))
    assert comments is not None and not comments.obsolete and comments.msgstr == ["评论"]
    pruned = i18n.merge(old, _extraction((None, "Reply", None)), "zh_Hans", keep_obsolete=False)
    assert [e.msgid for e in pruned.entries] == ["Reply"]


def test_merge_into_a_new_english_catalog():
    catalog = i18n.merge(None, _extraction((None, "%(n)d post", "%(n)d posts")), "en")
    assert catalog.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    (entry,) = catalog.entries
    assert entry.msgstr == ["", ""] and "python-format" in entry.flags


def test_check_reports_missing_untranslated_and_stale(tmp_path):
    extraction = _extraction(
        (None, "Reply", None), (None, "Untranslated", None), (None, "Nowhere yet", None)
    )
    for locale in i18n.locales():
        po = i18n.po_path(locale, tmp_path)
        po.parent.mkdir(parents=True)
        catalog = (
            i18n.parse_po(SAMPLE_PO)
            if locale == "zh_Hans"
            else i18n.merge(None, extraction, locale)
        )
        po.write_text(i18n.write_po(catalog), encoding="utf-8")
        po.with_suffix(".mo").write_bytes(i18n.compile_mo(catalog))
    assert i18n.check(_extraction((None, "Reply", None)), tmp_path) == []
    problems = i18n.check(extraction, tmp_path)
    assert any("untranslated 'Untranslated'" in p for p in problems)
    assert any("missing 'Nowhere yet'" in p for p in problems)
    i18n.po_path("en", tmp_path).with_suffix(".mo").write_bytes(b"old")
    assert any(
        "en/LC_MESSAGES/django.mo is stale" in p
        for p in i18n.check(_extraction((None, "Reply", None)), tmp_path)
    )


def test_check_rejects_broken_placeholders(tmp_path):
    po = i18n.po_path("zh_Hans", tmp_path)
    po.parent.mkdir(parents=True)
    bad = SAMPLE_PO.replace('msgstr[0] "%(n)d 小时前"', 'msgstr[0] "%(m)d 小时前"')
    po.write_text(bad, encoding="utf-8")
    problems = i18n.check(_extraction((None, "Reply", None)), tmp_path)
    assert any("bad translation of '%(n)d hour ago'" in p for p in problems)


def test_check_command_fails_with_the_list(monkeypatch):
    monkeypatch.setattr(
        i18n,
        "check",
        lambda extraction=None, locale_dir=None: ["zh_Hans: untranslated 'X' (fupan/x.py:1)"],
    )
    with pytest.raises(CommandError, match="untranslated 'X'"):
        call_command("update_translations", check=True, stdout=io.StringIO(), stderr=io.StringIO())


def test_template_underscore_as_jinja_newstyle_gettext() -> None:
    """``_()`` in templates: translated, variables escaped into it, ``%%`` read as ``%``."""
    from django.utils import translation

    env = engines.all()[0].env
    page = env.from_string(
        '{{ _("Reply") }}|{{ _("Last edited by %(name)s at %(time)s", name=who, time="x") }}|{{ _("100%%") }}'
    )
    with translation.override("zh-hans"):
        zh = page.render(who="<b>甲</b>")
    with translation.override("en"):
        en = page.render(who="<b>甲</b>")
    assert zh.startswith("回复|") and "&lt;b&gt;甲&lt;/b&gt;" in zh and "<b>" not in zh
    assert zh.endswith("|100%")
    assert en.startswith("Reply|Last edited by &lt;b&gt;甲&lt;/b&gt; at x|")
