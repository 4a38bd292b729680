"""Lectures des épreuves écrites.

Deux familles, séparées à dessein :
- le **jour J** (répartition, plan de salle, présences, heures locales) : identités des candidats du centre ;
- la **correction** (lots, copies, statistiques d'harmonisation) : numéros d'anonymat seulement. Ces
  sélecteurs ne lisent jamais `Correspondance` ; le seul qui la lit, `correspondance`, exige le rôle de
  gestionnaire (application `comptes`), ou à défaut la permission `ecrits.voir_correspondance`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from examens.apps.candidats.models import Candidat
from examens.apps.ecrits.models import (
    Absence,
    Copie,
    Correspondance,
    Incident,
    Justificatif,
    Lot,
    Place,
    Saisie,
    Surveillance,
)
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.organisation.selectors import horaires_du_centre
from examens.core.ecrits import REGLES_ECRITS, ReglesEcrits, Statistiques, statistiques
from examens.core.reglement import reglement_fourni

REFUS_CORRESPONDANCE = "La table de correspondance d'anonymat n'est consultable que par un gestionnaire de la session."

# --- Heures locales --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HorairesEcrit:
    """Les heures d'une épreuve écrite dans un centre, en heure locale du centre (instants avec fuseau)."""

    fuseau: str
    debut: datetime
    fin: datetime
    fin_majoree: datetime  # fin pour un candidat au tiers temps
    sortie_autorisee: datetime  # fin du temps de loge : personne ne sort avant

    def fin_pour(self, temps_majore: bool) -> datetime:
        return self.fin_majoree if temps_majore else self.fin


def horaires(*, epreuve: EpreuveEcrite, centre: Centre) -> HorairesEcrit:
    """Heures locales de l'épreuve dans le centre : même instant de début partout (§8, réglage
    `ecrits_meme_instant`), durées ajoutées en temps réel, tiers temps = un tiers de la durée en plus."""
    normal = horaires_du_centre(centre=centre, epreuve=epreuve)
    majore = horaires_du_centre(centre=centre, epreuve=epreuve, temps_majore=True)
    return HorairesEcrit(normal.fuseau, normal.debut, normal.fin, majore.fin, normal.sortie_autorisee)


# --- Répartition et présences (jour J) -------------------------------------------------------------


AMENAGEMENTS = (
    ("salle_a_part", "salle à part"),
    ("secretaire", "secrétaire"),
    ("ordinateur", "ordinateur"),
    ("sujet_agrandi", "sujet agrandi"),
)


@dataclass(frozen=True, slots=True)
class LignePlace:
    place_id: int
    candidat_id: int
    table: int
    numero: str
    nom: str
    prenoms: str
    temps_majore: bool
    amenagements: tuple[str, ...]
    presence: str
    presence_libelle: str


@dataclass(frozen=True, slots=True)
class SalleRepartie:
    salle: Salle
    places: tuple[LignePlace, ...]
    surveillants: tuple[str, ...]
    surveillants_requis: int = REGLES_ECRITS.surveillants_par_salle

    @property
    def surveillants_manquants(self) -> int:
        return max(0, self.surveillants_requis - len(self.surveillants))

    @property
    def effectif(self) -> int:
        return len(self.places)

    @property
    def presents(self) -> int:
        return sum(1 for p in self.places if p.presence == Place.Presence.PRESENT)

    @property
    def absents(self) -> int:
        return sum(1 for p in self.places if p.presence == Place.Presence.ABSENT)


@dataclass(frozen=True, slots=True)
class EpreuveRepartie:
    epreuve: EpreuveEcrite
    intitule: str
    horaires: HorairesEcrit
    salles: tuple[SalleRepartie, ...]

    @property
    def effectif(self) -> int:
        return sum(s.effectif for s in self.salles)


