"""The case studies' networks, one file per study in each framework.

``keras/<study>.py`` and ``torch/<study>.py`` hold the same builders under the same names;
:func:`cnnguide.build` finds them through the catalog. Importing ``cnnguide.models.keras`` or
``cnnguide.models.torch`` loads that framework (in the safe order, see
:mod:`cnnguide.frameworks`); importing this package loads neither.
"""
