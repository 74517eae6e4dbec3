"""region imports: source and Stand of the Kommunalstatus; import locks for "einwohner" and "kommunalstatus"

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEW_KINDS = ("einwohner", "kommunalstatus")


def upgrade() -> None:
    op.add_column("region", sa.Column("kommunal_status_source", sa.String(length=300), nullable=True))
    op.add_column("region", sa.Column("kommunal_status_as_of", sa.Date(), nullable=True))
    # The two statuses set by law (NKomVG) carry that as their source.
    op.execute(
        "UPDATE region SET kommunal_status_source = 'NKomVG (gesetzlich)' "
        "WHERE kommunal_status IN ('Landeshauptstadt', 'Stadt Göttingen')"
    )
    # Seeded like the other kinds: a rejected first import then writes nothing but its log row, and two first
    # imports on PostgreSQL queue on the row instead of racing to insert it.
    bind = op.get_bind()
    for kind in NEW_KINDS:
        if bind.execute(sa.text("SELECT 1 FROM import_lock WHERE kind = :k"), {"k": kind}).first() is None:
            bind.execute(sa.text("INSERT INTO import_lock (kind) VALUES (:k)"), {"k": kind})


def downgrade() -> None:
    bind = op.get_bind()
    for kind in NEW_KINDS:
        bind.execute(sa.text("DELETE FROM import_lock WHERE kind = :k"), {"k": kind})
    for column in ("kommunal_status_as_of", "kommunal_status_source"):
        op.drop_column("region", column)
