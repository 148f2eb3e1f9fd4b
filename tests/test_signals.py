"""SIGTERM and SIGHUP on the running explorer give the terminal back as quitting does: the main
screen again, the cursor shown, mouse tracking off, and the line settings it found."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
ENTER_ALTERNATE_SCREEN = b"\x1b[?1049h"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


def _drain(fd: int, seconds: float) -> bytes:
    """What the terminal is sent until it has been quiet for `seconds`."""
    out = b""
    while select.select([fd], [], [], seconds)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side is closed
            break
        if not chunk:
            break
        out += chunk
    return out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_restores_the_terminal(db: Path, tmp_path: Path, signum: int):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    settings = termios.tcgetattr(slave)
    env = {
        **{k: v for k, v in os.environ.items() if k != "LEXPANE_DB"},
        "TERM": "xterm-256color",
        "LEXPANE_DATA_DIR": str(tmp_path / "user-data"),
    }
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "tui", "--db", str(db)],
            stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            screen = b""
            deadline = time.monotonic() + 60
            while b"Kazakhstan" not in screen and time.monotonic() < deadline:
                screen += _drain(master, 0.2)
            assert b"Kazakhstan" in screen, "the explorer never drew its first frame"
            assert ENTER_ALTERNATE_SCREEN in screen
            assert settings != termios.tcgetattr(slave)  # the app put the line in raw mode
            screen += _drain(master, 0.5)  # let it settle

            sent = time.monotonic()
            child.send_signal(signum)
            code = child.wait(timeout=10)
            took = time.monotonic() - sent
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        after = _drain(master, 0.3)
        restored = termios.tcgetattr(slave)
    finally:
        os.close(master)
        os.close(slave)

    assert 128 + signum == code
    assert took < 5
    assert LEAVE_ALTERNATE_SCREEN in after, after
    tail = after[after.rindex(LEAVE_ALTERNATE_SCREEN) :]
    assert ENTER_ALTERNATE_SCREEN not in tail  # nothing drawn after leaving
    assert tail.startswith(LEAVE_ALTERNATE_SCREEN + SHOW_CURSOR), tail
    assert MOUSE_OFF in after
    assert settings == restored
