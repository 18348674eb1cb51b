"""Open Badges 3.0 credentials for certificates, signed with Ed25519 (Data Integrity proof).

The proof follows the W3C cryptosuite `eddsa-jcs-2022`: the credential without its proof and the
proof's options are each canonicalised (JCS, RFC 8785) and hashed with SHA-256; the Ed25519
signature of the two hashes (options first) is the proof value, base58btc-encoded ("z...").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

# cryptography (~8 MB) is imported when a key is first used, not in every worker at start.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
_ED25519_PUBLIC_PREFIX = b"\xed\x01"  # multicodec ed25519-pub
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def canonical_json(value: Any) -> bytes:
    """Serialise JSON the JCS way; credentials hold only strings, integers, lists and objects."""
    _refuse_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _refuse_floats(value: Any) -> None:
    # JCS writes numbers as ECMAScript does; Python differs on floats, so none may appear.
    if isinstance(value, float):
        raise ValueError("a credential may not hold floating-point numbers")
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    for child in children:
        _refuse_floats(child)


def base58btc(data: bytes) -> str:
    """Encode bytes in base58 (Bitcoin alphabet), keeping leading zero bytes as '1'."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = _BASE58[rest] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def base58btc_decode(text: str) -> bytes:
    """Decode base58 (Bitcoin alphabet); raise ValueError on a foreign character."""
    number = 0
    for char in text:
        number = number * 58 + _BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_multibase(public_key: Ed25519PublicKey) -> str:
    """Return the public key as a Multikey value: 'z' + base58btc(0xed01 + the 32 raw bytes)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc(_ED25519_PUBLIC_PREFIX + raw)


def timestamp(moment: datetime) -> str:
    """Format a moment as an XML Schema dateTime in UTC ("2026-11-27T09:00:00Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Issuer:
    """Who signs: the profile's URL and name, the site, and the URL of the signing key."""

    id: str
    name: str
    url: str
    key_id: str


@dataclass(frozen=True)
class Award:
    """What a certificate states: who, which course, when, and each module with its score."""

    code: str
    learner_name: str
    course_title: str
    issued_at: datetime
    modules: tuple[tuple[str, int | None], ...]  # module title, best score in whole percent


def issuer_profile(issuer: Issuer) -> dict[str, Any]:
    """Return the issuer's Open Badges profile."""
    return {
        "@context": CONTEXT,
        "id": issuer.id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
    }


def key_document(issuer: Issuer, public_key: Ed25519PublicKey) -> dict[str, Any]:
    """Return the signing key as a Multikey verification method, controlled by the issuer."""
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": issuer.key_id,
        "type": "Multikey",
        "controller": issuer.id,
        "publicKeyMultibase": public_multibase(public_key),
    }


def narrative(award: Award) -> str:
    """Describe, in French, what the learner completed."""
    lines = [f"A terminé les {len(award.modules)} séances du parcours « {award.course_title} » :"]
    for title, score in award.modules:
        lines.append(f"- {title} : quiz réussi" + (f" ({score} %)" if score is not None else ""))
    return "\n".join(lines)


def build_credential(
    award: Award,
    issuer: Issuer,
    *,
    credential_id: str,
    achievement_id: str,
    status: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential of a certificate, with its status entry if given."""
    credential: dict[str, Any] = {
        "@context": CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": timestamp(award.issued_at),
        "name": f"Certificat : {award.course_title}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": award.learner_name,
                }
            ],
            "narrative": narrative(award),
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": award.course_title,
                "description": f"Parcours « {award.course_title} » terminé.",
                "criteria": {
                    "narrative": "Suivre chaque séance et réussir son quiz au seuil fixé."
                },
                "inLanguage": "fr",
            },
        },
    }
    if status is not None:
        credential["credentialStatus"] = status
    return credential


def _hash_data(unsigned: dict[str, Any], options: dict[str, Any]) -> bytes:
    config = {**options, "@context": unsigned["@context"]}
    return (
        hashlib.sha256(canonical_json(config)).digest()
        + hashlib.sha256(canonical_json(unsigned)).digest()
    )


def sign(
    credential: dict[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """Return the credential with a Data Integrity proof (eddsa-jcs-2022), as a one-item list.

    VC data model 2.0 lets `proof` be an object or a set; 1EdTech's JSON Schema for OB 3.0
    credentials wants the set, so the proof is always the list's only item.
    """
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(credential, options))
    return {**credential, "proof": [{**options, "proofValue": "z" + base58btc(signature)}]}


def verify(credential: dict[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Tell whether a signed credential's proof (one object, or a list of one) holds for a key."""
    from cryptography.exceptions import InvalidSignature

    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    proofs = credential.get("proof") or {}
    if isinstance(proofs, list):
        if len(proofs) != 1 or not isinstance(proofs[0], dict):
            return False
        proofs = proofs[0]
    proof = dict(proofs)
    value = str(proof.pop("proofValue", ""))
    if proof.get("cryptosuite") != CRYPTOSUITE or not value.startswith("z"):
        return False
    try:
        public_key.verify(base58btc_decode(value[1:]), _hash_data(unsigned, proof))
    except (InvalidSignature, ValueError):
        return False
    return True


# Certificate codes: Crockford's base32 (no I, L, O, U), three groups of four: 60 random bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def format_code(characters: str) -> str:
    """Group a code's characters in fours ("ABCD-EFGH-JKMN")."""
    return "-".join(characters[i : i + 4] for i in range(0, len(characters), 4))


def normalise_code(text: str) -> str | None:
    """Return a typed code in its canonical form, or None if it cannot be one."""
    characters = text.strip().upper().replace("-", "").replace(" ", "").translate(_LOOKALIKES)
    if len(characters) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in characters):
        return None
    return format_code(characters)
