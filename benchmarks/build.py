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
             run one forward pass per framework for each configuration whose parity the pages
             show, and for each library oracle one pass of the library model and one of ours
             with its weights (read from the cache's records); export each configuration whose
             ONNX files the pages show, in each framework, and run the file once. Then build once every other
             configuration the cold build built (its list: CNNGUIDE_BUILD_LOG), in the framework
             and on the device it used: the models of the pages' own experiments (AlexNet with
             three activations for its gradient table, EfficientNet B1..B7 on the meta device,
             ...). Their forward and backward passes are not counted.

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

# Runs a command and reports its wall time and its peak memory: the largest sum of resident
# memory over the command and every process it started, sampled every 100 ms from /proc,
# and never less than the largest single process's peak (ru_maxrss of the children, which a
# sample may miss).
MEASURE = """
import json, os, resource, subprocess, sys, time
PAGE = os.sysconf("SC_PAGE_SIZE")

def tree_rss(root):
    children, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/statm") as f:
                rss[int(pid)] = int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
import threading
err = []
threading.Thread(target=lambda: err.append(process.stderr.read()), daemon=True).start()
peak = 0
while process.poll() is None:
    peak = max(peak, tree_rss(process.pid))
    time.sleep(0.1)
elapsed = time.perf_counter() - start
process.wait()
if process.returncode:
    sys.stderr.write("".join(err)[-3000:])
single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": max(peak / 2**20, single), "single_mib": single,
                  "returncode": process.returncode}))
"""

# The least work behind the pages: every recorded configuration built once per framework, a
# forward pass where parity is shown, and every declared library model built and run once with
# one more pass of ours beside it.
FLOOR = """
import json, sys
import numpy as np
import tempfile
from pathlib import Path
import cnnguide
from cnnguide import catalog, frameworks
from cnnguide.errors import ExportError
from cnnguide.export import run_onnx, to_onnx
from cnnguide.docs.records import KERAS_ONNX_LIMIT
from cnnguide.oracles import library_model
from cnnguide.parity import run
frameworks.keras(); frameworks.torch()
# As the build does (cnnguide.docs.records): the objects the imports created are frozen, so no
# collection walks them again. Without it the floor would count the collector's work as work.
import gc; gc.collect(); gc.freeze()
for name, options, parts in json.loads(sys.argv[1]):
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in options}
    oracles = catalog.oracles_for(name, options) if "oracles" in parts else ()
    for framework in ("keras", "torch"):
        model = cnnguide.build(name, framework, **options)
        shape = tuple(model.input_shape[1:]) if framework == "keras" else model.input_shape
        images = np.zeros((2, *shape), np.float32)
        libraries = [o for o in oracles if o.framework == framework]
        # Ours runs once for parity, and once more with each library's weights; in Keras the
        # run with the last library's weights serves parity too (cnnguide.docs.records).
        passes = max(len(libraries), "parity" in parts) if framework == "keras" else len(libraries) + ("parity" in parts)
        for _ in range(passes):
            run(model, images)
        for oracle in libraries:
            library = library_model(oracle.library, **oracle.library_options)
            run(library, images)
            del library
        # The file its exporter writes, run once by ONNX Runtime (Keras: small networks only).
        if "onnx" in parts and (framework == "torch" or model.count_params() <= KERAS_ONNX_LIMIT):
            with tempfile.TemporaryDirectory() as scratch:
                try:
                    path = to_onnx(model, Path(scratch) / "m.onnx", batch=None if framework == "torch" else 2)
                    run_onnx(path, images)
                except ExportError:
                    pass  # a converter that refuses the model: the build records the refusal
        del model
import torch
for name, framework, options, meta in json.loads(sys.argv[2]):
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in options}
    with torch.device("meta" if meta else "cpu"):
        model = cnnguide.build(name, framework, **options)
    del model
"""


def built_configurations() -> list:
    from cnnguide import cache

    cache.configure(CACHE)
    unique = {json.dumps(entry["arguments"]) for entry in cache.entries("record")}
    return [json.loads(arguments) for arguments in sorted(unique)]


def _options(entry: dict) -> list:
    """A build's options as a record keys them: sorted pairs, the input shape among them."""
    options = dict(entry["options"], **({"input_shape": entry["input_shape"]} if entry["input_shape"] else {}))
    return sorted([k, list(v) if isinstance(v, (list, tuple)) else v] for k, v in options.items())


def other_builds(log: list[dict], records: list) -> tuple[list, list]:
    """The configurations the cold build built beyond the records' (each once, as
    (name, framework, options, meta)), and those it built more than once on the CPU."""
    recorded = {json.dumps([name, options]) for name, options, _ in records}
    seen, others, twice = set(), [], set()
    for entry in log:
        options = _options(entry)
        configuration = json.dumps([entry["name"], entry["framework"], options, entry["meta"]])
        if configuration in seen:
            if not entry["meta"]:
                twice.add(configuration)
            continue
        seen.add(configuration)
        if json.dumps([entry["name"], options]) not in recorded:
            others.append([entry["name"], entry["framework"], options, entry["meta"]])
    return others, sorted(twice)


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
    # Not a model the experiments train: their saved results name their builders, and a changed
    # one must fail the build until they are run again (cnnguide.experiments.results).
    model_file = ROOT / "cnnguide" / "models" / "keras" / "alexnet.py"
    results = {}
    try:
        shutil.rmtree(CACHE, ignore_errors=True)
        log = site.with_suffix(".built.json")
        results["cold"] = measure(build, {**ENV, "CNNGUIDE_BUILD_LOG": str(log)})
        configurations = built_configurations()
        others, twice = other_builds(json.loads(log.read_text()), configurations)
        log.unlink()
        results["warm"] = measure(build)
        original = model_file.read_text()
        try:
            model_file.write_text(original + "\n# benchmark: a changed source\n")
            results["touched (alexnet.py)"] = measure(build)
        finally:
            model_file.write_text(original)
        results["baseline (no execution)"] = measure(build, {**ENV, "CNNGUIDE_EXECUTE": "off"})
        results["floor (frameworks + each model once)"] = measure(
            [sys.executable, "-c", FLOOR, json.dumps(configurations), json.dumps(others)])
    finally:
        shutil.rmtree(site, ignore_errors=True)

    print(f"floor: {len(configurations)} recorded configurations, each built once per framework, with "
          f"the forward passes and library models the pages show, and {len(others)} other builds "
          f"({sum(meta for *_, meta in others)} on the meta device)")
    print("built more than once in the cold build: " + (", ".join(twice) if twice else "none") + "\n")
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
