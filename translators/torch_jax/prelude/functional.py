"""torch functions with torch semantics, in jax."""

import collections
import math

import jax
import jax.numpy as jnp
from jax import lax

from .core import _tuple


def torch_conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch convNd: NC(D)HW input, O I/groups (D)HW weight, symmetric or 'same'/'valid' padding."""
    n = weight.ndim - 2
    spatial = "DHW"[3 - n:]
    if isinstance(padding, str):
        pad = padding.upper()
        if pad == "SAME":
            pad = []
            for k, d in zip(weight.shape[2:], _tuple(dilation, n)):
                total = d * (k - 1)
                pad.append((total // 2, total - total // 2))
    else:
        pad = [(q, q) for q in _tuple(padding, n)]
    y = lax.conv_general_dilated(x, weight, _tuple(stride, n), pad, rhs_dilation=_tuple(dilation, n),
                                 dimension_numbers=("NC" + spatial, "OI" + spatial, "NC" + spatial),
                                 feature_group_count=groups)
    if bias is not None:
        y = y + bias.reshape((1, -1) + (1,) * n)
    return y


def torch_conv_transpose(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """torch conv_transposeNd: weight (in, out/groups, k...) becomes a flipped, per-group transposed
    kernel of a convolution over the stride-dilated input."""
    n = weight.ndim - 2
    spatial = "DHW"[3 - n:]
    cin, cout_g = weight.shape[0], weight.shape[1]
    k = weight.shape[2:]
    w = weight.reshape((groups, cin // groups, cout_g) + k)
    w = jnp.swapaxes(w, 1, 2).reshape((groups * cout_g, cin // groups) + k)
    w = jnp.flip(w, axis=tuple(range(2, 2 + n)))
    stride, padding = _tuple(stride, n), _tuple(padding, n)
    output_padding, dilation = _tuple(output_padding, n), _tuple(dilation, n)
    pad = [(d * (kk - 1) - q, d * (kk - 1) - q + op) for kk, q, op, d in zip(k, padding, output_padding, dilation)]
    y = lax.conv_general_dilated(x, w, (1,) * n, pad, lhs_dilation=stride, rhs_dilation=dilation,
                                 dimension_numbers=("NC" + spatial, "OI" + spatial, "NC" + spatial),
                                 feature_group_count=groups)
    if bias is not None:
        y = y + bias.reshape((1, -1) + (1,) * n)
    return y


def _pool_padding(size, kernel, stride, padding, dilation, ceil_mode):
    """(low, high) padding per spatial dim, torch's output-size rule included (ceil_mode)."""
    pads = []
    for length, k, s, q, d in zip(size, kernel, stride, padding, dilation):
        span = d * (k - 1) + 1
        if ceil_mode:
            out = -(-(length + 2 * q - span) // s) + 1
            if (out - 1) * s >= length + q:  # the last window must start inside the input
                out -= 1
        else:
            out = (length + 2 * q - span) // s + 1
        high = (out - 1) * s + span - length - q
        pads.append((q, max(high, q)))
    return pads


def torch_max_pool(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False, n=2):
    kernel = _tuple(kernel_size, n)
    stride = _tuple(kernel_size if stride is None else stride, n)
    pads = _pool_padding(x.shape[2:], kernel, stride, _tuple(padding, n), _tuple(dilation, n), ceil_mode)
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1) + kernel, (1, 1) + stride, [(0, 0), (0, 0)] + pads,
                             window_dilation=(1, 1) + _tuple(dilation, n))


def torch_avg_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             divisor_override=None, n=2):
    kernel = _tuple(kernel_size, n)
    stride = _tuple(kernel_size if stride is None else stride, n)
    padding = _tuple(padding, n)
    pads = _pool_padding(x.shape[2:], kernel, stride, padding, (1,) * n, ceil_mode)
    window, strides = (1, 1) + kernel, (1, 1) + stride
    total = lax.reduce_window(x, 0.0, lax.add, window, strides, [(0, 0), (0, 0)] + pads)
    if divisor_override:
        return total / divisor_override
    # The divisor counts explicit padding (count_include_pad) but never the ceil-mode overhang.
    ones = jnp.ones(x.shape[2:], x.dtype)
    if count_include_pad:
        ones = jnp.pad(ones, [(q, q) for q in padding], constant_values=1)
        extra = [(lo - q, hi - q) for (lo, hi), q in zip(pads, padding)]
    else:
        extra = pads
    count = lax.reduce_window(ones, 0.0, lax.add, kernel, stride, extra)
    return total / count


