#!/usr/bin/env python3
"""Layer test (issue 18): fails on any include that goes against tests/scripts/layers.txt.

usage: layer_check.py <source root> [layers file]
       layer_check.py --self-test     (builds a small tree with a back-edge; it must be caught)

Prints one line per offending include, "file:line: text -- reason", and exits 1 if any.
"""
import pathlib
import re
import sys
import tempfile

FAMILIES = {
    "qt": re.compile(r"^Q[A-Za-z]|^qt[a-z]*/|^Qt"),
    "cli11": re.compile(r"^CLI/"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc", ".inl"}
# Top folders whose paths an include may name; anything else ("moc_X.cpp", "gemm/Y.h") is local.
ROOTED = ("core/", "cli/", "ui/", "app/", "tests/", "bench/", "examples/", "resources/")


def read_layers(path):
    layers = []  # (folder, level, families)
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) < 2 or not line[0].isdigit():
            sys.exit(f"{path}:{number}: expected '<level> <folder> [families]', got {raw!r}")
        unknown = [f for f in line[2:] if f not in FAMILIES]
        if unknown:
            sys.exit(f"{path}:{number}: unknown header family {unknown[0]!r} (known: {', '.join(FAMILIES)})")
        layers.append((line[1].rstrip("/"), int(line[0]), set(line[2:])))
    # Longest prefix first, so that a deeper folder would win over its parent.
    return sorted(layers, key=lambda layer: -len(layer[0]))


def layer_of(rel, layers):
    for folder, level, families in layers:
        if rel == folder or rel.startswith(folder + "/"):
            return folder, level, families
    return None


def check(root, layers):
    problems = []
    # A source file in a folder that the list forgot would escape every rule: name it.
    for top in sorted({folder.split("/")[0] for folder, _, _ in layers}):
        for path in sorted((root / top).rglob("*")) if (root / top).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if path.suffix in SOURCE_SUFFIXES and path.is_file() and layer_of(rel, layers) is None:
                problems.append(f"{rel}:1: -- {rel.rsplit('/', 1)[0]} is in no layer of layers.txt")
    for folder, level, families in sorted(layers, key=lambda layer: (layer[1], layer[0])):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            own = layer_of(rel, layers)
            if own is None or own[0] != folder:
                continue  # belongs to a deeper listed folder, checked there
            for number, text in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(text)
                if not m:
                    continue
                target = m.group(2)
                where = f"{rel}:{number}: {text.strip()} -- "
                family = next((name for name, rx in FAMILIES.items() if rx.search(target)), None)
                if m.group(1) == "<":
                    if family and family not in families:
                        problems.append(where + f"{folder} may not include {family} headers")
                    continue
                if not target.startswith(ROOTED):
                    continue
                dest = layer_of(target, layers)
                if dest is None:
                    problems.append(where + f"{'/'.join(target.split('/')[:2])} is in no layer of layers.txt")
                elif dest[0] != folder and dest[1] >= level:
                    problems.append(where + f"{folder} (level {level}) may not include "
                                    f"{dest[0]} (level {dest[1]}); only lower levels")
    return problems


def self_test(layers_file):
    layers = read_layers(layers_file)
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        files = {
            "core/base/Fine.h": '#include <string>\n#include "core/base/Other.h"\n',
            "core/nn/gemm/Kernel.cpp": '#include "core/nn/Tensor.h"\n#include "core/base/Fine.h"\n',
            "core/base/Back.h": '#pragma once\n#include "core/train/Trainer.h"\n',
            "core/io/Qt.cpp": "#include <QString>\n",
            "core/project/Cli.cpp": "#include <CLI/CLI.hpp>\n",
            "cli/Peer.cpp": '#include "ui/main/MainWindow.h"\n',
            "ui/Harness.cpp": '#include "tests/support/TempDir.h"\n',
            "core/stray/Lost.cpp": '#include "core/base/Fine.h"\n',
            "app/main.cpp": '#include <QApplication>\n#include "ui/main/MainWindow.h"\n#include "cli/CliMain.h"\n',
        }
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        got = check(root, layers)
        expected = ["core/base/Back.h:2:", "core/io/Qt.cpp:1:", "core/project/Cli.cpp:1:",
                    "cli/Peer.cpp:1:", "ui/Harness.cpp:1:", "core/stray/Lost.cpp:1:"]
        ok = len(got) == len(expected) and all(any(p.startswith(e) for p in got) for e in expected)
        for p in got:
            print("  found:", p)
        if not ok:
            print(f"self-test FAILED: expected exactly {expected}")
            return 1
        print(f"self-test passed: {len(got)} planted violations found, clean files accepted")
        return 0


def main(argv):
    here = pathlib.Path(__file__).resolve().parent
    if len(argv) >= 2 and argv[1] == "--self-test":
        return self_test(pathlib.Path(argv[2]) if len(argv) > 2 else here / "layers.txt")
    if len(argv) < 2:
        print(__doc__)
        return 2
    root = pathlib.Path(argv[1])
    layers_file = pathlib.Path(argv[2]) if len(argv) > 2 else here / "layers.txt"
    problems = check(root, read_layers(layers_file))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layer order of {layers_file}")
        return 1
    print(f"layers ok: every include of {', '.join(f for f, _, _ in sorted(read_layers(layers_file), key=lambda l: l[1]))} goes down")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
