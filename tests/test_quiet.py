"""Only the Lightning notices rnnlab names are kept out of a run's log."""

import warnings

from rnnlab.quiet import LR_MONITOR_TENSOR_COPY, silence_lightning_notices

COPY_ADVICE = f"{LR_MONITOR_TENSOR_COPY}, it is recommended to use sourceTensor.detach().clone()"


def raised(module: str) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        silence_lightning_notices()
        warnings.warn_explicit(COPY_ADVICE, UserWarning, "lr_monitor.py", 217, module=module)
    return caught


def test_the_lr_monitors_copy_of_a_tensor_learning_rate_is_not_shown():
    assert raised("lightning.pytorch.callbacks.lr_monitor") == []


def test_the_same_advice_from_anywhere_else_still_shows():
    (shown,) = raised("my_training_code")
    assert LR_MONITOR_TENSOR_COPY in str(shown.message)
