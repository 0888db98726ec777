"""The allow-lists behind rendered posts: URL and CSS value checks, and the final nh3 pass.

The renderer only ever builds attributes from values that passed a check here; nh3 then
re-parses the whole fragment with the same allow-lists, so a bug in the renderer still
cannot produce script, event handlers or dangerous URLs.
"""

from __future__ import annotations

import re

import nh3

__all__ = [
    "ALLOWED_STYLE_PROPERTIES",
    "URL_SCHEMES",
    "clean_color",
    "clean_email",
    "clean_font_family",
    "clean_font_size",
    "clean_image_url",
    "clean_link_url",
    "sanitize_html",
]

# The Content Security Policy allows inline style; these are the only properties Discuz code
# needs (colour, size, font, alignment, [p], [float], table widths).
ALLOWED_STYLE_PROPERTIES: frozenset[str] = frozenset(
    {
        "color",
        "background-color",
        "font-size",
        "font-family",
        "text-align",
        "line-height",
        "text-indent",
        "float",
        "width",
    }
)

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "ftp", "mailto", "tel", "magnet"})
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "ftp", "mailto", "tel", "magnet"})
IMAGE_SCHEMES: frozenset[str] = frozenset({"http", "https"})

LINK_REL = "nofollow ugc noopener noreferrer"

MAX_URL_LENGTH = 2048

# --- URLs ---------------------------------------------------------------------------------

# Browsers drop tab/CR/LF anywhere in a URL ("java\tscript:" is javascript:), so they are removed
# before the scheme is read; any other control character means the URL is rejected outright.
_URL_INVISIBLE_RE = re.compile(r"[\t\n\r]")
_URL_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# A host must follow "//": "http:///x" and "http://" alone are not links.
_HIER_URL_RE = re.compile(r"(?:https?|ftp)://[^/?#\\\s]", re.I)
_TEL_RE = re.compile(r"tel:\+?[0-9][0-9\-. ()]{0,30}", re.I)
_MAGNET_RE = re.compile(r"magnet:\?\S+", re.I)
# Discuz pages linked relatively inside old posts; they resolve against the site root, where the
# legacy URL layer answers them.
_LEGACY_RELATIVE_RE = re.compile(
    r"(?:(?:forum|home|member|misc|portal|search|plugin|group|userapp|connect)\.php(?:[?#]|$)"
    r"|(?:thread|forum|space|blog|article|group)-[\w\-]+\.html"
    r"|(?:archiver|static|data/attachment)/)",
    re.I,
)
# Characters that must not survive raw in an attribute or that browsers reinterpret ("\" is "/").
_URL_ESCAPES = {" ": "%20", '"': "%22", "<": "%3C", ">": "%3E", "\\": "%5C", "`": "%60"}
_URL_ESCAPE_RE = re.compile('[ "<>\\\\`]')

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+")


def _prepare_url(raw: str) -> str | None:
    url = _URL_INVISIBLE_RE.sub("", raw).strip(" \u3000")
    if not url or len(url) > MAX_URL_LENGTH or _URL_CONTROL_RE.search(url):
        return None
    return url


def _encode_url(url: str) -> str:
    return _URL_ESCAPE_RE.sub(lambda m: _URL_ESCAPES[m.group()], url)


def clean_email(raw: str) -> str | None:
    """A bare e-mail address, or None."""
    address = raw.strip()
    if len(address) > 254 or not _EMAIL_RE.fullmatch(address):
        return None
    return address


def _clean_url(raw: str, schemes: frozenset[str]) -> str | None:
    url = _prepare_url(raw)
    if url is None:
        return None
    if url[:4].lower() == "www.":
        url = "http://" + url
    elif url.startswith("//"):
        # Protocol-relative: pin it to https rather than inherit whatever the page uses.
        url = "https:" + url
    match = _SCHEME_RE.match(url)
    if match:
        scheme = match.group(1).lower()
        if scheme not in schemes:
            return None
        if scheme in {"http", "https", "ftp"}:
            valid = _HIER_URL_RE.match(url) is not None
        elif scheme == "mailto":
            valid = clean_email(url[len("mailto:") :].split("?", 1)[0]) is not None
        elif scheme == "tel":
            valid = _TEL_RE.fullmatch(url) is not None
        else:
            valid = _MAGNET_RE.match(url) is not None
        return _encode_url(url) if valid else None
    if url.startswith("/") and not url.startswith("/\\"):
        return _encode_url(url)
    if _LEGACY_RELATIVE_RE.match(url):
        return _encode_url("/" + url)
    return None


def clean_link_url(raw: str) -> str | None:
    """A link target from [url] or a bare URL, normalised; None when it must stay plain text.

    Allowed: http, https, ftp, mailto (with an address), tel, magnet, ``www.`` (gets http://),
    ``//host`` (gets https:), site-relative ``/path`` and Discuz legacy pages (``forum.php?…``).
    """
    return _clean_url(raw, LINK_SCHEMES)


