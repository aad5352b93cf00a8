"""Reading JSON-RPC messages from stdio or TCP with limits, in place of pygls's reader.

pygls 2.1.1 trusts the framing: a `Content-Length: 99999999999` header makes it
allocate the whole body (MemoryError, the server dies), a header line without
an end is read whole, malformed JSON or params that do not fit the method's
type get no reply at all, and a handler's exception goes back with its
traceback.  Here:

  * a message above the limit (TRANSVERIFY_MAX_MESSAGE_BYTES, default 64 MiB)
    is answered with a JSON-RPC error (id null) and skipped by reading and
    dropping its bytes in small chunks, so an honest client stays in step; if
    the stream ends inside it, the server logs that and exits cleanly;
  * a header line over 8 KiB cannot be resynchronised: logged, clean exit;
  * unparsable JSON -> -32700, a non-object -> -32600, params that do not fit
    -> -32602 with the request's id;
  * errors from handlers carry a one-line message, never a traceback;
  * over TCP, the first message must be `initialize` with the server's token in
    initializationOptions.token; anything else gets -32001 and the connection
    is closed (see serve_tcp).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sys
import threading
from typing import Any, Awaitable, Callable

from lsprotocol.types import ResponseError, ResponseErrorMessage
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_HEADER_LINE = 8192
CHUNK = 1024 * 1024
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, UNAUTHORIZED = -32700, -32600, -32602, -32001


def _not_deserialize_noise(record: logging.LogRecord) -> bool:
    # pygls logs a full traceback for every request whose params do not fit; read_messages
    # answers those with -32602 and logs one line instead.
    return not record.getMessage().startswith("Unable to deserialize message")


logging.getLogger("pygls.protocol.json_rpc").addFilter(_not_deserialize_noise)


def max_message_bytes() -> int:
    value = os.environ.get("TRANSVERIFY_MAX_MESSAGE_BYTES", "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else DEFAULT_MAX_MESSAGE_BYTES


class TransverifyProtocol(LanguageServerProtocol):
    """pygls's protocol, with handler errors reported in one line (the traceback goes to the log)."""

    def _send_handler_result(self, future, *, msg_id):
        if not future.cancelled() and future.exception() is not None:
            exc = future.exception()
            if not isinstance(exc, JsonRpcException):
                self._request_futures.pop(msg_id, None)
                log.error("request %s failed", msg_id, exc_info=exc)
                message = f"transverify: {exc.__class__.__name__}: {exc}"
                self._send_response(msg_id, error=JsonRpcInternalError(message=message).to_response_error())
                return
        super()._send_handler_result(future, msg_id=msg_id)


# -- readers: one interface over stdin (a blocking file, read in a thread) and TCP ----------------

class _StdinReader:
    def __init__(self, stream, executor) -> None:
        self.stream, self.executor = stream, executor

    async def readline(self) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.stream.readline,
                                                                MAX_HEADER_LINE + 1)

    async def read(self, size: int) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.stream.read, size)


class _StreamReader:
    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    async def readline(self) -> bytes:
        try:
            return await self.reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial
        except asyncio.LimitOverrunError:
            return b"x" * (MAX_HEADER_LINE + 1)

    async def read(self, size: int) -> bytes:
        try:
            return await self.reader.readexactly(size)
        except asyncio.IncompleteReadError as exc:
            return exc.partial


