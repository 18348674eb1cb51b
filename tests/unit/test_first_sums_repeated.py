"""What an attempt adds when several learners made it: the counts times over, holders once."""

from __future__ import annotations

import pytest

from course.domain.first_sums import HOLDER, MARK, RESPONSE, SUMS, TAG, SumKey, SumRow, repeated

ROWS = [
    SumRow(SumKey(SUMS, question_id="q1"), sums=(0.5, 0.25, 1.5, 2.25, 0.75)),
    SumRow(SumKey(MARK, question_id="q1", mark=0.5)),
    SumRow(SumKey(RESPONSE, "d", "q1"), 1, 1, 0.5, ["a"]),
    SumRow(SumKey(TAG, "confusion")),
    SumRow(SumKey(HOLDER, "confusion", learner_id=7)),
]


@pytest.mark.parametrize("times", [1, 2, 40])
def test_repeated_rows_count_as_many_learners_and_name_the_holder_once(times: int) -> None:
    got = {row.key: row for row in repeated(ROWS, times)}
    for row in ROWS:
        same = got[row.key]
        n = 1 if row.key.kind == HOLDER else times
        assert (same.n, same.confident) == (row.n * n, row.confident * n)
        assert same.sums == pytest.approx(tuple(v * n for v in row.sums))
        assert (same.fraction, same.response) == (row.fraction, row.response)
