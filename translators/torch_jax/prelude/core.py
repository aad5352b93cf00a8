"""Scope over the state_dict, the Module base, containers."""


class Scope:
    """The torch state_dict seen from one submodule: p["weight"] is params["conv.weight"]."""

    def __init__(self, params, training=False, prefix="", updates=None):
        self.params, self.training, self.prefix = params, training, prefix
        self.updates = {} if updates is None else updates

    def sub(self, name):
        return Scope(self.params, self.training, f"{self.prefix}{name}.", self.updates)

    def __getitem__(self, name):
        return self.params[self.prefix + name]

    def get(self, name):
        return self.params.get(self.prefix + name)

    def update(self, name, value):
        self.updates[self.prefix + name] = value


class Module:
    """A translated nn.Module: called with the state_dict (top level) or a Scope (a submodule).
    In training mode a module that updates buffers returns (output, {buffer: new value})."""

    training = False

    def __call__(self, params, *inputs, **kwargs):
        if isinstance(params, Scope):
            return self.forward(params, *inputs, **kwargs)
        scope = Scope(params, self.training)
        out = self.forward(scope, *inputs, **kwargs)
        return (out, scope.updates) if self.training and scope.updates else out


class Sequential(Module):
    def __init__(self, *layers):
        self.layers = list(layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __len__(self):
        return len(self.layers)

    def forward(self, p, x):
        for index, layer in enumerate(self.layers):
            x = layer(p.sub(str(index)), x)
        return x


class ModuleList(list):
    """Submodule i of a ModuleList reads its parameters under "<name>.<i>."."""


def _tuple(value, n):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
