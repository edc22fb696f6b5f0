"""Fictitious names for the demo data set.

Organisations are built from invented place names and generic words, websites and
email addresses use the reserved ``.example`` domain, and telephone numbers come
from the ranges Ofcom keeps for drama (01632 960xxx, 07700 900xxx), so nothing
points at a real company or person.
"""

import math
import random
import re
from collections.abc import Callable

from partners.dedupe.normalise import name_key
from partners.models import Sector

# Heads are nature words and invented syllables rather than compass points or
# "Kings"/"Ash" and the like, which with these tails make real towns.
PLACE_HEADS = (
    "Amber", "Bracken", "Bramble", "Brisk", "Clover", "Cobalt", "Corvel", "Dapple",
    "Fallow", "Heather", "Heron", "Hollin", "Juniper", "Kestrel", "Lanter", "Linden",
    "Mallow", "Marrow", "Meadow", "Merrow", "Nettle", "Orrin", "Pellin", "Plover",
    "Quill", "Rowan", "Saffron", "Sallow", "Skylark", "Sorrel", "Tamber", "Tansy",
    "Teasel", "Thistle", "Vell", "Wren",
)  # fmt: skip
PLACE_TAILS = (
    "bridge", "brook", "bury", "by", "cliffe", "combe", "dale", "den", "field",
    "ford", "gate", "ham", "haven", "holt", "hurst", "ley", "mere", "minster",
    "moor", "mouth", "ridge", "stead", "stow", "thorpe", "ton", "wick", "worth",
    "well", "cote", "marsh",
)  # fmt: skip

INDUSTRY_STEMS = (
    "Digital", "Data", "Networks", "Software", "Analytics", "Cloud", "Systems",
    "Labs", "Media", "Telecom", "Security", "Forensics", "Technologies",
    "Interactive", "Games", "Mobile", "Payments", "Connect", "Search",
    "Broadband", "Devices", "Streaming", "Social", "Signal", "Vision", "Logic",
    "Secure", "Messaging", "Platforms", "Hosting",
)  # fmt: skip
INDUSTRY_SUFFIXES = ("Ltd", "Ltd", "Limited", "plc", "Group")
SUPPLIER_STEMS = (
    "Consulting", "Facilities Services", "Print and Design", "Training Services",
    "IT Services", "Events", "Translation Services", "Office Supplies",
    "Recruitment", "Secure Storage", "Audio Visual", "Cleaning Services",
)  # fmt: skip

VOLUNTARY_THEMES = (
    "Safer Streets", "Bright Futures", "Open Doors", "Safe Harbour", "Young Voices",
    "Kind Minds", "Family First", "Safe Online", "Stronger Together", "Clear Path",
    "Hopeful Steps", "Steady Hands", "Safe Spaces", "Little Lanterns",
    "Second Chances", "Speak Up", "Next Steps", "Good Company", "Firm Ground",
    "Open Arms",
)  # fmt: skip
VOLUNTARY_CAUSES = (
    "Youth", "Family Support", "Children's", "Parents'", "Carers'", "Community",
    "Young People's", "Online Safety",
)  # fmt: skip
VOLUNTARY_KINDS = ("Trust", "Foundation", "Network", "Project", "Alliance", "Centre")

PUBLIC_KINDS = (
    "Borough Council", "City Council", "County Council", "Safeguarding Children Partnership",
    "Youth Justice Service", "Health Board", "Education Authority", "Fire and Rescue Service",
    "Trading Standards", "Probation Area",
)  # fmt: skip
ACADEMIC_KINDS = (
    "University of {place}", "{place} University", "{place} College",
    "{place} Institute of Technology", "{place} Centre for Online Harms Research",
    "{place} School of Social Work", "{place} Institute of Criminology",
)  # fmt: skip
INTERNATIONAL_REGIONS = (
    "Nordic", "Baltic", "Atlantic", "Transatlantic", "Pan-European", "Pacific",
    "Alpine", "Mediterranean", "Adriatic", "Iberian", "Danube", "North Sea",
)  # fmt: skip
INTERNATIONAL_KINDS = (
    "Child Safety Alliance", "Online Safety Network", "Hotline Network",
    "Digital Rights Forum", "Child Protection Council", "Police Cooperation Forum",
    "Safer Internet Centre", "Victim Identification Network", "Youth Online Forum",
    "Child Helpline Association",
)  # fmt: skip
INTERNATIONAL_COUNTRIES = (
    "Ireland", "Netherlands", "Belgium", "Denmark", "Sweden", "Norway", "Finland",
    "Germany", "France", "Spain", "Canada", "Australia", "New Zealand",
    "United States",
)  # fmt: skip
OTHER_KINDS = (
    "Chamber of Commerce", "Media Standards Forum", "Parents' Association",
    "Gaming Association", "Broadcasting Council", "Retailers' Association",
    "Faith Forum", "Sports Association", "Libraries Consortium", "Film Society",
)  # fmt: skip

