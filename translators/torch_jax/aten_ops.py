"""ATen operations (as torch.export + run_decompositions({}) leaves them) mapped to JAX
expressions.  Each entry takes the node's arguments by schema name, already rendered as Python
source, and returns an expression; torch semantics come from the prelude's torch_* helpers."""

from __future__ import annotations


def _get(a: dict, name: str, default: str = "None") -> str:
    value = a.get(name)
    return default if value is None else value


def _binary(op: str):
    def render(a: dict) -> str:
        other = a.get("other")
        alpha = a.get("alpha")
        if alpha not in (None, "1"):
            other = f"{alpha} * {other}"
        return f"{a['self']} {op} {other}"
    return render


def _reduce(function: str):
    def render(a: dict) -> str:
        dim = a.get("dim")
        axis = f", axis=tuple({dim})" if dim not in (None, "None", "[]") else ""
        keep = f", keepdims={a['keepdim']}" if a.get("keepdim") not in (None, "False") else ""
        return f"{function}({a['self']}{axis}{keep})"
    return render


def _unary(function: str):
    return lambda a: f"{function}({a['self']})"


def _logit(a: dict) -> str:
    eps = a.get("eps")
    inner = a["self"] if eps in (None, "None") else f"jnp.clip({a['self']}, {eps}, 1 - {eps})"
    return f"(lambda z: jnp.log(z / (1 - z)))({inner})"


def _convolution(a: dict) -> str:
    args = f"{a['input']}, {a['weight']}, {_get(a, 'bias')}"
    if a.get("transposed") == "True":
        return (f"torch_conv_transpose({args}, {a['stride']}, {a['padding']}, {a['output_padding']}, "
                f"{a['groups']}, {a['dilation']})")
    return f"torch_conv({args}, {a['stride']}, {a['padding']}, {a['dilation']}, {a['groups']})"


def _conv(a: dict) -> str:
    return (f"torch_conv({a['input']}, {a['weight']}, {_get(a, 'bias')}, {_get(a, 'stride', '1')}, "
            f"{_get(a, 'padding', '0')}, {_get(a, 'dilation', '1')}, {_get(a, 'groups', '1')})")


def _slice(a: dict) -> str:
    dim = _get(a, "dim", "0")
    start, end, step = _get(a, "start"), _get(a, "end"), _get(a, "step", "1")
    return f"{a['self']}[(slice(None),) * ({dim} % {a['self']}.ndim) + (slice({start}, {end}, {step}),)]"


