-- veto_counts: each President's vetoes as the record holds them, beside the official totals of
-- the Senate's veto statistics, and the gap between them.
-- Rule: the Senate counts a veto the President returned as regular, and one he could not return
-- because Congress had adjourned as a pocket veto (U.S. Constitution, Art. I, sec. 7, cl. 2;
-- CRS RS22188). A disputed pocket veto (the President said pocket veto, Congress held that its
-- adjournment did not prevent the return) is counted as Congress treated it: as regular when the
-- bill was returned and Congress could vote on overriding it (G. W. Bush's H.R. 1585, Obama's
-- five); not at all when it was not returned and Congress held the bill enacted (G. H. W.
-- Bush's H.J.Res. 390 and S. 1176, which the Senate does not count: `held_enacted`). A `gap`
-- above 0 is vetoes the record lacks (11 of G. H. W. Bush's, 1 of Clinton's); below 0, rows
-- the official figures do not count yet (the copy read predates Biden's S. 4199); NULL where
-- there is no official figure (Trump's second term). Sources: veto_records (data/vetoes.csv)
-- and official_veto_counts (senate.gov/legislative/vetoes/vetoCounts.htm).
WITH counted AS (
    SELECT
        veto_records.president,
        MIN(veto_records.vetoed_on) AS first_veto_on,
        COUNT(*) AS vetoes,
        SUM(
            CASE
                WHEN veto_records.kind = 'regular' THEN 1
                WHEN veto_records.kind = 'disputed_pocket'
                    AND veto_records.outcome <> 'pocket_no_override' THEN 1
                ELSE 0
            END
        ) AS regular,
        SUM(CASE WHEN veto_records.kind = 'pocket' THEN 1 ELSE 0 END) AS pocket,
        SUM(
            CASE
                WHEN veto_records.kind = 'disputed_pocket'
                    AND veto_records.outcome = 'pocket_no_override' THEN 1
                ELSE 0
            END
        ) AS held_enacted,
        SUM(CASE WHEN veto_records.outcome = 'overridden' THEN 1 ELSE 0 END) AS overridden
    FROM veto_records
    GROUP BY veto_records.president
)
SELECT
    counted.president,
    counted.first_veto_on,
    counted.vetoes,
    counted.regular,
    counted.pocket,
    counted.held_enacted,
    counted.overridden,
    official_veto_counts.regular AS official_regular,
    official_veto_counts.pocket AS official_pocket,
    official_veto_counts.total AS official_total,
    official_veto_counts.regular - counted.regular AS regular_gap,
    official_veto_counts.pocket - counted.pocket AS pocket_gap,
    official_veto_counts.total - (counted.regular + counted.pocket) AS gap,
    official_veto_counts.note AS official_note,
    sources.url AS official_source
FROM counted
LEFT JOIN official_veto_counts ON official_veto_counts.president = counted.president
LEFT JOIN sources ON sources.id = official_veto_counts.source_id
