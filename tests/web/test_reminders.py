"""Reminders from the dashboard, through a real SMTP server: who, what, once a day, recorded."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from course.domain.reminders import DEFAULT_MESSAGE, DEFAULT_SUBJECT
from course.services import accounts, reminders
from course.services.models import Event, ReminderMark, User
from course.services.progress import complete_step
from tests.conftest import PASSWORD
from tests.factories import fixture_course, make_cohort, now
from tests.smtp_sink import SmtpSink, body_of


def logged_in(app: Flask, user: User) -> FlaskClient:
    """Return a client of the app, logged in as this user."""
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return client


def _people(app: Flask) -> tuple[User, User, User, User, int]:
    """A trainer, two learners of their cohort (one halfway) and a stranger; the cohort's id."""
    session = app.extensions["database"].session(writer=True)

    def user(email: str, name: str, role: str = "learner") -> User:
        made = accounts.create_user(
            session, email=email, display_name=name, password=PASSWORD, now=now()
        )
        made.role = role
        return made

    trainer = user("formatrice@example.org", "Formatrice", "trainer")
    lea, noe = user("lea@example.org", "Léa"), user("noe@example.org", "Noé")
    stranger = user("autre@example.org", "Autre")
    session.flush()
    cohort = make_cohort(session, trainer, lea, noe)
    course = fixture_course()
    first = course.modules[0]
    complete_step(session, course, noe.id, first, first.steps[0], now=now())
    session.commit()
    people = (trainer, lea, noe, stranger)
    for person in people:
        session.expunge(person)
    session.close()
    return (*people, cohort.id)


