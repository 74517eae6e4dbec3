"""usage figures: applications/transactions per online service, offering unit and month; import lock for "nutzung"

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_KINDS = ("nutzung",)


def upgrade() -> None:
    op.create_table(
        "service_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("region_ars", sa.String(length=12), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("transactions >= 0", name=op.f("ck_service_usage_transactions")),
        sa.ForeignKeyConstraint(
            ["region_ars"], ["region.ars"], name=op.f("fk_service_usage_region_ars_region")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["online_service.id"], name=op.f("fk_service_usage_service_id_online_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_usage")),
        sa.UniqueConstraint("service_id", "region_ars", "month", name="uq_service_usage_natural"),
    )
    with op.batch_alter_table("service_usage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_usage_service_id"), ["service_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_usage_region_ars"), ["region_ars"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_usage_month"), ["month"], unique=False)
    # Seeded like the other kinds: two first imports on PostgreSQL queue on the row instead of racing to insert it.
    bind = op.get_bind()
    for kind in NEW_KINDS:
        if bind.execute(sa.text("SELECT 1 FROM import_lock WHERE kind = :k"), {"k": kind}).first() is None:
            bind.execute(sa.text("INSERT INTO import_lock (kind) VALUES (:k)"), {"k": kind})


def downgrade() -> None:
    bind = op.get_bind()
    for kind in NEW_KINDS:
        bind.execute(sa.text("DELETE FROM import_lock WHERE kind = :k"), {"k": kind})
    op.drop_table("service_usage")
