-- member_stats: each member's record in each congress and chamber, and over a career, summed at
-- the end of every load (votes.database.summaries) from voter_sessions, for the congresses the
-- load wrote ({congresses}) and every congress that has no rows yet. The statements run one
-- after another; each ends with a semicolon at the end of its last line.
-- Rules.
-- * Each voter's record in a congress and chamber (voter_sessions: votes eligible, missed, party
--   votes, votes with party, unity votes) is counted by the writer from the positions, by the
--   rules in votes/database/sessions.py: votes eligible are the counted roll calls on which the
--   member appears; missed votes those answered "Not Voting" ("Present" is not a miss:
--   GovTrack's missed-votes measure, https://www.govtrack.us/about/analysis#missed-votes); a
--   party's majority is yea when more of its members voted yea than nay, nay when more voted
--   nay (party_tallies), a tie none; party votes are the yeas and nays a member cast when their
--   own party had a majority, votes with party those cast with it, defections those cast
--   against it (party_defectors lists each one); party unity votes (CQ's definition, CQ
--   Almanac "Party Unity") are roll calls on which a majority of voting Democrats opposed a
--   majority of voting Republicans, and the unity score counts the yeas and nays cast with
--   one's party's majority on them.
-- * A member is scored against the party printed beside their name on each roll call: only D
--   and R. Independents (I, ID) are left out of the party figures (NULL): the legislators
--   crosswalk (congress-legislators' CSV files) records no party a member caucuses with.
-- * A member's row sums the member's voters (party and state as printed) in that congress and
--   chamber; the Vice President, who votes only to break a tie, has none.
-- * Percentages are rounded half up to a tenth in integer arithmetic from the counts beside
--   them: (1000 * part + whole / 2) / whole tenths of a per cent.
-- * The career row (congress and chamber empty) sums the member's congress rows.
DELETE FROM member_stats
WHERE congress IS NULL
    OR congress IN ({congresses});
WITH by_member AS (
    SELECT
        voters.member_id,
        sessions.congress,
        sessions.chamber,
        MIN(voters.party) AS first_party,
        MAX(voters.party) AS last_party,
        MIN(voters.state) AS first_state,
        MAX(voters.state) AS last_state,
        SUM(sessions.votes_eligible) AS votes_eligible,
        SUM(sessions.yea) AS yea,
        SUM(sessions.nay) AS nay,
        SUM(sessions.present) AS present,
        SUM(sessions.missed_votes) AS missed_votes,
        SUM(CASE WHEN voters.party IN ('D', 'R') THEN 1 ELSE 0 END) AS scored,
        SUM(sessions.party_votes) AS party_votes,
        SUM(sessions.votes_with_party) AS votes_with_party,
        SUM(sessions.unity_votes) AS unity_votes,
        SUM(sessions.unity_with_party) AS unity_with_party
    FROM voter_sessions AS sessions
    JOIN voters ON voters.id = sessions.voter_id
    WHERE sessions.congress IN ({congresses})
        AND sessions.votes_eligible > 0
        AND voters.member_id <> 'VP'
    GROUP BY voters.member_id, sessions.congress, sessions.chamber
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
