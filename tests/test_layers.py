"""The code's layers (docs/ARCHITECTURE.md, "Layers"): a module imports only from its own
layer or the ones below, there are no import circles, and the product never imports the
benchmarks. Read from the source with ast (every import, at the top or inside a function;
those under `if TYPE_CHECKING:` are for type checkers only and are left out)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from conftest import ROOT

SRC = ROOT / "src"
# lowest first; a module belongs to the layer of its longest listed prefix
# (the table in docs/ARCHITECTURE.md)
LAYERS: list[tuple[str, ...]] = [
    ("rnnlab", "rnnlab.errors", "rnnlab.config", "rnnlab.pyplot", "rnnlab.quiet",
     "rnnlab.report", "rnnlab.hparams", "rnnlab.cli", "rnnlab.run_folder"),
    ("rnnlab.data", "rnnlab.forecast.accuracy"),
    ("rnnlab.models", "rnnlab.optim"),
    ("rnnlab.tasks",),
    ("rnnlab.callbacks", "rnnlab.loggers", "rnnlab.resume", "rnnlab.step_threads"),
    ("rnnlab.forecast", "rnnlab.plots", "rnnlab.run_outputs"),
    ("rnnlab.run",),
    ("rnnlab.configured_run", "rnnlab.backtests", "rnnlab.sweep", "rnnlab.stacked"),
    ("hydra_plugins",),
    ("rnnlab_benchmarks",),
]  # fmt: skip
NAMES = ["foundations and config", "data", "models", "tasks", "callbacks, loggers, resume",
         "a run's outputs", "one run", "searches over runs", "Hydra plugins",
         "benchmarks"]  # fmt: skip


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text())
    return found


def imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The known modules `name` imports at run time."""
    guards = [node for node in ast.walk(tree) if isinstance(node, ast.If)
              and "TYPE_CHECKING" in ast.unparse(node.test)]  # fmt: skip
    typing_only = {id(node) for guard in guards for node in ast.walk(guard)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            package = name.split(".")[: -node.level] if node.level else []
            base = ".".join([*package, node.module])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t in known and t != name and not name.startswith(t + ".")}
    return found


def layer_of(name: str) -> int:
    matches = [(len(prefix), i) for i, layer in enumerate(LAYERS) for prefix in layer
               if name == prefix or name.startswith(prefix + ".")]  # fmt: skip
    assert matches, f"{name} is in no layer: add it to LAYERS (and to docs/ARCHITECTURE.md)"
    return max(matches)[1]


def graph() -> dict[str, set[str]]:
    trees = modules()
    return {name: imports(name, tree, set(trees)) for name, tree in trees.items()}


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = [f"{m} ({NAMES[layer_of(m)]}) imports {d} ({NAMES[layer_of(d)]})"
             for m, deps in graph().items() for d in sorted(deps)
             if layer_of(d) > layer_of(m)]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_there_are_no_import_circles():
    edges, state, circles = graph(), {}, []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for dep in sorted(edges[module]):
            if state.get(dep) == "open":
                circles.append(" -> ".join([*path[path.index(dep) :], dep]))
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not circles, "\n".join(circles)


def test_the_check_sees_a_wrong_import():
    """The layer rule can fail: a data module importing the run would be caught."""
    tree = ast.parse("from rnnlab.run import train\n")
    deps = imports("rnnlab.data.series", tree, {"rnnlab.run", "rnnlab.data.series"})
    assert deps == {"rnnlab.run"} and layer_of("rnnlab.run") > layer_of("rnnlab.data.series")


def test_the_run_folders_file_names_are_written_in_one_module():
    """rnnlab/run_folder.py owns them; a literal elsewhere is a second owner."""
    names = ("metrics.json", "failure.json", "retried.json", "test_forecast.csv")
    owners = sorted(
        str(path.relative_to(ROOT))
        for folder in (SRC, ROOT / "scripts")
        for path in folder.rglob("*.py")
        if any(f'"{name}"' in path.read_text() or f"'{name}'" in path.read_text() for name in names)
    )
    assert owners == ["src/rnnlab/run_folder.py"]


def test_every_file_the_architecture_page_names_exists():
    """The page walks values through files by path; a file moved or renamed fails here, not
    in a newcomer's afternoon (`<name>` stands for a file a recipe adds)."""
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`((?:src|conf|tests|scripts|docs)/[\w/.<>-]+)`", page))
    assert len(named) > 30
    missing = sorted(path for path in named if "<name>" not in path and not (ROOT / path).exists())
    assert not missing, f"docs/ARCHITECTURE.md names files that do not exist: {missing}"


def test_only_the_files_the_page_gives_reasons_for_are_over_300_lines():
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    section = page.split("## Sizes", 1)[1].split("\n## ", 1)[0]
    excused = set(re.findall(r"^- `([\w/.]+)` \(\d+ lines\)", section, re.M))
    files = [path for folder in ("src", "scripts") for path in (ROOT / folder).rglob("*.py")]
    over = {str(p.relative_to(ROOT)) for p in files if len(p.read_text().splitlines()) > 300}
    assert over == excused, f"over 300 lines: {sorted(over)}; with a reason: {sorted(excused)}"


def test_no_function_is_over_60_lines():
    long = []
    for folder in ("src", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > 60:
                        long.append(f"{path.relative_to(ROOT)}:{node.name} ({length})")
    assert not long, f"functions over 60 lines: {long}"


def test_one_file_name_per_product_module():
    """Two modules of one name read as one in tracebacks, editors and talk; a product module
    named test_* is collected by pytest and taken for a test by people. (scripts/ holds
    commands named for what they do, beside the module they run.)"""
    paths = [p for p in SRC.rglob("*.py") if p.name != "__init__.py"]
    by_name: dict[str, list[str]] = {}
    for path in paths:
        by_name.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert not {name: where for name, where in by_name.items() if len(where) > 1}
    assert not [p for p in paths if p.name.startswith("test_")]


# what a reader of this repository cannot open: another checkout's notes, issue numbers
OUTSIDE_REFERENCE = re.compile(
    r"\.\./shared|FIELD_NOTES|DESIGN\.md|\bissues? ?#?\d+|(?<![\w/])#\d{2,}\b", re.I
)


def outside_references(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if OUTSIDE_REFERENCE.search(line)]


def test_no_comment_points_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}: {line}"
        for folder in ("src", "scripts", "conf")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".yaml"}
        for line in outside_references(path.read_text())
    ]
    assert not found, f"references a reader cannot follow: {found}"


def test_the_reference_check_can_fail():
    text = "# measured in ../shared/FIELD_NOTES.md\nx = 1  # see issue 12\ny = 2  # PR #345\n"
    assert len(outside_references(text)) == 3
    assert not outside_references("hidden = h[-1]  # (B, H)\ncolor = '#1f77b4'\n")


@pytest.mark.slow
def test_a_run_loads_no_benchmark_module(tmp_path):
    """The layer rule reads static imports; this runs `python train.py` itself (in a fresh
    interpreter, so nothing this suite imported counts) and looks at what it loaded."""
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['train.py', 'trainer=debug', 'hydra.run.dir={tmp_path}']\n"
        "try:\n    runpy.run_path('train.py', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "loaded = [m for m in sys.modules if m.startswith('rnnlab_benchmarks')]\n"
        "assert 'rnnlab.run' in sys.modules and not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "metrics.json").exists()
