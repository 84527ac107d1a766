"""Word lists the coach reads reviews and drafts with. Data only; the rules live in the checks.

Every list is lower case and matched on whole words of the folded text
(:func:`saypro.coaching.text.fold`). Aspect cues are regular-expression
fragments; each aspect names what a customer can praise or complain about in
any product domain, so the suggested answer and the personalisation check can
talk about "the sizing" or "the battery" rather than about clothing only.
"""

from dataclasses import dataclass


def vocabulary(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``: word lists stay readable, one block each."""
    return frozenset(text.split())


STOPWORDS = vocabulary(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets got had
    hadn't has hasn't have haven't having he her here hers herself him himself his how i i'd i'll
    i'm i've if in into is isn't it it's its itself just let's me more most much must my myself
    no nor not now of off on once only or other our ours ourselves out over own same she should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up upon us
    very was wasn't we we'd we'll we're we've were weren't what what's when where which while who
    whom why will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves one two three four five six seven eight nine ten really still already
    """
)

# Words that say nothing about one review in particular: echoing them is not personal.
GENERIC_WORDS = vocabulary(
    """
    thank thanks review reviews feedback comment comments customer customers order orders ordered
    ordering purchase purchased item items product products buy bought experience service
    great good love loved lovely nice happy glad amazing awesome perfect excellent best better
    fantastic wonderful brilliant super really well like liked would could will also just get
    got make made time times day days week weeks month months year years today again back next
    first last thing things everything anything something lot lots bit little much many way
    hope value valued appreciate appreciated sorry apologise apologize apologies disappointed
    disappointing disappointment unhappy problem problems issue issues seller store shop team
    star stars rating recommend definitely totally completely absolutely quite pretty highly
    feel feels felt look looks looked want wanted need needed know think said says say
    """
)

POSITIVE_WORDS = vocabulary(
    """
    love loved loves loving lovely great perfect perfectly excellent amazing amazed beautiful
    beautifully gorgeous soft softer comfortable comfy happy pleased impressed fantastic
    brilliant best good nice well fast quick quickly sturdy solid vibrant fresh delicious tasty
    smooth silky easy recommend recommended favourite favorite cute stylish elegant cosy cozy
    divine superb wonderful awesome clear accurate accurately healthy worth warm grippy durable
    fragrant stunning pretty flattering snug thick crisp rich bright brighter luxurious
    nourishing moisturising moisturizing handy stable reliable sharp quiet lightweight fresher
    fun enjoy enjoyed enjoying delighted thrilled exactly compliments gentle evenly neat
    crunchy grippy defined helps
    """
)

NEGATIVE_WORDS = vocabulary(
    """
    bad poor poorly terrible awful horrible horrid disappointed disappointing disappointment
    broke broken break breaks cheap cheaply flimsy thin see-through sheer scratchy itchy itch
    tight loose late slow slowly delayed damaged dented cracked crack cracks chipped missing
    wrong faulty defective leak leaked leaking leaks stopped died dead peeling peeled peel
    flaking flaked flakes faded fading fades shrank shrunk shrinks pilled pilling bobbled warp
    warped warping ripped rip torn tear stained stain waste useless rubbish garbage junk worst
    unsafe dangerous scary sour stale bland soggy blurry unfinished misleading uncomfortable
    confusing difficult mushy muffled loud noisy wobbles wobbly wobble squeaks squeak squeaky
    kinks kink clumps clump sticky sticks stiff smelly stinks chemical chemicals downside
    unfortunately sadly returned returning complaint problem problems issue issues annoying
    frustrating frustrated upset avoid unreadable unusable overpriced expensive crumbly burnt
    burned lukewarm frizzy frizz holes hole bleed bleeding bleeds fake lost tunnelled
    tunneled weak faint yellowed lighter darker smaller bigger fell destroyed gristle fatty
    soaked barely hardly uneven crooked short snapped snaps shed sheds shedding lumpy melted
    mouldy moldy expired rude ignored
    """
)

NEGATORS = vocabulary(
    """
    not no never nothing none nobody neither nor without don't doesn't didn't isn't wasn't
    aren't weren't won't can't cannot couldn't wouldn't shouldn't haven't hasn't hadn't
    """
)

