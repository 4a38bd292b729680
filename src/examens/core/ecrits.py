"""Épreuves écrites (E1, E3, E5A) : répartition des candidats en salles, numéros d'anonymat, statistiques
d'harmonisation et ajustement des notes. Python pur, sans base : les services de `apps/ecrits` rassemblent
les faits et enregistrent le résultat.

Règles appliquées (shared/reglement-bts-ndrc-2022.md §1, §3, §8 ; Circ. 1.1) et réglages [décision] de
`ReglesEcrits`, que les services reçoivent en paramètre (une académie peut les changer) :

- aménagements d'épreuve : un candidat avec **secrétaire** compose seul dans sa salle (il dicte) ; avec
  **ordinateur**, en salle informatique s'il y en a une, sinon en salle d'aménagements ; en **salle à part**
  ou au **tiers temps**, en salle d'aménagements (les tiers temps restent quand les autres sortent) ; avec
  **sujet agrandi**, aux premières tables de sa salle (près de la lumière et du surveillant) ;
- un candidat garde la même salle et la même table pour toutes ses épreuves écrites (étiquettes de table,
  convocation unique) ;
- numéro d'anonymat : tiré au hasard (générateur du système), unique dans l'épreuve, sans lien calculable
  avec le numéro de candidat ; le dernier chiffre est une clé de Luhn, qui arrête une faute de frappe ;
- statistiques d'une série de notes : moyenne et variance exactes (`Fraction`), écart type arrondi pour
  l'affichage seulement, distribution par tranche d'un point ;
- ajustement d'harmonisation : décalage borné à [0, maximum] (20), note par note au pas du règlement.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from examens.core.erreurs import ErreurExamens


@dataclass(frozen=True, slots=True)
class ReglesEcrits:
    """Réglages de l'organisation des écrits. Chaque valeur par défaut est une [décision] du projet."""

    # [décision] les candidats au tiers temps composent ensemble en salle d'aménagements.
    tiers_temps_en_salle_dediee: bool = True
    # [décision] un candidat assisté d'un secrétaire compose seul dans sa salle.
    secretaire_seul: bool = True
    # [décision] nombre minimal de surveillants par salle et par épreuve (deux cases sur l'émargement).
    surveillants_par_salle: int = 2
    # [décision] nombre de copies d'un lot de correction.
    taille_lot: int = 50
    # [décision] taille maximale d'un justificatif d'absence (5 Mo).
    justificatif_octets_max: int = 5 * 1024 * 1024
    # Chiffres du numéro d'anonymat, clé de contrôle comprise (10⁷ numéros possibles par épreuve).
    chiffres_anonymat: int = 8


REGLES_ECRITS = ReglesEcrits()


class RepartitionImpossible(ErreurExamens):
    code = "repartition_impossible"


# --- Répartition en salles ------------------------------------------------------------------------


class TypeSalle(StrEnum):
    """Les types de salle d'un centre (les valeurs de `organisation.Salle.Type`)."""

    ECRIT = "ecrit"
    ORAL = "oral"
    LOGE = "loge"
    INFORMATIQUE = "informatique"


class Destination(StrEnum):
    """À quoi sert une salle pendant les écrits."""

    ORDINAIRE = "ordinaire"
    AMENAGEMENTS = "amenagements"  # salle à part, tiers temps (et ordinateur sans salle informatique)
    INFORMATIQUE = "informatique"  # candidats composant sur ordinateur
    SEUL = "seul"  # un candidat assisté d'un secrétaire

    @property
    def libelle(self) -> str:
        return {
            "ordinaire": "salle d'écrit",
            "amenagements": "salle d'aménagements (salle à part, tiers temps)",
            "informatique": "salle informatique (ordinateur)",
            "seul": "salle individuelle (secrétaire)",
        }[self.value]


@dataclass(frozen=True, slots=True)
class SalleDisponible:
    cle: int
    nom: str
    type: TypeSalle
    capacite: int


