"""Scripts: sequences and seeded chaos, addressed by model id, pattern or ``*``."""

from __future__ import annotations

import pytest

from hotswap.testing import Overloaded, RateLimit, Reply, Reset, Script, ServerFault


@pytest.fixture
def statuses(client, request_for):
    """Send ``count`` requests for ``model`` (in Anthropic's format); return their statuses."""

    def send(model, count):
        path, body, headers = request_for("anthropic")
        return [
            client.post(path, json={**body, "model": model}, headers=headers).status_code
            for _ in range(count)
        ]

    return send


def test_a_sequence_fails_as_told_then_answers(simulator, statuses):
    simulator.script("claude-sonnet-4-5", [RateLimit(), RateLimit()])

    assert statuses("claude-sonnet-4-5", 4) == [429, 429, 200, 200]


def test_a_script_targets_its_model_only(simulator, statuses):
    simulator.script("claude-sonnet-4-5", [Overloaded()])

    assert statuses("claude-haiku-4-5", 1) == [200]
    assert statuses("claude-sonnet-4-5", 2) == [529, 200]


def test_star_is_the_default_for_models_no_script_names(simulator, statuses):
    simulator.script("*", Script.sequence(then=Overloaded()))
    simulator.script("claude-sonnet-4-5", [])

    assert statuses("claude-sonnet-4-5", 1) == [200]
    assert statuses("anything-else", 2) == [529, 529]


def test_an_exact_id_wins_over_a_pattern_and_patterns_go_in_order(simulator, statuses):
    simulator.script("claude-*", Script.sequence(then=Overloaded()))
    simulator.script("claude-s*", Script.sequence(then=RateLimit()))
    simulator.script("claude-sonnet-4-5", Script.sequence(then=ServerFault()))

    assert statuses("claude-sonnet-4-5", 1) == [500]
    assert statuses("claude-sonnet-4", 1) == [529]


def test_then_is_what_every_request_after_the_steps_gets(simulator, client, request_for):
    simulator.script("gpt-4.1", Script.sequence(Overloaded(), then=Reply(text="fixed")))
    path, body, headers = request_for("openai")

    first, *rest = [client.post(path, json=body, headers=headers) for _ in range(3)]

    assert first.status_code == 503
    assert [r.json()["choices"][0]["message"]["content"] for r in rest] == ["fixed", "fixed"]


def test_setting_a_script_again_replaces_it(simulator, statuses):
    simulator.script("claude-sonnet-4-5", [RateLimit(), RateLimit()])
    simulator.script("claude-sonnet-4-5", [Overloaded()])

    assert statuses("claude-sonnet-4-5", 2) == [529, 200]


def test_a_request_the_provider_refuses_does_not_use_up_a_step(simulator, client, request_for):
    simulator.script("claude-sonnet-4-5", [RateLimit()])
    path, body, headers = request_for("anthropic")

    refused = client.post(path, json=body, headers={"anthropic-version": "2023-06-01"})
    scripted = client.post(path, json=body, headers=headers)

    assert (refused.status_code, scripted.status_code) == (401, 429)


def test_chaos_is_the_same_for_the_same_seed(simulator, statuses):
    def run(seed):
        simulator.script("*", Script.chaos((Overloaded(), 0.3), (RateLimit(), 0.2), seed=seed))
        return statuses("claude-sonnet-4-5", 40)

    first, again, other = run(7), run(7), run(8)

    assert first == again
    assert first != other
    assert {429, 529, 200} == set(first)


def test_chaos_draws_each_step_about_as_often_as_its_probability():
    script = Script.chaos((Overloaded(), 0.25), (Reset(), 0.05), seed=1)

    drawn = [type(script.next_step()).__name__ for _ in range(4000)]

    assert drawn.count("Overloaded") == pytest.approx(1000, rel=0.1)
    assert drawn.count("Reset") == pytest.approx(200, rel=0.25)
    assert drawn.count("Reply") == pytest.approx(2800, rel=0.05)


def test_chaos_refuses_probabilities_that_cannot_be():
    with pytest.raises(ValueError, match=r"add up to 1\.2"):
        Script.chaos((Overloaded(), 0.7), (RateLimit(), 0.5))
    with pytest.raises(ValueError, match="0 to 1"):
        Script.chaos((Overloaded(), -0.1))


def test_a_step_that_is_not_a_reply_or_fault_is_refused(simulator):
    with pytest.raises(TypeError, match="a Reply or a fault"):
        simulator.script("*", ["rate_limit"])
