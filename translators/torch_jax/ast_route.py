"""The readable route: translate a torch file's own Python, statement by statement.

Each nn.Module class becomes a class of the same name and structure: `__init__` keeps the
configuration (self.num_groups stays self.num_groups) and builds the same submodules from the
prelude's layers; `forward(self, x)` becomes `forward(self, p, x)`, where p is a Scope over the
torch state_dict names (self.weight is p["weight"], self.conv(x) is self.conv(p.sub("conv"), x)).
Calls are mapped with the table in mapping.py; what has no mapping is reported with its line.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field

from . import mapping
from .calls import BindError, fill

# Python calls that mean the same on jax arrays and need no mapping.
BUILTINS = {"len", "range", "int", "float", "bool", "str", "tuple", "list", "dict", "set", "zip", "enumerate",
            "isinstance", "getattr", "hasattr", "print", "reversed", "sorted", "round", "divmod", "any", "all",
            "super", "type", "slice", "map", "filter", "abs", "min", "max", "sum", "pow", "iter", "next"}
PLAIN_METHODS = {"append", "extend", "insert", "pop", "items", "keys", "values", "get", "format", "join",
                 "update", "index", "count", "copy", "startswith", "endswith", "lower", "upper", "strip",
                 "setdefault", "astype", "at", "set"}
PARAMETER_LIKE = {"weight", "bias", "running_mean", "running_var", "num_batches_tracked", "in_proj_weight",
                  "in_proj_bias", "weight_ih", "weight_hh", "bias_ih", "bias_hh"}
AT_OPS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide", ast.Pow: "power"}


@dataclass
class Issue:
    line: int | None
    construct: str
    message: str


@dataclass
class ClassInfo:
    name: str
    params: set[str] = field(default_factory=set)  # parameters and buffers: read from the state_dict
    submodules: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)


class Untranslatable(Exception):
    def __init__(self, node: ast.AST | None, construct: str, message: str):
        super().__init__(message)
        self.line = getattr(node, "lineno", None)
        self.construct, self.message = construct, message


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _at_update(target: ast.Subscript, op: str, value: ast.expr) -> ast.Assign:
    """x[i] = v  ->  x = x.at[i].set(v): JAX arrays are immutable."""
    at = ast.Subscript(ast.Attribute(copy.deepcopy(target.value), "at", ast.Load()), copy.deepcopy(target.slice),
                       ast.Load())
    call = ast.Call(ast.Attribute(at, op, ast.Load()), [copy.deepcopy(value)], [])
    store = copy.deepcopy(target.value)
    for node in ast.walk(store):
        if hasattr(node, "ctx"):
            node.ctx = ast.Load()
    store.ctx = ast.Store()
    return ast.Assign(targets=[store], value=call)


def _is_self_attr(node: ast.AST, names: set[str] | None = None) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" \
        and (names is None or node.attr in names)


class FileTranslator:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.aliases: dict[str, str] = {}  # local name -> dotted torch path
        self.modules: set[str] = set()  # names bound to other imported modules (math, numpy)
        self.issues: list[Issue] = []
        self.classes: dict[str, ClassInfo] = {}
        self.notes: list[str] = []
        self._read_imports()

    # -- names -------------------------------------------------------------------------------------
    def _read_imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "torch":
                        if alias.asname:
                            self.aliases[alias.asname] = alias.name
                        else:
                            self.aliases["torch"] = "torch"
                    else:
                        self.modules.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "torch":
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def canonical(self, node: ast.AST) -> str | None:
        """torch.nn.functional.relu for F.relu, torch.nn.Linear for nn.Linear, ...; None if not torch."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head not in self.aliases:
            return None
        full = self.aliases[head] + ("." + rest if rest else "")
        return full.replace("torch.nn.modules.", "torch.nn.")

    def is_module_class(self, node: ast.ClassDef) -> bool:
        for base in node.bases:
            name = self.canonical(base)
            if name in ("torch.nn.Module",) or (isinstance(base, ast.Name) and base.id in self.classes):
                return True
        return False

    def issue(self, node: ast.AST | None, construct: str, message: str) -> None:
        item = Issue(getattr(node, "lineno", None), construct, message)
        if all((i.line, i.construct) != (item.line, item.construct) for i in self.issues):
            self.issues.append(item)

    # -- the file --------------------------------------------------------------------------------------
    def translate(self) -> str:
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and self.is_module_class(node):
                self.classes[node.name] = self._class_info(node)
        out: list[str] = []
        previous_simple = False
        for node in self.tree.body:
            try:
                text = self._top_level(node)
            except Untranslatable as exc:
                self.issues.append(Issue(exc.line, exc.construct, exc.message))
                continue
            if not text:
                continue
            simple = not isinstance(node, (ast.ClassDef, ast.FunctionDef))
            if simple and previous_simple:  # constants and imports stay together
                out[-1] += "\n" + text
            else:
                out.append(text)
            previous_simple = simple
        return "\n\n\n".join(out)

    def _top_level(self, node: ast.stmt) -> str | None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else names[0]
            if (module or "").split(".")[0] in ("torch", "jax", "__future__"):
                return None
            return ast.unparse(node)
        if isinstance(node, ast.ClassDef):
            if node.name in self.classes:
                return self._module_class(node)
            raise Untranslatable(node, f"class {node.name}", "only nn.Module classes are translated")
        if isinstance(node, ast.FunctionDef):
            if node.name in ("get_inputs", "get_init_inputs"):
                return None
            return ast.unparse(self._function(node, None))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return None  # the module docstring
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            name = self.canonical(node.value.func) or ""
            if name.startswith("torch."):
                return None  # torch.manual_seed(...), torch.backends...: nothing to do in JAX
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            translated = self._statements([node], None)
            return ast.unparse(translated[0]) if translated else None
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'":
            return None
        raise Untranslatable(node, type(node).__name__, "top-level statement outside the translated subset")

    # -- classes -------------------------------------------------------------------------------------------
    def _class_info(self, node: ast.ClassDef) -> ClassInfo:
        info = ClassInfo(node.name)
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                parent = self.classes[base.id]
                info.params |= parent.params
                info.submodules |= parent.submodules
                info.methods |= parent.methods
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                info.methods.add(item.name)
        init = next((i for i in node.body if isinstance(i, ast.FunctionDef) and i.name == "__init__"), None)
        if init is None:
            return info
        for sub in ast.walk(init):
            if isinstance(sub, ast.Call) and _is_self_attr(sub.func) and sub.func.attr in (
                    "register_buffer", "register_parameter") and sub.args and isinstance(sub.args[0], ast.Constant):
                info.params.add(str(sub.args[0].value))
            if isinstance(sub, ast.Assign):
                for target in sub.targets:
                    if _is_self_attr(target):
                        kind = self._attribute_kind(sub.value)
                        if kind == "param":
                            info.params.add(target.attr)
                        elif kind == "module":
                            info.submodules.add(target.attr)
        return info

    def _attribute_kind(self, value: ast.expr) -> str:
        if isinstance(value, ast.Call):
            name = self.canonical(value.func)
            if name in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
                return "param"
            if name and name.startswith("torch.nn.") and name.split(".")[-1][:1].isupper():
                return "module"
            if isinstance(value.func, ast.Name) and value.func.id in self.classes:
                return "module"
        return "config"

    def _module_class(self, node: ast.ClassDef) -> str:
        info = self.classes[node.name]
        bases = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in self.classes] or ["Module"]
        body: list[ast.stmt] = []
        doc = ast.get_docstring(node)
        state = sorted(info.params)
        text = f"Translated from the torch module {node.name}."
        if doc:
            text = doc.strip() + "\n\n    " + text
        if state:
            text += f"\n    State (torch state_dict names): {', '.join(state)}."
        body.append(ast.Expr(ast.Constant(text)))
        for item in node.body:
            if isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
                continue
            if isinstance(item, ast.FunctionDef):
                try:
                    body.append(self._function(item, info))
                except Untranslatable as exc:
                    self.issues.append(Issue(exc.line, exc.construct, exc.message))
            elif isinstance(item, ast.Assign):
                body.append(self._expression_statement(item, info, "init"))
            else:
                self.issue(item, type(item).__name__, "class-level statement outside the translated subset")
        cls = ast.ClassDef(name=node.name, bases=[ast.Name(b, ast.Load()) for b in bases], keywords=[], body=body,
                           decorator_list=[], type_params=[])
        return ast.unparse(ast.fix_missing_locations(cls))

    # -- functions --------------------------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef, info: ClassInfo | None) -> ast.FunctionDef:
        node = copy.deepcopy(node)
        node.decorator_list = []
        node.returns = None
        for arg in node.args.args + node.args.kwonlyargs:
            arg.annotation = None
        mode = "init" if node.name == "__init__" and info is not None else "forward"
        if info is not None and node.name != "__init__" and node.args.args and node.args.args[0].arg == "self" \
                and not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list):
            node.args.args.insert(1, ast.arg("p"))
        self.loop_scopes: dict[str, str] = {}
        node.body = self._statements(node.body, info, mode) or [ast.Pass()]
        return node

    def _statements(self, statements: list[ast.stmt], info: ClassInfo | None, mode: str = "forward"
                    ) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in statements:
            try:
                out += self._statement(statement, info, mode)
            except Untranslatable as exc:
                self.issues.append(Issue(exc.line, exc.construct, exc.message))
        return out

    def _statement(self, node: ast.stmt, info: ClassInfo | None, mode: str) -> list[ast.stmt]:
        if mode == "init":
            dropped = self._init_only(node, info)
            if dropped:
                return []
        if isinstance(node, ast.With):
            names = [self.canonical(item.context_expr.func) if isinstance(item.context_expr, ast.Call) else None
                     for item in node.items]
            if all(n in ("torch.no_grad", "torch.inference_mode", "torch.enable_grad") for n in names):
                return self._statements(node.body, info, mode)
            raise Untranslatable(node, "with", "only torch.no_grad() blocks are translated")
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and self._inplace_target(node.value):
            target, call = self._inplace_target(node.value)
            return [self._assign_back(target, call, info, mode, node)]
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and self._inplace_target(node.value):
            target, call = self._inplace_target(node.value)
            first = self._assign_back(target, call, info, mode, node)
            rest = ast.Assign(targets=node.targets, value=copy.deepcopy(target))
            return [first, self._expression_statement(ast.copy_location(rest, node), info, mode)]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
            statement = _at_update(node.targets[0], "set", node.value)
            return [self._expression_statement(ast.copy_location(statement, node), info, mode)]
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
            op = AT_OPS.get(type(node.op))
            if op is None:
                raise Untranslatable(node, "augmented subscript assignment", "this operator has no .at[] form")
            statement = _at_update(node.target, op, node.value)
            return [self._expression_statement(ast.copy_location(statement, node), info, mode)]
        if mode == "forward" and isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if _is_self_attr(target):
                    raise Untranslatable(node, f"self.{target.attr} = ...",
                                         "forward() changes module state; a JAX module is pure")
        if isinstance(node, ast.For) and mode == "forward":
            return [self._for(node, info, mode)]
        if isinstance(node, (ast.If, ast.For, ast.While)):
            node = copy.copy(node)
            if isinstance(node, ast.For):
                node.iter = self._expression(node.iter, info, mode)
            else:
                node.test = self._expression(node.test, info, mode)
            node.body = self._statements(node.body, info, mode) or [ast.Pass()]
            node.orelse = self._statements(node.orelse, info, mode)
            return [node]
        if isinstance(node, (ast.Try, ast.FunctionDef, ast.ClassDef, ast.Global, ast.Nonlocal, ast.Delete)):
            raise Untranslatable(node, type(node).__name__, "statement outside the translated subset")
        return [self._expression_statement(node, info, mode)]

    def _for(self, node: ast.For, info: ClassInfo | None, mode: str) -> ast.For:
        """`for layer in self.layers:` walks a ModuleList: each layer reads its own parameters."""
        node = copy.copy(node)
        if info is not None and _is_self_attr(node.iter, info.submodules) and isinstance(node.target, ast.Name):
            index = f"{node.target.id}_index"
            self.loop_scopes[node.target.id] = f'p.sub("{node.iter.attr}").sub(str({index}))'
            node.target = ast.Tuple([ast.Name(index, ast.Store()), node.target], ast.Store())
            node.iter = ast.Call(ast.Name("enumerate", ast.Load()), [node.iter], [])
        elif info is not None and isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) \
                and node.iter.func.id == "enumerate" and node.iter.args \
                and _is_self_attr(node.iter.args[0], info.submodules) and isinstance(node.target, ast.Tuple) \
                and all(isinstance(e, ast.Name) for e in node.target.elts) and len(node.target.elts) == 2:
            index, layer = node.target.elts
            self.loop_scopes[layer.id] = f'p.sub("{node.iter.args[0].attr}").sub(str({index.id}))'
        else:
            node.iter = self._expression(node.iter, info, mode)
        node.body = self._statements(node.body, info, mode) or [ast.Pass()]
        node.orelse = self._statements(node.orelse, info, mode)
        return node

    def _init_only(self, node: ast.stmt, info: ClassInfo | None) -> bool:
        """Statements of __init__ that only create or initialise state: the state_dict brings it."""
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and \
                    isinstance(func.value.func, ast.Name) and func.value.func.id == "super":
                return True
            if _is_self_attr(func) and func.attr in ("register_buffer", "register_parameter"):
                return True
            name = self.canonical(func) or ""
            if name.startswith("torch.nn.init.") or name == "torch.manual_seed":
                return True
            if isinstance(func, ast.Attribute) and func.attr.endswith("_") and info is not None and \
                    self._touches_state(func.value, info):
                return True  # self.weight.data.fill_(...), self.bias.zero_()
        if isinstance(node, ast.Assign) and any(_is_self_attr(t) for t in node.targets) and info is not None:
            if self._attribute_kind(node.value) == "param":
                return True
        if isinstance(node, ast.With) and info is not None and all(
                self._touches_state(n, info) for n in ast.walk(node) if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute) and n.func.attr.endswith("_")):
            return any(isinstance(n, ast.Call) for n in ast.walk(node))
        return False

    def _touches_state(self, node: ast.AST, info: ClassInfo) -> bool:
        return any(_is_self_attr(n, info.params | info.submodules) for n in ast.walk(node))

    def _inplace_target(self, call: ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr.endswith("_") and not func.attr.endswith("__"):
            base = func.attr[:-1]
            if base in mapping.SHARED or base in mapping.METHODS or func.attr in mapping.METHODS:
                if isinstance(func.value, (ast.Name, ast.Attribute, ast.Subscript)) \
                        and not _is_self_attr(func.value) and self.canonical(func.value) is None:
                    return func.value, call
        return None

    def _assign_back(self, target: ast.expr, call: ast.Call, info, mode, node) -> ast.stmt:
        func = call.func
        name = func.attr if func.attr in mapping.METHODS else func.attr[:-1]
        plain = ast.Call(ast.Attribute(copy.deepcopy(func.value), name, ast.Load()), call.args, call.keywords)
        if isinstance(target, ast.Subscript):
            statement = _at_update(target, "set", plain)
        else:
            statement = ast.Assign(targets=[copy.deepcopy(target)], value=plain)
        return self._expression_statement(ast.copy_location(statement, node), info, mode)

    def _expression_statement(self, node: ast.stmt, info: ClassInfo | None, mode: str) -> ast.stmt:
        rewriter = _Rewriter(self, info, mode)
        result = rewriter.visit(copy.deepcopy(node))
        return ast.fix_missing_locations(result)

    def _expression(self, node: ast.expr, info: ClassInfo | None, mode: str) -> ast.expr:
        return ast.fix_missing_locations(_Rewriter(self, info, mode).visit(copy.deepcopy(node)))


class _Rewriter(ast.NodeTransformer):
    """Rewrites one statement's expressions: torch calls, self.<state>, submodule calls."""

    def __init__(self, owner: FileTranslator, info: ClassInfo | None, mode: str):
        self.owner, self.info, self.mode = owner, info, mode

    def _src(self, node: ast.AST) -> str:
        node = self.visit(node)
        if isinstance(node, ast.List) and all(isinstance(e, ast.Constant) for e in node.elts):
            node = ast.Tuple(node.elts, ast.Load())  # dims as lists: jnp wants tuples
        return ast.unparse(ast.fix_missing_locations(node))

    def _args(self, call: ast.Call) -> tuple[list[str], dict[str, str]]:
        args = []
        for a in call.args:
            if isinstance(a, ast.Starred):
                args.append("*" + self._src(a.value))
            else:
                args.append(self._src(a))
        kwargs = {}
        for k in call.keywords:
            if k.arg is None:
                raise Untranslatable(call, "**kwargs", "keyword unpacking in a torch call is not translated")
            kwargs[k.arg] = self._src(k.value)
        return args, kwargs

    def visit_Attribute(self, node: ast.Attribute):
        info = self.info
        if info is not None and isinstance(node.value, ast.Name) and node.value.id == "self":
            if node.attr == "training" and self.mode == "forward":
                return _expr("p.training")
            if node.attr in info.params and self.mode == "forward":
                return _expr(f'p["{node.attr}"]')
            return node
        if info is not None and self.mode == "forward" and _is_self_attr(node.value, info.submodules) \
                and node.attr in PARAMETER_LIKE:
            return _expr(f'p["{node.value.attr}.{node.attr}"]')
        name = self.owner.canonical(node)
        if name is not None:
            short = name.removeprefix("torch.")
            if short in mapping.DTYPES:
                return _expr(mapping.jnp_dtype(short))
            if name in ("torch.pi", "torch.e", "torch.inf", "torch.nan"):
                return _expr({"torch.pi": "math.pi", "torch.e": "math.e", "torch.inf": "math.inf",
                              "torch.nan": "math.nan"}[name])
            if name == "torch.Tensor":
                return _expr("jax.Array")
            raise Untranslatable(node, name, "no JAX mapping for this torch attribute")
        if node.attr == "data" and self.mode == "forward":
            return self.visit(node.value)
        if node.attr in ("mT", "mH"):
            return _expr(f"jnp.swapaxes({self._src(node.value)}, -1, -2)")
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call):
        owner, info = self.owner, self.info
        func = node.func
        # submodules and methods of this class
        if info is not None and self.mode == "forward":
            if _is_self_attr(func, info.submodules):
                args = [self.visit(a) for a in node.args]
                keywords = [ast.keyword(k.arg, self.visit(k.value)) for k in node.keywords]
                return ast.Call(func, [_expr(f'p.sub("{func.attr}")')] + args, keywords)
            if isinstance(func, ast.Subscript) and _is_self_attr(func.value, info.submodules):
                index = self._src(func.slice)
                args = [self.visit(a) for a in node.args]
                keywords = [ast.keyword(k.arg, self.visit(k.value)) for k in node.keywords]
                scope = _expr(f'p.sub("{func.value.attr}").sub(str({index}))')
                return ast.Call(ast.Subscript(func.value, _expr(index), ast.Load()), [scope] + args, keywords)
            if isinstance(func, ast.Name) and func.id in getattr(owner, "loop_scopes", {}):
                args = [self.visit(a) for a in node.args]
                keywords = [ast.keyword(k.arg, self.visit(k.value)) for k in node.keywords]
                return ast.Call(func, [_expr(owner.loop_scopes[func.id])] + args, keywords)
            if _is_self_attr(func, info.methods):
                args = [self.visit(a) for a in node.args]
                keywords = [ast.keyword(k.arg, self.visit(k.value)) for k in node.keywords]
                return ast.Call(func, [ast.Name("p", ast.Load())] + args, keywords)
        name = owner.canonical(func)
        if name is not None:
            return self._torch_call(node, name)
        if isinstance(func, ast.Name):
            if func.id in owner.classes or func.id in BUILTINS or self.mode == "init":
                self.generic_visit(node)
                return node
            self.generic_visit(node)
            return node  # a function of the user's file (translated too) or a local callable
        if isinstance(func, ast.Attribute):
            return self._method_call(node, func)
        self.generic_visit(node)
        return node

    def _torch_call(self, node: ast.Call, name: str):
        parts = name.split(".")
        if name in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            raise Untranslatable(node, name, "a parameter created outside __init__")
        if name.startswith("torch.nn.functional."):
            short = parts[-1]
            table = mapping.FUNCTIONAL if short in mapping.FUNCTIONAL else mapping.SHARED
            if short not in table:
                raise Untranslatable(node, f"F.{short}", "no JAX mapping for this torch.nn.functional call")
            return self._fill(node, f"F.{short}", *table[short])
        if name.startswith("torch.nn.") and parts[-1][:1].isupper():
            short = parts[-1]
            if short not in mapping.LAYERS:
                raise Untranslatable(node, f"nn.{short}", "no JAX layer for this torch.nn module")
            limit = mapping.LAYER_LIMITS.get(short)
            if limit:
                for keyword in node.keywords:
                    if keyword.arg == limit[0] and ast.unparse(keyword.value) not in limit[1]:
                        raise Untranslatable(node, f"nn.{short}({limit[0]}=...)", "only the default is translated")
            args, kwargs = self._args(node)
            call = f"{mapping.LAYER_ALIASES.get(short, short)}({', '.join(args + [f'{k}={v}' for k, v in kwargs.items()])})"
            return _expr(call)
        short = name.removeprefix("torch.")
        if short in ("rand", "randn", "randint", "rand_like", "randn_like", "randperm", "bernoulli", "multinomial",
                     "normal"):
            raise Untranslatable(node, name, "random numbers inside the module: JAX needs an explicit PRNG key "
                                             "(write the candidate by hand; randomness is compared in eval mode only)")
        if short == "Size":
            args, _ = self._args(node)
            return _expr(f"tuple({args[0]})" if args else "()")
        table = mapping.TORCH_ONLY if short in mapping.TORCH_ONLY else mapping.SHARED
        if short not in table:
            raise Untranslatable(node, name, "no JAX mapping for this torch function")
        return self._fill(node, name, *table[short])

    def _method_call(self, node: ast.Call, func: ast.Attribute):
        attr = func.attr
        if isinstance(func.value, ast.Name) and func.value.id in self.owner.modules:
            self.generic_visit(node)  # math.sqrt(...), np.prod(...): not a tensor method
            return node
        if attr in mapping.METHODS or attr in mapping.SHARED:
            if attr in mapping.METHODS:
                signature, template = mapping.METHODS[attr]
            else:
                signature, template = mapping.SHARED[attr]
            receiver = self._src(func.value)
            args, kwargs = self._args(node)
            first = signature.split(",")[0].strip()
            if first != "input":  # e.g. where(condition, input, other): x.where(c, y) is where(c, x, y)
                args = [args[0], receiver] + args[1:] if args else [receiver]
            else:
                args = [receiver] + args
            return self._fill_text(node, f".{attr}", signature, template, args, kwargs)
        if attr.endswith("_") and not attr.endswith("__"):
            raise Untranslatable(node, f".{attr}()", "an in-place method used as a value; assign its result instead")
        if attr in PLAIN_METHODS or self.mode == "init":
            self.generic_visit(node)
            return node
        raise Untranslatable(node, f".{attr}()", "no JAX mapping for this tensor method")

    def _fill(self, node: ast.Call, construct: str, signature: str, template):
        args, kwargs = self._args(node)
        return self._fill_text(node, construct, signature, template, args, kwargs)

    def _fill_text(self, node, construct, signature, template, args, kwargs):
        takes_varargs = any(p.strip().startswith("*") and p.strip() != "*" for p in signature.split(","))
        if any(a.startswith("*") for a in args) and not takes_varargs:
            raise Untranslatable(node, construct, "argument unpacking into this call is not translated")
        try:
            text = fill(signature, template, args, kwargs)
        except BindError as exc:
            raise Untranslatable(node, construct, f"arguments not understood: {exc}")
        try:
            return _expr(text)
        except SyntaxError:
            raise Untranslatable(node, construct, "the mapping produced invalid code")
