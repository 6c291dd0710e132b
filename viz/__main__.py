"""``python -m viz`` runs the ``chainrule`` command line (see :mod:`cli`)."""

from cli import main

raise SystemExit(main())
