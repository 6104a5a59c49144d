"""unitedstates/congress's vote categories, mirrored so official XML and its JSON agree.

Ported from congress/tasks/vote_info.py (normalize_vote_type, get_vote_category), CC0.
"""

from __future__ import annotations

import re

# (pattern, replacement): the first pattern that matches at the start names the type.
VOTE_TYPES: tuple[tuple[str, str], ...] = (
    (r"^On the Resolution of Ratification.*", "On the Resolution of Ratification"),
    (r"On (Agreeing to )?the (Joint |Concurrent )?Resolution", r"On the \g<2>Resolution"),
    (r"On (Agreeing to )?the Conference Report", "On the Conference Report"),
    (r"On (Agreeing to )?the (En Bloc )?Amendments?", "On the Amendment"),
    (r"On (?:the )?Motion to Recommit", "On the Motion to Recommit"),
    (
        r"(On Motion to )?(Concur in|Concurring|On Concurring|Agree to|On Agreeing to) (the )?"
        r"Senate (Amendment|amdt|Adt)s?",
        "Concurring in the Senate Amendment",
    ),
    (
        r"(On Motion to )?Suspend (the )?Rules and (Agree|Concur|Pass)(, As Amended)",
        r"On Motion to Suspend the Rules and \g<3>\g<4>",
    ),
    (
        r"Will the House Now Consider the Resolution|On (Question of )?Consideration of the "
        r"Resolution",
        "On Consideration of the Resolution",
    ),
    (r"On (the )?Motion to Adjourn", "On the Motion to Adjourn"),
    (r"On (the )?Cloture Motion", "On the Cloture Motion"),
    (r"On Cloture on the Motion to Proceed", "On the Cloture Motion"),
    (r"On (the )?Nomination", "On the Nomination"),
    (r"On Passage( of the Bill|$)", "On Passage of the Bill"),
    (r"On (the )?Motion to Proceed", "On the Motion to Proceed"),
    (
        r"On the Motion \(Motion to ((Recede )from the Senate Amendment to \S+ \d+ (and ))?"
        r"Concur( with Further Amendment)?",
        r"On the Motion to \g<2>\g<3>Concur\g<4>",
    ),
    (r"On the Motion \(Motion to (.*)\)$", r"On the Motion to \g<1>"),
)

# (pattern, category): the first pattern found anywhere decides; order matters.
CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    (r"^$", "unknown"),
    (r"^On Overriding the Veto", "veto-override"),
    (r"^On Presidential Veto", "veto-override"),
    (r"Objections of the President (To The Contrary )?Not ?Withstanding", "veto-override"),
    (r"^On Passage", "passage"),
    (r"^On the Resolution of Ratification.*", "treaty"),
    (r"^On (Agreeing to )?the (Joint |Concurrent )?Resolution", "passage"),
    (r"^On (Agreeing to )?the Conference Report", "passage"),
    (r"^On (Agreeing to )?the (En Bloc )?Amendments?", "amendment"),
    (r"cloture", "cloture"),
    (r"^On the Nomination", "nomination"),
    (r"^Guilty or Not Guilty", "conviction"),
    (r"^On (?:the )?Motion to Recommit", "recommit"),
    (r"^On the Motion to Concur", "passage"),
    (r"^On the Motion to Recede and Concur with Further Amendment", "passage"),
    (
        r"^(On Motion (to|that the House) )?(Concur in|Concurring|Concurring in|On Concurring|"
        r"On Concurring in|Agree to|On Agreeing to) (the )?Senate (Amendment|amdt|Adt)s?",
        "passage",
    ),
    (r"^(On Motion to )?Suspend (the )?Rules and (Agree|Concur|Pass)", "passage-suspension"),
    (r"^Call of the House$", "quorum"),
    (r"^Call by States$", "quorum"),
    (r"^Election of the Speaker$", "leadership"),
    (r"^On Ordering the Previous Question", "procedural"),
    (r"^On Approving the Journal", "procedural"),
    (
        r"^Will the House Now Consider the Resolution|On (Question of )?Consideration of the "
        r"Resolution",
        "procedural",
    ),
    (r"^On (the )?Motion to Adjourn", "procedural"),
    (r"Authoriz(e|ing) Conferees", "procedural"),
    (r"On the Point of Order|Sustaining the Ruling of the Chair", "procedural"),
    (r"^On .*Motion ", "procedural"),
    (r"^On the Decision of the Chair", "procedural"),
    (r"^Whether the Amendment is Germane", "procedural"),
    (r"^Table Appeal of the Ruling of the Chair", "procedural"),
)


def vote_type(question: str) -> str:
    """The normalized kind of a question ("On Agreeing to the Amendment" -> "On the Amendment")."""
    for pattern, replacement in VOTE_TYPES:
        match = re.match(pattern, question, re.I)
        if match:
            return match.expand(replacement)
    return question


def category(question: str) -> str:
    """The unitedstates/congress category of a question (passage, cloture, quorum, ...)."""
    for pattern, name in CATEGORY_RULES:
        if re.search(pattern, question, re.I):
            return name
    return "unknown"
