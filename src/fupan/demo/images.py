"""Stand-in photos for the demo, drawn with Pillow at load time (no binary files in the repo).

Every picture is deterministic (a seeded ``random.Random``), so two loads give the same bytes.
Captions need a CJK font; without one the pictures carry a Latin caption instead of failing.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


def _fontconfig_candidates() -> list[str]:
    """Font files that fontconfig says cover Chinese (fc-match alone would answer any font)."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted(line.split(":", 1)[0].strip() for line in out.splitlines() if line.strip())
    # Prefer sans-serif regular faces.
    return sorted(files, key=lambda f: ("Sans" not in f, "Bold" in f, f))


@cache
def cjk_font_path() -> str | None:
    for path in (*_CJK_FONT_PATHS, *_fontconfig_candidates()):
        if path and Path(path).is_file():
            return path
    return None


def _font(size: int) -> tuple[Font, bool]:
    """A font of about ``size`` px and whether it can draw Chinese."""
    path = cjk_font_path()
    if path:
        # Noto CJK collections: face 2 is Simplified Chinese; other files have one face.
        for index in (2, 0) if path.endswith(".ttc") and "CJK" in path else (0,):
            try:
                return ImageFont.truetype(path, size, index=index), True
            except OSError:
                continue
    try:
        return ImageFont.load_default(size=size), False
    except TypeError:  # Pillow without FreeType: a fixed bitmap font
        return ImageFont.load_default(), False


def _caption(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    chinese: str,
    latin: str,
    size: int,
    fill: str,
) -> None:
    font, has_cjk = _font(size)
    text = chinese if has_cjk else latin
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = box[0] + (box[2] - box[0] - (right - left)) // 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) // 2 - top
    draw.text((x, y), text, font=font, fill=fill)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _vertical_gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=color)
    return image


def draw_meeting_hall(seed: int = 20210514) -> bytes:
    """A conference hall: red banner with the caption, a stage with a long table, rows of seats."""
    rng = random.Random(seed)
    width, height = 800, 600
    image = _vertical_gradient((width, height), (236, 226, 206), (196, 178, 150))
    draw = ImageDraw.Draw(image)
    # Back wall panels and the stage.
    for x in range(0, width, 80):
        draw.rectangle([x + 4, 20, x + 76, 250], fill=(222, 208, 182), outline=(205, 188, 160))
    draw.rectangle([60, 40, 740, 120], fill=(178, 24, 30))
    _caption(
        draw,
        (60, 40, 740, 120),
        "遂潼一体化 工作推进会 (示意图)",
        "Suitong meeting (stand-in)",
        34,
        "#FFE9A8",
    )
    draw.rectangle([0, 250, width, 300], fill=(120, 70, 40))
    draw.rectangle([120, 215, 680, 262], fill=(30, 90, 60))  # the table under green cloth
    for i in range(9):  # people on the stage
        cx = 160 + i * 60
        draw.ellipse([cx - 13, 178, cx + 13, 204], fill=(40, 32, 28))
        draw.rectangle([cx - 20, 204, cx + 20, 232], fill=(30, 34, 48))
        draw.rectangle([cx - 12, 240, cx + 12, 250], fill=(250, 250, 245))  # name cards
    for x in (40, 760):  # flower pots
        draw.ellipse([x - 30, 200, x + 30, 260], fill=(60, 140, 70))
        draw.ellipse([x - 18, 206, x + 18, 236], fill=(220, 60, 80))
    # Audience rows, nearer rows larger.
    for row in range(5):
        y = 330 + row * 56
        scale = 1 + row * 0.18
        count = 11 - row
        step = width / count
        for i in range(count):
            cx = int(step * (i + 0.5) + rng.randint(-6, 6))
            r = int(12 * scale)
            hair = rng.choice([(30, 26, 24), (45, 38, 32), (70, 70, 72), (20, 20, 20)])
            coat = rng.choice([(40, 44, 60), (55, 55, 58), (28, 30, 36), (80, 30, 34)])
            draw.rounded_rectangle(
                [cx - int(26 * scale), y - 4, cx + int(26 * scale), y + int(40 * scale)],
                8,
                fill=(150, 40, 40),
            )
            draw.rectangle(
                [cx - int(18 * scale), y + r, cx + int(18 * scale), y + int(36 * scale)], fill=coat
            )
            draw.ellipse([cx - r, y - r + 6, cx + r, y + r + 6], fill=hair)
    return _jpeg(image)


