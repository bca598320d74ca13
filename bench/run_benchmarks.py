#!/usr/bin/python3
"""Side-by-side benchmark: checkpointlab-cli vs the PyTorch reference (bench/torch_reference.py).

Runs the workloads of bench/projects/ interleaved (ours/theirs, order alternating per round) for
several rounds at each thread count, then prints medians, spread and ratios ours/theirs of
training samples/s, time per checkpoint, wall time and peak RSS (measured by this driver from the
child's rusage, identically for both sides), plus the machine's own limits: Eigen float32 GEMM
GFLOP/s (bench_gemm) and raw disk write+fsync bandwidth. The machine load (`uptime`) is printed
with every block of figures: timings taken on a loaded machine are not comparable to idle ones.
See docs/benchmarks.md.
"""
import argparse
import glob
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"S": 20.0, "M": 1.2, "L": 1.2, "C": 2.0, "V": 1.2}
# S trains 1 000 samples in under a millisecond: its spread is the widest and a run costs ~0.1 s,
# so it gets this many times the rounds of the others (--s-rounds-factor).
S_ROUNDS_FACTOR = 3
DATA_MB = {"M": (60000 * 784 + 60000 * 10) * 4 / 2**20, "V": (60000 * 784 + 60000 * 10) * 4 / 2**20}
# Peak-memory allowance above the data: issue 7 for M (64 MB), issue 17 for the convnet (128 MB).
RSS_ALLOWANCE_MB = {"M": 64, "V": 128}


def dense_flops(sizes):
    """Multiply-add FLOPs of one training sample through Dense layers `sizes` = [in, h1, ..., out]:
    forward x*W (2 in out), backward dW (2 in out) and dX (2 in out, not for the first layer)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    fwd = sum(2 * i * o for i, o in pairs)
    return fwd + fwd + (fwd - 2 * pairs[0][0] * pairs[0][1])


def convnet_flops():
    """Workload V (Keras' simple MNIST convnet on 28x28x1): the convolutions' and the Dense layer's
    products, forward + backward as in dense_flops (no dX for the first convolution)."""
    conv1 = 2 * 26 * 26 * 3 * 3 * 1 * 32
    conv2 = 2 * 11 * 11 * 3 * 3 * 32 * 64
    dense = 2 * 1600 * 10
    return 3 * (conv1 + conv2 + dense) - conv1


# Product FLOPs per training sample (elementwise work, pooling and the optimizer not counted).
FLOPS_PER_SAMPLE = {"S": dense_flops([5, 10, 2]), "M": dense_flops([784, 256, 256, 10]),
                    "L": dense_flops([64, 512, 512, 512, 10]), "C": dense_flops([784, 256, 256, 10]),
                    "V": convnet_flops()}


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_child(cmd, env):
    """Runs cmd, returns (exit code, peak RSS in MB from wait4, seconds, stderr tail)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0, time.perf_counter() - t0, err.decode(errors="replace")[-2000:]


def thread_env(threads):
    env = dict(os.environ)
    for key in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "CKLAB_THREADS"):
        env[key] = str(threads)
    return env


def weights_digest(path):
    """sha256 over every dataset of an HDF5 weights file (names and raw bytes, in name order): the
    weights themselves, byte for byte, without the file's metadata (HDF5 object headers may hold
    modification times). Falls back to the file's bytes when h5py is missing."""
    try:
        import h5py
    except ImportError:
        with open(path, "rb") as f:
            return "file:" + hashlib.sha256(f.read()).hexdigest()
    h = hashlib.sha256()
    with h5py.File(path, "r") as f:
        names = []
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        for name in sorted(names):
            data = f[name][()]
            h.update(name.encode())
            h.update(str(getattr(data, "dtype", "")).encode() + str(getattr(data, "shape", "")).encode())
            h.update(data.tobytes() if hasattr(data, "tobytes") else repr(data).encode())
    return "h5:" + h.hexdigest()


