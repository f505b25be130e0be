"""TLS stays verified; a practice's own certificate authority can be trusted from settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from backend.serving import BackgroundServer
from desktop.services.api import ApiClient, OfflineError
from desktop.services.settings import Settings
from tests import processes


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose certificate is signed by a private CA (as TLS-inspecting proxies are)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    processes.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    app = FastAPI()
    app.get("/health")(lambda: {"ok": True})
    server = BackgroundServer(app, ssl_certfile=str(cert), ssl_keyfile=str(key)).start()
    yield server.url, cert
    server.stop()


def test_an_unknown_certificate_is_refused_with_a_plain_reason(
    https_server: tuple[str, Path],
) -> None:
    url, _cert = https_server
    with pytest.raises(OfflineError, match="certificate could not be verified"):
        ApiClient(url).check_reachable()


def test_the_practices_own_ca_from_settings_is_trusted(
    https_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, cert = https_server
    Settings(ca_bundle=str(cert), proxy=None).save(tmp_path)
    settings = Settings.load(tmp_path)
    client = ApiClient(url, ca_bundle=settings.ca_bundle, proxy=settings.proxy)
    client.check_reachable()
    assert client._session.verify == str(cert)


def test_settings_survive_junk_and_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"proxy": "http://proxy:3128", "colour": 3}')
    assert Settings.load(tmp_path) == Settings(proxy="http://proxy:3128")
    (tmp_path / "settings.json").write_text("{not json")
    assert Settings.load(tmp_path) == Settings()
    client = ApiClient("https://example.invalid", proxy="http://proxy:3128")
    assert client._session.proxies == {"http": "http://proxy:3128", "https": "http://proxy:3128"}
