"""Message catalogs without GNU gettext: extraction, .po merging and .mo compiling.

``fupan manage update_translations`` drives this module (see that command for usage):

* :func:`extract` finds every msgid in the package: Python calls to ``_``, ``gettext``,
  ``gettext_lazy``, ``ngettext(_lazy)``, ``pgettext(_lazy)``, ``npgettext(_lazy)`` (and any
  alias imported from ``django.utils.translation``) with literal arguments, read with
  :mod:`ast`; and the Jinja2 templates, read with :func:`jinja2.ext.babel_extract`.
* :func:`merge` folds them into a language's ``django.po`` (translations kept, new msgids added
  empty, vanished ones kept as ``#~`` obsolete entries while they carry a translation).
* :func:`compile_mo` writes the same bytes as ``msgfmt --no-hash``, so the committed .mo files
  are reproducible and checkable on any machine.
* :func:`check` lists what CI must refuse: msgids missing or untranslated in a translated
  language, translations whose ``%(name)s`` placeholders differ, and stale .mo files.

Source strings are English; ``en`` is the source language, so its catalog stays empty
(Django falls back to the msgid) and only the other languages must be complete.
"""

from __future__ import annotations

import ast
import io
import re
import struct
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "django"
SOURCE_LANGUAGE = "en"
SKIP_DIRS = frozenset({"tests", "migrations", "locale", "static", "__pycache__", "node_modules"})

# Plural-Forms for the languages we are likely to ship; an existing catalog's header wins.
PLURAL_FORMS = {
    "zh_Hans": "nplurals=1; plural=0;",
    "zh_Hant": "nplurals=1; plural=0;",
    "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}

# Function name -> positions of (context, singular, plural); None = not taken.
_SPECS: dict[str, tuple[int | None, int, int | None]] = {
    "gettext": (None, 0, None),
    "ngettext": (None, 0, 1),
    "pgettext": (0, 1, None),
    "npgettext": (0, 1, 2),
}
PYTHON_FUNCTIONS = {
    "_": "gettext",
    "gettext": "gettext",
    "gettext_lazy": "gettext",
    "gettext_noop": "gettext",
    "ngettext": "ngettext",
    "ngettext_lazy": "ngettext",
    "pgettext": "pgettext",
    "pgettext_lazy": "pgettext",
    "npgettext": "npgettext",
    "npgettext_lazy": "npgettext",
}
JINJA_KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext")
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "silent": "false"}
COMMENT_TAG = "Translators:"

# A printf directive as Python's % operator reads it.
_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)


def placeholders(text: str) -> tuple[list[str], bool]:
    """The % directives in ``text`` (``%%`` included) and whether every ``%`` was one."""
    found: list[str] = []
    pos = 0
    ok = True
    while True:
        i = text.find("%", pos)
        if i < 0:
            return found, ok
        m = _DIRECTIVE.match(text, i)
        if m is None:
            ok = False
            pos = i + 1
            continue
        found.append(
            m.group(0) if m.group("name") is None else f"%({m.group('name')}){m.group('conv')}"
        )
        pos = m.end()


def is_python_format(text: str) -> bool:
    found, _ = placeholders(text)
    return any(p != "%%" for p in found)


# ---------------------------------------------------------------------------------------------
# Extraction


@dataclass
class Message:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    references: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


