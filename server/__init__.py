"""transverify.server: the language server behind `transverify serve`.

Each editor feature lives in its own module under features/; server.py wires
them onto one pygls LanguageServer.
"""
