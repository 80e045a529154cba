"""The pip package's Python side imports and carries the same version as the service."""

import json
import pathlib

import hbroker


def test_version_matches_the_service():
    root = pathlib.Path(__file__).resolve().parent.parent
    service = json.loads((root / "hub-service" / "package.json").read_text())
    assert hbroker.__version__ == service["version"]
