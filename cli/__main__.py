"""``python -m cli`` runs the ``chainrule`` command line."""

from . import main

raise SystemExit(main())
