"""Key phrases of a text and emerging topics among complaints that no theme covers.

Both work on *content words*: the words left after removing :data:`STOP_WORDS`,
numbers and punctuation. Negations are kept apart from the stop words
(:data:`NEGATIONS`): in :func:`key_phrases` a negation directly before a
content word starts the phrase ("not comfortable", "never arrived", "no
instructions"), because without it the phrase says the opposite; anywhere
else it breaks phrases like a stop word. Emerging topics ignore negations: a
topic is named after the thing that went wrong.

Words are compared by :func:`stem`, a deliberately small stemmer (plural,
-ed, -ing, -er, a doubled last consonant, a final e, a few irregular verbs and
British/US spellings), so "zipper broke", "zip broke" and "zipper broken" are
the same pair of words. It over-merges a few unrelated pairs ("sweater" and
"sweat"); for grouping complaints that costs less than missing the variants.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from saypro.insights.text import fold


def _vocabulary(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``: lists stay readable, one block each."""
    return frozenset(text.split())


# English function words (the usual ~180-word list, minus the negations below).
STOP_WORDS = _vocabulary(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever
    every few for from further get gets got had has have having he her here hers herself him
    himself his how i i'd i'll i'm i've if in into is it it's its itself just let's me more
    most much must my myself now of off on once only or other our ours ourselves out over own
    same she should so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    upon us very was we we'd we'll we're we've were what what's when where which while who whom
    why will with would you you'd you'll you're you've your yours yourself yourselves one two
    three four five six seven eight nine ten really still already quite bit lot lots maybe
    however though although yet also else ago either neither nor per via etc
    """
)

# Words that turn a phrase into its opposite; kept out of STOP_WORDS (see the module docstring).
NEGATIONS = _vocabulary(
    """
    not no never don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't cannot
    couldn't shouldn't hasn't haven't hadn't dont doesnt didnt isnt wasnt wont cant
    """
)

# Words too common in reviews to name a topic or to make a phrase telling: praise and blame
# in general, the shopping itself, time and filler.
COMMON_WORDS = _vocabulary(
    """
    good great nice love loved lovely like liked happy amazing awesome perfect excellent best
    better bad worse worst terrible awful horrible poor disappointed disappointing
    disappointment unhappy upset annoyed annoying frustrating okay ok fine decent product
    products item items thing things stuff order ordered purchase purchased buy bought
    buying seller store shop review star stars rating recommend time times day days week
    weeks month months year years today yesterday first last second next everything anything
    something nothing way use used using want wanted need needed think thought know say said
    feel felt look looked looks get got go went definitely totally completely absolutely
    pretty actually literally honestly sadly unfortunately even little big
    back again instead avoid pity shame sorry regret hope hoped hopes high expect expected
    expectations sure mind write wrote give gave half please pleased hard wait waited money
    waste wasted worth return returned returning send sent exchange wish wished zero context
    properly made
    """
)

# Verbs of things going wrong: telling next to a noun ("zipper broke"), but a topic is named
# after the thing that failed, so they never anchor one.
FAILURE_WORDS = _vocabulary(
    """
    break broke broken breaking stop stopped stopping work working worked works fail failed
    failing snap snapped crack cracked tear tore torn rip ripped fall fell falling apart come
    came coming arrive arrived happen happened start started keep keeps kept
    """
)

MAX_PHRASE_WORDS = 3
# Of the reviews that use a word, the share that must use it in a complaint for it to name a
# topic ("zipper": nearly all; "thank", "highly": few).
MIN_COMPLAINT_SHARE = 0.6

_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*|\d[\d.,]*|[^\w\s]")
_IRREGULAR = {
    "broke": "break",
    "broken": "break",
    "tore": "tear",
    "torn": "tear",
    "fell": "fall",
    "fallen": "fall",
    "came": "come",
    "wore": "wear",
    "worn": "wear",
    "bought": "buy",
    "shrank": "shrink",
    "shrunk": "shrink",
    "stuck": "stick",
    "took": "take",
    "taken": "take",
    "made": "make",
    "ran": "run",
    "lost": "lose",
    "spilt": "spill",
    "burnt": "burn",
    "leaky": "leak",
    "smelly": "smell",
    "colors": "colour",
    "color": "colour",
    "colored": "colour",
    "gray": "grey",
    "flavor": "flavour",
    "flavors": "flavour",
    "odor": "odour",
    "favorite": "favourite",
}
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("ers", ""), ("er", ""))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem of a lower-case word, equal for "zipper"/"zips", "broke"/"broken".

    Only ever compared with another :func:`stem`, so consistency matters more than
    linguistics.
    """
    if word.endswith("'s"):
        word = word[:-2]
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    for _ in range(2):  # "ordered" → "order" → "ord", like "orders" and "order"
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + replacement
                break
        else:
            if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                word = word[:-2]
            elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
                word = word[:-1]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return _IRREGULAR.get(word, word)


def _tokens(text: str) -> Iterable[tuple[str, int, int]]:
    """(token, position, clause) for every word, number and punctuation mark of ``text``."""
    clause = 0
    for position, token in enumerate(_TOKEN.findall(fold(text))):
        if not token[0].isalnum():
            clause += 1
        yield token, position, clause


def _runs(text: str) -> list[list[str]]:
    """Runs of content words between stop words and punctuation; a negation may lead a run."""
    runs: list[list[str]] = []
    current: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if token[0].isalpha() and token not in STOP_WORDS and token not in NEGATIONS:
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = [token] if token in NEGATIONS else []
    if current:
        runs.append(current)
    return [run for run in runs if not (len(run) == 1 and run[0] in NEGATIONS)]


def key_phrases(text: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` lower-case phrases of one to three content words, most telling first.

    RAKE: a phrase is a run of content words between stop words and punctuation (a run of
    more than three keeps its last three, where English puts the noun); a word scores its
    degree over its frequency, less for :data:`COMMON_WORDS`, and a phrase the sum of its
    words. Phrases with the same stems, or inside a phrase already chosen, are left out.
    Ties keep text order.
    """
    candidates: list[tuple[str, ...]] = []
    for run in _runs(text):
        candidates.append(tuple(run[-MAX_PHRASE_WORDS:]))
        if len(run) > MAX_PHRASE_WORDS:
            head = run[:-MAX_PHRASE_WORDS][-MAX_PHRASE_WORDS:]
            if not (len(head) == 1 and head[0] in NEGATIONS):
                candidates.append(tuple(head))
    frequency: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for candidate in candidates:
        for word in candidate:
            frequency[word] += 1
            degree[word] += len(candidate)

    def word_score(word: str) -> float:
        if word in NEGATIONS:
            return 0.0
        weight = 0.25 if word in COMMON_WORDS else 1.0
        return weight * degree[word] / frequency[word]

    scored = sorted(
        enumerate(candidates),
        key=lambda item: (-sum(word_score(word) for word in item[1]), item[0]),
    )
    chosen: list[str] = []
    seen_stems: set[tuple[str, ...]] = set()
    for _, candidate in scored:
        if len(chosen) >= limit:
            break
        if all(word in COMMON_WORDS or word in NEGATIONS for word in candidate):
            continue
        stems = tuple(stem(word) for word in candidate)
        phrase = " ".join(candidate)
        if stems in seen_stems or any(f" {phrase} " in f" {other} " for other in chosen):
            continue
        seen_stems.add(stems)
        chosen.append(phrase)
    return chosen


# --- Emerging topics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A group of sentences about the same unthemed problem, named by its most telling phrase.

    ``members`` are indices into the sentences given to :func:`emerging_topics`, ascending.
    """

    label: str
    members: tuple[int, ...]


# Two content words at most this many tokens apart (in one clause) form a pair:
# "zipper broke", "zipper is broken", "strap on the bag snapped".
_PAIR_WINDOW = 4


@dataclass
class _Sentence:
    words: dict[str, list[str]]  # stem → surface forms, in text order
    pairs: dict[tuple[str, str], list[tuple[str, str]]]  # stems in text order → surfaces
    anchors: list[str]  # stems that may name a topic, best first (filled later)


def _read(text: str) -> _Sentence:
    content = [
        (token, position, clause)
        for token, position, clause in _tokens(text)
        if token[0].isalpha()
        and len(token) > 1
        and token not in STOP_WORDS
        and token not in NEGATIONS
    ]
    words: dict[str, list[str]] = defaultdict(list)
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    stems = [stem(token) for token, _, _ in content]
    for index, (token, position, clause) in enumerate(content):
        words[stems[index]].append(token)
        for later in range(index + 1, len(content)):
            other, other_position, other_clause = content[later]
            if other_clause != clause or other_position - position > _PAIR_WINDOW:
                break
            if stems[later] != stems[index]:
                pairs[(stems[index], stems[later])].append((token, other))
    return _Sentence(dict(words), dict(pairs), [])


def emerging_topics(
    sentences: Sequence[str],
    *,
    min_size: int = 3,
    limit: int = 10,
    ignore: Iterable[str] = (),
    background: Iterable[str] = (),
) -> list[Topic]:
    """Topics shared by at least ``min_size`` of ``sentences``, largest first, at most ``limit``.

    Meant for negative sentences that matched no theme. Each sentence is assigned to one
    *anchor*: the stem of one of its content words, ranked like class-based TF-IDF: the
    number of sentences with the word times ``log((N + 1) / that number)``, so a word in
    nearly every sentence (the product itself) ranks low, and :data:`COMMON_WORDS` never
    anchor. Because anchors are stems, "zipper broke", "zip broke" and "zipper is broken"
    merge into one topic. Sentences whose anchor ends up with fewer than ``min_size``
    members move to their next-best anchor, until nothing moves. The words of ``ignore``
    (the store's name, the products' titles) never anchor or label a topic either: "the
    dress" is what the complaint is about, not what went wrong with it.

    With ``background`` (the texts of all the reviews the complaints come from), a word
    anchors only if most of the reviews that use it use it in a complaint (at least
    :data:`MIN_COMPLAINT_SHARE`), and is ranked by its count times that share: "zipper" is
    said in complaints, "thank" or "highly" mostly in praise, so only the first names a
    problem, however many reviews complain about it.

    A topic is labelled by the pair of words, one of them the anchor, found in most of its
    sentences (in at least two), or else by the anchor alone; each word in its most common
    spelling, the pair in its most common order. Order is deterministic: size, then label.
    """
    if min_size < 1:
        raise ValueError("min_size must be at least 1.")
    read = [_read(text) for text in sentences]
    ignored = {word for name in ignore for word in _read(name).words}
    total = len(read)
    document_frequency: Counter[str] = Counter()
    for sentence in read:
        document_frequency.update(sentence.words.keys())
    background_frequency: Counter[str] = Counter()
    background_total = 0
    for text in background:
        background_frequency.update(_read(text).words.keys())
        background_total += 1

    def specificity(word: str, count: int) -> float:
        if not background_total:
            return math.log((total + 1) / count)
        # Of the reviews that say the word, about how many say it in a complaint.
        complaint_share = min(1.0, count / (background_frequency[word] + 1))
        return complaint_share if complaint_share >= MIN_COMPLAINT_SHARE else 0.0

    weight = {
        word: count * score
        for word, count in document_frequency.items()
        if count >= min_size and len(word) >= 3 and not _is_common(word) and word not in ignored
        for score in (specificity(word, count),)
        if score > 0
    }
    for sentence in read:
        sentence.anchors = sorted(
            (word for word in sentence.words if word in weight),
            key=lambda word: (-weight[word], word),
        )

    excluded: set[str] = set()
    while True:  # ends: each round excludes at least one more anchor, or nothing moves
        groups: dict[str, list[int]] = defaultdict(list)
        for index, sentence in enumerate(read):
            anchor = next((word for word in sentence.anchors if word not in excluded), None)
            if anchor is not None:
                groups[anchor].append(index)
        too_small = {anchor for anchor, members in groups.items() if len(members) < min_size}
        if not too_small:
            break
        excluded |= too_small
    topics = [
        Topic(
            _label(anchor, [read[index] for index in members], document_frequency, ignored),
            tuple(members),
        )
        for anchor, members in groups.items()
        if len(members) >= min_size
    ]
    topics.sort(key=lambda topic: (-len(topic.members), topic.label))
    return topics[:limit]


def _is_common(word_stem: str) -> bool:
    return word_stem in _COMMON_STEMS or word_stem in _FAILURE_STEMS


_COMMON_STEMS = frozenset(stem(word) for word in COMMON_WORDS) | COMMON_WORDS
_FAILURE_STEMS = frozenset(stem(word) for word in FAILURE_WORDS) | FAILURE_WORDS


def _label(
    anchor: str,
    members: list[_Sentence],
    document_frequency: Counter[str],
    ignored: set[str],
) -> str:
    """The most telling phrase of a topic: its commonest pair with the anchor, or the anchor.

    Pairs are ranked by the number of member sentences that hold them; among equals, a
    partner that is not a :data:`COMMON_WORDS` stem ("broke" rather than "week") wins, then
    the partner found in fewer of all the sentences ("snapped" rather than "bag").
    """
    pair_members: Counter[tuple[str, str]] = Counter()
    for sentence in members:
        pair_members.update(
            {
                tuple(sorted(pair))
                for pair in sentence.pairs
                if anchor in pair and not ignored.intersection(pair)
            }
        )

    def rank(item: tuple[tuple[str, str], int]) -> tuple[int, bool, int, tuple[str, str]]:
        pair, count = item
        partner = pair[0] if pair[1] == anchor else pair[1]
        return -count, partner in _COMMON_STEMS, document_frequency[partner], pair

    best = min(pair_members.items(), key=rank, default=None)
    if best is None or best[1] < 2:
        return _commonest(word for sentence in members for word in sentence.words[anchor])
    first, second = best[0]
    orders: Counter[tuple[str, str]] = Counter()
    spellings: dict[str, Counter[str]] = {first: Counter(), second: Counter()}
    for sentence in members:
        for key in ((first, second), (second, first)):
            for surface in sentence.pairs.get(key, ()):
                orders[key] += 1
                spellings[key[0]][surface[0]] += 1
                spellings[key[1]][surface[1]] += 1
    order = min(orders.items(), key=lambda item: (-item[1], item[0]))[0]
    return " ".join(_commonest(spellings[word].elements()) for word in order)


def _commonest(surfaces: Iterable[str]) -> str:
    counts = Counter(surfaces)
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
