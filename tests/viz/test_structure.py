"""The drawing code of viz imports one way: picture ← layout ← backends ← graph ← render ←
animate. Read from the import lines themselves, so that a cycle cannot come back."""

import ast
from pathlib import Path

import viz

VIZ = Path(viz.__file__).parent

# Each module of the drawing code, and the layer it belongs to: a module may import the
# modules of lower layers (and of its own package), never of higher ones.
LAYERS = {
    "viz.picture": 0,
    "viz.layout": 1,
    "viz.backends": 2, "viz.backends.dot": 2, "viz.backends.drawing": 2,
    "viz.graph": 3,
    "viz.render": 4,
    "viz.animate": 5,
}


def module_file(module: str) -> Path:
    path = VIZ.parent / Path(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imported(module: str) -> set[str]:
    """The viz modules that ``module`` imports, anywhere in the file (inside functions too)."""
    package = module if module_file(module).name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(module_file(module).read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            # `from . import dot` names a module; `from .graph import Graph` names one too.
            found |= {f"{base}.{alias.name}" for alias in node.names} | {base}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name in LAYERS} - {module}


def test_every_drawing_module_is_listed():
    files = {path.relative_to(VIZ.parent).with_suffix("").as_posix().replace("/", ".")
             .removesuffix(".__init__") for path in VIZ.rglob("*.py")}
    drawing = files - {"viz", "viz.__main__"} - {f for f in files if f.startswith("viz.plots")}
    assert drawing == set(LAYERS)


def test_imports_go_one_way():
    for module, layer in LAYERS.items():
        for other in imported(module):
            assert LAYERS[other] < layer or other.startswith(module + "."), \
                f"{module} (layer {layer}) imports {other} (layer {LAYERS[other]})"


def test_the_reader_of_import_lines_sees_them():
    # The check above is only as good as `imported`: it sees relative imports of both kinds.
    assert imported("viz.graph") == {"viz.backends", "viz.picture"}
    assert imported("viz.backends") == {"viz.layout", "viz.backends.dot",
                                        "viz.backends.drawing"}
