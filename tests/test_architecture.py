"""The domain has one direction: a domain module never imports one above it.

core -> geo -> skills -> candidates -> openings -> consent -> search -> matching -> messaging ->
webhooks -> rights -> flows; above them the interfaces (admin, API, candidate pages, tasks,
commands, ATS adapters). Imports inside functions count, and are allowed only where Django needs
them (``AppConfig.ready``) or for type checking.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (
    "core",
    "geo",
    "skills",
    "candidates",
    "openings",
    "consent",
    "search",
    "matching",
    "messaging",
    "webhooks",
    "rights",
    "flows",
)
# Modules of a domain app that are interfaces: they may call anything below the interfaces.
INTERFACE_MODULES = frozenset(
    {"admin", "views", "urls", "forms", "tasks", "apps", "management", "migrations"}
)
# Packages that are interfaces as a whole, and what only interfaces may import.
INTERFACES = ("api", "integrations.ats", "talentpool.portal", "talentpool.workspace", "talentpool.demo")


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    function: str  # the function the import is written in; "" at module level


def imports_of(source: str) -> list[Import]:
    """Every import in a module, marking those inside a function (outside ``TYPE_CHECKING``)."""
    found: list[Import] = []

    def visit(node: ast.AST, *, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append(Import(child.module, child.lineno, function))
                found.extend(
                    Import(f"{child.module}.{alias.name}", child.lineno, function) for alias in child.names
                )
            elif isinstance(child, ast.Import):
                found.extend(Import(alias.name, child.lineno, function) for alias in child.names)
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            visit(child, function=function or inner)

    visit(ast.parse(source), function="")
    return found


def layer_of(module: str) -> int | None:
    """The layer of a dotted module name inside ``talentpool``, None for anything else."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "talentpool" or parts[1] not in LAYERS:
        return None
    if len(parts) > 2 and parts[2] in INTERFACE_MODULES:
        return len(LAYERS)  # An app's admin, tasks or views sit with the interfaces.
    return LAYERS.index(parts[1])


def is_interface(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in INTERFACES) or (
        layer_of(module) == len(LAYERS)
    )


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def upward_imports(module: str, source: str) -> list[str]:
    """The imports of ``module`` that point above it, or at an interface, as readable lines."""
    own = layer_of(module)
    if own is None or own == len(LAYERS):
        return []
    problems = []
    for imported in imports_of(source):
        target = layer_of(imported.module)
        if is_interface(imported.module) or (target is not None and target > own):
            problems.append(f"{module}:{imported.line} imports {imported.module}")
    return problems


def domain_modules() -> list[tuple[str, Path]]:
    modules = []
    for layer in LAYERS:
        for path in sorted((ROOT / "talentpool" / layer).rglob("*.py")):
            name = module_name(path)
            if layer_of(name) != len(LAYERS):
                modules.append((name, path))
    return modules


def test_the_checker_sees_an_upward_import_even_inside_a_function():
    # given: an entity service that reaches up to the flows to dodge a cycle
    source = "def candidate_update():\n    from talentpool.flows.profile import candidate_change\n"

    # when / then
    assert upward_imports("talentpool.candidates.services", source) == [
        "talentpool.candidates.services:2 imports talentpool.flows.profile",
        "talentpool.candidates.services:2 imports talentpool.flows.profile.candidate_change",
    ]


def test_the_checker_lets_a_domain_module_import_below_it_and_interfaces_import_anything():
    assert (
        upward_imports("talentpool.matching.services", "from talentpool.search.candidates import x\n") == []
    )
    assert upward_imports("talentpool.matching.tasks", "from talentpool.flows.opening import x\n") == []


def test_the_checker_refuses_a_domain_module_that_queues_an_interface_task_by_import():
    source = "from talentpool.messaging.tasks import message_send_task\n"
    assert upward_imports("talentpool.messaging.sending", source) != []


@pytest.mark.parametrize(("module", "path"), domain_modules(), ids=lambda value: str(value))
def test_a_domain_module_imports_only_below_it(module, path):
    assert upward_imports(module, path.read_text()) == []


def where_django_needs_it(module: str, function: str) -> bool:
    # AppConfig.ready connects receivers and starts what needs the apps loaded; start-up reads the
    # settings only once the environment is set.
    return (module.endswith(".apps") and function == "ready") or module == "talentpool.startup"


def test_imports_inside_functions_are_only_where_django_needs_them():
    nested = []
    for top in ("talentpool", "api", "integrations"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = module_name(path)
            for imported in imports_of(path.read_text()):
                if imported.function and not where_django_needs_it(module, imported.function):
                    nested.append(f"{module}:{imported.line} imports {imported.module}")
    assert sorted(set(nested)) == []
