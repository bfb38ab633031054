"""A checksummed cache of NumPy arrays and JSON metadata under data/cache/<name>/.

Why checksums: a half-written or edited cache must never silently feed a lesson. ``load`` verifies
every file against the manifest; on any mismatch it reports the problem and the caller rebuilds.
Why a manifest also makes sources deterministic: eSpeak output varies by a few samples between
runs, so the *first* build is frozen in the cache and every later load returns the same bytes.
"""
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from rnncourse.config import data_directory

MANIFEST = "manifest.json"


class CacheError(RuntimeError):
    """The cache is missing or does not match its manifest."""


def cache_folder(name: str) -> Path:
    return data_directory() / name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(name: str, arrays: dict, metadata: dict | None = None, version: int = 1) -> Path:
    """Write arrays (one .npy each) and metadata, then the manifest last (so a crash leaves no manifest)."""
    folder = cache_folder(name)
    temporary = folder.with_name(folder.name + ".partial")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    files = {}
    for key, array in arrays.items():
        array = np.asarray(array)
        if array.dtype == object:
            raise TypeError(f"array {key!r} of dataset {name!r} has dtype object; store strings as fixed-width or JSON")
        path = temporary / f"{key}.npy"
        np.save(path, array, allow_pickle=False)
        files[path.name] = _sha256(path)
    metadata_path = temporary / "metadata.json"
    metadata_path.write_text(json.dumps(metadata or {}, indent=1, sort_keys=True, ensure_ascii=False))
    files[metadata_path.name] = _sha256(metadata_path)
    (temporary / MANIFEST).write_text(json.dumps({"version": version, "files": files}, indent=1, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    temporary.rename(folder)
    return folder


def load(name: str, version: int = 1) -> tuple[dict, dict]:
    """Return (arrays, metadata); raise CacheError saying what is wrong if the cache is not intact."""
    folder = cache_folder(name)
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise CacheError(f"no cache for {name!r} at {folder}")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as error:
        raise CacheError(f"the manifest of {name!r} is unreadable ({error})") from None
    if manifest.get("version") != version:
        raise CacheError(f"cache of {name!r} has version {manifest.get('version')}, code expects {version}")
    for file_name, expected in manifest["files"].items():
        path = folder / file_name
        if not path.exists() or _sha256(path) != expected:
            raise CacheError(f"cache file {path} is missing or does not match its checksum")
    arrays = {path.stem: np.load(path, allow_pickle=False) for path in sorted(folder.glob("*.npy"))}
    metadata = json.loads((folder / "metadata.json").read_text())
    return arrays, metadata


def load_or_build(name: str, build_function, version: int = 1, force: bool = False, progress=print) -> tuple[dict, dict]:
    """Load a valid cache, or (re)build it with ``build_function() -> (arrays, metadata)``.

    A corrupt cache is reported and rebuilt rather than trusted.
    """
    if not force:
        try:
            return load(name, version)
        except CacheError as problem:
            if cache_folder(name).exists():
                progress(f"{problem}; rebuilding {name!r}")
    arrays, metadata = build_function()
    save(name, arrays, metadata, version)
    return load(name, version)
