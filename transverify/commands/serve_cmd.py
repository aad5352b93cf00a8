"""`transverify serve`: the language server, on stdio (default) or TCP.

TCP listens on the loopback interface only and admits a client only when its
`initialize` carries the server's token in initializationOptions.token: the
server runs compilers and reads files as the user, so nobody else on the
machine (or the network) may drive it.
"""

from __future__ import annotations

import logging
import os
import secrets

import typer

LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1", "[::1]": "::1"}
TOKEN_ENV = "TRANSVERIFY_SERVER_TOKEN"


def _address(value: str) -> tuple[str, int]:
    """PORT or HOST:PORT with a loopback HOST."""
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", value
    if not port.isdigit() or not 0 <= int(port) < 65536:
        raise typer.BadParameter(f"expected PORT or HOST:PORT, got '{value}'", param_hint="--tcp")
    if host not in LOOPBACK:
        raise typer.BadParameter(f"'{host}': the language server listens on the loopback interface only "
                                 "(127.0.0.1, localhost or ::1); reach it from elsewhere through an SSH tunnel",
                                 param_hint="--tcp")
    return LOOPBACK[host], int(port)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        tcp: str = typer.Option(None, "--tcp", help="Listen on PORT or HOST:PORT (loopback only) instead of stdio."),
        token: str = typer.Option(None, "--token", help=f"The token TCP clients must send (default: ${TOKEN_ENV}, "
                                  "else a new random one, printed on stderr)."),
        log_file: str = typer.Option(None, "--log-file", help="Write the server's log to this file."),
        verbose: bool = typer.Option(False, "--verbose", help="Log debug messages."),
    ) -> None:
        """Run the language server (code actions, diagnostics, code lens, passive capture)."""
        address = _address(tcp) if tcp else None
        # stdout carries the protocol: logging goes to stderr or a file, never stdout.
        logging.basicConfig(filename=log_file, level=logging.DEBUG if verbose else logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        from ..server import redaction

        redaction.install()  # the LLM key never reaches the log
        from ..server.server import create_server

        server = create_server()
        if not address:
            server.start_io()
            return
        token = token or os.environ.get(TOKEN_ENV) or None
        generated = token is None
        if generated:
            token = secrets.token_urlsafe(24)
        if len(token) < 16:
            raise typer.BadParameter("use a token of at least 16 characters", param_hint="--token")
        redaction.remember(token)  # the initialize message that carries it is logged at debug level

        def listening(host: str, port: int) -> None:
            typer.echo(f"transverify: listening on {host}:{port}; clients send initializationOptions.token"
                       + (f" = {token}" if generated else f" (the value of --token / ${TOKEN_ENV})"), err=True)

        try:
            server.start_tcp(*address, token=token, on_listening=listening)
        except OSError as exc:
            typer.echo(f"error: cannot listen on {address[0]}:{address[1]}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2)
