"""Customer suggestions and feature requests in reviews, and a key to count them by.

A suggestion is a request to the seller or maker to change the product or
what comes with it: "wish it had pockets", "would be perfect in a longer
length", "please add a lid", "should come with a case", "a lid would be
nice". Three kinds of sentence look similar and are not suggestions:

- advice to other buyers: "I recommend sizing up", "you should size up",
  "I would suggest ordering a size bigger" (the product need not change).
  "You" asked to change the product ("you should make it in navy") is read
  as the seller;
- wishes about the buyer's own past: "I wish I had bought two", "wish I'd
  found this sooner" (praise, not a request);
- questions that ask rather than request: "Should I size up?", "Does it need
  batteries?". A question still counts when it is a direct request ("Can you
  make it in blue?", "Would be nice if it came in black?").

The request frames are one compiled regular expression (:data:`_FRAMES`).
Every frame starts with an anchor word ("wish", "would", "please", ...); the
anchors are found with plain substring searches, which run in C, and the
expression is only tried, with ``match``, where one occurs. Scanning a whole
review with a 20-alternative expression instead cost over 100 µs.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from saypro.insights.phrases import STOP_WORDS
from saypro.insights.text import Span, fold

_NICE = (
    r"(?:perfect|better|nicer|nice|great|good|ideal|amazing|awesome|lovely|brilliant|handy"
    r"|helpful|useful|cool|fantastic|excellent|fab|fabulous|wonderful|improved|preferable)"
)
_DEGREE = r"(?:(?:even|so|much|a\s+lot|way|far|just|really|10x|100x)\s+)?"
_MAKER = (
    r"(?:they|you|seller|sellers|manufacturers?|makers?|designers?|the\s+(?:seller|brand"
    r"|company|maker|manufacturer|shop|store|designers?))"
)
_CHANGE = (
    r"(?:make|add|improve|fix|include|offer|sell|stock|restock|consider|change|use|put"
    r"|provide|bring|design|supply|update|redesign|rethink|introduce|launch|release|produce"
    r"|create|expand|look\s+into|work\s+on|do\s+(?:a|an|something|more|better))"
)
_COLOUR = (
    r"(?:black|white|navy|grey|gray|red|blue|green|pink|brown|beige|cream|yellow|purple"
    r"|orange|gold|silver|khaki|olive|tan|burgundy|teal)"
)
_COMPARATIVE = (
    r"(?:longer|shorter|bigger|smaller|larger|wider|narrower|thicker|thinner|lighter|darker"
    r"|brighter|softer|stronger)"
)
_THING_FOLLOWS = r"(?:an?|more|some|better|extra|another|other|different|\w+er|\w+s)\b"
_REFUSED = r"(?:refund|replacement|exchange|reply|response|answer|money|explanation|apology)"
_MAKER_BEFORE = "|".join(
    rf"(?<=\b{subject}\s)"
    for subject in (
        "they", "you", "seller", "sellers", "manufacturer", "manufacturers", "maker", "makers",
        "brand", "company", "shop", "store", "designer", "designers", r"they\sreally",
        r"you\sreally",
    )
)  # fmt: skip
_SUGGESTER_BEFORE = "|".join(
    rf"(?<=\b{words}\s)"
    for words in ("i", r"i\swould", "i'd", "we", r"we\swould", "we'd", "strongly", "would")
)

# Each alternative starts with its anchor word and ends where the requested thing starts
# (what follows is only looked at), so suggestion_key can read the thing off the rest of
# the sentence. The group says how the frame counts: ``request`` even in a question;
# ``wish`` not in a question; ``imperative`` ("Make it in navy") only at the start of a
# sentence; ``please_after`` ("more sizes please") only after a word like "more".
_FRAMES = re.compile(
    rf"""
    (?P<request>
        (?:(?<=\bcan\s)|(?<=\bcould\s)|(?<=\bwill\s)|(?<=\bwould\s))
        you\s+(?:please\s+)?(?:{_CHANGE}|do)\b
      | any\s+chance\s+(?:of\b|(?:you|they)\s+(?:could|can|will|would|might)\s+{_CHANGE}\b)
      | please\s+(?:do\s+)?(?:{_CHANGE}|keep|start|go\s+back)\b
      | bring\s+back\b
      | (?:would|'d)\s+(?:be|look|have\s+been|have\s+looked)\s+{_DEGREE}{_NICE}
        (?=\s+(?:if|with|without|to\s+(?:have|get|see|include|add|offer|make|come)
                |in\s+(?:an?|more|other|different|another|{_COLOUR}|{_COMPARATIVE})|as\s+an?)\b)
      | (?<!\bit\s)(?<!\bthat\s)(?<!\bthis\s)(?<!\bit)(?<!\bthat)  # "a lid would be nice"
        (?:would|'d)\s+(?:be|have\s+been)\s+(?:(?:really|so|very)\s+)?
        (?:nice|great|handy|helpful|useful|good|an?\s+(?:nice|great|good|welcome)\s+
           (?:addition|touch|idea|improvement|extra)|an\s+improvement)
        (?=\s*(?:[.!?,;)]|$|\s(?:too|as\s+well|though|for\s+(?:me|us))\b))
      | (?:would|'d)\s+(?:really\s+|absolutely\s+|also\s+|much\s+)?
        (?:love|like|prefer|appreciate)\b
        (?!\s+(?:an?\s+|my\s+|the\s+|some\s+)?{_REFUSED}\b)
        (?=\s+(?:(?:it|them|this|these|one|you|they|the\s+seller)\s+(?:in|with|without|if|more
                |to\s+(?:come|have|be|make|add|include|offer|bring|sell|stock|restock))\b
              |if\b|to\s+see\b|to\s+(?:have|get)\s+(?:an?|more|some|the\s+option|other)\b
              |(?:more|an?|some|the\s+option|other|different|another|bigger|longer
                 |smaller|larger|wider)\b
              |(?!(?:to|it|this|that|them|you|the|my|these|those|one|if|your|their|all|every)\b)
               [a-z]+s\b))
      | (?:{_MAKER_BEFORE})
        (?:needs?|should|could|must|ought\s+to|might\s+want\s+to)\s+
        (?:to\s+)?(?:really\s+|definitely\s+|also\s+|seriously\s+)?{_CHANGE}\b
      | hope\s+(?:that\s+)?{_MAKER}(?:'ll|\s+will|\s+can|\s+do|\s+would)?\s+
        (?:{_CHANGE}|come\s+out\s+with|have|get)\b
      | (?:{_SUGGESTER_BEFORE})suggest\b
        (?!\s+(?:that\s+)?(?:you\s+|people\s+|buyers\s+|others\s+)?(?:siz|order|buy|get|go|choos
               |pick|tak|wash|read|check|measur|avoid|try|stay|look|allow|wear|us|it\b|this\b
               |these\b|them\b|a\s+size|half)\w*)
      | (?:(?<=\bonly\s)|(?<=\bone\s)|(?<=\ba\s))suggestion\b
    )
  | (?P<please_after>please(?=\s*(?:[.!?,;)]|$)))
  | (?P<wish>
        wish(?:ed)?\s+(?:that\s+)?
        (?!(?:i|i'd|i'm|i've|we|we'd|we've|me|us|list|lists|you\s+(?:luck|well|the\s+best
           |all|a|every|happy|merry)|everyone|everybody)\b)(?=[a-z])
      | needs\s+(?!to\s+be\s+(?:returned|sent|exchanged|washed|charged)\b)
        (?={_THING_FOLLOWS}|to\b)
      | (?<!\bi\s)(?<!\bwe\s)(?<!\byou\s)should\s+(?:really\s+|definitely\s+|also\s+)?
        (?:come|include|have\s+(?:come|included|had)|have\s+been(?=\s+(?:made|sold|a|an|more
           |less|\w+er)\b)|be(?=\s+(?:made|sold|available|offered|included|a\s+(?:bit|little
           |lot)|an?|more|less|\w+er)\b))\b
      | if\s+only\s+(?:it|they|there|this|these|the|you)\b
      | if\s+(?:it|they|this|these)\s+(?:had(?!\s+(?:arrived|been|come|not|already|just|to)\b)
           |came\s+(?:in|with)|was\s+available|were\s+available|was\s+made|were\s+made)\b
      | could\s+(?:really\s+|definitely\s+)?(?:use|do\s+with)\b(?=\s+{_THING_FOLLOWS})
      | could\s+(?:be|have\s+been)\s+(?:a\s+(?:bit|little|lot|touch)\s+|slightly\s+|much\s+
           |so\s+much\s+|way\s+)?
        (?=(?:better|improved)\s+(?:if|with|without)\b|(?:more|less)\s+\w|(?!better\b)\w+er\b)
    )
  | (?P<imperative>
        (?:please\s+)?(?:make|add|offer|sell|stock|restock|include|do)\s+
        (?=(?:it|them|this|these|one|more|a|an|some|bigger|larger|smaller|longer|other)\b)
    )
    """,
    re.VERBOSE,
)
# The anchor words of the frames. One starting with a letter must start a word; "'d "
# follows one ("it'd be nice").
_TRIGGERS = (
    "wish", "would", "'d ", "need", "should", "could", "must", "ought", "might", "please",
    "hope", "suggest", "if ", "any chance", "bring back", "you ",
)  # fmt: skip
# A sentence starting with one of these may be an imperative request ("Make it in navy").
_IMPERATIVE_STARTS = tuple(
    f"{verb} " for verb in ("make", "add", "offer", "sell", "stock", "restock", "include", "do")
)
_BULLETS = " \t\r\n-*•"
_WANTED_BEFORE_PLEASE = frozenset(
    {"more", "other", "bigger", "larger", "smaller", "longer", "different", "extra"}
)
_QUESTION_END = re.compile(r"\?[\s\"')\]!?.]*$")


def _vocabulary(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``: lists stay readable, one block each."""
    return frozenset(text.split())


# Words of a request frame left after the frame itself: they are not the requested thing.
_FILLER = _vocabulary(
    """
    it they there this these that those the a an some was were is are be been being had has
    have came come comes coming with in into on to see get got made make makes add added
    include included including offer offered also option options choice version of
    available for me us them would could should just really maybe even slightly bit little
    lot much so please if only did do does which one ones too very same as well instead
    perhaps possibly definitely actually bring back love like prefer nicer nice great
    perfect better out adding making including offering having getting putting using
    bringing
    """
)
# Where the requested thing ends.
_BREAKS = _vocabulary(
    """
    but because as so since or though although otherwise for when while which that who then
    and until unless
    """
)
_KEEP = frozenset({"more", "less", "no", "fewer", "other", "different", "extra"})
_QUANTIFIERS = frozenset({"more", "other", "different", "extra", "several", "fewer", "all"})
_DIMENSION = {
    "longer": "length",
    "shorter": "length",
    "bigger": "size",
    "larger": "size",
    "smaller": "size",
    "wider": "width",
    "narrower": "width",
    "taller": "height",
}
# Generic words that name no concrete ask: a key ending in one ("change", "a few tweaks",
# "more improvements") says only that the buyer wants something different.
_VAGUE = _vocabulary(
    """
    change improvement tweak adjustment alteration modification upgrade update fix work
    thing stuff better improved
    """
)
_SPELLING = {"color": "colour", "gray": "grey", "flavor": "flavour", "favorite": "favourite"}
_KEY_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s]")
MAX_KEY_WORDS = 4


