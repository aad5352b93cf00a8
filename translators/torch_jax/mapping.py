"""The mapping table: torch.*, F.* and tensor methods -> jax.numpy / jax.lax / jax.nn or a
torch_* helper of the prelude.

An entry is (signature, template).  The signature is torch's, as Python parameters; the call's
arguments are bound to it.  In the template, {name} is the bound argument's source (or its
default), and a [segment] is kept only when every {name} inside it was given in the call, so
defaults stay out of the translation.  A template may instead be a function of the bound
arguments (dict name -> source or None) that returns the code."""

from __future__ import annotations

DTYPES = {"float32", "float", "float64", "double", "float16", "half", "bfloat16", "int8", "int16", "int32", "int",
          "int64", "long", "uint8", "bool", "complex64", "complex128"}
DTYPE_NAMES = {"float": "float32", "double": "float64", "half": "float16", "int": "int32", "long": "int64"}


def jnp_dtype(name: str) -> str:
    return f"jnp.{DTYPE_NAMES.get(name, name)}"


def _literal(source: str | None) -> str | None:
    return source.strip("'\"") if source and source[:1] in "'\"" else None


def _ddof(args: dict) -> str:
    if args.get("correction") is not None:
        return args["correction"]
    unbiased = args.get("unbiased")
    if unbiased is None or unbiased == "True":
        return "1"
    return "0" if unbiased == "False" else f"int({unbiased})"


def _var(name: str):
    def emit(args: dict) -> str:
        dim = args.get("dim")
        if dim in ("True", "False"):  # torch.var(x, False): the unbiased flag in the dim position
            args = {**args, "unbiased": dim, "dim": None}
            dim = None
        text = f"jnp.{name}({args['input']}"
        if dim is not None:
            text += f", axis={dim}"
        text += f", ddof={_ddof(args)}"
        if args.get("keepdim") is not None:
            text += f", keepdims={args['keepdim']}"
        return text + ")"
    return emit


def _gelu(args: dict) -> str:
    mode = args.get("approximate")
    if mode is None or _literal(mode) == "none":
        return f"jax.nn.gelu({args['input']}, approximate=False)"
    if _literal(mode) == "tanh":
        return f"jax.nn.gelu({args['input']}, approximate=True)"
    return f"torch_gelu({args['input']}, {mode})"


def _div(args: dict) -> str:
    mode = args.get("rounding_mode")
    if mode is None or mode == "None":
        return f"({args['input']} / {args['other']})"
    if _literal(mode) == "floor":
        return f"jnp.floor_divide({args['input']}, {args['other']})"
    return f"torch_div({args['input']}, {args['other']}, {mode})"


def _extreme(name: str):
    def emit(args: dict) -> str:
        x, dim = args["input"], args.get("dim")
        if dim is None:
            return f"jnp.{name}({x})"
        keep = f", {args['keepdim']}" if args.get("keepdim") is not None else ""
        return f"torch_{name}({x}, {dim}{keep})"
    return emit


def _to(args: dict) -> str:
    """x.to(dtype) casts; x.to(device) is the identity on this side."""
    x, items = args["input"], [a for a in args.get("args") or () if a]
    dtype = args.get("dtype")
    for item in items:
        if item.startswith("jnp.") or item.endswith(".dtype"):
            dtype = item
    return f"{x}.astype({dtype})" if dtype else x


def _size(args: dict) -> str:
    return f"{args['input']}.shape" if args.get("dim") is None else f"{args['input']}.shape[{args['dim']}]"


def _shape_args(args: dict, key: str = "size") -> str:
    items = args.get(key) or ()
    return items[0] if len(items) == 1 else "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _creation(function: str):
    def emit(args: dict) -> str:
        shape = _shape_args(args)
        dtype = f", {args['dtype']}" if args.get("dtype") else ""
        return f"jnp.{function}({shape}{dtype})"
    return emit


def _full(args: dict) -> str:
    dtype = f", {args['dtype']}" if args.get("dtype") else ""
    return f"jnp.full({args['size']}, {args['fill_value']}{dtype})"


def _dropout(args: dict) -> str:
    return args["input"]  # identity in eval mode; random ops are compared in eval mode only


