"""Full builds of both demo scenarios on simulated data: green, nothing lost, identity close to
the simulator's ground truth."""

from __future__ import annotations

import pytest

from conftest import query

SCENARIOS = ["saas", "loyalty"]


@pytest.mark.dbt
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_build_accounts_for_every_raw_row(simulated_warehouse, scenario):
    db = simulated_warehouse(scenario)
    counts = query(
        db,
        """
        select
            (select count(*) from raw.events) as n_raw,
            (select count(*) from staging.stg_events) as n_accepted,
            (select count(*) from staging.rejected_events) as n_rejected,
            (select count(*) from marts.fct_events) as n_fct
        """,
    ).iloc[0]
    assert counts.n_raw == counts.n_accepted + counts.n_rejected
    assert counts.n_fct == counts.n_accepted
    assert counts.n_rejected > 0, "the simulator's dirt should produce rejected rows"


@pytest.mark.dbt
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_reject_reason_occurs_on_simulated_dirt(simulated_warehouse, scenario):
    db = simulated_warehouse(scenario)
    reasons = set(
        query(db, "select distinct reject_reason from staging.rejected_events").reject_reason
    )
    assert {"duplicate_event_id", "no_identifier", "event_ts_in_future"} <= reasons


def _pair_scores(db) -> tuple[float, float, int]:
    """Precision and recall of "same person" pairs of accepted events against truth."""
    cells = query(
        db,
        """
        with labelled as (
            select fct.person_id, truth.true_person_id
            from marts.fct_events as fct
            inner join (
                select event_id, min(true_person_id) as true_person_id
                from truth.events
                group by event_id
            ) as truth
                on fct.event_id = truth.event_id
        ),

        cells as (
            select person_id, true_person_id, count(*) as n
            from labelled
            group by all
        ),

        pred as (select person_id, sum(n) as n from cells group by all),
        true_sizes as (select true_person_id, sum(n) as n from cells group by all)

        select
            (select sum(n * (n - 1) / 2) from cells) as both_same,
            (select sum(n * (n - 1) / 2) from pred) as pred_same,
            (select sum(n * (n - 1) / 2) from true_sizes) as true_same,
            (select sum(n) from cells) as n_events
        """,
    ).iloc[0]
    precision = float(cells.both_same) / float(cells.pred_same)
    recall = float(cells.both_same) / float(cells.true_same)
    return precision, recall, int(cells.n_events)


@pytest.mark.dbt
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_identity_matches_ground_truth(simulated_warehouse, scenario):
    precision, recall, n_events = _pair_scores(simulated_warehouse(scenario))
    print(
        f"\n[{scenario}] same-person pairs over {n_events:,d} events:"
        f" precision {precision:.4f}, recall {recall:.4f}"
    )
    assert precision >= 0.99
    assert recall >= 0.99
