"""Self-assessment on a real database: CBM passing, answers, certificates, export, erasure."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from course.content.model import Course
from course.domain.answers import parse_answers
from course.domain.selection import Selection
from course.services import (
    accounts,
    attempts,
    certificates,
    drafts,
    history,
    personal_data,
    progress,
)
from course.services.models import (
    AnswerRow,
    Attempt,
    AttemptDraft,
    CertaintyScore,
    Certificate,
    ErasedAccount,
    Event,
    Submission,
    ToolEntry,
    User,
)
from tests.conftest import PASSWORD, now

M1_RIGHT = {
    "q-q-single": ["a"],
    "q-q-multiple": ["a", "b"],
    "q-q-vf": ["false"],
    "q-q-num": ["69"],
    "q-q-text": ["catalyse territoriale"],
    "c-q-single": ["3"],
}
M1_WRONG = {"q-q-single": ["b"], "c-q-single": ["3"]}
M2_RIGHT = {"q-q-order": ["un", "deux", "trois"], "q-q-match-p1": ["p1"], "q-q-match-p2": ["p2"]}


def m3(certainty: str) -> dict[str, list[str]]:
    # m3-quiz draws one of its two questions: answer both, rightly, with this certainty.
    return {
        "q-q-fin-1": ["true"],
        "q-q-fin-2": ["false"],
        "c-q-fin-1": [certainty],
        "c-q-fin-2": [certainty],
    }


def take(db: Session, course: Course, user: User, quiz_id: str, form: dict) -> Submission:
    quiz = course.quizzes[quiz_id]
    started = attempts.start_attempt(db, user.id, quiz, rng=random.Random(1), now=now())
    db.commit()
    attempt = attempts.get_own(db, user.id, started.id)
    assert attempt is not None
    questions = [quiz.question(q) for q in attempt.question_ids]
    outcome = attempts.submit(db, course, attempt, parse_answers(questions, form), now=now())
    db.commit()
    return outcome.submission


def do_steps(db: Session, course: Course, user: User, module_id: str) -> None:
    module = course.module(module_id)
    for step in module.steps:
        progress.complete_step(db, course, user.id, module, step, now=now())
    db.commit()


def complete_course(db: Session, course: Course, user: User) -> None:
    for module_id, quiz_id, form in (
        ("m1", "m1-quiz", M1_RIGHT),
        ("m2", "m2-quiz", M2_RIGHT),
        ("m3", "m3-quiz", m3("3")),
    ):
        do_steps(db, course, user, module_id)
        take(db, course, user, quiz_id, form)


def test_a_cbm_quiz_passes_on_the_certainty_score(
    db: Session, course: Course, learner: User
) -> None:
    unsure = take(db, course, learner, "m3-quiz", m3("1"))
    assert unsure.score == 1.0  # every answer right...
    assert not unsure.passed  # ...but unsure: CBM 33 % < the 50 % pass mark
    stored = db.scalar(
        select(CertaintyScore.score).where(CertaintyScore.attempt_id == unsure.attempt_id)
    )
    assert stored == pytest.approx(1 / 3)
    record = progress.load_progress(db, learner.id).record("m3-quiz")
    assert not record.passed
    assert record.best_score == pytest.approx(1 / 3)  # locks explain with the score that counts

    sure = take(db, course, learner, "m3-quiz", m3("3"))
    assert sure.passed
    assert progress.load_progress(db, learner.id).record("m3-quiz").best_score == pytest.approx(1.0)


def test_a_plain_quiz_passes_on_the_plain_score_and_stores_no_cbm(
    db: Session, course: Course, learner: User
) -> None:
    submission = take(db, course, learner, "m1-quiz", {**M1_RIGHT, "c-q-single": ["1"]})
    assert submission.passed
    assert db.scalar(select(func.count()).select_from(CertaintyScore)) == 0
    assert progress.load_progress(db, learner.id).record("m1-quiz").best_score == 1.0


def test_load_answers_and_first_attempts(
    db: Session, course: Course, learner: User, make_user: Callable[..., User]
) -> None:
    take(db, course, learner, "m1-quiz", M1_WRONG)
    take(db, course, learner, "m1-quiz", M1_RIGHT)
    answers = history.load_answers(db, learner.id)
    assert len(answers) == 10
    first_single = next(a for a in answers if a.question_id == "q-single")
    assert (first_single.attempt_number, first_single.fraction, first_single.confidence) == (
        1,
        0.0,
        3,
    )
    assert first_single.response == "b"
    other = make_user("other@example.org")
    found = history.selected_answers(db, [learner.id, other.id], Selection.FIRST)
    assert found[learner.id]["m1-quiz"]["q-single"] == 0.0  # the first attempt, not the retake
    assert found[other.id] == {}


def test_a_certificate_is_issued_once_the_course_is_completed(
    db: Session, course: Course, learner: User
) -> None:
    do_steps(db, course, learner, "m1")
    take(db, course, learner, "m1-quiz", M1_RIGHT)
    assert certificates.for_user(db, learner.id) is None
    complete_course(db, course, learner)
    certificate = certificates.for_user(db, learner.id)
    assert certificate is not None
    assert certificate.learner_name == "learner"
    assert [m["score"] for m in certificate.modules] == [100, 100, 100]
    assert certificates.by_code(db, certificate.code.lower()) is certificate
    again = certificates.issue_if_completed(db, course, learner.id, now=now())
    assert again is certificate
    assert db.scalar(select(func.count()).select_from(Certificate)) == 1
    verbs = db.execute(select(Event.verb, Event.object_type).where(Event.object_type == "course"))
    assert ("completed", "course") in verbs.all()


def test_no_certificate_while_the_course_is_not_completed(
    db: Session, course: Course, learner: User
) -> None:
    take(db, course, learner, "m1-quiz", M1_RIGHT)  # quiz passed, steps not done
    assert certificates.issue_if_completed(db, course, learner.id, now=now()) is None
    assert certificates.by_code(db, "not a code") is None


def test_revocation_is_recorded_once(
    db: Session, course: Course, learner: User, make_user: Callable[..., User]
) -> None:
    complete_course(db, course, learner)
    admin = make_user("admin@example.org", role="admin")
    certificate = certificates.for_user(db, learner.id)
    assert certificate is not None
    assert certificates.revoke(db, certificate, by=admin.id, reason=" Fraude ", now=now())
    assert not certificates.revoke(db, certificate, by=admin.id, reason="again", now=now())
    db.commit()
    assert certificate.revoked_at == now()
    assert (certificate.revoked_by, certificate.revocation_reason) == (admin.id, "Fraude")


def test_the_export_holds_the_learners_data_and_only_theirs(
    db: Session, course: Course, learner: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other@example.org")
    take(db, course, other, "m1-quiz", M1_RIGHT)
    take(db, course, learner, "m3-quiz", m3("2"))
    opened = attempts.start_attempt(
        db, learner.id, course.quizzes["m1-quiz"], rng=random.Random(1), now=now()
    )
    draft = parse_answers(course.quizzes["m1-quiz"].questions, {"q-q-text": ["mon brouillon"]})
    drafts.save(db, opened.id, draft, now=now())
    db.commit()
    data = personal_data.export_learner(
        db, course, learner.id, base_url="https://x.example", now=now()
    )
    assert data["account"]["email"] == "learner@example.org"
    attempt, open_one = data["attempts"]
    assert open_one["draft"]["answers"] == {"q-text": "mon brouillon"}
    assert attempt["draft"] is None
    assert attempt["quiz_id"] == "m3-quiz"
    assert attempt["submission"]["certainty_score"] == pytest.approx(2 / 3)
    assert attempt["submission"]["answers"][0]["confidence"] == 2
    verbs = {e["verb"]["id"].rsplit("/", 1)[1] for e in data["events"]}
    assert verbs >= {"registered", "answered"}
    assert len({e["actor"]["account"]["name"] for e in data["events"]}) == 1  # one learner
    assert "learner@example.org" not in str(data["events"])


def test_erasure_empties_the_account_and_keeps_attempts_anonymous(
    db: Session, course: Course, learner: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other@example.org")
    complete_course(db, course, learner)
    db.add(
        ToolEntry(
            user_id=learner.id, tool_id="outil-1", version=1, answers={"a": "x"}, saved_at=now()
        )
    )
    opened = attempts.start_attempt(
        db, learner.id, course.quizzes["m1-positionnement"], rng=random.Random(1), now=now()
    )
    questions = course.quizzes["m1-positionnement"].questions
    drafts.save(db, opened.id, parse_answers(questions, {"q-p-vf": ["true"]}), now=now())
    db.commit()
    answers_before = db.scalar(select(func.count()).select_from(AnswerRow))
    personal_data.erase_learner(db, learner.id, now=now())
    db.commit()

    user = db.get(User, learner.id)
    assert user is not None
    assert user.display_name == "Compte effacé"
    assert "learner" not in user.email
    assert accounts.authenticate(db, "learner@example.org", PASSWORD) is None
    assert certificates.for_user(db, learner.id) is None
    assert db.scalar(select(func.count()).select_from(ToolEntry)) == 0
    assert db.scalar(select(func.count()).select_from(AttemptDraft)) == 0
    assert db.scalar(select(func.count()).select_from(AnswerRow)) == answers_before
    assert db.scalar(select(func.count()).where(Attempt.user_id == learner.id)) == 4
    assert db.get(ErasedAccount, learner.id) is not None
    assert accounts.authenticate(db, other.email, PASSWORD) is not None
