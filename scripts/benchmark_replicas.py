"""How a stacked group should compute R replicas' LSTMs: measured side by side in one run.

Forward + backward of R one-direction LSTMs (each replica its own weights and its own batch,
the loss the sum of each replica's last-step output), ms per step and the ratio to the loop:
  loop          R torch.nn.LSTM calls in turn (what rnnlab's stacked group runs today)
  bmm           the replicas' weights stacked each step (they stay each replica's own
                parameters) and one batched matmul per time step over the replica dimension
  block-diag    one torch.nn.LSTM over R*H units whose weights are the replicas' blocks on
                the diagonal (assembled each step; R^2 the multiply-adds)
  bmm compiled  bmm under torch.compile (--compile; compiling takes a while on a CPU)
Before timing, bmm and block-diag are checked against the loop in float64 (outputs and
every gradient within 1e-8 relative), so the rows compare like for like. Sizes: rnnlab's
defaults (batch 32, window 4, 1 feature, LSTM 64 x 1) and the seeds' classifier (batch 64,
50 steps, 10 features, LSTM 128 x 2).
Usage: python scripts/benchmark_replicas.py [--replicas 4,16] [--steps 30] [--threads N]
                                            [--compile]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch
from torch import nn

SIZES = {"rnnlab's defaults": (32, 4, 1, 64, 1), "the seeds' classifier": (64, 50, 10, 128, 2)}


def replicas_of(count: int, features: int, hidden: int, layers: int) -> list[nn.LSTM]:
    return [nn.LSTM(features, hidden, layers, batch_first=True) for _ in range(count)]


def loop(lstms: list[nn.LSTM], x: torch.Tensor) -> torch.Tensor:
    """x (R, B, T, F) -> each replica's last outputs (R, B, H)."""
    return torch.stack([lstm(x[r])[0][:, -1] for r, lstm in enumerate(lstms)])


def stacked(lstms: list[nn.LSTM], name: str) -> torch.Tensor:
    return torch.stack([getattr(lstm, name) for lstm in lstms])


def bmm(lstms: list[nn.LSTM], x: torch.Tensor) -> torch.Tensor:
    """The same LSTMs with the replica dimension batched: (R, B, T, F) -> (R, B, H)."""
    inputs = x
    for layer in range(lstms[0].num_layers):
        w_ih, w_hh = stacked(lstms, f"weight_ih_l{layer}"), stacked(lstms, f"weight_hh_l{layer}")
        bias = stacked(lstms, f"bias_ih_l{layer}") + stacked(lstms, f"bias_hh_l{layer}")
        r, b, t, _ = inputs.shape
        hidden = w_hh.shape[-1]
        projected = torch.baddbmm(bias.unsqueeze(1), inputs.reshape(r, b * t, -1),
                                  w_ih.transpose(1, 2)).reshape(r, b, t, 4 * hidden)  # fmt: skip
        h = inputs.new_zeros(r, b, hidden)
        c = inputs.new_zeros(r, b, hidden)
        outputs = []
        for step in range(t):
            gates = projected[:, :, step] + torch.bmm(h, w_hh.transpose(1, 2))  # (R, B, 4H)
            i, f, g, o = gates.chunk(4, dim=-1)  # torch's gate order
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outputs.append(h)
        inputs = torch.stack(outputs, dim=2)  # (R, B, T, H)
    return inputs[:, :, -1]


def block_diagonal(lstms: list[nn.LSTM], x: torch.Tensor) -> torch.Tensor:
    """One LSTM over R*H units with the replicas' weights on the diagonal of each gate."""
    r, b, t, _ = x.shape
    hidden, layers = lstms[0].hidden_size, lstms[0].num_layers
    weights = []
    for layer in range(layers):
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            blocks = [getattr(lstm, f"{kind}_l{layer}").chunk(4) for lstm in lstms]
            gates = [[block[g] for block in blocks] for g in range(4)]  # i, f, g, o
            if kind.startswith("bias"):
                weights.append(torch.cat([torch.cat(parts) for parts in gates]))
            else:
                weights.append(torch.cat([torch.block_diag(*parts) for parts in gates]))
    packed = x.permute(1, 2, 0, 3).reshape(b, t, -1)  # (B, T, R*F): replica r's block r
    out, *_ = torch._VF.lstm(packed, (packed.new_zeros(layers, b, r * hidden),) * 2, weights,
                            True, layers, 0.0, True, False, True)  # fmt: skip
    return out[:, -1].reshape(b, r, hidden).transpose(0, 1)


WAYS: dict[str, Callable[[list[nn.LSTM], torch.Tensor], torch.Tensor]] = {
    "loop": loop, "bmm": bmm, "block-diag": block_diagonal}  # fmt: skip


def check_equal(size: tuple[int, ...]) -> None:
    batch, length, features, hidden, layers = size
    lstms = [lstm.double() for lstm in replicas_of(3, features, hidden, layers)]
    x = torch.randn(3, batch, length, features, dtype=torch.float64)
    expected = loop(lstms, x)
    expected.sum().backward()
    grads = [p.grad.clone() for lstm in lstms for p in lstm.parameters()]
    for name, way in WAYS.items():
        for lstm in lstms:
            lstm.zero_grad()
        out = way(lstms, x)
        out.sum().backward()
        torch.testing.assert_close(out, expected, rtol=1e-8, atol=1e-12, msg=name)
        for got, want in zip((p.grad for lstm in lstms for p in lstm.parameters()), grads,
                             strict=True):  # fmt: skip
            torch.testing.assert_close(got, want, rtol=1e-8, atol=1e-12, msg=name)


def ms_per_step(way: Callable, lstms: list[nn.LSTM], x: torch.Tensor, steps: int) -> float:
    def step() -> None:
        for lstm in lstms:
            lstm.zero_grad(set_to_none=True)
        way(lstms, x).sum().backward()

    for _ in range(3):
        step()
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="4,16")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--threads", type=int, default=0, help="torch threads; 0: torch's")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    ways = dict(WAYS)
    if args.compile:
        ways["bmm compiled"] = torch.compile(bmm)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, CPU")
    print("| size | replicas | " + " | ".join(f"{w} ms" for w in ways) + " | "
          + " | ".join(f"{w} / loop" for w in ways if w != "loop") + " |")  # fmt: skip
    print("|" + "---|" * (2 + 2 * len(ways) - 1))
    for label, size in SIZES.items():
        check_equal(size)
        batch, length, features, hidden, layers = size
        for count in (int(n) for n in args.replicas.split(",")):
            lstms = replicas_of(count, features, hidden, layers)
            x = torch.randn(count, batch, length, features)
            times = {w: ms_per_step(way, lstms, x, args.steps) for w, way in ways.items()}
            ratios = [f"{times[w] / times['loop']:.2f}x" for w in ways if w != "loop"]
            print(f"| {label} | {count} | " + " | ".join(f"{t:.2f}" for t in times.values())
                  + " | " + " | ".join(ratios) + " |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
