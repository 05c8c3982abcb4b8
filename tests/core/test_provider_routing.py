"""A provider's operations reach the plugin that registered the provider, the plugins that
register none and the core's fallbacks, in pluggy's order, wrappers and late registrations
included; never another provider's plugin."""

from __future__ import annotations

import pytest

from hotswap import Completion, ErrorKind, Message, ModelConfig, PluginHost
from hotswap.plugin import hookimpl
from hotswap.plugin.provider import ProviderPlugin
from hotswap.types.errors import ErrorClassification, PluginError
from hotswap.types.http import HttpRequest, HttpResponse
from hotswap.types.providers import ProviderInfo
from hotswap.types.request import CompletionRequest

REQUEST = CompletionRequest(messages=(Message.user("hi"),))
FAILURE = HttpResponse(418, {}, b"teapot")


def provider(name: str, calls: list[str]) -> ProviderPlugin:
    class Provider(ProviderPlugin):
        info = ProviderInfo(name=name, base_url=f"https://{name}.test", auth={"none": {}})

        def build_request(self, model, request, stream):
            calls.append(name)
            return HttpRequest("POST", f"/{name}", json={}, stream=stream)

    return Provider()


def model(provider_name: str) -> ModelConfig:
    return ModelConfig(name=provider_name, provider=provider_name, model="m")


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def host(calls) -> PluginHost:
    host = PluginHost(entry_points=[])
    for name in ("alpha", "beta", "gamma"):
        host.register(provider(name, calls), name=name)
    return host


def test_each_provider_answers_for_its_own_models(host, calls):
    assert host.build_request(model("alpha"), REQUEST, stream=False).path == "/alpha"
    assert host.build_request(model("gamma"), REQUEST, stream=False).path == "/gamma"
    assert calls == ["alpha", "gamma"]


def test_a_provider_s_plugin_is_never_asked_about_another_provider_s_models(host):
    class Everyone(ProviderPlugin):
        """Writes its hook itself, meaning to answer for every model."""

        info = ProviderInfo(name="everyone", base_url="https://e.test", auth={"none": {}})

        @hookimpl(tryfirst=True)
        def hotswap_classify_error(self, model, failure):
            return ErrorClassification(ErrorKind.OVERLOADED, f"seen for {model.provider}")

    host.register(Everyone(), name="everyone")

    assert host.classify_error(model("everyone"), FAILURE).message == "seen for everyone"
    assert host.classify_error(model("alpha"), FAILURE).kind is ErrorKind.INVALID_REQUEST


def test_a_plugin_registered_after_the_first_call_takes_part(host):
    assert host.build_request(model("beta"), REQUEST, stream=False).path == "/beta"

    class Override:
        @hookimpl(tryfirst=True)
        def hotswap_build_request(self, model, request, stream):
            return HttpRequest("POST", "/override", json={}, stream=stream)

    host.register(Override(), name="override")

    assert host.build_request(model("beta"), REQUEST, stream=False).path == "/override"


def test_a_wrapper_wraps_every_provider(host):
    class Tagger:
        @hookimpl(wrapper=True)
        def hotswap_build_request(self, model, request, stream):
            built = yield
            return HttpRequest(
                built.method, built.path, headers={"x-tag": model.provider}, json=built.json
            )

    host.register(Tagger(), name="tagger")

    for name in ("alpha", "beta"):
        built = host.build_request(model(name), REQUEST, stream=False)
        assert (built.path, built.headers) == (f"/{name}", {"x-tag": name})