def _method_shape(name: str):
    def emit(args: dict) -> str:
        items = args.get("shape") or ()
        return f"{args['input']}.{name}({', '.join(items)})"
    return emit


def _permute(args: dict) -> str:
    items = args.get("dims") or ()
    return f"jnp.transpose({args['input']}, {_shape_args({'size': items})})"


def _unary(target: str):
    return ("input", f"{target}({{input}})")


UNARY = {
    "abs": "jnp.abs", "exp": "jnp.exp", "exp2": "jnp.exp2", "expm1": "jnp.expm1", "log": "jnp.log",
    "log2": "jnp.log2", "log10": "jnp.log10", "log1p": "jnp.log1p", "sqrt": "jnp.sqrt", "rsqrt": "lax.rsqrt",
    "sin": "jnp.sin", "cos": "jnp.cos", "tan": "jnp.tan", "tanh": "jnp.tanh", "sinh": "jnp.sinh", "cosh": "jnp.cosh",
    "asin": "jnp.arcsin", "acos": "jnp.arccos", "atan": "jnp.arctan", "arcsin": "jnp.arcsin", "arccos": "jnp.arccos",
    "arctan": "jnp.arctan", "floor": "jnp.floor", "ceil": "jnp.ceil", "trunc": "jnp.trunc", "sign": "jnp.sign",
    "square": "jnp.square", "reciprocal": "jnp.reciprocal", "neg": "jnp.negative", "negative": "jnp.negative",
    "erf": "lax.erf", "erfc": "lax.erfc", "isnan": "jnp.isnan", "isinf": "jnp.isinf", "isfinite": "jnp.isfinite",
    "logical_not": "jnp.logical_not", "sigmoid": "jax.nn.sigmoid", "relu": "jax.nn.relu", "relu6": "jax.nn.relu6",
    "silu": "jax.nn.silu", "selu": "jax.nn.selu", "logsigmoid": "jax.nn.log_sigmoid", "mish": "torch_mish",
    "hardswish": "torch_hardswish", "hardsigmoid": "torch_hardsigmoid", "softsign": "torch_softsign",
    "round": "jnp.round", "frac": "(lambda t: t - jnp.trunc(t))", "bitwise_not": "jnp.bitwise_not",
}

BINARY = {
    "mul": "jnp.multiply", "multiply": "jnp.multiply", "true_divide": "jnp.true_divide",
    "floor_divide": "jnp.floor_divide", "remainder": "jnp.remainder", "fmod": "torch_fmod", "pow": "jnp.power",
    "maximum": "jnp.maximum", "minimum": "jnp.minimum", "fmax": "jnp.fmax", "fmin": "jnp.fmin",
    "matmul": "jnp.matmul", "mm": "jnp.matmul", "bmm": "jnp.matmul", "mv": "jnp.matmul", "dot": "jnp.dot",
    "outer": "jnp.outer", "atan2": "jnp.arctan2", "eq": "jnp.equal", "ne": "jnp.not_equal", "lt": "jnp.less",
    "le": "jnp.less_equal", "gt": "jnp.greater", "ge": "jnp.greater_equal", "logical_and": "jnp.logical_and",
    "logical_or": "jnp.logical_or", "logical_xor": "jnp.logical_xor", "hypot": "jnp.hypot",
    "bitwise_and": "jnp.bitwise_and", "bitwise_or": "jnp.bitwise_or", "bitwise_xor": "jnp.bitwise_xor",
}

