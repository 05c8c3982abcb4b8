"""Sending one attempt and reading its answer: the exchange (what to send and what came back
means), the limits and the guard that enforces them, and the transports that touch sockets."""
