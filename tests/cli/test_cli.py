"""The chainrule command line: through subprocesses as a user runs it, and through main()."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cli import derive as derive_command
from cli import main
from viz.backends import dot, drawing

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXAMPLE = ["(sigmoid(x1*w1 + x2*w2) - t)**2", "--at", "x1=2", "x2=3", "w1=0.4", "w2=-0.2", "t=1"]


def run(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_demo(tmp_path):
    done = run(tmp_path, "demo")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "exact" in out and "rounded to 4 decimals as by hand" in out
    assert "-0.445694" in out and "-0.4458" in out
    assert "0.549834" in out and "0.5498" in out        # both forward tables
    assert "worked_example.svg" in out
    svg = (tmp_path / "worked_example.svg").read_text()
    assert "<svg" in svg
    # The picture shows the numbers by hand, the homework's, and says so.
    assert "grad −0.4458" in svg and "grad −0.2229" in svg and "−0.4457" not in svg
    assert "by hand: each value and gradient rounded to 4 decimals" in svg
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert 1 <= width / height <= 2.5          # fits a slide, drawn top to bottom


def test_demo_png(tmp_path):
    done = run(tmp_path, "demo", "-o", "example.png")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "example.png").read_bytes().startswith(PNG_MAGIC)


def test_derive_by_hand_with_a_picture(tmp_path):
    done = run(tmp_path, "derive", *EXAMPLE, "--wrt", "w1", "--decimals", "4",
               "-o", "graph.png")
    assert done.returncode == 0, done.stderr
    assert "∂f/∂w1 = -0.4458" in done.stdout
    assert "∂f/∂x2" not in done.stdout                 # --wrt w1 leaves out the rest
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)


def test_the_console_script(tmp_path):
    # The venv's bin folder may not be on PATH; it is where this Python lives.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    script = shutil.which("chainrule", path=search)
    assert script, "no `chainrule` script beside Python: install with pip install -e ."
    done = subprocess.run([script, "derive", "x*x", "--at", "x=3"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "∂f/∂x = x + x = 3 + 3 = 6" in done.stdout


@pytest.mark.parametrize("args", [
    ["derive", "x.real", "--at", "x=1"],                   # unsafe
    ["derive", "x +", "--at", "x=1"],                      # malformed
    ["derive", "x*y", "--at", "x=1"],                      # a missing value
    ["derive", "x", "--at", "x=1", "--wrt", "w3"],         # an unknown variable
    ["derive", "x", "--at", "x1"],                         # not NAME=NUMBER
    ["derive", "x", "--at", "x=abc"],
    ["derive", "x", "--at", "x=1", "-o", "graph.jpg"],     # an unknown image format
    ["derive"],
    ["fly"],
])
def test_bad_input_is_one_line_and_status_2(tmp_path, args):
    done = run(tmp_path, *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainrule: error: ")
    assert done.stdout == ""


@pytest.mark.parametrize("args, says", [
    (["derive", "x.real", "--at", "x=1"], "attribute access 'x.real' at column 1"),
    (["derive", "sin(x) + y", "--at", "x=1"], "no value for the variable y at column 10"),
    (["derive", "x", "--at", "x=1", "y=2"], "a value is given for y"),
    (["derive", "x", "--at", "x=1", "x=2"], "--at gives x twice"),
    (["derive", "x", "--at", "x=1", "--wrt", "w3"], "--wrt w3"),
    (["derive", "x", "--at", "x1"], "expected NAME=NUMBER, got 'x1'"),
    (["derive", "x", "--at", "x=abc"], "'abc' is not a number"),
    (["derive", "x", "--at", "x=1", "--decimals", "-1"], "--decimals"),
    (["derive", "x", "--at", "x=1", "-o", "g.jpg"], "image format of 'g.jpg'"),
    ([], "required: COMMAND"),
])
def test_error_messages(capsys, args, says):
    try:
        status = main(args)
    except SystemExit as stop:                 # argparse's own checks exit directly
        status = stop.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert says in err


def test_a_file_that_cannot_be_written(tmp_path, capsys):
    status = main(["derive", "x", "--at", "x=1", "-o", str(tmp_path / "no" / "g.svg")])
    assert status == 1
    assert capsys.readouterr().err.startswith("chainrule: error: ")


def test_derive_exact_in_process(capsys):
    assert main(["derive", *EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "∂f/∂w1" in out and "-0.445694" in out and "exact" in out


def test_help_shows_examples(capsys):
    for args in (["--help"], ["derive", "--help"], ["demo", "--help"]):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert "usage: chainrule" in out
        assert args == ["--help"] or "examples:" in out


def test_ctrl_c_stops_with_one_line_and_status_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(derive_command, "run_derive", interrupted)
    assert main(["derive", "x", "--at", "x=1"]) == 130
    assert capsys.readouterr().err == "chainrule: interrupted\n"


# --- a graph that a backend cannot draw ----------------------------------------------------
def test_demo_and_derive_draw_despite_a_broken_dot(broken_dot, tmp_path):
    warning = ("chainrule: warning: viz: the 'dot' backend failed (dot -T{}: Format: \"svg\" "
               "not recognized. Use one of:); drawn by ")
    done = run(tmp_path, "demo")
    assert done.returncode == 0
    [line] = done.stderr.splitlines()
    assert line.startswith(warning.format("svg")) and "Traceback" not in done.stderr
    ElementTree.parse(tmp_path / "worked_example.svg")
    done = run(tmp_path, "derive", "x*x", "--at", "x=3", "-o", "graph.png")
    assert done.returncode == 0
    [line] = done.stderr.splitlines()
    assert line.startswith(warning.format("png"))
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)


def test_a_graph_no_backend_can_draw_is_one_line_and_status_1(broken_dot, monkeypatch,
                                                               capsys, tmp_path):
    def broken(*args):
        raise RuntimeError("out of order")

    monkeypatch.setattr(dot, "run_wasm", broken)
    monkeypatch.setattr(drawing, "draw_layout", broken)
    status = main(["derive", "x*x", "--at", "x=3", "-o", str(tmp_path / "graph.svg")])
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: viz: no backend could draw the graph: the 'dot' "
                          "backend failed (dot -Tsvg: Format: \"svg\" not recognized. Use one of:)")
    assert err.count("\n") == 1 and err.endswith("backend failed (out of order)\n")


# --- lazy imports: each command imports what it needs ----------------------------------------
HEAVY = ("numpy", "autograd", "nn", "viz", "matplotlib")


def imported_by(*argv) -> list[str]:
    """The heavy packages that ``chainrule ARGV...`` imports, in a fresh interpreter."""
    script = ("import sys, cli\n"
              "try:\n"
              f"    cli.main({list(argv)!r})\n"
              "except SystemExit:\n"
              "    pass\n"
              f"print(*[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    return done.stderr.split()


def test_help_imports_nothing_heavy():
    assert imported_by("--help") == []
    assert imported_by("derive", "--help") == ["numpy", "autograd"]    # the engine only


def test_each_command_imports_only_what_it_needs():
    assert imported_by("derive", "x*x", "--at", "x=3") == ["numpy", "autograd"]
    assert "matplotlib" not in imported_by("summary", "flatten linear(2)", "--input", "3")


def test_python_m_viz_still_runs_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "viz", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: chainrule")
    for command in ("demo", "derive", "summary", "train"):
        assert f"\n    {command} " in done.stdout
