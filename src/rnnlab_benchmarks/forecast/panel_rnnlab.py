"""rnnlab's global model on the panel: one recurrent model per season length (the 146
monthly series; the 12 quarterly ones), trained on all its series at once through
`data=csv` in long format (each series scaled on its own training part, each window
normalised by the model's baseline), forecasting every series one season ahead.

An origin k seasons from the end is the run's test period: `data.hold_back` leaves out the
(k - 1) seasons after it, so nothing from the origin's future reaches training, scaling or
validation. Settings are chosen on the validation origins only (`choose`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rnnlab.run_folder import TEST_FORECAST_FILE
from rnnlab_benchmarks.forecast.panel_benchmark import Origin, scores
from rnnlab_benchmarks.forecast.panel_data import PanelSeries

# what the global model may be, each a change to data=csv's defaults; chosen on validation
LARGER = ("model.hidden_size=32", "trainer.max_steps=1000", "data.batch_size=64")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "data=csv defaults": (),
    "LSTM 32, 1000 steps, batch 64": LARGER,
    "LSTM 32, 1000 steps, batch 64, revin": (*LARGER, "model.baseline=revin"),
    "data=csv defaults, through validation": ("data.train_through_val=true",),
    "LSTM 32, 1000 steps, batch 64, series identity": (*LARGER, "data.series_id=true"),
}
QUIET = ("plots=false", "~logger", "trainer.enable_progress_bar=false",
         "trainer.enable_model_summary=false")  # fmt: skip


def write_long(series: Sequence[PanelSeries], members: list[int], path: Path) -> None:
    """id,value rows, each series' in order (the file's order is the time order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "value"])
        for index in members:
            writer.writerows((f"s{index}", f"{value:.10g}") for value in series[index].values)


def run_origin(
    series: Sequence[PanelSeries], season: int, back: int, overrides: tuple[str, ...], folder: Path
) -> dict[tuple[int, int], list[float]]:
    """One global model whose test period is the origin `back` seasons from each end."""
    from hydra import compose, initialize_config_dir

    import rnnlab.config  # noqa: F401 - the schemas
    from rnnlab.run import train

    members = [i for i, one in enumerate(series) if one.season == season]
    data = folder / "panel.csv"
    write_long(series, members, data)
    settings = ("data=csv", f"data.path={data}", "data.target=value", "data.id_column=id",
                "data.date_column=null", f"data.season={season}",
                f"data.hold_back={(back - 1) * season}", *overrides, *QUIET, "seed=0")  # fmt: skip
    conf = Path(__file__).resolve().parents[3] / "conf"
    with initialize_config_dir(config_dir=str(conf), version_base="1.3"):
        cfg = compose("train", overrides=list(settings))
    train(cfg, folder / "run")
    forecasts: dict[tuple[int, int], list[float]] = {}
    with (folder / "run" / TEST_FORECAST_FILE).open() as stream:
        for row in csv.DictReader(stream):
            index = int(row["series"][1:])
            cutoff = len(series[index].values) - back * season
            forecasts.setdefault((index, cutoff), []).append(float(row["forecast"]))
    return forecasts


def global_forecasts(
    series: Sequence[PanelSeries], origins: Sequence[Origin], overrides: tuple[str, ...],
    folder: Path,
) -> dict[tuple[int, int], list[float]]:  # fmt: skip
    """The global model's forecast at each of these origins (one run per season and origin
    position)."""
    found: dict[tuple[int, int], list[float]] = {}
    positions = {(series[o.series].season, (len(series[o.series].values) - o.cutoff)
                  // series[o.series].season) for o in origins}  # fmt: skip
    for season, back in sorted(positions):
        found |= run_origin(series, season, back, overrides, folder / f"season{season}-back{back}")
    return found


def choose(
    series: Sequence[PanelSeries], validation: Sequence[Origin], folder: Path
) -> tuple[str, dict[str, dict[tuple[int, int], list[float]]]]:
    """Every candidate at the validation origins; -> (the lowest mean MASE's, all forecasts)."""
    found = {name: global_forecasts(series, validation, overrides, folder / f"candidate{i}")
             for i, (name, overrides) in enumerate(CANDIDATES.items())}  # fmt: skip
    means = {name: float(np.mean([s.mase for s in scores(series, validation, forecasts)]))
             for name, forecasts in found.items()}  # fmt: skip
    return min(means, key=means.__getitem__), found
