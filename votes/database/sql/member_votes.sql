-- member_votes: every member's position on every roll call, in plain text columns, with what
-- the roll call was about and what it decided.
-- Rule: one row per member per roll call, as the official roll lists them. `option` is the
-- normalized option (yea | nay | present | not_voting | candidate); `raw_option` is the
-- option exactly as published ("Aye", "No", "Not Voting"). Party and state are those printed
-- beside the member on that roll call. `threshold` is the rule the question required
-- (roll_call_thresholds: majority | three_fifths_sworn | three_fifths_voting |
-- two_thirds_voting | quorum | none); `result` is the published result. Source: each roll
-- call's official file (roll_calls.source_id).
-- Shape: plain joins by key. With the planner's statistics (ANALYZE, run at the end of every
-- load) SQLite starts from what a page filters on: the member by name (ix_members_name), the
-- voters by state or party, a congress's roll calls (ix_roll_calls_congress), or the roll calls
-- by date for the unfiltered page, whose 10.6 million rows are never sorted. A roll call's
-- positions are found through the voters of its congress and chamber (voter_sessions), each
-- one's position then by the primary key: there is no index of positions by roll call.
SELECT
    roll_calls.roll_call_id,
    roll_calls.chamber,
    roll_calls.date,
    voters.member_id,
    members.bioguide_id,
    members.name,
    voters.party,
    voters.state,
    vote_options.option,
    vote_options.raw_option,
    roll_calls.congress,
    roll_calls.question,
    measures.label AS measure,
    roll_calls.result,
    roll_calls.threshold
FROM positions
JOIN roll_call_thresholds AS roll_calls ON roll_calls.roll_call_key = positions.roll_call_key
JOIN voter_sessions
    ON voter_sessions.congress = roll_calls.congress
    AND voter_sessions.chamber = roll_calls.chamber
    AND voter_sessions.voter_id = positions.voter_id
JOIN voters ON voters.id = positions.voter_id
JOIN members ON members.id = voters.member_id
JOIN vote_options ON vote_options.id = positions.vote_option_id
LEFT JOIN measures ON measures.id = roll_calls.measure_id