def torch_adaptive_avg_pool(x, output_size, n=2):
    """torch adaptive_avg_poolNd: window i spans [floor(i*L/out), ceil((i+1)*L/out))."""
    size = x.shape[-n:]
    output_size = tuple(s if o is None else o for o, s in zip(_tuple(output_size, n), size))
    for axis, (length, out) in enumerate(zip(size, output_size)):
        axis = x.ndim - n + axis
        pieces = [jnp.mean(lax.slice_in_dim(x, (i * length) // out, -(-((i + 1) * length) // out), axis=axis),
                           axis=axis, keepdims=True) for i in range(out)]
        x = jnp.concatenate(pieces, axis=axis)
    return x


def torch_adaptive_max_pool(x, output_size, n=2):
    size = x.shape[-n:]
    output_size = tuple(s if o is None else o for o, s in zip(_tuple(output_size, n), size))
    for axis, (length, out) in enumerate(zip(size, output_size)):
        axis = x.ndim - n + axis
        pieces = [jnp.max(lax.slice_in_dim(x, (i * length) // out, -(-((i + 1) * length) // out), axis=axis),
                          axis=axis, keepdims=True) for i in range(out)]
        x = jnp.concatenate(pieces, axis=axis)
    return x


def torch_batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Functional batch norm; in training it also returns the updated running statistics."""
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if training or running_mean is None:
        mean, var = jnp.mean(x, axis=axes), jnp.var(x, axis=axes)
    else:
        mean, var = running_mean, running_var
    y = (x - mean.reshape(shape)) / jnp.sqrt(var.reshape(shape) + eps)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y, mean, var


def torch_layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    axes = tuple(range(x.ndim - len(_tuple(normalized_shape, 1)), x.ndim))
    mean = jnp.mean(x, axis=axes, keepdims=True)
    var = jnp.var(x, axis=axes, keepdims=True)
    y = (x - mean) / jnp.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def torch_group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    n, c = x.shape[:2]
    g = x.reshape(n, num_groups, -1)
    mean = jnp.mean(g, axis=-1, keepdims=True)
    var = jnp.var(g, axis=-1, keepdims=True)
    y = ((g - mean) / jnp.sqrt(var + eps)).reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def torch_instance_norm(x, weight=None, bias=None, eps=1e-5):
    axes = tuple(range(2, x.ndim))
    mean = jnp.mean(x, axis=axes, keepdims=True)
    var = jnp.var(x, axis=axes, keepdims=True)
    y = (x - mean) / jnp.sqrt(var + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def torch_normalize(x, p=2.0, dim=1, eps=1e-12):
    norm = jnp.sum(jnp.abs(x) ** p, axis=dim, keepdims=True) ** (1.0 / p)
    return x / jnp.maximum(norm, eps)


def torch_norm(x, p="fro", dim=None, keepdim=False):
    """torch.norm: Frobenius / 2-norm by default, else the p-norm over dim."""
    if p in ("fro", 2, 2.0):
        return jnp.sqrt(jnp.sum(x * x, axis=dim, keepdims=keepdim))
    if p in (math.inf, float("inf")):
        return jnp.max(jnp.abs(x), axis=dim, keepdims=keepdim)
    return jnp.sum(jnp.abs(x) ** p, axis=dim, keepdims=keepdim) ** (1.0 / p)


def torch_var(x, dim=None, correction=1, keepdim=False):
    """torch.var: unbiased (correction=1) unless told otherwise."""
    return jnp.var(x, axis=dim, ddof=correction, keepdims=keepdim)


def torch_std(x, dim=None, correction=1, keepdim=False):
    """torch.std: unbiased (correction=1) unless told otherwise."""
    return jnp.std(x, axis=dim, ddof=correction, keepdims=keepdim)


class ValuesIndices(collections.namedtuple("ValuesIndices", "values indices")):
    """torch.max/min over a dimension: (values, indices), by position or by name."""


def torch_max(x, dim=None, keepdim=False):
    """torch.max: the maximum; with an int dim, (values, indices); with a tensor, elementwise."""
    if dim is None:
        return jnp.max(x)
    if not isinstance(dim, int):
        return jnp.maximum(x, dim)
    return ValuesIndices(jnp.max(x, axis=dim, keepdims=keepdim), jnp.argmax(x, axis=dim, keepdims=keepdim))


def torch_min(x, dim=None, keepdim=False):
    """torch.min: the minimum; with an int dim, (values, indices); with a tensor, elementwise."""
    if dim is None:
        return jnp.min(x)
    if not isinstance(dim, int):
        return jnp.minimum(x, dim)
    return ValuesIndices(jnp.min(x, axis=dim, keepdims=keepdim), jnp.argmin(x, axis=dim, keepdims=keepdim))


def torch_div(a, b, rounding_mode=None):
    """torch.div: true division, or 'trunc' (toward zero) / 'floor' rounding."""
    if rounding_mode is None:
        return jnp.true_divide(a, b)
    if rounding_mode == "floor":
        return jnp.floor_divide(a, b)
    a, b = jnp.asarray(a), jnp.asarray(b)
    if jnp.issubdtype(a.dtype, jnp.integer) and jnp.issubdtype(b.dtype, jnp.integer):
        a, b = jnp.broadcast_arrays(*jnp.broadcast_arrays(a, b))
        return lax.div(a, b.astype(a.dtype))
    return jnp.trunc(a / b)


def torch_fmod(a, b):
    """torch.fmod: the remainder takes the dividend's sign (C fmod), unlike %."""
    a, b = jnp.asarray(a), jnp.asarray(b)
    if jnp.issubdtype(a.dtype, jnp.integer) and jnp.issubdtype(b.dtype, jnp.integer):
        a, b = jnp.broadcast_arrays(a, b)
        return lax.rem(a, b.astype(a.dtype))
    return jnp.fmod(a, b)


def torch_flatten(x, start_dim=0, end_dim=-1):
    start, end = start_dim % max(x.ndim, 1), end_dim % max(x.ndim, 1)
    return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])


