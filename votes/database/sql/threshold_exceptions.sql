-- threshold_exceptions: the roll calls whose published result disagrees with the arithmetic of
-- their threshold (threshold_math.agrees_with_official = 0), each with the reason, found by
-- investigating every disagreement in the record of 1989-2024 (the vote's question, subject,
-- requirement, result text and member roll in the unitedstates/congress JSON of the House
-- Clerk's and the Senate's files). threshold_math never bends its arithmetic to fit these; it
-- marks them `documented_exception`. A disagreement not listed here is a defect to report.
-- The kinds:
-- * The yeas answered another question than the one whose fate the result reports (the
--   Senate's file names it in its subject, which the record does not keep): a motion to waive
--   the Budget Act, to table an amendment, or whether an amendment is in order, while the
--   result says what became of the point of order or the amendment: s242-106.2000,
--   s357-107.2001, s12-108.2004, s216-111.2009.
-- * Three fifths against the question put: on an appeal from the Chair's ruling on a Budget Act
--   point of order, three fifths of the senators duly chosen and sworn are needed to overturn
--   the Chair, so the question "Shall the decision of the Chair stand?" is lost only if 60 vote
--   nay: s245-103.1993, s246-103.1993.
-- * A requirement misprinted in the file: s349-108.2003 (a motion to table, decided by a
--   majority, printed "3/5"), s451-108.2003 (cloture in 2003, three fifths, printed "1/2").
-- * A requirement and a result that cannot both be right, the file saying no more:
--   s201-102.1992, s118-104.1996.
-- * A result that contradicts its own tally: s14-103.1993, s71-106.2000.
-- * Nothing to measure: no quorum on the record (h233-102.1991) or no tally (s216-116.2020).
-- Source: each roll call's official file (roll_calls.source_id); Senate Rule XXII; the
-- Congressional Budget Act of 1974 (secs. 313(e) and 904).
WITH exceptions (roll_call_id, reason) AS (
    VALUES
        (
            'h233-102.1991',
            'No quorum on the record: 181 of the 433 members on the roll voted (109-72, 252 '
            || 'not voting), yet the Clerk''s file says Passed and prints no question. A '
            || 'quorum of the House is a majority of its members (a vote in the Committee of '
            || 'the Whole needs only 100, which the file does not say this was), so carried '
            || 'stays empty.'
        ),
        (
            's201-102.1992',
            'Motion to waive the Congressional Budget Act "agreed to" at 51-42 though the '
            || 'Senate''s file prints "3/5 majority required": 51 is short of 60, three fifths '
            || 'of the 99 senators sworn (and of 56, three fifths of those voting). The '
            || 'published requirement and result cannot both be right.'
        ),
        (
            's14-103.1993',
            '"Amendment Agreed to (23-74)": the published result contradicts its own tally, '
            || 'which no threshold carries. The file''s subject names Helms Amdt. No. 48 while '
            || 'its question names S.Amdt. 49: result and tally seem to belong to different '
            || 'questions.'
        ),
        (
            's245-103.1993',
            'Appeal from the Chair''s ruling on a Budget Act point of order against H.R. 2264 '
            || '(1993 reconciliation), "3/5 majority required": three fifths of the senators '
            || 'sworn are needed to overturn the Chair, so the question whether the decision '
            || 'stands was lost only if 60 voted nay. The 57 nays fell short: the Chair was '
            || 'sustained at 43-57. The arithmetic measures the yeas.'
        ),
        (
            's246-103.1993',
            'Appeal from the Chair''s ruling on a Budget Act point of order against H.R. 2264 '
            || '(1993 reconciliation), "3/5 majority required": three fifths of the senators '
            || 'sworn are needed to overturn the Chair, so the question whether the decision '
            || 'stands was lost only if 60 voted nay. The 57 nays fell short: the Chair was '
            || 'sustained at 43-57. The arithmetic measures the yeas.'
        ),
        (
            's118-104.1996',
            '"Amendment Rejected (53-45)": a majority voted yea on a question the file says '
            || 'required 1/2 (an amendment to S.Con.Res. 57, the budget resolution; 53 of 100 '
            || 'sworn would be short of a Budget Act three fifths). The file does not say which '
            || 'rule defeated it.'
        ),
        (
            's71-106.2000',
            '"Amendment Agreed to (45-55)": the published result contradicts its own tally '
            || '(a substitute for S.Con.Res. 101, the budget resolution: 44 of 45 Democrats for '
            || 'it, 54 of 55 Republicans against), which no threshold carries.'
        ),
        (
            's242-106.2000',
            'The yeas answered a motion to table the amendment (the file''s subject: "Motion '
            || 'To Table Thompson Amdt. No. 4132"), which carried 65-32; the published result '
            || 'says what that did to the amendment: rejected.'
        ),
        (
            's357-107.2001',
            'The yeas answered a motion to waive the Budget Act (the file''s subject), which '
            || 'needed three fifths of the senators sworn and failed 50-50; the published result '
            || 'says what that did to the point of order: sustained.'
        ),
        (
            's349-108.2003',
            'A motion to table, which a majority decides, carried 53-41, but the Senate''s file '
            || 'prints "3/5 majority required": the published requirement is wrong, the result '
            || 'right.'
        ),
        (
            's451-108.2003',
            'Cloture on the nomination of Carolyn B. Kuhl in 2003, when Senate Rule XXII '
            || 'required three fifths of the senators duly chosen and sworn (majority cloture on '
            || 'nominations dates from 2013-11-21): 53 of 100 is short of 60, so it was '
            || 'rejected, but the file prints no 3/5 requirement (requires 1/2).'
        ),
        (
            's12-108.2004',
            'The yeas answered a motion to waive the Budget Act (the file''s subject: "Motion '
            || 'To Waive C.B.A. Re: Inhofe Amdt No 2285"), which carried 72-24, over three '
            || 'fifths; the published result says what that did to the point of order: not '
            || 'sustained.'
        ),
        (
            's216-111.2009',
            'The yeas answered whether the amendment was in order (the file''s subject: "Is '
            || 'it in order to offer the Amendment (SA 1365)"), which carried 70-23; the '
            || 'published result says what that did to the point of order: not sustained.'
        ),
        (
            's216-116.2020',
            'Motion to open the doors, "Motion Agreed to (0-0)": the Senate''s file records no '
            || 'yea or nay (all 100 senators not voting), so there is nothing to measure and '
            || 'carried stays empty.'
        )
)
SELECT
    exceptions.roll_call_id,
    exceptions.reason
FROM exceptions