def clean_image_url(raw: str) -> str | None:
    """An [img] source: http(s), ``//host`` (as https), site-relative paths; else None."""
    return _clean_url(raw, IMAGE_SCHEMES)


# --- CSS values ---------------------------------------------------------------------------

_CSS_COLOR_NAMES = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen transparent
"""
_CSS_NAMED_COLORS: frozenset[str] = frozenset(_CSS_COLOR_NAMES.split())
_HEX_COLOR_RE = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})")
# Old editors wrote [color=ff0000]; no colour name is made of hex digits only, so it is safe.
_BARE_HEX_COLOR_RE = re.compile(r"[0-9a-f]{6}")
_RGB_COLOR_RE = re.compile(
    r"rgba?\(\s*(\d{1,3})(%?)\s*,\s*(\d{1,3})(%?)\s*,\s*(\d{1,3})(%?)\s*"
    r"(?:,\s*(\d{0,3}(?:\.\d{1,4})?)(%?)\s*)?\)"
)


def clean_color(raw: str) -> str | None:
    """#rgb, #rrggbb, a CSS colour name, rgb()/rgba() with numbers; anything else is None."""
    value = raw.strip().lower()
    if value in _CSS_NAMED_COLORS or _HEX_COLOR_RE.fullmatch(value):
        return value
    if _BARE_HEX_COLOR_RE.fullmatch(value):
        return "#" + value
    match = _RGB_COLOR_RE.fullmatch(value)
    if not match:
        return None
    r, rp, g, gp, b, bp, alpha, alpha_pct = match.groups()
    channels = []
    for number, percent in ((r, rp), (g, gp), (b, bp)):
        if int(number) > (100 if percent else 255):
            return None
        channels.append(f"{int(number)}{percent}")
    if alpha is None:
        return f"rgb({', '.join(channels)})"
    if alpha in {"", "."} or float(alpha) > (100 if alpha_pct else 1):
        return None
    return f"rgba({', '.join(channels)}, {alpha}{alpha_pct})"


# Discuz [size=1..7] is <font size=N>; these are the browsers' pixel sizes for those.
FONT_SIZE_STEPS: dict[int, str] = {
    1: "10px",
    2: "13px",
    3: "16px",
    4: "18px",
    5: "24px",
    6: "32px",
    7: "48px",
}
_FONT_SIZE_RE = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)(px|pt)")
# Below these the text is unreadable, which is only ever used to hide spam.
_MIN_FONT_SIZE = {"px": 8.0, "pt": 6.0}
MAX_FONT_SIZE = 48.0


def clean_font_size(raw: str) -> str | None:
    """[size=] value: 1–7 (mapped to px), or ``Npx``/``Npt`` up to 48; else None."""
    value = raw.strip().lower()
    if value.isdigit() and len(value) <= 2:
        return FONT_SIZE_STEPS.get(int(value))
    match = _FONT_SIZE_RE.fullmatch(value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if not _MIN_FONT_SIZE[unit] <= number <= MAX_FONT_SIZE:
        return None
    return f"{match.group(1)}{unit}"


def clean_font_family(raw: str) -> str | None:
    """Font names of letters, digits (any script, so 微软雅黑 works), spaces, hyphens, commas."""
    value = raw.strip()
    if not value or len(value) > 100:
        return None
    if not all(ch.isalnum() or ch in " -," for ch in value):
        return None
    families = [" ".join(part.split()) for part in value.split(",")]
    families = [family for family in families if family]
    return ",".join(families) or None


# --- the final pass -----------------------------------------------------------------------

_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "div",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tr",
    "u",
    "ul",
    "wbr",
}
_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "span": {"style", "title", "aria-label", "data-aid"},
    "div": {"style"},
    "table": {"style"},
    "tr": {"style"},
    "td": {"style", "colspan", "rowspan"},
}
# Attributes whose value is fixed: listing them here (and not in _ATTRIBUTES) makes nh3 drop any
# other value.
_ATTRIBUTE_VALUES = {
    "a": {"target": {"_blank"}},
    "img": {"loading": {"lazy"}},
    "ol": {"type": {"1", "a", "A"}},
    "span": {"role": {"img"}, "aria-hidden": {"true"}},
}
_CLASSES = {
    "blockquote": {"quote", "free", "indent"},
    "div": {"hide-block"},
    "i": {"pstatus"},
    "img": {"bbcode-img"},
    "pre": {"code"},
    "span": {"smiley", "fupan-attach", "jammer"},
    "table": {"bbcode-table"},
}

_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    tag_attribute_values=_ATTRIBUTE_VALUES,
    allowed_classes=_CLASSES,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Re-parse an HTML fragment and keep only the allow-listed tags, attributes and URLs."""
    return _CLEANER.clean(html)
