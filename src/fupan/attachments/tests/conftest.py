import io

import pytest
from PIL import Image


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), exif: bool = False) -> bytes:
    img = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "TestCam"  # Make
        data[0x8825] = {2: (30.0, 31.0, 32.0)}  # GPS latitude: the thing members must not leak
        img.save(out, fmt, exif=data.tobytes())
    else:
        img.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def jpeg():
    return image_bytes()
