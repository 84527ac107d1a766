"""The words of the demo reviews: what buyers praise and complain about, and how sellers answer.

All of it written for this project. ``saypro.reviews.demo`` combines these
phrases with what a product is (its department, aisle, item and material,
from ``saypro.catalog.demo_vocabulary``) into reviews and answers.

Templates fill named slots and pick by grammatical number:

- ``{this}`` / ``{This}`` — "this dress" or "these sneakers"; ``{noun}`` — "dress";
- ``{it}`` / ``{It}`` — "it" or "they"; ``{a|b}`` — *a* for one thing, *b* for
  several ("{It} {fits|fit}", "{it's|they're}", "{it|them}");
- ``{material}`` — "linen", "full-grain leather" (a template that uses it is
  skipped for products without one); ``{store}``; ``{pet}`` — "dog", "cat";
- delivery only: ``{days}`` — "the next day", "in three days"; ``{day_count}`` — "9";
- answers also: ``{buyer}`` and ``{member}`` (first names), ``{order}`` (the
  order number), ``{topic}`` (what was praised), ``{issue}`` (what went wrong)
  and ``{fix}`` (what the store offers to do about it).

Phone numbers, email addresses and links appear only in ``HELD_ADDITIONS``:
anything else that matched ``saypro.reviews.moderation`` would be held.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Aspect:
    """Something a buyer can be pleased or unhappy about, and how a good seller answers it."""

    topic: str  # what a seller calls it when it is praised: "the fit"
    issue: str  # what a seller calls it when it went wrong: "the sizing"
    fix: str  # the next step a good answer offers: "exchange {it|them} for another size"
    glad: str  # a good answer's line when it is praised
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    praise_titles: tuple[str, ...] = ()
    complaint_titles: tuple[str, ...] = ()
    defensive: str = ""  # a poor answer that argues instead of helping


# fmt: off
ASPECTS: dict[str, Aspect] = {
    # --- Clothes, shoes and accessories -------------------------------------------
    "fit": Aspect(
        topic="the fit", issue="the sizing",
        fix="exchange {it|them} for another size at no cost to you",
        glad="Lovely to hear the fit is right; that matters a lot to us.",
        praise=(
            "{It} {fits|fit} true to size; I ordered my usual and {it's|they're} spot on.",
            "The fit is just right, not too tight and not baggy.",
            "The size guide was accurate, so I got the right size first time.",
            "{It} {fits|fit} like a glove.",
            "Lovely cut, and the length is perfect for my height.",
        ),
        complaints=(
            "{It} {runs|run} at least a size small, so order one up.",
            "The sizing is all over the place: my usual size is far too tight.",
            "Far too big, even though I followed the size guide to the letter.",
            "The cut is odd and bunches up at the waist.",
            "Much shorter than the photos suggest.",
        ),
        praise_titles=("Perfect fit", "True to size", "Fits beautifully"),
        complaint_titles=("Runs small", "Sizing is off", "Check the size guide"),
        defensive="The size guide is on the product page for a reason.",
    ),
    "shoe_fit": Aspect(
        topic="the fit", issue="the sizing",
        fix="swap {it|them} for another size, and we'll cover the courier",
        glad="Shoes that fit straight out of the box are exactly what we aim for. Thank you!",
        praise=(
            "True to size, with room for a thick sock.",
            "{It} {fits|fit} my wide feet without pinching anywhere.",
            "Comfortable from the first wear; not a single blister.",
            "I'm between sizes and went up one as the listing suggests. Perfect.",
        ),
        complaints=(
            "{It} {pinches|pinch} at the toes, even after a week of wearing {it|them} in.",
            "Half a size too small; the size guide needs fixing.",
            "The heel slips with every step.",
            "Too narrow for normal feet.",
        ),
        praise_titles=("Perfect fit", "Comfy from day one"),
        complaint_titles=("Size up", "Too narrow"),
        defensive="Our sizes follow the standard UK chart.",
    ),
    "fabric": Aspect(
        topic="the fabric", issue="the fabric",
        fix="send a replacement or refund you, whichever you prefer",
        glad="Thank you for noticing the fabric; we choose ours carefully.",
        praise=(
            "The {material} is soft and feels far more expensive than it was.",
            "Lovely weighty {material}; you can tell it's good quality.",
            "The fabric is beautiful and breathes well in the heat.",
            "Really good quality fabric, much nicer than what the big chains sell.",
        ),
        complaints=(
            "The {material} is much thinner than I expected; you can almost see through it.",
            "The fabric started pilling after the first wash.",
            "The fabric feels scratchy and cheap.",
            "The {material} creases if you so much as look at it.",
        ),
        praise_titles=("Beautiful fabric", "Quality fabric"),
        complaint_titles=("Thin fabric", "Cheap fabric"),
    ),
    "colour": Aspect(
        topic="the colour", issue="the colour",
        fix="exchange {it|them} for another colour or refund you",
        glad="The colour is one of our favourites too.",
        praise=(
            "The colour is exactly like the photos.",
            "Gorgeous colour, even nicer in person.",
            "The colour still looks as good as new after several washes.",
            "Such a rich colour; I get compliments every time.",
        ),
        complaints=(
            "The colour is much duller than in the photos.",
            "The colour in the pictures is nothing like what arrived.",
            "The colour ran in the first wash and stained my other things.",
            "The colour went dull within a month.",
        ),
        praise_titles=("Gorgeous colour", "Colour as pictured"),
        complaint_titles=("Not the colour shown", "Colour ran"),
        defensive="Screens show colours differently; that is not something we control.",
    ),
    "comfort": Aspect(
        topic="how comfortable {it is|they are}", issue="the comfort",
        fix="take {it|them} back and refund you in full",
        glad="We're really pleased {it's|they're} comfortable; that's the whole point.",
        praise=(
            "Super comfortable; I wore {it|them} all day without noticing.",
            "So comfortable that I'm already eyeing another one.",
            "Comfortable from the very first day.",
            "Incredibly comfy, even on a long day.",
        ),
        complaints=(
            "Not comfortable at all after an hour or so.",
            "{It} {rubs|rub} in all the wrong places.",
            "Stiff and uncomfortable; I hoped {it|they} would soften, but no luck.",
        ),
        praise_titles=("So comfortable", "Comfy"),
        complaint_titles=("Uncomfortable",),
    ),
    "stitching": Aspect(
        topic="the workmanship", issue="the stitching",
        fix="send you a replacement straight away",
        glad="The team finishes every piece by hand and will be thrilled to hear this.",
        praise=(
            "The stitching is neat and even; you can see the care that went into {it|them}.",
            "Beautifully made, with a proper finish on the inside too.",
            "Really well put together, no loose threads anywhere.",
        ),
        complaints=(
            "A seam came apart after the second wear.",
            "Loose threads everywhere, and one seam is crooked.",
            "The stitching is already coming undone along the edge.",
        ),
        praise_titles=("Beautifully made", "Quality workmanship"),
        complaint_titles=("Poor stitching", "Falling apart"),
    ),
    "washing": Aspect(
        topic="how {it washes|they wash}", issue="the shrinking",
        fix="replace {it|them} or refund you",
        glad="Good to hear {it|they} came through the wash looking new.",
        praise=(
            "Washes well and comes out of the machine looking new.",
            "Still looks brand new after a dozen washes.",
        ),
        complaints=(
            "Shrank a full size in the first cold wash, even following the care label.",
            "After one wash {it|they} {looks|look} old and bobbly.",
            "Lost {its|their} shape completely in the wash.",
        ),
        complaint_titles=("Shrank in the wash",),
    ),
    # --- Things for the home ---------------------------------------------------------
    "material": Aspect(
        topic="the {material}", issue="the quality of the {material}",
        fix="send a replacement or refund you",
        glad="Thank you! We work hard to find good {material}.",
        praise=(
            "The {material} is top quality: solid and beautifully finished.",
            "You can feel the quality of the {material} the moment you pick {it|them} up.",
            "The {material} looks even better in real life.",
            "Gorgeous {material}, already wearing in nicely.",
        ),
        complaints=(
            "The {material} feels cheap, nothing like the description.",
            "The {material} scratched within days.",
            "The finish on the {material} is patchy in places.",
        ),
        praise_titles=("Beautiful quality",),
        complaint_titles=("Cheap materials",),
    ),
    "build": Aspect(
        topic="the build quality", issue="the build quality",
        fix="send a replacement right away",
        glad="Good to hear {it|they} feel{s|} solid; we check every batch ourselves.",
        praise=(
            "Feels solid and well made, nothing flimsy about {it|them}.",
            "Build quality is excellent for the price.",
            "Sturdy and nicely finished.",
            "Much better made than I expected.",
        ),
        complaints=(
            "Feels flimsy and cheap in the hand.",
            "One part arrived cracked and another was loose.",
            "The plastic creaks, and the finish is uneven.",
            "Wobbly and poorly made.",
        ),
        praise_titles=("Solid and well made", "Great quality"),
        complaint_titles=("Flimsy", "Poor quality"),
        defensive="We check every item before it leaves. It was fine when we sent it.",
    ),
    "durability": Aspect(
        topic="how {it has|they have} held up", issue="{it|them} breaking so soon",
        fix="replace {it|them} under our guarantee",
        glad="Great to hear {it's|they're} holding up so well.",
        praise=(
            "Still going strong after months of daily use.",
            "{It} {feels|feel} like {it'll|they'll} last for years.",
            "I've used {it|them} every day for weeks and {it|they} still {looks|look} new.",
            "Survived a lot of rough treatment already.",
        ),
        complaints=(
            "Broke within two weeks of normal use.",
            "{It's|They're} already falling apart after a month.",
            "Started wearing through after just a few uses.",
            "Snapped the third time I used {it|them}.",
        ),
        praise_titles=("Built to last", "Still going strong"),
        complaint_titles=("Broke quickly", "Didn't last"),
        defensive="This does not happen with normal use.",
    ),
    "size": Aspect(
        topic="the size", issue="the size",
        fix="take {it|them} back and refund you, or help you choose a better size",
        glad="It's lovely to hear the size works for your space.",
        praise=(
            "The size is perfect, exactly the measurements on the listing.",
            "Bigger than I expected, in a good way.",
            "Fits our space perfectly.",
        ),
        complaints=(
            "Much smaller than {it looks|they look} in the photos.",
            "Check the measurements: {it's|they're} smaller than I imagined.",
            "Far too big for the space, and the listing didn't make the size clear.",
        ),
        complaint_titles=("Smaller than expected",),
        defensive="The measurements are clearly stated in the listing.",
    ),
    "softness": Aspect(
        topic="the softness", issue="the texture",
        fix="swap {it|them} or refund you",
        glad="Soft is exactly what we were going for.",
        praise=(
            "Incredibly soft, and {it|they} only get{s|} softer with each wash.",
            "Soft and cosy, exactly what I wanted.",
            "So soft that the whole family fights over {it|them}.",
        ),
        complaints=(
            "Stiff and rough, even after washing {it|them} twice.",
            "Not nearly as soft as I hoped for the price.",
        ),
        praise_titles=("So soft", "Cosy"),
        complaint_titles=("Rough and stiff",),
    ),
    "absorbency": Aspect(
        topic="how well {it dries|they dry}", issue="the absorbency",
        fix="send a replacement from a different batch",
        glad="Thirsty towels are the best towels; thank you.",
        praise=(
            "Soaks up water well and dries quickly on the line.",
            "Feels like a hotel towel and soaks up everything.",
        ),
        complaints=(
            "Barely absorbs anything; it just pushes the water around.",
            "Takes forever to dry and smells musty.",
        ),
    ),
    "looks": Aspect(
        topic="how {it looks|they look}", issue="the finish",
        fix="arrange a free return and a full refund",
        glad="We love hearing where our pieces end up.",
        praise=(
            "{It} {looks|look} stunning in our lounge; everyone asks where {it's|they're} from.",
            "Even prettier in real life than in the photos.",
            "Beautiful design, a real statement piece.",
            "Looks far more expensive than {it was|they were}.",
        ),
        complaints=(
            "Looks nothing like the photos; the finish is dull and uneven.",
            "Looks a lot cheaper in person than online.",
            "The finish has marks and small chips.",
        ),
        praise_titles=("Stunning", "Beautiful piece"),
        complaint_titles=("Not like the photos",),
    ),
    "assembly": Aspect(
        topic="the assembly", issue="the assembly trouble",
        fix="courier any missing parts and send clearer instructions",
        glad="Good to know our instructions help; we rewrote them last year.",
        praise=(
            "Easy to put together; took about twenty minutes with the instructions.",
            "Arrived almost fully assembled; I just had to screw on the legs.",
            "Clear instructions, and every screw was there.",
        ),
        complaints=(
            "The assembly instructions are useless, and two screws were missing.",
            "Took two of us over an hour to assemble, and the holes didn't line up.",
        ),
        complaint_titles=("Missing parts",),
        defensive="Thousands of customers have assembled it without any problem.",
    ),
    "light": Aspect(
        topic="the light", issue="the light",
        fix="send a replacement",
        glad="Good light makes such a difference; thank you.",
        praise=(
            "Gives a lovely warm light, perfect for reading.",
            "Bright and even, with no flicker at all.",
            "Plenty of light, and the settings are easy to change.",
        ),
        complaints=(
            "Far too dim to be useful.",
            "The light flickers now and then.",
            "Harsh, cold light that looks nothing like the photos.",
        ),
    ),
    "sharpness": Aspect(
        topic="the edge", issue="the edge",
        fix="sharpen {it|them} for free or send a replacement",
        glad="A proper edge is everything; enjoy it.",
        praise=(
            "Razor sharp out of the box and stays that way.",
            "Cuts cleanly with hardly any effort.",
        ),
        complaints=(
            "Blunt after a week of light use.",
            "Arrived blunt, with a nick in the edge.",
        ),
    ),
    "cooking": Aspect(
        topic="how {it cooks|they cook}", issue="the cooking problems",
        fix="send our care guide, or a replacement if it's faulty",
        glad="Nothing beats a good meal from good gear.",
        praise=(
            "Holds heat beautifully and cooks evenly.",
            "Perfect chops every time, and it cleans up easily.",
            "Made the best potjie we've had in years.",
        ),
        complaints=(
            "Heats unevenly, so half the food burns.",
            "Food sticks no matter what I do.",
        ),
    ),
    # --- Beauty ----------------------------------------------------------------------
    "scent": Aspect(
        topic="the scent", issue="the scent",
        fix="refund you, or send a sample of another scent to try",
        glad="This made our day: we blend every scent ourselves.",
        praise=(
            "The scent is gorgeous: fresh and natural, not overpowering.",
            "Smells divine; the {material} comes through beautifully.",
            "Love the smell; people keep asking what I'm wearing.",
            "Such a calming scent.",
        ),
        complaints=(
            "The scent is far too strong and gave me a headache.",
            "Smells synthetic, not natural at all.",
            "The scent disappears within minutes.",
        ),
        praise_titles=("Smells amazing", "Gorgeous scent"),
        complaint_titles=("Overpowering scent",),
    ),
    "texture": Aspect(
        topic="the texture", issue="the texture",
        fix="replace {it|them} from a fresh batch",
        glad="Thank you! We worked hard on that texture.",
        praise=(
            "Lovely light texture that sinks in quickly and isn't greasy.",
            "Rich and creamy; a little goes a long way.",
            "Silky texture, and one pot lasts for ages.",
        ),
        complaints=(
            "The texture is gloopy and sticky.",
            "Separated in the tub, with oil floating on top.",
            "Greasy, and it just sits on top of the skin.",
        ),
    ),
    "skin": Aspect(
        topic="the results", issue="the reaction",
        fix="refund you in full",
        glad="Happy skin is the best review we could ask for.",
        praise=(
            "My skin feels softer and calmer after just a week.",
            "Gentle on my sensitive skin, with no reaction at all.",
            "A visible difference after a month of using {it|them} every night.",
        ),
        complaints=(
            "Broke me out within days, so I had to stop using {it|them}.",
            "Made my skin red and itchy.",
            "Didn't notice any difference after a month.",
        ),
        praise_titles=("My skin loves it", "Gentle and effective"),
        complaint_titles=("Broke me out",),
    ),
    "hair": Aspect(
        topic="the results", issue="how {it|they} worked on your hair",
        fix="refund you, or suggest one better suited to your hair",
        glad="Good hair days all round, then!",
        praise=(
            "My curls have never been this defined.",
            "Hair feels soft and shiny, and the frizz is gone.",
            "Finally a product that doesn't weigh my hair down.",
        ),
        complaints=(
            "Left my hair greasy and flat.",
            "Dried my hair out badly.",
        ),
        praise_titles=("Great hair days",),
    ),
    "lasting": Aspect(
        topic="how long {it lasts|they last}", issue="how quickly {it fades|they fade}",
        fix="refund you or send another to try",
        glad="Thank you! All-day wear is what we promise.",
        praise=(
            "Lasts all day, even in this heat.",
            "Still there at the end of a long day.",
        ),
        complaints=(
            "Gone within an hour.",
            "Doesn't last at all; I have to reapply constantly.",
        ),
        praise_titles=("Lasts all day",),
        complaint_titles=("Doesn't last",),
    ),
    "shade": Aspect(
        topic="the shade", issue="the shade",
        fix="exchange {it|them} for another shade",
        glad="Finding the right shade is half the battle; we're so glad.",
        praise=(
            "The shade is a perfect match for my skin tone.",
            "Beautiful pigment; one layer is enough.",
        ),
        complaints=(
            "The shade is far darker than the swatch online.",
            "Patchy, with barely any colour.",
        ),
        complaint_titles=("Wrong shade",),
    ),
    # --- Electronics -----------------------------------------------------------------
    "performance": Aspect(
        topic="the performance", issue="the problems you've had",
        fix="help you troubleshoot {it|them}, or replace {it|them} if {it's|they're} faulty",
        glad="That's exactly how {it|they} should work; thanks for letting us know.",
        praise=(
            "Works flawlessly; set {it|them} up in minutes and haven't had a problem since.",
            "Fast and reliable, and does exactly what it says.",
            "Performance is excellent for the price.",
            "Does the job perfectly every single day.",
        ),
        complaints=(
            "Keeps disconnecting every few minutes.",
            "Stopped working properly after a week.",
            "Much slower than advertised.",
            "Works only some of the time, which is worse than not at all.",
        ),
        praise_titles=("Works perfectly", "Does the job"),
        complaint_titles=("Stopped working", "Unreliable"),
        defensive="It works perfectly when it is used correctly.",
    ),
    "battery": Aspect(
        topic="the battery life", issue="the battery",
        fix="replace {it|them}: a battery like that is faulty",
        glad="Great to hear! Battery life is the first thing we check.",
        praise=(
            "Battery life is excellent; I charge {it|them} about once a week.",
            "The battery easily lasts a full day of heavy use.",
            "A lifesaver during load-shedding; the battery just keeps going.",
        ),
        complaints=(
            "The battery barely lasts half of what's advertised.",
            "The battery drains even when {it's|they're} switched off.",
            "Takes forever to charge.",
        ),
        praise_titles=("Great battery life",),
        complaint_titles=("Poor battery life", "Battery dies fast"),
    ),
    "charging": Aspect(
        topic="the charging speed", issue="the charging problem",
        fix="replace {it|them}",
        glad="Fast and cool is exactly how it should charge.",
        praise=(
            "Charges my phone really fast.",
            "Charges quickly and stays cool.",
        ),
        complaints=(
            "Charges slower than my old cheap one and gets hot.",
            "Stopped charging reliably after a few weeks.",
        ),
    ),
    "sound": Aspect(
        topic="the sound", issue="the sound quality",
        fix="check the settings with you, or replace {it|them}",
        glad="Enjoy the music; that's what it's for.",
        praise=(
            "The sound is rich and clear, with plenty of bass.",
            "Sounds amazing for the price; vocals are crisp.",
            "Fills the whole room without distorting.",
        ),
        complaints=(
            "The sound is tinny and distorts at higher volumes.",
            "There's a constant hiss in the background.",
        ),
        praise_titles=("Great sound",),
        complaint_titles=("Tinny sound",),
    ),
    "setup": Aspect(
        topic="the set-up", issue="the set-up trouble",
        fix="walk you through the set-up step by step",
        glad="Easy set-up was a big reason we chose to stock {it|them}.",
        praise=(
            "Set-up was a breeze; paired with my phone in a minute.",
            "The app is simple, and everything connected first time.",
        ),
        complaints=(
            "Setting {it|them} up was a nightmare, and the app keeps crashing.",
            "Wouldn't pair with my phone at all.",
        ),
        complaint_titles=("Set-up nightmare",),
    ),
    "pictures": Aspect(
        topic="the picture quality", issue="the picture quality",
        fix="check the settings with you, or replace {it|them}",
        glad="We'd love to see some of those photos!",
        praise=(
            "Sharp, bright pictures, even in low light.",
            "The picture quality is far better than I expected.",
        ),
        complaints=(
            "Pictures come out blurry and washed out.",
            "Grainy picture as soon as the light drops.",
        ),
    ),
    # --- Sport and outdoors ----------------------------------------------------------
    "weight": Aspect(
        topic="how light {it is|they are}", issue="the weight",
        fix="take {it|them} back for a full refund",
        glad="Every gram counts; we're glad you noticed.",
        praise=(
            "Light enough that I barely notice {it|them}.",
            "Really light and packs down small.",
        ),
        complaints=(
            "Much heavier than advertised.",
            "Bulky and heavy for what it is.",
        ),
    ),
    "waterproof": Aspect(
        topic="the waterproofing", issue="the leak",
        fix="replace {it|them} under our guarantee",
        glad="Dry gear after a storm is the best test there is.",
        praise=(
            "Stayed bone dry in a proper Cape storm.",
            "Kept everything dry in a full day of rain.",
        ),
        complaints=(
            "Leaked in the first light rain.",
            "Not waterproof at all, whatever the label says.",
        ),
        complaint_titles=("Not waterproof",),
    ),
    "grip": Aspect(
        topic="the grip", issue="the grip",
        fix="replace {it|them} or refund you",
        glad="A good grip makes all the difference; thank you.",
        praise=(
            "Great grip, even with sweaty hands.",
            "Comfortable handle that's easy on the hands.",
        ),
        complaints=(
            "Slippery as soon as it gets wet.",
            "The handle gives me blisters.",
        ),
    ),
    # --- Kids, toys and games ----------------------------------------------------------
    "kids_joy": Aspect(
        topic="how much the little ones enjoy {it|them}", issue="the age guidance",
        fix="take {it|them} back for a refund",
        glad="Happy kids make for a happy team here too!",
        praise=(
            "The kids absolutely love {it|them}.",
            "My son's face lit up when he opened {it|them}.",
            "Keeps the little ones busy for hours.",
            "My daughter asks for {it|them} every single day.",
        ),
        complaints=(
            "The kids lost interest after a day.",
            "Too complicated for the age on the box.",
        ),
        praise_titles=("The kids love it", "A hit with the kids"),
    ),
    "safety": Aspect(
        topic="the safety", issue="the safety concern",
        fix="refund you straight away and look into it with our supplier",
        glad="Thank you! Safety comes first for us too.",
        praise=(
            "Feels safe: smooth edges and no small parts coming loose.",
            "Non-toxic finish with smooth, rounded edges; exactly what I want for a toddler.",
        ),
        complaints=(
            "A small piece came off within a day, which worries me with a toddler.",
            "Sharp edges that I had to sand down myself.",
        ),
    ),
    "pieces": Aspect(
        topic="the quality of the pieces", issue="the missing pieces",
        fix="send the missing pieces by courier",
        glad="We love hearing about family game nights.",
        praise=(
            "The pieces are thick and fit together snugly.",
            "Lovely chunky pieces that will survive years of game nights.",
        ),
        complaints=(
            "Two pieces were missing from the box.",
            "The pieces are thin and already bending.",
        ),
        complaint_titles=("Missing pieces",),
    ),
    # --- Food and drink ----------------------------------------------------------------
    "taste": Aspect(
        topic="the taste", issue="the taste",
        fix="refund you and send a fresh batch to try",
        glad="Wonderful to hear you enjoyed it; we make every batch by hand.",
        praise=(
            "Absolutely delicious; the whole family loved {it|them}.",
            "Lekker! Tastes homemade in the best way.",
            "Full of flavour without being too salty.",
            "The best {noun} I've had in years.",
        ),
        complaints=(
            "Bland, with hardly any flavour.",
            "Far too salty to enjoy.",
            "Tastes stale and a bit off.",
        ),
        praise_titles=("Delicious", "Lekker", "So tasty"),
        complaint_titles=("Bland", "Tastes off"),
    ),
    "freshness": Aspect(
        topic="the freshness", issue="the freshness",
        fix="send a fresh replacement straight away",
        glad="Fresh is the whole plan; we make every order to order.",
        praise=(
            "Arrived really fresh, with a best-before date months away.",
            "Super fresh; you can tell it's made in small batches.",
        ),
        complaints=(
            "Arrived close to its best-before date.",
            "Not fresh at all; dry and hard.",
        ),
        complaint_titles=("Not fresh",),
    ),
    "aroma": Aspect(
        topic="the aroma", issue="the aroma",
        fix="send a fresh replacement from this week's batch",
        glad="That first whiff when you open the bag is the best part.",
        praise=(
            "The aroma when you open the bag is incredible.",
            "Smells wonderful; the whole kitchen fills with it.",
        ),
        complaints=(
            "Hardly any aroma, as if it had been on a shelf for months.",
        ),
    ),
    "portion": Aspect(
        topic="the portion", issue="the quantity",
        fix="make up the difference on your next order",
        glad="We like to be generous; enjoy!",
        praise=(
            "Generous portion for the price.",
            "Plenty to share, and then some.",
        ),
        complaints=(
            "The bag was barely half full.",
            "A smaller quantity than I expected for the price.",
        ),
    ),
    "presentation": Aspect(
        topic="the presentation", issue="the presentation",
        fix="send a replacement for anything that was damaged",
        glad="Thank you! We wrap every gift by hand.",
        praise=(
            "Beautifully presented; perfect as a gift.",
            "Came in a lovely box, so no need to wrap it.",
        ),
        complaints=(
            "Looked thrown together, not something I'd give as a gift.",
            "Everything had shifted inside, and the ribbon was crushed.",
        ),
        praise_titles=("Perfect gift",),
    ),
    # --- Books, stationery and art ---------------------------------------------------------
    "story": Aspect(
        topic="the story", issue="the story",
        fix="take it back and suggest another title you might enjoy more",
        glad="Nothing beats a book you can't put down.",
        praise=(
            "Couldn't put it down; finished it in a weekend.",
            "Beautifully written, and the characters stay with you.",
            "A lovely, gentle story with a real sense of place.",
        ),
        complaints=(
            "The story drags in the middle, and I gave up halfway.",
            "Predictable plot and flat characters.",
        ),
        praise_titles=("Couldn't put it down", "A beautiful read"),
        complaint_titles=("Slow read",),
    ),
    "content": Aspect(
        topic="the content", issue="the content",
        fix="take it back for a refund",
        glad="The author will be thrilled to hear it.",
        praise=(
            "Well researched, with gorgeous photographs.",
            "Full of things I didn't know, and easy to read.",
        ),
        complaints=(
            "Thin on content for the price.",
            "Lots of photos but very little text.",
        ),
    ),
    "print": Aspect(
        topic="the print quality", issue="the printing fault",
        fix="send a replacement copy",
        glad="Good paper makes all the difference; thank you.",
        praise=(
            "Lovely heavy paper, and the binding is solid.",
            "Beautifully printed; it looks great on the coffee table.",
        ),
        complaints=(
            "Several pages were printed crooked.",
            "The binding cracked the first time I opened it.",
        ),
    ),
    "illustrations": Aspect(
        topic="the illustrations", issue="the printing",
        fix="send a replacement copy",
        glad="The illustrator will love hearing this.",
        praise=(
            "The illustrations are gorgeous; we spot something new every time.",
            "Beautiful pictures that keep my toddler fascinated.",
        ),
        complaints=(
            "The illustrations are fuzzy, like a bad photocopy.",
        ),
    ),
    "colours": Aspect(
        topic="the colours", issue="the colours",
        fix="replace the set",
        glad="We'd love to see what you make with them.",
        praise=(
            "The colours are rich and blend beautifully.",
            "Great pigment for the price.",
        ),
        complaints=(
            "Chalky colours that barely show on paper.",
            "Half the colours are nearly identical.",
        ),
    ),
    # --- Garden and pets ---------------------------------------------------------------
    "plant_health": Aspect(
        topic="how healthy {it is|they are}", issue="the state {it|they} arrived in",
        fix="send a replacement plant",
        glad="Happy growing! Send us a photo once it settles in.",
        praise=(
            "Arrived healthy and well packed, and has already put out new leaves.",
            "A strong, healthy plant, much bigger than I expected.",
        ),
        complaints=(
            "Arrived with yellow leaves, and half the soil had spilled out.",
            "Died within two weeks despite following the care card.",
        ),
        praise_titles=("Healthy plant",),
        complaint_titles=("Arrived damaged",),
    ),
    "weather": Aspect(
        topic="how {it stands|they stand} up to the weather", issue="the weather damage",
        fix="replace {it|them} under our guarantee",
        glad="Built for our weather, and good to hear it shows.",
        praise=(
            "Has been outside through a winter of storms and still looks new.",
            "Still looks new, even at the coast.",
        ),
        complaints=(
            "Rusted after the first rain.",
            "Cracked after one cold night outside.",
        ),
    ),
    "pet_joy": Aspect(
        topic="how much your {pet} enjoys {it|them}", issue="how your {pet} took to {it|them}",
        fix="refund you, no return needed",
        glad="Give your {pet} a scratch from all of us!",
        praise=(
            "Our {pet} went straight for {it|them} and hasn't stopped since.",
            "Our {pet} loves {it|them}; worth every cent.",
            "Even our fussy {pet} approves.",
        ),
        complaints=(
            "Our {pet} won't go near {it|them}.",
            "Our {pet} lost interest after a day.",
        ),
        praise_titles=("Our {pet} loves it", "Approved by our {pet}"),
    ),
    "toughness": Aspect(
        topic="how tough {it is|they are}", issue="how quickly {it|they} got destroyed",
        fix="replace {it|them} with our heavy-duty version",
        glad="Surviving a determined {pet} is the real test!",
        praise=(
            "Has survived months of our {pet}'s best efforts.",
            "Tough enough for even the most determined chewer.",
        ),
        complaints=(
            "Our {pet} had {it|them} in pieces within an hour.",
            "Not nearly as tough as the listing claims.",
        ),
    ),
    # --- Any product -----------------------------------------------------------------------
    "delivery": Aspect(
        topic="the delivery", issue="the slow delivery",
        fix="look into what went wrong with the courier",
        glad="We're glad {it|they} reached you so quickly.",
        praise=(
            "Arrived {days}, well before I expected.",
            "Delivered {days}; very impressed.",
            "Quick delivery: it was with me {days}.",
            "Fast delivery and the courier was friendly.",
        ),
        complaints=(
            "Took {day_count} days to arrive, with no updates in between.",
            "Delivery was slow: {day_count} days, and I had to chase it.",
            "{day_count} days for delivery is far too long.",
        ),
        praise_titles=("Fast delivery", "Quick service"),
        complaint_titles=("Slow delivery",),
        defensive="Delivery times depend on the courier, not on us.",
    ),
    "packaging": Aspect(
        topic="the packaging", issue="the packaging",
        fix="send a replacement and have a word with our packers",
        glad="Thank you for noticing! We pack every order by hand.",
        praise=(
            "Beautifully packed, with no plastic in sight.",
            "Packed with care and arrived in perfect condition.",
            "Lovely packaging, with a handwritten thank-you note.",
        ),
        complaints=(
            "Arrived in a crushed box with {it|them} rattling around inside.",
            "The box arrived crushed, with one corner dented.",
            "Far too much plastic packaging for such a small order.",
        ),
        praise_titles=("Beautifully packed",),
        complaint_titles=("Arrived damaged",),
        defensive="It was packed properly when it left us.",
    ),
    "value": Aspect(
        topic="the value", issue="the price",
        fix="offer you a partial refund",
        glad="Good things at a fair price is what we're about.",
        praise=(
            "Excellent value for money.",
            "Worth every cent.",
            "Cheaper than the shops and better quality.",
        ),
        complaints=(
            "Overpriced for what you get.",
            "Not worth the money; the same thing is half the price at the mall.",
            "For this price I expected a lot more.",
        ),
        praise_titles=("Great value", "Worth every cent"),
        complaint_titles=("Overpriced", "Not worth the money"),
        defensive="Our prices are fair for the quality.",
    ),
    "described": Aspect(
        topic="how closely {it matches|they match} the listing",
        issue="the difference from the listing",
        fix="arrange a free return and a full refund",
        glad="Thank you! We try hard to describe things honestly.",
        praise=(
            "Exactly as described and pictured.",
            "Just like the photos, no surprises.",
        ),
        complaints=(
            "Not as described; the listing promised more than this.",
            "Doesn't look like the pictures at all.",
        ),
        praise_titles=("Exactly as described",),
        complaint_titles=("Not as described",),
        defensive="Everything is described clearly on the product page.",
    ),
    "service": Aspect(
        topic="our service", issue="the messages we missed",
        fix="sort it out personally",
        glad="It's a pleasure to help; thank you.",
        praise=(
            "Great communication from {store}; they kept me updated the whole way.",
            "{store} answered my question within the hour.",
        ),
        complaints=(
            "Sent the store two messages and heard nothing back.",
            "No reply from the seller when I asked about my order.",
        ),
        praise_titles=("Great service",),
        complaint_titles=("No reply from the seller",),
    ),
    # --- The story products' problems (see STORIES) ------------------------------------
    # Worded so the insights analysis reads them as meant, whatever else a review says: a
    # broken zip and an overheating charger always with words of "Quality & durability"
    # ("broke", "snapped", "came apart", "overheats"), so their rise is that theme's; running
    # small always as "Fit & size", the theme the improvement plan measures.
    "zipper": Aspect(
        topic="the zip", issue="the broken zip",
        fix="send a replacement or refund you, whichever you prefer",
        glad="Good to hear the zip is holding up.",
        praise=(
            "The zip runs smoothly and feels sturdy.",
        ),
        complaints=(
            "The zip broke after a week.",
            "The zip broke the first time I sat down.",
            "The zipper snapped on the second wear.",
            "The zip pull snapped off in my hand.",
            "The zip came apart at the bottom within days.",
            "The zip has already broken, so I can't wear {it|them}.",
            "The zipper fell apart after three wears.",
        ),
        complaint_titles=("Zip broke", "The zip gave up", "Broken zip"),
        defensive="None of our other customers has had a problem with the zip.",
    ),
    "overheating": Aspect(
        topic="how cool {it stays|they stay}", issue="the overheating",
        fix="replace {it|them} straight away, or refund you if you prefer",
        glad="Good to hear {it stays|they stay} cool.",
        praise=(
            "Stays cool, even when charging fast.",
        ),
        complaints=(
            "{It} {overheats|overheat} after ten minutes of charging.",
            "{It} {overheats|overheat} so badly I'm scared to leave {it|them} plugged in.",
            "Overheats within a few minutes and gets too hot to touch.",
            "{It} {overheats|overheat} every time I use {it|them}.",
            "The {noun} overheated and cut out twice.",
            "{It} {overheats|overheat} and {gets|get} burning hot within minutes.",
        ),
        complaint_titles=("Overheats", "Gets far too hot", "Too hot to touch"),
        defensive="It is normal for chargers to get warm.",
    ),
    "runs_small": Aspect(
        topic="the new sizing", issue="the sizing",
        fix="exchange {it|them} for the next size up at no cost to you",
        glad="So glad the new sizing works for you; we changed our pattern this year.",
        praise=(  # said only after the new sizing shipped
            "The new sizing is spot on: I ordered my usual size and {it fits|they fit} perfectly.",
            "They've fixed the sizing: my usual size fits perfectly now.",
            "Finally true to size; my usual size fits perfectly.",
        ),
        complaints=(
            "{It} {runs|run} at least a size small.",
            "Far too tight; {it runs|they run} a size small.",
            "The sizing is way off: {it runs|they run} small.",
            "Way too small, the sizes are wrong.",
            "{It's|They're} a full size too small.",
            "Too small; the sizing is at least one size under.",
        ),
        complaint_titles=("Runs small", "Size up", "Sizing is off"),
        defensive="The size guide is on the product page for a reason.",
    ),
}
# fmt: on


@dataclass(frozen=True)
class StoryWords:
    """What the reviews of a story product (``saypro.catalog.demo.STORIES``) say.

    ``problem`` is the aspect of its planted complaint; ``quiet`` are ordinary aspects its
    reviews do not complain about, so the problem stands out (a product that runs small gets
    no other fit complaints, a charger that overheats no other defects); ``suggestions``
    are the keys of what its buyers ask for (see ``SUGGESTIONS``).
    """

    problem: str
    quiet: tuple[str, ...]
    suggestions: tuple[str, ...]


STORIES: dict[str, StoryWords] = {
    "zipper": StoryWords(
        "zipper", ("stitching", "washing", "fabric", "colour"), ("pocket", "longer length", "navy")
    ),
    "overheating": StoryWords(
        "overheating",
        ("durability", "charging", "build", "performance", "battery"),
        ("longer cable", "pouch", "second port"),
    ),
    "sizing": StoryWords("runs_small", ("fit", "washing"), ("pocket", "more colours")),
}

# What each aisle's products are praised and complained about (by the aisle's slug).
AISLE_ASPECTS: dict[str, tuple[str, ...]] = {
    "womens-clothing": ("fit", "fabric", "colour", "comfort", "stitching", "washing"),
    "mens-clothing": ("fit", "fabric", "colour", "comfort", "stitching", "washing"),
    "shoes": ("shoe_fit", "comfort", "material", "durability", "colour"),
    "bags-leather-goods": ("material", "stitching", "size", "durability", "colour"),
    "jewellery": ("looks", "material", "durability", "presentation"),
    "accessories": ("fabric", "colour", "comfort", "stitching"),
    "kitchen-dining": ("material", "looks", "durability", "size"),
    "bedding-linen": ("softness", "fabric", "size", "washing", "colour"),
    "decor": ("looks", "size", "material", "colour"),
    "furniture": ("assembly", "build", "looks", "size"),
    "lighting": ("light", "looks", "assembly", "build"),
    "bath": ("softness", "absorbency", "fabric", "washing", "colour"),
    "skincare": ("skin", "texture", "scent"),
    "hair-care": ("hair", "scent", "texture"),
    "fragrance": ("scent", "lasting", "presentation"),
    "bath-body": ("scent", "skin", "texture"),
    "make-up": ("shade", "lasting", "texture"),
    "phones-accessories": ("build", "performance", "durability"),
    "audio": ("sound", "performance", "build", "setup"),
    "computer-accessories": ("performance", "build", "setup", "comfort"),
    "smart-home": ("setup", "performance", "build"),
    "cameras": ("build", "performance", "durability"),
    "gaming": ("performance", "build", "comfort", "durability"),
    "hiking-camping": ("durability", "weight", "build", "waterproof"),
    "cycling": ("build", "durability", "comfort"),
    "running": ("comfort", "fit", "durability", "weight"),
    "fitness": ("build", "durability", "grip"),
    "water-sports": ("durability", "build", "comfort"),
    "team-sports": ("build", "durability", "grip"),
    "baby": ("softness", "safety", "washing", "kids_joy"),
    "toys": ("kids_joy", "safety", "build", "durability"),
    "kids-clothing": ("fit", "fabric", "washing", "colour", "kids_joy"),
    "school": ("durability", "size", "kids_joy", "build"),
    "games-puzzles": ("kids_joy", "pieces", "build"),
    "coffee-tea": ("taste", "aroma", "freshness"),
    "pantry": ("taste", "freshness", "portion"),
    "sweets-baking": ("taste", "freshness", "portion"),
    "biltong-snacks": ("taste", "freshness", "portion"),
    "spices-sauces": ("taste", "aroma", "portion"),
    "hampers-gifts": ("presentation", "taste", "freshness"),
    "fiction": ("story", "print"),
    "non-fiction": ("content", "print"),
    "childrens-books": ("kids_joy", "illustrations", "print"),
    "stationery": ("build", "looks", "print"),
    "art-supplies": ("colours", "build"),
    "plants": ("plant_health", "size"),
    "pots-planters": ("looks", "weather", "size", "material"),
    "garden-tools": ("build", "grip", "weather", "durability"),
    "outdoor-furniture": ("assembly", "weather", "comfort", "build"),
    "braai-fire": ("cooking", "build", "weather"),
    "dogs": ("pet_joy", "toughness", "size", "durability"),
    "cats": ("pet_joy", "toughness", "size"),
    "small-pets": ("pet_joy", "build", "size"),
    "aquatics": ("performance", "build", "setup"),
    "pet-grooming": ("pet_joy", "build", "durability"),
}

# More aspects for particular items (by the item's name without its pack size).
ITEM_ASPECTS: dict[str, tuple[str, ...]] = {
    "power bank": ("battery", "charging"),
    "USB-C cable": ("charging",),
    "wall charger": ("charging",),
    "wireless charging pad": ("charging",),
    "charging dock": ("charging",),
    "wireless earbuds": ("battery", "comfort"),
    "over-ear headphones": ("battery", "comfort"),
    "Bluetooth speaker": ("battery",),
    "gaming headset": ("sound", "comfort"),
    "wireless mouse": ("battery",),
    "controller": ("battery",),
    "video doorbell": ("battery", "pictures"),
    "security camera": ("pictures",),
    "webcam": ("pictures",),
    "action camera": ("battery", "pictures"),
    "instant camera": ("pictures",),
    "backup power station": ("battery", "charging"),
    "rechargeable LED lantern": ("battery", "light"),
    "smart bulb": ("light",),
    "ring light": ("light",),
    "headlamp": ("battery", "light"),
    "bike light set": ("battery", "light"),
    "GPS running watch": ("battery",),
    "aquarium LED light": ("light",),
    "chef's knife": ("sharpness", "grip"),
    "pruning shears": ("sharpness",),
    "casserole pot": ("cooking",),
    "camp stove": ("cooking",),
    "daypack": ("waterproof", "comfort"),
    "two-person tent": ("waterproof", "assembly"),
    "dry bag": ("waterproof",),
    "gaming chair": ("assembly",),
    "wetsuit": ("fit",),
    "rash vest": ("fit",),
    "cycling jersey": ("fit",),
    "trail running shoes": ("shoe_fit",),
    "school shoes": ("shoe_fit",),
    "yoga mat": ("grip",),
    "dog bed": ("washing", "softness"),
    "cat bed": ("softness",),
    "pet shampoo": ("scent",),
    "pet cologne": ("scent",),
}

# Shared by every product, drawn less often than the product's own aspects.
COMMON_ASPECTS = ("delivery", "packaging", "value", "described", "service")

# Customer suggestions, by the key ``saypro.insights.suggestions.suggestion_key`` gives
# every wording of it, so the insights pages count them together.
# fmt: off
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "pocket": (
        "Wish {it|they} had pockets.", "I'd love {it|them} with pockets.",
        "If only {it|they} had pockets!", "Really needs pockets.",
    ),
    "longer length": (
        "Would be perfect in a longer length.", "Please make {it|them} in a longer length.",
        "I wish {it|they} came in a longer length.",
    ),
    "navy": (
        "Please make {it|them} in navy.", "Would love {it|them} in navy.",
        "Wish {it|they} came in navy too.",
    ),
    "more colours": (
        "Would love {it|them} in more colours.", "Please make {it|them} in more colours!",
        "Wish {it|they} came in more colours.",
    ),
    "more sizes": (
        "Please make {it|them} in more sizes.", "Would love more sizes.",
        "Wish {it|they} came in more sizes.",
    ),
    "wide fit": (
        "Please make a wide fit.", "Would love a wide fit.", "Wish {it|they} came in a wide fit.",
    ),
    "inside pocket": (
        "Wish {it|they} had an inside pocket.", "Would love an inside pocket.",
        "An inside pocket would be handy.",
    ),
    "shoulder strap": ("A shoulder strap would be handy.", "Wish {it|they} had a shoulder strap."),
    "longer chain": (
        "Would love a longer chain.", "Please make a longer chain.",
        "Wish {it|they} came on a longer chain.",
    ),
    "gift box": (
        "Would love a gift box.", "Please include a gift box.",
        "Wish {it|they} came in a gift box.",
    ),
    "lid": (
        "Would be great with a lid.", "A lid would be nice.", "Wish {it|they} came with a lid.",
    ),
    "bigger size": (
        "Would love a bigger size.", "Please make a bigger size.",
        "Wish {it|they} came in a bigger size.",
    ),
    "dimmer": ("Please add a dimmer.", "A dimmer would be nice."),
    "timer": ("Please add a timer.", "Would love a timer.", "A timer would be handy."),
    "unscented": (
        "Would love an unscented version.", "Please make an unscented version.",
        "Wish there was an unscented version.",
    ),
    "bigger pot": ("Would love a bigger pot.", "Please sell a bigger pot."),
    "bigger bottle": (
        "Would love a bigger bottle.", "Please sell a bigger bottle.",
        "Wish {it|they} came in a bigger bottle.",
    ),
    "travel size": ("Would love a travel size.", "Please make a travel size."),
    "refill": ("Please offer a refill.",),
    "more shades": (
        "Would love more shades.", "Please make more shades!", "Wish there were more shades.",
    ),
    "longer cable": (
        "Needs a longer cable.", "Would be perfect with a longer cable.",
        "Please include a longer cable.", "It would be great if it came with a longer cable.",
    ),
    "pouch": (
        "Would be nice if {it|they} came with a pouch.", "Wish {it|they} came with a little pouch.",
    ),
    "second port": (
        "Would love a second port.", "Wish {it|they} had a second port.",
        "A second port would be handy.",
    ),
    "carry case": (
        "Would be great if {it|they} came with a carry case.", "Please include a carry case.",
        "Wish {it|they} came with a carry case.",
    ),
    "more pieces": ("Would love more pieces.", "Please add more pieces."),
    "bigger bag": (
        "Please make a bigger bag.", "Would love a bigger bag.", "Wish there was a bigger bag.",
    ),
    "bigger jar": ("Would love a bigger jar.", "Please sell a bigger jar."),
    "more flavours": (
        "Would love more flavours.", "Please make more flavours!", "Wish there were more flavours.",
    ),
    "sequel": ("Would love a sequel!", "Wish there was a sequel.", "Please do a sequel."),
    "more photos": (
        "Would love more photos.", "Wish there were more photos.", "Please add more photos.",
    ),
    "drainage hole": (
        "Wish {it|they} had a drainage hole.", "Please add a drainage hole.",
        "A drainage hole would be handy.",
    ),
    "longer handle": ("Would love a longer handle.", "Wish {it|they} had a longer handle."),
    "cushion": ("Would be great with a cushion.", "Wish {it|they} came with a cushion."),
}
# fmt: on

# What buyers of each aisle's products ask for (keys of SUGGESTIONS); each product draws
# two of its aisle's, so the same requests come back on it.
AISLE_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "womens-clothing": ("pocket", "longer length", "navy", "more colours"),
    "mens-clothing": ("pocket", "navy", "more colours", "more sizes"),
    "shoes": ("wide fit", "more colours", "more sizes"),
    "bags-leather-goods": ("inside pocket", "shoulder strap", "more colours"),
    "jewellery": ("longer chain", "gift box"),
    "accessories": ("more colours", "navy"),
    "kitchen-dining": ("lid", "bigger size", "more colours"),
    "bedding-linen": ("more colours", "bigger size"),
    "decor": ("bigger size", "more colours"),
    "furniture": ("more colours", "bigger size"),
    "lighting": ("dimmer", "timer", "longer cable"),
    "bath": ("more colours", "bigger size"),
    "skincare": ("unscented", "bigger pot", "refill"),
    "hair-care": ("unscented", "bigger bottle", "refill"),
    "fragrance": ("bigger bottle", "travel size"),
    "bath-body": ("unscented", "bigger size", "refill"),
    "make-up": ("more shades", "refill"),
    "phones-accessories": ("longer cable", "pouch", "second port"),
    "audio": ("carry case", "longer cable"),
    "computer-accessories": ("longer cable", "carry case"),
    "smart-home": ("timer", "longer cable"),
    "cameras": ("carry case",),
    "gaming": ("longer cable", "more colours"),
    "hiking-camping": ("more colours", "bigger size", "carry case"),
    "cycling": ("more colours", "more sizes"),
    "running": ("more colours", "more sizes"),
    "fitness": ("carry case", "more colours"),
    "water-sports": ("more sizes", "more colours"),
    "team-sports": ("more colours", "more sizes"),
    "baby": ("more colours", "bigger size"),
    "toys": ("more pieces", "more colours"),
    "kids-clothing": ("more sizes", "pocket", "more colours"),
    "school": ("more colours", "bigger size"),
    "games-puzzles": ("more pieces",),
    "coffee-tea": ("bigger bag", "more flavours"),
    "pantry": ("bigger jar", "more flavours"),
    "sweets-baking": ("bigger bag", "more flavours"),
    "biltong-snacks": ("bigger bag", "more flavours"),
    "spices-sauces": ("bigger bottle", "more flavours"),
    "hampers-gifts": ("more flavours", "gift box"),
    "fiction": ("sequel",),
    "non-fiction": ("more photos",),
    "childrens-books": ("sequel",),
    "stationery": ("more colours", "bigger size"),
    "art-supplies": ("more colours", "bigger size"),
    "plants": ("bigger size",),
    "pots-planters": ("bigger size", "more colours", "drainage hole"),
    "garden-tools": ("longer handle",),
    "outdoor-furniture": ("more colours", "cushion"),
    "braai-fire": ("lid", "carry case"),
    "dogs": ("bigger size", "more colours"),
    "cats": ("bigger size", "more colours"),
    "small-pets": ("bigger size",),
    "aquatics": ("timer",),
    "pet-grooming": ("unscented", "bigger size"),
}

# What a buyer calls an item, where its catalogue name will not do.
ITEM_NICKNAMES = {
    "– paperback": "book",
    "– hardcover": "book",
    "– picture book": "book",
    "– board book": "book",
    "in 15 cm pot": "plant",
    "in 25 cm pot": "plant",
    "seed pack": "seeds",
    "onesie": "onesies",
    "dinner plates": "plates",
    "bookshelf speakers": "speakers",
}
# Words ending in "s" that are still one thing.
SINGULAR_ENDING_IN_S = frozenset({"canvas", "stretched canvas", "dress"})
# Materials of a product title that read badly as "the {material}".
NOT_MATERIALS = frozenset({"wooden", "synthetic"})
# Departments whose title words are flavours, places or plant names rather than materials.
DEPARTMENTS_WITHOUT_MATERIALS = frozenset({"Food & Drink", "Books & Stationery"})
AISLES_WITHOUT_MATERIALS = frozenset({"plants"})

PETS: dict[str, tuple[str, ...]] = {
    "dogs": ("dog", "pup", "Jack Russell", "Labrador", "rescue dog"),
    "cats": ("cat", "kitten", "old tom cat"),
    "small-pets": ("rabbit", "hamster", "budgie", "guinea pig"),
    "aquatics": ("fish",),
    "pet-grooming": ("dog", "cat", "Border Collie", "Maltese"),
}

NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip

# --- Reviews -------------------------------------------------------------------------

# The first sentence, by the number of stars.
OPENERS: dict[int, tuple[str, ...]] = {
    5: (
        "Absolutely love {this}.",
        "Really happy with {this}.",
        "What a find!",
        "Couldn't be happier with {this}.",
        "Second order from {store} and just as happy as the first time.",
        "Brilliant {noun}.",
        "Very impressed.",
        "Exactly what I was looking for.",
        "So glad I took a chance on {this}.",
        "Wow.",
        "I don't usually write reviews, but {this} deserve{s|} one.",
        "Five stars, no question.",
    ),
    4: (
        "Really nice {noun}.",
        "Very happy overall.",
        "Good quality {noun}.",
        "Pleased with {this}.",
        "Nearly perfect.",
        "A solid buy.",
        "{It} {does|do} exactly what I needed.",
        "Happy with my order from {store}.",
        "Would give four and a half stars if I could.",
    ),
    3: (
        "{This} {is|are} okay.",
        "Mixed feelings about {this}.",
        "Decent, but not amazing.",
        "It's fine for the price.",
        "Not bad, not great.",
        "An average {noun}.",
        "Three stars, and here's why.",
        "I wanted to love {this}.",
    ),
    2: (
        "Disappointed with {this}.",
        "Not great, unfortunately.",
        "I expected better from {store}.",
        "Eish, not what I hoped for.",
        "Had high hopes for {this}.",
        "Two stars, and I'm being generous.",
    ),
    1: (
        "Very disappointed.",
        "Terrible, sadly.",
        "Don't waste your money.",
        "Worst purchase I've made this year.",
        "Really unhappy with {this}.",
        "Avoid.",
        "One star because I can't give zero.",
    ),
}

# A sentence about why or when they bought it, for any product and then by department.
CONTEXTS = (
    "Bought {it|them} as a birthday present for my sister.",
    "Ordered {it|them} after a friend recommended {store}.",
    "I ordered {it|them} for myself, for once.",
    "Got {it|them} for my mom for Mother's Day.",
    "I've been looking for something like this for ages.",
    "Bought {it|them} as a treat after a long month.",
    "A gift for my husband, who is very hard to buy for.",
    "Ordered on a whim during a sale.",
)
DEPARTMENT_CONTEXTS: dict[str, tuple[str, ...]] = {
    "Fashion": (
        "Wore {it|them} to a friend's wedding last weekend.",
        "I needed something for the office that still feels relaxed.",
    ),
    "Home & Living": (
        "Bought {it|them} for our new flat.",
        "We're slowly redoing the house, one room at a time.",
    ),
    "Beauty": (
        "I have sensitive skin, so I'm always careful with new products.",
        "I've tried just about every brand out there.",
    ),
    "Electronics": (
        "Bought {it|them} to get through load-shedding.",
        "I work from home, so I use {it|them} every day.",
    ),
    "Sport & Outdoors": (
        "Used {it|them} on a hike up Table Mountain.",
        "Took {it|them} on a week of camping in the Cederberg.",
        "I'm training for my first Comrades.",
    ),
    "Kids": (
        "Bought {it|them} for my granddaughter's second birthday.",
        "Our twins are hard on everything.",
    ),
    "Food & Drink": (
        "Shared {it|them} at a braai with friends.",
        "Took {it|them} along on a road trip to the Karoo.",
        "Ordered {it|them} as a gift for my colleagues.",
    ),
    "Books & Stationery": (
        "Read it on holiday in Hermanus.",
        "Bought it for our book club.",
    ),
    "Garden": (
        "Our garden gets the full afternoon sun.",
        "We've just moved into a place with a proper garden.",
    ),
    "Pets": (
        "We have a very energetic {pet}.",
        "Our {pet} is spoilt rotten, as you can tell.",
    ),
}

# Long reviews: a sentence on why the reviewer is worth listening to, and a later update.
LONG_INTRODUCTIONS = (
    "I compared a few options before buying, and this one won on reviews and price.",
    "I waited to write this until I'd used {it|them} properly.",
    "I read all the other reviews before ordering, so here's my honest take.",
    "For context, I shop online a lot and I'm hard to please.",
    "I'll try to be fair, because I know small businesses depend on reviews.",
)
UPDATES: dict[int, tuple[str, ...]] = {
    5: (
        "Update after a month: still as good as the day {it|they} arrived.",
        "Update: I've since ordered another as a gift.",
    ),
    4: ("Update after a few weeks: still happy with {it|them}.",),
    3: ("Update after a few weeks: no real change; {it|they} {does|do} the job, nothing more.",),
    2: ("Update after two weeks: no better, unfortunately.",),
    1: (
        "Update after a week: it's gone from bad to worse.",
        "Update: I've asked for a refund through SayPro messages.",
    ),
}

# The last sentence, by the number of stars.
CLOSERS: dict[int, tuple[str, ...]] = {
    5: (
        "Would definitely buy again.",
        "Highly recommend {store}.",
        "Already planning my next order.",
        "10/10.",
        "Will be back for more.",
        "Thank you, {store}!",
        "Can't fault it.",
    ),
    4: (
        "Would still recommend.",
        "Happy overall.",
        "Good buy.",
        "I'd order from {store} again.",
    ),
    3: (
        "It's okay for the price.",
        "Not sure I'd order again.",
        "Average overall.",
        "Could be so much better with a few changes.",
    ),
    2: (
        "Expected better from {store}.",
        "Won't be ordering this again.",
        "Would not recommend at this price.",
        "Such a pity.",
    ),
    1: (
        "Very disappointed.",
        "Save your money.",
        "Still waiting for a reply about a refund.",
        "Avoid.",
        "Never again.",
    ),
}

# How a praise and a complaint are joined: "{praise}" + joiner + "{complaint}".
BUT_SAME_SENTENCE = (", but ", "; however, ", ", although ")
BUT_NEW_SENTENCE = ("However, ", "The only downside: ", "My one gripe: ", "That said, ", "But ")
# Before a story product's planted problem: plain words, which the analysis reads as meant.
BUT_PROBLEM = ("However, ", "But ", "Sadly, ")

# A whole review in a few words, by the number of stars (kept rare: they repeat).
SHORT_REVIEWS: dict[int, tuple[str, ...]] = {
    5: (
        "Love {it|them}!",
        "Perfect.",
        "Great quality, fast delivery.",
        "Excellent, thank you {store}!",
        "Highly recommend.",
        "Lekker!",
        "Lovely {noun}.",
    ),
    4: ("Good product.", "Happy with {it|them}.", "Nice {noun}, quick delivery.", "Pretty good."),
    3: ("It's okay.", "Does the job.", "Average.", "Meh."),
    2: ("Not great.", "Disappointing.", "Not what I expected."),
    1: ("Terrible.", "Don't buy.", "Rubbish quality."),
}

# Titles when none comes from an aspect, by the number of stars.
TITLES: dict[int, tuple[str, ...]] = {
    5: (
        "Love it", "Excellent", "Highly recommend", "Perfect {noun}", "Great buy", "Five stars",
        "Beautiful", "Better than expected", "So happy", "Brilliant",
    ),
    4: (
        "Very good", "Happy customer", "Good value", "Almost perfect", "Nice {noun}",
        "Good buy", "Pretty good",
    ),
    3: ("Okay", "Could be better", "Mixed feelings", "Average", "Decent for the price", "Meh"),
    2: ("Disappointing", "Not as expected", "Could be much better", "Not great", "Let down"),
    1: ("Avoid", "Very disappointed", "Waste of money", "Poor quality", "Terrible"),
}  # fmt: skip

# A sentence that breaks a moderation rule (contact details, a link, or a word on the
# profanity list); the review waits for a moderator. ``{phone}`` is a made-up number,
# ``{email}`` a made-up address, links point at reserved example domains.
HELD_ADDITIONS: tuple[tuple[str, int], ...] = (  # (template, highest rating it suits)
    ("Happy to send more photos: just WhatsApp me on {phone}.", 5),
    ("If anyone wants the measurements, email me at {email}.", 5),
    ("Found the same {noun} cheaper at www.example.com/deals, so compare before you buy.", 3),
    ("Full unboxing video here: https://video.example.net/unboxing", 5),
    ("Call the store on {phone} if they don't answer messages; that worked for me.", 3),
    ("Honestly, what a load of bollocks.", 2),
)

# What a reporter adds, by reason; "other" needs a note, the rest may leave it empty.
REPORT_NOTES: dict[str, tuple[str, ...]] = {
    "fake": (
        "",
        "I don't think this person bought the product.",
        "Same wording as several other reviews on this store.",
    ),
    "off_topic": ("", "This is about the courier, not the product."),
    "offensive": ("", "Rude about the seller's staff."),
    "personal_data": ("", "Names a staff member."),
    "spam": ("", "Reads like an advert for another shop."),
    "other": (
        "The reviewer says they returned it, so the rating is misleading.",
        "This review seems to be about a different colour than the one listed.",
        "Posted twice on different products.",
        "The rating doesn't match the text.",
    ),
}
REPORT_REASON_WEIGHTS = {
    "fake": 25,
    "off_topic": 20,
    "offensive": 10,
    "personal_data": 10,
    "spam": 10,
    "other": 25,
}

# --- Answers -------------------------------------------------------------------------

GREETINGS = ("Hi {buyer},", "Hello {buyer},", "Dear {buyer},", "Hi {buyer}!", "")
THANKS_POSITIVE = (
    "Thank you so much for your lovely review.",
    "Thanks for taking the time to review {this}.",
    "What a wonderful review to read; thank you.",
    "Thank you for the kind words about {this}.",
    "We really appreciate you sharing this.",
)
GLAD_GENERIC = (  # {topic} may be a clause ("how comfortable it is"), so it follows "with"
    "It's great to hear you're happy with {topic}.",
    "We're delighted you're pleased with {topic}.",
    "Thank you for the kind words about {topic}.",
)
THANKS_NEGATIVE = (
    "Thank you for letting us know, and I'm sorry {this} disappointed you.",
    "Thanks for your honest review.",
    "Thank you for taking the time to tell us what went wrong.",
    "We appreciate the feedback, even when it's hard to read.",
)
APOLOGIES = (
    "I'm really sorry about {issue}.",
    "We're sorry to hear about {issue}; that's not the standard we aim for.",
    "Apologies for {issue}; we should have done better.",
)
MIXED = (
    "Thank you for the balanced review; we're glad you like {topic}, and sorry about {issue}.",
    "Thanks for the honest feedback. Good to hear about {topic}; {issue} is another story, "
    "and we'd like to put it right.",
    "We're happy you like {topic}, but sorry about {issue}.",
)
NEXT_STEPS = (
    "Please send us a message on SayPro with your order number ({order}) and we'll {fix}.",
    "If you message us through SayPro, we'll {fix} straight away.",
    "Just reply to order {order} in your SayPro messages and we'll {fix}.",
    "Send us a SayPro message and I'll personally make sure we {fix}.",
)
LEARNED = (
    "We've already shared this with the team so it doesn't happen again.",
    "We've passed your comments on to our supplier.",
    "We're changing how we check every order before it leaves.",
)
CLOSINGS_POSITIVE = (
    "Enjoy your {noun}!",
    "We hope to see you again soon.",
    "Thanks again for supporting a small business.",
    "Happy shopping!",
    "",
)
CLOSINGS_NEGATIVE = (
    "We'd love the chance to make this right.",
    "Thank you for your patience.",
    "",
)
SIGNATURES = ("— {member}, {store}", "{member} at {store}", "Kind regards, {member}",
              "— The {store} team", "")  # fmt: skip

# Poor answers: what the response coach should flag.
GENERIC_ANSWERS = (
    "Thanks for your feedback.",
    "Thank you for your review.",
    "Noted, thank you.",
    "Thanks.",
    "We appreciate your feedback.",
)
BOILERPLATE_ANSWERS = (  # one per store, pasted under every review alike
    "Thank you for shopping with {store}! Customer satisfaction is our number one priority.",
    "Dear valued customer, thank you for your feedback. {store} appreciates your business.",
    "Thank you for choosing {store}. We hope to serve you again soon.",
)
DEFENSIVE_ANSWERS = (
    "Nobody else has complained about {issue}.",
    "We have sold hundreds of these and never had a problem.",
    "We cannot be held responsible for how products are used after delivery.",
)
SHOUTING_ANSWERS = (
    "PLEASE READ THE DESCRIPTION BEFORE ORDERING.",
    "WE SENT IT ON TIME. TAKE IT UP WITH THE COURIER.",
    "THIS IS THE FIRST COMPLAINT WE HAVE EVER HAD!!",
    "WE DO NOT ACCEPT RETURNS ON USED ITEMS.",
)
NO_NEXT_STEP_ANSWERS = (
    "Sorry to hear that.",
    "Sorry about {issue}.",
    "Sorry you feel that way.",
    "Oh no, sorry.",
)
