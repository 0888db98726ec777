"""Discuz code (BBCode) -> sanitised HTML.

How it works, and why it differs from Discuz's regex passes (FACTS §3):

1. The source is tokenised once; only known tag names become tokens.
2. Tokens are folded into a tree with an explicit stack (no recursion), so tags nest properly and
   every opening tag without a matching close stays literal text. Tags deeper than MAX_DEPTH stay
   literal too, which bounds the tree depth for the recursive renderer and for html5ever.
3. Leaf tags ([code], [img], [url] without a target, [attach], …) take the raw text up to their
   closing tag; inside [code] nothing is parsed.
4. The renderer escapes every piece of text as it emits it (the same effect as Discuz escaping
   the whole message first, but tag parameters can be checked in their raw form), builds
   attributes only from values that passed a check in sanitize.py, and the result goes through nh3.

Line breaks: every newline becomes <br>, except that a block element (quote, code, list and its
items, table and cells, hr, [align]/[p]/[indent]/[hide]) absorbs one newline directly before and
after it, and one directly inside its start and end, because the block already starts a line.
"""

from __future__ import annotations

import bisect
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .sanitize import (
    clean_color,
    clean_email,
    clean_font_family,
    clean_font_size,
    clean_image_url,
    clean_link_url,
    sanitize_html,
)
from .smilies import Smiley, SmileyReplacer, smiley_html

__all__ = [
    "ATTACH_MARKER_RE",
    "RENDERER_VERSION",
    "MarkupOptions",
    "attachment_ids",
    "plain_text",
    "render_bbcode",
    "substitute_attachments",
]

logger = logging.getLogger(__name__)

# Cached post HTML is keyed by this; bump it whenever the output for some input changes.
RENDERER_VERSION = 1

# Discuz users nest quotes a handful of levels; anything deeper is abuse and stays as text.
MAX_DEPTH = 40


@dataclass(frozen=True)
class MarkupOptions:
    bbcode: bool = True  # parse Discuz code at all (post.bbcodeoff / board.allow_bbcode)
    smilies: bool = True  # replace smiley codes
    images: bool = True  # [img] becomes <img>; when False it becomes a link showing the URL
    max_image_width: int = 600  # clamp for [img=W,H]


DEFAULT_OPTIONS = MarkupOptions()

ATTACH_MARKER_RE = re.compile(r'<span class="fupan-attach" data-aid="(?P<aid>[0-9]+)"></span>')

# --- tag table ----------------------------------------------------------------------------

# Parameter rules: a tag used against its rule is not a tag (it stays literal text).
_NONE, _OPTIONAL, _REQUIRED = "none", "optional", "required"

_CONTAINER_PARAMS: dict[str, str] = {
    "b": _NONE,
    "i": _OPTIONAL,  # [i=s]
    "u": _NONE,
    "s": _NONE,
    "sup": _NONE,
    "sub": _NONE,
    "color": _REQUIRED,
    "backcolor": _REQUIRED,
    "size": _REQUIRED,
    "font": _REQUIRED,
    "align": _REQUIRED,
    "p": _REQUIRED,
    "float": _REQUIRED,
    "indent": _NONE,
    "list": _OPTIONAL,
    "*": _NONE,
    "quote": _NONE,
    "free": _NONE,
    "hide": _OPTIONAL,
    "table": _OPTIONAL,
    "tr": _OPTIONAL,
    "td": _OPTIONAL,
    "url": _REQUIRED,  # [url=target]text[/url]; [url]target[/url] is a leaf
    "email": _REQUIRED,
}
# Leaves take the raw text up to their closing tag. [code] may contain anything (including other
# tags); the others must be closed by the very next tag token.
_LEAF_PARAMS: dict[str, str] = {
    "code": _NONE,
    "img": _OPTIONAL,
    "url": _NONE,
    "email": _NONE,
    "media": _OPTIONAL,
    "audio": _OPTIONAL,
    "flash": _OPTIONAL,
    "attach": _NONE,
    "attachimg": _NONE,
    "qq": _NONE,
}
_VOID = {"hr"}
_KNOWN = set(_CONTAINER_PARAMS) | set(_LEAF_PARAMS) | _VOID
_LINKS = {"url", "email"}
# Closed implicitly by the next sibling item or by the end of their list/table.
_AUTOCLOSE = {"*", "tr", "td"}
_STRUCTURAL_PARENT = {"*": "list", "tr": "table", "td": "tr"}
_IMPLICITLY_ENDED = {"*": ("*",), "td": ("td",), "tr": ("td", "tr")}

