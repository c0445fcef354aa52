"""Import of deputies, cases and contacts from a ledger file, in one transaction.

One module per job: :mod:`.sheets` reads the file, :mod:`.values` checks the
cells, :mod:`.references` matches names against the registry,
:mod:`.numbering` numbers the cases, :mod:`.history` turns a case row into
the steps of its lifecycle, and the three importers (:mod:`.deputies`,
:mod:`.cases`, :mod:`.contacts`) put them together over
:mod:`liaison_cli.store.bulk`.
"""

from .cases import import_cases
from .contacts import import_contacts
from .deputies import import_deputies
from .run import ImportResult, ImportRow, Progress

__all__ = [
    "ImportResult",
    "ImportRow",
    "Progress",
    "import_cases",
    "import_contacts",
    "import_deputies",
]
