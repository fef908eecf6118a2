"""Peer groups: which authorities a comparison is made among, and which of them a measure applies to.

Public surface:
- `GROUPS`, `CLASSES`, `NEIGHBOUR_GROUPS`, `GROUP_LABELS`, `check_group(group)`: the groups every `--group` and
  peer-group picker offers (class codes, ALL, NN = ONS statistical nearest neighbours, SN = DfE children's services
  statistical neighbours);
- `peer_group(store, code, group) -> PeerGroup`: the members (the authority included), the group's definition and
  source (files and sha256); `PeerGroup.applicable(applies_to)` and `.comparison_table(applies_to, with_figure)`;
- `EVERY_CLASS`, `UPPER_TIER`, `HOUSING_AND_BILLING`, `applicability(code, class, applies_to)`: the rule that makes a
  member "not applicable" (outside England, or a class that does not provide the service) rather than "no return".
The neighbour lists are loaded by `finance.official` (`import_paths` recognises the files by their content).
"""

from __future__ import annotations

from finance.peergroups.definitions import (
    CLASS_LABELS,
    CLASSES,
    EVERY_CLASS,
    GROUP_LABELS,
    GROUPS,
    HOUSING_AND_BILLING,
    LOOKUP_DATASET,
    MODEL_DATASETS,
    NEIGHBOUR_GROUPS,
    UPPER_TIER,
    Applicability,
    applicability,
    check_group,
    is_neighbour_group,
)
from finance.peergroups.members import IN_COMPARISON, NO_RETURN, PeerGroup, peer_group

__all__ = [
    "CLASSES",
    "CLASS_LABELS",
    "EVERY_CLASS",
    "GROUPS",
    "GROUP_LABELS",
    "HOUSING_AND_BILLING",
    "IN_COMPARISON",
    "LOOKUP_DATASET",
    "MODEL_DATASETS",
    "NEIGHBOUR_GROUPS",
    "NO_RETURN",
    "UPPER_TIER",
    "Applicability",
    "PeerGroup",
    "applicability",
    "check_group",
    "is_neighbour_group",
    "peer_group",
]
