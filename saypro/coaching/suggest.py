"""The suggested answer: written from the review itself, passing the guidelines it is coached on.

It names the product, every aspect the customer praised and the two complaints
that weigh most (``ReviewProfile.main_issues``; with their own words for them
when that stays short), greets them by name, thanks them, and then, by tone: an
apology and a concrete next step on SayPro (negative); the praise echoed, the
issue acknowledged and a next step (mixed); the praise echoed and an invitation
back (positive). The next step fits every complaint, named or not
(``REMEDIES``): a fault is replaced or refunded, a poor fit exchanged, a late
parcel looked into, a price answered without a refund nobody asked for.
Deterministic: the phrasing variant is chosen from a checksum of the review,
never at random.
"""

import zlib
from dataclasses import dataclass

from saypro.coaching.guidelines.form import LONG_SENTENCE
from saypro.coaching.review import AspectMention, ReviewProfile, Tone
from saypro.coaching.text import first_name, stem

MAX_QUOTED_ASPECTS = 4  # past this many, aspects are named without the customer's words

OPENINGS = {
    Tone.NEGATIVE: (
        "thank you for taking the time to review {product}.",
        "thank you for your honest review of {product}.",
        "thank you for taking the time to tell us about {product}.",
    ),
    Tone.MIXED: (
        "thank you for your honest review of {product}.",
        "thank you for taking the time to review {product}.",
        "thank you for your thoughtful feedback on {product}.",
    ),
    Tone.POSITIVE: (
        "thank you so much for your lovely review of {product}!",
        "thank you for taking the time to review {product}.",
        "thank you so much for your kind review of {product}.",
    ),
}


@dataclass(frozen=True)
class Remedy:
    """The next step offered for complaints about ``aspects``, by the answer's tone."""

    aspects: frozenset[str]
    negative: str
    mixed: str


PUT_RIGHT = "That isn't the standard we aim for, and we'd like to put it right."
ASK = "Please send us a message here on SayPro"
FAULT = Remedy(
    frozenset(
        {"quality", "stitching", "battery", "performance", "safety", "completeness", "freshness"}
    ),
    f"{PUT_RIGHT} {ASK} with your order number, and we'll arrange a replacement or a full "
    "refund, whichever you prefer.",
    f"{ASK} with your order number and we'll gladly arrange a replacement or a refund.",
)
FIT = Remedy(
    frozenset({"sizing", "fit", "length"}),
    f"{PUT_RIGHT} {ASK} with your order number, and we'll arrange an exchange or a full "
    "refund, whichever you prefer.",
    f"{ASK} if you'd like to swap it, and we'll gladly arrange an exchange.",
)
ANY_RETURN = Remedy(
    frozenset(
        {"material", "care", "colour", "look", "accuracy", "comfort", "taste", "scent", "sound"}
    ),
    f"{PUT_RIGHT} {ASK} with your order number, and we'll arrange a replacement, an "
    "exchange or a full refund, whichever you prefer.",
    f"{ASK} and we'll gladly arrange an exchange or a refund, or help in any other way we can.",
)
RETURNS = (FAULT, FIT, ANY_RETURN)
# The first remedy whose aspects the customer complained about is offered (any return
# when they raised more than one kind of return): a fault is replaced or refunded, a
# poor fit exchanged, a late parcel looked into, a question of value answered without
# a refund nobody asked for.
REMEDIES = (
    *RETURNS,
    Remedy(
        frozenset({"delivery", "packaging"}),
        f"{PUT_RIGHT} {ASK} with your order number, and we'll find out what went wrong with the "
        "delivery and replace anything that arrived damaged.",
        f"{ASK} with your order number and we'll find out what went wrong with the delivery.",
    ),
    Remedy(
        frozenset({"setup", "ease_of_use"}),
        f"{ASK} and we'll gladly walk you through it, step by step.",
        f"{ASK} and we'll gladly walk you through it, step by step.",
    ),
    Remedy(
        frozenset({"service"}),
        f"{PUT_RIGHT} {ASK} with your order number, and we'll find out what happened and make "
        "it right.",
        f"{ASK} with your order number and we'll find out what happened and make it right.",
    ),
    Remedy(
        frozenset({"price"}),
        "We'd love to hear what would have made it worth it for you: please send us a message "
        "here on SayPro, and we'll gladly help in any way we can.",
        "We'd love to hear what would make it better value for you: please send us a message "
        "here on SayPro.",
    ),
)
# Nothing named: the customer is unhappy without saying why, so every return is open.
UNNAMED = Remedy(
    frozenset(), ANY_RETURN.negative, f"{ASK} and we'll gladly help in any way we can."
)
CLOSINGS = (
    "We look forward to welcoming you back soon.",
    "We hope to see you again soon.",
    "We can't wait to welcome you back.",
)