def run_ours(cli, workload, threads, scratch, epochs=None):
    out = os.path.join(scratch, f"ours-{workload}-{threads}")
    shutil.rmtree(out, ignore_errors=True)
    summary = out + ".json"
    cmd = [cli, "run", os.path.join(HERE, "projects", f"{workload}.json"), "--quiet", "--out-dir", out,
           "--summary", summary, "--threads", str(threads)] + (["--epochs", str(epochs)] if epochs else [])
    code, rss, secs, err = run_child(cmd, thread_env(threads))
    if code != 0:
        raise RuntimeError(f"ours {workload} failed ({code}): {err}")
    with open(summary) as f:
        result = json.load(f)
    result["driver_rss_mb"] = rss
    result["process_s"] = secs
    # The checkpoint files the run left: their weights must not depend on --threads.
    result["weights_digests"] = {os.path.relpath(p, out): weights_digest(p)
                                 for p in sorted(glob.glob(os.path.join(out, "**", "*.h5"), recursive=True))}
    return result


def run_theirs(python, workload, threads, scratch, epochs=None):
    out = os.path.join(scratch, f"torch-{workload}-{threads}")
    shutil.rmtree(out, ignore_errors=True)
    summary = out + ".json"
    cmd = [python, os.path.join(HERE, "torch_reference.py"), "--workload", workload, "--threads", str(threads),
           "--out-dir", out, "--summary", summary] + (["--epochs", str(epochs)] if epochs else [])
    code, rss, secs, err = run_child(cmd, thread_env(threads))
    if code != 0:
        raise RuntimeError(f"torch {workload} failed ({code}): {err}")
    with open(summary) as f:
        result = json.load(f)
    result["driver_rss_mb"] = rss
    result["process_s"] = secs
    return result


def spread(values):
    """(median, relative half-range in %)."""
    med = statistics.median(values)
    half = (max(values) - min(values)) / 2.0
    return med, (100.0 * half / med if med else 0.0)


def machine_limits(gemm, python, scratch, thread_counts):
    limits = {"uptime": uptime()}
    if gemm and os.path.exists(gemm):
        limits["gemm"] = {}
        for t in thread_counts:
            res = subprocess.run([gemm, str(t)], capture_output=True, text=True, env=thread_env(t), check=True)
            limits["gemm"][t] = json.loads(res.stdout)
        limits["torch_gemm"] = {}
        for t in thread_counts:
            res = subprocess.run([python, os.path.join(HERE, "torch_gemm.py"), str(t)], capture_output=True, text=True,
                                 env=thread_env(t), check=True)
            limits["torch_gemm"][t] = json.loads(res.stdout)
    # Raw disk: one 256 MiB sequential write + fsync, and 1 MiB write+fsync (a checkpoint's size).
    path = os.path.join(scratch, "disk-probe.bin")
    block = os.urandom(1 << 20)
    t0 = time.perf_counter()
    with open(path, "wb") as f:
        for _ in range(256):
            f.write(block)
        f.flush()
        os.fsync(f.fileno())
    limits["disk_write_fsync_mb_s"] = 256.0 / (time.perf_counter() - t0)
    small = []
    for _ in range(20):
        t0 = time.perf_counter()
        with open(path, "wb") as f:
            f.write(block)
            f.flush()
            os.fsync(f.fileno())
        small.append((time.perf_counter() - t0) * 1e3)
    limits["disk_1mib_write_fsync_ms_median"] = statistics.median(small)
    os.remove(path)
    return limits