@dataclass
class Extraction:
    messages: dict[tuple[str | None, str], Message] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    python_files: int = 0
    template_files: int = 0

    def add(
        self,
        where: str,
        line: int,
        ctx: str | None,
        singular: str,
        plural: str | None,
        comments: Iterable[str],
        *,
        template: bool,
    ) -> None:
        ref = f"{where}:{line}"
        if not singular:
            self.warnings.append(f"{ref}: empty msgid (gettext('') returns the catalog header)")
            return
        if singular != singular.strip() or (plural and plural != plural.strip()):
            self.warnings.append(f"{ref}: msgid has leading/trailing whitespace: {singular!r}")
        for text in (singular, plural):
            if text is None:
                continue
            found, clean = placeholders(text)
            if template and (not clean or any(not p.startswith("%(") and p != "%%" for p in found)):
                self.warnings.append(
                    f"{ref}: {text!r} has a '%' that is not a %(name)s placeholder; Jinja's newstyle "
                    "gettext always %-formats with keyword arguments, so a literal percent sign must be written %%"
                )
        if plural is not None:
            s_names = {p for p in placeholders(singular)[0] if p.startswith("%(")}
            p_names = {p for p in placeholders(plural)[0] if p.startswith("%(")}
            if s_names != p_names and not s_names <= p_names:
                self.warnings.append(
                    f"{ref}: singular and plural use different placeholders: {singular!r} / {plural!r}"
                )
        key = (ctx, singular)
        msg = self.messages.get(key)
        if msg is None:
            msg = self.messages[key] = Message(singular, plural, ctx)
        elif plural is not None and msg.msgid_plural not in (None, plural):
            self.warnings.append(
                f"{ref}: {singular!r} has two different plural forms: {msg.msgid_plural!r} and {plural!r}"
            )
        elif (plural is None) != (msg.msgid_plural is None):
            first = msg.references[0] if msg.references else ("?", 0)
            self.warnings.append(
                f"{ref}: {singular!r} is used both with and without a plural form (also {first[0]}:{first[1]}); "
                "the catalog keeps the plural entry"
            )
            msg.msgid_plural = msg.msgid_plural or plural
        if (where, line) not in msg.references:
            msg.references.append((where, line))
        for comment in comments:
            if comment not in msg.comments:
                msg.comments.append(comment)


def source_files(root: Path = PACKAGE_DIR) -> tuple[list[Path], list[Path]]:
    """(Python files, Jinja2 templates) under ``root``, sorted, without tests and migrations."""
    python: list[Path] = []
    templates: list[Path] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if not path.is_file():
            continue
        if path.suffix == ".py":
            python.append(path)
        elif path.suffix == ".jinja":
            templates.append(path)
    return python, templates


def _display(path: Path, root: Path) -> str:
    return path.relative_to(root.parent).as_posix()


def _translator_comments(lines: list[str], comments: dict[int, str], lineno: int) -> list[str]:
    """The ``# Translators:`` comment block right above ``lineno`` (1-based), if any."""
    block: list[str] = []
    n = lineno - 1
    while n >= 1 and n in comments and lines[n - 1].lstrip().startswith("#"):
        block.insert(0, comments[n])
        n -= 1
    for i, text in enumerate(block):
        if text.startswith(COMMENT_TAG.rstrip(":")):
            return [" ".join(t for t in block[i:] if t)]
    return []


def extract_python(source: str, where: str, out: Extraction) -> None:
    try:
        tree = ast.parse(source, filename=where)
    except SyntaxError as exc:
        out.warnings.append(f"{where}:{exc.lineno}: cannot parse ({exc.msg}); skipped")
        return
    names = dict(PYTHON_FUNCTIONS)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in PYTHON_FUNCTIONS:
                    names[alias.asname or alias.name] = PYTHON_FUNCTIONS[alias.name]
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    lines = source.splitlines()
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    for call in calls:
        func = call.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and func.attr in PYTHON_FUNCTIONS and func.attr != "_":
            name = func.attr
        else:
            continue
        kind = names.get(name)
        if kind is None:
            continue
        ctx_i, sing_i, plural_i = _SPECS[kind]
        needed = [i for i in (ctx_i, sing_i, plural_i) if i is not None]
        values: dict[int, str] = {}
        for i in needed:
            arg = call.args[i] if i < len(call.args) else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                values[i] = arg.value
        if len(values) != len(needed):
            if any(isinstance(a, ast.Starred) for a in call.args):
                continue
            snippet = ast.get_source_segment(source, call) or name + "(…)"
            out.warnings.append(
                f"{where}:{call.lineno}: not a literal string, not extracted: {snippet[:80]}"
            )
            continue
        out.add(
            where,
            call.lineno,
            values.get(ctx_i) if ctx_i is not None else None,
            values[sing_i],
            values.get(plural_i) if plural_i is not None else None,
            _translator_comments(lines, comments, call.lineno),
            template=False,
        )


