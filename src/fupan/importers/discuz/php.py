"""A small, safe reader (and writer, for tests) of PHP's ``serialize()`` format.

Discuz keeps many settings as serialized PHP arrays (``forumfield.threadtypes``,
``member_field_forum.groupterms``, ``pre_common_setting``). Nothing is ever instantiated: objects
come back as dicts (their class name under ``"__class__"``), and references, custom serialization
(``C:``) and anything unknown raise :class:`PHPSerializeError`.

Strings are byte-counted. Sites converted from GBK to UTF-8 often kept the old byte counts, so
``loads(..., lenient=True)`` recovers a string whose length is wrong by looking for its closing
``";``; :func:`loads_reporting` says whether that was needed.
"""

from __future__ import annotations

import math
from typing import Any

MAX_DEPTH = 64


class PHPSerializeError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes, *, lenient: bool, encoding: str) -> None:
        self.data = data
        self.pos = 0
        self.lenient = lenient
        self.encoding = encoding
        self.repaired = False

    def fail(self, message: str) -> PHPSerializeError:
        return PHPSerializeError(f"{message} at byte {self.pos}")

    def expect(self, token: bytes) -> None:
        if self.data[self.pos : self.pos + len(token)] != token:
            raise self.fail(f"expected {token.decode()!r}")
        self.pos += len(token)

    def until(self, stop: bytes) -> bytes:
        end = self.data.find(stop, self.pos)
        if end < 0:
            raise self.fail(f"missing {stop.decode()!r}")
        chunk = self.data[self.pos : end]
        self.pos = end + len(stop)
        return chunk

    def integer(self, stop: bytes) -> int:
        raw = self.until(stop)
        try:
            return int(raw)
        except ValueError:
            raise self.fail(f"bad integer {raw[:20]!r}") from None

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError:
            if not self.lenient:
                raise self.fail("invalid text") from None
            self.repaired = True
            return raw.decode(self.encoding, errors="replace")

    def string(self) -> str:
        length = self.integer(b":")
        if length < 0:
            raise self.fail("negative string length")
        self.expect(b'"')
        start = self.pos
        end = start + length
        if self.data[end : end + 2] == b'";':
            self.pos = end + 2
            return self.decode(self.data[start:end])
        if not self.lenient:
            raise self.fail("string length does not match")
        # The byte count is stale (charset conversion): take the shortest text ending in `";`
        # after which the serialization goes on sensibly.
        probe = start
        while True:
            end = self.data.find(b'";', probe)
            if end < 0:
                raise self.fail("unterminated string")
            after = self.data[end + 2 : end + 3]
            follows = self.data[end + 3 : end + 4]
            if after in (b"", b"}") or (after in b"sibdNaO" and follows in (b":", b";")):
                self.pos = end + 2
                self.repaired = True
                return self.decode(self.data[start:end])
            probe = end + 1

    def value(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail("nested too deeply")
        tag = self.data[self.pos : self.pos + 1]
        self.pos += 1
        if tag == b"N":
            self.expect(b";")
            return None
        self.expect(b":")
        if tag == b"b":
            raw = self.until(b";")
            if raw not in (b"0", b"1"):
                raise self.fail("bad boolean")
            return raw == b"1"
        if tag == b"i":
            return self.integer(b";")
        if tag == b"d":
            raw = self.until(b";")
            special = {b"INF": math.inf, b"-INF": -math.inf, b"NAN": math.nan}
            if raw in special:
                return special[raw]
            try:
                return float(raw)
            except ValueError:
                raise self.fail(f"bad number {raw[:20]!r}") from None
        if tag == b"s":
            return self.string()
        if tag == b"a":
            return self.mapping(depth)
        if tag == b"O":
            self.integer(b":")
            self.expect(b'"')
            name = self.decode(self.until(b'"'))
            self.expect(b":")
            result = self.mapping(depth)
            result["__class__"] = name
            return result
        raise self.fail(f"unsupported type {tag.decode(errors='replace')!r}")

    def mapping(self, depth: int) -> dict[Any, Any]:
        count = self.integer(b":")
        if count < 0:
            raise self.fail("negative array size")
        self.expect(b"{")
        result: dict[Any, Any] = {}
        for _ in range(count):
            key = self.value(depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise self.fail("bad array key")
            result[key] = self.value(depth + 1)
        self.expect(b"}")
        return result


def loads_reporting(
    data: bytes | str, *, lenient: bool = True, encoding: str = "utf-8"
) -> tuple[Any, bool]:
    """Parse one serialized value; return it and whether it needed repairs."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    reader = _Reader(raw, lenient=lenient, encoding=encoding)
    result = reader.value()
    if reader.pos != len(raw) and raw[reader.pos :].strip():
        raise reader.fail("trailing data")
    return result, reader.repaired


def loads(data: bytes | str, *, lenient: bool = False, encoding: str = "utf-8") -> Any:
    return loads_reporting(data, lenient=lenient, encoding=encoding)[0]


def dumps(value: Any, *, encoding: str = "utf-8") -> bytes:
    """PHP ``serialize()`` of None, bools, ints, floats, strings, lists and dicts."""
    if value is None:
        return b"N;"
    if isinstance(value, bool):
        return b"b:%d;" % value
    if isinstance(value, int):
        return b"i:%d;" % value
    if isinstance(value, float):
        if math.isnan(value):
            return b"d:NAN;"
        if math.isinf(value):
            return b"d:INF;" if value > 0 else b"d:-INF;"
        return b"d:" + repr(value).encode() + b";"
    if isinstance(value, str):
        raw = value.encode(encoding)
        return b's:%d:"' % len(raw) + raw + b'";'
    if isinstance(value, list | tuple):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = b"".join(
            dumps(k, encoding=encoding) + dumps(v, encoding=encoding) for k, v in value.items()
        )
        return b"a:%d:{" % len(value) + body + b"}"
    raise TypeError(f"cannot serialize {type(value).__name__}")


__all__ = ["PHPSerializeError", "dumps", "loads", "loads_reporting"]
