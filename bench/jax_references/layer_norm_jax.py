import jax.numpy as jnp


class Model:
    def __init__(self, rows, cols):
        self.shape = (rows, cols)
        self.eps = 1e-6

    def __call__(self, params, x):
        axes = tuple(range(x.ndim - len(self.shape), x.ndim))
        mean = jnp.mean(x, axis=axes, keepdims=True)
        var = jnp.var(x, axis=axes, keepdims=True)
        y = (x - mean) / jnp.sqrt(var + self.eps)
        return y * params["norm.weight"] + params["norm.bias"]
