"""The core's unvalidated builds make exactly the models validation makes.

:mod:`hotswap.trusted` skips pydantic's validation for values the core made itself. What it
returns must be indistinguishable from the validated model: equal, printed, dumped, hashed and
pickled the same, with the same fields marked as set. Each place that uses it is held to the
model validation would have made there.
"""

from __future__ import annotations

import pickle
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel, ValidationError

from hotswap import (
    Attempt,
    Completion,
    Config,
    ErrorKind,
    Finish,
    FinishReason,
    Message,
    ModelConfig,
    Outcome,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    Usage,
    UsageUpdate,
    chain,
)
from hotswap.engine.failover_chain import _request
from hotswap.plugin.streaming import StreamAssembler
from hotswap.trusted import build, copy_with
from hotswap.types.messages import TextPart, ThinkingPart, ToolCall
from hotswap.types.request import CompletionOptions, CompletionRequest, ThinkingLevel
from hotswap.wire.exchange import Exchange
from hotswap.wire.transport import Transport


def assert_same(made: BaseModel, validated: BaseModel) -> None:
    assert type(made) is type(validated)
    assert made == validated
    assert repr(made) == repr(validated)
    assert list(made.__dict__) == list(validated.__dict__)
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump() == validated.model_dump()
    assert made.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert made.model_dump_json() == validated.model_dump_json()
    assert pickle.loads(pickle.dumps(made)) == validated  # noqa: S301 (bytes made just above)
    try:
        expected = hash(validated)
    except TypeError:  # frozen, but holding a dict (a request's ``extra``)
        expected = None
    if expected is not None:
        assert hash(made) == expected


ATTEMPT = {
    "model": "fast",
    "provider": "acme",
    "model_id": "acme-1",
    "outcome": Outcome.FAILED,
    "kind": ErrorKind.RATE_LIMITED,
    "status": 429,
    "message": "slow down",
    "elapsed_ms": 12.5,
    "round": 1,
}


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (TextPart, {"text": "hi"}),
        (Message, {"role": "user", "content": (TextPart(text="hi"),)}),
        (
            CompletionRequest,
            {"messages": (Message.user("hi"),), "options": CompletionOptions(max_tokens=5)},
        ),
        (Attempt, ATTEMPT),
        (Attempt, {"model": "fast", "provider": "acme", "model_id": "a", "outcome": Outcome.OK}),
        (Completion, {"text": "hello", "finish_reason": FinishReason.LENGTH}),
        (Usage, {"input_tokens": 3}),
    ],
)
def test_build_makes_what_validation_makes(cls: type[BaseModel], values: dict[str, Any]) -> None:
    assert_same(build(cls, **values), cls(**values))


def test_fields_left_out_take_their_defaults_and_factories_make_them_anew() -> None:
    first, second = build(Completion, text="a"), build(Completion, text="b")

    assert first.usage == Usage()
    assert first.attempts == ()
    assert first.raw is None
    assert first.model_fields_set == {"text"}
    assert first.usage is not second.usage  # a default factory runs for each build


def test_copy_with_is_model_copy_with_an_update() -> None:
    original = Completion(text="hi", usage=Usage(output_tokens=2), model="fast")
    attempts = (Attempt(**ATTEMPT),)

    made = copy_with(original, attempts=attempts, provider="acme")

    assert_same(made, original.model_copy(update={"attempts": attempts, "provider": "acme"}))
    assert original.attempts == ()
    assert original.provider == ""


@pytest.mark.parametrize("prompt", ["What is the capital of Norway?", "", "  spaced  "])
def test_a_string_prompt_makes_the_request_validation_would(prompt: str) -> None:
    validated = CompletionRequest.model_validate(
        {"messages": [{"role": "user", "content": prompt}], "options": CompletionOptions()}
    )

    made = _request(prompt, {})

    assert_same(made, validated)
    assert_same(made.messages[0], validated.messages[0])
    assert_same(made.messages[0].content[0], validated.messages[0].content[0])


def test_a_prompt_with_options_validates_the_options() -> None:
    made = _request("hi", {"max_tokens": 7, "thinking_level": "low"})

    assert made.options == CompletionOptions(max_tokens=7, thinking_level=ThinkingLevel.LOW)
    with pytest.raises(ValueError, match="max_tokens"):
        _request("hi", {"max_tokens": 0})


def test_a_string_subclass_prompt_is_sent_as_its_text() -> None:
    class Prompt(str):
        pass

    made = _request(Prompt("hi"), {})

    assert type(made.messages[0].content[0].text) is str
    assert_same(made, _request("hi", {}))


# -- each place the core builds without validating ---------------------------------------------


@pytest.fixture
def acme_chain(acme_host, monkeypatch):
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    mock = httpx2.MockTransport(lambda request: httpx2.Response(200, json={"text": "hello"}))
    transport = Transport(
        client=httpx2.Client(transport=mock), async_client=httpx2.AsyncClient(transport=mock)
    )
    config = Config.from_dict(
        {
            "models": {"first": {"provider": "acme", "model": "acme-1"}},
            "chains": {"default": {"models": ["first"]}},
        }
    )
    return chain("default", config=config, host=acme_host, transport=transport)


