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
    # which data set; pick it with data=
    name: str = MISSING
    # training batches all have this size (the ragged last one is dropped and reshuffled
    # next epoch)
    # allowed: an integer >= 1
    batch_size: int = 32
    # the generator and shuffling seed
    # allowed: an integer >= 0
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
    """d2l.ai's setup: x_t = sin(0.01 t) + N(0, 0.2^2), t = 1..1000; the previous `tau`=4
    values predict the next. Targets below index 600 train, 600-799 validate, 800-999 test.
    MSE noise floor 0.04."""

    name: str = "sine"
    # series length T
    # allowed: an integer >= 3
    num_points: int = 1000
    # window: the values that predict the next
    # allowed: an integer >= 1
    tau: int = 4
    # the noise's standard deviation; the MSE's floor is its square
    # allowed: a number >= 0
    noise_std: float = 0.2
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

    length: int = 100  # sequence length T (at least 2; synthetic at least 8)
    # training sequences
    # allowed: an integer >= 1
    num_train: int = 10000
    # validation sequences
    # allowed: an integer >= 1
    num_val: int = 1000
    # test sequences
    # allowed: an integer >= 1
    num_test: int = 1000
    batch_size: int = 64

    min_length: ClassVar[int] = 1

    def window_length(self) -> int:
        return self.length


@dataclass
class TemporalOrderConfig(GeneratedConfig):
    """The temporal-order problem (Hochreiter & Schmidhuber 1997): one-hot symbols a-d with
    an X/Y placed in [0.1T, 0.2T] and another in [0.5T, 0.6T]; four classes (XX, XY, YX,
    YY), chance 25%."""

    name: str = "synthetic"
    length: int = 20  # at 20 every architecture learns it, longer T separates them
    num_train: int = 2000
    num_val: int = 500
    num_test: int = 500

    task: ClassVar[str] = "classification"
    min_length: ClassVar[int] = 8


@dataclass
class AddingConfig(GeneratedConfig):
    """The adding problem (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016): values from
    U[0,1] and markers, one in each half; the target is the sum of the two marked values.
    Always predicting 1 scores MSE 1/6 = 0.167."""

    name: str = "adding"

    task: ClassVar[str] = "regression"
    min_length: ClassVar[int] = 2


@dataclass
class CopyMemoryConfig(GeneratedConfig):
    """Copy memory (Arjovsky, Shah & Bengio 2016): 10 symbols from 1..8, T blanks with a
    delimiter, then recall the 10 symbols. A memoryless model scores cross-entropy
    10 ln 8 / (T + 20)."""

    name: str = "copy_memory"

    task: ClassVar[str] = "labeling"

    def window_length(self) -> int:
        return self.length + 2 * COPY_MEMORY_SYMBOLS


@dataclass
class EchoConfig(GeneratedConfig):
    """Delayed echo: at every step name the symbol seen `delay` steps earlier (one-hot
    symbols; an extra "none" class before `delay`). Many-to-many: the head is per_step."""

    name: str = "echo"
    length: int = 30
    # memory needed, below length; earlier steps are labelled "none"
    # allowed: an integer >= 0
    delay: int = 5
    # alphabet size; classes = symbols + 1 ("none")
    # allowed: an integer >= 2
    symbols: int = 4
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

    # past periods a model reads; a window you set is used as set
    # allowed: an integer >= 1, or null
    window: int | None = 24
    # periods predicted at once (one season); at most val_periods and test_periods
    # allowed: an integer >= 1
    horizon: int = II(".season")
    # validation periods before the test period
    # allowed: an integer >= 1
    val_periods: int = II(".horizon")
    # test periods at the end of the series
    # allowed: an integer >= 1
    test_periods: int = II(".horizon")
    # model log(values): true, false, or `auto`: where every value is > 0 and the training
    # part's seasonal swing grows with its level (slope of log spread on log level >= 0.5;
    # data/log_choice.py)
    # allowed: true, false, auto
    log_transform: Any = False
    # the seasonal period: MASE scales by it and `model.baseline=seasonal_naive` looks back
    # by it
    # allowed: an integer >= 1
    season: int = 1
    # the final fit: the validation period trains too (and scaling sees it), so the model has
    # seen the latest data before forecasting the test period; needs `checkpoint.monitor=null`
    # (validation is then in-sample)
    train_through_val: bool = False
    # calendar features known ahead: each period's place in its season (month of year,
    # quarter) as its sine and cosine, beside the series; needs `data.season` > 1
    calendar: bool = False
    # leave the last n values out, as if the series ended n periods earlier: a backtest's
    # earlier origins (scripts/backtest.py), never seen by training, scaling or testing
    # allowed: an integer >= 0
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
    """Monthly airline passengers 1949-1960 (144 values shipped in the package). 1960 is the
    test year, 1959 validation; `window` past months predict the next `horizon` months. A
    window belongs to the split that holds all its targets. The log and the standardisation
    are fitted on training months only."""

    name: str = "passengers"
    log_transform: bool = True
    season: int = 12


