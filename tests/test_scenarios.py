"""The scenario builder is driven as a student would: set drivers, read the scenario, try the impossible."""

import pytest

from japan_central_asia import scenarios as sc


def test_drivers_are_documented_with_two_poles():
    assert list(sc.DRIVERS) == ["energy_minerals", "china_role", "russia_role", "us_alliance", "sco",
                                "middle_corridor", "ca_agency"]
    for driver in sc.DRIVERS.values():
        assert driver.name and driver.description and driver.low and driver.high
        assert driver.low != driver.high
    table = sc.drivers_table()
    assert list(table.columns) == ["key", "driver", "description", "low pole", "high pole"]
    assert len(table) == len(sc.DRIVERS)


def test_neutral_settings_give_the_seeds_baseline():
    result = sc.compose_scenario()
    assert result.consistent and result.name == "Steady presence"
    assert "no earlier rule matched" in result.explanation


@pytest.mark.parametrize(
    "levels, expected",
    [({"energy_minerals": "high"}, "Bilateral resource deals dominate"),
     ({"energy_minerals": "high", "ca_agency": "high"}, "Dialogue deepens"),
     ({"china_role": "high", "ca_agency": "low"}, "Japan marginalised"),
     ({"russia_role": "high", "energy_minerals": "low"}, "Japan marginalised"),
     ({"sco": "high"}, "Japan joins the SCO circle"),
     ({"middle_corridor": "high", "us_alliance": "high"}, "Connectivity with allies"),
     # Dialogue deepens needs Russia not to be high: with Russia high and agency high, the rule
     # falls through to the resource rule.
     ({"ca_agency": "high", "russia_role": "high", "energy_minerals": "high"},
      "Bilateral resource deals dominate")],
)
def test_rules_name_the_scenario(levels, expected):
    assert sc.compose_scenario(levels).name == expected


def test_changing_one_driver_changes_the_explanation():
    before = sc.compose_scenario(energy_minerals="high")
    after = sc.compose_scenario(energy_minerals="high", ca_agency="high")
    assert before.explanation != after.explanation
    assert after.explanation.startswith("Dialogue deepens.")
    assert "Central Asian agency is high" in after.explanation
    table = after.settings_table()
    row = table[table["driver"] == "Central Asian agency"].iloc[0]
    assert row["level"] == "high" and row["meaning"] == sc.DRIVERS["ca_agency"].high


@pytest.mark.parametrize(
    "levels, words",
    [({"russia_role": "high", "middle_corridor": "high"}, "bypasses it"),
     ({"ca_agency": "high", "china_role": "high", "russia_role": "high"}, "diversify"),
     ({"sco": "high", "us_alliance": "high"}, "would not open")],
)
def test_inconsistent_combinations_are_flagged(levels, words):
    result = sc.compose_scenario(levels)
    assert not result.consistent and result.name is None
    assert words in result.explanation
    assert result.explanation.startswith("No consistent scenario")


@pytest.mark.parametrize(
    "levels, message",
    [({"energy_minerals": "very high"}, "not a level"),
     ({"weather": "high"}, "unknown driver"),
     ({"sco": 3}, "not a level")],
)
def test_impossible_values_get_a_clear_message(levels, message):
    with pytest.raises(ValueError, match=message):
        sc.compose_scenario(levels)


def test_every_combination_has_exactly_one_outcome_and_every_scenario_is_reachable():
    table = sc.all_combinations()
    assert len(table) == 3 ** len(sc.DRIVERS)
    assert set(table["scenario"]) == set(sc.SCENARIOS) | {"inconsistent"}


@pytest.mark.parametrize("rating, level", [(1, "low"), (2, "low"), (2.5, "medium"), (3, "medium"),
                                           (3.5, "medium"), (4, "high"), (5, "high")])
def test_ratings_map_to_levels(rating, level):
    assert sc.level_from_rating(rating) == level


def test_rating_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="between 1 and 5"):
        sc.level_from_rating(6)


def test_builder_follows_its_dropdowns():
    builder = sc.ScenarioBuilder()
    assert builder.result.name == "Steady presence"
    assert "Steady presence" in builder.explanation.value
    builder.controls["energy_minerals"].value = "high"   # as a student would
    assert builder.result.name == "Bilateral resource deals dominate"
    assert "Bilateral resource deals dominate" in builder.explanation.value
    assert "<table" in builder.table.value
    builder.set(ca_agency="high")
    assert builder.result.name == "Dialogue deepens"
    assert builder.message.text == "Scenario: Dialogue deepens"


def test_builder_reports_impossible_and_inconsistent_input_without_losing_state():
    builder = sc.ScenarioBuilder()
    builder.set(energy_minerals="high")
    builder.set(sco="maybe")
    assert builder.message.is_error and "not a level" in builder.message.text
    assert builder.levels["sco"] == "medium"
    assert builder.result.name == "Bilateral resource deals dominate"
    builder.set(russia_role="high", middle_corridor="high")
    assert builder.message.is_error and not builder.result.consistent
    assert "bypasses it" in builder.explanation.value


def test_builder_refuses_a_bad_start():
    with pytest.raises(ValueError, match="unknown driver"):
        sc.ScenarioBuilder({"nope": "high"})
