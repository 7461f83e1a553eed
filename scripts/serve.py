"""``make serve``: ``mkdocs serve`` on 127.0.0.1:PORT, or one line saying the port is busy.

Why a script: on a busy port ``mkdocs serve`` first builds the whole site (minutes: every model
in both frameworks) and then dies with a traceback from deep inside its HTTP server. Checking
the port first costs nothing and says what to do.

    python scripts/serve.py [PORT]      # default 8000
"""

from __future__ import annotations

import os
import socket
import sys

HOST = "127.0.0.1"


def busy(port: int) -> bool:
    """Whether something already listens on HOST:port (binding is how mkdocs would find out)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Like the server mkdocs starts: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False


def main(argv: list[str]) -> int:
    text = argv[0] if argv else "8000"
    if not text.isdigit() or not 0 < int(text) < 65536:
        print(f"serve: PORT must be a number from 1 to 65535, got {text!r} "
              "(e.g. make serve PORT=8001).", file=sys.stderr)
        return 2
    port = int(text)
    if busy(port):
        print(f"serve: port {port} is busy (another server is running there): stop it, or pick "
              f"another port with make serve PORT={port + 1}.", file=sys.stderr)
        return 2
    # Replace this process: Ctrl-C then stops mkdocs directly, with no wrapper in between.
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "-a", f"{HOST}:{port}"])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