_TAG_RE = re.compile(r"\[(/?)([A-Za-z]{1,10}|\*)(?:=([^\[\]\n]{0,2048}))?\]")


@dataclass(eq=False, slots=True)
class _Node:
    name: str  # "" for the root
    param: str | None
    open_raw: str
    children: list[_Node | str] = field(default_factory=list)
    # None: never closed, so the tag is shown as literal text. "" when closed implicitly.
    close_raw: str | None = None
    content: str | None = None  # raw text of a leaf


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    closing: bool
    name: str
    param: str | None


def _unquote(param: str | None) -> str | None:
    if param is None:
        return None
    value = param.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value


def _param_ok(rule: str, param: str | None) -> bool:
    if rule == _NONE:
        return param is None
    if rule == _REQUIRED:
        return param is not None
    return True


def _clean_source(source: str) -> str:
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters have no business in a post; lone surrogates cannot even be encoded.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", "", source)


def _tokenize(source: str, bbcode: bool) -> list[_Token]:
    tokens = []
    for match in _TAG_RE.finditer(source):
        name = match.group(2).lower()
        if name not in _KNOWN:
            continue
        # With Discuz code off, attachments placed by the editor still show inline (Discuz's
        # parseattach runs regardless of bbcodeoff).
        if not bbcode and name not in {"attach", "attachimg"}:
            continue
        tokens.append(
            _Token(match.start(), match.end(), bool(match.group(1)), name, match.group(3))
        )
    return tokens


def _merge_text(node: _Node) -> None:
    # Text is appended in pieces while building (concatenating in place would be quadratic on
    # a megabyte of stray tags); joining once per node keeps the whole build linear.
    merged: list[_Node | str] = []
    pending: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            pending.append(child)
            continue
        if pending:
            merged.append("".join(pending))
            pending = []
        merged.append(child)
    if pending:
        merged.append("".join(pending))
    node.children = merged


class _TreeBuilder:
    def __init__(self, source: str, bbcode: bool) -> None:
        self.source = source
        self.tokens = _tokenize(source, bbcode)
        self.root = _Node("", None, "")
        self.stack: list[_Node] = [self.root]
        self.open_counts: dict[str, int] = {}
        # Token indexes of each [/code], for finding a block's end without rescanning.
        self.code_closes = [i for i, t in enumerate(self.tokens) if t.closing and t.name == "code"]

    def build(self) -> _Node:
        source, tokens = self.source, self.tokens
        position = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            self._text(source[position : token.start])
            raw = source[token.start : token.end]
            position = token.end
            if token.closing:
                if token.param is None and self.open_counts.get(token.name, 0) > 0:
                    self._close(token.name, raw)
                else:
                    self._text(raw)
            elif token.name in _LEAF_PARAMS and not (
                token.name in _LINKS and token.param is not None
            ):
                end = self._leaf(i, raw)
                if end is not None:
                    i = end
                    position = tokens[end].end
            elif token.name in _VOID:
                if token.param is None:
                    self.stack[-1].children.append(_Node(token.name, None, raw, close_raw=""))
                else:
                    self._text(raw)
            else:
                self._open(token, raw)
            i += 1
        self._text(source[position:])
        while len(self.stack) > 1:
            self._pop(closed=None)
        _merge_text(self.root)
        return self.root

    def _text(self, text: str) -> None:
        if text:
            self.stack[-1].children.append(text)

    def _push(self, node: _Node) -> None:
        self.stack[-1].children.append(node)
        self.stack.append(node)
        self.open_counts[node.name] = self.open_counts.get(node.name, 0) + 1

    def _pop(self, closed: str | None) -> None:
        node = self.stack.pop()
        node.close_raw = closed
        self.open_counts[node.name] -= 1
        _merge_text(node)

    def _leaf(self, index: int, raw: str) -> int | None:
        """Attach a leaf starting at tokens[index]; return the index of its closing token."""
        token = self.tokens[index]
        if not _param_ok(_LEAF_PARAMS[token.name], token.param):
            self._text(raw)
            return None
        if token.name == "code":
            k = bisect.bisect_right(self.code_closes, index)
            end = self.code_closes[k] if k < len(self.code_closes) else None
        else:
            following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
            ok = (
                following is not None
                and following.closing
                and following.name == token.name
                and following.param is None
            )
            end = index + 1 if ok else None
        if end is None or (token.name in _LINKS and self._in_link()):
            self._text(raw)
            return None
        close = self.tokens[end]
        content = self.source[token.end : close.start]
        if not content:
            self._text(raw)
            return None
        self.stack[-1].children.append(
            _Node(
                token.name,
                _unquote(token.param),
                raw,
                close_raw=self.source[close.start : close.end],
                content=content,
            )
        )
        return end

    def _in_link(self) -> bool:
        return any(self.open_counts.get(name, 0) for name in _LINKS)

    def _open(self, token: _Token, raw: str) -> None:
        name = token.name
        if (
            not _param_ok(_CONTAINER_PARAMS[name], token.param)
            or len(self.stack) > MAX_DEPTH
            or (name in _LINKS and self._in_link())
        ):
            self._text(raw)
            return
        parent = _STRUCTURAL_PARENT.get(name)
        if parent is not None:
            # [*] ends the open item; [td] the open cell; [tr] the open cell and row. Otherwise
            # the tag must sit directly in its list/row/table, or it is not a tag.
            depth = len(self.stack) - 1
            for implied in _IMPLICITLY_ENDED[name]:
                if self.stack[depth].name == implied:
                    depth -= 1
            if self.stack[depth].name != parent:
                self._text(raw)
                return
            while len(self.stack) - 1 > depth:
                self._pop(closed="")
        self._push(_Node(name, _unquote(token.param), raw))

    def _close(self, name: str, raw: str) -> None:
        match = len(self.stack) - 1
        while self.stack[match].name != name:
            match -= 1
        # Items, rows and cells directly above the closed tag end with it; anything else left
        # open above it was never closed and is shown as literal text.
        implicit = match
        while implicit + 1 < len(self.stack) and self.stack[implicit + 1].name in _AUTOCLOSE:
            implicit += 1
        while len(self.stack) - 1 > match:
            self._pop(closed="" if len(self.stack) - 1 <= implicit else None)
        self._pop(closed=raw)


