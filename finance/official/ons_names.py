"""Authority names from the ONS name for the code, when an ONS file giving it has been imported.

Why: the returns name one authority several ways ("Derby City UA", "Wigan MBC", "St Helens MBC" beside "Sefton"),
and a suffix rule (`finance.format.authority_name`) cannot know that ONS calls E06000015 "Derby". ONS's
"Clustering similar local authorities and statistical nearest neighbours" workbook, imported for the NN peer
group, gives the ONS code and name of every UK local authority, so once it is held every authority it names is
called exactly that. The view `authority_name_source` (migration 240) says which file each such name came from
(`source_file`: its name and sha256). An authority the file does not name (police, fire, waste and combined
authorities) keeps the name from its newest return under the suffix rule.

`apply_ons_names` runs at the end of every official import, in its one transaction, so a return imported after the
ONS file (which writes the return's own name) cannot bring the old name back; migration 240 runs the same
statement once for databases that already hold the file.
"""

from __future__ import annotations

from finance.store import Tx

APPLY_SQL = """
    UPDATE authority SET name = ons.name
    FROM ons_authority_name AS ons
    WHERE authority.code = ons.code AND NOT authority.is_illustrative AND authority.name <> ons.name"""


def apply_ons_names(tx: Tx) -> None:
    """Name every non-illustrative authority the held ONS file names by that name (view `ons_authority_name`)."""
    tx.execute(APPLY_SQL)
