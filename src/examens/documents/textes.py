"""Textes des documents : normalisation pour les polices PDF standard, dates, heures et notes à la française.

Les polices standard de ReportLab (Helvetica) ne connaissent que le jeu Windows-1252 : `pour_pdf` ramène
tout texte à ce jeu, sans jamais échouer (espaces fines → espace, « ễ » → « ê », « Ł » → « L »,
cyrillique translittéré, « ? » en dernier recours). Les noms des jours et des mois sont écrits ici, sans
dépendre de la locale de la machine.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import combinations

from examens.core.calendrier import fuseau as zone_de

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Noms d'usage des fuseaux des centres (un fuseau absent de la table s'affiche par son décalage UTC).
NOMS_FUSEAUX = {
    "Europe/Paris": "heure de Paris",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "America/Miquelon": "heure de Saint-Pierre-et-Miquelon",
    "Pacific/Noumea": "heure de Nouvelle-Calédonie",
    "Pacific/Tahiti": "heure de Tahiti",
    "Pacific/Wallis": "heure de Wallis-et-Futuna",
}

# --- Normalisation Windows-1252 ---------------------------------------------------------------------

_CP1252 = frozenset(bytes([b]).decode("cp1252") for b in range(256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
_IMPRIMABLES = frozenset(c for c in _CP1252 if c.isprintable())

_REMPLACEMENTS = str.maketrans(
    {
        "\u00a0": " ",  # espace insécable : une espace ordinaire se lit et se copie mieux
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",  # espace fine
        "\u200a": " ",
        "\u202f": " ",  # espace fine insécable (« 11 h 00 », « 12 % »)
        "\u205f": " ",
        "\u3000": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u200b": None,  # espaces et marques de largeur nulle
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,  # trait d'union conditionnel
        "\u2010": "-",
        "\u2011": "-",  # trait d'union insécable
        "\u2012": "–",
        "\u2015": "—",
        "\u2212": "-",  # signe moins
        "\u2032": "'",
        "\u2033": '"',
        "\u02bc": "’",
        "\u02bb": "‘",
        "\u2039": "‹",
    }
)

# Lettres sans décomposition Unicode vers une lettre latine de base.
_TRANSLITTERATIONS = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŀ": "L",
    "ŀ": "l",
    "Ŋ": "N",
    "ŋ": "n",
    "Ŧ": "T",
    "ŧ": "t",
    "ĸ": "k",
    "ſ": "s",
    "Ə": "E",
    "ə": "e",
    "Ɛ": "E",
    "ɛ": "e",
    "Ɔ": "O",
    "ɔ": "o",
    "Ɲ": "N",
    "ɲ": "n",
    "Ƴ": "Y",
    "ƴ": "y",
    "Ɓ": "B",
    "ɓ": "b",
    "Ɗ": "D",
    "ɗ": "d",
    "Ǝ": "E",
    "ǝ": "e",
    "ʼ": "’",
    "ʻ": "‘",
    "ʿ": "‘",
    "ʾ": "’",
    "ß": "ß",
}
_CYRILLIQUE = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "io",
            "j",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "tch",
            "ch",
            "chtch",
            "",
            "y",
            "",
            "e",
            "iou",
            "ia",
            "ie",
            "i",
            "ï",
            "g",
        ],
        strict=True,
    )
)
_GREC = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "kh",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def _majuscule(latin: str) -> str:
    return latin[:1].upper() + latin[1:]


@lru_cache(maxsize=4096)
def _caractere_cp1252(c: str) -> str:
    """Un caractère hors Windows-1252 → son équivalent le plus proche (jamais d'exception)."""
    if c in _TRANSLITTERATIONS:
        return _TRANSLITTERATIONS[c]
    minuscule = c.lower()
    for table in (_CYRILLIQUE, _GREC):
        if minuscule in table:
            latin = table[minuscule]
            return latin if c == minuscule else _majuscule(latin)
    categorie = unicodedata.category(c)
    if categorie.startswith("Z"):
        return " "
    if categorie in ("Cc", "Cf", "Mn", "Me", "Cs", "Co", "Cn"):
        return ""
    # Lettre accentuée : garder autant de signes diacritiques que Windows-1252 le permet (« ễ » → « ê »).
    decompose = unicodedata.normalize("NFD", c)
    base, signes = decompose[0], decompose[1:]
    if signes and base in _CP1252:
        for taille in range(len(signes) - 1, -1, -1):
            for choix in combinations(signes, taille):
                candidat = unicodedata.normalize("NFC", base + "".join(choix))
                if len(candidat) == 1 and candidat in _CP1252:
                    return candidat
    compatible = unicodedata.normalize("NFKC", c)
    if compatible != c:
        texte = "".join(x if x in _IMPRIMABLES else _caractere_cp1252(x) for x in compatible if x != c)
        if texte:
            return texte
    return "?"


@lru_cache(maxsize=16384)
def pour_pdf(texte: str) -> str:
    """Le texte ramené au jeu Windows-1252 des polices standard, sur une ligne, sans jamais échouer."""
    if texte.isascii() and texte.isprintable():
        return texte
    texte = unicodedata.normalize("NFC", texte).translate(_REMPLACEMENTS)
    if _IMPRIMABLES.issuperset(texte):
        return texte
    return "".join(c if c in _IMPRIMABLES else _caractere_cp1252(c) for c in texte)


# --- Dates, heures, durées ----------------------------------------------------------------------------


def local(instant: datetime, fuseau: str) -> datetime:
    """L'instant (aware) dans le fuseau IANA du centre."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"L'instant {instant.isoformat()} n'a pas de fuseau (attendu : UTC).")
    return instant.astimezone(zone_de(fuseau))


def date_longue(d: date) -> str:
    """« mardi 17 mai 2022 », « mercredi 1er juin 2022 »."""
    jour = "1er" if d.day == 1 else str(d.day)
    return f"{JOURS[d.weekday()]} {jour} {MOIS[d.month - 1]} {d.year}"


def date_sans_jour(d: date) -> str:
    """« 17 mai 2022 »."""
    jour = "1er" if d.day == 1 else str(d.day)
    return f"{jour} {MOIS[d.month - 1]} {d.year}"


def date_courte(d: date) -> str:
    """« 17/05/2022 »."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def heure(d: datetime) -> str:
    """« 11 h 00 » (heure d'horloge de `d`, déjà convertie dans le fuseau du centre)."""
    return f"{d.hour} h {d.minute:02d}"


def heure_locale(instant: datetime, fuseau: str) -> str:
    return heure(local(instant, fuseau))


def date_heure_locale(instant: datetime, fuseau: str) -> str:
    """« mardi 17 mai 2022 à 11 h 00 »."""
    d = local(instant, fuseau)
    return f"{date_longue(d.date())} à {heure(d)}"


def nom_fuseau(fuseau: str, instant: datetime | None = None) -> str:
    """« heure de Mayotte » ; un fuseau inconnu de la table s'écrit par son décalage (« heure UTC+03:00 »)."""
    if fuseau in NOMS_FUSEAUX:
        return NOMS_FUSEAUX[fuseau]
    zone = zone_de(fuseau)
    reference = instant or datetime(2022, 5, 16, 12, tzinfo=UTC)
    decalage = reference.astimezone(zone).utcoffset() or timedelta(0)
    return f"heure locale, UTC{decalage_utc(decalage)}"


def decalage_utc(decalage: timedelta) -> str:
    """« +03:00 »."""
    minutes = int(decalage.total_seconds()) // 60
    signe = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{signe}{h:02d}:{m:02d}"


def duree(minutes: int) -> str:
    """« 4 h », « 40 min », « 5 h 20 »."""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h" if not m else f"{h} h {m:02d}"


# --- Nombres -----------------------------------------------------------------------------------------


def nombre(d: Decimal, decimales: int = 2) -> str:
    """« 12,50 » : arrondi au plus proche (demi vers le haut), virgule décimale."""
    q = d.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    return format(q, "f").replace(".", ",")


def pourcentage(numerateur: int, denominateur: int) -> str:
    """« 75,00 % » (exact puis arrondi demi vers le haut) ; « — » si le dénominateur est nul."""
    if not denominateur:
        return "—"
    return nombre(Decimal(numerateur * 100) / Decimal(denominateur)) + " %"


def cle_alphabetique(texte: str) -> str:
    """Clé de tri alphabétique sans accents ni casse (« Çelik » entre « Bernard » et « Dubois »)."""
    sans_signes = "".join(c for c in unicodedata.normalize("NFD", pour_pdf(texte)) if not unicodedata.combining(c))
    return sans_signes.replace("Ø", "O").replace("ø", "o").replace("Œ", "OE").replace("œ", "oe").casefold()


def academie_de(nom: str, *, majuscule: bool = True) -> str:
    """« Académie de Mayotte », « Académie d'Aix-Marseille », « Académie de La Réunion »."""
    initiale = unicodedata.normalize("NFD", nom[:1])[:1].lower()
    mot = "Académie" if majuscule else "académie"
    return f"{mot} d'{nom}" if initiale and initiale in "aeiouy" else f"{mot} de {nom}"