OPS = {
    "linear": lambda a: f"{a['input']} @ {a['weight']}.T" + (f" + {a['bias']}" if a.get("bias") not in (None, "None")
                                                           else ""),
    "addmm": lambda a: f"{a['self']} + {a['mat1']} @ {a['mat2']}",
    "mm": lambda a: f"{a['self']} @ {a['mat2']}",
    "bmm": lambda a: f"jnp.matmul({a['self']}, {a['mat2']})",
    "matmul": lambda a: f"jnp.matmul({a['self']}, {a['other']})",
    "t": lambda a: f"{a['self']}.T",
    "permute": lambda a: f"jnp.transpose({a['self']}, {a['dims']})",
    "transpose": lambda a: f"jnp.swapaxes({a['self']}, {a['dim0']}, {a['dim1']})",
    "view": lambda a: f"jnp.reshape({a['self']}, {a['size']})",
    "_unsafe_view": lambda a: f"jnp.reshape({a['self']}, {a['size']})",
    "reshape": lambda a: f"jnp.reshape({a['self']}, {a['shape']})",
    "flatten": lambda a: f"torch_flatten({a['self']}, {_get(a, 'start_dim', '0')}, {_get(a, 'end_dim', '-1')})",
    "expand": lambda a: f"torch_expand({a['self']}, *{a['size']})",
    "unsqueeze": lambda a: f"jnp.expand_dims({a['self']}, {a['dim']})",
    "squeeze": lambda a: f"torch_squeeze({a['self']}, {_get(a, 'dim')})" if "dim" in a
                         else f"torch_squeeze({a['self']}, {_get(a, 'dims')})" if "dims" in a
                         else f"torch_squeeze({a['self']})",
    "clone": lambda a: a["self"], "contiguous": lambda a: a["self"], "alias": lambda a: a["self"],
    "detach": lambda a: a["self"], "lift_fresh_copy": lambda a: a["self"],
    "dropout": lambda a: a["input"],
    "_to_copy": lambda a: f"{a['self']}.astype(jnp.{a['dtype']})" if a.get("dtype") not in (None, "None")
                          else a["self"],
    "to": lambda a: f"{a['self']}.astype(jnp.{a['dtype']})" if a.get("dtype") not in (None, "None") else a["self"],
    "add": _binary("+"), "sub": _binary("-"), "mul": _binary("*"),
    "div": lambda a: (f"torch_div({a['self']}, {a['other']}, {a['rounding_mode']})"
                      if a.get("rounding_mode") not in (None, "None") else f"{a['self']} / {a['other']}"),
    "rsub": lambda a: f"{a['other']} - " + (f"{a['alpha']} * " if a.get("alpha") not in (None, "1") else "")
                      + a["self"],
    "pow": lambda a: f"jnp.power({a['self']}, {a['exponent']})",
    "neg": lambda a: f"-{a['self']}",
    "abs": _unary("jnp.abs"), "exp": _unary("jnp.exp"), "log": _unary("jnp.log"), "log1p": _unary("jnp.log1p"),
    "expm1": _unary("jnp.expm1"), "sqrt": _unary("jnp.sqrt"), "rsqrt": _unary("lax.rsqrt"),
    "sin": _unary("jnp.sin"), "cos": _unary("jnp.cos"), "tanh": _unary("jnp.tanh"),
    "sigmoid": _unary("jax.nn.sigmoid"), "relu": _unary("jax.nn.relu"), "erf": _unary("lax.erf"),
    "floor": _unary("jnp.floor"), "ceil": _unary("jnp.ceil"), "round": _unary("jnp.round"),
    "sign": _unary("jnp.sign"), "reciprocal": _unary("jnp.reciprocal"), "silu": _unary("jax.nn.silu"),
    "logical_not": _unary("jnp.logical_not"), "trunc": _unary("jnp.trunc"),
    "mish": _unary("torch_mish"), "hardsigmoid": _unary("torch_hardsigmoid"), "hardswish": _unary("torch_hardswish"),
    "logit": _logit,
    "addcmul": lambda a: f"{a['self']} + {_get(a, 'value', '1')} * {a['tensor1']} * {a['tensor2']}",
    "addcdiv": lambda a: f"{a['self']} + {_get(a, 'value', '1')} * {a['tensor1']} / {a['tensor2']}",
    "logaddexp": lambda a: f"jnp.logaddexp({a['self']}, {a['other']})",
    "copysign": lambda a: f"jnp.copysign({a['self']}, {a['other']})",
    "minimum": lambda a: f"jnp.minimum({a['self']}, {a['other']})",
    "maximum": lambda a: f"jnp.maximum({a['self']}, {a['other']})",
    "clamp": lambda a: f"jnp.clip({a['self']}, {_get(a, 'min')}, {_get(a, 'max')})",
    "clamp_min": lambda a: f"jnp.maximum({a['self']}, {a['min']})",
    "clamp_max": lambda a: f"jnp.minimum({a['self']}, {a['max']})",
    "where": lambda a: f"jnp.where({a['condition']}, {a['self']}, {a['other']})",
    "eq": _binary("=="), "ne": _binary("!="), "lt": _binary("<"), "le": _binary("<="), "gt": _binary(">"),
    "ge": _binary(">="),
    "logical_and": lambda a: f"jnp.logical_and({a['self']}, {a['other']})",
    "logical_or": lambda a: f"jnp.logical_or({a['self']}, {a['other']})",
    "gelu": lambda a: f"torch_gelu({a['self']}, {_get(a, 'approximate', repr('none'))})",
    "hardtanh": lambda a: f"torch_hardtanh({a['self']}, {_get(a, 'min_val', '-1.0')}, {_get(a, 'max_val', '1.0')})",
    "leaky_relu": lambda a: f"torch_leaky_relu({a['self']}, {_get(a, 'negative_slope', '0.01')})",
    "elu": lambda a: f"torch_elu({a['self']}, {_get(a, 'alpha', '1.0')})",
    "softplus": lambda a: f"torch_softplus({a['self']}, {_get(a, 'beta', '1.0')}, {_get(a, 'threshold', '20.0')})",
    "sum": _reduce("jnp.sum"), "mean": _reduce("jnp.mean"), "amax": _reduce("jnp.max"), "amin": _reduce("jnp.min"),
    "prod": lambda a: f"jnp.prod({a['self']}" + (f", axis={a['dim']}" if a.get("dim") not in (None, "None") else "")
                      + (f", keepdims={a['keepdim']}" if a.get("keepdim") not in (None, "False") else "") + ")",
    "var": lambda a: f"torch_var({a['self']}, {_get(a, 'dim')}, {_get(a, 'correction', '1')}, "
                     f"{_get(a, 'keepdim', 'False')})",
    "std": lambda a: f"torch_std({a['self']}, {_get(a, 'dim')}, {_get(a, 'correction', '1')}, "
                     f"{_get(a, 'keepdim', 'False')})",
    "max": lambda a: f"torch_max({a['self']}, {_get(a, 'dim')}, {_get(a, 'keepdim', 'False')})" if "dim" in a
                     else f"jnp.max({a['self']})",
    "min": lambda a: f"torch_min({a['self']}, {_get(a, 'dim')}, {_get(a, 'keepdim', 'False')})" if "dim" in a
                     else f"jnp.min({a['self']})",
    "argmax": lambda a: f"jnp.argmax({a['self']}, axis={_get(a, 'dim')}, keepdims={_get(a, 'keepdim', 'False')})",
    "argmin": lambda a: f"jnp.argmin({a['self']}, axis={_get(a, 'dim')}, keepdims={_get(a, 'keepdim', 'False')})",
    "cumsum": lambda a: f"jnp.cumsum({a['self']}, axis={a['dim']})",
    "_softmax": lambda a: f"jax.nn.softmax({a['self']}, axis={a['dim']})",
    "softmax": lambda a: f"jax.nn.softmax({a['self']}, axis={a['dim']})",
    "_log_softmax": lambda a: f"jax.nn.log_softmax({a['self']}, axis={a['dim']})",
    "log_softmax": lambda a: f"jax.nn.log_softmax({a['self']}, axis={a['dim']})",
    "logsumexp": lambda a: f"jax.nn.logsumexp({a['self']}, axis=tuple({a['dim']}), "
                           f"keepdims={_get(a, 'keepdim', 'False')})",
    "cat": lambda a: f"jnp.concatenate({a['tensors']}, axis={_get(a, 'dim', '0')})",
    "stack": lambda a: f"jnp.stack({a['tensors']}, axis={_get(a, 'dim', '0')})",
    "convolution": _convolution, "conv1d": _conv, "conv2d": _conv, "conv3d": _conv,
    "group_norm": lambda a: f"torch_group_norm({a['input']}, {a['num_groups']}, {_get(a, 'weight')}, "
                            f"{_get(a, 'bias')}, {_get(a, 'eps', '1e-05')})",
    "layer_norm": lambda a: f"torch_layer_norm({a['input']}, {a['normalized_shape']}, {_get(a, 'weight')}, "
                            f"{_get(a, 'bias')}, {_get(a, 'eps', '1e-05')})",
    "batch_norm": lambda a: f"torch_batch_norm({a['input']}, {a['running_mean']}, {a['running_var']}, "
                            f"{_get(a, 'weight')}, {_get(a, 'bias')}, False, {a['momentum']}, {a['eps']})",
    "_native_batch_norm_legit_no_training":
        lambda a: f"(torch_batch_norm({a['input']}, {a['running_mean']}, {a['running_var']}, {_get(a, 'weight')}, "
                  f"{_get(a, 'bias')}, False, {a['momentum']}, {a['eps']}),)",
    "max_pool2d": lambda a: f"torch_max_pool({a['self']}, {a['kernel_size']}, {_get(a, 'stride')} or None, "
                            f"{_get(a, 'padding', '0')}, {_get(a, 'dilation', '1')}, {_get(a, 'ceil_mode', 'False')})",
    "avg_pool2d": lambda a: f"torch_avg_pool({a['self']}, {a['kernel_size']}, {_get(a, 'stride')} or None, "
                            f"{_get(a, 'padding', '0')}, {_get(a, 'ceil_mode', 'False')}, "
                            f"{_get(a, 'count_include_pad', 'True')})",
    "adaptive_avg_pool2d": lambda a: f"torch_adaptive_avg_pool({a['self']}, {a['output_size']}, n=2)",
    "slice": _slice,
    "select": lambda a: f"torch_select({a['self']}, {a['dim']}, {a['index']})",
    "embedding": lambda a: f"torch_embedding({a['indices']}, {a['weight']})",
    "full": lambda a: f"jnp.full({a['size']}, {a['fill_value']}" + (f", dtype=jnp.{a['dtype']}"
                                                                    if a.get("dtype") not in (None, "None") else "") + ")",
    "scaled_dot_product_attention":
        lambda a: f"torch_scaled_dot_product_attention({a['query']}, {a['key']}, {a['value']}, "
                  f"{_get(a, 'attn_mask')}, 0.0, {_get(a, 'is_causal', 'False')}, {_get(a, 'scale')})",
}


def op_name(target: str) -> str:
    """'aten.add.Tensor' -> 'add'."""
    parts = target.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "aten" else target
