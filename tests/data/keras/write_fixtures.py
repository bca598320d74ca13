#!/usr/bin/env python3
"""Writes the Keras-made fixtures CheckpointLab's readers are tested against.

Written with Keras 3.16.0, source commit 3422977a5e38fb2f7709aaa9a08e47f0c43d0f60,
numpy backend (h5py 3.7.0, numpy 1.24.2). Run from anywhere:

    KERAS_BACKEND=numpy PYTHONPATH=<keras source>:<site with ml_dtypes, optree> \
        python3 tests/data/keras/write_fixtures.py

The numpy backend needs no jax for what we use; the jax modules it imports are stubbed below.
It cannot compute gradients, so optimizer state comes from optimizer.apply() with fixed
pseudo-random gradients (3 steps): slots are non-zero and the weights have moved.

For each case NAME it writes NAME.keras, NAME.weights.h5 and NAME.h5 (legacy, model.save) and
an entry in expected.json: the layers, the inputs, Keras' predictions for them and what the
optimizer stores (name, iterations, slot shapes in Keras order). fun_branching.keras is a
Functional graph that forks and joins, which our reader refuses. seq_norm_adam and
fun_norm_uncompiled start with a Normalization(axis=-1) layer adapt()ed to raw features (their
inputs are on that raw scale); `--only-norm` rewrites just those two. The tests never run Keras.

conv_* (issue 17) are small convnets on 8x8x2 images. The numpy backend's conv and pooling call
jax, so Keras can build and save them but not predict: their "predictions" come from
numpy_forward() below, an independent numpy implementation of the layers (TensorFlow's same
padding, average pooling over the values inside the window, BatchNormalization with its moving
statistics), run on the weights Keras holds. `--only-conv` rewrites just those.
"""

import json
import os
import sys
import types
from pathlib import Path


def _stub(name, **attrs):
    m = types.ModuleType(name)

    def __getattr__(attr):
        raise AttributeError(f"{name}.{attr}: jax is not installed (stub)")

    m.__getattr__ = __getattr__
    for k, v in attrs.items():
        setattr(m, k, v)
    sys.modules[name] = m
    return m


def _no_fft(*a, **k):
    raise NotImplementedError("fft needs jax")


_stub("jax", lax=_stub("jax.lax"), monitoring=types.SimpleNamespace(record_scalar=lambda *a, **k: None))
_stub("keras.src.backend.jax.math", fft=_no_fft, fft2=_no_fft)
_stub("keras.src.backend.jax.ops.math", fft=_no_fft, fft2=_no_fft)

import numpy as np  # noqa: E402
import keras  # noqa: E402
import warnings  # noqa: E402

OUT = Path(__file__).resolve().parent
INPUT_DIM = 4


def layers_sequential():
    return [keras.layers.Dense(6, activation="relu"),
            keras.layers.Dropout(0.25),
            keras.layers.Dense(5, activation="tanh", use_bias=False),
            keras.layers.Dense(3, activation="softmax")]


def layers_functional():
    return [keras.layers.Dense(5, activation="sigmoid", name="hidden"),
            keras.layers.Dropout(0.5, name="drop"),
            keras.layers.Dense(4, activation="elu", use_bias=False),
            keras.layers.Dense(2, activation="linear", name="out")]


def adapted_normalization(rng):
    """Normalization(axis=-1) adapted to raw features of very different scales."""
    layer = keras.layers.Normalization(axis=-1)
    raw = rng.normal([10.0, -3.0, 0.5, 200.0], [4.0, 0.5, 0.1, 50.0], (64, INPUT_DIM)).astype("float32")
    layer.adapt(raw)
    return layer


def build(kind, norm=None):
    front = [norm] if norm is not None else []
    if kind == "sequential":
        return keras.Sequential([keras.Input((INPUT_DIM,))] + front + layers_sequential(), name="seq")
    x = inputs = keras.Input((INPUT_DIM,), name="features")
    for layer in front + layers_functional():
        x = layer(x)
    return keras.Model(inputs, x, name="chain")


OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=0.05),
    "sgd_momentum": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    "sgd_nesterov": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.8, nesterov=True),
    "adam": lambda: keras.optimizers.Adam(learning_rate=0.01),
    "adamw": lambda: keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.01),
    "rmsprop_momentum": lambda: keras.optimizers.RMSprop(learning_rate=0.01, momentum=0.5),
}

# (case name, model kind, optimizer key or None for an uncompiled model, loss)
CASES = [
    ("seq_uncompiled", "sequential", None, None),
    ("seq_sgd", "sequential", "sgd", "categorical_crossentropy"),
    ("seq_sgd_nesterov", "sequential", "sgd_nesterov", "categorical_crossentropy"),
    ("seq_adam", "sequential", "adam", "categorical_crossentropy"),
    ("seq_adamw", "sequential", "adamw", "categorical_crossentropy"),
    ("seq_rmsprop_momentum", "sequential", "rmsprop_momentum", "categorical_crossentropy"),
    ("fun_uncompiled", "functional", None, None),
    ("fun_adam", "functional", "adam", "mse"),
    ("fun_rmsprop_momentum", "functional", "rmsprop_momentum", "mse"),
    ("fun_sgd_momentum", "functional", "sgd_momentum", "mse"),
]
# A Normalization(axis=-1) layer adapted to raw data in front (issue 15); inputs on the raw scale.
NORM_CASES = [
    ("seq_norm_adam", "sequential", "adam", "categorical_crossentropy"),
    ("fun_norm_uncompiled", "functional", None, None),
]


def describe(model):
    out = []
    for layer in model.layers:
        c = layer.get_config()
        entry = {"class": layer.__class__.__name__, "name": layer.name}
        if "units" in c:
            entry.update(units=c["units"], activation=c["activation"], use_bias=c["use_bias"])
        if "rate" in c:
            entry["rate"] = c["rate"]
        if entry["class"] == "Normalization":
            entry.update(mean=np.asarray(layer.mean).ravel().tolist(), variance=np.asarray(layer.variance).ravel().tolist())
        out.append(entry)
    return out