FIRST_NAMES = (
    "Amira", "Ben", "Chloe", "Daniel", "Ella", "Femi", "Grace", "Harry", "Isla",
    "Jack", "Kiran", "Leah", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys",
    "Sophie", "Tom", "Uma", "Victoria", "William", "Yasmin", "Zain", "Aisha",
    "Callum", "Deborah", "Euan", "Fiona", "Gareth", "Hannah", "Imran", "Joanne",
    "Kwame", "Laura", "Marcus", "Nadia", "Owen", "Rachel", "Samuel", "Tara",
    "Alex", "Bethan", "Conor", "Sian", "Ruth", "Martin", "Helen", "Joseph", "Mei",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Bennett", "Campbell", "Davies", "Evans", "Fletcher", "Gallagher",
    "Hughes", "Iqbal", "Jones", "Kaur", "Lewis", "Morgan", "Nolan", "O'Brien",
    "Patel", "Quinn", "Roberts", "Shah", "Thomas", "Underwood", "Vaughan",
    "Walsh", "Young", "Ahmed", "Brennan", "Clarke", "Doyle", "Ellis", "Foster",
    "Grant", "Hussain", "Jenkins", "Khan", "Lloyd", "Mensah", "Nowak", "Owusu",
    "Price", "Reid", "Singh", "Turner", "Wong", "Ward", "Baker", "Chaudhry",
    "Okafor", "Murray", "Kowalski", "Fraser",
)  # fmt: skip
JOB_TITLES = (
    "Head of Trust and Safety", "Partnerships Manager", "Chief Executive",
    "Director of Policy", "Safeguarding Lead", "Head of Public Affairs",
    "Programme Manager", "Chief Technology Officer", "Research Director",
    "Head of Communications", "Operations Director", "Legal Counsel",
)  # fmt: skip


def place(rng: random.Random) -> str:
    return rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"01632 960{rng.randrange(1000):03d}"
    return f"07700 900{rng.randrange(1000):03d}"


LEGAL_SUFFIX = re.compile(r"\s+(Ltd|Limited|plc|Group)$")


def slug(name: str) -> str:
    """The domain label of an organisation's (reserved, .example) website."""
    bare = LEGAL_SUFFIX.sub("", name).lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "", bare)[:40] or "org"


class _Space:
    """Every name of one pattern, each made once, in an order the seed shuffles.

    The i-th name is the mixed-radix reading of ``(start + stride * i) mod size``
    with a stride prime to the size: a permutation of the pattern's names, so no
    candidate is ever drawn twice and none is retried.
    """

    def __init__(
        self,
        rng: random.Random,
        parts: tuple[tuple[str, ...], ...],
        build: Callable[..., str],
    ) -> None:
        self.parts, self.build = parts, build
        self.size = math.prod(len(part) for part in parts)
        self.stride = rng.randrange(1, self.size) if self.size > 1 else 1
        while math.gcd(self.stride, self.size) != 1:
            self.stride += 1
        self.start = rng.randrange(self.size)
        self.used = 0

    def left(self) -> int:
        return self.size - self.used

    def next(self, rng: random.Random) -> str:
        i = (self.start + self.stride * self.used) % self.size
        self.used += 1
        words = []
        for part in reversed(self.parts):
            i, digit = divmod(i, len(part))
            words.append(part[digit])
        return self.build(rng, *reversed(words))


