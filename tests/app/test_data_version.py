"""Caches keyed by the data version: a write by another process shows at this process's next rerun, no clearing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from data_access import demo, version
from data_access.demo import remove
from data_access.importers import import_file
from data_access.importers.profiles import make_profile, save_profile

ROOT = Path(__file__).resolve().parents[2]
EPICS = ROOT / "tests" / "fixtures" / "import" / "epics"
VERSION_READ = "data_access.version.current"


def _env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def test_an_import_by_another_process_shows_at_the_next_rerun(db_url):
    viewer = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "app" / "_viewer.py")],
        cwd=ROOT,
        env=_env(db_url),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def rerun() -> dict:
        viewer.stdin.write("run\n")
        viewer.stdin.flush()
        return json.loads(viewer.stdout.readline())

    try:
        first = rerun()
        assert first["exception"] == [] and first["epics"] == 0
        assert first["queries"].count(VERSION_READ) == 1  # once per run, however many queries the page has
        assert len(first["queries"]) > 1

        again = rerun()  # nothing changed: every result comes from the cache, only the version is read
        assert again["epics"] == 0 and again["queries"] == [VERSION_READ]

        # Process B: the command line imports into the same database.
        done = subprocess.run(
            [sys.executable, "-m", "data_access", "import", "epics", str(EPICS / "good.csv"), "--user", "B"],
            cwd=ROOT,
            env=_env(db_url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

        after = rerun()
        assert after["exception"] == [] and after["epics"] == 2
        assert after["queries"].count(VERSION_READ) == 1 and len(after["queries"]) > 1
        assert rerun()["queries"] == [VERSION_READ]
    finally:
        viewer.stdin.close()
        viewer.wait(timeout=60)


def test_every_writer_bumps_the_version_and_a_silent_preview_does_not(engine, tmp_path):
    from geo.build import build_boundaries
    from tests.fixtures.make_bkg_zip import make_zip

    seen = [version.current(engine)]

    def bumped() -> bool:
        seen.append(version.current(engine))
        return seen[-1] > seen[-2]

    import_file(engine, "epics", EPICS / "good.csv").raise_for_problems()
    assert bumped()
    assert not import_file(engine, "epics", EPICS / "unknown_key.csv").ok
    assert bumped()  # the rejection's row in the import log is shown on the Daten page
    import_file(engine, "epics", EPICS / "good.csv", dry_run=True, log_dry_run=False)
    assert not bumped()  # a silent preview writes nothing
    save_profile(engine, make_profile("Versionstest", "epics", {"Kennung": "Schlüssel"}), user="Test")
    assert bumped()
    build_boundaries(str(make_zip(tmp_path / "bkg.zip")), engine=engine, out_dir=tmp_path / "geo")
    assert bumped()
    demo.seed(engine)
    assert bumped()
    assert remove.remove(engine, "pi", user="Test").ok
    assert bumped()
