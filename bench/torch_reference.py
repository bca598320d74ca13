#!/usr/bin/python3
"""PyTorch reference for the benchmark workloads of bench/projects/{S,M,L,C,V}.json.

Run with Debian's interpreter (/usr/bin/python3, which has python3-torch 1.13). It trains the
same model on the same kind of data with the same semantics as `checkpointlab-cli run`:

* data: uniform features in [0, 1), uniform random labels (one-hot for our side), float32;
* Dense layers with glorot-uniform kernels (xavier_uniform_) and zero biases, ReLU hidden
  layers, softmax output, categorical cross-entropy averaged over the batch (F.cross_entropy on
  the logits: the same fused gradient p - y that our engine uses; Keras' clip of p to
  [1e-7, 1 - 1e-7] only matters for p < 1e-7);
* Adam lr 0.01, betas 0.9/0.999, eps 1e-7 (torch adds eps after the bias correction of v,
  Keras before; same cost);
* a fresh random permutation every epoch, batches gathered with one index_select each;
* per batch the running loss and accuracy are read back as Python floats (our engine computes
  the same Keras batch logs every batch);
* checkpoints like ours: weights only, written to a temporary file, fsync'ed and renamed
  (torch.save(state_dict) + os.fsync + os.replace): "best" = at epoch end when the epoch's
  mean loss improved, "batch" = after every batch.

V is Keras' "Simple MNIST convnet" on Fashion-MNIST-shaped data (uniform pixels in [0, 1) of
28 x 28 x 1 images): Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, MaxPool 2, Flatten,
Dropout 0.5, Dense 10 softmax; Adam lr 0.001. Torch keeps its own NCHW layout (channels first
is what its oneDNN convolutions are fastest at); the arithmetic is the same.

Samples per second count training only (gather + forward + backward + step + batch logs),
not checkpoint writes, as `checkpointlab-cli run --summary` does.
Prints one JSON object (same keys as our --summary) to stdout or to --summary FILE.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

WORKLOADS = {
    "S": dict(n=100, d=5, k=2, hidden=[10], batch=0, epochs=10, ckpt="best"),
    "M": dict(n=60000, d=784, k=10, hidden=[256, 256], batch=128, epochs=3, ckpt="best"),
    "L": dict(n=200000, d=64, k=10, hidden=[512, 512, 512], batch=256, epochs=2, ckpt="best"),
    "C": dict(n=60000, d=784, k=10, hidden=[256, 256], batch=128, epochs=3, ckpt="batch"),
    "V": dict(n=60000, d=784, k=10, image=(28, 28, 1), batch=128, epochs=1, ckpt="best", lr=0.001),
}


def blas_libraries():
    """The BLAS shared objects mapped into this process (after a matmul has run)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path or "mkl" in path:
                libs.add(path)
    return sorted(libs)


