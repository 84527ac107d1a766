"""No defensiveness: no blaming, denying, appealing to other customers, lecturing or arguing.

Patterns are grouped by the kind of defence they describe (each kind has its
reason and advice below), and a few draft-level rules catch defences no
single phrase gives away: a troubleshooting order, or an explanation, that
stands in for an apology and an offer.
"""

import re
from dataclasses import dataclass

from saypro.coaching.guidelines import content
from saypro.coaching.guidelines.base import Draft, compile_any, make_finding
from saypro.coaching.guidelines.phrases import APOLOGY, POSITIVE_ACK, RUDE, TAUTOLOGY, UNDERSTANDING
from saypro.coaching.results import Finding, Span
from saypro.coaching.review import Tone
from saypro.coaching.text import quoted


@dataclass(frozen=True)
class Defence:
    """A kind of defensive phrase (``kind`` is a KIND_REASONS key) and when it counts.

    ``only_against_complaints``: "it is true to size" is defensive only as a
    reply to a complaint. ``not_after_negation``: "your fault" is blame, "not
    your fault" is kindness.
    """

    kind: str
    pattern: re.Pattern
    only_against_complaints: bool = False
    not_after_negation: bool = False


@dataclass(frozen=True)
class DefensivePhrase:
    kind: str
    span: Span


_FEELINGS = (
    r"(?:been (?:so |very |really |quite |incredibly )?(?:disappointed|"
    r"frustrated|upset|annoyed|let down|worried|"
    r"shocked|surprised|embarrassed|concerned|inconvenienced|told|"
    r"informed|contacted|sent|given|warned|offered|"
    r"refunded|notified|updated|scary|awful|stressful|frustrating|"
    r"disappointing|embarrassing)|felt|found|received|"
    r"got|gotten|expected|hoped|wanted|liked|loved|enjoyed|had (?:a|an|to) |to )"
)
_CUSTOMER_ACTIONS = (
    r"(?:read|follow|check|measure|use|trim|wash|clean|charge|store|"
    r"handle|look|choose|select|order|notice|"
    r"install|assemble|bother|pay attention|set|register|update|remove|unroll|unpack)"
)
_FAILURES = (
    r"(?:break|breaks|broke|fail|fails|tear|tears|crack|cracks|happen|"
    r"happens|fade|fades|shrink|shrinks|peel|"
    r"peels|warp|warps|leak|leaks|kink|kinks|clump|clumps|stick|sticks|"
    r"wobble|wobbles|pill|pills|scratch|"
    r"scratches|bend|bends|rip|rips|stain|stains|occur|occurs|disappear|"
    r"disappears|burn|burns|overheat|"
    r"overheats|smudge|smudges|fray|frays)"
)
_HANDLED = (
    r"(?:\w+ed|\w+en|held|kept|left|put|worn|hung|stored|spun|shut|"
    r"set|cut|overloaded|dropped|bent|stretched|"
    r"washed|used|plugged)"
)
_THIRD_PARTIES = (
    r"(?:courier|carrier|postal service|post office|delivery company|"
    r"delivery service|manufacturer|supplier|"
    r"brand|factory|printer|publisher|network provider|internet provider|"
    r"your (?:wifi|router|provider|network|"
    r"neighbour's \w+|isp))"
)
_LISTING = (
    r"(?:product |item |full )?(?:description|listing|size (?:chart|"
    r"guide)|sizing (?:chart|guide)|instructions|"
    r"manual|care (?:label|instructions)|label|faqs?|guide|quick start guide|"
    r"details|specifications|specs|"
    r"photos|pictures|terms)"
)

