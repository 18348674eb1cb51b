"""Certificates: the learner's printable certificate and badge, public verification, revocation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField

from course.clock import utcnow
from course.domain import baking, credentials, status_list
from course.domain.permissions import can_revoke_certificates, can_see_record
from course.services import certificates, keys
from course.services.models import Certificate

from .access import require, visible
from .content import course
from .database import db
from .forms import at_most
from .signin import Viewer, viewer
from .urls import public_url

# cryptography (~8 MB) is imported when a key is first used, not in every worker at start.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

bp = Blueprint("certificates", __name__)
MAX_CODE = 40  # longer "codes" are not looked up, nor echoed back
BADGE_IMAGE = "badge.png"  # the badge drawn for this course, in static/


class RevokeForm(FlaskForm):
    reason = StringField("Motif", validators=[at_most(200)])


def signing_key() -> Ed25519PrivateKey:
    """Return the app's signing key (SIGNING_KEY_PATH, default instance/signing_key.pem)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = current_app.extensions.get("signing_key")
    if key is None:
        configured = current_app.config.get("SIGNING_KEY_PATH")
        path = Path(configured or Path(current_app.instance_path) / "signing_key.pem")
        key = current_app.extensions["signing_key"] = keys.load_signing_key(path)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def issuer() -> credentials.Issuer:
    """Describe the issuer: CERTIFICATE_ISSUER (default: the course title) and its key."""
    return credentials.Issuer(
        id=public_url("certificates.issuer_profile"),
        name=current_app.config.get("CERTIFICATE_ISSUER") or course().info.title,
        url=public_url("pages.about"),
        key_id=public_url("certificates.public_key"),
    )


@bp.app_template_global()
def own_certificate() -> Certificate | None:
    """Return the logged-in learner's certificate, for the course home."""
    return certificates.for_user(db(), viewer().id)


@bp.post("/certificate")
@login_required
def claim() -> ResponseReturnValue:
    """Issue the certificate of a learner who completed the course, then show it."""
    issued = certificates.issue_if_completed(db(), course(), viewer().id, now=utcnow())
    if issued is None:
        flash("Terminez toutes les séances pour obtenir votre certificat.", "info")
        return redirect(url_for("learn.home"))
    db().commit()
    return redirect(url_for("certificates.printable", code=issued.code))


@bp.get("/certificates/<code>")
def verify(code: str) -> ResponseReturnValue:
    """Say publicly whether a certificate is valid, naming only its holder."""
    certificate = certificates.by_code(db(), code) if len(code) <= MAX_CODE else None
    status = 200 if certificate is not None else 404
    return render_template("certificates/verify.html", certificate=certificate), status


def _readable(code: str, me: Viewer) -> Certificate:
    """Return a certificate its holder (or an admin) may open; 404 for anyone else."""
    certificate = visible(certificates.by_code(db(), code) if len(code) <= MAX_CODE else None)
    return visible(certificate, can_see_record(me, certificate.user_id))


@bp.get("/certificates/<code>/print")
@login_required
def printable(code: str) -> ResponseReturnValue:
    """Show the printable certificate: name, course, date, modules and scores, code."""
    certificate = _readable(code, viewer())
    verify_url = public_url("certificates.verify", code=certificate.code)
    return render_template(
        "certificates/print.html", certificate=certificate, verify_url=verify_url
    )


@bp.get("/certificates/<code>/credential.json")
@login_required
def credential(code: str) -> ResponseReturnValue:
    """Download the certificate as a signed Open Badges 3.0 credential (not once revoked)."""
    certificate = _valid_own(code)
    return Response(
        json.dumps(_signed(certificate), ensure_ascii=False, indent=2),
        mimetype="application/ld+json",
        headers={
            "Content-Disposition": f'attachment; filename="certificat-{certificate.code}.json"'
        },
    )


