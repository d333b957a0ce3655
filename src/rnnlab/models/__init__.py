"""Plain nn.Modules: recurrent backbones and output heads."""

from rnnlab.models.backbone import RecurrentBackbone
from rnnlab.models.heads import LastStateHead
from rnnlab.models.sequence_model import SequenceModel, build_model, validate_model_config

__all__ = [
    "LastStateHead",
    "RecurrentBackbone",
    "SequenceModel",
    "build_model",
    "validate_model_config",
]
