"""How the documentation's examples are read from Markdown and their output compared."""

from __future__ import annotations

from pathlib import Path

from .markdown_examples import matches, read_blocks

PAGE = """# A page

```python
print("hi")
```

```text title="Output"
hi
```

!!! note

    ```toml title="hotswap.toml"
    [models.a]
    ```

<!-- test-setup
simulator.script("m", [])
-->

```console
$ hotswap plugins
```
"""


def test_blocks_are_read_in_order_with_language_title_line_and_setup(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(PAGE)

    blocks = read_blocks(page)

    assert [(b.language, b.title, b.line) for b in blocks] == [
        ("python", None, 4),
        ("text", "Output", 8),
        ("toml", "hotswap.toml", 14),
        ("console", None, 22),
    ]
    assert blocks[2].code == "[models.a]\n"
    assert blocks[3].setup == 'simulator.script("m", [])\n'
    assert blocks[0].setup == ""


def test_an_ellipsis_stands_for_any_text_even_across_lines() -> None:
    assert matches("took ... ms\ndone", "took 12.5 ms\ndone\n")
    assert matches("a\n...\nz", "a\nb\nc\nz")
    assert not matches("took ... ms", "took 12 s")
    assert not matches("exactly this", "exactly this and more")


def test_a_line_of_only_an_ellipsis_stands_for_any_number_of_lines() -> None:
    assert matches("...\nb\n...", "b\n")
    assert matches("...\nb\n...", "a\nb\nc\n")
    assert not matches("...\nb\n...", "a\nc\n")
