"""Mise en page commune des documents PDF : A4 portrait, en-tête et pied de page, paragraphes, tableaux.

Une `Composition` place le contenu page par page (coupure des lignes, sauts de page, en-têtes de
tableau répétés) en enregistrant des opérations de dessin ; `rendre()` les écrit ensuite avec
`reportlab.pdfgen.canvas`, en connaissant le nombre de pages (« page 2/3 »). Pas de platypus : le
canevas direct est plusieurs fois plus rapide, et une convocation doit se rendre en quelques
millisecondes (25 000 convocations en quelques minutes, base comprise).

Déterminisme : `invariant=1` et date de création prise dans les données (`Edition.emis_le`) : mêmes
données, mêmes octets (le service d'édition compare les empreintes SHA-256 des versions).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from examens.documents.commun import Edition
from examens.documents.textes import date_courte, decalage_utc, heure, local, nom_fuseau, pour_pdf

LARGEUR_PAGE = 595.28
HAUTEUR_PAGE = 841.89
A4 = (LARGEUR_PAGE, HAUTEUR_PAGE)
MARGE = 40.0
GAUCHE = MARGE
DROITE = LARGEUR_PAGE - MARGE
LARGEUR_UTILE = DROITE - GAUCHE
BAS = 52.0  # sous cette ordonnée : le pied de page

# Flux compressés sans la couche ASCII85 (texte) de ReportLab : 20 % plus petits, et l'encodeur en Python pur
# coûte à lui seul un tiers du rendu d'une convocation. Réglage global de ReportLab, fixé une fois à
# l'import pour que tous les documents d'un processus soient produits de la même façon (déterminisme).
rl_config.useA85 = 0

NORMAL = "Helvetica"
GRAS = "Helvetica-Bold"
ITALIQUE = "Helvetica-Oblique"
TAILLE = 8.5


# --- Mesure et coupure du texte ------------------------------------------------------------------------


def _table_largeurs(police: str) -> dict[str, float]:
    largeurs = pdfmetrics.getFont(police).widths  # indexées par code Windows-1252 (WinAnsiEncoding)
    table: dict[str, float] = {}
    for code in range(256):
        try:
            caractere = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        table[caractere] = largeurs[code] / 1000
    return table


_LARGEURS = {police: _table_largeurs(police) for police in (NORMAL, GRAS, ITALIQUE)}


def largeur(texte: str, police: str = NORMAL, taille: float = TAILLE) -> float:
    """Largeur en points d'un texte déjà normalisé (`pour_pdf`)."""
    return sum(map(_LARGEURS[police].__getitem__, texte)) * taille


@lru_cache(maxsize=8192)
def couper(
    texte: str, police: str, taille: float, largeur_max: float, retrait_premiere: float = 0.0
) -> tuple[str, ...]:
    """Coupe `texte` en lignes de largeur ≤ `largeur_max` (aux espaces ; un mot trop long est coupé).

    Un « \\n » force un retour à la ligne. `retrait_premiere` : place déjà prise sur la première ligne.
    """
    table = _LARGEURS[police]
    espace = table[" "] * taille
    lignes: list[str] = []
    disponible = largeur_max - retrait_premiere
    for paragraphe in texte.split("\n"):
        courante: list[str] = []
        occupee = 0.0
        for mot_entier in pour_pdf(paragraphe).split(" "):
            if not mot_entier:
                continue
            mot = mot_entier
            w = sum(map(table.__getitem__, mot)) * taille
            if courante and occupee + espace + w > disponible:
                lignes.append(" ".join(courante))
                disponible = largeur_max
                courante, occupee = [], 0.0
            while w > disponible and len(mot) > 1:  # mot plus long que la ligne : coupé
                coupe = len(mot) - 1
                while coupe > 1 and sum(map(table.__getitem__, mot[:coupe])) * taille > disponible:
                    coupe -= 1
                lignes.append(mot[:coupe])
                disponible = largeur_max
                mot = mot[coupe:]
                w = sum(map(table.__getitem__, mot)) * taille
            occupee = occupee + espace + w if courante else w
            courante.append(mot)
        lignes.append(" ".join(courante))
        disponible = largeur_max
    return tuple(lignes)