def extract_template(data: bytes, where: str, out: Extraction) -> None:
    from jinja2 import TemplateSyntaxError
    from jinja2.ext import babel_extract

    try:
        found = list(babel_extract(io.BytesIO(data), JINJA_KEYWORDS, [COMMENT_TAG], JINJA_OPTIONS))
    except TemplateSyntaxError as exc:
        out.warnings.append(f"{where}:{exc.lineno}: template syntax error ({exc.message}); skipped")
        return
    for lineno, funcname, message, comments in found:
        kind = PYTHON_FUNCTIONS.get(funcname, funcname)
        ctx_i, sing_i, plural_i = _SPECS[kind]
        args = message if isinstance(message, tuple) else (message,)

        def arg(i: int | None, args: tuple[str | None, ...] = args) -> str | None:
            return args[i] if i is not None and i < len(args) else None

        ctx, singular, plural = arg(ctx_i), arg(sing_i), arg(plural_i)
        if (
            singular is None
            or (ctx_i is not None and ctx is None)
            or (plural_i is not None and plural is None)
        ):
            out.warnings.append(
                f"{where}:{lineno}: {funcname}() with a non-literal argument, not extracted"
            )
            continue
        out.add(where, lineno, ctx, singular, plural, comments, template=True)


def extract(root: Path = PACKAGE_DIR) -> Extraction:
    out = Extraction()
    python, templates = source_files(root)
    for path in python:
        extract_python(path.read_text(encoding="utf-8"), _display(path, root), out)
    for path in templates:
        extract_template(path.read_bytes(), _display(path, root), out)
    out.python_files, out.template_files = len(python), len(templates)
    return out


# ---------------------------------------------------------------------------------------------
# .po files


class POError(ValueError):
    pass


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]  # one item for a singular entry, nplurals items for a plural one
    msgid_plural: str | None = None
    msgctxt: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy


@dataclass
class Catalog:
    header: dict[str, str] = field(default_factory=dict)
    header_comments: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    def get(self, key: tuple[str | None, str]) -> Entry | None:
        return next((entry for entry in self.entries if entry.key == key), None)

    def by_key(self) -> dict[tuple[str | None, str], Entry]:
        return {entry.key: entry for entry in self.entries}

    @property
    def nplurals(self) -> int:
        m = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(m.group(1)) if m else 2

    def header_text(self) -> str:
        return "".join(f"{k}: {v}\n" for k, v in self.header.items())


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise POError(f"{where}: expected a quoted string, got {text!r}")
    body = text[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n in _ESCAPES:
                out.append(_ESCAPES[n])
                i += 2
                continue
            m = re.match(r"[0-7]{1,3}", body[i + 1 :])
            if m:
                out.append(chr(int(m.group(0), 8)))
                i += 1 + len(m.group(0))
                continue
            raise POError(f"{where}: unknown escape \\{n}")
        if c == '"':
            raise POError(f"{where}: unescaped quote in {text!r}")
        out.append(c)
        i += 1
    return "".join(out)


def parse_po(text: str, name: str = "<po>") -> Catalog:
    catalog = Catalog()
    entries: list[Entry] = []
    field_name: str | None = None  # the keyword whose string continuation lines follow

    def fresh() -> dict:
        return {"tc": [], "ec": [], "refs": [], "flags": [], "obsolete": False, "msgstr": {}}

    cur = fresh()

    def finish() -> None:
        nonlocal cur, field_name
        if "msgid" in cur:
            plural = cur.get("msgid_plural")
            if plural is not None:
                n = max(cur["msgstr"], default=-1) + 1
                msgstr = [cur["msgstr"].get(i, "") for i in range(n)]
            else:
                msgstr = [cur["msgstr"].get(0, "")]
            entries.append(
                Entry(
                    msgid=cur["msgid"],
                    msgstr=msgstr,
                    msgid_plural=plural,
                    msgctxt=cur.get("msgctxt"),
                    translator_comments=cur["tc"],
                    extracted_comments=cur["ec"],
                    references=cur["refs"],
                    flags=cur["flags"],
                    obsolete=cur["obsolete"],
                )
            )
        cur = fresh()
        field_name = None

    for lineno, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{lineno}"
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            if line.startswith("#~|"):
                continue
            obsolete = True
            line = line[2:].strip()
        if not line:
            if not obsolete:
                finish()
            continue
        if line.startswith("#"):
            if "msgid" in cur and field_name is not None and field_name.startswith("msgstr"):
                finish()
            marker, rest = line[:2], line[2:].strip()
            if marker == "#,":
                cur["flags"].extend(f.strip() for f in rest.split(",") if f.strip())
            elif marker == "#:":
                cur["refs"].extend(rest.split())
            elif marker == "#.":
                cur["ec"].append(rest)
            elif marker == "#|":
                pass
            else:
                cur["tc"].append(line[1:].removeprefix(" "))
            continue
        if obsolete:
            cur["obsolete"] = True
        if line.startswith('"'):
            if field_name is None:
                raise POError(f"{where}: string without a keyword")
            value = _unquote(line, where)
            if field_name.startswith("msgstr"):
                idx = int(field_name[7:-1]) if "[" in field_name else 0
                cur["msgstr"][idx] += value
            else:
                cur[field_name] += value
            continue
        m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$", line)
        if not m:
            raise POError(f"{where}: cannot read {raw!r}")
        keyword, value = m.group(1), _unquote(m.group(2), where)
        if keyword in ("msgctxt", "msgid") and "msgid" in cur and cur["msgstr"]:
            finish()  # a new entry started without a blank line
        if keyword.startswith("msgstr"):
            if "msgid" not in cur:
                raise POError(f"{where}: msgstr before msgid")
            idx = int(keyword[7:-1]) if "[" in keyword else 0
            cur["msgstr"][idx] = value
        else:
            if keyword in cur:
                raise POError(f"{where}: second {keyword} in one entry")
            cur[keyword] = value
        field_name = keyword
    finish()

    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None and not entry.obsolete:
            catalog.header_comments = entry.translator_comments
            for line in entry.msgstr[0].splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    catalog.header[key.strip()] = value.strip()
        else:
            catalog.entries.append(entry)
    return catalog


def _quote(text: str) -> str:
    out = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )
    return f'"{out}"'


