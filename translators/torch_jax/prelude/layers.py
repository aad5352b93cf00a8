"""nn.* layers: the same constructor arguments as torch."""

import math

import jax
import jax.numpy as jnp

from .core import Module, _tuple
from .functional import (  # noqa: F401  (the layers call these torch_* functions)
    torch_adaptive_avg_pool, torch_adaptive_max_pool, torch_avg_pool, torch_batch_norm,
    torch_binary_cross_entropy, torch_binary_cross_entropy_with_logits, torch_conv, torch_conv_transpose,
    torch_cosine_similarity, torch_cross_entropy, torch_elu, torch_flatten,
    torch_gelu, torch_group_norm, torch_hardsigmoid, torch_hardswish,
    torch_hardtanh, torch_hinge_embedding_loss, torch_huber_loss, torch_instance_norm,
    torch_kl_div, torch_l1_loss, torch_layer_norm, torch_leaky_relu,
    torch_log_softmax, torch_margin_ranking_loss, torch_max_pool, torch_mish,
    torch_mse_loss, torch_nll_loss, torch_smooth_l1_loss, torch_softmax,
    torch_softplus, torch_softsign, torch_triplet_margin_loss,
)


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        self.bias = bias

    def forward(self, p, x):
        y = x @ p["weight"].T
        return y + p["bias"] if self.bias else y


class Bilinear(Module):
    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None, dtype=None):
        self.bias = bias

    def forward(self, p, x1, x2):
        y = jnp.einsum("...i,oij,...j->...o", x1, p["weight"], x2)
        return y + p["bias"] if self.bias else y


