import pytest

from saypro.knowledge.loading import load_content


@pytest.fixture
def articles(db):
    """The shipped knowledge base, loaded."""
    return load_content()
