"""The stylesheets parse: every block closes (a lost brace hides every later rule)."""

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("path", sorted(STATIC.rglob("*.css")), ids=lambda path: path.name)
def test_every_css_block_closes(path):
    depth = 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number} closes a block that is not open"
    assert depth == 0, f"{path.name} leaves {depth} block(s) open"
