"""conv2d and Conv2d: a worked example by hand, finite differences, and torch.nn.functional."""

import math

import numpy as np
import pytest

from autograd import Tensor, topological_order
from autograd.gradcheck import gradcheck
from nn.conv import Conv2d, conv2d

X3 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1 2 3] [4 5 6] [7 8 9]]
K2 = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])   # one 2×2 kernel


def test_forward_and_gradients_by_hand():
    x = Tensor(X3, requires_grad=True)
    w = Tensor(K2, requires_grad=True)
    b = Tensor([1.0], requires_grad=True)
    out = conv2d(x, w, b)
    # out[i, j] = Σ window · kernel + 1, e.g. 1·1 + 2·2 + 4·3 + 5·4 + 1 = 38
    np.testing.assert_array_equal(out.data, [[[[38, 48], [68, 78]]]])
    out.sum().backward()
    # each pixel collects the kernel entries of every window it falls in: the centre all four
    np.testing.assert_array_equal(x.grad[0, 0], [[1, 3, 2], [4, 10, 6], [3, 7, 4]])
    # each kernel entry collects the pixels it met: the four 2×2 blocks of the image
    np.testing.assert_array_equal(w.grad[0, 0], [[12, 16], [24, 28]])
    np.testing.assert_array_equal(b.grad, [4])


def test_stride_and_padding_by_hand():
    # zero-padded to 5×5, windows at rows and columns 0 and 2 of the padded image
    out = conv2d(X3, K2, stride=2, padding=1)
    np.testing.assert_array_equal(out.data, [[[[4 * 1, 3 * 2 + 4 * 3],
                                               [2 * 4 + 4 * 7, 5 + 12 + 24 + 36]]]])


@pytest.mark.parametrize("shape, kernel, stride, padding, expected", [
    ((2, 3, 32, 32), 5, 1, 2, (2, 8, 32, 32)),
    ((2, 3, 32, 32), 5, 1, "same", (2, 8, 32, 32)),
    ((2, 3, 32, 32), 4, 1, "same", (2, 8, 32, 32)),      # even kernel: one more at the end
    ((2, 3, 32, 32), 5, 1, "valid", (2, 8, 28, 28)),
    ((2, 3, 7, 9), 3, 2, 1, (2, 8, 4, 5)),
    ((2, 3, 7, 9), (3, 1), (2, 1), (0, 2), (2, 8, 3, 13)),
    ((1, 3, 100, 100), 5, 1, 0, (1, 8, 96, 96)),
])
def test_output_shapes(shape, kernel, stride, padding, expected):
    conv = Conv2d(3, 8, kernel, stride=stride, padding=padding)
    assert conv(np.zeros(shape, np.float32)).shape == expected


CASES = [  # (N, C, H, W), (O, kh, kw), stride, padding
    ((2, 3, 5, 6), (4, 3, 3), 1, 1),
    ((2, 3, 7, 7), (4, 3, 3), 2, 1),
    ((1, 2, 6, 5), (3, 4, 4), 1, "same"),       # even kernel: asymmetric padding
    ((2, 2, 5, 7), (3, 3, 3), 1, "same"),
    ((1, 3, 9, 8), (2, 3, 2), (3, 2), (0, 1)),  # pairs, a stride larger than the kernel
    ((2, 2, 3, 3), (2, 1, 1), 2, 2),            # padding wider than the kernel
    ((1, 1, 4, 4), (2, 4, 4), 1, 0),            # one output pixel
]


@pytest.mark.parametrize("image, kernel, stride, padding", CASES)
@pytest.mark.parametrize("bias", [True, False])
def test_gradcheck(image, kernel, stride, padding, bias):
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal(image), requires_grad=True)
    w = Tensor(rng.standard_normal((kernel[0], image[1], *kernel[1:])), requires_grad=True)
    b = Tensor(rng.standard_normal(kernel[0]), requires_grad=True) if bias else None
    assert gradcheck(lambda x, w, *b: conv2d(x, w, *b, stride=stride, padding=padding),
                     x, w, *([b] if bias else []))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("image, kernel, stride, padding", CASES)
