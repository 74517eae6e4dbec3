"""Static name lists for the demo data: authorities, services, teams, objective texts, epics (all Beispieldaten)."""

from __future__ import annotations

import datetime as dt

D = dt.date

# The eAkte scope list is not published: real authority names, but every row is flagged as demo.
# (code, name, ministry, planned_workplaces, rollout_start, go_live, planned_go_live)
# go_live None = not productive at the last snapshot (31.03.2025); rollout_start None = still "geplant".
AUTHORITIES: tuple[tuple, ...] = (
    # Supreme authorities: productive before the NDIG § 10 deadline 01.01.2023.
    (
        "MI",
        "Niedersächsisches Ministerium für Inneres und Sport",
        "MI",
        1000,
        D(2021, 3, 15),
        D(2021, 3, 15),
        D(2021, 3, 15),
    ),
    ("StK", "Niedersächsische Staatskanzlei", "StK", 350, D(2021, 6, 1), D(2021, 9, 1), D(2021, 9, 1)),
    ("MF", "Niedersächsisches Finanzministerium", "MF", 600, D(2021, 8, 1), D(2021, 11, 1), D(2021, 10, 1)),
    (
        "MS",
        "Niedersächsisches Ministerium für Soziales, Arbeit, Gesundheit und Gleichstellung",
        "MS",
        750,
        D(2021, 9, 1),
        D(2021, 12, 1),
        D(2021, 12, 1),
    ),
    (
        "MW",
        "Niedersächsisches Ministerium für Wirtschaft, Verkehr, Bauen und Digitalisierung",
        "MW",
        700,
        D(2021, 11, 1),
        D(2022, 2, 1),
        D(2022, 1, 1),
    ),
    (
        "MU",
        "Niedersächsisches Ministerium für Umwelt, Energie und Klimaschutz",
        "MU",
        600,
        D(2022, 2, 1),
        D(2022, 6, 1),
        D(2022, 5, 1),
    ),
    (
        "ML",
        "Niedersächsisches Ministerium für Ernährung, Landwirtschaft und Verbraucherschutz",
        "ML",
        650,
        D(2022, 3, 1),
        D(2022, 7, 1),
        D(2022, 7, 1),
    ),
    ("MK", "Niedersächsisches Kultusministerium", "MK", 700, D(2022, 5, 1), D(2022, 9, 1), D(2022, 8, 1)),
    (
        "MWK",
        "Niedersächsisches Ministerium für Wissenschaft und Kultur",
        "MWK",
        500,
        D(2022, 6, 1),
        D(2022, 10, 1),
        D(2022, 10, 1),
    ),
    ("MJ", "Niedersächsisches Justizministerium", "MJ", 550, D(2022, 7, 1), D(2022, 11, 1), D(2022, 10, 1)),
    (
        "MB",
        "Niedersächsisches Ministerium für Bundes- und Europaangelegenheiten und Regionale Entwicklung",
        "MB",
        250,
        D(2022, 9, 1),
        D(2022, 12, 1),
        D(2022, 12, 1),
    ),
    # Subordinate state authorities, productive by March 2025.
    ("IT.N", "IT.Niedersachsen", "MI", 850, D(2021, 4, 1), D(2021, 6, 1), D(2021, 6, 1)),
    (
        "LGLN",
        "Landesamt für Geoinformation und Landesvermessung Niedersachsen",
        "MI",
        1600,
        D(2021, 5, 1),
        D(2021, 7, 1),
        D(2021, 7, 1),
    ),
    ("LSN", "Landesamt für Statistik Niedersachsen", "MI", 450, D(2021, 8, 1), D(2021, 11, 1), D(2021, 10, 1)),
    ("NLA", "Niedersächsisches Landesarchiv", "StK", 250, D(2021, 10, 1), D(2022, 1, 1), D(2022, 1, 1)),
    ("LBEG", "Landesamt für Bergbau, Energie und Geologie", "MW", 600, D(2021, 12, 1), D(2022, 3, 1), D(2022, 3, 1)),
    (
        "NLBK",
        "Niedersächsisches Landesamt für Brand- und Katastrophenschutz",
        "MI",
        150,
        D(2022, 1, 1),
        D(2022, 3, 1),
        D(2022, 3, 1),
    ),
    (
        "NLWKN",
        "Niedersächsischer Landesbetrieb für Wasserwirtschaft, Küsten- und Naturschutz",
        "MU",
        1300,
        D(2022, 1, 1),
        D(2022, 4, 1),
        D(2022, 4, 1),
    ),
    (
        "NLBL",
        "Niedersächsisches Landesamt für Bau und Liegenschaften",
        "MF",
        800,
        D(2022, 2, 1),
        D(2022, 5, 1),
        D(2022, 4, 1),
    ),
    (
        "LS",
        "Niedersächsisches Landesamt für Soziales, Jugend und Familie",
        "MS",
        900,
        D(2022, 4, 1),
        D(2022, 8, 1),
        D(2022, 7, 1),
    ),
    ("LStN", "Landesamt für Steuern Niedersachsen", "MF", 500, D(2022, 9, 1), D(2023, 1, 1), D(2023, 1, 1)),
    (
        "ArL BS",
        "Amt für regionale Landesentwicklung Braunschweig",
        "MB",
        200,
        D(2022, 10, 1),
        D(2023, 1, 1),
        D(2023, 1, 1),
    ),
    ("NLGA", "Niedersächsisches Landesgesundheitsamt", "MS", 200, D(2022, 11, 1), D(2023, 2, 1), D(2023, 1, 1)),
    ("PD H", "Polizeidirektion Hannover", "MI", 1000, D(2022, 10, 1), D(2023, 3, 1), D(2023, 1, 1)),
    (
        "ArL LW",
        "Amt für regionale Landesentwicklung Leine-Weser",
        "MB",
        200,
        D(2022, 12, 1),
        D(2023, 3, 1),
        D(2023, 3, 1),
    ),
    (
        "RLSB H",
        "Regionales Landesamt für Schule und Bildung Hannover",
        "MK",
        500,
        D(2022, 12, 1),
        D(2023, 4, 1),
        D(2023, 4, 1),
    ),
    ("LAB NI", "Landesaufnahmebehörde Niedersachsen", "MI", 350, D(2023, 1, 1), D(2023, 5, 1), D(2023, 4, 1)),
    (
        "RLSB BS",
        "Regionales Landesamt für Schule und Bildung Braunschweig",
        "MK",
        450,
        D(2023, 2, 1),
        D(2023, 6, 1),
        D(2023, 6, 1),
    ),
    (
        "NLStBV",
        "Niedersächsische Landesbehörde für Straßenbau und Verkehr",
        "MW",
        1500,
        D(2023, 2, 1),
        D(2023, 7, 1),
        D(2023, 6, 1),
    ),
    (
        "LAVES",
        "Niedersächsisches Landesamt für Verbraucherschutz und Lebensmittelsicherheit",
        "ML",
        950,
        D(2023, 3, 1),
        D(2023, 8, 1),
        D(2023, 7, 1),
    ),
    ("PD BS", "Polizeidirektion Braunschweig", "MI", 800, D(2023, 4, 1), D(2023, 9, 1), D(2023, 7, 1)),
    (
        "RLSB LG",
        "Regionales Landesamt für Schule und Bildung Lüneburg",
        "MK",
        450,
        D(2023, 6, 1),
        D(2023, 10, 1),
        D(2023, 10, 1),
    ),
    ("NLD", "Niedersächsisches Landesamt für Denkmalpflege", "MWK", 150, D(2023, 8, 1), D(2023, 11, 1), D(2023, 11, 1)),
    ("GAA H", "Staatliches Gewerbeaufsichtsamt Hannover", "MU", 250, D(2023, 9, 1), D(2023, 12, 1), D(2023, 12, 1)),
    ("PD OS", "Polizeidirektion Osnabrück", "MI", 800, D(2023, 9, 1), D(2024, 2, 1), D(2023, 12, 1)),
    (
        "NLQ",
        "Niedersächsisches Landesinstitut für schulische Qualitätsentwicklung",
        "MK",
        300,
        D(2023, 11, 1),
        D(2024, 3, 1),
        D(2024, 3, 1),
    ),
    ("GAA BS", "Staatliches Gewerbeaufsichtsamt Braunschweig", "MU", 200, D(2024, 1, 1), D(2024, 5, 1), D(2024, 4, 1)),
    ("PD LG", "Polizeidirektion Lüneburg", "MI", 800, D(2024, 1, 1), D(2024, 6, 1), D(2024, 4, 1)),
    ("GAA OL", "Staatliches Gewerbeaufsichtsamt Oldenburg", "MU", 200, D(2024, 3, 1), D(2024, 7, 1), D(2024, 7, 1)),
    ("NLPV Harz", "Nationalparkverwaltung Harz", "MU", 80, D(2024, 6, 1), D(2024, 10, 1), D(2024, 9, 1)),
    (
        "ArL LG",
        "Amt für regionale Landesentwicklung Lüneburg",
        "MB",
        200,
        D(2024, 7, 1),
        D(2024, 11, 1),
        D(2024, 11, 1),
    ),
    # Not productive on 31.03.2025 (12 of 53): rollouts under way, some behind plan, some still planned.
    ("LKA", "Landeskriminalamt Niedersachsen", "MI", 1100, D(2024, 6, 1), None, D(2024, 12, 1)),
    ("PA", "Polizeiakademie Niedersachsen", "MI", 700, D(2024, 9, 1), None, D(2025, 5, 1)),
    ("ZPD", "Zentrale Polizeidirektion Niedersachsen", "MI", 900, D(2024, 4, 1), None, D(2024, 11, 1)),
    ("PD GÖ", "Polizeidirektion Göttingen", "MI", 800, D(2024, 10, 1), None, D(2025, 4, 1)),
    ("NLBV", "Niedersächsisches Landesamt für Bezüge und Versorgung", "MF", 900, D(2024, 8, 1), None, D(2025, 1, 1)),
    (
        "RLSB OS",
        "Regionales Landesamt für Schule und Bildung Osnabrück",
        "MK",
        450,
        D(2024, 11, 1),
        None,
        D(2025, 6, 1),
    ),
    ("GAA LG", "Staatliches Gewerbeaufsichtsamt Lüneburg", "MU", 200, D(2025, 1, 1), None, D(2025, 5, 1)),
    ("ArL WE", "Amt für regionale Landesentwicklung Weser-Ems", "MB", 250, D(2024, 10, 1), None, D(2025, 2, 1)),
    ("PD OL", "Polizeidirektion Oldenburg", "MI", 800, None, None, D(2025, 1, 1)),
    ("LZN", "Logistik Zentrum Niedersachsen", "MI", 150, None, None, D(2025, 9, 1)),
    ("SLA", "Servicezentrum Landentwicklung und Agrarförderung", "ML", 150, None, None, D(2025, 10, 1)),
    # Edge case for the page: no planned workplaces known yet.
    ("NLPV WM", "Nationalparkverwaltung Niedersächsisches Wattenmeer", "MU", None, None, None, D(2025, 12, 1)),
)

