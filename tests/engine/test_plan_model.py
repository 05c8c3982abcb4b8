"""A model-based test of the breakers and the call plan: hypothesis drives several calls at once
through random outcomes, resends, cancellations, abandoned calls and clock steps, against a
small reference of what must hold:

* a model is never sent a request while it cools down, unless by the call holding its probe;
* no two calls probe one model at once;
* a probe is always held by a live call: none is left behind by any path;
* a breaker's deadline never moves earlier;
* every request a call sent is recorded once, and only once it has been reported;
* once every call is over and the longest cooldown has passed, every model is tried again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from hotswap import (
    AllModelsFailedError,
    ErrorKind,
    FailoverSettings,
    ModelConfig,
    Outcome,
    ProviderError,
)
from hotswap.engine import MemoryBreakerStore
from hotswap.engine.breaker import BreakerVerdict
from hotswap.engine.plan import CallPlan, Wait
from hotswap.types.errors import ErrorClassification, NoCredentialError

# Two models: few enough that calls meet on the same breaker often.
MODELS = tuple(ModelConfig(name=f"m{i}", provider="acme", model=f"acme-{i}") for i in range(2))
LONGEST_COOLDOWN = 3600 + 600  # an hour for account failures; retry-afters are drawn below 600

FAILURES = st.sampled_from(
    [
        (ErrorKind.RATE_LIMITED, None),
        (ErrorKind.RATE_LIMITED, 0.0),
        (ErrorKind.RATE_LIMITED, 2.0),
        (ErrorKind.RATE_LIMITED, 500.0),
        (ErrorKind.OVERLOADED, None),
        (ErrorKind.SERVER_ERROR, None),
        (ErrorKind.CONNECTION, None),
        (ErrorKind.TIMEOUT, None),
        (ErrorKind.AUTH, None),
        (ErrorKind.QUOTA_EXHAUSTED, None),
        (ErrorKind.INVALID_REQUEST, None),
        (ErrorKind.CONTEXT_LENGTH, None),
        ("no_credential", None),
    ]
)


def error_of(kind: ErrorKind | str, retry_after: float | None) -> ProviderError:
    if kind == "no_credential":
        return NoCredentialError("no key", provider="acme", model="acme")
    assert isinstance(kind, ErrorKind)
    classification = ErrorClassification(kind, f"{kind} happened", retry_after=retry_after)
    return ProviderError.from_classification(classification, provider="acme", model="acme")


@dataclass
class Call:
    """One call under way, as the reference sees it."""

    plan: CallPlan
    deadline: float  # when a probe this call claimed lapses, whatever it did with it
    sending: ModelConfig | None = None  # the model a request is out to, not yet reported
    started: float = 0.0
    probe: str | None = None  # the model whose probe this call holds, as far as it can tell
    reported: int = 0  # requests reported back (each must be one attempt record)
    live: bool = True
    sent_to: list[str] = field(default_factory=list)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class PlanMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.store = MemoryBreakerStore()
        self.calls: list[Call] = []
        self.settings = FailoverSettings()
        self.until: dict[str, float] = {}  # every breaker's deadline as last seen
        self.rng = random.Random(1)

    # -- setting up ----------------------------------------------------------------------------

    @initialize(
        same_model_retries=st.integers(0, 2),
        wait_retry_after_s=st.sampled_from([0.0, 5.0]),
        max_retries=st.integers(0, 2),
    )
    def configure(self, same_model_retries: int, wait_retry_after_s: float, max_retries: int):
        self.settings = FailoverSettings(
            same_model_retries=same_model_retries,
            wait_retry_after_s=wait_retry_after_s,
            max_retries=max_retries,
            retry_delay_ms=100,
        )
        self.start_call()

    @precondition(lambda self: sum(c.live for c in self.calls) < 4)
    @rule()
    def start_call(self):
        deadline = self.clock() + self.settings.deadline_s
        plan = CallPlan(MODELS, self.settings, self.store, self.clock, self.rng, deadline=deadline)
        self.calls.append(Call(plan, deadline))

    # -- a call asks what to do next -----------------------------------------------------------

    @precondition(lambda self: any(c.live and c.sending is None for c in self.calls))
    @rule(data=st.data())
    def ask_next(self, data):
        idle = [c for c in self.calls if c.live and c.sending is None]
        if not idle:
            return
        call = data.draw(st.sampled_from(idle))
        before = {m.name: self.store.state(m.name) for m in MODELS}
        recorded = len(call.plan.attempts)
        try:
            step = call.plan.next()
        except AllModelsFailedError:
            self.end(call)
            return
        finally:
            for skip in call.plan.attempts[recorded:]:
                if skip.message and "probing" in skip.message:
                    holder = self.probe_holder(skip.model)
                    assert holder not in (None, call), f"{skip.model} skipped for no probe"
        if isinstance(step, Wait):
            self.clock.now += step.seconds  # the call sleeps; the world waits with it
            return
        name = step.name
        state = before[name]
        if state is not None:
            mine = call.probe == name
            assert mine or state.until <= self.clock(), f"{name} sent while cooling down"
            if not mine:
                holder = self.probe_holder(name)
                assert holder is None, f"{name} probed by two calls at once"
                call.probe = name
        call.sending, call.started = step, self.clock()
        call.sent_to.append(name)

    # -- the request's outcome is reported -----------------------------------------------------

    def any_sending(self) -> bool:
        return any(c.live and c.sending is not None for c in self.calls)

    def sending(self, data) -> Call | None:
        out = [c for c in self.calls if c.live and c.sending is not None]
        return data.draw(st.sampled_from(out)) if out else None

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data())
    def answered(self, data):
        call = self.sending(data)
        if call is None:
            return
        model = self.report(call)
        call.plan.succeeded(model, call.started)
        self.closed(model.name)
        self.end(call)  # an answer ends the call

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data(), failure=FAILURES)
    def failed(self, data, failure):
        call = self.sending(data)
        if call is None:
            return
        model = self.report(call)
        error = error_of(*failure)
        try:
            call.plan.failed(model, error, call.started)
        except ProviderError:
            self.end(call)  # not a condition: raised to the caller, the driver closes the plan
            return
        state = self.store.state(model.name)
        if call.probe == model.name and state is not None and state.probing:
            return  # sent again in place: the probe is still this call's
        self.settled(call, model.name)

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data(), failure=FAILURES)
    def interrupted(self, data, failure):
        call = self.sending(data)
        if call is None:
            return
        model = self.report(call)
        call.plan.interrupted(model, error_of(*failure), call.started)
        self.settled(call, model.name)
        self.end(call)  # a stream cut after content, raised to the caller

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data())
    def prefill_refused(self, data):
        call = self.sending(data)
        if call is None:
            return
        model = self.report(call)
        call.plan.resend(model, error_of(ErrorKind.INVALID_REQUEST, None), call.started)

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data())
    def cancelled(self, data):
        call = self.sending(data)
        if call is None:
            return
        model = self.report(call)
        call.plan.cancelled(model, call.started)
        self.settled(call, model.name)
        self.end(call)

    @precondition(lambda self: self.any_sending())
    @rule(data=st.data())
    def abandoned(self, data):
        """Something outside the provider raised: nothing is reported, the driver closes."""
        call = self.sending(data)
        if call is None:
            return
        call.sending = None
        self.end(call)

    @rule(seconds=st.sampled_from([0.0, 1.0, 61.0, 61.0, 61.0, 130.0, 400.0, 1300.0]))
    def time_passes(self, seconds: float):
        self.clock.now += seconds

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def a_probe_is_always_held_by_a_live_call(self):
        for model in MODELS:
            state = self.store.state(model.name)
            if state is not None and state.probing and self.clock() < (state.probe_until or 0):
                assert self.probe_holder(model.name) is not None, f"{model.name} probe stuck"

    @invariant()
    def a_deadline_never_moves_earlier(self):
        for model in MODELS:
            state = self.store.state(model.name)
            if state is None:
                self.until.pop(model.name, None)
                continue
            assert state.until >= self.until.get(model.name, state.until)
            self.until[model.name] = state.until

    @invariant()
    def every_reported_request_is_recorded_once(self):
        for call in self.calls:
            sent = [a for a in call.plan.attempts if a.outcome is not Outcome.SKIPPED]
            assert len(sent) == call.reported

    def teardown(self):
        for call in self.calls:
            if call.live:
                self.end(call)
        self.clock.now += LONGEST_COOLDOWN
        now = self.clock()
        for model in MODELS:
            verdict = self.store.check(model.name, now, hold_until=now + 1)
            assert verdict is not BreakerVerdict.OPEN, (
                f"{model.name} would be skipped for ever: {self.store.state(model.name)}"
            )

    # -- the reference -------------------------------------------------------------------------

    def report(self, call: Call) -> ModelConfig:
        model = call.sending
        assert model is not None
        call.sending = None
        call.reported += 1
        return model

    def probe_holder(self, name: str) -> Call | None:
        for call in self.calls:
            if call.live and call.probe == name and self.clock() < call.deadline:
                return call
        return None

    def settled(self, call: Call, name: str) -> None:
        if call.probe == name:
            call.probe = None

    def closed(self, name: str) -> None:
        # A success closes the breaker: no probe of it is held any more, by anyone.
        for call in self.calls:
            if call.probe == name:
                call.probe = None

    def end(self, call: Call) -> None:
        call.plan.close()
        call.live = False
        call.probe = None


PlanMachine.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPlanModel = PlanMachine.TestCase
