"""Fictitious names for the demo data set.

Organisations are built from invented place names and generic words, websites and
email addresses use the reserved ``.example`` domain, and telephone numbers come
from the ranges Ofcom keeps for drama (01632 960xxx, 07700 900xxx), so nothing
points at a real company or person.
"""

import functools
import random
import re

from partners.dedupe.normalise import name_key as _name_key
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

MAX_NAME_TRIES = 60


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


def _candidate(rng: random.Random, sector: str, supplier: bool) -> str:
    if supplier:
        return (
            f"{place(rng)} {rng.choice(SUPPLIER_STEMS)} {rng.choice(INDUSTRY_SUFFIXES)}"
        )
    if sector == Sector.INDUSTRY:
        return (
            f"{place(rng)} {rng.choice(INDUSTRY_STEMS)} {rng.choice(INDUSTRY_SUFFIXES)}"
        )
    if sector == Sector.VOLUNTARY:
        if rng.random() < 0.3:
            return f"{rng.choice(VOLUNTARY_THEMES)} {rng.choice(VOLUNTARY_KINDS)}"
        return (
            f"{place(rng)} {rng.choice(VOLUNTARY_CAUSES)} {rng.choice(VOLUNTARY_KINDS)}"
        )
    if sector == Sector.PUBLIC:
        return f"{place(rng)} {rng.choice(PUBLIC_KINDS)}"
    if sector == Sector.ACADEMIC:
        return rng.choice(ACADEMIC_KINDS).format(place=place(rng))
    if sector == Sector.INTERNATIONAL:
        if rng.random() < 0.3:
            return (
                f"{rng.choice(INTERNATIONAL_REGIONS)} {rng.choice(INTERNATIONAL_KINDS)}"
            )
        return f"{place(rng)} International {rng.choice(INTERNATIONAL_KINDS)}"
    return f"{place(rng)} {rng.choice(OTHER_KINDS)}"


# Candidates repeat once a sector's word lists fill up: each key is worked out once.
name_key = functools.lru_cache(maxsize=None)(_name_key)


def organisation_name(
    rng: random.Random, sector: str, taken: set[str], *, supplier: bool = False
) -> str:
    """A fictitious name whose normalised key (partners.dedupe.normalise.name_key,
    unique in the database) is not in ``taken``, which it extends: "Wren Data Ltd"
    and "Wren Data plc" are the same organisation."""
    for _ in range(MAX_NAME_TRIES):
        name = _candidate(rng, sector, supplier)
        if name_key(name) not in taken:
            taken.add(name_key(name))
            return name
    # The word lists hold far more names than --orgs allows; this is a backstop.
    base = _candidate(rng, sector, supplier)
    n = 2
    while name_key(f"{base} {n}") in taken:
        n += 1
    taken.add(name_key(f"{base} {n}"))
    return f"{base} {n}"
