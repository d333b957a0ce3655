"""The whole training step (forward, loss, backward, clipping, optimizer step) captured once as
one CUDA graph and replayed for every batch of the same shape.

rnnlab's models are small: on a GPU a step is mostly the launch of a few hundred kernels from
Python, which one graph replay replaces (H100, seeds' classifier: 3.6 ms eager, 0.95 ms as a
graph inside Lightning, measured once by hand; rnnlab's own step: docs/PERFORMANCE.md). The
recipe is PyTorch's whole-network capture: a few eager steps on a side stream first (the
optimizer's state and cuDNN's workspaces exist before capture), static input buffers each
batch is copied into, Adam with `capturable=True` and a tensor learning rate (so schedulers
still change it), and clipping by torch's foreach functions, which need no host sync.

The caller (SequenceTask) keeps Lightning's loop: it takes the step here inside
`training_step`, then lets Lightning count the step, run schedulers, log and checkpoint.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import lightning as L
import torch
from lightning.pytorch.strategies import SingleDeviceStrategy

if TYPE_CHECKING:
    from rnnlab.tasks.base import SequenceTask

log = logging.getLogger(__name__)

# optimizers whose step can be captured (capturable=True, tensor lr); SGD's foreach step turns
# a tensor lr into a Python number (a host sync), and a float lr would be frozen in the graph
CAPTURABLE_OPTIMIZERS = (torch.optim.Adam, torch.optim.AdamW)
GRAPH_PRECISIONS = ("32-true", "64-true")
# callback hooks that run between backward and the optimizer step: a graph has no such moment
STEP_HOOKS = ("on_before_backward", "on_after_backward", "on_before_optimizer_step",
              "on_before_zero_grad")  # fmt: skip
WARMUP_STEPS = 3  # eager steps before capture (PyTorch's recipe: optimizer state, workspaces)
CAPTURABLE_WARNING = "This instance was constructed with capturable=True"


def graph_blockers(trainer: L.Trainer, task: SequenceTask) -> list[str]:
    """Why this fit cannot replay its training step as a CUDA graph ([] when it can)."""
    if not task.training_options.get("cuda_graph", True):
        return ["training.cuda_graph=false"]
    device = trainer.strategy.root_device
    if device.type != "cuda":
        return [f"the device is {device.type}, not CUDA"]
    blockers = []
    if not isinstance(trainer.strategy, SingleDeviceStrategy):
        blockers.append(f"strategy {type(trainer.strategy).__name__} (one device only)")
    if str(trainer.precision) not in GRAPH_PRECISIONS:
        blockers.append(f"precision {trainer.precision} (32-true or 64-true only)")
    if task.tbptt_steps:
        blockers.append("truncated BPTT (several optimizer steps per batch)")
    if trainer.accumulate_grad_batches != 1:
        blockers.append(f"accumulate_grad_batches={trainer.accumulate_grad_batches}")
    optimizers = trainer.optimizers
    if len(optimizers) != 1 or not isinstance(optimizers[0], CAPTURABLE_OPTIMIZERS):
        names = ", ".join(type(o).__name__ for o in optimizers) or "none"
        blockers.append(f"optimizer {names} (adam or adamw only)")
    for callback in trainer.callbacks:
        hooks = [hook for hook in STEP_HOOKS if _overrides(callback, hook)]
        if hooks and not getattr(callback, "graph_aware", False):
            blockers.append(f"callback {type(callback).__name__} acts in {', '.join(hooks)}")
    return blockers


def _overrides(callback: L.Callback, hook: str) -> bool:
    return getattr(type(callback), hook, None) is not getattr(L.Callback, hook)


def make_capturable(optimizer: torch.optim.Optimizer, device: torch.device) -> None:
    """Adam/AdamW as a graph can replay them: capturable, the learning rate a device tensor
    (schedulers fill it in place), the step counts on the device (a checkpoint of an eager
    run holds them on the CPU)."""
    optimizer.defaults["capturable"] = True
    for group in optimizer.param_groups:
        group["capturable"] = True
        if not torch.is_tensor(group["lr"]):
            group["lr"] = torch.tensor(float(group["lr"]), device=device)
    for param, state in optimizer.state.items():
        step = state.get("step")
        if torch.is_tensor(step) and step.device != param.device:
            state["step"] = step.to(device=param.device, dtype=torch.float32)


def plain_optimizer_state(state: dict) -> None:
    """An optimizer state_dict as an eager run writes it (float lr, not capturable), so a
    checkpoint of a graphed run resumes anywhere, on the CPU too."""
    for group in state.get("param_groups", []):
        if torch.is_tensor(group.get("lr")):
            group["lr"] = float(group["lr"])
        if "capturable" in group:
            group["capturable"] = False


@dataclass
class StepResult:
    loss: torch.Tensor  # () detached
    prediction: torch.Tensor  # the model's output for the batch, detached
    grad_norm: torch.Tensor  # () total L2 norm of the gradients before clipping


class GraphedTrainingStep:
    """Takes whole training steps for one fit: eager for the first WARMUP_STEPS batches and for
    any batch whose shapes differ from the first one's (a short last batch), else by replaying
    the captured graph. A capture that fails leaves the fit eager, with one warning."""

    def __init__(self, task: SequenceTask, optimizer: torch.optim.Optimizer,
                 clip_val: float | None, clip_algorithm: str) -> None:  # fmt: skip
        self.task = task
        self.optimizer = optimizer
        self.clip_val = clip_val
        self.clip_algorithm = clip_algorithm
        self.params = [p for p in task.parameters() if p.requires_grad]
        self.device = self.params[0].device
        # elsewhere (tests on the CPU) every step is eager: the same path into Lightning
        self.can_capture = self.device.type == "cuda"
        if self.can_capture:
            make_capturable(optimizer, self.device)
        self.side_stream = torch.cuda.Stream(self.device) if self.can_capture else None
        self.shapes: tuple | None = None  # the batch shapes the graph is for: the first batch's
        self.graph: torch.cuda.CUDAGraph | None = None
        self.static_x = self.static_target = torch.empty(0)
        self.static_result: StepResult | None = None
        self.failure: str | None = None
        self.eager_steps = 0
        self.replays = 0

    def step(self, x: torch.Tensor, target: torch.Tensor) -> StepResult:
        """One optimizer step on this batch; the returned tensors are the caller's to keep."""
        shapes = (x.shape, x.dtype, target.shape, target.dtype)
        self.shapes = self.shapes or shapes
        if shapes == self.shapes and self.graph is not None:
            return self._replay(x, target)
        ready = self.can_capture and self.eager_steps >= WARMUP_STEPS and self.failure is None
        if shapes == self.shapes and ready:
            try:
                return self._capture(x, target)
            except RuntimeError as error:
                self._give_up(error)
        return self._eager(x, target)

    # --- the step itself, eager or being captured ------------------------------------------
    def _update(self, x: torch.Tensor, target: torch.Tensor) -> StepResult:
        task = self.task
        prediction = task(x)  # (batch, out) or (batch, time - warmup, out)
        loss = task.compute_loss(prediction, task.targets_after_warmup(target))
        loss.backward()
        grad_norm = self._clip()
        self.optimizer.step()
        return StepResult(loss.detach(), prediction.detach(), grad_norm.detach())

    def _clip(self) -> torch.Tensor:
        """The Trainer's clipping (gradient_clip_val and _algorithm), no host sync; returns the
        norm before clipping, which the DivergenceMonitor logs and checks."""
        if self.clip_val and self.clip_algorithm == "norm":
            return torch.nn.utils.clip_grad_norm_(self.params, self.clip_val, foreach=True)
        grads = [p.grad for p in self.params if p.grad is not None]
        grad_norm = torch.nn.utils.get_total_norm(grads, foreach=True)
        if self.clip_val:  # by value
            torch.nn.utils.clip_grad_value_(self.params, self.clip_val, foreach=True)
        return grad_norm

    def _eager(self, x: torch.Tensor, target: torch.Tensor) -> StepResult:
        """Before capture, on a side stream (PyTorch's warm-up recipe); after it, into the
        graph's own gradient tensors (zeroed, not freed)."""
        self.eager_steps += 1
        if self.side_stream is None:
            self.optimizer.zero_grad()
            return self._update(x, target)
        current = torch.cuda.current_stream(self.device)
        self.side_stream.wait_stream(current)
        with torch.cuda.stream(self.side_stream), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=CAPTURABLE_WARNING)
            self.optimizer.zero_grad(set_to_none=self.graph is None)
            result = self._update(x, target)
        current.wait_stream(self.side_stream)
        return self._copies(result)

    def _capture(self, x: torch.Tensor, target: torch.Tensor) -> StepResult:
        self.static_x, self.static_target = x.clone(), target.clone()
        self.optimizer.zero_grad(set_to_none=True)  # backward in the graph allocates them
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            static_result = self._update(self.static_x, self.static_target)
        self.graph, self.static_result = graph, static_result
        log.info("CUDA graph: training step captured for batches of shape %s", tuple(x.shape))
        return self._replay(x, target)  # capture only records: replaying takes this step

    def _replay(self, x: torch.Tensor, target: torch.Tensor) -> StepResult:
        assert self.graph is not None and self.static_result is not None
        self.static_x.copy_(x)
        self.static_target.copy_(target)
        self.graph.replay()
        self.replays += 1
        return self._copies(self.static_result)

    @staticmethod
    def _copies(result: StepResult) -> StepResult:
        """The next replay overwrites the static outputs; metrics may keep what they get."""
        return StepResult(result.loss.clone(), result.prediction.clone(), result.grad_norm.clone())

    def _give_up(self, error: RuntimeError) -> None:
        self.graph, self.static_result = None, None
        self.optimizer.zero_grad(set_to_none=True)  # whatever the failed capture left there
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        self.failure = first_line
        warnings.warn(
            f"CUDA graph capture of the training step failed ({first_line}): training "
            "eagerly. Set training.cuda_graph=false to skip the attempt.",
            stacklevel=2,
        )

    @property
    def status(self) -> str:
        if self.failure:
            return f"off (capture failed: {self.failure})"
        if self.graph is None:
            return f"on (not captured: {self.eager_steps} eager steps)"
        return f"on ({self.replays} replays, {self.eager_steps} eager steps)"
