"""``make serve`` on a busy port says which port is busy and how to pick another, in one line."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys

import pytest

from conftest import ENV, ROOT


def test_a_busy_port_is_named_with_what_to_do():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "scripts/serve.py", str(port)], cwd=ROOT, env=ENV,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"port {port} is busy" in result.stderr and "make serve PORT=" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_serve_goes_through_the_port_check():
    result = subprocess.run(["make", "-n", "serve", "PORT=8123"], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, timeout=60)
    assert "scripts/serve.py 8123" in result.stdout, result.stdout + result.stderr
