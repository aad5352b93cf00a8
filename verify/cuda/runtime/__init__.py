"""The CPU execution layer for CUDA: tvcuda_runtime.h (package data)."""
