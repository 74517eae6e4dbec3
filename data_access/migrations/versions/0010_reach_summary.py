"""availability summary: reach_area and reach_vwg (data_access.summary), filled from the offers already loaded

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reach_area",
        sa.Column("area_ars", sa.String(length=5), nullable=False),
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status_group", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("status_group", "valid_from", "area_ars", "service_id", name=op.f("pk_reach_area")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_reach_area_area_ars", "reach_area", ["area_ars"], unique=False)
    op.create_table(
        "reach_vwg",
        sa.Column("vwg_ars", sa.String(length=12), nullable=False),
        sa.Column("area_ars", sa.String(length=5), nullable=False),
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status_group", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("status_group", "valid_from", "vwg_ars", "service_id", name=op.f("pk_reach_vwg")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_reach_vwg_vwg_ars", "reach_vwg", ["vwg_ars"], unique=False)
    bind = op.get_bind()
    # The lock row the refresh queues on (seeded like the import kinds' rows), then the summary of what is loaded.
    if bind.execute(sa.text("SELECT 1 FROM import_lock WHERE kind = :k"), {"k": "verfuegbarkeit"}).first() is None:
        bind.execute(sa.text("INSERT INTO import_lock (kind) VALUES (:k)"), {"k": "verfuegbarkeit"})
    from data_access.summary import fill

    fill(bind)


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM import_lock WHERE kind = 'verfuegbarkeit'"))
    op.drop_index("ix_reach_vwg_vwg_ars", table_name="reach_vwg")
    op.drop_table("reach_vwg")
    op.drop_index("ix_reach_area_area_ars", table_name="reach_area")
    op.drop_table("reach_area")
