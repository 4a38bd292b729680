"""Graphiques SVG rendus par le serveur : la géométrie est calculée ici, en entiers (les coordonnées ne
passent pas par la localisation des gabarits, qui écrirait « 12,5 »), et dessinée par le gabarit
`web/_graphique.html` avec un titre, une description et, à côté, le tableau des mêmes données.

Aucun script, aucun style en ligne : les couleurs viennent des variables du DSFR (`static/web/web.css`),
donc du thème clair ou sombre choisi par la personne.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HAUTEUR_LIGNE = 28
EPAISSEUR = 18
LARGEUR_TRACE = 420
LARGEUR_VALEUR = 70
CARACTERE = 7  # largeur moyenne d'un caractère (12 px, Marianne), pour réserver la place des libellés
LIBELLE_MAX = 44


@dataclass(frozen=True)
class Barre:
    libelle: str  # complet (dans le tableau et l'infobulle)
    libelle_court: str  # tronqué pour tenir à gauche du tracé
    texte: str  # valeur affichée : « 82,4 % », « 125 »
    x: int
    y: int
    largeur: int
    hauteur: int
    x_texte: int
    y_texte: int


@dataclass(frozen=True)
class Graduation:
    x: int
    texte: str


@dataclass(frozen=True)
class Graphique:
    identifiant: str  # pour les id du titre et de la description (aria-labelledby)
    titre: str
    description: str
    largeur: int
    hauteur: int
    x_axe: int
    y_axe: int
    barres: tuple[Barre, ...]
    graduations: tuple[Graduation, ...]
    vertical: bool = False


def _nombre(valeur: Decimal | int | float) -> str:
    if isinstance(valeur, int):
        return str(valeur)
    texte = f"{valeur:.1f}".replace(".", ",")
    return texte.removesuffix(",0")


def _court(libelle: str) -> str:
    return libelle if len(libelle) <= LIBELLE_MAX else libelle[: LIBELLE_MAX - 1] + "…"


def barres_horizontales(
    *,
    identifiant: str,
    titre: str,
    description: str,
    donnees: Sequence[tuple[str, Decimal | int | None]],
    maximum: Decimal | int | None = None,
    unite: str = "",
) -> Graphique:
    """Une barre par ligne (libellé, valeur) ; `maximum` fixe l'échelle (100 pour des pourcentages).
    Une valeur absente (None) est écrite « — » sans barre."""
    valeurs = [v for _, v in donnees if v is not None]
    echelle = maximum if maximum is not None else max(valeurs, default=0) or 1
    marge = min(LIBELLE_MAX, max((len(lib) for lib, _ in donnees), default=10)) * CARACTERE + 12
    barres = []
    for rang, (libelle, valeur) in enumerate(donnees):
        y = 8 + rang * HAUTEUR_LIGNE
        largeur = 0 if valeur is None else round(LARGEUR_TRACE * float(valeur) / float(echelle))
        texte = "—" if valeur is None else f"{_nombre(valeur)}{unite}"
        barres.append(
            Barre(
                libelle=libelle,
                libelle_court=_court(libelle),
                texte=texte,
                x=marge,
                y=y,
                largeur=largeur,
                hauteur=EPAISSEUR,
                x_texte=marge + largeur + 6,
                y_texte=y + EPAISSEUR - 4,
            )
        )
    hauteur_trace = 8 + len(donnees) * HAUTEUR_LIGNE
    graduations = tuple(
        Graduation(marge + round(LARGEUR_TRACE * k / 4), f"{_nombre(Decimal(echelle) * k / 4)}{unite}")
        for k in range(5)
    )
    return Graphique(
        identifiant=identifiant,
        titre=titre,
        description=description,
        largeur=marge + LARGEUR_TRACE + LARGEUR_VALEUR,
        hauteur=hauteur_trace + 24,
        x_axe=marge,
        y_axe=hauteur_trace,
        barres=tuple(barres),
        graduations=graduations,
    )


def histogramme(*, identifiant: str, titre: str, description: str, donnees: Sequence[tuple[str, int]]) -> Graphique:
    """Des colonnes (effectif par tranche), libellés des tranches sous l'axe."""
    hauteur_trace = 160
    haut = 20  # place de la valeur au-dessus de la plus haute colonne
    pas = 44
    marge = 40
    plus_grand = max((v for _, v in donnees), default=0) or 1
    barres = []
    for rang, (libelle, valeur) in enumerate(donnees):
        h = round(hauteur_trace * valeur / plus_grand)
        x = marge + rang * pas + 4
        barres.append(
            Barre(
                libelle=libelle,
                libelle_court=libelle,
                texte=str(valeur),
                x=x,
                y=haut + hauteur_trace - h,
                largeur=pas - 8,
                hauteur=h,
                x_texte=x + (pas - 8) // 2,
                y_texte=haut + hauteur_trace - h - 4,
            )
        )
    return Graphique(
        identifiant=identifiant,
        titre=titre,
        description=description,
        largeur=marge + len(donnees) * pas + 10,
        hauteur=haut + hauteur_trace + 26,
        x_axe=marge,
        y_axe=haut + hauteur_trace,
        barres=tuple(barres),
        graduations=(),
        vertical=True,
    )
