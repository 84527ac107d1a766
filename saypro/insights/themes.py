"""Themes of feedback (fit, quality, delivery, ...) and the matcher that finds them in reviews.

A theme is a slug, a name, a one-sentence description and a list of example
phrases. Office staff type phrases into a form, so the syntax is kept small:

- A phrase is one to six plain words: letters, digits, apostrophes and hyphens
  ("runs small", "doesn't charge", "see-through"). Case does not matter and a
  phrase only matches whole words: "fit" does not match inside "outfit".
- Each word also matches its simple inflections: plural -s/-es, -ed, -ing,
  -er/-ers and -est, with a final e dropped ("size" → "sizing"), a final y
  turned into i ("dry" → "dried") and a short word's last consonant doubled
  ("fit" → "fitted", "rip" → "ripped"), and the possessive "'s". Irregular
  forms ("broke", "broken", "tore") and other spellings ("colour" and
  "color") must be listed separately. Common short words ("to", "the",
  "was") match only as written. An apostrophe may be left out in the review:
  "doesn't work" matches "doesnt work".
- A hyphenated word matches with a hyphen, a space or nothing: "see-through"
  matches "see through" and "seethrough".
- A ``*`` at the end of a word matches any ending: "zip*" matches "zip",
  "zips", "zipper" and "zipped". At least three letters must come before it.
- One extra word may appear between the words of a phrase, once per phrase:
  "fell apart" also matches "fell completely apart", "true to size" matches
  "true to my size". Only spaces and hyphens may separate the words: a
  phrase never runs across a comma, a full stop or a line break.
- Rejected (:func:`validate_phrase` says why): an empty phrase, more than 60
  characters or six words, any other punctuation, and a phrase made only of
  common words such as "the" or "it was".

When phrases overlap, the match that starts first wins, and at one starting
word the longer phrase wins, so "looks cheap" (appearance) beats "cheap"
(value) and "portion size" (value) beats "size" (fit). Among phrases of the
same length, the one spelled as in the review wins ("packaging" the phrase
over "package" + -ing), then the first in taxonomy order; built-in guards
(:data:`GUARD_PHRASES`) come before every theme.

Ambiguous words, as the default taxonomy settles them:

- "cheap" alone is price & value; "cheaply made" and "feels cheap" are
  quality, "looks cheap" and "cheap looking" appearance, "cheap fabric" (and
  plastic, metal, glass, wood, leather, material) material.
- "fit" is fit & size, but "fit for purpose" is quality and "keep fit" and
  "fits the bill" are no theme.
- Returns: only the return process is customer service ("return label",
  "returns policy", "easy return", "refund", "exchange", "replacement").
  "I returned it" is no theme: it says what the buyer did, and why is
  usually said in the same sentence.
- "package" and "parcel" are delivery; the state they arrived in ("box was
  crushed", "package was damaged", "arrived damaged", "during shipping") is
  packaging.
- "arrived" alone is no theme ("when it arrived I tried it on"); how soon it
  arrived is delivery ("arrived late", "arrived in 3 days", "to arrive", "a
  week early").
- "support" alone is no theme: "lumbar support" is comfort, "tech support"
  customer service. "complaint" alone is no theme ("my only complaint");
  "made a complaint" is customer service. "charger" is no theme; how it
  charges ("slow to charge", "won't charge") is quality.
- "pretty" is appearance, but as an adverb it is no theme ("pretty good",
  "pretty much") or the theme of the word it strengthens ("pretty tight" is
  fit, "pretty thin" material).
- Smell and scent alone are no theme; a bad smell ("smelly", "odour") is
  quality. "in person", "in real life" and "the website" compare the item
  with its listing: description accuracy.
- Guards also stop derived forms that spell another word: "sweat" + -er is
  not "sweater", "matte" + -r not "no matter", "print" + -er not "printer".

How it is matched: the review is split into words with one compiled regular
expression, and the phrases form a trie of words, so the scan costs one
dictionary look-up per word (the nodes a word can start are learned on first
sight) plus a short walk where a phrase may start. One combined regular
expression of all phrases was measured and dropped: Python compiles about
1.5 µs per pattern character, so 30 themes × 120 phrases took far more than
the 50 ms a matcher may take to build when staff change the taxonomy, and it
was no faster to scan.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, compress
from typing import NamedTuple

from saypro.insights.phrases import NEGATIONS, STOP_WORDS
from saypro.insights.text import LearnedTable, Span, fold

MAX_PHRASE_LENGTH = 60
MAX_PHRASE_WORDS = 6
MIN_WILDCARD_PREFIX = 3
QUOTED_PHRASE_LENGTH = 40  # characters of a refused phrase its error quotes


@dataclass(frozen=True)
class ThemeSpec:
    """One theme of the taxonomy; ``phrases`` follow the syntax in this module's docstring."""

    slug: str
    name: str
    description: str
    phrases: tuple[str, ...]


class ThemeHit(NamedTuple):
    """A phrase of theme ``slug`` found at ``text[start:end]`` (offsets into the text as given).

    A named tuple rather than a dataclass: a review yields several, and a tuple is built
    about twice as fast.
    """

    slug: str
    start: int
    end: int
    phrase: str  # the taxonomy phrase that matched, as normalised by validate_phrase


# --- Phrase syntax --------------------------------------------------------------------------

