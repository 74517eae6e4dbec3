"""A figure that mixes real and demo rows says so (issue 15): PI predictability, strategy progress, the portfolio
and the slides follow the rows – all demo, mixed ("teilweise Beispieldaten"), all real (no label)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from data_access import demo
from data_access.db import transaction
from data_access.models import Epic, PiObjective, ProgramIncrement
from data_access.queries import pi, strategy
from reports import slides

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def seeded(engine):
    demo.seed(engine)
    return engine


def _real(engine, model, *where) -> None:
    with transaction(engine) as s:
        s.execute(update(model).where(*where).values(is_demo=False))


def _last_done_pi(engine) -> int:
    df = pi.programme_predictability(engine, today=TODAY)
    return int(df[(df["status"] == pi.DONE) & (df["objectives"] > 0)]["pi_number"].iloc[-1])


def test_all_demo_is_not_mixed(seeded):
    df = pi.programme_predictability(seeded, today=TODAY)
    assert df["is_demo"].all() and not df["is_mixed"].any()
    assert not strategy.progress(seeded, level="domain")["has_real"].any()
    assert not strategy.epics_by_stage(seeded)["has_real"].any()
    deck = slides.deck(seeded, today=TODAY)
    assert all(not s.is_mixed for s in deck if s.is_demo)


def test_one_real_objective_makes_its_pi_and_the_pi_slide_mixed(seeded):
    number = _last_done_pi(seeded)
    with seeded.connect() as c:
        one = c.scalar(select(PiObjective.id).where(PiObjective.pi_number == number).order_by(PiObjective.id))
    _real(seeded, PiObjective, PiObjective.id == one)
    df = pi.programme_predictability(seeded, today=TODAY).set_index("pi_number")
    assert df.loc[number, "is_demo"] and df.loc[number, "is_mixed"]
    assert not df.drop(index=number)["is_mixed"].any()
    deck = {s.key: s for s in slides.deck(seeded, today=TODAY)}
    assert deck["pi"].is_mixed and deck["pi"].provenance.label == "teilweise Beispieldaten"
    assert "Teilweise Beispieldaten – nicht alle Zahlen sind echt" in deck["pi"].stand
    assert deck["kennzahlen"].is_mixed


def test_all_real_objectives_of_real_pis_carry_no_label(seeded):
    _real(seeded, PiObjective, PiObjective.id > 0)
    _real(seeded, ProgramIncrement, ProgramIncrement.number > 0)
    df = pi.programme_predictability(seeded, today=TODAY)
    assert not df["is_demo"].any() and not df["is_mixed"].any()
    assert strategy.progress(seeded, level="domain")["has_real"].all()
    assert not strategy.progress(seeded, level="domain")["is_demo"].any()
    deck = {s.key: s for s in slides.deck(seeded, today=TODAY)}
    assert not deck["pi"].is_demo and deck["pi"].provenance.label == ""


def test_real_objectives_of_a_demo_pi_are_mixed(seeded):
    """Imported objectives attached to a PI that still comes from the demo seed: the figure is not all real."""
    number = _last_done_pi(seeded)
    _real(seeded, PiObjective, PiObjective.pi_number == number)
    row = pi.programme_predictability(seeded, today=TODAY).set_index("pi_number").loc[number]
    assert row["is_demo"] and row["is_mixed"]


def test_one_real_epic_marks_the_portfolio_mixed(seeded):
    with seeded.connect() as c:
        one = c.scalar(select(Epic.id).order_by(Epic.id))
    _real(seeded, Epic, Epic.id == one)
    stages = strategy.epics_by_stage(seeded)
    assert stages["is_demo"].any() and stages["has_real"].sum() == 1