# Negators that are a complaint on their own ("they don't fit", "it won't close").
COMPLAINING_NEGATORS = NEGATORS - {"no", "nothing", "none", "nobody", "neither", "nor", "without"}

# Praise said with a negation ("can't fault it", "no complaints"): read as plain praise.
PRAISE_IDIOMS = (
    r"\b(?:can ?not|can't|cant|couldn't|could not) (?:fault|complain|ask for more)\b",
    r"\b(?:couldn't|could not|can't|cannot) (?:be|have been) (?:happier|better|more pleased)\b",
    r"\bno (?:complaints?|surprises|regrets|issues|problems)(?: at all| whatsoever)?\b",
    r"\bnothing (?:but|to complain about|bad to say)\b",
)

# Advice to other buyers not to buy ("save your money", "don't waste your money") and
# asking for the money back: a complaint about the whole purchase, not about its price;
# read as plain "avoid" (but "it helps you save your money", "a way to save your money"
# are praise).
ADVICE_AGAINST_IDIOMS = (
    r"\b(?<!to )(?<!helps you )save (?:your|yourself (?:the|your)) (?:money|cash)\b",
    r"\b(?:don't|do not|dont) (?:waste|spend) your (?:money|cash|time)\b",
    r"\b(?:my|our) money back\b",
)

# Phrases that make a clause a complaint although no single word is negative.
COMPLAINT_PHRASES = (
    r"\btook (?:a while|ages|forever|too long|\w+ (?:days|weeks|months|"
    r"hours|people|of us|attempts|tries|goes))\b",
    r"\b(?:a bit|a little|a tad|slightly|rather|quite) (?:too |on the )?(?:small|"
    r"big|short|long|tight|loose|thin|"
    r"heavy|loud|slow|stiff|hard|weak|dull|flimsy|pricey|expensive|"
    r"noisy|rough|dark|light|sweet|salty|bland|dry|"
    r"warm|cold|narrow|wide|fiddly|bulky|wobbly|smelly)\b",
    r"\bhard to\b",
    r"\b(?:could|should) (?:be|have been) (?!perfect)\w+",
    r"\bwish(?:ed)?\b",
    r"\bwould be (?:nice|better|great|good) if\b",
    r"\bnot as\b",
    r"\bnothing like\b",
    r"\bno (?:reply|response|answer)\b",
    r"\bwaste of\b",
    r"\b(?:was|were|is|are) only\b",
    r"\bthough[.!]?$",
    r"\bless than\b",
    r"\b(?:sooner|smaller|bigger|thinner|shorter|longer|heavier|weaker|"
    r"louder|slower|earlier|later|less|darker|"
    r"lighter|duller|looser|tighter) than (?:expected|advertised|described|"
    r"pictured|shown|i expected|i thought|hoped)\b",
    r"\b(?:marks|scratches|stains|breaks|tears|creases|dents|chips|"
    r"fades|snags|rips|scuffs|smudges|bends) "
    r"(?:very |so |too |quite )?easily\b",
    r"\bfell (?:off|apart)\b",
    r"\bcame (?:off|loose|apart|undone)\b",
    r"\bgave up\b",
    r"\blet (?:me|us) down\b",
)

# Abbreviations that are written in capitals and are not shouting.
ACRONYMS = vocabulary(
    """
    xs s m l xl xxl xxxl uk us usa sa rsa eu uae uv spf led lcd oled usb hdmi tv pc id ok pdf faq
    faqs diy asap rsvp nb ps sms gps rgb ac dc ceo hr vat zar usd gbp eur bbq dvd cd pin sim api
    eta am pm nfc ai hd uhd atm cpu gpu ssd ram rom wifi lte dslr abs pvc bpa iso gsm mms qr
    sku ipa ipl diy mp usbc aaa aa bmw dhl ups fedex nasa sabs jhb cpt dbn pta ec wc kzn
    """
)

# Short words that are shouting when capitalised (longer capitalised words always are,
# unless listed in ACRONYMS or written in capitals by the customer or the product title).
SHOUTED_SHORT_WORDS = vocabulary("no do go so we me my is to be by at or an as if of on in up he")

