"""Photos of activities: checking the bytes are the image they claim, storing the file, and
finding it again to serve.

A file is `<ROUNDS_MEDIA_DIR>/activities/<activity id>/<photo id>.<ext>`. It is written under a
temporary name and renamed before its row is flushed: a failed request leaves at most an
orphan file, never a row without its file.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

EXTENSIONS = {"image/jpeg": "jpg", "image/webp": "webp"}
PIL_FORMATS = {"image/jpeg": "JPEG", "image/webp": "WEBP"}
# Pillow's guard against decompression bombs, set lower: no phone photo is this large.
Image.MAX_IMAGE_PIXELS = 8000 * 8000


class PhotoProblem(Exception):
    """The photo is refused; `errors` say why, by field."""

    def __init__(self, errors: dict) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class CheckedPhoto:
    content_type: str
    width: int
    height: int
    data: bytes


def check(data: bytes, content_type: str, width: int, height: int, max_bytes: int) -> CheckedPhoto:
    """The photo if its bytes are within the limit and really a `content_type` image of the
    stated size (read by Pillow, never trusted from the phone)."""
    if len(data) > max_bytes:
        raise PhotoProblem(
            {"data": [f"The photo is {len(data)} bytes; at most {max_bytes} are taken."]}
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            found_format, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoProblem({"data": ["The photo is not a readable image."]}) from error
    if found_format != PIL_FORMATS[content_type]:
        raise PhotoProblem(
            {"content_type": [f"The photo is {found_format or 'unknown'}, not {content_type}."]}
        )
    if size != (width, height):
        raise PhotoProblem(
            {"width": [f"The photo is {size[0]} by {size[1]}, not {width} by {height}."]}
        )
    return CheckedPhoto(content_type, width, height, data)


def storage_key(activity_id: uuid.UUID, photo_id: uuid.UUID, content_type: str, sha256: str) -> str:
    """The file's name holds its bytes' digest: two requests racing with other bytes under one
    photo id write two files, and the row that wins names its own."""
    return f"activities/{activity_id}/{photo_id}-{sha256[:16]}.{EXTENSIONS[content_type]}"
