"""``cnnguide profile``: how fast one model runs, and how much memory it takes, on this machine.

The site cannot show latency: it depends on the processor, the number of threads, the batch and
each framework's kernels, and no two machines (or two runs) agree. So the reader measures it:
the model is built with random weights, run a few times unmeasured (warm-up: the first calls
allocate memory and pick kernels), then timed call by call in inference mode. The median is the
figure; the fastest and slowest runs show the spread. Memory is the process's peak resident
size, and how far it rose above what the imported framework already held.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from dataclasses import dataclass

from .errors import CnnguideError


@dataclass(frozen=True)
class Profile:
    model: str
    framework: str
    batch: int
    times_ms: tuple[float, ...]
    peak_mib: float
    rise_mib: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    def lines(self) -> list[str]:
        return [f"{self.model} ({self.framework}, batch {self.batch}, {len(self.times_ms)} runs)",
                f"latency: median {self.median_ms:.2f} ms, fastest {min(self.times_ms):.2f} ms, "
                f"slowest {max(self.times_ms):.2f} ms",
                f"memory: peak {self.peak_mib:.0f} MiB resident, {self.rise_mib:.0f} MiB above the framework alone"]


def _resident_mib() -> float:
    """The process's resident size now (Linux /proc; 0 where it does not exist)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return 0.0


def profile(name: str, framework: str = "keras", *, runs: int = 20, warmup: int = 3, batch: int = 1,
            progress: bool = True) -> Profile:
    """Build ``name`` in ``framework`` and time ``runs`` forward passes of ``batch`` random images
    after ``warmup`` unmeasured ones; a progress bar on stderr unless ``progress`` is False."""
    for option, value, least in (("runs", runs, 1), ("warmup", warmup, 0), ("batch", batch, 1)):
        if not isinstance(value, int) or value < least:
            raise CnnguideError(f"--{option} {value!r} is not offered: use a whole number of at least {least}.")
    from tqdm import tqdm

    from . import build, frameworks
    from .parity import random_images, run

    fw = frameworks.canonical(framework)
    if fw == "keras":  # imported first, so the rise below is the model's, not the framework's
        frameworks.keras()
    else:
        frameworks.torch()
    before = _resident_mib()
    model = build(name, fw)
    shape = tuple(model.input_shape[1:]) if fw == "keras" else tuple(model.input_shape)
    images = random_images(shape, batch=batch)
    times = []
    with tqdm(total=warmup + runs, desc=f"{name} ({fw})", unit="run", file=sys.stderr, disable=not progress,
              leave=False) as bar:
        for _ in range(warmup):
            run(model, images)
            bar.update()
        for _ in range(runs):
            start = time.perf_counter()
            run(model, images)
            times.append((time.perf_counter() - start) * 1000)
            bar.update()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return Profile(name, fw, batch, tuple(times), peak, max(peak - before, 0.0))
