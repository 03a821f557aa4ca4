"""The type stubs name exactly what the package has, with the same parameters and defaults, so
editors and type checkers see the real API: python/pysrc/quintet/quintet.pyi (generated) the
extension module's names, __init__.pyi beside it the package's (those and the live player)."""

import ast
import inspect
from pathlib import Path

import quintet
import quintet.quintet

PACKAGE_SOURCE = Path(__file__).resolve().parents[1] / "pysrc" / "quintet"
STUB = PACKAGE_SOURCE / "quintet.pyi"
PACKAGE_STUB = PACKAGE_SOURCE / "__init__.pyi"
# Names the stub defines for its own annotations.
STUB_ONLY = {"Five", "FiveNumbers"}


def stub_tree():
    return ast.parse(STUB.read_text())


def defined(body):
    names = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.setdefault(node.name, node)
        elif isinstance(node, ast.AnnAssign):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            names[node.targets[0].id] = node
    return names


def parameters(function):
    """(name, kind, default) of a stub function's parameters, without `self`."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + args.defaults
    listed = [(a.arg, "positional", d) for a, d in zip(positional, defaults)]
    listed += [(a.arg, "keyword", d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        listed.append((args.kwarg.arg, "keywords", None))
    return [
        (name, kind, None if default is None else ast.literal_eval(default))
        for name, kind, default in listed
        if name != "self"
    ]


def runtime_parameters(function):
    kinds = {inspect.Parameter.KEYWORD_ONLY: "keyword", inspect.Parameter.VAR_KEYWORD: "keywords"}
    return [
        (p.name, kinds.get(p.kind, "positional"), None if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


def test_the_stub_names_what_the_module_has():
    names = defined(stub_tree().body)
    assert set(names) - STUB_ONLY == set(quintet.quintet.__all__)
    members = defined(names["Quintet"].body)
    public = {name for name in dir(quintet.Quintet) if not name.startswith("_")}
    assert set(members) - {"__init__"} == public


def test_the_stub_has_the_modules_parameters_and_defaults():
    names = defined(stub_tree().body)
    assert parameters(names["render"]) == runtime_parameters(quintet.render)
    members = defined(names["Quintet"].body)
    assert parameters(members["__init__"]) == runtime_parameters(quintet.Quintet)
    for name, node in members.items():
        member = getattr(quintet.Quintet, name, None)
        if name != "__init__" and isinstance(node, ast.FunctionDef) and callable(member):
            assert parameters(node) == runtime_parameters(member), name


def test_the_package_stub_adds_the_player():
    """The package is the extension module's names and `live` (the player, in Python)."""
    names = defined(ast.parse(PACKAGE_STUB.read_text()).body)
    assert set(quintet.__all__) == set(quintet.quintet.__all__) | {"live"}
    assert parameters(names["live"]) == runtime_parameters(quintet.live)


def test_the_stub_is_what_the_registry_gives():
    """python/pysrc/quintet/quintet.pyi is generated (python/src/stub.rs): a parameter added to the registry
    changes it, and the committed file must follow."""
    generated = quintet.quintet._stub_text()
    assert STUB.read_text() == generated, (
        "python/pysrc/quintet/quintet.pyi differs from what the registry gives: write it with "
        "`python -c \"import quintet.quintet as q; print(q._stub_text(), end='')\" > "
        "python/pysrc/quintet/quintet.pyi`"
    )


def test_the_package_ships_the_stub():
    package = Path(quintet.__file__).parent
    assert (package / "quintet.pyi").read_text() == STUB.read_text()
    assert (package / "__init__.pyi").read_text() == PACKAGE_STUB.read_text()
    assert (package / "py.typed").exists()
