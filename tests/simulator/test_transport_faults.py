"""Transport faults: what a client sees on the wire when the simulator hangs, stalls, resets,
cuts, fails inside a stream, sends broken JSON or paces its tokens."""

from __future__ import annotations

import json
import time

import httpx2
import pytest

from hotswap.testing import (
    Cut,
    Hang,
    Malformed,
    Overloaded,
    RateLimit,
    Reply,
    Reset,
    Slow,
    Stall,
    StreamError,
)

SHORT = httpx2.Timeout(5.0, read=0.2)
SEPARATORS = {"anthropic": b"\n\n", "openai": b"\n\n", "gemini": b"\r\n\r\n", "ollama": b"\n"}


def frames_of(provider, raw):
    """The frames in ``raw``: SSE events or NDJSON lines, each without its separator."""
    separator = SEPARATORS[provider]
    assert raw.endswith(separator) or not raw
    return raw.split(separator)[:-1]


def is_terminal(provider, frame):
    """Whether ``frame`` is the provider's end-of-answer marker (provider-facts §0)."""
    if provider == "anthropic":
        return frame.startswith(b"event: message_stop")
    if provider == "openai":
        return frame == b"data: [DONE]"
    if provider == "gemini":
        return b'"finishReason"' in frame
    return json.loads(frame).get("done") is True


@pytest.fixture
def stream(simulator, client, request_for):
    """Script every model with ``fault`` once, stream a request from ``provider``, and return
    the bytes received and the exception that ended the read (None if it ended cleanly)."""

    def send(provider, fault, *, timeout=SHORT, stream=True):
        simulator.script("*", [fault])
        path, body, headers = request_for(provider, stream=stream)
        received = b""
        try:
            with client.stream("POST", path, json=body, headers=headers, timeout=timeout) as r:
                for chunk in r.iter_raw():
                    received += chunk
        except httpx2.TransportError as error:
            return received, error
        return received, None

    return send


# -- before the headers ---------------------------------------------------------------------


def test_a_hang_sends_nothing_so_the_clients_read_timeout_fires(simulator, client, request_for):
    simulator.script("*", [Hang()])
    path, body, headers = request_for("openai")

    with pytest.raises(httpx2.ReadTimeout):
        client.post(path, json=body, headers=headers, timeout=SHORT)
    assert simulator.count() == 1


def test_a_reset_before_the_headers_is_a_connection_error(simulator, client, request_for):
    simulator.script("*", [Reset()])
    path, body, headers = request_for("anthropic")

    with pytest.raises(httpx2.ReadError, match="reset"):
        client.post(path, json=body, headers=headers)


def test_after_a_reset_the_next_request_is_answered(simulator, client, request_for):
    simulator.script("*", [Reset()])
    path, body, headers = request_for("anthropic")
    with pytest.raises(httpx2.ReadError):
        client.post(path, json=body, headers=headers)

    assert client.post(path, json=body, headers=headers).status_code == 200


# -- inside a stream ------------------------------------------------------------------------


def test_a_stall_sends_the_first_frames_then_nothing_until_the_read_timeout(stream, provider):
    received, error = stream(provider, Stall(after=2))

    assert isinstance(error, httpx2.ReadTimeout)
    assert len(frames_of(provider, received)) == 2


def test_a_reset_mid_stream_delivers_the_frames_sent_then_a_connection_error(stream, provider):
    received, error = stream(provider, Reset(after=2))

    assert isinstance(error, httpx2.ReadError)
    assert len(frames_of(provider, received)) == 2


def test_a_cut_stream_ends_cleanly_without_its_terminal_event(stream, provider):
    received, error = stream(provider, Cut(after=3))

    assert error is None
    frames = frames_of(provider, received)
    assert len(frames) == 3
    assert not any(is_terminal(provider, frame) for frame in frames)


def test_a_cut_never_lets_the_terminal_event_through_however_late(stream, provider):
    received, error = stream(provider, Cut(after=10_000))

    frames = frames_of(provider, received)
    assert error is None
    assert frames
    assert not any(is_terminal(provider, frame) for frame in frames)


