"""The dashboard's query string and pages."""

from __future__ import annotations

import pytest

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
