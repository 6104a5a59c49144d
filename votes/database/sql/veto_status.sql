-- veto_status: for every measure, what the record knows the President did with it, and what
-- became of it.
-- Rule: only bills and joint resolutions are presented to the President, who signs or vetoes
-- them (U.S. Constitution, Art. I, sec. 7, cl. 2-3). A concurrent or simple resolution is never
-- presented, so no veto applies: that is its status, not missing data (a War Powers Resolution
-- sec. 5(c) concurrent resolution, 50 U.S.C. 1544(c), such as H.Con.Res. 83 (116th), is one). A
-- joint resolution proposing a constitutional amendment goes to the States, not the President
-- (Art. V; Hollingsworth v. Virginia, 3 U.S. 378 (1798)). Any other measure is presented once
-- both chambers pass it; where the record holds nothing of what followed, it says so ("no
-- presidential action in the record"), never "not presented". `status`, in this order: a veto
-- (the curated inventory, veto_records; else a presidential action of a bill record, with
-- veto_overrides' arithmetic for what followed) is overridden, sustained (an override vote fell
-- short), vetoed (no override vote) or pocket_vetoed; else became_law (a law number, or a
-- signature); else presented; else no_presidential_action. One row per measure. Sources:
-- measures (law_number from bill records), veto_records (data/vetoes.csv), presidential_actions
-- (bill records, congress.gov) and veto_overrides.
WITH actions AS (
    SELECT
        measure_id,
        MIN(CASE WHEN action = 'presented' THEN presidential_actions.date END) AS presented_on,
        MAX(CASE WHEN action <> 'presented' THEN action END) AS president_action,
        MAX(CASE WHEN action <> 'presented' THEN presidential_actions.date END)
            AS president_action_date
    FROM presidential_actions
    GROUP BY measure_id
),
curated AS (  -- the inventory's vetoes: pocket ones by their kind or outcome (vocab.py), the rest not
    SELECT
        veto_records.id,
        veto_records.measure_id,
        veto_records.kind,
        veto_records.outcome,
        veto_records.vetoed_on,
        CASE
            WHEN veto_records.kind = 'pocket' OR veto_records.outcome = 'pocket_no_override'
                THEN 'pocket_vetoed'
            ELSE 'vetoed'
        END AS action
    FROM veto_records
),
finals AS (  -- vetoes known only from presidential actions or override votes
    SELECT
        measure_id,
        MIN(final_state) AS final_state
    FROM veto_overrides
    WHERE measure_id NOT IN (SELECT veto_records.measure_id FROM veto_records)
    GROUP BY measure_id
),
statuses AS (
    SELECT
        measures.id AS measure_id,
        measures.label AS measure,
        measures.congress,
        measures.kind,
        measures.originating_chamber,
        CASE WHEN measures.presented THEN 1 ELSE 0 END AS presentable,
        actions.presented_on,
        COALESCE(curated.action, actions.president_action) AS president_action,
        CASE
            WHEN curated.id IS NOT NULL THEN curated.vetoed_on
            ELSE actions.president_action_date
        END AS president_action_date,
        measures.law_number,
        curated.kind AS veto_kind,
        curated.outcome AS veto_outcome,
        CASE
            WHEN measures.kind IN ('concurrent_resolution', 'simple_resolution')
                OR measures.constitutional_amendment THEN 'not_presented'
            WHEN curated.action = 'pocket_vetoed' THEN 'pocket_vetoed'
            WHEN curated.outcome = 'overridden' THEN 'overridden'
            WHEN curated.outcome IN ('sustained_house', 'sustained_senate') THEN 'sustained'
            WHEN curated.id IS NOT NULL THEN 'vetoed'
            WHEN actions.president_action = 'pocket_vetoed' THEN 'pocket_vetoed'
            WHEN finals.final_state = 'overridden: law' THEN 'overridden'
            WHEN finals.final_state LIKE 'sustained%' THEN 'sustained'
            WHEN finals.final_state IS NOT NULL OR actions.president_action = 'vetoed'
                THEN 'vetoed'
            WHEN measures.law_number <> '' OR actions.president_action = 'signed'
                THEN 'became_law'
            WHEN actions.presented_on IS NOT NULL THEN 'presented'
            ELSE 'no_presidential_action'
        END AS status,
        finals.final_state,
        COALESCE(
            CAST(
                CASE
                    WHEN curated.id IS NOT NULL THEN curated.vetoed_on
                    ELSE actions.president_action_date
                END AS VARCHAR
            ),
            '(date unknown)'
        ) AS acted_on
    FROM measures
    LEFT JOIN actions ON actions.measure_id = measures.id
    LEFT JOIN curated ON curated.measure_id = measures.id
    LEFT JOIN finals ON finals.measure_id = measures.id
)
SELECT
    statuses.measure_id,
    statuses.measure,
    statuses.congress,
    statuses.kind,
    statuses.originating_chamber,
    statuses.presentable,
    statuses.presented_on,
    statuses.president_action,
    statuses.president_action_date,
    statuses.law_number,
    statuses.status,
    CASE
        WHEN statuses.status = 'not_presented' AND statuses.kind = 'joint_resolution'
            THEN 'not presented: a constitutional amendment goes to the States'
        WHEN statuses.status = 'not_presented'
            THEN 'not presented: a ' || REPLACE(statuses.kind, '_', ' ') || ' (no veto applies)'
        WHEN statuses.status = 'pocket_vetoed' AND statuses.veto_kind = 'disputed_pocket'
            THEN 'pocket vetoed ' || statuses.acted_on
                || ', as the President said; Congress held it enacted (not returned)'
        WHEN statuses.status = 'pocket_vetoed' THEN 'pocket vetoed ' || statuses.acted_on
        WHEN statuses.status IN ('overridden', 'sustained', 'vetoed')
            THEN 'vetoed ' || statuses.acted_on || CASE
                WHEN statuses.status = 'overridden' AND statuses.law_number <> ''
                    THEN ', overridden: ' || statuses.law_number
                WHEN statuses.status = 'overridden' THEN ', overridden: law'
                WHEN statuses.veto_outcome = 'sustained_house' THEN ', sustained in the House'
                WHEN statuses.veto_outcome = 'sustained_senate' THEN ', sustained in the Senate'
                WHEN statuses.veto_outcome = 'no_override_attempt' THEN ', no override attempt'
                WHEN statuses.final_state IS NOT NULL THEN ', ' || statuses.final_state
                ELSE ''
            END
        WHEN statuses.status = 'became_law' AND statuses.law_number <> ''
            THEN 'became law: ' || statuses.law_number
        WHEN statuses.status = 'became_law'
            THEN 'became law: signed ' || statuses.acted_on || ' (no law number in the record)'
        WHEN statuses.status = 'presented'
            THEN 'presented ' || CAST(statuses.presented_on AS VARCHAR)
                || ': no further action in the record'
        ELSE 'no presidential action in the record'
    END AS veto_status
FROM statuses
