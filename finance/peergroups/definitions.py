"""Which peer groups exist, what each one is, and which authorities a measure applies to.

Why one module: every comparison in Headroom (reserves benchmark, resilience indicators, service spending, DSG,
demand, nowcast, pack, CLI `--group`) chooses its peers from the same list and must describe the group in the same
words; and whether a member is "not applicable" (it does not provide the service measured, or is outside England)
rather than "no return" is a rule of the measure, decided here once.

Groups: the authority classes of the MHCLG returns (MD, LB, UA, SC, SD, O), ALL (every English authority), and two
published neighbour models whose members depend on the authority chosen — NN (ONS statistical nearest neighbours,
global model: the 20 neighbours and the authority itself) and SN (DfE children's services statistical neighbours:
the 10 neighbours and the authority itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from finance.errors import InputError

CLASSES = ("MD", "LB", "UA", "SC", "SD", "O")
NEIGHBOUR_GROUPS = ("NN", "SN")
GROUPS = (*CLASSES, "ALL", *NEIGHBOUR_GROUPS)

CLASS_LABELS = {
    "MD": "Metropolitan districts",
    "LB": "London boroughs",
    "UA": "Unitary authorities",
    "SC": "Shire counties",
    "SD": "Shire districts",
    "O": "Other bodies (police, fire, combined, …)",
}
GROUP_LABELS = {
    **CLASS_LABELS,
    "ALL": "All English authorities",
    "NN": "ONS statistical nearest neighbours (20 + the authority)",
    "SN": "DfE children's services statistical neighbours (10 + the authority)",
}

#: What each neighbour model is, in words, and the dataset name its file is recorded under in `source_file`.
MODEL_NAMES = {"NN": "ONS statistical nearest neighbours", "SN": "DfE children's services statistical neighbours"}
MODEL_MEMBERS = {
    "NN": "the authority and its 20 nearest neighbours, UK-wide",
    "SN": "the authority and its 10 statistical neighbours (upper-tier authorities in England)",
}
MODEL_DATASETS = {"NN": "ONS nearest neighbours", "SN": "DfE statistical neighbours"}
LOOKUP_DATASET = "DfE LA lookup"

# -- applicability -------------------------------------------------------------------------------------------------

#: Every class: reserves, net revenue expenditure and the ratios built on them.
EVERY_CLASS = frozenset(CLASSES)
#: Authorities responsible for education, children's and adults' social care and public health (the DSG, SEND,
#: looked-after children): not shire districts, not police/fire/combined bodies.
UPPER_TIER = frozenset({"MD", "LB", "UA", "SC"})
#: Housing and billing authorities (homelessness and temporary accommodation duty, council tax and business rates
#: collection): not shire counties, not police/fire/combined bodies.
HOUSING_AND_BILLING = frozenset({"MD", "LB", "UA", "SD"})

_WHAT_CLASS_LACKS = {
    "SD": "a shire district does not provide this service",
    "SC": "a shire county does not provide this service",
    "O": "a police, fire or combined body does not provide this service",
}


@dataclass(frozen=True)
class Applicability:
    """Whether a measure applies to one peer-group member: `applies` False means "not applicable" (left out of the
    median, quartiles, rank and the coverage count), with `reason` in words."""

    applies: bool
    reason: str = ""


def applicability(code: str, class_code: str | None, applies_to: frozenset[str]) -> Applicability:
    """The rule every peer computation uses: a member outside England (a code not starting 'E') or of a class the
    measure does not apply to is not applicable; any other member is (and has a figure or is "no return").

    `class_code` None means an English authority Headroom holds no return for: it is applicable, and so "no return".
    """
    if not code.upper().startswith(("E", "DEMO")):
        return Applicability(False, "outside England: not on the English returns")
    if class_code is None or class_code in applies_to:
        return Applicability(True)
    return Applicability(False, _WHAT_CLASS_LACKS.get(class_code, f"class {class_code}: the measure does not apply"))


def check_group(group: str, where: str = "--group") -> str:
    """The peer group as given (a class code, ALL, NN or SN, any case), or `InputError` naming `where`."""
    g = str(group).strip().upper()
    if g not in GROUPS:
        raise InputError.single(where, f"must be one of {', '.join(GROUPS)}", group)
    return g


def is_neighbour_group(group: str) -> bool:
    """True for NN and SN: groups whose members depend on the authority chosen."""
    return group in NEIGHBOUR_GROUPS
