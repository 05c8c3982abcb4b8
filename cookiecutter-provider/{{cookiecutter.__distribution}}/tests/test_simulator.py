"""End to end over real HTTP, through hotswap's engine, against the provider simulator: the
exact request sent, answers whole and streamed, tool calls, every error kind, and failover."""

from __future__ import annotations

import pytest
from hotswap import (
    AuthError,
    ConnectionFailedError,
    ContextLengthError,
    FailoverSettings,
    Outcome,
    OverloadedError,
    PermissionDeniedError,
    ProviderError,
    RateLimitedError,
    ServerError,
    StreamInterruptedError,
)
from hotswap.plugin import Finish, FinishReason, TextDelta, ToolDefinition
from hotswap.testing import (
{%- if cookiecutter.wire_format == "openai-compatible" %}
    ContextTooLong,
{%- endif %}
    Cut,
    Forbidden,
    Overloaded,
    RateLimit,
{%- if cookiecutter.wire_format == "custom" %}
    RawResponse,
{%- endif %}
    Reply,
    ServerFault,
    StreamError,
    ToolCall,
    Unauthorized,
)

from .conftest import API_KEY
{%- if cookiecutter.wire_format == "custom" %}

PATH = "/api/chat"
{%- else %}

PATH = "/v1/chat/completions"
{%- endif %}
WEATHER = ToolDefinition(
    name="get_weather",
    description="The weather in a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
)

# -- what is sent -------------------------------------------------------------------------------


def test_a_question_is_sent_with_the_key_in_its_header(chain, simulator):
    chain().complete("hi there")

    [sent] = simulator.requests
    assert (sent.method, sent.path) == ("POST", PATH)
{%- if cookiecutter.__bearer == "True" %}
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
{%- else %}
    assert sent.headers["{{ cookiecutter.auth_header.lower() }}"] == API_KEY
    assert "authorization" not in sent.headers
{%- endif %}
    assert sent.headers["content-type"] == "application/json"
{%- if cookiecutter.wire_format == "custom" %}
    assert sent.json() == {
        "model": "{{ cookiecutter.name }}-large",
        "messages": [{"role": "user", "content": "hi there"}],
        "stream": False,
    }
{%- else %}
    body = sent.json()
    assert body["model"] == "{{ cookiecutter.name }}-large"
    assert body["messages"][-1]["role"] == "user"
    assert "hi there" in str(body["messages"][-1]["content"])
{%- endif %}


def test_a_known_alias_is_sent_as_its_model_id(chain, simulator):
    chain({"model": "small"}).complete("hi")

    assert simulator.requests[0].json()["model"] == "{{ cookiecutter.name }}-small"
{%- if cookiecutter.wire_format == "custom" %}


def test_options_are_sent_only_when_set(chain, simulator):
    chain().complete("hi", max_tokens=50, temperature=0.2, stop=["END"])

    assert simulator.requests[0].json()["options"] == {
        "temperature": 0.2,
        "stop": ["END"],
        "num_predict": 50,
    }


def test_a_thinking_level_asks_for_thinking_and_gets_it_back(chain, simulator):
    reply = chain().complete("hi there", thinking_level="high")

    assert simulator.requests[0].json()["think"] is True
    assert [part.text for part in reply.thinking] == ["thinking about: hi there"]
    assert reply.text == "echo: hi there"
{%- endif %}


# -- answers ------------------------------------------------------------------------------------


def test_a_whole_answer_comes_back_with_its_usage(chain):
    reply = chain().complete("hi there")

    assert reply.text == "echo: hi there"
    assert reply.finish_reason is FinishReason.STOP
    assert (reply.provider, reply.model) == ("{{ cookiecutter.name }}", "main")
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (2, 3)


def test_a_streamed_answer_arrives_piece_by_piece(chain, simulator):
    stream = chain().stream("hi there")
    events = list(stream)

    assert [e.text for e in events if isinstance(e, TextDelta)] == ["echo: ", "hi ", "there"]
    assert isinstance(events[-1], Finish)
    assert events[-1].reason is FinishReason.STOP
    assert stream.completion().text == "echo: hi there"
    assert simulator.requests[0].json()["stream"] is True


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_tool_call_comes_back_with_its_arguments(chain, simulator, streamed):
    call = ToolCall("get_weather", {"city": "Paris"})
    simulator.script("{{ cookiecutter.name }}-large", [Reply(text="", tool_calls=(call,))])

    if streamed:
        stream = chain().stream("weather in Paris?", tools=[WEATHER])
        list(stream)
        reply = stream.completion()
    else:
        reply = chain().complete("weather in Paris?", tools=[WEATHER])

    [made] = reply.tool_calls
    assert (made.name, made.arguments) == ("get_weather", {"city": "Paris"})
    assert reply.finish_reason is FinishReason.TOOL_CALLS
    [tool] = simulator.requests[0].json()["tools"]
    assert tool["function"]["name"] == "get_weather"


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (RateLimit(), RateLimitedError),
        (Overloaded(), OverloadedError),
        (ServerFault(), ServerError),
        (ServerFault(status=502, html=True), ServerError),
        (Unauthorized(), AuthError),
        (Forbidden(), PermissionDeniedError),
        (Cut(), ConnectionFailedError),
{%- if cookiecutter.wire_format == "custom" %}
        (
            RawResponse(400, '{"error": "the prompt exceeds the context length"}'),
            ContextLengthError,
        ),
{%- else %}
        (ContextTooLong(), ContextLengthError),
{%- endif %}
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else type(value).__name__,
)
def test_each_failure_is_raised_as_its_kind(chain, simulator, fault, error):
    simulator.script("{{ cookiecutter.name }}-large", [fault])

    with pytest.raises(error) as raised:
        chain().complete("hi")

    assert type(raised.value) is error
    assert raised.value.provider == "{{ cookiecutter.name }}"


def test_an_error_inside_a_stream_after_content_keeps_the_partial_text(chain, simulator):
{%- if cookiecutter.wire_format == "custom" %}
    # Two frames: "echo: " and "one ", then an error line.
    simulator.script("{{ cookiecutter.name }}-large", [StreamError(after=2)])
{%- else %}
    # Three frames: the role, "echo: " and "one ", then an error chunk.
    simulator.script("{{ cookiecutter.name }}-large", [StreamError(after=3)])
{%- endif %}

    with pytest.raises(StreamInterruptedError) as raised:
        list(chain().stream("one two three four"))

    assert raised.value.partial_text == "echo: one "
    assert isinstance(raised.value.error, ProviderError)


def test_a_missing_key_names_the_environment_variable(chain, monkeypatch):
    built = chain()
    monkeypatch.delenv("{{ cookiecutter.env_var }}")

    with pytest.raises(AuthError, match="{{ cookiecutter.env_var }}"):
        built.complete("hi")


# -- failover -----------------------------------------------------------------------------------


def test_a_rate_limited_model_hands_over_to_the_next_at_once(chain, simulator):
    simulator.script("{{ cookiecutter.name }}-large", [RateLimit()])
    models = chain(
        {"name": "large"},
        {"name": "small", "model": "{{ cookiecutter.name }}-small"},
        settings=FailoverSettings(),
    )

    reply = models.complete("hi")

    assert (reply.model, reply.text) == ("small", "echo: hi")
    assert [(a.model, a.outcome, a.kind) for a in reply.attempts] == [
        ("large", Outcome.FAILED, "rate_limited"),
        ("small", Outcome.OK, None),
    ]
