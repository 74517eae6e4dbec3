""" "Wo gibt es …?": search an online service and see where residents can use it online, with who offers it."""

import html

import pandas as pd
import streamlit as st

from charts import maps
from data_access.links import link
from data_access.models import THEMENFELDER
from data_access.provenance import Stand
from data_access.queries import search
from data_access.queries import services as q
from data_access.units import Level
from formatting import num, pct
from geo.load import level_extent
from geo.load import url as boundaries_url
from pages import _cache, _url, _widgets
from pages import _map_widgets as w
from pages._copy_link import copy_link_button
from pages._lesehilfe import link as help_link
from pages._widgets import md
from reports import tables
from reports.files import slug

ALL = "Alle Themenfelder"

meta = _cache.load(q.offers_meta)
cat = _cache.load(search.catalogue)
demo = bool(meta and meta["is_demo"]) or bool(len(cat) and cat["is_demo"].any())
_widgets.header(
    "Wo gibt es …?",
    "Einen Onlinedienst suchen – nach Name, LeiKa-Schlüssel, Dienst-Schlüssel oder Themenfeld – und sehen, in "
    "welchen Kommunen die Menschen ihn online nutzen können und wer ihn anbietet (Kommune, Landkreis oder Land).",
    demo=demo,
    mixed=bool(meta and meta["is_mixed"]),
)
if cat.empty:
    st.info(
        "Noch kein Katalog der Onlinedienste geladen (Import „onlinedienste“ auf der Seite Daten).",
        icon=":material/info:",
    )
    st.stop()

c1, c2 = st.columns([3, 2])
query = c1.text_input(
    "Onlinedienst suchen",
    value=_url.get("suche") or "",
    max_chars=100,
    placeholder="z. B. Wohngeld, einen LeiKa-Schlüssel oder Familie",
    key="w_suche",
    help="Jedes Wort muss im Namen, im Dienst- oder LeiKa-Schlüssel oder im Themenfeld vorkommen.",
)
fields = [ALL, *THEMENFELDER]
field = _url.value("themenfeld", ALL, THEMENFELDER, what="das Themenfeld", shown="alle Themenfelder")
field = c2.selectbox("Themenfeld", fields, index=fields.index(field or ALL), key="w_themenfeld")
_url.sync("suche", query.strip(), "")
_url.sync("themenfeld", field, ALL)

hits = search.search_services(cat, query, themenfeld=None if field == ALL else field)
wanted = _url.get("dienst")
keys = list(hits["service_key"])
if wanted and wanted not in keys:
    known = cat[cat["service_key"] == wanted]
    if known.empty:
        _url.unknown(wanted, what="den Onlinedienst (Dienst-Schlüssel)", shown="die Suche")
        wanted = None
    else:  # a shared link names the service: show it, whatever the search box says
        hits = pd.concat([known, hits], ignore_index=True)
        keys = [wanted, *keys]
if not keys:
    st.info(
        f"Kein Onlinedienst passt zu „{md(query, limit=60)}“"
        + ("" if field == ALL else f" im Themenfeld {md(field)}")
        + ". Weniger oder andere Wörter versuchen.",
        icon=":material/search_off:",
    )
    st.stop()

names = dict(zip(hits["service_key"], hits["name"] + " (" + hits["themenfeld"] + ")", strict=True))
st.caption(f"{num(len(keys))} von {num(len(cat))} Onlinediensten passen.")
chosen = st.selectbox(
    "Onlinedienst",
    keys,
    index=keys.index(wanted) if wanted in keys else 0,
    format_func=lambda k: names[k],
    key="w_dienst",
)
_url.sync("dienst", chosen, None)
service = cat[cat["service_key"] == chosen].iloc[0]

