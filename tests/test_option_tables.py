"""The README's option tables are written from the schema (rnnlab.config.option_tables):
README and schema cannot disagree, every key says what it means, and what the tables say is
allowed is what the config checks refuse beyond."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from conftest import ROOT, compose_config
from rnnlab.config import option_tables
from rnnlab.config.checks import check_config
from rnnlab.config.convert import typed_config
from rnnlab.config.data import DATA_CONFIGS
from rnnlab.config.keys import OWN_MODULE
from rnnlab.config.model import MODEL_CONFIGS, LSTMConfig
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
from rnnlab.config.scheduler import SCHEDULER_CONFIGS
from rnnlab.errors import ConfigError

README = ROOT / "README.md"


def test_the_readme_holds_every_table_as_the_schema_writes_it():
    readme, tables = README.read_text(), option_tables.readme_tables()
    assert sorted(option_tables.block_names(readme)) == sorted(tables)
    assert option_tables.stale_blocks(readme, tables) == []
    result = subprocess.run([sys.executable, "scripts/option_tables.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_key_added_to_the_schema_alone_makes_the_readme_stale(monkeypatch):
    """The drift the hand-written tables had: a schema that grows a key the README lacks."""

    @dataclasses.dataclass
    class PeepholeLSTMConfig(LSTMConfig):
        # the cell state feeds the gates too (Gers & Schmidhuber 2000)
        peepholes: bool = False

    monkeypatch.setitem(MODEL_CONFIGS, "lstm", PeepholeLSTMConfig)
    tables = option_tables.readme_tables()
    row = "`model.peepholes` | lstm | false | true, false | the cell state feeds the gates"
    assert row in tables["model"]
    assert option_tables.stale_blocks(README.read_text(), tables) == ["model"]
    result = subprocess.run([sys.executable, "scripts/option_tables.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0  # the script reads the real schema, which has no peepholes


def table_rows() -> list[dict[str, str]]:
    rows = []
    for name, table in option_tables.readme_tables().items():
        header, _, *lines = table.splitlines()
        names = [cell.strip() for cell in header.strip("|").split("|")]
        for line in lines:
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))]
            rows.append({"table": name, **dict(zip(names, cells, strict=True))})
    return rows


def test_every_key_says_what_it_means_and_what_it_allows():
    rows = [row for row in table_rows() if "key" in row]
    assert len(rows) > 90
    blank = [row["key"] for row in rows if not row["meaning"] or not row["allowed"]]
    assert not blank, f"keys without a meaning or allowed values in the schema: {blank}"


def test_a_choice_field_allows_each_of_its_names():
    row = next(row for row in table_rows() if row.get("key") == "`model.baseline`")
    assert row["allowed"] == "none, window_mean, revin, seasonal_naive, seasonal_mean"
    row = next(row for row in table_rows() if row.get("key") == "`scheduler.warmup`")
    assert row["default"] == "0 (warmup: 100)"
    assert row["allowed"] == "an integer >= 0 (warmup: an integer >= 1)"


# settings a key is only checked beside (auto's keys: an automatic search on a series)
CONTEXT = {
    "auto.": ("experiment=auto_forecast", "data=passengers"),
    "callbacks.early_stopping.": ("callbacks=early_stopping",),
    "callbacks.lr_monitor.": ("callbacks=lr_monitor",),
    "data.season": ("data.horizon=12",),
}
GROUPS = {"model": MODEL_CONFIGS, "data": DATA_CONFIGS, "optimizer": OPTIMIZER_CONFIGS,
          "scheduler": SCHEDULER_CONFIGS}  # fmt: skip


def outside(allowed: str) -> list[str]:
    """Values just beyond a bound the allowed text states ("an integer >= 1": 0)."""
    if match := re.fullmatch(r"an integer >= (-?\d+)(, or null|, or -1 for no limit)?", allowed):
        return [str(int(match.group(1)) - 1)]
    if match := re.fullmatch(r"(?:null \(.*\) or )?a number (>=?) (\d+)", allowed):
        bound = float(match.group(2))
        return [str(bound if match.group(1) == ">" else bound - 0.5)]
    if match := re.fullmatch(r"a number in ([\[(])(\d+), (\d+)([\])])", allowed):
        low, high = float(match.group(2)), float(match.group(3))
        below = low if match.group(1) == "(" else low - 0.5
        above = high if match.group(4) == ")" else high + 0.5
        return [str(below), str(above)]
    return []


def bounded_keys() -> list[tuple[str, tuple[str, ...], str, str]]:
    """(key, the group choice it needs, the allowed text, a value just outside it)."""
    cases = []
    for row in table_rows():
        if "key" not in row:
            continue
        key = row["key"].strip("`")
        group = row["table"] if row["table"] in GROUPS else None
        choices = row.get(group, "all") if group else "all"
        for choice, allowed in per_choice(row, group, choices):
            picks = (f"{group}={choice}",) if group else ()
            if choice == "csv":
                picks += ("data.path=series.csv", "data.target=y")
            context = next((extra for start, extra in CONTEXT.items() if key.startswith(start)), ())
            cases += [(key, picks + context, allowed, value) for value in outside(allowed)]
    return cases


def per_choice(row: dict[str, str], group: str | None, choices: str) -> list[tuple[str, str]]:
    """Each choice having the key with what it allows, from the schema itself."""
    if group is None:
        return [("", row["allowed"])]
    registry = GROUPS[group]
    having = list(registry) if choices == "all" else choices.split(", ")
    having = [c for c in having if c != OWN_MODULE]  # no conf/ file: tests/test_own_modules.py
    name = row["key"].strip("`").split(".", 1)[1]
    return [(choice, option_tables.allowed_for(registry[choice], name)) for choice in having]


BOUNDED = bounded_keys()
BOUNDED_IDS = [f"{key}={value}:{picks[0] if picks else ''}" for key, picks, _, value in BOUNDED]


def test_the_bounds_cover_the_checked_keys():
    keys = {case[0] for case in BOUNDED}
    assert len(keys) >= 35
    assert {"model.hidden_size", "model.dropout", "data.window", "optimizer.lr", "scheduler.gamma",
            "trainer.max_epochs", "training.tbptt_steps", "auto.alpha", "seed"} <= keys  # fmt: skip


@pytest.mark.parametrize(("key", "picks", "allowed", "value"), BOUNDED, ids=BOUNDED_IDS)
def test_a_value_beyond_what_the_table_allows_is_refused_in_the_same_words(
    key, picks, allowed, value
):
    config = typed_config(compose_config(*picks, f"{key}={value}"))
    with pytest.raises(ConfigError) as refused:
        check_config(config)
    assert refused.value.key == key
    stated = allowed.removesuffix(", or null")
    assert refused.value.allowed == stated, f"the table says {allowed!r}"
