"""The static half of the forbidden-call check, run on the grader's side before anything runs.

A challenge lists what it forbids as dotted names (`torch.nn.functional.conv2d`, `torch.conv2d`).
The scan refuses any import, name or attribute whose last part is one of those names, however it
is imported or aliased, and, in challenges that forbid anything, every way of reaching a name
without writing it down: `getattr`/`setattr`/`vars`/`globals`, `eval`/`exec`/`compile`,
`__import__`/`importlib`, `sys.modules`, `operator.attrgetter`, dunder attributes such as
`__dict__`, private attributes such as `torch._C`, and `torch.ops`. The runtime audit inside the
sandbox (harness.py) catches what reaches the forbidden op some other way.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

REFLECTION_NAMES = frozenset(
    {
        "getattr",
        "setattr",
        "delattr",
        "vars",
        "globals",
        "locals",
        "eval",
        "exec",
        "compile",
        "__import__",
        "__builtins__",
        "breakpoint",
    }
)
REFLECTION_MODULES = frozenset(
    {
        "importlib",
        "sys",
        "builtins",
        "inspect",
        "gc",
        "ctypes",
        "operator",
        "types",
        "code",
        "codeop",
        "pickle",
        "marshal",
        "runpy",
        "pkgutil",
        "subprocess",
    }
)
REFLECTION_ATTRIBUTES = frozenset({"ops", "modules", "attrgetter", "methodcaller"})
ALLOWED_DUNDERS = frozenset({"__init__", "__name__"})
PRIVATE_OK_OWNERS = frozenset({"self", "cls", "ctx"})


@dataclass(frozen=True, slots=True)
class Finding:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


@dataclass(frozen=True, slots=True)
class Scan:
    syntax_error: str | None
    findings: tuple[Finding, ...]
    defines_entry: bool


def scan(code: str, entry: str, forbidden: list[str]) -> Scan:
    """Parse the submission and list every forbidden or reflective construct in it."""
    try:
        tree = ast.parse(code, filename="submission.py")
    except SyntaxError as exc:
        return Scan(f"line {exc.lineno}: {exc.msg}", (), False)
    top = entry.split(".")[0]
    defines = any(_binds(node, top) for node in tree.body)
    if not forbidden:
        return Scan(None, (), defines)
    visitor = _Visitor({name.rsplit(".", 1)[-1] for name in forbidden})
    visitor.docstrings = {id(d) for d in _docstrings(tree)}
    visitor.visit(tree)
    return Scan(None, tuple(sorted(set(visitor.findings), key=lambda f: (f.line, f.what))), defines)


def _docstrings(tree: ast.Module) -> list[ast.Constant]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.append(first.value)
    return found


def _binds(node: ast.stmt, name: str) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    if isinstance(node, ast.ImportFrom | ast.Import):
        return any((a.asname or a.name.split(".")[0]) == name for a in node.names)
    return False


class _Visitor(ast.NodeVisitor):
    def __init__(self, leaves: set[str]) -> None:
        self.leaves = leaves
        self.imported: set[str] = set()  # local names bound by `from x import leaf [as y]`
        self.findings: list[Finding] = []
        self.docstrings: set[int] = set()
        self.named = (
            re.compile(r"\b(" + "|".join(map(re.escape, sorted(leaves))) + r")\b") if leaves else None
        )

    def _flag(self, node: ast.AST, what: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._check_module(node, module)
        for alias in node.names:
            if alias.name in self.leaves:
                self._flag(node, f"imports forbidden {module}.{alias.name}")
                self.imported.add(alias.asname or alias.name)
            if alias.name == "*":
                self._flag(node, f"`from {module} import *` hides which names are used")
            if alias.name in REFLECTION_NAMES or alias.name in REFLECTION_ATTRIBUTES:
                self._flag(node, f"imports {alias.name}, which can reach any name")
            if alias.name.startswith("_"):
                self._flag(node, f"imports private {module}.{alias.name}")
        self.generic_visit(node)

    def _check_module(self, node: ast.AST, module: str) -> None:
        parts = module.split(".")
        if parts[0] in REFLECTION_MODULES:
            self._flag(node, f"imports {module}, which can reach any name")
        if any(p.startswith("_") for p in parts if p):
            self._flag(node, f"imports private module {module}")
        if any(p in self.leaves for p in parts):
            self._flag(node, f"imports forbidden {module}")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in REFLECTION_NAMES:
            self._flag(node, f"uses {node.id}, which can reach a forbidden function by its name")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr in self.leaves:
            self._flag(node, f"calls forbidden .{attr}")
        elif attr.startswith("__") and attr.endswith("__") and attr not in ALLOWED_DUNDERS:
            self._flag(node, f"uses {attr}, which can reach any name")
        elif attr.startswith("_") and not (
            isinstance(node.value, ast.Name) and node.value.id in PRIVATE_OK_OWNERS
        ):
            self._flag(node, f"uses private attribute .{attr}")
        elif attr in REFLECTION_ATTRIBUTES:
            self._flag(node, f"uses .{attr}, which can reach a forbidden function by its name")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # A string naming a forbidden function is code in disguise (TorchScript source, a lookup key).
        if isinstance(node.value, str) and id(node) not in self.docstrings and self.named is not None:
            match = self.named.search(node.value)
            if match:
                self._flag(node, f"a string names forbidden {match.group(1)}")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.MatMult) and "matmul" in self.leaves:
            self._flag(node, "uses the @ operator (matmul)")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.imported:
            self._flag(node, f"calls forbidden {func.id}")
        self.generic_visit(node)
