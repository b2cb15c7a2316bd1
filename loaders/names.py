"""Korean personal names in English text: romanisation variants of one person.

"Lee Jae-myung", "Lee Jaemyung", "Lee Jae Myung" and "Rhee Jae-myung" are the
same name written four ways; "Jaesik Choi" is "Choi Jae-sik" in Western
order. `person_key` folds all of them to one key; `canonical_name` writes the
key back as Family Given-name with the given name split into syllables.
"""
from __future__ import annotations

import functools
import re

# Romanisations of common Korean surnames -> one spelling. Facts, not guesses:
# each group is one hangul surname.
SURNAME_GROUPS = (
    ("Kim", "Gim"), ("Lee", "Yi", "Rhee", "Rhie", "Ri", "Rhi"), ("Park", "Pak", "Bak", "Bahk"),
    ("Choi", "Choe", "Chey"), ("Jung", "Jeong", "Chung", "Cheong", "Joung"), ("Kang", "Gang"),
    ("Cho", "Jo", "Joh"), ("Yoon", "Yun", "Youn"), ("Jang", "Chang"), ("Lim", "Im", "Rim", "Yim"),
    ("Han",), ("Oh", "O"), ("Seo", "Suh", "Seoh"), ("Shin", "Sin", "Shinn"), ("Kwon", "Gwon"),
    ("Hwang", "Whang"), ("Ahn", "An"), ("Song",), ("Yoo", "Yu", "You"), ("Ryu", "Ryoo", "Ryu"),
    ("Hong",), ("Jeon", "Jun", "Chun", "Chon"), ("Ko", "Go", "Koh"), ("Moon", "Mun"), ("Yang",),
    ("Son", "Sohn"), ("Bae", "Bai", "Pae"), ("Baek", "Paik", "Paek", "Baik"), ("Heo", "Huh", "Hur"),
    ("Nam",), ("Sim", "Shim"), ("Noh", "Roh", "No"), ("Ha",), ("Kwak", "Gwak"), ("Sung", "Seong"),
    ("Cha",), ("Joo", "Ju", "Chu"), ("Woo", "U"), ("Koo", "Ku", "Gu"), ("Min",), ("Na", "Ra"),
    ("Jin", "Chin"), ("Ji", "Chi"), ("Eom", "Um", "Uhm"), ("Chae", "Chai"), ("Won",), ("Cheon", "Chun"),
    ("Bang",), ("Gong", "Kong"), ("Hyun", "Hyeon"), ("Ham",), ("Byun", "Byeon", "Pyun"), ("Yeom", "Yum"),
    ("Yeo", "Yuh"), ("Do", "Doh"), ("So",), ("Seok", "Suk"), ("Seol", "Sul"), ("Ma",), ("Gil", "Kil"),
    ("Yeon", "Youn"), ("Wi", "Wee"), ("Pyo",), ("Myung", "Myeong"), ("Ki", "Gi"), ("Ban", "Pan"),
    ("Wang",), ("Geum", "Keum"), ("Ok",), ("Yook", "Yuk"), ("In",), ("Maeng",), ("Je",), ("Mo",),
    ("Tak",), ("Guk", "Kook"), ("Eun",), ("Pyeon",), ("Yong",), ("Ye",), ("Hyeong",), ("Bong",),
    ("Kyung", "Gyeong"), ("Sa",), ("Bu",), ("Hwangbo",), ("Namgung",), ("Jegal",), ("Seonu", "Sunwoo"),
    ("Dokgo",), ("Choo",), ("Ahn",), ("Yeom",), ("Sohn",), ("Goh",), ("Lyu",),
)
SURNAMES: dict[str, str] = {}
for _group in SURNAME_GROUPS:
    for _variant in _group:
        SURNAMES.setdefault(_variant.casefold(), _group[0])
# Spellings that are also ordinary English words or names too often to be a
# surname on their own evidence; they still work after a title ("Mayor Do").
WEAK_SURNAMES = frozenset({"o", "in", "an", "so", "do", "go", "no", "ma", "mo", "ha", "na", "ra", "u", "ye",
                           "sa", "bu", "je", "ok", "ban", "pan", "son", "song", "moon", "gang", "ham", "wang",
                           "king", "chin", "ko", "gu", "ju", "im", "jo", "ki", "gi", "ri"})

