"""Our own captcha (验证码): an image drawn with Pillow, plus optional questions and answers set by
the administrators. No outside service — Google's and others' are unreachable in mainland China.

A challenge is a random token kept in the cache with its answer for ten minutes; each answer is
checked once (a wrong guess burns the challenge), so a script cannot try many answers for one image.
"""

from __future__ import annotations

import io
import math
import random
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes
LENGTH = 4
LIFETIME = 10 * 60
WIDTH, HEIGHT = 150, 56
_KEY = "captcha:{}"


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str | None  # a question to answer in words, or None for the image


def new_challenge(*, question: tuple[str, str] | None = None) -> Challenge:
    """Create a challenge: an image of random characters, or ``question`` = (question, answer)."""
    token = secrets.token_urlsafe(18)
    if question is not None:
        text, answer = question
        cache.set(_KEY.format(token), ("q", _fold(answer)), LIFETIME)
        return Challenge(token=token, question=text)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    cache.set(_KEY.format(token), ("i", answer), LIFETIME)
    return Challenge(token=token, question=None)


def _fold(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def check_answer(token: str | None, answer: str | None) -> bool:
    """True if ``answer`` solves the challenge ``token``. Any check uses the challenge up."""
    if not token:
        return False
    key = _KEY.format(token)
    stored = cache.get(key)
    cache.delete(key)
    if stored is None:
        return False
    _kind, expected = stored
    return secrets.compare_digest(_fold(answer or "").upper().encode(), expected.upper().encode())


def image_text(token: str) -> str | None:
    stored = cache.get(_KEY.format(token))
    if stored is None or stored[0] != "i":
        return None
    return stored[1]


def render_png(text: str, *, seed: int | None = None) -> bytes:
    """Draw ``text`` as a captcha: tilted letters on a noisy background."""
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    image = Image.new(
        "RGB",
        (WIDTH, HEIGHT),
        (rng.randint(225, 250), rng.randint(225, 250), rng.randint(225, 250)),
    )
    draw = ImageDraw.Draw(image)
    for _ in range(6):  # background strokes
        colour = tuple(rng.randint(150, 210) for _ in range(3))
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _ in range(2)],
            fill=colour,
            width=2,
        )
    font = ImageFont.load_default(size=34)
    step = (WIDTH - 20) / len(text)
    for i, char in enumerate(text):
        glyph = Image.new("RGBA", (48, 56), (0, 0, 0, 0))
        colour = (rng.randint(10, 110), rng.randint(10, 110), rng.randint(40, 140), 255)
        ImageDraw.Draw(glyph).text((8, 4), char, font=font, fill=colour)
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=False)
        image.paste(glyph, (int(10 + i * step + rng.uniform(-3, 3)), rng.randint(-4, 4)), glyph)
    # A wavy line through the letters and a sprinkle of dots.
    phase, amplitude = rng.uniform(0, math.pi), rng.uniform(4, 9)
    points = [(x, HEIGHT / 2 + amplitude * math.sin(x / 14 + phase)) for x in range(0, WIDTH, 4)]
    draw.line(points, fill=(60, 60, 90), width=2)
    for _ in range(220):
        draw.point(
            (rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)),
            fill=tuple(rng.randint(60, 200) for _ in range(3)),
        )
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
