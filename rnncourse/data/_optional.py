"""Import an optional data-source package with an error that says how to get it."""
import importlib


def require(module_name: str, pip_name: str | None = None, purpose: str = ""):
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        pip_name = pip_name or module_name
        reason = f" (needed for {purpose})" if purpose else ""
        raise ImportError(
            f"the package {pip_name!r}{reason} is not installed: run `pip install -e .` from the course "
            f"folder, which installs every pinned dependency, or `pip install {pip_name}`"
        ) from error
