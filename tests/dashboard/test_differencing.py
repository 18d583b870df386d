"""No hidden count of 1 to 4 can be found by subtracting what the dashboard shows from a total."""

from datetime import datetime

import pytest

from champions.accounts.models import Role
from champions.dashboard import services
from champions.small_numbers import display_counts, may_show_total
from tests.dashboard.conftest import csv_rows, sector


def test_a_column_hides_more_counts_until_the_hidden_ones_add_up_to_5_or_more(app):
    assert display_counts([20, 0, 12]) == ["20", "0", "12"]
    assert display_counts([20, 3, 0, 12]) == ["20", "fewer than 5", "0", "not shown"]
    assert display_counts([20, 3, 4, 12]) == ["20", "fewer than 5", "fewer than 5", "12"]  # 7 hidden
    assert display_counts([3, 1]) == ["fewer than 5", "fewer than 5"]  # the total is small itself
    assert display_counts([6, 3, 1]) == ["not shown", "fewer than 5", "fewer than 5"]
    assert may_show_total([0, 5, 9]) and not may_show_total([5, 9, 2])


@pytest.mark.parametrize("now", [None, datetime(2027, 2, 10, 12), datetime(2027, 3, 12, 12)])
def test_registrations_by_month_cannot_be_worked_out_from_the_types(
    client, as_role, held_event, place_clock, now
):
    if now:
        place_clock(now)
    # 35 days apart, so always in three different months (30 apart, 10 and 40 days ago were both in January
    # on 10 February).
    held_event("training", days_ago=80, registered=20, attended=10)
    held_event("training", days_ago=45, registered=3, attended=3)
    held_event("training", days_ago=10, registered=12, attended=6)
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    by_type = csv_rows(client.get("/dashboard/tables/events_by_type.csv"))
    assert by_type[1][:3] == ["Training", "3", "35"]  # the total registrations, in full
    months = [
        row for row in csv_rows(client.get("/dashboard/tables/events_by_month.csv"))[1:] if row[1] != "0"
    ]
    assert [row[2:] for row in months] == [
        ["20", "10", "50%"],
        ["fewer than 5", "fewer than 5", "not shown"],  # all 3 came: no rate to point to them
        ["not shown", "not shown", "not shown"],  # else 35 - 20 - 12 would tell the 3
    ]


def test_the_champions_total_is_not_given_beside_a_hidden_group(client, as_role, champion_in):
    for _ in range(6):
        champion_in("Fife", sectors=[sector("education")])
    champion_in("Fife", sectors=[sector("health")])
    services.refresh_statistics()
    as_role(Role.COORDINATOR)
    rows = csv_rows(client.get("/dashboard/tables/champions_by_sector.csv"))
    assert rows[1][1] == "6" and rows[2][1] == "fewer than 5"
    body = client.get("/dashboard").get_data(as_text=True)
    assert "There are 7 verified champions" not in body  # in no table's sentence
    assert (
        f"More verified champions here work in {sector('education').name} than in any other sector." in body
    )