def _ligne(p: Place) -> LignePlace:
    c = p.candidat
    return LignePlace(
        place_id=p.pk,
        candidat_id=c.pk,
        table=p.numero,
        numero=c.numero,
        nom=c.nom,
        prenoms=c.prenoms,
        temps_majore=c.temps_majore,
        amenagements=tuple(libelle for champ, libelle in AMENAGEMENTS if getattr(c, champ)),
        presence=p.presence,
        presence_libelle=p.get_presence_display(),
    )


def repartition_du_centre(
    *, session: ExamSession, centre: Centre, regles: ReglesEcrits = REGLES_ECRITS
) -> list[EpreuveRepartie]:
    """La répartition enregistrée d'un centre : par épreuve (ordre du calendrier), par salle, les places
    (table, candidat, aménagements, présence) et les surveillants. Trois requêtes."""
    reglement = reglement_fourni(session.reglement)
    places = list(
        Place.objects.filter(epreuve__session=session, salle__centre=centre)
        .select_related("candidat", "salle", "epreuve")
        .order_by("epreuve__debut", "salle__nom", "numero")
    )
    surveillants: dict[tuple[int, int], list[str]] = {}
    for s in Surveillance.objects.filter(epreuve__session=session, salle__centre=centre).select_related("examinateur"):
        surveillants.setdefault((s.epreuve_id, s.salle_id), []).append(s.libelle)
    par_epreuve: dict[int, dict[int, list[Place]]] = {}
    epreuves: dict[int, EpreuveEcrite] = {}
    salles: dict[int, Salle] = {}
    for p in places:
        epreuves[p.epreuve_id] = p.epreuve
        salles[p.salle_id] = p.salle
        par_epreuve.setdefault(p.epreuve_id, {}).setdefault(p.salle_id, []).append(p)
    resultat = []
    for epreuve_id, par_salle in par_epreuve.items():
        e = epreuves[epreuve_id]
        resultat.append(
            EpreuveRepartie(
                epreuve=e,
                intitule=reglement.epreuve(e.epreuve).intitule,
                horaires=horaires(epreuve=e, centre=centre),
                salles=tuple(
                    SalleRepartie(
                        salle=salles[salle_id],
                        places=tuple(_ligne(p) for p in lignes),
                        surveillants=tuple(surveillants.get((epreuve_id, salle_id), ())),
                        surveillants_requis=regles.surveillants_par_salle,
                    )
                    for salle_id, lignes in par_salle.items()
                ),
            )
        )
    return resultat


def places_de_la_salle(*, epreuve: EpreuveEcrite, salle: Salle) -> list[LignePlace]:
    return [
        _ligne(p)
        for p in Place.objects.filter(epreuve=epreuve, salle=salle).select_related("candidat").order_by("numero")
    ]


def places_enregistrees(*, centre: Centre, candidats: QuerySet[Candidat]) -> dict[int, tuple[str, str]]:
    """Salle et table de chaque candidat qui a une place aux écrits dans le centre (celles de sa première
    épreuve : la répartition garde la même place à toutes ses épreuves). Vide si le centre n'est pas réparti.
    Une requête."""
    resultat: dict[int, tuple[str, str]] = {}
    for cid, salle, table in (
        Place.objects.filter(salle__centre=centre, candidat__in=candidats)
        .order_by("candidat_id", "epreuve__debut")
        .values_list("candidat_id", "salle__nom", "numero")
    ):
        resultat.setdefault(cid, (salle, str(table)))
    return resultat


# --- Correction : numéros d'anonymat seulement ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CopieAnonyme:
    numero: str
    saisie_1: Decimal | None
    saisie_2: Decimal | None
    note_initiale: Decimal | None
    ecart: bool
    note_harmonisee: Decimal | None

    @property
    def note_finale(self) -> Decimal | None:
        return self.note_harmonisee if self.note_harmonisee is not None else self.note_initiale


