"""Check the answers before anything is written, so a bad one is named with its fix."""

import re
import sys

# jsonify writes each answer as a string literal, whatever characters it holds.
NAME = {{ cookiecutter.name | jsonify }}
DISPLAY_NAME = {{ cookiecutter.display_name | jsonify }}
BASE_URL = {{ cookiecutter.base_url | jsonify }}
WIRE_FORMAT = {{ cookiecutter.wire_format | jsonify }}
AUTH_HEADER = {{ cookiecutter.auth_header | jsonify }}
ENV_VAR = {{ cookiecutter.env_var | jsonify }}

# The length limits keep every generated line within the generated project's 100 columns.
CHECKS = [
    (
        re.fullmatch(r"[a-z][a-z0-9_-]{0,29}", NAME),
        f"name {NAME!r}: use up to 30 lower case letters, digits, '-' and '_', starting with a "
        "letter (hotswap's rule for provider names), like acme or acme-cloud.",
    ),
    (
        0 < len(DISPLAY_NAME) <= 40 and '"' not in DISPLAY_NAME and "\\" not in DISPLAY_NAME,
        f"display_name {DISPLAY_NAME!r}: write up to 40 characters, without quotes or "
        "backslashes, like Acme Cloud.",
    ),
    (
        re.fullmatch(r"https?://[^\s/\"\\]+(/[^\s\"\\]*)?", BASE_URL) and len(BASE_URL) <= 80,
        f"base_url {BASE_URL!r}: write the full http(s) URL, up to 80 characters, like "
        "https://api.acme.example/v1.",
    ),
    (
        re.fullmatch(r"[A-Za-z0-9-]{1,40}", AUTH_HEADER),
        f"auth_header {AUTH_HEADER!r}: write a header name, like Authorization or x-api-key.",
    ),
    (
        re.fullmatch(r"[A-Z_][A-Z0-9_]{0,39}", ENV_VAR),
        f"env_var {ENV_VAR!r}: use up to 40 upper case letters, digits and '_', like "
        "ACME_API_KEY.",
    ),
    (
        WIRE_FORMAT != "openai-compatible" or AUTH_HEADER.lower() == "authorization",
        f"auth_header {AUTH_HEADER!r}: an OpenAI-compatible provider takes its key as "
        "'Authorization: Bearer KEY' (and hotswap's simulator checks that); for a provider that "
        "reads another header, choose wire_format custom.",
    ),
]

problems = [message for ok, message in CHECKS if not ok]
if problems:
    print("cookiecutter-provider: cannot generate the plugin:", file=sys.stderr)
    for message in problems:
        print(f"  - {message}", file=sys.stderr)
    sys.exit(1)
