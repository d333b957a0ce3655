import math

import torch

from rnnlab.forecast.kstep import k_step_predictions, least_squares_ar


def test_one_step_uses_observations_and_k_steps_feed_back_predictions():
    series = torch.arange(10.0)
    # a "model" that predicts last + 1: exact on a ramp at every horizon
    predictions = k_step_predictions(lambda x: x[:, -1] + 1, series, tau=2, max_k=3)
    assert predictions.shape == (3, 10)
    for k in range(3):
        defined = ~predictions[k].isnan()
        torch.testing.assert_close(predictions[k][defined], series[defined])
    assert predictions[0, :2].isnan().all() and predictions[2, :4].isnan().all()
    # a model that predicts 0 shows the feedback: k-step forecasts see earlier predictions
    zeros = k_step_predictions(lambda x: x[:, -1] * 0, torch.ones(8), tau=2, max_k=2)
    assert torch.all(zeros[~zeros.isnan()] == 0)


def test_least_squares_ar_recovers_a_known_recurrence():
    series = torch.zeros(50)
    series[0], series[1] = 1.0, 0.5
    for t in range(2, 50):
        series[t] = 0.6 * series[t - 1] - 0.2 * series[t - 2] + 0.1
    coefficients = least_squares_ar(series, tau=2, train_end=40)
    assert [round(float(c), 4) for c in coefficients] == [-0.2, 0.6, 0.1]
    assert math.isfinite(float(coefficients.sum()))