STREAM_ERRORS = {
    "anthropic": b'event: error\ndata: {"type":"error","error":{"type":"overloaded_error",'
    b'"message":"Overloaded"}}',
    "openai": b'data: {"error":{"message":"The engine is currently overloaded, please try again '
    b'later.","type":"service_unavailable_error","param":null,"code":"server_is_overloaded"}}',
    "gemini": b'data: {"error":{"code":503,"message":"The model is overloaded. Please try again '
    b'later.","status":"UNAVAILABLE"}}',
    "ollama": b'{"error":"server busy, please try again.  maximum pending requests exceeded"}',
}


def test_an_in_stream_error_follows_n_frames_and_ends_the_stream(stream, provider):
    received, error = stream(provider, StreamError(after=2, error=Overloaded()))

    assert error is None
    frames = frames_of(provider, received)
    assert len(frames) == 3
    assert frames[2] == STREAM_ERRORS[provider]


def test_an_in_stream_error_on_a_whole_request_is_an_error_answer(simulator, client, request_for):
    simulator.script("*", [StreamError(error=RateLimit())])
    path, body, headers = request_for("anthropic")

    response = client.post(path, json=body, headers=headers)

    assert response.status_code == 429
    assert response.json()["error"]["type"] == "rate_limit_error"


def test_a_malformed_frame_is_cut_in_half_and_the_stream_goes_on(stream, provider):
    received, error = stream(provider, Malformed(after=1))

    frames = frames_of(provider, received)
    payloads = [frame[frame.index(b"{") :] for frame in frames if b"{" in frame]
    assert error is None
    with pytest.raises(json.JSONDecodeError):
        json.loads(payloads[1])
    for payload in payloads[2:]:
        json.loads(payload)
    assert is_terminal(provider, frames[-1])


def test_slow_pacing_spaces_the_frames_out(stream, provider):
    started = time.perf_counter()
    received, error = stream(provider, Slow(delay=0.02), timeout=5.0)
    elapsed = time.perf_counter() - started

    frames = frames_of(provider, received)
    assert error is None
    assert is_terminal(provider, frames[-1])
    assert elapsed >= 0.02 * len(frames) * 0.9


# -- a whole (non-streaming) answer ---------------------------------------------------------


def test_a_stalled_whole_answer_sends_the_headers_then_nothing(simulator, client, request_for):
    simulator.script("*", [Stall()])
    path, body, headers = request_for("openai")

    with client.stream("POST", path, json=body, headers=headers, timeout=SHORT) as response:
        assert response.status_code == 200
        with pytest.raises(httpx2.ReadTimeout):
            response.read()


def test_a_cut_whole_answer_is_shorter_than_its_content_length(simulator, client, request_for):
    simulator.script("*", [Cut()])
    path, body, headers = request_for("gemini")

    with pytest.raises(httpx2.RemoteProtocolError, match="complete message body"):
        client.post(path, json=body, headers=headers)


def test_a_reset_after_the_headers_of_a_whole_answer(simulator, client, request_for):
    simulator.script("*", [Reset(after=1)])
    path, body, headers = request_for("ollama")

    with client.stream("POST", path, json=body, headers=headers) as response:
        assert response.status_code == 200
        with pytest.raises(httpx2.ReadError):
            response.read()


def test_a_malformed_whole_answer_is_complete_but_not_json(simulator, client, request_for):
    simulator.script("*", [Malformed()])
    path, body, headers = request_for("anthropic")

    response = client.post(path, json=body, headers=headers)

    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.content.startswith(b'{"id":"msg_sim0001"')
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_a_slow_whole_answer_waits_per_word(simulator, client, request_for):
    simulator.script("*", [Slow(delay=0.03, reply=Reply(text="one two three four"))])
    path, body, headers = request_for("openai")

    started = time.perf_counter()
    response = client.post(path, json=body, headers=headers)

    assert time.perf_counter() - started >= 0.03 * 4 * 0.9
    assert response.json()["choices"][0]["message"]["content"] == "one two three four"
