"""published figures: the Stand as the publication states it (e.g. "Sommer 2025")

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The date column places a figure on a time axis; many publications give only a month or a season, and a
    # marker must not show more precision than the source has.
    op.add_column("published_figure", sa.Column("period", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("published_figure", "period")
