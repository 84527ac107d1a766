"""Kinds of language several checks look for: apologies, acknowledgement, sarcasm, rudeness.

Each pattern runs on the folded draft (lower case, straight quotes; see
saypro.coaching.text.fold) and describes a kind of phrase rather than
listing sentences, so it catches phrasings the coach has never seen.
"""

import re

from saypro.coaching.guidelines.base import compile_any

APOLOGY = compile_any(
    r"\b(?:sorry|apologi[sz]e[sd]?|apologies|apology|forgive us)\b",
    r"\b(?:we|i) (?:deeply |truly |sincerely )?regret\b",
    r"\b(?:our|my) (?:mistake|fault|bad|error)\b",
    r"\bthat's on us\b",
    r"\bwe (?:let you down|messed up|got (?:it|this|that) wrong|dropped the ball)\b",
)

NON_APOLOGY = compile_any(
    r"\bsorry (?:that |if )?(?:you|anyone) (?:feel|felt) (?:that|this) way\b",
    r"\bsorry (?:that |if )?(?:you|anyone) (?:think|thought|believe|see it|saw it|perceive)\b",
    r"\bsorry (?:that |if )?you(?:'re| are| were) (?:upset|unhappy|offended|not happy)\b",
    r"\bsorry for your (?:perception|opinion|feelings?)\b",
    r"\bsorry not sorry\b",
)

CONDITIONAL_APOLOGY = compile_any(
    r"\b(?:sorry|apologi[sz]e) if\b",
    r"\b(?:sorry|apologi[sz]e|apologies) for any inconvenience\b",
)

UNDERSTANDING = compile_any(
    r"\b(?:we|i)(?:'d| do| can| completely| totally| fully| really| certainly)* understand\b",
    r"\bunderstandabl[ey]\b",
    r"\b(?:we|i) hear you\b",
    r"\b(?:sorry|sad|upset|concerned) to (?:hear|read|learn)\b",
    r"\b(?:how |so |really |very )?(?:frustrat|disappoint|annoy|upsett|inconvenien)\w*",
    r"\b(?:not|isn't|wasn't) (?:good enough|acceptable|ok|okay|ideal|"
    r"right|the (?:experience|standard|quality)|how|what you)\b",
    r"\bshould(?:n't| never| not) (?:happen|have happened|be the case|arrive)\b",
    r"\bmust have been\b",
    r"\b(?:can|could) (?:only )?imagine\b",
    r"\b(?:fair|good|valid|great) point\b|\bpoint taken\b",
    r"\byou(?:'re| are| were) (?:right|absolutely right|quite right)\b",
    r"\bthanks?(?: you)? (?:so much |very much )?for (?:flagging|pointing|"
    r"mentioning|raising|letting us know|telling us|the heads-up|the (?:\w+ )?tip|"
    r"highlighting|bringing|reporting|warning|being honest)\b",
    r"\b(?:(?:what a|such a|that's a|it's a) shame|unfortunate(?:ly)?|"
    r"a real concern|concerning|worrying|take (?:this|that|it|safety|"
    r"your \w+) (?:very )?seriously)\b",
)

POSITIVE_ACK = compile_any(
    r"\b(?:glad|delighted|thrilled|chuffed|overjoyed|pleased)\b(?! to (?:help|"
    r"assist|offer|send|replace|exchange|refund|arrange|swap|answer|"
    r"confirm|hear from you|have you back))",
    r"\bhappy (?:to (?:hear|read|know|see)|that|you|your|the|it|with|they|he|she)\b",
    r"\b(?:great|good|lovely|wonderful|fantastic|brilliant|amazing|"
    r"nice|awesome|excellent|so nice|so good|so lovely|fab|super) to (?:hear|"
    r"know|read|see)\b",
    r"\b(?:love|loved|we love) (?:that|hearing|to hear|reading|seeing|knowing|this)\b",
    r"\b(?:made|makes|make) (?:our|my) (?:day|week)\b",
    r"\bwarms? (?:our|my) hearts?\b",
    r"\bmeans (?:a lot|so much|the world)\b",
    r"\bmusic to our ears\b",
    r"\bblushing\b",
    r"\bwhat a (?:lovely|wonderful|great|kind|nice) (?:thing|review|message|note|comment)\b",
    r"\bcongratulations\b",
    r"\b(?:that's|that is|how|so) (?:brilliant|wonderful|great|lovely|fantastic|amazing|awesome)\b",
)

SARCASM = compile_any(
    r"\bthanks? (?:a lot |so much |very much )?for nothing\b",
    r"\bobviously\b(?! (?:thrilled|delighted|happy|glad|pleased|grateful|sorry|upset))",
    r"\bclearly,? (?:you|your|the customer|someone|somebody|some people)\b",
    r"\bgood luck with (?:that|this)\b",
    r"\bnice try\b",
    r"\b(?:yeah|sure),? right\b",
    r"\bif you say so\b",
    r"\bwhatever(?=\s*(?:[.!?]|$))",
    r"\bnews ?flash\b",
    r"\bwhat a (?:surprise|shock)\b",
    r"\b(?:funny|interesting) how\b",
    r"\bdid you (?:actually|even|really|even bother to|bother to) (?:read|look|check|try|bother)\b",
    r"\bsorry not sorry\b",
    r"\bwith (?:all )?due respect\b",
    r"\bno offen[cs]e\b",
    r"\b(?:genius|einstein|sherlock)\b",
    r"(?:^|[.!?]\s+|\n)seriously\b|\bseriously\?",
    r"\b(?:lol|lmao|rofl|haha+)\b",
    r"\breally\?",
)

# "It's a clock, it ticks." / "It's a weighted blanket, so obviously it's warm."
TAUTOLOGY = re.compile(
    r"\b(?:it's|it is|they're|they are) (?:a|an|just a|only a) (?:[\w-]+ ){0,3}[\w-]+, (?:so |"
    r"and )?"
    r"(?:of course |obviously |naturally )?(?:it|they)(?:'s|'re| is| are| will| does| do)? ?\w+"
    r"|\b(?:it's|it is|they're|they are) (?:a|an|just a|only a) (?:[\w-]+ ){0,3}[\w-]+, not (?:a|"
    r"an) [\w-]+"
)

RUDE = compile_any(
    r"\b(?:deal|live) with it\b",
    r"\bget over it\b",
    r"\bstop (?:complaining|whining|moaning|whinging)\b",
    r"\b(?:whining|moaning|whinging|whinge)\b",
    r"\bnot (?:our|my) problem\b",
    r"\b(?:shop|buy|go|look) (?:somewhere )?else(?:where)?\b",
    r"\b(?:shop|buy|go|order) elsewhere\b",
    r"\bdon't (?:buy|order|shop) (?:from us|again|here)\b",
    r"\btake it or leave it\b",
    r"\bwast(?:e|ing) (?:of )?our time\b",
    r"\byour \w+ (?:is|are|was|were) the (?:problem|issue)\b",
    r"\byou(?:'re| are) the problem\b",
    r"\b(?:learn to|educate yourself)\b",
    r"\bshut up\b",
)
