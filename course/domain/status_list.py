"""Revocation a verifier can check: a W3C Bitstring Status List (v1.0) of certificates.

Each certificate owns one bit, at the index of its row; the bit is 1 once it is revoked. The
list is published as a signed `BitstringStatusListCredential`; each credential names its bit in
a `BitstringStatusListEntry`. The bitstring is GZIP-compressed, then base64url-encoded without
padding and prefixed with "u" (multibase). Index 0 is the first byte's most significant bit.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .credentials import CONTEXT, Issuer, timestamp

MIN_BITS = 131_072  # the spec's minimum length (16 KB), so one bit says little about its holder
PURPOSE = "revocation"


def list_size(highest_index: int) -> int:
    """Return the list's length in bits: the minimum, or whole multiples of it past that."""
    blocks = highest_index // MIN_BITS + 1
    return blocks * MIN_BITS


def encode(set_bits: Iterable[int], size: int) -> str:
    """Return the multibase form of a bitstring of `size` bits with these bits set."""
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside a list of {size} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """Read one bit back from a multibase, GZIP-compressed bitstring."""
    if not encoded.startswith("u"):
        raise ValueError("a status list is multibase base64url ('u' prefix)")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, index: int) -> dict[str, Any]:
    """Return the `credentialStatus` that points a credential at its bit."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(
    issuer: Issuer, list_url: str, revoked: Iterable[int], *, highest_index: int, now: datetime
) -> dict[str, Any]:
    """Return the unsigned status list credential, with the revoked indices' bits set."""
    size = list_size(highest_index)
    return {
        "@context": CONTEXT,
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": timestamp(now),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked, size),
        },
    }
