"""The API's 422: each problem's location is a path in what the client sent."""

import pytest

from saypro.accounts.tests.factories import UserFactory, token_client


@pytest.mark.django_db
def test_a_body_problem_is_located_by_its_json_path_not_the_python_parameter():
    client = token_client(UserFactory())

    response = client.post(
        "/api/v1/conversations",
        {"store_id": "x", "text": 5},
        content_type="application/json",
    )

    assert response.status_code == 422
    locations = [problem["location"] for problem in response.json()["error"]["details"]]
    assert locations == [["body", "store_id"], ["body", "text"]]


@pytest.mark.django_db
def test_a_query_problem_is_located_by_its_parameter():
    client = token_client(UserFactory())

    response = client.get("/api/v1/events", {"after": "soon"})

    assert response.status_code == 422
    locations = [problem["location"] for problem in response.json()["error"]["details"]]
    assert locations == [["query", "after"]]
