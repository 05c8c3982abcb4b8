"""Every request the simulator receives is recorded: method, path, query, headers, body, the
provider family its path belongs to and the model it named."""

from __future__ import annotations

from hotswap.testing import RateLimit


def test_a_request_is_recorded_with_exactly_what_was_sent(simulator, client, request_for):
    path, body, headers = request_for("anthropic")

    client.post(path, json=body, headers={**headers, "anthropic-beta": "a,b"})

    [recorded] = simulator.requests
    assert (recorded.method, recorded.path, recorded.query) == ("POST", "/v1/messages", {})
    assert recorded.headers["x-api-key"] == "sk-ant-api03-test"
    assert recorded.headers["anthropic-beta"] == "a,b"
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.json() == {**body, "stream": False}
    assert (recorded.provider, recorded.model) == ("anthropic", "claude-sonnet-4-5")


def test_a_repeated_header_keeps_every_value(simulator, client, request_for):
    path, body, headers = request_for("openai")

    client.post(path, json=body, headers=[*headers.items(), ("x-tag", "a"), ("x-tag", "b")])

    assert simulator.requests[0].headers["x-tag"] == "a, b"


def test_the_query_string_is_recorded(simulator, client, request_for):
    path, body, _ = request_for("gemini", stream=True)

    client.post(f"{path}&key=AIza-test", json=body)

    assert simulator.requests[0].query == {"alt": "sse", "key": "AIza-test"}


def test_count_is_per_model_and_includes_failed_and_refused_requests(
    simulator, client, request_for
):
    simulator.script("gpt-4.1", [RateLimit()])
    path, body, headers = request_for("openai")

    client.post(path, json=body, headers=headers)
    client.post(path, json=body, headers=headers)
    client.post(path, json=body)  # no key: refused
    client.post(path, json={**body, "model": "gpt-4o"}, headers=headers)

    assert simulator.count("gpt-4.1") == 3
    assert simulator.count("gpt-4o") == 1
    assert simulator.count() == 4


def test_a_path_nothing_is_served_at_is_recorded_and_answered_404_naming_the_paths(
    simulator, client
):
    response = client.post("/v2/complete", content=b"hello")

    assert response.status_code == 404
    assert "POST /v1/messages (Anthropic)" in response.text
    [recorded] = simulator.requests
    assert (recorded.path, recorded.body, recorded.provider, recorded.model) == (
        "/v2/complete",
        b"hello",
        None,
        None,
    )


def test_a_body_that_is_not_json_is_recorded_as_sent(simulator, client, request_for):
    path, _, headers = request_for("openai")

    client.post(path, content=b"{oops", headers=headers)

    [recorded] = simulator.requests
    assert (recorded.body, recorded.model) == (b"{oops", None)


def test_reset_forgets_records_scripts_and_keys(simulator, client, request_for):
    path, body, headers = request_for("anthropic")
    simulator.script("*", [RateLimit()])
    simulator.accept_keys("anthropic", "another-key")
    client.post(path, json=body, headers=headers)

    simulator.reset()

    assert simulator.requests == []
    assert client.post(path, json=body, headers=headers).status_code == 200
