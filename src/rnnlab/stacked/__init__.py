"""Stacked sweeps: the jobs of a sweep that share every shape, trained as one model."""
