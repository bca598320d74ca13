#!/usr/bin/python3
"""Peak memory of training a project against issue 17's bound: peak RSS <= data + 128 MiB.

    python3 bench/peak_memory.py [--cli build/app/checkpointlab-cli] [--epochs 1] [PROJECT.json ...]

Default projects: the two shipped Fashion-MNIST convnets. Each runs once in a scratch folder
(`checkpointlab-cli run P --threads 1 --epochs N --summary S -q`), and the summary's peak_rss_mb
(VmHWM) and data_mb (x and y of training and validation data, float32) are printed with the
bound and the margin. Prints figures; it is not a timed test. Exit code 1 when a run fails or a
project is over the bound (for a CI job that wants it)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BOUND_MIB = 128.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", default=[
        os.path.join(REPO, "resources/examples/fashion_convnet.json"),
        os.path.join(REPO, "resources/examples/fashion_convnet_bn.json")])
    parser.add_argument("--cli", default=os.path.join(REPO, "build/app/checkpointlab-cli"))
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    over = False
    print(f"{'project':<28} {'data MiB':>9} {'peak RSS MiB':>13} {'bound MiB':>10} {'margin MiB':>11}")
    for project in args.projects:
        with tempfile.TemporaryDirectory(prefix="cklab-peak-") as scratch:
            summary = os.path.join(scratch, "summary.json")
            # The run's cwd is a scratch folder: a relative --cli is relative to the caller.
            cmd = [os.path.abspath(args.cli), "run", os.path.abspath(project), "--threads", "1", "--epochs", str(args.epochs),
                   "--out-dir", os.path.join(scratch, "run"), "--summary", summary, "-q"]
            done = subprocess.run(cmd, cwd=scratch, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{os.path.basename(project)}: exit {done.returncode}: {done.stderr.strip()}", file=sys.stderr)
                over = True
                continue
            with open(summary) as f:
                s = json.load(f)
        bound = s["data_mb"] + BOUND_MIB
        margin = bound - s["peak_rss_mb"]
        over = over or margin < 0
        print(f"{os.path.basename(project):<28} {s['data_mb']:>9.1f} {s['peak_rss_mb']:>13.1f} {bound:>10.1f} "
              f"{margin:>11.1f}{'' if margin >= 0 else '  OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
