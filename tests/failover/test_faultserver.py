"""The fault server's faults are what they claim on the wire, seen from a raw socket: a reset
is a TCP RST, a cut chunked body lacks its terminator, a stall keeps the socket open; and it
keeps connections alive and continues a prefilled answer exactly."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from . import faults

QUESTION = "hi"


def post(path: str, body: dict[str, Any]) -> bytes:
    data = json.dumps(body).encode()
    return (
        b"POST %s HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        b"content-length: %d\r\n\r\n%s" % (path.encode(), len(data), data)
    )


def ollama_chat(*, stream: bool, messages: list[dict[str, str]] | None = None) -> bytes:
    messages = messages or [{"role": "user", "content": QUESTION}]
    return post("/api/chat", {"model": "m", "stream": stream, "messages": messages})


def read_to_end(sock: socket.socket) -> bytes:
    received = b""
    while data := sock.recv(65536):
        received += data
    return received


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """One Content-Length response's head and body."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


@pytest.fixture
def connect(fault_server):
    sockets: list[socket.socket] = []

    def open_one() -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", fault_server.port), timeout=5)
        sockets.append(sock)
        return sock

    yield open_one
    for sock in sockets:
        sock.close()


def test_a_reset_before_the_headers_reaches_the_client_as_econnreset(fault_server, connect):
    fault_server.script("m", [faults.rst_before_headers()])
    sock = connect()
    sock.sendall(ollama_chat(stream=True))

    with pytest.raises(ConnectionResetError):
        read_to_end(sock)


def test_a_close_before_the_headers_is_a_clean_end_of_stream(fault_server, connect):
    fault_server.script("m", [faults.close_before_headers()])
    sock = connect()
    sock.sendall(ollama_chat(stream=True))

    assert read_to_end(sock) == b""


def test_a_cut_chunked_body_ends_without_its_terminator(fault_server, connect):
    fault_server.script("m", [faults.cut_after(2)])
    sock = connect()
    sock.sendall(ollama_chat(stream=True))

    received = read_to_end(sock)

    assert b"transfer-encoding: chunked" in received
    assert received.count(b'"done":false') == 2
    assert not received.endswith(b"0\r\n\r\n")


def test_a_whole_stream_ends_with_the_chunked_terminator(fault_server, connect):
    sock = connect()
    sock.sendall(ollama_chat(stream=True) + ollama_chat(stream=True))
    sock.shutdown(socket.SHUT_WR)

    received = read_to_end(sock)

    assert received.count(b'"done":true') == 2
    assert received.endswith(b"0\r\n\r\n")


def test_a_cut_whole_body_is_shorter_than_its_content_length(fault_server, connect):
    fault_server.script("m", [faults.cut_after(1)])
    sock = connect()
    sock.sendall(ollama_chat(stream=False))

    head, _, body = read_to_end(sock).partition(b"\r\n\r\n")

    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    assert 0 < len(body) < length


def test_a_stall_keeps_the_socket_open_until_the_client_closes_it(fault_server, connect):
    fault_server.script("m", [faults.stall_before_headers()])
    sock = connect()
    sock.sendall(ollama_chat(stream=True))
    sock.settimeout(0.2)

    with pytest.raises(TimeoutError):
        sock.recv(1)  # nothing arrives, and the connection has not ended either
    assert fault_server.open_connections == 1

    sock.close()
    assert fault_server.wait_until_closed(timeout=5)


def test_a_keep_alive_connection_serves_several_requests(fault_server, connect):
    sock = connect()
    for _ in range(3):
        sock.sendall(ollama_chat(stream=False))
        _, body = read_response(sock)
        assert json.loads(body)["message"]["content"] == fault_server.reply(QUESTION)

    assert fault_server.accepted == 1
    assert [r.connection for r in fault_server.requests] == [1, 1, 1]


def test_a_prefilled_answer_is_continued_exactly_without_its_trailing_space(fault_server, connect):
    reply = fault_server.reply(QUESTION)
    partial = reply[: reply.index("w2")]  # "reply to hi: w1 "
    body = {
        "model": "m",
        "max_tokens": 100,
        "messages": [
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": [{"type": "text", "text": partial.rstrip()}]},
        ],
    }
    sock = connect()
    sock.sendall(post("/v1/messages", body))

    _, answer = read_response(sock)

    assert partial.rstrip() + json.loads(answer)["content"][0]["text"] == reply


def test_a_trailing_assistant_turn_gets_the_whole_reply_from_formats_without_prefill(
    fault_server, connect
):
    messages = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "reply to"},
    ]
    sock = connect()
    sock.sendall(ollama_chat(stream=False, messages=messages))

    _, answer = read_response(sock)

    assert json.loads(answer)["message"]["content"] == fault_server.reply(QUESTION)


@pytest.mark.parametrize("fault_server", ["trailing"], indirect=True)
def test_the_pieces_may_carry_their_whitespace_at_the_end(fault_server, connect):
    sock = connect()
    sock.sendall(ollama_chat(stream=True))
    sock.shutdown(socket.SHUT_WR)

    lines = [line for line in read_to_end(sock).split(b"\r\n") if line.startswith(b"{")]

    pieces = [json.loads(line)["message"]["content"] for line in lines]
    assert pieces[:4] == ["reply ", "to ", "hi: ", "w1 "]
    assert "".join(pieces) == fault_server.reply(QUESTION)