# Land-level services: which authority offers them, by Themenfeld.
LAND_AUTHORITY = {
    "Arbeit & Ruhestand": "NLBV",
    "Bauen & Wohnen": "LGLN",
    "Bildung": "RLSB H",
    "Ein- & Auswanderung": "LAB NI",
    "Engagement & Hobby": "MI",
    "Familie & Kind": "LS",
    "Forschung & Förderung": "MW",
    "Gesundheit": "NLGA",
    "Mobilität & Reisen": "NLStBV",
    "Querschnitt": "IT.N",
    "Recht & Ordnung": "MJ",
    "Steuern & Zoll": "LStN",
    "Umwelt": "NLWKN",
    "Unternehmensführung & -entwicklung": "MW",
}

# Land-level services offered by another authority than their Themenfeld's: the Schwerbehindertenausweis is issued
# by the Landesamt für Soziales, Jugend und Familie (not by a Kommune, not by the NLBV).
LAND_AUTHORITY_BY_SERVICE = {"Schwerbehindertenausweis": "LS"}

# No longer existing services stay out of the catalogue: Kinderreisepass (abolished 01.01.2024), Erklärung zum
# Optionsverfahren (Optionspflicht ended 27.06.2024), Gaststättenerlaubnis (replaced by a notification, NGastG).
# Services per Themenfeld: "name|model|level", model E=EfA W=WfU K=Kommune L=Land, level L/K/G.
# A leading "*" marks a Fokusleistung named in DOMAIN.md.
_SERVICES = {
    "Arbeit & Ruhestand": """
        *Bürgergeld|E|K; Schwerbehindertenausweis|E|L; Grundsicherung im Alter und bei Erwerbsminderung|E|K;
        Bildungs- und Teilhabepaket|E|K; Hilfe zum Lebensunterhalt|W|K; Eingliederungshilfe|E|K; Hilfe zur Pflege|E|K;
        Landesblindengeld|W|K; Bestattungskosten – Übernahme|K|K; Arbeitserlaubnis für Schülerinnen und Schüler|K|G;
        Rentenantrag – Aufnahme im Versicherungsamt|K|G; Seniorenberatung – Terminvereinbarung|K|G;
        Beihilfe für Landesbedienstete|L|L; Versorgungsauskunft für Landesbedienstete|L|L;
        Anerkennung ausländischer Berufsqualifikationen|E|L; Baustellen-Vorankündigung (Arbeitsschutz)|E|L;
        Mutterschutz – Mitteilung an die Aufsichtsbehörde|E|L; Sonn- und Feiertagsarbeit – Ausnahmebewilligung|W|L""",
    "Bauen & Wohnen": """
        *Wohngeld|E|K; Baugenehmigung (digitaler Bauantrag)|E|K; Bauvoranfrage|E|K; Abgeschlossenheitsbescheinigung|E|K;
        Wohnberechtigungsschein|E|K; Baulastenauskunft|W|K; Abbruchanzeige|E|K; Denkmalrechtliche Genehmigung|W|K;
        Hausnummernvergabe|K|G; Aufgrabungsgenehmigung|K|G; Sondernutzung öffentlicher Straßen|K|G;
        Zweckentfremdung von Wohnraum|K|G; Vorkaufsrechtsanfrage (Negativattest)|K|G; Anliegerbescheinigung|K|G;
        Bodenrichtwertauskunft|L|L; Auszug aus der Liegenschaftskarte|L|L; Wohnraumförderung|L|L;
        Grundstücksmarktbericht – Bestellung|L|L""",
    "Bildung": """
        Schüler-BAföG|E|K; Schülerbeförderung – Fahrkostenerstattung|W|K; Volkshochschule – Kursanmeldung|K|K;
        Anmeldung an der Grundschule|K|G; Musikschule – Anmeldung|K|G; Lernmittelausleihe|K|G;
        Ganztagsbetreuung – Anmeldung|K|G; Schulwechsel – Anmeldung weiterführende Schule|W|G;
        Aufstiegs-BAföG|E|L; Anerkennung ausländischer Schulabschlüsse|W|L; Zeugniszweitschrift|W|L;
        Bildungsurlaub – Anerkennung von Veranstaltungen|W|L; Zulassung zur Nichtschülerprüfung|W|L;
        Landesstipendium|L|L; Gasthörerschaft an Landeshochschulen|L|L; Lehrkräfte – Einstellungsbewerbung|L|L;
        Schulpsychologische Beratung – Terminanfrage|W|L""",
    "Ein- & Auswanderung": """
        *Einbürgerung|E|K; Aufenthaltstitel – Verlängerung|E|K; Verpflichtungserklärung|E|K; Niederlassungserlaubnis|E|K;
        Blaue Karte EU|E|K; Staatsangehörigkeitsausweis|E|K; Fiktionsbescheinigung|W|K;
        Beschäftigungserlaubnis für Geflüchtete|W|K; Familiennachzug – Vorabzustimmung|E|K;
        Beschleunigtes Fachkräfteverfahren|E|K; Reiseausweis für Ausländer|W|K; Asylbewerberleistungen|W|K;
        Integrationskurs – Berechtigung|W|K; Wohnsitzauflage – Änderung|L|L; Landesaufnahmeprogramm – Antrag|L|L""",
    "Engagement & Hobby": """
        Fischereischein|E|G; Jagdschein|E|K; Waffenbesitzkarte|E|K; Ehrenamtskarte|W|K; Kleine Lotterie – Erlaubnis|K|K;
        Veranstaltungsanzeige (Volksfest)|K|G; Sportstättenbelegung|K|G; Feuerwerk – Ausnahmegenehmigung|K|G;
        Bürgerbeteiligung zu kommunalen Vorhaben|K|G; Grünflächenpatenschaft|K|G; Bibliotheksausweis|K|G;
        Sprengstofferlaubnis|W|L; Stiftungsanerkennung|W|L; Freiwilligendienst – Förderung|L|L;
        Sammlungsanzeige|K|K; Heimatverein – Zuschuss|K|G""",
    "Familie & Kind": """
        *Elterngeld|E|K; Unterhaltsvorschuss|E|K; Beistandschaft|W|K; Vaterschaftsanerkennung|W|K; Namensänderung|W|K;
        Pflegeerlaubnis für Pflegekinder|W|K; Familienpass|K|K; Kindertagespflege – Erlaubnis|W|K;
        Geburtsurkunde|E|G; Eheschließung – Anmeldung|E|G; Sterbeurkunde|E|G; Ehefähigkeitszeugnis|W|G;
        Kita-Platz – Anmeldung|K|G; Kita-Beitrag – Befreiung|K|G;
        Stiftung Familie in Not – Antrag|L|L; Landesprogramm Familienerholung|L|L""",
    "Forschung & Förderung": """
        Sportförderung für Vereine|K|K; Energieberatung – Förderung|K|K; Heimatförderung für Vereine|K|G;
        Kulturförderung der Gemeinde|K|G; Förderung Digitalisierung in Kommunen|L|L; Wirtschaftsförderung Kleinstunternehmen|L|L;
        Forschungsförderung Landesprogramm|L|L; Kulturförderung des Landes|L|L; Städtebauförderung|L|L;
        Dorfentwicklung – Förderung|L|L; LEADER-Förderung|L|L; Denkmalförderung|L|L; Breitbandförderung|E|L;
        Verwendungsnachweis für Zuwendungen|L|L; Agrarförderung – Flächenantrag|L|L; Klimaschutzförderung für Kommunen|L|L;
        Innovationsgutschein|L|L""",
    "Gesundheit": """
        Infektionsschutzbelehrung|E|K; Trinkwasseranlage – Anzeige|E|K; Heilpraktikererlaubnis|E|K;
        Amtsärztliche Untersuchung – Termin|E|K; Schuleingangsuntersuchung|W|K; Masernschutz – Nachweis|E|K;
        Leichenpass|E|K; Hygieneanzeige Tätowier- und Piercingstudio|E|K; Pflegewohngeld|W|K;
        Impfberatung – Terminvereinbarung|K|K; Approbation Ärztin/Arzt|E|L; Berufserlaubnis Gesundheitsfachberufe|E|L;
        Approbation Psychotherapeutin/Psychotherapeut|E|L; Badegewässer – Information|W|L;
        Erlaubnis zum Führen einer Berufsbezeichnung (Pflege)|E|L; Krankenhausplanung – Antrag|L|L""",
    "Mobilität & Reisen": """
        *Kfz-Zulassung|E|K; *Führerschein|E|K; Schwerbehindertenparkausweis|E|K; Großraum- und Schwertransporte|E|K;
        Fahrerkarte|E|K; Internationaler Führerschein|E|K; Personenbeförderungsschein|E|K; Taxigenehmigung|W|K;
        Verkehrsrechtliche Anordnung|K|K; Kurzzeitkennzeichen|E|K; Anwohnerparkausweis|E|G; Reisepass|W|G;
        Halteverbotszone – Einrichtung|K|G; Fundsachen|K|G; Ausnahmegenehmigung Umweltzone|K|G;
        Straßenbaustelle – Verkehrssicherung Landesstraßen|L|L""",
    "Querschnitt": """
        *Ummeldung|E|G; *Personalausweis|W|G; Meldebescheinigung|E|G; Melderegisterauskunft|E|G; Übermittlungssperre|E|G;
        Abmeldung ins Ausland|E|G; Wahlschein (Briefwahl)|W|G; Beglaubigung|K|G; Terminvereinbarung Bürgerbüro|K|G;
        Mängelmelder|K|G; Lebensbescheinigung|K|G; Akteneinsicht|K|K; Gebührenbescheid – Online-Zahlung|K|K;
        Auskunft nach DSGVO (Landesbehörden)|L|L; Postfachnachricht an die Landesverwaltung|L|L;
        Bewerbung im Landesdienst|L|L; Informationszugang nach Landesrecht|W|L""",
    "Recht & Ordnung": """
        Versammlungsanzeige|E|K; Bußgeldverfahren – Anhörung|W|K; Vollstreckung – Ratenzahlung|K|K;
        Verwarnungsgeld – Online-Zahlung|K|G; Schiedsperson – Antrag|K|G; Sperrzeitverkürzung|K|G;
        Gefährliche Hunde – Erlaubnis|E|G; Lärmbeschwerde|K|G; Online-Wache (Anzeige bei der Polizei)|L|L;
        Beratungshilfe|L|L; Prozesskostenhilfe|L|L; Kampfmittelauskunft|L|L; Hunderegister Niedersachsen|L|L;
        Strafantrag|L|L; Gnadengesuch|L|L; Besuchsantrag Justizvollzug|L|L""",
    "Steuern & Zoll": """
        Hundesteuer – An- und Abmeldung|K|G; Grundsteuer – Änderungsanzeige|K|G; Gewerbesteuer – Anpassung der Vorauszahlung|K|G;
        Zweitwohnungsteuer|K|G; Vergnügungssteuer|K|G; Gästebeitrag|K|G; Fremdenverkehrsbeitrag|K|G;
        Straßenausbaubeitrag|K|G; Kirchenaustritt|W|G; Jagdsteuer|K|K; Grunderwerbsteuer – Anzeige|L|L;
        Steuerliche Erfassung bei Gründung|L|L; Erbschaftsteuer – Anzeige|L|L; Bescheinigung in Steuersachen|L|L;
        Lohnsteuer-Ermäßigung – Auskunft|L|L""",
    "Umwelt": """
        *Anlagengenehmigung|E|K; Sperrmüll – Anmeldung|K|K; Abfallbehälter – Änderung|K|K; Wasserrechtliche Erlaubnis|E|K;
        Brunnenbohrung – Anzeige|E|K; Naturschutzrechtliche Genehmigung|E|K; Tierhaltung – Anzeige|E|K;
        Heizöltank – Anzeige (AwSV)|E|K; Kleinkläranlage|E|K; Baumfällgenehmigung|K|G; Lärmschutz – Ausnahme|K|G;
        Asbestsanierung – Anzeige|E|L; Emissionserklärung|E|L; Deichschutz – Genehmigung|L|L;
        Pflanzenschutz – Sachkundenachweis|E|L; Umweltinformation – Anfrage|W|L;
        Gefährliche Abfälle – Nachweisverfahren|E|L""",
    "Unternehmensführung & -entwicklung": """
        Gewerbeanmeldung|E|G; Gewerbeummeldung|E|G; Gewerbeabmeldung|E|G; Gaststättengewerbe – Anzeige (NGastG)|E|G;
        Gestattung (vorübergehender Gaststättenbetrieb)|E|G; Spielhallenerlaubnis|E|G; Marktstand – Zulassung|K|G;
        Sonntagsöffnung – Ausnahme|K|G; Gewerberegisterauskunft|K|G; Reisegewerbekarte|E|K;
        Bewachungsgewerbe – Erlaubnis|E|K; Maklererlaubnis (§ 34c GewO)|E|K; Lebensmittelbetrieb – Registrierung|E|K;
        Versteigerergewerbe – Erlaubnis|E|K; Fahrschulerlaubnis|E|K; Unternehmenskonto – Registrierung|L|L;
        Vergabeplattform Niedersachsen|L|L""",
}

