"""What every benchmark needs before its own imports.

Importing this module puts the repository root on ``sys.path`` when chainrule is not
installed, so that ``python benchmarks/X.py`` from a checkout finds ``autograd`` and
``nn``; and it imports the optional libraries the benchmarks compare with or tune,
``None`` when they are missing.
"""

import sys
from pathlib import Path

try:
    import autograd  # noqa: F401  (installed, or run from a checkout below)
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    import torch
except ImportError:
    torch = None
try:
    from threadpoolctl import threadpool_limits  # installed with scikit-learn
except ImportError:
    threadpool_limits = None
