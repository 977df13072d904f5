"""``python -m viewer`` runs the ``jupitershine`` command line."""

from viewer.cli import main

raise SystemExit(main())
