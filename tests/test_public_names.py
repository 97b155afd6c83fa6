"""Every name a module of the package exports is used: in the package, the tests or benchmarks.

A name in ``__all__`` that nothing calls is dead code with a public face (``tomlcheck.get_bool``
and ``receiver.ifilter.impulse_bandwidth_hz`` were: exported, documented, never called).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _exports(tree: ast.Module) -> list[str]:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple)
            # the names spelled here (``*other.__all__`` re-exports are the other module's)
            return [
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
    return []


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def test_every_exported_name_is_used_somewhere() -> None:
    this = Path(__file__).resolve()
    package = {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "rfcheck").rglob("*.py"))}
    words = {p: _words(t) for p, t in package.items()}
    everywhere: Counter[str] = Counter()
    for counts in words.values():
        everywhere.update(counts)
    for tree in ("tests", "benchmarks", "sample_captures"):
        for p in sorted((ROOT / tree).rglob("*.py")):
            if p.resolve() != this:
                everywhere.update(_words(p.read_text(encoding="utf-8")))
    unused = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, text in package.items()
        for name in _exports(ast.parse(text))
        # its __all__ entry and its definition: used nowhere else, in its module or outside
        if everywhere[name] <= 2 and words[path][name] == everywhere[name]
    ]
    assert unused == []
