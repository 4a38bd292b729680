"""Lecture et écriture des formats `examens/planning-instance@1` et `examens/planning@1`.

Le contrat est `docs/formats/planning.md` (copie de `shared/format-planning.md`). Toute clé inconnue
ou valeur incohérente est refusée par `FormatInvalide`, dont le message donne le chemin JSON
(« candidats[3].langues.E2 : … »). Les heures sont converties en minutes après minuit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

FORMAT_INSTANCE = "examens/planning-instance@1"
FORMAT_PLANNING = "examens/planning@1"


class FormatInvalide(ValueError):
    """Fichier d'instance ou de planning refusé ; `chemin` est le chemin JSON fautif."""

    def __init__(self, chemin: str, message: str) -> None:
        self.chemin = chemin
        self.message = message
        super().__init__(f"{chemin} : {message}" if chemin else message)


class Support(StrEnum):
    WORDPRESS = "wordpress"
    PRESTASHOP = "prestashop"


class Statut(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    GLOUTON = "GLOUTON"
    INFAISABLE = "INFAISABLE"


# --------------------------------------------------------------------------- dataclasses (instance)


@dataclass(frozen=True, slots=True)
class Plage:
    """Intervalle [debut, fin) en minutes après minuit (heure locale du centre)."""

    debut: int
    fin: int

    @property
    def minutes(self) -> int:
        return self.fin - self.debut


@dataclass(frozen=True, slots=True)
class Jour:
    date: str
    plages: tuple[Plage, ...]


@dataclass(frozen=True, slots=True)
class Epreuve:
    code: str
    preparation: int
    duree: int
    langue: bool = False
    poste: bool = False
    sujet: bool = False
    suit: str | None = None


@dataclass(frozen=True, slots=True)
class Loge:
    id: str
    places: int
    epreuves: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commission:
    id: str
    epreuves: tuple[str, ...]
    membres: tuple[str, ...]
    disponible: tuple[Jour, ...]
    langue: str | None = None
    salle: str | None = None


@dataclass(frozen=True, slots=True)
class Examinateur:
    id: str
    etablissement: str | None = None


@dataclass(frozen=True, slots=True)
class Candidat:
    id: str
    epreuves: tuple[str, ...]
    etablissement: str | None = None
    langues: Mapping[str, str] = field(default_factory=dict)
    majoration: bool = False
    arrivee: int | None = None


@dataclass(frozen=True, slots=True)
class Sujet:
    id: str
    support: Support


@dataclass(frozen=True, slots=True)
class Regles:
    battement: int = 10
    max_passages_par_jour: int = 4
    conflit_etablissement: bool = True


@dataclass(frozen=True, slots=True)
class Instance:
    jours: tuple[Jour, ...]
    epreuves: Mapping[str, Epreuve]
    commissions: tuple[Commission, ...]
    examinateurs: tuple[Examinateur, ...]
    candidats: tuple[Candidat, ...]
    nom: str = ""
    fuseau: str = "Europe/Paris"
    pas: int = 5
    loges: tuple[Loge, ...] = ()
    postes: int = 0
    sujets: tuple[Sujet, ...] = ()
    regles: Regles = Regles()
    reference: Planning | None = None

    def commission(self, ident: str) -> Commission:
        return next(c for c in self.commissions if c.id == ident)

    def examinateur(self, ident: str) -> Examinateur:
        return next(x for x in self.examinateurs if x.id == ident)

    def jour(self, date: str) -> Jour:
        return next(j for j in self.jours if j.date == date)


# --------------------------------------------------------------------------- dataclasses (planning)


@dataclass(frozen=True, slots=True)
class Passage:
    candidat: str
    epreuve: str
    commission: str
    date: str
    debut: int
    fin: int
    preparation: int | None = None
    loge: str | None = None
    sujet: str | None = None
    salle: str | None = None

    @property
    def arrivee_effective(self) -> int:
        """Début de la présence du candidat : préparation comprise."""
        return self.debut if self.preparation is None else self.preparation


@dataclass(frozen=True, slots=True)
class NonPlanifie:
    candidat: str
    epreuve: str
    raison: str


@dataclass(frozen=True, slots=True)
class Statistiques:
    methode: str
    statut: Statut
    duree_s: float
    non_planifies: int
    jours_candidats: int
    attente_minutes: int
    demi_journees_commissions: int
    charge_max_minutes: Mapping[str, int]
    changements: int | None = None


@dataclass(frozen=True, slots=True)
class Planning:
    passages: tuple[Passage, ...]
    non_planifies: tuple[NonPlanifie, ...] = ()
    statistiques: Statistiques | None = None


# --------------------------------------------------------------------------- heures


_HEURE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def parse_heure(texte: object, chemin: str) -> int:
    if not isinstance(texte, str) or not _HEURE.match(texte):
        raise FormatInvalide(chemin, f"heure « {texte} » invalide (attendu HH:MM, de 00:00 à 24:00)")
    heures, minutes = texte.split(":")
    return int(heures) * 60 + int(minutes)


def format_heure(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def duree_effective(minutes: int, *, majoration: bool, pas: int) -> int:
    """Durée × 4/3 arrondie au multiple de `pas` supérieur (tiers-temps), sinon inchangée."""
    if not majoration:
        return minutes
    return math.ceil(minutes * 4 / 3 / pas) * pas


# --------------------------------------------------------------------------- lecture générique


def _cle(chemin: str, cle: str) -> str:
    return f"{chemin}.{cle}" if chemin else cle


def _objet(valeur: object, chemin: str, requises: set[str], permises: set[str]) -> dict[str, Any]:
    if not isinstance(valeur, dict):
        raise FormatInvalide(chemin, "un objet JSON est attendu")
    for cle in valeur:
        if cle not in requises and cle not in permises:
            raise FormatInvalide(_cle(chemin, str(cle)), "clé inconnue")
    for cle in sorted(requises):
        if cle not in valeur:
            raise FormatInvalide(_cle(chemin, cle), "clé obligatoire manquante")
    return valeur


def _liste(valeur: object, chemin: str) -> list[Any]:
    if not isinstance(valeur, list):
        raise FormatInvalide(chemin, "une liste JSON est attendue")
    return valeur


def _texte(valeur: object, chemin: str) -> str:
    if not isinstance(valeur, str) or not valeur.strip():
        raise FormatInvalide(chemin, "un texte non vide est attendu")
    return valeur


def _texte_ou_nul(valeur: object, chemin: str) -> str | None:
    return None if valeur is None else _texte(valeur, chemin)


def _booleen(valeur: object, chemin: str) -> bool:
    if not isinstance(valeur, bool):
        raise FormatInvalide(chemin, "true ou false est attendu")
    return valeur


def _entier(valeur: object, chemin: str, minimum: int = 0) -> int:
    if isinstance(valeur, bool) or not isinstance(valeur, int):
        raise FormatInvalide(chemin, "un nombre entier est attendu")
    if valeur < minimum:
        raise FormatInvalide(chemin, f"{valeur} est inférieur au minimum {minimum}")
    return valeur


def _date(valeur: object, chemin: str) -> str:
    texte = _texte(valeur, chemin)
    try:
        dt.date.fromisoformat(texte)
    except ValueError:
        raise FormatInvalide(chemin, f"date « {texte} » invalide (attendu AAAA-MM-JJ)") from None
    if len(texte) != 10:
        raise FormatInvalide(chemin, f"date « {texte} » invalide (attendu AAAA-MM-JJ)")
    return texte


def _identifiants_uniques(ids: list[str], chemin: str, quoi: str) -> None:
    vus: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in vus:
            raise FormatInvalide(f"{chemin}[{i}].id", f"{quoi} « {ident} » en double")
        vus.add(ident)


def _plages(valeur: object, chemin: str) -> tuple[Plage, ...]:
    plages: list[Plage] = []
    for i, brute in enumerate(_liste(valeur, chemin)):
        ici = f"{chemin}[{i}]"
        if not isinstance(brute, list) or len(brute) != 2:
            raise FormatInvalide(ici, "une plage est une liste [début, fin] de deux heures")
        debut, fin = parse_heure(brute[0], f"{ici}[0]"), parse_heure(brute[1], f"{ici}[1]")
        if fin <= debut:
            raise FormatInvalide(ici, f"la plage finit ({brute[1]}) avant de commencer ({brute[0]})")
        plages.append(Plage(debut, fin))
    if not plages:
        raise FormatInvalide(chemin, "au moins une plage est attendue")
    plages.sort(key=lambda p: p.debut)
    for avant, apres in itertools.pairwise(plages):
        if apres.debut < avant.fin:
            raise FormatInvalide(
                chemin,
                f"les plages {format_heure(avant.debut)}–{format_heure(avant.fin)} et "
                f"{format_heure(apres.debut)}–{format_heure(apres.fin)} se chevauchent",
            )
    return tuple(plages)


def _jours(valeur: object, chemin: str) -> tuple[Jour, ...]:
    jours: list[Jour] = []
    dates: set[str] = set()
    for i, brut in enumerate(_liste(valeur, chemin)):
        ici = f"{chemin}[{i}]"
        objet = _objet(brut, ici, {"date", "plages"}, set())
        date = _date(objet["date"], f"{ici}.date")
        if date in dates:
            raise FormatInvalide(f"{ici}.date", f"le jour {date} apparaît deux fois")
        dates.add(date)
        jours.append(Jour(date, _plages(objet["plages"], f"{ici}.plages")))
    return tuple(sorted(jours, key=lambda j: j.date))


# --------------------------------------------------------------------------- instance


def lire_instance_fichier(chemin: str | Path) -> Instance:
    return lire_instance(_charger(chemin))


def _charger(chemin: str | Path) -> object:
    try:
        contenu = Path(chemin).read_bytes()
    except OSError as erreur:
        raise FormatInvalide("", f"impossible de lire « {chemin} » : {erreur.strerror}") from None
    try:
        return orjson.loads(contenu)
    except orjson.JSONDecodeError as erreur:
        raise FormatInvalide("", f"« {chemin} » n'est pas un JSON valide : {erreur}") from None


def lire_instance(donnees: object) -> Instance:
    racine = _objet(
        donnees,
        "",
        {"format", "jours", "epreuves", "commissions", "examinateurs", "candidats"},
        {"nom", "fuseau", "pas", "loges", "postes", "sujets", "regles", "reference"},
    )
    if racine["format"] != FORMAT_INSTANCE:
        raise FormatInvalide("format", f"« {racine['format']} » au lieu de « {FORMAT_INSTANCE} »")
    nom = str(_texte(racine["nom"], "nom")) if "nom" in racine else ""
    fuseau = _texte(racine.get("fuseau", "Europe/Paris"), "fuseau")
    _verifier_fuseau(fuseau)
    pas = _entier(racine.get("pas", 5), "pas", minimum=1)
    if 60 % pas and pas % 60:
        raise FormatInvalide("pas", f"le pas {pas} ne divise pas l'heure")
    jours = _jours(racine["jours"], "jours")
    if not jours:
        raise FormatInvalide("jours", "au moins un jour est attendu")
    dates = {j.date for j in jours}

    epreuves = _epreuves(racine["epreuves"], pas)
    loges = _loges(racine.get("loges", []), epreuves)
    postes = _entier(racine.get("postes", 0), "postes")
    examinateurs = _examinateurs(racine["examinateurs"])
    commissions = _commissions(racine["commissions"], epreuves, {x.id for x in examinateurs}, jours, dates)
    candidats = _candidats(racine["candidats"], epreuves)
    sujets = _sujets(racine.get("sujets", []))
    regles = _regles(racine.get("regles", {}))

    for code, epreuve in epreuves.items():
        if epreuve.preparation and not any(code in loge.epreuves for loge in loges):
            raise FormatInvalide("loges", f"l'épreuve {code} a une préparation mais aucune loge ne l'accueille")
        if epreuve.poste and postes == 0:
            raise FormatInvalide("postes", f"l'épreuve {code} occupe un poste mais le centre n'en a aucun")
        if epreuve.sujet and not sujets:
            raise FormatInvalide("sujets", f"l'épreuve {code} demande un sujet mais la liste est vide")

    reference = None
    if "reference" in racine:
        reference = _planning(racine["reference"], "reference")
    return Instance(
        jours=jours,
        epreuves=epreuves,
        commissions=commissions,
        examinateurs=examinateurs,
        candidats=candidats,
        nom=nom,
        fuseau=fuseau,
        pas=pas,
        loges=loges,
        postes=postes,
        sujets=sujets,
        regles=regles,
        reference=reference,
    )


def _verifier_fuseau(fuseau: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(fuseau)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise FormatInvalide("fuseau", f"fuseau horaire « {fuseau} » inconnu") from None


def _epreuves(valeur: object, pas: int) -> dict[str, Epreuve]:
    if not isinstance(valeur, dict) or not valeur:
        raise FormatInvalide("epreuves", "un objet non vide {code: description} est attendu")
    epreuves: dict[str, Epreuve] = {}
    for code, brut in valeur.items():
        ici = f"epreuves.{code}"
        _texte(code, ici)
        objet = _objet(brut, ici, {"preparation", "duree"}, {"langue", "poste", "sujet", "suit"})
        preparation = _entier(objet["preparation"], f"{ici}.preparation")
        duree = _entier(objet["duree"], f"{ici}.duree", minimum=1)
        for nom, minutes in (("preparation", preparation), ("duree", duree)):
            if minutes % pas:
                raise FormatInvalide(f"{ici}.{nom}", f"{minutes} min n'est pas un multiple du pas ({pas} min)")
        epreuves[code] = Epreuve(
            code=code,
            preparation=preparation,
            duree=duree,
            langue=_booleen(objet.get("langue", False), f"{ici}.langue"),
            poste=_booleen(objet.get("poste", False), f"{ici}.poste"),
            sujet=_booleen(objet.get("sujet", False), f"{ici}.sujet"),
            suit=_texte(objet["suit"], f"{ici}.suit") if "suit" in objet else None,
        )
    for code, epreuve in epreuves.items():
        if epreuve.suit is None:
            continue
        ici = f"epreuves.{code}.suit"
        suivie = epreuves.get(epreuve.suit)
        if suivie is None:
            raise FormatInvalide(ici, f"épreuve « {epreuve.suit} » inconnue")
        if suivie.code == code:
            raise FormatInvalide(ici, "une épreuve ne peut pas se suivre elle-même")
        if suivie.suit is not None:
            raise FormatInvalide(ici, f"{suivie.code} suit déjà {suivie.suit} : les chaînes ne sont pas permises")
        if any(e.suit == epreuve.suit for e in epreuves.values() if e.code != code):
            raise FormatInvalide(ici, f"une seule épreuve peut suivre {epreuve.suit}")
        if epreuve.preparation:
            raise FormatInvalide(
                f"epreuves.{code}.preparation",
                f"une épreuve qui suit {epreuve.suit} commence à sa fin : pas de préparation possible",
            )
        if epreuve.langue or suivie.langue:
            raise FormatInvalide(ici, "une épreuve de langue ne peut pas être enchaînée")
    return epreuves


def _loges(valeur: object, epreuves: Mapping[str, Epreuve]) -> tuple[Loge, ...]:
    loges: list[Loge] = []
    for i, brut in enumerate(_liste(valeur, "loges")):
        ici = f"loges[{i}]"
        objet = _objet(brut, ici, {"id", "places"}, {"epreuves"})
        if "epreuves" in objet:
            codes = tuple(
                _texte(c, f"{ici}.epreuves[{j}]") for j, c in enumerate(_liste(objet["epreuves"], f"{ici}.epreuves"))
            )
            for j, code in enumerate(codes):
                if code not in epreuves:
                    raise FormatInvalide(f"{ici}.epreuves[{j}]", f"épreuve « {code} » inconnue")
                if not epreuves[code].preparation:
                    raise FormatInvalide(f"{ici}.epreuves[{j}]", f"l'épreuve {code} n'a pas de préparation")
        else:
            codes = tuple(c for c, e in epreuves.items() if e.preparation)
        loges.append(Loge(_texte(objet["id"], f"{ici}.id"), _entier(objet["places"], f"{ici}.places", 1), codes))
    _identifiants_uniques([loge.id for loge in loges], "loges", "loge")
    return tuple(loges)


def _examinateurs(valeur: object) -> tuple[Examinateur, ...]:
    examinateurs: list[Examinateur] = []
    for i, brut in enumerate(_liste(valeur, "examinateurs")):
        ici = f"examinateurs[{i}]"
        objet = _objet(brut, ici, {"id"}, {"etablissement"})
        examinateurs.append(
            Examinateur(
                _texte(objet["id"], f"{ici}.id"),
                _texte_ou_nul(objet.get("etablissement"), f"{ici}.etablissement"),
            )
        )
    _identifiants_uniques([x.id for x in examinateurs], "examinateurs", "examinateur")
    return tuple(examinateurs)


def _commissions(
    valeur: object,
    epreuves: Mapping[str, Epreuve],
    examinateurs: set[str],
    jours: tuple[Jour, ...],
    dates: set[str],
) -> tuple[Commission, ...]:
    commissions: list[Commission] = []
    for i, brut in enumerate(_liste(valeur, "commissions")):
        ici = f"commissions[{i}]"
        objet = _objet(brut, ici, {"id", "epreuves", "membres"}, {"langue", "salle", "disponible"})
        ident = _texte(objet["id"], f"{ici}.id")
        codes = tuple(
            _texte(c, f"{ici}.epreuves[{j}]") for j, c in enumerate(_liste(objet["epreuves"], f"{ici}.epreuves"))
        )
        if not codes:
            raise FormatInvalide(f"{ici}.epreuves", "au moins une épreuve est attendue")
        if len(set(codes)) != len(codes):
            raise FormatInvalide(f"{ici}.epreuves", "épreuve en double")
        for j, code in enumerate(codes):
            if code not in epreuves:
                raise FormatInvalide(f"{ici}.epreuves[{j}]", f"épreuve « {code} » inconnue")
        for code in codes:
            epreuve = epreuves[code]
            if epreuve.suit is not None and epreuve.suit not in codes:
                raise FormatInvalide(
                    f"{ici}.epreuves", f"{code} suit {epreuve.suit} : la commission doit lister les deux"
                )
            suivante = next((e.code for e in epreuves.values() if e.suit == code), None)
            if suivante is not None and suivante not in codes:
                raise FormatInvalide(f"{ici}.epreuves", f"{suivante} suit {code} : la commission doit lister les deux")
        membres = tuple(
            _texte(m, f"{ici}.membres[{j}]") for j, m in enumerate(_liste(objet["membres"], f"{ici}.membres"))
        )
        if not membres:
            raise FormatInvalide(f"{ici}.membres", "au moins un membre est attendu")
        if len(set(membres)) != len(membres):
            raise FormatInvalide(f"{ici}.membres", "membre en double")
        for j, membre in enumerate(membres):
            if membre not in examinateurs:
                raise FormatInvalide(f"{ici}.membres[{j}]", f"examinateur « {membre} » absent de `examinateurs`")
        langue = _texte(objet["langue"], f"{ici}.langue") if "langue" in objet else None
        de_langue = [c for c in codes if epreuves[c].langue]
        if de_langue and langue is None:
            raise FormatInvalide(
                f"{ici}.langue", f"obligatoire : la commission fait passer {de_langue[0]}, épreuve de langue"
            )
        if langue is not None and not de_langue:
            raise FormatInvalide(f"{ici}.langue", "la commission ne fait passer aucune épreuve de langue")
        if "disponible" in objet:
            disponible = _jours(objet["disponible"], f"{ici}.disponible")
            for j, jour in enumerate(disponible):
                if jour.date not in dates:
                    raise FormatInvalide(f"{ici}.disponible[{j}].date", f"le {jour.date} n'est pas un jour du centre")
        else:
            disponible = jours
        salle = _texte(objet["salle"], f"{ici}.salle") if "salle" in objet else None
        commissions.append(Commission(ident, codes, membres, disponible, langue, salle))
    _identifiants_uniques([c.id for c in commissions], "commissions", "commission")
    return tuple(commissions)


def _candidats(valeur: object, epreuves: Mapping[str, Epreuve]) -> tuple[Candidat, ...]:
    candidats: list[Candidat] = []
    for i, brut in enumerate(_liste(valeur, "candidats")):
        ici = f"candidats[{i}]"
        objet = _objet(brut, ici, {"id", "epreuves"}, {"etablissement", "langues", "majoration", "arrivee"})
        codes = tuple(
            _texte(c, f"{ici}.epreuves[{j}]") for j, c in enumerate(_liste(objet["epreuves"], f"{ici}.epreuves"))
        )
        if len(set(codes)) != len(codes):
            raise FormatInvalide(f"{ici}.epreuves", "épreuve en double")
        for j, code in enumerate(codes):
            if code not in epreuves:
                raise FormatInvalide(f"{ici}.epreuves[{j}]", f"épreuve « {code} » inconnue")
            suivie = epreuves[code].suit
            if suivie is not None and suivie not in codes:
                raise FormatInvalide(
                    f"{ici}.epreuves[{j}]", f"{code} suit {suivie}, que le candidat ne passe pas dans le centre"
                )
        langues_brutes = objet.get("langues", {})
        if not isinstance(langues_brutes, dict):
            raise FormatInvalide(f"{ici}.langues", "un objet {épreuve: langue} est attendu")
        langues: dict[str, str] = {}
        for code, langue in langues_brutes.items():
            if code not in codes:
                raise FormatInvalide(f"{ici}.langues.{code}", f"le candidat ne passe pas {code}")
            if not epreuves[code].langue:
                raise FormatInvalide(f"{ici}.langues.{code}", f"{code} n'est pas une épreuve de langue")
            langues[code] = _texte(langue, f"{ici}.langues.{code}")
        for code in codes:
            if epreuves[code].langue and code not in langues:
                raise FormatInvalide(f"{ici}.langues", f"langue manquante pour l'épreuve {code}")
        arrivee = parse_heure(objet["arrivee"], f"{ici}.arrivee") if "arrivee" in objet else None
        candidats.append(
            Candidat(
                id=_texte(objet["id"], f"{ici}.id"),
                epreuves=codes,
                etablissement=_texte_ou_nul(objet.get("etablissement"), f"{ici}.etablissement"),
                langues=langues,
                majoration=_booleen(objet.get("majoration", False), f"{ici}.majoration"),
                arrivee=arrivee,
            )
        )
    _identifiants_uniques([c.id for c in candidats], "candidats", "candidat")
    return tuple(candidats)


def _sujets(valeur: object) -> tuple[Sujet, ...]:
    sujets: list[Sujet] = []
    for i, brut in enumerate(_liste(valeur, "sujets")):
        ici = f"sujets[{i}]"
        objet = _objet(brut, ici, {"id", "support"}, set())
        support = objet["support"]
        if support not in {s.value for s in Support}:
            raise FormatInvalide(f"{ici}.support", f"support « {support} » inconnu (wordpress ou prestashop)")
        sujets.append(Sujet(_texte(objet["id"], f"{ici}.id"), Support(support)))
    _identifiants_uniques([s.id for s in sujets], "sujets", "sujet")
    return tuple(sujets)


def _regles(valeur: object) -> Regles:
    objet = _objet(valeur, "regles", set(), {"battement", "max_passages_par_jour", "conflit_etablissement"})
    return Regles(
        battement=_entier(objet.get("battement", 10), "regles.battement"),
        max_passages_par_jour=_entier(objet.get("max_passages_par_jour", 4), "regles.max_passages_par_jour", 1),
        conflit_etablissement=_booleen(objet.get("conflit_etablissement", True), "regles.conflit_etablissement"),
    )


# --------------------------------------------------------------------------- planning


def lire_planning_fichier(chemin: str | Path) -> Planning:
    return lire_planning(_charger(chemin))


def lire_planning(donnees: object) -> Planning:
    return _planning(donnees, "")


def _planning(donnees: object, chemin: str) -> Planning:
    racine = _objet(donnees, chemin, {"format", "passages"}, {"non_planifies", "statistiques"})
    if racine["format"] != FORMAT_PLANNING:
        raise FormatInvalide(_cle(chemin, "format"), f"« {racine['format']} » au lieu de « {FORMAT_PLANNING} »")
    passages = []
    base = _cle(chemin, "passages")
    for i, brut in enumerate(_liste(racine["passages"], base)):
        ici = f"{base}[{i}]"
        objet = _objet(
            brut,
            ici,
            {"candidat", "epreuve", "commission", "date", "debut", "fin"},
            {"preparation", "loge", "sujet", "salle"},
        )
        if ("preparation" in objet) != ("loge" in objet):
            raise FormatInvalide(ici, "`preparation` et `loge` vont ensemble")
        debut, fin = parse_heure(objet["debut"], f"{ici}.debut"), parse_heure(objet["fin"], f"{ici}.fin")
        if fin <= debut:
            raise FormatInvalide(f"{ici}.fin", "le passage finit avant de commencer")
        preparation = parse_heure(objet["preparation"], f"{ici}.preparation") if "preparation" in objet else None
        if preparation is not None and preparation > debut:
            raise FormatInvalide(f"{ici}.preparation", "la préparation commence après l'épreuve")
        passages.append(
            Passage(
                candidat=_texte(objet["candidat"], f"{ici}.candidat"),
                epreuve=_texte(objet["epreuve"], f"{ici}.epreuve"),
                commission=_texte(objet["commission"], f"{ici}.commission"),
                date=_date(objet["date"], f"{ici}.date"),
                debut=debut,
                fin=fin,
                preparation=preparation,
                loge=_texte(objet["loge"], f"{ici}.loge") if "loge" in objet else None,
                sujet=_texte(objet["sujet"], f"{ici}.sujet") if "sujet" in objet else None,
                salle=_texte(objet["salle"], f"{ici}.salle") if "salle" in objet else None,
            )
        )
    non_planifies = []
    base = _cle(chemin, "non_planifies")
    for i, brut in enumerate(_liste(racine.get("non_planifies", []), base)):
        ici = f"{base}[{i}]"
        objet = _objet(brut, ici, {"candidat", "epreuve", "raison"}, set())
        non_planifies.append(
            NonPlanifie(
                _texte(objet["candidat"], f"{ici}.candidat"),
                _texte(objet["epreuve"], f"{ici}.epreuve"),
                _texte(objet["raison"], f"{ici}.raison"),
            )
        )
    statistiques = None
    if "statistiques" in racine:
        statistiques = _statistiques(racine["statistiques"], _cle(chemin, "statistiques"))
    return Planning(tuple(passages), tuple(non_planifies), statistiques)


def _statistiques(valeur: object, chemin: str) -> Statistiques:
    entiers = {"non_planifies", "jours_candidats", "attente_minutes", "demi_journees_commissions"}
    objet = _objet(valeur, chemin, {"methode", "statut", "duree_s", "charge_max_minutes", *entiers}, {"changements"})
    statut = objet["statut"]
    if statut not in {s.value for s in Statut}:
        raise FormatInvalide(f"{chemin}.statut", f"statut « {statut} » inconnu ({', '.join(Statut)})")
    duree = objet["duree_s"]
    if isinstance(duree, bool) or not isinstance(duree, int | float) or duree < 0:
        raise FormatInvalide(f"{chemin}.duree_s", "un nombre de secondes positif est attendu")
    charges = objet["charge_max_minutes"]
    if not isinstance(charges, dict):
        raise FormatInvalide(f"{chemin}.charge_max_minutes", "un objet {épreuve: minutes} est attendu")
    return Statistiques(
        methode=_texte(objet["methode"], f"{chemin}.methode"),
        statut=Statut(statut),
        duree_s=float(duree),
        charge_max_minutes={str(k): _entier(v, f"{chemin}.charge_max_minutes.{k}") for k, v in charges.items()},
        changements=_entier(objet["changements"], f"{chemin}.changements") if "changements" in objet else None,
        **{cle: _entier(objet[cle], f"{chemin}.{cle}") for cle in sorted(entiers)},
    )


# --------------------------------------------------------------------------- écriture


def planning_vers_dict(planning: Planning) -> dict[str, Any]:
    passages = []
    for p in planning.passages:
        sortie: dict[str, Any] = {
            "candidat": p.candidat,
            "epreuve": p.epreuve,
            "commission": p.commission,
            "date": p.date,
        }
        if p.preparation is not None:
            sortie["preparation"] = format_heure(p.preparation)
            sortie["loge"] = p.loge
        sortie["debut"] = format_heure(p.debut)
        sortie["fin"] = format_heure(p.fin)
        if p.salle is not None:
            sortie["salle"] = p.salle
        if p.sujet is not None:
            sortie["sujet"] = p.sujet
        passages.append(sortie)
    resultat: dict[str, Any] = {
        "format": FORMAT_PLANNING,
        "passages": passages,
        "non_planifies": [
            {"candidat": n.candidat, "epreuve": n.epreuve, "raison": n.raison} for n in planning.non_planifies
        ],
    }
    if planning.statistiques is not None:
        s = planning.statistiques
        stats: dict[str, Any] = {
            "methode": s.methode,
            "statut": s.statut.value,
            "duree_s": round(s.duree_s, 3),
            "non_planifies": s.non_planifies,
            "jours_candidats": s.jours_candidats,
            "attente_minutes": s.attente_minutes,
            "demi_journees_commissions": s.demi_journees_commissions,
            "charge_max_minutes": dict(s.charge_max_minutes),
        }
        if s.changements is not None:
            stats["changements"] = s.changements
        resultat["statistiques"] = stats
    return resultat


def _jour_vers_dict(jour: Jour) -> dict[str, Any]:
    return {"date": jour.date, "plages": [[format_heure(p.debut), format_heure(p.fin)] for p in jour.plages]}


def instance_vers_dict(instance: Instance) -> dict[str, Any]:
    epreuves: dict[str, Any] = {}
    for code, e in instance.epreuves.items():
        sortie: dict[str, Any] = {"preparation": e.preparation, "duree": e.duree}
        for cle, valeur in (("langue", e.langue), ("poste", e.poste), ("sujet", e.sujet)):
            if valeur:
                sortie[cle] = True
        if e.suit is not None:
            sortie["suit"] = e.suit
        epreuves[code] = sortie
    commissions = []
    for c in instance.commissions:
        commission: dict[str, Any] = {"id": c.id, "epreuves": list(c.epreuves)}
        if c.langue is not None:
            commission["langue"] = c.langue
        commission["membres"] = list(c.membres)
        if c.salle is not None:
            commission["salle"] = c.salle
        commission["disponible"] = [_jour_vers_dict(j) for j in c.disponible]
        commissions.append(commission)
    candidats = []
    for k in instance.candidats:
        candidat: dict[str, Any] = {"id": k.id, "etablissement": k.etablissement, "epreuves": list(k.epreuves)}
        if k.langues:
            candidat["langues"] = dict(k.langues)
        if k.majoration:
            candidat["majoration"] = True
        if k.arrivee is not None:
            candidat["arrivee"] = format_heure(k.arrivee)
        candidats.append(candidat)
    resultat: dict[str, Any] = {"format": FORMAT_INSTANCE}
    if instance.nom:
        resultat["nom"] = instance.nom
    resultat |= {
        "fuseau": instance.fuseau,
        "pas": instance.pas,
        "jours": [_jour_vers_dict(j) for j in instance.jours],
        "epreuves": epreuves,
        "loges": [{"id": loge.id, "places": loge.places, "epreuves": list(loge.epreuves)} for loge in instance.loges],
        "postes": instance.postes,
        "commissions": commissions,
        "examinateurs": [{"id": x.id, "etablissement": x.etablissement} for x in instance.examinateurs],
        "candidats": candidats,
        "sujets": [{"id": s.id, "support": s.support.value} for s in instance.sujets],
        "regles": {
            "battement": instance.regles.battement,
            "max_passages_par_jour": instance.regles.max_passages_par_jour,
            "conflit_etablissement": instance.regles.conflit_etablissement,
        },
    }
    if instance.reference is not None:
        resultat["reference"] = planning_vers_dict(instance.reference)
    return resultat


def _ecrire(donnees: dict[str, Any], chemin: str | Path) -> None:
    Path(chemin).write_bytes(orjson.dumps(donnees, option=orjson.OPT_INDENT_2) + b"\n")


def ecrire_instance(instance: Instance, chemin: str | Path) -> None:
    _ecrire(instance_vers_dict(instance), chemin)


def ecrire_planning(planning: Planning, chemin: str | Path) -> None:
    _ecrire(planning_vers_dict(planning), chemin)
