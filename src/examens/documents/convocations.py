"""Convocations : du candidat (écrits, oraux et pratiques, sur une page) et de l'examinateur (ses passages).

Les instants sont en UTC dans les données ; le document montre l'heure locale du centre (§8 du
règlement : La Réunion et Mayotte composent les écrits au même instant que la métropole, et leur
convocation montre l'heure locale). Le temps de loge (Circ. 1.1) donne l'heure avant laquelle aucun
candidat ne quitte la salle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from examens.core.calendrier import duree_majoree
from examens.documents.commun import Centre, Edition, IdentiteCandidat, libelle_epreuve
from examens.documents.donnees import Donnees
from examens.documents.mise_en_page import ITALIQUE, Colonne, Composition, heures_locales_du_centre
from examens.documents.textes import date_longue, duree, heure, local

# --- Données ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvocationEcrit(Donnees):
    """Une épreuve écrite (E1, E3, E5A). `duree_minutes` : durée réglementaire, sans le tiers temps."""

    epreuve: str
    intitule: str
    debut: datetime  # instant UTC du début (le même partout si `ecrits_meme_instant`)
    duree_minutes: int
    temps_de_loge_minutes: int  # durée minimale de présence en salle (Circ. 1.1)
    salle: str
    place: str | None = None  # numéro de table


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvocationOral(Donnees):
    """Un passage oral ou pratique (E2, LV2, E4, E5B, E6, engagement étudiant), tel que planifié.

    Les durées sont celles du planning, tiers temps compris s'il y a lieu. La préparation (en loge)
    précède immédiatement `debut`.
    """

    epreuve: str
    intitule: str
    debut: datetime  # début de l'interrogation, instant UTC
    duree_minutes: int
    commission: str
    preparation_minutes: int = 0
    loge: str | None = None
    salle: str | None = None
    langue: str | None = None  # E2, LV2

    @property
    def debut_preparation(self) -> datetime:
        return self.debut - timedelta(minutes=self.preparation_minutes)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvocationCandidat(Donnees):
    edition: Edition
    candidat: IdentiteCandidat
    centre: Centre
    ecrits: tuple[ConvocationEcrit, ...] = ()
    oraux: tuple[ConvocationOral, ...] = ()
    temps_majore: bool = False  # tiers temps aux écrits (les oraux le portent déjà dans leurs durées)
    amenagements: tuple[str, ...] = ()  # libellés : « salle à part », « sujet agrandi »…
    accueil_ecrits_minutes: int = 30
    accueil_oraux_minutes: int = 15
    consignes: tuple[str, ...] = ()  # consignes propres au centre (accès, stationnement…)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentiteExaminateur(Donnees):
    code: str
    nom: str
    prenom: str
    qualite: str  # « enseignant », « professionnel »
    etablissement: str | None = None

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom.upper()}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageExaminateur(Donnees):
    """Un passage d'une commission dont l'examinateur est membre : seuls le numéro et le nom du candidat."""

    centre: str  # code du centre (un des `centres` de la convocation)
    epreuve: str
    intitule: str
    debut: datetime
    fin: datetime
    commission: str
    candidat_numero: str
    candidat_nom: str
    salle: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvocationExaminateur(Donnees):
    edition: Edition
    examinateur: IdentiteExaminateur
    centres: tuple[Centre, ...]
    passages: tuple[PassageExaminateur, ...]
    accueil_minutes: int = 30
    consignes: tuple[str, ...] = ()


# --- Règles imprimées ------------------------------------------------------------------------------

# Circ. 1.4 ; circulaire n° 2015-178 du 1er octobre 2015 (§8 du règlement).
REGLE_CALCULATRICES = (
    "seules sont autorisées, lorsque le sujet le permet, les calculatrices non programmables sans mémoire "
    "alphanumérique, et les calculatrices dont le « mode examen » est activé (mémoire neutralisée ou effacée, "
    "aucune transmission sans fil, voyant clignotant sur la tranche haute, sortie du mode impossible sans "
    "câble pendant l'épreuve). Aucun échange de matériel entre candidats."
)
REGLE_COMMUNICATION = (
    "téléphones, montres connectées, écouteurs et tout appareil de communication ou de stockage sont éteints "
    "et rangés dans les sacs, déposés à l'endroit indiqué. En avoir un sur soi pendant l'épreuve, même éteint, "
    "peut être considéré comme une tentative de fraude."
)
REGLE_E5B = (
    "la recherche sur le web est permise ; la connexion à une plateforme collaborative (Google Drive…) et toute "
    "communication avec une autre personne sont interdites (Circ. 2.7.2)."
)
REGLE_ABSENCE = (
    "une absence non justifiée à une épreuve obligatoire empêche la délivrance du diplôme. En cas "
    "d'empêchement de force majeure, prévenez le centre sans attendre et adressez un justificatif au service "
    "des examens."
)
REGLE_LOGE = (
    "aucun candidat ne quitte la salle avant l'heure « sortie dès » (fin du temps de loge), même s'il rend une "
    "copie blanche."
)

PIECE_CONVOCATION = "La présente convocation."
PIECE_IDENTITE = (
    "Une pièce d'identité officielle en cours de validité, avec photographie (carte nationale d'identité, "
    "passeport, titre de séjour ou permis de conduire)."
)
PIECES_PAR_EPREUVE = {
    "E4": "E4 : votre dossier (fiches d'activité et leurs annexes) ainsi que les ressources numériques, "
    "équipements mobiles ou nomades et supports référencés dans vos fiches (Circ. 1.11).",
    "E6": "E6 : les ressources et supports nécessaires à votre présentation, notamment ceux référencés dans votre "
    "dossier ; tout document complémentaire jugé pertinent (Circ. 1.13).",
    "ENGAGEMENT": "Engagement étudiant : votre fiche d'engagement étudiant — sans elle, l'épreuve ne peut pas se "
    "dérouler (Circ. 1.14).",
}
PIECE_ECRITS = "Écrits : stylos à encre bleue ou noire non effaçable, et une calculatrice autorisée (voir ci-dessous)."


def pieces_a_apporter(convocation: ConvocationCandidat) -> list[str]:
    """Les pièces et le matériel à apporter, d'après les épreuves de la convocation (Circ. 1.11-1.14)."""
    pieces = [PIECE_CONVOCATION, PIECE_IDENTITE]
    if convocation.ecrits:
        pieces.append(PIECE_ECRITS)
    codes = {o.epreuve for o in convocation.oraux}
    pieces.extend(texte for code, texte in PIECES_PAR_EPREUVE.items() if code in codes)
    return pieces


