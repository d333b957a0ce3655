"""docs/PERFORMANCE.md's measured block: device, date, versions, every number and ratio,
and each speed goal (`goals`) stated as met or NOT met from those numbers alone."""

from __future__ import annotations

import datetime
import platform
from dataclasses import dataclass
from typing import Any

from rnnlab.report import package_versions
from rnnlab_benchmarks.speed.steps import RATIOS, RNNLAB, SEED


@dataclass(frozen=True)
class Goal:
    text: str
    measured: str
    met: bool | None  # None: not measured on this device

    def line(self) -> str:
        verdict = {True: "met", False: "NOT met", None: "not measured here"}[self.met]
        return f"| {self.text} | {self.measured} | **{verdict}** |"


def cpu_name() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def fastest_threads(threads: dict[str, float]) -> dict[str, int]:
    """'seeds' size, alone' -> the thread count that ran fastest there."""
    best: dict[str, tuple[float, int]] = {}
    for key, ms in threads.items():
        group, count = key.rsplit(", ", 1)
        threads_used = int(count.split()[0])
        if group not in best or ms < best[group][0]:
            best[group] = (ms, threads_used)
    return {group: count for group, (_, count) in best.items()}


def thread_choice(threads: dict[str, float], rule: dict[str, int]) -> tuple[str, bool]:
    """What the measurement says, and whether it backs the rule `torch_threads=null` follows
    (rnnlab/step_threads.py): at each size, the count the rule picks ran fastest alone.
    Beside a busy process one thread wins everywhere, which no rule can see: the docs say
    `torch_threads=1` there."""
    fastest = fastest_threads(threads)
    text = "; ".join(f"{group}: {count}" for group, count in fastest.items())
    picks = "; ".join(f"{size}: {count}" for size, count in rule.items())
    backs = all(fastest.get(f"{size}, alone") == count for size, count in rule.items())
    return f"fastest ({text}); null picks ({picks})", backs and bool(rule)


def goals(result: dict[str, Any], device: str) -> list[Goal]:
    steps, ratio_labels = result["steps"]["ratios"], list(RATIOS)
    found = [
        Goal(
            "rnnlab's path <= 1.0x the seeds' loop per training step",
            f"{steps[ratio_labels[0]]:.2f}x",
            steps[ratio_labels[0]] <= 1.0,
        ),
        Goal(
            "<= 1.1x with validation each epoch over the same steps",
            f"{steps[ratio_labels[1]]:.2f}x",
            steps[ratio_labels[1]] <= 1.1,
        ),
        Goal(
            "start-up <= bare imports + 1.0 s",
            f"{result['startup']['overhead_s']:+.2f} s",
            result["startup"]["overhead_s"] <= 1.0,
        ),
    ]
    if "threads" in result:
        text, backs = thread_choice(result["threads"], result.get("thread_rule", {}))
        found.append(
            Goal(
                "torch threads chosen from measurement (`torch_threads=null` picks, at each "
                "size, the count that ran fastest alone)",
                text,
                backs,
            )
        )
    sweep = result["sweeps"]
    speedup = sweep["processes"] / sweep["joblib"]
    if device == "cuda":
        step = result["steps"]["ms_per_step"]
        graph = step[RNNLAB] / step[SEED]
        found += [
            Goal(
                "GPU: <= 0.3x the seeds' loop per step through train.py (CUDA graph)",
                f"{graph:.2f}x",
                graph <= 0.3,
            ),
            Goal(
                "GPU: 16-job sweep >= 5x faster than 16 processes", f"{speedup:.1f}x", speedup >= 5
            ),
        ]
    else:
        found.append(
            Goal(
                "GPU goals (CUDA graph step <= 0.3x; sweep >= 5x)",
                "needs `--device cuda` on a GPU",
                None,
            )
        )
    return found


