"""How the facade re-exports: the public names of a module, and a package under a second name.

The facade defines no math. Each of its modules copies names from ``autograd`` or ``nn``,
so that what those packages add later shows up under PyTorch's path without an edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType


def public_names(module: ModuleType) -> list[str]:
    """The names ``module`` offers: its ``__all__``, else the public names defined in it or,
    for a package, in its own submodules (not those it imports, such as ``np``).

        >>> import nn.init
        >>> "kaiming_uniform_" in public_names(nn.init), "Tensor" in public_names(nn.init)
        (True, False)
    """
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    def defined_here(value) -> bool:
        home = getattr(value, "__module__", None) or ""
        return home == module.__name__ or home.startswith(module.__name__ + ".")

    return [name for name, value in vars(module).items()
            if not name.startswith("_") and defined_here(value)]


def copy_names(module: ModuleType, namespace: dict, skip=frozenset(),
               only_listed: bool = False) -> list[str]:
    """Put the public names of ``module`` (less ``skip``) into ``namespace``; return them.

    With ``only_listed``, only the names of the module's ``__all__`` (none without one).
    """
    if only_listed and not hasattr(module, "__all__"):
        return []
    names = [name for name in public_names(module) if name not in skip]
    for name in names:
        namespace[name] = getattr(module, name)
    return names


def alias_package(package: ModuleType, alias: str) -> None:
    """Make ``package`` and every module under it importable as ``alias``, ``alias.sub``, ...

    The same module objects, not copies: ``import chainrule.nn.functional as F`` gives
    ``nn.functional`` itself, so a class has one identity whichever path imported it.
    """
    sys.modules[alias] = package
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        if info.name.rpartition(".")[2] == "__main__":
            continue  # a command-line entry point runs when imported
        module = importlib.import_module(info.name)
        sys.modules[alias + "." + info.name[len(prefix):]] = module
