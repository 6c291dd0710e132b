"""What a notebook exported to HTML (nbconvert) keeps of chainrule's outputs: the GIFs, the
player's buttons, every display formula of a derivation; in the lessons as committed too."""

import base64
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from autograd import derive
from viz import animate_backward, draw_graph

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"


def output(obj) -> nbformat.NotebookNode:
    """The output Jupyter stores when a cell's last line is ``obj``: what its _repr_*_
    methods return, and its repr as text."""
    data = {"text/plain": repr(obj)}
    for mime, method in [("text/html", "_repr_html_"), ("text/markdown", "_repr_markdown_")]:
        if hasattr(obj, method):
            data[mime] = getattr(obj, method)()
    if hasattr(obj, "_repr_mimebundle_"):
        data.update(obj._repr_mimebundle_())
    return nbformat.v4.new_output("execute_result", data=data, execution_count=1)


def exported(*objects) -> str:
    nb = nbformat.v4.new_notebook()
    for obj in objects:
        cell = nbformat.v4.new_code_cell("", execution_count=1)
        cell.outputs = [output(obj)]
        nb.cells.append(cell)
    html, _ = HTMLExporter().from_notebook_node(nb)
    return html


@pytest.fixture
def html(worked_example) -> str:
    f = worked_example["f"]
    anim = animate_backward(derive(f, decimals=4), dpi=30)
    return exported(derive(f, decimals=4), draw_graph(f), anim, anim.gif())


def images(html: str) -> list[str]:
    """The ``src`` of every ``<img>`` (nbconvert writes the attributes in its own order)."""
    return re.findall(r'<img [^>]*src="([^"]*)"', html)


def test_the_gif_is_an_image_with_its_data(html):
    gifs = [src for src in images(html) if src.startswith("data:image/gif;base64,")]
    assert len(gifs) == 1
    assert base64.b64decode(gifs[0].partition(",")[2]).startswith(b"GIF89a")
    assert "IPython.core.display.Image object" not in html and "<GIF image" not in html


def test_the_players_buttons_need_no_icon_font(html):
    player = html[html.index('<div class="anim-buttons">'):]
    player = player[:player.index("</div>")]
    buttons = re.findall(r"<button.*?</button>", player, flags=re.S)
    assert len(buttons) == 9
    assert all(re.search(r"<svg [^>]*>\s*<path d=", b) for b in buttons)
    assert "fa fa-" not in html


def test_each_display_formula_is_a_paragraph_of_its_own(html):
    # 11 chain-rule steps of the worked example, each its own $$…$$ paragraph.
    paragraphs = re.findall(r"<p>(.*?)</p>", html, flags=re.S)
    formulas = [p for p in paragraphs if p.strip().startswith("$$")]
    assert len(formulas) == 11
    assert all(p.strip().count("$$") == 2 for p in formulas)
    w1 = re.escape(r"<p>$$\frac{\partial f}{\partial w_{1}} = ")
    assert re.search(w1 + r".* = -0\.4458 \\qquad", html)


def test_the_graph_shrinks_to_the_column(html):
    # Inline (as an <img>, no style of its own could shrink it), styled to fit the column.
    assert len(re.findall(r'<svg [^>]*style="max-width:100%;height:auto"', html)) == 1
    assert not [src for src in images(html) if src.startswith("data:image/svg+xml")]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_the_html_export_of_each_lesson_shows_its_pictures(path):
    nb = nbformat.read(path, as_version=4)
    html, _ = HTMLExporter().from_notebook_node(nb)
    assert "IPython.core.display.Image object" not in html
    assert "fa fa-" not in html                         # a player's buttons are drawn inline
    gifs = sum("image/gif" in output.get("data", {}) for cell in nb.cells
               for output in cell.get("outputs", []))
    assert gifs == 0, "a GIF output that nbconvert cannot show: use BackwardAnimation.gif()"
    if path.stem == "01_computational_graph":           # the lesson with the animation
        assert "data:image/gif;base64," in html and 'class="anim-buttons"' in html