# torch.X(input, ...) and input.X(...)
SHARED: dict[str, tuple] = {
    **{name: _unary(target) for name, target in UNARY.items()},
    **{name: ("input, other", f"{target}({{input}}, {{other}})") for name, target in BINARY.items()},
    "add": ("input, other, *, alpha=1", "({input} + [{alpha} * ]{other})"),
    "sub": ("input, other, *, alpha=1", "({input} - [{alpha} * ]{other})"),
    "subtract": ("input, other, *, alpha=1", "({input} - [{alpha} * ]{other})"),
    "div": ("input, other, *, rounding_mode=None", _div),
    "divide": ("input, other, *, rounding_mode=None", _div),
    "clamp": ("input, min=None, max=None", "jnp.clip({input}, {min}, {max})"),
    "clip": ("input, min=None, max=None", "jnp.clip({input}, {min}, {max})"),
    "sum": ("input, dim=None, keepdim=False, *, dtype=None", "jnp.sum({input}[, axis={dim}][, keepdims={keepdim}][, dtype={dtype}])"),
    "mean": ("input, dim=None, keepdim=False, *, dtype=None", "jnp.mean({input}[, axis={dim}][, keepdims={keepdim}][, dtype={dtype}])"),
    "prod": ("input, dim=None, keepdim=False, *, dtype=None", "jnp.prod({input}[, axis={dim}][, keepdims={keepdim}])"),
    "amax": ("input, dim=(), keepdim=False", "jnp.max({input}[, axis={dim}][, keepdims={keepdim}])"),
    "amin": ("input, dim=(), keepdim=False", "jnp.min({input}[, axis={dim}][, keepdims={keepdim}])"),
    "max": ("input, dim=None, keepdim=None", _extreme("max")),
    "min": ("input, dim=None, keepdim=None", _extreme("min")),
    "argmax": ("input, dim=None, keepdim=False", "jnp.argmax({input}[, axis={dim}][, keepdims={keepdim}])"),
    "argmin": ("input, dim=None, keepdim=False", "jnp.argmin({input}[, axis={dim}][, keepdims={keepdim}])"),
    "all": ("input, dim=None, keepdim=False", "jnp.all({input}[, axis={dim}][, keepdims={keepdim}])"),
    "any": ("input, dim=None, keepdim=False", "jnp.any({input}[, axis={dim}][, keepdims={keepdim}])"),
    "var": ("input, dim=None, unbiased=None, keepdim=None, *, correction=None", _var("var")),
    "std": ("input, dim=None, unbiased=None, keepdim=None, *, correction=None", _var("std")),
    "logsumexp": ("input, dim, keepdim=False", "jax.nn.logsumexp({input}, axis={dim}[, keepdims={keepdim}])"),
    "cumsum": ("input, dim, *, dtype=None", "jnp.cumsum({input}, axis={dim}[, dtype={dtype}])"),
    "cumprod": ("input, dim, *, dtype=None", "jnp.cumprod({input}, axis={dim}[, dtype={dtype}])"),
    "norm": ("input, p='fro', dim=None, keepdim=False, dtype=None", "torch_norm({input}[, p={p}][, dim={dim}][, keepdim={keepdim}])"),
    "count_nonzero": ("input, dim=None", "jnp.count_nonzero({input}[, axis={dim}])"),
    "softmax": ("input, dim, dtype=None", "jax.nn.softmax({input}, axis={dim})"),
    "log_softmax": ("input, dim, dtype=None", "jax.nn.log_softmax({input}, axis={dim})"),
    "flatten": ("input, start_dim=0, end_dim=-1", "torch_flatten({input}[, start_dim={start_dim}][, end_dim={end_dim}])"),
    "unflatten": ("input, dim, sizes", "torch_unflatten({input}, {dim}, {sizes})"),
    "squeeze": ("input, dim=None", "torch_squeeze({input}[, {dim}])"),
    "unsqueeze": ("input, dim", "jnp.expand_dims({input}, {dim})"),
    "transpose": ("input, dim0, dim1", "jnp.swapaxes({input}, {dim0}, {dim1})"),
    "swapaxes": ("input, axis0, axis1", "jnp.swapaxes({input}, {axis0}, {axis1})"),
    "t": ("input", "{input}.T"),
    "flip": ("input, dims", "jnp.flip({input}, axis={dims})"),
    "roll": ("input, shifts, dims=None", "jnp.roll({input}, {shifts}[, axis={dims}])"),
    "tril": ("input, diagonal=0", "jnp.tril({input}[, {diagonal}])"),
    "triu": ("input, diagonal=0", "jnp.triu({input}[, {diagonal}])"),
    "diag": ("input, diagonal=0", "jnp.diag({input}[, {diagonal}])"),
    "diagonal": ("input, offset=0, dim1=0, dim2=1", "jnp.diagonal({input}, {offset}, {dim1}, {dim2})"),
    "gather": ("input, dim, index", "jnp.take_along_axis({input}, {index}, axis={dim})"),
    "index_select": ("input, dim, index", "jnp.take({input}, {index}, axis={dim})"),
    "masked_fill": ("input, mask, value", "jnp.where({mask}, {value}, {input})"),
    "where": ("condition, input=None, other=None", "jnp.where({condition}, {input}, {other})"),
    "chunk": ("input, chunks, dim=0", "torch_chunk({input}, {chunks}[, {dim}])"),
    "split": ("input, split_size_or_sections, dim=0", "torch_split({input}, {split_size_or_sections}[, {dim}])"),
    "narrow": ("input, dim, start, length", "torch_narrow({input}, {dim}, {start}, {length})"),
    "select": ("input, dim, index", "jnp.take({input}, {index}, axis={dim})"),
    "einsum": ("equation, *operands", lambda a: f"jnp.einsum({a['equation']}, {', '.join(a['operands'])})"),
    "addmm": ("input, mat1, mat2, *, beta=1, alpha=1",
              "([{beta} * ]{input} + [{alpha} * ]jnp.matmul({mat1}, {mat2}))"),
    "baddbmm": ("input, batch1, batch2, *, beta=1, alpha=1",
                "([{beta} * ]{input} + [{alpha} * ]jnp.matmul({batch1}, {batch2}))"),
    "lerp": ("input, end, weight", "({input} + {weight} * ({end} - {input}))"),
    "zeros_like": ("input, *, dtype=None", "jnp.zeros_like({input}[, dtype={dtype}])"),
    "ones_like": ("input, *, dtype=None", "jnp.ones_like({input}[, dtype={dtype}])"),
    "full_like": ("input, fill_value, *, dtype=None", "jnp.full_like({input}, {fill_value}[, dtype={dtype}])"),
    "empty_like": ("input, *, dtype=None", "jnp.zeros_like({input}[, dtype={dtype}])"),
}