# --- Rendu : convocation du candidat ----------------------------------------------------------------------

_COLONNES_ECRITS = (
    Colonne("Épreuve", 170, police="Helvetica-Bold"),
    Colonne("Date", 86),
    Colonne("Accueil", 36, "c"),
    Colonne("Début", 36, "c"),
    Colonne("Durée", 66, "c"),
    Colonne("Fin", 36, "c"),
    Colonne("Sortie dès", 42, "c"),
    Colonne("Salle", 43.28, "c"),
)
_COLONNES_ORAUX = (
    Colonne("Épreuve", 166, police="Helvetica-Bold"),
    Colonne("Date", 86),
    Colonne("Accueil", 36, "c"),
    Colonne("Préparation", 50, "c"),
    Colonne("Début", 36, "c"),
    Colonne("Durée", 36, "c"),
    Colonne("Loge, salle", 55.28, "c"),
    Colonne("Commission", 50, "c"),
)


def _ligne_ecrit(e: ConvocationEcrit, fuseau: str, majore: bool, accueil: int) -> list[str]:
    debut = local(e.debut, fuseau)
    minutes = duree_majoree(e.duree_minutes) if majore else e.duree_minutes
    texte_duree = duree(e.duree_minutes)
    if majore:
        texte_duree += f" + {duree(minutes - e.duree_minutes)}"
    salle = e.salle if e.place is None else f"{e.salle}\ntable {e.place}"
    # Le calcul se fait en temps réel (UTC) : un changement d'heure pendant l'épreuve reste juste.
    fin = local(e.debut + timedelta(minutes=minutes), fuseau)
    sortie = local(e.debut + timedelta(minutes=e.temps_de_loge_minutes), fuseau)
    return [
        libelle_epreuve(e.epreuve, e.intitule),
        date_longue(debut.date()),
        heure(local(e.debut - timedelta(minutes=accueil), fuseau)),
        heure(debut),
        texte_duree,
        heure(fin),
        heure(sortie),
        salle,
    ]


