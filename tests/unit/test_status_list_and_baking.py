"""Bitstring status lists and PNG baking: the pure parts of revocation and badge images."""

from __future__ import annotations

import base64
import gzip
import struct
import zlib
from datetime import UTC, datetime

import pytest

from course.domain import baking, status_list
from course.domain.credentials import Issuer

ISSUER = Issuer(id="https://x.example/i", name="Parcours", url="https://x.example/", key_id="k")


def tiny_png() -> bytes:
    """Build a 1x1 grey PNG by hand, so the tests need no image library to make one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return baking.SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("highest", "size"), [(0, 131_072), (131_071, 131_072), (131_072, 262_144), (300_000, 393_216)]
)
def test_the_list_keeps_the_minimum_size_and_grows_by_whole_blocks(highest: int, size: int) -> None:
    assert status_list.list_size(highest) == size


@pytest.mark.parametrize("revoked", [[], [0], [7, 8], [1, 131_071], [5, 6, 7, 1000]])
def test_bits_set_are_read_back_and_no_other(revoked: list[int]) -> None:
    encoded = status_list.encode(revoked, 131_072)
    assert encoded.startswith("u")
    assert "=" not in encoded
    for index in [*revoked, 2, 9, 999, 131_070]:
        assert status_list.is_set(encoded, index) is (index in revoked)


def test_index_zero_is_the_first_bytes_highest_bit() -> None:
    encoded = status_list.encode([0, 9], 131_072)
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert len(raw) == 16_384


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        status_list.encode([131_072], 131_072)


def test_the_entry_and_the_list_credential_name_each_other() -> None:
    url = "https://x.example/certificates/status-list"
    entry = status_list.entry(url, 42)
    assert entry == {
        "id": f"{url}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": url,
    }
    listed = status_list.list_credential(
        ISSUER, url, [42], highest_index=42, now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert listed["id"] == url
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = listed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert status_list.is_set(subject["encodedList"], 42)
    assert not status_list.is_set(subject["encodedList"], 41)


def test_a_baked_image_gives_back_its_credential() -> None:
    png = tiny_png()
    assert baking.unbake(png) is None
    baked = baking.bake(png, '{"name": "Certificat é"}')
    assert baking.unbake(baked) == '{"name": "Certificat é"}'
    assert baked.endswith(b"IEND\xaeB`\x82")  # still ends with the standard IEND chunk


def test_baking_again_replaces_the_credential() -> None:
    twice = baking.bake(baking.bake(tiny_png(), '{"v": 1}'), '{"v": 2}')
    assert baking.unbake(twice) == '{"v": 2}'
    assert twice.count(b"openbadgecredential") == 1


@pytest.mark.parametrize("data", [b"", b"GIF89a", baking.SIGNATURE + b"\x00\x00"])
def test_a_file_that_is_not_a_png_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="PNG"):
        baking.bake(data, "{}")
