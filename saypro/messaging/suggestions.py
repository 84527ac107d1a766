"""Which of a store's quick replies answer what a buyer asks, and may be said in this conversation.

**What the buyer asks.** Each common question (``Intent``) has cue phrases:
decisive ones ("in stock", "what size", "where is my order") weigh 2,
supporting words ("available", "size", "courier") 1. A message asks a
question when its cues reach ``THRESHOLD``, so one loose word never makes a
suggestion. Some questions rule others out (``RULES_OUT``): "change the
delivery address" is not a question about delivery times, "a refund that
hasn't come through" not one about a parcel. No topic answers an address
change: it is read so that it is not taken for a question about delivery.

**What a reply answers.** The question of its topic. A delivery reply answers
"where is my order?" when its title (else its text) reads more as an order's
whereabouts than as delivery times; otherwise it answers "how long does
delivery take?". A reply with the topic "other" is suggested only for a
message that asks none of the common questions, and only when they share a
word that means something (not "thanks", "order" or "please").

**What the conversation allows** (``Context``, the reply's claims checked
against it): a reply about an order's whereabouts needs an order of this buyer
with the store that is on its way; a returns reply, and any reply that names
the order, needs an order; an availability reply, and any reply that names the
product, needs a product (the conversation's, or one of the store's the
message names), and an availability reply says "in stock" only of a product in
stock and "sold out" only of one that is not.

Pure functions over text: ``selectors.suggested_quick_replies`` reads the
conversation, and ``tests/test_suggestions.py`` measures them on labelled
buyer messages.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from saypro.catalog.models import Order
from saypro.messaging.models import QuickReply

THRESHOLD = 2
Topic = QuickReply.Topic


class Intent(StrEnum):
    AVAILABILITY = "availability"
    SIZING = "sizing"
    DELIVERY_TIME = "delivery time"
    ORDER_STATUS = "order status"
    RETURNS = "returns"
    ADDRESS_CHANGE = "address change"


# A product or an order the buyer points at: "it", "these", "the linen shirt".
_THING = r"(?:it|they|them|(?:this|these|that|those|the|my|your)(?: [\w-]+){0,2})"
_SIZE = r"(?:xxs|xs|s|m|l|xl|xxl)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|the weekend)"

CUES: dict[Intent, tuple[tuple[str, int], ...]] = {
    Intent.AVAILABILITY: (
        (r"\b(?:in|out of) stock\b", 2),
        (r"\bsold out\b|\bsell(?:s|ing)? out\b|\bre-?stock", 2),
        (r"\bstill (?:available|have|got|sell)\b", 2),
        (rf"\b(?:is|are) {_THING} (?:still )?available\b", 2),
        (r"\bany\b[^.?!]{0,40}\bleft\b", 2),
        (r"\bcan i still (?:order|buy|get)\b", 2),
        (r"\bavailab(?:le|ility)\b", 1),
        (r"\bcoming back\b|\bget(?:ting)? more\b", 1),
        (r"\bcan'?t (?:order|buy)\b", 1),
    ),
    Intent.SIZING: (
        (r"\b(?:what|which) size\b|\bsize (?:guide|chart)\b|\bone size\b", 2),
        (r"\btrue to size\b|\bruns? (?:small|large|big)\b|\bbetween sizes\b", 2),
        (rf"\b(?:does|do|will|would) {_THING} fit\b|\bfit (?:in|into|inside)\b", 2),
        (r"\bmeasurements?\b|\bdimensions?\b|\bhow (?:big|wide|tall|deep|heavy)\b", 2),
        (rf"\bsiz(?:e|es|ing)\b|\b(?:an?|in|wear|take) {_SIZE}\b", 1),
        (r"\bfit(?:s|ting)?\b|\blength\b|\bhow long (?:is|are)\b", 1),
        (r"\btoo (?:small|big|tight|large|loose|short|long)\b|\btight\b", 1),
    ),
    Intent.DELIVERY_TIME: (
        (r"\bhow long\b[^.?!]{0,40}\b(?:take|arrive|deliver|delivery|ship|shipping|reach)", 2),
        (r"\bhow (?:soon|quickly|fast)\b|\b(?:delivery|shipping) (?:time|times|date)\b", 2),
        (
            r"\bwhen (?:will|would|can|could|do|does)\b[^.?!]{0,40}"
            r"\b(?:ship|dispatch|arrive|deliver|reach|get (?:it|them)|be sent|send|expect|receive)",
            2,
        ),
        (rf"\b(?:reach|arrive|get)\b[^.?!]{{0,30}}\bby {_DAY}\b", 2),
        (r"\b(?:deliver|ship|post)\b[^.?!]{0,25}\bto\b", 2),
        (r"\bdeliver(?:y|ies|ing)?\b|\bship(?:s|ping)?\b|\bcourier\b|\bdispatch", 1),
    ),
    Intent.ORDER_STATUS: (
        (r"\bwhere(?:'s| is| are) (?:my|our|the) (?:order|parcel|package|delivery|items?)\b", 2),
        (r"\btrack(?:ing)?\b|\bshows? as shipped\b", 2),
        (r"\bwith the courier\b|\bon (?:its|their) way\b", 2),
        (
            r"\b(?:hasn't|has not|haven't|have not|still not|not yet|never|didn't|did not)\b"
            r"[^.?!]{0,15}\b(?:arrived|received|delivered|shipped|turned up|come)\b",
            2,
        ),
        (r"\bnothing (?:has )?(?:arrived|come)\b", 2),
        (r"\b(?:news|updates?) on (?:my|our|the) (?:order|parcel|package|delivery)\b", 2),
        (r"\b(?:has|have|was|is) (?:my|our|the) (?:order|parcel|package)(?: been)? shipped\b", 2),
        (r"\bstill waiting\b", 1),
    ),
    Intent.RETURNS: (
        (r"\breturn(?:s|ed|ing)?\b|\brefund|\bexchang(?:e|ed|ing)\b|\bswap\b|\bcancel", 2),
        (rf"\bsend {_THING} back\b|\bmoney back\b|\bchange (?:my|your) mind\b", 2),
        (r"\bdamaged\b|\bbroken\b|\bfaulty\b|\bdefective\b|\bwarranty\b|\bguarantee\b", 2),
        (r"\b(?:stopped|stops|not|doesn't|does not|isn't) working\b|\bwrong (?:item|one)\b", 2),
        (r"\breplace(?:ment)?\b", 1),
    ),
    Intent.ADDRESS_CHANGE: (
        (r"\b(?:change|update|correct|fix|edit|wrong|new|different)\b[^.?!]{0,30}\baddress\b", 2),
        (r"\bleave (?:it|them|the parcel)\b[^.?!]{0,20}\b(?:with|at|outside)\b", 2),
        (r"\bwon't be (?:home|in|there|around)\b|\bnot (?:be )?home\b", 2),
        (r"\baddress\b", 1),
        (r"\binstead\b", 1),
        (r"\b(?:work|office|neighbou?r)\b", 1),
    ),
}
_CUES = {
    intent: tuple((re.compile(pattern), weight) for pattern, weight in cues)
    for intent, cues in CUES.items()
}
RULES_OUT = {
    Intent.ADDRESS_CHANGE: {Intent.DELIVERY_TIME, Intent.ORDER_STATUS},
    Intent.ORDER_STATUS: {Intent.DELIVERY_TIME},
    Intent.RETURNS: {Intent.SIZING, Intent.ORDER_STATUS},
}
ANSWERED_BY = {
    Intent.AVAILABILITY: Topic.AVAILABILITY,
    Intent.SIZING: Topic.SIZING,
    Intent.DELIVERY_TIME: Topic.DELIVERY,
    Intent.ORDER_STATUS: Topic.DELIVERY,
    Intent.RETURNS: Topic.RETURNS,
}
NEEDS_ORDER = {Intent.ORDER_STATUS, Intent.RETURNS}

WORD = re.compile(r"[a-z][a-z']+")
VARIABLE = re.compile(r"\{[a-z_]+\}")
SOLD_OUT = re.compile(r"\bsold out\b|\bout of stock\b|\bno longer\b|\bre-?stock")
# Words that say nothing about what a message or a reply is about.
PLAIN_WORDS = frozenset(
    WORD.findall(
        """
        about above after again against all also am an and any are aren't as at away back be
        because been before being below between both but by can can't cannot could couldn't did
        didn't do does doesn't doing don't down during each either else even ever every few for
        from further get gets getting got had hadn't has hasn't have haven't having he her here
        hers him his how i'd i'll i'm i've if in into is isn't it it's its just let's made make
        many may me might more most much must my no nor not now of off on once only onto or other
        our ours out over own same she should shouldn't so some such than that that's the their
        them then there there's these they they'd they'll they're they've this those through to
        too under until up upon us very was wasn't way we we'd we'll we're we've were weren't
        what what's when where which while who whom why will with won't would wouldn't yet you
        you'd you'll you're you've your yours one two three four five first last next still
        already really well sure okay yes maybe something anything everything
        hi hello hey dear morning afternoon evening thanks thank cheers regards kind
        great good lovely nice happy glad perfect awesome brilliant amazing beautiful free
        love loved like want need know let see look looking think hope hoping wonder wondering
        please help question questions ask asked asking answer message reply
        order orders ordered ordering product products item items thing things store shop buy
        bought price today tomorrow week weekend day days time times soon later
        care pack ship ships shipped send sent new old
        """
    )
)


def _words(text: str) -> set[str]:
    """The words of ``text`` that mean something, plural "s" dropped ("sneakers" = "sneaker")."""
    words = WORD.findall(VARIABLE.sub(" ", text.lower().replace("’", "'")))
    return {_singular(word) for word in words if word not in PLAIN_WORDS}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def scores(text: str) -> dict[Intent, int]:
    """How strongly ``text`` asks each common question: every cue it has, by weight."""
    text = text.lower().replace("’", "'")
    found = {
        intent: sum(weight for cue, weight in cues if cue.search(text))
        for intent, cues in _CUES.items()
    }
    return {intent: score for intent, score in found.items() if score}


def intents(text: str) -> dict[Intent, int]:
    """The questions ``text`` asks (scores at ``THRESHOLD`` or more), less those others rule out."""
    return _asked(scores(text))


def _asked(found: dict[Intent, int]) -> dict[Intent, int]:
    asked = {intent: score for intent, score in found.items() if score >= THRESHOLD}
    ruled_out = set().union(*(RULES_OUT.get(intent, ()) for intent in asked))
    return {intent: score for intent, score in asked.items() if intent not in ruled_out}


class Reading(NamedTuple):
    """What a quick reply is about."""

    answers: Intent | None  # the question it answers; None for "other"
    names: frozenset[Intent]  # the questions its title names
    words: frozenset[str]  # its meaningful words


def read(reply: QuickReply) -> Reading:
    """What ``reply`` is about (see the module's docstring)."""
    return _read(reply.title, reply.body, reply.topic)


@lru_cache(maxsize=4096)
def _read(title: str, body: str, topic: str) -> Reading:
    """Read once per process for each version of a reply: replies change seldom."""
    named = scores(title)
    if topic == Topic.DELIVERY:
        both = (Intent.ORDER_STATUS, Intent.DELIVERY_TIME)
        found = named if any(intent in named for intent in both) else scores(f"{title}\n{body}")
        status, times = (found.get(intent, 0) for intent in both)
        answers = Intent.ORDER_STATUS if status > times else Intent.DELIVERY_TIME
    else:
        answers = next((intent for intent, of in ANSWERED_BY.items() if of == topic), None)
    return Reading(answers, frozenset(named), frozenset(_words(f"{title} {body}")))


@dataclass(frozen=True)
class Context:
    """What a reply may claim in a conversation.

    ``orders``: the statuses of the orders the buyer may be asking about (the
    conversation's order, else all their orders with the store); ``stock``:
    whether each product they may be asking about is in stock (the
    conversation's product, else the store's products the message names).
    """

    orders: frozenset[str] = frozenset()
    stock: frozenset[bool] = frozenset()


def allows(context: Context, reply: QuickReply) -> bool:
    """Whether what ``reply`` says is true in ``context`` (see the module's docstring)."""
    intent = read(reply).answers
    if intent == Intent.ORDER_STATUS and Order.Status.SHIPPED not in context.orders:
        return False
    if (intent in NEEDS_ORDER or "{order_number}" in reply.body) and not context.orders:
        return False
    if intent == Intent.AVAILABILITY:
        return context.stock == {not SOLD_OUT.search(reply.body.lower())}
    return "{product}" not in reply.body or bool(context.stock)


def rank(text: str, replies: Iterable[QuickReply]) -> list[QuickReply]:
    """The replies that answer ``text``, best first (what they claim is checked by ``allows``).

    A reply to an asked question is a candidate if the message mentions every
    question its title names ("Size exchange" needs a word about size); it
    scores three times the question's cue weight, one for each question its
    title names and one for each meaningful word it shares with the message. A
    reply about something else ("other") scores the words it shares, for a
    message that asks no common question. Usage breaks ties.
    """
    mentioned = scores(text)
    asked = _asked(mentioned)
    words = _words(text)
    scored = []
    for reply in replies:
        reading = read(reply)
        shared = len(words & reading.words)
        if reading.answers is None:
            score = 0 if asked else shared
        elif reading.answers in asked and reading.names <= mentioned.keys():
            score = 3 * asked[reading.answers] + len(reading.names) + shared
        else:
            score = 0
        if score:
            scored.append((score, reply.usage_count, reply))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].title))
    return [reply for _, _, reply in scored]


def named_products(text: str, titles: Iterable[str]) -> list[int]:
    """Positions in ``titles`` of the products ``text`` names by their noun ("the doorbell")."""
    words = _words(text)
    return [index for index, title in enumerate(titles) if _noun(title) in words]


def _noun(title: str) -> str:
    """What a product is called: its last word before a comma or dash ("Wheeled kit bag": bag)."""
    name = re.split(r",| [-–—] |\(", title.lower(), maxsplit=1)[0]
    found = WORD.findall(name)
    return _singular(found[-1]) if found else ""
