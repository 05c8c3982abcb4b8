"""Sessions: the history every turn sees, switching chains mid-conversation, and what a failed
or stopped turn leaves behind."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

from hotswap import AllModelsFailedError, Config, Message, Outcome, Session


@pytest.fixture
def session(make_chain) -> Session:
    return Session(make_chain(), system="be brief")


def sent_history(provider) -> list[list[str]]:
    return provider.bodies[-1]["messages"]


def test_each_turn_sees_the_whole_conversation(session, provider):
    session.ask("one")
    session.ask("two")

    assert sent_history(provider) == [
        ["system", "be brief"],
        ["user", "one"],
        ["assistant", "answer from acme-1"],
        ["user", "two"],
    ]
    assert [m.role for m in session.messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
    ]


def test_switching_chain_keeps_the_history_and_answers_with_the_new_models(
    session, make_chain, provider
):
    session.ask("cheap question")

    session.switch(make_chain("third"))
    reply = session.ask("hard question")

    assert (reply.model, provider.requests[-1]) == ("third", "acme-3")
    assert sent_history(provider)[1:3] == [
        ["user", "cheap question"],
        ["assistant", "answer from acme-1"],
    ]


def test_switching_by_name_resolves_in_the_sessions_config_and_shares_the_connections(
    make_chain,
):
    config = Config.from_dict({"models": {"strong": {"provider": "acme", "model": "acme-9"}}})
    session = Session(make_chain(), config=config)
    before = session.chain.transport

    chain = session.switch("strong")

    assert chain.transport is before
    assert chain.host is session.chain.host
    assert session.ask("hard").model == "strong"


def test_a_failed_turn_leaves_the_history_as_it_was(make_chain, provider):
    session = Session(make_chain(failover={"max_retries": 0}))
    for model_id in ("acme-1", "acme-2"):
        provider.script(model_id, httpx2.Response(500, json={"error": "down"}))

    with pytest.raises(AllModelsFailedError):
        session.ask("lost?")

    assert session.messages == ()


def test_a_streamed_turn_joins_the_history_when_it_ends(session):
    stream = session.stream("hi")
    text = "".join(getattr(event, "text", "") for event in stream)

    assert text == "answer from acme-1"
    assert session.messages[-1] == Message.assistant("answer from acme-1")


def test_a_stopped_stream_keeps_the_part_shown(session):
    stream = session.stream("hi")
    next(stream)
    stream.close()

    assert session.messages[-2:] == (Message.user("hi"), Message.assistant("answer"))


def test_tool_results_are_added_and_answered_without_a_new_user_turn(session, provider):
    session.ask("use the tool")
    session.add(Message.tool_result("call_1", "42"))

    session.ask()

    assert sent_history(provider)[-1] == ["tool", "42"]


def test_async_turns_keep_history_alike(make_chain, provider):
    session = Session(make_chain())

    async def converse() -> None:
        await session.aask("one")
        stream = session.astream("two")
        async for _ in stream:
            pass

    asyncio.run(converse())

    assert [m.text for m in session.messages] == [
        "one",
        "answer from acme-1",
        "two",
        "answer from acme-1",
    ]


def test_defaults_given_to_the_session_apply_to_every_turn_unless_overridden(make_chain):
    session = Session(make_chain(), max_tokens=50)

    assert session.options == {"max_tokens": 50}
    assert session.ask("hi", max_tokens=10).text == "answer from acme-1"


def test_ctrl_c_during_a_stream_keeps_the_part_shown_and_records_the_cancel(session, provider):
    def interrupted_body():
        yield b'data: {"text": "half an"}\n\n'
        raise KeyboardInterrupt  # the user pressed Ctrl-C while the stream waited

    provider.script("acme-1", httpx2.Response(200, content=interrupted_body()))
    stream = session.stream("hi")

    with pytest.raises(KeyboardInterrupt):
        list(stream)

    assert session.messages[-2:] == (Message.user("hi"), Message.assistant("half an"))
    assert stream.attempts[-1].outcome is Outcome.CANCELLED
