"""Who may see a learner's own records (progress, certificate) and take out or erase their data."""

from __future__ import annotations


def can_see_record(viewer_id: int, viewer_role: str, learner_id: int) -> bool:
    """Tell whether someone may see a learner's progress page or certificate: them or an admin."""
    return viewer_id == learner_id or viewer_role == "admin"


def can_take_out_data(viewer_id: int, learner_id: int) -> bool:
    """Tell whether someone may export a learner's data: only the learner."""
    return viewer_id == learner_id


def can_erase_account(role: str) -> bool:
    """Tell whether an account may erase itself: learners (staff accounts go through an admin)."""
    return role == "learner"


def can_revoke_certificates(role: str) -> bool:
    """Tell whether someone may revoke certificates: admins only."""
    return role == "admin"
