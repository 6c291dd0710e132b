"""The engine that Value and Tensor share: graph nodes, the topological walk, backward.

A node knows its ``data``, its ``grad``, an optional ``label``, the ``op`` that made it
and that op's ``parents``. An op is any object with a ``name`` and a method
``backward(node, out_grad)`` that returns one gradient contribution per parent (or
``None`` for a parent that needs none). The engine never looks inside an op: it walks
the graph once, in topological order, and hands each op the gradient of its output.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator


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
        tags: the tags that were active when an op made this node (see :func:`tagging`),
            outermost first; nn tags the nodes of each module call, viz draws frames.
    """

    # No __dict__ and no closures: a node holds no reference back to itself, so a
    # graph is a DAG of plain objects that reference counting alone frees.
    __slots__ = ("data", "grad", "label", "op", "parents", "ctx", "requires_grad", "tags")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The engine keeps nodes in sets and dicts, hashed by identity (hashing a node is
        # much cheaper than calling id() on it). A subclass that defines __eq__, as an
        # elementwise comparison would, silently loses __hash__: give it back.
        if cls.__hash__ is None:
            cls.__hash__ = Node.__hash__

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

    #: ``hooks(node, grad) -> grad``, run on each gradient before it is passed on (a
    #: Tensor's ``register_hook``); None: no hooks, and no call per node.
    _grad_hooks = None

    # Subclasses say how a gradient is seeded, stored and reset, and what makes a graph
    # impossible to differentiate.
    def _seed_grad(self, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_graph(self, order: list) -> None:
        """Raise if the graph whose nodes are ``order`` (this node's topological order)
        cannot be differentiated; :func:`chain_rule` calls it on the order it walks, so
        that one walk of the graph serves both. Nothing to check by default."""

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
        ['a', '×', '+']
    """
    order: list[Node] = []
    visited: set[Node] = set()
    # A node is pushed, then a None above it, then its parents above that. The None is
    # popped once everything above it (the parents, and theirs) has been emitted, and it
    # says: the node below me is ready. (A (node, done) pair per entry reads better, but
    # this walk runs at the start of every backward pass and the pairs cost a tenth of it.)
    stack: list[Node | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())
            continue
        if node in visited:  # reached again through another path
            continue
        visited.add(node)
        stack.append(node)
        stack.append(None)
        # Reversed, so that the first parent is popped first: inputs come out in the order
        # the expression names them (x1 before w1 before x2), as a student writes them.
        for parent in reversed(node.parents):
            if parent not in visited and (parent.requires_grad or not only_requiring_grad):
                stack.append(parent)
    return order


def chain_rule(root: Node, seed, contributions, written=None) -> Iterator[tuple[Node, object]]:
    """The backward pass, one node at a time: yield ``(node, ∂root/∂node)`` in reverse
    topological order, each node once its gradient is complete.

    This is the one walk of the library: :func:`backward` stores what it yields,
    :func:`autograd.derive` explains it, the animation replays the derivation. Before the
    first gradient, ``root._check_graph`` checks the graph on the walk's order.

    Args:
        seed: ∂root/∂root (1 for a scalar).
        contributions: ``contributions(node, grad)`` gives, for each parent of ``node``
            in order, ``grad · ∂node/∂parent`` (``None`` for a parent that needs none).
        written: optional ``written(node, grad)``, applied to every total before it is
            used: a derivation by hand rounds there, and a Tensor's hooks run there.

        >>> from autograd import Value
        >>> x = Value(3.0, label="x"); y = x * x
        >>> steps = chain_rule(y, 1.0, lambda node, g: node.op.backward(node, g))
        >>> [(node.label or "y", g) for node, g in steps]
        [('y', 1.0), ('x', 6.0)]
    """
    order = topological_order(root)
    root._check_graph(order)
    pending = {root: seed}
    for node in reversed(order):
        grad = pending.pop(node, None)
        if grad is None:  # every op that used this node returned None for it
            continue
        if written is not None:
            grad = written(node, grad)
        yield node, grad
        if node.op is not None:
            _add_to_pending(pending, node.parents, contributions(node, grad))


def _add_to_pending(pending: dict, parents: tuple, grads) -> None:
    """Add each parent's contribution to its gradient so far in ``pending``.

    A function of its own, so that no variable of the walk keeps a contribution alive
    after it: Tensor._store_grad counts the references to a leaf's gradient.
    """
    for parent, contribution in zip(parents, grads):
        if contribution is None or not parent.requires_grad:
            continue
        earlier = pending.get(parent)
        # Not `+=`: for arrays that would write into the op's returned array, which may be
        # shared with another parent (x + y hands both the same out_grad).
        pending[parent] = contribution if earlier is None else earlier + contribution


def _op_backward(node: Node, grad):
    return node.op.backward(node, grad)


def backward(root: Node, grad=None, inputs=None) -> None:
    """Accumulate d(root)/d(node) into ``node.grad`` for every node ``root`` depends on.

    The gradients of this pass are collected first (see :func:`chain_rule`) and added to
    ``.grad`` once each node's is complete, so calling ``backward`` twice doubles every
    gradient (PyTorch's accumulation) without double-counting inside one pass.

        >>> from autograd import Value
        >>> x = Value(3.0); y = x * x
        >>> backward(y); x.grad                 # dy/dx = 2x
        6.0
        >>> backward(y); x.grad                 # accumulated, as in PyTorch
        12.0
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward: this node does not require grad (it was made from inputs with "
            "requires_grad=False, or inside no_grad())"
        )
    seed = root._seed_grad(grad)
    inputs = None if inputs is None else set(inputs)
    for node, node_grad in chain_rule(root, seed, _op_backward, root._grad_hooks):
        if inputs is None or node in inputs:
            node._store_grad(node_grad)


class _GradMode(threading.local):
    """Whether ops record a graph, per thread as in PyTorch: a ``no_grad()`` block in one
    thread (an evaluation loop, a data-loading worker) leaves the others recording."""

    enabled = True  # the class attribute is every new thread's starting value


#: Read by every op (``grad_mode.enabled``); set only through :func:`no_grad`.
grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """False inside ``with no_grad():`` (in this thread)."""
    return grad_mode.enabled


class _GradModeBlock:
    """A ``with`` block, or a decorated function, that runs with recording set to
    ``recording``; ``@no_grad`` and ``@no_grad()`` both decorate, as in PyTorch."""

    recording = False

    def __new__(cls, function=None):
        if callable(function):  # @no_grad without parentheses
            return _running_with(cls(), function)
        return super().__new__(cls)

    def __init__(self, function=None):
        pass

    def __enter__(self) -> None:
        self.previous = grad_mode.enabled
        grad_mode.enabled = self.recording

    def __exit__(self, *exc_info) -> None:
        grad_mode.enabled = self.previous

    def __call__(self, function):
        """``@no_grad()``: the function runs inside this block every time it is called."""
        return _running_with(self, function)

    def clone(self):
        return type(self)()


def _running_with(block: _GradModeBlock, function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        with block.clone():
            return function(*args, **kwargs)
    return run


class no_grad(_GradModeBlock):  # noqa: N801 - PyTorch's spelling
    """Record no graph inside the block (for evaluation and optimizer updates); also a
    decorator. The switch is thread-local: other threads go on recording.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    recording = False


class enable_grad(_GradModeBlock):  # noqa: N801
    """Record again inside the block, within a ``no_grad()`` one."""

    recording = True


class inference_mode(_GradModeBlock):  # noqa: N801
    """PyTorch's faster ``no_grad()``; here the two are the same. ``inference_mode(False)``
    records."""

    def __init__(self, mode=True):
        self.recording = not mode

    def clone(self):
        return inference_mode(not self.recording)


class set_grad_enabled(_GradModeBlock):  # noqa: N801
    """Recording on or off: at once when called, and back to what it was at the end of a
    ``with`` block, as in PyTorch.

        >>> from autograd import Tensor
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with set_grad_enabled(False):
        ...     (w * 2).requires_grad
        False
    """

    def __new__(cls, mode: bool):
        return object.__new__(cls)

    def __init__(self, mode: bool):
        self.recording = bool(mode)
        self.previous = grad_mode.enabled
        grad_mode.enabled = self.recording

    def __enter__(self) -> None:
        pass  # set already, when called

    def __call__(self, function):
        grad_mode.enabled = self.previous  # as a decorator it changes nothing until called
        return _running_with(self, function)

    def clone(self):
        return _GradModeBlock.__new__(no_grad if not self.recording else enable_grad)


class _Tags(threading.local):
    """The tags of the blocks that are running, outermost first, per thread."""

    active: tuple = ()


#: Read by every op; changed only by :class:`tagging`.
tags = _Tags()


class tagging:
    """Tag every node that an op makes inside the block with ``tag``: ``node.tags``.

    Neutral bookkeeping for the layers above: ``nn`` tags each module call, so that
    ``viz`` can frame the nodes of each call. A class rather than a ``@contextmanager``
    generator: it runs on every layer call, and costs a third.

        >>> from autograd import Value
        >>> x = Value(1.0)
        >>> with tagging("layer 1"):
        ...     y = x * 2
        >>> y.tags, x.tags
        (('layer 1',), ())
    """

    __slots__ = ("tag", "previous")

    def __init__(self, tag):
        self.tag = tag

    def __enter__(self) -> None:
        self.previous = tags.active
        tags.active = self.previous + (self.tag,)

    def __exit__(self, *exc_info) -> None:
        tags.active = self.previous