def _ligne_oral(o: ConvocationOral, fuseau: str, accueil: int) -> list[str]:
    debut = local(o.debut, fuseau)
    arrivee = local(o.debut_preparation - timedelta(minutes=accueil), fuseau)
    if o.preparation_minutes:
        preparation = f"{heure(local(o.debut_preparation, fuseau))}\n({duree(o.preparation_minutes)})"
    else:
        preparation = "—"
    lieux = [f"loge {o.loge}" if o.loge else "", (f"salle {o.salle}" if o.loge else o.salle) if o.salle else ""]
    intitule = libelle_epreuve(o.epreuve, o.intitule) + (f" — {o.langue}" if o.langue else "")
    return [
        intitule,
        date_longue(debut.date()),
        heure(arrivee),
        preparation,
        heure(debut),
        duree(o.duree_minutes),
        "\n".join(x for x in lieux if x) or "—",
        o.commission,
    ]


def rendre_convocation_candidat(donnees: ConvocationCandidat) -> bytes:
    c = donnees.candidat
    centre = donnees.centre
    fuseau = centre.fuseau
    premier = min([e.debut for e in donnees.ecrits] + [o.debut for o in donnees.oraux], default=donnees.edition.emis_le)
    doc = Composition(
        donnees.edition,
        modele="convocation-candidat",
        titre="Convocation aux épreuves",
        sous_titre="À conserver et à présenter, avec une pièce d'identité, à chaque épreuve.",
    )
    doc.encadres(
        [
            (
                "Candidat",
                [
                    ("Nom", c.nom.upper()),
                    ("Prénoms", c.prenoms),
                    ("N° candidat", c.numero),
                    ("Né(e) le", c.naissance),
                ],
            ),
            (
                "Centre d'examen",
                [
                    ("Centre", centre.nom),
                    ("Adresse", centre.adresse_sur_une_ligne or "—"),
                    ("Code", centre.code),
                ],
            ),
        ]
    )
    doc.paragraphe(heures_locales_du_centre(fuseau, premier), police="Helvetica-Bold", taille=8.5)
    if donnees.ecrits:
        doc.section("Épreuves écrites")
        ecrits = sorted(donnees.ecrits, key=lambda e: e.debut)
        doc.tableau(
            _COLONNES_ECRITS,
            [_ligne_ecrit(e, fuseau, donnees.temps_majore, donnees.accueil_ecrits_minutes) for e in ecrits],
            taille=7.8,
            zebre=True,
        )
        if donnees.temps_majore:
            doc.paragraphe("Durée : durée réglementaire + tiers temps accordé.", police=ITALIQUE, taille=7.5)
    if donnees.oraux:
        doc.section("Épreuves orales et pratiques")
        oraux = sorted(donnees.oraux, key=lambda o: o.debut)
        doc.tableau(
            _COLONNES_ORAUX,
            [_ligne_oral(o, fuseau, donnees.accueil_oraux_minutes) for o in oraux],
            taille=7.8,
            zebre=True,
        )
        doc.paragraphe(
            "Accueil : présentez-vous à cette heure au centre. La préparation a lieu en loge, sous surveillance, "
            "juste avant l'interrogation.",
            police=ITALIQUE,
            taille=7.5,
        )
    if donnees.amenagements or donnees.temps_majore:
        doc.section("Aménagements d'épreuves accordés", garder=12)
        amenagements = list(donnees.amenagements)
        if donnees.temps_majore and not any("tiers" in a or "majoré" in a for a in amenagements):
            amenagements.insert(0, "temps majoré d'un tiers")
        doc.paragraphe(" ; ".join(amenagements) + ".", taille=8.5)
    doc.section("Pièces et matériel à apporter", garder=24)
    doc.puces(pieces_a_apporter(donnees), taille=8)
    doc.section("Règles de l'examen", garder=24)
    codes = {o.epreuve for o in donnees.oraux}
    regles = []
    if donnees.ecrits:
        regles.append(("Temps de loge :", REGLE_LOGE))
        regles.append(("Calculatrices :", REGLE_CALCULATRICES))
    regles.append(("Communication :", REGLE_COMMUNICATION))
    if "E5B" in codes:
        regles.append(("E5B :", REGLE_E5B))
    regles.append(("Absence :", REGLE_ABSENCE))
    for etiquette, texte in regles:
        doc.paragraphe(texte, etiquette=etiquette, taille=7.8)
    if donnees.consignes:
        doc.section("Consignes du centre", garder=12)
        doc.puces(donnees.consignes, taille=8)
    return doc.rendre()


