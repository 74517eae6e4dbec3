"""Process A of tests/app/test_data_version.py: one app session (AppTest of the Daten page) in its own process.

Each line on stdin reruns the page; each run prints one JSON line: the Epics row count of the status table and the
query functions of the statements the run sent to the database (through data_access.read).
"""

import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from data_access import read

ROOT = Path(__file__).resolve().parents[2]

at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
at.switch_page("pages/daten.py")
for _line in sys.stdin:
    with read.recording() as rec:
        at.run()
    status = at.dataframe[0].value if at.dataframe else None
    epics = int(status.loc[status["Tabelle"] == "Epics", "Zeilen"].iloc[0]) if status is not None else None
    out = {
        "epics": epics,
        "queries": [name for name, _ in rec.statements],
        "exception": [e.message for e in at.exception],
    }
    print(json.dumps(out), flush=True)