def _write_string(keyword: str, text: str, prefix: str) -> list[str]:
    chunks = re.findall(r"[^\n]*\n|[^\n]+$", text) if text else []
    if len(chunks) <= 1:
        return [f"{prefix}{keyword} {_quote(text)}"]
    return [f'{prefix}{keyword} ""'] + [f"{prefix}{_quote(chunk)}" for chunk in chunks]


def _wrap_refs(refs: list[str], width: int = 79) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for ref in refs:
        if len(current) + 1 + len(ref) > width and current != "#:":
            lines.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        lines.append(current)
    return lines


def write_po(catalog: Catalog) -> str:
    lines: list[str] = [f"# {c}" if c else "#" for c in catalog.header_comments]
    lines += ['msgid ""', 'msgstr ""', *(_quote(f"{k}: {v}\n") for k, v in catalog.header.items())]
    for entry in catalog.entries:
        lines.append("")
        lines += [f"# {c}" if c else "#" for c in entry.translator_comments]
        if not entry.obsolete:
            lines += [f"#. {c}" for c in entry.extracted_comments]
            lines += _wrap_refs(entry.references)
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        prefix = "#~ " if entry.obsolete else ""
        if entry.msgctxt is not None:
            lines += _write_string("msgctxt", entry.msgctxt, prefix)
        lines += _write_string("msgid", entry.msgid, prefix)
        if entry.msgid_plural is not None:
            lines += _write_string("msgid_plural", entry.msgid_plural, prefix)
            for i, text in enumerate(entry.msgstr):
                lines += _write_string(f"msgstr[{i}]", text, prefix)
        else:
            lines += _write_string("msgstr", entry.msgstr[0] if entry.msgstr else "", prefix)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Merging


def default_header(locale: str) -> dict[str, str]:
    return {
        "Project-Id-Version": "Fupan",
        "Report-Msgid-Bugs-To": "",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(locale, ""),
    }