st.subheader(md(service["name"]))
maturity = (
    f"Reifegrad {service['maturity_level']:.0f} (Modell {md(service['maturity_model'])})"
    if pd.notna(service["maturity_level"])
    else "Reifegrad unbekannt"
)
facts = [
    f"Dienst-Schlüssel {md(service['service_key'])}",
    md(service["themenfeld"]),
    f"Modell {md(service['model'])}",
    f"zuständig: {md(service['responsible_level'])}",
    maturity,
]
if service["is_focus"]:
    facts.append("Fokusleistung")
if service["leika"]:
    facts.append(f"LeiKa {md(service['leika'])}")
st.markdown(" · ".join(facts))
if not service["online"]:
    st.warning(
        f"{maturity}: damit lässt sich der Dienst nicht online beantragen. Er zählt auf den anderen Seiten nicht als "
        "Onlinedienst; die Karte zeigt trotzdem, wo er angeboten wird. " + help_link("reifegrad"),
        icon=":material/warning:",
    )
target = link(service["url"])
if target:
    st.link_button("Zum Onlinedienst", target, icon=":material/open_in_new:")
elif service["url"]:
    st.caption(
        "Adresse des Onlinedienstes (nicht verlinkt: kein https oder der Betrieb hat den Rechner nicht freigegeben):"
    )
    st.code(service["url"], language=None, wrap_lines=True)

copy_link_button()
as_of = w.stichtag(meta)
where = _cache.load(search.where_available, service_id=int(service["service_id"]), as_of=as_of)
figures = search.summary(where)
stand = Stand(as_of, meta["source"] if meta else "–", demo, bool(meta and meta["is_mixed"]))

m1, m2, m3 = st.columns(3)
m1.metric(
    "Verwaltungseinheiten live",
    f"{num(figures['live'])} von {num(figures['units'])}",
    help="Einheits- und Samtgemeinden sowie bewohnte gemeindefreie Bezirke, deren Einwohner den Dienst nutzen können "
    "– angeboten von der eigenen Verwaltung, dem Landkreis oder dem Land. " + help_link("zustaendigkeit"),
)
m2.metric(
    "Kreise flächendeckend",
    f"{num(figures['kreise_full'])} von {num(figures['kreise'])}",
    help="Landkreise und kreisfreie Städte, in denen jede Verwaltungseinheit den Dienst live hat. "
    + help_link("flaechendeckend"),
)
m3.metric(
    "geplant oder in Umsetzung",
    num(figures["planned"]),
    help="Verwaltungseinheiten, in denen der Dienst geplant oder in Umsetzung ist",
)
if figures["residents_share"] is not None:
    st.caption(f"Das sind {pct(figures['residents_share'])} der Einwohner Niedersachsens.")
if figures["everywhere"]:
    st.success("Flächendeckend: in jeder Kommune Niedersachsens nutzbar.", icon=":material/check_circle:")
_widgets.caption(stand)

table = tables.where_table(where)
basename = f"dienst_{slug(service['service_key'])}_stichtag-{as_of.isoformat()}"
content = f"Onlinedienst {service['name']} ({service['service_key']}) je Verwaltungseinheit, Stichtag {as_of:%d.%m.%Y}"
shapes = boundaries_url(Level.VWG)
left, right = st.columns([3, 2])
with right:
    st.subheader("Verwaltungseinheiten")
    _widgets.show_table(table, height=480)
    _widgets.downloads(table, basename, stand=stand, key="where", content=content)
with left:
    if shapes is None:
        st.info(w.BUILD_HINT, icon=":material/map:")
    else:
        fig = maps.status_map(
            where,
            shapes,
            title=f"Wo gibt es „{html.escape(service['name'])}“? Stand {as_of:%d.%m.%Y}",
            bounds=level_extent(Level.VWG),
        )
        event = _widgets.chart(
            fig,
            table,
            basename=basename,
            stand=stand,
            key="where_map",
            on_select="rerun",
            selection_mode="points",
            content=content,
        )
        w.attribution()
        points = (event or {}).get("selection", {}).get("points", []) if event else []
        if points and points[0].get("location"):
            st.switch_page("pages/kommune.py", query_params={"ars": points[0]["location"]})
