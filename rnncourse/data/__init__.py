"""Offline datasets, built from installed packages by the project's own code (nothing downloads).

    python -m rnncourse data                 # build every dataset (progress is printed)
    python -m rnncourse data speech words    # build the named ones
    python -m rnncourse data --force         # rebuild even if the cache is valid

Each dataset module has ``build(force=False, progress=print)`` that writes a checksummed cache
under data/cache/ (see ``cache.py``) and ``load_*`` functions that build on first use.
Provenance, licences and counts: data/README.md.
"""
import importlib
import sys
import time

# name -> module; modules are imported lazily so one missing optional package affects one dataset.
DATASETS = {
    "speech": "rnncourse.data.speech",
    "translation": "rnncourse.data.translation",
    "g2p": "rnncourse.data.g2p",
    "words": "rnncourse.data.text",
    "traffic": "rnncourse.data.traffic",
}


def dataset_module(name: str):
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    return importlib.import_module(DATASETS[name])


def build_datasets(names=(), force: bool = False, progress=print) -> int:
    """Build the named datasets (all if none); return a process exit code."""
    names = list(names) or list(DATASETS)
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        print(f"unknown dataset(s): {', '.join(unknown)}; choose from {', '.join(DATASETS)}", file=sys.stderr)
        return 2
    total_started = time.perf_counter()
    for number, name in enumerate(names, start=1):
        started = time.perf_counter()
        progress(f"[{number}/{len(names)}] building {name} ...")
        dataset_module(name).build(force=force, progress=lambda message: progress(f"    {message}"))
        progress(f"[{number}/{len(names)}] {name} ready in {time.perf_counter() - started:.1f} s")
    progress(f"all done in {time.perf_counter() - total_started:.1f} s")
    return 0