def test_against_torch(image, kernel, stride, padding):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(image), rng.standard_normal((kernel[0], image[1], *kernel[1:])),
              rng.standard_normal(kernel[0])]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = conv2d(*ours, stride=stride, padding=padding)
    expected = torch.nn.functional.conv2d(*theirs, stride=stride, padding=padding)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    grad = rng.standard_normal(out.shape)
    out.backward(grad)
    expected.backward(torch.tensor(grad))
    for a, t in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_float32_against_torch_at_layer_size():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 16, 20, 20), dtype=np.float32)
    w = rng.standard_normal((8, 16, 3, 3), dtype=np.float32) * 0.1
    ours = Tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    out = conv2d(ours, w, padding=1)
    expected = torch.nn.functional.conv2d(theirs, torch.tensor(w), padding=1)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    (out * out).sum().backward()
    (expected * expected).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_one_graph_node_and_no_input_gradient_for_data():
    x = np.ones((2, 3, 8, 8), np.float32)     # data: needs no gradient
    conv = Conv2d(3, 4, 3)
    out = conv(x)
    assert out.op.name == "conv2d"
    assert [n.op.name for n in topological_order(out, only_requiring_grad=False) if n.op] \
        == ["conv2d"]
    out.sum().backward()
    assert conv.weight.grad.shape == (4, 3, 3, 3) and conv.bias.grad.shape == (4,)
    assert out.parents[0].grad is None


def test_output_feeds_ordinary_tensor_ops():
    # The output is an NCHW view of channels-last memory: every op must see plain NCHW.
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((6, 3, 1, 1))
    out = conv2d(x, w)
    expected = np.einsum("nchw,oc->nohw", x, w[:, :, 0, 0])
    np.testing.assert_allclose(out.data, expected, atol=1e-12)
    np.testing.assert_allclose(out.flatten(1).data, expected.reshape(2, -1), atol=1e-12)
    np.testing.assert_allclose(out[:, 2].data, expected[:, 2], atol=1e-12)


def test_module_parameters_and_initialisation():
    np.random.seed(0)
    conv = Conv2d(3, 16, kernel_size=5)
    assert conv.weight.shape == (16, 3, 5, 5) and conv.bias.shape == (16,)
    assert conv.weight.dtype == np.float32 and conv.bias.dtype == np.float32
    bound = 1 / math.sqrt(3 * 5 * 5)  # PyTorch's U(−k, k), k = 1/√(in·kh·kw)
    assert np.abs(conv.weight.data).max() <= bound and np.abs(conv.bias.data).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.9 * bound  # uniform over the whole range
    np.random.seed(0)
    np.testing.assert_array_equal(Conv2d(3, 16, kernel_size=5).weight.data, conv.weight.data)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    assert Conv2d(3, 16, 3, bias=False).bias is None
    assert len(Conv2d(3, 16, 3, bias=False).parameters()) == 1


def test_module_state_dict_and_repr_match_torch():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Conv2d(3, 16, 5, stride=2, padding=2)
    ours = Conv2d(3, 16, 5, stride=2, padding=2)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(4).standard_normal((2, 3, 11, 11)).astype(np.float32)
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-5)
    assert repr(ours) == repr(theirs)
    assert repr(Conv2d(3, 4, 3, bias=False)) == repr(torch.nn.Conv2d(3, 4, 3, bias=False))
    assert repr(Conv2d(3, 4, 3, padding="same")) == repr(torch.nn.Conv2d(3, 4, 3, padding="same"))


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="input channels"):
        conv2d(np.zeros((1, 3, 8, 8)), np.zeros((4, 2, 3, 3)))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        conv2d(np.zeros((8, 8)), np.zeros((4, 3, 3, 3)))
    assert conv2d(np.zeros((3, 8, 8)), np.zeros((4, 3, 3, 3))).shape == (4, 6, 6)  # one image
    with pytest.raises(ValueError, match=r"3×3 window is larger than the \(padded\) input 2×2"):
        conv2d(np.zeros((1, 3, 2, 2)), np.zeros((4, 3, 3, 3)))
    with pytest.raises(ValueError, match="stride 1"):
        Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding"):
        Conv2d(3, 4, 3, padding=-1)
    with pytest.raises(ValueError, match="stride must be positive"):
        Conv2d(3, 4, 3, stride=0)


@pytest.mark.parametrize("kernel_size", [0, (3, 0)])
def test_conv2d_refuses_an_empty_kernel(kernel_size):
    with pytest.raises(ValueError, match="kernel_size must be an int of at least 1"):
        Conv2d(3, 4, kernel_size)
