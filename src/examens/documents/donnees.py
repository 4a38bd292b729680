"""Les données figées d'un document et leur forme JSON (aller-retour exact).

Chaque modèle de document reçoit une dataclass figée (`frozen`, `slots`) qui hérite de `Donnees` : le
service d'édition la construit à partir de la base, l'enregistre en JSON avec la version émise
(`en_json`) et peut la relire plus tard (`depuis_json`) pour rendre le même document, octet pour octet.

Conventions JSON (docs/formats/documents.md) : instants en ISO 8601 UTC (« 2022-05-17T08:00:00Z »),
dates ISO, notes et points en texte à deux décimales (« 12.50 »), énumérations par leur valeur, listes
pour les tuples. Le codec de chaque classe est construit une fois, d'après ses annotations de type.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Self

from examens.core.erreurs import ErreurExamens

_Vers = Callable[[Any], Any]
_Depuis = Callable[[Any, str], Any]


class DonneesInvalides(ErreurExamens):
    """Un JSON de document ne correspond pas à son modèle."""

    code = "donnees_document_invalides"


class Donnees:
    """Classe de base des données d'un document : `en_json()` et `depuis_json()`."""

    __slots__ = ()

    def en_json(self) -> dict[str, Any]:
        """Un dictionnaire de valeurs JSON primitives (texte, nombre entier, booléen, liste, dictionnaire)."""
        vers, _ = _codec(type(self))
        resultat: dict[str, Any] = vers(self)
        return resultat

    @classmethod
    def depuis_json(cls, d: Mapping[str, Any]) -> Self:
        """Reconstruit les données écrites par `en_json` ; message français si le JSON ne convient pas."""
        _, depuis = _codec(cls)
        resultat: Self = depuis(d, cls.__name__)
        return resultat


# --- Valeurs simples ---------------------------------------------------------------------------------


def instant_en_json(d: datetime) -> str:
    if d.tzinfo is None or d.utcoffset() is None:
        raise DonneesInvalides(f"L'instant {d.isoformat()} n'a pas de fuseau : donnez-le en UTC.")
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z")


def decimal_en_json(d: Decimal) -> str:
    """Deux décimales au moins (« 12.50 »), sans perte si la valeur en a davantage."""
    if not d.is_finite():
        raise DonneesInvalides(f"« {d} » n'est pas un nombre fini.")
    exposant = d.as_tuple().exponent
    if isinstance(exposant, int) and exposant >= -2:
        return format(d.quantize(Decimal("0.01")), "f")
    return format(d, "f")


def _erreur(chemin: str, attendu: str, valeur: object) -> DonneesInvalides:
    return DonneesInvalides(f"{chemin} : {attendu} est attendu (trouvé : {valeur!r}).")


def _depuis_texte(v: Any, chemin: str) -> str:
    if not isinstance(v, str):
        raise _erreur(chemin, "un texte", v)
    return v


