"""What demo survey comments are made of: per score group, openers, details and closers.

``demo._comment`` takes a detail (sometimes two), and sometimes an opener
and a closer, and fills the slots (``{store}``, ``{when}``, ``{city}``,
``{item}`` for messaging), so hundreds of comments rarely read alike. Every
phrase is written to be read by the insights model as its group means:
``tests/test_demo.py`` checks that the model agrees with the high and low
groups.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Parts:
    openers: tuple[str, ...]
    details: tuple[str, ...]
    closers: tuple[str, ...]


CITIES = ("Cape Town", "Durban", "Gqeberha", "Bloemfontein", "Pretoria", "Polokwane", "Paarl")

MESSAGING = {
    "high": Parts(
        openers=("Excellent service.", "Very happy!", "Thank you!", "Top marks.", "Superb."),
        details=(
            "{store} answered within {when}, and the answer was perfect.",
            "Friendly and quick, I knew what to order after one message.",
            "The measurements they sent for {item} saved me a return.",
            "Really helpful, they even suggested a better size for me.",
            "Clear answer about delivery to {city}, and it arrived when they said.",
            "Lovely service: they patiently explained the difference between the two options.",
            "Great response time, I asked late in the evening and had a reply before breakfast.",
            "{store} sorted out my question about {item} straight away.",
            "Polite, fast and honest that the item was nearly sold out.",
            "Short and helpful answer, just how I like it.",
            "They sent a photo of {item} in daylight, which helped a lot.",
        ),
        closers=(
            "I will gladly buy from {store} again.",
            "Would recommend them to anyone.",
            "Keep it up!",
            "Best seller I have dealt with here.",
        ),
    ),
    "middle": Parts(
        openers=("It was okay.", "Not bad.", "Average.", "Fine, I suppose."),
        details=(
            "The answer was fine but it took {when}.",
            "Helpful in the end, though I had to ask twice.",
            "They answered, but did not really say when {item} would be back in stock.",
            "A photo of the actual item would have helped.",
            "The reply was polite but quite generic.",
            "I got an answer after {when}; by then I had looked elsewhere.",
            "The answer covered delivery to {city} but not the cost.",
        ),
        closers=(
            "Could be quicker.",
            "A bit more detail next time, please.",
            "Room to improve.",
        ),
    ),
    "low": Parts(
        openers=("Disappointed.", "Poor service.", "Not happy.", "Frustrating."),
        details=(
            "It took {when} to get a reply and by then I had ordered somewhere else.",
            "The answer ignored my question about the size of {item}.",
            "Nobody explained why my order was late, I only got a copy-paste reply.",
            "Slow and unhelpful, I would not ask {store} again.",
            "They told me it would ship in two days; it took a week.",
            "I asked about a refund three times before anyone answered.",
            "The reply about delivery to {city} was simply wrong.",
        ),
        closers=(
            "Slow answers are not good enough.",
            "I will not order from them again.",
            "Very poor communication.",
        ),
    ),
}

PLATFORM = {
    "buyer": {
        "high": Parts(
            openers=("Love it!", "Great marketplace.", "Brilliant."),
            details=(
                "Easy to find local stores, and the reviews are honest.",
                "Sellers reply fast and friendly here, I love it.",
                "Checkout is simple and I like following my order step by step.",
                "A great selection of handmade things you do not find in the malls.",
                "The reviews with photos help me a lot.",
                "Delivery has been quick and reliable every time.",
            ),
            closers=("I tell all my friends about it.", "Keep up the good work!"),
        ),
        "middle": Parts(
            openers=("Good overall.", "Mostly fine.", "Decent."),
            details=(
                "Delivery outside the big cities is slow.",
                "Search could be better; I struggle to filter by size.",
                "Some stores take long to answer.",
                "I would like to save products for later.",
                "Prices are fair but shipping adds up.",
            ),
            closers=("A few fixes would make it great.", "Getting better."),
        ),
        "low": Parts(
            openers=("Disappointing.", "Not impressed.", "Terrible experience."),
            details=(
                "Too many stores do not answer questions before I buy.",
                "My last two orders arrived late and nobody told me why.",
                "Returns are confusing and frustrating because every store has different rules.",
                "It is hard to compare prices between stores.",
                "Customer support was slow and unhelpful.",
            ),
            closers=("I shop elsewhere now.", "Really disappointing."),
        ),
    },
    "seller": {
        "high": Parts(
            openers=("Great platform.", "Happy seller here.", "Excellent tools."),
            details=(
                "The inbox sorted by who waits longest is brilliant, it changed how we work.",
                "Quick replies save my team hours every week.",
                "The insights pages are excellent and helped us fix our sizing early.",
                "Good buyers and fair fees.",
                "The review coach helps us answer buyers properly.",
            ),
            closers=("Thank you, SayPro!", "Our sales keep growing."),
        ),
        "middle": Parts(
            openers=("It works.", "Useful enough.", "Okay for now."),
            details=(
                "Useful tools, but I would like to export my reviews.",
                "The Seller Center works, but it took a while to learn.",
                "More buyers from outside Gauteng would help us grow.",
                "Reports could show more about returns.",
            ),
            closers=("Hoping for more features.", "Some rough edges."),
        ),
        "low": Parts(
            openers=("Hard times.", "Not happy.", "Frustrating."),
            details=(
                "Payouts take too long for a small business like mine.",
                "Too many questions from buyers who never order.",
                "I need better help when a buyer leaves an unfair review.",
                "Fees went up and sales went down.",
            ),
            closers=("Small sellers are badly treated.", "I am thinking of leaving."),
        ),
    },
}
