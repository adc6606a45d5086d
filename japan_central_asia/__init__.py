"""Helper package of the teaching module "Japan and Central Asia".

Every notebook of the book starts with::

    import japan_central_asia as jca

and then loads data with :func:`jca.load`, draws with :mod:`jca.plotting` and builds explorers
from :mod:`jca.widgets`. See ``data/README.md`` for the datasets.
"""

from .datasets import (
    DatasetError,
    data_dir,
    data_path,
    dataset_names,
    explode_list,
    load,
    schema,
    split_list,
    validate,
)
from .periods import phase_label, phase_of, phases

__version__ = "0.1.0"

__all__ = [
    "DatasetError",
    "data_dir",
    "data_path",
    "dataset_names",
    "explode_list",
    "load",
    "phase_label",
    "phase_of",
    "phases",
    "schema",
    "split_list",
    "validate",
]