def _depuis_entier(v: Any, chemin: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _erreur(chemin, "un nombre entier", v)
    return v


def _depuis_booleen(v: Any, chemin: str) -> bool:
    if not isinstance(v, bool):
        raise _erreur(chemin, "true ou false", v)
    return v


def _depuis_decimal(v: Any, chemin: str) -> Decimal:
    if not isinstance(v, str):
        raise _erreur(chemin, "un nombre écrit en texte (« 12.50 »)", v)
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise _erreur(chemin, "un nombre écrit en texte (« 12.50 »)", v) from None
    if not d.is_finite():
        raise _erreur(chemin, "un nombre fini", v)
    return d


def _depuis_date(v: Any, chemin: str) -> date:
    if not isinstance(v, str):
        raise _erreur(chemin, "une date ISO (« 2022-05-17 »)", v)
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise _erreur(chemin, "une date ISO (« 2022-05-17 »)", v) from None


def _depuis_instant(v: Any, chemin: str) -> datetime:
    attendu = "un instant ISO 8601 en UTC (« 2022-05-17T08:00:00Z »)"
    if not isinstance(v, str):
        raise _erreur(chemin, attendu, v)
    try:
        d = datetime.fromisoformat(v)
    except ValueError:
        raise _erreur(chemin, attendu, v) from None
    if d.tzinfo is None:
        raise _erreur(chemin, attendu, v)
    return d.astimezone(UTC)


def _identite(v: Any) -> Any:
    return v


# --- Codec d'une classe, d'après ses annotations --------------------------------------------------------


def _codec_type(t: Any) -> tuple[_Vers, _Depuis]:
    origine = typing.get_origin(t)
    if origine in (types.UnionType, typing.Union):
        membres = [a for a in typing.get_args(t) if a is not type(None)]
        if len(membres) != 1:
            raise TypeError(f"type non pris en charge : {t!r}")
        vers_m, depuis_m = _codec_type(membres[0])

        def vers_opt(v: Any) -> Any:
            return None if v is None else vers_m(v)

        def depuis_opt(v: Any, chemin: str) -> Any:
            return None if v is None else depuis_m(v, chemin)

        return vers_opt, depuis_opt
    if origine is tuple:
        args = typing.get_args(t)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"seuls les tuple[X, ...] sont pris en charge : {t!r}")
        vers_e, depuis_e = _codec_type(args[0])

        def vers_tuple(v: Any) -> Any:
            return [vers_e(x) for x in v]

        def depuis_tuple(v: Any, chemin: str) -> Any:
            if not isinstance(v, list):
                raise _erreur(chemin, "une liste", v)
            return tuple(depuis_e(x, f"{chemin}[{i}]") for i, x in enumerate(v))

        return vers_tuple, depuis_tuple
    if t is str:
        return _identite, _depuis_texte
    if t is bool:
        return _identite, _depuis_booleen
    if t is int:
        return _identite, _depuis_entier
    if t is Decimal:
        return decimal_en_json, _depuis_decimal
    if t is datetime:
        return instant_en_json, _depuis_instant
    if t is date:
        return date.isoformat, _depuis_date
    if isinstance(t, type) and issubclass(t, enum.Enum):
        enumeration = t
        valeurs = ", ".join(str(m.value) for m in enumeration)

        def depuis_enum(v: Any, chemin: str) -> Any:
            try:
                return enumeration(v)
            except ValueError:
                raise _erreur(chemin, f"une valeur parmi {valeurs}", v) from None

        return (lambda v: v.value), depuis_enum
    if isinstance(t, type) and issubclass(t, Donnees):
        classe = t

        def vers_donnees(v: Any) -> Any:
            return _codec(classe)[0](v)

        def depuis_donnees(v: Any, chemin: str) -> Any:
            return _codec(classe)[1](v, chemin)

        return vers_donnees, depuis_donnees
    raise TypeError(f"type non pris en charge dans les données d'un document : {t!r}")


_CODECS: dict[type[Donnees], tuple[_Vers, _Depuis]] = {}


def _codec(classe: type[Donnees]) -> tuple[_Vers, _Depuis]:
    """Le codec d'une classe, construit à la première demande."""
    codec = _CODECS.get(classe)
    if codec is None:
        codec = _CODECS[classe] = _construire_codec(classe)
    return codec


def _construire_codec(classe: type[Donnees]) -> tuple[_Vers, _Depuis]:
    if not dataclasses.is_dataclass(classe):
        raise TypeError(f"{classe.__name__} n'est pas une dataclass")
    indications = typing.get_type_hints(classe)
    champs = [(f.name, *_codec_type(indications[f.name])) for f in dataclasses.fields(classe)]
    obligatoires = {
        f.name
        for f in dataclasses.fields(classe)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    noms = {nom for nom, _, _ in champs}

    def vers(objet: Any) -> dict[str, Any]:
        return {nom: v(getattr(objet, nom)) for nom, v, _ in champs}

    def depuis(d: Any, chemin: str) -> Any:
        if not isinstance(d, Mapping):
            raise _erreur(chemin, "un objet JSON", d)
        inconnues = sorted(set(d) - noms)
        if inconnues:
            raise DonneesInvalides(f"{chemin} : clé(s) inconnue(s) {', '.join(inconnues)}.")
        manquantes = sorted(obligatoires - set(d))
        if manquantes:
            raise DonneesInvalides(f"{chemin} : clé(s) manquante(s) {', '.join(manquantes)}.")
        valeurs = {nom: f(d[nom], f"{chemin}.{nom}") for nom, _, f in champs if nom in d}
        return classe(**valeurs)

    return vers, depuis
