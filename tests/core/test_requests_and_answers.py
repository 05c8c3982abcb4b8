"""What the core makes of what callers and plugins hand it: the request from a prompt or a
conversation, the model's thinking level filled in, the answer assembled from a stream and
stamped with its attempts."""

from __future__ import annotations

from typing import Any

import httpx2
import pydantic
import pytest

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
from hotswap.types import conversation
from hotswap.types.messages import ThinkingPart, ToolCall
from hotswap.types.request import CompletionOptions, CompletionRequest, ThinkingLevel
from hotswap.wire.exchange import Exchange
from hotswap.wire.transport import Transport

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

# -- the request --------------------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["What is the capital of Norway?", "", "  spaced  "])
def test_a_string_prompt_is_one_user_message(prompt: str) -> None:
    validated = CompletionRequest.model_validate(
        {"messages": [{"role": "user", "content": prompt}], "options": CompletionOptions()}
    )

    made = _request(prompt, {})

    assert made == validated
    assert made.messages[0].model_fields_set == validated.messages[0].model_fields_set


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
    assert made == _request("hi", {})


def test_a_conversation_of_dicts_is_validated_into_messages() -> None:
    made = _request([{"role": "system", "content": "terse"}, {"role": "user", "content": "hi"}], {})

    assert made.messages == (Message.system("terse"), Message.user("hi"))


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ({"role": "robot", "content": "x"}, r"messages\.2\.role"),
        ({"role": "tool", "content": "18C"}, "tool_call_id"),
        ({"role": "user", "content": "x", "colour": "red"}, r"messages\.2\.colour"),
        ("just text", r"messages\.2"),
    ],
)
def test_a_bad_message_in_a_history_of_dicts_is_refused_by_its_place(bad: Any, problem: str):
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}, bad]

    with pytest.raises(pydantic.ValidationError, match=problem):
        _request(history, {})


def test_messages_already_made_are_taken_as_they_are() -> None:
    history = [Message.system("terse"), Message.user("hi"), Message.assistant("hello")]
    turn = Message.user("and now?")

    made = _request([*history, turn], {})

    assert all(sent is given for sent, given in zip(made.messages, [*history, turn], strict=True))
    assert _request(turn, {}).messages[0] is turn


def test_a_history_mixing_messages_and_dicts_keeps_the_messages() -> None:
    kept = Message.user("hi")

    made = _request([kept, {"role": "assistant", "content": "hello"}], {})

    assert made.messages[0] is kept
    assert made.messages[1] == Message.assistant("hello")


# -- the answer of a chain ----------------------------------------------------------------------


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


def test_an_answer_names_its_model_and_carries_its_attempts(acme_chain) -> None:
    completion = acme_chain.complete("hi")

    (attempt,) = completion.attempts
    assert attempt == Attempt(
        model="first",
        provider="acme",
        model_id="acme-1",
        outcome=Outcome.OK,
        elapsed_ms=attempt.elapsed_ms,
    )
    # The plugin named neither model nor provider: both are stamped on, then the attempts.
    assert completion == Completion(
        text="hello", model_id="acme-1", model="first", provider="acme", attempts=(attempt,)
    )


@pytest.mark.parametrize(
    ("configured", "asked", "sent"),
    [("high", None, "high"), ("high", "low", "low"), (None, "off", "off"), ("low", "off", "off")],
)
def test_the_models_thinking_level_fills_in_where_the_request_sets_none(
    acme_host, monkeypatch, configured, asked, sent
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    model = ModelConfig(name="fast", provider="acme", model="acme-1", thinking_level=configured)
    options = CompletionOptions(thinking_level=asked)
    request = CompletionRequest(messages=(Message.user("hi"),), options=options)

    made = Exchange(acme_host, model, request, stream=False).request

    assert made.messages == request.messages
    assert made.options == CompletionOptions(thinking_level=ThinkingLevel(sent))
    assert type(made.options.thinking_level) is ThinkingLevel


# -- the answer a stream adds up to -------------------------------------------------------------


def _assembled(*events: Any, **fields: Any) -> Completion:
    assembler = StreamAssembler()
    for event in events:
        assembler.add(event)
    return assembler.completion(**fields)


def _expected(**fields: Any) -> Completion:
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


def test_an_assembled_answer_holds_what_the_events_said() -> None:
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

    assert made == _expected(
        text="echo: hi",
        finish_reason=FinishReason.STOP,
        raw_finish_reason="stop",
        usage=usage,
        model="first",
        provider="acme",
        model_id="acme-1-0520",
        raw=raw,
    )
    assert made.usage is usage
    assert made.raw is raw


def test_an_assembled_answer_holds_its_tool_calls_reasoning_and_attempts() -> None:
    attempts = (Attempt(**ATTEMPT),)

    made = _assembled(
        ThinkingDelta("Let me look.", signature="sig"),
        ToolCallDelta(0, id="call_1", name="f", arguments='{"a": 1}'),
        Finish(FinishReason.TOOL_CALLS, "tool_use"),
        model_id="acme-1",
        attempts=attempts,
    )

    assert made == _expected(
        tool_calls=(ToolCall(id="call_1", name="f", arguments={"a": 1}, extra={}),),
        thinking=(
            ThinkingPart(text="Let me look.", signature="sig", redacted=None, provider=None),
        ),
        finish_reason=FinishReason.TOOL_CALLS,
        raw_finish_reason="tool_use",
        model_id="acme-1",
        attempts=attempts,
    )


def test_an_answer_that_never_finished_has_reason_other() -> None:
    assert _assembled(TextDelta("cut")) == _expected(text="cut")


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

    assert made == _expected(**{**fields, **expected})
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
    with pytest.raises(pydantic.ValidationError):
        _assembled(finish)


def test_a_dict_of_a_role_and_text_is_validated_once_and_its_message_kept() -> None:
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]

    first = _request(history, {})
    again = _request([*history, {"role": "user", "content": "and now?"}], {})

    assert again.messages[:2] == first.messages
    assert all(kept is made for kept, made in zip(again.messages, first.messages, strict=False))


def test_a_kept_message_is_found_by_role_and_text_alike() -> None:
    said = _request([{"role": "user", "content": "same words"}], {}).messages[0]

    answered = _request([{"role": "assistant", "content": "same words"}], {}).messages[0]

    assert answered.role == "assistant"
    assert answered is not said


def test_a_dict_with_more_than_a_role_and_text_is_validated_each_time() -> None:
    result = {"role": "tool", "content": "18C", "tool_call_id": "c1"}

    first, again = _request([result], {}).messages[0], _request([result], {}).messages[0]

    assert first == again == Message.tool_result("c1", "18C")
    assert first is not again


def test_a_bad_message_is_refused_every_time_it_is_sent() -> None:
    for _ in range(2):
        with pytest.raises(pydantic.ValidationError, match="tool_call_id"):
            _request([{"role": "tool", "content": "18C"}], {})


def test_the_oldest_kept_messages_are_let_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversation, "_KEPT_MESSAGES", 2)
    oldest, *newer = ({"role": "user", "content": f"bounded turn {i}"} for i in range(3))
    made = _request([oldest, *newer], {}).messages

    again = _request([oldest, *newer], {}).messages

    assert again[0] == made[0]
    assert again[0] is not made[0]  # let go, so validated anew
    assert again[1:] == made[1:]
    assert all(kept is first for kept, first in zip(again[1:], made[1:], strict=True))
