"""Schemathesis: requests generated from the OpenAPI schema, sent to the live server (a real
HTTP server on a real socket), with and without a token. No answer is a 5xx, and every
answer the schema documents matches it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import Token
from tests.helpers import build_paper, make_article, make_user

# Examples per operation (each is sent twice: without a token and with an editor's).
EXAMPLES = 8


@pytest.fixture
def api_key(live_server, settings) -> str:
    """A small paper on the live server, and an editor's token with every scope."""
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_TOKEN = "100000/minute"
    editor = make_user("erin", "Editors", person_name="王编辑")
    reporter = make_user("alice", "Reporters", person_name="张改华")
    build_paper(editor, reporter.person)
    make_article(by=reporter, headline="草稿")
    token = Token(user=editor, name="fuzz", scopes=["read_unpublished", "write_drafts", "publish"])
    key = token.issue()
    token.save()
    return key


# Serialized rollback, as every transactional test here: the groups the migrations made are
# put back for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_never_fails_and_answers_as_its_schema_says(live_server, api_key):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    checks = [not_a_server_error, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case):
            # Once as the public (whatever credentials the generator made up), once as the editor.
            case.headers = {
                k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"
            }
            case.call_and_validate(checks=checks)
            case.call_and_validate(checks=checks, headers={"Authorization": f"Bearer {api_key}"})

        run()
