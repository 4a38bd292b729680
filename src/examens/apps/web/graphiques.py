"""Graphiques SVG rendus par le serveur : la géométrie est calculée ici, en entiers (les coordonnées ne
passent pas par la localisation des gabarits, qui écrirait « 12,5 »), et dessinée par `Graphique.svg`, inclus
par le gabarit `web/_graphique.html`, avec un titre, une description et, à côté, le tableau des mêmes données.

Aucun script, aucun style en ligne : les couleurs viennent des variables du DSFR (`static/web/web.css`),
donc du thème clair ou sombre choisi par la personne.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

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

    def svg(self) -> SafeString:
        """Le balisage SVG, écrit ici d'un seul tenant : un graphique par centre compte des centaines de
        nombres, que le moteur de gabarits rendait un à un (le tiers du temps du tableau de bord). Les textes
        sont échappés ; les nombres sont des entiers."""
        i = escape(self.identifiant)
        parties = [
            f'<svg class="graphique" role="img" aria-labelledby="{i}-titre {i}-desc" '
            f'viewBox="0 0 {self.largeur} {self.hauteur}" width="{self.largeur}" height="{self.hauteur}" '
            f'focusable="false">',
            f'<title id="{i}-titre">{escape(self.titre)}</title>',
            f'<desc id="{i}-desc">{escape(self.description)}</desc>',
        ]
        for g in self.graduations:
            parties.append(
                f'<line class="graphique__grille" x1="{g.x}" y1="0" x2="{g.x}" y2="{self.y_axe}"></line>'
                f'<text class="graphique__graduation" x="{g.x}" y="{self.hauteur}" text-anchor="middle" '
                f'dy="-6">{escape(g.texte)}</text>'
            )
        for b in self.barres:
            rect = (
                f'<rect class="graphique__barre" x="{b.x}" y="{b.y}" width="{b.largeur}" height="{b.hauteur}"></rect>'
            )
            if self.vertical:
                corps = (
                    f'{rect}<text class="graphique__valeur" x="{b.x_texte}" y="{b.y_texte}" '
                    f'text-anchor="middle">{escape(b.texte)}</text>'
                    f'<text class="graphique__libelle" x="{b.x_texte}" y="{self.y_axe}" dy="16" '
                    f'text-anchor="middle">{escape(b.libelle_court)}</text>'
                )
            else:
                corps = (
                    f'<text class="graphique__libelle" x="{self.x_axe}" y="{b.y_texte}" dx="-8" '
                    f'text-anchor="end">{escape(b.libelle_court)}</text>{rect}'
                    f'<text class="graphique__valeur" x="{b.x_texte}" y="{b.y_texte}">{escape(b.texte)}</text>'
                )
            parties.append(f"<g><title>{escape(b.libelle)} : {escape(b.texte)}</title>{corps}</g>")
        parties.append(
            f'<line class="graphique__axe" x1="{self.x_axe}" y1="0" x2="{self.x_axe}" y2="{self.y_axe}"></line>'
            f'<line class="graphique__axe" x1="{self.x_axe}" y1="{self.y_axe}" x2="{self.largeur}" '
            f'y2="{self.y_axe}"></line></svg>'
        )
        return mark_safe("\n".join(parties))  # textes échappés ci-dessus, nombres entiers


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