# Generic Fokusleistungen fill the list of 16: the official list is not in our sources.
GENERIC_FOCUS = (
    ("Fokusleistung 10 (Beispiel)", "Gesundheit", "E", "K"),
    ("Fokusleistung 11 (Beispiel)", "Familie & Kind", "E", "K"),
    ("Fokusleistung 12 (Beispiel)", "Querschnitt", "E", "G"),
    ("Fokusleistung 13 (Beispiel)", "Bauen & Wohnen", "E", "G"),
    ("Fokusleistung 14 (Beispiel)", "Unternehmensführung & -entwicklung", "E", "G"),
    ("Fokusleistung 15 (Beispiel)", "Steuern & Zoll", "W", "G"),
    ("Fokusleistung 16 (Beispiel)", "Engagement & Hobby", "W", "G"),
)

MODELS = {"E": "EfA", "W": "WfU", "K": "Kommune", "L": "Land"}
LEVELS = {"L": "Land", "K": "Kreis", "G": "Gemeinde"}


def services() -> list[tuple[str, str, str, str, bool]]:
    """(name, themenfeld, model, responsible_level, is_focus) in a fixed order."""
    out = []
    for themenfeld, block in _SERVICES.items():
        for item in block.split(";"):
            name, model, level = (p.strip() for p in item.strip().split("|"))
            focus = name.startswith("*")
            out.append((name.lstrip("*"), themenfeld, MODELS[model], LEVELS[level], focus))
    for name, themenfeld, model, level in GENERIC_FOCUS:
        out.append((name, themenfeld, MODELS[model], LEVELS[level], True))
    return out


