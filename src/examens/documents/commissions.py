"""Documents des commissions d'interrogation : planning, fiche-sujet E4, grille E5B, évaluation de l'engagement.

- Planning : les passages de la commission, jour par jour, en heure locale du centre.
- Fiche-sujet E4 (Circ. 1.11) : écrite par la commission avant l'épreuve pour chaque candidat de forme
  ponctuelle ; elle modifie les paramètres d'une des deux activités du dossier et dit le rôle tenu par la
  commission dans la simulation.
- Grille E5B (Circ. 2.7.2) : numéro du candidat seulement, support WordPress ou PrestaShop, sujet tiré de
  la banque nationale ; cases vides à remplir par les deux examinateurs.
- Fiche d'évaluation de l'engagement étudiant (Circ. 1.14) : seul document d'évaluation communicable au
  candidat en cas de réclamation ; note sur 20.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

from examens.documents.commun import Centre, Edition, IdentiteCandidat, libelle_epreuve
from examens.documents.donnees import Donnees
from examens.documents.mise_en_page import (
    GAUCHE,
    GRAS,
    ITALIQUE,
    LARGEUR_UTILE,
    Colonne,
    Composition,
    heures_locales_du_centre,
)
from examens.documents.textes import date_heure_locale, date_longue, duree, heure, local, nombre

# --- Données communes -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class MembreCommission(Donnees):
    nom: str  # « Claire DUPONT »
    qualite: str  # « enseignante (bloc 1) », « professionnel »
    etablissement: str | None = None


def _membres(membres: tuple[MembreCommission, ...]) -> list[tuple[str, str]]:
    return [(f"Membre {i}", f"{m.nom} — {m.qualite}") for i, m in enumerate(membres, start=1)] or [("Membres", "—")]


# --- Planning d'une commission ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageCommission(Donnees):
    epreuve: str
    intitule: str
    debut: datetime
    fin: datetime
    candidat_numero: str
    candidat_nom: str
    preparation_debut: datetime | None = None  # début de la préparation en loge
    loge: str | None = None
    sujet: str | None = None  # E5B : code du sujet attribué


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanningCommission(Donnees):
    edition: Edition
    centre: Centre
    commission: str
    membres: tuple[MembreCommission, ...]
    passages: tuple[PassageCommission, ...]
    salle: str | None = None
    langue: str | None = None


def rendre_planning_commission(donnees: PlanningCommission) -> bytes:
    centre = donnees.centre
    fuseau = centre.fuseau
    passages = sorted(donnees.passages, key=lambda p: (p.debut, p.candidat_numero))
    bandeau = [("Commission", donnees.commission), ("Centre", centre.nom)]
    if donnees.salle:
        bandeau.append(("Salle", donnees.salle))
    if donnees.langue:
        bandeau.append(("Langue", donnees.langue))
    doc = Composition(
        donnees.edition,
        modele="planning-commission",
        titre="Planning de la commission",
        sous_titre=f"Commission {donnees.commission} — {len(passages)} passage(s)",
        bandeau=bandeau,
    )
    epreuves = sorted({libelle_epreuve(p.epreuve, p.intitule) for p in passages})
    doc.encadres(
        [
            ("Membres de la commission", _membres(donnees.membres)),
            ("Épreuves", [("", e) for e in epreuves] or [("", "—")]),
        ],
        largeur_etiquette=48,
    )
    if passages:
        doc.paragraphe(heures_locales_du_centre(fuseau, passages[0].debut), police=ITALIQUE, taille=8)
    else:
        doc.paragraphe("Aucun passage planifié pour cette commission.", police=ITALIQUE)

    def jour(p: PassageCommission) -> date:
        return local(p.debut, fuseau).date()

    # Colonnes « Préparation » et « Sujet » seulement si la commission en a (E2, E4 ; E5B).
    avec_preparation = any(p.preparation_debut is not None for p in passages)
    avec_sujet = any(p.sujet is not None for p in passages)
    colonnes = [Colonne("Préparation", 66, "c")] if avec_preparation else []
    colonnes += [Colonne("Interrogation", 72, "c"), Colonne("Épreuve", 150), Colonne("Candidat", 130)]
    if avec_sujet:
        colonnes.append(Colonne("Sujet", 42, "c"))
    colonnes.append(Colonne("Observations", LARGEUR_UTILE - sum(c.largeur for c in colonnes)))
    for d, du_jour in groupby(passages, key=jour):
        liste = list(du_jour)
        doc.section(f"{date_longue(d)} — {len(liste)} passage(s)", garder=40)
        lignes = []
        for p in liste:
            ligne = []
            if avec_preparation:
                preparation = "—"
                if p.preparation_debut is not None:
                    preparation = heure(local(p.preparation_debut, fuseau)) + (f"\nloge {p.loge}" if p.loge else "")
                ligne.append(preparation)
            ligne += [
                f"{heure(local(p.debut, fuseau))} – {heure(local(p.fin, fuseau))}",
                libelle_epreuve(p.epreuve, p.intitule),
                f"{p.candidat_numero}\n{p.candidat_nom}",
            ]
            if avec_sujet:
                ligne.append(p.sujet or "—")
            ligne.append("")
            lignes.append(ligne)
        doc.tableau(colonnes, lignes, taille=8, grille=True, hauteur_min=22)
    return doc.rendre()


# --- Fiche-sujet E4 ---------------------------------------------------------------------------------------


class NatureActivite(StrEnum):
    """Nature d'une fiche d'activité du dossier E4 (dossiers.E4.natures_distinctes du règlement)."""

    NEGOCIATION_VENTE = "negociation_vente"
    EVENEMENT_COMMERCIAL = "evenement_commercial"

    @property
    def label(self) -> str:
        return {
            "negociation_vente": "négociation-vente et accompagnement de la relation client",
            "evenement_commercial": "organisation et animation d'un évènement commercial",
        }[self.value]


class StatutFicheSujet(StrEnum):
    BROUILLON = "brouillon"
    VALIDEE = "validee"
    REMISE = "remise"

    @property
    def label(self) -> str:
        return {"brouillon": "brouillon", "validee": "validée par la commission", "remise": "remise au candidat"}[
            self.value
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActiviteDossier(Donnees):
    intitule: str
    nature: NatureActivite


@dataclass(frozen=True, slots=True, kw_only=True)
class FicheSujetE4(Donnees):
    edition: Edition
    candidat: IdentiteCandidat
    centre: Centre
    commission: str
    membres: tuple[MembreCommission, ...]
    debut: datetime  # début de l'interrogation (UTC) ; la préparation en loge la précède
    activite_choisie: ActiviteDossier
    parametres_modifies: tuple[str, ...]
    role_commission: str
    statut: StatutFicheSujet
    autre_activite: ActiviteDossier | None = None
    contexte: str = ""  # situation de départ de la simulation
    preparation_minutes: int = 40
    duree_minutes: int = 60


def rendre_fiche_sujet_e4(donnees: FicheSujetE4) -> bytes:
    c = donnees.candidat
    fuseau = donnees.centre.fuseau
    preparation = donnees.debut - timedelta(minutes=donnees.preparation_minutes)
    doc = Composition(
        donnees.edition,
        modele="fiche-sujet-e4",
        titre="Fiche-sujet — épreuve E4",
        sous_titre="Relation client et négociation-vente — simulation (forme ponctuelle)",
        bandeau=[("Candidat", c.numero), ("Commission", donnees.commission), ("Statut", donnees.statut.label)],
    )
    doc.encadres(
        [
            ("Candidat", [("Nom", c.nom.upper()), ("Prénoms", c.prenoms), ("N° candidat", c.numero)]),
            (
                "Épreuve",
                [
                    ("Centre", donnees.centre.nom),
                    (
                        "Préparation",
                        f"{date_heure_locale(preparation, fuseau)} ({duree(donnees.preparation_minutes)} en loge)",
                    ),
                    ("Interrogation", f"{heure(local(donnees.debut, fuseau))} ({duree(donnees.duree_minutes)})"),
                ],
            ),
        ],
        largeur_etiquette=66,
    )
    doc.paragraphe(heures_locales_du_centre(fuseau, donnees.debut), police=ITALIQUE, taille=8)
    doc.section("Activité choisie par la commission")
    doc.paragraphe(donnees.activite_choisie.intitule, police=GRAS, taille=10)
    doc.paragraphe(f"Nature : {donnees.activite_choisie.nature.label}.", taille=9)
    if donnees.autre_activite is not None:
        doc.paragraphe(
            f"Autre activité du dossier, présentée en première phase sans simulation : "
            f"{donnees.autre_activite.intitule} ({donnees.autre_activite.nature.label}).",
            taille=8.5,
            police=ITALIQUE,
        )
    if donnees.contexte:
        doc.section("Situation de départ")
        doc.paragraphe(donnees.contexte, taille=9)
    doc.section("Paramètres modifiés")
    doc.puces(donnees.parametres_modifies or ("—",), taille=9)
    doc.section("Rôle tenu par la commission dans la simulation")
    doc.paragraphe(donnees.role_commission, taille=9)
    doc.section("Déroulement", garder=20)
    doc.paragraphe(
        f"Préparation en loge : {duree(donnees.preparation_minutes)}, avec votre dossier et les ressources "
        f"numériques dont vous vous êtes muni(e). Interrogation : {duree(donnees.duree_minutes)}, en trois "
        "phases de 20 minutes au plus (présentation des deux activités, simulation, entretien).",
        taille=8.5,
    )
    doc.section("Membres de la commission", garder=60)
    doc.cases_signature([f"{m.nom} — {m.qualite}" for m in donnees.membres] or ["Membre de la commission"], hauteur=34)
    return doc.rendre()


# --- Grille d'évaluation E5B --------------------------------------------------------------------------------


class Support(StrEnum):
    WORDPRESS = "wordpress"
    PRESTASHOP = "prestashop"

    @property
    def label(self) -> str:
        return {"wordpress": "WordPress (site web)", "prestashop": "PrestaShop (site de e-commerce)"}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True)
class CritereEvaluation(Donnees):
    competence: str
    intitule: str
    bareme: Decimal  # points attribuables


# Compétences évaluées en E5B (Circ. 2.7.2) ; la grille nationale de chaque sujet les précise.
COMPETENCES_E5B = (
    "Produire, publier et assurer la visibilité des contenus digitaux",
    "Impulser, entretenir et réguler une dynamique e-relationnelle",
    "Dynamiser un site de e-commerce",
    "Faciliter et sécuriser la relation commerciale",
    "Diagnostiquer l'activité de e-commerce",
)
NIVEAUX = ("Insuffisant", "Fragile", "Satisfaisant", "Très satisfaisant")


@dataclass(frozen=True, slots=True, kw_only=True)
class GrilleE5B(Donnees):
    edition: Edition
    centre: Centre
    candidat_numero: str
    commission: str
    debut: datetime
    support: Support
    sujet: str
    criteres: tuple[CritereEvaluation, ...]
    niveaux: tuple[str, ...] = NIVEAUX
    total: Decimal = Decimal(20)


def rendre_grille_e5b(donnees: GrilleE5B) -> bytes:
    fuseau = donnees.centre.fuseau
    doc = Composition(
        donnees.edition,
        modele="grille-e5b",
        titre="Grille d'évaluation — épreuve E5B",
        sous_titre="Relation client à distance et digitalisation — épreuve pratique sur poste informatique (40 min)",
        bandeau=[
            ("Candidat n°", donnees.candidat_numero),
            ("Commission", donnees.commission),
            ("Support", donnees.support.label),
            ("Sujet", donnees.sujet),
            ("Centre", donnees.centre.nom),
            ("Date", date_heure_locale(donnees.debut, fuseau)),
        ],
    )
    n = len(donnees.niveaux)
    l_niveau = 50.0
    l_points = 58.0
    l_critere = LARGEUR_UTILE - n * l_niveau - l_points
    colonnes = [Colonne("Compétence et critère d'évaluation", l_critere)]
    colonnes += [Colonne(niveau, l_niveau, "c") for niveau in donnees.niveaux]
    colonnes.append(Colonne("Points", l_points, "d"))
    lignes = []
    for critere in donnees.criteres:
        lignes.append([f"{critere.competence}\n{critere.intitule}", *([""] * n), f"/ {nombre(critere.bareme, 1)}"])
    lignes.append(["TOTAL", *([""] * n), f"/ {nombre(donnees.total, 0)}"])
    doc.paragraphe(
        "Cochez un niveau par critère, puis portez les points. Le candidat est identifié par son seul numéro.",
        police=ITALIQUE,
        taille=8,
    )
    doc.espace(3)
    doc.tableau(colonnes, lignes, taille=8, grille=True, hauteur_min=30)
    doc.section("Appréciation globale", garder=70)
    doc.reserver(64)
    doc.cadre(GAUCHE, doc.y - 60, LARGEUR_UTILE, 60, 0.6)
    doc.espace(66)
    doc.cases_signature(["Examinateur 1 — nom et signature", "Examinateur 2 — nom et signature"], hauteur=36)
    return doc.rendre()


# --- Fiche d'évaluation de l'engagement étudiant -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CritereEngagement(Donnees):
    intitule: str
    appreciation: str | None = None  # vide : à remplir à la main


# Ce que l'exposé doit intégrer (Circ. 1.14).
CRITERES_ENGAGEMENT = (
    "Présentation du contexte",
    "Description et analyse de la ou des activités",
    "Présentation des démarches et des outils",
    "Bilan de la ou des activités",
    "Bilan des compétences acquises",
    "Qualité de l'exposé et de l'entretien",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class EvaluationEngagement(Donnees):
    edition: Edition
    candidat: IdentiteCandidat
    centre: Centre
    commission: str
    membres: tuple[MembreCommission, ...]
    debut: datetime
    criteres: tuple[CritereEngagement, ...]
    activites: str = ""  # activité(s) présentée(s), d'après la fiche d'engagement
    note: Decimal | None = None  # None : à porter à la main
    appreciation: str = ""


def rendre_evaluation_engagement(donnees: EvaluationEngagement) -> bytes:
    c = donnees.candidat
    fuseau = donnees.centre.fuseau
    doc = Composition(
        donnees.edition,
        modele="evaluation-engagement",
        titre="Fiche d'évaluation — engagement étudiant",
        sous_titre="Épreuve facultative : exposé (10 min) puis entretien (10 min)",
        bandeau=[("Candidat", f"{c.numero} — {c.nom.upper()} {c.prenoms}"), ("Commission", donnees.commission)],
    )
    doc.encadres(
        [
            ("Candidat", [("Nom", c.nom.upper()), ("Prénoms", c.prenoms), ("N° candidat", c.numero)]),
            (
                "Épreuve",
                [
                    ("Centre", donnees.centre.nom),
                    ("Date", date_heure_locale(donnees.debut, fuseau)),
                    *_membres(donnees.membres),
                ],
            ),
        ],
        largeur_etiquette=58,
    )
    if donnees.activites:
        doc.section("Activité(s) présentée(s)", garder=14)
        doc.paragraphe(donnees.activites, taille=9)
    doc.section("Critères d'évaluation")
    doc.tableau(
        [Colonne("Critère", 170, police=GRAS), Colonne("Appréciation de la commission", LARGEUR_UTILE - 170)],
        [[k.intitule, k.appreciation or ""] for k in donnees.criteres],
        taille=8.5,
        grille=True,
        hauteur_min=34,
    )
    doc.section("Appréciation générale", garder=60)
    if donnees.appreciation:
        doc.paragraphe(donnees.appreciation, taille=9)
    else:
        doc.reserver(54)
        doc.cadre(GAUCHE, doc.y - 50, LARGEUR_UTILE, 50, 0.6)
        doc.espace(54)
    doc.espace(8)
    note = f"{nombre(donnees.note)} / 20" if donnees.note is not None else "........ / 20"
    doc.paragraphe(note, etiquette="Note attribuée :", taille=12, police=GRAS)
    doc.espace(4)
    doc.paragraphe(
        "Seul document d'évaluation communicable au candidat en cas de réclamation (Circ. 1.14). Seuls les points "
        "au-dessus de 10 comptent pour l'obtention du diplôme.",
        police=ITALIQUE,
        taille=7.8,
    )
    doc.espace(4)
    doc.cases_signature([f"{m.nom} — signature" for m in donnees.membres] or ["Commission — signature"], hauteur=34)
    return doc.rendre()
