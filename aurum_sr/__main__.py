"""``python -m aurum_sr``."""

from aurum_sr.cli import main

raise SystemExit(main())