@dataclass(frozen=True, slots=True)
class CandidatAPlacer:
    cle: int
    numero: str
    temps_majore: bool = False
    salle_a_part: bool = False
    secretaire: bool = False
    ordinateur: bool = False
    sujet_agrandi: bool = False


@dataclass(frozen=True, slots=True)
class PlaceAttribuee:
    candidat: int
    salle: int
    table: int  # numéro de table dans la salle, à partir de 1


@dataclass(frozen=True, slots=True)
class Repartition:
    places: tuple[PlaceAttribuee, ...]
    destinations: dict[int, Destination] = field(default_factory=dict)  # salle utilisée -> destination

    def effectifs(self) -> dict[int, int]:
        compte: dict[int, int] = {}
        for p in self.places:
            compte[p.salle] = compte.get(p.salle, 0) + 1
        return compte


def destination_de(c: CandidatAPlacer, regles: ReglesEcrits = REGLES_ECRITS) -> Destination:
    if c.secretaire and regles.secretaire_seul:
        return Destination.SEUL
    if c.ordinateur:
        return Destination.INFORMATIQUE
    if c.salle_a_part or (c.temps_majore and regles.tiers_temps_en_salle_dediee):
        return Destination.AMENAGEMENTS
    return Destination.ORDINAIRE


def repartir(
    candidats: Sequence[CandidatAPlacer],
    salles: Sequence[SalleDisponible],
    regles: ReglesEcrits = REGLES_ECRITS,
) -> Repartition:
    """Place chaque candidat dans une salle, à une table. Déterministe (ordre des numéros de candidat).

    1. secrétaire : une salle chacun, la plus petite disponible (loge, salle d'oral, puis salle d'écrit) ;
    2. ordinateur : les salles informatiques (faute de salle informatique : avec les aménagements) ;
    3. salle à part et tiers temps : les plus petites salles (loges, puis salles d'écrit) jusqu'à avoir
       assez de places ;
    4. les autres : les salles d'écrit restantes, de la plus grande à la plus petite (moins de salles à
       surveiller).
    Dans une salle, les sujets agrandis ont les premières tables, puis l'ordre des numéros de candidat.
    Lève `RepartitionImpossible` (message qui dit combien de places manquent) si le centre est trop petit.
    """
    groupes: dict[Destination, list[CandidatAPlacer]] = {d: [] for d in Destination}
    for c in sorted(candidats, key=lambda c: (c.numero, c.cle)):
        groupes[destination_de(c, regles)].append(c)
    libres = sorted(salles, key=lambda s: (s.capacite, s.nom, s.cle))
    affectes: dict[int, list[CandidatAPlacer]] = {}
    destinations: dict[int, Destination] = {}

    def prendre(types: Collection[TypeSalle]) -> SalleDisponible | None:
        for s in libres:
            if s.type in types:
                libres.remove(s)
                return s
        return None

    # 1. Secrétaire : seul dans la salle (une loge ou une salle d'oral d'abord, faites pour parler).
    for c in groupes[Destination.SEUL]:
        salle = prendre((TypeSalle.LOGE, TypeSalle.ORAL)) or prendre((TypeSalle.ECRIT,))
        if salle is None:
            raise RepartitionImpossible(
                f"Candidat {c.numero} (secrétaire) : aucune salle libre pour qu'il compose seul ; ajoutez une "
                "loge ou une petite salle au centre."
            )
        affectes[salle.cle] = [c]
        destinations[salle.cle] = Destination.SEUL

    # 2. Ordinateur : salles informatiques, sinon avec les aménagements.
    informatique = groupes[Destination.INFORMATIQUE]
    if informatique:
        salles_info = [s for s in libres if s.type is TypeSalle.INFORMATIQUE]
        if salles_info:
            for s in salles_info:
                libres.remove(s)
            _remplir(informatique, sorted(salles_info, key=lambda s: (-s.capacite, s.nom)), affectes)
            for s in salles_info:
                if s.cle in affectes:
                    destinations[s.cle] = Destination.INFORMATIQUE
            if len(informatique) > sum(s.capacite for s in salles_info):
                raise RepartitionImpossible(
                    f"{len(informatique)} candidat(s) composent sur ordinateur pour "
                    f"{sum(s.capacite for s in salles_info)} place(s) en salle informatique ; ajoutez une salle."
                )
        else:
            groupes[Destination.AMENAGEMENTS] = sorted(
                groupes[Destination.AMENAGEMENTS] + informatique, key=lambda c: (c.numero, c.cle)
            )

    # 3. Salle à part et tiers temps : les plus petites salles, jusqu'à avoir assez de places.
    amenagements = groupes[Destination.AMENAGEMENTS]
    if amenagements:
        choisies: list[SalleDisponible] = []
        places = 0
        while places < len(amenagements):
            salle = prendre((TypeSalle.LOGE,)) or prendre((TypeSalle.ECRIT,))
            if salle is None:
                raise RepartitionImpossible(
                    f"{len(amenagements)} candidat(s) en salle à part ou au tiers temps pour {places} place(s) en "
                    f"salle d'aménagements : il manque {len(amenagements) - places} place(s) ; ajoutez une salle."
                )
            choisies.append(salle)
            places += salle.capacite
        _remplir(amenagements, choisies, affectes)
        for s in choisies:
            destinations[s.cle] = Destination.AMENAGEMENTS

    # 4. Les autres : les salles d'écrit restantes, les plus grandes d'abord.
    ordinaires = groupes[Destination.ORDINAIRE]
    if ordinaires:
        ecrit = sorted((s for s in libres if s.type is TypeSalle.ECRIT), key=lambda s: (-s.capacite, s.nom, s.cle))
        capacite = sum(s.capacite for s in ecrit)
        if capacite < len(ordinaires):
            raise RepartitionImpossible(
                f"{len(ordinaires)} candidat(s) pour {capacite} place(s) en salle d'écrit (une fois les salles "
                f"d'aménagements réservées) : il manque {len(ordinaires) - capacite} place(s) ; ajoutez une salle "
                "d'écrit au centre."
            )
        for s in _remplir(ordinaires, ecrit, affectes):
            destinations[s.cle] = Destination.ORDINAIRE

    places_attribuees: list[PlaceAttribuee] = []
    for cle_salle, occupants in affectes.items():
        ordre = sorted(occupants, key=lambda c: (not c.sujet_agrandi, c.numero, c.cle))
        places_attribuees.extend(PlaceAttribuee(c.cle, cle_salle, i) for i, c in enumerate(ordre, start=1))
    places_attribuees.sort(key=lambda p: p.candidat)
    return Repartition(tuple(places_attribuees), destinations)