# Blame placed on the customer: what they should have done, or did wrong.
BLAME = (
    rf"\byou(?:'ve)? (?:should|could|must|might|may|need to|needed to|"
    rf"ought to)(?:n't| not)? (?:have|'ve) (?!{_FEELINGS})\w+",
    rf"\byou (?:obviously |clearly |probably |must have )?(?:didn't|"
    rf"did not|failed to|forgot to|neglected to|never) {_CUSTOMER_ACTIONS}\w*",
    r"\byou(?:'re| are| were) (?:obviously|clearly|probably|likely|evidently) \w+ing\b",
    rf"\byou(?:'ve| have|'d| had)? (?:probably|likely|clearly|obviously|"
    rf"evidently|must've|must have) (?!{_FEELINGS})\w+",
    r"\b(?:it|they|this|these|the \w+) (?:was|were) (?:probably|likely|"
    r"clearly|obviously|evidently|simply) (?:\w+ed|\w+en)\b",
    r"\bthe way (?:you|it was|they were) (?:used|washed|charged|handled|"
    r"stored|installed|treated|cleaned|dried)\b",
    r"\b(?:misuse[d]?|mis-used|mishandl\w+|mistreat\w*)\b",
    r"\b(?:when|if) (?:it's |it is |they're |they are |the \w+ is |"
    r"the \w+ are )?(?:made|used|washed|installed|assembled|handled|"
    r"stored|charged|cleaned|applied|prepared|cooked|worn|set up|hung|"
    r"fitted|followed|mixed|unrolled|read|measured|maintained|operated) (?:\w+ )?(?:correctly|"
    r"properly|right|as directed|as instructed|as intended|according to)\b",
    rf"\b{_FAILURES} (?:only )?(?:if|when|because) (?:you|people|customers|"
    rf"users|the customer|(?:it|they)(?:'s|'re| is| are) (?:not |being )?{_HANDLED})",
    r"\byou (?:must|might|may|could) be (?:doing|using|charging|washing|"
    r"holding|storing|handling|reading|installing|wearing) (?:it |"
    r"them |something |this )?(?:wrong|incorrectly|improperly)?",
    r"\b(?:doing|did|done|using|used|holding|held) (?:something|it|"
    r"that|this|them) (?:wrong|incorrectly|improperly)\b",
    r"\bdepends (?:entirely |mostly |largely )?on (?:how|your|the way you|what you)\b",
    r"\b(?:caused by|due to|down to|because of|means|the result of)\b[^.!?]{0,50}\bnot (?:the|"
    r"our|a fault|by (?:us|the))\b",
    r"\b(?:caused by|due to|down to|because of|(?:normally|usually|"
    r"often|always) means)\b[^.!?]{0,40}\b(?:your|you|you're|the customer's)\b",
    r"\b(?:down to|due to|caused by|because of|(?:the )?result of) (?:(?:your|"
    r"the|improper|incorrect|wrong|poor|careless|rough|bad) )*(?:use|"
    r"usage|handling|washing|care|application|installation|storage|"
    r"charging|cleaning|technique|maintenance|user|settings?)\b",
    r"\b(?:can be|are often|tend to be|are) (?:very |quite |a bit |"
    r"too )?(?:rough|careless|hard) (?:with|on)\b",
    r"(?<!sent )(?<!send )(?<!gave )(?<!sold )(?<!shipped )(?<!posted )(?<!delivered )"
    r"\byou (?!can\b|"
    r"could\b|get\b|got\b|receive\b|will\b|'ll\b|deserve\b)(?:\w+ ){0,3}(?:properly|"
    r"correctly|the wrong way|incorrectly|improperly|wrongly)\b",
    r"\byou (?:probably |obviously |clearly )?(?:ordered|chose|picked|"
    r"selected|bought) (?:the |a )?(?:wrong|incorrect)\b",
    r"\bif you(?:'d| had)? (?:read|followed|checked|measured|looked at|"
    r"used it|washed it|trimmed|had (?:read|followed|checked|measured))\b",
    r"\bif you follow (?:the|our) (?:instructions|guide|manual|quick start|"
    r"care|directions)\b",
    r"\b(?:a|it's a|that's a) (?:very )?common (?:mistake|error|misunderstanding)\b",
    r"\byour (?:screen|monitor|display|phone|device|browser)(?:'s)? (?:\w+ )?(?:is|are|was|"
    r"may|might|must|could|probably|shows?|displays?|renders?|settings?)\b",
    r"\b(?:this|that|it)(?:'s| is) (?:just |simply |exactly )?what happens (?:when|if)\b",
)
# "your fault" is blame; "not your fault" is kindness.
BLAME_UNLESS_NEGATED = (r"\b(?:your|customer|user|operator|human) (?:error|mistake|fault)\b",)
# Telling the customer what they should have read or done.
LECTURE = (
    r"\b(?:children|toddlers|kids|babies|pets|dogs|cats|users|customers|"
    r"buyers|people|owners|parents) (?:should|must|need to) (?:always |"
    r"never |be )",
    r"\b(?:measure|check|read|test|try it) (?:\w+ )?(?:carefully )?before (?:ordering|"
    r"buying|hanging|using|use|washing|installing|purchasing|fitting)\b",
    rf"(?:^|[.!?]\s+|\n|,\s*)(?:please |kindly |just )?(?:read|check|consult|"
    rf"follow|refer to|see|review|study) (?:the|our) {_LISTING}\b",
    rf"\b(?:read|check|consult|follow|refer to|look at|review) (?:the|"
    rf"our) {_LISTING}\b[^.!?]{{0,40}}\b(?:next time|before (?:ordering|"
    rf"buying|purchasing|you (?:buy|order|use|leave))|carefully|properly|"
    rf"first|in future|again)\b",
    r"\b(?:as|like) (?:we |it |was |is )?(?:clearly |already |plainly )?(?:stated|"
    r"mentioned|explained|described|shown|noted|indicated|specified|"
    r"written|said|advertised|listed|pictured)(?: clearly)? (?:in|"
    r"on|under|at) (?:the|our)\b",
    rf"\bas per (?:the|our) (?:[\w-]+ )?(?:{_LISTING}|card|leaflet|"
    rf"insert|box)\b|(?<!if )\bit (?:says|states) (?:on|in) the\b",
    r"\b(?:which|as|like|that) (?:we|it) (?:clearly |already )?(?:mention|"
    r"state|explain|note|say|describe|list|show|specif)\w* (?:clearly )?(?:in|"
    r"on|under|at) (?:the|our)\b",
    r"\b(?:is|are|was|were|it's) (?:clearly |plainly |already )?(?:stated|"
    r"written|explained|mentioned|shown|listed|specified|printed|indicated|"
    r"described)(?: clearly)? (?:in|on) (?:the|our)\b",
    r"\b(?:description|listing|label|box|packaging|manual|instructions|"
    r"size chart|size guide|product page|it) (?:clearly|plainly) (?:states|"
    r"says|shows|mentions|explains|specifies|indicates)\b",
    r"\byou (?:need|have|ought|will need) to (?:understand|realise|"
    r"realize|know|remember|accept|appreciate|be aware|note|read|follow|"
    r"check|update|measure|trim|wash|clean|charge|store|handle|position|"
    r"install|register|allow|wait|give|unroll|rub|push|hang|apply|"
    r"use|stop)\b",
    r"\byou (?:should|must) (?:understand|know|realise|realize|remember|"
    r"accept|appreciate|be aware|read|follow|check|measure)\b",
    r"\b(?:people|customers|buyers|users|nobody|no one) (?:never|don't|"
    r"do not|rarely|seldom) (?:read|follow|check|measure)\b",
    r"\bbefore (?:judging|complaining|leaving (?:a|this|your|such a|"
    r"any) (?:[\w-]+ )?(?:review|rating|comment)|you (?:leave|post|"
    r"write) (?:a|this|your|such a) (?:[\w-]+ )?(?:review|rating|comment)|"
    r"posting (?:a|this|your) (?:review|rating))",
    r"\bdid you (?:actually |even |really |not |bother to |even bother to )?(?:read|"
    r"look at|check|follow|try|measure)\b",
    r"\b(?:for your information|fyi|just so you know|for the record|"
    r"let me be clear|to set the record straight|we must point out|"
    r"we have to point out|we(?:'d| would) like to point out|we(?:'d|"
    r" would) like to remind you|we must remind you|please understand that|"
    r"please be aware that|you should know)\b",
    r"\b(?:is|are|was|were|it's|they're) (?:\w+ ){0,4}(?:there )?for a reason\b",
)
# Denial of fault, or fault passed to someone else.
DENIAL = (
    r"\bnot (?:our|the seller's|the store's|my|the shop's) (?:fault|"
    r"problem|responsibility|doing|issue|error|mistake|concern)\b",
    r"\b(?:we|i)(?:'re| are| were|'m| am| was) not (?:responsible|"
    r"to blame|at fault|liable|accountable)\b",
    r"\b(?:handled|caused|done) by (?:the )?(?:courier|carrier|post|"
    r"postal service|delivery company|manufacturer)\b",
    r"\b(?:not|never) (?:us|ours)\b",
    r"\bnothing (?:is )?wrong with (?:the|our|this|your|it)\b",
    r"\b(?:we|i) (?:have|had|hold|keep|can find|could find) no (?:record|trace|sign)s? of\b|"
    r"\b(?:we|i) (?:can't|cannot|couldn't|could not) find (?:any )?(?:record|trace)s? of\b",
    r"\b(?:that's|that is|this is|it's|it is|which is) (?:simply |"
    r"just |completely |totally |absolutely |definitely )?(?:not true|"
    r"untrue|false|incorrect|not correct|not accurate|inaccurate|not possible|"
    r"impossible|not the case|nonsense)\b",
    r"\b(?:our|the) (?:\w+ )?(?:system|team|staff|process|warehouse|"
    r"products?|\w+s) (?:doesn't|does not|never|don't|do not|cannot|"
    r"can't) (?:make mistakes|get (?:it|orders) wrong|fail|have (?:this|"
    r"that|any) (?:problem|issue))\b",
    r"\bwe (?:doubt|question|dispute|reject|deny|don't accept|do not accept|"
    r"don't believe|do not believe|find it hard to believe|cannot accept|"
    r"can't accept)\b",
    r"\b(?:was|were) (?:fine|perfect|intact|undamaged|in perfect condition|"
    r"checked|inspected|tested)(?: \w+){0,3} when (?:it|they) (?:left|"
    r"was dispatched|were dispatched|shipped|was shipped|were shipped)\b|"
    r"\bwhen (?:it|they) left (?:our|the) (?:warehouse|store|hands|"
    r"premises|factory)\b",
    r"\b(?:out of|beyond|outside(?: of)?) our (?:control|hands)\b|"
    r"\bnot something we can (?:control|help)\b|\b(?:can't|cannot) control\b",
    r"\b(?:is|are) (?:a |part of the )?(?:design feature|by design|"
    r"intentional|deliberate|a feature|meant to (?:be|look))\b",
    r"\b(?:is|are|was|were)(?:n't| not) the (?:problem|issue|cause)\b",
    r"\b(?:isn't|is not|wasn't|was not|not|no) (?:a |the )?(?:fault|"
    r"defect|problem|issue) (?:with|in|of) (?:our|the|this)\b",
    rf"\b(?:a )?(?:matter|issue|problem|question|responsibility|job) for "
    rf"(?:the )?{_THIRD_PARTIES}\b|"
    rf"\b{_THIRD_PARTIES}(?:'s)? (?:is |are |was )?(?:responsible|to blame|"
    rf"at fault|fault|error|problem|responsibility)\b",
    r"\b(?:inspected|checked|tested|quality[- ]checked)(?: \w+){0,2} before (?:dispatch|"
    r"shipping|it left|they left|sending)\b",
)
# Claims that the product is fine: defensive only as a reply to a complaint.
DENIAL_OF_A_DEFECT = (
    r"(?<!will )(?<!'ll )(?<!should )(?<!sure it )(?<!until it )(?<!hope it )(?<!ensure it )"
    r"\b(?:works|"
    r"worked) (?:fine|perfectly|properly|correctly|as intended|as designed|"
    r"just fine)\b",
    r"\b(?:is|are|was|were) (?:100% |completely |perfectly |definitely |"
    r"absolutely |totally |fully )?(?:genuine|authentic|true to size|"
    r"as described|as advertised|as pictured|accurate|flawless|not faulty|"
    r"not defective|microwave safe|dishwasher safe|waterproof|opaque|"
    r"in perfect condition)\b",
)
# Other customers as evidence against this one.
APPEAL_TO_OTHERS = (
    r"\b(?:no ?one|nobody|no other (?:customers?|buyers?|clients?|"
    r"people)|none of our (?:other )?(?:customers|buyers|clients))(?: else)?(?: (?:has|"
    r"have|had|is|was))?(?: ever)? (?:complained|reported|mentioned|"
    r"had|raised|experienced|found|returned|said)\b",
    r"\b(?:thousands|hundreds|millions|lots|most|many|all|other|every|"
    r"our other|plenty) (?:of )?(?:our )?(?:other )?(?:happy |satisfied |"
    r"loyal )?(?:customers|buyers|clients|people|users|shoppers|reviewers|"
    r"parents|families|owners)(?: \w+){0,2} (?:love|loved|like|liked|"
    r"enjoy|are happy|were happy|have no|had no|never|find|found|haven't|"
    r"rate|rave|say|agree|are satisfied|get|got|see|report|manage|"
    r"achieve)\b",
    r"\b(?:loved|used|trusted|bought|enjoyed|rated|praised) by (?:thousands|"
    r"hundreds|millions|many|most|countless|everyone|all)\b",
    r"\b(?:everyone|everybody) else\b",
    r"\byou(?:'re| are) the (?:only|first) (?:one|customer|person|buyer)\b",
    r"\bwithout (?:a single|any|one) (?:complaint|issue|problem|return)s?\b|"
    r"\bno other complaints?\b",
    r"\b(?:we|i)(?:'ve| have| had)? (?:never|not once|not|n't) (?:ever )?(?:had|received|"
    r"got|gotten|seen|heard of) (?:a |any |one )?(?:single )?(?:other )?(?:complaints?|"
    r"returns?)\b",
)
# "your responsibility" (but not "not your responsibility").
LECTURE_UNLESS_NEGATED = (
    r"\b(?:it(?:'s| is) )?(?:your|the customer's|the buyer's) (?:own )?(?:responsibility|"
    r"job|duty)\b",
)
# Arguing with the customer or playing the problem down.
ARGUMENT = (
    r"\bwe (?:strongly |respectfully |completely |must )?(?:disagree|"
    r"beg to differ|stand by)\b",
    r"(?:^|[.!?]\s+|\n|,\s*)(?:actually|in fact|frankly|to be fair),",
    r"\byour (?:review|claim|complaint|rating|comment|accusation)s? (?:is|"
    r"are|was|were|seems?) (?:unfair|false|misleading|inaccurate|wrong|"
    r"exaggerated|untrue|unjustified|incorrect|baseless|harsh|unreasonable)\b",
    r"\byou(?:'re| are| were) (?:(?:simply|just|clearly|completely|totally|quite) )?"
    r"(?:wrong|mistaken|lying|confused|incorrect|misinformed)\b",
    r"\b(?:stop|quit) (?:lying|complaining|whining|exaggerating|making things up)\b|"
    r"\bliars?\b",
    r"\b(?:you claim|you allege|you say that|so-called|supposedly|"
    r"allegedly|you seem to think)\b",
    r"\b(?:only|just|merely|simply) (?:a |an )?(?:very )?(?:minor|"
    r"small|tiny|slight|cosmetic|little)(?: \w+)? (?:issue|flaw|mark|"
    r"scratch|defect|problem|imperfection|blemish|difference|thing|"
    r"detail|variation)\b",
    r"\b(?:not|hardly|no) (?:a )?(?:big|huge|major) (?:deal|issue|problem)\b",
    r"\bdoesn't (?:really )?(?:affect|matter)\b",
    r"\b(?:what (?:do|did) you expect|you get what you pay for|for (?:that|"
    r"this|the) price,? what)\b",
    r"\b(?:(?:a )?matter of (?:taste|opinion|preference)|(?:heat|taste|"
    r"comfort|colour|color|sizing|smell|scent|fit) is (?:subjective|"
    r"personal))\b",
    r"\b(?:unreasonable|overreact\w*|exaggerat\w*|nitpick\w*|picky|fussy)\b",
    r"\b(?:sorry|apologies),? but\b[^.!?]*\?",
    TAUTOLOGY.pattern,
    RUDE.pattern,
)
# "It's normal" and the like: dismissive only as a reply to a complaint.
ARGUMENT_AGAINST_A_COMPLAINT = (
    r"\b(?:is|are|it's|that's|this is) (?:completely |perfectly |totally |"
    r"entirely |quite |very |actually )?(?:normal|expected|to be expected|"
    r"standard|usual|natural) (?:for|with|when|in|behaviour|behavior)\b|"
    r"\b(?:completely|perfectly|totally|entirely) normal\b",
    rf"\b(?:naturally|normally|inevitably|will always|always) {_FAILURES}\b",
)
# Sending the customer elsewhere.
DEFLECTION = (
    r"\b(?:direct|take|send|address) your (?:complaint|query|issue|"
    r"concerns?) to\b|\bcontact the (?:courier|manufacturer|publisher|"
    r"carrier|post office|brand|supplier|factory|printer|delivery company)\b",
)

