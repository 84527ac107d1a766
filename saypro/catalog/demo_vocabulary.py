"""The vocabulary of the demo marketplace: departments, aisles, items, places and names.

All of it written for this project. ``saypro.catalog.demo`` combines these
words into store names, product titles and descriptions, and people.
"""

from dataclasses import dataclass

# A department has aisles (its sub-categories). An aisle lists the items it
# sells with a price range in rand; a product title is "style material item"
# ("Hand-stitched full-grain leather belt"), where an item may narrow the
# aisle's styles and materials to the ones that suit it. Department texts
# give the sentences of a product description; an aisle may override them.


@dataclass(frozen=True)
class Item:
    noun: str
    low: int
    high: int
    styles: tuple[str, ...] | None = None
    materials: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Aisle:
    name: str
    store_words: tuple[str, ...]
    items: tuple[Item, ...]
    styles: tuple[str, ...] = ("",)
    materials: tuple[str, ...] = ("",)
    made: tuple[str, ...] | None = None
    sizes: tuple[str, ...] | None = None
    cares: tuple[str, ...] | None = None
    phrase: str = ""  # what a store of this aisle sells, for its description; default: name

    @property
    def goods(self) -> str:
        return self.phrase or self.name.lower()


@dataclass(frozen=True)
class Department:
    name: str
    promise: str
    made: tuple[str, ...]  # may use {material} and {city}
    plain: tuple[str, ...]  # for products without a material; may use {city}
    sizes: tuple[str, ...]
    cares: tuple[str, ...]
    variants: tuple[str, ...]  # title suffixes used only when an aisle runs out of titles
    aisles: tuple[Aisle, ...]


def _items(*rows) -> tuple[Item, ...]:
    return tuple(Item(*row) for row in rows)