def main():
    ap = argparse.ArgumentParser(description="checkpointlab-cli vs PyTorch, interleaved")
    ap.add_argument("--cli", required=True, help="path of checkpointlab-cli")
    ap.add_argument("--gemm", help="path of bench_gemm (machine limit)")
    ap.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch (Debian's)")
    ap.add_argument("--workloads", default="S,M,L,C,V")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--s-rounds-factor", type=int, default=S_ROUNDS_FACTOR,
                    help="workload S runs this many times --rounds (it is cheap and the noisiest)")
    ap.add_argument("--epochs", type=int, help="override every workload's epochs on both sides (quick runs)")
    ap.add_argument("--json", help="write all raw results to FILE")
    ap.add_argument("--scratch", help="directory for run outputs (default: a temporary directory)")
    args = ap.parse_args()

    workloads = args.workloads.split(",")
    thread_counts = [int(t) for t in args.threads.split(",")]
    scratch = args.scratch or tempfile.mkdtemp(prefix="cklab-bench-")
    os.makedirs(scratch, exist_ok=True)
    print(f"# load at start: {uptime()}", flush=True)
    limits = machine_limits(args.gemm, args.python, scratch, thread_counts)
    print(f"# machine limits ({limits['uptime']})")
    for t, g in limits.get("gemm", {}).items():
        isas = list(dict.fromkeys(r["isa"] for r in g["results"]))
        for isa in isas:
            shapes = ", ".join(f"{r['m']}x{r['k']}x{r['n']} {r['gflops']:.1f}" for r in g["results"] if r["isa"] == isa)
            chosen = " (default)" if isa == g["default_isa"] else ""
            print(f"  ours sgemm GFLOP/s {isa}{chosen}, {t} thread(s) requested ({g['threads']} used): {shapes}")
    for t, g in limits.get("torch_gemm", {}).items():
        shapes = ", ".join(f"{r['m']}x{r['k']}x{r['n']} {r['gflops']:.1f}" for r in g["results"])
        print(f"  torch sgemm GFLOP/s ({', '.join(g['blas_libraries']) or 'no BLAS library mapped'}), "
              f"{t} thread(s) requested ({g['threads']} used): {shapes}")
    print(f"  disk: 256 MiB write+fsync {limits['disk_write_fsync_mb_s']:.0f} MB/s; "
          f"1 MiB write+fsync median {limits['disk_1mib_write_fsync_ms_median']:.1f} ms", flush=True)

    raw = {"limits": limits, "runs": []}
    rounds = {w: args.rounds * (args.s_rounds_factor if w == "S" else 1) for w in workloads}
    for rnd in range(max(rounds.values())):
        for w in [w for w in workloads if rnd < rounds[w]]:
            # Sides alternate every round, thread counts every second one: no order is favoured.
            for t in (thread_counts if (rnd // 2) % 2 == 0 else thread_counts[::-1]):
                sides = ["ours", "theirs"] if (rnd % 2 == 0) else ["theirs", "ours"]
                for side in sides:
                    res = (run_ours(args.cli, w, t, scratch, args.epochs) if side == "ours"
                           else run_theirs(args.python, w, t, scratch, args.epochs))
                    raw["runs"].append({"round": rnd, "workload": w, "threads": t, "side": side, "uptime": uptime(),
                                        "result": res})
                    kernels = (f"kernels {res.get('matmul_isa')}" if side == "ours"
                               else f"torch {res.get('torch_version')}")
                    print(f"  round {rnd} {w} t={t} {side:6s} {res['samples_per_sec']:12.0f} samples/s  "
                          f"ckpt {res['ckpt_save_ms_median']:7.2f} ms  rss {res['driver_rss_mb']:7.1f} MB  {kernels}  "
                          f"[{raw['runs'][-1]['uptime'].split('load average:')[-1].strip()}]", flush=True)

    theirs_blas = next((r["result"].get("blas_libraries") for r in raw["runs"] if r["side"] == "theirs"), None)
    print(f"\n# results: medians over {args.rounds} rounds (S: {rounds.get('S', args.rounds)}), ±half-range in % "
          f"({uptime()})")
    print(f"# torch BLAS: {theirs_blas}")
    ours_isa = {(r["threads"], r["result"].get("matmul_isa"), r["result"].get("threads")) for r in raw["runs"]
                if r["side"] == "ours"}
    print(f"# ours (requested threads, matrix-product ISA, threads used): {sorted(ours_isa, key=str)}")
    header = (f"{'wl':2s} {'thr':>3s} | {'ours samples/s':>20s} | {'torch samples/s':>20s} | {'ratio':>6s} {'target':>6s} | "
              f"{'ckpt ms ours/torch':>18s} | {'wall s ours/torch':>17s} | {'peak RSS MB ours/torch':>22s}")
    print(header)
    print("-" * len(header))
    summary = {}
    for w in workloads:
        for t in thread_counts:
            def pick(side, key):
                return [r["result"][key] for r in raw["runs"]
                        if r["workload"] == w and r["threads"] == t and r["side"] == side]
            ours_sps, ours_sp = spread(pick("ours", "samples_per_sec"))
            th_sps, th_sp = spread(pick("theirs", "samples_per_sec"))
            ratio = ours_sps / th_sps if th_sps else float("nan")
            ck_o = statistics.median(pick("ours", "ckpt_save_ms_median"))
            ck_t = statistics.median(pick("theirs", "ckpt_save_ms_median"))
            wall_o = statistics.median(pick("ours", "wall_s"))
            wall_t = statistics.median(pick("theirs", "wall_s"))
            rss_o = statistics.median(pick("ours", "driver_rss_mb"))
            rss_t = statistics.median(pick("theirs", "driver_rss_mb"))
            target = TARGETS.get(w, 0.0)
            summary[f"{w}/{t}"] = dict(ours=ours_sps, theirs=th_sps, ratio=ratio, ckpt_ms=(ck_o, ck_t),
                                       wall_s=(wall_o, wall_t), rss_mb=(rss_o, rss_t))
            print(f"{w:2s} {t:3d} | {ours_sps:12.0f} ±{ours_sp:5.1f}% | {th_sps:12.0f} ±{th_sp:5.1f}% | "
                  f"{ratio:6.2f} {target:5.1f}x | {ck_o:8.2f}/{ck_t:8.2f} | {wall_o:7.2f}/{wall_t:8.2f} | "
                  f"{rss_o:10.1f}/{rss_t:10.1f}")
    print()
    for w in workloads:
        if w == "C" and all(f"C/{t}" in summary for t in thread_counts[:1]):
            s = summary[f"C/{thread_counts[0]}"]
            print(f"C end to end (wall incl. a save after every batch), {thread_counts[0]} thread(s): "
                  f"ours/torch speed ratio {s['wall_s'][1] / s['wall_s'][0]:.2f} (target {TARGETS['C']}x)")
        if w in RSS_ALLOWANCE_MB and f"{w}/{thread_counts[0]}" in summary:
            rss = summary[f"{w}/{thread_counts[0]}"]["rss_mb"][0]
            bound = DATA_MB[w] + RSS_ALLOWANCE_MB[w]
            print(f"{w} peak RSS {rss:.1f} MB vs data {DATA_MB[w]:.1f} MB + {RSS_ALLOWANCE_MB[w]} MB = {bound:.1f} MB: "
                  f"{'ok' if rss <= bound else 'OVER'}")
    # Achieved product throughput against the machine's own GEMM peak (bench_gemm, default ISA).
    for w in workloads:
        for t in thread_counts:
            g = limits.get("gemm", {}).get(t)
            if not g or w not in FLOPS_PER_SAMPLE:
                continue
            peak = max(r["gflops"] for r in g["results"] if r["isa"] == g["default_isa"])
            used = sorted({str(r["result"].get("matmul_isa")) for r in raw["runs"]
                           if r["side"] == "ours" and r["workload"] == w and r["threads"] == t})
            for side in ("ours", "theirs"):
                achieved = summary[f"{w}/{t}"][side if side == "ours" else "theirs"] * FLOPS_PER_SAMPLE[w] / 1e9
                who = f"kernels {','.join(used)}" if side == "ours" else "torch"
                print(f"{w} t={t} {side:6s} ({who}): {achieved:6.1f} GFLOP/s of products = "
                      f"{100 * achieved / peak:5.1f} % of our sgemm peak {peak:.1f} GFLOP/s ({g['default_isa']}, "
                      f"{t} thread(s))")
    mismatched = []
    for w in workloads:
        if len(thread_counts) > 1:
            one = summary[f"{w}/{thread_counts[0]}"]["ours"]
            more = summary[f"{w}/{thread_counts[-1]}"]["ours"]
            print(f"{w}: ours at {thread_counts[-1]} threads / at {thread_counts[0]}: {more / one:.2f}")
        # Same seed, same data: the final logs and the saved weights must not depend on the thread
        # count (nor on the round): every run of ours is compared with every other.
        ours_runs = [r for r in raw["runs"] if r["side"] == "ours" and r["workload"] == w]
        finals = {json.dumps(r["result"].get("final_logs"), sort_keys=True) for r in ours_runs}
        weights = {json.dumps(r["result"].get("weights_digests"), sort_keys=True) for r in ours_runs}
        files = sum(len(r["result"].get("weights_digests") or {}) for r in ours_runs[:1])
        same = len(finals) == 1 and len(weights) == 1
        print(f"{w}: ours' final loss/accuracy and saved weights ({files} file(s), compared byte for byte) "
              f"identical over {len(ours_runs)} runs at threads {sorted({r['threads'] for r in ours_runs})}: "
              f"{'yes' if same else 'NO'}")
        if not same:
            mismatched.append(w)
            for r in ours_runs:
                print(f"    round {r['round']} t={r['threads']}: {json.dumps(r['result'].get('final_logs'))} "
                      f"{json.dumps(r['result'].get('weights_digests'))}")
    print(f"# load at end: {uptime()}")
    raw["summary"] = summary
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)
    if not args.scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    if mismatched:
        print(f"ERROR: ours' results differ between thread counts or rounds for {','.join(mismatched)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