DEFENCES = (
    *(Defence("blame", re.compile(p)) for p in BLAME),
    *(Defence("blame", re.compile(p), not_after_negation=True) for p in BLAME_UNLESS_NEGATED),
    *(Defence("denial", re.compile(p)) for p in DENIAL),
    *(Defence("denial", re.compile(p), only_against_complaints=True) for p in DENIAL_OF_A_DEFECT),
    *(Defence("appeal", re.compile(p), only_against_complaints=True) for p in APPEAL_TO_OTHERS),
    *(Defence("lecture", re.compile(p)) for p in LECTURE),
    *(Defence("lecture", re.compile(p), not_after_negation=True) for p in LECTURE_UNLESS_NEGATED),
    *(Defence("argument", re.compile(p)) for p in ARGUMENT),
    *(
        Defence("argument", re.compile(p), only_against_complaints=True)
        for p in ARGUMENT_AGAINST_A_COMPLAINT
    ),
    *(Defence("deflection", re.compile(p)) for p in DEFLECTION),
)

# A troubleshooting order standing in for an apology and an offer: "Clean it and try again."
FIX_IT_YOURSELF = re.compile(
    r"(?:^|[.!?]\s+|\n)(?:just |simply )?(?:clean|move|try|restart|"
    r"reset|reboot|recharge|charge|use|turn|wash|"
    r"unplug|plug|update|reinstall|tighten|loosen|push|press|hold|"
    r"store|keep|measure|read|follow|trim|rub|apply|"
    r"shake|soak|hang|remove|give it|make sure (?:you|it|the|your))\b[^.!?\n]*"
)
# Why-it-happened reasoning: an excuse when it comes with no apology, acknowledgement or offer.
EXPLANATION = re.compile(
    r"(?:,\s*|\band )so\b|\b(?:because|since|when|if|unless|as long as|"
    r"usually|normally|typically|generally|often|designed|rated|"
    r"meant|intended|tested|made to|depends|that's (?:just )?(?:how|what|why)|is why)\b"
)
LECTURE_TIME = re.compile(r"\b(?:next time|in future|in the future|from now on)\b")
LECTURE_IMPERATIVE = re.compile(
    r"\b(?:please|you should|you need to|make sure|remember to|be sure to|always|kindly)\b"
)
SELLER_PROMISE = re.compile(
    r"\b(?:we|we'll|we'd|we're|we've|let us|message us|contact us|our team)\b"
)
GLAD_OR_SORRY = compile_any(POSITIVE_ACK.pattern, APOLOGY.pattern)
# "Sorry, but it is accurate": the apology taken back before the claim.
SORRY_BUT = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b[^.!?]*\bbut\b")
NEGATION_BEFORE = re.compile(r"(?:not|n't|never)\s+(?:\w+\s+)?$")

