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


#: Private functions whose signature a protocol fixes, so a parameter may go unread:
#: function name -> the protocol.
PROTOCOL_SIGNATURES = {
    "_sniff": "the reader registry's sniff(head, path) (rfcheck.io._registry.Reader)",
    "_decision_rule": "a click option callback (ctx, param, value)",
    "_json": "the report-format registry's render(run, setup) (rfcheck.report.registry)",
    "_csv": "the report-format registry's render(run, setup)",
    "_text": "the report-format registry's render(run, setup)",
    "_png": "the report-format registry's plot(capture, setup, salt, window_db)",
}


def test_no_private_function_takes_a_parameter_it_never_reads() -> None:
    """A parameter nothing reads is dead code in the signature.

    ``prominence._extend(step)``, ``verdict.line._check_detectors(table)`` and
    ``record.entry_pdf._story(index)`` took one.
    """
    found = []
    for path in sorted((ROOT / "rfcheck").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("_"):
                continue
            if node.name in PROTOCOL_SIGNATURES:
                continue
            args = node.args
            params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
            read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            found += [
                f"{path.relative_to(ROOT)}: {node.name}({p})"
                for p in params
                if p not in read and not p.startswith("_")
            ]
    assert found == []


def test_no_test_is_named_for_a_review_round() -> None:
    """STYLE §Tests: a test is named for what it pins, never for the round that found it."""
    named = [
        f"{path.relative_to(ROOT)}: {m.group(1)}"
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        for m in re.finditer(r"^\s*def (test_\w+)", path.read_text(encoding="utf-8"), re.M)
        if re.search(r"audit|(?:^|_)fix\d|(?:^|_)round\d", m.group(1))
    ]
    assert named == []


#: An internal review round's id: ``audit`` and a number, ``fix`` with a number and a letter,
#: ``struct`` and a number. Written so that this pattern's own text does not match it.
_REVIEW_ID = re.compile(r"(?<![a-z])(?:audit ?\d+|fix\d+[a-z]|struct\d+)", re.I)

#: Where the product, its documents and its tests live; the ids must appear in none of them.
_PRODUCT_PATHS = (
    "rfcheck",
    "docs",
    "limits",
    "benchmarks",
    "tests",
    "sample_captures",
    "README.md",
)


def _text_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return [p for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]


def test_no_internal_review_round_id_appears_in_the_product() -> None:
    """A reader outside the project cannot look up an ``auditNN F3`` or a ``fixNNa``.

    Code, docs and tests say what the case is (the input, what it read) instead.
    """
    found = []
    for name in _PRODUCT_PATHS:
        for path in _text_files(ROOT / name):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:  # a PNG, a binary capture
                continue
            found += [
                f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
                for m in _REVIEW_ID.finditer(text)
            ]
    assert found == []