@dataclass(frozen=True, slots=True)
class LotAnonyme:
    pk: int
    code: str
    epreuve: str
    centre_correction: str
    statut: str
    statut_libelle: str
    correcteur: str | None
    copies: int
    validees: int
    ecarts: int


def _lots(qs: QuerySet[Lot]) -> list[LotAnonyme]:
    qs = (
        qs.select_related("epreuve", "centre_correction", "correcteur")
        .annotate(
            nombre=Count("copies"),
            nombre_validees=Count("copies", filter=Q(copies__note_initiale__isnull=False)),
            nombre_ecarts=Count("copies", filter=Q(copies__ecart=True)),
        )
        .order_by("epreuve__debut", "numero")
    )
    return [
        LotAnonyme(
            pk=lot.pk,
            code=lot.code,
            epreuve=lot.epreuve.epreuve,
            centre_correction=f"{lot.centre_correction.nom} ({lot.centre_correction.code})",
            statut=lot.statut,
            statut_libelle=lot.get_statut_display(),
            correcteur=None if lot.correcteur is None else f"{lot.correcteur.prenom} {lot.correcteur.nom}",
            copies=lot.nombre,  # type: ignore[attr-defined]
            validees=lot.nombre_validees,  # type: ignore[attr-defined]
            ecarts=lot.nombre_ecarts,  # type: ignore[attr-defined]
        )
        for lot in qs
    ]


def lots_du_correcteur(*, examinateur: Examinateur) -> list[LotAnonyme]:
    return _lots(Lot.objects.filter(correcteur=examinateur))


def lots_de_l_epreuve(*, epreuve: EpreuveEcrite) -> list[LotAnonyme]:
    return _lots(Lot.objects.filter(epreuve=epreuve))


def copies_du_lot(*, lot: Lot) -> list[CopieAnonyme]:
    """Les copies d'un lot par numéro d'anonymat, avec leurs deux saisies : rien qui désigne un candidat."""
    saisies: dict[tuple[int, int], Decimal] = {
        (copie_id, rang): note
        for copie_id, rang, note in Saisie.objects.filter(copie__lot=lot).values_list("copie_id", "rang", "note")
    }
    return [
        CopieAnonyme(numero, saisies.get((pk, 1)), saisies.get((pk, 2)), initiale, ecart, harmonisee)
        for pk, numero, initiale, ecart, harmonisee in Copie.objects.filter(lot=lot)
        .order_by("numero")
        .values_list("id", "numero", "note_initiale", "ecart", "note_harmonisee")
    ]


# --- Harmonisation ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatistiquesCorrecteur:
    correcteur: str  # « Paul LEROY (X0001) », ou « sans correcteur »
    lots: tuple[str, ...]
    initiales: Statistiques  # notes validées par la double saisie
    finales: Statistiques  # après harmonisation


@dataclass(frozen=True, slots=True)
class StatistiquesEpreuve:
    epreuve: EpreuveEcrite
    par_correcteur: tuple[StatistiquesCorrecteur, ...]
    ensemble_initiales: Statistiques
    ensemble_finales: Statistiques


