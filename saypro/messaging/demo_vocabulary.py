"""The words of the demo conversations: what buyers ask stores, and how stores answer.

All of it written for this project. ``saypro.messaging.demo`` chooses an
``Exchange`` (a question and the answers that fit it) for what a conversation
is about: a product (by its aisle's family: clothes, shoes, electronics,
food, ...), an order (by how far the order has got: placed, shipped,
delivered, cancelled) or the store in general. A buyer's message is an
optional greeting, an optional context sentence, one of the question's
wordings and an optional sign-off; a store's answer is a greeting, an apology
when it is late, one of the answers, now and then an offer to help further,
and a signature.

Templates fill named slots and pick by grammatical number:

- ``{this}`` / ``{This}`` — "this dress" or "these sneakers"; ``{noun}``;
  ``{title}`` — the product's full title; ``{it}`` / ``{It}``; ``{a|b}`` — *a*
  for one thing, *b* for several ("{it's|they're}", "{It} {runs|run}");
- ``{buyer}`` and ``{member}`` (first names), ``{store}``, ``{store_city}``
  (where the store is), ``{city}`` (where the buyer is), ``{order}`` (the
  order number), ``{dispatch}`` ("2 working days"), ``{weekday}`` (a few days
  after the message), ``{restock}`` ("next week"), ``{left}`` ("only 3
  left"), ``{size}`` and ``{other_size}`` (for the product's family; with
  their article, ``{a_size}`` and ``{a_other_size}``: "an M", "a 7"),
  ``{length}`` (centimetres), ``{device}``, ``{age}``, ``{pet}``.

No template may contain an email address, a phone number, a link or the name
of a messaging app: ``saypro.messaging.safety`` would flag the message
(``tests/test_demo.py`` checks every generated text).

Quick replies (``QUICK_REPLIES``) use the variables of
``saypro.messaging.services.QUICK_REPLY_VARIABLES`` only, and read well when
the conversation has no product ("the product") or no order ("your order"),
which is how ``selectors.render_quick_reply`` fills them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exchange:
    """A buyer's question in a few wordings, and the store's answers that fit every one."""

    key: str
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    topic: str = "other"  # the QuickReply topic: availability, sizing, delivery, returns, other
    cards: bool = False  # the answer recommends other products of the store (product cards)


# fmt: off
# --- About a product, before buying ----------------------------------------------------

IN_STOCK = Exchange(
    "in_stock",
    questions=(
        "Is {this} still available?",
        "Do you still have {this} in stock?",
        "Is {this} in stock? I'd like to order {it|them} this week.",
        "Are there any of {this} left?",
        "Can I still order {this}, or {is it|are they} about to sell out?",
    ),
    answers=(
        "Yes, {it's|they're} in stock and ready to go ({left}). If you order today, {it|they} "
        "will leave us within {dispatch}.",
        "We do, {left}. Orders go out within {dispatch}.",
        "Yes, still available, {left}. We pack every order by hand and dispatch within "
        "{dispatch}.",
        "Good news: yes, {left}!",
    ),
    topic="availability",
)
RESTOCK = Exchange(
    "restock",
    questions=(
        "{This} {shows|show} as sold out. Will you be getting more?",
        "When will {this} be back in stock?",
        "Any chance of a restock of {this}? I missed out last time.",
        "Is {this} coming back? I can't order {it|them} at the moment.",
    ),
    answers=(
        "Sadly {it's|they're} sold out for now, but a new batch arrives {restock}. I'll send you "
        "a message here as soon as {it's|they're} back.",
        "We're expecting more {restock}. I've made a note to let you know the day {it|they} "
        "{lands|land}.",
        "{It} sold out faster than we expected! The next batch is due {restock}.",
    ),
    topic="availability",
    cards=True,  # "in the meantime, this one is very similar and in stock"
)
DELIVERY_TIME = Exchange(
    "delivery_time",
    questions=(
        "How long does delivery to {city} take?",
        "If I order {this} today, will {it|they} reach {city} by {weekday}?",
        "How long would {this} take to arrive in {city}?",
        "I'm in {city}. When would I get {it|them} if I order now?",
    ),
    answers=(
        "We dispatch within {dispatch}, and the courier usually takes two to four working days "
        "to {city}.",
        "{It} {leaves|leave} us within {dispatch}; to {city} it's normally another two or "
        "three working days, so {weekday} is possible if you order before 12:00 today.",
        "Orders to {city} usually arrive three to five working days after you order. You'll see "
        "it marked as shipped as soon as it's on its way.",
    ),
    topic="delivery",
)
RETURNS = Exchange(
    "returns",
    questions=(
        "If {it doesn't|they don't} suit me, can I send {it|them} back?",
        "What's your returns policy on {this}?",
        "Can I return {this} if {it isn't|they aren't} quite what I expected?",
        "Would I be able to exchange {this} if I change my mind?",
    ),
    answers=(
        "Of course. You have 30 days to return anything unused in its original packaging, and "
        "we refund as soon as it reaches us.",
        "Yes, returns are free within 30 days. Just message us here with your order number and "
        "we'll book the courier.",
        "Absolutely. If {it's|they're} not right, send {it|them} back within 30 days for a "
        "refund or an exchange, whichever you prefer.",
    ),
    topic="returns",
)
GIFT = Exchange(
    "gift",
    questions=(
        "It's a gift. Could you wrap {it|them} and leave out the invoice?",
        "Could you add a gift note? {This} {is|are} for my mom's birthday.",
        "Do you gift-wrap? I'd like to send {this} straight to my friend.",
    ),
    answers=(
        "Happy to! Once you've ordered, reply here with the message for the card, and we'll wrap "
        "it and leave the invoice out.",
        "We'd love to. Gift-wrapping is free; just send us the note you'd like once the order is "
        "in.",
        "Yes, we wrap for free and leave the prices out. Send me the message for the card after "
        "you order.",
    ),
)
MORE_LIKE_THIS = Exchange(
    "more_like_this",
    questions=(
        "Do you have anything similar to {this}, but a bit different?",
        "I love {this}. What else would go well with {it|them}?",
        "Do you have {this} in another style?",
    ),
    answers=(
        "We do! Have a look at these:",
        "A few of my favourites that go well with {it|them}:",
        "Here are a couple you might like:",
    ),
    cards=True,
)
PRODUCT_COMMON = (IN_STOCK, DELIVERY_TIME, RETURNS, GIFT, MORE_LIKE_THIS)

# What a product's aisle is, for the questions that fit it.
FAMILY_OF_AISLE = {
    "womens-clothing": "clothes", "mens-clothing": "clothes", "kids-clothing": "kids_clothes",
    "shoes": "shoes", "school": "",
    "bags-leather-goods": "bags", "jewellery": "jewellery", "accessories": "accessories",
    "kitchen-dining": "home", "bedding-linen": "home", "decor": "home", "lighting": "home",
    "bath": "home", "furniture": "furniture", "outdoor-furniture": "furniture",
    "skincare": "beauty", "hair-care": "beauty", "bath-body": "beauty", "make-up": "beauty",
    "fragrance": "fragrance",
    "phones-accessories": "gadgets", "audio": "gadgets", "computer-accessories": "gadgets",
    "smart-home": "gadgets", "cameras": "electronics", "gaming": "electronics",
    "hiking-camping": "sport", "cycling": "sport", "running": "sport", "fitness": "sport",
    "water-sports": "sport", "team-sports": "sport",
    "baby": "kids", "toys": "kids", "games-puzzles": "kids",
    "coffee-tea": "food", "pantry": "food", "sweets-baking": "food", "biltong-snacks": "food",
    "spices-sauces": "food", "hampers-gifts": "food",
    "fiction": "books", "non-fiction": "books", "childrens-books": "books",
    "stationery": "stationery", "art-supplies": "stationery",
    "plants": "plants", "pots-planters": "garden", "garden-tools": "garden",
    "braai-fire": "",
    "dogs": "pets", "cats": "pets", "small-pets": "pets", "aquatics": "pets",
    "pet-grooming": "pets",
}
# Sizes a buyer of each sized family asks about ({size}, {other_size}).
SIZES = {
    "clothes": ("XS", "S", "M", "L", "XL", "XXL"),
    "kids_clothes": ("2–3 years", "4–5 years", "6–7 years", "8–9 years", "10–11 years"),
    "shoes": ("4", "5", "6", "7", "8", "9", "10", "11"),
}
SIZED_FAMILIES = frozenset(SIZES)
DEVICES = ("iPhone 13", "Samsung Galaxy A54", "MacBook Air", "Huawei P30", "iPhone 15",
           "Dell laptop")
AGES = ("six months", "18 months", "two years", "three years", "five years")
PETS = {
    "dogs": ("dog", "puppy", "Labrador", "Jack Russell"), "cats": ("cat", "kitten"),
    "small-pets": ("rabbit", "hamster", "guinea pig"), "aquatics": ("fish",),
    "pet-grooming": ("dog", "cat", "Maltese"),
}
RESTOCKS = ("next week", "in about two weeks", "by the end of the month", "early next month")
# Lengths in centimetres a store quotes ({length}): a garment's length, a bag's width.
LENGTHS = {"clothes": (60, 110), "kids_clothes": (35, 70), "bags": (38, 48)}

FAMILY_EXCHANGES: dict[str, tuple[Exchange, ...]] = {
    "clothes": (
        Exchange(
            "size_advice",
            (
                "I'm usually {a_size}. Which size would you recommend in {this}?",
                "Does {this} run true to size? I'm between {a_size} and {a_other_size}.",
                "What size should I get? I normally wear {a_size}.",
            ),
            (
                "{It} {runs|run} true to size, so I'd go for the {size}.",
                "{It's|They're} a relaxed cut; take the {size} and {it'll|they'll} still sit "
                "nicely.",
                "Most customers take their usual size, so the {size}. If you prefer a closer fit, "
                "size down; the measurements of every size are in the size guide on the photos.",
            ),
            "sizing",
        ),
        Exchange(
            "measurements",
            (
                "Could you tell me the length of {this} in {a_size}?",
                "How long {is|are} {this} in {a_size}? I'm 1.68 m.",
            ),
            (
                "In {a_size}, {it's|they're} {length} cm long, measured flat. The full size guide "
                "is in the last photo.",
                "I've just measured one for you: {length} cm in the {size}.",
            ),
            "sizing",
        ),
        Exchange(
            "colour",
            (
                "Does {this} come in any other colours?",
                "Will you have {this} in black at some point?",
            ),
            (
                "At the moment only the colour shown, but a darker one is coming {restock}.",
                "Just this one for now, sorry. We make small runs, so new colours come in "
                "batches; the next is due {restock}.",
            ),
            "availability",
        ),
        Exchange(
            "care",
            (
                "How do I wash {this}?",
                "Can {this} go in the tumble dryer?",
                "Will {this} shrink in the wash?",
            ),
            (
                "A cold machine wash and line drying in the shade is best, no tumble dryer, and "
                "{it'll|they'll} keep {its|their} shape for years.",
                "Wash {it|them} cold and dry flat, never in the tumble dryer; that way nothing "
                "shrinks or fades.",
            ),
        ),
    ),
    "kids_clothes": (
        Exchange(
            "size_advice",
            (
                "My daughter is {size} but tall for her age. Which size should I order?",
                "Does {this} run big or small? My son is {size}.",
                "Which size would you recommend in {this} for a child of {size}?",
            ),
            (
                "{It} {runs|run} true to age, with a little room to grow. If your little one is "
                "tall, go one size up: {other_size}.",
                "Our sizes are generous, so {size} will fit with room for a growth spurt; for a "
                "tall child, {other_size}.",
            ),
            "sizing",
        ),
        Exchange(
            "care",
            (
                "Can {this} go in a hot wash? It's for a toddler.",
                "Will {this} survive the tumble dryer?",
            ),
            (
                "{It's|They're} made for real life: machine wash at 40 °C and tumble dry on low.",
                "Yes: a warm wash and a low tumble dry are fine, and the colours are fixed, so "
                "{it|they} won't fade much.",
            ),
        ),
    ),
    "shoes": (
        Exchange(
            "size_advice",
            (
                "I'm a size {size} but my feet are quite wide. Would {this} fit?",
                "Do {this} run true to size? I'm usually {a_size}.",
                "I'm between {a_size} and {a_other_size}. Which would you suggest?",
            ),
            (
                "{It} {runs|run} true to size with a roomy toe box, so the {size} should be "
                "comfortable, even with wider feet.",
                "Most customers take their usual size. If in doubt, go up to the {other_size}; "
                "{it|they} give a little but never shrink.",
                "I'd go for the {size}. If {it doesn't|they don't} fit, we swap sizes for free.",
            ),
            "sizing",
        ),
        Exchange(
            "shoe_care",
            ("How should I look after {this}?", "How do I keep {this} looking new?"),
            (
                "A brush after muddy days and a little balm or protector spray every few months "
                "keeps {it|them} going for years.",
                "Let {it|them} dry away from a heater after a wet day, and give {it|them} a "
                "protector spray now and then.",
            ),
        ),
        Exchange(
            "waterproof",
            ("{Is|Are} {this} waterproof?", "Can I wear {this} in the rain?"),
            (
                "{It's|They're} water-resistant, not waterproof: fine in a shower, but dry "
                "{it|them} away from a heater afterwards.",
                "A light shower is no problem; we wouldn't wade through puddles in {it|them}.",
            ),
        ),
    ),
    "bags": (
        Exchange(
            "dimensions",
            (
                "Will a 15-inch laptop fit in {this}?",
                "What are the dimensions of {this}?",
                "How big {is|are} {this}, exactly?",
            ),
            (
                "{It's|They're} {length} cm across, so a 15-inch laptop fits; the full "
                "measurements are in the last photo.",
                "{length} cm wide: room for a 15-inch laptop, a charger and a book.",
            ),
        ),
        Exchange(
            "bag_care",
            ("How do I look after {this}?", "Will {this} wear well over time?"),
            (
                "A wipe with a damp cloth, and a little balm or wax every few months, keeps "
                "{it|them} going for years.",
                "Keep {it|them} out of the rain when you can, and {it'll|they'll} age beautifully.",
            ),
        ),
    ),
    "jewellery": (
        Exchange(
            "metal",
            ("Is {this} nickel-free? I react to cheap metal.", "Is {this} OK for sensitive skin?"),
            (
                "All our pieces are nickel-free, so they're fine for sensitive skin.",
                "Yes, nothing in {it|them} should irritate sensitive skin; many of our customers "
                "with allergies wear our pieces daily.",
            ),
        ),
        Exchange(
            "tarnish",
            ("Will {this} tarnish?", "Will {this} keep {its|their} shine?"),
            (
                "With normal wear {it keeps its|they keep their} shine; a polish with the cloth "
                "in the box brings it back if it dulls.",
                "Take {it|them} off for swimming and the shine lasts for years.",
            ),
        ),
        Exchange(
            "gift_box",
            (
                "Does {this} come in a gift box?",
                "I'd like to give {this} as a present. {Does it|Do they} come boxed?",
            ),
            (
                "Yes, every piece comes in our gift box with a polishing cloth.",
                "{It} {comes|come} in a little box, ready to give. We can add a note too.",
            ),
        ),
    ),
    "accessories": (
        Exchange(
            "one_size",
            (
                "{Is|Are} {this} one size? My head is on the big side.",
                "Will {this} fit an adult with a big head?",
            ),
            (
                "{It's|They're} one size with a little stretch, and {fits|fit} most adults "
                "comfortably.",
                "Yes: one size, and roomy. If {it doesn't|they don't} fit, we'll refund you.",
            ),
            "sizing",
        ),
        Exchange(
            "care",
            ("How do I wash {this}?", "Can {this} go in the washing machine?"),
            (
                "Hand wash in cool water and dry flat; {it'll|they'll} keep {its|their} shape.",
                "A cool, gentle machine wash in a laundry bag is fine; dry flat.",
            ),
        ),
    ),
    "home": (
        Exchange(
            "dimensions",
            (
                "What are the exact measurements of {this}?",
                "How big {is|are} {this}? I'm trying to work out if {it|they} will fit.",
            ),
            (
                "The full measurements are in the last photo of the listing. Happy to measure "
                "anything else for you!",
                "I've added the measurements to the description for you. If something's still "
                "unclear, just ask and I'll measure it.",
            ),
        ),
        Exchange(
            "home_care",
            ("How do I clean {this}?", "How should I look after {this}?"),
            (
                "A damp cloth or a cool wash is all {it needs|they need}; avoid harsh cleaners so "
                "the finish lasts.",
                "Gentle is best: never bleach. The care notes are on the product page.",
            ),
        ),
    ),
    "furniture": (
        Exchange(
            "assembly",
            ("Does {this} come assembled?", "How hard is {this} to put together?"),
            (
                "It arrives flat-packed with everything you need, and it takes about 20 minutes "
                "to assemble.",
                "It comes fully assembled; just unwrap it and put it in its spot.",
            ),
        ),
        Exchange(
            "big_delivery",
            (
                "Will the courier bring {this} inside? I'm on the second floor.",
                "Do you deliver furniture to {city}?",
            ),
            (
                "Yes, we deliver furniture all over South Africa, and our courier carries it to "
                "your door, stairs included.",
                "We do. Large items go with a two-person courier team, so they bring it inside "
                "for you.",
            ),
            "delivery",
        ),
    ),
    "beauty": (
        Exchange(
            "sensitive_skin",
            ("Is {this} suitable for sensitive skin?", "Is {this} fragrance-free?"),
            (
                "It's made for sensitive skin, with no added fragrance, but we always suggest a "
                "patch test first.",
                "No added fragrance at all, and gentle enough for sensitive skin.",
            ),
        ),
        Exchange(
            "vegan",
            ("Is {this} vegan and cruelty-free?", "Is {this} tested on animals?"),
            (
                "Yes: no animal ingredients, and nothing we make is tested on animals.",
                "Never tested on animals, and vegan from the first ingredient to the last.",
            ),
        ),
        Exchange(
            "ingredients",
            ("What's in {this}? I try to avoid parabens.", "Does {this} contain sulphates?"),
            (
                "No parabens, no sulphates, no mineral oil. The full ingredient list is on the "
                "product page.",
                "None of those: we keep our formulas short and simple. Every ingredient is "
                "listed on the product page.",
            ),
        ),
        Exchange(
            "shelf_life",
            ("How long does {this} last once opened?", "What's the expiry date on {this}?"),
            (
                "About 12 months once opened, and two years sealed.",
                "Every batch is made fresh, so you'll have well over a year before it expires.",
            ),
        ),
    ),
    "fragrance": (
        Exchange(
            "scent",
            ("What does {this} smell like?", "How would you describe the scent of {this}?"),
            (
                "It opens fresh and citrusy, then settles into something warm and woody.",
                "Fynbos and a little vanilla: fresh at first, soft and warm later.",
            ),
        ),
        Exchange(
            "strength",
            (
                "Is {this} a strong scent? I don't like anything too heavy.",
                "How long does {this} last on the skin?",
            ),
            (
                "It's soft and close to the skin, never heavy, and lasts about six hours.",
                "Light enough for the office, and it lasts most of the day.",
            ),
        ),
    ),
    "gadgets": (
        Exchange(
            "compatibility",
            ("Will {this} work with my {device}?", "Is {this} compatible with a {device}?"),
            (
                "Yes, {it works|they work} with the {device} and any other recent phone or "
                "laptop.",
                "{It} {works|work} with the {device}, no problem; no app or drivers needed.",
            ),
        ),
        Exchange(
            "warranty",
            (
                "Does {this} come with a warranty?",
                "What happens if {this} stops working after a few months?",
            ),
            (
                "There's a 12-month warranty against faults. If anything goes wrong, message us "
                "here and we'll swap {it|them}.",
                "You're covered for a year: we replace {it|them}, no questions asked.",
            ),
            "returns",
        ),
    ),
    "electronics": (
        Exchange(
            "in_the_box",
            ("What comes in the box with {this}?", "Do I need to buy anything else to use {this}?"),
            (
                "Everything you need to get going is in the box, plus a quick-start guide.",
                "Nothing else needed: cables are included, and the set-up takes a few minutes.",
            ),
        ),
        Exchange(
            "warranty",
            ("Does {this} come with a warranty?", "Is {this} new and covered by a warranty?"),
            (
                "Brand new, with a 12-month warranty against faults.",
                "Yes, new in the box and covered for a year.",
            ),
            "returns",
        ),
    ),
    "sport": (
        Exchange(
            "beginner",
            (
                "Is {this} OK for a beginner?",
                "I'm just starting out. Would {this} be a good choice?",
            ),
            (
                "Absolutely; {it's|they're} one of our most popular choices for people starting "
                "out, and {it|they} will last as you get more serious.",
                "Yes, a great place to start. Our own team uses the same.",
            ),
        ),
        Exchange(
            "durability",
            (
                "Is {this} tough enough for a few seasons of hard use?",
                "How long will {this} last with regular use?",
            ),
            (
                "We test everything ourselves first; {it'll|they'll} handle years of proper use.",
                "{It's|They're} built to last; with a bit of care you'll get years out of "
                "{it|them}.",
            ),
        ),
    ),
    "kids": (
        Exchange(
            "age",
            ("What age is {this} suitable for?", "Would {this} suit a {age} old?"),
            (
                "We recommend {it|them} from about {age}; younger ones can enjoy {it|them} with a "
                "grown-up around.",
                "{It's|They're} perfect from {age} up, and kids keep coming back to {it|them} for "
                "years.",
            ),
        ),
        Exchange(
            "safety",
            (
                "Is {this} safe for a toddler who puts everything in her mouth?",
                "Are the paints and finishes on {this} non-toxic?",
            ),
            (
                "Yes, the finishes are non-toxic and water-based, and there are no small parts "
                "that come loose.",
                "Everything we use is child-safe and non-toxic; we test every batch before it "
                "goes on sale.",
            ),
        ),
    ),
    "food": (
        Exchange(
            "allergens",
            (
                "Does {this} contain nuts? My son has an allergy.",
                "Is {this} gluten-free?",
                "Is there any dairy in {this}?",
            ),
            (
                "The recipe has no nuts, gluten or dairy, but our kitchen handles all three, so we "
                "can't rule out traces.",
                "The ingredients are listed on the product page. For a serious allergy, I'd be "
                "careful: we make everything in one kitchen.",
            ),
        ),
        Exchange(
            "halal",
            ("Is {this} halal?", "{Is|Are} {this} halal-certified?"),
            (
                "Yes, everything we make is halal-certified.",
                "Yes, and the certificate is on display at our kitchen; happy to send you a "
                "photo.",
            ),
        ),
        Exchange(
            "shelf_life",
            (
                "How long will {this} keep?",
                "Will {this} still be fresh if I order now for a gift next month?",
            ),
            (
                "Best before is about six months from packing, so a gift next month is no "
                "problem.",
                "We pack to order, so {it'll|they'll} be fresh for months. Once opened, keep "
                "{it|them} sealed.",
            ),
        ),
    ),
    "books": (
        Exchange(
            "condition",
            ("Is {this} new or second-hand?", "Is {this} the latest edition?"),
            (
                "Brand new and the latest printing, straight from the publisher.",
                "New, the latest printing, and still in its wrapping.",
            ),
        ),
        Exchange(
            "signed",
            ("Do you have any signed copies of {this}?", "Could the author sign {this}?"),
            (
                "Not at the moment, sorry. We sometimes get a few after an author event, so keep "
                "an eye on the store.",
                "Sadly not this time; if we host the author, I'll let you know here.",
            ),
        ),
        Exchange(
            "recommend",
            ("Who would you recommend {this} for?", "Is {this} a good read?"),
            (
                "Anyone who loves a good story! Our team passed it around the office, and "
                "everyone enjoyed it.",
                "It's one of our bestsellers, and the one we recommend most.",
            ),
        ),
    ),
    "stationery": (
        Exchange(
            "beginner",
            (
                "Is {this} good for a beginner?",
                "Would {this} make a good gift for a teenager who loves drawing?",
            ),
            (
                "Perfect for beginners, and good enough that {it|they} won't be outgrown quickly.",
                "Yes! It's a favourite with beginners and makes a lovely gift; parents tell us it "
                "was a hit.",
            ),
        ),
        Exchange(
            "quality",
            (
                "Is {this} good quality? I've been disappointed before.",
                "How does {this} compare to the cheaper ones at the shops?",
            ),
            (
                "We only stock what we use ourselves; {it's|they're} made to last, not to be "
                "replaced next term.",
                "It's a real step up: better materials, and you'll feel the difference straight "
                "away.",
            ),
        ),
    ),
    "plants": (
        Exchange(
            "light",
            (
                "Will {this} cope with full sun?",
                "Can {this} grow indoors?",
                "How much light {does|do} {this} need?",
            ),
            (
                "{It} {likes|like} bright light but not the harsh afternoon sun: a spot with "
                "morning sun, indoors or out, is ideal.",
                "Plenty of bright light, but no scorching sun; a bright window or a patio with "
                "morning sun is perfect.",
            ),
        ),
        Exchange(
            "plant_delivery",
            (
                "How do you ship plants? Will {this} survive the trip to {city}?",
                "Do you deliver plants to {city}?",
            ),
            (
                "Yes: we pack plants upright in a box with moist paper, and they travel to {city} "
                "fine. Any casualties, we replace.",
                "We do, all over the country; the courier takes two to three working days to "
                "{city}, and the plants travel well.",
            ),
            "delivery",
        ),
    ),
    "garden": (
        Exchange(
            "outdoors",
            ("Can {this} stay outside all year?", "Will {this} survive our winters outside?"),
            (
                "Yes, {it's|they're} made for the outdoors; a wipe now and then keeps {it|them} "
                "looking good.",
                "{It's|They're} built for sun, wind and rain, so leave {it|them} out all year.",
            ),
        ),
        Exchange(
            "dimensions",
            ("What are the measurements of {this}?", "How big {is|are} {this}?"),
            (
                "The full measurements are in the last photo of the listing. Happy to measure "
                "anything else for you!",
                "I've added the measurements to the description for you; just ask if anything is "
                "unclear.",
            ),
        ),
    ),
    "pets": (
        Exchange(
            "pet_suit",
            (
                "Would {this} suit a young {pet}?",
                "Will {this} work for a big {pet}?",
                "My {pet} is very fussy. Do you think {this} will go down well?",
            ),
            (
                "{It's|They're} a favourite with {pet} owners, young and old, big and small. If "
                "{it doesn't|they don't} suit yours, message us and we'll sort something out.",
                "Most of our customers' pets love {it|them}. If yours doesn't, message us and "
                "we'll sort something out.",
            ),
        ),
        Exchange(
            "pet_safe",
            ("Is {this} safe if my {pet} chews on it?", "What is {this} made of?"),
            (
                "Natural, non-toxic materials throughout, so a curious {pet} is safe with "
                "{it|them}.",
                "Only natural, non-toxic materials; the details are on the product page.",
            ),
        ),
    ),
}


# --- About an order -----------------------------------------------------------------------

ORDER_EXCHANGES: dict[str, tuple[Exchange, ...]] = {
    "placed": (
        Exchange(
            "when_ship",
            questions=(
                "When will order {order} be dispatched?",
                "I placed order {order} earlier. When will it ship?",
                "How soon can you send order {order}? It's for {weekday}.",
            ),
            answers=(
                "It's being packed and goes out within {dispatch}; you'll see it marked as "
                "shipped on your order page.",
                "{order} leaves us within {dispatch}, and the courier takes two to four working "
                "days after that.",
            ),
            topic="delivery",
        ),
        Exchange(
            "change_address",
            questions=(
                "I put the wrong delivery address on {order}. It should go to my work in {city}; "
                "can you change it?",
                "Can I still change the delivery address for order {order}? I'll be in {city} "
                "next week.",
            ),
            answers=(
                "Done: I've updated the address for {order}, so the courier will deliver to "
                "{city}.",
                "No problem, it hasn't shipped yet. I've changed the address to the one in "
                "{city}.",
            ),
            topic="delivery",
        ),
    ),
    "placed_sized": (  # as "placed", for clothes and shoes
        Exchange(
            "change_size",
            questions=(
                "I've just ordered {this} in {a_size} (order {order}). Can I change it to "
                "{a_other_size} before it ships?",
                "Sorry, I chose the wrong size on {order}! I need {a_other_size}, not {a_size}.",
            ),
            answers=(
                "No problem, I've changed it to {a_other_size}; it goes out within {dispatch}.",
                "All sorted: {order} will go out in {a_other_size}.",
            ),
            topic="sizing",
        ),
    ),
    "cancel": (  # before the buyer cancelled it
        Exchange(
            "cancel",
            questions=(
                "I ordered {this} by mistake. Can I cancel {order}?",
                "I'd like to cancel order {order}, please; I found what I needed closer to home.",
                "Can I still cancel {order}? My plans changed.",
            ),
            answers=(
                "Of course. As it hasn't shipped yet, you can cancel it yourself under My orders, "
                "and the refund follows in three to five working days.",
                "No problem at all. Cancel it from My orders while it says Placed, and your money "
                "comes back in a few working days.",
            ),
            topic="returns",
        ),
    ),
    "shipped": (
        Exchange(
            "where_is_it",
            questions=(
                "Order {order} shows as shipped, but nothing has arrived yet. Any idea when it "
                "will?",
                "Where is my parcel? Order {order}.",
                "The tracking for {order} hasn't changed since yesterday. Is everything OK?",
            ),
            answers=(
                "It's with the courier and should reach you within the next two working days. "
                "Sorry it's taking a little longer than usual!",
                "I've checked with the courier: {order} is at their depot in {city} and goes out "
                "for delivery next.",
                "All fine! It's on its way to you, and you'll see it marked as delivered as soon "
                "as it arrives.",
            ),
            topic="delivery",
        ),
        Exchange(
            "not_home",
            questions=(
                "I won't be home on {weekday} when {order} is due. Can the courier leave it with "
                "my neighbour?",
                "Can the courier deliver {order} to my office instead? I'm out during the day.",
            ),
            answers=(
                "No problem: I've passed that on to the courier, and they'll call you before they "
                "come.",
                "I've added a note to the delivery for the courier. If they miss you, they'll try "
                "again the next working day.",
            ),
            topic="delivery",
        ),
    ),
    "delivered": (
        Exchange(
            "damaged",
            questions=(
                "The parcel for {order} arrived badly damaged, and {this} didn't survive.",
                "{This} from order {order} arrived damaged. What can we do?",
            ),
            answers=(
                "I'm so sorry! We'll send a replacement today at no cost; you don't need to "
                "return the damaged one.",
                "Oh no, I'm sorry! A replacement goes out today, and we've had a word with the "
                "courier about the handling.",
            ),
            topic="returns",
        ),
        Exchange(
            "not_as_expected",
            questions=(
                "{This} from {order} {isn't|aren't} quite what I expected. Can I return "
                "{it|them}?",
                "I'd like to return {this} (order {order}). How does it work?",
            ),
            answers=(
                "Of course. Send {it|them} back unused within 30 days, and we refund as soon as "
                "{it|they} {arrives|arrive}. We'll book the courier for you.",
                "No problem: message us once {it's|they're} packed, and we'll arrange the "
                "collection. The refund follows in a few working days.",
            ),
            topic="returns",
        ),
        Exchange(
            "care_after",
            questions=(
                "{This} arrived and I love {it|them}! What's the best way to look after "
                "{it|them}?",
                "Order {order} came today, thank you. How should I care for {this}?",
            ),
            answers=(
                "So glad you love {it|them}! Follow the care label, keep {it|them} out of harsh "
                "sun, and {it'll|they'll} last for years.",
                "Thank you! Gentle is best: a cool wash or a wipe, never bleach, and "
                "{it'll|they'll} stay like new.",
            ),
        ),
        Exchange(
            "thank_you",
            questions=(
                "Just wanted to say {this} arrived today and {it's|they're} beautiful. Thank you!",
                "Order {order} arrived, and everything is perfect. Thanks so much!",
                "Got my order today. Lovely packaging, and {this} {is|are} even nicer in person!",
            ),
            answers=(
                "That made our day, {buyer}! Thank you for letting us know.",
                "Thank you so much! Enjoy {it|them}.",
                "We're so happy {it|they} arrived safely. Thanks for shopping with us!",
            ),
        ),
    ),
    "delivered_sized": (
        Exchange(
            "wrong_size",
            questions=(
                "{This} arrived, but {it's|they're} too small. Can I swap for {a_other_size}? "
                "Order {order}.",
                "The {size} from order {order} is a bit tight. Can I exchange it for "
                "{a_other_size}?",
            ),
            answers=(
                "Of course! Send {it|them} back unworn with the tags on, and we'll send the "
                "{other_size} as soon as {it|they} {arrives|arrive}. We'll book the courier.",
                "No problem at all. I've put {a_other_size} aside for you; it goes out the day the "
                "{size} is back with us.",
            ),
            topic="returns",
        ),
    ),
    "delivered_several": (  # orders of two or three products
        Exchange(
            "missing_item",
            questions=(
                "Order {order} arrived, but only part of it was in the box. {This} {is|are} "
                "missing.",
                "My parcel for {order} came without {this}. Is it coming separately?",
            ),
            answers=(
                "So sorry about that! It was left out by mistake; I've sent it off today, and it "
                "should reach you in two to three working days.",
                "My apologies! {It} went out separately today, at no cost, of course.",
            ),
            topic="delivery",
        ),
    ),
    "cancelled": (
        Exchange(
            "refund",
            questions=(
                "I cancelled {order}. When will I see the refund?",
                "My refund for order {order} hasn't come through yet.",
            ),
            answers=(
                "Refunds take three to five working days to show, depending on your bank. If it "
                "isn't there by then, let me know and I'll chase it.",
                "It was processed on our side the day you cancelled; banks take a few working "
                "days to show it.",
            ),
            topic="returns",
        ),
    ),
}

# --- About the store in general -------------------------------------------------------------

GENERAL_EXCHANGES: tuple[Exchange, ...] = (
    Exchange(
        "deliver_city",
        questions=(
            "Do you deliver to {city}?",
            "Do you ship to {city}, and how long does it take?",
            "Can you deliver to a complex in {city}?",
        ),
        answers=(
            "Yes, we deliver all over South Africa: usually two to four working days to {city} "
            "after we dispatch.",
            "We do! Orders leave us within {dispatch}, and the courier takes a few working days "
            "to {city}.",
        ),
        topic="delivery",
    ),
    Exchange(
        "collect",
        questions=(
            "Can I collect an order from you in {store_city}?",
            "Could I pick up my order in {store_city} instead of paying for delivery?",
        ),
        answers=(
            "You're welcome to collect from our workshop in {store_city}; after you order, send "
            "us a message and we'll tell you when it's ready.",
            "Of course! Let us know here once you've ordered, and we'll have it ready for you in "
            "{store_city}.",
        ),
        topic="delivery",
    ),
    Exchange(
        "shop",
        questions=(
            "Do you have a shop in {store_city} where I can see your things in person?",
            "Is there somewhere I can see your range before buying?",
        ),
        answers=(
            "We don't have a shop, but we're at the weekend market in {store_city} most "
            "Saturdays. Come and say hello!",
            "Not a shop as such, but you're welcome at our workshop in {store_city}; message us "
            "here first so someone is in.",
        ),
    ),
    Exchange(
        "bulk",
        questions=(
            "Do you do bulk orders for corporate gifts? We'd need about 40.",
            "Could you do 25 of the same item for a year-end function?",
        ),
        answers=(
            "We do, and there's a discount from 20 pieces. Tell me what you have in mind and "
            "your deadline, and I'll put a quote together.",
            "Definitely. Let me know which items and the date you need them by, and I'll check "
            "our stock.",
        ),
    ),
    Exchange(
        "new_stock",
        questions=(
            "When are you adding new stock? I love your things.",
            "Is anything new coming soon?",
        ),
        answers=(
            "Thank you! New pieces are coming {restock}.",
            "Yes, a new batch arrives {restock}. I think you'll like it!",
        ),
        topic="availability",
    ),
    Exchange(
        "returns_general",
        questions=(
            "What's your returns policy?",
            "If something doesn't suit me, can I send it back?",
        ),
        answers=(
            "You can return anything unused within 30 days for a full refund; message us here and "
            "we'll book the courier.",
            "Yes, 30 days to change your mind, and returns are free.",
        ),
        topic="returns",
    ),
    Exchange(
        "gift_general",
        questions=(
            "Do you gift-wrap orders?",
            "Can you send an order straight to my sister with a note?",
        ),
        answers=(
            "Yes, for free! Reply here with your note after you order, and we'll leave the "
            "invoice out.",
            "Of course. Put her address as the delivery address, and send us the note here.",
        ),
    ),
)

# --- The rest of a conversation -------------------------------------------------------------

BUYER_GREETINGS = (
    "Hi!", "Hello,", "Hi there,", "Good day,", "Hey,", "Hi {store} team,", "Hi,", "Hello!",
    "Hiya,",
)
BUYER_MORNING_GREETINGS = ("Morning!", "Good morning,")  # before noon, marketplace time
BUYER_CONTEXTS = (
    "It's a gift for my sister's birthday.", "I'm hoping to have it before the weekend.",
    "I saw it on a friend and loved it.", "I've bought from you before and was very happy.",
    "It's my first time ordering from you.", "It's for my mom.",
)
BUYER_SIGN_OFFS = (
    "Thanks!", "Thank you.", "Thanks in advance.", "Much appreciated.", "Thanks so much!",
    "Thank you!", "Thanks", "Regards",
)
BUYER_THANKS = (
    "Thank you, that's really helpful!", "Perfect, thanks {member}!", "Great, thanks so much.",
    "Awesome, thank you!", "Thanks, that answers my question.", "Brilliant, thank you!",
    "Ok great, thanks!", "Lovely, thank you {member}.", "Thanks for your help!",
)
BUYER_THANKS_FAST = ("Thanks for the quick reply!", "Wow, that was quick. Thank you!")
BUYER_ORDERED = (
    "Great, I've just ordered {it|them}!", "Perfect, order placed. Thanks!",
    "Thanks! I went ahead and ordered {it|them}.", "Done, just ordered. Thanks for your help!",
    "Lovely, I've ordered. Can't wait!",
)
BUYER_LATER = (  # after an answer, a buyer who is not ready to buy
    "Thanks, I'll think about it.", "Ok, I'll keep an eye on it. Thanks!",
    "Thanks, I'll have a look.", "Good to know, thanks.",
)
BUYER_NUDGES = (
    "Hello? Is anyone there?", "Hi again, just following up on my question.",
    "Still hoping to hear back about this.", "Any news on this?",
    "Hi, could someone please get back to me?",
)
BUYER_FOLLOW_UP_OPENERS = ("Thanks! And ", "Great. ", "Ok, thanks. ", "Perfect. One more thing: ",
                           "Thank you! Also, ")

STORE_GREETINGS = ("Hi {buyer},", "Hi {buyer}!", "Hello {buyer},", "Hi {buyer} 😊", "")
STORE_QUESTION_GREETINGS = (  # also, to a question about a product or the store
    "Hi {buyer}, thanks for your message.", "Hello {buyer}, thanks for getting in touch!",
    "Thanks for asking, {buyer}!",
)
STORE_FOLLOW_UP_GREETINGS = ("", "", "", "Sure!", "Of course.", "Good question!")
STORE_LATE_APOLOGIES = (
    "Sorry for the slow reply!", "Apologies for only getting back to you now.",
    "Sorry it took us a while to answer.", "So sorry for the delay in replying.",
)
STORE_EXTRAS = (
    "Let me know if there's anything else I can help with.", "Shout if you have any other "
    "questions!", "Any other questions, just ask.", "Happy to help with anything else.",
)
STORE_SIGNATURES = ("{member}", "— {member}", "{member}, {store}", "Kind regards, {member}",
                    "Have a lovely day! {member}")
STORE_WELCOMES = (
    "My pleasure, {buyer}!", "You're welcome! Enjoy {it|them}.", "Pleasure! Have a lovely day.",
    "Anytime, {buyer}.", "Glad I could help!", "You're welcome 😊",
)
STORE_ORDER_THANKS = (
    "Thank you for your order, {buyer}! It will leave us within {dispatch}.",
    "Thanks so much! We'll pack it today.",
    "Wonderful, thank you! You'll see it marked as shipped as soon as it's on its way.",
)
CARD_LINES_SOLD_OUT = (
    "In the meantime, this one is very similar and in stock:",
    "If you can't wait, have a look at this one:", "This one is close, and ready to ship:",
)

# --- Quick replies --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickReplyTemplate:
    title: str
    body: str
    answers: tuple[str, ...]  # the Exchange keys (or "ordered") it answers
    sized: bool | None = None  # for stores that sell clothes or shoes (True), others (False)


QUICK_REPLIES: dict[str, tuple[QuickReplyTemplate, ...]] = {
    "availability": (
        QuickReplyTemplate(
            "In stock",
            "Hi {buyer_first_name}! Yes, {product} is in stock and ready to ship. Orders placed "
            "before 12:00 leave us the same day. Thanks for shopping with {store}!",
            ("in_stock",),
        ),
        QuickReplyTemplate(
            "Still available",
            "Hi {buyer_first_name}, thanks for asking! {product} is available right now. Stock "
            "moves quickly, so I wouldn't wait too long.",
            ("in_stock",),
        ),
    ),
    "sizing": (
        QuickReplyTemplate(
            "Size advice",
            "Hi {buyer_first_name}, our sizes run true to size, so take your usual one. The "
            "measurements of every size are in the size guide on the product photos, and "
            "exchanges are free within 30 days.",
            ("size_advice",),
            sized=True,
        ),
        QuickReplyTemplate(
            "Which size?",
            "Hi {buyer_first_name}! Most customers take their usual size in {product}. If you're "
            "between sizes, go one up. If it doesn't fit, {store} swaps it for free.",
            ("size_advice",),
            sized=True,
        ),
        QuickReplyTemplate(
            "Sizes and measurements",
            "Hi {buyer_first_name}! The exact size and measurements of {product} are in the "
            "description and the last photo. If anything is unclear, just ask and we'll measure "
            "it for you.",
            ("dimensions", "measurements"),
            sized=False,
        ),
        QuickReplyTemplate(
            "How big is it?",
            "Hi {buyer_first_name}, good question! Every listing at {store} has its measurements "
            "in the last photo. Tell me what you'd like to fit it into, and I'll check for you.",
            ("dimensions",),
            sized=False,
        ),
    ),
    "delivery": (
        QuickReplyTemplate(
            "Delivery times",
            "Hi {buyer_first_name}! Orders leave {store} within three working days (usually "
            "sooner), and the courier takes two to four working days to most of South Africa. "
            "You'll see your order marked as shipped as soon as it's on its way.",
            ("delivery_time", "deliver_city", "when_ship"),
        ),
        QuickReplyTemplate(
            "Where is my order?",
            "Hi {buyer_first_name}, {order_number} is with the courier and should reach you "
            "within two working days. Sorry for the wait, and thank you for your patience!",
            ("where_is_it",),
        ),
    ),
    "returns": (
        QuickReplyTemplate(
            "Returns policy",
            "Hi {buyer_first_name}, you can return anything unused within 30 days for a full "
            "refund: message us with your order number and we'll book the courier. The refund "
            "goes out as soon as the parcel reaches {store}.",
            ("returns", "returns_general", "not_as_expected"),
        ),
        QuickReplyTemplate(
            "Size exchange",
            "Hi {buyer_first_name}, no problem at all! Send the item from {order_number} back "
            "unworn with the tags on, and we'll send the new size as soon as it arrives. We cover "
            "the courier both ways.",
            ("wrong_size",),
            sized=True,
        ),
    ),
    "other": (
        QuickReplyTemplate(
            "Thanks for your order",
            "Thank you for your order, {buyer_first_name}! We'll pack it with care and let you "
            "know as soon as {order_number} ships.",
            ("ordered",),
        ),
        QuickReplyTemplate(
            "Gift wrapping",
            "Hi {buyer_first_name}! We gift-wrap for free: once you've ordered, reply with the "
            "message you'd like on the card, and we'll leave the invoice out.",
            ("gift", "gift_general"),
        ),
    ),
}
# fmt: on
