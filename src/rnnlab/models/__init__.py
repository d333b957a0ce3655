"""Plain nn.Modules: recurrent backbones (torch.nn or from scratch) and output heads."""

from rnnlab.models.backbone import RecurrentBackbone, detach_state
from rnnlab.models.heads import Head
from rnnlab.models.scratch import ScratchRecurrent
from rnnlab.models.sequence_model import SequenceModel, build_model

__all__ = [
    "Head",
    "RecurrentBackbone",
    "ScratchRecurrent",
    "SequenceModel",
    "build_model",
    "detach_state",
]
