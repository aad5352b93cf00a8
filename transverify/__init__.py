"""transverify: translate code between HPC/ML languages and verify every translation."""

__version__ = "0.1.0"
