"""Mutation check: does the test suite notice when a model drifts?

Run with ``make mutate``. Each mutation below breaks the package source on purpose (a filter
count, a kernel size, a stride, a removed layer...) in one framework's file, or in both at once,
and the whole test suite runs against it. A mutation is *caught* when the suite fails. The
report lists each mutation, the first test that failed, and the catch rate.

Why it works on a copy: the repository at hand is never touched, so an interrupted run leaves
nothing to restore. The copy leaves out .venv, .git, site/ and .cache/ and runs with the same
virtualenv's Python, with the copy first on PYTHONPATH, so it imports the copy's ``cnnguide``
(checked before anything else). One build of the unmutated copy fills the copy's own build
cache, and a baseline run of its tests must pass, or every mutation would look caught. The
cache is kept between runs: it is keyed by content, so a mutation that a stale cache hid would
be a cache bug worth seeing. ``--dry-run`` only checks that every mutation still applies.

MUTATIONS is data: a new model adds rows (one edit per file it changes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "2", "-p", "no:cacheprovider"]
LEFT_OUT = {".venv", ".git", "site", ".cache", ".pytest_cache", "test-artifacts", "build"}

KERAS_LENET = "cnnguide/models/keras/lenet.py"
TORCH_LENET = "cnnguide/models/torch/lenet.py"


@dataclass(frozen=True)
class Mutation:
    description: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old, new): old must occur exactly once


def _m(description: str, *edits: tuple[str, str, str]) -> Mutation:
    return Mutation(description, edits)


K_C1 = (KERAS_LENET, 'layers.Conv2D(6, 5, activation=act, name="C1")', 'layers.Conv2D(8, 5, activation=act, name="C1")')
T_C1 = (TORCH_LENET, "nn.Conv2d(channels, 6, kernel_size=5)", "nn.Conv2d(channels, 8, kernel_size=5)")
T_C3_IN = (TORCH_LENET, "nn.Conv2d(6, 16, kernel_size=5)", "nn.Conv2d(8, 16, kernel_size=5)")
K_C3_K = (KERAS_LENET, 'layers.Conv2D(16, 5, activation=act, name="C3")', 'layers.Conv2D(16, 3, activation=act, name="C3")')
T_C3_K = (TORCH_LENET, "nn.Conv2d(6, 16, kernel_size=5)", "nn.Conv2d(6, 16, kernel_size=3)")
K_S2_STRIDE = (KERAS_LENET, 'Pool(2, name="S2")', 'Pool(2, strides=1, name="S2")')
T_S2_STRIDE = (TORCH_LENET, "self.S2 = Pool(kernel_size=2)", "self.S2 = Pool(kernel_size=2, stride=1)")
K_NO_S4 = (KERAS_LENET, '            Pool(2, name="S4"),\n', "")
T_NO_S4 = (TORCH_LENET, "x = self.S4(self.activation(self.C3(x)))", "x = self.activation(self.C3(x))")
K_C5 = (KERAS_LENET, "layers.Conv2D(120, c5_kernel_size", "layers.Conv2D(100, c5_kernel_size")
T_C5 = (TORCH_LENET, "nn.Conv2d(16, 120, kernel_size=c5_kernel_size)", "nn.Conv2d(16, 100, kernel_size=c5_kernel_size)")
K_TANH = (KERAS_LENET, 'ACTIVATIONS = {"tanh": "tanh"', 'ACTIVATIONS = {"tanh": "sigmoid"')
T_TANH = (TORCH_LENET, 'ACTIVATIONS = {"tanh": nn.Tanh', 'ACTIVATIONS = {"tanh": nn.Sigmoid')
T_F6_BIAS = (TORCH_LENET, "self.F6 = nn.Linear(flat, 84)", "self.F6 = nn.Linear(flat, 84, bias=False)")
K_POST_C5 = (KERAS_LENET, "return LeNet5(input_shape, c5_kernel_size=1,", "return LeNet5(input_shape, c5_kernel_size=5,")
T_POST_C5 = (TORCH_LENET, "return LeNet5(input_shape, c5_kernel_size=1,", "return LeNet5(input_shape, c5_kernel_size=5,")

MUTATIONS = [
    # one framework drifts from the other
    _m("keras only: C1 has 8 filters, not 6", K_C1),
    _m("torch only: C5 has 100 filters, not 120", T_C5),
    _m("keras only: C3's kernel is 3x3, not 5x5", K_C3_K),
    _m("torch only: C3's kernel is 3x3, not 5x5", T_C3_K),
    _m("keras only: S2 pools with stride 1, not 2", K_S2_STRIDE),
    _m("torch only: S2 pools with stride 1, not 2", T_S2_STRIDE),
    _m("keras only: S4 removed", K_NO_S4),
    _m("torch only: S4 left out of forward()", T_NO_S4),
    _m("keras only: tanh is really sigmoid", K_TANH),
    _m("torch only: F6 has no bias", T_F6_BIAS),
    # both frameworks drift together: parity still holds, so the numbers must catch it
    _m("both: C1 has 8 filters, not 6", K_C1, T_C1, T_C3_IN),
    _m("both: C3's kernel is 3x3, not 5x5", K_C3_K, T_C3_K),
    _m("both: S2 pools with stride 1, not 2", K_S2_STRIDE, T_S2_STRIDE),
    _m("both: S4 removed", K_NO_S4, T_NO_S4),
    _m("both: C5 has 100 filters, not 120", K_C5, T_C5),
    _m("both: tanh is really sigmoid", K_TANH, T_TANH),
    _m("both: the post's C5 is 5x5, not 1x1", K_POST_C5, T_POST_C5),
]


def copy_repo(target: Path) -> Path:
    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory) == ROOT
        return {n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (top and n in LEFT_OUT)}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def environment(repo: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}


def run_tests(repo: Path, extra: list[str], timeout: float) -> tuple[str, str, float]:
    """('passed' | 'failed' | 'timeout', first failing test or last line, seconds)."""
    start = time.monotonic()
    try:
        result = subprocess.run([*TEST, *extra], cwd=repo, env=environment(repo), capture_output=True,
                                text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", f"no result in {timeout:.0f} s", time.monotonic() - start
    lines = (result.stdout + result.stderr).strip().splitlines()
    # pytest -ra's summary line of the first failure: "FAILED test_id - first line of the error"
    first = next((l for l in lines if re.match(r"(FAILED|ERROR) ", l)), lines[-1] if lines else "")
    return ("passed" if result.returncode == 0 else "failed"), first[:200], time.monotonic() - start


def apply(repo: Path, mutation: Mutation) -> dict[Path, str]:
    """Apply every edit; return the files' original texts. Raises if an edit no longer applies."""
    originals: dict[Path, str] = {}
    for file, old, new in mutation.edits:
        path = repo / file
        text = path.read_text(encoding="utf-8")
        originals.setdefault(path, text)
        if text.count(old) != 1:
            restore(originals)
            raise LookupError(f"{file}: {old!r} occurs {text.count(old)} times, not once")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return originals