# torch.X only
TORCH_ONLY: dict[str, tuple] = {
    "cat": ("tensors, dim=0", "jnp.concatenate({tensors}[, axis={dim}])"),
    "concat": ("tensors, dim=0", "jnp.concatenate({tensors}[, axis={dim}])"),
    "concatenate": ("tensors, dim=0", "jnp.concatenate({tensors}[, axis={dim}])"),
    "stack": ("tensors, dim=0", "jnp.stack({tensors}[, axis={dim}])"),
    "tensor": ("data, *, dtype=None, device=None, requires_grad=False", "jnp.asarray({data}[, dtype={dtype}])"),
    "as_tensor": ("data, dtype=None, device=None", "jnp.asarray({data}[, dtype={dtype}])"),
    "zeros": ("*size, dtype=None, device=None, requires_grad=False", _creation("zeros")),
    "ones": ("*size, dtype=None, device=None, requires_grad=False", _creation("ones")),
    "empty": ("*size, dtype=None, device=None, requires_grad=False", _creation("zeros")),
    "full": ("size, fill_value, *, dtype=None, device=None", _full),
    "eye": ("n, m=None, *, dtype=None, device=None", "jnp.eye({n}[, {m}][, dtype={dtype}])"),
    "arange": ("start, end=None, step=1, *, dtype=None, device=None",
               "jnp.arange({start}[, {end}][, step={step}][, dtype={dtype}])"),
    "linspace": ("start, end, steps, *, dtype=None, device=None", "jnp.linspace({start}, {end}, {steps}[, dtype={dtype}])"),
    "broadcast_to": ("input, size", "jnp.broadcast_to({input}, {size})"),
    "reshape": ("input, shape", "jnp.reshape({input}, {shape})"),
    "permute": ("input, dims", "jnp.transpose({input}, {dims})"),
    "numel": ("input", "{input}.size"),
    "bucketize": ("input, boundaries, *, right=False", "jnp.searchsorted({boundaries}, {input}[, side=('right' if {right} else 'left')])"),
    "cdist": ("x1, x2, p=2.0", "torch_norm(jnp.expand_dims({x1}, -2) - jnp.expand_dims({x2}, -3), {p}, dim=-1)"),
}

