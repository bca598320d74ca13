#!/usr/bin/env python3
"""Layer test (issue 18): fails on any include that goes against tests/scripts/layers.txt, and on
any declaration of a layer's file outside the layer's namespace (ns=... in layers.txt).

usage: layer_check.py <source root> [layers file]
       layer_check.py --self-test     (builds a small tree with planted violations; all must be caught)

Prints one line per offending include or declaration, "file:line: text -- reason", and exits 1
if any.
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
    """[(folder, level, families)], longest folder first; namespaces() reads the ns= entries."""
    return [(folder, level, families) for folder, level, families, _ in read_layer_lines(path)]


def read_layer_lines(path):
    layers = []  # (folder, level, families, namespace or None)
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) < 2 or not line[0].isdigit():
            sys.exit(f"{path}:{number}: expected '<level> <folder> [families] [ns=namespace]', got {raw!r}")
        spaces = [f[3:] for f in line[2:] if f.startswith("ns=")]
        words = [f for f in line[2:] if not f.startswith("ns=")]
        unknown = [f for f in words if f not in FAMILIES]
        if unknown:
            sys.exit(f"{path}:{number}: unknown header family {unknown[0]!r} (known: {', '.join(FAMILIES)})")
        if len(spaces) > 1 or any(not re.fullmatch(r"[A-Za-z_]\w*(::[A-Za-z_]\w*)*", n) for n in spaces):
            sys.exit(f"{path}:{number}: expected one ns=name::name, got {raw!r}")
        layers.append((line[1].rstrip("/"), int(line[0]), set(words), spaces[0] if spaces else None))
    # Longest prefix first, so that a deeper folder would win over its parent.
    return sorted(layers, key=lambda layer: -len(layer[0]))


def namespaces(path):
    """{folder: namespace} of the layers that name one."""
    return {folder: space for folder, _, _, space in read_layer_lines(path) if space}


# --- Namespaces -------------------------------------------------------------------------------
# A file of a layer with ns=N declares its own names only inside N (or a namespace nested in N).
# Allowed outside N: preprocessor lines; forward declarations of other libraries' classes
# ("class QLabel;", "template <typename T> class QFutureWatcher;"), also inside another
# namespace's block ("namespace CLI { class App; }", "namespace cklab { struct RunInfo; }");
# namespace aliases; Qt's metatype declarations, which must be at global scope.
TOKEN = re.compile(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*|::|\S")
FORWARD = re.compile(r"^(?:template\s*<[^;{}]*>\s*)?(?:class|struct)\s+[A-Za-z_]\w*\s*;$")
GLOBAL_MACROS = ("Q_DECLARE_METATYPE", "Q_DECLARE_TYPEINFO", "Q_DECLARE_INTERFACE")


def strip_code(text):
    """The text with comments, string and character literals and preprocessor lines blanked,
    newlines kept (so offsets still give line numbers)."""
    out, i, n = [], 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            j = i
            while j < n and (text[j] != "\n" or text[j - 1] == "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        raw = re.match(r'R"([^(]*)\(', text[i:i + 20])
        if raw:
            j = text.find(")" + raw.group(1) + '"', i)
            j = n if j < 0 else j + len(raw.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
            continue
        out.append(c)
        at_line_start = c == "\n" or (at_line_start and c in " \t")
        i += 1
    return "".join(out)


def foreign_specialization(words):
    """`template <> struct fmt::formatter<...>`: another library's template, specialised where
    that library looks for it."""
    return len(words) > 4 and words[:3] == ["template", "<", ">"] and words[3] in ("struct", "class") \
        and "::" in words[4]


def defined_classes(text):
    """Names of the classes and structs `text` defines (with a body or a base list)."""
    return set(re.findall(r"\b(?:class|struct)\s+([A-Za-z_]\w*)\s*(?:final\s*)?[:{]", strip_code(text)))


def namespace_problems(rel, text, space, own_classes=frozenset()):
    """Declarations of `text` (file `rel`) that are not inside namespace `space`. A forward
    declaration at global scope is refused too when it names one of `own_classes` (the layer's
    own: it would declare a second, global class of that name)."""
    code = strip_code(text)
    problems = []
    stack = []       # one entry per open brace: the namespace it opens, or None for other braces
    statement = []   # tokens of the statement being read at namespace scope, with their offsets

    def current():
        names = [s for s in stack if s is not None]
        return "::".join(names) if len(names) == len(stack) else None  # None: inside a body

    def inside(name):
        return name == space or name.startswith(space + "::")

    def report(offset, what):
        line = code.count("\n", 0, offset) + 1
        problems.append(f"{rel}:{line}: {what} -- declared outside namespace {space}")

    for m in TOKEN.finditer(code):
        tok = m.group(0)
        scope = current()
        if scope is None:  # inside a function, class or initializer: only track braces
            if tok == "{":
                stack.append(None)
            elif tok == "}":
                stack.pop()
            continue
        if tok == "{":
            words = [t for t, _ in statement]
            if words[:1] == ["namespace"] and len(words) <= 2:
                name = words[1] if len(words) == 2 else "(anonymous)"
                stack.append(scope + "::" + name if scope else name)
            elif words[:2] == ["extern", '"C"'] or words == ["extern"]:
                stack.append(scope)
            else:
                if not inside(scope) and words and not foreign_specialization(words):
                    report(statement[0][1], " ".join(words[:6]))
                stack.append(None)
            statement = []
        elif tok == "}":
            if stack:
                stack.pop()
            statement = []
        elif tok == ";":
            words = [t for t, _ in statement]
            text_of = " ".join(words) + " ;"
            # An own class's name may be forward-declared in another library's block (that names
            # the other library's class), but not at global scope (a second, global class).
            forward = FORWARD.match(text_of.replace(" ;", ";")) and (scope or words[-1] not in own_classes)
            allowed = (inside(scope) or not words or forward
                       or (words[0] == "namespace" and "=" in words)
                       or (not scope and words[0] in GLOBAL_MACROS))
            if not allowed:
                report(statement[0][1], " ".join(words[:6]))
            statement = []
        elif tok == ")" and statement and statement[0][0] in GLOBAL_MACROS and not scope:
            statement.append((tok, m.start()))
            # Q_DECLARE_METATYPE(T) needs no semicolon: the statement ends at its parenthesis.
            depth = sum(1 if t == "(" else -1 if t == ")" else 0 for t, _ in statement)
            if depth == 0:
                statement = []
        else:
            statement.append((tok, m.start()))
    return problems


def check_namespaces(root, layers_file):
    problems = []
    layers = read_layers(layers_file)
    for folder, space in sorted(namespaces(layers_file).items()):
        base = root / folder
        if not base.is_dir():
            continue
        files = {}
        for path in sorted(base.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            own = layer_of(rel, layers)
            if own is not None and own[0] == folder:
                files[rel] = path.read_text(errors="replace")
        own_classes = set().union(*map(defined_classes, files.values())) if files else set()
        for rel, text in files.items():
            problems += namespace_problems(rel, text, space, own_classes)
    return problems


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
        spaced = {
            # clean: Qt forward declarations, another library's forward block, an alias, the
            # layer's namespace and nested ones, Qt's global metatype macro.
            "ui/forms/Clean.h": "#pragma once\nclass QLabel;\ntemplate <typename T>\nclass QFutureWatcher;\n"
                                "namespace cklab {\nstruct RunInfo;\n} // namespace cklab\n"
                                "namespace cklab::ui {\nclass Form : public QWidget {\n    void f() { int x{1}; }\n};\n"
                                "namespace {\nint helper() { return 1; }\n}\n} // namespace cklab::ui\n"
                                "namespace cklab::ui::palette {\nint colour(int i);\n}\n"
                                "Q_DECLARE_METATYPE(cklab::ui::Form)\n",
            "ui/forms/Clean.cpp": '#include "ui/forms/Clean.h"\nnamespace fs = std::filesystem;\n'
                                  '// class Global { };\n/* struct Loose { }; */\n' +
                                  'namespace cklab::ui {\nconst char* s = "} class X {";\n}\n'
                                  'template <>\nstruct fmt::formatter<cklab::ui::Form> {\n};\n',
            # violations: a class at global scope, a function in the parent namespace, a
            # definition in another namespace, an anonymous namespace outside.
            "ui/forms/Global.h": "#pragma once\nclass ErrorLabel : public QLabel {\n};\n",
            "ui/forms/Parent.cpp": "namespace cklab {\nvoid markField(QWidget* w) { w->show(); }\n}\n",
            "ui/forms/Other.cpp": "namespace cklab {\nstruct RunInfo { int x; };\n}\n",
            "ui/forms/Anon.cpp": "namespace {\nint helper() { return 2; }\n}\n",
            # a global forward declaration of the layer's own class (defined in Clean.h)
            "ui/forms/Stray.h": "#pragma once\nclass QLabel;\nclass Form;\nnamespace cklab::ui {\n}\n",
            "cli/Loose.cpp": "int count = 0;\n",
        }
        for rel, text in spaced.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        got = check(root, layers) + check_namespaces(root, layers_file)
        expected = ["core/base/Back.h:2:", "core/io/Qt.cpp:1:", "core/project/Cli.cpp:1:",
                    "cli/Peer.cpp:1:", "ui/Harness.cpp:1:", "core/stray/Lost.cpp:1:",
                    "ui/forms/Global.h:2:", "ui/forms/Parent.cpp:2:", "ui/forms/Other.cpp:2:",
                    "ui/forms/Anon.cpp:2:", "ui/forms/Stray.h:3:", "cli/Loose.cpp:1:"]
        ok = len(got) == len(expected) and all(any(p.startswith(e) for p in got) for e in expected)
        for p in got:
            print("  found:", p)
        if not ok:
            print(f"self-test FAILED: expected exactly {expected}")
            return 1
        print(f"self-test passed: {len(got)} planted violations found (includes and namespaces), clean files accepted")
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
    spaced = check_namespaces(root, layers_file)
    for p in problems + spaced:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layer order of {layers_file}")
    if spaced:
        print(f"{len(spaced)} declaration(s) outside their layer's namespace (ns= in {layers_file})")
    if problems or spaced:
        return 1
    print(f"layers ok: every include of {', '.join(f for f, _, _ in sorted(read_layers(layers_file), key=lambda l: l[1]))} goes down")
    print("namespaces ok: " + ", ".join(f"{f} in {n}" for f, n in sorted(namespaces(layers_file).items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
