"""Ollama's failures as error kinds, and messages that say what to do."""

from __future__ import annotations

import json

import pytest
from hotswap_ollama.errors import classify

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure, TransportFailure

from .conftest import model


def response(status: int, message: str) -> HttpResponse:
    return HttpResponse(status, {}, json.dumps({"error": message}).encode())


def test_a_refused_connection_says_how_to_start_ollama(home):
    failure = TransportFailure(ErrorKind.CONNECTION, "connect", "ConnectError: refused")

    verdict = classify(model(), failure)

    assert verdict.kind is ErrorKind.CONNECTION
    assert verdict.message.startswith(
        "could not connect to Ollama at http://localhost:11434 (ConnectError: refused)"
    )
    assert "`ollama serve`" in verdict.message
    assert "OLLAMA_HOST" in verdict.message


def test_the_message_names_the_server_ollama_host_points_at(home, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:11500")
    failure = TransportFailure(ErrorKind.CONNECTION, "connect", "ConnectError")

    assert "http://gpu-box:11500" in classify(model(), failure).message


def test_other_transport_failures_are_the_core_s(home):
    assert classify(model(), TransportFailure(ErrorKind.TIMEOUT, "read", "ReadTimeout")) is None
    assert classify(model(), TransportFailure(ErrorKind.CONNECTION, "read", "reset")) is None


@pytest.mark.parametrize(
    "message",
    ['model "llama3" not found, try pulling it first', "model 'llama3' not found"],
)
def test_a_model_that_is_not_pulled_gives_the_pull_command(home, message):
    verdict = classify(model(model="llama3"), response(404, message))

    assert verdict.kind is ErrorKind.NOT_FOUND
    assert verdict.code == "model_not_found"
    assert verdict.message.endswith("Pull it with: ollama pull llama3")
    assert "http://localhost:11434" in verdict.message


def test_a_404_that_is_not_about_a_model_is_the_core_s(home):
    assert classify(model(), HttpResponse(404, {}, b"404 page not found")) is None


@pytest.mark.parametrize(
    ("what", "advice"),
    [("thinking", 'set its thinking_level to "off"'), ("tools", "without tools")],
)
def test_a_model_that_cannot_think_or_call_tools_says_what_to_change(home, what, advice):
    message = f'"registry.ollama.ai/library/llama3:latest" does not support {what}'

    verdict = classify(model(), response(400, message))

    assert verdict.kind is ErrorKind.INVALID_REQUEST
    assert verdict.message.startswith(message)
    assert advice in verdict.message


@pytest.mark.parametrize("status", [400, 401, 429, 500, 502, 503])
def test_other_statuses_are_left_to_the_core(home, status):
    assert classify(model(), response(status, "something went wrong")) is None


def test_an_error_in_a_200_body_is_a_server_error(home):
    verdict = classify(model(), response(200, "model runner has unexpectedly stopped"))

    assert (verdict.kind, verdict.message) == (
        ErrorKind.SERVER_ERROR,
        "model runner has unexpectedly stopped",
    )


def test_an_error_line_in_a_stream_is_a_server_error(home):
    verdict = classify(model(), StreamFailure({"error": "out of memory"}))

    assert (verdict.kind, verdict.message) == (ErrorKind.SERVER_ERROR, "out of memory")


BUSY = "server busy, please try again.  maximum pending requests exceeded"
CLOUD_OVERLOADED = "Server overloaded, please retry shortly (ref: 06d81c91-9772-4081)"


@pytest.mark.parametrize("message", [BUSY, CLOUD_OVERLOADED])
def test_a_503_busy_or_overloaded_server_is_overloaded(host, message):
    verdict = host.classify_error(model(), response(503, message))

    assert (verdict.kind, verdict.message) == (ErrorKind.OVERLOADED, message)


def test_a_500_saying_the_server_is_busy_is_overloaded(host):
    assert host.classify_error(model(), response(500, BUSY)).kind is ErrorKind.OVERLOADED


def test_a_500_that_says_nothing_of_load_is_a_server_error(host):
    failure = response(500, "model runner has unexpectedly stopped")

    assert host.classify_error(model(), failure).kind is ErrorKind.SERVER_ERROR


@pytest.mark.parametrize("message", [BUSY, CLOUD_OVERLOADED])
def test_an_error_line_in_a_stream_saying_the_server_is_busy_is_overloaded(host, message):
    verdict = host.classify_error(model(), StreamFailure({"error": message}))

    assert (verdict.kind, verdict.message) == (ErrorKind.OVERLOADED, message)


def test_an_error_in_a_200_body_saying_overloaded_is_overloaded(host):
    verdict = host.classify_error(model(), response(200, CLOUD_OVERLOADED))

    assert verdict.kind is ErrorKind.OVERLOADED
