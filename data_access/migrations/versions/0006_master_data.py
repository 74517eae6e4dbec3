"""master data imports: seat, planned workplaces and Mandant of an authority; area and active period of a team;
import locks for "behoerden", "teams" and "pis"

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NEW_KINDS = ("behoerden", "teams", "pis")
AUTHORITY = (
    ("seat_ars", sa.String(length=12)),
    ("planned_workplaces", sa.Integer()),
    ("mandant", sa.String(length=100)),
)
TEAM = (("area", sa.String(length=200)), ("active_from", sa.Date()), ("active_to", sa.Date()))


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no constraint): a batch copy of `authority` or `team` on SQLite would trip the
    # foreign keys that point at them (offer, eakte_snapshot, pi_objective).
    for name, type_ in AUTHORITY:
        op.add_column("authority", sa.Column(name, type_, nullable=True))
    for name, type_ in TEAM:
        op.add_column("team", sa.Column(name, type_, nullable=True))
    bind = op.get_bind()
    for kind in NEW_KINDS:
        if bind.execute(sa.text("SELECT 1 FROM import_lock WHERE kind = :k"), {"k": kind}).first() is None:
            bind.execute(sa.text("INSERT INTO import_lock (kind) VALUES (:k)"), {"k": kind})


def downgrade() -> None:
    bind = op.get_bind()
    for kind in NEW_KINDS:
        bind.execute(sa.text("DELETE FROM import_lock WHERE kind = :k"), {"k": kind})
    for name, _ in reversed(TEAM):
        op.drop_column("team", name)
    for name, _ in reversed(AUTHORITY):
        op.drop_column("authority", name)
