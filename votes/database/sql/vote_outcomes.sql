-- vote_outcomes: what each roll call decided, read from its published result and mapped once.
-- Rule: `outcome` is 'carried' when the published result decides the question in the affirmative
-- ("Passed", "Agreed to", "Veto Overridden", "Guilty", ...) and 'failed' when it decides it in
-- the negative ("Failed", "Rejected", "Veto Sustained", "Not Guilty", ...). A vacated vote and
-- an election of the Speaker (the result is the winner's name) decide no question: NULL. A text
-- missing from both lists is NULL too: a gap to add here, never a guess. The lists hold every
-- result published on the House and Senate roll calls of 1989-2020 (unitedstates/congress vote
-- JSON, parsed from the House Clerk and Senate LIS files). Every other view reads the mapping
-- from here. Source: each roll call's official file (roll_calls.source_id).
SELECT
    roll_calls.id AS roll_call_id,
    roll_calls.result,
    CASE
        WHEN roll_calls.status = 'vacated' THEN NULL
        WHEN roll_calls.result IN (
            'Passed',
            'Agreed to',
            'Bill Passed',
            'Joint Resolution Passed',
            'Resolution Agreed to',
            'Concurrent Resolution Agreed to',
            'Resolution of Ratification Agreed to',
            'Conference Report Agreed to',
            'Veto Overridden',
            'Amendment Agreed to',
            'Amendment Germane',
            'Nomination Confirmed',
            'Guilty',
            'Cloture Motion Agreed to',
            'Cloture on the Motion to Proceed Agreed to',
            'Motion Agreed to',
            'Motion to Proceed Agreed to',
            'Motion to Table Agreed to',
            'Motion to Table Motion to Recommit Agreed to',
            'Motion to Table Motion to Reconsider Agreed to',
            'Motion to Reconsider Agreed to',
            'Motion to Discharge Agreed to',
            'Motion to Adjourn Agreed to',
            'Motion for Attendance Agreed to',
            'Decision of Chair Sustained',
            'Point of Order Sustained',
            'Point of Order Well Taken'
        ) THEN 'carried'
        WHEN roll_calls.result IN (
            'Failed',
            'Bill Defeated',
            'Joint Resolution Defeated',
            'Resolution Rejected',
            'Concurrent Resolution Rejected',
            'Resolution of Ratification Rejected',
            'Conference Report Rejected',
            'Veto Sustained',
            'Amendment Rejected',
            'Amendment Not Germane',
            'Nomination Rejected',
            'Not Guilty',
            'Cloture Motion Rejected',
            'Cloture on the Motion to Proceed Rejected',
            'Motion Rejected',
            'Motion to Proceed Rejected',
            'Motion to Table Failed',
            'Motion to Table Motion to Reconsider Rejected',
            'Motion to Recommit Rejected',
            'Motion to Reconsider Rejected',
            'Motion to Discharge Rejected',
            'Motion to Adjourn Rejected',
            'Motion to Postpone Rejected',
            'Motion to Refer Rejected',
            'Decision of Chair Not Sustained',
            'Point of Order Not Sustained',
            'Point of Order Not Well Taken',
            'Objection Not Sustained'
        ) THEN 'failed'
    END AS outcome
FROM roll_calls
