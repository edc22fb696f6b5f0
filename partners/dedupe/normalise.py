"""How a name is cleaned before it is stored, and the key two names share when they
name the same organisation.

``clean_name`` is applied on every write of an organisation's name (workspace, portal,
public form, API, admin, import): Unicode NFKC, no zero-width or bidirectional control
characters, single spaces. ``name_key`` is what duplicate detection compares: the
cleaned name folded to lower case, look-alike letters of other scripts mapped to
Latin, accents, punctuation and company suffixes ("Ltd", "Limited", "plc") dropped.
"""

import re
import unicodedata
from urllib.parse import urlsplit

# Characters that change nothing visible but make two equal-looking names differ,
# or reorder text on screen: zero-width space/joiners, word joiner, BOM, soft
# hyphen, and the bidirectional marks, embeddings, overrides and isolates.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x061C,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)

# Letters of other scripts that read as Latin ones (Unicode's confusables for the
# Cyrillic and Greek letters that occur in spoofed names).
_LOOK_ALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ѡ": "w",
    }
)

# Legal forms that say nothing about which organisation it is.
_SUFFIXES = (
    "limited",
    "ltd",
    "plc",
    "llp",
    "lp",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "cic",
    "gmbh",
    "ag",
    "sa",
    "bv",
    "uk",
)
_SUFFIX_TAIL = re.compile(r"(?:\s+(?:" + "|".join(_SUFFIXES) + r"))+$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def clean_name(value: str) -> str:
    """The name as stored: NFKC, no invisible or direction controls, single spaces."""
    text = unicodedata.normalize("NFKC", value or "").translate(_INVISIBLE)
    return " ".join(text.split())


def name_key(value: str) -> str:
    """What two names of the same organisation have in common."""
    text = clean_name(value).casefold().translate(_LOOK_ALIKES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ")
    text = _NOT_WORD.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    stripped = _SUFFIX_TAIL.sub("", text)
    # A name that is nothing but a legal form keeps it.
    return (stripped or text).replace(" ", "")


# Mail providers anyone can use: an address there says nothing about its owner.
FREE_MAIL_DOMAINS = frozenset(
    [
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
    ]
)


def website_domain(value: str) -> str:
    """The host of a website address, lower case, without "www." or a port."""
    text = (value or "").strip().casefold()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    host = urlsplit(text).hostname or ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


def email_domain(value: str) -> str:
    """The domain of an email address, unless it is a free mail provider's."""
    _, _, domain = (value or "").strip().casefold().rpartition("@")
    domain = domain.rstrip(".")
    return "" if not domain or domain in FREE_MAIL_DOMAINS else domain