# Teams in the order they joined the programme (8 at PI 1, 16 from PI 17); each with its action-plan measures.
TEAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Team eAkte Rollout", ("B.2.1",)),
    ("Team Onlinedienste Kommunen", ("B.1.9", "B.1.3.1")),
    ("Team EfA-Onlinedienste", ("B.1.3.3",)),
    ("Team Wir-für-uns-Onlinedienste", ("B.1.3.4",)),
    ("Team Gesundheitsdienste", ("B.1.3.2",)),
    ("Team Verwaltungsportal", ("B.1.1", "B.1.7")),
    ("Team Antragsverwaltung NAVO", ("B.1.2",)),
    ("Team Nutzerkonten und ePayment", ("B.1.4", "B.1.5")),
    ("Team Scannen und Langzeitspeicherung", ("B.2.2", "B.2.3")),
    ("Team E-Rechnung", ("B.2.8",)),
    ("Team Signatur und Siegel", ("B.2.4",)),
    ("Team Changemanagement", ("B.2.11",)),
    ("Team Low-Code-Plattform", ("B.2.6.1",)),
    ("Team KI in der Verwaltung", ("B.3.1",)),
    ("Team Registermodernisierung", ("B.4",)),
    ("Team Cloud und Integration", ("B.5.1", "B.5.3")),
)