def is_suggestion(sentence: str) -> bool:
    """Whether one sentence is a customer suggestion or feature request (see the docstring)."""
    folded = fold(sentence)
    end = len(folded)
    return next(_counted_frames(folded, 0, end, _anchors(folded, 0, end)), None) is not None


def find_suggestions(text: str, sentences: Sequence[Span]) -> list[int]:
    """Indices of the ``sentences`` of ``text`` that are suggestions, ascending.

    ``sentences`` are spans of ``text`` in order (:func:`~saypro.insights.text.
    split_sentences`); the anchor words are searched for once in the whole text.
    """
    folded = fold(text)
    anchors_by_sentence: dict[int, list[int]] = {}
    starts = [span.start for span in sentences]
    for position in _anchors(folded, 0, len(folded)):
        index = bisect_right(starts, position) - 1
        if index >= 0 and position < sentences[index].end:
            anchors_by_sentence.setdefault(index, []).append(position)
    for index, span in enumerate(sentences):
        if folded.startswith(_IMPERATIVE_STARTS, _first_word(folded, span.start, span.end)):
            anchors_by_sentence.setdefault(index, [])
    return [
        index
        for index in sorted(anchors_by_sentence)
        if next(
            _counted_frames(
                folded, sentences[index].start, sentences[index].end, anchors_by_sentence[index]
            ),
            None,
        )
        is not None
    ]


