"""JAX building blocks that translated modules use, written so that each one can be copied
into a translation on its own: the emitter copies only what a translation needs, with the
helpers those depend on.  Layers take their parameters from a Scope over the torch state_dict
names, in torch layouts, and follow torch's defaults; functions named torch_* follow the torch
function of that name (torch_var is unbiased, torch_gelu is exact unless approximate='tanh')."""
