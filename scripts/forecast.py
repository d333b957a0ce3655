"""Forecast the values after the end of a series with a trained checkpoint; write CSV and PNG.

Usage: python scripts/forecast.py ckpt_path=<run folder>/checkpoints/last.ckpt horizon=24
       [out=forecast_next]   (writes out.csv and out.png; default: beside the run's metrics.json)
The series and its scaling come from the run's own config (.hydra/config.yaml), so a model
trained with data=csv forecasts that CSV's series; trained on several series of one file, it
forecasts each (a series column in the CSV, a panel each in the PNG, the first 8).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import torch
from omegaconf import OmegaConf

from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.several_series import SeveralSeriesDataModule
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
    several = isinstance(data, SeveralSeriesDataModule)
    if not (several or isinstance(data, SeriesDataModule)):
        print(f"forecast: data={cfg.data.name} is not a forecasting series", file=sys.stderr)
        return 2
    if data.facts.input_size > 1:
        print("forecast: this run's windows read more than the series (covariates, calendar "
              "features or series identity), whose values past the end are not known here",
              file=sys.stderr)  # fmt: skip
        return 2
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    try:
        task = TASKS["forecasting"](**state["hyper_parameters"])
    except BadInput as error:
        print(f"forecast: the checkpoint's settings no longer load: {error}", file=sys.stderr)
        return 2
    task.load_state_dict(state["state_dict"])
    members = data.members if several else {"": data}
    forecasts = {name: forecast_future(task, member, horizon)  # type: ignore[arg-type]
                 for name, member in members.items()}  # fmt: skip
    stem = Path(options.get("out", config_file.parent.parent / "forecast_next"))
    with stem.with_suffix(".csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*(["series"] if several else []), "step_after_end", "forecast"])
        for name, values in forecasts.items():
            for k, v in enumerate(values.tolist(), start=1):
                writer.writerow([*([name] if several else []), f"+{k}", f"{v:.6g}"])
    draw(members, forecasts, stem.with_suffix(".png"))
    ends = ", ".join(sorted({member.labels[-1] for member in members.values()}))
    print(f"forecast of {horizon} values after {ends}: {stem}.csv, {stem}.png")
    return 0


MAX_PANELS = 8  # series drawn, one panel each


def draw(members: dict[str, SeriesDataModule], forecasts: dict[str, torch.Tensor],
         path: Path) -> None:  # fmt: skip
    plt = pyplot()
    names = list(members)[:MAX_PANELS]
    figure, axes = plt.subplots(len(names), 1, figsize=(9, 3.6 * len(names)), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=True):
        data, values = members[name], forecasts[name]
        length = len(data.values)
        ax.plot(range(length), data.values.numpy(), color="0.3", label="series")
        future = range(length, length + len(values))
        ax.plot(future, values.numpy(), color="tab:red", marker=".", label="forecast")
        ax.set_title(f"{name + ': ' if name else ''}{len(values)} values after {data.labels[-1]}")
        ax.legend()
        ax.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