def merge(
    old: Catalog | None, extraction: Extraction, locale: str, *, keep_obsolete: bool = True
) -> Catalog:
    """A catalog for ``locale`` with exactly the extracted msgids, in source order.

    Translations (and translator comments) of ``old`` are kept; a msgid that became plural, or
    stopped being plural, keeps its translation but is marked fuzzy for review. Entries that no
    longer occur become obsolete while they carry a translation (dropped when not
    ``keep_obsolete``), and come back to life if the msgid reappears.
    """
    header = default_header(locale)
    header_comments = [
        f"Fupan message catalog for {locale}.",
        "Updated by `fupan manage update_translations`; edit msgstr lines only.",
    ]
    if old is not None:
        header_comments = old.header_comments or header_comments
        merged_header = dict(old.header)
        for key in ("Content-Type", "Content-Transfer-Encoding", "Language", "MIME-Version"):
            merged_header[key] = header[key]
        if not merged_header.get("Plural-Forms"):
            merged_header["Plural-Forms"] = header["Plural-Forms"]
        header = merged_header
    if not header.get("Plural-Forms"):
        raise POError(
            f"no Plural-Forms known for {locale!r}: add it to fupan.core.i18n.PLURAL_FORMS"
        )
    catalog = Catalog(header=header, header_comments=header_comments)
    nplurals = catalog.nplurals
    old_entries = {e.key: e for e in old.entries} if old is not None else {}

    for msg in sorted(
        extraction.messages.values(), key=lambda m: m.references[0] if m.references else ("", 0)
    ):
        prev = old_entries.pop(msg.key, None)
        flags = [
            f
            for f in (prev.flags if prev else [])
            if f not in ("python-format", "no-python-format")
        ]
        if is_python_format(msg.msgid) or (msg.msgid_plural and is_python_format(msg.msgid_plural)):
            flags.append("python-format")
        if msg.msgid_plural is None:
            if prev is None:
                msgstr = [""]
            elif prev.msgid_plural is None:
                msgstr = [prev.msgstr[0]]
            else:
                msgstr = [prev.msgstr[0] if prev.msgstr else ""]
                if msgstr[0] and "fuzzy" not in flags:
                    flags.insert(0, "fuzzy")
        else:
            if prev is None:
                msgstr = [""] * nplurals
            else:
                msgstr = (list(prev.msgstr) + [""] * nplurals)[:nplurals]
                if prev.msgid_plural is None and any(msgstr):
                    msgstr = [prev.msgstr[0]] * nplurals
                    if "fuzzy" not in flags:
                        flags.insert(0, "fuzzy")
        if not any(msgstr):
            flags = [f for f in flags if f != "fuzzy"]
        catalog.entries.append(
            Entry(
                msgid=msg.msgid,
                msgstr=msgstr,
                msgid_plural=msg.msgid_plural,
                msgctxt=msg.msgctxt,
                translator_comments=list(prev.translator_comments) if prev else [],
                extracted_comments=list(msg.comments),
                references=[f"{path}:{line}" for path, line in msg.references],
                flags=flags,
            )
        )
    if keep_obsolete:
        for prev in old_entries.values():
            if any(prev.msgstr):
                prev.obsolete = True
                prev.references = []
                prev.extracted_comments = []
                catalog.entries.append(prev)
    return catalog


# ---------------------------------------------------------------------------------------------
# .mo files


def compile_mo(catalog: Catalog) -> bytes:
    """The catalog as a GNU .mo file, byte for byte what ``msgfmt --no-hash`` writes.

    Like msgfmt, fuzzy, obsolete and untranslated entries are left out (the header is kept).
    """
    pairs: list[tuple[bytes, bytes]] = [(b"", catalog.header_text().encode("utf-8"))]
    for entry in catalog.entries:
        if entry.obsolete or not entry.translated:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            key += "\x00" + entry.msgid_plural
        pairs.append((key.encode("utf-8"), "\x00".join(entry.msgstr).encode("utf-8")))
    pairs.sort(key=lambda p: p[0])
    n = len(pairs)
    originals_at = 28
    translations_at = originals_at + 8 * n
    strings_at = translations_at + 8 * n
    table_o: list[int] = []
    table_t: list[int] = []
    blob = bytearray()
    for key, _ in pairs:
        table_o += [len(key), strings_at + len(blob)]
        blob += key + b"\x00"
    for _, value in pairs:
        table_t += [len(value), strings_at + len(blob)]
        blob += value + b"\x00"
    head = struct.pack("<7I", 0x950412DE, 0, n, originals_at, translations_at, 0, strings_at)
    return (
        head
        + struct.pack(f"<{2 * n}I", *table_o)
        + struct.pack(f"<{2 * n}I", *table_t)
        + bytes(blob)
    )


