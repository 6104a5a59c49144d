-- veto_overrides: every vetoed measure, chamber by chamber: the override roll call, its two-thirds
-- arithmetic, what it decided, and what became of the measure.
-- Rule: a vetoed bill or joint resolution returns to the chamber where it originated, which votes
-- first; if two thirds there agree to pass it, it goes to the other chamber, and if two thirds
-- there approve, it becomes law. The votes are always yeas and nays (U.S. Constitution, Art. I,
-- sec. 7, cl. 2). Two thirds is of those present and voting (Missouri Pacific Ry. Co. v. Kansas,
-- 248 U.S. 276 (1919); CRS RS22654): the arithmetic is override_math's. If the originating
-- chamber sustains the veto, the other chamber never votes. A pocket veto (Art. I, sec. 7,
-- cl. 2: Congress "by their Adjournment prevent its Return") cannot be overridden.
-- One row per vetoed measure and chamber: `turn` 1 is the originating chamber, 2 the other; a
-- chamber with several override roll calls has a row for each. `outcome` is what this chamber's
-- roll call decided, as published (vote_outcomes), or why it has none. `final_state` is the
-- measure's: 'overridden: law', 'sustained in the <chamber> ...', 'pocket veto: no override
-- possible', 'no override before the congress ended' (the record holds votes of a later
-- congress), or 'pending'. A veto is known from presidential_actions (congress.gov all-actions
-- pages, bill records); else from veto_records (the curated inventory, data/vetoes.csv: a pocket
-- veto, or one the President called so and Congress held enacted, is pocket_vetoed); else from
-- an override roll call itself (an override vote presupposes a veto; `action_date` is then
-- unknown). `veto_known_from` says which. Sources: presidential_actions, veto_records and each
-- roll call's official file.
WITH actions_known AS (
    SELECT
        presidential_actions.measure_id,
        presidential_actions.action,
        presidential_actions.date AS action_date,
        'presidential_actions' AS veto_known_from
    FROM presidential_actions
    WHERE presidential_actions.action IN ('vetoed', 'pocket_vetoed')
),
vetoes_known AS (
    SELECT * FROM actions_known
    UNION ALL
    SELECT
        veto_records.measure_id,
        CASE
            WHEN veto_records.kind = 'pocket' OR veto_records.outcome = 'pocket_no_override'
                THEN 'pocket_vetoed'
            ELSE 'vetoed'
        END AS action,
        veto_records.vetoed_on AS action_date,
        'veto_records' AS veto_known_from
    FROM veto_records
    WHERE veto_records.measure_id NOT IN (
        SELECT actions_known.measure_id
        FROM actions_known
    )
),
vetoes_inferred AS (
    SELECT DISTINCT
        roll_calls.measure_id,
        'vetoed' AS action,
        CAST(NULL AS DATE) AS action_date,
        'an override roll call (no presidential action recorded)' AS veto_known_from
    FROM override_math AS roll_calls
    WHERE roll_calls.override_vote = 1
        AND roll_calls.measure_id IS NOT NULL
        AND roll_calls.measure_id NOT IN (
            SELECT vetoes_known.measure_id
            FROM vetoes_known
        )
),
vetoes AS (
    SELECT
        measures.id AS measure_id,
        measures.label AS measure,
        measures.congress,
        measures.originating_chamber,
        CASE
            WHEN measures.originating_chamber = 'house' THEN 'senate'
            ELSE 'house'
        END AS other_chamber,
        known.action,
        known.action_date,
        known.veto_known_from,
        CASE
            WHEN measures.congress < (SELECT MAX(roll_calls.congress) FROM roll_calls) THEN 1
            ELSE 0
        END AS congress_ended
    FROM (
        SELECT * FROM vetoes_known
        UNION ALL
        SELECT * FROM vetoes_inferred
    ) AS known
    JOIN measures ON measures.id = known.measure_id
),
attempts AS (
    SELECT
        vetoes.*,
        chambers.chamber,
        CASE
            WHEN chambers.chamber = vetoes.originating_chamber THEN 1
            ELSE 2
        END AS turn,
        override_math.roll_call_id,
        override_math.date,
        override_math.yea,
        override_math.nay,
        override_math.present,
        override_math.not_voting,
        override_math.voting,
        override_math.two_thirds_needed,
        override_math.margin,
        override_math.switches_needed,
        override_math.official_result,
        override_math.official_outcome
    FROM vetoes
    CROSS JOIN (
        SELECT 'house' AS chamber
        UNION ALL
        SELECT 'senate' AS chamber
    ) AS chambers
    LEFT JOIN override_math
        ON override_math.measure_id = vetoes.measure_id
        AND override_math.chamber = chambers.chamber
        AND override_math.override_vote = 1
        AND override_math.status = 'counted'
        AND (vetoes.action_date IS NULL OR override_math.date >= vetoes.action_date)
),
turns AS (
    SELECT
        measure_id,
        MAX(CASE WHEN turn = 1 AND official_outcome = 'carried' THEN 1 ELSE 0 END)
            AS first_overrode,
        MAX(CASE WHEN turn = 1 AND roll_call_id IS NOT NULL THEN 1 ELSE 0 END)
            AS first_voted,
        MAX(CASE WHEN turn = 2 AND official_outcome = 'carried' THEN 1 ELSE 0 END)
            AS second_overrode,
        MAX(CASE WHEN turn = 2 AND roll_call_id IS NOT NULL THEN 1 ELSE 0 END)
            AS second_voted
    FROM attempts
    GROUP BY measure_id
)
SELECT
    attempts.measure_id,
    attempts.measure,
    attempts.congress,
    attempts.action,
    attempts.action_date,
    attempts.veto_known_from,
    attempts.originating_chamber,
    attempts.chamber,
    attempts.turn,
    attempts.roll_call_id,
    attempts.date,
    attempts.yea,
    attempts.nay,
    attempts.present,
    attempts.not_voting,
    attempts.voting,
    attempts.two_thirds_needed,
    attempts.margin,
    attempts.switches_needed,
    attempts.official_result,
    CASE
        WHEN attempts.official_outcome = 'carried' THEN 'overridden'
        WHEN attempts.official_outcome = 'failed' THEN 'sustained'
        WHEN attempts.roll_call_id IS NOT NULL THEN 'unknown: unmapped result'
        WHEN attempts.action = 'pocket_vetoed' THEN 'pocket veto: no override possible'
        WHEN attempts.turn = 2 AND turns.first_voted = 1 AND turns.first_overrode = 0
            THEN 'never votes: the ' || attempts.originating_chamber || ' sustained the veto'
        WHEN attempts.congress_ended = 1 THEN 'no vote before the congress ended'
        WHEN attempts.turn = 2 AND turns.first_overrode = 0
            THEN 'waits for the ' || attempts.originating_chamber
        ELSE 'pending'
    END AS outcome,
    CASE
        WHEN attempts.action = 'pocket_vetoed' THEN 'pocket veto: no override possible'
        WHEN turns.first_overrode = 1 AND turns.second_overrode = 1 THEN 'overridden: law'
        WHEN turns.first_voted = 1 AND turns.first_overrode = 0
            THEN 'sustained in the ' || attempts.originating_chamber
                || ' (originating chamber): the ' || attempts.other_chamber || ' never votes'
        WHEN turns.second_voted = 1 AND turns.second_overrode = 0
            THEN 'sustained in the ' || attempts.other_chamber
                || ', after the ' || attempts.originating_chamber || ' overrode'
        WHEN attempts.congress_ended = 1 THEN 'no override before the congress ended'
        ELSE 'pending'
    END AS final_state
FROM attempts
JOIN turns ON turns.measure_id = attempts.measure_id
