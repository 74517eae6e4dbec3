"""ORM models of the DVN programme database (SQLAlchemy 2.x, portable to SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.units import Level

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REGION_LEVELS = tuple(Level)  # LAN, KRS, VWG, GEM
SERVICE_MODELS = ("EfA", "WfU", "Kommune", "Land")
RESPONSIBLE_LEVELS = ("Land", "Kreis", "Gemeinde")
OFFER_STATUSES = ("geplant", "in Umsetzung", "live")
EAKTE_STATUSES = ("geplant", "in Einführung", "produktiv")
EPIC_STAGES = ("Ideenspeicher", "Review", "Analyse", "Auftragspeicher", "in Umsetzung")
THEMENFELDER = (
    "Arbeit & Ruhestand",
    "Bauen & Wohnen",
    "Bildung",
    "Ein- & Auswanderung",
    "Engagement & Hobby",
    "Familie & Kind",
    "Forschung & Förderung",
    "Gesundheit",
    "Mobilität & Reisen",
    "Querschnitt",
    "Recht & Ordnung",
    "Steuern & Zoll",
    "Umwelt",
    "Unternehmensführung & -entwicklung",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Provenance:
    """Columns every fact table carries: where a row comes from and its as-of date."""

    source: Mapped[str] = mapped_column(String(300))
    as_of: Mapped[dt.date] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Region(Provenance, Base):
    """An administrative unit of Niedersachsen: Land, Kreis, Verwaltungsgemeinschaft or Gemeinde.

    `ars` is the official key at the unit's own length (LAN 2, KRS 5, VWG 9, GEM 12 digits),
    exactly as BKG writes it; `parent_ars` links GEM→VWG→KRS→LAN.
    """

    __tablename__ = "region"
    __table_args__ = (CheckConstraint(_in("level", REGION_LEVELS), name="level"),)

    ars: Mapped[str] = mapped_column(String(12), primary_key=True)
    ags: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(3), index=True)
    unit_type: Mapped[str] = mapped_column(String(60))  # BKG "BEZ": Landkreis, Samtgemeinde, Stadt …
    parent_ars: Mapped[str | None] = mapped_column(ForeignKey("region.ars"), index=True)
    kreis_ars: Mapped[str | None] = mapped_column(String(5), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    population_source: Mapped[str | None] = mapped_column(String(300))
    population_as_of: Mapped[dt.date | None] = mapped_column(Date)
    area_km2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # What the unit is for the counting rules (data_access/counting.py): Land, Landkreis, Region, kreisfreie Stadt,
    # Einheitsgemeinde, Samtgemeinde, Gemeinde, gemeindefrei, gemeindefrei bewohnt; derived from BKG's BEZ.
    category: Mapped[str] = mapped_column(String(30), default="", server_default="", index=True)
    # NKomVG status that moves Kreis tasks to the city: Landeshauptstadt, Stadt Göttingen, große selbständige Stadt,
    # selbständige Gemeinde (importable, "kommunalstatus"); NULL for every other unit.
    kommunal_status: Mapped[str | None] = mapped_column(String(40))
    kommunal_status_source: Mapped[str | None] = mapped_column(String(300))  # "NKomVG (gesetzlich)" or the import
    kommunal_status_as_of: Mapped[dt.date | None] = mapped_column(Date)


class Ministry(Base):
    """A Ressort of the Land government (StK, MI, MF …). Reference data."""

    __tablename__ = "ministry"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Authority(Provenance, Base):
    """A state authority (Landesbehörde) in the eAkte scope, with its ministry."""

    __tablename__ = "authority"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    ministry_code: Mapped[str] = mapped_column(ForeignKey("ministry.code"), index=True)
    in_eakte_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    # Seat (ARS of any unit of the region table, checked by the "behoerden" import; no foreign key: a batch copy of
    # this table on SQLite would trip the keys pointing at it, and geo build never deletes a region).
    seat_ars: Mapped[str | None] = mapped_column(String(12))
    planned_workplaces: Mapped[int | None] = mapped_column(Integer)
    mandant: Mapped[str | None] = mapped_column(String(100))  # the eAkte Mandant the authority belongs to


class OnlineService(Provenance, Base):
    """An online service (Onlinedienst); `service_key` is the natural key used by imports."""

    __tablename__ = "online_service"
    __table_args__ = (
        CheckConstraint(_in("model", SERVICE_MODELS), name="model"),
        CheckConstraint(_in("responsible_level", RESPONSIBLE_LEVELS), name="responsible_level"),
        CheckConstraint(_in("themenfeld", THEMENFELDER), name="themenfeld"),
        CheckConstraint("maturity_level IS NULL OR (maturity_level >= 0 AND maturity_level <= 7)", name="maturity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    service_key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    model: Mapped[str] = mapped_column(String(10))
    themenfeld: Mapped[str] = mapped_column(String(60), index=True)
    is_focus: Mapped[bool] = mapped_column(Boolean, default=False)
    responsible_level: Mapped[str] = mapped_column(String(10))
    maturity_level: Mapped[int | None] = mapped_column(Integer)
    maturity_model: Mapped[str | None] = mapped_column(String(10))  # "1.x" (0–4) or "2.0" (0–7)
    # Where residents apply online (http/https, checked on import); shown as a link only for https and the hosts the
    # operator allows (data_access.links).
    url: Mapped[str | None] = mapped_column(String(500))


class ServiceLeika(Base):
    """LeiKa keys (14 digits) an online service implements: 0..n per service."""

    __tablename__ = "service_leika"
    service_id: Mapped[int] = mapped_column(ForeignKey("online_service.id", ondelete="CASCADE"), primary_key=True)
    leika_key: Mapped[str] = mapped_column(String(14), primary_key=True)


class Offer(Provenance, Base):
    """One status period of a service offered by a unit (Land, Kreis or VWG).

    History is kept as validity periods: a row is in force from `valid_from` until the day
    before `valid_to` (open-ended when NULL). `authority_id` names the state authority for
    Land-level offers.
    """

    __tablename__ = "offer"
    __table_args__ = (
        CheckConstraint(_in("status", OFFER_STATUSES), name="status"),
        UniqueConstraint("service_id", "region_ars", "valid_from", name="uq_offer_natural"),
        # At most one open (valid_to IS NULL) period per service and unit: two concurrent or faulty imports can
        # never leave two statuses "in force" side by side. A partial unique index, the same on SQLite and PG.
        Index(
            "uq_offer_open_period",
            "service_id",
            "region_ars",
            unique=True,
            sqlite_where=text("valid_to IS NULL"),
            postgresql_where=text("valid_to IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("online_service.id"), index=True)
    region_ars: Mapped[str] = mapped_column(ForeignKey("region.ars"), index=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date] = mapped_column(Date, index=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, index=True)


class AreaReach(Base):
    """Summary (data_access.summary): periods in which a service is offered to a whole Kreis by the Kreis or the Land.

    One row per merged period of (Kreis, service, status group): "live" or "geplant" (geplant or in Umsetzung);
    in force from `valid_from` until the day before `valid_to` (open-ended when NULL), like `offer`. Derived data,
    rebuilt in the transaction of every write to offers or regions; no foreign keys (deleted with its sources).
    """

    __tablename__ = "reach_area"
    # Key in reading order: a Stichtag's rows are one range (group, valid_from <= day), stored in key order on SQLite;
    # the index serves one Kreis's Steckbrief (its history over many Stichtage).
    __table_args__ = (Index("ix_reach_area_area_ars", "area_ars"), {"sqlite_with_rowid": False})
    status_group: Mapped[str] = mapped_column(String(10), primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    area_ars: Mapped[str] = mapped_column(String(5), primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class VwgReach(Base):
    """Summary (data_access.summary): periods in which a VWG offers a service itself and neither its Kreis nor the
    Land does, so the residents' services are reach_area(Kreis) + reach_vwg(VWG), two disjoint sets."""

    __tablename__ = "reach_vwg"
    __table_args__ = (Index("ix_reach_vwg_vwg_ars", "vwg_ars"), {"sqlite_with_rowid": False})
    status_group: Mapped[str] = mapped_column(String(10), primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    vwg_ars: Mapped[str] = mapped_column(String(12), primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    area_ars: Mapped[str] = mapped_column(String(5))
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class ServiceUsage(Provenance, Base):
    """Usage figures: applications/transactions of one online service at one offering unit in one month.

    `region_ars` is the unit that offers the service (Land, Kreis or VWG, as in `offer`); `month` is the first day
    of the calendar month the count refers to. The unit's reporting source is the row's `source`.
    """

    __tablename__ = "service_usage"
    __table_args__ = (
        CheckConstraint("transactions >= 0", name="transactions"),
        UniqueConstraint("service_id", "region_ars", "month", name="uq_service_usage_natural"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("online_service.id"), index=True)
    region_ars: Mapped[str] = mapped_column(ForeignKey("region.ars"), index=True)
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    transactions: Mapped[int] = mapped_column(Integer)


class EakteSnapshot(Provenance, Base):
    """Monthly snapshot of one authority's eAkte rollout."""

    __tablename__ = "eakte_snapshot"
    __table_args__ = (
        CheckConstraint(_in("status", EAKTE_STATUSES), name="status"),
        UniqueConstraint("authority_id", "snapshot_date", name="uq_eakte_natural"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    snapshot_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20))
    planned_go_live: Mapped[dt.date | None] = mapped_column(Date)
    go_live_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_workplaces: Mapped[int | None] = mapped_column(Integer)
    active_users: Mapped[int] = mapped_column(Integer, default=0)


class ProgramIncrement(Provenance, Base):
    """A Program Increment: PI 18 = 2025-Q2, quarterly cadence."""

    __tablename__ = "program_increment"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    quarter: Mapped[str] = mapped_column(String(7), unique=True)  # "2025-Q2"
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    planning_start: Mapped[dt.date | None] = mapped_column(Date)
    planning_end: Mapped[dt.date | None] = mapped_column(Date)
    planning_place: Mapped[str | None] = mapped_column(String(200))


class Team(Provenance, Base):
    """A project team of the programme."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    area: Mapped[str | None] = mapped_column(String(200))  # ART (Agile Release Train) or area of the programme
    active_from: Mapped[dt.date | None] = mapped_column(Date)
    active_to: Mapped[dt.date | None] = mapped_column(Date)  # the "teams" import checks active_to >= active_from


class MeasureChapter(Base):
    """Chapter headings of the action plan annex (B.1 Online-Services, B.1.3 …). Reference data."""

    __tablename__ = "measure_chapter"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))


class Measure(Base):
    """One row of the action plan annex "Liste Maßnahmen Handlungsplan" (43 rows).

    `row_key` is unique ("B.2.11", "B.2.11/2" for a chapter's second row); `chapter` repeats.
    """

    __tablename__ = "measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_no: Mapped[int] = mapped_column(Integer, unique=True)
    row_key: Mapped[str] = mapped_column(String(20), unique=True)
    chapter: Mapped[str] = mapped_column(String(20), index=True)
    section: Mapped[str] = mapped_column(String(5))  # B.1 … B.6
    title: Mapped[str] = mapped_column(String(300))
    implementation: Mapped[str] = mapped_column(String(200))
    runtime: Mapped[str | None] = mapped_column(String(40))
    runtime_start: Mapped[int | None] = mapped_column(Integer)
    runtime_end: Mapped[int | None] = mapped_column(Integer)
    strategic_refs: Mapped[str] = mapped_column(String(100))  # as printed: "#14, #19" or "-"
    legal_obligation: Mapped[str] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(300))  # as printed in the annex
    responsible_ministry: Mapped[str] = mapped_column(String(200))  # the "Ressort:" part
    responsible_authority: Mapped[str | None] = mapped_column(String(200))  # the "Behörde:"/"Betroffen" part
    source: Mapped[str] = mapped_column(String(300))
    as_of: Mapped[dt.date] = mapped_column(Date)


class StrategicMeasure(Base):
    """One of the 43 strategic measures of "Digitale Verwaltung 2030"."""

    __tablename__ = "strategic_measure"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    domain: Mapped[str] = mapped_column(String(100), index=True)
    short_name: Mapped[str] = mapped_column(String(200))
    full_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    as_of: Mapped[dt.date] = mapped_column(Date)


class MeasureStrategicLink(Base):
    """n:m link between an action-plan measure row and a strategic measure."""

    __tablename__ = "measure_strategic_link"
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True)
    strategic_number: Mapped[int] = mapped_column(ForeignKey("strategic_measure.number"), primary_key=True)


class PiObjective(Provenance, Base):
    """A PI objective of a team; `actual_bv` stays NULL while the PI runs."""

    __tablename__ = "pi_objective"
    __table_args__ = (
        CheckConstraint("planned_bv IS NULL OR (planned_bv >= 1 AND planned_bv <= 10)", name="planned_bv"),
        CheckConstraint("actual_bv IS NULL OR actual_bv >= 0", name="actual_bv"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    objective_key: Mapped[str] = mapped_column(String(60), unique=True)
    pi_number: Mapped[int] = mapped_column(ForeignKey("program_increment.number"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    committed: Mapped[bool] = mapped_column(Boolean, default=True)
    planned_bv: Mapped[int | None] = mapped_column(Integer)
    actual_bv: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"), index=True)


class Epic(Provenance, Base):
    """A portfolio epic on its way through the portfolio Kanban."""

    __tablename__ = "epic"
    __table_args__ = (CheckConstraint(_in("stage", EPIC_STAGES), name="stage"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    epic_key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    stage: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(200))
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"))


class PublishedFigure(Base):
    """A figure published by the Land or the press (cited publication), used as reference marker and as a check.

    `date` places it on a time axis; `period` is the Stand as the publication states it ("März 2025",
    "Sommer 2025"), shown instead of the date so a marker never claims more precision than its source.
    """

    __tablename__ = "published_figure"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    topic: Mapped[str] = mapped_column(String(30), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    period: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))


class ImportLog(Base):
    """One import run: who, when, which file (SHA-256), kind, rows and result."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user_name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(String(20))  # ok / abgelehnt / unverändert / probelauf
    message: Mapped[str] = mapped_column(Text, default="")


class ImportProfile(Base):
    """A saved column mapping for files of a foreign layout: file header → field of the kind's row model.

    Stored in the database (not per app instance), so every instance and the CLI share them; exchanged as JSON files
    (data_access.importers.profiles).
    """

    __tablename__ = "import_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    mapping: Mapped[dict] = mapped_column(JSON)  # {"Leistungsbezeichnung": "name", …} in the file's column order
    saved_by: Mapped[str] = mapped_column(String(200), default="")
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ImportLock(Base):
    """One row per import kind; an import updates its row (to itself) first, so writers of one kind queue up.

    On PostgreSQL the UPDATE takes a row lock held until commit; on SQLite it takes the database's write lock.
    Planning happens after the lock is held, so a second import plans from the first one's result.
    """

    __tablename__ = "import_lock"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)


class DataVersion(Base):
    """One row (id 1): a counter bumped in the same transaction as every write the pages show (data_access.version).

    The pages' caches key every result on it, so each app instance sees an import, seeding, demo removal or geo
    build (by any instance, the CLI or cron) at its next rerun.
    """

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignInEvent(Base):
    """Audit of maintainer sign-ins on the Daten page: who, when, from where, outcome (never a password)."""

    __tablename__ = "sign_in_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(100), index=True)  # client address as seen by the server
    method: Mapped[str] = mapped_column(String(20))  # passwort / oidc / abmeldung
    outcome: Mapped[str] = mapped_column(String(20))  # ok / falsch / gesperrt / abgemeldet / abgelaufen
    detail: Mapped[str] = mapped_column(String(300), default="")
