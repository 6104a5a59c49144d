-- threshold_math: every roll call measured against the threshold it required, with the
-- arithmetic of that threshold and whether it agrees with the published result.
-- Rules. The threshold follows from `requires` as the official file publishes it, and from
-- the chamber; counts are the official chamber total (vote_counts, party 'ALL').
-- * majority ("1/2"): carried when yea > nay. A tie fails ("In the case of a tie vote, a
--   question shall be lost", House Rule XX, cl. 1(c)), except that in the Senate the Vice
--   President, who has "no Vote, unless they be equally divided" (U.S. Constitution, Art. I,
--   sec. 3, cl. 4), decides it. The VP's vote is a position of member 'VP' in no count, read
--   from `positions` (`vice_president`, looked up on Senate ties only). base = yea + nay;
--   needed = base / 2 + 1, the fewest yeas that are more than half, or base / 2 on a tie the
--   Vice President broke yea.
-- * three_fifths_sworn ("3/5" in the Senate): cloture, "three-fifths of the Senators duly chosen
--   and sworn" (Senate Rule XXII, para. 2), and waivers and appeals under the Congressional
--   Budget Act of 1974 (sec. 904(c), (d): "three-fifths of the Members, duly chosen and sworn").
--   Absences count against it and vacancies lower it: base = every senator on the roll
--   (yea + nay + present + not voting; the Vice President is no senator and in no count).
-- * three_fifths_voting ("3/5" in the House): the tax-rate rule of 1995-2019 (House Rule XXI,
--   cl. 5(b), cl. 5(c) before 1999: "three-fifths of the Members voting"). base = yea + nay.
-- * two_thirds_voting ("2/3"): a veto override (Art. I, sec. 7, cl. 2; Missouri Pacific Ry. Co.
--   v. Kansas, 248 U.S. 276 (1919); CRS RS22654), a suspension of the rules (House Rule XV,
--   cl. 1: "two-thirds of the Members voting"), a constitutional amendment (Art. V), a treaty
--   or a conviction ("two thirds of the Senators present", Art. II, sec. 2, cl. 2; Art. I,
--   sec. 3, cl. 6). base = yea + nay, as in override_math.
--   Three fifths: needed = (3 * base + 4) / 5. Two thirds: needed = (2 * base + 2) / 3.
-- * quorum ("QUORUM", a House quorum call): "a Majority of each shall constitute a Quorum"
--   (Art. I, sec. 5, cl. 1), a majority of the members chosen and sworn. Members answer
--   present, so base = every member on the roll, needed = base / 2 + 1, and the call carried
--   (a quorum appeared) when those who answered (yea + nay + present) reach it: `margin` counts
--   them; nobody has a side to switch, so the switches are NULL. Since 2009 the roll of a
--   quorum call also lists the Delegates and the Resident Commissioner (up to 439 names), so
--   there the base runs a few above the Members'.
-- * none: "unknown" (the file states no threshold), a vacated vote (it decided nothing; its
--   counts are shown as published), and an election of the Speaker, decided among
--   candidates, not yea against nay: no arithmetic. An election is filed under category
--   leadership, or (two of 1993 and 1995) under unknown with the question "ELECTION OF
--   SPEAKER"; only those unknown ones have their question read (reading every question made
--   the facets on `threshold` and `carried` a fifth to a quarter slower at full size). Which
--   threshold applies is written once, in roll_call_thresholds; the arithmetic is here.
-- Integer arithmetic only: "/" divides integers, and only in these ceiling forms. margin = yea
-- - needed (negative means short). switches_needed keeps override_math's meaning: the fewest
-- members who would have had to change from nay to yea, the base unchanged, for the question
-- to carry; 0 when it carried. switches_to_defeat is the other direction, on a question that
-- carried: the fewest yeas that would have had to become nays to defeat it (margin + 1); a
-- tie they make fails, whatever a Vice President might then do. A vote nobody answered yea or
-- nay, and a vote without a quorum (no more than half of those on the roll answered) carry
-- nothing: `carried` is NULL, as in override_math.
-- `agrees_with_official` sets `carried` against the published result (vote_outcomes, the one
-- mapping of result texts) on every roll call whose result says carried or failed: a 0 is a
-- disagreement. Each one found in the record of 1989-2024 was investigated and is listed with
-- its reason in threshold_exceptions (`documented_exception`, `exception_reason`); the
-- arithmetic is never bent to fit a published result. Source: each roll call's official file
-- (roll_calls.source_id).
-- Shape: roll_calls with its chamber total joined by key; everything else is a lookup by key,
-- made only where it can matter (the published outcome; the Vice President's position on a
-- Senate tie; an exception on a disagreement). Each CASE names the threshold once (CASE
-- threshold WHEN ...) because SQLite copies a CTE's expression into every place that uses it:
-- nested searched CASEs made a facet on `carried` three times slower.
-- Stored: a table of this name, computed whole at the end of every load that wrote roll
-- calls (votes.database.summaries; migration 0006), so that a page, its count and its
-- facets read 33,847 stored rows instead of working out every roll call's arithmetic.
DELETE FROM threshold_math;
INSERT INTO threshold_math (
    roll_call_id, chamber, congress, date, measure, question, category, requires, status,
    threshold, yea, nay, present, not_voting, vice_president, base, needed, margin,
    switches_needed, switches_to_defeat, quorum_present, carried, official_result,
    official_outcome, agrees_with_official, documented_exception, exception_reason
)
WITH tallies AS (
    SELECT
        roll_calls.roll_call_id,
        roll_calls.roll_call_key,
        roll_calls.chamber,
        roll_calls.congress,
        roll_calls.date,
        (SELECT label FROM measures WHERE measures.id = roll_calls.measure_id) AS measure,
        roll_calls.question,
        roll_calls.category,
        roll_calls.requires,
        roll_calls.status,
        roll_calls.threshold,
        vote_counts.yea,
        vote_counts.nay,
        vote_counts.present,
        vote_counts.not_voting,
        roll_calls.result AS official_result
    FROM roll_call_thresholds AS roll_calls
    LEFT JOIN vote_counts
        ON vote_counts.roll_call_id = roll_calls.roll_call_id
        AND vote_counts.party = 'ALL'
),
bases AS (
    SELECT
        tallies.*,
        CASE
            WHEN tallies.chamber = 'senate' AND tallies.yea = tallies.nay THEN (
                SELECT vote_options.option
                FROM voters
                JOIN positions
                    ON positions.voter_id = voters.id
                    AND positions.roll_call_key = tallies.roll_call_key
                JOIN vote_options ON vote_options.id = positions.vote_option_id
                WHERE voters.member_id = 'VP'
            )
        END AS vice_president,
        CASE tallies.threshold
            WHEN 'none' THEN NULL
            WHEN 'three_fifths_sworn'
                THEN tallies.yea + tallies.nay + tallies.present + tallies.not_voting
            WHEN 'quorum' THEN tallies.yea + tallies.nay + tallies.present + tallies.not_voting
            ELSE tallies.yea + tallies.nay
        END AS base,
        CASE
            WHEN 2 * (tallies.yea + tallies.nay + tallies.present)
                > tallies.yea + tallies.nay + tallies.present + tallies.not_voting
                THEN 1
            WHEN tallies.yea IS NOT NULL THEN 0
        END AS quorum_present
    FROM tallies
),
needs AS (
    SELECT
        bases.*,
        CASE bases.threshold
            WHEN 'majority' THEN NULLIF(bases.base, 0) / 2
                + CASE WHEN bases.vice_president = 'yea' THEN 0 ELSE 1 END
            WHEN 'quorum' THEN NULLIF(bases.base, 0) / 2 + 1
            WHEN 'three_fifths_sworn' THEN (3 * NULLIF(bases.base, 0) + 4) / 5
            WHEN 'three_fifths_voting' THEN (3 * NULLIF(bases.base, 0) + 4) / 5
            WHEN 'two_thirds_voting' THEN (2 * NULLIF(bases.base, 0) + 2) / 3
        END AS needed
    FROM bases
),
verdicts AS (
    SELECT
        needs.*,
        CASE needs.threshold
            WHEN 'quorum' THEN needs.yea + needs.nay + needs.present - needs.needed
            ELSE needs.yea - needs.needed
        END AS margin,
        CASE needs.threshold
            WHEN 'quorum' THEN needs.quorum_present
            ELSE CASE needs.quorum_present
                WHEN 1 THEN CAST(needs.yea >= needs.needed AS INTEGER)
            END
        END AS carried
    FROM needs
),
agreements AS (
    SELECT
        verdicts.*,
        (
            SELECT vote_outcomes.outcome
            FROM vote_outcomes
            WHERE vote_outcomes.roll_call_id = verdicts.roll_call_id
        ) AS official_outcome,
        CASE (
            SELECT vote_outcomes.outcome
            FROM vote_outcomes
            WHERE vote_outcomes.roll_call_id = verdicts.roll_call_id
        )
            WHEN 'carried' THEN CASE verdicts.carried WHEN 1 THEN 1 ELSE 0 END
            WHEN 'failed' THEN CASE verdicts.carried WHEN 0 THEN 1 ELSE 0 END
        END AS agrees_with_official
    FROM verdicts
)
SELECT
    agreements.roll_call_id,
    agreements.chamber,
    agreements.congress,
    agreements.date,
    agreements.measure,
    agreements.question,
    agreements.category,
    agreements.requires,
    agreements.status,
    agreements.threshold,
    agreements.yea,
    agreements.nay,
    agreements.present,
    agreements.not_voting,
    agreements.vice_president,
    agreements.base,
    agreements.needed,
    agreements.margin,
    CASE
        WHEN agreements.threshold = 'quorum' THEN NULL
        WHEN agreements.yea >= agreements.needed THEN 0
        ELSE agreements.needed - agreements.yea
    END AS switches_needed,
    CASE agreements.carried
        WHEN 1 THEN CASE WHEN agreements.threshold <> 'quorum' THEN agreements.margin + 1 END
    END AS switches_to_defeat,
    agreements.quorum_present,
    agreements.carried,
    agreements.official_result,
    agreements.official_outcome,
    agreements.agrees_with_official,
    CASE agreements.agrees_with_official
        WHEN 0 THEN (
            SELECT COUNT(*)
            FROM threshold_exceptions
            WHERE threshold_exceptions.roll_call_id = agreements.roll_call_id
        )
    END AS documented_exception,
    CASE agreements.agrees_with_official
        WHEN 0 THEN (
            SELECT threshold_exceptions.reason
            FROM threshold_exceptions
            WHERE threshold_exceptions.roll_call_id = agreements.roll_call_id
        )
    END AS exception_reason
FROM agreements;
