#!/usr/bin/env python3
"""Loads the files CheckpointLab wrote into real Keras; a manual check, not a CTest test.

    CKLAB_KERAS_EXPORT=/tmp/ours build/tests/TestKerasInterop
    KERAS_BACKEND=numpy PYTHONPATH=<keras source>:<site> python3 tests/data/keras/load_ours_in_keras.py /tmp/ours

For every NAME.json (inputs and our predictions) next to NAME.keras / NAME.weights.h5 / NAME.h5:
.keras and .h5 go through keras.saving.load_model (compiled, optimizer state restored),
.weights.h5 into the model of NAME.keras via load_weights (optimizer included). Every warning
Keras gives (warnings and logged warnings, but for two it gives on its own files too) is a
failure, and so is a prediction that differs from ours by more than 1e-5. For a NAME.json with
"weights" (our convnets: the numpy backend cannot run conv layers without jax) Keras' model.weights
(trainable and non-trainable, Keras order) are compared with ours instead of predictions.
Exit 0 when all files load cleanly.
"""

import json
import logging
import sys
import warnings
from pathlib import Path

sys.dont_write_bytecode = True  # keep tests/data/keras free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import write_fixtures  # noqa: E402,F401  (the jax stubs the numpy backend needs)

import keras  # noqa: E402
import numpy as np  # noqa: E402


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


# Keras says this about every compiled model it loads, its own files included.
BENIGN = ("compiled metrics have yet to be built", "No training configuration found")


def check(path, load, info, failures):
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = load()
            except Exception as e:  # noqa: BLE001
                failures.append(f"{path.name}: Keras refused it: {type(e).__name__}: {e}")
                return
    finally:
        logging.getLogger().removeHandler(recorder)
    for message in [str(w.message) for w in caught] + recorder.messages:
        if not any(b in message for b in BENIGN):
            failures.append(f"{path.name}: Keras warned: {message}")
    if "weights" in info:  # a convnet: Keras' numpy backend cannot predict it, compare model.weights
        ours = info["weights"]
        if len(ours) != len(model.weights):
            failures.append(f"{path.name}: Keras has {len(model.weights)} weights, we wrote {len(ours)}")
            return
        diff = max(float(np.max(np.abs(np.asarray(v).ravel() - np.asarray(w, dtype="float32"))))
                   for v, w in zip(model.weights, ours))
    else:
        got = model.predict(np.array(info["inputs"], dtype="float32"), verbose=0)
        diff = float(np.max(np.abs(got - np.array(info["predictions"]))))
    opt = getattr(model, "optimizer", None)
    slots = f", optimizer {opt.name} iterations {int(opt.iterations.numpy())} with {len(opt.variables) - 2} slots" \
        if opt is not None and model.compiled else ", uncompiled"
    print(f"{path.name}: loaded{slots}, max |Keras - ours| = {diff:.2e}")
    if diff > 1e-5:
        failures.append(f"{path.name}: predictions differ by {diff}")


def main():
    d = Path(sys.argv[1])
    failures = []
    for info_path in sorted(d.glob("*.json")):
        info = json.loads(info_path.read_text())
        name = info_path.stem
        for suffix in (".keras", ".h5"):
            p = d / (name + suffix)
            if p.exists():
                check(p, lambda p=p: keras.saving.load_model(p), info, failures)
        p = d / (name + ".weights.h5")
        if p.exists():
            def load(p=p):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # only the weights file is under test here
                    model = keras.saving.load_model(d / (name + ".keras"))
                model.load_weights(p)
                return model
            check(p, load, info, failures)
    for f in failures:
        print("FAIL:", f)
    print(f"{keras.__version__}: {'OK' if not failures else f'{len(failures)} problem(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
