"""Truncated backpropagation through time (Williams & Peng 1990; Sutskever 2013): the window
cut into chunks of k steps, one optimizer step per chunk that has a loss, the state carried
over detached. Lightning 2 dropped truncated_bptt_steps, so the task optimises by hand."""

from __future__ import annotations

from collections.abc import Callable

import torch

from rnnlab.models import SequenceModel, detach_state

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def truncated_bptt(
    model: SequenceModel,
    x: torch.Tensor,
    target: torch.Tensor,
    chunk_steps: int,
    warmup_steps: int,
    loss_of: Loss,
    optimise: Callable[[torch.Tensor], None],
) -> tuple[torch.Tensor, torch.Tensor]:
    """(the window's loss, its prediction) after an optimizer step per chunk with a loss.

    x (batch, time, input); target (batch, outputs), or (batch, time - warmup, ...) for
    per-step heads, already without the warm-up steps. Many-to-one heads have a loss on the
    last chunk only: the chunks before it just advance the state. `optimise(loss)` takes one
    step on a chunk's loss."""
    state = None
    if warmup_steps > 0:
        with torch.no_grad():
            _, state = model.backbone(x[:, :warmup_steps])
        x = x[:, warmup_steps:]  # (batch, time - warmup, input)
    per_step = model.head.per_step
    chunks = x.split(chunk_steps, dim=1)  # chunks of k steps (tensor_split makes k chunks)
    predictions, losses, start = [], [], 0
    for index, chunk in enumerate(chunks):
        stop = start + chunk.shape[1]
        if not per_step and index < len(chunks) - 1:
            with torch.no_grad():
                _, state = model.backbone(chunk, state)
            start = stop
            continue
        prediction, state = model.forward_with_state(chunk, state)
        loss = loss_of(prediction, target[:, start:stop] if per_step else target)
        optimise(loss)
        state = detach_state(state)
        predictions.append(prediction.detach())
        losses.append(loss.detach() * chunk.shape[1])
        start = stop
    prediction = torch.cat(predictions, dim=1) if per_step else predictions[-1]
    steps = sum(c.shape[1] for c in chunks) if per_step else chunks[-1].shape[1]
    return torch.stack(losses).sum() / steps, prediction  # the mean over steps with a loss
