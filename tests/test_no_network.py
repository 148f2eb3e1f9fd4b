"""A whole session works with the network made impossible: lexpane never phones home."""

from __future__ import annotations

import json
import socket

import pytest

from tui.app import make_app


class NoNetwork(socket.socket):
    """Internet sockets cannot be made; local ones (the event loop's self-pipe) still can."""

    def __init__(self, family=socket.AF_INET, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6):
            raise OSError("network access attempted during the test")
        super().__init__(family, *args, **kwargs)


def _refuse(*args, **kwargs):
    raise OSError("network access attempted during the test")


@pytest.fixture
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))


async def test_a_full_explorer_session_without_network(no_network, db):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("f", "down", "down", "enter", "escape")  # compare, topic filter
        await pilot.press("slash", *"copyright")  # search
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.press("m", "1", "m", "d", "i", "escape")  # diff
        await pilot.press("v", "escape", "s", "n", "escape")  # versions, source
        await pilot.press("question_mark", "escape", "ctrl+p", "escape")  # help, palette
        await pilot.pause()
        assert app.is_running
        assert app.compare.current is not None


def test_command_line_without_network(no_network, cli, content, tmp_path):
    db = tmp_path / "offline.db"
    assert 0 == cli("check", "--content", content)[0]
    assert 0 == cli("build", "--content", content, "--db", db)[0]
    code, out, _ = cli("search", "copyright", "--json", "--db", db)
    assert 0 == code and json.loads(out)
    assert 0 == cli("show", "kz.art23", "--db", db)[0]
    assert 0 == cli("diff", "ru.labelling@earlier", "ru.labelling@revised", "--db", db)[0]
