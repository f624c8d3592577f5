import pytest

from tests.helpers import make_article


@pytest.fixture
def story(reporter, correspondent):
    """Alice's draft with Carol, the correspondent, on the byline."""
    return make_article(by=reporter, bylines=[(correspondent.person, "reporter")])


@pytest.fixture
def with_emails(reporter, other_reporter, correspondent, editor):
    for user in (reporter, other_reporter, correspondent, editor):
        user.email = f"{user.username}@newsroom.invalid"
        user.save(update_fields=["email"])
