"""Pure conversions of Discuz values to ours (no database): times, text, IPs, colours, status
bits, permission lists, passwords and signatures."""

from __future__ import annotations

import html
import ipaddress
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

# Discuz's highlight colours (forum_forumdisplay.php $colorarray); index 0 = no colour.
HIGHLIGHT_COLORS = (
    "",
    "#EE1B2E",
    "#EE5023",
    "#996600",
    "#3C9D40",
    "#2897C5",
    "#2B65B7",
    "#8F2A90",
    "#EC1282",
)
ANONYMOUS_NAME = "匿名"  # setting anonymoustext
SPECIAL_DATA_SEPARATOR = "\x00\x00\x00"  # special-thread plugin data after the first post's message


def decode_text(raw: bytes | str | None) -> tuple[str, str | None]:
    """Text from a source column and, when its bytes were not UTF-8, what was done about it.
    Old sites converted from GBK sometimes keep GBK bytes: those are read as GB18030."""
    if raw is None:
        return "", None
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "invalid UTF-8, read as GBK"
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), "invalid UTF-8, bad bytes replaced"


def to_datetime(timestamp: int | None) -> datetime | None:
    """A Unix timestamp, or None for Discuz's 0 ("never") and impossible values."""
    if not timestamp or timestamp < 0 or timestamp > 32503680000:  # year 3000
        return None
    return datetime.fromtimestamp(int(timestamp), tz=UTC)


_IPV4_RE = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                      r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")  # fmt: skip


def clean_ip(raw: str) -> str | None:
    """A valid IP address or None (Discuz writes things like "Manual Acting" or "hidden")."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if _IPV4_RE.fullmatch(raw):  # the common case, without building an address object
        return raw
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def clean_color(raw: str) -> str:
    raw = (raw or "").strip()
    return raw.upper() if _COLOR_RE.match(raw) else ""


def highlight_color(value: int) -> tuple[str, bool]:
    """Thread ``highlight`` = style bits (bold, italic, underline) × 10 + colour index. Returns
    the colour and whether a style (which we do not keep) was set."""
    if not value or value < 0:
        return "", False
    style, color = divmod(int(value), 10)
    return (HIGHLIGHT_COLORS[color] if color < len(HIGHLIGHT_COLORS) else ""), style > 0


def permission_groups(raw: str) -> set[int] | None:
    """A tab-separated group list ("\\t1\\t2\\t10\\t"), or None when empty (= as the group says)."""
    ids = {int(part) for part in (raw or "").split("\t") if part.strip().isdigit()}
    return ids or None


# Post status bits (FACTS.md §1.9) -> our Post.Client values.
_MOBILE_TYPES = {1: 2, 2: 3, 3: 4, 5: 5}  # iOS, Android, Windows Phone, WeChat


def post_client(status: int) -> int:
    """Bit 4 (8) = posted from mobile; bits 8–10 = which app. 0 web, 1 mobile web, 2+ an app."""
    if not status & 8:
        return 0
    kind = (status >> 7) & 0b111
    return _MOBILE_TYPES.get(kind, 1)


def password_field(password: str, salt: str) -> str | None:
    """The value for User.password from ``pre_ucenter_members.password`` + ``salt``, or None when
    the format is unknown (then the member must reset their password)."""
    password, salt = (password or "").strip(), (salt or "").strip()
    try:
        from fupan.accounts.hashers import discuz_password_field  # type: ignore[attr-defined]
    except ImportError:  # the hashers are written in parallel; same formats
        discuz_password_field = None
    if salt and len(salt) == 6 and re.fullmatch(r"[0-9a-f]{32}", password.lower()):
        if discuz_password_field is not None:
            return str(discuz_password_field(password, salt))
        return f"discuz_md5${salt}${password.lower()}"
    if not salt and password.startswith("$2") and len(password) == 60:
        if discuz_password_field is not None:
            return str(discuz_password_field(password, salt))
        return f"discuz_bcrypt${password}"
    return None


def strip_special_data(message: str) -> str:
    return message.split(SPECIAL_DATA_SEPARATOR, 1)[0]


def strip_tags(text: str) -> str:
    """Board names and group titles sometimes carry HTML (<font color=red>): keep the words."""
    return html.unescape(re.sub(r"<[^>]*>", "", text or "")).strip()


class _SignatureParser(HTMLParser):
    """Discuz stores signatures pre-rendered (``sightml``); turn the common tags back into Discuz
    code and drop the rest, keeping the text."""

    _SIMPLE = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "s": "s", "strike": "s"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        close = ""
        if tag == "br":
            self.out.append("\n")
            return
        if tag == "img":
            src = a.get("src", "")
            if src.startswith(("http://", "https://")):
                self.out.append(f"[img]{src}[/img]")
            return
        if tag in self._SIMPLE:
            self.out.append(f"[{self._SIMPLE[tag]}]")
            close = f"[/{self._SIMPLE[tag]}]"
        elif tag == "a" and a.get("href", "").startswith(("http://", "https://")):
            self.out.append(f"[url={a['href']}]")
            close = "[/url]"
        elif tag == "font":
            opens = []
            if a.get("color"):
                opens.append(("color", a["color"]))
            if a.get("size"):
                opens.append(("size", a["size"]))
            self.out.extend(f"[{k}={v}]" for k, v in opens)
            close = "".join(f"[/{k}]" for k, _ in reversed(opens))
        elif tag in ("p", "div") and self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")
        self.stack.append(close)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img"):
            return
        if self.stack:
            self.out.append(self.stack.pop())

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def signature_code(sightml: str) -> str:
    if not sightml or not sightml.strip():
        return ""
    if "<" not in sightml and "&" not in sightml:
        return sightml.strip()
    parser = _SignatureParser()
    parser.feed(sightml)
    parser.close()
    return "".join(parser.out).strip()
