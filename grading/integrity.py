"""Grader-side scan of student cells for code that could fake passing tests.

Tests compare with references captured in the locked setup cell (before any student code runs) and with
the `operator` module, so a student who rebinds `np.allclose` in an answer cell does not change what the
tests compute. That alone cannot stop code that rewires the test machinery itself (IPython hooks, custom
exception handlers, builtins, module attributes). This scan rejects such code before the notebook runs:
a submission with a finding is not executed, every test scores 0 and the findings are named in the
feedback and the report. The rules are deliberately narrow so that ordinary solutions never trip them.
"""
import ast

# Modules whose attributes student code must never assign to (through any alias).
PROTECTED_MODULES = {"numpy", "keras", "tensorflow", "operator", "math", "builtins", "sys", "IPython",
                     "rnncourse", "jax", "torch", "random", "unittest", "pytest", "nbgrader"}
# Imports that reach the interpreter or kernel internals; not needed by any course exercise. IPython.display
# (showing HTML, images) is allowed: what it shows is sanitised before anyone opens it (grading/feedback.py).
ALLOWED_IMPORTS = {"IPython.display"}
FORBIDDEN_IMPORTS = {"ctypes", "gc", "inspect", "IPython", "importlib", "builtins", "ipykernel",
                     "traceback", "atexit", "signal", "marshal", "types", "jupyter_client", "zmq",
                     "nbgrader"}
FORBIDDEN_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "get_ipython", "setattr",
                   "delattr", "breakpoint"}
FORBIDDEN_NAMES = {"__builtins__", "__builtin__", "__loader__", "__spec__"}
FORBIDDEN_SYS_ATTRIBUTES = {"modules", "settrace", "setprofile", "excepthook", "displayhook", "stdout",
                            "stderr", "_getframe", "meta_path", "path_hooks", "addaudithook"}


def names_bound_by(source: str) -> set[str]:
    """Top-level names a cell binds (assignments, defs, classes, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    bound = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound.add(name.id)
    return bound


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def scan_source(source: str, protected_names: set[str], module_aliases: set[str] | None = None) -> list[str]:
    """Findings for one cell: human-readable strings naming the line and what was found."""
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # a syntax error only fails the student's own cell; nothing can be patched by it
    aliases = set(module_aliases or set())
    findings = []

    def report(node, what):
        findings.append(f"line {getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in FORBIDDEN_IMPORTS and alias.name not in ALLOWED_IMPORTS:
                    report(node, f"imports {alias.name}, which can reach the grader's internals")
                if top in PROTECTED_MODULES:
                    aliases.add(alias.asname or top)
        elif isinstance(node, ast.ImportFrom):
            top = (node.module or "").split(".")[0]
            if top in FORBIDDEN_IMPORTS and node.module not in ALLOWED_IMPORTS:
                report(node, f"imports from {node.module}, which can reach the grader's internals")
            if top in PROTECTED_MODULES:
                for alias in node.names:
                    aliases.add(alias.asname or alias.name)
    module_scope = _module_scope_nodes(tree)
    for node in ast.walk(tree):
        in_module_scope = id(node) in module_scope
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            report(node, f"calls {node.func.id}(), which can rewrite code or the test machinery")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            report(node, f"uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr in FORBIDDEN_SYS_ATTRIBUTES:
                report(node, f"uses sys.{node.attr}")
            if node.attr.startswith("__") and node.attr not in {"__init__", "__name__", "__call__", "__class__"}:
                report(node, f"uses the special attribute {node.attr}")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for element in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                    root = _root_name(element)
                    # A name assigned inside a function is a local variable (unless declared global, which is
                    # reported below), so only module-level assignments can rebind a trusted name.
                    if isinstance(element, ast.Name) and element.id in protected_names and in_module_scope:
                        report(node, f"rebinds {element.id}, which the locked setup cell defines")
                    elif not isinstance(element, ast.Name) and (
                        root in aliases or (root in protected_names and in_module_scope)
                    ):
                        report(node, f"changes an attribute or item of {root} (monkey-patching)")
        if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in protected_names
                and in_module_scope):
            report(node, f"redefines {node.name}, which the locked setup cell defines")
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                if name in protected_names:
                    report(node, f"declares global {name}, which the locked setup cell defines")
    return sorted(set(findings), key=lambda text: (len(text.split(":")[0]), text))


def scan_notebook(notebook) -> list[str]:
    """Scan every code cell a student controls (all but locked cells restored from the source)."""
    protected, aliases = set(), set()
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("locked") and not meta.get("solution"):
            bound = names_bound_by(cell.source)
            if not meta.get("grade"):
                protected |= bound  # setup cells: everything they bind is trusted
            else:  # test cells: their private helpers; `_` alone is Python's throw-away name
                protected |= {name for name in bound if name.startswith("_") and name.strip("_")}
            for node in ast.walk(_parse(cell.source)):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    aliases |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    off_limits = _off_limits(notebook)
    findings = []
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (meta.get("locked") and not meta.get("solution")):
            continue
        label = meta.get("grade_id") or f"cell {index}"
        findings += [f"{label}, {finding}" for finding in scan_source(cell.source, protected, aliases)]
        findings += [f"{label}, {finding}" for finding in off_limits_imports(cell.source, off_limits)]
    return findings


def _off_limits(notebook) -> list[str]:
    """The modules the assignment's own setup cell declares off limits (GRADED["off_limits"])."""
    from grading.judge import ContractError, graded_contract

    try:
        return graded_contract(notebook)["off_limits"]
    except (ContractError, SyntaxError, ValueError):
        return []  # no contract: the judge reports that; nothing is declared off limits


def off_limits_imports(source: str, off_limits: list[str]) -> list[str]:
    """Findings for imports of a module that the assignment declares off limits, or of anything inside it."""
    def banned(module: str) -> str | None:
        return next((name for name in off_limits if module == name or module.startswith(name + ".")), None)

    findings = []
    for node in ast.walk(_parse(source)):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for module in modules:
            name = banned(module)
            if name:
                findings.append(f"line {node.lineno}: imports {module}, which this assignment puts off limits "
                                f"(GRADED in the setup cell names {name}): the point is to write that part yourself")
                break
    return findings


def _module_scope_nodes(tree) -> set[int]:
    """ids of the nodes that run in the cell's module scope, not inside a function, lambda or class body."""
    found = set()

    def visit(node):
        found.add(id(node))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.add(id(child))  # the def statement binds its name in module scope
                evaluated_here = child.decorator_list + child.args.defaults + [d for d in child.args.kw_defaults if d]
            elif isinstance(child, ast.ClassDef):
                found.add(id(child))
                evaluated_here = child.decorator_list + child.bases
            elif isinstance(child, ast.Lambda):
                evaluated_here = child.args.defaults
            else:
                visit(child)
                continue
            for part in evaluated_here:
                visit(part)

    visit(tree)
    return found


def _parse(source: str):
    try:
        return ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])
