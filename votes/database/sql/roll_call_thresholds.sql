-- roll_call_thresholds: every roll call with the threshold its question required, the one
-- place that rule is written (threshold_math measures each vote against it; member_votes shows
-- it beside each member's position).
-- Rule: the threshold follows from `requires` as the official file publishes it, and from the
-- chamber. "1/2" is a majority; "3/5" is three fifths of the senators duly chosen and sworn in
-- the Senate (cloture, Senate Rule XXII; Budget Act waivers, sec. 904) and three fifths of the
-- members voting in the House (the tax-rate rule of 1995-2019, House Rule XXI, cl. 5); "2/3" is
-- two thirds of those voting (Art. I, sec. 7; House Rule XV); "QUORUM" is a House quorum call
-- (Art. I, sec. 5). None applies to "unknown" (the file states no threshold), to a vacated vote
-- (it decided nothing), or to an election of the Speaker, decided among candidates: filed under
-- category leadership, or (two of 1993 and 1995) under unknown with the question "ELECTION OF
-- SPEAKER"; only those unknown ones have their question read. Source: each roll call's official
-- file (roll_calls.source_id); the rules are cited in threshold_math.
-- Shape: one row per roll call, read from roll_calls alone, so a view that joins it reads the
-- threshold from the row it already has (SQLite and PostgreSQL merge it into the query).
SELECT
    roll_calls.id AS roll_call_id,
    roll_calls.key AS roll_call_key,
    roll_calls.chamber,
    roll_calls.congress,
    roll_calls.date,
    roll_calls.measure_id,
    roll_calls.question,
    roll_calls.category,
    roll_calls.requires,
    roll_calls.status,
    roll_calls.result,
    CASE
        WHEN roll_calls.status = 'vacated' THEN 'none'
        WHEN roll_calls.requires = '2/3' THEN 'two_thirds_voting'
        WHEN roll_calls.requires = '3/5' AND roll_calls.chamber = 'senate'
            THEN 'three_fifths_sworn'
        WHEN roll_calls.requires = '3/5' THEN 'three_fifths_voting'
        WHEN roll_calls.requires = 'QUORUM' THEN 'quorum'
        WHEN roll_calls.requires <> '1/2' OR roll_calls.category = 'leadership' THEN 'none'
        WHEN roll_calls.category = 'unknown'
            AND UPPER(SUBSTR(roll_calls.question, 1, 12)) = 'ELECTION OF '
            THEN 'none'
        ELSE 'majority'
    END AS threshold
FROM roll_calls
