"""Who may see and do what: every predicate over one actor, as a table of roles."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import pytest

from course.domain import permissions as p


@dataclass(frozen=True)
class Person:
    id: int
    role: str


LEARNER, OTHER, TRAINER, ADMIN = (
    Person(1, "learner"),
    Person(2, "learner"),
    Person(3, "trainer"),
    Person(4, "admin"),
)


@pytest.mark.parametrize(
    ("actor", "trains", "manages", "revokes", "erases"),
    [
        (LEARNER, False, False, False, True),
        (TRAINER, True, False, False, False),
        (ADMIN, True, True, True, False),
        (Person(5, "superuser"), False, False, False, False),  # unknown roles get nothing
    ],
)
def test_what_each_role_may_do(
    actor: Person, trains: bool, manages: bool, revokes: bool, erases: bool
) -> None:
    assert p.can_train(actor) is trains
    assert p.can_co_train(actor) is trains
    assert p.can_manage_roles(actor) is manages
    assert p.can_revoke_certificates(actor) is revokes
    assert p.can_erase_account(actor) is erases


@pytest.mark.parametrize(
    ("actor", "sees", "takes_out"),
    [
        (LEARNER, True, True),  # their own
        (OTHER, False, False),
        (TRAINER, False, False),  # trainers see learners through cohorts, not here
        (ADMIN, True, False),  # an admin sees the record; only the learner takes the data out
    ],
)
def test_who_sees_a_learners_own_record(actor: Person, sees: bool, takes_out: bool) -> None:
    assert p.can_see_record(actor, LEARNER.id) is sees
    assert p.can_take_out_data(actor, LEARNER.id) is takes_out


@pytest.mark.parametrize(
    ("actor", "trainers", "member", "cohort", "learner"),
    [
        (Person(3, "trainer"), {3}, True, True, True),
        (Person(6, "trainer"), {3}, True, False, False),  # another trainer's cohort
        (ADMIN, {3}, True, True, True),
        (Person(3, "trainer"), {3}, False, True, False),  # not in this cohort
        (Person(3, "learner"), {3}, True, False, False),  # demoted: no longer a trainer
    ],
)
def test_who_sees_a_cohort_and_its_learners(
    actor: Person, trainers: set[int], member: bool, cohort: bool, learner: bool
) -> None:
    assert p.can_view_cohort(actor, trainers) is cohort
    assert p.can_view_learner(actor, trainers, member) is learner


@pytest.mark.parametrize(
    ("actor", "target", "role", "allowed"),
    [
        (ADMIN, 2, "trainer", True),
        (ADMIN, ADMIN.id, "learner", False),  # never one's own role
        (ADMIN, 2, "superuser", False),
        (TRAINER, 2, "trainer", False),
    ],
)
def test_who_changes_roles(actor: Person, target: int, role: str, allowed: bool) -> None:
    assert p.can_change_role(actor, target, role) is allowed


def test_every_predicate_takes_the_actor_first() -> None:
    names = [n for n in vars(p) if n.startswith(("can_", "is_"))]
    assert len(names) >= 10
    for name in names:
        first = next(iter(inspect.signature(getattr(p, name)).parameters))
        assert first == "actor", name
