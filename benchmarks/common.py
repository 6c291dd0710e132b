"""What every benchmark needs before its own imports.

Importing this module puts the repository root on ``sys.path`` when chainrule is not
installed, so that ``python benchmarks/X.py`` from a checkout finds ``autograd`` and
``nn``; and it imports PyTorch, which the benchmarks compare with (``None`` when it is
missing), and threadpoolctl's ``threadpool_limits``, which sets the BLAS threads.
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
from threadpoolctl import threadpool_limits  # noqa: E402, F401 - installed with chainrule
