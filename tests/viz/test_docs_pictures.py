"""The README's pictures, as committed: the worked example as `chainrule demo` draws it (by
hand, the homework's numbers, the derivation's names), shaped for a slide, and its animation.
`python docs/make_pictures.py` draws them again."""

import html
import re
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image

from autograd import derive
from cli.derive import worked_example

DOCS = Path(__file__).parents[2] / "docs"


def svg_texts(path: Path) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text())]


def test_the_hero_picture_shows_the_derivation_by_hand():
    texts = svg_texts(DOCS / "worked_example.svg")
    assert "grad −0.4458" in texts and "grad −0.2229" in texts     # ∂f/∂w1 and ∂f/∂z by hand
    assert "grad −0.4457" not in texts                            # not the exact one rounded
    assert texts[0].startswith("by hand: each value and gradient rounded to 4 decimals")
    names = set(derive(worked_example(), decimals=4).names.values())
    assert names <= set(texts)                                    # x1 … v3, f: the same names
    assert not [t for t in texts if re.fullmatch(r"(data|grad) [−-]?0\.0+", t)]


def test_the_hero_picture_fits_a_slide():
    root = ElementTree.parse(DOCS / "worked_example.svg").getroot()
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert 1 <= width / height <= 2.5
    with Image.open(DOCS / "worked_example.png") as image:
        assert 1 <= image.size[0] / image.size[1] <= 2.5


def test_the_animation_has_a_frame_per_step_and_the_gallery_is_there():
    with Image.open(DOCS / "backward.gif") as gif:
        assert gif.n_frames == 11 + 1                   # the 11 steps, then the finished graph
    readme = (DOCS.parent / "README.md").read_text()
    pictures = re.findall(r"\]\((docs/[^)]+\.(?:png|gif|svg))\)", readme)
    assert "docs/worked_example.png" in pictures and len(pictures) >= 13
    for picture in pictures:
        with Image.open(DOCS.parent / picture) as image:
            assert min(image.size) >= 100, picture
