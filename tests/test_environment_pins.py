"""One set of exact pins: requirements.txt; pyproject.toml and environment.yml reuse it."""
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


def test_pyproject_and_conda_reuse_requirements_txt():
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    assert "dependencies" in pyproject["project"]["dynamic"]
    environment = (REPOSITORY / "environment.yml").read_text()
    assert "-r requirements.txt" in environment and "python=3.11" in environment
    assert "==" not in environment, "environment.yml must not repeat pins; it installs requirements.txt"


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
    assert not mismatched, f"environment differs from requirements.txt: {mismatched}; run pip install -e ."
