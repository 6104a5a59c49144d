-- vetoes: every veto of 1989-2026 as the curated inventory records it (data/vetoes.csv), what
-- became of it, and each chamber's override attempt against two thirds.
-- Rule: a vetoed bill or joint resolution returns to the chamber where it originated; two thirds
-- of each chamber, of those present and voting, pass it over the veto (U.S. Constitution, Art. I,
-- sec. 7, cl. 2; Missouri Pacific Ry. Co. v. Kansas, 248 U.S. 276 (1919); CRS RS22654). A pocket
-- veto (Congress "by their Adjournment prevent its Return") cannot be overridden. Each chamber's
-- attempt is the override roll call the row names, with override_math's arithmetic; its columns
-- are NULL where the chamber never voted, where the record does not hold the vote yet (the link
-- holds once it is imported), and where the vote named was not on overriding (the Senate's
-- cloture vote on the veto message of S.J.Res. 22, 114th). Kind and outcome are the
-- inventory's; `doubt` repeats the row's notes when the row is doubtful (not fully sourced, or
-- settling sources that disagree). 11 of G. H. W. Bush's vetoes and 1 of Clinton's are missing
-- (veto_counts sets the rows beside the official totals). Sources: veto_records (each row's
-- first source here; veto_sources holds the others) and each roll call's official file.
SELECT
    veto_records.id AS veto_id,
    veto_records.president,
    measures.congress,
    veto_records.measure_id,
    measures.label AS measure,
    veto_records.title,
    veto_records.vetoed_on,
    veto_records.kind,
    veto_records.outcome,
    veto_records.house_roll_call_id,
    house.yea AS house_yea,
    house.nay AS house_nay,
    house.two_thirds_needed AS house_two_thirds_needed,
    house.margin AS house_margin,
    house.switches_needed AS house_switches_needed,
    veto_records.senate_roll_call_id,
    senate.yea AS senate_yea,
    senate.nay AS senate_nay,
    senate.two_thirds_needed AS senate_two_thirds_needed,
    senate.margin AS senate_margin,
    senate.switches_needed AS senate_switches_needed,
    sources.url AS source,
    CASE WHEN veto_records.doubtful THEN veto_records.notes END AS doubt
FROM veto_records
JOIN measures ON measures.id = veto_records.measure_id
JOIN sources ON sources.id = veto_records.source_id
LEFT JOIN override_math AS house
    ON house.roll_call_id = veto_records.house_roll_call_id
    AND house.override_vote = 1
LEFT JOIN override_math AS senate
    ON senate.roll_call_id = veto_records.senate_roll_call_id
    AND senate.override_vote = 1
