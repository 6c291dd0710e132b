"""``nn.spec.build``: a Sequential from a layer string, sizes between layers worked out."""

import numpy as np
import pytest

import nn
from nn.spec import build, layer_usage


def test_sizes_are_read_off_the_input():
    model = build("conv(16, 5) relu maxpool(2) conv(32, 3) relu maxpool(2) flatten "
                  "linear(256) relu linear(10)", (3, 100, 100))
    convs = [layer for layer in model if isinstance(layer, nn.Conv2d)]
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    assert [c.weight.shape for c in convs] == [(16, 3, 5, 5), (32, 16, 3, 3)]
    # By hand: (100 − 4) / 2 = 48, (48 − 2) / 2 = 23, so 32·23·23 features reach linear.
    assert [(l.in_features, l.out_features) for l in linears] == [(32 * 23 * 23, 256), (256, 10)]
    assert model(np.zeros((2, 3, 100, 100))).shape == (2, 10)


def test_names_in_any_case_aliases_keywords_and_commas():
    model = build("Conv2d(8, 3, padding=same), BatchNorm, MaxPool2d(2, stride=2), "
                  "Dropout2d(0.1), flatten, dense(32), batchnorm, LeakyReLU(0.2), "
                  "Linear(4), softmax(axis=1)", (1, 28, 28))
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Conv2d", "BatchNorm2d", "MaxPool2d", "Dropout2d", "Flatten", "Linear",
                     "BatchNorm1d", "LeakyReLU", "Linear", "Softmax"]
    assert model[0].padding == "same" and model[1].num_features == 8
    assert model[5].in_features == 8 * 14 * 14 and model[6].num_features == 32
    assert model[7].negative_slope == 0.2 and model[9].dim == 1


def test_a_built_model_is_fresh_and_in_training_mode():
    model = build("conv(4, 3) batchnorm dropout(0.5) flatten", (2, 5, 5))
    assert all(layer.training for layer in model)
    # The zero input that found the sizes ran at inference: the statistics are as new.
    np.testing.assert_array_equal(model[1].running_mean, np.zeros(4))
    np.testing.assert_array_equal(model[1].running_var, np.ones(4))


@pytest.mark.parametrize("spec, says", [
    ("", "has no layers"),
    ("conv16k5", "unknown layer 'conv16k5' at column 1"),
    ("relu conv(16, 5", "column 10"),
    ("conv(16, (3, 3))", "this bracket is not closed, or holds another bracket"),
    ("relu; relu", "column 5"),
    ("conv(16)", "layer 1, 'conv(16)': missing a required argument: 'kernel_size'; "
                 "write conv(out_channels, kernel_size, stride=1, padding=0)"),
    ("relu(2)", "too many positional arguments; write relu"),
    ("conv(16, 3, strde=2)", "unexpected keyword argument 'strde'"),
    ("conv(16, kernel_size=3, 1)", "'1' comes after a keyword argument"),
    ("conv(16, 3 3)", "'3 3' is not a number or a word"),
    ("flatten linear(10) conv(4, 3)", "layer 3, 'conv(4, 3)', on input 10: needs images"),
    ("linear(10)", "put flatten before it"),
    ("maxpool(200)", "window is larger than"),
])
def test_mistakes_name_the_layer_and_what_it_takes(spec, says):
    with pytest.raises(ValueError) as error:
        build(spec, (3, 32, 32))
    assert says in str(error.value)


def test_usage_lists_every_layer_with_its_arguments():
    usage = layer_usage()
    assert "conv(out_channels, kernel_size, stride=1, padding=0)  also conv2d" in usage
    assert "linear(out_features)" in usage and "dropout(p=0.5)" in usage
    names = {line.split("(")[0].split()[0] for line in usage.splitlines()}
    assert names >= {"conv", "linear", "batchnorm", "maxpool", "avgpool", "flatten", "relu",
                     "sigmoid", "tanh", "softmax"}
