"""Who may see and do what: pure predicates over one `Actor`, enforced in the web layer.

Every predicate takes the actor first, then what it acts on. The web layer turns a `False` into
404 when the actor may not know the object exists (someone else's record, a cohort they do not
train) and into 403 when they may know it but their role refuses (`course/web/access.py`).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Protocol

ROLES = {"learner": "Apprenant", "trainer": "Formateur", "admin": "Administrateur"}  # and labels
STAFF_ROLES = ("trainer", "admin")


class Actor(Protocol):
    """Anyone acting: a logged-in viewer or a user row (an id and a role)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...


def is_admin(actor: Actor) -> bool:
    """Tell whether someone is an admin."""
    return actor.role == "admin"


def can_train(actor: Actor) -> bool:
    """Tell whether someone may use the trainer workspace (trainers and admins)."""
    return actor.role in STAFF_ROLES


def can_view_cohort(actor: Actor, trainer_ids: Container[int]) -> bool:
    """Tell whether someone may see a cohort: an admin, or one of its trainers."""
    return is_admin(actor) or (actor.role == "trainer" and actor.id in trainer_ids)


def can_view_learner(actor: Actor, trainer_ids: Container[int], member: bool) -> bool:
    """Tell whether someone may see a learner through a cohort: they see it and it holds them."""
    return member and can_view_cohort(actor, trainer_ids)


def can_co_train(actor: Actor) -> bool:
    """Tell whether someone may be added as a cohort's trainer (trainers and admins)."""
    return can_train(actor)


def can_manage_roles(actor: Actor) -> bool:
    """Tell whether someone may see every account and change roles (admins only)."""
    return is_admin(actor)


def can_change_role(actor: Actor, target_id: int, role: str) -> bool:
    """Tell whether an admin may give this role to this user (never to themselves: no lock-out)."""
    return can_manage_roles(actor) and actor.id != target_id and role in ROLES


def can_revoke_certificates(actor: Actor) -> bool:
    """Tell whether someone may list and revoke certificates (admins only)."""
    return is_admin(actor)


def can_see_record(actor: Actor, learner_id: int) -> bool:
    """Tell whether someone may see a learner's progress page or certificate: them or an admin."""
    return actor.id == learner_id or is_admin(actor)


def can_take_out_data(actor: Actor, learner_id: int) -> bool:
    """Tell whether someone may download a learner's data: only the learner."""
    return actor.id == learner_id


def can_erase_account(actor: Actor) -> bool:
    """Tell whether someone may erase their own account: learners (staff go through an admin)."""
    return actor.role == "learner"
