"""A transport's own client sends requests built directly: they must be, byte for byte, the
requests ``Client.build_request`` would have built, and the cases built differently must be
left to httpx2."""

from __future__ import annotations

import httpcore2
import httpx2
import pytest

from hotswap.wire.outgoing import RequestBuilder, direct

URL = httpx2.URL("http://127.0.0.1:8123/v1/messages")
BODY = b'{"model":"m","messages":[]}'
TIMEOUT = {"timeout": {"connect": 5.0, "read": 60.0, "write": 5.0, "pool": 5.0}}
LIMITS = dict(TIMEOUT["timeout"])


def both(
    headers: dict[str, str],
    *,
    client: httpx2.Client | None = None,
    url: httpx2.URL = URL,
    method: str = "POST",
) -> tuple[httpx2.Request, httpx2.Request | None]:
    client = client or httpx2.Client()
    built = client.build_request(method, url, content=BODY, headers=headers, extensions=TIMEOUT)
    return built, direct(method, url, client.headers, headers, BODY, TIMEOUT)


def same(expected: httpx2.Request, got: httpx2.Request | None) -> None:
    assert got is not None
    assert got.method == expected.method
    assert got.url == expected.url
    assert got.headers.raw == expected.headers.raw
    assert got.content == expected.content
    assert list(got.stream) == list(expected.stream)
    assert got.extensions == expected.extensions


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "application/json", "x-api-key": "sk-ant-api03-simulated-key-0001"},
        {"authorization": "Bearer sk-1", "content-type": "application/json"},
        {},
        # A default header replaced, in another case: httpx2 drops its own and appends ours.
        {"user-agent": "acme/1.0", "ACCEPT": "application/json"},
        # The same name twice in different cases: both are sent, as httpx2 sends them.
        {"X-Trace": "a", "x-trace": "b"},
    ],
)
def test_a_direct_request_is_the_request_build_request_makes(headers):
    same(*both(headers))


def test_a_clients_changed_default_headers_are_used():
    client = httpx2.Client(headers={"x-team": "search"})
    client.headers["user-agent"] = "ours"

    same(*both({"content-type": "application/json"}, client=client))


def test_the_method_is_upper_cased_and_another_port_kept_in_host():
    same(*both({}, method="post", url=httpx2.URL("https://api.example.com:8443/v1/chat")))


@pytest.mark.parametrize("name", ["Host", "content-length", "Transfer-Encoding"])
def test_a_request_setting_a_header_httpx2_derives_is_left_to_httpx2(name):
    assert direct("POST", URL, httpx2.Headers(), {name: "1"}, BODY, TIMEOUT) is None


@pytest.mark.parametrize("body", [None, b""])
def test_a_request_without_a_body_is_left_to_httpx2(body):
    assert direct("POST", URL, httpx2.Headers(), {}, body, TIMEOUT) is None


def test_a_relative_url_is_left_to_httpx2():
    assert direct("POST", httpx2.URL("/v1/messages"), httpx2.Headers(), {}, BODY, TIMEOUT) is None


def test_a_header_httpx2_cannot_encode_fails_as_it_does():
    with pytest.raises(UnicodeEncodeError):
        httpx2.Client().build_request("POST", URL, content=BODY, headers={"x-name": "Åse"})
    with pytest.raises(UnicodeEncodeError):
        direct("POST", URL, httpx2.Headers(), {"x-name": "Åse"}, BODY, TIMEOUT)


class _Recorder:
    """A connection pool that keeps the request it is handed and answers nothing."""

    def __init__(self) -> None:
        self.requests: list[httpcore2.Request] = []

    def handle_request(self, request: httpcore2.Request) -> httpcore2.Response:
        self.requests.append(request)
        raise httpcore2.ConnectError("recorded")


def handed(request: httpcore2.Request) -> tuple:
    url = request.url
    body = b"".join(request.stream)  # type: ignore[arg-type]
    return request.method, (url.scheme, url.host, url.port, url.target), request.headers, body


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8123/v1/messages", "https://api.example.com/v1/chat?alt=sse"]
)
def test_a_pooled_request_is_what_httpx2s_transport_hands_its_pool(url):
    client = httpx2.Client()
    recorder = client._transport._pool = _Recorder()
    headers = {"content-type": "application/json", "x-api-key": "sk-ant-api03-simulated-key-0001"}
    limits = dict(TIMEOUT["timeout"])

    pool, request = RequestBuilder().pooled(client, "POST", url, headers, BODY, limits)
    sent = RequestBuilder().build(client, True, "POST", url, headers, BODY, limits)
    with pytest.raises(httpx2.ConnectError):
        client._transport_for_url(sent.url).handle_request(sent)

    assert pool is recorder
    assert handed(request) == handed(recorder.requests[0])
    assert request.extensions == recorder.requests[0].extensions == TIMEOUT


def test_a_client_sending_through_another_transport_is_not_pooled():
    client = httpx2.Client(transport=httpx2.MockTransport(lambda request: httpx2.Response(200)))

    assert RequestBuilder().pooled(client, "POST", str(URL), {}, BODY, LIMITS) is None


@pytest.mark.parametrize(("headers", "body"), [({}, b""), ({"Content-Length": "1"}, BODY)])
def test_a_request_direct_leaves_to_httpx2_is_not_pooled(headers, body):
    client = httpx2.Client()

    assert RequestBuilder().pooled(client, "POST", str(URL), headers, body, LIMITS) is None


def test_an_httpx2_transport_without_the_pool_it_used_to_have_is_not_pooled():
    client = httpx2.Client()
    del client._transport._pool  # as in a release of httpx2 that renamed it

    assert RequestBuilder().pooled(client, "POST", str(URL), {}, BODY, LIMITS) is None