_WORD_PATTERN = r"[^\W_]+(?:['-][^\W_]+)*\*?"
_VALID_WORDS = re.compile(rf"{_WORD_PATTERN}(?: {_WORD_PATTERN})*")
_WORD_SYNTAX = re.compile(_WORD_PATTERN)
_DISALLOWED_CHARACTER = re.compile(r"[^\w '*-]|_")
_TOO_COMMON = STOP_WORDS | NEGATIONS


def validate_phrase(phrase: str) -> str:
    """``phrase`` normalised (lower case, straight apostrophes, single spaces), or ValueError.

    The error message is written for the office staff member who typed the phrase.
    """
    normalised = " ".join(fold(phrase).split())
    if not normalised:
        raise ValueError("Enter a phrase, for example “runs small”.")
    if len(normalised) > MAX_PHRASE_LENGTH:
        raise ValueError(
            f"Keep a phrase to {MAX_PHRASE_LENGTH} characters; this one has {len(normalised)}."
        )
    phrase_words = normalised.split(" ")
    if not _VALID_WORDS.fullmatch(normalised):
        unexpected = sorted(set(_DISALLOWED_CHARACTER.findall(normalised)))
        if unexpected:
            shown = " ".join(f"“{char}”" for char in unexpected)
            raise ValueError(
                "Use only letters, numbers, spaces, apostrophes and hyphens, and * at the end "
                f"of a word; remove {shown}."
            )
        for word in phrase_words:
            if not _WORD_SYNTAX.fullmatch(word):
                if "*" in word:
                    raise ValueError(
                        f"Put * only at the end of a word, as in “zip*”, not “{word}”."
                    )
                raise ValueError(f"“{word}” should start and end with a letter or a digit.")
    if len(phrase_words) > MAX_PHRASE_WORDS:
        raise ValueError(
            f"Keep a phrase to {MAX_PHRASE_WORDS} words; this one has {len(phrase_words)}."
        )
    for word in phrase_words:
        if word.endswith("*") and len(word) - 1 < MIN_WILDCARD_PREFIX:
            raise ValueError(
                f"Put at least {MIN_WILDCARD_PREFIX} letters before the * in “{word}”, or it "
                "matches too many words."
            )
    if all(word in _TOO_COMMON for word in phrase_words):
        raise ValueError(
            f"“{normalised}” is too common to stand for a theme on its own; add the words "
            "around it, as in “true to size”."
        )
    return normalised


def quoted_phrase(phrase: str) -> str:
    """``phrase`` in quotes for an error about it: its first ``QUOTED_PHRASE_LENGTH``
    characters and "…" when longer, so a pasted paragraph is not repeated back whole."""
    text = " ".join(phrase.split())
    if len(text) > QUOTED_PHRASE_LENGTH:
        text = text[:QUOTED_PHRASE_LENGTH].rstrip() + "…"
    return f"“{text}”"


# --- Phrases as a trie of words -------------------------------------------------------------

_ENDINGS = ("", "s", "es", "ed", "er", "ers", "est", "ing")
_ENDINGS_AFTER_E = ("e", "es", "ed", "er", "ers", "est", "ing")  # size → sizes, sized, sizing
_ENDINGS_AFTER_Y = ("y", "ies", "ied", "ier", "iest", "ying")  # dry → dries, dried, drier
_ENDINGS_AFTER_SIBILANT = ("", "es", "ed", "er", "ers", "ing")  # box → boxes, boxed
_DOUBLED_ENDINGS = ("ed", "er", "ers", "est", "ing")  # fit → fitted, fitting
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=8192)
def _forms(word: str) -> tuple[str, ...]:
    """The spellings of a review word that one phrase word matches (see the module docstring).

    Common words, words with digits or an apostrophe and words under three letters match
    only as written (an apostrophe may be left out: "doesnt"). The possessive "'s" is
    handled when a review word is looked up, not here.
    """
    if "'" in word:
        return (word, word.replace("'", ""))
    if not word.isalpha() or word in _TOO_COMMON or len(word) < 3:
        return (word,)
    if word.endswith("e") and not word.endswith("ee"):
        return tuple(word[:-1] + ending for ending in _ENDINGS_AFTER_E)
    if word.endswith("y") and word[-2] not in _VOWELS:
        return tuple(word[:-1] + ending for ending in _ENDINGS_AFTER_Y)
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return tuple(word + ending for ending in _ENDINGS_AFTER_SIBILANT)
    last = word[-1]
    if (
        len(word) <= 4
        and last not in _VOWELS
        and last not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    ):
        doubled = tuple(word + last + ending for ending in _DOUBLED_ENDINGS)
        return tuple(word + ending for ending in _ENDINGS) + doubled
    return tuple(word + ending for ending in _ENDINGS)


class _Step(NamedTuple):
    """One word of a phrase as the trie stores it."""

    key: str  # the phrase word as written, or for "zip*" the prefix "zip"
    is_prefix: bool
    is_tight: bool  # the second half of a hyphenated word: no extra word before it


def _variants(phrase: str) -> list[list[_Step]]:
    """The step sequences of a normalised phrase; a hyphenated word gives two variants.

    "see-through" is the steps "see" + (tight) "through", or the single word "seethrough".
    """
    variants: list[list[_Step]] = [[]]
    for word in phrase.split(" "):
        if word.endswith("*"):
            options = [[_Step(word[:-1], True, False)]]
        elif "-" in word:
            first, *rest = word.split("-")
            split = [_Step(first, False, False), *(_Step(part, False, True) for part in rest)]
            options = [split, [_Step(word.replace("-", ""), False, False)]]
        else:
            options = [[_Step(word, False, False)]]
        variants = [variant + option for variant in variants for option in options]
    return variants