ADVICE = {
    "blame": "Drop the blame: own the problem and say what you'll do about it.",
    "denial": "Don't argue about whose fault it was; apologise and put it right.",
    "appeal": "Leave other customers out of it; answer this customer's experience.",
    "lecture": "Don't tell them what they should have done; apologise, then offer any tip kindly.",
    "argument": "Don't argue or play the problem down; acknowledge their point and offer a fix.",
    "deflection": "Take ownership: sort it out with the courier or maker yourself.",
    "do_it_yourself": "Apologise and offer to put it right; a tip goes with an offer, not instead.",
    "explains_away": "Acknowledge the problem first; an explanation alone reads as an excuse.",
}
KIND_REASONS = {
    "blame": "Blames the customer",
    "denial": "Denies fault",
    "appeal": "Appeals to other customers",
    "lecture": "Lectures the customer",
    "argument": "Argues with or plays down the complaint",
    "deflection": "Sends the customer elsewhere",
    "do_it_yourself": "Leaves the customer to fix it",
    "explains_away": "Explains the problem away",
}


def defensive_phrases(draft: Draft) -> list[DefensivePhrase]:
    """Every defensive phrase in the draft, in draft order; computed once per draft (memoised)."""
    if "defensive" not in draft.memo:
        complaint = draft.profile.has_complaint or draft.profile.tone is not Tone.POSITIVE
        found = _phrase_defences(draft, complaint=complaint) + _draft_defences(
            draft, complaint=complaint
        )
        draft.memo["defensive"] = sorted(found, key=lambda phrase: phrase.span.start)
    return draft.memo["defensive"]


