"""Roles: admins list accounts and change who is a learner, a trainer or an admin."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from course.domain.permissions import Actor, can_change_role

from .models import User


def find_users(db: Session, search: str, *, page: int, size: int) -> tuple[list[User], int]:
    """Return one page of accounts (by email) matching a search, and how many match."""
    query = select(User)
    if search:
        needle = search.lower()
        query = query.where(
            or_(
                func.lower(User.email).contains(needle, autoescape=True),
                func.lower(User.display_name).contains(needle, autoescape=True),
            )
        )
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = db.scalars(query.order_by(User.email).limit(size).offset((page - 1) * size))
    return list(users), total


def set_role(db: Session, actor: Actor, user: User, role: str) -> bool:
    """Give a user a role if the actor may; return whether it was done."""
    if not can_change_role(actor, user.id, role):
        return False
    user.role = role
    db.flush()
    return True
