"""The plain data every layer shares: messages, requests, answers, events, errors, HTTP
descriptions, provider declarations and secrets. Nothing here does I/O or knows a plugin."""
