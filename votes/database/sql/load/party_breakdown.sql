-- party_breakdown: each party's yeas, nays, present and not voting on each roll call, counted
-- from the member roll, with the official party row beside it.
-- Rule: a member's party is the one printed beside their name on that roll call. The counts
-- are of the member roll: party_tallies, which every loader counts from `positions` when it
-- loads a roll call (votes.database.derive), so that no page recounts millions of positions.
-- The official_* columns are the published party totals (vote_counts), kept apart so that the
-- two can be reconciled: `matches_official` is 1 when all four agree. The Vice President's
-- tie-breaking vote belongs to no party, and is in no count (the chamber total leaves it out,
-- as the Senate's counts do). Members printed without a party form the party ''. Source: each roll call's official
-- file (roll_calls.source_id).
-- Stored: a table of this name, computed whole at the end of every load that wrote roll calls
-- (votes.database.summaries; migration 0006), so that a page counts and facets it by its own
-- indexes, and an analyst's party totals over a congress (SELECT party, SUM(yea), SUM(nay) FROM
-- party_breakdown WHERE congress = 118 GROUP BY party) read that congress's rows by its index
-- on congress and party, not 600,000 positions nor all 87,000 tallies.
DELETE FROM party_breakdown;
INSERT INTO party_breakdown (
    roll_call_id, chamber, congress, date, party, yea, nay, present, not_voting, official_yea,
    official_nay, official_present, official_not_voting, matches_official
)
SELECT
    party_tallies.roll_call_id,
    roll_calls.chamber,
    roll_calls.congress,
    roll_calls.date,
    party_tallies.party,
    party_tallies.yea,
    party_tallies.nay,
    party_tallies.present,
    party_tallies.not_voting,
    vote_counts.yea,
    vote_counts.nay,
    vote_counts.present,
    vote_counts.not_voting,
    CASE
        WHEN vote_counts.yea = party_tallies.yea
            AND vote_counts.nay = party_tallies.nay
            AND vote_counts.present = party_tallies.present
            AND vote_counts.not_voting = party_tallies.not_voting
            THEN 1
        ELSE 0
    END
FROM party_tallies
JOIN roll_calls ON roll_calls.id = party_tallies.roll_call_id
LEFT JOIN vote_counts
    ON vote_counts.roll_call_id = party_tallies.roll_call_id
    AND vote_counts.party = party_tallies.party;
