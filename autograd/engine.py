"""The engine that Value and Tensor share: graph nodes, the topological walk, backward.

A node knows its ``data``, its ``grad``, an optional ``label``, the ``op`` that made it
and that op's ``parents``. An op is any object with a ``name`` and a method
``backward(node, out_grad)`` that returns one gradient contribution per parent (or
``None`` for a parent that needs none). The engine never looks inside an op: it walks
the graph once, in topological order, and hands each op the gradient of its output.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


class Node:
    """A node of the computational graph; ``Value`` and ``Tensor`` are its two kinds.

    Fields:
        data: the forward value (a float for Value, an ndarray for Tensor).
        grad: the accumulated gradient of the last ``backward`` output with respect to
            this node (``0.0``/``None`` until a backward pass reaches it).
        label: an optional name, shown in pictures and derivations.
        op: the op that produced this node, ``None`` for a leaf.
        parents: the op's inputs, in order.
        ctx: whatever the op saved for its backward rule (constants, masks, axes).
        requires_grad: whether a backward pass should reach this node.
    """

    # No __dict__ and no closures: a node holds no reference back to itself, so a
    # graph is a DAG of plain objects that reference counting alone frees.
    __slots__ = ("data", "grad", "label", "op", "parents", "ctx", "requires_grad")

    @property
    def is_leaf(self) -> bool:
        """True for nodes the user made, False for results of an op."""
        return self.op is None

    def backward(self, grad=None) -> None:
        """Reverse-mode differentiation from this node; see :func:`backward`."""
        backward(self, grad)

    def zero_grad(self) -> None:
        """Reset the gradient of every node in this node's graph."""
        for node in topological_order(self, only_requiring_grad=False):
            node._reset_grad()

    # Subclasses say how a gradient is seeded, stored and reset.
    def _seed_grad(self, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    def _store_grad(self, grad) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reset_grad(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def topological_order(root: Node, only_requiring_grad: bool = True) -> list[Node]:
    """Every node that ``root`` depends on, each after all of its parents.

    Iterative depth-first search, so a chain of 100,000 ops works (a recursive walk
    stops near Python's recursion limit of 1,000). With ``only_requiring_grad`` the
    walk does not enter nodes that need no gradient.

        >>> from autograd import Value
        >>> a = Value(2.0, label="a"); b = a * a + a
        >>> [n.label or n.op.name for n in topological_order(b)]
        ['a', '*', '+']
    """
    order: list[Node] = []
    visited: set[int] = set()
    # Each stack entry is (node, parents_done): a node is emitted the second time it is
    # popped, after everything above it on the stack (its parents) has been emitted.
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        key = id(node)
        if key in visited:
            continue
        visited.add(key)
        stack.append((node, True))
        for parent in node.parents:
            if id(parent) not in visited and (parent.requires_grad or not only_requiring_grad):
                stack.append((parent, False))
    return order


def backward(root: Node, grad=None) -> None:
    """Accumulate d(root)/d(node) into ``node.grad`` for every node ``root`` depends on.

    The gradients of this pass are collected first and added to ``.grad`` at the end of
    each node's turn, so calling ``backward`` twice doubles every gradient (PyTorch's
    accumulation) without double-counting inside one pass.
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward: this node does not require grad (it was made from inputs with "
            "requires_grad=False, or inside no_grad())"
        )
    pending = {id(root): root._seed_grad(grad)}
    for node in reversed(topological_order(root)):
        out_grad = pending.pop(id(node), None)
        if out_grad is None:  # every op that used this node returned None for it
            continue
        node._store_grad(out_grad)
        if node.op is None:
            continue
        for parent, contribution in zip(node.parents, node.op.backward(node, out_grad)):
            if contribution is None or not parent.requires_grad:
                continue
            key = id(parent)
            earlier = pending.get(key)
            pending[key] = contribution if earlier is None else earlier + contribution


_grad_enabled = True


def is_grad_enabled() -> bool:
    """False inside ``with no_grad():``."""
    return _grad_enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Record no graph inside the block (for evaluation and optimizer updates).

        >>> from autograd import Tensor, no_grad
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous
