"""On track or off track: a target against the latest value of its own series, on its own basis.

The rule (docs/METHODOLOGY.md, "Targets"): a target is judged only on values of its series' basis — a year-end
target on the outturn (RS, or the demo's illustrative returns), an in-year target on the council's own monitoring
forecast, a collection target on the collection rate projected to the year end. It is **on track** when the value
it is judged on meets it (at least: ≥ the target; at most: ≤), **off track** when it does not, and **not judged**
when no value of its basis is held. The value judged is:
- a year-end series: the latest value held (there is no forecast of an outturn, so a target not yet reached is
  off track until it is);
- an in-year forecast series (variance, DSG deficit): the latest period's forecast for the year end — itself the
  projected path;
- a collection rate: the rate at the latest period plus what last year collected between that period and its
  year end (last year's own profile), or the rate itself at P12; not judged without last year's profile.
"""

from __future__ import annotations

from dataclasses import dataclass

from finance.targets.catalogue import BASIS_WORDS
from finance.targets.model import Target, value_text

ON_TRACK, OFF_TRACK, NOT_JUDGED = "on track", "off track", "not judged"


@dataclass(frozen=True)
class Progress:
    """A target judged: `status` ON_TRACK / OFF_TRACK / NOT_JUDGED, the value judged (in the target's units, None
    when not judged) with its basis and as-at words, and a sentence saying all of it."""

    target: Target
    status: str
    judged_value: float | None
    judged_on: str  # 'outturn (RS) at 31 March 2025', 'in-year forecast at P7 (Oct) 2025-26', …
    text: str

    def as_dict(self) -> dict[str, object]:
        return {
            **self.target.as_dict(),
            "status": self.status,
            "judged_value": self.judged_value,
            "judged_on": self.judged_on,
            "text": self.text,
        }


def judge(target: Target, value: float | None, judged_on: str, *, why_not: str = "") -> Progress:
    """`target` judged on `value` (same series, same basis, same units; None when none is held — `why_not`
    then says why). `judged_on` says what the value is and when ('outturn (RS) at 31 March 2025')."""
    if value is None:
        reason = why_not or f"no value on its basis ({BASIS_WORDS[target.series.basis]}) is held"
        return Progress(target, NOT_JUDGED, None, judged_on, f"{target.label}: not judged — {reason}.")
    status = ON_TRACK if target.met_by(value) else OFF_TRACK
    gap = abs(value - target.value)
    if status == ON_TRACK:
        how = "meets it"
    else:
        short = "short" if target.direction == "at_least" else "over"
        amount = value_text(gap, "gbp") if target.units == "gbp" else f"{gap:.1f} percentage points"
        how = f"{amount} {short}"
    text = f"{target.label}: {status} — {value_text(value, target.units)} ({judged_on}), {how}."
    return Progress(target, status, value, judged_on, text)


def collection_projection(
    rate_now_pct: float | None, period: int, last_year_same_period_pct: float | None, last_year_final_pct: float | None
) -> tuple[float | None, str]:
    """(the year-end collection rate projected from the latest period, words) — the rate now at P12; else the rate
    now plus what last year collected from the same period to its year end; None (with the reason) otherwise."""
    if rate_now_pct is None:
        return None, "no collection rate held for the stream"
    if period == 12:
        return rate_now_pct, "the year-end rate"
    if last_year_same_period_pct is None or last_year_final_pct is None:
        return None, "last year's collection profile is not held, so the year end cannot be projected"
    return rate_now_pct + (last_year_final_pct - last_year_same_period_pct), "projected with last year's profile"
