-- member_stats: each member's record in each congress and chamber, and over a career, computed
-- from the positions at the end of every load (votes.database.summaries), for the congresses
-- the load wrote ({congresses}) and every congress that has no rows yet. The statements run
-- one after another; each ends with a semicolon at the end of its last line.
-- Rules.
-- * Votes eligible: the roll calls on which the member appears, the roll listing every sitting
--   member; missed votes: those answered "Not Voting"; "Present" is not a miss (GovTrack's
--   missed-votes measure: https://www.govtrack.us/about/analysis#missed-votes). A vacated roll
--   call decided nothing and counts for no one.
-- * A party's majority on a roll call: yea when more of its members voted yea than nay, nay
--   when more voted nay; a tie is no majority (party_tallies, counted from the member roll).
-- * Party votes: the yeas and nays the member cast when their own party had a majority;
--   votes with party: those cast with it; defections: those cast against it (party_defectors
--   lists each one).
-- * Party unity votes (CQ's definition, CQ Almanac "Party Unity"): roll calls on which a
--   majority of voting Democrats opposed a majority of voting Republicans; the member's unity
--   votes are the yeas and nays they cast on them, and the unity score counts those cast with
--   their party's majority.
-- * A member is scored against the party printed beside their name on each roll call: only D
--   and R. Independents (I, ID) are left out of the party figures (NULL): the legislators
--   crosswalk (congress-legislators' CSV files) records no party a member caucuses with.
-- * Percentages are rounded half up to a tenth in integer arithmetic from the counts beside
--   them: (1000 * part + whole / 2) / whole tenths of a per cent.
-- * The career row (congress and chamber empty) sums the member's congress rows.
-- Shape: every position is read once, in the order of its primary key, one voter's positions
-- in one congress and chamber at a time (voter_sessions: the voter and the span of roll-call
-- keys that holds them), so that every figure is a sum over consecutive rows with no sort of
-- the 10.6 million positions of 1989-2024; each roll call's parties' majorities are looked up
-- in a temporary table keyed by roll call.
DELETE FROM member_stats
WHERE congress IS NULL
    OR congress IN ({congresses});
CREATE TEMPORARY TABLE member_stats_facts (
    roll_call_key INTEGER PRIMARY KEY,
    congress INTEGER NOT NULL,
    chamber VARCHAR(6) NOT NULL,
    democratic_majority VARCHAR(3),
    republican_majority VARCHAR(3)
);
INSERT INTO member_stats_facts (
    roll_call_key,
    congress,
    chamber,
    democratic_majority,
    republican_majority
)
SELECT
    roll_calls.key,
    roll_calls.congress,
    roll_calls.chamber,
    (
        SELECT
            CASE
                WHEN party_tallies.yea > party_tallies.nay THEN 'yea'
                WHEN party_tallies.nay > party_tallies.yea THEN 'nay'
            END
        FROM party_tallies
        WHERE party_tallies.roll_call_id = roll_calls.id
            AND party_tallies.party = 'D'
    ),
    (
        SELECT
            CASE
                WHEN party_tallies.yea > party_tallies.nay THEN 'yea'
                WHEN party_tallies.nay > party_tallies.yea THEN 'nay'
            END
        FROM party_tallies
        WHERE party_tallies.roll_call_id = roll_calls.id
            AND party_tallies.party = 'R'
    )
FROM roll_calls
WHERE roll_calls.status = 'counted'
    AND roll_calls.congress IN ({congresses});
WITH scored AS (
    SELECT
        sessions.congress,
        sessions.chamber,
        sessions.voter_id,
        vote_options.option,
        CASE WHEN voters.party IN ('D', 'R') THEN 1 ELSE 0 END AS scored,
        CASE voters.party
            WHEN 'D' THEN facts.democratic_majority
            WHEN 'R' THEN facts.republican_majority
        END AS party_majority,
        CASE
            WHEN voters.party IN ('D', 'R')
                AND facts.democratic_majority <> facts.republican_majority
                THEN 1
            ELSE 0
        END AS unity
    FROM voter_sessions AS sessions
    JOIN voters ON voters.id = sessions.voter_id
    JOIN positions
        ON positions.voter_id = sessions.voter_id
        AND positions.roll_call_key BETWEEN sessions.first_key AND sessions.last_key
    JOIN member_stats_facts AS facts
        ON facts.roll_call_key = positions.roll_call_key
        AND facts.congress = sessions.congress
        AND facts.chamber = sessions.chamber
    JOIN vote_options ON vote_options.id = positions.vote_option_id
    WHERE sessions.congress IN ({congresses})
        AND voters.member_id <> 'VP'
),
by_voter AS (
    SELECT
        congress,
        chamber,
        voter_id,
        COUNT(*) AS votes_eligible,
        SUM(CASE WHEN option = 'yea' THEN 1 ELSE 0 END) AS yea,
        SUM(CASE WHEN option = 'nay' THEN 1 ELSE 0 END) AS nay,
        SUM(CASE WHEN option = 'present' THEN 1 ELSE 0 END) AS present,
        SUM(CASE WHEN option = 'not_voting' THEN 1 ELSE 0 END) AS missed_votes,
        SUM(scored) AS scored,
        SUM(CASE WHEN option IN ('yea', 'nay') AND party_majority IS NOT NULL THEN 1 ELSE 0 END)
            AS party_votes,
        SUM(CASE WHEN option = party_majority THEN 1 ELSE 0 END) AS votes_with_party,
        SUM(CASE WHEN option IN ('yea', 'nay') THEN unity ELSE 0 END) AS unity_votes,
        SUM(CASE WHEN option = party_majority THEN unity ELSE 0 END) AS unity_with_party
    FROM scored
    GROUP BY congress, chamber, voter_id
),
by_member AS (
    SELECT
        voters.member_id,
        by_voter.congress,
        by_voter.chamber,
        MIN(voters.party) AS first_party,
        MAX(voters.party) AS last_party,
        MIN(voters.state) AS first_state,
        MAX(voters.state) AS last_state,
        SUM(by_voter.votes_eligible) AS votes_eligible,
        SUM(by_voter.yea) AS yea,
        SUM(by_voter.nay) AS nay,
        SUM(by_voter.present) AS present,
        SUM(by_voter.missed_votes) AS missed_votes,
        SUM(by_voter.scored) AS scored,
        SUM(by_voter.party_votes) AS party_votes,
        SUM(by_voter.votes_with_party) AS votes_with_party,
        SUM(by_voter.unity_votes) AS unity_votes,
        SUM(by_voter.unity_with_party) AS unity_with_party
    FROM by_voter
    JOIN voters ON voters.id = by_voter.voter_id
    GROUP BY voters.member_id, by_voter.congress, by_voter.chamber
)
INSERT INTO member_stats (
    member_id,
    name,
    congress,
    chamber,
    party,
    state,
    votes_eligible,
    yea,
    nay,
    present,
    missed_votes,
    party_votes,
    votes_with_party,
    defections,
    unity_votes,
    unity_with_party
)
SELECT
    by_member.member_id,
    members.name,
    by_member.congress,
    by_member.chamber,
    by_member.first_party
        || CASE WHEN by_member.last_party <> by_member.first_party
            THEN ', ' || by_member.last_party ELSE '' END,
    by_member.first_state
        || CASE WHEN by_member.last_state <> by_member.first_state
            THEN ', ' || by_member.last_state ELSE '' END,
    by_member.votes_eligible,
    by_member.yea,
    by_member.nay,
    by_member.present,
    by_member.missed_votes,
    CASE WHEN by_member.scored > 0 THEN by_member.party_votes END,
    CASE WHEN by_member.scored > 0 THEN by_member.votes_with_party END,
    CASE WHEN by_member.scored > 0 THEN by_member.party_votes - by_member.votes_with_party END,
    CASE WHEN by_member.scored > 0 THEN by_member.unity_votes END,
    CASE WHEN by_member.scored > 0 THEN by_member.unity_with_party END
FROM by_member
JOIN members ON members.id = by_member.member_id;
DROP TABLE member_stats_facts;
INSERT INTO member_stats (
    member_id,
    name,
    congress,
    chamber,
    party,
    state,
    votes_eligible,
    yea,
    nay,
    present,
    missed_votes,
    party_votes,
    votes_with_party,
    defections,
    unity_votes,
    unity_with_party
)
SELECT
    member_stats.member_id,
    members.name,
    NULL,
    NULL,
    MIN(member_stats.party)
        || CASE WHEN MAX(member_stats.party) <> MIN(member_stats.party)
            THEN ', ' || MAX(member_stats.party) ELSE '' END,
    MIN(member_stats.state)
        || CASE WHEN MAX(member_stats.state) <> MIN(member_stats.state)
            THEN ', ' || MAX(member_stats.state) ELSE '' END,
    SUM(member_stats.votes_eligible),
    SUM(member_stats.yea),
    SUM(member_stats.nay),
    SUM(member_stats.present),
    SUM(member_stats.missed_votes),
    SUM(member_stats.party_votes),
    SUM(member_stats.votes_with_party),
    SUM(member_stats.defections),
    SUM(member_stats.unity_votes),
    SUM(member_stats.unity_with_party)
FROM member_stats
JOIN members ON members.id = member_stats.member_id
WHERE member_stats.congress IS NOT NULL
GROUP BY member_stats.member_id, members.name;
UPDATE member_stats
SET
    name = (SELECT members.name FROM members WHERE members.id = member_stats.member_id),
    missed_pct = CASE WHEN votes_eligible > 0
        THEN (1000 * missed_votes + votes_eligible / 2) / votes_eligible / 10.0 END,
    with_party_pct = CASE WHEN party_votes > 0
        THEN (1000 * votes_with_party + party_votes / 2) / party_votes / 10.0 END,
    unity_pct = CASE WHEN unity_votes > 0
        THEN (1000 * unity_with_party + unity_votes / 2) / unity_votes / 10.0 END;