@dataclass
class CsvConfig(SeriesConfig):
    """Your own series: `data=csv data.path=sales.csv data.target=units data.season=12`;
    the same windows, splits, scaling and metrics as passengers (MAPE only when every value
    is > 0), and forecasting settings chosen on a benchmark of real series (see Forecasting
    your own series)."""

    name: str = "csv"
    # past periods a model reads; a window you set is used as set, and null fits the series:
    # four seasons, or on a short series the most whole seasons (at least one) that leave a
    # season of training windows (a 6-year monthly series: 24 months); below one season the
    # file is refused with the periods it needs (`46 rows are too few: data.window=null
    # (fitted to the series) needs at least 59: ...`). metrics.json's `window` is the one used
    window: int | None = None
    # the CSV file (comma, semicolon or tab separated: read from its first lines)
    path: str = MISSING
    # the column to forecast; several series, one model: a list of columns
    # (`data.target=[north,south]`, one per series) or one column with data.id_column
    # allowed: a column name, or a list of them
    target: Any = MISSING
    # long format (rows of store, date, value, each store's rows oldest first): the column
    # naming each row's series. Each series is split and scaled on its own training part, as
    # a file of its own would be; logged metrics are on those scales, and metrics.json's
    # `series` holds each series' metrics in its own units, `val/mase`/`test/mase` their mean
    id_column: str | None = None
    # the column of dates that orders the rows: numbers (years, indices), year-months
    # `1990-01`, quarters `1990-Q1` or ISO dates and times `1990-01-31`; each once, oldest
    # first (checked). null takes the rows in file order
    date_column: str | None = "date"
    # other numeric columns read beside the series as past-only inputs: a window sees them
    # up to its last step, never over the periods it forecasts (`data.covariates=[price,promo]`);
    # each on its training part's scale
    covariates: list[str] = field(default_factory=list)
    # several series: each window also reads which series it is, as one-hot channels (a
    # global model's series identity, as in DeepAR); refused for one series
    series_id: bool = False

    def target_columns(self) -> list[Any] | None:
        """The columns data.target lists (one series each), or None for one column."""
        listed = isinstance(self.target, (list, tuple)) or OmegaConf.is_list(self.target)
        return list(self.target) if listed else None

    def several_series(self) -> bool:
        """Several series in the file: a list of target columns, or an id column."""
        return self.target_columns() is not None or self.id_column is not None


@dataclass
class ModuleDataConfig(DataConfig):
    """A data set of your own, by its class: conf/data/<name>.yaml starts from
    `- /schema/data@_here_: module` and sets `name`, `module`, `task` and `length`."""

    # your data set's name, as its conf/data/ file is named
    name: str = MISSING
    # the data module's class, `package.module.Class`: an rnnlab InMemoryDataModule built
    # as Class(batch_size=, seed=, **settings) that fills `splits` and `facts`
    # allowed: an importable InMemoryDataModule subclass taking those arguments
    module: str = MISSING
    # what its targets are (the checks see it before the data is built; the built module's
    # facts must say the same)
    # allowed: classification, regression, forecasting, labeling
    task: str = MISSING  # type: ignore[misc]
    # steps in each input sequence (warm-up and truncated BPTT are checked against it; the
    # built tensors must have it)
    # allowed: an integer >= 1
    length: int = MISSING
    # the data module's own keyword arguments
    # allowed: a mapping of the class's argument names to values
    settings: dict[str, Any] = field(default_factory=dict)

    def window_length(self) -> int:
        return self.length


DATA_CONFIGS: dict[str, type[DataConfig]] = {
    **{
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
    },
    "module": ModuleDataConfig,
}
