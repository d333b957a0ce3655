"""Forward+backward time of the from-scratch layers against torch.nn (cuDNN on a GPU).

The setup the cells issue names: batch 64, T=50, 2 layers, hidden 128, 10 input features.
Rows per kind: torch.nn eager, scratch eager, scratch under torch.compile (--compile;
compiling takes minutes on a CPU), and on CUDA both captured as one CUDA graph (the way
training.cuda_graph replays a whole training step). Prints ms per forward+backward and the
ratio to torch.nn eager.
Usage: python scripts/benchmark_scratch.py [--device cpu|cuda] [--kinds lstm,gru,rnn] [--compile]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import torch

from rnnlab.models import RecurrentBackbone

BATCH, TIME, FEATURES, HIDDEN, LAYERS = 64, 50, 10, 128, 2


def step_timer(module: torch.nn.Module, x: torch.Tensor) -> Callable[[], None]:
    def step() -> None:
        outputs, _ = module(x)
        outputs.sum().backward()

    return step


def graph_timer(module: torch.nn.Module, x: torch.Tensor) -> Callable[[], None]:
    """Forward+backward captured once (after eager warm-up on a side stream, as PyTorch's
    recipe has it), then replayed: the Python time loop of a scratch layer runs only once."""
    step = step_timer(module, x)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(side)
    module.zero_grad(set_to_none=True)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step()
    return graph.replay


def milliseconds(step: Callable[[], None], device: torch.device, repeats: int) -> float:
    for _ in range(3):  # warm-up: allocator, cuDNN plans, compilation
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(repeats):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return 1000 * (time.perf_counter() - started) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--kinds", default="lstm,gru,rnn")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--compile", action="store_true", help="also time torch.compile(scratch)")
    args = parser.parse_args()
    device = torch.device(args.device)
    x = torch.randn(BATCH, TIME, FEATURES, device=device)
    name = (
        torch.cuda.get_device_name() if device.type == "cuda" else f"cpu x{torch.get_num_threads()}"
    )
    print(f"device: {name}; torch {torch.__version__}; batch {BATCH}, T={TIME}, "
          f"{LAYERS} layers, hidden {HIDDEN}")  # fmt: skip
    print(f"{'kind':<6}{'implementation':<26}{'ms fwd+bwd':>12}{'vs torch.nn':>13}")
    for kind in args.kinds.split(","):
        options = {"input_size": FEATURES, "hidden_size": HIDDEN, "num_layers": LAYERS}
        reference = RecurrentBackbone(kind, **options).to(device)
        scratch = RecurrentBackbone(kind, implementation="scratch", **options).to(device)
        scratch.load_state_dict(reference.state_dict())
        rows = {
            "torch.nn": step_timer(reference, x),
            "scratch": step_timer(scratch, x),
        }
        if args.compile:
            rows["scratch + torch.compile"] = step_timer(torch.compile(scratch), x)
        if device.type == "cuda":
            rows["torch.nn as a CUDA graph"] = graph_timer(reference, x)
            rows["scratch as a CUDA graph"] = graph_timer(scratch, x)
        baseline = None
        for label, step in rows.items():
            ms = milliseconds(step, device, args.repeats)
            baseline = baseline or ms
            print(f"{kind:<6}{label:<26}{ms:>12.2f}{ms / baseline:>12.2f}x")


if __name__ == "__main__":
    main()
