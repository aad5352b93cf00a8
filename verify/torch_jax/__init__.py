"""PyTorch -> JAX verification: the source convention (spec), the in-sandbox harness
(harness, reference, candidate, compare_trees) and the parent-side runner."""
