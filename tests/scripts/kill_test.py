#!/usr/bin/env python3
"""Kill test (issue 8 / issue 3): SIGKILL `checkpointlab-cli run` at random moments while it saves
after every batch, and check after every kill that

  * every file under a final checkpoint name is complete: `checkpointlab-cli inspect` reads it and
    it holds all of the model's variables;
  * temp files (".<name>.tmp-<pid>-<n>") of killed runs are removed by the next run in that
    directory (and never picked up as checkpoints);
  * scenario "resume": a run restarted with the same BackupAndRestore directory after each kill
    ends with exactly the weights of an uninterrupted run (predictions on fixed inputs printed
    with 9 significant digits, i.e. float32 round-trip, must be equal).

Plain Python 3 (no numpy/h5py): everything about the files is asked of the CLI itself.

usage: kill_test.py CLI WORKDIR --scenario {weights,keras,resume} [--kills N] [--seed S]
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

TEMP_RE = re.compile(r"^\..+\.tmp-([0-9]+)-[0-9]+$")
CHECKPOINT_SUFFIXES = (".weights.h5", ".keras", ".h5")


def project(policies, backup=None, epochs=3, samples=100, batch=4):
    p = {
        "format_version": 1,
        "model": {"input_dim": 5, "layers": [
            {"type": "dense", "units": 16, "activation": "relu"},
            {"type": "dense", "units": 3, "activation": "softmax"}]},
        "data": {"source": "generator", "generator": "blobs", "samples": samples, "features": 5,
                 "classes": 3, "batch_size": batch, "validation_split": 0.25},
        "training": {"epochs": epochs, "seed": 11, "loss": "categorical_crossentropy",
                     "metrics": ["accuracy"], "optimizer": {"type": "adam", "learning_rate": 0.01}},
        "checkpoints": policies,
        "output_dir": ".",
    }
    if backup:
        p["training"]["backup"] = backup
    return p


SCENARIOS = {
    # weights-only, several policies, all saving after every batch
    "weights": project([
        {"name": "every_batch", "filepath": "w/e{epoch:02d}-b{batch:03d}.weights.h5",
         "save_weights_only": True, "save_freq": "batch", "max_to_keep": 3},
        {"name": "best_batch", "filepath": "w/best.weights.h5", "save_weights_only": True,
         "save_freq": "batch", "monitor": "loss", "save_best_only": True},
        {"name": "every_2", "filepath": "w/latest-{loss:.3f}.weights.h5", "save_weights_only": True,
         "save_freq": 2, "max_to_keep": 2},
    ]),
    # full .keras archives (zip) and legacy .h5
    "keras": project([
        {"name": "keras_batch", "filepath": "k/model.keras", "save_freq": "batch"},
        {"name": "keras_epoch", "filepath": "k/m-{epoch}.keras", "save_freq": 3},
        {"name": "legacy", "filepath": "k/legacy.h5", "save_freq": "batch"},
    ]),
    # BackupAndRestore after every batch; the compared result is final.keras
    "resume": project([
        {"name": "final", "filepath": "final.keras", "save_freq": "batch"},
        {"name": "per_epoch", "filepath": "r/e{epoch}.weights.h5", "save_weights_only": True},
    ], backup={"enabled": True, "backup_dir": "backup", "save_freq": 1, "delete_checkpoint": True}),
}

INPUTS = "\n".join(",".join(f"{(i * 7 + j * 3) % 11 / 5.0 - 1.0:.2f}" for j in range(5)) for i in range(8)) + "\n"


class Checker:
    def __init__(self, cli):
        self.cli = cli
        self.verified = {}   # path -> (inode, size, mtime_ns) when last verified
        self.inspections = 0

    def final_files(self, root):
        for dirpath, _, names in os.walk(root):
            for name in names:
                if name.endswith(CHECKPOINT_SUFFIXES) and not TEMP_RE.match(name):
                    yield os.path.join(dirpath, name)

    def check_files(self, root):
        """Inspects every final-name checkpoint that changed since it was last verified."""
        problems = []
        for path in self.final_files(root):
            st = os.stat(path)
            key = (st.st_ino, st.st_size, st.st_mtime_ns)
            if self.verified.get(path) == key:
                continue
            r = subprocess.run([self.cli, "inspect", path], capture_output=True, text=True)
            self.inspections += 1
            n_vars = 0
            if r.returncode == 0:
                block = r.stdout.split("variables:\n", 1)[-1].split("optimizer:", 1)[0]
                n_vars = len([l for l in block.splitlines() if l.strip()])
            if r.returncode != 0 or n_vars != 4:
                problems.append(f"{path}: inspect exit {r.returncode}, {n_vars} variables: {r.stderr.strip()}")
            else:
                self.verified[path] = key
        return problems


def temp_files(root):
    out = []
    for dirpath, _, names in os.walk(root):
        out += [os.path.join(dirpath, n) for n in names if TEMP_RE.match(n)]
    return out


def start(cli, workdir, extra_env=None):
    env = dict(os.environ)
    env.pop("CKLAB_FAULT_INJECT", None)
    return subprocess.Popen([cli, "run", "project.json", "-q"], cwd=workdir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timed_run(cli, workdir):
    t0 = time.monotonic()
    p = start(cli, workdir)
    _, err = p.communicate()
    if p.returncode != 0:
        sys.exit(f"FAIL: uninterrupted run in {workdir} exited {p.returncode}: {err.decode()}")
    return time.monotonic() - t0


def predict(cli, model, workdir):
    with open(os.path.join(workdir, "inputs.csv"), "w") as f:
        f.write(INPUTS)
    r = subprocess.run([cli, "predict", "--model", model, "--input", "inputs.csv"], cwd=workdir,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAIL: predict {model}: {r.stderr}")
    return r.stdout


def check_resume(cli, ref, work, checker):
    """After a resumed run completed: files readable, weights equal to the reference, no leftovers."""
    failures = checker.check_files(work)
    if failures:
        return failures
    a = predict(cli, "final.keras", ref)
    b = predict(cli, "final.keras", work)
    if a != b:
        failures.append("final weights after kill/resume differ from the uninterrupted run:\n"
                        f"reference:\n{a}\nresumed:\n{b}")
    if temp_files(work):
        failures.append(f"temp files left after the completed run: {temp_files(work)[:3]}")
    if os.path.exists(os.path.join(work, "backup", "backup.weights.h5")):
        failures.append("backup file left after the completed run (delete_checkpoint=true)")
    return failures


def prepare(workdir, scenario):
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    with open(os.path.join(workdir, "project.json"), "w") as f:
        json.dump(SCENARIOS[scenario], f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("workdir")
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    ap.add_argument("--kills", type=int, default=18)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    cli = os.path.abspath(args.cli)
    work = os.path.join(os.path.abspath(args.workdir), args.scenario)
    checker = Checker(cli)
    failures = []

    # Reference: one uninterrupted run; its duration bounds the kill moments.
    ref = work + "-reference"
    prepare(ref, args.scenario)
    duration = timed_run(cli, ref)
    failures += checker.check_files(ref)

    prepare(work, args.scenario)
    kills = temps_seen = temps_left = restarts_done = rounds = 0
    finished = False
    while kills < args.kills:
        p = start(cli, work)
        time.sleep(rng.uniform(0.1, max(0.15, duration * (0.5 if args.scenario == "resume" else 0.9))))
        if p.poll() is not None:
            # Finished before the kill: fine for resume (the run is complete), else start again.
            _, err = p.communicate()
            if p.returncode != 0:
                failures.append(f"run exited {p.returncode} without a kill: {err.decode().strip()}")
                break
            if args.scenario == "resume":
                # Completed by resuming: check this round, then start a fresh one until enough kills.
                failures += check_resume(cli, ref, work, checker)
                rounds += 1
                if failures:
                    break
                prepare(work, args.scenario)
            continue
        p.send_signal(signal.SIGKILL)
        p.wait()
        kills += 1
        temps = temp_files(work)
        temps_seen += len(temps)
        failures += checker.check_files(work)
        # Temps of runs killed before this one: a run cleans a directory at its first save there.
        temps_left = max(temps_left, len([t for t in temps if int(TEMP_RE.match(os.path.basename(t)).group(1)) != p.pid]))
        if failures:
            break

    if args.scenario == "resume" and not failures:
        # Restart with the same backup directory until the run completes.
        while not finished:
            p = start(cli, work)
            _, err = p.communicate()
            restarts_done += 1
            if p.returncode != 0:
                failures.append(f"resumed run exited {p.returncode}: {err.decode().strip()}")
                break
            finished = True
        if not failures:
            failures += check_resume(cli, ref, work, checker)
            rounds += 1
    else:
        # A clean run afterwards removes what the killed runs left.
        p = start(cli, work)
        _, err = p.communicate()
        if p.returncode != 0:
            failures.append(f"run after the kills exited {p.returncode}: {err.decode().strip()}")
        failures += checker.check_files(work)
        if temp_files(work):
            failures.append(f"temp files left after a completed run: {temp_files(work)[:3]}")

    print(f"scenario {args.scenario}: seed {seed}, uninterrupted run {duration:.2f} s, {kills} kills, "
          f"{checker.inspections} files inspected, {temps_seen} temp files seen after kills, "
          f"at most {temps_left} temps of earlier kills present at a kill"
          + (f", {rounds} resumed run(s) compared with the uninterrupted one" if args.scenario == "resume" else ""))
    if failures:
        print("FAIL:\n" + "\n".join(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