# --- Composition -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Colonne:
    titre: str
    largeur: float  # en points
    alignement: str = "g"  # g (gauche), c (centre), d (droite)
    police: str = NORMAL


@dataclass(slots=True)
class _Page:
    fonds: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x, y, l, h, gris
    cadres: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x, y, l, h, trait
    traits: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x1, y1, x2, y2, trait
    textes: list[tuple[float, float, str, float, str]] = field(default_factory=list)  # x, y, police, taille, texte


class Composition:
    """Un document en cours de composition. `y` est l'ordonnée du haut de la place libre (points, origine en bas)."""

    def __init__(
        self,
        edition: Edition,
        *,
        modele: str,
        titre: str,
        sous_titre: str = "",
        bandeau: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.edition = edition
        self.modele = modele
        self.titre = pour_pdf(titre)
        self.sous_titre = pour_pdf(sous_titre)
        self.bandeau = [(pour_pdf(cle), pour_pdf(valeur)) for cle, valeur in bandeau]
        self._pages: list[_Page] = []
        self._haut = self._hauteur_entete()
        self.y = 0.0
        # Rappelée après chaque saut de page (en-tête d'un tableau en cours).
        self.apres_saut: Callable[[], None] | None = None
        self.nouvelle_page()

    # En-tête : académie et division, spécialité et session, titre, sous-titre, bandeau répété.
    def _hauteur_entete(self) -> float:
        y = HAUTEUR_PAGE - 70  # ligne de base du titre (voir `_dessiner_page`)
        if self.sous_titre:
            y -= 13
        y -= 8  # filet sous le titre
        if self.bandeau:
            y -= 12 * ((len(self.bandeau) + 1) // 2) + 5
        return y - 6

    @property
    def page(self) -> _Page:
        return self._pages[-1]

    @property
    def nombre_pages(self) -> int:
        return len(self._pages)

    def nouvelle_page(self) -> None:
        self._pages.append(_Page())
        self.y = self._haut
        if self.apres_saut is not None:
            self.apres_saut()

    def reserver(self, hauteur: float) -> bool:
        """Passe à la page suivante si `hauteur` ne tient plus ; True si une page a été ajoutée."""
        if self.y - hauteur < BAS:
            self.nouvelle_page()
            return True
        return False

    def reste(self) -> float:
        return self.y - BAS

    # --- Primitives ---

    def texte(
        self, x: float, y: float, texte: str, *, police: str = NORMAL, taille: float = TAILLE, alignement: str = "g"
    ) -> None:
        """Écrit une ligne (normalisée), alignée à gauche, à droite ou centrée sur `x`."""
        t = pour_pdf(texte)
        if alignement == "d":
            x -= largeur(t, police, taille)
        elif alignement == "c":
            x -= largeur(t, police, taille) / 2
        self.page.textes.append((x, y, police, taille, t))

    def trait(self, x1: float, y1: float, x2: float, y2: float, epaisseur: float = 0.5) -> None:
        self.page.traits.append((x1, y1, x2, y2, epaisseur))

    def cadre(self, x: float, y: float, largeur_cadre: float, h: float, epaisseur: float = 0.5) -> None:
        """Rectangle dont (x, y) est le coin bas gauche."""
        self.page.cadres.append((x, y, largeur_cadre, h, epaisseur))

    def fond(self, x: float, y: float, largeur_fond: float, h: float, gris: float = 0.92) -> None:
        self.page.fonds.append((x, y, largeur_fond, h, gris))

    def espace(self, hauteur: float) -> None:
        self.y -= hauteur

    # --- Blocs ---

    def section(self, titre: str, *, garder: float = 30.0) -> None:
        """Titre de section souligné ; `garder` : place minimale à garder sous le titre sur la même page."""
        self.reserver(18 + garder)
        self.y -= 12
        self.texte(GAUCHE, self.y, titre, police=GRAS, taille=10)
        self.y -= 3.5
        self.trait(GAUCHE, self.y, DROITE, self.y, 0.6)
        self.y -= 3.5

    def paragraphe(
        self,
        texte: str,
        *,
        taille: float = TAILLE,
        police: str = NORMAL,
        retrait: float = 0.0,
        puce: str = "",
        etiquette: str = "",
        interligne: float = 1.2,
        largeur_max: float | None = None,
    ) -> None:
        """Paragraphe coupé à la largeur utile ; `etiquette` en gras en tête, `puce` en marge."""
        x = GAUCHE + retrait
        lmax = (largeur_max or LARGEUR_UTILE) - retrait
        etiquette = pour_pdf(etiquette)
        decalage = largeur(etiquette + " ", GRAS, taille) if etiquette else 0.0
        lignes = couper(texte, police, taille, lmax, decalage)
        h = taille * interligne
        for i, ligne in enumerate(lignes):
            self.reserver(h)
            self.y -= h
            base = self.y + 0.28 * taille
            if i == 0:
                if puce:
                    self.texte(x - 8, base, puce, police=police, taille=taille)
                if etiquette:
                    self.texte(x, base, etiquette, police=GRAS, taille=taille)
                self.texte(x + decalage, base, ligne, police=police, taille=taille)
            else:
                self.texte(x, base, ligne, police=police, taille=taille)

    def puces(self, elements: Sequence[str], *, taille: float = TAILLE, retrait: float = 10.0) -> None:
        for element in elements:
            self.paragraphe(element, taille=taille, retrait=retrait, puce="•")

    def encadres(
        self,
        blocs: Sequence[tuple[str, Sequence[tuple[str, str]]]],
        *,
        taille: float = 9.0,
        largeur_etiquette: float = 62,
    ) -> None:
        """Encadrés côte à côte : un titre puis des lignes « étiquette : valeur » (valeur coupée)."""
        ecart = 10.0
        l_bloc = (LARGEUR_UTILE - ecart * (len(blocs) - 1)) / len(blocs)
        h_ligne = taille * 1.25
        contenus: list[list[tuple[str, tuple[str, ...]]]] = []
        hauteur = 0.0
        for _, lignes in blocs:
            contenu = [
                (
                    pour_pdf(cle),
                    couper(valeur, GRAS, taille, l_bloc - (largeur_etiquette if cle else 0) - 14),
                )
                for cle, valeur in lignes
            ]
            contenus.append(contenu)
            hauteur = max(hauteur, 20 + h_ligne * sum(max(1, len(v)) for _, v in contenu) + 6)
        self.reserver(hauteur + 4)
        haut = self.y
        for i, ((titre, _), contenu) in enumerate(zip(blocs, contenus, strict=True)):
            x = GAUCHE + i * (l_bloc + ecart)
            self.fond(x, haut - 16, l_bloc, 16)
            self.cadre(x, haut - hauteur, l_bloc, hauteur, 0.6)
            self.texte(x + 7, haut - 11.5, titre, police=GRAS, taille=9.5)
            y = haut - 20
            for cle, valeurs in contenu:
                decalage = largeur_etiquette if cle else 0
                for j, v in enumerate(valeurs or ("",)):
                    y -= h_ligne
                    if j == 0 and cle:
                        self.texte(x + 7, y + 3, cle, taille=taille - 0.5)
                    self.texte(x + 7 + decalage, y + 3, v, police=GRAS, taille=taille)
        self.y = haut - hauteur - 4

    def tableau(
        self,
        colonnes: Sequence[Colonne],
        lignes: Sequence[Sequence[str]],
        *,
        taille: float = 8.0,
        hauteur_min: float = 0.0,
        grille: bool = False,
        zebre: bool = False,
        vide: str = "",
    ) -> None:
        """Tableau à la largeur des colonnes ; l'en-tête est répété en haut de chaque page."""
        pad = 3.0
        interligne = taille * 1.18
        x0 = GAUCHE
        total = sum(c.largeur for c in colonnes)
        positions = [x0]
        for c in colonnes:
            positions.append(positions[-1] + c.largeur)

        entetes = [couper(c.titre, GRAS, taille - 0.5, c.largeur - 2 * pad) for c in colonnes]
        h_entete = max(len(e) for e in entetes) * (taille - 0.5) * 1.18 + 2 * pad

        def dessiner_entete() -> None:
            haut = self.y
            self.fond(x0, haut - h_entete, total, h_entete, 0.86)
            self.cadre(x0, haut - h_entete, total, h_entete, 0.6)
            for i, (c, e) in enumerate(zip(colonnes, entetes, strict=True)):
                for j, ligne in enumerate(e):
                    base = haut - pad - (j + 1) * (taille - 0.5) * 1.18 + 0.3 * taille
                    self._cellule(ligne, c, positions[i], pad, base, GRAS, taille - 0.5)
                if grille and i:
                    self.trait(positions[i], haut, positions[i], haut - h_entete, 0.4)
            self.y = haut - h_entete

        self.reserver(h_entete + (hauteur_min or interligne + 2 * pad))
        dessiner_entete()
        if not lignes and vide:
            self.paragraphe(vide, taille=taille, police=ITALIQUE, retrait=pad)
            return
        precedent = self.apres_saut
        self.apres_saut = dessiner_entete
        try:
            for n, ligne in enumerate(lignes):
                cellules = [
                    couper(v, c.police, taille, c.largeur - 2 * pad) for v, c in zip(ligne, colonnes, strict=True)
                ]
                h = max(max(len(c) for c in cellules) * interligne + 2 * pad, hauteur_min)
                self.reserver(h)
                haut = self.y
                if zebre and n % 2:
                    self.fond(x0, haut - h, total, h, 0.96)
                for i, (c, cellule) in enumerate(zip(colonnes, cellules, strict=True)):
                    for j, texte in enumerate(cellule):
                        base = haut - pad - (j + 1) * interligne + 0.3 * taille
                        self._cellule(texte, c, positions[i], pad, base, c.police, taille)
                    if grille and i:
                        self.trait(positions[i], haut, positions[i], haut - h, 0.4)
                self.y = haut - h
                if grille:
                    self.trait(x0, haut, x0, self.y, 0.6)
                    self.trait(x0 + total, haut, x0 + total, self.y, 0.6)
                self.trait(x0, self.y, x0 + total, self.y, 0.6 if grille else 0.3)
        finally:
            self.apres_saut = precedent

    def _cellule(self, texte: str, c: Colonne, x: float, pad: float, base: float, police: str, taille: float) -> None:
        if c.alignement == "d":
            self.texte(x + c.largeur - pad, base, texte, police=police, taille=taille, alignement="d")
        elif c.alignement == "c":
            self.texte(x + c.largeur / 2, base, texte, police=police, taille=taille, alignement="c")
        else:
            self.page.textes.append((x + pad, base, police, taille, texte))

    def cases_signature(self, titres: Sequence[str], *, hauteur: float = 52.0) -> None:
        """Cases de signature côte à côte (titre en haut de chaque case)."""
        n = max(1, len(titres))
        ecart = 10.0
        l_case = (LARGEUR_UTILE - ecart * (n - 1)) / n
        titres_coupes = [couper(t, NORMAL, 8, l_case - 10) for t in titres]
        h = hauteur + 10 * max((len(t) for t in titres_coupes), default=1)
        self.reserver(h + 6)
        haut = self.y
        for i, lignes in enumerate(titres_coupes):
            x = GAUCHE + i * (l_case + ecart)
            self.cadre(x, haut - h, l_case, h, 0.6)
            for j, ligne in enumerate(lignes):
                self.texte(x + 5, haut - 10 - 10 * j, ligne, taille=8)
        self.y = haut - h - 6

    # --- Rendu ---

    def rendre(self) -> bytes:
        tampon = io.BytesIO()
        edition = self.edition
        c = Canvas(tampon, pagesize=A4, invariant=1, pageCompression=1, lang="fr-FR")
        emis = edition.emis_le.astimezone(UTC)
        horodatage = emis.strftime("D:%Y%m%d%H%M%S+00'00'")
        c.setDateFormatter(lambda *_: horodatage)
        c.setTitle(self.titre)
        c.setAuthor(pour_pdf(edition.ligne_academie))
        c.setSubject(pour_pdf(f"{self.modele} {edition.reference} version {edition.version}"))
        c.setCreator("examens")
        c.setProducer("examens (ReportLab)")
        emis_local = local(emis, edition.fuseau)
        pied = pour_pdf(
            f"Réf. {edition.reference} — {self.modele}, version {edition.version} — édité le "
            f"{date_courte(emis_local.date())} à {heure(emis_local)} ({nom_fuseau(edition.fuseau, emis)})"
        )
        academie = pour_pdf(edition.ligne_academie)
        session = pour_pdf(edition.ligne_session)
        # Noms internes des polices (/F1…) : les polices standard sont déclarées une fois pour tout le document.
        polices = {police: c._doc.getInternalFontName(police) for police in (NORMAL, GRAS, ITALIQUE)}
        total = len(self._pages)
        for numero, page in enumerate(self._pages, start=1):
            self._dessiner_page(c, polices, page, academie, session, pied, f"page {numero}/{total}")
            c.showPage()
        c.save()
        return tampon.getvalue()

    def _dessiner_page(
        self, c: Canvas, polices: dict[str, str], page: _Page, academie: str, session: str, pied: str, numero: str
    ) -> None:
        # En-tête commun (mêmes positions que `_hauteur_entete`).
        haut = HAUTEUR_PAGE - 36
        entete: list[tuple[float, float, str, float, str]] = [
            (GAUCHE, haut, GRAS, 8.5, academie),
            (GAUCHE, haut - 11, NORMAL, 8.5, session),
            (GAUCHE, haut - 34, GRAS, 15, self.titre),
        ]
        y = haut - 34
        if self.sous_titre:
            y -= 13
            entete.append((GAUCHE, y, NORMAL, 9.5, self.sous_titre))
        y -= 8
        traits = [
            (GAUCHE, haut - 17, DROITE, haut - 17, 0.3),
            (GAUCHE, y, DROITE, y, 1.0),
            (GAUCHE, 40, DROITE, 40, 0.3),
        ]
        moitie = LARGEUR_UTILE / 2
        for i, (cle, valeur) in enumerate(self.bandeau):
            x = GAUCHE + (i % 2) * moitie
            yb = y - 12 - 12 * (i // 2)
            entete.append((x, yb, NORMAL, 8.5, cle + " :"))
            entete.append((x + largeur(cle + " : ", NORMAL, 8.5), yb, GRAS, 8.5, valeur))
        pied_textes = [
            (GAUCHE, 30.0, NORMAL, 7.0, pied),
            (DROITE - largeur(numero, NORMAL, 7.5), 30.0, NORMAL, 7.5, numero),
        ]
        # Le flux de la page est écrit directement en opérateurs PDF : l'API texte de ReportLab coûte
        # plusieurs fois plus cher (formatage nombre par nombre, en Python pur sans l'accélérateur C).
        flux: list[str] = []
        gris_courant = -1.0
        for x, yf, lf, hf, gris in page.fonds:
            if gris != gris_courant:
                flux.append(f"{gris:.3f} g")
                gris_courant = gris
            flux.append(f"{x:.2f} {yf:.2f} {lf:.2f} {hf:.2f} re f")
        flux.append("0 g")
        epaisseur = -1.0
        for x, yc, lc, hc, e in page.cadres:
            if e != epaisseur:
                flux.append(f"{e:.2f} w")
                epaisseur = e
            flux.append(f"{x:.2f} {yc:.2f} {lc:.2f} {hc:.2f} re S")
        for x1, y1, x2, y2, e in traits + page.traits:
            if e != epaisseur:
                flux.append(f"{e:.2f} w")
                epaisseur = e
            flux.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")
        flux.append("BT")
        police_courante: tuple[str, float] = ("", 0.0)
        for x, yt, police, taille, texte in entete + page.textes + pied_textes:
            if (police, taille) != police_courante:
                flux.append(f"{polices[police]} {taille:g} Tf")
                police_courante = (police, taille)
            # Chaîne hexadécimale des octets Windows-1252 : rien à échapper.
            flux.append(f"1 0 0 1 {x:.2f} {yt:.2f} Tm <{texte.encode('cp1252').hex()}> Tj")
        flux.append("ET")
        c.addLiteral("\n".join(flux))


def heures_locales_du_centre(fuseau: str, instant: datetime) -> str:
    """Mention des heures : « Heures indiquées en heure de Mayotte (UTC+03:00). »"""
    decalage = local(instant, fuseau).utcoffset()
    suffixe = f" (UTC{decalage_utc(decalage)})" if decalage is not None else ""
    return f"Toutes les heures sont indiquées en {nom_fuseau(fuseau, instant)}{suffixe}."
