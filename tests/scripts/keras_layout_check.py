#!/usr/bin/env python3
"""Checks the checkpoint files CheckpointLab writes against the Keras layouts
(docs: file-formats) without Keras: h5py/zipfile read the structure, numpy
recomputes the forward pass and compares it with the predictions our C++ side
wrote.

Usage: keras_layout_check.py DIR
DIR holds model.weights.h5, model.keras, model.h5, arch.json, inputs.csv and
predictions.csv (written by cklab_write_keras_fixtures; with --normalized the
model has a leading Normalization layer, arch.json its mean and variance; with
--conv it is a convnet on images, arch.json has input_shape, and the forward
pass below implements Conv2D, pooling, BatchNormalization and Flatten in numpy). Exit 0 when every
check passes, 1 otherwise (each failure is printed).
"""

import io
import json
import re
import sys
import zipfile
from pathlib import Path

import h5py
import numpy as np

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
    return condition


def snake(class_name):
    s = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", s).lower()


def _window_out(n, k, stride, padding):
    return -(-n // stride) if padding == "same" else (n - k) // stride + 1


def expected_layers(arch):
    """Keras group keys (per-class counters), display names, variable shapes (Keras order) and
    which of them are trainable, with the shapes inferred layer by layer as Keras does."""
    counts, out = {}, []
    shape = list(arch.get("input_shape") or [arch["input_dim"]])
    for layer in arch["layers"]:
        base = snake(layer["class"])
        k = counts.get(base, 0)
        counts[base] = k + 1
        key = base if k == 0 else f"{base}_{k}"
        shapes, trainable, names = [], [], []
        cls = layer["class"]
        if cls == "Dense":
            shapes.append((shape[-1], layer["units"]))
            names.append("kernel")
            if layer["use_bias"]:
                shapes.append((layer["units"],))
                names.append("bias")
            shape = [layer["units"]]
        elif cls == "Conv2D":
            kh, kw = layer["kernel_size"]
            shapes.append((kh, kw, shape[2], layer["filters"]))
            names.append("kernel")
            if layer["use_bias"]:
                shapes.append((layer["filters"],))
                names.append("bias")
            shape = [_window_out(shape[0], kh, layer["strides"][0], layer["padding"]),
                     _window_out(shape[1], kw, layer["strides"][1], layer["padding"]), layer["filters"]]
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            ph, pw = layer["pool_size"]
            shape = [_window_out(shape[0], ph, layer["strides"][0], layer["padding"]),
                     _window_out(shape[1], pw, layer["strides"][1], layer["padding"]), shape[2]]
        elif cls == "BatchNormalization":
            names = (["gamma"] if layer["scale"] else []) + (["beta"] if layer["center"] else []) + \
                ["moving_mean", "moving_variance"]
            shapes = [(shape[-1],)] * len(names)
        elif cls == "Flatten":
            shape = [int(np.prod(shape))]
        trainable = [not n.startswith("moving_") for n in names]
        out.append({**layer, "key": key, "name": layer.get("name") or key, "shapes": shapes,
                    "trainable": trainable, "var_names": names})
    return out


def is_vlen_utf8_scalar(obj, attr):
    aid = h5py.h5a.open(obj.id, attr.encode())
    t = aid.get_type()
    return (isinstance(t, h5py.h5t.TypeStringID) and t.is_variable_str()
            and t.get_cset() == h5py.h5t.CSET_UTF8 and aid.shape == ())


def check_normalization_vars(v, arch, where):
    """A Normalization(axis=-1) layer as Keras 3.16 stores an adapt()ed one: mean [d] and
    variance [d] float32, count an int32 scalar."""
    n, d = arch["normalization"], arch["input_dim"]
    check(v.attrs.get("name") == "normalization", f"{where}: layers/normalization/vars name {v.attrs.get('name')!r}")
    check(sorted(v.keys()) == ["0", "1", "2"], f"{where}: layers/normalization/vars has {sorted(v.keys())}")
    for i, key in ((0, "mean"), (1, "variance")):
        ds = v.get(str(i))
        if check(ds is not None, f"{where}: layers/normalization/vars/{i} missing"):
            check(ds.shape == (d,) and ds.dtype == np.dtype("<f4"), f"{where}: normalization {key} {ds.shape} {ds.dtype}")
            check(np.allclose(ds[()], n[key]), f"{where}: normalization {key} {ds[()]} != {n[key]}")
    if "2" in v:
        check(v["2"].shape == () and v["2"].dtype == np.dtype("<i4"), f"{where}: normalization count not int32 scalar")


def check_weights_h5(f, arch, where):
    layers = expected_layers(arch)
    check(set(f.keys()) <= {"layers", "vars", "optimizer", "checkpointlab"},
          f"{where}: unexpected top-level keys {sorted(f.keys())}")
    keys = {l["key"] for l in layers} | ({"normalization"} if "normalization" in arch else set())
    check(set(f["layers"].keys()) == keys,
          f"{where}: layers/ keys {sorted(f['layers'].keys())} != {sorted(keys)}")
    if "normalization" in arch and "normalization" in f["layers"]:
        check_normalization_vars(f["layers"]["normalization"]["vars"], arch, where)
    weights = []
    for l in layers:
        g = f["layers"].get(l["key"])
        if not check(g is not None, f"{where}: missing layers/{l['key']}"):
            continue
        check(list(g.keys()) == ["vars"], f"{where}: layers/{l['key']} has {list(g.keys())}, expected only vars")
        v = g["vars"]
        check(v.attrs.get("name") == l["name"], f"{where}: layers/{l['key']}/vars name {v.attrs.get('name')!r} != {l['name']!r}")
        check(is_vlen_utf8_scalar(v, "name"), f"{where}: layers/{l['key']}/vars name is not a scalar vlen UTF-8 string")
        names = sorted(v.keys(), key=int) if all(k.isdigit() for k in v.keys()) else list(v.keys())
        check(names == [str(i) for i in range(len(l["shapes"]))],
              f"{where}: layers/{l['key']}/vars has {names}, expected {len(l['shapes'])} datasets 0..")
        for i, shape in enumerate(l["shapes"]):
            ds = v.get(str(i))
            if not check(isinstance(ds, h5py.Dataset), f"{where}: layers/{l['key']}/vars/{i} missing"):
                continue
            check(ds.shape == shape, f"{where}: layers/{l['key']}/vars/{i} shape {ds.shape} != {shape}")
            check(ds.dtype == np.dtype("<f4"), f"{where}: layers/{l['key']}/vars/{i} dtype {ds.dtype} != <f4")
            check(ds.chunks is None and ds.compression is None, f"{where}: layers/{l['key']}/vars/{i} not contiguous")
            weights.append(ds[()])
    check(len(f["vars"].keys()) == 0, f"{where}: /vars is not empty")
    check(f["vars"].attrs.get("name") == arch["name"], f"{where}: /vars name {f['vars'].attrs.get('name')!r}")
    check_optimizer(f, arch, layers, where)
    lab = f.get("checkpointlab")
    if check(lab is not None, f"{where}: /checkpointlab missing"):
        check(lab.attrs.get("format_version") == "1", f"{where}: checkpointlab format_version")
        state = json.loads(lab["training_state"][()].decode("utf-8"))
        check(state.get("note") == "fixture", f"{where}: training_state {state}")
    return weights


def check_optimizer(f, arch, layers, where):
    if not check("optimizer" in f, f"{where}: /optimizer missing"):
        return
    v = f["optimizer"]["vars"]
    # Slots belong to the trainable variables only (not BatchNormalization's moving statistics).
    shapes = [s for l in layers for s, t in zip(l["shapes"], l["trainable"]) if t]
    slot_shapes = [s for s in shapes for _ in range(2)]  # Adam: m, v per variable, interleaved
    check(v.attrs.get("name") == arch["optimizer"], f"{where}: optimizer/vars name {v.attrs.get('name')!r}")
    check(sorted(v.keys(), key=int) == [str(i) for i in range(2 + len(slot_shapes))],
          f"{where}: optimizer/vars has {sorted(v.keys())}, expected {2 + len(slot_shapes)}")
    check(v["0"].shape == () and v["0"].dtype == np.dtype("<i8"), f"{where}: optimizer/vars/0 not int64 scalar")
    check(int(v["0"][()]) == arch["iterations"], f"{where}: iterations {v['0'][()]} != {arch['iterations']}")
    check(v["1"].shape == () and v["1"].dtype == np.dtype("<f4"), f"{where}: optimizer/vars/1 not float32 scalar")
    for i, shape in enumerate(slot_shapes):
        ds = v.get(str(i + 2))
        if check(ds is not None, f"{where}: optimizer/vars/{i + 2} missing"):
            check(ds.shape == shape and ds.dtype == np.dtype("<f4"),
                  f"{where}: optimizer/vars/{i + 2} {ds.shape} {ds.dtype}, expected {shape} float32")
    # Adam's second moments are non-negative; the first slot after training is not all zero.
    if len(slot_shapes) >= 2:
        check(np.all(v["3"][()] >= 0), f"{where}: optimizer/vars/3 (velocity) has negative entries")
        check(np.any(v["2"][()] != 0), f"{where}: optimizer/vars/2 (momentum) is all zero after training")


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "softmax": lambda z: np.exp(z - z.max(axis=-1, keepdims=True)) / np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
}


