"""Command line: python -m data_access {migrate,reference,seed,import,status} …"""

from data_access.cli import main

raise SystemExit(main())
