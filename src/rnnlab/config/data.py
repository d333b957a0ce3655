"""The `data` group (conf/data/): one dataclass per data set.

Each field's default is written here and only here; the comment beside it is its meaning.
`name` is fixed by the data= choice. The class-level facts (task, min_length) and the small
methods let the config checks see the shape of the data before any of it is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from omegaconf import II, MISSING, OmegaConf

TASKS = ("classification", "regression", "forecasting", "labeling")
COPY_MEMORY_SYMBOLS = 10  # symbols copy memory shows, then asks back after T blanks


@dataclass
class DataConfig:
    name: str = MISSING
    # training batches all have this size (the ragged last one is dropped, reshuffled next epoch)
    batch_size: int = 32
    # the generator and shuffling seed
    seed: int = II("seed")

    task: ClassVar[str] = ""  # one of TASKS

    def window_length(self) -> int:
        """Steps in each input sequence the model reads."""
        raise NotImplementedError

    def forecast_horizon(self) -> int | None:
        """Values predicted per window, for a single series forecast from itself; else None."""
        return None

    def seasonal_period(self) -> int | None:
        """The series' season (12 for monthly data), where the data has one."""
        return None


@dataclass
class SineConfig(DataConfig):
    """d2l.ai's noisy sine: x_t = sin(0.01 t) + N(0, noise_std^2); tau values predict the next."""

    name: str = "sine"
    num_points: int = 1000  # series length T
    tau: int = 4  # window length
    noise_std: float = 0.2  # the MSE's noise floor is noise_std^2 = 0.04
    train_end: int = 600  # windows whose target index is below this train
    val_end: int = 800  # targets in [train_end, val_end) validate, the rest test

    task: ClassVar[str] = "regression"

    def window_length(self) -> int:
        return self.tau

    def forecast_horizon(self) -> int | None:
        return 1


@dataclass
class GeneratedConfig(DataConfig):
    """Synthetic sequence tasks: each split drawn from its own seeded stream."""

    length: int = 100  # sequence length T
    num_train: int = 10000
    num_val: int = 1000
    num_test: int = 1000
    batch_size: int = 64

    min_length: ClassVar[int] = 1

    def window_length(self) -> int:
        return self.length


@dataclass
class TemporalOrderConfig(GeneratedConfig):
    """Temporal order (Hochreiter & Schmidhuber 1997): the order of two symbols X/Y hidden
    among distractors; 4 classes, chance 25%."""

    name: str = "synthetic"
    length: int = 20  # >= 8; at 20 every architecture learns it, longer T separates them
    num_train: int = 2000
    num_val: int = 500
    num_test: int = 500

    task: ClassVar[str] = "classification"
    min_length: ClassVar[int] = 8


@dataclass
class AddingConfig(GeneratedConfig):
    """The adding problem: sum the two marked values (predicting 1 always: MSE 1/6)."""

    name: str = "adding"

    task: ClassVar[str] = "regression"
    min_length: ClassVar[int] = 2


@dataclass
class CopyMemoryConfig(GeneratedConfig):
    """Copy memory: recall 10 symbols after T blanks; T + 20 steps, labelled at every step."""

    name: str = "copy_memory"

    task: ClassVar[str] = "labeling"

    def window_length(self) -> int:
        return self.length + 2 * COPY_MEMORY_SYMBOLS


@dataclass
class EchoConfig(GeneratedConfig):
    """Delayed echo: at every step name the symbol seen `delay` steps earlier (labeling)."""

    name: str = "echo"
    length: int = 30
    delay: int = 5  # memory needed; earlier steps are labelled "none"; < length
    symbols: int = 4  # alphabet size, >= 2; classes = symbols + 1 ("none")
    num_train: int = 2000
    num_val: int = 500
    num_test: int = 500

    task: ClassVar[str] = "labeling"
    min_length: ClassVar[int] = 2


AUTOMATIC_WINDOW_SEASONS = 4  # data.window=null on a series long enough for it


@dataclass
class SeriesConfig(DataConfig):
    """Windows over one univariate series: the last test_periods test, the val_periods before
    them validate; `window` past values predict the next `horizon`."""

    window: int | None = 24  # past periods a model reads (csv: null, see CsvConfig)
    # periods predicted at once, at most val_periods and test_periods: one season
    horizon: int = II(".season")
    val_periods: int = II(".horizon")  # periods of validation before the test period
    test_periods: int = II(".horizon")  # periods at the end held out for testing
    # model log(values): true (needs every value > 0), false, or auto: where every value is
    # > 0 and the training part's swing grows with its level (see data/log_choice.py)
    log_transform: Any = False
    season: int = 1  # seasonal period: MASE's scale and model.baseline=seasonal_naive's lag
    # the final fit: the validation period trains too (and scaling sees it); needs
    # checkpoint.monitor=null, as validation is then in-sample
    train_through_val: bool = False
    # calendar features, known ahead: where each period falls in its season (the month of
    # year, the quarter), as its sine and cosine beside the series; needs data.season > 1
    calendar: bool = False
    # leave the last n values out, as if the series ended n periods earlier: a backtest's
    # earlier origins (scripts/backtest.py), never seen by training, scaling or testing
    hold_back: int = 0
    batch_size: int = 16

    task: ClassVar[str] = "forecasting"

    def window_length(self) -> int:
        """The window, or the most an automatic one (null) can be: four seasons."""
        return self.window if self.window is not None else AUTOMATIC_WINDOW_SEASONS * self.season

    def forecast_horizon(self) -> int | None:
        return self.horizon

    def seasonal_period(self) -> int | None:
        return self.season


@dataclass
class PassengersConfig(SeriesConfig):
    """Monthly airline passengers 1949-1960 (shipped in the package); 1960 tests, 1959 validates."""

    name: str = "passengers"
    log_transform: bool = True
    season: int = 12


@dataclass
class CsvConfig(SeriesConfig):
    """Your own series: data=csv data.path=sales.csv data.target=units (or several)."""

    name: str = "csv"
    # null: four seasons (48 months, 16 quarters), or on a series too short for that the most
    # whole seasons, at least one, that leave a season of training windows (data/series.py)
    window: int | None = None
    path: str = MISSING  # the CSV file (required)
    # the column to forecast (required); a list of columns forecasts each as its own series,
    # with one model for all ("one column per series")
    target: Any = MISSING
    # long format (id, date, value rows): the column naming each row's series; one model
    # for all the series, each scaled on its own training part, metrics per series
    id_column: str | None = None
    # the column of dates (or numbers) that orders the rows, oldest first; null: file order
    date_column: str | None = "date"
    # other numeric columns read beside the series as past-only inputs: a window sees them
    # up to its last step, never over the periods it forecasts
    covariates: list[str] = field(default_factory=list)
    # several series: each window also reads which series it is, as one-hot channels (the
    # series identity a global model may learn per-series patterns from, as DeepAR's does)
    series_id: bool = False

    def target_columns(self) -> list[Any] | None:
        """The columns data.target lists (one series each), or None for one column."""
        listed = isinstance(self.target, (list, tuple)) or OmegaConf.is_list(self.target)
        return list(self.target) if listed else None

    def several_series(self) -> bool:
        """Several series in the file: a list of target columns, or an id column."""
        return self.target_columns() is not None or self.id_column is not None


DATA_CONFIGS: dict[str, type[DataConfig]] = {
    config.name: config  # type: ignore[misc]
    for config in (
        SineConfig,
        TemporalOrderConfig,
        AddingConfig,
        CopyMemoryConfig,
        EchoConfig,
        PassengersConfig,
        CsvConfig,
    )
}
