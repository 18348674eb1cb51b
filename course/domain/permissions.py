"""Who may see and do what in the trainer workspace: predicates, enforced in one place."""

from __future__ import annotations

from collections.abc import Container
from typing import Protocol

ROLES = ("learner", "trainer", "admin")


class Actor(Protocol):
    """Anyone acting: a logged-in viewer or a user row (an id and a role)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...


def can_train(actor: Actor) -> bool:
    """Tell whether someone may use the trainer workspace (trainers and admins)."""
    return actor.role in ("trainer", "admin")


def can_view_cohort(actor: Actor, trainer_ids: Container[int]) -> bool:
    """Tell whether someone may see a cohort: an admin, or one of its trainers."""
    return actor.role == "admin" or (actor.role == "trainer" and actor.id in trainer_ids)


def can_view_learner(actor: Actor, trainer_ids: Container[int], member: bool) -> bool:
    """Tell whether someone may see a learner through a cohort: they see it and it holds them."""
    return member and can_view_cohort(actor, trainer_ids)


def can_manage_roles(actor: Actor) -> bool:
    """Tell whether someone may change other people's roles (admins only)."""
    return actor.role == "admin"


def can_change_role(actor: Actor, target_id: int, role: str) -> bool:
    """Tell whether an admin may give this role to this user (never to themselves: no lock-out)."""
    return can_manage_roles(actor) and actor.id != target_id and role in ROLES


def can_co_train(candidate_role: str) -> bool:
    """Tell whether a user may be added as a cohort's trainer."""
    return candidate_role in ("trainer", "admin")
