"""Usage figures (Nutzungszahlen): the "nutzung" import, the queries per service and month, per 1.000 residents
and the rule "live, aber kaum genutzt" on hand-built offers, and the demo usage's consistency with the demo offers."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from data_access import counting, demo
from data_access.db import transaction
from data_access.importers import ImportRejected, import_file
from data_access.models import Offer, OnlineService, Region, ServiceUsage
from data_access.queries import regions, usage
from tests.unit import test_services
from tests.unit.test_import import dump, log_results, prepare

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "nutzung"
D = dt.date


def run(engine, name: str, **kw):
    return import_file(engine, "nutzung", FIXTURES / name, user="pytest", today=D(2025, 4, 2), **kw)


def stored(engine) -> list[tuple]:
    with engine.connect() as c:
        return c.execute(
            select(
                OnlineService.service_key,
                ServiceUsage.region_ars,
                ServiceUsage.month,
                ServiceUsage.transactions,
                ServiceUsage.source,
                ServiceUsage.as_of,
                ServiceUsage.is_demo,
            )
            .join(OnlineService, OnlineService.id == ServiceUsage.service_id)
            .order_by(ServiceUsage.region_ars, ServiceUsage.month)
        ).all()


# --- import -------------------------------------------------------------------------------------------------------


def test_good_file_imports_months_sources_and_reimport_changes_nothing(engine):
    prepare(engine)
    first = run(engine, "good.csv").raise_for_problems()
    assert (first.new, first.changed, first.result) == (4, 0, "ok")
    imported = "Import good.csv (nutzung)"
    assert stored(engine) == [
        ("T-ELTERNGELD", "03", D(2025, 1, 1), 1234, "NAVO-Statistik", D(2025, 1, 31), False),
        ("T-ELTERNGELD", "03", D(2025, 2, 1), 1300, imported, D(2025, 4, 2), False),
        ("T-UMMELDUNG", "03241", D(2025, 3, 1), 17, imported, D(2025, 4, 2), False),  # Excel's lost 0 put back
        ("T-UMMELDUNG", "032410001", D(2025, 3, 1), 0, "Stadt Hannover", D(2025, 4, 2), False),  # a day → its month
    ]
    before = dump(engine)
    again = run(engine, "good.csv").raise_for_problems()
    assert (again.new, again.changed, again.unchanged, again.result) == (0, 0, 4, "unverändert")
    assert dump(engine) == before
    assert log_results(engine) == ["ok", "unverändert"]


def test_a_new_figure_for_the_same_month_replaces_the_stored_one(engine):
    prepare(engine)
    run(engine, "good.csv").raise_for_problems()
    data = "Dienst-Schlüssel;ARS;Monat;Anträge\nT-ELTERNGELD;03;01/2025;1.500\nT-ELTERNGELD;03;2025-02;1300\n"
    result = import_file(engine, "nutzung", data.encode(), file_name="korrektur.csv").raise_for_problems()
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
    change = next(c for c in result.changes if c.action == "geändert")
    assert change.row == 2 and change.detail == "Anträge: 1.234 → 1.500"
    assert stored(engine)[0][3:5] == (1500, "Import korrektur.csv (nutzung)")


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(engine):
    prepare(engine)
    before = dump(engine)
    result = run(engine, "bad_rows.csv")
    assert not result.ok and result.result == "abgelehnt"
    texts = [p.text() for p in result.problems]
    assert texts[0].startswith("Zeile 2, Spalte „Monat“: „2025-13“ ist kein Monat (erwartet Monat als JJJJ-MM")
    assert (
        texts[1]
        == "Zeile 3, Spalte „Anträge“: „-3“ liegt außerhalb des erlaubten Bereichs (erwartet ganze Zahl von 0 bis 2.147.483.647)"
    )
    assert (
        texts[2]
        == "Zeile 4, Spalte „Anträge“: „1,5“ ist keine ganze Zahl (Komma) (erwartet ganze Zahl von 0 bis 2.147.483.647)"
    )
    assert texts[3].startswith("Zeile 5, Spalte „Dienst-Schlüssel“: „T-UNBEKANNT“ ist kein bekannter Onlinedienst")
    assert texts[4].startswith("Zeile 6, Spalte „ARS“: „032419999“ ist keine bekannte Gebietseinheit")
    assert texts[5].startswith("Zeile 7, Spalte „Monat“: Pflichtangabe fehlt")
    assert len(texts) == 6  # row 8 is good, and still nothing is written
    with pytest.raises(ImportRejected, match="abgelehnt – es wurde nichts geschrieben"):
        result.raise_for_problems()
    assert dump(engine) == before


def test_the_same_month_in_two_spellings_is_a_duplicate_key(engine):
    prepare(engine)
    with pytest.raises(
        ImportRejected, match=r"Zeile 3, Spalte „Dienst-Schlüssel“: „t-elterngeld / 03 / 01\.01\.2025“ "
    ):
        run(engine, "duplicate_key.csv").raise_for_problems()


def test_a_gemeindefreies_gebiet_offers_nothing(engine):
    prepare(engine)
    with transaction(engine) as s:
        s.add(
            Region(
                ars="032419999",
                name="Forst",
                level="VWG",
                unit_type="Einheitsgemeinde",
                category="gemeindefrei",
                parent_ars="03241",
                source="Test",
                as_of=D(2025, 1, 1),
            )
        )
    data = "Dienst-Schlüssel;ARS;Monat;Anträge\nT-ELTERNGELD;032419999;2025-01;1\n"
    with pytest.raises(ImportRejected, match="Zeile 2, Spalte „ARS“: „032419999“ ist ein gemeindefreies Gebiet"):
        import_file(engine, "nutzung", data.encode(), file_name="forst.csv").raise_for_problems()


def test_excel_month_cells_are_dates(engine):
    prepare(engine)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nutzung"
    ws.append(["Dienst-Schlüssel", "ARS", "Monat", "Anträge"])
    ws.append(["T-ELTERNGELD", 3, dt.datetime(2025, 3, 1), 42])
    buf = io.BytesIO()
    wb.save(buf)
    import_file(engine, "nutzung", buf.getvalue(), file_name="nutzung.xlsx").raise_for_problems()
    assert stored(engine)[0][:4] == ("T-ELTERNGELD", "03", D(2025, 3, 1), 42)


def test_an_imported_figure_replaces_a_demo_row_of_the_same_key(engine):
    prepare(engine)
    with transaction(engine) as s:
        sid = s.scalar(select(OnlineService.id).where(OnlineService.service_key == "T-ELTERNGELD"))
        s.add(
            ServiceUsage(
                service_id=sid, region_ars="03", month=D(2025, 1, 1), transactions=1234, source="Beispiel",
                as_of=D(2025, 1, 1), is_demo=True,
            )
        )  # fmt: skip
    result = run(engine, "good.csv").raise_for_problems()
    assert result.changes[0].detail == "Quelle: Beispiel → NAVO-Statistik; Beispieldaten: ja → nein"
    assert result.changed == 1
    assert stored(engine)[0][4:] == ("NAVO-Statistik", D(2025, 1, 31), False)


# --- queries on hand-built offers ---------------------------------------------------------------------------------

LAST = D(2025, 12, 1)  # the window is July to December 2025
WINDOW = [D(2025, m, 1) for m in range(7, 13)]
PROV = dict(source="Testquelle", as_of=D(2025, 12, 31))
UNITS = [  # ars, level, parent, population
    ("03", "LAN", None, None),
    ("03151", "KRS", "03", 200_000),
    ("03152", "KRS", "03", 100_000),
    ("031515401", "VWG", "03151", 20_000),
    ("031510009", "VWG", "03151", None),
    ("031515401001", "GEM", "031515401", 8_000),
]
# service, unit, live from, live until (exclusive), figures per month of the window (None = not reported)
CASES = [
    ("EXACT", "031515401", D(2025, 7, 1), None, [3] * 6),  # live exactly 6 months, 18 < 20 (1 per 1.000 × 20.000)
    ("A_DAY_LATE", "031515401", D(2025, 7, 2), None, [1] * 6),  # 6 months less a day: not judged
    ("ABOVE", "03151", D(2024, 1, 1), None, [50, 50, 50, 50, 50, 50]),  # 300 = 1,5 per 1.000: not few
    ("BELOW", "03152", D(2024, 1, 1), None, [16, 16, 16, 16, 16, 19]),  # 99 < 100 = 1 per 1.000 × 100.000
    ("EQUAL", "031515401", D(2024, 1, 1), None, [5, 5, 5, 5, 0, 0]),  # 20 = exactly 1 per 1.000: not below
    ("NO_POP_9", "031510009", D(2024, 1, 1), None, [1, 1, 1, 1, 1, 4]),  # no population: 9 < 10
    ("NO_POP_10", "031510009", D(2024, 1, 1), None, [1, 1, 1, 1, 1, 5]),  # 10: not below
    ("GAP", "03152", D(2024, 1, 1), None, [0, 0, None, 0, 0, 0]),  # a month not reported: not judged
    ("ENDED", "03152", D(2024, 1, 1), D(2025, 12, 1), [0] * 6),  # no longer live at the window's end
    ("LAND", "03", D(2020, 1, 1), None, [50_000] * 6),  # the Land: per 1.000 of its Kreise's 300.000 residents
]


def build(engine) -> None:
    with transaction(engine) as s:
        for ars, level, parent, pop in UNITS:
            s.add(
                Region(
                    ars=ars, name=f"Einheit {ars}", level=level, unit_type=level, parent_ars=parent,
                    kreis_ars=ars[:5] if level in ("VWG", "GEM") else None, population=pop, **PROV,
                )
            )  # fmt: skip
            s.flush()
        for key, ars, start, end, figures in CASES:
            svc = OnlineService(
                service_key=key, name=f"Dienst {key}", model="WfU", themenfeld="Querschnitt",
                responsible_level="Gemeinde", maturity_level=3, maturity_model="1.x", **PROV,
            )  # fmt: skip
            s.add(svc)
            s.flush()
            s.add(Offer(service_id=svc.id, region_ars=ars, status="live", valid_from=start, valid_to=end, **PROV))
            if end:
                s.add(Offer(service_id=svc.id, region_ars=ars, status="in Umsetzung", valid_from=end, **PROV))
            before = [ServiceUsage(service_id=svc.id, region_ars=ars, month=D(2025, 6, 1), transactions=1000, **PROV)]
            s.add_all(
                before
                + [
                    ServiceUsage(service_id=svc.id, region_ars=ars, month=m, transactions=n, **PROV)
                    for m, n in zip(WINDOW, figures, strict=True)
                    if n is not None
                ]
            )


@pytest.fixture
def fx(engine):
    build(engine)
    return engine


def test_hardly_used_rule_with_its_boundaries(fx):
    df = usage.window(fx).set_index("service_key")
    assert usage.window(fx, last_month=LAST).equals(usage.window(fx))  # the newest month is the default
    verdict = df["hardly_used"].to_dict()
    assert verdict == {
        "EXACT": True,
        "A_DAY_LATE": None,
        "ABOVE": False,
        "BELOW": True,
        "EQUAL": False,
        "NO_POP_9": True,
        "NO_POP_10": False,
        "GAP": None,
        "ENDED": None,
        "LAND": False,
    }
    assert df.loc["EXACT", "transactions"] == 18  # June's 1.000 lie before the window
    assert df.loc["EXACT", "live_since"] == D(2025, 7, 1)
    assert df.loc["ENDED", "live_since"] is None
    assert df.loc["GAP", "months"] == 5
    assert df.loc["BELOW", "per_1000"] == pytest.approx(0.99)
    assert df.loc["LAND", "population"] == 300_000  # the Land's population: the sum of its Kreise
    assert df.loc["LAND", "per_1000"] == pytest.approx(1000.0)
    assert pd.isna(df.loc["NO_POP_9", "per_1000"])


def test_thresholds_are_settings(fx, monkeypatch):
    monkeypatch.setattr(counting, "HARDLY_USED_PER_1000", 2.0)
    monkeypatch.setattr(counting, "HARDLY_USED_BELOW", 5)
    verdict = usage.window(fx).set_index("service_key")["hardly_used"]
    assert verdict["ABOVE"] is True and verdict["EQUAL"] is True  # 1,5 and 1,0 per 1.000 < 2
    assert verdict["NO_POP_9"] is False  # 9 ≥ 5


def test_an_earlier_window_and_the_filters(fx):
    june = usage.window(fx, last_month=D(2025, 6, 1))
    assert set(june["months"]) == {1}  # only June is reported before July
    assert june["hardly_used"].map(lambda h: h is None).all()
    one = usage.window(fx, ars="031510009")
    assert sorted(one["service_key"]) == ["NO_POP_10", "NO_POP_9"]
    assert list(usage.window(fx, service_key="LAND")["ars"]) == ["03"]


def test_monthly_per_service_and_per_unit(fx):
    per_service = usage.monthly(fx, service_key="BELOW")
    assert list(per_service["month"]) == [D(2025, 6, 1), *WINDOW]
    assert list(per_service["transactions"]) == [1000, 16, 16, 16, 16, 16, 19]
    per_unit = usage.monthly(fx, ars="03152")  # BELOW, GAP and ENDED summed
    assert list(per_unit["transactions"]) == [3000, 16, 16, 16, 16, 16, 19]
    assert list(per_unit["services"]) == [3, 3, 3, 2, 3, 3, 3]  # GAP has no figure for September
    assert usage.monthly(fx, service_key="NICHT-DA").empty


def test_meta_services_and_the_steckbrief_unit(fx):
    meta = usage.usage_meta(fx)
    assert (meta["first"], meta["last"], meta["is_demo"], meta["is_mixed"]) == (D(2025, 6, 1), LAST, False, False)
    services = usage.usage_services(fx)
    assert services["service_key"].iloc[0] == "LAND"

    assert usage.offering_units(fx, unit=regions.unit(fx, ars="031515401001")) == ("031515401",)  # a Gemeinde: its VWG
    assert usage.offering_units(fx, unit=regions.unit(fx, ars="03151")) == ("03151",)
    assert usage.offering_units(fx, unit=regions.unit(fx, ars="03")) == ("03",)


def test_a_kreisfreie_stadt_shows_its_kreis_and_its_verwaltungseinheit(engine):
    test_services.build(engine)  # 03101 kreisfreie Stadt with its Verwaltungseinheit 031010000
    for ars in ("03101", "031010000", "031010000000"):
        assert usage.offering_units(engine, unit=regions.unit(engine, ars=ars)) == ("03101", "031010000")
    with transaction(engine) as s:
        sid = s.scalar(select(OnlineService.id).where(OnlineService.service_key == "S1"))
        for ars, n in (("03101", 7), ("031010000", 5)):
            s.add(ServiceUsage(service_id=sid, region_ars=ars, month=D(2025, 1, 1), transactions=n, **PROV))
    assert list(usage.monthly(engine, ars=("03101", "031010000"))["transactions"]) == [12]


def test_without_usage_figures(engine):
    assert usage.usage_meta(engine) is None
    assert usage.window(engine).empty and usage.monthly(engine).empty


# --- demo data ----------------------------------------------------------------------------------------------------


def test_demo_usage_only_where_live_flagged_and_scaled_by_population(demo_engine):
    with demo_engine.connect() as c:
        rows = c.execute(
            select(
                ServiceUsage.service_id,
                ServiceUsage.region_ars,
                ServiceUsage.month,
                ServiceUsage.transactions,
                ServiceUsage.is_demo,
                ServiceUsage.source,
            )
        ).all()
        offers = c.execute(
            select(Offer.service_id, Offer.region_ars, Offer.valid_from, Offer.valid_to).where(Offer.status == "live")
        ).all()
        services = {
            r.id: r for r in c.execute(select(OnlineService.id, OnlineService.model, OnlineService.is_focus)).all()
        }
        population = dict(c.execute(select(Region.ars, Region.population).where(Region.level == "KRS")).all())
    assert rows, "the demo data has usage figures"
    assert all(r.is_demo and r.source == demo.SOURCE for r in rows)
    live = {}
    for o in offers:
        live.setdefault((o.service_id, o.region_ars), []).append((o.valid_from, o.valid_to))
    for r in rows:
        month_end = (pd.Timestamp(r.month) + pd.offsets.MonthEnd(0)).date()
        periods = live.get((r.service_id, r.region_ars), [])
        assert any(f <= month_end and (t is None or t > month_end) for f, t in periods), r
        svc = services[r.service_id]
        assert svc.is_focus or svc.model in demo.services.USAGE_MODELS
    # Kreise: the same service is used more where more people live
    df = pd.DataFrame(rows)
    krs = df.loc[df["region_ars"].isin(population) & (df["month"] == df["month"].max())]
    best = krs.groupby("service_id").size().idxmax()
    one = krs.loc[krs["service_id"] == best].assign(pop=lambda d: d["region_ars"].map(population))
    assert len(one) >= 2
    assert one["transactions"].rank().corr(one["pop"].rank()) > 0.5  # rank correlation