async def _read_exactly(reader, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = await reader.read(min(left, CHUNK))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


async def _skip(reader, size: int) -> bool:
    """Drop `size` bytes without keeping them; False when the stream ends first."""
    left = size
    while left:
        part = await reader.read(min(left, CHUNK))
        if not part:
            return False
        left -= len(part)
    return True


# -- the loop ----------------------------------------------------------------------------------

Admit = Callable[[dict], Awaitable[bool]]


async def read_messages(protocol: LanguageServerProtocol, reader, stop: threading.Event,
                        admit: Admit | None = None) -> str:
    """Hand every well-formed message to the protocol until the stream ends; returns why it ended."""
    limit = max_message_bytes()
    while not stop.is_set():
        length: int | None = None
        bad_length: str | None = None
        seen_header = False
        while True:
            line = await reader.readline()
            if not line:
                return "end of stream"
            if len(line) > MAX_HEADER_LINE or not line.endswith(b"\n"):
                log.error("a header line longer than %d bytes: the stream cannot be followed; stopping", MAX_HEADER_LINE)
                return "header line too long"
            if not line.strip():
                if seen_header:
                    break
                continue  # blank lines between messages
            seen_header = True
            name, _, value = line.decode("ascii", "replace").partition(":")
            if name.strip().lower() == "content-length":
                value = value.strip()
                if value.isdigit():
                    length = int(value)
                else:
                    bad_length = value[:40]
        if length is None:
            log.error("a message without a valid Content-Length (%r): the stream cannot be followed; stopping",
                      bad_length)
            _send_error(protocol, None, INVALID_REQUEST, "a message without a valid Content-Length header")
            return "no content length"
        if length > limit:
            log.error("refused a message of %d bytes (limit %d, TRANSVERIFY_MAX_MESSAGE_BYTES)", length, limit)
            _send_error(protocol, None, INVALID_REQUEST, f"message of {length} bytes refused: above the limit of "
                        f"{limit} bytes (TRANSVERIFY_MAX_MESSAGE_BYTES)")
            if not await _skip(reader, length):
                log.error("the stream ended inside the refused message; stopping")
                return "stream ended inside a refused message"
            continue
        body = await _read_exactly(reader, length)
        if len(body) < length:
            return "end of stream"
        if not await _dispatch(protocol, body, admit):
            return "refused"
    return "stopped"


async def _dispatch(protocol: LanguageServerProtocol, body: bytes, admit: Admit | None) -> bool:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        _send_error(protocol, None, PARSE_ERROR, f"not JSON: {exc}")
        return True
    if not isinstance(data, dict):
        _send_error(protocol, None, INVALID_REQUEST, "a JSON-RPC message must be an object")
        return True
    request_id = data.get("id") if isinstance(data.get("id"), (int, str)) and "method" in data else None
    if admit is not None and not await admit(data):
        return False
    try:
        message = protocol.structure_message(data)
    except JsonRpcInvalidParams:
        log.warning("invalid params for %s: %s", data.get("method"), _short(data.get("params")))
        if request_id is not None:
            _send_error(protocol, request_id, INVALID_PARAMS,
                        f"invalid params for {data.get('method')}: {_short(data.get('params'))}")
        return True
    except JsonRpcException as exc:
        log.warning("cannot read the %s message", data.get("method"))
        if request_id is not None:
            _send_error(protocol, request_id, exc.code, f"cannot read the {data.get('method')} request")
        return True
    try:
        protocol.handle_message(message)
    except Exception:  # a bug in a handler must not end the session
        log.exception("cannot handle %s", data.get("method"))
        if request_id is not None:
            _send_error(protocol, request_id, JsonRpcInternalError.CODE, f"cannot handle {data.get('method')}")
    return True


def _send_error(protocol: LanguageServerProtocol, msg_id: Any, code: int, message: str) -> None:
    protocol._send_data(ResponseErrorMessage(id=msg_id, error=ResponseError(code=code, message=message)))


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- stdio and TCP ---------------------------------------------------------------------------------

def serve_stdio(server, stdin=None, stdout=None) -> None:
    """The server on stdin/stdout until the client ends the session or the stream."""
    server._stop_event = stop = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    reader = _StdinReader(stdin or sys.stdin.buffer, server.thread_pool)
    try:
        why = asyncio.run(read_messages(server.protocol, reader, stop))
        log.info("stdio session ended: %s", why)
    except BrokenPipeError:
        log.error("the connection to the client is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


def serve_tcp(server, host: str, port: int, token: str, on_listening: Callable[[str, int], None]) -> None:
    """One authenticated client at a time on host:port; the server ends with its session."""
    server._stop_event = stop = threading.Event()
    busy = asyncio.Lock()

    async def connection(stream_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if busy.locked():
            writer.close()
            return
        async with busy:
            authenticated = False

            async def admit(data: dict) -> bool:
                nonlocal authenticated
                if authenticated:
                    return True
                options = (data.get("params") or {}).get("initializationOptions") if \
                    isinstance(data.get("params"), dict) else None
                offered = options.get("token") if isinstance(options, dict) else None
                if data.get("method") == "initialize" and isinstance(offered, str) and \
                        hmac.compare_digest(offered.encode(), token.encode()):
                    authenticated = True
                    return True
                log.warning("refused a TCP client without the server token")
                reply = {"jsonrpc": "2.0", "id": data.get("id"), "error": {
                    "code": UNAUTHORIZED, "message": "transverify: the first message must be initialize with "
                    "initializationOptions.token set to the server's token"}}
                body = json.dumps(reply).encode()
                writer.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
                return False

            server.protocol.set_writer(writer)
            why = await read_messages(server.protocol, _StreamReader(stream_reader), stop, admit)
            writer.close()
            if authenticated:
                log.info("TCP session ended: %s", why)
                server.shutdown()

    async def main() -> None:
        server._server = await asyncio.start_server(connection, host, port)
        bound = server._server.sockets[0].getsockname()
        on_listening(bound[0], bound[1])
        async with server._server:
            try:
                await server._server.serve_forever()
            except asyncio.CancelledError:
                pass

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, SystemExit):
        pass