def _build(source: str, bbcode: bool = True) -> _Node:
    return _TreeBuilder(_clean_source(source), bbcode).build()


# --- rendering ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    # element: start + children + end; unwrap: children only (a style tag with a bad value);
    # literal: the tags shown as text around the children; leaf: rendered from its raw content.
    mode: Literal["element", "unwrap", "literal", "leaf"]
    start: str = ""
    end: str = ""
    block: bool = False


_LITERAL = _Plan("literal")
_UNWRAP = _Plan("unwrap")

_BLOCK_LEAVES = {"code"}
_ALIGN_VALUES = {"left", "center", "right"}
_P_RE = re.compile(
    r"(\d{1,3}|null)\s*,\s*(\d{1,2}|null)\s*,\s*(left|center|right|justify)", re.IGNORECASE
)
_TABLE_WIDTH_RE = re.compile(r"(\d{1,4})(%|px)?", re.IGNORECASE)
_TD_PARAM_RE = re.compile(r"(?:(\d{1,2})\s*,\s*(\d{1,2})\s*(?:,\s*(\d{1,4}%?))?|(\d{1,4}%?))")
_IMG_SIZE_RE = re.compile(r"(\d{1,4})\s*[x,]\s*(\d{1,4})", re.IGNORECASE)
_AID_RE = re.compile(r"\s*([0-9]{1,10})\s*")
_QQ_RE = re.compile(r"\s*([1-9][0-9]{4,11})\s*")
_LIST_TYPES = {"1": '<ol type="1">', "a": '<ol type="a">', "A": '<ol type="A">'}
_PIPE_RE = re.compile(r"(\n|(?<!\\)\|)")

# Bare links, as Discuz's parseurl finds them: ASCII URL characters only, so Chinese text right
# after a link is not swallowed.
_BARE_URL_RE = re.compile(
    r"(?<![A-Za-z0-9\-=/@.])(?:(?:https?|ftp)://[A-Za-z0-9]|www\.[A-Za-z0-9])"
    r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%|()]*",
    re.IGNORECASE,
)
_SPACE_RUN_RE = re.compile(r" {2,}")
# Wider runs of spaces are kept at this width: nobody indents further, and a megabyte of tabs
# must not become many megabytes of &nbsp;.
_MAX_SPACE_RUN = 64
_TEXT_CHUNK = 2000


