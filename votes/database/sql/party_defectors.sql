-- party_defectors: members who voted against the majority of their own party.
-- Rule: a party's majority on a roll call is yea when its members' yeas outnumber their nays and
-- nay when the nays outnumber the yeas (party_breakdown, counted from the member roll); a party
-- split evenly has no majority and no defectors. A defector is a member of that party who voted
-- the other way, yea or nay ("present" and "not voting" defect from nothing). The Vice
-- President, who votes only to break a tie, belongs to no party and is never listed; nor are
-- members printed without a party. Source: each roll call's official file.
-- (CROSS JOIN keeps SQLite's join order: from the party tallies to the positions of each roll
-- call, so a page in roll call order reads only the positions it shows.)
SELECT
    party_breakdown.roll_call_id,
    party_breakdown.chamber,
    party_breakdown.date,
    voters.member_id,
    members.name,
    voters.party,
    voters.state,
    vote_options.option,
    CASE
        WHEN party_breakdown.yea > party_breakdown.nay THEN 'yea'
        ELSE 'nay'
    END AS party_majority,
    party_breakdown.yea AS party_yea,
    party_breakdown.nay AS party_nay
FROM party_breakdown
CROSS JOIN roll_calls
CROSS JOIN positions
CROSS JOIN voters
CROSS JOIN vote_options
CROSS JOIN members
WHERE roll_calls.id = party_breakdown.roll_call_id
    AND positions.roll_call_key = roll_calls.key
    AND voters.id = positions.voter_id
    AND voters.party = party_breakdown.party
    AND vote_options.id = positions.vote_option_id
    AND members.id = voters.member_id
    AND party_breakdown.party <> ''
    AND voters.member_id <> 'VP'
    AND (
        (vote_options.option = 'yea' AND party_breakdown.nay > party_breakdown.yea)
        OR (vote_options.option = 'nay' AND party_breakdown.yea > party_breakdown.nay)
    )