def restore(originals: dict[Path, str]) -> None:
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--only", default="", help="run only mutations whose description contains this")
    args.add_argument("--timeout", type=float, default=1800, help="seconds allowed per test run")
    args.add_argument("--skip-baseline", action="store_true", help="trust that the unmutated suite passes")
    args.add_argument("--dry-run", action="store_true",
                      help="only check that every mutation still applies to the source (no tests)")
    args.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    opts = args.parse_args(argv)
    chosen = [m for m in MUTATIONS if opts.only in m.description]
    with tempfile.TemporaryDirectory(prefix="cnnguide-mutate-") as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        where = subprocess.run([sys.executable, "-c", "import cnnguide; print(cnnguide.__file__)"], cwd=repo,
                               env=environment(repo), capture_output=True, text=True).stdout.strip()
        if not where.startswith(str(repo)):
            print(f"the copy imports cnnguide from {where or '?'}, not from {repo}: stopping", file=sys.stderr)
            return 2
        print(f"copy: {repo}\ntests: {' '.join(['python', *TEST[1:], *opts.pytest_args])}", flush=True)
        if opts.dry_run:
            stale = 0
            for mutation in chosen:
                try:
                    restore(apply(repo, mutation))
                except LookupError as exc:
                    stale += 1
                    print(f"STALE     {mutation.description}: {exc}")
            print(f"{len(chosen) - stale} of {len(chosen)} mutations apply")
            return 1 if stale else 0
        # Fill the copy's build cache with one build first: otherwise both test workers start
        # with a cold build of every model at the same time (twice the peak memory).
        warm = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                               str(Path(tmp) / "warm-site")], cwd=repo, env=environment(repo),
                              capture_output=True, text=True, timeout=opts.timeout)
        if warm.returncode != 0:
            print(f"the unmutated site does not build:\n{warm.stderr[-2000:]}", file=sys.stderr)
            return 2
        if not opts.skip_baseline:
            outcome, detail, seconds = run_tests(repo, opts.pytest_args, opts.timeout)
            print(f"baseline (no mutation): {outcome} in {seconds:.0f} s", flush=True)
            if outcome != "passed":
                print(f"the unmutated suite does not pass ({detail}): a catch rate would mean nothing",
                      file=sys.stderr)
                return 2
        caught, stale = 0, 0
        for mutation in chosen:
            try:
                originals = apply(repo, mutation)
            except LookupError as exc:
                stale += 1
                print(f"STALE     {mutation.description}: {exc}", flush=True)
                continue
            try:
                outcome, detail, seconds = run_tests(repo, opts.pytest_args, opts.timeout)
            finally:
                restore(originals)
            caught += outcome == "failed"
            verdict = {"failed": "caught", "passed": "SURVIVED", "timeout": "TIMEOUT"}[outcome]
            print(f"{verdict:<9} {mutation.description} ({seconds:.0f} s){': ' + detail if outcome == 'failed' else ''}",
                  flush=True)
    tried = len(chosen) - stale
    print(f"\ncatch rate: {caught}/{tried} ({100 * caught / tried if tried else 0:.0f}%)"
          + (f"; {stale} stale mutation(s) no longer apply: update MUTATIONS" if stale else ""))
    return 0 if tried and caught == tried and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
