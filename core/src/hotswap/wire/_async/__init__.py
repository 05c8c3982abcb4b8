"""The async transport, the one source of the sync one: ``make unasync`` writes ``wire/_sync``
from it, so every decision about sending an attempt is written once."""