def suggestion_key(sentence: str) -> str:
    """A short key (at most four words) so the same request worded differently counts once.

    The request frame, filler and stop words are dropped and the requested thing kept:
    "wish it had pockets", "would love pockets" and "needs pockets" → "pocket";
    "would be perfect in a longer length" and "wish it came longer" → "longer length";
    "would love it in more colours" and "wish it came in more colors" → "more colours".
    Nouns are singular (after "more", "other" … they keep their number), spelling is
    British, a lone comparative gets its dimension ("bigger" → "bigger size"). When the
    thing comes before the frame ("a lid would be nice") it is taken from there; without
    a frame, the sentence's first content words are the key. "" when nothing is left, or
    when what is left ends in a generic word ("could be better with a few changes", "needs
    some tweaks"): that asks for nothing in particular.
    """
    folded = fold(sentence)
    end = len(folded)
    anchors = _anchors(folded, 0, end)
    match = next(_counted_frames(folded, 0, end, anchors), None)
    if match is None:
        match = next(_frames(folded, 0, end, anchors), None)
    if match is None:
        tokens = _KEY_WORD.findall(folded)
        content = [token for token in tokens if token[0].isalnum() and token not in STOP_WORDS]
        return _render(content[:MAX_KEY_WORDS])
    after = _thing(_KEY_WORD.findall(folded[match.end() :]))
    if after:
        return _render(after)
    before = _KEY_WORD.findall(folded[: match.start()])
    before.reverse()
    thing = _thing(before)
    thing.reverse()
    return _render(thing)


