"""Security headers and error pages: every failure answers with a page, never a stack trace."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from .access import Refused

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MESSAGES = {
    400: "La demande n'a pas pu être traitée.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas, ou elle ne vous est pas accessible.",
    405: "Cette action n'est pas possible sur cette page.",
    413: "Les données envoyées sont trop volumineuses.",
    429: "Trop de tentatives. Patientez un instant avant de réessayer.",
    500: "Une erreur inattendue s'est produite. Réessayez dans un instant.",
}


def init_app(app: Flask) -> None:
    """Believe the trusted proxies, add security headers to every answer and a page per error."""
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies:  # X-Forwarded-For/-Proto/-Host/-Port, as set by that many proxies in front
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.after_request(_headers)
    app.register_error_handler(Refused, _refused)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _headers(response: Response) -> Response:
    """Add the security headers a view did not set itself (one pass over the response's)."""
    wanted = dict(HEADERS)
    if request.endpoint != "static":
        # Pages carry a learner's own data: no shared cache or back-button copy may keep them.
        wanted["Cache-Control"] = "no-store"
    if current_app.config.get("PRODUCTION"):
        wanted["Strict-Transport-Security"] = "max-age=31536000"
    given = {name.lower() for name, _ in response.headers}
    response.headers.extend((n, v) for n, v in wanted.items() if n.lower() not in given)
    return response


def _refused(error: Refused) -> tuple[str, int]:
    """Explain a 403: what a lock needs, or that the viewer's role does not open this page."""
    if error.denial is None:
        return render_template("errors/error.html", code=403, message=MESSAGES[403]), 403
    return render_template("errors/locked.html", denial=error.denial), 403


CSRF_MESSAGE = (
    "Le formulaire a expiré : la session a changé depuis l'ouverture de la page (par exemple "
    "une déconnexion dans un autre onglet). Rien n'a été enregistré par cet envoi ; les "
    "réponses d'un quiz enregistrées automatiquement sont gardées. Rouvrez la page pour "
    "recommencer."
)


def _csrf_error(_error: CSRFError) -> tuple[str, int]:
    """Explain a refused form and offer the page it came from, opened afresh."""
    page = render_template("errors/error.html", code=400, message=CSRF_MESSAGE, back=_form_page())
    return page, 400


def _form_page() -> str | None:
    """Return the page a refused form was sent from, on this site: the referrer, else the form's
    own address when it answers GET (the quiz, the tools, the account, the login)."""
    referrer = urlsplit(request.referrer or "")
    on_site = referrer.path.startswith("/") and not referrer.path.startswith("//")
    if referrer.netloc == request.host and on_site:  # "//x" would lead to another site
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    adapter = request_ctx.url_adapter
    if adapter is not None and adapter.test(request.path, method="GET"):
        return request.script_root + request.path
    return None


def _http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    code = error.code or 500
    if code < 400:
        return error
    message = MESSAGES.get(code, error.description or MESSAGES[500])
    # A host outside TRUSTED_HOSTS leaves the request without URLs to build: a page without links.
    page = "errors/error.html" if request_ctx.url_adapter is not None else "errors/bare.html"
    return render_template(page, code=code, message=message), code


def _unexpected(error: Exception) -> tuple[str, int]:
    log.exception("unexpected error", exc_info=error)
    return _http_error(InternalServerError())  # type: ignore[return-value]
