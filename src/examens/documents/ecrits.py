"""Documents des épreuves écrites : le bordereau d'un lot de copies et le plan d'une salle.

- `bordereau-lot` : la liste des copies d'un lot, par **numéro d'anonymat seulement** (les données n'ont
  aucun champ pour une identité de candidat), avec une colonne pour la note et les signatures de remise ;
- `plan-salle` : les tables d'une salle pour une épreuve, en grille (numéro de table, candidat,
  aménagements), les surveillants et les heures locales du centre : début, fin, fin du tiers temps, sortie
  possible (temps de loge, Circ. 1.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from examens.core.calendrier import duree_majoree
from examens.documents.commun import Centre, Edition, libelle_epreuve
from examens.documents.donnees import Donnees
from examens.documents.mise_en_page import (
    GAUCHE,
    GRAS,
    ITALIQUE,
    LARGEUR_UTILE,
    NORMAL,
    Colonne,
    Composition,
    couper,
    heures_locales_du_centre,
)
from examens.documents.textes import date_heure_locale, date_longue, heure_locale, local, nom_fuseau, nombre

# --- Bordereau de lot -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CopieBordereau(Donnees):
    numero: str  # numéro d'anonymat
    note: Decimal | None = None  # note validée, sur un bordereau réédité après correction


@dataclass(frozen=True, slots=True, kw_only=True)
class BordereauLot(Donnees):
    edition: Edition
    centre: Centre  # centre de correction
    epreuve: str
    intitule: str
    lot: str  # « E1-L007 »
    debut: datetime  # instant UTC du début de l'épreuve
    copies: tuple[CopieBordereau, ...]
    correcteur: str | None = None
    remis_le: datetime | None = None


_COLONNES_BORDEREAU = (
    Colonne("N°", 30, "c"),
    Colonne("Numéro d'anonymat", 140, "c", police=GRAS),
    Colonne("Note sur 20", 90, "c"),
    Colonne("Observations", 255.28),
)


def rendre_bordereau_lot(donnees: BordereauLot) -> bytes:
    centre = donnees.centre
    fuseau = centre.fuseau
    bandeau = [
        ("Centre de correction", f"{centre.nom} ({centre.code})"),
        ("Lot", donnees.lot),
        ("Épreuve", libelle_epreuve(donnees.epreuve, donnees.intitule)),
        ("Épreuve du", date_longue(local(donnees.debut, fuseau).date())),
        ("Correcteur", donnees.correcteur or "à désigner"),
    ]
    if donnees.remis_le is not None:
        bandeau.append(("Remis le", date_heure_locale(donnees.remis_le, fuseau)))
    doc = Composition(
        donnees.edition,
        modele="bordereau-lot",
        titre="Bordereau de lot de copies",
        sous_titre=f"{len(donnees.copies)} copie(s) anonyme(s) — numéros d'anonymat seulement",
        bandeau=bandeau,
    )
    lignes = [
        [str(i), c.numero, "" if c.note is None else nombre(c.note), ""] for i, c in enumerate(donnees.copies, start=1)
    ]
    doc.tableau(_COLONNES_BORDEREAU, lignes, taille=9, hauteur_min=20, grille=True, vide="Aucune copie dans ce lot.")
    doc.reserver(130)  # consignes, décompte et signatures restent ensemble
    doc.espace(6)
    doc.paragraphe(
        "Reporter la note de chaque copie au pas de 0,5 point, de 0 à 20. Les notes sont saisies deux fois ; "
        "deux saisies différentes bloquent la validation. Ne jamais lever l'anonymat d'une copie.",
        police=ITALIQUE,
        taille=8,
    )
    doc.espace(4)
    doc.paragraphe(f"Copies remises : {len(donnees.copies)} — Copies rendues : ........", police=GRAS, taille=9.5)
    doc.espace(6)
    doc.cases_signature(["Correcteur — date et signature", "Centre de correction — réception du lot corrigé"])
    return doc.rendre()


# --- Plan de salle --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TablePlan(Donnees):
    numero: int
    candidat: str  # numéro de candidat
    nom: str
    prenoms: str
    amenagements: tuple[str, ...] = ()  # « salle à part », « ordinateur »…
    temps_majore: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSalle(Donnees):
    edition: Edition
    centre: Centre
    salle: str
    epreuve: str
    intitule: str
    debut: datetime  # instant UTC du début (le même partout, §8)
    duree_minutes: int
    temps_de_loge_minutes: int
    tables: tuple[TablePlan, ...]
    surveillants: tuple[str, ...] = ()
    colonnes: int = 5  # tables par rangée de la grille


def rendre_plan_salle(donnees: PlanSalle) -> bytes:
    centre = donnees.centre
    fuseau = centre.fuseau
    debut = donnees.debut
    bandeau = [
        ("Centre", f"{centre.nom} ({centre.code})"),
        ("Salle", donnees.salle),
        ("Épreuve", libelle_epreuve(donnees.epreuve, donnees.intitule)),
        ("Début", f"{date_heure_locale(debut, fuseau)} ({nom_fuseau(fuseau, debut)})"),
        ("Fin", heure_locale(debut + timedelta(minutes=donnees.duree_minutes), fuseau)),
    ]
    if any(t.temps_majore for t in donnees.tables):
        fin_majoree = debut + timedelta(minutes=duree_majoree(donnees.duree_minutes))
        bandeau.append(("Fin (tiers temps)", heure_locale(fin_majoree, fuseau)))
    bandeau.append(
        ("Sortie possible dès", heure_locale(debut + timedelta(minutes=donnees.temps_de_loge_minutes), fuseau))
    )
    doc = Composition(
        donnees.edition,
        modele="plan-salle",
        titre="Plan de salle",
        sous_titre=f"{len(donnees.tables)} table(s) attribuée(s)",
        bandeau=bandeau,
    )
    surveillants = ", ".join(donnees.surveillants) if donnees.surveillants else "à désigner"
    doc.paragraphe(surveillants, etiquette="Surveillants :", taille=9)
    doc.paragraphe(heures_locales_du_centre(fuseau, debut), police=ITALIQUE, taille=8)
    doc.espace(6)
    _grille(doc, donnees.tables, max(1, min(donnees.colonnes, 8)))
    doc.espace(6)
    doc.paragraphe(
        "TT : tiers temps (fin reculée d'un tiers de la durée). Aucun candidat ne sort avant l'heure de sortie "
        "possible (temps de loge), outre-mer compris.",
        police=ITALIQUE,
        taille=8,
    )
    return doc.rendre()


def _grille(doc: Composition, tables: tuple[TablePlan, ...], colonnes: int) -> None:
    """Une case par table, `colonnes` cases par rangée ; une rangée ne se coupe pas entre deux pages."""
    ecart = 6.0
    largeur = (LARGEUR_UTILE - ecart * (colonnes - 1)) / colonnes
    hauteur = 54.0
    if not tables:
        doc.paragraphe("Aucune table attribuée dans cette salle.", police=ITALIQUE)
        return
    for debut_rangee in range(0, len(tables), colonnes):
        doc.reserver(hauteur + ecart)
        haut = doc.y
        for i, t in enumerate(tables[debut_rangee : debut_rangee + colonnes]):
            x = GAUCHE + i * (largeur + ecart)
            doc.fond(x, haut - 13, largeur, 13)
            doc.cadre(x, haut - hauteur, largeur, hauteur, 0.6)
            doc.texte(x + 4, haut - 9.5, f"Table {t.numero}", police=GRAS, taille=8.5)
            marques = (["TT"] if t.temps_majore else []) + list(t.amenagements)
            lignes = [
                (t.candidat, NORMAL),
                (t.nom.upper(), GRAS),
                (t.prenoms, NORMAL),
                (", ".join(marques), ITALIQUE),
            ]
            y = haut - 23
            for texte, police in lignes:
                if texte:
                    (premiere, *_) = couper(texte, police, 7.5, largeur - 8) or ("",)
                    doc.texte(x + 4, y, premiere, police=police, taille=7.5)
                y -= 9.5
        doc.y = haut - hauteur - ecart
