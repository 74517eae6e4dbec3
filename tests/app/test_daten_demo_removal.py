"""AppTest: a maintainer removes the Beispieldaten on the Daten page (area → counts from the dry run → confirm →
result), and the badge follows the rows: all demo, mixed ("Teilweise Beispieldaten"), all real (no badge)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from data_access import demo
from data_access.db import transaction
from data_access.models import Authority, EakteSnapshot, ImportLog
from data_access.version import bump
from tests.app._markdown import seen

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "geheim-für-tests"
DEMO_BADGE = "Beispieldaten – keine amtlichen Zahlen"
MIXED_BADGE = "Teilweise Beispieldaten – nicht alle Zahlen sind echt"


@pytest.fixture
def seeded(engine, db_url, app_env, monkeypatch):
    monkeypatch.setenv("DVN_MAINTAINER_PASSWORD", PASSWORD)
    demo.seed(engine)  # no boundaries: eAkte, PI and portfolio rows, no offers
    app_env(db_url)
    return engine


def page(path: str, bereich: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page(path)
    if bereich:
        at.query_params["bereich"] = bereich
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning)]
    return "\n".join(seen(p) for p in parts)


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "Beispieldaten –" in m.value]


def signed_in_import() -> AppTest:
    at = page("pages/daten.py", "import")
    at.text_input(key="daten_user").input("Frau Test")
    at.text_input(key="daten_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def snapshots(engine, *, demo_rows: bool) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(EakteSnapshot).where(EakteSnapshot.is_demo.is_(demo_rows)))


def test_badge_all_demo_then_mixed_then_real_after_removal_on_the_daten_page(seeded):
    at = page("pages/eakte.py")
    assert not at.exception
    assert any(DEMO_BADGE in b for b in badges(at)) and "teilweise Beispieldaten" not in texts(at)

    # One authority's latest snapshot becomes real (as an import of the same key does): the figures are mixed.
    with transaction(seeded) as s:
        authority = s.scalar(select(Authority.id).order_by(Authority.id))
        latest = s.scalar(select(func.max(EakteSnapshot.snapshot_date)).where(EakteSnapshot.authority_id == authority))
        s.execute(
            update(EakteSnapshot)
            .where(EakteSnapshot.authority_id == authority, EakteSnapshot.snapshot_date == latest)
            .values(is_demo=False, source="Import eakte.csv")
        )
        bump(s)  # what every import does in its transaction: the page's cached figures are not reused
    at = page("pages/eakte.py")
    assert any(MIXED_BADGE in b for b in badges(at))
    assert "· **teilweise Beispieldaten**" in texts(at)  # the caption under each figure

    demo_before = snapshots(seeded, demo_rows=True)
    at = signed_in_import()
    assert "Beispieldaten entfernen" in [h.value for h in at.subheader]
    at.selectbox(key="daten_demo_area").set_value("eakte").run()
    at.button(key="daten_demo_check").click().run()
    assert not at.exception
    assert snapshots(seeded, demo_rows=True) == demo_before  # the confirmation is a dry run
    warning = seen(at.warning[0].value)
    assert warning.startswith(f"Endgültig entfernt würden {demo_before + 52:_} Zeilen".replace("_", "."))
    shown = at.dataframe[-1].value
    assert list(shown["Tabelle"]) == ["eAkte-Stichtage", "Behörden"]
    assert list(shown["Zeilen"]) == [demo_before, 52]
    assert "1 Behörden aus den Beispieldaten bleiben, weil echte eAkte-Stichtage oder Angebote sie nutzen" in texts(at)

    at.button(key="daten_demo_go").click().run()
    assert not at.exception
    assert f"{demo_before + 52:_} Zeilen Beispieldaten (eAkte) entfernt.".replace("_", ".") in seen(at.success[0].value)
    assert snapshots(seeded, demo_rows=True) == 0 and snapshots(seeded, demo_rows=False) == 1
    with seeded.connect() as c:
        logged = c.execute(select(ImportLog.kind, ImportLog.result, ImportLog.user_name)).all()
    assert logged == [("beispieldaten", "ok", "Frau Test")]  # the dry run of the page is not logged

    at = page("pages/eakte.py")  # only the real snapshot contributes now: no badge, no label
    assert not at.exception
    assert badges(at) == [] and "Beispieldaten" not in texts(at)


def test_removing_everything_takes_the_badge_off_the_daten_page(seeded):
    at = signed_in_import()
    assert any(DEMO_BADGE in b for b in badges(at))
    at.button(key="daten_demo_check").click().run()  # "alle Bereiche" is preselected
    assert "Endgültig entfernt würden" in seen(at.warning[0].value)
    at.button(key="daten_demo_go").click().run()
    assert not at.exception
    assert "Zeilen Beispieldaten (alle Bereiche) entfernt." in seen(at.success[0].value)
    assert badges(at) == []
    assert not demo.has_operational_data(seeded)

    at.button(key="daten_demo_check").click().run()  # nothing left: no confirm button
    assert "Keine Beispieldaten (alle Bereiche) vorhanden – es gibt nichts zu entfernen." in texts(at)
    assert [b for b in at.button if b.key == "daten_demo_go"] == []


def test_nobody_signed_in_sees_no_removal(seeded, monkeypatch):
    at = page("pages/daten.py", "import")
    assert "Beispieldaten entfernen" not in [h.value for h in at.subheader]
    assert [b for b in at.button if b.key in ("daten_demo_check", "daten_demo_go")] == []
