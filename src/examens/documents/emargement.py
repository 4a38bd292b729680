"""Feuille d'émargement d'une salle pour une épreuve : une ligne par candidat, signature et heure de sortie.

Plusieurs pages si la salle est grande : l'en-tête (centre, salle, épreuve, date et heure locales) et
l'en-tête du tableau sont répétés sur chaque page, numérotée « page 2/3 ».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from examens.documents.commun import Centre, Edition, libelle_epreuve
from examens.documents.donnees import Donnees
from examens.documents.mise_en_page import GRAS, ITALIQUE, Colonne, Composition
from examens.documents.textes import date_heure_locale, duree, heure_locale, nom_fuseau


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidatEmargement(Donnees):
    numero: str
    nom: str
    prenoms: str
    amenagements: tuple[str, ...] = ()  # « tiers temps », « ordinateur »…
    place: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Emargement(Donnees):
    edition: Edition
    centre: Centre
    salle: str
    epreuve: str
    intitule: str
    debut: datetime  # instant UTC du début de l'épreuve (ou de la demi-journée pour un oral)
    candidats: tuple[CandidatEmargement, ...]
    duree_minutes: int | None = None
    temps_de_loge_minutes: int | None = None
    surveillants: int = 2  # cases de signature des surveillants


_COLONNES = (
    Colonne("Table", 32, "c"),
    Colonne("N° candidat", 64),
    Colonne("Nom", 98, police=GRAS),
    Colonne("Prénoms", 92),
    Colonne("Aménagements", 74),
    Colonne("Signature", 95.28),
    Colonne("Heure de sortie", 60, "c"),
)


def rendre_emargement(donnees: Emargement) -> bytes:
    centre = donnees.centre
    fuseau = centre.fuseau
    horaire = f"{date_heure_locale(donnees.debut, fuseau)} ({nom_fuseau(fuseau, donnees.debut)})"
    bandeau = [
        ("Centre", f"{centre.nom} ({centre.code})"),
        ("Salle", donnees.salle),
        ("Épreuve", libelle_epreuve(donnees.epreuve, donnees.intitule)),
        ("Début", horaire),
    ]
    if donnees.duree_minutes is not None:
        bandeau.append(("Durée", duree(donnees.duree_minutes)))
    if donnees.temps_de_loge_minutes is not None:
        sortie = donnees.debut + timedelta(minutes=donnees.temps_de_loge_minutes)
        bandeau.append(("Sortie possible dès", heure_locale(sortie, fuseau)))
    doc = Composition(
        donnees.edition,
        modele="emargement",
        titre="Feuille d'émargement",
        sous_titre=f"{len(donnees.candidats)} candidat(s) convoqué(s) dans cette salle",
        bandeau=bandeau,
    )
    lignes = [
        [c.place or "", c.numero, c.nom.upper(), c.prenoms, ", ".join(c.amenagements), "", ""]
        for c in donnees.candidats
    ]
    doc.tableau(_COLONNES, lignes, taille=8.5, hauteur_min=25, grille=True, vide="Aucun candidat dans cette salle.")
    doc.espace(6)
    doc.paragraphe(
        "Le candidat signe à son arrivée ; le surveillant note l'heure de sortie définitive. Un candidat absent : "
        "écrire « ABSENT » dans la case de signature.",
        police=ITALIQUE,
        taille=8,
    )
    doc.espace(4)
    doc.paragraphe(
        f"Inscrits : {len(donnees.candidats)} — Présents : ........ — Absents : ........",
        police=GRAS,
        taille=9.5,
    )
    doc.espace(6)
    doc.cases_signature([f"Surveillant(e) {i + 1} — nom et signature" for i in range(donnees.surveillants)], hauteur=40)
    return doc.rendre()
