"""Files kept in the media folder (ROUNDS_MEDIA_DIR): activities' photos, offices' documents.

A file is written whole or not at all — a temporary name, flushed to disk, then renamed — so a
crash or a second request racing the first never leaves half a file under the final name.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def path_of(media_dir: str, key: str) -> Path:
    """The file of a stored key; the key is ours (made by the domain), never a client's."""
    return Path(media_dir) / key


def store(media_dir: str, key: str, data: bytes) -> Path:
    """Write the file under its final name, atomically."""
    final = path_of(media_dir, key)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}.{uuid.uuid4().hex}.partial")
    with partial.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(final)
    return final