def _remplir(
    candidats: Sequence[CandidatAPlacer], salles: Sequence[SalleDisponible], affectes: dict[int, list[CandidatAPlacer]]
) -> list[SalleDisponible]:
    """Remplit les salles dans l'ordre donné ; rend celles qui ont reçu au moins un candidat."""
    utilisees: list[SalleDisponible] = []
    reste = list(candidats)
    for s in salles:
        if not reste:
            break
        affectes[s.cle] = reste[: s.capacite]
        reste = reste[s.capacite :]
        utilisees.append(s)
    return utilisees


# --- Numéros d'anonymat ---------------------------------------------------------------------------


def cle_luhn(chiffres: str) -> str:
    """Le chiffre de contrôle de Luhn à ajouter à `chiffres`."""
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def numero_anonymat_valide(numero: str, chiffres: int = REGLES_ECRITS.chiffres_anonymat) -> bool:
    """Le numéro a la bonne longueur et sa clé de contrôle est juste (une faute de frappe se voit)."""
    return len(numero) == chiffres and numero.isdigit() and numero.isascii() and cle_luhn(numero[:-1]) == numero[-1]


def numeros_anonymat(
    nombre: int,
    *,
    deja_pris: Collection[str] = (),
    chiffres: int = REGLES_ECRITS.chiffres_anonymat,
    alea: random.Random | None = None,
) -> list[str]:
    """`nombre` numéros d'anonymat nouveaux, distincts entre eux et de `deja_pris`, tirés au hasard.

    Le tirage ne dépend d'aucune donnée du candidat : rien ne permet de retrouver le candidat à partir du
    numéro sans la table de correspondance. `alea` (tests seulement) remplace le générateur du système.
    """
    tirage = alea or secrets.SystemRandom()
    possibles = 10 ** (chiffres - 1)
    if nombre + len(deja_pris) > possibles // 2:
        raise ValueError(f"{nombre} numéros d'anonymat demandés : trop pour {chiffres} chiffres.")
    pris = set(deja_pris)
    resultat: list[str] = []
    while len(resultat) < nombre:
        corps = f"{tirage.randrange(possibles):0{chiffres - 1}d}"
        numero = corps + cle_luhn(corps)
        if numero not in pris:
            pris.add(numero)
            resultat.append(numero)
    return resultat