class _Node:
    """A trie node: the phrase words that may follow, and the phrase that ends here, if any."""

    __slots__ = ("gate", "is_end", "leaf", "links", "prefixes", "tight_links")

    def __init__(self) -> None:
        self.links: dict[str, _Node] = {}  # next phrase word; an extra word may come first
        self.tight_links: dict[str, _Node] = {}  # next part of a hyphenated word, straight on
        self.prefixes: list[tuple[str, bool, _Node]] = []  # ("zip", is_tight, node) for "zip*"
        self.leaf: int | None = None  # index of the phrase ending here
        self.is_end = True  # nothing follows; set by finish()
        # Every review word that can continue from here (None: a wildcard may), so a node
        # like "the" is left in one set look-up when "the fabric" continues no phrase.
        self.gate: frozenset[str] | None = None

    def insert(self, steps: Sequence[_Step], leaf: int) -> None:
        """Add a phrase; an exact duplicate keeps the phrase inserted first."""
        node = self
        for key, is_prefix, is_tight in steps:
            if is_prefix:
                for prefix, prefix_is_tight, existing in node.prefixes:
                    if prefix == key and prefix_is_tight == is_tight:
                        child = existing
                        break
                else:
                    child = _Node()
                    node.prefixes.append((key, is_tight, child))
            else:
                table = node.tight_links if is_tight else node.links
                child = table.get(key) or table.setdefault(key, _Node())
            node = child
        if node.leaf is None:
            node.leaf = leaf

    def finish(self) -> None:
        """Set ``is_end`` and ``gate`` throughout, once every phrase is in."""
        self.is_end = not (self.links or self.tight_links or self.prefixes)
        if not self.is_end and not self.prefixes:
            forms = {form for key in (*self.links, *self.tight_links) for form in _forms(key)}
            self.gate = frozenset(forms | {form + "'s" for form in forms})
        for child in (*self.links.values(), *self.tight_links.values()):
            child.finish()
        for _, _, child in self.prefixes:
            child.finish()


# A text is split into words (runs of letters and digits with inner apostrophes) and the
# separators between them: ``parts`` alternates separator, word, separator, ..., separator,
# so word i is ``parts[2i + 1]`` and the separator before it is ``parts[2i]``.
_SPLIT = re.compile(r"([^\W_]+(?:'[^\W_]+)*)")
_SPLIT_ASCII = re.compile(r"([a-z0-9]+(?:'[a-z0-9]+)*)")  # the same for ASCII text, faster
_JOINING = " \t-"  # a separator made only of these lets a phrase run on to the next word
_STARTS_CACHE_LIMIT = 200_000


# --- Guards and the default taxonomy --------------------------------------------------------

# Phrases that would otherwise be read as the wrong theme: each is matched like a theme
# phrase (and, being longer, wins over the short phrase inside it) and counts for the theme
# named here, or for none. A guard naming a theme missing from the taxonomy counts for none.
GUARD_PHRASES: tuple[tuple[str, str | None], ...] = (
    ("fit for purpose", "quality"),  # about whether it works, not about its size
    ("fit the bill", None),
    ("keep fit", None),
    ("worth mentioning", None),
    ("worth noting", None),
    ("deal with", None),
    ("big deal", None),
    ("packed with", None),  # "packed with features"
    ("tick all the box", None),  # "ticks all the boxes"
    ("out of the box", None),
    ("deliver on its promise", None),
    ("deliver what it promise", None),
    # Words that a phrase's derived forms spell by accident ("sweat" + -er, "matte" + -r),
    # and other senses of a theme word.
    ("sweater", None),
    ("tights", None),
    ("matter", None),  # "no matter how", not "matte"
    ("printer", None),
    ("tracker", None),  # "fitness tracker"
    ("peeler", None),
    ("laces", None),  # shoelaces, not the fabric
    ("lace-up", None),
    ("chest of drawers", None),
    ("full-size", None),
    ("top portion", None),  # of a garment, not a helping
    ("bottom portion", None),
    ("upper portion", None),
    ("lower portion", None),
    ("number", None),  # not "numb" + -er
    ("load-shedding", None),  # power cuts, not a shedding towel
    ("slimming", "appearance"),  # flattering, not a measurement
    # Figures of speech.
    ("broken english", None),
    ("tough to", None),  # "tough to find": not about toughness
    ("tough choice", None),
    ("tough decision", None),
    ("tough call", None),
    ("moved to tears", None),  # "moved me to tears"
    ("brought to tears", None),
    ("in tears", None),
    ("tears of joy", None),
    ("wouldn't hurt", None),  # "it wouldn't hurt to add a pocket"
    ("can't hurt", None),
    ("never hurts", None),
    ("bright light", None),  # the light it was seen in, not the item's colour
    ("bright sunlight", None),
    ("bright daylight", None),
    ("bright room", None),
    ("not a scratch", None),  # new on arrival, or still like new: the sentence says which
    ("sound like", None),  # "sounds like a good deal"
    ("safe and sound", "packaging"),
    ("gentle cycle", None),
    ("eco-friendly", None),
    ("environmentally friendly", None),
    ("kid-friendly", None),
    ("child-friendly", None),
    ("family-friendly", None),
    ("pet-friendly", None),
    ("skin-friendly", None),
    ("budget-friendly", "value"),
    ("beginner-friendly", "usability"),
    # "pretty" as an adverb: "pretty good", "pretty tight".
    ("pretty much", None),
    ("pretty good", None),
    ("pretty well", None),
    ("pretty sure", None),
    ("pretty decent", None),
    ("pretty happy", None),
    ("pretty pleased", None),
    ("pretty impressed", None),
    ("pretty disappointed", None),
    ("pretty standard", None),
    ("pretty basic", None),
    ("pretty average", None),
    ("pretty close", None),
    ("pretty quick", None),
    ("pretty quickly", None),
    ("pretty fast", None),
    ("pretty easy", None),
    ("pretty simple", None),
    ("pretty cool", None),
    ("pretty bad", None),
    ("pretty poor", None),
    ("pretty great", None),
    ("pretty big", None),
    ("pretty small", None),
    ("pretty large", None),
    ("pretty long", None),
    ("pretty short", None),
    ("pretty high", None),
    ("pretty low", None),
    ("pretty true to size", "fit_size"),
    ("pretty tight", "fit_size"),
    ("pretty loose", "fit_size"),
    ("pretty snug", "fit_size"),
    ("pretty thin", "material"),
    ("pretty thick", "material"),
    ("pretty sheer", "material"),
    ("pretty stiff", "material"),
    ("pretty comfortable", "comfort"),
    ("pretty comfy", "comfort"),
    ("pretty soft", "comfort"),
    ("pretty sturdy", "quality"),
    ("pretty solid", "quality"),
    ("pretty durable", "quality"),
    ("pretty flimsy", "quality"),
    ("pretty cheap", "value"),
    ("pretty expensive", "value"),
    ("pretty pricey", "value"),
)