def write_case(name, kind, opt_key, loss, rng, norm=False):
    keras.backend.clear_session()  # layer names restart at "dense" for every case
    keras.utils.set_random_seed(len(name) * 7919)
    model = build(kind, adapted_normalization(rng) if norm else None)
    entry = {"model": kind, "layers": describe(model), "compiled": opt_key is not None}
    if opt_key is not None:
        optimizer = OPTIMIZERS[opt_key]()
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"] if kind == "sequential" else ["mae"])
        optimizer.build(model.trainable_variables)
        for _ in range(3):
            grads = [rng.normal(0.0, 0.5, v.shape).astype("float32") for v in model.trainable_variables]
            optimizer.apply(grads, model.trainable_variables)
        entry["optimizer"] = {
            "key": opt_key,
            "class": optimizer.__class__.__name__,
            "iterations": int(optimizer.iterations.numpy()),
            "learning_rate": float(optimizer.learning_rate.numpy()),
            "slot_shapes": [list(v.shape) for v in optimizer.variables[2:]],
        }
        entry["loss"] = loss
    x = rng.uniform(-2.0, 2.0, (5, INPUT_DIM)).astype("float32")
    if norm:
        x = (x * np.array([4.0, 0.5, 0.1, 50.0]) + np.array([10.0, -3.0, 0.5, 200.0])).astype("float32")
    entry["inputs"] = x.tolist()
    entry["predictions"] = model.predict(x, verbose=0).astype("float64").tolist()
    model.save(OUT / f"{name}.keras")
    model.save_weights(OUT / f"{name}.weights.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import logging
        logging.getLogger("absl").setLevel(logging.ERROR)
        model.save(OUT / f"{name}.h5")
    return entry


def write_branching():
    """A graph we refuse: "a" feeds "b" and "c", which "join" concatenates (.keras only)."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(3)
    inputs = keras.Input((3,), name="x")
    a = keras.layers.Dense(4, activation="relu", name="a")(inputs)
    b = keras.layers.Dense(2, name="b")(a)
    c = keras.layers.Dense(2, name="c")(a)
    joined = keras.layers.Concatenate(name="join")([b, c])
    model = keras.Model(inputs, keras.layers.Dense(1, name="out")(joined), name="branching")
    model.save(OUT / "fun_branching.keras")
    return {"model": "functional", "refused": True}


IMAGE_SHAPE = (8, 8, 2)


def conv_layers(kind):
    L = keras.layers
    if kind == "conv_pool":
        return [L.Conv2D(4, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Conv2D(5, (2, 3), strides=(2, 1), padding="same", activation="tanh"),
                L.BatchNormalization(),
                L.AveragePooling2D(2, padding="same"),
                L.Flatten(),
                L.Dropout(0.25),
                L.Dense(3, activation="softmax")]
    return [L.Conv2D(6, 3, padding="same", activation="elu", use_bias=False),
            L.BatchNormalization(center=False),
            L.MaxPooling2D(3, strides=2, padding="same"),
            L.Reshape((-1, 6)),
            L.Reshape((4, 4, 6)),
            L.GlobalAveragePooling2D(),
            L.Dense(4, activation="sigmoid")]


def _pad_same(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2


def _windows(x, k, s, padding, fill):
    """x (n, H, W, C) -> (n, outH, outW, kh, kw, C) patches and a validity mask (outH, outW, kh, kw)."""
    n, h, w, c = x.shape
    if padding == "same":
        oh, top, bottom = _pad_same(h, k[0], s[0])
        ow, left, right = _pad_same(w, k[1], s[1])
    else:
        oh, top, bottom = (h - k[0]) // s[0] + 1, 0, 0
        ow, left, right = (w - k[1]) // s[1] + 1, 0, 0
    xp = np.full((n, h + top + bottom, w + left + right, c), fill, dtype=np.float64)
    xp[:, top:top + h, left:left + w, :] = x
    valid = np.zeros((h + top + bottom, w + left + right))
    valid[top:top + h, left:left + w] = 1
    patches = np.empty((n, oh, ow, k[0], k[1], c))
    mask = np.empty((oh, ow, k[0], k[1]))
    for i in range(oh):
        for j in range(ow):
            patches[:, i, j] = xp[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1], :]
            mask[i, j] = valid[i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
    return patches, mask


def _activate(z, name):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert name == "linear", name
    return z


def numpy_forward(model, x):
    """Inference of a Sequential convnet in float64 numpy, written from the layers' definitions."""
    a = x.astype(np.float64)
    for layer in model.layers:
        c = layer.get_config()
        w = [np.asarray(v, dtype=np.float64) for v in layer.get_weights()]
        cls = layer.__class__.__name__
        if cls == "Conv2D":
            patches, _ = _windows(a, c["kernel_size"], c["strides"], c["padding"], 0.0)
            z = np.einsum("nijabc,abcf->nijf", patches, w[0])
            if c["use_bias"]:
                z = z + w[1]
            a = _activate(z, c["activation"])
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            fill = -np.inf if cls == "MaxPooling2D" else 0.0
            patches, mask = _windows(a, c["pool_size"], c["strides"], c["padding"], fill)
            if cls == "MaxPooling2D":
                a = patches.max(axis=(3, 4))
            else:
                a = patches.sum(axis=(3, 4)) / mask.sum(axis=(2, 3))[None, :, :, None]
        elif cls == "BatchNormalization":
            i = 0
            gamma = w[i] if c["scale"] else 1.0
            i += int(c["scale"])
            beta = w[i] if c["center"] else 0.0
            i += int(c["center"])
            mean, var = w[i], w[i + 1]
            a = (a - mean) / np.sqrt(var + c["epsilon"]) * gamma + beta
        elif cls == "GlobalAveragePooling2D":
            a = a.mean(axis=(1, 2))
        elif cls == "Flatten":
            a = a.reshape(a.shape[0], -1)
        elif cls == "Reshape":
            a = a.reshape((a.shape[0],) + tuple(c["target_shape"]))
        elif cls == "Dropout":
            pass
        elif cls == "Dense":
            z = a @ w[0] + (w[1] if c["use_bias"] else 0.0)
            a = _activate(z, c["activation"])
        else:
            raise SystemExit(f"numpy_forward: no {cls}")
    return a.reshape(a.shape[0], -1)


# (case name, layers, optimizer key or None, loss)
CONV_CASES = [
    ("conv_pool_adam", "conv_pool", "adam", "categorical_crossentropy"),
    ("conv_gap_uncompiled", "conv_gap", None, None),
    ("conv_gap_rmsprop_momentum", "conv_gap", "rmsprop_momentum", "binary_crossentropy"),
]


def write_conv_case(name, kind, opt_key, loss, rng):
    keras.backend.clear_session()
    keras.utils.set_random_seed(len(name) * 104729)
    model = keras.Sequential([keras.Input(IMAGE_SHAPE)] + conv_layers(kind), name="convnet")
    # Moving statistics and gamma/beta away from their initial values, so that a reader that
    # mixes up the order of BatchNormalization's variables fails.
    for layer in model.layers:
        if layer.__class__.__name__ == "BatchNormalization":
            for v in layer.weights:
                low = 0.5 if "variance" in v.path or "gamma" in v.path else -1.0
                v.assign(rng.uniform(low, 1.5, v.shape).astype("float32"))
    entry = {"model": "sequential", "layers": describe(model), "compiled": opt_key is not None,
             "input_shape": list(IMAGE_SHAPE), "predictions_from": "numpy_forward"}
    if opt_key is not None:
        optimizer = OPTIMIZERS[opt_key]()
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
        optimizer.build(model.trainable_variables)
        for _ in range(3):
            grads = [rng.normal(0.0, 0.5, v.shape).astype("float32") for v in model.trainable_variables]
            optimizer.apply(grads, model.trainable_variables)
        entry["optimizer"] = {
            "key": opt_key,
            "class": optimizer.__class__.__name__,
            "iterations": int(optimizer.iterations.numpy()),
            "learning_rate": float(optimizer.learning_rate.numpy()),
            "slot_shapes": [list(v.shape) for v in optimizer.variables[2:]],
        }
        entry["loss"] = loss
    x = rng.uniform(0.0, 1.0, (3,) + IMAGE_SHAPE).astype("float32")
    entry["inputs"] = x.reshape(len(x), -1).tolist()  # rows in channels-last order
    entry["predictions"] = numpy_forward(model, x).tolist()
    entry["weight_shapes"] = [list(v.shape) for v in model.weights]
    model.save(OUT / f"{name}.keras")
    model.save_weights(OUT / f"{name}.weights.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import logging
        logging.getLogger("absl").setLevel(logging.ERROR)
        model.save(OUT / f"{name}.h5")
    return entry


def main():
    """All cases; with --only-norm just the Normalization cases, with --only-conv just the
    convnets, merged into expected.json (the other fixtures keep their bytes)."""
    if "--only-conv" in sys.argv:
        expected = json.loads((OUT / "expected.json").read_text())
    elif "--only-norm" in sys.argv:
        expected = json.loads((OUT / "expected.json").read_text())
    else:
        rng = np.random.default_rng(15)
        expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": {}}
        for name, kind, opt_key, loss in CASES:
            expected["cases"][name] = write_case(name, kind, opt_key, loss, rng)
        expected["cases"]["fun_branching"] = write_branching()
    if "--only-conv" not in sys.argv:
        rng = np.random.default_rng(1515)
        for name, kind, opt_key, loss in NORM_CASES:
            expected["cases"][name] = write_case(name, kind, opt_key, loss, rng, norm=True)
    rng = np.random.default_rng(1717)
    for name, kind, opt_key, loss in CONV_CASES:
        expected["cases"][name] = write_conv_case(name, kind, opt_key, loss, rng)
    with open(OUT / "expected.json", "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"wrote {len(expected['cases'])} cases to {OUT}")


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    main()