def draw_river_bridge(seed: int = 1515) -> bytes:
    """A phone photo of the Fujiang river: hills, a many-arched bridge and its reflection."""
    rng = random.Random(seed)
    width, height = 600, 800
    image = _vertical_gradient((width, height), (150, 190, 225), (235, 225, 205))
    draw = ImageDraw.Draw(image)
    # Hills in layers.
    for layer, (base, color) in enumerate(((380, (120, 150, 130)), (420, (85, 120, 95)))):
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base - rng.randint(10, 70) - layer * 10))
        points.append((width, height))
        draw.polygon(points, fill=color)
    # River.
    draw.rectangle([0, 470, width, height], fill=(96, 140, 160))
    for _ in range(60):
        x, y = rng.randint(0, width), rng.randint(480, height)
        draw.line([(x, y), (x + rng.randint(15, 45), y)], fill=(170, 200, 210), width=2)
    # Bridge deck, piers and arches.
    draw.rectangle([0, 430, width, 448], fill=(210, 205, 195))
    draw.line([(0, 428), (width, 428)], fill=(150, 60, 50), width=3)
    for i in range(7):
        x = i * 100 - 10
        draw.rectangle([x, 448, x + 18, 480], fill=(190, 185, 175))
        draw.arc([x + 18, 440, x + 100, 520], 180, 360, fill=(190, 185, 175), width=8)
        draw.rectangle([x, 486, x + 18, 500], fill=(120, 150, 165))  # reflection
    # Foreground railing of the riverside walk.
    draw.rectangle([0, 720, width, 736], fill=(90, 80, 70))
    for x in range(0, width, 30):
        draw.rectangle([x, 700, x + 6, 800], fill=(90, 80, 70))
    return _jpeg(image)


def draw_street(seed: int = 2331) -> bytes:
    """A phone photo of an old street: shop fronts on both sides, signs, a road into the distance."""
    rng = random.Random(seed)
    width, height = 600, 800
    image = _vertical_gradient((width, height), (200, 210, 220), (170, 170, 168))
    draw = ImageDraw.Draw(image)
    vanish = (width // 2, 330)
    draw.polygon([(0, height), (width, height), vanish], fill=(88, 88, 92))  # road
    draw.line([(width // 2, height), vanish], fill=(230, 230, 220), width=4)
    for side in (-1, 1):
        for i in reversed(range(6)):  # far houses first, near ones drawn over them
            depth = 1 - i * 0.15
            w = int(150 * depth)
            h = int(420 * depth)
            x0 = width // 2 + side * int(40 + 260 * depth)
            left, right = sorted((x0, x0 + side * w))
            top = 330 - int(h * 0.45)
            wall = rng.choice([(190, 170, 150), (160, 150, 140), (205, 195, 180), (140, 120, 110)])
            draw.rectangle([left, top, right, top + h], fill=wall, outline=(90, 80, 70))
            sign = rng.choice([(190, 40, 40), (30, 90, 150), (210, 150, 30), (40, 120, 70)])
            draw.rectangle(
                [left + 4, top + int(h * 0.45), right - 4, top + int(h * 0.52)], fill=sign
            )
            for wy in range(top + 12, top + int(h * 0.4), max(int(40 * depth), 8)):
                draw.rectangle(
                    [left + 8, wy, right - 8, wy + int(18 * depth)], fill=(110, 130, 150)
                )
    for _ in range(14):  # pedestrians and scooters
        x = rng.randint(150, 450)
        y = rng.randint(520, 760)
        s = 0.6 + (y - 520) / 300
        draw.ellipse([x - 7 * s, y - 40 * s, x + 7 * s, y - 26 * s], fill=(40, 30, 30))
        draw.rectangle(
            [x - 9 * s, y - 26 * s, x + 9 * s, y],
            fill=rng.choice([(200, 60, 60), (60, 60, 120), (240, 240, 240)]),
        )
    return _jpeg(image)


def draw_sunset(seed: int = 1940) -> bytes:
    """The river at dusk: a low sun, a golden stripe on the water and the far bank's skyline."""
    rng = random.Random(seed)
    width, height = 800, 600
    image = _vertical_gradient((width, height), (250, 170, 90), (90, 70, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse([360, 150, 440, 230], fill=(255, 220, 130))
    x = 0
    while x < width:  # skyline
        w = rng.randint(30, 70)
        h = rng.randint(20, 90)
        draw.rectangle([x, 330 - h, x + w, 330], fill=(60, 45, 60))
        x += w + rng.randint(0, 8)
    draw.rectangle([0, 330, width, height], fill=(70, 60, 80))
    for i in range(40):
        y = 340 + i * 6
        half = 20 + i * 3 + rng.randint(-10, 10)
        draw.line([(400 - half, y), (400 + half, y)], fill=(250, 190, 110), width=2)
    return _jpeg(image)


PICTURES: dict[str, Callable[[], bytes]] = {
    "meeting": draw_meeting_hall,
    "river": draw_river_bridge,
    "street": draw_street,
    "sunset": draw_sunset,
}


def picture(name: str) -> bytes:
    return PICTURES[name]()
