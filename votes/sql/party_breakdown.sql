-- party_breakdown: each party's yeas, nays, present and not voting on each roll call, counted
-- from the member roll, with the official party row beside it.
-- Rule: a member's party is the one printed beside their name on that roll call. The counts
-- are of the member roll: party_tallies, which every loader counts from `positions` when it
-- loads a roll call (votes.rows.PARTY_TALLIES), so that no page recounts millions of positions.
-- The official_* columns are the published party totals (vote_counts), kept apart so that the
-- two can be reconciled: `matches_official` is 1 when all four agree. The Vice President's
-- tie-breaking vote belongs to no party: it is in the chamber total (vote_counts, party 'ALL')
-- only. Members printed without a party form the party ''. Source: each roll call's official
-- file (roll_calls.source_id).
SELECT
    party_tallies.roll_call_id,
    roll_calls.chamber,
    roll_calls.date,
    party_tallies.party,
    party_tallies.yea,
    party_tallies.nay,
    party_tallies.present,
    party_tallies.not_voting,
    vote_counts.yea AS official_yea,
    vote_counts.nay AS official_nay,
    vote_counts.present AS official_present,
    vote_counts.not_voting AS official_not_voting,
    CASE
        WHEN party_tallies.yea = vote_counts.yea
            AND party_tallies.nay = vote_counts.nay
            AND party_tallies.present = vote_counts.present
            AND party_tallies.not_voting = vote_counts.not_voting
            THEN 1
        ELSE 0
    END AS matches_official
FROM party_tallies
JOIN roll_calls ON roll_calls.id = party_tallies.roll_call_id
LEFT JOIN vote_counts
    ON vote_counts.roll_call_id = party_tallies.roll_call_id
    AND vote_counts.party = party_tallies.party
