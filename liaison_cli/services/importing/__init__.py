"""Import of deputies, cases and contacts from a ledger file, in one transaction.

One module per job: :mod:`.sheets` reads the file, :mod:`.values` checks the
cells, :mod:`.references` matches names against the registry,
:mod:`liaison_cli.store.case_numbers` numbers the cases, :mod:`.history` turns a case row into
the steps of its lifecycle, and the three importers (:mod:`.deputies`,
:mod:`.cases`, :mod:`.contacts`) put them together over
:mod:`liaison_cli.store.bulk`.
"""

# Each importer is imported where it is used (``importing.cases`` …): the
# deputies one brings the registry service, which a case import does not need.
