"""Open Badges 3.0 baking: a PNG image that carries its signed credential.

The credential goes in an `iTXt` chunk with the keyword `openbadgecredential`, uncompressed,
placed before the image's end (`IEND`); a chunk of that keyword already there is replaced.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into (type, data) chunks; raise ValueError if it is not one."""
    if not png.startswith(SIGNATURE):
        raise ValueError("not a PNG image")
    chunks, at = [], len(SIGNATURE)
    while at < len(png):
        if at + 8 > len(png):
            raise ValueError("truncated PNG chunk")
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        data = png[at + 8 : at + 8 + length]
        if len(data) != length:
            raise ValueError("truncated PNG chunk")
        chunks.append((kind, data))
        at += 12 + length
    if not chunks or chunks[-1][0] != b"IEND":
        raise ValueError("PNG without IEND")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.startswith(KEYWORD + b"\0")


def bake(png: bytes, credential_json: str) -> bytes:
    """Return the image with the credential baked in."""
    # keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translation, NUL
    text = KEYWORD + b"\0\0\0" + b"\0" + b"\0" + credential_json.encode()
    kept = [(k, d) for k, d in _chunks(png) if not _is_credential(k, d)]
    body = b"".join(_chunk(k, d) for k, d in kept[:-1])
    return SIGNATURE + body + _chunk(b"iTXt", text) + _chunk(*kept[-1])


def unbake(png: bytes) -> str | None:
    """Return the credential baked into an image, or None if there is none."""
    for kind, data in _chunks(png):
        if _is_credential(kind, data):
            after_flags = data[len(KEYWORD) + 3 :]  # keyword, NUL, compression flag and method
            _language, _, rest = after_flags.partition(b"\0")
            _translated, _, text = rest.partition(b"\0")
            if data[len(KEYWORD) + 1] != 0:
                raise ValueError("a compressed baked credential is not expected here")
            return text.decode()
    return None
