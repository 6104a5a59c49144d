-- party_breakdown: each party's yeas, nays, present and not voting on each roll call, counted
-- from the member roll, with the official party row beside it.
-- Rule: a member's party is the one printed beside their name on that roll call. The counts
-- are of the member roll: party_tallies, which every loader counts from `positions` when it
-- loads a roll call (votes.rows.PARTY_TALLIES), so that no page recounts millions of positions.
-- The official_* columns are the published party totals (vote_counts), kept apart so that the
-- two can be reconciled: `matches_official` is 1 when all four agree. The Vice President's
-- tie-breaking vote belongs to no party, and is in no count (the chamber total leaves it out,
-- as the Senate's counts do). Members printed without a party form the party ''. Source: each roll call's official
-- file (roll_calls.source_id).
-- Shape: every column beyond party_tallies is a lookup by key (a correlated subquery), not a
-- join, so that counting the view or faceting it by party, which Datasette does on every page,
-- reads party_tallies alone: at 1989-2020 size, 0.2 ms and 3 ms instead of 26 ms and 37 ms. An
-- analyst's party totals over a congress read it too: SELECT party, SUM(yea), SUM(nay) FROM
-- party_breakdown WHERE congress = 118 GROUP BY party (87,000 tallies, not 600,000 positions).
SELECT
    party_tallies.roll_call_id,
    (SELECT chamber FROM roll_calls WHERE roll_calls.id = party_tallies.roll_call_id) AS chamber,
    (SELECT congress FROM roll_calls WHERE roll_calls.id = party_tallies.roll_call_id) AS congress,
    (SELECT date FROM roll_calls WHERE roll_calls.id = party_tallies.roll_call_id) AS date,
    party_tallies.party,
    party_tallies.yea,
    party_tallies.nay,
    party_tallies.present,
    party_tallies.not_voting,
    (
        SELECT vote_counts.yea
        FROM vote_counts
        WHERE vote_counts.roll_call_id = party_tallies.roll_call_id
            AND vote_counts.party = party_tallies.party
    ) AS official_yea,
    (
        SELECT vote_counts.nay
        FROM vote_counts
        WHERE vote_counts.roll_call_id = party_tallies.roll_call_id
            AND vote_counts.party = party_tallies.party
    ) AS official_nay,
    (
        SELECT vote_counts.present
        FROM vote_counts
        WHERE vote_counts.roll_call_id = party_tallies.roll_call_id
            AND vote_counts.party = party_tallies.party
    ) AS official_present,
    (
        SELECT vote_counts.not_voting
        FROM vote_counts
        WHERE vote_counts.roll_call_id = party_tallies.roll_call_id
            AND vote_counts.party = party_tallies.party
    ) AS official_not_voting,
    (
        SELECT COUNT(*)
        FROM vote_counts
        WHERE vote_counts.roll_call_id = party_tallies.roll_call_id
            AND vote_counts.party = party_tallies.party
            AND vote_counts.yea = party_tallies.yea
            AND vote_counts.nay = party_tallies.nay
            AND vote_counts.present = party_tallies.present
            AND vote_counts.not_voting = party_tallies.not_voting
    ) AS matches_official
FROM party_tallies
