"""Open Badges 3.0 credentials: building, canonical JSON, base58, Ed25519 proofs, codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from course.domain.credentials import (
    Award,
    Issuer,
    base58btc,
    base58btc_decode,
    build_credential,
    canonical_json,
    key_document,
    normalise_code,
    public_multibase,
    sign,
    verify,
)

ISSUER = Issuer(
    id="https://parcours.example/certificates/issuer",
    name="Parcours",
    url="https://parcours.example/about",
    key_id="https://parcours.example/certificates/key",
)
AWARD = Award(
    code="ABCD-EFGH-JKMN",
    learner_name="Nadia Benali",
    course_title="Les alliances",
    issued_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
    modules=(("Séance 1", 80), ("Séance 2", None)),
)


def credential() -> dict:
    return build_credential(
        AWARD,
        ISSUER,
        credential_id="https://parcours.example/certificates/ABCD-EFGH-JKMN",
        achievement_id="https://parcours.example/about#certificat",
    )


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"hello world", "StV1DL6CwTryKyV"),
        (b"\0\0\x01", "112"),
        (b"", ""),
    ],
)
def test_base58btc_round_trip(data: bytes, text: str) -> None:
    assert base58btc(data) == text
    assert base58btc_decode(text) == data


def test_base58btc_rejects_foreign_characters() -> None:
    with pytest.raises(ValueError, match="substring"):
        base58btc_decode("0OIl")


def test_canonical_json_sorts_keys_drops_spaces_and_refuses_floats() -> None:
    assert canonical_json({"b": [1, "é"], "a": {"d": True, "c": None}}) == (
        '{"a":{"c":null,"d":true},"b":[1,"é"]}'.encode()
    )
    with pytest.raises(ValueError, match="floating-point"):
        canonical_json({"score": [0.8]})


def test_the_credential_is_an_open_badge_naming_the_learner() -> None:
    found = credential()
    assert found["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in found["@context"]
    assert found["validFrom"] == "2026-11-27T09:30:00Z"
    assert found["issuer"]["id"] == ISSUER.id
    subject = found["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nadia Benali"
    assert subject["achievement"]["criteria"]["narrative"]
    assert "Séance 1 : quiz réussi (80 %)" in subject["narrative"]


def test_a_signed_credential_verifies_and_a_changed_one_does_not() -> None:
    key = Ed25519PrivateKey.generate()
    signed = sign(credential(), key, verification_method=ISSUER.key_id, created=AWARD.issued_at)
    (proof,) = signed["proof"]
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofValue"].startswith("z")
    assert verify({**signed, "proof": proof}, key.public_key())  # a lone object verifies too
    assert verify(signed, key.public_key())
    forged = {**signed, "credentialSubject": {**signed["credentialSubject"], "narrative": "x"}}
    assert not verify(forged, key.public_key())
    assert not verify(signed, Ed25519PrivateKey.generate().public_key())
    assert not verify({k: v for k, v in signed.items() if k != "proof"}, key.public_key())


def test_signing_is_deterministic() -> None:
    key = Ed25519PrivateKey.generate()
    first = sign(credential(), key, verification_method=ISSUER.key_id, created=AWARD.issued_at)
    second = sign(credential(), key, verification_method=ISSUER.key_id, created=AWARD.issued_at)
    assert first == second


def test_the_key_document_is_a_multikey() -> None:
    public = Ed25519PrivateKey.generate().public_key()
    document = key_document(ISSUER, public)
    assert document["type"] == "Multikey"
    assert document["controller"] == ISSUER.id
    assert document["publicKeyMultibase"] == public_multibase(public)
    assert document["publicKeyMultibase"].startswith("z6Mk")  # ed25519-pub multicodec


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN"),
        ("abcd efgh jkmn", "ABCD-EFGH-JKMN"),
        ("abcdefghjkmn", "ABCD-EFGH-JKMN"),
        ("ABCD-EFGH-JKMO", "ABCD-EFGH-JKM0"),  # O read as 0, I and L as 1
        ("ABCD-EFGH-JKM", None),
        ("ABCD-EFGH-JKMU", None),  # U is not in Crockford's alphabet
        ("'; DROP TABLE certificates; --", None),
        ("ÀBCD-EFGH-JKMN", None),
        ("", None),
    ],
)
def test_normalise_code(typed: str, canonical: str | None) -> None:
    assert normalise_code(typed) == canonical
