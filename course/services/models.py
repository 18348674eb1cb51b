"""Tables: learner data is history first; rows are added, never rewritten."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


def table(model: type[Base]) -> Table:
    """Return a model's table, for Core statements (bulk inserts skip the ORM's machinery)."""
    return cast(Table, model.__table__)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    created_at: Mapped[datetime]


# The dashboard's roster by name (its default order) is read along this index, page by page.
Index("ix_users_sort_name", func.lower(User.display_name), User.id)


class LoginSession(Base):
    """One signed-in browser: deleting the row ends it, wherever its cookie was copied.

    The cookie carries a random secret; only its SHA-256 is stored. No address is kept.
    """

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64))
    remember: Mapped[bool]
    browser: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class StepCompletion(Base):
    __tablename__ = "step_completions"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(100))
    step_id: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[datetime]


class StepOpening(Base):
    """The first time a learner opened a step's page (what `unlocked_by: {step}` waits for)."""

    __tablename__ = "step_openings"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(100))
    step_id: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime]


class Attempt(Base):
    """An attempt as the server laid it out: drawn questions, their order, the rules in force."""

    __tablename__ = "attempts"
    # The attempt number is unique per learner and quiz: two concurrent starts cannot both
    # take the last allowed attempt.
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        Index("ix_attempts_quiz", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    pass_mark: Mapped[float] = mapped_column(Float)
    question_ids: Mapped[list[str]]
    option_orders: Mapped[dict[str, Any]]
    started_at: Mapped[datetime]

    submission: Mapped[Submission | None] = relationship(back_populates="attempt", lazy="raise")


class Submission(Base):
    """The one scored submission of an attempt; its primary key makes it unique."""

    __tablename__ = "submissions"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool]
    submitted_at: Mapped[datetime]

    attempt: Mapped[Attempt] = relationship(back_populates="submission", lazy="raise")
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="submission", lazy="raise", order_by="AnswerRow.id"
    )


class AttemptDraft(Base):
    """The answers of an open attempt saved without submitting them; replaced at each save.

    Not history: a draft scores nothing and is deleted when its attempt is submitted.
    """

    __tablename__ = "attempt_drafts"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[dict[str, Any]]  # question id -> answer, as a submission stores it
    confidence: Mapped[dict[str, Any]]  # question id -> certainty 1-3
    saved_at: Mapped[datetime]


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.attempt_id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(String(100))
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    fraction: Mapped[float] = mapped_column(Float)
    points: Mapped[float] = mapped_column(Float)
    confidence: Mapped[int | None] = mapped_column(Integer)

    submission: Mapped[Submission] = relationship(back_populates="answers", lazy="raise")


class Waiver(Base):
    """A trainer lifted a module's lock for one learner (cmi5's "waived")."""

    __tablename__ = "waivers"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(100))
    waived_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), server_default="")
    created_at: Mapped[datetime]


class ToolEntry(Base):
    """One saved version of a learner's work on a practical tool; versions are never rewritten."""

    __tablename__ = "tool_entries"
    __table_args__ = (UniqueConstraint("user_id", "tool_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tool_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]]
    saved_at: Mapped[datetime]


class FailedLogin(Base):
    """A failed login, kept a short while to slow down password guessing on every worker."""

    __tablename__ = "failed_logins"
    __table_args__ = (
        Index("ix_failed_logins_email", "email", "at"),
        Index("ix_failed_logins_ip", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime]


class Event(Base):
    """An xAPI-shaped learning event (actor, verb, object, result, timestamp); append-only."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_time", "user_id", "timestamp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(100))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    timestamp: Mapped[datetime]


class XapiOutbox(Base):
    """An event still to send to the LRS as an xAPI statement; queued with the event itself."""

    __tablename__ = "xapi_outbox"
    __table_args__ = (Index("ix_xapi_outbox_due", "next_try_at"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    event: Mapped[Event] = relationship()


# --- Trainer workspace (issue 5) ---


class Cohort(Base):
    """A group of learners followed by its trainers; learners join it with its code."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class CohortTrainer(Base):
    """A trainer who follows a cohort (its creator, and any co-trainer added)."""

    __tablename__ = "cohort_trainers"
    __table_args__ = (Index("ix_cohort_trainers_user", "user_id"),)

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime]


class CohortMembership(Base):
    """A learner in a cohort; a learner may belong to several."""

    __tablename__ = "cohort_memberships"
    __table_args__ = (
        Index("ix_cohort_memberships_user", "user_id"),
        # Learners without activity who joined in one hour: those the kept tallies count afresh.
        Index("ix_cohort_memberships_joined", "cohort_id", "joined_at"),
    )

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime]


# --- Self-assessment and certificates (issue 6) ---


class CertaintyScore(Base):
    """The certainty-based (CBM) score of a submission to a `scoring: cbm` quiz: the one counted."""

    __tablename__ = "certainty_scores"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.attempt_id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)  # -2 to 1 (Moodle's CBM mark over 3)


