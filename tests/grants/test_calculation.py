from types import SimpleNamespace

import pytest

from grants.calculation import calculate_grant


def rule(**overrides):
    terms = {
        "equal_share": 300_000,
        "per_capita": 1_100,
        "per_household": 1_500,
        "secretariat_cost": 600_000,
        "rounding_unit": 1_000,
        "change_cap_percent": None,
    }
    terms.update(overrides)
    return SimpleNamespace(**terms)


def test_lines_are_named_and_add_up_to_the_total():
    result = calculate_grant(
        rule=rule(), population=1_234, households=517, subsidies=[("地域振興会運営補助金", 150_000)]
    )
    labels = [line.label for line in result.lines]
    assert labels[:4] == ["均等割", "人口割", "世帯割", "事務局人件費"]
    assert result.lines[1].amount == 1_234 * 1_100
    assert result.lines[1].basis == "1,234人 × 1,100円"
    # 300,000 + 1,357,400 + 775,500 + 600,000 = 3,032,900 → 3,032,000 after rounding down to 1,000 yen
    assert result.base_amount == 3_032_000
    assert result.subsidy_amount == 150_000
    assert result.total == 3_182_000 == sum(line.amount for line in result.lines)


def test_change_from_last_year_is_capped():
    result = calculate_grant(
        rule=rule(change_cap_percent=33), population=5_000, households=2_000, previous_base=1_000_000
    )
    assert result.base_amount == 1_330_000
    assert result.lines[-1].label == "激変緩和"


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        calculate_grant(rule=rule(), population=-1, households=0)