def _theme(slug: str, name: str, description: str, phrases: str) -> ThemeSpec:
    """A theme from a block of phrases separated by commas (kept readable in the source)."""
    return ThemeSpec(
        slug=slug,
        name=name,
        description=description,
        phrases=tuple(" ".join(phrase.split()) for phrase in phrases.split(",") if phrase.strip()),
    )


DEFAULT_THEMES: tuple[ThemeSpec, ...] = (
    _theme(
        "fit_size",
        "Fit & size",
        "How well the item's size, cut and dimensions suit the buyer, their body or the space "
        "it is meant for.",
        """
        fit, size, runs small, runs large, runs big, true to size, too tight, too loose,
        too big, too small, too short, too long, too narrow, too wide, too heavy, too large,
        too tall, too shallow, too deep, tight, loose, baggy, snug, oversized, undersized,
        size up, size down, a size bigger, a size smaller, smaller than expected,
        bigger than expected, larger than expected, smaller than, bigger than, larger than,
        narrower than, wider than, shorter than, heel slip, bunch up, wrong size, bit small,
        bit big, bit large, bit short, bit long, little small, little big, little short,
        little long, slightly small, slightly big, slightly large, slightly short,
        slightly long, big enough, large enough, small enough, long enough, wide enough,
        tall enough, deep enough, roomy enough, xxs, xs, xl, xxl, length, waist, inseam, sleeve,
        sleeve length, shoulders, bust, chest, leg length, petite, plus size, measure*,
        dimensions, size chart, size guide, half size, wide feet, narrow feet, toe box, width,
        depth, shallow, cutout, compact, bulky, slim, slimline, lightweight, roomy, spacious,
        perfect size, tall, height, fits my phone, room to grow, footprint, take up space,
        take up room, space-saving, mm, cm, inch, millimetre*, millimeter*, centimetre*,
        centimeter*
        """,
    ),
    _theme(
        "quality",
        "Quality & durability",
        "How well the item is made and how long it keeps working, looking new or tasting "
        "as it should.",
        """
        quality, well made, poorly made, badly made, cheaply made, beautifully made, well built,
        poorly built, built to last, construct*, craftsmanship, workmanship, feel cheap,
        fell apart, fall apart, came apart, fell off, fall off, came off, came loose,
        came undone, stopped working, doesn't work, does not work, didn't work, not working,
        won't work, never worked, won't turn on, work well, work great, work perfectly,
        work fine, reliab*, unreliable, stopped charging, won't charge, hold charge, to charge,
        charge slow, charge fast, battery, died, broke, broken, break, snapped, crack, chipped,
        bent, warp, get stuck, tore, torn, rip, tear, hole, fray, unravel*, pilling, pilled,
        bobbl*, lint, shedding, fade, shrunk, shrank, shrink, peel, flake, rust, tarnish*, leak,
        scratch, scuff, smudge*, defect*, faulty, flimsy, sturdy, solid, durab*, robust, tough,
        survive, destroy, wobbl*, lasted, long lasting, last long, last for years, will last,
        didn't last, last all day, still going strong, like new, as good as new, look new,
        better made, hold up, held up well, wear and tear, wear off, wore off, worn off,
        worn out, wear through, lost shape, lose shape, out of shape, keep its shape,
        stretch out, wash well, in the wash, after wash, first wash, stitching, seam, binding,
        loose threads, waterproof, water-resistant, overheat*, glitch*, malfunction*, lag,
        laggy, crashes, freezes, disconnect*, drop connection, squeak*, creak*, rattl*, noisy,
        loud, quiet*, sound, bass, tinny, picture quality, dim, flicker, perform*, powerful,
        weak, suction, effective, evenly, unevenly, non-stick, blurry, sharp, blunt, absorb*,
        went flat, puncture*, tast*, delicious, stale, fresh, rotten, expir*, mould*, mold*,
        bland, flavo*, salty, soggy, undercooked, overcooked, burnt, smelly, chemical smell,
        odour, odor
        """,
    ),
    _theme(
        "material",
        "Material",
        "What the item is made of (fabric, leather, plastic, metal, wood) and how it feels "
        "to the touch.",
        """
        material, fabric, made of, made from, cotton, linen, polyester, wool, merino, silk,
        satin, chiffon, jersey, denim, corduroy, tweed, leather, faux leather, real leather,
        genuine leather, fake leather, pu leather, vegan leather, pleather, suede, nylon,
        spandex, lycra, elastane, viscose, rayon, cashmere, fleece, faux fur, velvet, lace,
        mesh, microfibre, microfiber, rubber, neoprene, latex, vinyl, plastic, plasticky, metal,
        stainless steel, steel, aluminium, aluminum, brass, copper, cast iron, chrome, titanium,
        plated, sterling silver, wood, wooden, solid wood, real wood, oak, pine, walnut, bamboo,
        mdf, particle board, chipboard, plywood, veneer, laminate, marble, glass, ceramic,
        porcelain, stoneware, enamel, silicone, canvas, foam, memory foam, paper, thin, thick,
        see-through, sheer, stretchy, stiff, rough, smooth, silky, supple, fluffy, weighty,
        cheap fabric, cheap material, cheap plastic, cheap metal, cheap glass, cheap wood,
        cheap leather, feel like plastic, synthetic, natural fibres, natural fibers, fibre,
        fiber, texture, soft to the touch, cool to the touch, smooth to the touch,
        rough to the touch, weave, knit, lining, lined, heavyweight, wrinkle*, crease*, acrylic,
        elastic, thread count
        """,
    ),
    _theme(
        "appearance",
        "Colour & appearance",
        "How the item looks: colour, print, shape, style and finish.",
        """
        colour, color, colourway, colorway, colourful, colorful, shade, hue, darker, paler,
        pale, bright, vibrant, dull, washed out, pigment*, shine, sheen, shimmer*, glitter*,
        look cheap, cheap looking, look tacky, look expensive, look more expensive, look great,
        look good, look nice, look lovely, look beautiful, look stunning, look amazing,
        look gorgeous, look elegant, look stylish, look smart, look sharp, look fancy, look fab,
        look fantastic, look better, look worse, love the look, to look at, good-looking,
        nice looking, great looking, beautiful, gorgeous, stunning, pretty, cute, elegant,
        stylish, attractive, unattractive, ugly, tacky, design, style, print, pattern, shiny,
        glossy, matte, sparkle, sparkly, embroidery, detailing, logo, shape, aesthetic, sleek,
        modern, minimalist, clean lines, classy, chic, flattering, unflattering, discolour*,
        discolor*, yellowed, yellowing, turn yellow, stain, appearance, eye-catching, vintage,
        neutral tones
        """,
    ),
    _theme(
        "comfort",
        "Comfort",
        "How the item feels in use: on the body, underfoot, in the hand or to sit and sleep on.",
        """
        comfortable, comfortably, comfy, uncomfortable, uncomfortably, comfort, cosy, cozy,
        snuggl*, soft, itchy, scratchy, itch, rub, chafe, chafing, blister, pinch, dig in,
        dug in, dug into, sweaty, breathable, breathe, keep warm, keep cool, stay cool,
        warm and cosy, too warm, sleep hot, warmth, cushioning, cushion, padding, padded,
        arch support, back support, lumbar support, lumbar, ankle support, neck support,
        supportive, ergonomic, grip, hurt, hurt my feet, painful, sore, ache, headache,
        back pain, neck pain, numb, firm, too firm, too hard, too soft, irritation,
        irritated my skin, rash, broke me out, gentle on, sensitive skin, against skin, sting,
        restrictive, all day wear, easy to wear, lightweight feel, like slippers,
        walk on clouds, walk on air, break them in, broke them in, break-in period,
        wear them in, relaxing, cool to sleep on, good night's sleep, sleep better, slept well,
        slippery
        """,
    ),
    _theme(
        "value",
        "Price & value",
        "Whether the price is fair for what the buyer gets.",
        """
        price, pricey, pricy, overpriced, expensive, cheap, affordable, afford,
        reasonably priced, reasonable price, value, value for money, good value, great value,
        poor value, worth, worth it, worth every penny, worth the money, not worth,
        waste of money, money, rip-off, bargain, deal, steal, good buy, great buy,
        for the price, for the money, bang for buck, can't beat, cannot beat, hard to beat,
        cost, costly, budget, pay, paid, spend, spent, splurge, sale, on sale, discount, coupon,
        promo, voucher, bucks, quid, dollar, euro, rand, delivery fee, delivery charge,
        shipping cost, shipping fee, extra charge, free of charge, overcharge, portion size,
        portion, serving size, pricing, save money, saved money, inexpensive, cost a fortune,
        price point, premium price, half the price, double the price, more than i paid
        """,
    ),
    _theme(
        "delivery",
        "Delivery",
        "How fast and reliably the order arrived, and how the courier handled it.",
        """
        delivery, delivered, to deliver, shipping, ship, to arrive, arrival, arrived late,
        arrived early, arrived in days, arrived within, arrived promptly, not arrived,
        day early, days early, week early, weeks early, on time, in time for, delivered late,
        came late, was late, days late, weeks late, late delivery, later than expected,
        later than promised, earlier than expected, sooner than expected, courier, driver,
        postage, postal, post office, in the post, lost in the post, lost in transit, postman,
        parcel, package, tracking, track, tracking number, dispatch*, customs, wrong address,
        fast shipping, quick delivery, next day, same day, took weeks, waited weeks,
        waited ages, still waiting, never arrived, never received, not received, didn't receive,
        hasn't arrived, lost parcel, missing parcel, weeks to get here, days to get here,
        showed up, to show up, turned up, to turn up, collection point, pick up point,
        pickup point, locker, left at the door, left outside, doorstep, signed for, delayed,
        delay, estimated delivery, turnaround, prompt, speedy, express, logistics, dhl, fedex,
        aramex, pudo, postnet, paxi, the courier guy, delivery man, came quickly, came fast,
        came early, arrived quickly, arrived fast, fast delivery
        """,
    ),
    _theme(
        "packaging",
        "Packaging",
        "How the item was packed and protected, and the state of the box it came in.",
        """
        packaging, packed, packing, packaged, well packed, poorly packed, badly packed,
        carefully packed, securely packed, package was damaged, package was crushed,
        parcel was damaged, box was crushed, box was damaged, box was dented, damaged box,
        crushed box, box, shoebox, mailer, mailing bag, cardboard, tissue paper, bubble wrap,
        wrapped, wrapping, gift wrap, shrink wrap, plastic wrap, plastic packaging,
        plastic pouch, plastic-free, sealed, seal, seal was broken, broken seal, unsealed,
        tamper*, spilled, spilt, envelope, padded envelope, plastic bag, eco-friendly packaging,
        recycl*, biodegradable, compostable, excessive packaging, excess packaging,
        too much packaging, too much plastic, presentation, gift box, unboxing, no padding,
        no protection, poorly protected, well protected, rattling around, arrived damaged,
        arrived broken, arrived smashed, arrived intact, arrived safely, arrived in one piece,
        arrived in perfect condition, arrived in good condition, damaged in transit,
        broke in transit, broken in transit, in transit, during shipping, during transit,
        during delivery, crushed, squashed, dented, torn box, tape, styrofoam, polystyrene,
        foam insert*, smashed
        """,
    ),
    _theme(
        "service",
        "Customer service",
        "How the seller, their support team or staff treated the buyer, including questions, "
        "returns and refunds.",
        """
        customer service, customer care, customer support, support team, support staff,
        tech support, technical support, after-sales, helpdesk, help desk, service, seller,
        vendor, merchant, the shop, the store, store owner, staff, waiter, waitress, waitstaff,
        manager, host, agent, rude, friendly, helpful, unhelpful, polite, courteous, responsive,
        respond, response, reply, no reply, no response, never replied, answer, ignore, ghosted,
        got back to me, get back to me, contact, email, message, whatsapp, chat, phoned,
        phone call, called them, call back, call centre, call center, refund, reimburs*,
        store credit, money back, return process, return label, returns policy, return policy,
        easy return, exchange, replacement, sent a replacement, seller responded, warranty,
        guarantee, made a complaint, lodged a complaint, filed a complaint, complained to,
        resolve, above and beyond, extra mile, threw in, apologised, apologized, apology,
        attentive, welcoming, booking, reservation, cancel*, communication, kept me updated,
        kept me informed, follow up, professional, unprofessional
        """,
    ),
    _theme(
        "accuracy",
        "Description accuracy",
        "Whether what arrived matches the listing: its photos, description, size chart and "
        "specifications.",
        """
        as described, exactly as described, not as described, as pictured, not as pictured,
        as advertised, not as advertised, as shown, as promised, as listed, description,
        describe, listing, listed, advertised, as claimed, claim to, photo, picture, pictured,
        pic, image, in person, in real life, irl, in the flesh, the website, swatch,
        look different, different from the, different to the, nothing like the picture,
        nothing like the photo, not what i ordered, what i ordered, one i ordered, wrong item,
        wrong colour, wrong color, wrong one, wrong product, wrong model, wrong version,
        sent wrong, received wrong, different model, different product, different item,
        different version, different brand, missing parts, missing pieces, parts missing,
        pieces missing, missing, misleading, misled, misrepresent*, false advertising, fake,
        counterfeit, knock-off, replica, imitation, genuine, authentic, not original, specs,
        specifications, specification, model number, true to the picture, true to the photo,
        match the description, match the photo, match the picture, match the listing, accurate,
        inaccurate, colour different, color different, scam, not the same as the picture,
        same as the picture
        """,
    ),
    _theme(
        "usability",
        "Ease of use",
        "How easy the item is to set up, assemble, use, clean and look after.",
        """
        easy to use, easy to set up, easy to assemble, easy to install, easy to clean,
        easy to operate, easy to follow, easy to put on, easy to take off, easy to get on,
        easy to slip on, easy to apply, easy to remove, easy to attach, easy to fold,
        easy to close, easy to navigate, easy to understand, easy to fill, easy to empty,
        easy to pour, easy to wash, easy to open, easy to pair, easy to read, easy to handle,
        easy to carry, easy to store, easy to fit, hard to use, difficult to use,
        hard to assemble, difficult to assemble, hard to set up, hard to install, hard to clean,
        hard to open, difficult to open, hard to close, hard to put on, hard to get on,
        hard to get off, hard to take off, hard to press, hard to push, hard to turn,
        hard to remove, hard to attach, hard to apply, hard to fold, hard to navigate,
        hard to understand, difficult to understand, hard to read, fiddly, finicky, awkward to,
        clunky, cumbersome, pain to, hassle, faff, a breeze, user-friendly, intuitive,
        confusing, complicated, straightforward, simple to use, ready to use, instruction,
        instruction manual, manual, set up, setup, assemble, assembly, put together,
        click into place, snap into place, install, installation, plug and play, pairing,
        won't pair, wouldn't pair, connect, connection, bluetooth, app, interface, controls,
        remote, settings, adjustable, adjust, foldable, fold away, collapsible, portable,
        dishwasher, dishwasher safe, machine washable, hand wash, clean easily, wipe clean,
        learning curve, took ages to assemble, took hours to assemble, allen key,
        pre-drilled holes, handy, convenient, practical
        """,
    ),
)


