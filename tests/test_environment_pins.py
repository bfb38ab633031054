"""One set of exact pins: requirements.txt (direct) and requirements.lock (everything, with hashes) compiled from
it; pyproject.toml and environment.yml reuse them, and the installed environment matches."""
import re
import tomllib

from tests.conftest import REPOSITORY

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][^;\s]*(\s*;\s*.+)?$")


def requirement_lines():
    lines = (REPOSITORY / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_every_requirement_is_an_exact_pin():
    loose = [line for line in requirement_lines() if not PIN.match(line)]
    assert not loose, f"requirements.txt must pin exact versions (name==version), found: {loose}"


def test_tensorflow_cpu_everywhere_but_macos_with_the_same_version():
    lines = requirement_lines()
    cpu = [line for line in lines if line.startswith("tensorflow-cpu==")]
    mac = [line for line in lines if line.startswith("tensorflow==")]
    assert cpu and 'sys_platform != "darwin"' in cpu[0]
    assert mac and 'sys_platform == "darwin"' in mac[0]
    assert cpu[0].split("==")[1].split(";")[0] == mac[0].split("==")[1].split(";")[0]


def test_sqlalchemy_below_2_1():
    (line,) = [line for line in requirement_lines() if line.lower().startswith("sqlalchemy==")]
    major, minor = (int(part) for part in line.split("==")[1].split(".")[:2])
    assert (major, minor) < (2, 1), "SQLAlchemy 2.1 prints warnings on every nbgrader autograde"


LOCK_ENTRY = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


def lock_entries() -> dict:
    """name -> [version, marker, number of hashes] for every package that requirements.lock installs here (a
    package can be locked twice, with markers for different Python versions or platforms)."""
    from packaging.markers import Marker

    entries, current = {}, None
    for line in (REPOSITORY / "requirements.lock").read_text().splitlines():
        match = LOCK_ENTRY.match(line)
        if match:
            marker = (match.group(3) or "").strip()
            current = None
            if not marker or Marker(marker).evaluate():
                current = match.group(1).lower().replace("_", "-")
                entries[current] = [match.group(2), marker, 0]
        elif line.strip().startswith("--hash=sha256:") and current:
            entries[current][2] += 1
    return entries


def test_pyproject_and_conda_reuse_the_one_set_of_pins():
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    assert "dependencies" in pyproject["project"]["dynamic"]
    assert pyproject["project"]["requires-python"] == ">=3.11,<3.14"
    environment = (REPOSITORY / "environment.yml").read_text()
    assert "-r requirements.lock" in environment and "python>=3.11,<3.14" in environment
    assert "==" not in environment, "environment.yml must not repeat pins; it installs requirements.lock"


def test_the_lock_agrees_with_the_declared_pins():
    """A pin changed in requirements.txt without recompiling the lock (or the reverse) fails here."""
    from packaging.markers import Marker

    locked = lock_entries()
    assert len(locked) > 100, f"requirements.lock lists only {len(locked)} packages: is it the compiled lock?"
    disagreements = []
    for line in requirement_lines():
        requirement, _, marker = line.partition(";")
        name, pinned = requirement.strip().split("==")
        key = name.lower().replace("_", "-")
        if marker and not Marker(marker).evaluate():
            continue  # the macOS-only line, checked on macOS
        if key not in locked:
            disagreements.append(f"{name} is missing from the lock")
        elif locked[key][0] != pinned:
            disagreements.append(f"{name}: requirements.txt pins {pinned}, the lock has {locked[key][0]}")
    unhashed = [name for name, (_, _, hashes) in locked.items() if hashes == 0]
    assert not disagreements, (f"{disagreements}: recompile with the command at the top of requirements.lock "
                               "(CONTRIBUTING.md, 'Dependencies')")
    assert not unhashed, f"locked without hashes: {unhashed}"


def test_backend_extras_are_exact_pins():
    extras = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert set(extras) == {"jax", "torch"}
    assert all(PIN.match(requirement) for requirements in extras.values() for requirement in requirements), extras


def test_this_interpreter_is_supported():
    import sys

    assert f"{sys.version_info.major}.{sys.version_info.minor}" in SUPPORTED_PYTHONS


def test_installed_versions_match_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    mismatched = []
    for line in requirement_lines():
        requirement, _, marker = line.partition(";")
        name, pinned = requirement.strip().split("==")
        if "darwin" in marker and "==" in marker:
            continue  # the macOS-only line
        try:
            installed = version(name)
        except PackageNotFoundError:
            mismatched.append(f"{name} not installed")
            continue
        if installed != pinned:
            mismatched.append(f"{name} {installed} != {pinned}")
    assert not mismatched, f"environment differs from requirements.txt: {mismatched}; run pip install -r requirements.lock"


def test_installed_transitive_versions_match_the_lock():
    import sysconfig
    from importlib.metadata import distributions

    # Only what pip installed: setuptools puts its vendored copies (packaging, zipp, ...) on sys.path once imported.
    site_packages = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    installed = {dist.metadata["Name"].lower().replace("_", "-"): dist.version
                 for dist in distributions(path=site_packages)}
    mismatched = {name: (version, installed[name]) for name, (version, _, _) in lock_entries().items()
                  if name in installed and installed[name] != version}
    assert not mismatched, f"installed versions differ from requirements.lock: {mismatched}"
