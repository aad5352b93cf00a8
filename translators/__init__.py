"""transverify.translators: turn source code into a candidate translation.

Rule-based translators (where a pair has rules), the Questioner-Solver LLM
loop, and the record store that keeps every dialogue as training data.  The
entry point for callers (CLI, language server) is `pipeline.translate`.
"""