# --- The matcher ----------------------------------------------------------------------------


class ThemeMatcher:
    """Finds the phrases of a taxonomy in review text.

    Build one from the current taxonomy and reuse it for every review of a run; a new theme
    or phrase takes effect in the next matcher built. Building validates every phrase
    (ValueError naming the theme on the first invalid one). Safe to share between threads:
    the only state that changes after building is a cache of which words start a phrase.
    """

    def __init__(self, themes: Sequence[ThemeSpec]) -> None:
        slugs = [theme.slug for theme in themes]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise ValueError(f"Theme slugs must be unique: {', '.join(duplicates)}.")
        self.themes: tuple[ThemeSpec, ...] = tuple(themes)
        known = set(slugs)
        entries: list[tuple[str | None, str]] = [
            (slug if slug in known else None, validate_phrase(phrase))
            for phrase, slug in GUARD_PHRASES
        ]
        for theme in themes:
            for phrase in theme.phrases:
                try:
                    entries.append((theme.slug, validate_phrase(phrase)))
                except ValueError as error:
                    raise ValueError(
                        f"Theme “{theme.name}”, phrase {quoted_phrase(phrase)}: {error}"
                    ) from None
        self._entries = entries
        self._root = _Node()
        # Review word → the phrase words it spells (inflections included).
        self._keys: dict[str, tuple[str, ...]] = {}
        spelled: set[str] = set()
        for leaf, (_, phrase) in enumerate(entries):
            for steps in _variants(phrase):
                self._root.insert(steps, leaf)
                spelled.update(step.key for step in steps if not step.is_prefix)
        keys: dict[str, list[str]] = {}
        for key in sorted(spelled):
            for form in _forms(key):
                keys.setdefault(form, []).append(key)
        self._keys = {form: tuple(spelled_keys) for form, spelled_keys in keys.items()}
        self._root.finish()
        # Wildcard phrases that start a phrase, by their first letters: a new review word is
        # tried only against the few that share them, not against every one.
        self._root_prefixes: dict[str, list[tuple[str, _Node]]] = {}
        for prefix, _, node in self._root.prefixes:
            self._root_prefixes.setdefault(prefix[:MIN_WILDCARD_PREFIX], []).append((prefix, node))
        # The nodes each review word starts (None: no phrase starts with it), learned on
        # first sight so the scan costs one dictionary look-up per word.
        self._starts = LearnedTable(self._learn, _STARTS_CACHE_LIMIT)

    @cached_property
    def names(self) -> dict[str, str]:
        """Theme name by slug, for display."""
        return {theme.slug: theme.name for theme in self.themes}

    def find(self, text: str) -> list[ThemeHit]:
        """Every theme phrase in ``text``, in text order, none overlapping another.

        Reads the words left to right; at each word the longest phrase starting there wins
        and the scan resumes after it.
        """
        folded = fold(text)
        parts = (_SPLIT_ASCII if folded.isascii() else _SPLIT).split(folded)
        words = parts[1::2]
        count = len(words)
        starts_by_word = list(map(self._starts.__getitem__, words))
        hits: list[ThemeHit] = []
        offsets: list[int] = []
        resume = 0
        # Only the words that start a phrase are visited (most start none).
        for index in compress(range(count), starts_by_word):
            if index < resume:
                continue
            starts = starts_by_word[index]
            node = starts[0][0]
            gate = node.gate
            if len(starts) == 1 and (
                node.is_end
                or (
                    gate is not None
                    and (index + 1 >= count or words[index + 1] not in gate)
                    and (index + 2 >= count or words[index + 2] not in gate)
                )
            ):
                last, leaf = index, node.leaf  # nothing can follow: no walk needed
            else:
                last, leaf = self._longest(starts, index, words, parts)
            if leaf is None:
                continue
            resume = last + 1
            slug, phrase = self._entries[leaf]
            if slug is None:
                continue
            if not offsets:
                offsets = [0, *accumulate(map(len, parts))]
            hits.append(ThemeHit(slug, offsets[2 * index + 1], offsets[2 * last + 2], phrase))
        return hits

    def by_span(self, text: str, spans: Sequence[Span]) -> list[dict[str, list[ThemeHit]]]:
        """The hits of ``text`` per sentence: for each span, its hits grouped by theme slug.

        ``spans`` are sentences of ``text`` in order (:func:`~saypro.insights.text.
        split_sentences`); a hit belongs to the span it starts in, and a hit outside every
        span is dropped.
        """
        grouped: list[dict[str, list[ThemeHit]]] = [{} for _ in spans]
        starts = [span.start for span in spans]
        for hit in self.find(text):
            index = bisect_right(starts, hit.start) - 1
            if index >= 0 and hit.start < spans[index].end:
                grouped[index].setdefault(hit.slug, []).append(hit)
        return grouped

    def _keys_of(self, word: str) -> tuple[str, ...]:
        keys = self._keys.get(word)
        if keys is None:
            keys = self._keys.get(word[:-2], ()) if word.endswith("'s") else ()
        return keys

    def _learn(self, word: str) -> tuple[tuple[_Node, int], ...] | None:
        """The (node, 1 if spelled exactly as the phrase word else 0) that ``word`` starts."""
        root = self._root
        found = [
            (root.links[key], int(key == word)) for key in self._keys_of(word) if key in root.links
        ]
        found.extend(
            (node, 0)
            for prefix, node in self._root_prefixes.get(word[:MIN_WILDCARD_PREFIX], ())
            if word.startswith(prefix)
        )
        return tuple(found) or None

    def _longest(
        self,
        starts: tuple[tuple[_Node, int], ...],
        index: int,
        words: list[str],
        parts: list[str],
    ) -> tuple[int, int | None]:
        """(last word index, phrase index) of the longest phrase from ``words[index]``.

        The phrase index is None when no phrase completes. The next phrase word may be the
        next review word or, past one extra word (once per phrase), the one after, as long
        as only spaces or hyphens separate them. Among phrases of equal length the one whose
        words are spelled as in the review wins ("packaging" over "package" + -ing), then
        the one listed first.
        """
        best = (index, -1, 0)  # (last word index, exact words, -phrase index)
        best_leaf = None
        count = len(words)
        # (node, index of the word that reached it, words spelled exactly, extra word used)
        pending = [(node, index, exact, False) for node, exact in starts]
        while pending:
            node, position, exact, skipped = pending.pop()
            leaf = node.leaf
            if leaf is not None and (best_leaf is None or (position, exact, -leaf) > best):
                best, best_leaf = (position, exact, -leaf), leaf
            if node.is_end:
                continue
            following = position + 1
            if following >= count or parts[2 * following].strip(_JOINING):
                continue
            word = words[following]
            for key in self._keys_of(word):
                exactly = exact + (key == word)
                child = node.links.get(key)
                if child is not None:
                    pending.append((child, following, exactly, skipped))
                child = node.tight_links.get(key)
                if child is not None:
                    pending.append((child, following, exactly, skipped))
            for prefix, _, child in node.prefixes:
                if word.startswith(prefix):
                    pending.append((child, following, exact, skipped))
            beyond = following + 1
            if (
                skipped
                or beyond >= count
                or parts[2 * beyond].strip(_JOINING)
                or not (node.links or node.prefixes)
            ):
                continue
            word = words[beyond]
            for key in self._keys_of(word):
                child = node.links.get(key)
                if child is not None:
                    pending.append((child, beyond, exact + (key == word), True))
            for prefix, is_tight, child in node.prefixes:
                if not is_tight and word.startswith(prefix):
                    pending.append((child, beyond, exact, True))
        return best[0], best_leaf


