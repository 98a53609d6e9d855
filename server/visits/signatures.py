"""Signatures as vector strokes: decoding the phone's encoding, limits, canonical form, SVG.

A stroke is a flat list of integers [x0, y0, x1, y1, ...]. Phones send the "delta" encoding
(the first pair of a stroke absolute, each later pair the step from the previous point), which
gzip compresses several times better; the server stores absolute points.
"""

from __future__ import annotations

from itertools import accumulate
from xml.sax.saxutils import escape

MAX_STROKES = 50
MAX_POINTS = 4000
MAX_SIDE = 4000
ENCODINGS = ("absolute", "delta")


class SignatureError(ValueError):
    """The strokes cannot be accepted; the message says why, for the worker to act on."""


def _check_stroke_shape(stroke) -> None:
    if not isinstance(stroke, list) or len(stroke) < 2 or len(stroke) % 2:
        raise SignatureError("Each stroke must be a list of x, y pairs.")
    if not set(map(type, stroke)) <= {int}:
        raise SignatureError("Stroke coordinates must be whole numbers (pixels).")


def decode_strokes(strokes, encoding: str) -> list[list[int]]:
    """Absolute strokes from the phone's encoding, or SignatureError."""
    if encoding not in ENCODINGS:
        raise SignatureError(f"Unknown stroke encoding {encoding!r}.")
    if not isinstance(strokes, list):
        raise SignatureError("Strokes must be a list.")
    if len(strokes) > MAX_STROKES:
        raise SignatureError(f"At most {MAX_STROKES} strokes are accepted.")
    points = 0
    absolute = []
    for stroke in strokes:
        _check_stroke_shape(stroke)
        points += len(stroke) // 2
        if points > MAX_POINTS:
            raise SignatureError(f"At most {MAX_POINTS} points are accepted in all.")
        absolute.append(_absolute(stroke) if encoding == "delta" else list(stroke))
    return absolute


def _absolute(stroke: list[int]) -> list[int]:
    out = [0] * len(stroke)
    out[0::2] = accumulate(stroke[0::2])
    out[1::2] = accumulate(stroke[1::2])
    return out


def check_bounds(strokes: list[list[int]], width: int, height: int) -> None:
    for stroke in strokes:
        xs, ys = stroke[0::2], stroke[1::2]
        if min(xs) < 0 or min(ys) < 0 or max(xs) > width or max(ys) > height:
            raise SignatureError(f"A stroke leaves the {width} by {height} signature area.")


def to_svg(strokes: list[list[int]], width: int, height: int, title: str = "Signature") -> str:
    """A self-contained SVG: one path per stroke, round caps, scalable for screens and print."""
    paths = []
    for stroke in strokes:
        pairs = [f"{stroke[i]} {stroke[i + 1]}" for i in range(0, len(stroke), 2)]
        if len(pairs) == 1:
            pairs.append(pairs[0])  # a dot: a zero-length segment drawn with round caps
        paths.append(f'<path d="M{" L".join(pairs)}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img">'
        f"<title>{escape(title)}</title>"
        '<g fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
        'stroke-linejoin="round">' + "".join(paths) + "</g></svg>"
    )
