"""Properties of calculate_grant that must hold for every rule and every area (hypothesis)."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from grants.calculation import calculate_grant

yen = st.integers(min_value=0, max_value=5_000_000)
rules = st.builds(
    SimpleNamespace,
    equal_share=yen,
    per_capita=st.integers(min_value=0, max_value=5_000),
    per_household=st.integers(min_value=0, max_value=5_000),
    secretariat_cost=yen,
    rounding_unit=st.sampled_from([1, 10, 100, 1_000, 10_000]) | st.integers(min_value=1, max_value=100_000),
    change_cap_percent=st.none() | st.integers(min_value=0, max_value=150),
)
people = st.integers(min_value=0, max_value=50_000)
subsidies = st.lists(st.tuples(st.text(min_size=1, max_size=10), yen), max_size=4)
previous = st.none() | st.integers(min_value=0, max_value=50_000_000)


def raw_base(rule, population, households):
    return rule.equal_share + population * rule.per_capita + households * rule.per_household + rule.secretariat_cost


@given(rules, people, people, subsidies, previous)
def test_total_is_the_sum_of_the_lines_and_never_negative(rule, population, households, subsidies, previous_base):
    result = calculate_grant(
        rule=rule, population=population, households=households, subsidies=subsidies, previous_base=previous_base
    )
    assert result.total == sum(line.amount for line in result.lines)
    assert result.total == result.base_amount + result.subsidy_amount
    assert result.subsidy_amount == sum(amount for _, amount in subsidies)
    assert result.total >= 0
    assert result.base_amount >= 0


@given(rules, people, people, previous)
def test_rounding_never_adds_money(rule, population, households, previous_base):
    result = calculate_grant(rule=rule, population=population, households=households, previous_base=previous_base)
    raw = raw_base(rule, population, households)
    rounding = [line.amount for line in result.lines if line.label == "端数調整"]
    assert all(-rule.rounding_unit < amount < 0 for amount in rounding)
    if not any(line.label == "激変緩和" for line in result.lines):
        assert raw - rule.rounding_unit < result.base_amount <= raw
        assert result.base_amount % rule.rounding_unit == 0


@given(rules, people, people, st.integers(min_value=1, max_value=10_000), previous)
def test_more_population_never_lowers_the_population_line(rule, population, households, more, previous_base):
    def population_line(count):
        result = calculate_grant(rule=rule, population=count, households=households, previous_base=previous_base)
        return next(line.amount for line in result.lines if line.label == "人口割")

    assert population_line(population + more) >= population_line(population)


@given(rules, people, people, st.integers(min_value=1, max_value=50_000_000))
def test_the_cap_holds(rule, population, households, previous_base):
    result = calculate_grant(rule=rule, population=population, households=households, previous_base=previous_base)
    if rule.change_cap_percent is None:
        return
    cap = rule.change_cap_percent
    # |base − previous| ≤ previous × cap / 100, compared in whole numbers (×100) to stay exact.
    assert abs(result.base_amount - previous_base) * 100 <= previous_base * cap


@given(rules, people, people, st.integers(min_value=1, max_value=50_000_000))
def test_a_capped_base_stays_on_the_rounding_unit_when_the_band_allows(rule, population, households, previous_base):
    result = calculate_grant(rule=rule, population=population, households=households, previous_base=previous_base)
    unit = rule.rounding_unit
    cap = rule.change_cap_percent
    if cap is None:
        return
    lowest = -((-previous_base * (100 - cap)) // 100)
    highest = previous_base * (100 + cap) // 100
    if -(-lowest // unit) * unit <= highest:  # some multiple of the unit lies within the band
        assert result.base_amount % unit == 0
