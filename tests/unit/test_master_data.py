"""Master data of the demo catalogue and the authorities follow the checked facts (DOMAIN.md, 'Facts checked')."""

from sqlalchemy import select

from data_access.demo import catalogue
from data_access.models import Authority, Offer, OnlineService, Region

GONE = ("Kinderreisepass", "Erklärung zum Optionsverfahren", "Gaststättenerlaubnis")


def test_catalogue_has_no_abolished_services():
    names = [name for name, *_ in catalogue.services()]
    assert not [n for n in names if any(g in n for g in GONE)]
    assert "Gaststättengewerbe – Anzeige (NGastG)" in names  # the notification that replaced the permit


def test_schwerbehindertenausweis_is_a_land_service_of_the_landesamt():
    level = {name: lvl for name, _t, _m, lvl, _f in catalogue.services()}
    assert level["Schwerbehindertenausweis"] == "Land"
    assert catalogue.LAND_AUTHORITY_BY_SERVICE["Schwerbehindertenausweis"] == "LS"
    names = {code: name for code, name, *_ in catalogue.AUTHORITIES}
    assert names["LS"] == "Niedersächsisches Landesamt für Soziales, Jugend und Familie"


def test_ministries_of_lzn_and_nla():
    ministry = {code: m for code, _n, m, *_ in catalogue.AUTHORITIES}
    assert ministry["LZN"] == "MI" and ministry["NLA"] == "StK"


def test_demo_database_offers_the_ausweis_only_at_land_level_by_the_landesamt(demo_engine):
    with demo_engine.connect() as c:
        svc = c.execute(select(OnlineService).where(OnlineService.name == "Schwerbehindertenausweis")).one()
        assert svc.responsible_level == "Land"
        rows = c.execute(
            select(Region.level, Authority.code)
            .select_from(Offer)
            .join(Region, Region.ars == Offer.region_ars)
            .outerjoin(Authority, Authority.id == Offer.authority_id)
            .where(Offer.service_id == svc.id)
        ).all()
        assert {(r.level, r.code) for r in rows} <= {("LAN", "LS")}
        codes = dict(c.execute(select(Authority.code, Authority.ministry_code)).all())
        assert (codes["LZN"], codes["NLA"]) == ("MI", "StK")
        gone = c.scalars(select(OnlineService.name).where(OnlineService.name.in_(GONE))).all()
        assert gone == []