def _phrase_defences(draft: Draft, *, complaint: bool) -> list[DefensivePhrase]:
    found = []
    for defence in DEFENCES:
        if defence.only_against_complaints and not complaint:
            continue
        for match in defence.pattern.finditer(draft.folded):
            start, end = _trimmed(draft, *match.span())
            if start >= end:
                continue
            if defence.not_after_negation and NEGATION_BEFORE.search(
                draft.folded[max(0, start - 20) : start]
            ):
                continue
            if defence.only_against_complaints and _softened(draft, start):
                continue
            found.append(DefensivePhrase(defence.kind, draft.span(start, end)))
    return found


def _draft_defences(draft: Draft, *, complaint: bool) -> list[DefensivePhrase]:
    """Defences no single phrase gives away; they depend on what else the draft says."""
    found = []
    helps = _offers_help(draft)
    if complaint and not helps and not APOLOGY.search(draft.folded):
        for match in FIX_IT_YOURSELF.finditer(draft.folded):
            start, end = _trimmed(draft, *match.span())
            found.append(DefensivePhrase("do_it_yourself", draft.span(start, end)))
    acknowledged = APOLOGY.search(draft.folded) or UNDERSTANDING.search(draft.folded)
    for start, end in draft.sentences:
        sentence = draft.folded[start:end]
        if (
            complaint
            and not helps
            and not acknowledged
            and EXPLANATION.search(sentence)
            and not content.ANY_THANKS.match(sentence)
        ):
            found.append(DefensivePhrase("explains_away", draft.span(start, end)))
        if (
            LECTURE_TIME.search(sentence)
            and LECTURE_IMPERATIVE.search(sentence)
            and not SELLER_PROMISE.search(sentence)
        ):
            found.append(DefensivePhrase("lecture", draft.span(start, end)))
    return found


