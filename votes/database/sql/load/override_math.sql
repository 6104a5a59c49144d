-- override_math: for every roll call, how close it came to the two thirds that overrides a veto.
-- Rule: a veto is overridden by "two thirds of that House" (U.S. Constitution, Art. I, sec. 7,
-- cl. 2), which is two thirds of the members present and voting, a quorum being present, not of
-- all members (Missouri Pacific Ry. Co. v. Kansas, 248 U.S. 276 (1919); CRS RS22654, "Veto
-- Override Procedure in the House and Senate"). So the base is `voting` = yea + nay: "present"
-- and "not voting" stay out of it. Two thirds carries when 3 * yea >= 2 * voting (an exact 2:1
-- split carries; a tie never does); the fewest yeas that do it are (2 * voting + 2) / 3 in
-- integer arithmetic. `switches_needed` is how many nays would have to become yeas, the base
-- unchanged. Counts are the official chamber totals (vote_counts, party 'ALL'), which leave a
-- Vice President's tie-breaking vote out, as the Senate's own counts do; it could never decide
-- two thirds anyway (a tie is not two thirds, and one more yea on 50-50 is 51 of 101, short of
-- 68). The quorum is a majority of the
-- members chosen and sworn: the roll lists every sitting member, so `quorum_present` is 1 when
-- more than half of those on the roll (yea + nay + present + not voting) responded (yea + nay
-- + present). A vacated roll call, a vote nobody answered yea or nay, and a vote without a
-- quorum decide nothing: their two-thirds columns are NULL, never a "failed" 0-0.
-- `agrees_with_official` sets our arithmetic against the published result (vote_outcomes) on
-- every vote that required two thirds; a 0 there is a defect to report. Senate treaty and
-- conviction votes need "two thirds of the Senators present"; the published results of
-- 1989-2020 all agree with the same base. `override_vote` is 1 for a vote on overriding a veto:
-- category 'veto-override', or a two-thirds House question "Passage, Objections of the President
-- to the Contrary Notwithstanding" that the upstream parser filed under another category (ten
-- House votes of 1991-1996 are). Source: each roll call's official file.
-- Shape: the published outcome is looked up per row, not joined, so that a page's count and
-- facets (filtered by chamber, say) need not evaluate the result mapping for every roll call.
-- Stored: a table of this name, computed whole at the end of every load that wrote roll
-- calls (votes.database.summaries; migration 0006), so that a page, its count and its
-- facets read 33,847 stored rows instead of working out every roll call's arithmetic.
DELETE FROM override_math;
INSERT INTO override_math (
    roll_call_id, chamber, congress, date, measure_id, measure, carried_text, question,
    category, override_vote, requires, status, yea, nay, present, not_voting, voting,
    two_thirds_needed, margin, switches_needed, quorum_present, carried_two_thirds,
    official_result, official_outcome, agrees_with_official
)
WITH tallies AS (
    SELECT
        roll_calls.id AS roll_call_id,
        roll_calls.chamber,
        roll_calls.congress,
        roll_calls.date,
        roll_calls.measure_id,
        measures.label AS measure,
        (
            SELECT MIN(carried.label)
            FROM carried_texts
            JOIN measures AS carried ON carried.id = carried_texts.measure_id
            WHERE carried_texts.roll_call_id = roll_calls.id
        ) AS carried_text,
        roll_calls.question,
        roll_calls.category,
        CASE
            WHEN roll_calls.category = 'veto-override' THEN 1
            WHEN roll_calls.requires = '2/3'
                AND UPPER(roll_calls.question) LIKE '%PRESIDENT%NOTWITHSTANDING%' THEN 1
            ELSE 0
        END AS override_vote,
        roll_calls.requires,
        roll_calls.status,
        vote_counts.yea,
        vote_counts.nay,
        vote_counts.present,
        vote_counts.not_voting,
        vote_counts.yea + vote_counts.nay AS voting,
        CASE
            WHEN vote_counts.yea IS NULL OR roll_calls.category = 'leadership' THEN NULL
            WHEN 2 * (vote_counts.yea + vote_counts.nay + vote_counts.present)
                > vote_counts.yea + vote_counts.nay + vote_counts.present + vote_counts.not_voting
                THEN 1
            ELSE 0
        END AS quorum_present,
        roll_calls.result AS official_result,
        (
            SELECT vote_outcomes.outcome
            FROM vote_outcomes
            WHERE vote_outcomes.roll_call_id = roll_calls.id
        ) AS official_outcome
    FROM roll_calls
    LEFT JOIN measures ON measures.id = roll_calls.measure_id
    LEFT JOIN vote_counts
        ON vote_counts.roll_call_id = roll_calls.id
        AND vote_counts.party = 'ALL'
        AND roll_calls.status = 'counted'
),
thresholds AS (
    SELECT
        tallies.*,
        CASE
            WHEN tallies.voting > 0 THEN (2 * tallies.voting + 2) / 3
        END AS two_thirds_needed
    FROM tallies
),
verdicts AS (
    SELECT
        thresholds.*,
        CASE
            WHEN thresholds.two_thirds_needed IS NULL OR thresholds.quorum_present = 0 THEN NULL
            WHEN 3 * thresholds.yea >= 2 * thresholds.voting THEN 1
            ELSE 0
        END AS carried_two_thirds
    FROM thresholds
)
SELECT
    verdicts.roll_call_id,
    verdicts.chamber,
    verdicts.congress,
    verdicts.date,
    verdicts.measure_id,
    verdicts.measure,
    verdicts.carried_text,
    verdicts.question,
    verdicts.category,
    verdicts.override_vote,
    verdicts.requires,
    verdicts.status,
    verdicts.yea,
    verdicts.nay,
    verdicts.present,
    verdicts.not_voting,
    verdicts.voting,
    verdicts.two_thirds_needed,
    verdicts.yea - verdicts.two_thirds_needed AS margin,
    CASE
        WHEN verdicts.yea >= verdicts.two_thirds_needed THEN 0
        ELSE verdicts.two_thirds_needed - verdicts.yea
    END AS switches_needed,
    verdicts.quorum_present,
    verdicts.carried_two_thirds,
    verdicts.official_result,
    verdicts.official_outcome,
    CASE
        WHEN verdicts.requires <> '2/3' OR verdicts.status = 'vacated' THEN NULL
        WHEN verdicts.carried_two_thirds = 1 AND verdicts.official_outcome = 'carried' THEN 1
        WHEN verdicts.carried_two_thirds = 0 AND verdicts.official_outcome = 'failed' THEN 1
        ELSE 0
    END AS agrees_with_official
FROM verdicts;
