-- party_defectors: members who voted against the majority of their own party.
-- Rule: a party's majority on a roll call is yea when its members' yeas outnumber their nays and
-- nay when the nays outnumber the yeas (party_tallies, counted from the member roll, as
-- party_breakdown shows them); a party split evenly has no majority and no defectors. A
-- defector is a member of that party who voted the other way, yea or nay ("present" and "not
-- voting" defect from nothing). The Vice President, who votes only to break a tie, belongs to
-- no party and is never listed; nor are members printed without a party. member_stats counts
-- these rows as each member's defections (for D and R). Source: each roll call's official file.
-- Shape: plain joins by key, so that with the planner's statistics (ANALYZE, at the end of
-- every load) SQLite starts from what a page filters on: a member (their positions, clustered
-- by member), a roll call or a congress (the voters of its congress and chamber, voter_sessions,
-- then each one's position by key), or the roll calls in id order for the unfiltered page.
-- (voters.party || '': a party's tally is looked up by the voter's party, never the voters by it,
-- which made SQLite try every voter of the party on every roll call of a congress: 1.7 s.)
-- (The option is tested by its ids, vote_option_id IN (...), not by joining vote_options first:
-- the test then needs only the position and the party's tally, so a member's positions are
-- sifted before their sessions are looked up, and only the defections look one up. A member
-- with 19,583 positions: 26 ms -> 19 ms.)
SELECT
    roll_calls.id AS roll_call_id,
    roll_calls.chamber,
    roll_calls.congress,
    roll_calls.date,
    voters.member_id,
    members.name,
    voters.party,
    voters.state,
    vote_options.option,
    CASE
        WHEN party_tallies.yea > party_tallies.nay THEN 'yea'
        ELSE 'nay'
    END AS party_majority,
    party_tallies.yea AS party_yea,
    party_tallies.nay AS party_nay
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
JOIN voter_sessions
    ON voter_sessions.congress = roll_calls.congress
    AND voter_sessions.chamber = roll_calls.chamber
    AND voter_sessions.voter_id = positions.voter_id
JOIN voters ON voters.id = positions.voter_id
JOIN members ON members.id = voters.member_id
JOIN vote_options ON vote_options.id = positions.vote_option_id
JOIN party_tallies
    ON party_tallies.roll_call_id = roll_calls.id
    AND party_tallies.party = voters.party || ''
WHERE voters.party <> ''
    AND voters.member_id <> 'VP'
    AND (
        (
            positions.vote_option_id IN (SELECT id FROM vote_options WHERE option = 'yea')
            AND party_tallies.nay > party_tallies.yea
        )
        OR (
            positions.vote_option_id IN (SELECT id FROM vote_options WHERE option = 'nay')
            AND party_tallies.yea > party_tallies.nay
        )
    )
