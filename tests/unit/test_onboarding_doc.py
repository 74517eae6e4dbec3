"""docs/ONBOARDING.md stays true: it names every import kind, its commands exist, and `make setup DEMO=0` loads no
Beispieldaten."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from data_access.importers import KINDS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ONBOARDING.md").read_text(encoding="utf-8")


def test_every_import_kind_is_placed_in_the_onboarding_steps():
    missing = [k for k in KINDS if f"`{k}`" not in DOC]
    assert not missing, f"docs/ONBOARDING.md nennt diese Importarten nicht: {missing}"


def test_the_commands_in_the_guide_are_real_subcommands():
    from data_access import cli

    for line in re.findall(r"^ *python -m data_access (.+?)(?:  +#.*)?$", DOC, flags=re.M):
        words = [w.strip('"') for w in re.findall(r'"[^"]*"|\S+', line)]
        with pytest.raises(SystemExit) as done:
            cli.main([*words, "--help"]) if "--help" not in words else cli.main(words)
        assert done.value.code == 0, line


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
@pytest.mark.parametrize(("demo", "seeds"), [(None, True), ("0", False), ("1", True)])
def test_setup_with_demo_0_runs_no_seed(tmp_path, demo, seeds):
    """`make setup` with a stand-in python that only records its arguments: DEMO=0 never calls the seed."""
    calls = tmp_path / "calls"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    fake.chmod(0o755)
    args = ["make", "-s", "-o", ".venv/.installed", "setup", f"BIN={tmp_path}", "BOUNDARIES="]
    if demo is not None:
        args.append(f"DEMO={demo}")
    subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
    recorded = calls.read_text()
    assert "-m data_access migrate" in recorded
    assert ("seed --demo --if-empty" in recorded) is seeds