# input.X(...) only
METHODS: dict[str, tuple] = {
    "view": ("input, *shape", _method_shape("reshape")),
    "reshape": ("input, *shape", _method_shape("reshape")),
    "permute": ("input, *dims", _permute),
    "expand": ("input, *sizes", lambda a: f"torch_expand({a['input']}, {', '.join(a['sizes'])})"),
    "expand_as": ("input, other", "jnp.broadcast_to({input}, {other}.shape)"),
    "view_as": ("input, other", "{input}.reshape({other}.shape)"),
    "reshape_as": ("input, other", "{input}.reshape({other}.shape)"),
    "repeat": ("input, *sizes", lambda a: f"torch_repeat({a['input']}, {', '.join(a['sizes'])})"),
    "size": ("input, dim=None", _size),
    "dim": ("input", "{input}.ndim"),
    "ndimension": ("input", "{input}.ndim"),
    "numel": ("input", "{input}.size"),
    "nelement": ("input", "{input}.size"),
    "contiguous": ("input, memory_format=None", "{input}"),
    "clone": ("input, memory_format=None", "{input}"),
    "detach": ("input", "{input}"),
    "cpu": ("input", "{input}"),
    "cuda": ("input, device=None", "{input}"),
    "requires_grad_": ("input, requires_grad=True", "{input}"),
    "to": ("input, *args, dtype=None, device=None, non_blocking=False, copy=False", _to),
    "type_as": ("input, other", "{input}.astype({other}.dtype)"),
    "float": ("input", "{input}.astype(jnp.float32)"),
    "double": ("input", "{input}.astype(jnp.float64)"),
    "half": ("input", "{input}.astype(jnp.float16)"),
    "bfloat16": ("input", "{input}.astype(jnp.bfloat16)"),
    "int": ("input", "{input}.astype(jnp.int32)"),
    "long": ("input", "{input}.astype(jnp.int64)"),
    "bool": ("input", "{input}.astype(jnp.bool_)"),
    "fill_": ("input, value", "jnp.full_like({input}, {value})"),
    "zero_": ("input", "jnp.zeros_like({input})"),
    "new_zeros": ("input, *size, dtype=None", lambda a: f"jnp.zeros({_shape_args(a)}, {a.get('dtype') or a['input'] + '.dtype'})"),
    "new_ones": ("input, *size, dtype=None", lambda a: f"jnp.ones({_shape_args(a)}, {a.get('dtype') or a['input'] + '.dtype'})"),
    "new_full": ("input, size, fill_value, dtype=None", "jnp.full({size}, {fill_value}, {input}.dtype)"),
    "masked_fill_": ("input, mask, value", "jnp.where({mask}, {value}, {input})"),
}