def _style(**properties: str) -> str:
    declarations = ";".join(f"{key.replace('_', '-')}:{value}" for key, value in properties.items())
    return f' style="{html.escape(declarations)}"'


def _shorten(url: str) -> str:
    # Discuz cuturl(): 65 characters at most, as first 32 + " ... " + last 19.
    return url if len(url) <= 65 else f"{url[:32]} ... {url[-19:]}"


def _trim_bare_url(url: str) -> str:
    # Sentence punctuation after a link belongs to the sentence; ")" only if it is unbalanced.
    end = len(url)
    unbalanced = url.count(")") - url.count("(")
    while end:
        if url[end - 1] in ".,;:!?":
            end -= 1
        elif url[end - 1] == ")" and unbalanced > 0:
            unbalanced -= 1
            end -= 1
        else:
            break
    return url[:end]


def _link_start(href: str) -> str:
    # nh3 adds rel="nofollow ugc noopener noreferrer" to every link.
    return f'<a href="{html.escape(href)}" target="_blank">'


def _link(href: str, text_html: str) -> str:
    return f"{_link_start(href)}{text_html}</a>"


def _chunked(text: str, escape: Callable[[str], str]) -> str:
    # html5ever's serializer is quadratic in the escaped characters of one text node, so a long
    # run of "&" or spaces would take seconds; a <wbr> every few thousand characters splits the
    # node without changing what is shown or copied.
    if len(text) <= _TEXT_CHUNK:
        return escape(text)
    return "<wbr>".join(escape(text[i : i + _TEXT_CHUNK]) for i in range(0, len(text), _TEXT_CHUNK))


def _escape_layout(text: str) -> str:
    escaped = html.escape(text.replace("\t", "    "), quote=False)
    escaped = _SPACE_RUN_RE.sub(
        lambda m: "&nbsp;" * (min(len(m.group()), _MAX_SPACE_RUN) - 1) + " ", escaped
    )
    return escaped.replace("\n", "<br>")


def _text_html(text: str) -> str:
    """Escape text and keep its layout: tabs and space runs keep their width, \\n is <br>."""
    return _chunked(text, _escape_layout)


def _code_html(code: str) -> str:
    return _chunked(code, lambda piece: html.escape(piece, quote=False))


def _is_blank(children: list[_Node | str]) -> bool:
    return all(isinstance(child, str) and not child.strip() for child in children)


