-- member_votes: every member's position on every roll call, in plain text columns.
-- Rule: one row per member per roll call, as the official roll lists them. `option` is the
-- normalized option (yea | nay | present | not_voting | candidate); `raw_option` is the
-- option exactly as published ("Aye", "No", "Not Voting"). Party and state are those printed
-- beside the member on that roll call. Source: each roll call's official file (roll_calls.source_id).
SELECT
    roll_calls.id AS roll_call_id,
    roll_calls.chamber,
    roll_calls.date,
    voters.member_id,
    members.bioguide_id,
    members.name,
    voters.party,
    voters.state,
    vote_options.option,
    vote_options.raw_option
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
JOIN voters ON voters.id = positions.voter_id
JOIN members ON members.id = voters.member_id
JOIN vote_options ON vote_options.id = positions.vote_option_id
