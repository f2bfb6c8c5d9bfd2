"""Grant arithmetic for the 小規模多機能自治一括交付金.

`calculate_grant` is pure: given a fiscal year's rule, an area's population and households and the
organization's integrated subsidies, it returns every named line and the total. The public estimate
on /grants/ and the clerks' 算定 in the admin both call it, so residents and the city see one figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    label: str
    amount: int
    basis: str = ""
    kind: str = "base"  # base | adjustment | subsidy


@dataclass(frozen=True)
class Breakdown:
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def base_amount(self):
        return sum(line.amount for line in self.lines if line.kind != "subsidy")

    @property
    def subsidy_amount(self):
        return sum(line.amount for line in self.lines if line.kind == "subsidy")

    @property
    def total(self):
        return sum(line.amount for line in self.lines)

    def as_json(self):
        return [{"label": ln.label, "amount": ln.amount, "basis": ln.basis, "kind": ln.kind} for ln in self.lines]


def _yen(amount):
    return f"{amount:,}円"


def calculate_grant(*, rule, population, households, subsidies: Iterable[tuple[str, int]] = (), previous_base=None):
    """The grant from one rule (anything with GrantRule's fields), counts of people and households,
    (name, yen) pairs of integrated subsidies, and last year's base amount for 激変緩和."""
    if population < 0 or households < 0:
        raise ValueError("人口・世帯数は0以上です。")
    lines = [
        Line("均等割", rule.equal_share, "各組織同額"),
        Line("人口割", population * rule.per_capita, f"{population:,}人 × {_yen(rule.per_capita)}"),
        Line("世帯割", households * rule.per_household, f"{households:,}世帯 × {_yen(rule.per_household)}"),
        Line("事務局人件費", rule.secretariat_cost, "役員・事務局の負担への手当"),
    ]
    raw_base = sum(line.amount for line in lines)
    unit = max(rule.rounding_unit, 1)
    rounded = raw_base // unit * unit
    if rounded != raw_base:
        lines.append(Line("端数調整", rounded - raw_base, f"{_yen(unit)}未満切り捨て", "adjustment"))
    if rule.change_cap_percent is not None and previous_base:
        ratio = rule.change_cap_percent
        lower = -((-previous_base * (100 - ratio)) // 100)  # ceiling: never below the cap
        upper = previous_base * (100 + ratio) // 100
        capped = min(max(rounded, lower), upper)
        if capped != rounded:
            lines.append(
                Line(
                    "激変緩和", capped - rounded, f"前年度基本額 {_yen(previous_base)} の ±{ratio}% 以内", "adjustment"
                )
            )
    for name, amount in subsidies:
        lines.append(Line(name, amount, "統合された既存補助金", "subsidy"))
    return Breakdown(tuple(lines))
