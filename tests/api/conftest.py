import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

SCHEMAS = Path("/work/shared/schemas")
LOCAL_SCHEMAS = Path(__file__).resolve().parent / "schemas"


@pytest.fixture
def api():
    """A client of the API, as an integration would be (no session, no cookies)."""
    return APIClient()


def ninjs_validator(version: str = "2.2"):
    """The IPTC ninjs JSON Schema (draft 2020-12) with formats checked; its one outside
    reference (GeoJSON, under `places`) resolves to an empty schema, offline."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource

    path = LOCAL_SCHEMAS / f"ninjs-schema_{version}.json"
    if not path.exists():
        path = SCHEMAS / f"ninjs-schema_{version}.json"
    schema = json.loads(path.read_text())

    def retrieve(uri: str):
        return Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema"})

    registry = Registry(retrieve=retrieve)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
