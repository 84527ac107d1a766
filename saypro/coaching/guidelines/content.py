"""Personalisation, thanks and a next step: what the draft says to this customer."""

import functools
import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from saypro.coaching import lexicon
from saypro.coaching.guidelines.base import Draft, compile_any, join_words, make_finding
from saypro.coaching.results import Finding, Span
from saypro.coaching.review import ASPECT_PATTERNS, Tone
from saypro.coaching.text import first_name, fold, quoted, stem, words

# --- Personalisation ---------------------------------------------------------------

NEAR_DUPLICATE = (
    0.8  # share of words in common (difflib ratio) from which a draft is a reused answer
)
COMPARED_WORDS = (
    300  # only the start of long answers is compared; past 250 words clarity fails anyway
)
STOCK_PHRASES = compile_any(
    r"\bwe value (?:all )?(?:our|your) (?:customers|feedback|business)\b",
    r"\bthank you for (?:your|the) (?:feedback|review|purchase|order)\b",
    r"\bwe strive\b",
    r"\bany inconvenience(?: caused)?\b",
    r"\bdear (?:valued )?customer\b",
    r"\bhope to (?:see|serve) you again\b",
    r"\bwe appreciate your business\b",
    r"\bhave a (?:nice|great|good) day\b",
    r"\bcustomer satisfaction\b",
    r"\bour top priority\b",
    r"\bthank you for choosing us\b",
)


def check_personalisation(draft: Draft, history: Sequence[str]) -> Finding:
    profile = draft.profile
    similarity = closest_earlier_answer(draft.text, history)
    if similarity >= NEAR_DUPLICATE:
        return make_finding(
            "personalisation",
            "fail",
            spans=[draft.span(0, len(draft.text))] if draft.text else [],
            reason=(
                "Nearly identical to one of your earlier answers "
                f"({similarity:.0%} the same words)."
            ),
            suggestion="Write this one for this customer: answer what they said about the product.",
        )
    name_spans = _name_spans(draft)
    product_spans = [
        draft.span(word.start, word.end)
        for word in draft.words
        if len(word.text) > 2 and stem(word.text) in profile.product_stems
    ] + _title_spans(draft)
    aspect_spans = [
        span
        for aspect, pattern in ASPECT_PATTERNS
        if aspect.key in profile.aspect_keys
        for span in draft.find(pattern)
    ]
    echoed = profile.content_stems - profile.product_stems
    content_spans = [
        draft.span(word.start, word.end)
        for word in draft.words
        if len(word.text) > 2
        and word.text not in lexicon.STOPWORDS
        and word.text not in lexicon.GENERIC_WORDS
        and stem(word.text) in echoed
    ]
    points = aspect_spans + content_spans
    anchors = [("the reviewer's name", name_spans), ("the product", product_spans)]
    named = [label for label, spans in anchors if spans]
    raised = join_words([mention.label for mention in profile.mentions[:3]])
    advice = (
        f"Answer what they actually wrote about: {raised}."
        if raised
        else "Mention the product by name and something from their review."
    )
    if points:
        mentioned = list(dict.fromkeys(span.text.lower() for span in points))[:3]
        return make_finding(
            "personalisation",
            "pass",
            spans=points + name_spans + product_spans,
            reason=f"Refers to what the customer wrote ({', '.join(mentioned)}).",
        )
    if len(named) == 2 or (named and not profile.mentions):
        return make_finding(
            "personalisation",
            "pass",
            spans=name_spans + product_spans,
            reason=f"Addressed to this review: names {join_words(named)}.",
        )
    if named:
        return make_finding(
            "personalisation",
            "warn",
            spans=name_spans + product_spans + draft.find(STOCK_PHRASES),
            reason=f"Only {named[0]} makes it specific; the rest would fit any review.",
            suggestion=advice,
        )
    return make_finding(
        "personalisation",
        "fail",
        spans=draft.find(STOCK_PHRASES),
        reason="Generic: nothing in it is specific to this review.",
        suggestion=advice,
    )