# fmt: off
DEPARTMENTS: tuple[Department, ...] = (
    Department(
        name="Fashion",
        promise="Every piece is made to be worn for years, not a season.",
        made=(
            "Made from {material}, cut and sewn in {city}.",
            "We use {material} that softens and wears in beautifully.",
            "Crafted in {material} by a small team of makers.",
        ),
        plain=("Designed and made in small runs in {city}.",),
        sizes=(
            "Available in sizes XS to XXL; runs true to size.",
            "Relaxed fit: size down if you prefer it closer.",
            "Regular fit; our model is 1.78 m tall and wears a medium.",
            "See the size guide on each photo for exact measurements.",
        ),
        cares=(
            "Machine wash cold and line dry in the shade.", "Hand wash and dry flat.",
            "Cool iron on the reverse.",
        ),
        variants=(" – black", " – navy", " – olive"),
        aisles=(
            Aisle(
                name="Women's clothing",
                store_words=("Threads", "Atelier", "Dress Co", "Studio"),
                styles=("Relaxed", "Tailored", "Everyday", "Cropped", "Hand-dyed", "Wrap"),
                materials=("linen", "organic cotton", "shweshwe", "bamboo jersey"),
                items=_items(
                    ("dress", 450, 1400),
                    ("blouse", 320, 850),
                    ("wide-leg trousers", 480, 1100),
                    ("midi skirt", 380, 950),
                    ("shirt", 350, 900),
                ),
            ),
            Aisle(
                name="Men's clothing",
                store_words=("Outfitters", "Clothing Co", "Menswear", "Tailors"),
                styles=("Classic", "Slim-fit", "Relaxed-fit", "Everyday", "Garment-dyed"),
                materials=("cotton twill", "linen", "brushed flannel", "organic cotton"),
                items=_items(
                    ("shirt", 380, 950),
                    ("chinos", 450, 1100),
                    ("overshirt", 600, 1300),
                    ("shorts", 280, 650),
                    ("polo shirt", 299, 650),
                ),
            ),
            Aisle(
                name="Shoes",
                store_words=("Shoe Co", "Footwear", "Cobblers", "Sole Co"),
                styles=("Handmade", "Classic", "Lightweight", "Everyday", "Stitch-down"),
                materials=("suede", "full-grain leather", "canvas", "nubuck", "vegan leather"),
                items=_items(
                    ("vellies", 650, 1500),
                    ("sneakers", 700, 1900),
                    ("sandals", 400, 1100),
                    ("Chelsea boots", 1200, 2800),
                    ("loafers", 900, 2200),
                ),
                sizes=(
                    "Whole sizes UK 3 to 12; if you are between sizes, go up one.",
                    "True to size, with room for a thick sock.",
                ),
                cares=(
                    "Brush off dust and treat with a neutral wax now and then.",
                    "Let them dry naturally, away from heaters.",
                ),
            ),
            Aisle(
                name="Bags & leather goods",
                store_words=("Leather Works", "Leathercraft", "Saddlery", "Bag Co"),
                styles=("Hand-stitched", "Hand-finished", "Classic", "Heritage", "Minimalist"),
                materials=("full-grain leather", "waxed canvas", "vegetable-tanned leather"),
                items=_items(
                    ("belt", 350, 900),
                    ("wallet", 300, 850),
                    ("tote bag", 900, 2400),
                    ("laptop sleeve", 650, 1500),
                    ("crossbody bag", 850, 2200),
                    ("card holder", 180, 450),
                    ("weekend bag", 1600, 3800),
                ),
                sizes=(
                    "Belts come in waist sizes 80 to 110 cm; order your trouser size plus 5 cm.",
                    "Fits a 13-inch laptop, a water bottle and the day's odds and ends.",
                    "Slim enough for a front pocket.",
                ),
                cares=(
                    "Wipe clean with a damp cloth and condition twice a year.",
                    "Keep out of long direct sun; the leather darkens with age.",
                ),
            ),
            Aisle(
                name="Jewellery",
                store_words=("Jewellers", "Goldsmiths", "Beadwork", "Jewellery Co"),
                styles=("Handmade", "Delicate", "Hammered", "Minimalist", "Statement"),
                materials=("sterling silver", "9ct gold", "brass", "recycled silver"),
                items=_items(
                    ("earrings", 250, 1800),
                    ("necklace", 350, 2500),
                    ("ring", 300, 2200),
                    ("bracelet", 280, 1600),
                    ("pendant", 320, 1900),
                ),
                made=(
                    "Handmade in {city} from {material}.",
                    "Each piece is shaped and polished by hand in {material}.",
                ),
                sizes=(
                    "Rings in sizes J to T; chains are 45 cm with a 5 cm extender.",
                    "Adjustable, so it fits most wrists.",
                ),
                cares=(
                    "Polish with the cloth in the box; keep away from perfume and chlorine.",
                    "Store in the pouch it comes in to prevent scratches.",
                ),
            ),
            Aisle(
                name="Accessories",
                phrase="hats, scarves and headbands",
                store_words=("Accessories", "Hat Co", "Goods", "Trading Co"),
                styles=("Classic", "Handwoven", "Lightweight", "Reversible", "Packable"),
                materials=("cotton", "wool-blend", "linen", "recycled polyester"),
                items=_items(
                    ("scarf", 220, 650),
                    ("sun hat", 280, 750),
                    ("bucket hat", 220, 480),
                    ("beanie", 180, 380),
                    ("headband", 90, 220),
                ),
                sizes=("One size fits most.", "Packs flat for travel."),
                cares=("Hand wash cold and dry flat.",),
            ),
        ),
    ),
    Department(
        name="Home & Living",
        promise="Good things for the home, made to be used every day.",
        made=(
            "Made from {material} in {city}.",
            "Each one is finished by hand in {material}, so no two are quite alike.",
            "We chose {material} because it looks better every year.",
        ),
        plain=("Designed in {city} and made to last.",),
        sizes=(
            "Dimensions are on the second photo.", "Sized for everyday family use.",
            "Fits standard South African sizes.",
        ),
        cares=("Care instructions are on the label.", "Dust or wipe with a soft, dry cloth."),
        variants=(" – natural", " – charcoal", " – white"),
        aisles=(
            Aisle(
                name="Kitchen & dining",
                store_words=("Kitchen Co", "Cookware", "Kitchenworks", "Tableware"),
                styles=("Everyday", "Classic", "Handmade", "Heritage"),
                items=_items(
                    ("dinner plates, set of 4", 450, 1100, None, ("stoneware", "enamel")),
                    ("serving bowl", 250, 750, None, ("stoneware", "olivewood", "porcelain")),
                    ("casserole pot", 900, 2800, None, ("cast iron", "enamelled cast iron")),
                    ("chopping board", 220, 650, None, ("olivewood", "bamboo", "yellowwood")),
                    ("chef's knife", 450, 1900, None, ("carbon steel", "Damascus steel")),
                    ("mug", 120, 320, None, ("stoneware", "enamel", "porcelain")),
                ),
                cares=(
                    "Ceramics are dishwasher safe; wash wood and knives by hand and dry at once.",
                    "Oil wooden pieces now and then to keep them from drying out.",
                ),
            ),
            Aisle(
                name="Bedding & linen",
                store_words=("Linen Co", "Linen House", "Sleep Co", "Bedding"),
                styles=("Stonewashed", "Classic", "Hotel-quality", "Soft-washed"),
                materials=("linen", "cotton percale", "cotton sateen", "bamboo"),
                items=_items(
                    ("duvet cover, queen", 850, 2200),
                    ("fitted sheet, double", 400, 950),
                    ("pillowcases, pair", 250, 550),
                    ("throw", 550, 1400),
                    ("duvet cover, king", 950, 2500),
                ),
                cares=(
                    "Machine wash at 40 °C; it gets softer with every wash.",
                    "Line dry and iron while slightly damp.",
                ),
            ),
            Aisle(
                name="Décor",
                store_words=("Interiors", "Living", "Home", "Trading Co"),
                styles=("Handmade", "Small-batch", "Artisan", "Modern"),
                items=_items(
                    ("vase", 250, 900, None, ("ceramic", "recycled glass", "stoneware")),
                    ("cushion cover", 220, 550, None, ("linen", "mud cloth", "cotton")),
                    ("wall basket", 300, 900, None, ("ilala palm", "telephone wire", "sisal")),
                    ("mirror", 700, 2500, None, ("rattan", "brass", "oak")),
                    ("candle holder", 150, 450, None, ("brass", "ceramic")),
                    ("rug, 120 × 180 cm", 1200, 3800, None, ("jute", "wool", "cotton")),
                ),
            ),
            Aisle(
                name="Furniture",
                store_words=("Furniture", "Woodworks", "Joinery", "Design Co"),
                styles=("Solid", "Handcrafted", "Mid-century", "Scandi-style"),
                items=_items(
                    ("coffee table", 2500, 7500, None, ("oak", "pine", "reclaimed teak", "kiaat")),
                    ("bedside table", 1400, 3800, None, ("oak", "pine", "kiaat")),
                    ("bookshelf", 2200, 6500, None, ("oak", "pine", "reclaimed teak")),
                    ("bench", 1600, 4500, None, ("oak", "reclaimed teak")),
                    ("side table", 900, 2600, None, ("oak", "kiaat")),
                ),
                sizes=(
                    "Delivered assembled; dimensions are on the second photo.",
                    "Flat-packed with the tools you need; assembly takes about 20 minutes.",
                ),
                cares=("Wipe with a damp cloth; re-oil once a year.",),
            ),
            Aisle(
                name="Lighting",
                store_words=("Lighting", "Light Co", "Lamp Works", "Lumen"),
                styles=("Modern", "Industrial", "Dimmable", "Classic", "Adjustable"),
                materials=("brass", "rattan", "concrete", "ceramic", "matte-black steel"),
                items=_items(
                    ("table lamp", 650, 1900),
                    ("pendant light", 800, 2600),
                    ("floor lamp", 1200, 3800),
                    ("wall light", 550, 1500),
                    ("desk lamp", 450, 1300),
                ),
                sizes=("Takes an E27 bulb (not included); 1.8 m fabric cable.",),
                cares=("Switch off and dust with a dry cloth.",),
            ),
            Aisle(
                name="Bath",
                phrase="bath linen",
                store_words=("Bath Co", "Bath House", "Towel Co"),
                styles=("Quick-dry", "Plush", "Classic", "Waffle-weave"),
                materials=("Egyptian cotton", "Turkish cotton", "linen", "bamboo"),
                items=_items(
                    ("bath towel", 220, 550),
                    ("hand towel", 120, 280),
                    ("bath sheet", 320, 750),
                    ("bath mat", 220, 480),
                    ("gown", 650, 1500),
                ),
                cares=("Machine wash at 40 °C; tumble dry low.", "Wash before first use."),
            ),
        ),
    ),
    Department(
        name="Beauty",
        promise="Cruelty-free, made with South African botanicals.",
        made=(
            "Made with {material}, in small batches in {city}.",
            "Our {material} is sourced from growers we know by name.",
        ),
        plain=("Formulated and tested in {city}; cruelty-free and vegan.",),
        sizes=(
            "Suits all skin types.", "A little goes a long way: one jar lasts about two months.",
            "Free from parabens, sulphates and synthetic fragrance.",
        ),
        cares=(
            "Store below 25 °C and use within 12 months of opening.",
            "Patch test before first use.",
        ),
        variants=(" – travel size", " – refill"),
        aisles=(
            Aisle(
                name="Skincare",
                store_words=("Botanicals", "Apothecary", "Skin Co", "Naturals"),
                styles=("Nourishing", "Hydrating", "Gentle", "Brightening", "Soothing"),
                materials=("rooibos", "marula oil", "buchu", "aloe ferox", "baobab oil"),
                items=_items(
                    ("face cream, 50 ml", 180, 550),
                    ("face serum, 30 ml", 250, 750),
                    ("cleanser, 150 ml", 150, 380),
                    ("eye cream, 15 ml", 220, 520),
                    ("face oil, 30 ml", 220, 580),
                ),
            ),
            Aisle(
                name="Hair care",
                store_words=("Hair Co", "Naturals", "Salon", "Curl Co"),
                styles=("Moisturising", "Strengthening", "Curl-defining", "Sulphate-free"),
                materials=("argan", "coconut", "rooibos", "castor oil", "shea"),
                items=_items(
                    ("shampoo, 250 ml", 120, 320),
                    ("conditioner, 250 ml", 130, 330),
                    ("leave-in cream, 200 ml", 150, 350),
                    ("hair mask, 200 ml", 160, 380),
                ),
                sizes=("Made for natural, coily and curly hair.", "Suits all hair types."),
            ),
            Aisle(
                name="Fragrance",
                phrase="fragrances",
                store_words=("Perfumery", "Scent Co", "Fragrances", "Parfums"),
                styles=("Fresh", "Warm", "Woody", "Floral"),
                materials=("fynbos", "vanilla", "cedarwood", "neroli", "rooibos", "sandalwood"),
                items=_items(
                    ("eau de parfum, 50 ml", 450, 1400),
                    ("eau de toilette, 100 ml", 380, 1100),
                    ("solid perfume, 15 g", 180, 420),
                    ("perfume oil, 10 ml", 180, 450),
                ),
                sizes=("Lasts six to eight hours on the skin.",),
            ),
            Aisle(
                name="Bath & body",
                store_words=("Soap Co", "Soapery", "Bath & Body", "Botanicals"),
                styles=("Handmade", "Exfoliating", "Softening", "Calming"),
                materials=("lavender", "rooibos", "oat", "charcoal", "buchu", "rose geranium"),
                items=_items(
                    ("soap bar", 65, 150),
                    ("body butter, 200 ml", 150, 350),
                    ("bath salts, 500 g", 120, 280),
                    ("body scrub, 250 ml", 140, 320),
                    ("hand cream, 75 ml", 90, 220),
                ),
            ),
            Aisle(
                name="Make-up",
                store_words=("Cosmetics", "Beauty", "Make-up Co", "Studio"),
                styles=("Long-wear", "Matte", "Satin", "Sheer", "Buildable", "Vegan"),
                items=_items(
                    ("lipstick", 120, 350),
                    ("foundation, 30 ml", 180, 480),
                    ("mascara", 120, 320),
                    ("eyeshadow palette", 220, 650),
                    ("blush", 140, 380),
                    ("lip gloss", 90, 250),
                    ("brow pencil", 80, 220),
                ),
                sizes=("Shades for every skin tone; see the swatches on the photos.",),
            ),
        ),
    ),
    Department(
        name="Electronics",
        promise="Every device has a 12-month warranty and local support.",
        made=("Built around {material}.",),
        plain=(
            "Tested in {city} before dispatch and covered by a 12-month warranty.",
            "Comes with a 12-month warranty and a local returns address.",
        ),
        sizes=(
            "Full specifications are on the photos.",
            "Compatibility is listed in the photos; ask us if you are unsure.",
        ),
        cares=("Keep dry and away from direct heat.", "Clean with a soft, dry cloth."),
        variants=(" – black", " – white", " – grey"),
        aisles=(
            Aisle(
                name="Phones & accessories",
                store_words=("Mobile", "Connect", "Gadgets", "Cell Co"),
                items=_items(
                    ("power bank, 10 000 mAh", 350, 900, ("Slim", "Rugged", "Fast-charging")),
                    ("USB-C cable, 2 m", 120, 300, ("Braided", "Fast-charging", "Heavy-duty")),
                    ("phone case", 150, 550, ("Slim", "Rugged", "Clear", "Shockproof")),
                    ("wall charger, 30 W", 250, 650, ("Compact", "Fast", "Dual-port")),
                    ("car phone mount", 180, 450, ("Magnetic", "Vent", "Dashboard")),
                    ("wireless charging pad", 300, 800, ("Slim", "Fast", "Dual")),
                    ("screen protector, 2-pack", 100, 280, ("Tempered-glass", "Privacy")),
                ),
            ),
            Aisle(
                name="Audio",
                phrase="audio gear",
                store_words=("Audio", "Sound Co", "Hi-Fi", "Acoustics"),
                items=_items(
                    ("wireless earbuds", 450, 2500, ("Noise-cancelling", "Sport", "Compact")),
                    ("over-ear headphones", 900, 4500, ("Noise-cancelling", "Studio", "Foldable")),
                    ("Bluetooth speaker", 450, 2800, ("Waterproof", "Portable", "Rugged")),
                    ("turntable", 2500, 7500, ("Belt-drive", "Bluetooth", "Classic")),
                    ("soundbar", 1800, 6500, ("Compact", "Dolby Atmos", "2.1-channel")),
                    ("bookshelf speakers, pair", 2200, 7000, ("Powered", "Passive", "Wireless")),
                    ("DAB+ radio", 700, 1800, ("Portable", "Retro", "Kitchen")),
                ),
            ),
            Aisle(
                name="Computer accessories",
                store_words=("Computers", "Tech", "Digital", "Data Co"),
                items=_items(
                    ("wireless mouse", 250, 900, ("Ergonomic", "Silent-click", "Compact")),
                    ("mechanical keyboard", 900, 2800, ("Compact", "Wireless", "Low-profile")),
                    ("laptop stand", 350, 950, ("Adjustable", "Foldable", "Aluminium")),
                    ("USB-C hub, 7-in-1", 450, 1200, ("Slim", "Travel", "Aluminium")),
                    ("webcam, 1080p", 600, 1800, ("Wide-angle", "Autofocus", "Compact")),
                    ("external SSD, 1 TB", 1300, 2800, ("Portable", "Rugged", "Pocket")),
                    ("monitor arm", 700, 1900, ("Gas-spring", "Dual", "Single")),
                ),
            ),
            Aisle(
                name="Smart home",
                phrase="smart-home gear",
                store_words=("Smart Home", "Home Tech", "Connected", "Automation"),
                items=_items(
                    ("smart plug", 200, 450, ("Wi-Fi", "Energy-monitoring", "Outdoor")),
                    ("security camera", 700, 2200, ("Indoor", "Outdoor", "Pan-and-tilt")),
                    ("smart bulb, E27", 150, 380, ("Colour", "Warm-white", "Dimmable")),
                    ("video doorbell", 1200, 3200, ("Wireless", "Battery", "Wired")),
                    ("backup power station", 2500, 9500, ("Portable", "Compact", "Solar-ready")),
                    ("rechargeable LED lantern", 180, 550, ("Load-shedding", "Camping", "Solar")),
                    ("motion sensor", 250, 650, ("Wi-Fi", "Zigbee", "Outdoor")),
                ),
            ),
            Aisle(
                name="Cameras",
                phrase="camera gear",
                store_words=("Camera Co", "Photo", "Optics", "Imaging"),
                items=_items(
                    ("tripod", 400, 2200, ("Travel", "Carbon-fibre", "Aluminium", "Compact")),
                    ("camera bag", 500, 1800, ("Sling", "Backpack", "Waterproof")),
                    ("action camera, 4K", 2500, 6500, ("Waterproof", "Stabilised", "Compact")),
                    ("SD card, 128 GB", 250, 650, ("High-speed", "V30", "Pro")),
                    ("lens filter kit", 350, 1100, ("ND", "UV and polariser", "Magnetic")),
                    ("ring light, 18-inch", 600, 1500, ("Dimmable", "Bi-colour", "Portable")),
                    ("instant camera", 1300, 2600, ("Retro", "Compact", "Mini")),
                ),
            ),
            Aisle(
                name="Gaming",
                phrase="gaming gear",
                store_words=("Gaming", "Games", "Arcade", "Play"),
                items=_items(
                    ("gaming headset", 600, 2500, ("Wireless", "Surround", "Lightweight")),
                    ("controller", 800, 1600, ("Wireless", "Pro", "Ergonomic")),
                    ("gaming mouse", 400, 1500, ("Lightweight", "RGB", "Wireless")),
                    ("mouse pad, XL", 200, 500, ("Stitched-edge", "RGB", "Cloth")),
                    ("gaming chair", 2500, 6500, ("Ergonomic", "Reclining", "Fabric")),
                    ("charging dock", 350, 800, ("Dual", "Fast", "Compact")),
                    ("capture card", 1500, 3500, ("4K", "USB", "Portable")),
                ),
            ),
        ),
    ),
    Department(
        name="Sport & Outdoors",
        promise="Kit tested on South African trails, roads and beaches.",
        made=("Made from {material} that stands up to real use.", "Built in {material}."),
        plain=("Tested by our team on weekends out of {city}.", "Built for hard use."),
        sizes=(
            "Sizes and weights are listed on the photos.",
            "Not sure which size? Message us; we answer within a day.",
        ),
        cares=("Clean after use and store dry, out of the sun.",),
        variants=(" – black", " – navy", " – red"),
        aisles=(
            Aisle(
                name="Hiking & camping",
                phrase="hiking and camping gear",
                store_words=("Outdoor", "Trail Co", "Adventure", "Expeditions"),
                items=_items(
                    ("daypack, 25 L", 550, 1600,
                     ("Lightweight", "Waterproof"),
                     ("ripstop nylon", "canvas")),
                    ("sleeping bag", 900, 3200, ("Three-season", "Compact"), ("down", "synthetic")),
                    ("two-person tent", 1800, 6500,
                     ("Lightweight", "Three-season", "Freestanding")),
                    ("hiking poles, pair", 450, 1400, ("Folding",), ("aluminium", "carbon")),
                    ("camp stove", 450, 1500, ("Compact", "Two-burner", "Gas")),
                    ("headlamp", 250, 850, ("Rechargeable", "Waterproof", "Lightweight")),
                    ("water bottle, 1 L", 180, 500, ("Insulated",), ("stainless steel",)),
                ),
                made=(
                    "Tested on multi-day hikes in the Drakensberg.",
                    "Packs small and weighs little.",
                ),
            ),
            Aisle(
                name="Cycling",
                phrase="cycling gear",
                store_words=("Cycles", "Bike Co", "Cycling", "Velo"),
                items=_items(
                    ("cycling jersey", 550, 1400, ("Short-sleeve", "Long-sleeve", "Lightweight")),
                    ("bike light set", 300, 1200, ("Rechargeable", "High-lumen", "Compact")),
                    ("cycling helmet", 700, 2800, ("Road", "Mountain", "Commuter")),
                    ("bike lock", 300, 950, ("Heavy-duty", "Folding", "Cable")),
                    ("saddle bag", 250, 650, ("Waterproof", "Compact", "Expandable")),
                    ("cycling gloves", 200, 550, ("Padded", "Fingerless", "Full-finger")),
                    ("mini pump", 250, 650, ("Compact", "Dual-valve", "CO2")),
                ),
            ),
            Aisle(
                name="Running",
                phrase="running gear",
                store_words=("Running Co", "Run Club", "Athletics", "Stride"),
                items=_items(
                    ("running shorts", 280, 650, ("Lightweight", "Lined", "Split-hem")),
                    ("running vest", 250, 600, ("Breathable", "Lightweight", "Reflective")),
                    ("running socks, 3-pack", 150, 380, ("Cushioned", "No-show", "Compression")),
                    ("hydration vest", 650, 1800, ("Trail", "Lightweight", "Race")),
                    ("running cap", 200, 450, ("Quick-dry", "Reflective", "Lightweight")),
                    ("trail running shoes", 1400, 3200, ("Grippy", "Cushioned", "Lightweight")),
                    ("GPS running watch", 2500, 7500, ("Lightweight", "Solar", "Multisport")),
                ),
            ),
            Aisle(
                name="Fitness",
                phrase="fitness gear",
                store_words=("Fitness", "Gym Co", "Strength", "Training Co"),
                items=_items(
                    ("yoga mat", 300, 950, ("Non-slip", "Travel"), ("natural rubber", "cork")),
                    ("dumbbells, pair", 450, 2400, ("Hex", "Adjustable", "Neoprene-coated")),
                    ("kettlebell", 350, 1200, ("Cast-iron", "Competition", "Vinyl-coated")),
                    ("resistance bands, set of 5", 180, 450, ("Fabric", "Latex", "Loop")),
                    ("skipping rope", 120, 380, ("Speed", "Weighted", "Beaded")),
                    ("foam roller", 200, 550, ("Textured", "High-density", "Vibrating")),
                    ("gym towel", 120, 300, ("Microfibre", "Quick-dry", "Cooling")),
                ),
            ),
            Aisle(
                name="Water sports",
                phrase="water-sports gear",
                store_words=("Surf Co", "Surf Shop", "Watersports", "Board Co"),
                items=_items(
                    ("wetsuit, 3/2 mm", 1800, 4500, ("Chest-zip", "Back-zip", "Summer")),
                    ("surfboard leash", 300, 600, ("Competition", "Regular", "Big-wave")),
                    ("rash vest", 300, 700, ("Long-sleeve", "Short-sleeve", "UV50")),
                    ("stand-up paddleboard", 4500, 12000, ("Inflatable", "Touring", "All-round")),
                    ("swimming goggles", 150, 450, ("Anti-fog", "Mirrored", "Open-water")),
                    ("dry bag, 20 L", 250, 600, ("Roll-top", "Waterproof", "Heavy-duty")),
                    ("surf wax, 3-pack", 90, 180, ("Cold-water", "Warm-water", "Tropical")),
                    ("beach towel", 250, 600, ("Sand-free", "Quick-dry", "Oversized")),
                ),
                cares=("Rinse in fresh water after use and dry in the shade.",),
            ),
            Aisle(
                name="Team sports",
                phrase="team-sports kit",
                store_words=("Sports", "Sport Co", "Teamwear", "Athletic"),
                items=_items(
                    ("rugby ball", 250, 800, ("Match", "Training", "Mini")),
                    ("cricket bat", 900, 4500, ("English-willow", "Kashmir-willow", "Junior")),
                    ("soccer ball", 250, 800, ("Match", "Training", "Futsal")),
                    ("netball", 250, 650, ("Match", "Training")),
                    ("shin guards", 150, 450, ("Slip-in", "Ankle", "Lightweight")),
                    ("cricket pads", 600, 1800, ("Lightweight", "Junior", "Test")),
                    ("hockey stick", 800, 3200, ("Composite", "Wooden", "Junior")),
                    ("kit bag", 450, 1200, ("Wheeled", "Duffel", "Team")),
                ),
            ),
        ),
    ),
    Department(
        name="Kids",
        promise="Safe, sturdy and tested by real children.",
        made=("Made from {material}, safe for little hands.", "Made in {material} in {city}."),
        plain=("Safety-tested and made to be played with hard.",),
        sizes=("Age guidance is on the label.", "Suitable from 3 years."),
        cares=("Wipe clean with a damp cloth.", "Non-toxic, child-safe finishes only."),
        variants=(" – blue", " – yellow", " – green"),
        aisles=(
            Aisle(
                name="Baby",
                phrase="baby essentials",
                store_words=("Baby Co", "Little Ones", "Nursery", "Cradle Co"),
                items=_items(
                    ("onesie, 3-pack", 250, 550,
                     ("Short-sleeve", "Long-sleeve"),
                     ("organic cotton", "bamboo")),
                    ("swaddle blanket", 200, 550, ("Breathable", "Muslin"), ("cotton", "bamboo")),
                    ("baby carrier", 900, 2800, ("Ergonomic", "Lightweight", "Wrap-style")),
                    ("teething toy", 90, 250,
                     ("Natural",),
                     ("silicone", "beechwood", "natural rubber")),
                    ("bib set", 120, 300, ("Waterproof", "Bandana"), ("cotton", "silicone")),
                    ("nappy bag", 550, 1600, ("Backpack", "Tote-style", "Changing")),
                    ("baby sleeping bag", 350, 850, ("Lightweight", "Winter", "All-season")),
                ),
                sizes=("Suitable from birth.", "Sized 0 to 12 months; see the size chart."),
                cares=("Machine wash at 30 °C.", "Wash before first use."),
            ),
            Aisle(
                name="Toys",
                store_words=("Toy Co", "Toys", "Playroom", "Toy Box"),
                items=_items(
                    ("building blocks, 50 pieces", 250, 750, ("Classic", "Rainbow"), ("wooden",)),
                    ("stacking rings", 150, 380, ("Rainbow", "Classic"), ("wooden", "silicone")),
                    ("doll's house", 900, 2800, ("Three-storey", "Classic", "Modern"), ("wooden",)),
                    ("ride-on car", 900, 3200, ("Push-along", "Electric", "Classic")),
                    ("soft toy elephant", 180, 480, ("Hand-knitted", "Crochet", "Cuddly")),
                    ("soft toy giraffe", 180, 480, ("Hand-knitted", "Crochet", "Cuddly")),
                    ("train set", 450, 1600, ("Wooden", "Battery-powered", "Starter")),
                    ("kite", 150, 450, ("Rainbow", "Stunt", "Classic")),
                ),
                made=(
                    "Safety-tested and made to be played with hard.",
                    "Designed in {city} to last through years of play.",
                ),
            ),
            Aisle(
                name="Kids' clothing",
                store_words=("Kids", "Little Threads", "Kidswear", "Mini Co"),
                styles=("Everyday", "Printed", "Striped", "Cosy"),
                items=_items(
                    ("T-shirt", 120, 280, None, ("organic cotton", "cotton jersey")),
                    ("dungarees", 300, 650, None, ("denim", "corduroy")),
                    ("hoodie", 280, 550, None, ("fleece", "organic cotton")),
                    ("pyjama set", 250, 480, None, ("cotton jersey", "brushed cotton")),
                    ("dress", 250, 550, None, ("cotton", "linen")),
                    ("shorts", 150, 320, None, ("denim", "cotton twill")),
                ),
                sizes=("Sizes 1 to 10 years; generous fit with room to grow.",),
                cares=("Machine wash at 30 °C.", "Tumble dry low."),
            ),
            Aisle(
                name="School",
                phrase="school supplies",
                store_words=("School Supplies", "Schoolwear", "Class Co", "Back to School"),
                items=_items(
                    ("school backpack", 350, 950, ("Ergonomic", "Waterproof", "Lightweight")),
                    ("lunch box", 120, 350, ("Leak-proof", "Bento", "Insulated")),
                    ("pencil case", 80, 250, ("Zip", "Double-decker", "Canvas")),
                    ("water bottle, 500 ml", 120, 300, ("Insulated", "Leak-proof", "Flip-straw")),
                    ("school shoes", 400, 900, ("Lace-up", "Velcro", "Hard-wearing")),
                    ("calculator", 200, 650, ("Scientific", "Basic")),
                    ("book covers, 10-pack", 60, 150, ("Clear", "Self-adhesive")),
                    ("stationery set", 150, 450, ("Back-to-school", "Geometry", "Art")),
                ),
            ),
            Aisle(
                name="Games & puzzles",
                store_words=("Games", "Puzzle Co", "Game Room", "Family Games"),
                items=_items(
                    ("jigsaw, 1000 pieces", 180, 450, ("Cape Town", "Big Five", "Table Mountain")),
                    ("board game", 350, 900, ("Family", "Strategy", "Co-operative")),
                    ("card game", 120, 350, ("Party", "Family", "Two-player")),
                    ("chess set", 300, 1500, ("Wooden", "Travel", "Tournament")),
                    ("morabaraba board", 250, 700, ("Hand-carved", "Wooden", "Travel")),
                    ("jigsaw, 500 pieces", 150, 350, ("Fynbos", "Wildlife", "Map of Africa")),
                    ("dominoes set", 150, 400, ("Classic", "Travel", "Jumbo")),
                    ("marbles, bag of 50", 60, 150, ("Glass", "Classic")),
                ),
            ),
        ),
    ),
    Department(
        name="Food & Drink",
        promise="Small-batch, locally sourced and packed fresh.",
        made=(
            "Sourced from small South African producers and packed in {city}.",
            "Made in small batches in {city}.",
        ),
        plain=("Made in small batches in {city}.", "Packed by hand in {city}."),
        sizes=(
            "Best before at least three months from dispatch.", "Packed in a resealable pouch.",
            "Halaal certified.",
        ),
        cares=("Store in a cool, dry place.", "Keep sealed once opened."),
        variants=(" – gift pack", " – twin pack"),
        aisles=(
            Aisle(
                name="Coffee & tea",
                store_words=("Roastery", "Coffee Co", "Tea Co", "Roasters"),
                items=_items(
                    ("coffee beans, 250 g", 120, 260,
                     ("Single-origin", "Medium-roast", "Espresso-roast"),
                     ("Ethiopian", "Kenyan", "Colombian", "Rwandan")),
                    ("ground coffee, 500 g", 180, 380,
                     ("Medium-roast", "Dark-roast"),
                     ("house-blend",)),
                    ("loose-leaf tea, 100 g", 80, 220,
                     ("Organic",),
                     ("rooibos", "honeybush", "green rooibos", "chai rooibos")),
                    ("tea bags, box of 40", 60, 150,
                     ("Organic", "Classic"),
                     ("rooibos", "honeybush")),
                    ("cold brew kit", 250, 550, ("Starter", "Deluxe")),
                    ("coffee capsules, 30-pack", 180, 380, ("Compostable",), ("espresso", "decaf")),
                ),
            ),
            Aisle(
                name="Pantry",
                store_words=("Pantry", "Deli", "Provisions", "Farm Co"),
                items=_items(
                    ("olive oil, 500 ml", 120, 320,
                     ("Extra-virgin", "Cold-pressed"),
                     ("Karoo", "Swartland")),
                    ("honey, 500 g", 90, 250,
                     ("Raw", "Creamed"),
                     ("fynbos", "macadamia", "eucalyptus")),
                    ("jam, 350 g", 60, 140,
                     ("Small-batch",),
                     ("fig", "apricot", "youngberry", "Cape gooseberry")),
                    ("chutney, 400 g", 55, 120, ("Spicy", "Mild"), ("peach", "mango")),
                    ("sea salt, 250 g", 60, 150, ("Flaked", "Smoked"), ("Kalahari", "West Coast")),
                    ("pasta, 500 g", 50, 120, ("Bronze-cut", "Artisan"), ("durum-wheat",)),
                ),
            ),
            Aisle(
                name="Sweets & baking",
                store_words=("Bakery", "Confectionery", "Sweet Co", "Baking Co"),
                items=_items(
                    ("rusks, 500 g", 80, 180, ("Buttermilk", "Aniseed", "Muesli", "Bran")),
                    ("fudge, 200 g", 60, 140, ("Vanilla", "Salted caramel", "Peppermint crisp")),
                    ("chocolate slab, 100 g", 50, 130, ("Dark", "Milk", "White", "Bean-to-bar")),
                    ("baking mix", 70, 160, ("Malva pudding", "Banana bread", "Brownie")),
                    ("shortbread, tin of 12", 90, 220, ("Classic", "Lemon", "Rooibos")),
                    ("nougat, 150 g", 70, 160, ("Almond", "Macadamia", "Cranberry")),
                    ("brittle, 200 g", 60, 140, ("Macadamia", "Peanut", "Pecan")),
                ),
            ),
            Aisle(
                name="Biltong & snacks",
                store_words=("Biltong Co", "Butchery", "Snacks", "Smokehouse"),
                items=_items(
                    ("biltong, 250 g", 120, 280,
                     ("Sliced", "Chilli", "Traditional"),
                     ("beef", "kudu", "springbok")),
                    ("droëwors, 200 g", 90, 200, ("Traditional", "Chilli", "Peri-peri")),
                    ("chilli bites, 200 g", 90, 200, ("Hot", "Mild", "Smoked")),
                    ("mixed nuts, 400 g", 90, 220, ("Roasted", "Salted", "Chilli-lime")),
                    ("dried fruit mix, 500 g", 80, 180, ("Orchard", "Tropical", "Cape")),
                    ("biltong snap sticks, 100 g", 60, 140, ("Chilli", "Original", "Peri-peri")),
                    ("popcorn, 150 g", 40, 90, ("Caramel", "Sea-salt", "Cheese")),
                ),
            ),
            Aisle(
                name="Spices & sauces",
                store_words=("Spice Co", "Spice Route", "Sauce Co", "Spice Traders"),
                items=_items(
                    ("braai spice, 200 g", 55, 130,
                     ("Smoky", "Traditional", "Peri-peri", "Lemon-and-herb")),
                    ("curry masala, 100 g", 45, 110, ("Durban", "Mild", "Hot", "Cape Malay")),
                    ("chilli sauce, 250 ml", 50, 130, ("Peri-peri", "Habanero", "Smoked chipotle")),
                    ("spice rub, 150 g", 60, 140, ("Coffee", "Smoked paprika", "Lamb", "Chicken")),
                    ("atchar, 400 g", 55, 120, ("Mango", "Mixed", "Lemon")),
                    ("spice gift set", 180, 450, ("Braai", "Curry", "Starter")),
                    ("peppercorns, 100 g", 50, 120, ("Whole", "Mixed", "Green")),
                ),
            ),
            Aisle(
                name="Hampers & gifts",
                store_words=("Hampers", "Gift Co", "Gifting", "Gift Box Co"),
                items=_items(
                    ("gift hamper", 450, 1800,
                     ("Gourmet", "Rooibos", "Biltong", "Sweet-tooth", "Braai")),
                    ("gift box", 250, 750, ("Chocolate", "Tea", "Spa", "Snack", "Fynbos")),
                    ("celebration hamper", 900, 2800, ("Deluxe", "Family", "Office")),
                    ("Christmas hamper", 800, 2500, ("Traditional", "Deluxe", "Festive")),
                    ("corporate gift box", 350, 1100, ("Branded", "Executive", "Welcome")),
                    ("picnic basket", 700, 2200, ("Two-person", "Four-person", "Wicker")),
                ),
                sizes=("Comes with a handwritten card; add your message at checkout.",),
            ),
        ),
    ),
    Department(
        name="Books & Stationery",
        promise="Hand-picked titles and stationery we use ourselves.",
        made=("Printed and bound in {city}.",),
        plain=("Printed on FSC-certified paper.", "Made in {city} on recycled paper."),
        sizes=("Ships in protective packaging.", "Sizes and page counts are on the photos."),
        cares=("Gift wrapping available at checkout.", "Keep away from damp."),
        variants=(" – signed copy", " – gift edition"),
        aisles=(
            Aisle(
                name="Fiction",
                phrase="novels",
                store_words=("Books", "Bookshop", "Booksellers", "Reading Room"),
                styles=(
                    "The Last Train to", "Winter in", "A House in", "Letters from", "Summer in",
                    "The Beekeeper of", "The Orchard at",
                ),
                materials=(
                    "Matjiesfontein", "Nieu-Bethesda", "Paternoster", "Hogsback", "Kalk Bay",
                    "Sutherland", "Prince Albert", "Barrydale",
                ),
                items=_items(
                    ("– paperback", 180, 320),
                    ("– hardcover", 290, 450),
                ),
                made=(
                    "A warm, page-turning novel set in {material}.",
                    "A family saga that moves between Johannesburg and {material}.",
                ),
                sizes=("Paperbacks are B-format; hardcovers come with a dust jacket.",),
            ),
            Aisle(
                name="Non-fiction",
                phrase="non-fiction books",
                store_words=("Books", "Book Co", "Booksellers", "Press"),
                items=_items(
                    ("– paperback", 220, 420,
                     ("A Short History of", "The Story of", "A Journey through"),
                     ("the Karoo", "Cape Town", "the Drakensberg", "Soweto", "the Wild Coast")),
                    ("– hardcover", 350, 650,
                     ("Cooking with", "Recipes from", "The Flavours of"),
                     ("Cape Malay spices", "the Karoo", "Durban", "fynbos")),
                ),
                made=(
                    "Richly illustrated, with maps and photographs.",
                    "Well researched and a pleasure to read.",
                ),
            ),
            Aisle(
                name="Children's books",
                store_words=("Story Co", "Little Readers", "Storytime", "Picture Books"),
                items=_items(
                    ("– picture book", 140, 280,
                     ("The Little", "The Brave", "The Sleepy", "The Curious"),
                     ("Meerkat", "Hippo", "Penguin", "Zebra", "Aardvark")),
                    ("– board book", 90, 180,
                     ("Goodnight,", "Counting with"),
                     ("Meerkat", "Hippo", "Zebra")),
                ),
                made=("A read-aloud story with bright illustrations, for ages 2 to 6.",),
                sizes=("Sturdy pages for small hands.", "Available in English and isiZulu."),
            ),
            Aisle(
                name="Stationery",
                store_words=("Paper Co", "Stationers", "Paperie", "Letterpress"),
                items=_items(
                    ("notebook, A5", 90, 280,
                     ("Dotted", "Lined", "Plain"),
                     ("linen-bound", "leather-bound")),
                    ("fountain pen", 250, 1500, ("Classic", "Demonstrator", "Pocket")),
                    ("weekly planner", 180, 380, ("Undated", "Desk", "Pocket")),
                    ("greeting cards, set of 6", 90, 220,
                     ("Letterpress", "Hand-painted", "Botanical")),
                    ("washi tape, 5-pack", 60, 150, ("Botanical", "Geometric", "Pastel")),
                    ("desk organiser", 180, 550, ("Modular", "Minimal"), ("oak", "cork", "bamboo")),
                ),
                made=(
                    "Designed in {city} and made to be used every day.",
                    "Made by a small studio in {city}.",
                ),
            ),
            Aisle(
                name="Art supplies",
                store_words=("Art Supplies", "Art Co", "Studio", "Art Store"),
                items=_items(
                    ("watercolour set, 24 colours", 250, 900,
                     ("Student", "Artist-grade", "Travel")),
                    ("acrylic paint set, 12 colours", 200, 650,
                     ("Student", "Heavy-body", "Metallic")),
                    ("sketchbook, A4", 120, 380, ("Spiral-bound", "Hardback", "Mixed-media")),
                    ("brush set", 150, 550, ("Synthetic", "Watercolour", "Detail")),
                    ("stretched canvas, 40 × 50 cm", 120, 320, ("Cotton", "Linen", "Deep-edge")),
                    ("pastel set", 180, 650, ("Soft", "Oil", "Chalk")),
                    ("drawing pencils, set of 12", 90, 280, ("Graphite", "Charcoal", "Colour")),
                    ("easel", 450, 1800, ("Tabletop", "Studio", "Field")),
                ),
                made=(
                    "Artist-tested materials, chosen by our team in {city}.",
                    "Good enough for professionals, priced for students.",
                ),
            ),
        ),
    ),
    Department(
        name="Garden",
        promise="Grown and chosen for South African gardens.",
        made=("Made from {material} that weathers well.", "Made in {material}; built for our sun."),
        plain=("Chosen for South African gardens by our team in {city}.",),
        sizes=("Dimensions are on the second photo.", "Suits a balcony or a small garden."),
        cares=("Clean and store dry after use.", "Cover or bring indoors in heavy frost."),
        variants=(" – small", " – large"),
        aisles=(
            Aisle(
                name="Plants",
                phrase="plants and seeds",
                store_words=("Nursery", "Plant Co", "Greenhouse", "Gardens"),
                items=_items(
                    ("in 15 cm pot", 90, 250,
                     None,
                     ("Spekboom", "Strelitzia", "Agapanthus", "Clivia", "Monstera", "Snake plant")),
                    ("in 25 cm pot", 220, 650,
                     None,
                     ("Pincushion protea", "Wild dagga", "Fiddle-leaf fig", "Cape honeysuckle")),
                    ("seedlings, tray of 6", 60, 140,
                     None,
                     ("Basil", "Tomato", "Chilli", "Lettuce")),
                    ("seed pack", 35, 80,
                     ("Heirloom", "Organic"),
                     ("tomato", "bean", "pumpkin", "sunflower")),
                ),
                made=(
                    "Grown in our nursery outside {city}.",
                    "Propagated from our own mother plants.",
                ),
                sizes=(
                    "Thrives in full sun to light shade.", "Plants travel in their pot, wrapped.",
                ),
                cares=("Water deeply once a week; less in winter.",),
            ),
            Aisle(
                name="Pots & planters",
                store_words=("Pottery", "Planters", "Pot Co", "Clay Works"),
                styles=("Glazed", "Hand-thrown", "Classic", "Self-watering", "Tall"),
                materials=("terracotta", "fibreclay", "concrete", "ceramic"),
                items=_items(
                    ("planter, 30 cm", 180, 650),
                    ("pot, 20 cm", 90, 350),
                    ("trough planter, 60 cm", 350, 950),
                    ("hanging planter", 150, 450),
                ),
                sizes=("Has a drainage hole and a saucer.",),
            ),
            Aisle(
                name="Garden tools",
                store_words=("Garden Tools", "Toolworks", "Garden Co", "Hardware"),
                items=_items(
                    ("pruning shears", 180, 650, ("Bypass", "Anvil", "Ratchet")),
                    ("garden fork", 250, 700,
                     ("Digging", "Border"),
                     ("stainless steel", "carbon steel")),
                    ("hand trowel", 90, 280,
                     ("Ergonomic", "Classic"),
                     ("stainless steel", "carbon steel")),
                    ("watering can, 9 L", 200, 650,
                     ("Classic", "Long-spout"),
                     ("galvanised steel", "recycled plastic")),
                    ("hose reel, 30 m", 450, 1400, ("Wall-mounted", "Mobile")),
                    ("garden gloves", 80, 250, ("Thorn-proof", "Breathable", "Leather")),
                    ("rake", 180, 500, ("Leaf", "Bow", "Adjustable")),
                ),
            ),
            Aisle(
                name="Outdoor furniture",
                store_words=("Outdoor Living", "Patio Co", "Garden Furniture", "Stoep Co"),
                items=_items(
                    ("patio chair", 800, 2500,
                     ("Stackable", "Folding"),
                     ("teak", "aluminium", "eucalyptus")),
                    ("patio table", 1800, 6500,
                     ("Round", "Folding", "Extendable"),
                     ("teak", "aluminium")),
                    ("sun lounger", 1800, 5500, ("Adjustable", "Stackable"), ("teak", "aluminium")),
                    ("hammock", 600, 1800, ("Brazilian", "Quilted"), ("cotton", "canvas")),
                    ("garden bench", 1800, 5200,
                     ("Two-seater", "Three-seater"),
                     ("teak", "cast iron")),
                ),
            ),
            Aisle(
                name="Braai & fire",
                phrase="braai gear",
                store_words=("Braai Co", "Fire Co", "Grill Works", "Firepit Co"),
                items=_items(
                    ("kettle braai, 57 cm", 1800, 4500, ("Classic", "Premium")),
                    ("braai tongs", 150, 400,
                     ("Long-handle", "Heavy-duty"),
                     ("stainless steel", "carbon steel")),
                    ("potjie pot, size 3", 550, 1500,
                     ("Three-legged", "Flat-bottomed"),
                     ("cast iron",)),
                    ("braai grid", 250, 750, ("Hinged", "Adjustable", "Heavy-duty")),
                    ("fire pit", 1200, 4500, ("Portable", "Corten-steel", "Cast-iron")),
                    ("firelighters, box of 48", 40, 100, ("Eco", "Odourless")),
                    ("braai apron", 180, 450,
                     ("Heavy-duty", "Classic"),
                     ("canvas", "leather", "denim")),
                    ("braai stand", 900, 3200, ("Portable", "Built-in", "Folding")),
                ),
            ),
        ),
    ),
    Department(
        name="Pets",
        promise="Chosen by pet owners, for pet owners.",
        made=(
            "Made from {material} that survives enthusiastic use.",
            "Made in {material} in {city}.",
        ),
        plain=("Vet-approved and tested on our own pets.",),
        sizes=("Sizes are on the photos; measure your pet first.", "Suits pets of all ages."),
        cares=("Not sure what suits your pet? Message us; we answer within a day.",),
        variants=(" – small", " – large"),
        aisles=(
            Aisle(
                name="Dogs",
                phrase="everything for dogs",
                store_words=("Pet Co", "Dog Co", "Pawprint", "Hound Co"),
                items=_items(
                    ("dog bed", 450, 1400,
                     ("Orthopaedic", "Washable", "Raised"),
                     ("canvas", "faux fur", "corduroy")),
                    ("dog collar", 120, 380,
                     ("Adjustable", "Reflective", "Padded"),
                     ("leather", "nylon")),
                    ("lead, 1.5 m", 150, 450, ("Rope", "Reflective", "Hands-free")),
                    ("chew toy", 80, 250, ("Durable", "Squeaky"), ("natural rubber", "rope")),
                    ("dog treats, 500 g", 90, 220,
                     ("Grain-free ostrich", "Dental chicken", "Venison", "Beef liver")),
                ),
            ),
            Aisle(
                name="Cats",
                phrase="everything for cats",
                store_words=("Cat Co", "Kitty", "Cattery", "Whisker Co"),
                items=_items(
                    ("scratching post", 250, 900,
                     ("Tall", "Corner", "Wall-mounted"),
                     ("sisal", "cardboard")),
                    ("cat bed", 300, 850, ("Cave", "Donut", "Window"), ("felt", "faux fur")),
                    ("cat toy set", 90, 250, ("Catnip", "Feather", "Interactive")),
                    ("litter tray", 180, 550, ("Hooded", "Open", "Self-cleaning")),
                    ("cat food, 2 kg", 200, 480,
                     ("Grain-free salmon", "Indoor chicken", "Senior salmon", "Kitten")),
                    ("food bowl set", 120, 350,
                     ("Raised", "Non-slip"),
                     ("ceramic", "stainless steel")),
                ),
            ),
            Aisle(
                name="Small pets",
                phrase="small-pet supplies",
                store_words=("Pet Shop", "Small Pets", "Pet Corner", "Hutch Co"),
                items=_items(
                    ("hamster cage", 450, 1400, ("Two-storey", "Large", "Starter")),
                    ("rabbit hutch", 1200, 3500,
                     ("Two-storey", "Outdoor", "Indoor"),
                     ("pine", "cedar")),
                    ("bird cage", 600, 2200, ("Flight", "Hanging", "Starter")),
                    ("bird seed, 2 kg", 80, 200, ("Budgie", "Canary", "Wild")),
                    ("hay, 1 kg", 60, 150, ("Timothy", "Oat", "Lucerne")),
                    ("chew sticks, 10-pack", 50, 120, ("Apple-wood", "Willow")),
                    ("water bottle", 60, 180, ("Leak-proof", "Glass", "Drip-free")),
                ),
            ),
            Aisle(
                name="Aquatics",
                phrase="aquarium supplies",
                store_words=("Aquatics", "Aquarium", "Fish Co", "Reef Co"),
                items=_items(
                    ("aquarium, 60 L", 1200, 3500, ("Starter", "Rimless", "Curved")),
                    ("aquarium filter", 350, 1200, ("Internal", "Canister", "Hang-on")),
                    ("aquarium LED light", 400, 1500, ("Planted-tank", "Full-spectrum", "Slim")),
                    ("fish food, 100 g", 60, 160, ("Flake", "Pellet", "Tropical")),
                    ("aquarium heater", 200, 650, ("Adjustable", "Compact", "Titanium")),
                    ("aquascaping kit", 350, 950, ("Driftwood", "Stone", "Starter")),
                    ("water conditioner, 250 ml", 80, 200,
                     ("Dechlorinating", "Biological", "Plant")),
                ),
            ),
            Aisle(
                name="Pet grooming",
                phrase="grooming supplies",
                store_words=("Grooming", "Pet Spa", "Groomers", "Grooming Co"),
                items=_items(
                    ("pet shampoo, 250 ml", 90, 250, ("Oatmeal", "Flea-repellent", "Puppy")),
                    ("slicker brush", 120, 350, ("Self-cleaning", "Soft", "Double-sided")),
                    ("nail clippers", 90, 250, ("Guillotine", "Scissor", "Electric")),
                    ("grooming glove", 80, 200, ("De-shedding", "Massage")),
                    ("pet towel", 120, 300, ("Microfibre", "Quick-dry", "Bathrobe-style")),
                    ("deshedding tool", 180, 550, ("Long-hair", "Short-hair")),
                    ("pet cologne, 100 ml", 90, 220, ("Fresh", "Fynbos", "Lavender")),
                    ("grooming kit", 300, 900, ("Starter", "Professional", "Travel")),
                ),
            ),
        ),
    ),
)
# fmt: on