# ---------------------------------------------------------------------------------------------
# Languages and checks


def locales() -> list[str]:
    from django.conf import settings
    from django.utils.translation import to_locale

    return [to_locale(code) for code, _name in settings.LANGUAGES]


def po_path(locale: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locale: str, locale_dir: Path = LOCALE_DIR) -> Catalog | None:
    path = po_path(locale, locale_dir)
    if not path.exists():
        return None
    return parse_po(path.read_text(encoding="utf-8"), display_path(path))


def display_path(path: Path) -> str:
    try:
        return path.relative_to(PACKAGE_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def placeholder_problem(entry: Entry) -> str | None:
    """Why a translation would break %-formatting, or None.

    Checked for python-format entries and for every string used in a template: Jinja's newstyle
    gettext %-formats all of them, so even a stray ``%`` in a translation would break the page.
    """
    in_template = any(".jinja:" in ref for ref in entry.references)
    if "python-format" not in entry.flags and not in_template:
        return None
    wanted = sorted(
        p
        for p in placeholders(entry.msgid)[0] + placeholders(entry.msgid_plural or "")[0]
        if p.startswith("%(")
    )
    for text in entry.msgstr:
        if not text:
            continue
        found, clean = placeholders(text)
        if not clean:
            return (
                f"{text!r} has a '%' that is not a format directive (write %% for a percent sign)"
            )
        named = {p for p in found if p.startswith("%(")}
        if not named <= set(wanted):
            return f"{text!r} uses {sorted(named - set(wanted))} which the msgid does not provide"
        positional = [p for p in found if not p.startswith("%(") and p != "%%"]
        src_positional = [
            p for p in placeholders(entry.msgid)[0] if not p.startswith("%(") and p != "%%"
        ]
        if positional != src_positional:
            return f"{text!r} has positional directives {positional}, the msgid {src_positional}"
        singular_named = {p for p in placeholders(entry.msgid)[0] if p.startswith("%(")}
        if entry.msgid_plural is None and named != singular_named:
            return f"{text!r} drops {sorted(singular_named - named)}"
    return None


def check(extraction: Extraction | None = None, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Everything that should fail CI, one line each; empty when the catalogs are in order."""
    extraction = extraction or extract()
    problems: list[str] = []
    for locale in locales():
        path = po_path(locale, locale_dir)
        try:
            catalog = read_catalog(locale, locale_dir)
        except POError as exc:
            problems.append(f"cannot read the catalog: {exc}")
            continue
        if catalog is None:
            problems.append(f"{display_path(path)} is missing")
            continue
        if locale != SOURCE_LANGUAGE:
            entries = catalog.by_key()
            for msg in extraction.messages.values():
                ref = "{}:{}".format(*msg.references[0]) if msg.references else "?"
                label = (f"[{msg.msgctxt}] " if msg.msgctxt is not None else "") + repr(msg.msgid)
                entry = entries.get(msg.key)
                if entry is None or entry.obsolete:
                    problems.append(f"{locale}: missing {label} ({ref})")
                elif entry.msgid_plural != msg.msgid_plural:
                    problems.append(f"{locale}: plural form changed for {label} ({ref})")
                elif entry.fuzzy:
                    problems.append(f"{locale}: fuzzy (needs review) {label} ({ref})")
                elif not entry.translated:
                    problems.append(f"{locale}: untranslated {label} ({ref})")
        for entry in catalog.entries:
            if entry.obsolete or not entry.translated:
                continue
            why = placeholder_problem(entry)
            if why:
                problems.append(f"{locale}: bad translation of {entry.msgid!r}: {why}")
        mo = path.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{display_path(mo)} is missing")
        elif mo.read_bytes() != compile_mo(catalog):
            problems.append(f"{display_path(mo)} is stale (does not match {path.name})")
    return problems


def iter_untranslated(catalog: Catalog) -> Iterator[Entry]:
    for entry in catalog.entries:
        if not entry.obsolete and not entry.translated:
            yield entry
