"""Run a program as ``python PROGRAM.py ARGS`` would, on PyTorch or (through port.py) on
chainrule, in a fresh interpreter, with the library's generator seeded first.

Seeding before the program is what the examples' README did to measure PyTorch's spread
(``torch.manual_seed(1)`` ... ``(20)`` before HW05, which does not seed itself); it makes each
test run the same numbers every time.
"""

import os
import subprocess
import sys
from pathlib import Path


def run_program(program: Path, *args: str, library: str, examples: Path, seed: int = 0,
                environment: dict | None = None, stand_in_gpu: bool = False) -> str:
    """Run ``program`` with ``args`` on ``library`` ("torch" or "chainrule"); return what it
    printed. A failure shows the end of the traceback. With ``stand_in_gpu``, chainrule's
    "cuda" device is held by ``fake_cupy`` (so ``torch.cuda.is_available()`` is True)."""
    if library == "torch":
        start = (f"import runpy, sys, torch; torch.manual_seed({seed}); "
                 f"sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    else:
        gpu = ""
        if stand_in_gpu:
            gpu = (f"sys.path.insert(0, {str(Path(__file__).parents[1])!r}); import fake_cupy; "
                   f"import autograd.dtypes; autograd.dtypes.use_gpu_module(fake_cupy); ")
        start = (f"import sys, chainrule; chainrule.manual_seed({seed}); {gpu}"
                 f"sys.path.insert(0, {str(examples)!r}); import port; "
                 f"sys.exit(port.main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", start, str(program), *args],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "MPLBACKEND": "Agg", **(environment or {})})
    assert done.returncode == 0, (f"{program.name} on {library} failed:\n"
                                  + "\n".join(done.stderr.splitlines()[-12:]))
    return done.stdout
