"""Item 3: a candidate reaches no Unix socket of the host: not one on disk in a place anyone may
read (the host's /tmp, /run, /var/tmp, the user's home, where session buses and agents
listen), nor an abstract one."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path

CONNECT_CPP = r"""
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main() {
    const char *paths[] = {@PATHS@};
    std::puts("hello");
    for (const char *path : paths) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        size_t len = std::strlen(path);
        std::memcpy(addr.sun_path, path, len);
        if (path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
        socklen_t size = offsetof(sockaddr_un, sun_path) + len;
        if (connect(fd, reinterpret_cast<sockaddr *>(&addr), size) == 0) {
            write(fd, "pwned", 5);
            std::printf("connected %s\n", path);
        }
        close(fd);
    }
    return 0;
}
"""


def _listen(address: str) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + address[1:] if address.startswith("@") else address)
    if not address.startswith("@"):
        os.chmod(address, 0o777)
    server.listen()
    server.settimeout(0.1)
    return server


def test_a_candidate_connects_to_no_host_unix_socket(unprivileged_dir, verify_json, needs_compilers):
    from conftest import HELLO_F90
    from unprivileged import user_env

    (_, uid, gid, _), home = unprivileged_dir
    tag = uuid.uuid4().hex[:12]
    addresses = [f"/tmp/tv-bus-{tag}", f"/var/tmp/tv-bus-{tag}", str(home / f"bus-{tag}"), f"@tv-bus-{tag}"]
    if os.access("/run", os.W_OK):
        addresses.append(f"/run/tv-bus-{tag}")
    servers = [_listen(a) for a in addresses]
    accepted: list[str] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            for address, server in zip(addresses, servers):
                try:
                    conn, _ = server.accept()
                    accepted.append(address)
                    conn.close()
                except OSError:
                    pass
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        (home / "hello.f90").write_text(HELLO_F90)
        quoted = ", ".join(f'"{a}"' for a in addresses)
        (home / "connect.cpp").write_text(CONNECT_CPP.replace("@PATHS@", quoted))
        for path in (home / "hello.f90", home / "connect.cpp"):
            os.chown(path, uid, gid)
        code, out = verify_json(home / "hello.f90", home / "connect.cpp", env=user_env(home), as_user=True)
    finally:
        stop.set()
        watcher.join()
        for address, server in zip(addresses, servers):
            server.close()
            if not address.startswith("@"):
                Path(address).unlink(missing_ok=True)
    assert accepted == [], f"the candidate reached {accepted}"
    assert code == 0 and out["verdict"] == "equivalent", out  # it printed only "hello"