def test_trylast_runs_after_the_provider_and_tryfirst_before(host):
    class Fallback:
        @hookimpl(trylast=True)
        def hotswap_build_request(self, model, request, stream):
            return HttpRequest("POST", "/fallback", json={}, stream=stream)

    host.register(Fallback(), name="fallback")
    assert host.build_request(model("alpha"), REQUEST, stream=False).path == "/alpha"

    class First:
        @hookimpl(tryfirst=True)
        def hotswap_build_request(self, model, request, stream):
            return (
                HttpRequest("POST", "/first", json={}, stream=stream)
                if model.provider == "alpha"
                else None
            )

    host.register(First(), name="first")
    assert host.build_request(model("alpha"), REQUEST, stream=False).path == "/first"
    assert host.build_request(model("beta"), REQUEST, stream=False).path == "/beta"


def test_a_provider_plugin_without_a_translation_is_named_in_the_error(host):
    class Silent(ProviderPlugin):
        info = ProviderInfo(name="silent", base_url="https://s.test", auth={"none": {}})

    host.register(Silent(), name="silent-plugin")

    with pytest.raises(PluginError, match=r"'silent-plugin' .* as the method 'build_request'"):
        host.build_request(model("silent"), REQUEST, stream=False)


def test_a_translation_method_that_takes_other_arguments_than_its_hook_is_refused(host):
    class Misread(ProviderPlugin):
        info = ProviderInfo(name="misread", base_url="https://m.test", auth={"none": {}})

        def parse_response(self, model, body):
            return None

    with pytest.raises(PluginError, match="parse_response"):
        host.register(Misread(), name="misread")
    assert "misread" not in host.providers()


def test_a_method_not_named_after_an_operation_is_not_a_hook(host):
    class Helpful(ProviderPlugin):
        info = ProviderInfo(name="helpful", base_url="https://h.test", auth={"none": {}})

        def model_id(self, model):
            return model.model

        def build_request(self, model, request, stream):
            return HttpRequest("POST", f"/{self.model_id(model)}", json={}, stream=stream)

    host.register(Helpful(), name="helpful")

    assert host.build_request(model("helpful"), REQUEST, stream=False).path == "/m"


def test_a_translation_method_may_carry_pluggy_s_options(host):
    class Careful(ProviderPlugin):
        """Wraps its own classification, as a wrapper may."""

        info = ProviderInfo(name="careful", base_url="https://c.test", auth={"none": {}})

        @hookimpl(wrapper=True)
        def classify_error(self, model, failure):
            verdict = yield
            return ErrorClassification(ErrorKind.SERVER_ERROR, f"careful: {verdict.message}")

    host.register(Careful(), name="careful")

    assert host.classify_error(model("careful"), FAILURE) == ErrorClassification(
        ErrorKind.SERVER_ERROR, "careful: teapot"
    )
    assert host.classify_error(model("alpha"), FAILURE).kind is ErrorKind.INVALID_REQUEST


def test_a_translation_that_finds_nothing_lets_the_next_implementation_answer(host):
    class Quiet(ProviderPlugin):
        info = ProviderInfo(name="quiet", base_url="https://q.test", auth={"none": {}})

        def parse_response(self, model, response):
            return None

    class Fallback:
        @hookimpl(trylast=True)
        def hotswap_parse_response(self, model, response):
            return Completion(text=f"fallback for {model.provider}")

    host.register(Quiet(), name="quiet")
    assert host.parse_response(model("quiet"), FAILURE) is None

    host.register(Fallback(), name="fallback")
    assert host.parse_response(model("quiet"), FAILURE).text == "fallback for quiet"


def test_observers_hear_the_arguments_they_take(host):
    heard = []

    class Observer:
        @hookimpl
        def hotswap_breaker_opened(self, cooldown_s, model):
            heard.append((cooldown_s, model.provider))

        @hookimpl
        def hotswap_attempt_started(self, model, stream):
            heard.append((model.provider, stream))

    host.add_observer(Observer())
    host.breaker_opened(model("beta"), ErrorKind.RATE_LIMITED, 60.0)
    host.attempt_started(model("alpha"), stream=True)

    assert heard == [(60.0, "beta"), ("alpha", True)]
    assert host.observes("hotswap_attempt_started")
    assert not host.observes("hotswap_failover")