# F.X (torch.nn.functional)
FUNCTIONAL: dict[str, tuple] = {
    "relu": ("input, inplace=False", "jax.nn.relu({input})"),
    "relu6": ("input, inplace=False", "jax.nn.relu6({input})"),
    "gelu": ("input, approximate='none'", _gelu),
    "silu": ("input, inplace=False", "jax.nn.silu({input})"),
    "sigmoid": ("input", "jax.nn.sigmoid({input})"),
    "tanh": ("input", "jnp.tanh({input})"),
    "softmax": ("input, dim=None, _stacklevel=3, dtype=None", "jax.nn.softmax({input}, axis={dim})"),
    "log_softmax": ("input, dim=None, _stacklevel=3, dtype=None", "jax.nn.log_softmax({input}, axis={dim})"),
    "softmin": ("input, dim=None, _stacklevel=3, dtype=None", "jax.nn.softmax(-{input}, axis={dim})"),
    "leaky_relu": ("input, negative_slope=0.01, inplace=False", "torch_leaky_relu({input}[, {negative_slope}])"),
    "elu": ("input, alpha=1.0, inplace=False", "torch_elu({input}[, {alpha}])"),
    "selu": ("input, inplace=False", "jax.nn.selu({input})"),
    "celu": ("input, alpha=1.0, inplace=False", "jax.nn.celu({input}[, {alpha}])"),
    "hardtanh": ("input, min_val=-1.0, max_val=1.0, inplace=False", "jnp.clip({input}, {min_val}, {max_val})"),
    "hardswish": ("input, inplace=False", "torch_hardswish({input})"),
    "hardsigmoid": ("input, inplace=False", "torch_hardsigmoid({input})"),
    "softplus": ("input, beta=1.0, threshold=20.0", "torch_softplus({input}[, beta={beta}][, threshold={threshold}])"),
    "softsign": ("input", "torch_softsign({input})"),
    "mish": ("input, inplace=False", "torch_mish({input})"),
    "logsigmoid": ("input", "jax.nn.log_sigmoid({input})"),
    "glu": ("input, dim=-1", "jax.nn.glu({input}[, axis={dim}])"),
    "dropout": ("input, p=0.5, training=True, inplace=False", _dropout),
    "dropout1d": ("input, p=0.5, training=True, inplace=False", _dropout),
    "dropout2d": ("input, p=0.5, training=True, inplace=False", _dropout),
    "dropout3d": ("input, p=0.5, training=True, inplace=False", _dropout),
    "linear": ("input, weight, bias=None", "(jnp.matmul({input}, {weight}.T)[ + {bias}])"),
    "conv1d": ("input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1",
               "torch_conv({input}, {weight}, {bias}[, stride={stride}][, padding={padding}][, dilation={dilation}][, groups={groups}])"),
    "conv2d": ("input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1",
               "torch_conv({input}, {weight}, {bias}[, stride={stride}][, padding={padding}][, dilation={dilation}][, groups={groups}])"),
    "conv3d": ("input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1",
               "torch_conv({input}, {weight}, {bias}[, stride={stride}][, padding={padding}][, dilation={dilation}][, groups={groups}])"),
    **{f"conv_transpose{n}d": ("input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1",
                               "torch_conv_transpose({input}, {weight}, {bias}[, stride={stride}][, padding={padding}]"
                               "[, output_padding={output_padding}][, groups={groups}][, dilation={dilation}])")
       for n in (1, 2, 3)},
    **{f"max_pool{n}d": ("input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False",
                         f"torch_max_pool({{input}}, {{kernel_size}}[, stride={{stride}}][, padding={{padding}}]"
                         f"[, dilation={{dilation}}][, ceil_mode={{ceil_mode}}], n={n})") for n in (1, 2, 3)},
    **{f"avg_pool{n}d": ("input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
                         "divisor_override=None",
                         f"torch_avg_pool({{input}}, {{kernel_size}}[, stride={{stride}}][, padding={{padding}}]"
                         f"[, ceil_mode={{ceil_mode}}][, count_include_pad={{count_include_pad}}]"
                         f"[, divisor_override={{divisor_override}}], n={n})") for n in (1, 2, 3)},
    **{f"adaptive_avg_pool{n}d": ("input, output_size", f"torch_adaptive_avg_pool({{input}}, {{output_size}}, n={n})")
       for n in (1, 2, 3)},
    **{f"adaptive_max_pool{n}d": ("input, output_size, return_indices=False",
                                  f"torch_adaptive_max_pool({{input}}, {{output_size}}, n={n})") for n in (1, 2, 3)},
    "batch_norm": ("input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05",
                   "torch_batch_norm({input}, {running_mean}, {running_var}, {weight}, {bias}, {training}, "
                   "{momentum}, {eps})[0]"),
    "layer_norm": ("input, normalized_shape, weight=None, bias=None, eps=1e-05",
                   "torch_layer_norm({input}, {normalized_shape}, {weight}, {bias}[, {eps}])"),
    "group_norm": ("input, num_groups, weight=None, bias=None, eps=1e-05",
                   "torch_group_norm({input}, {num_groups}, {weight}, {bias}[, {eps}])"),
    "instance_norm": ("input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, "
                      "momentum=0.1, eps=1e-05", "torch_instance_norm({input}, {weight}, {bias}[, {eps}])"),
    "rms_norm": ("input, normalized_shape, weight=None, eps=None",
                 "({input} / jnp.sqrt(jnp.mean({input} ** 2, axis=-1, keepdims=True) + "
                 "({eps} if {eps} is not None else jnp.finfo({input}.dtype).eps))[ * {weight}])"),
    "normalize": ("input, p=2.0, dim=1, eps=1e-12", "torch_normalize({input}[, p={p}][, dim={dim}][, eps={eps}])"),
    "pad": ("input, pad, mode='constant', value=None",
            "torch_pad({input}, {pad}[, {mode}][, value={value}])"),
    "embedding": ("input, weight, padding_idx=None", "jnp.take({weight}, {input}, axis=0)"),
    "one_hot": ("tensor, num_classes=-1", "torch_one_hot({tensor}[, {num_classes}])"),
    "cosine_similarity": ("x1, x2, dim=1, eps=1e-8", "torch_cosine_similarity({x1}, {x2}[, dim={dim}][, eps={eps}])"),
    "pairwise_distance": ("x1, x2, p=2.0, eps=1e-6, keepdim=False",
                          "torch_pairwise_distance({x1}, {x2}[, p={p}][, eps={eps}][, keepdim={keepdim}])"),
    "scaled_dot_product_attention": ("query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None",
                                     "torch_scaled_dot_product_attention({query}, {key}, {value}"
                                     "[, attn_mask={attn_mask}][, is_causal={is_causal}][, scale={scale}])"),
    "mse_loss": ("input, target, size_average=None, reduce=None, reduction='mean'",
                 "torch_mse_loss({input}, {target}[, reduction={reduction}])"),
    "l1_loss": ("input, target, size_average=None, reduce=None, reduction='mean'",
                "torch_l1_loss({input}, {target}[, reduction={reduction}])"),
    "smooth_l1_loss": ("input, target, size_average=None, reduce=None, reduction='mean', beta=1.0",
                       "torch_smooth_l1_loss({input}, {target}[, reduction={reduction}][, beta={beta}])"),
    "huber_loss": ("input, target, reduction='mean', delta=1.0",
                   "torch_huber_loss({input}, {target}[, reduction={reduction}][, delta={delta}])"),
    "cross_entropy": ("input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, "
                      "reduction='mean', label_smoothing=0.0",
                      "torch_cross_entropy({input}, {target}[, weight={weight}][, reduction={reduction}]"
                      "[, label_smoothing={label_smoothing}])"),
    "nll_loss": ("input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'",
                 "torch_nll_loss({input}, {target}[, weight={weight}][, reduction={reduction}])"),
    "kl_div": ("input, target, size_average=None, reduce=None, reduction='mean', log_target=False",
               "torch_kl_div({input}, {target}[, reduction={reduction}][, log_target={log_target}])"),
    "binary_cross_entropy": ("input, target, weight=None, size_average=None, reduce=None, reduction='mean'",
                             "torch_binary_cross_entropy({input}, {target}[, weight={weight}][, reduction={reduction}])"),
    "binary_cross_entropy_with_logits": (
        "input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None",
        "torch_binary_cross_entropy_with_logits({input}, {target}[, weight={weight}][, reduction={reduction}]"
        "[, pos_weight={pos_weight}])"),
    "triplet_margin_loss": ("anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None, "
                            "reduce=None, reduction='mean'",
                            "torch_triplet_margin_loss({anchor}, {positive}, {negative}[, margin={margin}][, p={p}]"
                            "[, eps={eps}][, swap={swap}][, reduction={reduction}])"),
    "hinge_embedding_loss": ("input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'",
                             "torch_hinge_embedding_loss({input}, {target}[, margin={margin}][, reduction={reduction}])"),
    "margin_ranking_loss": ("input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'",
                            "torch_margin_ranking_loss({input1}, {input2}, {target}[, margin={margin}]"
                            "[, reduction={reduction}])"),
}

# nn.X layers that the prelude provides with torch's constructor
LAYERS = {
    "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm",
    "GroupNorm", "RMSNorm", "Embedding", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d",
    "AvgPool3d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "ReLU", "ReLU6", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax",
    "LogSoftmax", "LeakyReLU", "ELU", "SELU", "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus", "Softsign",
    "Mish", "Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "Flatten", "LSTMCell", "GRUCell",
    "RNNCell", "MultiheadAttention", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss",
    "NLLLoss", "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "TripletMarginLoss", "HingeEmbeddingLoss",
    "MarginRankingLoss", "CosineSimilarity", "Sequential", "ModuleList",
}
LAYER_ALIASES = {"Dropout1d": "Dropout", "Dropout2d": "Dropout", "Dropout3d": "Dropout"}

# Layers whose constructor takes an argument the prelude does not model: (argument, allowed literal values)
LAYER_LIMITS = {
    name: ("padding_mode", {"'zeros'", '"zeros"'}) for name in
    ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
}
