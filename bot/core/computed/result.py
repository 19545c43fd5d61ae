"""What a computed answer is: its kind, the text (figure and rule, or rule and a request for
the numbers) and the regulation it cites."""

from __future__ import annotations

from dataclasses import dataclass

# The kinds, as eval files label them ("computed:<kind>").
KINDS = (
    "dues",
    "dues-arrears",
    "candidate-date",
    "probation-end",
    "party-age",
    "membership-timeline",
)
LABEL_PREFIX = "computed:"


@dataclass(frozen=True, slots=True)
class Computed:
    """A computed answer. `complete` is False when the numbers were missing or unreadable and
    the answer gives the rule and asks for them."""

    kind: str
    answer: str
    source: str
    complete: bool = True

    @property
    def label(self) -> str:
        """The eval label: computed:<kind>."""
        return LABEL_PREFIX + self.kind
