"""Certificates on the web: issued on completion, printable, publicly verifiable, signed, revocable.

The signature is checked here with `cryptography` alone, by code independent of the app's: the
canonical JSON, the base58 decoding and the eddsa-jcs-2022 hashing are redone below.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from course.services.models import User
from tests.conftest import make_app

from .test_journey import RIGHT, start_attempt

M2_RIGHT = {"q-q-order": ["un", "deux", "trois"], "q-q-match-p1": ["p1"], "q-q-match-p2": ["p2"]}
M3_SURE = {"q-q-fin-1": ["true"], "q-q-fin-2": ["false"], "c-q-fin-1": ["3"], "c-q-fin-2": ["3"]}
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "signing_key.pem"


@pytest.fixture
def app(database_url: str, key_path: Path) -> Iterator[Flask]:
    """The app with its signing key in a temporary folder, never in the repository's instance/."""
    application = make_app(database_url, SIGNING_KEY_PATH=str(key_path))
    yield application
    application.extensions["database"].dispose()


@pytest.fixture
def certified(client: FlaskClient, learner: User, login: Callable[..., FlaskClient]) -> str:
    """Log the learner in, complete the course and return the certificate's code."""
    login(learner)
    complete_course(client)
    return certificate_code(client)


@pytest.fixture
def admin(
    app: Flask, make_user: Callable[..., User], login: Callable[..., FlaskClient]
) -> FlaskClient:
    """A client logged in as an admin."""
    admin_client = app.test_client()
    login(make_user("admin@example.org", role="admin"), on=admin_client)
    return admin_client


def complete_course(client: FlaskClient) -> None:
    for module_id, steps, quiz_id, form in (
        ("m1", ("m1-intro", "m1-pratique"), "m1-quiz", RIGHT),
        ("m2", ("m2-ordre",), "m2-quiz", M2_RIGHT),
        ("m3", ("m3-fin",), "m3-quiz", M3_SURE),
    ):
        for step in steps:
            assert client.post(f"/modules/{module_id}/steps/{step}/complete").status_code == 302
        client.post(start_attempt(client, quiz_id), data=form)


def certificate_code(client: FlaskClient) -> str:
    found = re.search(
        r"code de vérification <strong>([0-9A-Z-]{14})</strong>", client.get("/").text
    )
    assert found is not None, "the course home shows the certificate"
    return found.group(1)


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def jcs(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_signature(credential: dict, public_key: Ed25519PublicKey) -> None:
    """Verify an eddsa-jcs-2022 Data Integrity proof; raise InvalidSignature if it fails."""
    assert isinstance(credential["proof"], list), "1EdTech's schema wants a set of proofs"
    (proof,) = (dict(p) for p in credential["proof"])
    signature = base58_decode(proof.pop("proofValue").removeprefix("z"))
    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {**proof, "@context": document["@context"]}
    digest = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(document)).digest()
    public_key.verify(signature, digest)


def published_key(client: FlaskClient) -> Ed25519PublicKey:
    document = client.get("/certificates/key").get_json()
    assert document["type"] == "Multikey"
    multikey = base58_decode(document["publicKeyMultibase"].removeprefix("z"))
    assert multikey[:2] == b"\xed\x01"  # the ed25519-pub multicodec
    return Ed25519PublicKey.from_public_bytes(multikey[2:])