def _anchors(folded: str, start: int, end: int) -> list[int]:
    """Where the frames' anchor words occur in ``folded[start:end]``, ascending."""
    positions: list[int] = []
    for trigger in _TRIGGERS:
        position = folded.find(trigger, start, end)
        while position >= 0:
            if trigger[0] == "'" or position == 0 or not folded[position - 1].isalnum():
                positions.append(position)
            position = folded.find(trigger, position + 1, end)
    positions.sort()
    return positions


def _frames(folded: str, start: int, end: int, anchors: list[int]) -> Iterator[re.Match[str]]:
    """The request frames of the sentence ``folded[start:end]``, in text order.

    A frame is only tried at the sentence's ``anchors``, and the imperative frame only at
    the sentence's first word (after any bullet).
    """
    first = _first_word(folded, start, end)
    if folded.startswith(_IMPERATIVE_STARTS, first) and first not in anchors:
        anchors = sorted([*anchors, first])
    for position in anchors:
        match = _FRAMES.match(folded, position, end)
        if match is not None:
            yield match


def _counted_frames(
    folded: str, start: int, end: int, anchors: list[int]
) -> Iterator[re.Match[str]]:
    """The frames of the sentence ``folded[start:end]`` that make it a suggestion."""
    is_question: bool | None = None
    for match in _frames(folded, start, end, anchors):
        kind = match.lastgroup
        if kind == "imperative" and match.start() != _first_word(folded, start, end):
            continue
        if kind == "please_after":
            before = folded[max(start, match.start() - 40) : match.start()].split()[-3:]
            if _WANTED_BEFORE_PLEASE.isdisjoint(before):
                continue
        if kind != "request":
            if is_question is None:
                is_question = _QUESTION_END.search(folded, start, end) is not None
            if is_question:
                continue
        yield match


def _first_word(folded: str, start: int, end: int) -> int:
    """Where the sentence ``folded[start:end]`` starts after white space and any bullet."""
    while start < end and folded[start] in _BULLETS:
        start += 1
    return start


def _thing(tokens: list[str]) -> list[str]:
    """The requested thing at the front of ``tokens``: up to the first break, without filler."""
    thing: list[str] = []
    for token in tokens:
        if not token[0].isalnum() or token in _BREAKS:
            if thing:
                break
            continue
        if token in _KEEP or (token not in _FILLER and token not in STOP_WORDS):
            thing.append(token)
            if len(thing) >= MAX_KEY_WORDS:
                break
    return thing


def _render(words: list[str]) -> str:
    """Normalise the words of a key: singular nouns, British spelling, dimension added.

    After a quantifier ("more colours") the last word keeps its number, so "more colors"
    and "more colours" agree and "more padding" stays as it is. "" for no words, or for
    words whose head (the last) is vague (:data:`_VAGUE`).
    """
    if not words:
        return ""
    normalised = [_british(_singular(word)) for word in words]
    if normalised[-1] in _VAGUE:
        return ""
    if len(normalised) == 1 and normalised[0] in _DIMENSION:
        normalised.append(_DIMENSION[normalised[0]])
    elif normalised[0] in _QUANTIFIERS and len(words) > 1 and _singular(words[-1]) != words[-1]:
        normalised[-1] = _plural(normalised[-1])
    return " ".join(normalised)


def _british(word: str) -> str:
    return _SPELLING.get(word, word)


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "'s")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"