def build_convnet(torch, w):
    """Keras' simple MNIST convnet; glorot-uniform kernels (fan over the receptive field, as
    Keras and xavier_uniform_ compute it) and zero biases."""
    h, wd, c = w["image"]
    conv1 = torch.nn.Conv2d(c, 32, 3)
    conv2 = torch.nn.Conv2d(32, 64, 3)
    side = ((h - 2) // 2 - 2) // 2
    dense = torch.nn.Linear(64 * side * side, w["k"])
    for layer in (conv1, conv2, dense):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    return torch.nn.Sequential(conv1, torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                               conv2, torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                               torch.nn.Flatten(), torch.nn.Dropout(0.5), dense)


def build_model(torch, w):
    if "image" in w:
        return build_convnet(torch, w)
    layers = []
    fan_in = w["d"]
    for units in w["hidden"] + [w["k"]]:
        lin = torch.nn.Linear(fan_in, units)
        torch.nn.init.xavier_uniform_(lin.weight)  # glorot-uniform: limit sqrt(6 / (in + out))
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if units != w["k"]:
            layers.append(torch.nn.ReLU())
        fan_in = units
    return torch.nn.Sequential(*layers)


def save_weights(torch, model, path):
    """Weights-only save, atomic and durable like ours: temporary file, fsync, rename, fsync of
    the directory (so that the rename itself survives a crash; ~0.5 ms here, docs/benchmarks.md)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        torch.save(model.state_dict(), f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return os.path.getsize(path)


def run(workload, threads, seed, out_dir, epochs=None):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    w = dict(WORKLOADS[workload])
    if epochs:
        w["epochs"] = epochs
    start = time.perf_counter()  # like ours: the wall time includes generating the data
    x = torch.rand(w["n"], w["d"], dtype=torch.float32)
    if "image" in w:
        h, wd, c = w["image"]
        x = x.view(w["n"], h, wd, c).permute(0, 3, 1, 2).contiguous()  # NHWC data, NCHW compute
    y = torch.randint(0, w["k"], (w["n"],), dtype=torch.int64)
    model = build_model(torch, w)
    opt = torch.optim.Adam(model.parameters(), lr=w.get("lr", 0.01), betas=(0.9, 0.999), eps=1e-7)
    batch = w["batch"] if w["batch"] > 0 else w["n"]
    steps = (w["n"] + batch - 1) // batch
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "best.pt" if w["ckpt"] == "best" else "last.pt")

    # Like ours (Trainer::warmUp): one inference pass over a batch's rows before the training
    # clock, changing no state (no_grad; the shuffle below draws from the generator as before).
    with torch.no_grad():
        model(x[:batch])
    train_s = 0.0
    samples = 0
    save_ms = []
    best = float("inf")
    logs = {}
    for _epoch in range(w["epochs"]):
        order = torch.randperm(w["n"])
        loss_sum = 0.0
        hits = 0
        seen = 0
        for b in range(steps):
            t0 = time.perf_counter()
            idx = order[b * batch:(b + 1) * batch]
            xb = x.index_select(0, idx)
            yb = y.index_select(0, idx)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            rows = idx.numel()
            loss_sum += loss.item() * rows
            hits += int((logits.detach().argmax(1) == yb).sum().item())
            seen += rows
            train_s += time.perf_counter() - t0
            samples += rows
            if w["ckpt"] == "batch":
                s0 = time.perf_counter()
                save_weights(torch, model, path)
                save_ms.append((time.perf_counter() - s0) * 1e3)
        logs = {"loss": loss_sum / seen, "accuracy": hits / seen}
        if w["ckpt"] == "best" and logs["loss"] < best:
            best = logs["loss"]
            s0 = time.perf_counter()
            save_weights(torch, model, path)
            save_ms.append((time.perf_counter() - s0) * 1e3)
    wall = time.perf_counter() - start
    return {
        "samples_per_sec": samples / train_s if train_s > 0 else 0.0,
        "epochs": w["epochs"],
        "steps": steps * w["epochs"],
        "n_saves": len(save_ms),
        "ckpt_save_ms_median": statistics.median(save_ms) if save_ms else 0.0,
        "ckpt_save_ms_max": max(save_ms) if save_ms else 0.0,
        "final_logs": logs,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "wall_s": wall,
        "train_s": train_s,
        "samples_trained": samples,
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "blas_libraries": blas_libraries(),
        "blas_info": next((p.split("=", 1)[1] for p in torch.__config__.show().replace(",", " ").split()
                           if p.startswith("BLAS_INFO=")), "unknown"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, help="override the workload's epochs (quick runs)")
    ap.add_argument("--out-dir", default="runs/torch")
    ap.add_argument("--summary", help="write the JSON summary to FILE instead of stdout")
    args = ap.parse_args()
    result = run(args.workload, args.threads, args.seed, args.out_dir, args.epochs)
    text = json.dumps(result, indent=2)
    if args.summary:
        with open(args.summary, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