_ONSETS = ("kk", "tt", "pp", "ss", "jj", "ch", "sh", "g", "k", "n", "d", "t", "r", "l", "m", "b", "p", "s", "j",
           "h", "f", "")
_VOWELS = ("yeo", "yae", "wae", "weo", "woo", "you", "yoo", "eui", "ae", "ya", "eo", "ye", "wa", "oe", "yo",
           "wo", "we", "wi", "yu", "eu", "ui", "oo", "ou", "ee", "ea", "uh", "oh", "a", "e", "o", "u", "i")
_CODAS = ("ng", "ck", "k", "g", "n", "l", "m", "b", "p", "t", "")
SYLLABLES = frozenset(o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS)
_CONSONANT_START = re.compile(r"^[bcdfghjklmnprst]")
_NOT_LETTER = re.compile(r"[^a-z]")

# Spellings of one sound, folded so that variants meet: Nam-ki/Nam-gi,
# Tae-young/Tae-yeong, Chul-mo/Cheol-mo, Soo-mi/Su-mi.
_FOLDS = (("yeo", "yu"), ("you", "yu"), ("eo", "u"), ("oo", "u"), ("ou", "u"), ("ee", "i"), ("eu", "u"),
          ("ui", "i"), ("ch", "j"), ("sh", "s"), ("kk", "g"), ("k", "g"), ("tt", "d"), ("t", "d"),
          ("pp", "b"), ("p", "b"), ("r", "l"), ("wo", "o"), ("ae", "e"))


def surname(token: str) -> str | None:
    """The standard spelling of a Korean surname, or None."""
    return SURNAMES.get(token.casefold().strip("."))


def fold(text: str) -> str:
    text = _NOT_LETTER.sub("", text.casefold())
    for a, b in _FOLDS:
        text = text.replace(a, b)
    return text


@functools.lru_cache(maxsize=65536)
def syllables(given: str) -> tuple[str, ...] | None:
    """Split a run-together given name into Korean syllables ("jaemyung" -> jae, myung)."""
    given = given.casefold()
    if "-" in given or " " in given:
        parts = tuple(p for p in re.split(r"[- ]+", given) if p)
        return parts if all(p in SYLLABLES for p in parts) else None
    best: tuple[int, tuple[str, ...]] | None = None
    for cut in range(1, len(given)):
        a, b = given[:cut], given[cut:]
        if a in SYLLABLES and b in SYLLABLES:
            score = (2 if _CONSONANT_START.match(b) else 0) + (1 if not _CONSONANT_START.match(a[-1:]) else 0)
            if a.endswith("ng") and b[:1] in "aeiouyw":
                score += 3  # "Dongyeon" is Dong-yeon: a final -ng is likelier than an initial g-
            if best is None or score > best[0]:
                best = (score, (a, b))
    if best:
        return best[1]
    return (given,) if given in SYLLABLES else None


def split_name(tokens: list[str]) -> tuple[str, str] | None:
    """(standard surname, given name) for a two- or three-token Korean name, either order."""
    if len(tokens) == 3:  # "Lee Jae Myung" / "Jae Myung Lee"
        if surname(tokens[0]) and syllables(tokens[1] + tokens[2]):
            return surname(tokens[0]), f"{tokens[1]}-{tokens[2]}"
        if surname(tokens[2]) and syllables(tokens[0] + tokens[1]):
            return surname(tokens[2]), f"{tokens[0]}-{tokens[1]}"
        return None
    if len(tokens) != 2:
        return None
    first, second = tokens
    if surname(first) and syllables(second):
        return surname(first), second
    if surname(second) and syllables(first) and len(syllables(first) or ()) >= 2:  # "Jaesik Choi"
        return surname(second), first
    return None


def person_key(family: str, given: str) -> str:
    return f"{fold(family)}|{fold(given)}"


def canonical_name(family: str, given: str) -> str:
    parts = syllables(given.replace(" ", "-")) or (given,)
    given_out = "-".join(parts).capitalize() if len(parts) > 1 else given.capitalize()
    return f"{family} {given_out}"
