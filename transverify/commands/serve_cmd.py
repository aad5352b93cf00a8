"""`transverify serve`: the language server, on stdio (default) or TCP."""

from __future__ import annotations

import logging

import typer


def _host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise typer.BadParameter(f"expected HOST:PORT, got '{value}'", param_hint="--tcp")
    return host, int(port)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        tcp: str = typer.Option(None, "--tcp", help="Listen on HOST:PORT instead of stdio."),
        log_file: str = typer.Option(None, "--log-file", help="Write the server's log to this file."),
        verbose: bool = typer.Option(False, "--verbose", help="Log debug messages."),
    ) -> None:
        """Run the language server (code actions, diagnostics, code lens, passive capture)."""
        address = _host_port(tcp) if tcp else None
        # stdout carries the protocol: logging goes to stderr or a file, never stdout.
        logging.basicConfig(filename=log_file, level=logging.DEBUG if verbose else logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        from ..server import redaction

        redaction.install()  # the LLM key never reaches the log
        from ..server.server import create_server

        server = create_server()
        if address:
            server.start_tcp(*address)
        else:
            server.start_io()