def _softened(draft: Draft, start: int) -> bool:
    """The claim at ``start`` sits in a sentence that is glad or sorry ("sorry it is not as
    accurate as…"), unless the apology is taken back before it ("sorry, but it is…")."""
    sentence_start, _ = draft.sentence_of(start)
    return bool(GLAD_OR_SORRY.search(draft.sentence_text(start))) and not SORRY_BUT.search(
        draft.folded[sentence_start:start]
    )


def _trimmed(draft: Draft, start: int, end: int) -> tuple[int, int]:
    """A match without the punctuation and spaces a sentence-start anchor pulled in."""
    while start < end and not draft.folded[start].isalnum():
        start += 1
    return start, end


def _offers_help(draft: Draft) -> bool:
    return any(
        pattern.search(draft.folded)
        for pattern in (content.OFFER, content.PLATFORM_CONTACT, content.INVITATION)
    )


def check_no_defensiveness(draft: Draft) -> Finding:
    phrases = defensive_phrases(draft)
    if not phrases:
        return make_finding(
            "no_defensiveness",
            "pass",
            reason="No blaming, arguing, dismissing or lecturing.",
        )
    kinds = list(dict.fromkeys(phrase.kind for phrase in phrases))
    first = {kind: next(p.span for p in phrases if p.kind == kind) for kind in kinds}
    reason = " ".join(f"{KIND_REASONS[kind]}: {quoted(first[kind].text)}." for kind in kinds[:2])
    return make_finding(
        "no_defensiveness",
        "fail",
        spans=[phrase.span for phrase in phrases],
        reason=reason,
        suggestion=" ".join(ADVICE[kind] for kind in kinds[:2]),
    )
