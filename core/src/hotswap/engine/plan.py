"""Every failover decision for one call to a chain, and no I/O.

The sync and async drivers ask a :class:`CallPlan` what to do next — try this model, wait this
long, or give up — and report back how each try went. Instant failover, same-model retries,
circuit breakers, skipping models that cannot serve the request, backoff rounds, the call's
deadline and the attempt record are all decided here, once.

A half-open probe this call claimed is held until the call knows what it means: through a
resend to the same model, and until the model answers (the breaker closes), fails in a way
that opens it again (for longer), fails otherwise (it closes: the model answered, just not
well), or the call stops without a verdict (it is released, for the next caller to probe).
The drivers call :meth:`CallPlan.close` however the call ends, so no path leaves a claim
behind.
"""

from __future__ import annotations

import functools
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hotswap.engine.breaker import BreakerStore, BreakerVerdict, OpenBreaker
from hotswap.types.attempts import AllModelsFailedError, Attempt, Outcome
from hotswap.types.errors import ErrorKind, NoCredentialError, ProviderError
from hotswap.types.redaction import get_logger

if TYPE_CHECKING:
    from hotswap.config import FailoverSettings, ModelConfig

__all__ = ["CallPlan", "PlanObserver", "Wait"]

log = get_logger("hotswap.engine")


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait this many seconds, then ask again: every model has been tried this round, or a
    model asked for a short pause before it is tried again."""

    seconds: float


# Failures worth resending to the same model when ``same_model_retries`` allows: a hiccup on
# the provider's side. Not a timeout (the model is slow now), nor anything the breaker handles.
_RETRIED_IN_PLACE = frozenset((ErrorKind.SERVER_ERROR, ErrorKind.CONNECTION))

RESEND_DELAY_S = 0.5
"""The wait before the first resend to the same model; it doubles for each further resend in
a round, up to :data:`RESEND_DELAY_MAX_S`, less up to a quarter of random jitter (as the
providers' own SDKs wait), so that many callers hit by one hiccup do not resend in step."""
RESEND_DELAY_MAX_S = 8.0

_MAX_DOUBLINGS = 32  # beyond this a doubled cooldown is past any cap, and 2.0**n stays finite


class PlanObserver(Protocol):
    """Who hears of the plan's decisions (the plugin host, which tells every observer hook)."""

    def attempt_failed(self, model: ModelConfig, attempt: Attempt) -> None: ...
    def failover(self, attempt: Attempt, next_model: ModelConfig) -> None: ...
    def breaker_opened(self, model: ModelConfig, kind: ErrorKind, cooldown_s: float) -> None: ...
    def breaker_closed(self, model: ModelConfig) -> None: ...
    def observes(self, hook: str) -> bool: ...


class CallPlan:
    """The state of one call: which models are left this round, what each try did.

    :param models: the chain, first tried first.
    :param settings: its failover settings.
    :param breakers: the breaker store shared by every call.
    :param clock: monotonic seconds (injectable, so tests never sleep).
    :param rng: jitter source.
    :param observer: told of failures, failovers and breakers as they happen.
    :param deadline: when the whole call must be over, on ``clock``; no attempt starts and no
        wait ends after it.
    :param unable: why a model cannot serve this request at all (a capability it lacks), or
        None; such a model is skipped without a request.
    :param context_window: the input tokens a model accepts, if known, so that after a
        ``context_length`` failure only larger models are tried.
    """

    def __init__(
        self,
        models: Sequence[ModelConfig],
        settings: FailoverSettings,
        breakers: BreakerStore,
        clock: Callable[[], float],
        rng: random.Random,
        observer: PlanObserver | None = None,
        *,
        deadline: float | None = None,
        unable: Callable[[ModelConfig], str | None] | None = None,
        context_window: Callable[[ModelConfig], int | None] | None = None,
    ) -> None:
        self._models = tuple(models)
        self._settings = settings
        self._breakers = breakers
        self._clock = clock
        self._rng = rng
        self._observer = observer
        self._deadline = deadline
        self._unable = unable
        self._context_window = context_window
        self._queue = deque(self._models)
        # The half-open probes this call claimed, by model, and when each claim lapses.
        self._probing: dict[str, float] = {}
        self._moving_on_from: Attempt | None = None
        self._pause: float | None = None
        self._retries: dict[str, int] = {}  # same-model resends this round, per model
        self._waited: set[str] = set()  # models whose retry-after was waited out this round
        self._too_long: int | None = None  # the largest context window that refused the request
        self._refused: dict[str, str] = {}  # model -> why it can never serve this call
        self._skips_heard: bool | None = None  # whether anyone hears of skips, once asked
        self.round = 0
        self.attempts: list[Attempt] = []
        self.last_error: ProviderError | None = None

    def next(self) -> ModelConfig | Wait:
        """The model to try now, or how long to wait before the next round.

        :raises AllModelsFailedError: after the last round, listing every attempt.
        """
        now = self._clock()
        if self._pause is not None:
            pause, self._pause = self._pause, None
            return self._within_deadline(pause, now)
        if self._deadline is not None and now >= self._deadline:
            raise self._give_up("the call's deadline passed")
        while self._queue:
            model = self._queue.popleft()
            why = self._cannot_serve(model)
            if why is not None:
                self.skipped(model, why)
                continue
            # A probe this call holds needs no asking; a closed breaker (nearly every model)
            # costs one look at the store.
            if not (self._probing and self._holds(model.name)):
                state = self._breakers.state(model.name)
                if state is not None and not self._may_try(model, state, now):
                    continue
            if self._moving_on_from is not None and self._observer is not None:
                self._observer.failover(self._moving_on_from, model)
            self._moving_on_from = None
            return model
        if len(self._refused) == len(self._models):
            # No round of backoff can help a request that no model of the chain can serve.
            raise self._give_up("no model of the chain can serve this request")
        if self.round >= self._settings.max_retries:
            raise self._give_up(None)
        self.round += 1
        self._retries.clear()
        self._waited.clear()
        self._queue.extend(self._models)
        return self._within_deadline(self._backoff(now), now)

    def succeeded(self, model: ModelConfig, started: float) -> None:
        """``model`` answered."""
        name = model.name
        # Nearly always closed already: one look at the store, and a change only when open.
        was_open = self._breakers.state(name) is not None
        if was_open:
            self._breakers.close(name)
        self._probing.pop(name, None)
        self._record(model, Outcome.OK, started)
        if was_open and self._observer is not None:
            self._observer.breaker_closed(model)

    def failed(self, model: ModelConfig, error: ProviderError, started: float) -> None:
        """``model`` failed with ``error``. Returns if the chain goes on (with this model again,
        or the next); raises ``error`` itself when its kind is not a failover condition."""
        self.last_error = error
        attempt = self._record(model, Outcome.FAILED, started, error)
        if self._again_in_place(model, error):
            return
        if error.kind is ErrorKind.CONTEXT_LENGTH:
            self._settle(model)
            self._outgrown(model, error, attempt)
            return
        fails_over = self._settings.fails_over_on(error.kind)
        if not (fails_over and self._cool(model, error)):
            self._settle(model)
        if isinstance(error, NoCredentialError):
            # No round of backoff brings a key: this call does not look for one again.
            self._refused[model.name] = "it has no usable credential"
        if not fails_over:
            error.attempts = list(self.attempts)
            raise error
        self._moving_on_from = attempt
        if error.kind.is_account_problem():
            # Not the provider's bad minute but this account's problem: say so where it shows.
            said = error.provider_message.partition("\n")[0]
            log.warning("%s cannot be used (%s): %s; failing over", model.name, error.kind, said)
        else:
            log.info(
                "failover from %s after %s: %s", model.name, error.kind, error.provider_message
            )

    def resend(self, model: ModelConfig, error: ProviderError, started: float) -> None:
        """``model`` refused the form of the request, not the request (a prefilled
        continuation it does not support): recorded, and ``model`` is next again (still
        holding its probe, if this call holds it)."""
        self.last_error = error
        self._record(model, Outcome.FAILED, started, error)
        self._queue.appendleft(model)

    def time_left(self) -> float | None:
        """Seconds until the call's deadline, if it has one."""
        return None if self._deadline is None else self._deadline - self._clock()

    def interrupted(self, model: ModelConfig, error: ProviderError, started: float) -> None:
        """``model`` failed after its stream had shown content: recorded, and its breaker
        opened as for any failure, but the chain does not move on."""
        self.last_error = error
        self._record(model, Outcome.FAILED, started, error)
        if not self._cool(model, error):
            self._settle(model)

    def cancelled(self, model: ModelConfig, started: float) -> None:
        """The caller stopped the try of ``model``: no verdict on it, so a probe it held is
        released for the next caller."""
        self._release(model.name)
        self._record(model, Outcome.CANCELLED, started)

    def close(self) -> None:
        """The call is over, however it ended: release any probe it still holds (it ended
        without a verdict, say on an exception from outside the provider)."""
        for name in tuple(self._probing):
            self._release(name)
        self._probing.clear()

    # -- internals ---------------------------------------------------------------------------

    def _again_in_place(self, model: ModelConfig, error: ProviderError) -> bool:
        """Whether to send to ``model`` again rather than move on: a transient hiccup within
        ``same_model_retries``, or a short retry-after worth waiting out (once per round)."""
        settings = self._settings
        if not settings.fails_over_on(error.kind):
            return False
        name = model.name
        if error.kind in _RETRIED_IN_PLACE:
            resent = self._retries.get(name, 0)
            if resent >= settings.same_model_retries:
                return False
            self._retries[name] = resent + 1
            self._pause = self._resend_delay(resent)
            log.info("retrying %s in %.2f s after %s", name, self._pause, error.kind)
        elif (
            error.kind is ErrorKind.RATE_LIMITED
            and error.retry_after is not None
            and error.retry_after <= settings.wait_retry_after_s
            and settings.wait_retry_after_s > 0  # 0 means never, even for "retry-after: 0"
            and name not in self._waited
        ):
            self._waited.add(name)
            self._pause = max(error.retry_after, self._resend_delay(0))
            log.info("waiting %.1f s for %s, as its retry-after asked", self._pause, name)
        else:
            return False
        self._queue.appendleft(model)
        return True

    def _resend_delay(self, resent: int) -> float:
        """The jittered wait before a resend to the same model, after ``resent`` earlier ones."""
        delay = min(RESEND_DELAY_S * 2.0 ** min(resent, _MAX_DOUBLINGS), RESEND_DELAY_MAX_S)
        return delay * (1.0 - 0.25 * self._rng.random())

    def _outgrown(self, model: ModelConfig, error: ProviderError, attempt: Attempt) -> None:
        """``model`` said the request is too long for it: never send it there again in this
        call, and from now on skip models whose known context window is no larger."""
        self._refused[model.name] = "it said the request is too long for it"
        window = self._context_window(model) if self._context_window else None
        if window is not None and (self._too_long is None or window > self._too_long):
            self._too_long = window
        if not any(self._cannot_serve(m) is None for m in self._queue):
            error.attempts = list(self.attempts)
            raise error
        self._moving_on_from = attempt
        log.info("%s: the request is too long; trying a larger model", model.name)

    def _cannot_serve(self, model: ModelConfig) -> str | None:
        """Why ``model`` can never answer this call, or None."""
        refused = self._refused.get(model.name)
        if refused is not None:
            return refused
        why = self._unable(model) if self._unable else None
        if why is None and self._too_long is not None and self._context_window is not None:
            window = self._context_window(model)
            if window is not None and window <= self._too_long:
                why = (
                    f"its context window ({window:,} tokens) is no larger than one that "
                    f"refused the request ({self._too_long:,})"
                )
        if why is not None:
            self._refused[model.name] = why
        return why

    def _within_deadline(self, seconds: float, now: float) -> Wait:
        if self._deadline is not None and now + seconds > self._deadline:
            raise self._give_up(f"waiting {seconds:.1f} s more would pass the call's deadline")
        return Wait(seconds)

    def _give_up(self, reason: str | None) -> AllModelsFailedError:
        return AllModelsFailedError(self.attempts, self.last_error, reason)

    def _hold_until(self, now: float) -> float:
        """When a probe claimed now lapses if never reported: at the call's deadline, past
        which this call can no longer report anything."""
        if self._deadline is not None:
            return self._deadline
        return now + self._settings.deadline_s

    def _settle(self, model: ModelConfig) -> None:
        """``model`` failed in a way that opens no breaker: a probe this call held got an
        answer, just not a good one, so its breaker closes."""
        if self._holds(model.name):
            self._breakers.close(model.name)
        self._probing.pop(model.name, None)

    def _release(self, name: str) -> None:
        if self._holds(name):
            self._breakers.release(name)
        self._probing.pop(name, None)

    def _holds(self, name: str) -> bool:
        """Whether this call holds the probe of ``name``: it claimed it, and the claim has not
        lapsed (once it has, another caller may hold the probe, and it is not this call's to
        end)."""
        hold_until = self._probing.get(name)
        return hold_until is not None and self._clock() < hold_until

    def _cool(self, model: ModelConfig, error: ProviderError) -> bool:
        """Open ``model``'s breaker if ``error`` is a kind that does; say whether it did.

        A model that fails again on its probe is cooled for twice as long as the last time, up
        to ``max_cooldown_s``: a long outage is probed a handful of times an hour, and the model
        is used again within one cooldown of recovering."""
        base = self._settings.cooldown_after(error.kind)
        if base is None or isinstance(error, NoCredentialError):
            # Nothing was asked of the model: it is looked at again as soon as a key is set.
            return False
        name = model.name
        probe = self._holds(name)
        current = self._breakers.state(name)
        # Only a failed probe adds a strike: others failing meanwhile saw the same outage.
        strikes = 1 if current is None else current.strikes + (1 if probe else 0)
        cap = max(base, self._settings.max_cooldown_s)
        cooldown = min(base * 2.0 ** min(strikes - 1, _MAX_DOUBLINGS), cap)
        # The provider's retry-after wins when it asks for longer than our cooldown.
        wait = max(cooldown, error.retry_after or 0.0)
        self._breakers.open(name, self._clock() + wait, error.kind, strikes=strikes, probe=probe)
        self._probing.pop(name, None)
        log.info("%s cooling down for %.1f s after %s", name, wait, error.kind)
        if self._observer is not None:
            self._observer.breaker_opened(model, error.kind, wait)
        return True

    def _may_try(self, model: ModelConfig, state: OpenBreaker, now: float) -> bool:
        """Whether ``model``, whose breaker was open as ``state``, may be tried now: as the
        probe this call claims once its cooldown is over; otherwise it is skipped."""
        if now < state.until:
            self._passed_over(model, self._cooling(model, state, now))
            return False
        # The store decides who probes, so that two calls never claim the same probe.
        hold_until = self._hold_until(now)
        verdict = self._breakers.check(model.name, now, hold_until=hold_until)
        if verdict is BreakerVerdict.OPEN:
            state_now = self._breakers.state(model.name)
            if state_now is None:  # closed since it was checked
                self.skipped(model, "cooling down")
            elif state_now.until > now:
                self._passed_over(model, self._cooling(model, state_now, now))
            else:
                why = f"another request is probing it, after {state_now.kind.value}"
                self.skipped(model, why, state_now.kind)
            return False
        if verdict is BreakerVerdict.PROBE:
            self._probing[model.name] = hold_until
        return True

    def _cooling(self, model: ModelConfig, state: OpenBreaker, now: float) -> Attempt:
        seconds_left = f"{state.until - now:.1f}"
        return _cooling_record(
            model.name, model.provider, model.model, state.kind, seconds_left, self.round
        )

    def skipped(self, model: ModelConfig, why: str, kind: ErrorKind | None = None) -> None:
        """``model`` was passed over without a request, for the reason ``why``."""
        attempt = _skip_record(model.name, model.provider, model.model, kind, why, self.round)
        self._passed_over(model, attempt)

    def _passed_over(self, model: ModelConfig, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        self._moving_on_from = attempt
        heard = self._skips_heard
        if heard is None:
            # Asked once per call, so that many skips are not each told to no one.
            observer = self._observer
            heard = observer is not None and observer.observes("hotswap_attempt_failed")
            self._skips_heard = heard
        if heard and self._observer is not None:
            self._observer.attempt_failed(model, attempt)

    def _backoff(self, now: float) -> float:
        base = self._settings.retry_delay_ms / 1000.0 * 2.0 ** (self.round - 1)
        delay = base * (1.0 - 0.25 * self._rng.random())
        ends = [s.until for m in self._models if (s := self._breakers.state(m.name)) is not None]
        if len(ends) == len(self._models):
            # Every model is cooling down: a round before the first cooldown ends would only
            # skip them all again.
            delay = max(delay, min(ends) - now)
        return delay

    def _record(
        self,
        model: ModelConfig,
        outcome: Outcome,
        started: float,
        error: ProviderError | None = None,
    ) -> Attempt:
        attempt = Attempt(
            model=model.name,
            provider=model.provider,
            model_id=model.model,
            outcome=outcome,
            kind=error.kind if error else None,
            status=error.status if error else None,
            message=error.provider_message if error else None,
            elapsed_ms=(self._clock() - started) * 1000.0,
            round=self.round,
        )
        self.attempts.append(attempt)
        if outcome is Outcome.FAILED and self._observer is not None:
            self._observer.attempt_failed(model, attempt)
        return attempt


# Calls that meet the same open breakers skip the same models for the same reason, and a record
# is immutable: each call shares the record already made.


@functools.lru_cache(maxsize=1024)
def _skip_record(
    model: str, provider: str, model_id: str, kind: ErrorKind | None, why: str, round: int
) -> Attempt:
    """The record of skipping ``model`` for the reason ``why``."""
    return Attempt(
        model=model,
        provider=provider,
        model_id=model_id,
        outcome=Outcome.SKIPPED,
        kind=kind,
        message=why,
        round=round,
    )


@functools.lru_cache(maxsize=1024)
def _cooling_record(
    model: str, provider: str, model_id: str, kind: ErrorKind, seconds_left: str, round: int
) -> Attempt:
    """The record of skipping ``model``, cooling down after ``kind`` for ``seconds_left``
    (as shown) more."""
    why = f"cooling down for {seconds_left} s more after {kind.value}"
    return _skip_record.__wrapped__(model, provider, model_id, kind, why, round)