class Certificate(Base):
    """A course completion certificate; its code is public and verifiable, it may be revoked."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # What the certificate states, as it was when issued.
    learner_name: Mapped[str] = mapped_column(String(80))
    course_title: Mapped[str] = mapped_column(String(200))
    modules: Mapped[list[Any]] = mapped_column(JSON)  # [{"id", "title", "score"}]
    issued_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str] = mapped_column(String(200), default="")


class ErasedAccount(Base):
    """An account its learner erased: the user row stays, emptied, so attempts keep their key."""

    __tablename__ = "erased_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    erased_at: Mapped[datetime]


# --- Trainer workspace (issue 5), continued: dashboard rows kept from the event log ---


class ProgressSnapshot(Base):
    """A learner's dashboard standing as the metrics last computed it (derived, refreshable)."""

    __tablename__ = "progress_snapshots"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    percent: Mapped[int] = mapped_column(Integer)
    last_activity: Mapped[datetime | None] = mapped_column(nullable=True)
    signals: Mapped[int] = mapped_column(Integer)  # signals time alone does not change
    # Triage (metrics.priority, metrics.help_key): the most urgent of those signals (NO_HELP if
    # none), and the facts' fingerprint without and with the inactivity that time may add.
    priority: Mapped[int] = mapped_column(Integer, server_default="9")
    help_key: Mapped[str] = mapped_column(String(16), server_default="")
    help_key_idle: Mapped[str] = mapped_column(String(16), server_default="")

    # The learners of one hour of activity: those the kept tallies count afresh.
    # The most urgent learners of each rank, longest idle first, for the triage.
    __table_args__ = (
        Index("ix_progress_snapshots_last_activity", "last_activity"),
        Index("ix_progress_snapshots_priority", "priority", "last_activity"),
        Index("ix_progress_snapshots_idle", "status", "last_activity"),
    )


class ReminderMark(Base):
    """When a learner was last sent a reminder: one row each, so the database keeps the 24 hours."""

    __tablename__ = "reminder_marks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sent_at: Mapped[datetime]


class HandledHelp(Base):
    """A trainer marked a learner's needs-help signals as handled, for the facts seen then."""

    __tablename__ = "handled_help"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    help_key: Mapped[str] = mapped_column(String(16))  # metrics.help_key of the facts handled
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime]


class ProgressCell(Base):
    """A learner's standing on one module, as last computed (derived, refreshable)."""

    __tablename__ = "progress_cells"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    best_score: Mapped[float | None] = mapped_column(Float, nullable=True)


class CohortTally(Base):
    """How many of a cohort's learners, or cells, stand under one key (domain/tallies.py), kept
    with the standings; a BUILT row says the cohort's counts are complete."""

    __tablename__ = "cohort_tallies"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SnapshotMark(Base):
    """Up to which event the snapshots are current, and with which course and thresholds."""

    __tablename__ = "snapshot_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer)
    # Users up to this id have had a standing made (any user past it without one is missing).
    user_id: Mapped[int] = mapped_column(Integer, server_default="0")
    fingerprint: Mapped[str] = mapped_column(String(64))
    refreshed_at: Mapped[datetime]


class FirstAttemptSum(Base):
    """A running count over a cohort's first attempts at a quiz (domain/first_sums.py), added
    to by each first submission; a `built` row says the counts are complete for the content."""

    __tablename__ = "first_attempt_sums"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    quiz_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    learner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mark: Mapped[float] = mapped_column(Float, primary_key=True)
    total: Mapped[float] = mapped_column(Float, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    confident: Mapped[int] = mapped_column(Integer)
    fraction: Mapped[float] = mapped_column(Float)
    # SQL NULL for the rows without a response, so reading them decodes no JSON
    response: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    # `sums` rows: a question's sums of x, x², r, r² and x·r
    sx: Mapped[float] = mapped_column(Float, server_default="0")
    sxx: Mapped[float] = mapped_column(Float, server_default="0")
    sr: Mapped[float] = mapped_column(Float, server_default="0")
    srr: Mapped[float] = mapped_column(Float, server_default="0")
    sxr: Mapped[float] = mapped_column(Float, server_default="0")


class PasswordReset(Base):
    """A mailed password-reset link: only its token's hash is kept; used once, within its hour."""

    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