# Objective text templates per team; {x} is filled from the team's subjects, {y} from generic deliverables.
OBJECTIVE_SUBJECTS: dict[str, tuple[str, ...]] = {
    "Team eAkte Rollout": (
        "LKA",
        "Polizeiakademie",
        "ZPD",
        "PD Göttingen",
        "NLBV",
        "RLSB Osnabrück",
        "ArL Weser-Ems",
        "GAA Lüneburg",
        "LAVES",
        "NLStBV",
        "PD Hannover",
        "MK",
        "MJ",
    ),
    "Team Onlinedienste Kommunen": (
        "Elterngeld",
        "Ummeldung",
        "Wohngeld",
        "Kfz-Zulassung",
        "Führerschein",
        "Einbürgerung",
        "Bürgergeld",
        "Personalausweis",
    ),
    "Team EfA-Onlinedienste": (
        "EfA-Marktplatz",
        "Nachnutzungsverträge",
        "Anlagengenehmigung",
        "Baugenehmigung",
        "Elterngeld",
        "Unterhaltsvorschuss",
    ),
    "Team Wir-für-uns-Onlinedienste": (
        "Beihilfe",
        "Landesblindengeld",
        "Fischereischein",
        "Schülerbeförderung",
        "Wahlschein",
        "Zeugniszweitschrift",
    ),
    "Team Gesundheitsdienste": (
        "Approbation",
        "Infektionsschutzbelehrung",
        "Heilpraktikererlaubnis",
        "Berufserlaubnis Pflege",
        "Leichenpass",
    ),
    "Team Verwaltungsportal": (
        "Leistungssuche",
        "Barrierefreiheit",
        "Zuständigkeitsfinder",
        "Suchindex",
        "Redaktionssystem",
    ),
    "Team Antragsverwaltung NAVO": (
        "Formularbaukasten",
        "Schnittstelle XFall",
        "Bescheidrückkanal",
        "Mandantenverwaltung",
        "Lasttests",
    ),
    "Team Nutzerkonten und ePayment": (
        "BundID-Anbindung",
        "Unternehmenskonto",
        "Postfach",
        "ePayment-Gebührenkatalog",
        "Zahlungsabgleich",
    ),
    "Team Scannen und Langzeitspeicherung": (
        "ersetzendes Scannen",
        "Scanstraße",
        "Langzeitspeicher",
        "Aussonderung",
        "Archivschnittstelle",
    ),
    "Team E-Rechnung": (
        "Rechnungseingangsplattform",
        "XRechnung 3.0",
        "Workflow Rechnungsprüfung",
        "Kommunale Anbindung",
    ),
    "Team Signatur und Siegel": ("Fernsignatur", "Behördensiegel", "Signaturprüfung", "Zeitstempel"),
    "Team Changemanagement": ("Multiplikatorennetzwerk", "Schulungskonzept", "Kommunikationskampagne", "Lernplattform"),
    "Team Low-Code-Plattform": ("Plattformbetrieb", "Fachverfahren Förderung", "Vorlagenkatalog", "Entwicklerschulung"),
    "Team KI in der Verwaltung": ("Sprachassistent", "Textzusammenfassung", "KI-Richtlinie", "Pilot Posteingang"),
    "Team Registermodernisierung": (
        "Identifikationsnummer",
        "Registerabgleich",
        "NOOTS-Anbindung",
        "Datenschutzcockpit",
    ),
    "Team Cloud und Integration": ("Landescloud", "Integrationsplattform", "API-Gateway", "Containerbetrieb"),
}
OBJECTIVE_TEMPLATES = (
    "{x}: Konzept abgestimmt und freigegeben",
    "{x}: Pilotbetrieb gestartet",
    "{x}: produktiv gesetzt",
    "{x}: Anforderungen mit Fachbereichen erhoben",
    "{x}: Schulungen für Anwenderinnen und Anwender durchgeführt",
    "{x}: Ausschreibung veröffentlicht",
    "{x}: Schnittstelle getestet und abgenommen",
    "{x}: Rollout-Plan mit Beteiligten vereinbart",
    "{x}: Nutzerfeedback ausgewertet und Verbesserungen umgesetzt",
    "{x}: Datenschutz- und Sicherheitskonzept erstellt",
    "{x}: Migration der Altdaten abgeschlossen",
    "{x}: Betriebsübergabe an IT.N vorbereitet",
)

