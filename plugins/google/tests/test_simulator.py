"""End to end through the plugin harness and the failover chain, over real HTTP,
against the provider simulator (hotswap.testing): the exact request, answers and streams,
function calls split across chunks and their thought signatures sent back, thinking per model
family, safety blocks, and every error kind the simulator can produce."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from hotswap_google.provider import INFO

from hotswap import (
    AuthError,
    Config,
    ConnectionFailedError,
    ContentFilterError,
    ContextLengthError,
    MemoryBreakerStore,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    ProviderTimeoutError,
    QuotaExhaustedError,
    RateLimitedError,
    ServerError,
    Transport,
    chain,
    list_models,
)
from hotswap.plugin import (
    CompletionRequest,
    Finish,
    FinishReason,
    KnownModel,
    Message,
    TextDelta,
    ToolCall,
)
from hotswap.testing import (
    ContentFilter,
    ContextTooLong,
    Cut,
    Forbidden,
    Harness,
    Malformed,
    Overloaded,
    PromptBlocked,
    QuotaExhausted,
    RateLimit,
    Reply,
    ServerFault,
    StreamError,
    Unauthorized,
)
from hotswap.testing import ToolCall as ScriptedCall

from .conftest import assemble, model

KEY = "AIza-simulated-key-0001"
HI = CompletionRequest(messages=(Message.user("hi there"),))
GEMINI_3 = "gemini-3-flash-preview"


@pytest.fixture
def keyed(home, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", KEY)


@pytest.fixture
def against(simulator):
    """A model config pointed at the simulator."""

    def configure(**fields: Any):
        return model(base_url=f"{simulator.url}/v1beta", **fields)

    return configure


def complete(host, config, request=HI):
    return Harness.on(host, config).complete(request)


def stream(host, config, request=HI) -> list[Any]:
    return Harness.on(host, config).stream(request)


# -- the exact request and the key ---------------------------------------------------------------


def test_the_key_from_gemini_api_key_is_sent_as_x_goog_api_key(host, simulator, against, keyed):
    complete(host, against())

    [sent] = simulator.requests
    assert (sent.method, sent.path, dict(sent.query)) == (
        "POST",
        "/v1beta/models/gemini-2.5-flash:generateContent",
        {},
    )
    assert sent.headers["x-goog-api-key"] == KEY
    assert sent.headers["content-type"] == "application/json"
    assert "authorization" not in sent.headers
    assert sent.json() == {"contents": [{"role": "user", "parts": [{"text": "hi there"}]}]}


def test_a_stream_asks_for_sse(host, simulator, against, keyed):
    stream(host, against())

    [sent] = simulator.requests
    assert (sent.path, dict(sent.query)) == (
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        {"alt": "sse"},
    )


def test_google_api_key_is_read_when_gemini_api_key_is_not_set(
    host, simulator, against, monkeypatch
):
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-google-key")

    complete(host, against())

    assert simulator.requests[0].headers["x-goog-api-key"] == "AIza-google-key"


def test_gemini_api_key_wins_over_google_api_key(host, simulator, against, monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-google-key")
    monkeypatch.setenv("GEMINI_API_KEY", KEY)

    complete(host, against())

    assert simulator.requests[0].headers["x-goog-api-key"] == KEY


def test_the_credential_google_key_is_read_from_the_credentials_directory(
    host, home, simulator, against
):
    token = home / "credentials" / "google_key" / "default" / "token"
    token.parent.mkdir(parents=True, mode=0o700)
    token.write_text(KEY + "\n")
    os.chmod(token, 0o600)

    complete(host, against())

    assert simulator.requests[0].headers["x-goog-api-key"] == KEY


def test_a_refused_key_is_an_auth_error_that_does_not_show_it(host, simulator, against, keyed):
    simulator.accept_keys("gemini", "AIza-another-key")

    with pytest.raises(AuthError) as raised:
        complete(host, against())

    assert (raised.value.status, raised.value.code) == (400, "API_KEY_INVALID")
    assert KEY not in str(raised.value)


# -- answers and streams -------------------------------------------------------------------------


@pytest.mark.usefixtures("keyed")
def test_a_whole_answer_comes_back_as_a_completion(host, against):
    completion = complete(host, against())

    assert completion.text == "echo: hi there"
    assert (completion.finish_reason, completion.raw_finish_reason) == (FinishReason.STOP, "STOP")
    assert (completion.model, completion.provider, completion.model_id) == (
        "gemini",
        "google",
        "gemini-2.5-flash",
    )
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (2, 3)


@pytest.mark.usefixtures("keyed")
def test_a_stream_yields_text_as_it_arrives_and_ends_with_the_finish_reason(host, against):
    events = stream(host, against())

    assert [e for e in events if isinstance(e, TextDelta)] == [
        TextDelta("echo: "),
        TextDelta("hi "),
        TextDelta("there"),
    ]
    assert events[-1] == Finish(FinishReason.STOP, "STOP", "gemini-2.5-flash")


@pytest.mark.usefixtures("keyed")
def test_function_calls_split_across_chunks_are_assembled_and_sent_back_signed(
    host, simulator, against
):
    calls = (
        ScriptedCall("get_weather", {"city": "Oslo", "days": 3}),
        ScriptedCall("get_time", {"zone": "CET"}),
    )
    simulator.script(GEMINI_3, [Reply(text="Checking.", tool_calls=calls)])
    config = against(model=GEMINI_3)

    first = assemble(stream(host, config))

    assert first.finish_reason is FinishReason.TOOL_CALLS
    weather, time = first.tool_calls
    assert (weather.name, weather.arguments, time.name, time.arguments) == (
        "get_weather",
        {"city": "Oslo", "days": 3},
        "get_time",
        {"zone": "CET"},
    )
    signature = weather.extra["thoughtSignature"]
    follow_up = CompletionRequest(
        messages=(
            *HI.messages,
            first.to_message(),
            Message.tool_result(weather.id, "18C"),
            Message.tool_result(time.id, "12:00"),
        )
    )

    assert complete(host, config, follow_up).text == "echo: hi there"

    contents = simulator.requests[-1].json()["contents"]
    assert contents[1]["parts"][1:] == [
        {
            "functionCall": {"name": "get_weather", "args": {"city": "Oslo", "days": 3}},
            "thoughtSignature": signature,
        },
        {"functionCall": {"name": "get_time", "args": {"zone": "CET"}}},
    ]
    assert [p["functionResponse"]["name"] for p in contents[2]["parts"]] == [
        "get_weather",
        "get_time",
    ]


@pytest.mark.usefixtures("keyed")
def test_calls_another_provider_made_are_accepted_by_gemini_3(host, simulator, against):
    history = CompletionRequest(
        messages=(
            *HI.messages,
            Message.assistant(tool_calls=(ToolCall(id="toolu_01", name="get_weather"),)),
            Message.tool_result("toolu_01", "18C"),
        )
    )

    assert complete(host, against(model=GEMINI_3), history).text == "echo: hi there"


@pytest.mark.usefixtures("keyed")
def test_a_signature_is_not_sent_to_another_model(host, simulator, against):
    simulator.script("gemini-3.1-pro-preview", [Reply(text="", tool_calls=(ScriptedCall("f"),))])
    first = complete(host, against(model="gemini-3.1-pro-preview"))
    [call] = first.tool_calls
    follow_up = CompletionRequest(
        messages=(*HI.messages, first.to_message(), Message.tool_result(call.id, "done"))
    )

    complete(host, against(model=GEMINI_3), follow_up)

    part = simulator.requests[-1].json()["contents"][1]["parts"][0]
    assert part["thoughtSignature"] == "skip_thought_signature_validator"


@pytest.mark.usefixtures("keyed")
def test_thoughts_are_asked_for_and_streamed_as_thinking(host, simulator, against):
    completion = assemble(stream(host, against(thinking_level="low")))

    assert simulator.requests[0].json()["generationConfig"] == {
        "thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": True}
    }
    assert completion.thinking[0].text == "thinking about: hi there"
    assert completion.text == "echo: hi there"


@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize(
    "model_id", [*(known.id for known in INFO.models), "gemini-3-pro-preview", "gemini-pro-latest"]
)
def test_every_thinking_level_is_one_the_model_accepts(host, against, model_id):
    request = CompletionRequest(messages=HI.messages, options={"max_tokens": 100})
    for level in ("off", "minimal", "low", "medium", "high", "xhigh"):
        completion = complete(host, against(model=model_id, thinking_level=level), request)
        assert completion.text == "echo: hi there", (model_id, level)


@pytest.mark.usefixtures("keyed")
def test_safety_settings_from_the_model_s_options_are_sent(host, simulator, against):
    safety = [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_LOW_AND_ABOVE"}]

    complete(host, against(options={"safetySettings": safety}))

    assert simulator.requests[0].json()["safetySettings"] == safety


@pytest.mark.usefixtures("keyed")
def test_the_async_transport_gives_the_same_answer(host, against):
    async def run():
        harness = Harness.on(host, against())
        whole = await harness.acomplete(HI)
        events = [e async for e in harness.aevents(HI)]
        return whole, events

    whole, events = asyncio.run(run())

    assert whole.text == "echo: hi there"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "echo: hi there"


# -- safety --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize("streamed", [False, True])
def test_a_candidate_stopped_for_safety_finishes_as_content_filter(
    host, simulator, against, streamed
):
    simulator.script("gemini-2.5-flash", [ContentFilter()])

    completion = assemble(stream(host, against())) if streamed else complete(host, against())

    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.CONTENT_FILTER,
        "SAFETY",
    )
    assert completion.text == ""


@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize("streamed", [False, True])
def test_a_blocked_prompt_is_a_content_filter_error(host, simulator, against, streamed):
    simulator.script("gemini-2.5-flash", [PromptBlocked()])
    send = stream if streamed else complete

    with pytest.raises(ContentFilterError) as raised:
        send(host, against())

    assert raised.value.code == "SAFETY"
    assert "Gemini blocked the prompt (SAFETY)" in str(raised.value)


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (RateLimit(retry_after=2), RateLimitedError, 429),
        (QuotaExhausted(), QuotaExhaustedError, 429),
        (Overloaded(), OverloadedError, 503),
        (ServerFault(500), ServerError, 500),
        (ServerFault(504), ProviderTimeoutError, 504),
        (ContextTooLong(), ContextLengthError, 400),
        (Unauthorized(), AuthError, 400),
        (Forbidden(), PermissionDeniedError, 403),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_each_error_answer_raises_its_kind(
    host, simulator, against, fault, error, status, streamed
):
    simulator.script("gemini-2.5-flash", [fault])
    send = stream if streamed else complete

    with pytest.raises(error) as raised:
        send(host, against())

    assert (raised.value.status, raised.value.provider) == (status, "google")
    assert type(raised.value) is error


@pytest.mark.usefixtures("keyed")
def test_a_rate_limit_carries_the_retry_delay(host, simulator, against):
    simulator.script("gemini-2.5-flash", [RateLimit(retry_after=2.5)])

    with pytest.raises(RateLimitedError) as raised:
        complete(host, against())

    assert (raised.value.retry_after, raised.value.code) == (2.5, "RESOURCE_EXHAUSTED")


@pytest.mark.usefixtures("keyed")
def test_a_model_the_api_does_not_have_is_not_found(host, simulator, against):
    simulator.serve_models("gemini", "gemini-2.5-pro")

    with pytest.raises(NotFoundError, match=r"models/gemini-2\.5-flash is not found") as raised:
        complete(host, against())

    assert raised.value.status == 404


@pytest.mark.usefixtures("keyed")
def test_an_error_event_after_content_has_started_raises_its_kind(host, simulator, against):
    simulator.script("gemini-2.5-flash", [StreamError(after=2, error=Overloaded())])
    seen: list[Any] = []

    with pytest.raises(OverloadedError) as raised:
        seen.extend(Harness.on(host, against()).events(HI))

    assert (raised.value.status, raised.value.code) == (None, "UNAVAILABLE")
    assert [e.text for e in seen if isinstance(e, TextDelta)] == ["echo: ", "hi "]


@pytest.mark.usefixtures("keyed")
def test_a_stream_cut_before_a_finish_reason_is_a_connection_error(host, simulator, against):
    simulator.script("gemini-2.5-flash", [Cut(after=2)])

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        stream(host, against())


@pytest.mark.usefixtures("keyed")
def test_malformed_json_is_a_server_error(host, simulator, against):
    simulator.script("gemini-2.5-flash", [Malformed(after=1)])

    with pytest.raises(ServerError, match="could not be read"):
        stream(host, against())


# -- the models the key may use, and failing over ------------------------------------------------


@pytest.mark.usefixtures("keyed")
def test_hotswap_models_lists_what_the_api_has(host, simulator, against):
    simulator.serve_models("gemini", "gemini-2.5-pro", "gemini-3-flash-preview")

    models = list_models(against(), host=host)

    assert models == [
        KnownModel(id="gemini-2.5-pro", context_window=1_048_576, max_output_tokens=65_536),
        KnownModel(id="gemini-3-flash-preview", context_window=1_048_576, max_output_tokens=65_536),
    ]
    [sent] = simulator.requests
    assert (sent.method, sent.path, sent.headers["x-goog-api-key"]) == (
        "GET",
        "/v1beta/models",
        KEY,
    )


def test_no_list_without_a_key(host, simulator, against):
    assert list_models(against(), host=host) is None
    assert simulator.requests == []


@pytest.mark.usefixtures("keyed")
def test_a_rate_limited_gemini_fails_over_to_the_local_ollama(simulator, against, monkeypatch):
    ollama = pytest.importorskip("hotswap_ollama")
    google = pytest.importorskip("hotswap_google")
    from hotswap import PluginHost

    host = PluginHost(entry_points=[])
    host.register(google.plugin, name="google")
    host.register(ollama.plugin, name="ollama")
    monkeypatch.setenv("OLLAMA_HOST", simulator.url)
    simulator.script("gemini-2.5-flash", [RateLimit(retry_after=30)])

    with Transport() as transport:
        reply = chain(
            [against(), "ollama/llama3.2"],
            config=Config.from_dict({}),
            host=host,
            transport=transport,
            breakers=MemoryBreakerStore(),
        ).complete("hi there")

    assert (reply.provider, reply.model, reply.text) == (
        "ollama",
        "ollama/llama3.2",
        "echo: hi there",
    )
    assert (reply.attempts[0].provider, str(reply.attempts[0].kind)) == ("google", "rate_limited")