def statistiques_harmonisation(*, epreuve: EpreuveEcrite) -> StatistiquesEpreuve:
    """Par correcteur : effectif, moyenne et variance exactes, écart type (arrondi à l'affichage),
    distribution, avant et après harmonisation. Seules les notes validées comptent. Deux requêtes."""
    maximum = reglement_fourni(epreuve.session.reglement).notes.maximum
    lots: dict[int | None, list[str]] = {}
    noms: dict[int | None, str] = {None: "sans correcteur"}
    for lot in Lot.objects.filter(epreuve=epreuve).select_related("correcteur").order_by("numero"):
        lots.setdefault(lot.correcteur_id, []).append(lot.code)
        if lot.correcteur is not None:
            noms[lot.correcteur_id] = f"{lot.correcteur.prenom} {lot.correcteur.nom.upper()} ({lot.correcteur.code})"
    notes: dict[int | None, tuple[list[Decimal], list[Decimal]]] = {}
    toutes: tuple[list[Decimal], list[Decimal]] = ([], [])
    for correcteur_id, initiale, harmonisee in Copie.objects.filter(
        epreuve=epreuve, note_initiale__isnull=False
    ).values_list("lot__correcteur_id", "note_initiale", "note_harmonisee"):
        finale = harmonisee if harmonisee is not None else initiale
        serie = notes.setdefault(correcteur_id, ([], []))
        for cible in (serie, toutes):
            cible[0].append(initiale)
            cible[1].append(finale)
    lignes = [
        StatistiquesCorrecteur(
            correcteur=noms[cid],
            lots=tuple(lots.get(cid, ())),
            initiales=statistiques(notes.get(cid, ([], []))[0], maximum=maximum),
            finales=statistiques(notes.get(cid, ([], []))[1], maximum=maximum),
        )
        for cid in sorted(set(lots) | set(notes), key=lambda c: noms.get(c, ""))
    ]
    return StatistiquesEpreuve(
        epreuve,
        tuple(lignes),
        statistiques(toutes[0], maximum=maximum),
        statistiques(toutes[1], maximum=maximum),
    )


# --- Table de correspondance (gestionnaire seulement) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class LigneCorrespondance:
    numero_anonymat: str
    candidat: str
    nom: str
    prenoms: str
    centre: str


def peut_voir_correspondance(utilisateur: Any, session: ExamSession) -> bool:
    """Gestionnaire de la session (application `comptes`) ; sans elle, la permission Django
    `ecrits.voir_correspondance`. Un correcteur, un chef de centre, un candidat : jamais."""
    if utilisateur is None or not getattr(utilisateur, "is_authenticated", False):
        return False
    if apps.is_installed("examens.apps.comptes"):
        from examens.apps.comptes.models import Role
        from examens.apps.comptes.permissions import roles_de

        return Role.GESTIONNAIRE in roles_de(utilisateur, session=session)
    return bool(utilisateur.has_perm("ecrits.voir_correspondance"))


def _candidats_du_perimetre(utilisateur: Any, session: ExamSession) -> QuerySet[Candidat] | None:
    if apps.is_installed("examens.apps.comptes"):
        from examens.apps.comptes.permissions import candidats_visibles

        return candidats_visibles(utilisateur, session=session)
    return None


def correspondance(
    *, utilisateur: Any, epreuve: EpreuveEcrite, numeros: Iterable[str] | None = None
) -> list[LigneCorrespondance]:
    """La table de correspondance d'une épreuve (numéro d'anonymat → candidat), limitée aux candidats du
    périmètre du gestionnaire. Lève `PermissionDenied` pour tout autre utilisateur."""
    session = epreuve.session
    if not peut_voir_correspondance(utilisateur, session):
        raise PermissionDenied(REFUS_CORRESPONDANCE)
    qs = Correspondance.objects.filter(epreuve=epreuve)
    perimetre = _candidats_du_perimetre(utilisateur, session)
    if perimetre is not None:
        qs = qs.filter(candidat__in=perimetre)
    if numeros is not None:
        qs = qs.filter(copie__numero__in=list(numeros))
    return [
        LigneCorrespondance(*ligne)
        for ligne in qs.order_by("copie__numero").values_list(
            "copie__numero", "candidat__numero", "candidat__nom", "candidat__prenoms", "copie__centre__code"
        )
    ]


# --- Jour J : surveillants, procès-verbaux ; absences et justificatifs (division des examens) -----------


def surveillances(*, epreuve: EpreuveEcrite, salle: Salle) -> list[Surveillance]:
    """Les surveillants d'une salle pour une épreuve (examinateurs de la session ou personnes nommées)."""
    return list(Surveillance.objects.filter(epreuve=epreuve, salle=salle).select_related("examinateur").order_by("id"))