class _Renderer:
    def __init__(self, options: MarkupOptions) -> None:
        self.options = options
        self.smilies = SmileyReplacer() if options.smilies else None
        self.out: list[str] = []

    # -- plans --

    def plan(self, node: _Node, parent_real: bool) -> _Plan:
        if node.content is not None:
            return _Plan("leaf", block=node.name in _BLOCK_LEAVES)
        if node.name in _VOID:
            return _Plan("element", "<hr>", "", block=True)
        if node.close_raw is None:
            return _LITERAL
        if node.name in _STRUCTURAL_PARENT and not parent_real:
            return _LITERAL
        return self._element_plan(node)

    def _element_plan(self, node: _Node) -> _Plan:
        name, param = node.name, node.param
        simple = {"b": "strong", "u": "u", "s": "s", "sup": "sup", "sub": "sub"}
        if name in simple:
            return _Plan("element", f"<{simple[name]}>", f"</{simple[name]}>")
        if name == "i":
            if param is None:
                return _Plan("element", "<i>", "</i>")
            if param.lower() == "s":
                return _Plan("element", '<i class="pstatus">', "</i>")
            return _LITERAL
        if name in {"color", "backcolor", "size", "font", "float"}:
            assert param is not None
            prop, value = {
                "color": ("color", clean_color),
                "backcolor": ("background-color", clean_color),
                "size": ("font-size", clean_font_size),
                "font": ("font-family", clean_font_family),
                "float": ("float", lambda v: v.lower() if v.lower() in {"left", "right"} else None),
            }[name]
            cleaned = value(param)
            if cleaned is None:
                return _UNWRAP
            return _Plan("element", f"<span{_style(**{prop: cleaned})}>", "</span>")
        if name == "align":
            assert param is not None
            if param.lower() not in _ALIGN_VALUES:
                return _UNWRAP
            return _Plan("element", f"<div{_style(text_align=param.lower())}>", "</div>", True)
        if name == "p":
            assert param is not None
            match = _P_RE.fullmatch(param)
            if not match:
                return _UNWRAP
            line_height, indent, align = match.groups()
            props = {}
            if line_height.lower() != "null" and 0 < int(line_height) <= 200:
                props["line_height"] = f"{int(line_height)}px"
            if indent.lower() != "null":
                props["text_indent"] = f"{int(indent)}em"
            props["text_align"] = align.lower()
            return _Plan("element", f"<div{_style(**props)}>", "</div>", True)
        if name == "indent":
            return _Plan("element", '<blockquote class="indent">', "</blockquote>", True)
        if name == "quote":
            return _Plan("element", '<blockquote class="quote">', "</blockquote>", True)
        if name == "free":
            return _Plan("element", '<blockquote class="quote free">', "</blockquote>", True)
        if name == "hide":
            # Whatever the parameter, the content stays in the hide block: failing open here
            # would show paid or reply-only content.
            return _Plan("element", '<div class="hide-block">', "</div>", True)
        if name == "list":
            start = _LIST_TYPES.get(param or "", "<ul>")
            return _Plan("element", start, "</ol>" if start != "<ul>" else "</ul>", True)
        if name == "*":
            return _Plan("element", "<li>", "</li>", True)
        if name == "table":
            return _Plan("element", self._table_start(param), "</tbody></table>", True)
        if name == "tr":
            color = clean_color(param) if param else None
            start = f"<tr{_style(background_color=color)}>" if color else "<tr>"
            return _Plan("element", start, "</tr>", True)
        if name == "td":
            return _Plan("element", self._td_start(param), "</td>", True)
        if name == "url":
            href = clean_link_url(param or "")
            if href is None:
                return _UNWRAP
            return _Plan("element", _link_start(href), "</a>")
        if name == "email":
            address = clean_email(param or "")
            if address is None:
                return _UNWRAP
            return _Plan("element", _link_start(f"mailto:{address}"), "</a>")
        return _LITERAL  # pragma: no cover - every container name is handled above

    @staticmethod
    def _table_start(param: str | None) -> str:
        props: dict[str, str] = {}
        if param:
            width, _, color = param.partition(",")
            match = _TABLE_WIDTH_RE.fullmatch(width.strip())
            if match:
                number = int(match.group(1))
                # Discuz: N% up to 98, pixels up to 560, anything larger is 98%.
                if match.group(2) == "%":
                    props["width"] = f"{min(number, 98)}%"
                else:
                    props["width"] = f"{number}px" if number <= 560 else "98%"
            cleaned = clean_color(color) if color.strip() else None
            if cleaned:
                props["background_color"] = cleaned
        style = _style(**props) if props else ""
        return f'<table class="bbcode-table"{style}><tbody>'

    @staticmethod
    def _td_start(param: str | None) -> str:
        match = _TD_PARAM_RE.fullmatch(param.strip()) if param else None
        if not match:
            return "<td>"
        colspan, rowspan, width_after, width_alone = match.groups()
        attrs = ""
        if colspan and int(colspan) > 1:
            attrs += f' colspan="{int(colspan)}"'
        if rowspan and int(rowspan) > 1:
            attrs += f' rowspan="{int(rowspan)}"'
        width = width_after or width_alone
        if width:
            number = int(width.rstrip("%"))
            if width.endswith("%") and 0 < number <= 100:
                attrs += _style(width=f"{number}%")
            elif not width.endswith("%") and 0 < number <= 2000:
                attrs += _style(width=f"{number}px")
        return f"<td{attrs}>"

    # -- output --

    def render(self, root: _Node) -> str:
        self.children(root.children, block_parent=False, real=True, in_link=False)
        return "".join(self.out)

    def children(
        self, children: list[_Node | str], *, block_parent: bool, real: bool, in_link: bool
    ) -> None:
        plans = [None if isinstance(c, str) else self.plan(c, real) for c in children]
        last = len(children) - 1
        for index, child in enumerate(children):
            if isinstance(child, str):
                text = child
                before = plans[index - 1] if index > 0 else None
                after = plans[index + 1] if index < last else None
                if (before.block if before else index == 0 and block_parent) and text.startswith(
                    "\n"
                ):
                    text = text[1:]
                if (after.block if after else index == last and block_parent) and text.endswith(
                    "\n"
                ):
                    text = text[:-1]
                self.text(text, in_link)
            else:
                plan = plans[index]
                assert plan is not None
                self.node(child, plan, in_link)

    def node(self, node: _Node, plan: _Plan, in_link: bool) -> None:
        if plan.mode == "leaf":
            self.leaf(node, in_link)
            return
        if plan.mode == "literal":
            self.text(node.open_raw, in_link)
            self.children(node.children, block_parent=False, real=False, in_link=in_link)
            self.text(node.close_raw or "", in_link)
            return
        if plan.mode == "unwrap":
            self.children(node.children, block_parent=False, real=False, in_link=in_link)
            return
        self.out.append(plan.start)
        inner_link = in_link or node.name in _LINKS
        if node.name == "list":
            self.grouped(node.children, "*", "<li>", "</li>", inner_link)
        elif node.name == "table":
            if any(isinstance(c, _Node) and c.name == "tr" for c in node.children):
                self.grouped(node.children, "tr", "<tr><td>", "</td></tr>", inner_link)
            else:
                self.pipe_table(node.children, inner_link)
        elif node.name == "tr":
            self.grouped(node.children, "td", "<td>", "</td>", inner_link)
        else:
            self.children(node.children, block_parent=plan.block, real=True, in_link=inner_link)
        self.out.append(plan.end)

    def grouped(
        self, children: list[_Node | str], item: str, start: str, end: str, in_link: bool
    ) -> None:
        """Render the items of a list/table/row; stray content between items gets its own item
        (blank stray text is dropped), so the HTML stays well-formed."""
        stray: list[_Node | str] = []

        def flush() -> None:
            if stray and not _is_blank(stray):
                self.out.append(start)
                self.children(stray, block_parent=True, real=True, in_link=in_link)
                self.out.append(end)
            stray.clear()

        for child in children:
            if isinstance(child, _Node) and child.name == item:
                flush()
                self.node(child, self.plan(child, True), in_link)
            else:
                stray.append(child)
        flush()

    def pipe_table(self, children: list[_Node | str], in_link: bool) -> None:
        """Discuz's short table form: one row per line, cells split by "|" ("\\|" is a bar)."""
        rows: list[list[list[_Node | str]]] = [[[]]]
        for child in children:
            if isinstance(child, _Node):
                rows[-1][-1].append(child)
                continue
            for piece in _PIPE_RE.split(child):
                if piece == "\n":
                    rows.append([[]])
                elif piece == "|":
                    rows[-1].append([])
                elif piece:
                    rows[-1][-1].append(piece.replace("\\|", "|"))
        for row in rows:
            if all(_is_blank(cell) for cell in row):
                continue
            self.out.append("<tr>")
            for cell in row:
                self.out.append("<td>")
                self.children(cell, block_parent=True, real=True, in_link=in_link)
                self.out.append("</td>")
            self.out.append("</tr>")

    def text(self, text: str, in_link: bool) -> None:
        if not text:
            return
        if in_link or not self.options.bbcode:
            self.smiley_text(text)
            return
        position = 0
        for match in _BARE_URL_RE.finditer(text):
            url = _trim_bare_url(match.group())
            href = clean_link_url(url)
            if href is None:
                continue
            self.smiley_text(text[position : match.start()])
            self.out.append(_link(href, _text_html(_shorten(url))))
            position = match.start() + len(url)
        self.smiley_text(text[position:])

    def smiley_text(self, text: str) -> None:
        if not text:
            return
        if self.smilies is None:
            self.out.append(_text_html(text))
            return
        for piece in self.smilies.split(text):
            if isinstance(piece, Smiley):
                self.out.append(smiley_html(piece))
            else:
                self.out.append(_text_html(piece))

    def leaf(self, node: _Node, in_link: bool) -> None:
        name = node.name
        content = node.content or ""
        if name == "code":
            code = content.removeprefix("\n").removesuffix("\n")
            self.out.append(f'<pre class="code"><code>{_code_html(code)}</code></pre>')
            return
        if name in {"attach", "attachimg"}:
            match = _AID_RE.fullmatch(content)
            if match:
                self.out.append(
                    f'<span class="fupan-attach" data-aid="{int(match.group(1))}"></span>'
                )
            else:
                self.text(node.open_raw + content + (node.close_raw or ""), in_link)
            return
        if name == "qq":
            match = _QQ_RE.fullmatch(content)
            if not match:
                self.text(node.open_raw + content + (node.close_raw or ""), in_link)
                return
            number = match.group(1)
            label = _text_html(f"QQ: {number}")
            if in_link:
                self.out.append(label)
            else:
                href = f"https://wpa.qq.com/msgrd?v=3&uin={number}&site=qq&menu=yes"
                self.out.append(_link(href, label))
            return
        if name == "email":
            address = clean_email(content)
            if address is None or in_link:
                self.out.append(_text_html(content))
            else:
                self.out.append(_link(f"mailto:{address}", _text_html(address)))
            return
        if name == "img" and self.options.images:
            src = clean_image_url(content)
            if src is None:
                self.out.append(_text_html(content))
                return
            self.out.append(
                f'<img src="{html.escape(src)}" alt="" loading="lazy" class="bbcode-img"'
                f"{self._image_size(node.param)}>"
            )
            return
        # [url]target[/url], [img] with images off, and media (never embedded): a plain link.
        url = content.strip()
        href = clean_link_url(url) if name != "img" else clean_image_url(url)
        if href is None or in_link:
            self.out.append(_text_html(content))
        else:
            self.out.append(_link(href, _text_html(_shorten(url))))

    def _image_size(self, param: str | None) -> str:
        match = _IMG_SIZE_RE.fullmatch(param.strip()) if param else None
        if not match:
            return ""
        width, height = int(match.group(1)), int(match.group(2))
        limit = max(self.options.max_image_width, 1)
        if width > limit:
            if height:
                height = max(round(height * limit / width), 1)
            width = limit
        attrs = f' width="{width}"' if width else ""
        return attrs + (f' height="{height}"' if height else "")