def _patterns(sector: str, supplier: bool) -> list[tuple[float, tuple, Callable]]:
    """(weight, word lists, how the words make a name) of a sector's names."""
    place = (PLACE_HEADS, PLACE_TAILS)
    if supplier:
        return [
            (
                1,
                (*place, SUPPLIER_STEMS),
                lambda r, h, t, s: f"{h}{t} {s} {r.choice(INDUSTRY_SUFFIXES)}",
            )
        ]
    if sector == Sector.INDUSTRY:
        return [
            (
                1,
                (*place, INDUSTRY_STEMS),
                lambda r, h, t, s: f"{h}{t} {s} {r.choice(INDUSTRY_SUFFIXES)}",
            )
        ]
    if sector == Sector.VOLUNTARY:
        return [
            (0.3, (VOLUNTARY_THEMES, VOLUNTARY_KINDS), lambda r, a, k: f"{a} {k}"),
            (
                0.7,
                (*place, VOLUNTARY_CAUSES, VOLUNTARY_KINDS),
                lambda r, h, t, c, k: f"{h}{t} {c} {k}",
            ),
        ]
    if sector == Sector.PUBLIC:
        return [(1, (*place, PUBLIC_KINDS), lambda r, h, t, k: f"{h}{t} {k}")]
    if sector == Sector.ACADEMIC:
        return [
            (
                1,
                (ACADEMIC_KINDS, *place),
                lambda r, k, h, t: k.format(place=f"{h}{t}"),
            )
        ]
    if sector == Sector.INTERNATIONAL:
        return [
            (
                0.3,
                (INTERNATIONAL_REGIONS, INTERNATIONAL_KINDS),
                lambda r, g, k: f"{g} {k}",
            ),
            (
                0.7,
                (*place, INTERNATIONAL_KINDS),
                lambda r, h, t, k: f"{h}{t} International {k}",
            ),
        ]
    return [(1, (*place, OTHER_KINDS), lambda r, h, t, k: f"{h}{t} {k}")]


class NameMaker:
    """Fictitious organisation names whose normalised keys
    (partners.dedupe.normalise.name_key, unique in the database) are all
    different and not in ``taken``, which it extends: "Wren Data Ltd" and
    "Wren Data plc" are the same organisation, so a legal form never makes a
    name new.

    Each sector's names are built from its word lists in a shuffled order
    (_Space), never drawn at random and retried: the millionth name costs what
    the first did. When a sector has used every name of its lists, the round
    starts again with a number in each name ("Wrenbridge College 2",
    "Wrenbridge Data 2 Ltd").
    """

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken
        self.spaces: dict[tuple[str, bool], list[tuple[float, _Space]]] = {}
        self.rounds: dict[tuple[str, bool], int] = {}

    def _spaces(self, group: tuple[str, bool]) -> list[tuple[float, _Space]]:
        spaces = self.spaces.get(group)
        if spaces is None or not any(space.left() for _, space in spaces):
            self.rounds[group] = self.rounds.get(group, 0) + 1
            spaces = self.spaces[group] = [
                (weight, _Space(self.rng, parts, build))
                for weight, parts, build in _patterns(*group)
            ]
        return spaces

    def name(self, sector: str, *, supplier: bool = False) -> str:
        group = (sector, supplier)
        while True:
            spaces = [(w, s) for w, s in self._spaces(group) if s.left()]
            space = spaces[0][1]
            if len(spaces) > 1:
                space = self.rng.choices(
                    [s for _, s in spaces], [w for w, _ in spaces]
                )[0]
            name = space.next(self.rng)
            if self.rounds[group] > 1:
                # Before the legal form: "Wren Data 2 Ltd" and "Wren Data 2 plc"
                # share a key, as the names of the first round do.
                legal = LEGAL_SUFFIX.search(name)
                at = legal.start() if legal else len(name)
                name = f"{name[:at]} {self.rounds[group]}{name[at:]}"
            key = name_key(name)
            # Only names already in the database (or of another pattern) repeat.
            if key not in self.taken:
                self.taken.add(key)
                return name