EPICS: tuple[tuple[str, str, str], ...] = (
    # (title, measure row_key or "", owner)
    ("Fokusleistungen flächendeckend in allen Kommunen", "B.1.9", "MI – Stabsstelle CIO"),
    ("EfA-Nachnutzung Gesundheitsleistungen ausweiten", "B.1.3.2", "MS – Digitalisierung"),
    ("Onlinedienste-Reporting automatisieren", "B.1.3.1", "IT.N – Onlinedienste"),
    ("Verwaltungsportal barrierefrei neu gestalten", "B.1.1", "IT.N – Portale"),
    ("NAVO-Formulare auf FIM-Standard umstellen", "B.1.2", "IT.N – Onlinedienste"),
    ("Nutzerkonto Bund vollständig integrieren", "B.1.4", "IT.N – Basisdienste"),
    ("ePayment für kommunale Gebühren", "B.1.5", "GovConnect"),
    ("Zentraler Onlinedienste-Support", "B.1.6", "MI – Stabsstelle CIO"),
    ("Beteiligungsportal Niedersachsen", "B.1.8", "MI – Stabsstelle CIO"),
    ("eAkte in allen Landesbehörden bis 2026", "B.2.1", "IT.N – eAkte"),
    ("Ersetzendes Scannen in Posteingangsstellen", "B.2.2", "IT.N – eAkte"),
    ("Langzeitspeicherung mit dem Landesarchiv", "B.2.3", "MI – Stabsstelle CIO"),
    ("Fernsignatur für alle Beschäftigten", "B.2.4", "IT.N – Basisdienste"),
    ("Bedienstetenkonto für Landesbeschäftigte", "B.2.5", "NLBV"),
    ("Low-Code-Plattform für Fachverfahren", "B.2.6.1", "IT.N – Fachverfahren"),
    ("Prozessbibliothek Landesverwaltung", "B.2.6.2", "MI – Organisation"),
    ("Austauschplattform Genehmigungsverfahren", "B.2.6.3", "MW – Digitalisierung"),
    ("E-Rechnung für Kommunen öffnen", "B.2.8", "IT.N – Fachverfahren"),
    ("Digitale Personalakte", "B.2.9", "MF – Personal"),
    ("Multiplikatorennetz Digitale Verwaltung", "B.2.11/2", "MI – Stabsstelle CIO"),
    ("IT-Portfoliomanagement einführen", "B.2.13", "MI – Stabsstelle CIO"),
    ("KI-Assistenz für den Posteingang", "B.3.1", "MI – Stabsstelle CIO"),
    ("Open-Data-Portal ausbauen", "B.3.3", "LGLN"),
    ("Registermodernisierung: Anbindung Melderegister", "B.4", "IT.N – Registermodernisierung"),
    ("Landescloud für Fachverfahren", "B.5.1", "IT.N – Rechenzentrum"),
    ("Identity- und Access-Management landesweit", "B.5.4", "IT.N – Basisdienste"),
    ("Souveräner Arbeitsplatz (Open-Source-Pilot)", "B.5.5", "MI – Stabsstelle CIO"),
    ("Cybersicherheitszentrum aufbauen", "B.6.4", "MI – Cybersicherheit"),
    ("Digitale Barrierefreiheit prüfen und messen", "", "MI – Stabsstelle CIO"),
    ("GreenIT-Kennzahlen für Rechenzentren", "", "IT.N – Rechenzentrum"),
)