# --- public API ---------------------------------------------------------------------------


def _render(source: str, options: MarkupOptions) -> str:
    root = _build(source, options.bbcode)
    return sanitize_html(_Renderer(options).render(root))


def render_bbcode(source: str, options: MarkupOptions = DEFAULT_OPTIONS) -> str:
    """Discuz code source -> sanitised HTML fragment (string), safe to mark_safe."""
    try:
        return _render(source, options)
    except Exception:
        # One broken post must not take the whole thread page down; show it as plain text.
        logger.exception("Discuz code renderer failed; falling back to plain text")
        return sanitize_html(_text_html(_clean_source(source)))


def attachment_ids(source: str) -> list[int]:
    """aids referenced by [attach]N[/attach] / [attachimg]N[/attachimg], in order, unique."""
    seen: dict[int, None] = {}
    # Depth-first in document order, with an explicit stack.
    pending: list[_Node | str] = [_build(source)]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            continue
        if node.name in {"attach", "attachimg"} and node.content is not None:
            match = _AID_RE.fullmatch(node.content)
            if match:
                seen[int(match.group(1))] = None
        pending.extend(reversed(node.children))
    return list(seen)


def substitute_attachments(html: str, render_one: Callable[[int], str]) -> str:
    """Replace each attachment marker with render_one(aid) (already-safe HTML from our own code).

    The caller must check that each aid belongs to the post being shown: a post can name any aid.
    """
    return ATTACH_MARKER_RE.sub(lambda m: render_one(int(m.group("aid"))), html)