def grouper_en_lots[T](elements: Sequence[T], taille: int) -> list[list[T]]:
    """Découpe en lots de `taille` au plus ; le dernier lot est complété en équilibrant (lots de tailles
    voisines : 101 copies en lots de 50 → 34 + 34 + 33, pas 50 + 50 + 1)."""
    if taille < 1:
        raise ValueError("Un lot contient au moins une copie.")
    if not elements:
        return []
    nombre = -(-len(elements) // taille)
    base, reste = divmod(len(elements), nombre)
    lots, debut = [], 0
    for i in range(nombre):
        fin = debut + base + (1 if i < reste else 0)
        lots.append(list(elements[debut:fin]))
        debut = fin
    return lots


# --- Statistiques d'harmonisation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statistiques:
    """Statistiques exactes d'une série de notes. `distribution[i]` : notes dans [i, i + 1[ (la dernière
    tranche comprend le maximum : [19, 20])."""

    effectif: int
    moyenne: Fraction | None
    variance: Fraction | None  # variance de la population (la série entière, pas un échantillon)
    minimum: Decimal | None
    maximum: Decimal | None
    distribution: tuple[int, ...]

    def ecart_type(self, decimales: int = 2) -> Decimal | None:
        """L'écart type arrondi (demi vers le haut) : la racine d'une fraction n'est pas exacte, on
        l'arrondit pour l'affichage seulement."""
        if self.variance is None:
            return None
        with localcontext() as ctx:
            ctx.prec = 40
            racine = (Decimal(self.variance.numerator) / Decimal(self.variance.denominator)).sqrt()
        return racine.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)

    def moyenne_arrondie(self, decimales: int = 2) -> Decimal | None:
        if self.moyenne is None:
            return None
        return arrondir(self.moyenne, decimales)


def arrondir(valeur: Fraction, decimales: int = 2) -> Decimal:
    """Une fraction arrondie au plus proche, demi vers le haut (affichage)."""
    with localcontext() as ctx:
        ctx.prec = 40
        d = Decimal(valeur.numerator) / Decimal(valeur.denominator)
    return d.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)


def statistiques(notes: Iterable[Decimal], *, maximum: Decimal = Decimal(20)) -> Statistiques:
    serie = [Fraction(n) for n in notes]
    tranches = int(maximum)
    distribution = [0] * tranches
    for n in serie:
        distribution[min(int(n), tranches - 1)] += 1
    if not serie:
        return Statistiques(0, None, None, None, None, tuple(distribution))
    moyenne = sum(serie, Fraction(0)) / len(serie)
    variance = sum(((n - moyenne) ** 2 for n in serie), Fraction(0)) / len(serie)
    valeurs = [Decimal(n.numerator) / Decimal(n.denominator) for n in (min(serie), max(serie))]
    return Statistiques(len(serie), moyenne, variance, valeurs[0], valeurs[1], tuple(distribution))


def decaler(note: Decimal, points: Decimal, *, maximum: Decimal = Decimal(20)) -> Decimal:
    """La note décalée de `points` (positif ou négatif), bornée à [0, maximum] : +1 sur 19,5 donne 20."""
    return min(max(note + points, Decimal(0)), maximum)
