"""A whole session works with the network made impossible: lexpane never phones home."""

from __future__ import annotations

import json
import socket

import pytest

from tests.screen import screen_text
from tui.app import make_app

#: Every attempt to reach the network, kept even if something caught the error it met.
ATTEMPTS: list[tuple] = []


class NoNetwork(socket.socket):
    """Internet sockets cannot be made; local ones (the event loop's self-pipe) still can."""

    def __init__(self, family=socket.AF_INET, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6):
            ATTEMPTS.append(("socket", family))
            raise OSError("network access attempted during the test")
        super().__init__(family, *args, **kwargs)


def _refuse(*args, **kwargs):
    ATTEMPTS.append(args)
    raise OSError("network access attempted during the test")


@pytest.fixture
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    ATTEMPTS.clear()
    yield
    assert [] == ATTEMPTS, "lexpane tried to reach the network"


async def test_a_full_explorer_session_without_network(no_network, db):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:

        async def shown(*keys: str) -> str:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen_text(app)

        assert "lexpane — AI regulation" in await shown("f", "down", "enter")  # topic filter
        assert "lexpane — All topics" in await shown("escape")
        results = await shown("slash", *"copyright")  # search as you type
        assert "2 results, best first" in results
        assert "Copyrighted material in training" in results
        assert "╭─ ru.training" in await shown("enter")  # jumps to the best result
        diff = await shown("m", "k", "m", "d")  # mark it and the one above, and diff the two
        assert "− ru.training" in diff and "+ ru.trusted" in diff and "words added" in diff
        assert "ru.trusted" in await shown("i")
        versions = await shown("escape", "v")  # the versions of the provision now focused
        assert "versions: earlier → revised" in versions
        source = await shown("escape", "s")  # its source, at the quoted passage
        assert "Russia bets on domestic AI but won’t ban foreign models" in source
        assert "lexpane keys" in await shown("escape", "question_mark")  # help
        assert "Search for commands" in await shown("escape", "ctrl+p")  # the palette
        assert "╭─ ru.trusted" in await shown("escape")
        assert app.is_running


def test_command_line_without_network(no_network, cli, content, tmp_path):
    db = tmp_path / "offline.db"
    assert 0 == cli("check", "--content", content)[0]
    assert 0 == cli("build", "--content", content, "--db", db)[0]
    assert db.exists()
    code, out, _ = cli("search", "copyright", "--json", "--db", db)
    assert 0 == code
    assert ["ru.training", "kz.art23"] == [record["id"] for record in json.loads(out)]
    code, out, _ = cli("show", "kz.art23", "--db", db)
    assert 0 == code and "Human creative contribution" in out
    code, out, _ = cli("diff", "ru.labelling@earlier", "ru.labelling@revised", "--db", db)
    assert 0 == code and "Developers [-must-] {+need only offer users the option to+}" in out