@bp.get("/certificates/<code>/badge.png")
@login_required
def badge(code: str) -> ResponseReturnValue:
    """Download the badge image with the signed credential baked in (OB 3.0 PNG baking)."""
    certificate = _valid_own(code)
    image = Path(current_app.static_folder or "static", BADGE_IMAGE).read_bytes()
    baked = baking.bake(image, json.dumps(_signed(certificate), ensure_ascii=False))
    return Response(
        baked,
        mimetype="image/png",
        headers={"Content-Disposition": f'attachment; filename="badge-{certificate.code}.png"'},
    )


def _valid_own(code: str) -> Certificate:
    """Return the viewer's (or, for an admin, anyone's) certificate unless revoked; else 404."""
    certificate = _readable(code, viewer())
    return visible(certificate, certificate.revoked_at is None)  # a revoked one is withdrawn


def _signed(certificate: Certificate) -> dict[str, Any]:
    return credentials.sign(
        _unsigned(certificate),
        signing_key(),
        verification_method=issuer().key_id,
        created=certificate.issued_at,
    )


def _unsigned(certificate: Certificate) -> dict[str, Any]:
    award = credentials.Award(
        code=certificate.code,
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        issued_at=certificate.issued_at,
        modules=tuple((m["title"], m["score"]) for m in certificate.modules),
    )
    return credentials.build_credential(
        award,
        issuer(),
        credential_id=public_url("certificates.verify", code=certificate.code),
        achievement_id=public_url("pages.about", _anchor="certificat"),
        status=status_list.entry(public_url("certificates.revocation_list"), certificate.id),
    )


@bp.get("/certificates/status-list")
def revocation_list() -> ResponseReturnValue:
    """Publish the signed Bitstring Status List that tells which credentials are revoked."""
    revoked, highest = certificates.revocation_bits(db())
    now = utcnow()
    unsigned = status_list.list_credential(
        issuer(),
        public_url("certificates.revocation_list"),
        revoked,
        highest_index=highest,
        now=now,
    )
    signed = credentials.sign(
        unsigned, signing_key(), verification_method=issuer().key_id, created=now
    )
    return Response(json.dumps(signed, ensure_ascii=False), mimetype="application/ld+json")


@bp.get("/certificates/key")
def public_key() -> ResponseReturnValue:
    """Publish the public key that verifies credentials, as a Multikey document."""
    return jsonify(credentials.key_document(issuer(), signing_key().public_key()))


@bp.get("/certificates/key.pem")
def public_key_pem() -> ResponseReturnValue:
    """Publish the same public key in PEM form."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    pem = signing_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return Response(pem, mimetype="application/x-pem-file")


@bp.get("/certificates/issuer")
def issuer_profile() -> ResponseReturnValue:
    """Publish the issuer's Open Badges profile."""
    return jsonify(credentials.issuer_profile(issuer()))


def _admin() -> Viewer:
    """Return the viewer if they may revoke certificates; 403 for anyone else."""
    require(can_revoke_certificates(viewer()))
    return viewer()


@bp.get("/admin/certificates")
@login_required
def admin_list() -> ResponseReturnValue:
    """List every certificate, with a form to revoke each valid one (admins only)."""
    _admin()
    return render_template(
        "certificates/admin.html",
        certificates=certificates.all_certificates(db()),
    )


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke(code: str) -> ResponseReturnValue:
    """Revoke a certificate (admins only); its public page then says it is not valid."""
    me = _admin()
    certificate = visible(certificates.by_code(db(), code) if len(code) <= MAX_CODE else None)
    form = RevokeForm()
    if form.validate_on_submit():
        certificates.revoke(
            db(), certificate, by=me.id, reason=form.reason.data or "", now=utcnow()
        )
        db().commit()
        flash(f"Certificat {certificate.code} révoqué.", "success")
    else:
        flash("Le motif est trop long (200 caractères au plus).", "info")
    return redirect(url_for("certificates.admin_list"))
