"""Reading pages the way a person sees them: the visible text, in order."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

_SKIP_TAGS = {"script", "style", "head", "template", "noscript", "textarea", "select", "option"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_BLOCKS = {
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "header",
    "footer",
    "article",
    "section",
    "table",
    "ul",
    "ol",
    "nav",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "main",
}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.hidden_depth = 0
        self.details_open: list[bool] = []
        self.in_summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        hides = (
            tag in _SKIP_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or "sr-only" in classes
            or "jammer" in classes
        )
        if tag == "br":
            self.parts.append("\n")
        if tag in _VOID:
            return
        if tag == "details":
            self.details_open.append("open" in attributes)
        if tag == "summary":
            self.in_summary += 1
        # Content of a closed <details> other than its <summary> is not shown.
        inside_closed_details = (
            bool(self.details_open)
            and not self.details_open[-1]
            and not self.in_summary
            and tag != "details"
        )
        hides = hides or inside_closed_details
        self.stack.append((tag, hides))
        if hides:
            self.hidden_depth += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.stack:
            open_tag, hides = self.stack.pop()
            if hides:
                self.hidden_depth -= 1
            if open_tag == "summary":
                self.in_summary -= 1
            if open_tag == "details" and self.details_open:
                self.details_open.pop()
            if open_tag == tag:
                break
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.hidden_depth == 0:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as shown: no scripts, hidden or aria-hidden parts, closed menus or jammer."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def squash(text: str) -> str:
    """For comparing with the Discuz scrape: NFKC (full-width punctuation → ASCII), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def find_in_order(text: str, items: list[str]) -> list[str]:
    """The items not found in ``text`` in the given order (an empty list means all were)."""
    haystack = squash(text)
    position = 0
    missing = []
    for item in items:
        needle = squash(item)
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(item)
        else:
            position = found + len(needle)
    return missing