STORE_PLACES = (
    "Karoo", "Fynbos", "Table Bay", "Highveld", "Drakensberg", "Kalahari", "Cederberg",
    "Knysna", "Limpopo", "Umhlanga", "Stellenbosch", "Soweto", "Bo-Kaap", "Langebaan",
    "Namaqua", "Boland", "Hout Bay", "Garden Route", "Wild Coast", "Magaliesberg",
    "Tsitsikamma", "Lowveld", "Overberg", "Swartland", "Muizenberg", "Maboneng",
    "Braamfontein", "Winelands", "Berea", "Clarens", "Hogsback", "Kommetjie", "Baobab",
    "Protea", "Marula", "Jacaranda", "Blue Crane", "Lion's Head", "Sabie", "Agulhas",
    "Franschhoek", "Melville", "Woodstock", "Greyton", "Paternoster", "Vaal", "Tugela",
)  # fmt: skip
CITIES = (
    "Cape Town", "Johannesburg", "Durban", "Pretoria", "Gqeberha", "Bloemfontein",
    "Stellenbosch", "East London", "Polokwane", "Mbombela", "Pietermaritzburg", "George",
    "Knysna", "Paarl", "Kimberley", "Makhanda",
)  # fmt: skip
STORE_OPENINGS = (
    "{store} started at a weekend market in {city} and now ships {aisle} across South Africa.",
    "Based in {city}, {store} brings you {aisle}, chosen with care.",
    "{store} is a family business from {city}: carefully chosen {aisle}, packed by hand.",
    "{store} began with one stall in {city}; today it is a team of {team} people.",
)
DELIVERY = (
    "Ships from {city} within {days}; free delivery on orders over R{threshold}.",
    "Dispatched from {city} within {days} by courier, anywhere in South Africa.",
    "Courier delivery in 2 to 5 working days, or collect from a pick-up point near you.",
)
FIRST_NAMES = (
    "Thandi", "Sipho", "Lerato", "Thabo", "Nomvula", "Bongani", "Zanele", "Mandla", "Ayanda",
    "Kagiso", "Naledi", "Tshepo", "Palesa", "Lwazi", "Nandi", "Sibusiso", "Khanyisile",
    "Themba", "Refilwe", "Musa", "Amahle", "Lindiwe", "Kabelo", "Busisiwe", "Neo", "Johan",
    "Annelie", "Pieter", "Marike", "Riaan", "Elsabe", "Francois", "Liezl", "Hennie", "Carla",
    "Gerhard", "Anika", "Ruan", "Michelle", "David", "Sarah", "James", "Emma", "Michael",
    "Jessica", "Daniel", "Megan", "Matthew", "Lauren", "Ryan", "Nicole", "Priya", "Rajesh",
    "Ashwin", "Kavitha", "Yusuf", "Fatima", "Zainab", "Ismail", "Aaliyah", "Nadia", "Tariq",
    "Chloe", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Sofia", "Mateo",
    "Wei", "Mei", "Aiko", "Kenji", "Amara", "Chidi", "Kwame", "Ama", "Tendai", "Farai",
    "Rudo", "Chipo", "Tatenda", "Ingrid", "Pierre", "Camille", "Giulia", "Marco", "Keegan",
    "Tamsin", "Jared", "Bianca", "Zola", "Mpho", "Karabo", "Onalenna", "Dineo", "Sizwe",
)  # fmt: skip
LAST_NAMES = (
    "Nkosi", "Dlamini", "Ndlovu", "Khumalo", "Mokoena", "Mahlangu", "Mthembu", "Zulu",
    "Botha", "van der Merwe", "Pretorius", "du Plessis", "Naidoo", "Pillay", "Govender",
    "Moodley", "Smith", "Jacobs", "Williams", "Adams", "Petersen", "Hendricks", "Jansen",
    "le Roux", "Coetzee", "Venter", "Steyn", "Fourie", "Nel", "Kruger", "Molefe", "Sithole",
    "Mabaso", "Shabalala", "Radebe", "Cele", "Ngcobo", "Mkhize", "Tshabalala", "Baloyi",
    "Maluleke", "Chauke", "Mathebula", "Modise", "Motaung", "Phiri", "Banda", "Moyo",
    "Okafor", "Mensah", "Chen", "Patel", "Abrahams", "Davids", "Isaacs", "February",
    "Arendse", "Cloete", "Olivier", "Joubert", "Meyer", "Swart", "Brink", "Muller",
    "Schoeman", "Murray", "Thompson", "Walker", "Taylor", "Brown", "Wilson", "Rossi",
    "Fernandes", "Costa", "Silva", "Nakamura", "Okonkwo", "Mutasa", "Chikwanha", "Sibanda",
)  # fmt: skip
