"""Forecast the values after the end of a series with a trained checkpoint; write CSV and PNG.

Usage: python scripts/forecast.py ckpt_path=<run folder>/checkpoints/last.ckpt horizon=24
       [out=forecast_next]   (writes out.csv and out.png; default: beside the run's metrics.json)
The series and its scaling come from the run's own config (.hydra/config.yaml), so a model
trained with data=csv forecasts that CSV's series.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import torch
from omegaconf import OmegaConf

from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.errors import BadInput
from rnnlab.forecast.future import forecast_future
from rnnlab.pyplot import pyplot
from rnnlab.tasks import TASKS

USAGE = "usage: python scripts/forecast.py ckpt_path=<checkpoint> [horizon=24] [out=<path stem>]"


def parse(arguments: list[str]) -> dict[str, str]:
    options = {}
    for argument in arguments:
        key, separator, value = argument.partition("=")
        if not separator or key not in {"ckpt_path", "horizon", "out"}:
            raise ValueError(f"{argument!r}: expected ckpt_path=..., horizon=... or out=...")
        options[key] = value
    if "ckpt_path" not in options:
        raise ValueError("ckpt_path=... is required")
    return options


def main() -> int:
    try:
        options = parse(sys.argv[1:])
        horizon = int(options.get("horizon", "24"))
        if horizon < 1:
            raise ValueError(f"horizon={horizon}: must be >= 1")
    except ValueError as error:
        print(f"forecast: {error}\n{USAGE}", file=sys.stderr)
        return 2
    checkpoint = Path(options["ckpt_path"])
    config_file = checkpoint.resolve().parent.parent / ".hydra" / "config.yaml"
    if not checkpoint.is_file() or not config_file.is_file():
        print(f"forecast: {checkpoint} is not a checkpoint inside an rnnlab run folder "
              f"(looked for {config_file})", file=sys.stderr)  # fmt: skip
        return 2
    cfg = OmegaConf.load(config_file)
    try:
        data = build_datamodule(cfg.data)
    except BadInput as error:
        print(f"forecast: the run's data no longer loads: {error}", file=sys.stderr)
        return 2
    if not isinstance(data, SeriesDataModule):
        what = "one forecasting series (several in one file: their test period only, for now)"
        print(f"forecast: data={cfg.data.name} is not {what}", file=sys.stderr)
        return 2
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    try:
        task = TASKS["forecasting"](**state["hyper_parameters"])
    except BadInput as error:
        print(f"forecast: the checkpoint's settings no longer load: {error}", file=sys.stderr)
        return 2
    task.load_state_dict(state["state_dict"])
    values = forecast_future(task, data, horizon)  # type: ignore[arg-type]
    stem = Path(options.get("out", config_file.parent.parent / "forecast_next"))
    with stem.with_suffix(".csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["step_after_end", "forecast"])
        writer.writerows((f"+{k}", f"{v:.6g}") for k, v in enumerate(values.tolist(), start=1))
    draw(data, values, stem.with_suffix(".png"))
    print(f"forecast of {horizon} values after {data.labels[-1]}: {stem}.csv, {stem}.png")
    return 0


def draw(data: SeriesDataModule, values: torch.Tensor, path: Path) -> None:
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(9, 3.6))
    length = len(data.values)
    ax.plot(range(length), data.values.numpy(), color="0.3", label="series")
    future = range(length, length + len(values))
    ax.plot(future, values.numpy(), color="tab:red", marker=".", label="forecast")
    ax.set_title(f"{len(values)} values after {data.labels[-1]}")
    ax.legend()
    ax.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
