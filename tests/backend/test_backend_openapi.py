"""docs/openapi.json is the backend's own OpenAPI document, kept in step with the code."""

from __future__ import annotations

import json
from pathlib import Path

from backend.api.app import create_app
from backend.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def current_document(tmp_path: Path) -> dict:
    settings = Settings.from_env(data_dir=str(tmp_path), database_url="sqlite://")
    return create_app(settings).openapi()


def test_committed_document_matches_the_code(tmp_path: Path) -> None:
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(current_document(tmp_path))), (
        "docs/openapi.json is stale: run `make openapi`"
    )


def test_document_lists_the_api_core(tmp_path: Path) -> None:
    paths = current_document(tmp_path)["paths"]
    for path in (
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/staff",
        "/api/v1/sync",
        "/api/v1/chats/sms",
        "/api/v1/chats",
        "/api/v1/chats/{chat_id}/messages",
        "/api/v1/chats/{chat_id}/details",
        "/api/v1/chats/{chat_id}/handoff",
    ):
        assert path in paths