# The module's default profanity and insult list. Django's ``COACH_PROFANITY_WORDS``
# setting, when configured, adds to it (saypro.coaching.guidelines.tone reads it lazily).
DEFAULT_PROFANITY_WORDS = (
    "arse",
    "arsehole",
    "ass",
    "asshole",
    "bastard",
    "bitch",
    "bloody",
    "bollocks",
    "bugger",
    "bullshit",
    "clueless",
    "crap",
    "crappy",
    "cunt",
    "damn",
    "dammit",
    "dick",
    "dickhead",
    "dumb",
    "fuck",
    "fucking",
    "goddamn",
    "hell",
    "idiot",
    "idiotic",
    "imbecile",
    "loser",
    "moron",
    "moronic",
    "pathetic",
    "piss",
    "pissed",
    "prick",
    "shit",
    "shite",
    "shitty",
    "stupid",
    "twat",
    "wanker",
    "wtf",
)


@dataclass(frozen=True)
class Aspect:
    """Something a customer can praise or complain about.

    ``label`` is how an answer names it ("the sizing"); ``praise`` and
    ``complaint`` are cues that carry their own polarity ("runs small"), and
    ``neutral`` cues ("colour") take the polarity of the clause around them.
    """

    key: str
    label: str
    neutral: tuple[str, ...] = ()
    praise: tuple[str, ...] = ()
    complaint: tuple[str, ...] = ()