def plain_text(source: str) -> str:
    """Discuz code -> plain text (tags removed, quotes kept as text) for excerpts/search/titles.

    [hide] content is left out, so excerpts and search results do not leak it; images and
    attachments are dropped; links keep their text.
    """
    root = _build(source)
    out: list[str] = []
    _plain(root, out, real=True)
    # Line by line: a regex for "spaces before a newline" is quadratic on a megabyte of spaces.
    text = "\n".join(line.rstrip(" \t") for line in "".join(out).split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


_BLANK_LINES_RE = re.compile(r"\n{3,}")


_PLAIN_BLOCKS = {"quote", "free", "indent", "align", "p", "list", "*", "table", "tr"}


def _plain(node: _Node, out: list[str], real: bool) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        name = child.name
        if child.content is not None:
            if name in {"code", "url", "email", "media", "audio", "flash", "qq"}:
                out.append(child.content.strip() if name != "code" else child.content)
            continue
        if name in _VOID:
            out.append("\n")
            continue
        literal = child.close_raw is None or (name in _STRUCTURAL_PARENT and not real)
        if literal:
            out.append(child.open_raw)
            _plain(child, out, real=False)
            out.append(child.close_raw or "")
            continue
        if name == "hide":
            continue
        if name in _PLAIN_BLOCKS:
            out.append("\n")
        elif name == "td":
            out.append(" ")
        _plain(child, out, real=True)
        if name in _PLAIN_BLOCKS and name != "*":
            out.append("\n")