# --- Clauses --------------------------------------------------------------------------------

# Where a sentence turns: "pretty colour but the fabric is thin". "yet" counts only after a
# comma or "and" ("not worn it yet" does not turn), and a comma only closes a clause opened
# by "although", "though", "even though" or "whereas" ("Although pretty, the fabric is thin").
_CONTRAST = re.compile(
    r"(?P<subordinate>\b(?:although|though|whereas)\b)"
    r"|\b(?:but|however|except)\b|(?:,\s*|\band\s+)yet\b|;|(?P<comma>,)"
)
_CLAUSE_TRIM = " \t\r\n,;:-"


def theme_clause(text: str, sentence: Span, hit: ThemeHit) -> Span:
    """The clause of ``sentence`` around ``hit``: the sentence cut at its contrast words.

    The cut words themselves ("but", "although") are left out of the clause, so each side of
    "pretty colour but the fabric is thin" can be scored for sentiment on its own. A hit that
    straddles a cut keeps the whole sentence.
    """
    return theme_clauses(text, sentence, [hit])[0]


def theme_clauses(text: str, sentence: Span, hits: Sequence[ThemeHit]) -> list[Span]:
    """:func:`theme_clause` for each of ``hits`` (all in ``sentence``), cutting it once."""
    cuts = _contrast_cuts(text, sentence)
    return [_clause(text, sentence, hit, cuts) for hit in hits]


def _contrast_cuts(text: str, sentence: Span) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each contrast cut of ``sentence``, in order."""
    offset = sentence.start
    cuts = []
    is_subordinate_open = False
    for match in _CONTRAST.finditer(fold(text[sentence.start : sentence.end])):
        if match.group("comma") is not None and not is_subordinate_open:
            continue
        is_subordinate_open = match.group("subordinate") is not None
        cuts.append((match.start() + offset, match.end() + offset))
    return cuts


def _clause(text: str, sentence: Span, hit: ThemeHit, cuts: list[tuple[int, int]]) -> Span:
    clause_start, clause_end = sentence.start, sentence.end
    for cut_start, cut_end in cuts:
        if cut_end <= hit.start:
            clause_start = cut_end
        elif cut_start >= hit.end:
            clause_end = cut_start
            break
    if clause_start > hit.start or clause_end < hit.end:
        clause_start, clause_end = sentence.start, sentence.end
    while clause_start < hit.start and text[clause_start] in _CLAUSE_TRIM:
        clause_start += 1
    while clause_end > hit.end and text[clause_end - 1] in _CLAUSE_TRIM:
        clause_end -= 1
    return Span(clause_start, clause_end, text[clause_start:clause_end])
