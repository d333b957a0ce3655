"""Forecast evaluation: error measures in the series' units and the classical baselines."""
