-- override_outlook: for every vetoed measure, its passage votes in each chamber measured against
-- the two thirds an override would need, so a reader sees how far it had to go.
-- Rule: an override needs two thirds of those present and voting in each chamber (U.S.
-- Constitution, Art. I, sec. 7, cl. 2; Missouri Pacific Ry. Co. v. Kansas, 248 U.S. 276 (1919);
-- CRS RS22654), so each recorded passage vote (category passage or passage-suspension, on or
-- before the President's action, or before the first override vote where the record holds no
-- presidential action) is set against two thirds of its own yea + nay, with
-- override_math's arithmetic: `margin` = yea - two_thirds_needed (negative: short), and
-- `switches_needed` nays that would have had to become yeas. A chamber that passed the measure
-- without a roll call has no row. Each row carries that chamber's override roll call, if it held
-- one (veto_overrides; a chamber with several has a row for each). Sources: presidential_actions
-- and each roll call's official file.
WITH overrides AS (  -- read once: the view is used twice below
    SELECT * FROM veto_overrides
),
vetoes AS (
    SELECT
        measure_id,
        measure,
        action,
        action_date,
        originating_chamber,
        COALESCE(action_date, MIN(date)) AS passed_by
    FROM overrides
    GROUP BY measure_id, measure, action, action_date, originating_chamber
)
SELECT
    vetoes.measure_id,
    vetoes.measure,
    vetoes.action,
    vetoes.action_date,
    vetoes.originating_chamber,
    override_math.chamber,
    override_math.roll_call_id,
    override_math.date,
    override_math.question,
    override_math.category,
    override_math.yea,
    override_math.nay,
    override_math.present,
    override_math.not_voting,
    override_math.voting,
    override_math.two_thirds_needed,
    override_math.margin,
    override_math.switches_needed,
    override_math.official_result,
    overrides.roll_call_id AS override_roll_call_id,
    overrides.yea AS override_yea,
    overrides.nay AS override_nay,
    overrides.margin AS override_margin,
    overrides.outcome AS override_outcome
FROM vetoes
JOIN override_math
    ON override_math.measure_id = vetoes.measure_id
    AND override_math.category IN ('passage', 'passage-suspension')
    AND override_math.status = 'counted'
    AND override_math.date <= vetoes.passed_by
LEFT JOIN overrides
    ON overrides.measure_id = vetoes.measure_id
    AND overrides.chamber = override_math.chamber
