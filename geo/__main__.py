"""Command line: python -m geo build --source <BKG-Zip oder URL> [--if-missing] [--out build/geo]."""

from geo.cli import main

raise SystemExit(main())
