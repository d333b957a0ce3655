"""R real optimizers behind the one Lightning steps: each replica updates as it would alone."""

from __future__ import annotations

from typing import Any

import lightning as L
import torch
from torch import nn

from rnnlab.optim import build_optimizer, build_scheduler
from rnnlab.stacked.replica_optimizers import StackedOptimizer

SETTINGS = [
    {"name": "adam", "lr": 0.01, "weight_decay": 0.0},
    {"name": "adamw", "lr": 0.003, "weight_decay": 0.1},
    {"name": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
]
WARMUP = [{"name": "warmup", "warmup": 3}, {"name": "none"}, {"name": "warmup", "warmup": 5}]


def replicas() -> list[nn.Module]:
    torch.manual_seed(0)
    return [nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double() for _ in SETTINGS]


def batches(count: int = 12) -> list[tuple[torch.Tensor, torch.Tensor]]:
    generator = torch.Generator().manual_seed(1)
    return [(torch.randn(8, 3, generator=generator, dtype=torch.float64),
             torch.randn(8, 1, generator=generator, dtype=torch.float64))
            for _ in range(count)]  # fmt: skip


def optimizer_and_schedule(model: nn.Module, index: int) -> tuple[torch.optim.Optimizer, Any]:
    optimizer = build_optimizer(model.parameters(), SETTINGS[index])
    entry = build_scheduler(optimizer, WARMUP[index])
    return optimizer, entry["scheduler"] if entry else None


def alone(index: int) -> nn.Module:
    """One replica trained by a plain loop, as a solo run updates it."""
    model = replicas()[index]
    optimizer, scheduler = optimizer_and_schedule(model, index)
    for x, y in batches():
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return model


class Group(L.LightningModule):
    def __init__(self, stop_after: dict[int, int] | None = None) -> None:
        super().__init__()
        self.replicas = nn.ModuleList(replicas())
        self.stop_after = stop_after or {}

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], index: int) -> torch.Tensor:
        x, y = batch
        for replica, steps in self.stop_after.items():
            if self.global_step == steps:
                self.optimizers().optimizer.stop(replica)
        return sum(nn.functional.mse_loss(model(x), y) for model in self.replicas)

    def configure_optimizers(self) -> StackedOptimizer:
        pairs = [optimizer_and_schedule(m, i) for i, m in enumerate(self.replicas)]
        return StackedOptimizer([o for o, _ in pairs], [s for _, s in pairs])


class Batches:
    """The batches as an iterable Lightning serves as they are (a list it would collate)."""

    def __iter__(self):  # noqa: ANN204
        return iter(batches())

    def __len__(self) -> int:
        return len(batches())


def fit(group: Group) -> Group:
    trainer = L.Trainer(max_epochs=1, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False,
                        precision="64-true")  # fmt: skip
    trainer.fit(group, train_dataloaders=Batches())
    return group


def test_each_replica_updates_exactly_as_alone_through_lightning() -> None:
    group = fit(Group())
    for index, model in enumerate(group.replicas):
        expected = alone(index).state_dict()
        for name, value in model.state_dict().items():
            torch.testing.assert_close(value, expected[name], rtol=0, atol=0)


def test_a_stopped_replica_keeps_its_weights_and_the_others_go_on() -> None:
    before = replicas()[1].state_dict()
    group = fit(Group(stop_after={1: 0}))  # replica 1 stopped before its first update
    for name, value in group.replicas[1].state_dict().items():
        torch.testing.assert_close(value, before[name], rtol=0, atol=0)
    torch.testing.assert_close(group.replicas[0][0].weight, alone(0)[0].weight, rtol=0, atol=0)


def test_state_dict_round_trip_holds_every_replica_and_schedule() -> None:
    group = fit(Group())
    optimizer = group.trainer.optimizers[0]
    state = optimizer.state_dict()
    assert [s["param_groups"][0]["lr"] for s in state["replicas"]] == [
        g["lr"] for g in optimizer.param_groups
    ]
    pairs = [optimizer_and_schedule(m, i) for i, m in enumerate(replicas())]
    fresh = StackedOptimizer([o for o, _ in pairs], [s for _, s in pairs])
    fresh.load_state_dict(state)
    assert fresh.state_dict()["step_schedulers"] == state["step_schedulers"]
    assert fresh.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"]
