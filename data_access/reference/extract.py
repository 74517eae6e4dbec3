"""Extract the annex tables of the action plan (seed text) into the curated reference CSVs.

Run once when the source changes: python -m data_access.reference.extract SEED_TXT
The CSVs are committed; tests compare them with the seed whenever ../shared is present.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
MEASURE_HEADER = "Kapitel\tTitel\tUmsetzung"
STRATEGIC_HEADER = "Domäne\t#\tKurz-bezeichnung"
MEASURE_COLUMNS = [
    "row_key",
    "chapter",
    "title",
    "implementation",
    "runtime",
    "strategic_refs",
    "legal_obligation",
    "responsible",
]
CHAPTER_COLUMNS = ["code", "title"]
STRATEGIC_COLUMNS = ["number", "domain", "short_name", "full_text"]


def _annex(text: str) -> list[str]:
    start = text.rindex("\nANLAGEN\n")
    return text[start:].splitlines()


def parse_annex(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Return (chapters, measure rows, strategic measures) exactly as printed in the annex."""
    chapters: dict[str, str] = {}
    measures: list[dict] = []
    strategic: list[dict] = []
    seen: dict[str, int] = {}
    mode = None
    for line in _annex(text):
        if line.startswith(MEASURE_HEADER):
            mode = "measures"
            continue
        if line.startswith(STRATEGIC_HEADER):
            mode = "strategic"
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if mode == "measures" and re.fullmatch(r"B\.\d+(\.\d+)*", cells[0]):
            cells += [""] * (7 - len(cells))
            code, title, impl, runtime, refs, legal, resp = (c.strip() for c in cells[:7])
            if not impl:  # a heading row such as "B.1 Online-Services"
                chapters.setdefault(code, title)
                continue
            seen[code] = seen.get(code, 0) + 1
            row_key = code if seen[code] == 1 else f"{code}/{seen[code]}"
            measures.append(
                dict(zip(MEASURE_COLUMNS, [row_key, code, title, impl, runtime, refs, legal, resp], strict=True))
            )
        elif mode == "strategic" and len(cells) >= 4 and cells[1].strip().isdigit():
            strategic.append(
                dict(
                    zip(
                        STRATEGIC_COLUMNS,
                        [int(cells[1]), cells[0].strip(), cells[2].strip(), cells[3].strip()],
                        strict=True,
                    )
                )
            )
        elif mode == "measures" and not line.startswith("B."):
            mode = None if line.startswith("Liste Strategische") else mode
    chapter_rows = [{"code": k, "title": v} for k, v in chapters.items()]
    return chapter_rows, measures, strategic


def _write(path: Path, columns: list[str], rows: list[dict], note: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(note)
        w = csv.DictWriter(f, fieldnames=columns, delimiter=";", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


SOURCE_NOTE = (
    "# Quelle: Handlungsplan Digitale Verwaltung Niedersachsen, 19.03.2024, Anlage {name};"
    " unverändert übernommen (Kapitel, Texte, Schreibweisen wie gedruckt)\n"
)


def main(seed: str) -> None:
    text = Path(seed).read_text(encoding="utf-8")
    chapters, measures, strategic = parse_annex(text)
    _write(
        HERE / "measure_chapters.csv",
        CHAPTER_COLUMNS,
        chapters,
        SOURCE_NOTE.format(name="„Liste Maßnahmen Handlungsplan“ (Überschriften)"),
    )
    _write(HERE / "measures.csv", MEASURE_COLUMNS, measures, SOURCE_NOTE.format(name="„Liste Maßnahmen Handlungsplan“"))
    _write(
        HERE / "strategic_measures.csv",
        STRATEGIC_COLUMNS,
        strategic,
        SOURCE_NOTE.format(name="„Liste Strategische Maßnahmen“"),
    )
    print(f"{len(chapters)} Überschriften, {len(measures)} Maßnahmen, {len(strategic)} strategische Maßnahmen")


if __name__ == "__main__":
    main(sys.argv[1])