def test_a_completed_learner_gets_a_certificate_on_the_course_home(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    assert "Votre certificat" not in client.get("/").text
    complete_course(client)
    code = certificate_code(client)
    home = client.get("/").text
    assert f'href="/certificates/{code}"' in home
    assert f'href="/certificates/{code}/print"' in home
    page = client.get(f"/certificates/{code}/print").text
    assert "<h1>Cours d&#39;essai</h1>" in page
    assert "learner" in page
    for module in ("Les bases", "La suite", "La fin"):
        assert module in page
    assert "100\u00a0%" in page
    assert code in page
    assert re.search(r"le \d{1,2} \w+ 20\d\d à", page)


def test_the_public_page_shows_validity_and_only_the_name(
    client: FlaskClient, app: Flask, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    complete_course(client)
    code = certificate_code(client)
    public = app.test_client().get(f"/certificates/{code}")
    assert public.status_code == 200
    assert "Certificat valide" in public.text
    assert "learner" in public.text
    assert "learner@example.org" not in public.text
    # No scores (the random verification code may itself contain "100").
    assert not re.search(r"100(\s|&nbsp;)?%", public.text)
    assert "La suite" not in public.text  # no modules
    assert app.test_client().get(f"/certificates/{code.lower()}").status_code == 200


def test_the_downloaded_credential_is_signed_with_the_published_key(
    client: FlaskClient, app: Flask, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    complete_course(client)
    code = certificate_code(client)
    response = client.get(f"/certificates/{code}/credential.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    credential = json.loads(response.text)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "learner"
    assert credential["id"].endswith(f"/certificates/{code}")
    anyone = app.test_client()
    key = published_key(anyone)
    check_signature(credential, key)
    pem = load_pem_public_key(anyone.get("/certificates/key.pem").data)
    assert isinstance(pem, Ed25519PublicKey)
    check_signature(credential, pem)
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    with pytest.raises(InvalidSignature):
        check_signature(credential, key)
    profile = anyone.get("/certificates/issuer").get_json()
    assert profile["id"] == credential["issuer"]["id"]


def test_the_key_is_generated_once_and_kept(
    database_url: str, key_path: Path, client: FlaskClient
) -> None:
    first = client.get("/certificates/key").get_json()["publicKeyMultibase"]
    assert key_path.exists()
    assert key_path.stat().st_mode & 0o777 == 0o600
    restarted = make_app(database_url, SIGNING_KEY_PATH=str(key_path))
    try:
        again = restarted.test_client().get("/certificates/key").get_json()["publicKeyMultibase"]
    finally:
        restarted.extensions["database"].dispose()
    assert again == first


def test_an_admin_revokes_and_the_public_page_says_so(
    client: FlaskClient, app: Flask, certified: str, admin: FlaskClient
) -> None:
    code = certified
    assert code in admin.get("/admin/certificates").text
    response = admin.post(f"/certificates/{code}/revoke", data={"reason": "Erreur"})
    assert response.status_code == 302
    public = app.test_client().get(f"/certificates/{code}")
    assert "Certificat non valide : il a été révoqué" in public.text
    assert "Certificat valide" not in public.text
    assert client.get(f"/certificates/{code}/credential.json").status_code == 404
    assert "a été révoqué" in client.get("/").text


def test_only_admins_revoke(
    client: FlaskClient,
    app: Flask,
    certified: str,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    code = certified
    # Admin pages refuse other roles (403), as /admin/users does.
    assert client.post(f"/certificates/{code}/revoke", data={"reason": "x"}).status_code == 403
    assert client.get("/admin/certificates").status_code == 403
    trainer = app.test_client()
    login(make_user("trainer@example.org", role="trainer"), on=trainer)
    assert trainer.post(f"/certificates/{code}/revoke").status_code == 403
    assert "Certificat valide" in client.get(f"/certificates/{code}").text


def test_another_learner_sees_only_the_public_page(
    client: FlaskClient,
    app: Flask,
    certified: str,
    make_user: Callable[..., User],
    login: Callable[..., FlaskClient],
) -> None:
    code = certified
    other = app.test_client()
    login(make_user("other@example.org"), on=other)
    assert other.get(f"/certificates/{code}/print").status_code == 404
    assert other.get(f"/certificates/{code}/credential.json").status_code == 404
    assert other.get(f"/certificates/{code}").status_code == 200
    assert app.test_client().get(f"/certificates/{code}/print").status_code == 302  # to login


@pytest.mark.parametrize(
    "code",
    [
        "ABCD-EFGH-JKMN",
        "nope",
        "ABCD-EFGH-JKM%C3%80",
        "x" * 500,
        "%27%3B%20DROP%20TABLE%20certificates%3B",
        "%00",
    ],
)
def test_a_forged_code_gets_a_clear_not_valid_page(client: FlaskClient, code: str) -> None:
    response = client.get(f"/certificates/{code}")
    assert response.status_code == 404
    assert "Certificat non valide" in response.text
    assert "x" * 100 not in response.text


def test_the_certificate_is_not_offered_before_completion(
    client: FlaskClient, learner: User, login: Callable[..., FlaskClient]
) -> None:
    login(learner)
    response = client.post("/certificate")
    assert response.status_code == 302
    assert response.location == "/"
    assert "Terminez toutes les séances" in client.get("/").text


def revoked_bit(client: FlaskClient, credential: dict, key: Ed25519PublicKey) -> bool:
    """Follow a credential's status entry as a verifier would: fetch, verify, read its bit."""
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    listed = client.get(status["statusListCredential"])
    assert listed.status_code == 200
    status_credential = json.loads(listed.text)
    assert "BitstringStatusListCredential" in status_credential["type"]
    check_signature(status_credential, key)
    encoded = status_credential["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def test_a_verifier_learns_of_a_revocation_from_the_status_list(
    client: FlaskClient, app: Flask, certified: str, admin: FlaskClient
) -> None:
    code = certified
    credential = json.loads(client.get(f"/certificates/{code}/credential.json").text)
    anyone = app.test_client()
    key = published_key(anyone)
    check_signature(credential, key)
    assert revoked_bit(anyone, credential, key) is False
    admin.post(f"/certificates/{code}/revoke", data={"reason": "Erreur de saisie"})
    check_signature(credential, key)  # the copy downloaded before still verifies...
    assert revoked_bit(anyone, credential, key) is True  # ...but the list says it is revoked


def test_the_badge_image_carries_the_signed_credential(
    client: FlaskClient, app: Flask, certified: str
) -> None:
    code = certified
    response = client.get(f"/certificates/{code}/badge.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))  # read by Pillow, not by the app's code
    image.load()
    assert image.size == (512, 512)
    credential = json.loads(image.text["openbadgecredential"])
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "learner"
    check_signature(credential, published_key(app.test_client()))
    other = app.test_client()
    assert other.get(f"/certificates/{code}/badge.png").status_code == 302  # to login
