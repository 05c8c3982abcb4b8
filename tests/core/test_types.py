"""The shared types validate what callers and plugins hand them."""

from __future__ import annotations

import pickle

import msgspec
import pydantic
import pytest

from hotswap import (
    Completion,
    CompletionOptions,
    ErrorKind,
    Finish,
    FinishReason,
    ImagePart,
    Message,
    ProviderError,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap.types.errors import ErrorClassification, OverloadedError, ServerError
from hotswap.types.messages import ThinkingPart
from hotswap.types.providers import KnownModel, ProviderInfo
from hotswap.types.request import CompletionRequest


def test_message_content_may_be_a_plain_string():
    message = Message(role="user", content="hello")

    assert message.content == (TextPart(text="hello"),)
    assert message.text == "hello"


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        (Message.user("hi"), "hi"),
        (Message.system("terse"), "terse"),
        (Message.assistant("hello"), "hello"),
        (Message(role="user", content=""), ""),
        (Message.assistant(), None),
        (Message.user("a", "b"), None),
        (Message.user(ImagePart(url="https://x.test/cat.png")), None),
        (Message.assistant("calling", tool_calls=(ToolCall(id="c1", name="f"),)), None),
        (Message.tool_result("c1", "18C"), None),
        (Message(role="assistant", content=(ThinkingPart(text="hm"),)), None),
    ],
)
def test_plain_text_is_the_text_of_a_message_of_one_text_part_and_nothing_else(message, plain):
    assert message.plain_text == plain


def test_message_constructors_build_each_role():
    call = ToolCall(id="c1", name="weather", arguments={"city": "Oslo"})

    assert Message.user("a", ImagePart(url="https://x.test/cat.png")).role == "user"
    assert Message.assistant("", tool_calls=(call,)).tool_calls == (call,)
    result = Message.tool_result("c1", "18C", name="weather", is_error=False)
    assert (result.role, result.tool_call_id, result.text) == ("tool", "c1", "18C")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"role": "tool", "content": "18C"}, "tool_call_id"),
        ({"role": "user", "tool_calls": [{"id": "c", "name": "n"}]}, "only assistant"),
        ({"role": "robot", "content": "x"}, "role"),
    ],
)
def test_invalid_messages_are_refused(fields, problem):
    with pytest.raises(pydantic.ValidationError, match=problem):
        Message(**fields)


def test_an_image_needs_exactly_one_source():
    with pytest.raises(pydantic.ValidationError, match="exactly one"):
        ImagePart()
    with pytest.raises(pydantic.ValidationError, match="exactly one"):
        ImagePart(data="aGk=", url="https://x.test/a.png")


def test_messages_are_validated_from_plain_dicts():
    request = CompletionRequest(
        messages=[{"role": "system", "content": "terse"}, {"role": "user", "content": "hi"}],
        options={"max_tokens": 10, "thinking_level": "high", "tool_choice": {"name": "weather"}},
    )

    assert request.messages[1].text == "hi"
    assert request.options.thinking_level == "high"
    assert request.options.tool_choice.name == "weather"


def test_options_refuse_unknown_and_out_of_range_values():
    with pytest.raises(pydantic.ValidationError, match="max_tokens"):
        CompletionOptions(max_tokens=0)
    with pytest.raises(pydantic.ValidationError, match="extra_forbidden"):
        CompletionOptions(temprature=0.2)
    with pytest.raises(pydantic.ValidationError, match="thinking_level"):
        CompletionOptions(thinking_level="extreme")


def test_a_completion_becomes_the_assistant_message_for_the_next_turn():
    call = ToolCall(id="c1", name="weather")
    completion = Completion(
        text="Checking.", tool_calls=(call,), finish_reason=FinishReason.TOOL_CALLS
    )

    message = completion.to_message()

    assert (message.role, message.text, message.tool_calls) == ("assistant", "Checking.", (call,))


def test_the_raw_response_is_kept_but_never_serialised_or_shown():
    completion = Completion(text="hi", raw={"huge": "payload"})

    assert completion.raw == {"huge": "payload"}
    assert "huge" not in completion.model_dump_json()
    assert "huge" not in repr(completion)


def test_server_error_as_a_condition_covers_overloaded():
    assert ErrorKind.OVERLOADED in ErrorKind.SERVER_ERROR.family
    assert ErrorKind.RATE_LIMITED.family == {ErrorKind.RATE_LIMITED}
    assert ErrorKind.TIMEOUT.is_transient()
    assert not ErrorKind.CONTENT_FILTER.is_transient()


