"""Remove what the chosen wire format does not use."""

from pathlib import Path

WIRE_FORMAT = "{{ cookiecutter.wire_format }}"
PACKAGE = Path("src") / "{{ cookiecutter.__package }}"

if WIRE_FORMAT == "openai-compatible":
    # The shared OpenAI-compatible translation in hotswap-openai does this plugin's work.
    (PACKAGE / "translation.py").unlink()
    (Path("tests") / "test_translation.py").unlink()
