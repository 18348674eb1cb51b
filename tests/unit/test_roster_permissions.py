"""The dashboard's query string, pages, and who may see what."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from course.domain import permissions
from course.domain.roster import RosterQuery, page_count


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, RosterQuery()),
        ({"status": "completed", "idle": "14", "help": "1"}, RosterQuery("completed", 14, True)),
        ({"status": "weird", "idle": "5", "help": "yes"}, RosterQuery()),
        (
            {"sort": "activity", "order": "desc", "page": "3"},
            RosterQuery(sort="activity", descending=True, page=3),
        ),
        ({"sort": "password_hash", "page": "-2"}, RosterQuery()),
        ({"page": "0"}, RosterQuery()),
        ({"q": "  Léa  "}, RosterQuery(search="Léa")),
    ],
)
def test_query_from_url_parameters(args: dict[str, str], expected: RosterQuery) -> None:
    assert RosterQuery.from_args(args) == expected


def test_query_links_keep_the_filters_and_change_one_thing() -> None:
    query = RosterQuery(status="in_progress", needs_help=True, sort="help", descending=True, page=2)
    assert query.args(page=3) == {
        "status": "in_progress",
        "help": "1",
        "sort": "help",
        "order": "desc",
        "page": 3,
    }
    assert RosterQuery.from_args({k: str(v) for k, v in query.args().items()}) == query
    assert "page" not in RosterQuery().args()


@pytest.mark.parametrize(
    ("total", "size", "pages"), [(0, 50, 1), (1, 50, 1), (50, 50, 1), (51, 50, 2)]
)
def test_page_count(total: int, size: int, pages: int) -> None:
    assert page_count(total, size) == pages


@dataclass
class Person:
    id: int
    role: str


@pytest.mark.parametrize(
    ("person", "trainers", "member", "cohort", "learner"),
    [
        (Person(1, "trainer"), {1}, True, True, True),
        (Person(2, "trainer"), {1}, True, False, False),  # another trainer's cohort
        (Person(3, "admin"), {1}, True, True, True),
        (Person(1, "trainer"), {1}, False, True, False),  # not in this cohort
        (Person(1, "learner"), {1}, True, False, False),  # demoted: no longer a trainer
    ],
)
def test_who_sees_a_cohort_and_its_learners(
    person: Person, trainers: set[int], member: bool, cohort: bool, learner: bool
) -> None:
    assert permissions.can_view_cohort(person, trainers) is cohort
    assert permissions.can_view_learner(person, trainers, member) is learner


@pytest.mark.parametrize(
    ("actor", "target", "role", "allowed"),
    [
        (Person(1, "admin"), 2, "trainer", True),
        (Person(1, "admin"), 1, "learner", False),  # never one's own role
        (Person(1, "admin"), 2, "superuser", False),
        (Person(1, "trainer"), 2, "trainer", False),
    ],
)
def test_who_changes_roles(actor: Person, target: int, role: str, allowed: bool) -> None:
    assert permissions.can_change_role(actor, target, role) is allowed


@pytest.mark.parametrize(("role", "ok"), [("learner", False), ("trainer", True), ("admin", True)])
def test_who_trains(role: str, ok: bool) -> None:
    assert permissions.can_train(Person(1, role)) is ok
    assert permissions.can_co_train(role) is ok