ASPECTS = (
    Aspect(
        "sizing",
        "the sizing",
        neutral=(r"sizes?", r"sizing", r"true to size", r"size (?:up|down)", r"dimensions"),
        complaint=(
            r"runs? (?:a (?:bit|little) )?(?:small|large|big|short|long)",
            r"(?:too|very|way too) (?:small|big|large)",
            r"smaller than",
            r"bigger than",
            r"larger than",
            r"half a size",
        ),
    ),
    Aspect(
        "quality",
        "the quality",
        neutral=(r"quality", r"durab(?:le|ility)", r"built", r"build", r"lasts?"),
        praise=(r"sturdy", r"solid", r"well made", r"holding up", r"held up", r"survived"),
        complaint=(
            r"flimsy",
            r"broke(?:n)?",
            r"breaks",
            r"fell apart",
            r"came apart",
            r"ripped",
            r"torn",
            r"cracked",
            r"chipped",
            r"peel(?:ing|ed|s)?",
            r"flak(?:ing|ed|es)",
            r"warp(?:ed|ing|s)?",
            r"fell off",
            r"came (?:off|loose|undone)",
            r"stopped working",
            r"faulty",
            r"defective",
            r"wobbl(?:es|y|ing)",
            r"dented",
            r"scratch(?:ed|es)?",
            r"destroyed",
            r"looks cheap",
            r"cheaply made",
            r"yellowed",
            r"turned yellow",
        ),
    ),
    Aspect(
        "fit",
        "the fit",
        neutral=(r"fit", r"fits", r"fitted", r"fitting", r"waist"),
        praise=(r"fits? (?:perfectly|well|great|beautifully|like a glove)", r"snug(?:ly)?"),
        complaint=(r"(?:too |very |way too )?(?:tight|loose|baggy)", r"(?:don't|doesn't) fit"),
    ),
    Aspect(
        "material",
        "the material",
        neutral=(
            r"fabric",
            r"materials?",
            r"cotton",
            r"linen",
            r"wool",
            r"merino",
            r"silk",
            r"polyester",
            r"lace",
            r"denim",
            r"leather",
            r"fleece",
            r"knit(?:ted)?",
            r"lining",
            r"foam",
            r"coating",
            r"paper",
            r"texture",
        ),
        praise=(r"soft(?:er)?", r"silky", r"luxurious", r"thick", r"chunky"),
        complaint=(
            r"thin(?:ner)?",
            r"see[- ]through",
            r"sheer",
            r"scratchy",
            r"itchy",
            r"pill(?:ed|ing|s)",
            r"bobbl(?:ed|ing|es)",
            r"rough",
            r"mushy",
        ),
    ),
    Aspect(
        "colour",
        "the colour",
        neutral=(r"colou?rs?", r"shades? of", r"print", r"pattern", r"dye"),
        praise=(r"vibrant", r"bright"),
        complaint=(r"fad(?:ed|ing|es)", r"discolou?red", r"bled", r"lighter than", r"darker than"),
    ),
    Aspect(
        "delivery",
        "the delivery",
        neutral=(
            r"deliver(?:y|ed|ies)?",
            r"shipping",
            r"shipped",
            r"courier",
            r"postage",
            r"dispatch(?:ed)?",
            r"tracking",
        ),
        praise=(
            r"arriv(?:ed|es) (?:quickly|fast|early|promptly|on time|the next day|"
            r"next day|in (?:a|one|two|three|\d+) (?:days?|weeks?))",
            r"fast (?:delivery|shipping)",
            r"quick (?:delivery|shipping)",
        ),
        complaint=(
            r"arriv(?:ed|es) late",
            r"(?:delivery|shipping) (?:was |took )?(?:slow|late|delayed)",
            r"delayed",
            r"never arrived",
            r"lost in the post",
        ),
    ),
    Aspect(
        "packaging",
        "the packaging",
        neutral=(
            r"packag(?:ing|ed|e)",
            r"pack(?:ed|ing)?",
            r"box(?:es)?",
            r"parcel",
            r"wrapp(?:ed|ing)",
            r"bubble wrap",
            r"tub",
            r"tin",
            r"carton",
        ),
        praise=(r"well packed", r"beautifully presented", r"presented"),
        complaint=(r"squashed", r"crushed", r"box was damaged", r"damaged box"),
    ),
    Aspect(
        "price",
        "the price",
        neutral=(r"price[ds]?", r"value for money", r"money", r"cost"),
        praise=(r"good value", r"great value", r"bargain", r"affordable", r"worth (?:it|every)"),
        complaint=(
            r"overpriced",
            r"expensive",
            r"waste of money",
            r"not worth",
            r"what I paid",
            r"for the price",
        ),
    ),
    Aspect(
        "comfort",
        "the comfort",
        neutral=(r"comfort",),
        praise=(r"comfortable", r"comfy", r"cosy", r"cozy"),
        complaint=(r"uncomfortable", r"too firm", r"too hard", r"digs? in"),
    ),
    Aspect(
        "look",
        "the look",
        neutral=(r"style", r"design", r"looks?", r"illustrations?", r"pictures"),
        praise=(
            r"stylish",
            r"beautiful",
            r"gorgeous",
            r"cute",
            r"elegant",
            r"pretty",
            r"stunning",
            r"looks? (?:great|lovely|good|amazing|beautiful|stylish)",
        ),
        complaint=(r"ugly", r"nothing like the (?:photo|picture|model)s?"),
    ),
    Aspect(
        "stitching",
        "the stitching",
        neutral=(r"stitch(?:ing|es)?", r"seams?", r"sewn", r"sewing", r"threads?", r"hem"),
        complaint=(r"loose threads?", r"unfinished", r"unravel(?:led|ling)?"),
    ),
    Aspect(
        "length",
        "the length",
        neutral=(r"length", r"long enough"),
        complaint=(r"too (?:long|short)", r"(?:really|very) short"),
    ),
    Aspect(
        "care",
        "how it washes",
        neutral=(
            r"wash(?:ed|es|ing)?",
            r"washable",
            r"laundry",
            r"iron(?:ing|ed)?",
            r"tumble dr(?:y|ied)",
            r"dishwasher",
        ),
        complaint=(r"shr(?:ank|unk|inks?)", r"after (?:one|the first|two|a few) washe?s?"),
    ),
    Aspect(
        "taste",
        "the taste",
        neutral=(
            r"tastes?",
            r"tasted",
            r"flavou?rs?",
            r"recipes?",
            r"heat",
            r"sweetness",
            r"crunch",
        ),
        praise=(r"tasty", r"delicious", r"crunchy", r"smooth", r"rich"),
        complaint=(
            r"bland",
            r"tasteless",
            r"crumbly",
            r"soggy",
            r"too (?:sweet|salty|spicy|sour)",
            r"vinegar",
            r"fatty",
            r"gristle",
        ),
    ),
    Aspect(
        "freshness",
        "the freshness",
        neutral=(r"best[- ]before", r"freshness"),
        praise=(r"fresh",),
        complaint=(r"stale", r"sour", r"expired", r"mou?ldy", r"gone off", r"defrosted", r"melted"),
    ),
    Aspect(
        "scent",
        "the scent",
        neutral=(r"scents?", r"smell(?:s|ed|ing)?", r"fragrances?", r"aroma", r"odou?r"),
        praise=(r"fragrant", r"smells? (?:amazing|divine|lovely|great|gorgeous|beautiful)"),
        complaint=(r"chemical smell", r"smells? of chemicals", r"stinks?", r"smelly"),
    ),
    Aspect(
        "battery",
        "the battery",
        neutral=(r"batter(?:y|ies)", r"charg(?:e|es|ed|ing|er)", r"battery life"),
        complaint=(
            r"stopped charging",
            r"won't charge",
            r"battery died",
            r"(?:doesn't|won't) hold (?:a |its )?charge",
        ),
    ),
    Aspect(
        "sound",
        "the sound",
        neutral=(r"sound", r"audio", r"volume", r"bass", r"mic(?:rophone)?", r"ticking", r"noise"),
        praise=(r"quiet", r"crisp sound", r"great sound"),
        complaint=(
            r"muffled",
            r"(?:too |a (?:bit|little) )?loud",
            r"noisy",
            r"squeak(?:s|y|ing)?",
            r"crackl(?:es|ing)",
        ),
    ),
    Aspect(
        "performance",
        "how it performs",
        neutral=(
            r"works?",
            r"working",
            r"performance",
            r"perform(?:s|ed|ing)?",
            r"suction",
            r"heats?(?: up)?",
            r"grip",
            r"signal",
            r"connection",
            r"sync(?:ing|s)?",
            r"bluetooth",
            r"software",
            r"app",
            r"camera",
            r"keys",
            r"wick",
            r"switch(?:es)?",
            r"clicks?",
            r"display",
            r"screen",
        ),
        praise=(
            r"works? (?:perfectly|great|well|like a charm)",
            r"grippy",
            r"heats? (?:up )?(?:fast|quickly|evenly)",
            r"accurate(?:ly)?",
            r"stable",
        ),
        complaint=(
            r"stopped (?:working|syncing)",
            r"(?:doesn't|does not|didn't|won't) work",
            r"crash(?:es|ing)",
            r"overheat(?:s|ed|ing)",
            r"double clicks?",
            r"leak(?:s|ed|ing)?",
            r"kinks?",
            r"clumps?",
            r"tunnell?ed",
            r"sticks to",
        ),
    ),
    Aspect(
        "setup",
        "the setup and instructions",
        neutral=(
            r"instructions?",
            r"manual",
            r"set ?up",
            r"assembl(?:y|e|ed|ing)",
            r"install(?:ation|ed|ing)?",
            r"(?<!size )(?<!sizing )guide",  # the size guide is about sizing, not setup
        ),
        praise=(r"easy to (?:assemble|set up|install|follow)", r"clear instructions"),
        complaint=(
            r"confusing",
            r"hard to (?:assemble|set up|install|follow)",
            r"bolts? (?:was |were )?missing",
        ),
    ),
    Aspect(
        "ease_of_use",
        "how easy it is to use",
        neutral=(r"easy to use", r"ease of use", r"user[- ]friendly"),
        praise=(r"easy to (?:use|learn|clean|carry)", r"easily", r"rolls up easily"),
        complaint=(
            r"hard to (?:use|squeeze|clean|open|close|read|see)",
            r"fiddly",
            r"difficult to (?:use|open|clean)",
        ),
    ),
    Aspect(
        "service",
        "our service",
        neutral=(r"customer service", r"customer care", r"support team", r"seller", r"service"),
        complaint=(
            r"no reply",
            r"no response",
            r"never (?:replied|answered|responded)",
            r"support is (?:useless|terrible|awful|poor)",
            r"ignored",
        ),
    ),
    Aspect(
        "safety",
        "safety",
        neutral=(r"safety", r"safe"),
        complaint=(r"dangerous", r"unsafe", r"burn(?:t|ed)?", r"hazard", r"scary"),
    ),
    Aspect(
        "completeness",
        "the missing parts",
        complaint=(r"missing", r"not included", r"incomplete"),
    ),
    Aspect(
        "accuracy",
        "how it matched the listing",
        neutral=(
            r"description",
            r"listing",
            r"as advertised",
            r"as described",
            r"photos?",
            r"label",
        ),
        complaint=(
            r"misleading",
            r"not as (?:described|advertised|pictured)",
            r"nothing like the description",
            r"wrong (?:size|colou?r|item)",
            r"instead of",
        ),
    ),
)