def _patches(a, k, strides, padding, fill):
    """a (n, H, W, C) -> windows (n, oh, ow, kh, kw, C) and the count of real values in each."""
    n, h, w, c = a.shape
    oh, ow = _window_out(h, k[0], strides[0], padding), _window_out(w, k[1], strides[1], padding)
    ph = max((oh - 1) * strides[0] + k[0] - h, 0)
    pw = max((ow - 1) * strides[1] + k[1] - w, 0)
    padded = np.full((n, h + ph, w + pw, c), fill)
    padded[:, ph // 2:ph // 2 + h, pw // 2:pw // 2 + w] = a  # TensorFlow: the extra row/column at the end
    real = np.zeros((h + ph, w + pw))
    real[ph // 2:ph // 2 + h, pw // 2:pw // 2 + w] = 1
    win = np.empty((n, oh, ow, k[0], k[1], c))
    count = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            ys, xs = slice(i * strides[0], i * strides[0] + k[0]), slice(j * strides[1], j * strides[1] + k[1])
            win[:, i, j] = padded[:, ys, xs]
            count[i, j] = real[ys, xs].sum()
    return win, count


def forward(arch, weights, x):
    it = iter(weights)
    a = x.astype(np.float64)
    if "input_shape" in arch:  # rows hold each image in channels-last order
        a = a.reshape((len(a),) + tuple(arch["input_shape"]))
    if "normalization" in arch:  # Keras: (x - mean) / maximum(sqrt(variance), epsilon)
        n = arch["normalization"]
        a = (a - np.array(n["mean"])) / np.maximum(np.sqrt(np.array(n["variance"])), 1e-7)
    for layer in arch["layers"]:
        cls = layer["class"]
        if cls in ("Dense", "Conv2D"):
            if cls == "Dense":
                a = a @ next(it).astype(np.float64)
            else:
                win, _ = _patches(a, layer["kernel_size"], layer["strides"], layer["padding"], 0.0)
                a = np.einsum("nijabc,abcf->nijf", win, next(it).astype(np.float64))
            if layer["use_bias"]:
                a = a + next(it).astype(np.float64)
            a = ACTIVATIONS[layer["activation"]](a)
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            mx = cls == "MaxPooling2D"
            win, count = _patches(a, layer["pool_size"], layer["strides"], layer["padding"], -np.inf if mx else 0.0)
            a = win.max(axis=(3, 4)) if mx else win.sum(axis=(3, 4)) / count[None, :, :, None]
        elif cls == "BatchNormalization":  # inference: the moving statistics
            gamma = next(it).astype(np.float64) if layer["scale"] else 1.0
            beta = next(it).astype(np.float64) if layer["center"] else 0.0
            mean, var = next(it).astype(np.float64), next(it).astype(np.float64)
            a = (a - mean) / np.sqrt(var + layer["epsilon"]) * gamma + beta
        elif cls == "Flatten":
            a = a.reshape(len(a), -1)
        # Dropout is the identity at inference
    return a.reshape(len(a), -1)


def compare(where, arch, weights, x, expected):
    try:
        got = forward(arch, weights, x)
    except (ValueError, StopIteration) as e:  # layout problems were reported above
        check(False, f"{where}: forward pass impossible with the stored weights: {e}")
        return
    ok = got.shape == expected.shape and np.allclose(got, expected, atol=1e-5, rtol=1e-4)
    check(ok, f"{where}: numpy forward pass differs from our predictions "
              f"(max abs diff {np.max(np.abs(got - expected)) if got.shape == expected.shape else 'shape'})")


def check_keras(path, arch, x, expected):
    where = path.name
    with zipfile.ZipFile(path) as z:
        check(set(z.namelist()) == {"metadata.json", "config.json", "model.weights.h5"}, f"{where}: members {z.namelist()}")
        meta = json.loads(z.read("metadata.json"))
        check(re.fullmatch(r"3\.\d+\.\d+", meta.get("keras_version", "")) is not None, f"{where}: keras_version {meta}")
        check(re.fullmatch(r"\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d", meta.get("date_saved", "")) is not None, f"{where}: date_saved")
        config = json.loads(z.read("config.json"))
        check(config.get("module") == "keras" and config.get("class_name") == "Sequential", f"{where}: model object")
        check(config["config"].get("name") == arch["name"], f"{where}: model name")
        layers = config["config"]["layers"]
        batch_shape = [None] + list(arch.get("input_shape") or [arch["input_dim"]])
        check(layers[0]["class_name"] == "InputLayer" and layers[0]["config"]["batch_shape"] == batch_shape,
              f"{where}: InputLayer {layers[0]}")
        if "normalization" in arch:
            norm = layers.pop(1)
            c = norm.get("config", {})
            check(norm.get("module") == "keras.layers" and norm.get("class_name") == "Normalization"
                  and c.get("axis") == [-1] and c.get("invert") is False and c.get("mean") is None
                  and c.get("variance") is None and norm.get("build_config") == {"input_shape": [None, arch["input_dim"]]},
                  f"{where}: Normalization layer {norm}")
        for obj, want in zip(layers[1:], expected_layers(arch)):
            check(obj.get("module") == "keras.layers" and obj["class_name"] == want["class"], f"{where}: layer {obj}")
            c = obj["config"]
            check(c["name"] == want["name"], f"{where}: layer name {c['name']} != {want['name']}")
            if want["class"] == "Dense":
                check((c["units"], c["activation"], c["use_bias"]) == (want["units"], want["activation"], want["use_bias"]),
                      f"{where}: Dense config {c}")
            elif want["class"] == "Dropout":
                check(abs(c["rate"] - want["rate"]) < 1e-6, f"{where}: Dropout rate {c}")
            else:  # image layers: Keras' config keys with our values
                keys = {"Conv2D": ("filters", "kernel_size", "strides", "padding", "activation", "use_bias"),
                        "MaxPooling2D": ("pool_size", "strides", "padding"),
                        "AveragePooling2D": ("pool_size", "strides", "padding"),
                        "BatchNormalization": ("center", "scale")}.get(want["class"], ())
                check(all(c.get(k) == want[k] for k in keys), f"{where}: {want['class']} config {c}")
                if want["class"] in ("Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten"):
                    check(c.get("data_format") == "channels_last", f"{where}: {want['class']} data_format {c}")
                if want["class"] == "BatchNormalization":
                    check(c.get("axis") == -1 and abs(c["momentum"] - want["momentum"]) < 1e-6
                          and abs(c["epsilon"] - want["epsilon"]) < 1e-9, f"{where}: BatchNormalization config {c}")
        check(len(layers) == len(arch["layers"]) + 1, f"{where}: {len(layers)} layer objects")
        cc = config.get("compile_config", {})
        opt = cc.get("optimizer", {})
        check(opt.get("module") == "keras.optimizers" and opt.get("class_name") == "Adam", f"{where}: optimizer {opt}")
        check(cc.get("loss") == "categorical_crossentropy" and cc.get("metrics") == ["accuracy"], f"{where}: compile_config {cc}")
        with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
            weights = check_weights_h5(f, arch, where + ":model.weights.h5")
    compare(where, arch, weights, x, expected)


def as_text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def check_legacy(path, arch, x, expected):
    where = path.name
    layers = expected_layers(arch)
    with h5py.File(path, "r") as f:
        for key in ("keras_version", "backend", "model_config", "training_config"):
            check(key in f.attrs, f"{where}: root attribute {key} missing")
        model = json.loads(as_text(f.attrs["model_config"]))
        check(model.get("class_name") == "Sequential", f"{where}: model_config class {model.get('class_name')}")
        front = ["Normalization"] if "normalization" in arch else []
        check([l["class_name"] for l in model["config"]["layers"]] == ["InputLayer"] + front + [l["class"] for l in layers],
              f"{where}: model_config layers")
        training = json.loads(as_text(f.attrs["training_config"]))
        check(training.get("loss") == "categorical_crossentropy", f"{where}: training_config loss")
        check(training.get("optimizer_config", {}).get("class_name") == "Adam", f"{where}: optimizer_config")
        mw = f["model_weights"]
        names = [as_text(n) for n in mw.attrs["layer_names"]]
        check(names == (["normalization"] if front else []) + [l["name"] for l in layers], f"{where}: layer_names {names}")
        if front:
            g = mw["normalization"]
            wn = [as_text(n) for n in g.attrs["weight_names"]]
            check(wn == ["normalization/mean:0", "normalization/variance:0", "normalization/count:0"],
                  f"{where}: normalization weight_names {wn}")
            for n, key in zip(wn, ("mean", "variance")):
                check(np.allclose(g[n][()], arch["normalization"][key]), f"{where}: normalization {key}")
        weights = []
        for l in layers:
            g = mw[l["name"]]
            wn = [as_text(n) for n in g.attrs["weight_names"]]
            want = [f"{l['name']}/{n}:0" for n in l["var_names"]]
            check(wn == want, f"{where}: {l['name']} weight_names {wn} != {want}")
            for n, shape in zip(wn, l["shapes"]):
                ds = g[n]
                check(ds.shape == shape and ds.dtype == np.dtype("<f4"), f"{where}: {l['name']}/{n} {ds.shape} {ds.dtype}")
                weights.append(ds[()])
        ow = f["optimizer_weights"]
        onames = [as_text(n) for n in ow.attrs["weight_names"]]
        n_vars = sum(sum(l["trainable"]) for l in layers)
        check(len(onames) == 2 + 2 * n_vars, f"{where}: {len(onames)} optimizer weights")
        check(all(n in ow for n in onames), f"{where}: optimizer weight datasets missing")
    compare(where, arch, weights, x, expected)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 1
    d = Path(sys.argv[1])
    arch = json.loads((d / "arch.json").read_text())
    x = np.loadtxt(d / "inputs.csv", delimiter=",", ndmin=2)
    expected = np.loadtxt(d / "predictions.csv", delimiter=",", ndmin=2)
    with h5py.File(d / "model.weights.h5", "r") as f:
        weights = check_weights_h5(f, arch, "model.weights.h5")
    compare("model.weights.h5", arch, weights, x, expected)
    check_keras(d / "model.keras", arch, x, expected)
    check_legacy(d / "model.h5", arch, x, expected)
    for message in FAILURES:
        print("FAIL:", message)
    print(f"keras_layout_check: {'OK' if not FAILURES else f'{len(FAILURES)} problem(s)'}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