class ConvNd(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.bias = bias

    def forward(self, p, x):
        return torch_conv(x, p["weight"], p["bias"] if self.bias else None, self.stride, self.padding, self.dilation,
                    self.groups)


class Conv1d(ConvNd):
    pass


class Conv2d(ConvNd):
    pass


class Conv3d(ConvNd):
    pass


class ConvTransposeNd(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        self.stride, self.padding, self.output_padding = stride, padding, output_padding
        self.groups, self.dilation, self.bias = groups, dilation, bias

    def forward(self, p, x):
        return torch_conv_transpose(x, p["weight"], p["bias"] if self.bias else None, self.stride, self.padding,
                              self.output_padding, self.groups, self.dilation)


class ConvTranspose1d(ConvTransposeNd):
    pass


class ConvTranspose2d(ConvTransposeNd):
    pass


class ConvTranspose3d(ConvTransposeNd):
    pass


class BatchNormNd(Module):
    """Eval: the running statistics.  Train: batch statistics, and the running statistics are
    updated (unbiased variance, momentum; momentum=None is a cumulative average)."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):
        self.eps, self.momentum, self.affine, self.track = eps, momentum, affine, track_running_stats

    def forward(self, p, x):
        weight, bias = (p["weight"], p["bias"]) if self.affine else (None, None)
        training = p.training or not self.track
        mean, var = (p["running_mean"], p["running_var"]) if self.track else (None, None)
        y, batch_mean, batch_var = torch_batch_norm(x, mean, var, weight, bias, training, self.momentum, self.eps)
        if p.training and self.track:
            count = x.size // x.shape[1]
            tracked = p["num_batches_tracked"] + 1
            factor = 1.0 / tracked if self.momentum is None else self.momentum
            p.update("running_mean", (1 - factor) * mean + factor * batch_mean)
            p.update("running_var", (1 - factor) * var + factor * batch_var * count / max(count - 1, 1))
            p.update("num_batches_tracked", tracked)
        return y


class BatchNorm1d(BatchNormNd):
    pass


class BatchNorm2d(BatchNormNd):
    pass


class BatchNorm3d(BatchNormNd):
    pass


class InstanceNormNd(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False,
                 device=None, dtype=None):
        self.eps, self.affine = eps, affine

    def forward(self, p, x):
        if self.affine:
            return torch_instance_norm(x, p["weight"], p["bias"], self.eps)
        return torch_instance_norm(x, eps=self.eps)


class InstanceNorm1d(InstanceNormNd):
    pass


class InstanceNorm2d(InstanceNormNd):
    pass


class InstanceNorm3d(InstanceNormNd):
    pass


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
        self.normalized_shape, self.eps = normalized_shape, eps
        self.affine, self.bias = elementwise_affine, bias and elementwise_affine

    def forward(self, p, x):
        return torch_layer_norm(x, self.normalized_shape, p["weight"] if self.affine else None,
                          p["bias"] if self.bias else None, self.eps)


class GroupNorm(Module):
    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None):
        self.num_groups, self.eps, self.affine = num_groups, eps, affine

    def forward(self, p, x):
        if self.affine:
            return torch_group_norm(x, self.num_groups, p["weight"], p["bias"], self.eps)
        return torch_group_norm(x, self.num_groups, eps=self.eps)


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        self.normalized_shape, self.eps, self.affine = _tuple(normalized_shape, 1), eps, elementwise_affine

    def forward(self, p, x):
        axes = tuple(range(x.ndim - len(self.normalized_shape), x.ndim))
        eps = jnp.finfo(x.dtype).eps if self.eps is None else self.eps
        y = x / jnp.sqrt(jnp.mean(x * x, axis=axes, keepdims=True) + eps)
        return y * p["weight"] if self.affine else y


class Embedding(Module):
    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, device=None, dtype=None):
        pass

    def forward(self, p, x):
        return jnp.take(p["weight"], x, axis=0)


class MaxPool1d(Module):
    n = 1

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.ceil_mode = dilation, ceil_mode

    def forward(self, p, x):
        return torch_max_pool(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, n=self.n)


class MaxPool2d(MaxPool1d):
    n = 2


class MaxPool3d(MaxPool1d):
    n = 3


class AvgPool1d(Module):
    n = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, divisor_override

    def forward(self, p, x):
        return torch_avg_pool(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                        self.divisor_override, n=self.n)


class AvgPool2d(AvgPool1d):
    n = 2


class AvgPool3d(AvgPool1d):
    n = 3


class AdaptiveAvgPool1d(Module):
    n = 1

    def __init__(self, output_size):
        self.output_size = output_size

    def forward(self, p, x):
        return torch_adaptive_avg_pool(x, self.output_size, n=self.n)


class AdaptiveAvgPool2d(AdaptiveAvgPool1d):
    n = 2


class AdaptiveAvgPool3d(AdaptiveAvgPool1d):
    n = 3


class AdaptiveMaxPool1d(Module):
    n = 1

    def __init__(self, output_size, return_indices=False):
        self.output_size = output_size

    def forward(self, p, x):
        return torch_adaptive_max_pool(x, self.output_size, n=self.n)


class AdaptiveMaxPool2d(AdaptiveMaxPool1d):
    n = 2


class AdaptiveMaxPool3d(AdaptiveMaxPool1d):
    n = 3


class Activation(Module):
    """An nn.* activation: its constructor arguments are those of the function it applies."""

    def __init__(self, *args, inplace=False, **kwargs):
        self.args, self.kwargs = args, kwargs

    def forward(self, p, x):
        return self.function(x, *self.args, **self.kwargs)


class ReLU(Activation):
    function = staticmethod(jax.nn.relu)


class ReLU6(Activation):
    function = staticmethod(jax.nn.relu6)


class GELU(Activation):
    function = staticmethod(torch_gelu)


class SiLU(Activation):
    function = staticmethod(jax.nn.silu)


class Sigmoid(Activation):
    function = staticmethod(jax.nn.sigmoid)


class Tanh(Activation):
    function = staticmethod(jnp.tanh)


class Softmax(Activation):
    function = staticmethod(torch_softmax)


class LogSoftmax(Activation):
    function = staticmethod(torch_log_softmax)


class LeakyReLU(Activation):
    function = staticmethod(torch_leaky_relu)


class ELU(Activation):
    function = staticmethod(torch_elu)


class SELU(Activation):
    function = staticmethod(jax.nn.selu)


class Hardtanh(Activation):
    function = staticmethod(torch_hardtanh)


class Hardswish(Activation):
    function = staticmethod(torch_hardswish)


class Hardsigmoid(Activation):
    function = staticmethod(torch_hardsigmoid)


class Softplus(Activation):
    function = staticmethod(torch_softplus)


class Softsign(Activation):
    function = staticmethod(torch_softsign)


class Mish(Activation):
    function = staticmethod(torch_mish)


class Identity(Module):
    def __init__(self, *args, **kwargs):
        pass

    def forward(self, p, x):
        return x


class Dropout(Module):
    """Identity in eval mode (the verifier compares random ops in eval mode only)."""

    def __init__(self, p=0.5, inplace=False):
        self.rate = p

    def forward(self, p, x):
        return x


class Flatten(Module):
    def __init__(self, start_dim=1, end_dim=-1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, p, x):
        return torch_flatten(x, self.start_dim, self.end_dim)


class LSTMCell(Module):
    """Gates i, f, g, o; weights (4*hidden, in) as in torch."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        self.hidden_size, self.bias = hidden_size, bias

    def forward(self, p, x, state=None):
        if state is None:
            zeros = jnp.zeros(x.shape[:-1] + (self.hidden_size,), x.dtype)
            state = (zeros, zeros)
        h, c = state
        gates = x @ p["weight_ih"].T + h @ p["weight_hh"].T
        if self.bias:
            gates = gates + p["bias_ih"] + p["bias_hh"]
        i, f, g, o = jnp.split(gates, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        return jax.nn.sigmoid(o) * jnp.tanh(c), c


class GRUCell(Module):
    """Gates r, z, n; the reset gate multiplies the hidden part of n, as in torch."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        self.hidden_size, self.bias = hidden_size, bias

    def forward(self, p, x, h=None):
        if h is None:
            h = jnp.zeros(x.shape[:-1] + (self.hidden_size,), x.dtype)
        gi, gh = x @ p["weight_ih"].T, h @ p["weight_hh"].T
        if self.bias:
            gi, gh = gi + p["bias_ih"], gh + p["bias_hh"]
        ir, iz, in_ = jnp.split(gi, 3, axis=-1)
        hr, hz, hn = jnp.split(gh, 3, axis=-1)
        r, z = jax.nn.sigmoid(ir + hr), jax.nn.sigmoid(iz + hz)
        n = jnp.tanh(in_ + r * hn)
        return (1 - z) * n + z * h


class RNNCell(Module):
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        self.hidden_size, self.bias, self.nonlinearity = hidden_size, bias, nonlinearity

    def forward(self, p, x, h=None):
        if h is None:
            h = jnp.zeros(x.shape[:-1] + (self.hidden_size,), x.dtype)
        y = x @ p["weight_ih"].T + h @ p["weight_hh"].T
        if self.bias:
            y = y + p["bias_ih"] + p["bias_hh"]
        return jnp.tanh(y) if self.nonlinearity == "tanh" else jax.nn.relu(y)


class MultiheadAttention(Module):
    """Self- or cross-attention with one packed input projection (q, k, v of embed_dim)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
        self.embed_dim, self.num_heads, self.bias, self.batch_first = embed_dim, num_heads, bias, batch_first

    def forward(self, p, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        if not self.batch_first:
            query, key, value = (jnp.swapaxes(t, 0, 1) for t in (query, key, value))
        w, e, h = p["in_proj_weight"], self.embed_dim, self.num_heads
        b = p["in_proj_bias"] if self.bias else jnp.zeros((3 * e,), query.dtype)
        q, k, v = query @ w[:e].T + b[:e], key @ w[e:2 * e].T + b[e:2 * e], value @ w[2 * e:].T + b[2 * e:]

        def heads(t):
            return jnp.swapaxes(t.reshape(t.shape[0], t.shape[1], h, e // h), 1, 2)

        q, k, v = heads(q), heads(k), heads(v)
        scores = q @ jnp.swapaxes(k, -1, -2) / math.sqrt(e // h)
        if attn_mask is not None:
            scores = jnp.where(attn_mask, -jnp.inf, scores) if attn_mask.dtype == jnp.bool_ else scores + attn_mask
        if key_padding_mask is not None:
            scores = jnp.where(key_padding_mask[:, None, None, :], -jnp.inf, scores)
        weights = jax.nn.softmax(scores, axis=-1)
        out = jnp.swapaxes(weights @ v, 1, 2).reshape(q.shape[0], -1, e)
        out = out @ p["out_proj.weight"].T
        if self.bias:
            out = out + p["out_proj.bias"]
        if not self.batch_first:
            out = jnp.swapaxes(out, 0, 1)
        if not need_weights:
            return out, None
        return out, (weights.mean(axis=1) if average_attn_weights else weights)


class Loss(Module):
    """An nn.*Loss: constructor keywords are passed to its function."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("size_average", None)
        kwargs.pop("reduce", None)
        self.kwargs = dict(zip(self.positional, args), **kwargs)

    def forward(self, p, *inputs):
        return self.function(*inputs, **self.kwargs)


class MSELoss(Loss):
    positional, function = ("reduction",), staticmethod(torch_mse_loss)


class L1Loss(Loss):
    positional, function = ("reduction",), staticmethod(torch_l1_loss)


class SmoothL1Loss(Loss):
    positional, function = ("reduction", "beta"), staticmethod(torch_smooth_l1_loss)


class HuberLoss(Loss):
    positional, function = ("reduction", "delta"), staticmethod(torch_huber_loss)


class CrossEntropyLoss(Loss):
    positional, function = ("weight",), staticmethod(torch_cross_entropy)


class NLLLoss(Loss):
    positional, function = ("weight",), staticmethod(torch_nll_loss)


class KLDivLoss(Loss):
    positional, function = ("reduction", "log_target"), staticmethod(torch_kl_div)


class BCELoss(Loss):
    positional, function = ("weight",), staticmethod(torch_binary_cross_entropy)


class BCEWithLogitsLoss(Loss):
    positional, function = ("weight",), staticmethod(torch_binary_cross_entropy_with_logits)


class TripletMarginLoss(Loss):
    positional, function = ("margin", "p", "eps", "swap"), staticmethod(torch_triplet_margin_loss)


class HingeEmbeddingLoss(Loss):
    positional, function = ("margin",), staticmethod(torch_hinge_embedding_loss)


class MarginRankingLoss(Loss):
    positional, function = ("margin",), staticmethod(torch_margin_ranking_loss)


class CosineSimilarity(Module):
    def __init__(self, dim=1, eps=1e-8):
        self.dim, self.eps = dim, eps

    def forward(self, p, x1, x2):
        return torch_cosine_similarity(x1, x2, self.dim, self.eps)
