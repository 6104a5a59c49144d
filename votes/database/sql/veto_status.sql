-- veto_status: for every measure, whether a veto can apply to it and what became of it.
-- Rule: only bills and joint resolutions are presented to the President, who signs or vetoes
-- them (U.S. Constitution, Art. I, sec. 7, cl. 2-3). A concurrent or simple resolution is never
-- presented, so no veto or override applies: that is its status, not missing data (a War Powers
-- Resolution sec. 5(c) concurrent resolution, 50 U.S.C. 1544(c), such as H.Con.Res. 83 (116th),
-- is one). A joint resolution proposing a constitutional amendment goes to the States, not the
-- President (Art. V; Hollingsworth v. Virginia, 3 U.S. 378 (1798)). For a vetoed measure the
-- status is veto_overrides' final_state. One row per measure. Sources: measures and
-- presidential_actions (congress.gov all-actions pages).
WITH actions AS (
    SELECT
        measure_id,
        MIN(CASE WHEN action = 'presented' THEN presidential_actions.date END)
            AS presented_on,
        MAX(CASE WHEN action <> 'presented' THEN action END)
            AS president_action,
        MAX(CASE WHEN action <> 'presented' THEN presidential_actions.date END)
            AS president_action_date
    FROM presidential_actions
    GROUP BY measure_id
),
finals AS (
    SELECT
        measure_id,
        MIN(final_state) AS final_state
    FROM veto_overrides
    GROUP BY measure_id
)
SELECT
    measures.id AS measure_id,
    measures.label AS measure,
    measures.congress,
    measures.kind,
    measures.originating_chamber,
    CASE WHEN measures.presented THEN 1 ELSE 0 END AS presentable,
    actions.presented_on,
    actions.president_action,
    actions.president_action_date,
    CASE
        WHEN measures.kind IN ('concurrent_resolution', 'simple_resolution')
            THEN 'not presented: no veto applies'
        WHEN measures.constitutional_amendment
            THEN 'not presented: a constitutional amendment goes to the States'
        WHEN finals.final_state IS NOT NULL THEN finals.final_state
        WHEN actions.president_action = 'signed' THEN 'signed: law'
        WHEN actions.presented_on IS NOT NULL THEN 'presented: awaiting the President'
        ELSE 'not presented: no presidential action in the record'
    END AS veto_status
FROM measures
LEFT JOIN actions ON actions.measure_id = measures.id
LEFT JOIN finals ON finals.measure_id = measures.id