def closest_earlier_answer(text: str, history: Sequence[str]) -> float:
    """The highest word-level similarity (0..1, difflib ratio) of ``text`` to an earlier answer.

    SequenceMatcher caches what it knows about its second sequence, so the
    draft goes there once and each earlier answer is swapped in as the first;
    the cheap upper bounds skip most earlier answers without a full comparison.
    """
    draft_words = _answer_words(text)
    if not draft_words:
        return 0.0
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(draft_words)
    best = 0.0
    for earlier in history:
        earlier_words = _answer_words(earlier)
        if not earlier_words:
            continue
        matcher.set_seq1(earlier_words)
        if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
            continue
        best = max(best, matcher.ratio())
    return best


@functools.lru_cache(maxsize=4096)
def _answer_words(text: str) -> tuple[str, ...]:
    return tuple(word.text for word in words(fold(text)))[:COMPARED_WORDS]


def _title_spans(draft: Draft) -> list[Span]:
    """The product title written out in full (whatever its words), e.g. "the X" for product "X"."""
    title = fold(" ".join(draft.review.product.split()))
    if not title.strip():
        return []
    return draft.find(re.compile(rf"(?<![\w-]){re.escape(title)}(?![\w-])"))


def _name_spans(draft: Draft) -> list[Span]:
    name = first_name(draft.review.reviewer)
    if not name:
        return []
    pattern = re.compile(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])")
    return [span for span in draft.find(pattern) if span.text[:1].isupper()]


# --- Thanks --------------------------------------------------------------------------

SARCASTIC_THANKS = compile_any(
    r"\bthanks? (?:a lot |so much |very much )?for nothing\b",
    r"\bno thanks\b",
    r"\bthanks (?:anyway|for wasting)\b",
)
THANKS_FOR_FEEDBACK = compile_any(
    r"\b(?:thank you|thanks|thank u|many thanks|thx)\b(?: so much|"
    r" very much| a lot| again| ever so much)?,?(?: [^\W\d_]+,)? (?:[\w-]+ ){0,2}for "
    r"(?:[\w-]+ ){0,3}?(?:feedback|"
    r"review|reviewing|comments?|words|taking the time|time|sharing|"
    r"letting us know|telling us|pointing|flagging|mentioning|raising|"
    r"being (?:so )?honest|honesty|heads-up|tip|report|reporting|warning|"
    r"writing|rating|stars|input|note|message|update)\b",
    r"\b(?:appreciate|value|grateful for|thankful for) (?:[\w-]+ ){0,2}?(?:feedback|"
    r"review|comments?|honesty|time|sharing|letting us know|kind words|"
    r"words|input|you taking the time|you letting us know|you telling us)\b",
)
ANY_THANKS = re.compile(
    r"\b(?:thank(?:s|ing)?|thank-you|thx|cheers|grateful|thankful|appreciated?|much appreciated)\b"
)
# A "for" within three words of a thank-you: thanks for something ("Thank you, Tshepo, for
# shopping with us").
THANKED_FOR = re.compile(r"(?:[\s,]+[\w'-]+){0,3}?[\s,]+for\b")


def check_thanks(draft: Draft) -> Finding:
    sarcastic = draft.find(SARCASTIC_THANKS)
    for_feedback = [s for s in draft.find(THANKS_FOR_FEEDBACK) if not _overlaps(s, sarcastic)]
    any_thanks = [s for s in draft.find(ANY_THANKS) if not _overlaps(s, sarcastic)]
    if not for_feedback:
        for_feedback = _opening_thanks_by_name(draft, any_thanks)
    product = draft.review.product.strip() or "it"
    example = f"“Thank you for taking the time to review the {product}.”"
    if for_feedback:
        return make_finding(
            "thanks",
            "pass",
            spans=for_feedback,
            reason=f"Thanks the customer: {quoted(for_feedback[0].text)}.",
        )
    if any_thanks:
        return make_finding(
            "thanks",
            "warn",
            spans=any_thanks,
            reason="Says thanks, but not for the review itself.",
            suggestion=f"Thank them for their feedback, e.g. {example}",
        )
    return make_finding(
        "thanks",
        "fail",
        spans=sarcastic,
        reason=(
            f"The only thanks is sarcastic: {quoted(sarcastic[0].text)}."
            if sarcastic
            else "Doesn't thank the customer for their review."
        ),
        suggestion=f"Open by thanking them, e.g. {example}",
    )


