"""What a finished run leaves behind: metrics.json (written atomically) and a summary table."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

VERSIONED_PACKAGES = ("torch", "lightning", "hydra-core", "torchmetrics", "rnnlab")


def _read_umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it: done once, at import
    os.umask(mask)
    return mask


UMASK = _read_umask()


def package_versions() -> dict[str, str]:
    """Versions of python and the packages that decide a run's numbers."""
    versions = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def write_text_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a crash never leaves half a file
    (and the file gets the usual permissions, not mkstemp's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~UMASK)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, content: Mapping[str, Any]) -> None:
    write_text_atomically(path, json.dumps(content, indent=2, sort_keys=False) + "\n")


def metrics_table(metrics: Mapping[str, float], title: str = "Final metrics") -> Any:
    """A rich Table with one row per metric name and one column per split."""
    from rich.table import Table

    splits = ("train", "val", "test")
    names = sorted({key.split("/", 1)[1] for key in metrics if "/" in key})
    table = Table(title=title)
    table.add_column("metric")
    for split in splits:
        table.add_column(split, justify="right")
    for name in names:
        cells = [metrics.get(f"{split}/{name}") for split in splits]
        table.add_row(name, *("" if v is None else f"{v:.4g}" for v in cells))
    return table


def block_markers(name: str) -> tuple[str, str]:
    return f"<!-- begin {name} -->", f"<!-- end {name} -->"


def with_block(text: str, name: str, content: str) -> str:
    """`text` with the block `name` replaced by `content` (appended when it has none), so
    scripts that each write one part of a document leave the other parts as they were."""
    begin, end = block_markers(name)
    block = f"{begin}\n{content.rstrip()}\n{end}\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + block + rest.split(end, 1)[1].removeprefix("\n")
    return text.rstrip("\n") + "\n\n" + block


def blocks(text: str) -> list[str]:
    """Every named block of a document, markers included."""
    found, rest = [], text
    while "<!-- begin " in rest:
        start = rest.index("<!-- begin ")
        name = rest[start + len("<!-- begin ") :].split(" -->", 1)[0]
        end = block_markers(name)[1]
        if end not in rest[start:]:
            break
        stop = rest.index(end, start) + len(end)
        found.append(rest[start:stop])
        rest = rest[stop:]
    return found
