"""counting rules: unit category, NKomVG status, population Stand and area

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The two inhabited gemeindefreie Bezirke (DOMAIN.md): served by the Kreis and the Land for municipal tasks too.
INHABITED_UNINCORPORATED = ("033519501", "033589501")  # Lohheide, Osterheide (VWG keys; GEM adds 3 digits)
CITY_STATUS = {"032410001": "Landeshauptstadt", "031590016": "Stadt Göttingen"}  # NKomVG §§ 15, 16


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite ≥ 3.35 and PostgreSQL): a batch copy of `region` would trip the foreign keys
    # that point at it.
    op.add_column("region", sa.Column("population_as_of", sa.Date(), nullable=True))
    op.add_column("region", sa.Column("area_km2", sa.Numeric(precision=10, scale=2), nullable=True))
    op.add_column("region", sa.Column("category", sa.String(length=30), server_default="", nullable=False))
    op.add_column("region", sa.Column("kommunal_status", sa.String(length=40), nullable=True))
    op.create_index(op.f("ix_region_category"), "region", ["category"], unique=False)
    # Existing regions get their category by the rules of data_access.counting.category (same result as a rebuild).
    op.execute("UPDATE region SET category = 'Land' WHERE level = 'LAN'")
    op.execute(
        "UPDATE region SET category = CASE WHEN ars = '03241' THEN 'Region' "
        "WHEN unit_type = 'Kreisfreie Stadt' THEN 'kreisfreie Stadt' ELSE 'Landkreis' END WHERE level = 'KRS'"
    )
    op.execute(
        "UPDATE region SET category = CASE WHEN unit_type = 'Gemeindefreies Gebiet' THEN 'gemeindefrei' "
        "WHEN unit_type = 'Stadt' THEN 'Stadt' ELSE 'Gemeinde' END WHERE level = 'GEM'"
    )
    op.execute(
        "UPDATE region SET category = CASE WHEN NOT EXISTS (SELECT 1 FROM region g WHERE g.parent_ars = region.ars "
        "AND g.unit_type <> 'Gemeindefreies Gebiet') AND EXISTS (SELECT 1 FROM region g WHERE g.parent_ars = "
        "region.ars) THEN 'gemeindefrei' WHEN unit_type = 'Samtgemeinde' THEN 'Samtgemeinde' "
        "ELSE 'Einheitsgemeinde' END WHERE level = 'VWG'"
    )
    bind = op.get_bind()
    for vwg in INHABITED_UNINCORPORATED:
        bind.execute(
            sa.text(
                "UPDATE region SET category = 'gemeindefrei bewohnt' WHERE category = 'gemeindefrei' "
                "AND (ars = :v OR parent_ars = :v)"
            ),
            {"v": vwg},
        )
    for ars, status in CITY_STATUS.items():
        bind.execute(sa.text("UPDATE region SET kommunal_status = :s WHERE ars = :a"), {"s": status, "a": ars})


def downgrade() -> None:
    op.drop_index(op.f("ix_region_category"), table_name="region")
    for column in ("kommunal_status", "category", "area_km2", "population_as_of"):
        op.drop_column("region", column)
