"""The server address as typed, the cache folder per server, and remembering the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.services.cache_paths import server_cache_dir
from desktop.services.server_url import ServerUrlError, normalise_server_url
from desktop.services.settings import Settings, remember_server


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" HTTPS://PetsApp.Example/ ", "https://petsapp.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://clinic.example/petsapp/", "https://clinic.example/petsapp"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_addresses_are_normalised(typed: str, normalised: str) -> None:
    assert normalise_server_url(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("petsapp.example", "scheme"),
        ("ftp://petsapp.example", "scheme"),
        ("https://", "host"),
        ("https://petsapp.example:port", "host"),
        ("https://user:pw@petsapp.example", "host"),
    ],
)
def test_unusable_addresses_say_why(typed: str, reason: str) -> None:
    with pytest.raises(ServerUrlError) as raised:
        normalise_server_url(typed)
    assert raised.value.reason == reason


def test_each_server_has_its_own_cache_folder(tmp_path: Path) -> None:
    one = server_cache_dir(tmp_path, "https://petsapp.example")
    two = server_cache_dir(tmp_path, "https://petsapp.example/other")
    assert one != two
    assert one.parent == two.parent == tmp_path / "servers"
    assert one.name.startswith("petsapp.example-")
    assert server_cache_dir(tmp_path, "https://petsapp.example") == one


def test_remembering_the_server_keeps_what_it_writes_alongside(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"proxy": "http://proxy.practice.local:3128", "note": "set by IT"})
    )
    remember_server(tmp_path, "https://petsapp.example")
    raw = json.loads((tmp_path / "settings.json").read_text())
    assert raw == {
        "proxy": "http://proxy.practice.local:3128",
        "note": "set by IT",
        "server": "https://petsapp.example",
    }
    assert Settings.load(tmp_path).server == "https://petsapp.example"


def test_an_unreadable_settings_file_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json")
    remember_server(tmp_path, "https://petsapp.example")
    assert (tmp_path / "settings.json").read_text() == "{not json"