def suggest_answer(profile: ReviewProfile) -> str:
    review = profile.review
    variant = zlib.crc32(f"{review.product}\n{review.title}\n{review.text}".encode()) % 3
    name = first_name(review.reviewer)
    greeting = f"Hi {name}," if name else "Hello,"
    product = _product(review.product)
    praise, issues = _named(profile.praise), _named(profile.main_issues)
    opening = f"{greeting} {OPENINGS[profile.tone][variant].format(product=product)}"

    if profile.tone is Tone.NEGATIVE:
        sorry = (
            f"We're truly sorry about {issues}."
            if issues
            else "We're truly sorry that it didn't live up to what you expected."
        )
        if praise:
            sorry = _one_or_two(f"We're glad you liked {praise}", "but", sorry)
        return " ".join((opening, sorry, _remedy(profile).negative))

    if profile.tone is Tone.MIXED:
        if praise and issues:
            middle = _one_or_two(
                f"We're glad you're happy with {praise}", "and", f"We're sorry about {issues}."
            )
        elif praise:
            middle = (
                f"We're glad you're happy with {praise}, and we're sorry it didn't fully meet "
                "your expectations."
            )
        elif issues:
            middle = f"We're sorry about {issues}."
        else:
            middle = "We're sorry it didn't fully meet your expectations."
        return " ".join((opening, middle, _remedy(profile).mixed))

    glad = (
        f"We're delighted to hear you're happy with {praise}."
        if praise
        else "We're delighted to hear you're enjoying it."
    )
    parts = [opening, glad]
    if issues:
        parts.append(
            f"We're sorry about {issues}, and we'll gladly help if you send us a message here."
        )
    parts.append(CLOSINGS[variant])
    return " ".join(parts)


def _remedy(profile: ReviewProfile) -> Remedy:
    complaints = {mention.aspect for mention in profile.issues}
    offered = [remedy for remedy in REMEDIES if remedy.aspects & complaints]
    if sum(remedy in RETURNS for remedy in offered) > 1:
        return ANY_RETURN
    return offered[0] if offered else UNNAMED


def _one_or_two(first: str, joint: str, second: str) -> str:
    """ "First, joint second." while that stays a readable sentence, else two sentences.

    Many aspects on both sides would otherwise make one sentence longer than the
    clarity guideline allows.
    """
    joined = f"{first}, {joint} {second[0].lower()}{second[1:]}"
    if len(joined.split()) <= LONG_SENTENCE:
        return joined
    return f"{first}. {second}"


def _product(title: str) -> str:
    title = " ".join(title.split()).strip(" .!?")
    if not title:
        return "your order"
    first = title.split()[0].lower()
    if first in {"the", "a", "an", "your", "our", "my"}:
        return title
    return f"the {title}"


def _named(mentions: tuple[AspectMention, ...]) -> str:
    """Each aspect once, in the customer's words: 'the sizing (“runs small”) and the fit'."""
    quote = len(mentions) <= MAX_QUOTED_ASPECTS
    phrases = []
    for mention in mentions:
        cue = " ".join(mention.cue.split())
        label_stems = {stem(word) for word in mention.label.split()}
        if (
            quote
            and mention.descriptive
            and not {stem(word) for word in cue.split()} & label_stems
            and len(cue) <= 30
        ):
            phrases.append(f"{mention.label} (\u201c{cue}\u201d)")
        else:
            phrases.append(mention.label)
    phrases = list(dict.fromkeys(phrases))
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]
