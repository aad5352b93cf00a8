"""CUDA support of the verification engine (the pairs live in verify/pairs/cuda.py).

  parse.py           tree-sitter (CUDA grammar for .cu, C++ for .cpp) helpers
  signature.py       host functions, the entry and its parameters (the unit-mode convention)
  extents.py         array extents: --shape, structured comments, inference from the body
  harness.py         the generated unit harness, case planning, reading its outputs
  rewrite.py         .cu -> C++ for the CPU execution layer; refuses unsupported constructs
  runtime/           the CPU execution layer (tvcuda_runtime.h), shipped as package data
  build.py           nvcc checks, builds and runs of one side, in the sandbox
  gpu.py             is there a working GPU (nvidia-smi + probe kernel)?
  runtime_errors.py  AddressSanitizer / launch-failure reports -> kernel, file and line
"""
