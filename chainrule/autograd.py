"""``torch.autograd``'s names: custom ``Function``, ``grad`` and the grad-mode switches.

    >>> from chainrule.autograd import Function
    >>> class Cube(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return grad_output * 3 * x ** 2
    >>> import chainrule as torch
    >>> x = torch.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).sum().backward(); x.grad
    tensor([12.])
"""

from autograd.custom import Function, grad
from autograd.engine import enable_grad, inference_mode, no_grad, set_grad_enabled

__all__ = ["Function", "enable_grad", "grad", "inference_mode", "no_grad", "set_grad_enabled"]