def table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def step_section(steps: dict[str, Any]) -> list[str]:
    wall, cpu = steps["ms_per_step"], steps["cpu_ms_per_step"]
    rows = [(name, f"{wall[name]:.2f}", f"{wall[name] / wall[SEED]:.2f}x", f"{cpu[name]:.2f}",
             f"{cpu[name] / cpu[SEED]:.2f}x") for name in wall]  # fmt: skip
    ratios = [(label, f"{value:.2f}x", f"{steps['cpu_ratios'][label]:.2f}x")
              for label, value in steps["ratios"].items()]  # fmt: skip
    return [
        "### Training step",
        "",
        f"{steps['steps_per_measurement']} timed steps per measurement after a warm-up epoch, "
        f"{steps['rounds']} rounds interleaved row by row; medians. torch threads: "
        f"{steps['torch_threads']} (what `torch_threads=null` picks at this size) unless the "
        "row says otherwise. CPU time is the process's: it leaves out the moments another "
        "process held the cores.",
        "",
        *table(("row", "wall ms/step", "vs seeds' loop", "CPU ms/step", "vs seeds' loop"), rows),
        "",
        "Ratios, each the median of the per-round ratios (the goals are judged on wall time):",
        "",
        *table(("ratio", "wall", "CPU time"), ratios),
    ]


def other_sections(result: dict[str, Any]) -> list[str]:
    """Start-up, the sweep, threads and memory: the tables after the step's."""
    return [*startup_section(result["startup"]), *sweep_section(result["sweeps"]),
            *threads_section(result), *memory_section(result)]  # fmt: skip


def startup_section(start: dict[str, float]) -> list[str]:
    imports = '`python -c "import torch, lightning, hydra, rnnlab.run"`'
    rows = [
        ("`python train.py trainer=debug`", f"{start['train_py_debug_s']:.2f}"),
        (imports, f"{start['bare_imports_s']:.2f}"),
        ("difference", f"{start['overhead_s']:+.2f}"),
    ]
    return ["", "### Start-up", "", *table(("what", "seconds (median)"), rows)]


def sweep_section(sweep: dict[str, Any]) -> list[str]:
    jobs, n, timed = sweep["jobs"], sweep["joblib_jobs_at_once"], sweep["processes_timed"]
    scaled = f" (estimated: {timed} timed, scaled to {jobs})" if timed < jobs else ""
    rows = [
        (f"{jobs} processes, one after another{scaled}", f"{sweep['processes']:.1f}", "1.00x"),
        ("one multirun (basic launcher)", f"{sweep['multirun']:.1f}",
         f"{sweep['processes'] / sweep['multirun']:.2f}x"),
        (f"one multirun, joblib {n} at once", f"{sweep['joblib']:.1f}",
         f"{sweep['processes'] / sweep['joblib']:.2f}x"),
    ]  # fmt: skip
    header = ("how", "seconds", "speed-up over processes")
    return ["", f"### A {jobs}-job sweep (passengers)", "", *table(header, rows)]


def threads_section(result: dict[str, Any]) -> list[str]:
    if "threads" not in result:
        return []
    rows = [(setting, f"{ms:.2f}") for setting, ms in result["threads"].items()]
    return ["", "### torch threads (the seeds' loop)", "", *table(("setting", "ms per step"), rows)]


def memory_section(result: dict[str, Any]) -> list[str]:
    rows = [(process, f"{mb:.0f}") for process, mb in result["memory_mb"].items()]
    lines = ["", "### Peak memory", "", *table(("process", "peak RSS (MB)"), rows)]
    if "gpu_peak_mb" in result["steps"]:
        lines += ["", f"GPU peak memory allocated: {result['steps']['gpu_peak_mb']:.0f} MB"]
    return lines


def performance_block(result: dict[str, Any], device: str, fast: bool, command: str) -> str:
    versions = package_versions()
    name = result["steps"].get("gpu_name") if device == "cuda" else cpu_name()
    heading = f"## {'GPU' if device == 'cuda' else 'CPU'}: {name}"
    lines = [
        heading,
        "",
        f"`{command}`, one run on {datetime.date.today().isoformat()}; {result['cores']} cores; "
        f"python {versions['python']}, torch {versions.get('torch')}, lightning "
        f"{versions.get('lightning')}. Figures from one run on a shared machine: ratios "
        "measured side by side are the point, absolute times move with the load.",
    ]
    if fast:
        lines += ["", "**--fast: tiny sizes, a check of the machinery, not figures to quote.**"]
    lines += ["", "### Goals", "", "| goal | measured | verdict |", "|---|---|---|"]
    lines += [goal.line() for goal in goals(result, device)]
    lines += ["", *step_section(result["steps"]), *other_sections(result)]
    return "\n".join(lines) + "\n"
