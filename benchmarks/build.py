"""Build benchmark: how long the site takes to build cold, warm, and after one model changes.

Run with ``make bench``. Each measurement is a fresh process (as an author's build is), timed
by wall clock, with its peak resident memory. It measures and prints; it asserts nothing.

* cold:      empty cache, every model built in both frameworks;
* warm:      full cache, nothing changed;
* touched:   one model's source changed (a comment appended, then restored);
* baseline:  the same pages with execution off (CNNGUIDE_EXECUTE=off);
* floor:     one process that imports the frameworks and does, once, the least work any build
             that shows these pages must do: build every model configuration the cold build
             recorded, in each framework; build every library model its oracles declare; and
             run one forward pass per framework for each configuration whose parity or oracle
             the pages show (read from the cache's records).

Targets (issues 5 and 9): cold <= 1.3 x floor and peak memory <= 1.3 x the floor's, warm <= 1.5 x baseline, ``import cnnguide`` <= 0.3 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}
CACHE = ROOT / ".cache" / "cnnguide"

# Runs a command and reports its wall time and its children's peak memory (ru_maxrss, KiB).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - start
if code.returncode:
    sys.stderr.write(code.stderr[-3000:])
print(json.dumps({"seconds": elapsed, "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "returncode": code.returncode}))
"""

# The least work behind the pages: every recorded configuration built once per framework, a
# forward pass where parity is shown, and every declared library model built and run once.
FLOOR = """
import json, sys
import numpy as np
import cnnguide
from cnnguide import catalog, frameworks
from cnnguide.oracles import library_model
from cnnguide.parity import run
frameworks.keras(); frameworks.torch()
# As the build does (cnnguide.docs.records): the objects the imports created are frozen, so no
# collection walks them again. Without it the floor would count the collector's work as work.
import gc; gc.collect(); gc.freeze()
for name, options, parts in json.loads(sys.argv[1]):
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in options}
    for framework in ("keras", "torch"):
        model = cnnguide.build(name, framework, **options)
        if "parity" in parts:
            shape = tuple(model.input_shape[1:]) if framework == "keras" else model.input_shape
            run(model, np.zeros((2, *shape), np.float32))
        del model
    for oracle in catalog.oracles_for(name, options) if "oracles" in parts else ():
        library = library_model(oracle.library, **oracle.library_options)
        shape = catalog.model(name).input_shape
        run(library, np.zeros((2, *shape), np.float32))
        del library
"""


def built_configurations() -> list:
    from cnnguide import cache

    cache.configure(CACHE)
    unique = {json.dumps(entry["arguments"]) for entry in cache.entries("record")}
    return [json.loads(arguments) for arguments in sorted(unique)]


def measure(command: list[str], env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT, env=env or ENV,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["returncode"]:
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr}")
    return result


def main() -> None:
    site = Path(tempfile.mkdtemp(prefix="cnnguide-bench-"))
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    model_file = ROOT / "cnnguide" / "models" / "keras" / "lenet.py"
    results = {}
    try:
        shutil.rmtree(CACHE, ignore_errors=True)
        results["cold"] = measure(build)
        configurations = built_configurations()
        results["warm"] = measure(build)
        original = model_file.read_text()
        try:
            model_file.write_text(original + "\n# benchmark: a changed source\n")
            results["touched (lenet.py)"] = measure(build)
        finally:
            model_file.write_text(original)
        results["baseline (no execution)"] = measure(build, {**ENV, "CNNGUIDE_EXECUTE": "off"})
        results["floor (frameworks + each model once)"] = measure(
            [sys.executable, "-c", FLOOR, json.dumps(configurations)])
    finally:
        shutil.rmtree(site, ignore_errors=True)

    print(f"floor: {len(configurations)} configurations, each built once per framework, with the "
          "forward passes and library models the pages show\n")
    width = max(map(len, results))
    for name, r in results.items():
        print(f"{name:<{width}}  {r['seconds']:7.2f} s  peak {r['peak_mib']:7.0f} MiB")
    floor = results["floor (frameworks + each model once)"]["seconds"]
    baseline = results["baseline (no execution)"]["seconds"]
    floor_mib = results["floor (frameworks + each model once)"]["peak_mib"]
    print(f"\ncold / floor     = {results['cold']['seconds'] / floor:.2f}  (target <= 1.3)")
    print(f"memory cold / floor = {results['cold']['peak_mib'] / floor_mib:.2f}  (target <= 1.3)")
    print(f"warm / baseline  = {results['warm']['seconds'] / baseline:.2f}  (target <= 1.5)")
    # `import cnnguide` in-process, without interpreter start-up:
    t = subprocess.run([sys.executable, "-c", "import time; s = time.perf_counter(); import cnnguide; "
                        "print(time.perf_counter() - s)"], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, check=True)
    print(f"import cnnguide   = {float(t.stdout):.3f} s  (target <= 0.3)")


if __name__ == "__main__":
    main()