def test_a_reminder_reaches_the_learners_chosen_once_a_day_and_shows_in_the_timeline(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    mail_app.config["PUBLIC_URL"] = "https://parcours.example"
    trainer, lea, noe, stranger, cohort_id = _people(mail_app)
    client = logged_in(mail_app, trainer)
    base = f"/trainer/cohorts/{cohort_id}"
    page = unescape(client.get(base).text)
    assert "Relancer par e-mail les apprenants cochés" in page
    assert DEFAULT_SUBJECT in page  # the editable template, prefilled
    sent = client.post(
        f"{base}/reminders",
        data={
            "learner": [str(lea.id), str(noe.id), str(stranger.id)],  # the stranger is ignored
            "subject": "Où en êtes-vous, {nom} ?",
            "message": DEFAULT_MESSAGE,
        },
    )
    assert sent.status_code == 302
    messages = smtp_server.wait_for(2)
    by_address = {env[1][0]: m for env, m in zip(smtp_server.envelopes, messages, strict=True)}
    assert set(by_address) == {lea.email, noe.email}
    to_noe = by_address[noe.email]
    assert to_noe["Subject"] == "Où en êtes-vous, Noé ?"
    body = body_of(to_noe)
    assert body.startswith("Bonjour Noé,")
    assert "Les bases" in body or "séance 1" in body  # where Noé stopped
    link = re.search(r"https://parcours\.example(/\S+)", body)
    assert link is not None, body
    noe_client = mail_app.test_client()
    noe_client.post("/login", data={"email": noe.email, "password": PASSWORD})
    assert noe_client.get(link.group(1)).status_code == 200  # the link works
    assert "Formatrice" in body  # signed by the trainer
    # Again within 24 hours: nothing is sent, and the trainer is told.
    again = client.post(
        f"{base}/reminders",
        data={"learner": [str(noe.id)], "subject": "Encore", "message": "Bonjour {nom}"},
        follow_redirects=True,
    )
    assert "Déjà relancé(s) il y a moins de 24 heures, rien envoyé : Noé" in unescape(again.text)
    assert len(smtp_server.messages) == 2
    timeline = unescape(client.get(f"{base}/learners/{noe.id}").text)
    assert "Relancé(e) par e-mail : « Où en êtes-vous, Noé ? »" in timeline
    session = mail_app.extensions["database"].session(writer=False)
    events = session.scalar(select(func.count(Event.id)).where(Event.verb == "reminded"))
    assert events == 2
    session.close()


def test_a_reminder_without_learners_or_message_shows_the_form_again(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    trainer, lea, _, _, cohort_id = _people(mail_app)
    client = logged_in(mail_app, trainer)
    base = f"/trainer/cohorts/{cohort_id}"
    nobody = client.post(f"{base}/reminders", data={"subject": "Objet", "message": "Texte"})
    assert nobody.status_code == 400
    assert "Cochez au moins un apprenant à relancer." in unescape(nobody.text)
    empty = client.post(f"{base}/reminders", data={"learner": [str(lea.id)], "subject": ""})
    assert empty.status_code == 400
    assert "Donnez un objet à la relance." in unescape(empty.text)
    assert (
        f'value="{lea.id}" id="relancer-{lea.id}" aria-label="Relancer Léa" checked' in empty.text
    )
    assert smtp_server.messages == []


def test_the_database_allows_one_reminder_per_learner_per_24_hours(mail_app: Flask) -> None:
    _, lea, _, _, _ = _people(mail_app)
    session = mail_app.extensions["database"].session(writer=True)
    assert reminders.claim(session, lea.id, now=now())
    assert not reminders.claim(session, lea.id, now=now() + timedelta(hours=23))
    assert reminders.claim(session, lea.id, now=now() + timedelta(hours=24))
    session.commit()
    assert session.scalar(select(func.count()).select_from(ReminderMark)) == 1
    session.close()


def test_a_reminder_with_unknown_placeholders_or_an_open_brace_is_refused_as_typed(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    trainer, lea, _, _, cohort_id = _people(mail_app)
    client = logged_in(mail_app, trainer)
    base = f"/trainer/cohorts/{cohort_id}"
    subject, message = "Relance {inconnu}", "Bonjour {nom}, {prenom} ! {lien"
    refused = client.post(
        f"{base}/reminders",
        data={"learner": [str(lea.id)], "subject": subject, "message": message},
    )
    assert refused.status_code == 400
    page = unescape(refused.text)
    assert "Repère inconnu : {inconnu}." in page
    assert "Repère inconnu : {prenom}." in page
    assert "Accolade non fermée : « {lien »." in page
    assert "Repères possibles : {nom}, {cours}, {etape}, {lien}, {formateur}." in page
    assert f'value="{subject}"' in page  # what was typed is kept
    assert f"{message}</textarea>" in page
    assert smtp_server.messages == []
    session = mail_app.extensions["database"].session(writer=False)
    assert session.scalar(select(func.count()).select_from(ReminderMark)) == 0
    assert session.scalar(select(func.count(Event.id)).where(Event.verb == "reminded")) == 0
    session.close()


def _reminder_action(html: str) -> str:
    found = re.search(r'<form method="post" action="([^"]+)" id="form-relance"', html)
    assert found is not None
    return unescape(found.group(1))


def test_a_refused_reminder_keeps_the_filter_sort_and_page(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    trainer, lea, _, _, cohort_id = _people(mail_app)
    client = logged_in(mail_app, trainer)
    dashboard = client.get(f"/trainer/cohorts/{cohort_id}?idle=30&sort=activity&order=desc")
    action = _reminder_action(dashboard.text)  # the form the browser posts, as the page has it
    refused = client.post(
        action, data={"learner": [str(lea.id)], "subject": "Objet", "message": ""}
    )
    assert refused.status_code == 400
    page = unescape(refused.text)
    assert "Écrivez le message de la relance." in page
    assert '<option value="30" selected>' in page
    assert '<input type="hidden" name="sort" value="activity">' in page
    assert '<input type="hidden" name="order" value="desc">' in page
    assert "idle=30" in _reminder_action(refused.text)  # and a second try keeps them still
    assert smtp_server.messages == []
    # Seen at once on a phone: the title says so and the summary, on top, takes the focus.
    assert "<title>Erreur : " in page
    assert page.index('id="erreurs"') < page.index('id="relance"')
    sent = client.post(
        action, data={"learner": [str(lea.id)], "subject": "Objet", "message": "Bonjour {nom}"}
    )
    assert sent.status_code == 302
    assert "idle=30" in sent.location
    assert sent.location.endswith("#relance")