def test_a_classification_becomes_the_exception_of_its_kind():
    error = ProviderError.from_classification(
        ErrorClassification(
            ErrorKind.OVERLOADED, "Overloaded", retry_after=3.0, code="overloaded_error"
        ),
        provider="anthropic",
        model="claude-sonnet-4",
        status=529,
    )

    assert isinstance(error, OverloadedError)
    assert isinstance(error, ServerError)
    assert (error.kind, error.status, error.retry_after, error.code) == (
        ErrorKind.OVERLOADED,
        529,
        3.0,
        "overloaded_error",
    )
    assert str(error) == "anthropic/claude-sonnet-4: overloaded 529: Overloaded"


def test_every_kind_has_its_own_exception_class():
    classes = {
        type(ProviderError.from_classification(ErrorClassification(kind, "x")))
        for kind in ErrorKind
    }

    assert len(classes) == len(ErrorKind)


def test_a_provider_declaration_is_validated():
    info = ProviderInfo(
        name="acme",
        base_url="https://api.acme.test",
        auth={
            "api_key": {"env_vars": ["ACME_API_KEY"]},
            "oauth_token": {"env_vars": ["ACME_TOKEN"]},
        },
        capabilities={"thinking": True},
        models=[{"id": "acme-1", "capabilities": {"tools": False}}],
    )

    assert info.default_auth_type == "api_key"
    assert info.env_vars == ("ACME_API_KEY", "ACME_TOKEN")
    assert info.capabilities_of("acme-1").tools is False
    assert info.capabilities_of("unlisted-model").thinking is True


def test_known_models_are_found_by_id_or_alias_even_in_a_copy():
    info = ProviderInfo(
        name="acme",
        base_url="https://api.acme.test",
        auth={"none": {}},
        models=[{"id": "acme-1", "aliases": ["one"]}, {"id": "acme-2"}],
    )
    copy = info.model_copy(update={"models": (KnownModel(id="acme-3", aliases=("one",)),)})

    assert info.known_model("one").id == "acme-1"
    assert info.known_model("acme-2").id == "acme-2"
    assert info.known_model("acme-3") is None
    assert copy.known_model("one").id == "acme-3"
    assert copy.known_model("acme-1") is None


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": "Acme!", "base_url": "x", "auth": {"none": {}}}, "name"),
        ({"name": "acme", "base_url": "x", "auth": {}}, "auth"),
        ({"name": "acme", "base_url": "x", "auth": {"password": {}}}, "auth"),
        (
            {
                "name": "acme",
                "base_url": "x",
                "auth": {"none": {}},
                "models": [{"id": "a"}, {"id": "a"}],
            },
            "listed twice",
        ),
    ],
)
def test_an_invalid_provider_declaration_is_refused(fields, problem):
    with pytest.raises(pydantic.ValidationError, match=problem):
        ProviderInfo(**fields)


def test_stream_events_are_values_that_cannot_change():
    delta = ThinkingDelta("weighing", block=1)

    assert delta == ThinkingDelta(text="weighing", block=1)
    assert delta != ThinkingDelta("weighing", block=2)
    assert TextDelta("x") != ThinkingDelta("x")  # same fields, another kind of event
    assert repr(delta) == ("ThinkingDelta(text='weighing', signature=None, redacted=None, block=1)")
    with pytest.raises(AttributeError):
        delta.text = "changed"  # type: ignore[misc]
    assert msgspec.structs.replace(delta, block=2) == ThinkingDelta("weighing", block=2)
    assert pickle.loads(pickle.dumps(delta)) == delta  # noqa: S301 (bytes made just above)
    assert hash(TextDelta("x")) == hash(TextDelta("x"))


def test_stream_events_match_by_field_and_by_position():
    def described(event: object) -> str:
        match event:
            case TextDelta(text):
                return f"text {text}"
            case ToolCallDelta(index=index, name=name):
                return f"call {index} {name}"
            case Finish(reason=reason):
                return f"finish {reason}"
        return "other"

    assert described(TextDelta("Oslo")) == "text Oslo"
    assert described(ToolCallDelta(0, name="lookup")) == "call 0 lookup"
    assert described(Finish(FinishReason.STOP)) == "finish stop"
    assert described(UsageUpdate(Usage(input_tokens=1))) == "other"