# --- Rendu : convocation de l'examinateur -----------------------------------------------------------------

_COLONNES_EXAMINATEUR = (
    Colonne("Date", 94, police="Helvetica-Bold"),
    Colonne("Horaire", 72, "c"),
    Colonne("Épreuve", 151),
    Colonne("Candidat", 116.28),
    Colonne("Commission", 52, "c"),
    Colonne("Salle", 30, "c"),
)


def passages_par_centre(donnees: ConvocationExaminateur) -> list[tuple[Centre, list[PassageExaminateur]]]:
    centres = {c.code: c for c in donnees.centres}
    inconnus = sorted({p.centre for p in donnees.passages} - set(centres))
    if inconnus:
        raise ValueError(f"Passage dans un centre absent de la convocation : {', '.join(inconnus)}.")
    groupes = []
    for centre in donnees.centres:
        passages = sorted((p for p in donnees.passages if p.centre == centre.code), key=lambda p: (p.debut, p.epreuve))
        if passages:
            groupes.append((centre, passages))
    return groupes


def _lignes_examinateur(passages: Sequence[PassageExaminateur], fuseau: str) -> list[list[str]]:
    lignes = []
    jour_precedent = None
    for p in passages:
        debut, fin = local(p.debut, fuseau), local(p.fin, fuseau)
        jour = date_longue(debut.date())
        lignes.append(
            [
                jour if jour != jour_precedent else "",
                f"{heure(debut)} – {heure(fin)}",
                libelle_epreuve(p.epreuve, p.intitule),
                f"{p.candidat_numero}\n{p.candidat_nom}",
                p.commission,
                p.salle or "—",
            ]
        )
        jour_precedent = jour
    return lignes


def rendre_convocation_examinateur(donnees: ConvocationExaminateur) -> bytes:
    e = donnees.examinateur
    groupes = passages_par_centre(donnees)
    commissions = sorted({p.commission for p in donnees.passages})
    doc = Composition(
        donnees.edition,
        modele="convocation-examinateur",
        titre="Convocation d'examinateur",
        sous_titre="Épreuves orales et pratiques",
        bandeau=[("Examinateur", f"{e.nom_complet} ({e.code})")],
    )
    infos = [("Nom", e.nom.upper()), ("Prénom", e.prenom), ("Code", e.code), ("Qualité", e.qualite)]
    if e.etablissement:
        infos.append(("Établissement", e.etablissement))
    resume = [
        ("Commission(s)", ", ".join(commissions) or "—"),
        ("Passages", str(len(donnees.passages))),
        ("Centre(s)", ", ".join(c.nom for c, _ in groupes) or "—"),
    ]
    doc.encadres([("Examinateur", infos), ("Vos interrogations", resume)], largeur_etiquette=72)
    doc.paragraphe(
        "Vous êtes convoqué(e) pour interroger les candidats ci-dessous. Présentez-vous au centre "
        f"{donnees.accueil_minutes} minutes avant votre première interrogation de chaque demi-journée. Si un "
        "candidat appartient à votre établissement, signalez-le sans délai au centre : vous ne pouvez pas "
        "l'interroger.",
        taille=8.5,
    )
    if not groupes:
        doc.paragraphe("Aucun passage ne vous est attribué.", police=ITALIQUE)
    for centre, passages in groupes:
        doc.section(f"{centre.nom} — {centre.adresse_sur_une_ligne}" if centre.adresse else centre.nom, garder=40)
        doc.paragraphe(heures_locales_du_centre(centre.fuseau, passages[0].debut), taille=8, police=ITALIQUE)
        doc.espace(2)
        doc.tableau(_COLONNES_EXAMINATEUR, _lignes_examinateur(passages, centre.fuseau), taille=8, zebre=True)
    if donnees.consignes:
        doc.section("Consignes", garder=12)
        doc.puces(donnees.consignes)
    doc.espace(4)
    doc.paragraphe(
        "Les sujets, les fiches d'évaluation et les notes sont confidentiels : ils ne sont ni communiqués aux "
        "candidats ni emportés hors du centre.",
        taille=8,
        police=ITALIQUE,
        retrait=0,
    )
    return doc.rendre()