def incidents(
    *,
    session: ExamSession,
    centres: QuerySet[Centre],
    epreuve: EpreuveEcrite | None = None,
    salle: Salle | None = None,
) -> QuerySet[Incident]:
    """Les procès-verbaux d'incident des centres donnés (par épreuve, puis dans l'ordre où ils sont survenus),
    avec l'épreuve, la salle, le centre et le candidat en une requête. Un procès-verbal appartient au centre de
    sa salle (celle du candidat qu'il désigne, sinon celle où il a été rédigé) ; un procès-verbal sans salle
    n'est rattaché à aucun centre et n'est pas listé ici."""
    qs = Incident.objects.filter(epreuve__session=session, salle__centre__in=centres)
    if epreuve is not None:
        qs = qs.filter(epreuve=epreuve)
    if salle is not None:
        qs = qs.filter(salle=salle)
    return qs.select_related("epreuve", "salle__centre", "candidat").order_by("epreuve__debut", "survenu_le", "id")


def absences(
    *,
    session: ExamSession,
    centres: QuerySet[Centre] | None = None,
    candidats: QuerySet[Candidat] | None = None,
    epreuve: EpreuveEcrite | None = None,
    centre: Centre | None = None,
    decision: str = "",
) -> QuerySet[Absence]:
    """Les absences aux écrits de la session, dans les centres donnés (division des examens) ou pour les
    candidats donnés (le candidat, son établissement) ; candidat, établissement, épreuve, salle et centre
    lus avec elles, et le nombre de justificatifs en annotation (`nombre_justificatifs`) : une requête, quel
    que soit le nombre d'absences."""
    qs = Absence.objects.filter(place__epreuve__session=session)
    if centres is not None:
        qs = qs.filter(place__salle__centre__in=centres)
    if candidats is not None:
        qs = qs.filter(place__candidat__in=candidats)
    if epreuve is not None:
        qs = qs.filter(place__epreuve=epreuve)
    if centre is not None:
        qs = qs.filter(place__salle__centre=centre)
    if decision:
        qs = qs.filter(decision=decision)
    return (
        qs.select_related("place__candidat__etablissement", "place__epreuve", "place__salle__centre")
        .annotate(nombre_justificatifs=Count("justificatifs"))
        .order_by("place__epreuve__debut", "place__salle__centre__nom", "place__candidat__numero")
    )


def justificatifs(*, absence: Absence) -> list[Justificatif]:
    """Les pièces d'une absence, sans leur contenu (lu seulement au téléchargement)."""
    return list(absence.justificatifs.defer("contenu").order_by("depose_le", "id"))


def decisions_de_l_absence(*, absence: Absence) -> list[Trace]:
    """Les décisions successives sur une absence (la première, puis les recours), de la plus ancienne à la
    plus récente, telles que l'historique les garde (avant, après, motif, qui, quand)."""
    return list(
        Trace.objects.filter(
            objet_type="ecrits.absence", objet_id=str(absence.pk), action=Trace.Action.DECISION
        ).order_by("quand", "id")
    )


# Les téléchargements d'un justificatif sont des traces de ce type (objet_id : le justificatif), écrites par
# `services.telecharger_justificatif`.
OBJET_TELECHARGEMENT_JUSTIFICATIF = "ecrits.justificatif.telechargement"


def telechargements_des_justificatifs(*, absence: Absence, limite: int = 50) -> list[Trace]:
    """Les derniers téléchargements des pièces d'une absence (qui, quand, au titre de quoi, quelle pièce), du
    plus récent au plus ancien, lus dans l'historique. Deux requêtes."""
    pieces = [str(pk) for pk in absence.justificatifs.values_list("pk", flat=True)]
    if not pieces:
        return []
    return list(
        Trace.objects.filter(objet_type=OBJET_TELECHARGEMENT_JUSTIFICATIF, objet_id__in=pieces).order_by(
            "-quand", "-id"
        )[:limite]
    )
