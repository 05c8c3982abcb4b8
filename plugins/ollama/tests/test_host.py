"""Where the Ollama server is: the model's base_url, else OLLAMA_HOST read as the ollama
command reads it, else http://localhost:11434."""

from __future__ import annotations

import pytest
from hotswap_ollama.provider import parse_host, server_url

from .conftest import model


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("0.0.0.0:11434", "http://127.0.0.1:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"),  # noqa: S104 (what a server binds to)
        (":11434", "http://127.0.0.1:11434"),
        ("127.0.0.1:11435", "http://127.0.0.1:11435"),
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:8080", "http://gpu-box:8080"),
        ("http://gpu-box:8080", "http://gpu-box:8080"),
        ("http://gpu-box", "http://gpu-box:80"),
        ("https://ollama.example.org", "https://ollama.example.org:443"),
        ("https://ollama.example.org/ollama/", "https://ollama.example.org:443/ollama"),
        ("[::1]:11434", "http://[::1]:11434"),
        ("::", "http://[::1]:11434"),
        ("[::]:9000", "http://[::1]:9000"),
        ("gpu-box:not-a-port", "http://gpu-box:11434"),
        ("gpu-box:99999", "http://gpu-box:11434"),
        ("ollama.com", "https://ollama.com"),
        ("  localhost:11434 ", "http://localhost:11434"),
    ],
)
def test_ollama_host_forms(value, url):
    assert parse_host(value) == url


def test_the_default_server_is_localhost_11434(home):
    assert server_url(model()) == "http://localhost:11434"


def test_ollama_host_moves_the_server(home, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "0.0.0.0:11500")

    assert server_url(model()) == "http://127.0.0.1:11500"


def test_a_configured_base_url_wins_over_ollama_host(home, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "0.0.0.0:11500")

    assert server_url(model(base_url="http://gpu-box:11434/")) == "http://gpu-box:11434"


def test_an_empty_ollama_host_is_the_default(home, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", " ")

    assert server_url(model()) == "http://localhost:11434"