def _opening_thanks_by_name(draft: Draft, thanks: list[Span]) -> list[Span]:
    """The answer's first sentence, when it thanks a happy reviewer by name and for nothing else.

    "Thank you so much, Tshepo!" opening an answer to a positive review can only
    be thanks for the review and its kind words. After a complaint the thanks
    should say what for, and "Thanks for shopping with us, Tshepo" is for something
    else: neither counts here.
    """
    if draft.profile.tone is not Tone.POSITIVE or not draft.sentences:
        return []
    start, end = draft.sentences[0]
    thank_you = [
        span
        for span in thanks
        if start <= span.start < end and span.text.lower().startswith(("thank", "thx"))
    ]
    named = any(start <= span.start < end for span in _name_spans(draft))
    if not thank_you or not named:
        return []
    if any(THANKED_FOR.match(draft.folded, span.end, end) for span in thank_you):
        return []
    return [draft.span(start, end)]


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


# --- Next step -----------------------------------------------------------------------

OFFER = compile_any(
    r"\b(?:replace|replaced|replacing|replacements?)\b",
    r"\b(?:exchange|exchanging|swap|swapping)\b",
    r"\b(?:refund|refunded|refunding|reimburse\w*|money back)\b",
    r"\b(?:resend|re-send|reship|re-ship)\b",
    r"\b(?:send|post|ship|dispatch|courier)(?:ing)? (?:you |it |them |"
    r"out |over )?(?:a |an |another |the |two |new |fresh |free |replacement |"
    r"spare |one |some )",
    r"\bsend (?:it|them|one) (?:to you|out|over)\b",
    r"\b(?:repair|fix) (?:it|this|that|them|the)\b|\brepairs?\b",
    r"\b(?:store credit|credit (?:your|you)|voucher|discount|coupon|"
    r"promo code|gift card|free of charge|on us|at no (?:extra )?cost|"
    r"half price)\b",
    r"\b(?:collect|collection|pick (?:it|them) up|return label|free return|"
    r"cover (?:the )?return)\w*",
    r"\b(?:make|put|set) (?:it|this|that|things) right\b",
    r"\bsort (?:it|this|that|things) out\b",
    r"\bchase (?:it|this|that|them)\b",
    r"\barrang(?:e|ing)\b",
    r"\bwarranty\b",
    r"\bwalk you through\b",
    r"\bhelp you (?:get|set|with|fix|sort|resolve|choose|find)\b",
    r"\blook into (?:it|this|that|your)\b[^.!?]{0,40}\b(?:get back to you|let you know)\b",
)
PLATFORM_CONTACT = compile_any(
    r"\b(?:send|drop|leave|write) us (?:a |an )?(?:quick |short )?(?:message|"
    r"note|line|dm|direct message)\b",
    r"\b(?:message|dm) us\b",
    r"\b(?:reply|respond)(?:ing)? (?:to this(?: message)?|here|below|to our message)\b",
    r"\b(?:on|through|via|in|using) saypro\b",
    r"\bsaypro (?:messages?|chat|inbox)\b",
    r"\b(?:contact|reach|get in touch with|write to) us (?:here|through|"
    r"via|on|in) (?:saypro|the platform|messages|this page|the app|"
    r"chat)\b",
)
INVITATION = compile_any(
    r"\b(?:contact|reach|get in touch with|talk to|speak to|speak with) (?:us|"
    r"our (?:team|customer care|customer service|support|care team))\b",
    r"\bget in touch\b",
    r"\breach out\b",
    r"\blet us know\b",
    r"\btell us (?:more|what|which|how|if)\b",
    r"\bwe(?:'d| would) love to hear\b",
    r"\bfeel free to\b",
    r"\b(?:happy|glad) to help\b",
    r"\bwe(?:'re| are) here (?:to help|for you|if you need)\b",
    r"\bif (?:there's|there is) anything (?:else )?we can do\b",
    r"\bdon't hesitate\b",
    r"\bsend us (?:a |your |the )?(?:photo|picture|order number|details|batch)\b",
)
OFF_PLATFORM = compile_any(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"\be-?mail (?:us|me|our|the)\b",
    r"\b(?:call|phone|ring|telephone|whatsapp|sms|text) (?:us|me|our|the office)\b",
    r"\bwhatsapp\b",
    r"(?<![\w.,])\+?\d[\d ()-]{7,}\d(?![\w.,])",
    r"\b(?:www\.|https?://)\S+",
    r"\b(?:our|the) website\b",
)
IMPROVEMENT = compile_any(
    r"\bpass(?:ed|ing)? (?:this|that|it|your \w+|the \w+)(?: \w+)? (?:on|along)\b",
    r"\btake (?:this|that|it|your \w+) on board\b",
    r"\bshar(?:e|ed|ing) (?:this|that|it|your feedback) with (?:the|our)\b",
    r"\bwe(?:'ll| will| are|'re|'ve| have) (?:\w+ )?(?:improve|improving|"
    r"work on|working on|review|reviewing|look at|looking at|update|"
    r"updating|updated|change|changing|changed|switch|switching|switched|"
    r"add|adding|added|retake|fix(?:ing)? the)\b",
    r"\bfor future (?:production|orders|batches|customers)\b",
    r"\blook(?:ing)? into (?:it|this|that)\b",
)
REFUSAL = re.compile(
    r"\b(?:no|not|cannot|can't|unable to|won't|don't|do not|never|"
    r"doesn't|does not)\b(?:\W+\w+){0,3}\W*$"
)
PLATFORM_EXAMPLE = (
    "“Please send us a message here on SayPro and we'll arrange a replacement or a refund.”"
)


