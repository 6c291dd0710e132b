"""``python -m viz`` runs the ``chainrule`` command line."""

from .cli import main

raise SystemExit(main())
