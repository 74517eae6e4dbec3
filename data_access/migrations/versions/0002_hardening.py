"""hardening: one open offer period per service and unit, import locks, sign-in audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

IMPORT_KINDS = ("onlinedienste", "angebote", "eakte", "pi-ziele", "epics")


def _close_duplicate_open_periods() -> None:
    """Before the index: where concurrent imports left two open periods, the older one ends where the newer starts."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, service_id, region_ars, valid_from FROM offer WHERE valid_to IS NULL "
            "AND (service_id, region_ars) IN (SELECT service_id, region_ars FROM offer WHERE valid_to IS NULL "
            "GROUP BY service_id, region_ars HAVING COUNT(*) > 1) ORDER BY service_id, region_ars, valid_from, id"
        )
    ).all()
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r.service_id, r.region_ars), []).append(r)
    for periods in groups.values():
        for older, newer in zip(periods, periods[1:]):
            bind.execute(
                sa.text("UPDATE offer SET valid_to = :to WHERE id = :id"), {"to": newer.valid_from, "id": older.id}
            )


def upgrade() -> None:
    _close_duplicate_open_periods()
    op.create_index(
        "uq_offer_open_period",
        "offer",
        ["service_id", "region_ars"],
        unique=True,
        sqlite_where=sa.text("valid_to IS NULL"),
        postgresql_where=sa.text("valid_to IS NULL"),
    )
    lock = op.create_table(
        "import_lock",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_import_lock")),
    )
    op.bulk_insert(lock, [{"kind": k} for k in IMPORT_KINDS])
    op.create_table(
        "sign_in_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_event")),
    )
    with op.batch_alter_table("sign_in_event") as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_event_client"), ["client"], unique=False)


def downgrade() -> None:
    op.drop_table("sign_in_event")
    op.drop_table("import_lock")
    op.drop_index("uq_offer_open_period", table_name="offer")