def check_next_step(draft: Draft) -> Finding:
    profile = draft.profile
    if not profile.needs_next_step:
        return make_finding(
            "next_step",
            "pass",
            applies=False,
            reason="Not needed: the customer is happy, so an invitation back is enough.",
        )
    offers, refused = [], []
    for span in draft.find(OFFER):
        start, _ = draft.sentence_of(span.start)
        (refused if REFUSAL.search(draft.folded[start : span.start]) else offers).append(span)
    contact = draft.find(PLATFORM_CONTACT) + draft.find(INVITATION)
    outside = draft.find(OFF_PLATFORM)
    if outside:
        return make_finding(
            "next_step",
            "warn",
            spans=outside,
            reason=f"Asks the customer to leave SayPro: {quoted(outside[0].text)}.",
            suggestion=f"Keep the conversation on the platform: {PLATFORM_EXAMPLE}",
        )
    if offers or contact:
        first = draft.sentence_around((offers + contact)[0])
        return make_finding(
            "next_step",
            "pass",
            spans=offers + contact,
            reason=f"Offers a next step: {quoted(first.text)}.",
        )
    if refused:
        return make_finding(
            "next_step",
            "fail",
            spans=refused,
            reason=f"Refuses ({quoted(refused[0].text)}) without offering anything else.",
            suggestion=f"Offer what you can do instead, through SayPro: {PLATFORM_EXAMPLE}",
        )
    improvements = draft.find(IMPROVEMENT)
    return make_finding(
        "next_step",
        "fail",
        spans=improvements,
        reason=(
            "Promises to improve, but offers this customer nothing."
            if improvements
            else f"No next step offered in answer to a {profile.review.rating}-star review "
            "with a complaint."
        ),
        suggestion=f"Offer a concrete fix or an open door: {PLATFORM_EXAMPLE}",
    )