def torch_unflatten(x, dim, sizes):
    dim = dim % x.ndim
    return x.reshape(x.shape[:dim] + tuple(sizes) + x.shape[dim + 1:])


def torch_squeeze(x, dim=None):
    """torch.squeeze: dims of size other than 1 are left alone (jnp.squeeze would raise)."""
    if dim is None:
        return jnp.squeeze(x)
    dims = tuple(d % x.ndim for d in _tuple(dim, 1) if x.shape[d] == 1)
    return jnp.squeeze(x, axis=dims) if dims else x


def torch_expand(x, *sizes):
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    lead = len(sizes) - x.ndim
    shape = tuple(x.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    return jnp.broadcast_to(x, shape)


def torch_repeat(x, *sizes):
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    return jnp.tile(x.reshape((1,) * (len(sizes) - x.ndim) + x.shape), sizes)


def torch_chunk(x, chunks, dim=0):
    size = -(-x.shape[dim] // chunks)
    return tuple(lax.slice_in_dim(x, s, min(s + size, x.shape[dim]), axis=dim) for s in range(0, x.shape[dim], size))


def torch_split(x, split_size_or_sections, dim=0):
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        return tuple(lax.slice_in_dim(x, s, min(s + size, x.shape[dim]), axis=dim)
                     for s in range(0, x.shape[dim], size))
    out, start = [], 0
    for size in split_size_or_sections:
        out.append(lax.slice_in_dim(x, start, start + size, axis=dim))
        start += size
    return tuple(out)


def torch_narrow(x, dim, start, length):
    return lax.slice_in_dim(x, start, start + length, axis=dim)


def torch_select(x, dim, index):
    return jnp.take(x, index, axis=dim)


def torch_pad(x, pad, mode="constant", value=0.0):
    """F.pad: pairs from the last dimension backwards."""
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if mode == "constant":
        return jnp.pad(x, widths, constant_values=value)
    return jnp.pad(x, widths, mode={"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode])


def torch_softmax(x, dim=None):
    return jax.nn.softmax(x, axis=dim)


def torch_log_softmax(x, dim=None):
    return jax.nn.log_softmax(x, axis=dim)


def torch_gelu(x, approximate="none"):
    """torch's GELU is exact (erf) unless approximate='tanh'; jax.nn.gelu defaults to tanh."""
    return jax.nn.gelu(x, approximate=approximate == "tanh")


def torch_hardtanh(x, min_val=-1.0, max_val=1.0):
    return jnp.clip(x, min_val, max_val)


def torch_softplus(x, beta=1.0, threshold=20.0):
    return jnp.where(x * beta > threshold, x, jnp.logaddexp(x * beta, 0.0) / beta)


def torch_mish(x):
    return x * jnp.tanh(torch_softplus(x))


def torch_hardsigmoid(x):
    return jnp.clip(x / 6.0 + 0.5, 0.0, 1.0)


def torch_hardswish(x):
    return x * jnp.clip(x + 3.0, 0.0, 6.0) / 6.0


def torch_elu(x, alpha=1.0):
    return jnp.where(x > 0, x, alpha * jnp.expm1(jnp.minimum(x, 0.0)))


def torch_leaky_relu(x, negative_slope=0.01):
    return jnp.where(x >= 0, x, negative_slope * x)


def torch_softsign(x):
    return x / (1 + jnp.abs(x))


def _reduce(loss, reduction):
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def torch_mse_loss(input, target, reduction="mean"):
    return _reduce((input - target) ** 2, reduction)


def torch_l1_loss(input, target, reduction="mean"):
    return _reduce(jnp.abs(input - target), reduction)


def torch_smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    diff = jnp.abs(input - target)
    loss = jnp.where(diff < beta, 0.5 * diff ** 2 / beta, diff - 0.5 * beta) if beta > 0 else diff
    return _reduce(loss, reduction)


def torch_huber_loss(input, target, reduction="mean", delta=1.0):
    diff = jnp.abs(input - target)
    return _reduce(jnp.where(diff < delta, 0.5 * diff ** 2, delta * (diff - 0.5 * delta)), reduction)


def torch_cross_entropy(input, target, weight=None, reduction="mean", label_smoothing=0.0):
    """Class indices in dimension 1 (or the last of 2-D input), optional weights and smoothing."""
    logp = jax.nn.log_softmax(input, axis=1)
    classes = input.shape[1]
    picked = jnp.take_along_axis(logp, jnp.expand_dims(target, 1).astype(jnp.int32), axis=1).squeeze(1)
    w = jnp.ones((classes,), input.dtype) if weight is None else weight
    wt = w[target]
    loss = -(1.0 - label_smoothing) * picked * wt
    if label_smoothing:
        wshape = (1, classes) + (1,) * (input.ndim - 2)
        loss = loss - label_smoothing / classes * jnp.sum(logp * w.reshape(wshape), axis=1)
    if reduction == "mean":
        return jnp.sum(loss) / jnp.sum(wt)
    return _reduce(loss, reduction)


def torch_nll_loss(input, target, weight=None, reduction="mean"):
    picked = jnp.take_along_axis(input, jnp.expand_dims(target, 1).astype(jnp.int32), axis=1).squeeze(1)
    wt = jnp.ones_like(picked) if weight is None else weight[target]
    if reduction == "mean":
        return -jnp.sum(picked * wt) / jnp.sum(wt)
    return _reduce(-picked * wt, reduction)


def torch_kl_div(input, target, reduction="mean", log_target=False):
    if log_target:
        loss = jnp.exp(target) * (target - input)
    else:
        loss = jnp.where(target > 0, target * (jnp.log(jnp.where(target > 0, target, 1.0)) - input), 0.0)
    if reduction == "batchmean":
        return jnp.sum(loss) / input.shape[0]
    return _reduce(loss, reduction)


def torch_binary_cross_entropy(input, target, weight=None, reduction="mean"):
    loss = -(target * jnp.maximum(jnp.log(input), -100.0) + (1 - target) * jnp.maximum(jnp.log1p(-input), -100.0))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def torch_binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    log_sig, log_one_minus = jax.nn.log_sigmoid(input), jax.nn.log_sigmoid(-input)
    pw = 1.0 if pos_weight is None else pos_weight
    loss = -(pw * target * log_sig + (1 - target) * log_one_minus)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def torch_pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    return jnp.sum(jnp.abs(x1 - x2 + eps) ** p, axis=-1, keepdims=keepdim) ** (1.0 / p)


def torch_triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction="mean"):
    d_pos = torch_pairwise_distance(anchor, positive, p, eps)
    d_neg = torch_pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = jnp.minimum(d_neg, torch_pairwise_distance(positive, negative, p, eps))
    return _reduce(jnp.maximum(margin + d_pos - d_neg, 0.0), reduction)


def torch_cosine_similarity(x1, x2, dim=1, eps=1e-8):
    n1 = jnp.sqrt(jnp.sum(x1 * x1, axis=dim))
    n2 = jnp.sqrt(jnp.sum(x2 * x2, axis=dim))
    return jnp.sum(x1 * x2, axis=dim) / (jnp.maximum(n1, eps) * jnp.maximum(n2, eps))


def torch_hinge_embedding_loss(input, target, margin=1.0, reduction="mean"):
    loss = jnp.where(target == 1, input, jnp.maximum(0.0, margin - input))
    return _reduce(loss, reduction)


def torch_margin_ranking_loss(input1, input2, target, margin=0.0, reduction="mean"):
    return _reduce(jnp.maximum(0.0, -target * (input1 - input2) + margin), reduction)


def torch_scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = jnp.matmul(query, jnp.swapaxes(key, -1, -2)) * scale
    if is_causal:
        length, source = query.shape[-2], key.shape[-2]
        scores = jnp.where(jnp.tril(jnp.ones((length, source), bool)), scores, -jnp.inf)
    if attn_mask is not None:
        scores = jnp.where(attn_mask, scores, -jnp.inf) if attn_mask.dtype == jnp.bool_ else scores + attn_mask
    return jnp.matmul(jax.nn.softmax(scores, axis=-1), value)


def torch_embedding(indices, weight):
    return jnp.take(weight, indices, axis=0)


def torch_one_hot(x, num_classes=-1):
    return jax.nn.one_hot(x, num_classes, dtype=jnp.int32)