def test_an_answer_and_its_attempts_are_what_validation_makes(acme_chain) -> None:
    completion = acme_chain.complete("hi")

    (attempt,) = completion.attempts
    assert_same(
        attempt,
        Attempt(
            model="first",
            provider="acme",
            model_id="acme-1",
            outcome=Outcome.OK,
            kind=None,
            status=None,
            message=None,
            elapsed_ms=attempt.elapsed_ms,
            round=0,
        ),
    )
    # The plugin named neither model nor provider: both are stamped on, then the attempts.
    expected = Completion(text="hello", model_id="acme-1").model_copy(
        update={"model": "first", "provider": "acme"}
    )
    assert_same(completion, expected.model_copy(update={"attempts": (attempt,)}))


@pytest.mark.parametrize(
    ("configured", "asked", "sent"),
    [("high", None, "high"), ("high", "low", "low"), (None, "off", "off"), ("low", "off", "off")],
)
def test_the_models_thinking_level_makes_the_request_validation_would(
    acme_host, monkeypatch, configured, asked, sent
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    model = ModelConfig(name="fast", provider="acme", model="acme-1", thinking_level=configured)
    options = CompletionOptions(thinking_level=asked)
    request = CompletionRequest(messages=(Message.user("hi"),), options=options)

    made = Exchange(acme_host, model, request, stream=False).request

    expected = request
    if asked != sent:
        expected = request.model_copy(
            update={"options": options.model_copy(update={"thinking_level": ThinkingLevel(sent)})}
        )
    assert_same(made, expected)
    assert_same(made.options, expected.options)


def _assembled(*events: Any, **fields: Any) -> Completion:
    assembler = StreamAssembler()
    for event in events:
        assembler.add(event)
    return assembler.completion(**fields)


def _validated(**fields: Any) -> Completion:
    """The completion as the assembler made it before it built any without validation."""
    defaults: dict[str, Any] = {
        "text": "",
        "tool_calls": (),
        "thinking": (),
        "finish_reason": FinishReason.OTHER,
        "raw_finish_reason": None,
        "usage": Usage(),
        "model": "",
        "provider": "",
        "model_id": "",
        "attempts": (),
        "raw": None,
    }
    return Completion(**{**defaults, **fields})


def test_an_assembled_answer_is_what_validation_makes() -> None:
    usage = Usage(input_tokens=6, output_tokens=7)
    raw = {"id": "x"}

    made = _assembled(
        TextDelta("echo: "),
        TextDelta("hi"),
        UsageUpdate(usage),
        Finish(FinishReason.STOP, "stop", "acme-1-0520"),
        model="first",
        provider="acme",
        raw=raw,
    )

    expected = _validated(
        text="echo: hi",
        finish_reason=FinishReason.STOP,
        raw_finish_reason="stop",
        usage=usage,
        model="first",
        provider="acme",
        model_id="acme-1-0520",
        raw=raw,
    )
    assert_same(made, expected)
    assert made.usage is usage
    assert made.raw is raw


def test_an_assembled_answer_with_tool_calls_reasoning_and_attempts_is_what_validation_makes():
    attempts = (Attempt(**ATTEMPT),)

    made = _assembled(
        ThinkingDelta("Let me look.", signature="sig"),
        ToolCallDelta(0, id="call_1", name="f", arguments='{"a": 1}'),
        Finish(FinishReason.TOOL_CALLS, "tool_use"),
        model_id="acme-1",
        attempts=attempts,
    )

    assert_same(
        made,
        _validated(
            tool_calls=(ToolCall(id="call_1", name="f", arguments={"a": 1}, extra={}),),
            thinking=(
                ThinkingPart(text="Let me look.", signature="sig", redacted=None, provider=None),
            ),
            finish_reason=FinishReason.TOOL_CALLS,
            raw_finish_reason="tool_use",
            model_id="acme-1",
            attempts=attempts,
        ),
    )


def test_an_answer_that_never_finished_is_what_validation_makes() -> None:
    assert_same(_assembled(TextDelta("cut")), _validated(text="cut"))


@pytest.mark.parametrize(
    ("events", "fields", "expected"),
    [
        ([Finish("stop")], {}, {"finish_reason": FinishReason.STOP}),  # type: ignore[arg-type]
        (
            [UsageUpdate({"input_tokens": 2}), Finish(FinishReason.STOP)],  # type: ignore[arg-type]
            {},
            {"finish_reason": FinishReason.STOP, "usage": Usage(input_tokens=2)},
        ),
        ([], {"attempts": [Attempt(**ATTEMPT)]}, {"attempts": (Attempt(**ATTEMPT),)}),
    ],
    ids=["a-reason-as-its-word", "usage-as-a-dict", "attempts-as-a-list"],
)
def test_what_a_plugin_hands_in_of_another_type_is_validated(events, fields, expected) -> None:
    made = _assembled(*events, **fields)

    assert_same(made, _validated(**{**fields, **expected}))
    assert type(made.finish_reason) is FinishReason


@pytest.mark.parametrize(
    "finish",
    [
        Finish("done"),
        Finish(FinishReason.STOP, raw_reason=3),
        Finish(FinishReason.STOP, model_id=7),
    ],  # type: ignore[arg-type]
    ids=["unknown-reason", "raw-reason-not-text", "model-id-not-text"],
)
def test_what_a_plugin_hands_in_that_validation_refuses_is_refused(finish: Finish) -> None:
    with pytest.raises(ValidationError):
        _assembled(finish)
