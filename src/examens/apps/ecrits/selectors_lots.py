"""Lectures des pages de gestion des écrits (gestionnaire) : l'accueil des écrits d'une session, les centres de
correction d'une épreuve (copies à ranger en lots, lots sans correcteur) et les lots d'un centre de correction.

Numéros d'anonymat et codes de lots seulement : ces lectures ne lisent jamais `Correspondance`. Chacune lit en
un nombre constant de requêtes, quel que soit le nombre de centres, de lots ou de copies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from examens.apps.ecrits.models import Absence, Acheminement, CommissionHarmonisation, Copie, Lot, Place
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.core.reglement import reglement_fourni

# --- L'accueil des écrits ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EpreuveDeLaSession:
    """Une épreuve écrite de la session, vue des centres du gestionnaire : présences, copies, lots, commission."""

    epreuve: EpreuveEcrite
    intitule: str
    places: int
    presents: int
    absents: int
    a_saisir: int
    copies: int
    validees: int
    lots: int
    sans_correcteur: int
    commission: str  # « ouverte », « verrouillée », ou « non composée »
    anonymat_leve: bool


@dataclass(frozen=True, slots=True)
class AccueilDesEcrits:
    epreuves: list[EpreuveDeLaSession]
    absences_en_attente: int  # absences de ses centres non encore statuées


def accueil_des_ecrits(*, session: ExamSession, centres: QuerySet[Centre]) -> AccueilDesEcrits:
    """Les épreuves écrites de la session dans l'ordre du calendrier, comptées dans les `centres` (ceux du
    gestionnaire) : places et présences, copies et notes validées, lots et lots sans correcteur (lots corrigés
    dans ces centres), état de la commission d'harmonisation (nationale). Six requêtes."""
    reglement = reglement_fourni(session.reglement)
    epreuves = list(session.calendrier.order_by("debut", "epreuve"))
    ids = [e.pk for e in epreuves]
    places = {
        ligne["epreuve_id"]: ligne
        for ligne in Place.objects.filter(epreuve_id__in=ids, salle__centre__in=centres)
        .values("epreuve_id")
        .annotate(
            n=Count("id"),
            presents=Count("id", filter=Q(presence=Place.Presence.PRESENT)),
            absents=Count("id", filter=Q(presence=Place.Presence.ABSENT)),
            a_saisir=Count("id", filter=Q(presence=Place.Presence.A_SAISIR)),
        )
    }
    copies = {
        ligne["epreuve_id"]: ligne
        for ligne in Copie.objects.filter(epreuve_id__in=ids, centre__in=centres)
        .values("epreuve_id")
        .annotate(n=Count("id"), validees=Count("id", filter=Q(note_initiale__isnull=False)))
    }
    lots = {
        ligne["epreuve_id"]: ligne
        for ligne in Lot.objects.filter(epreuve_id__in=ids, centre_correction__in=centres)
        .values("epreuve_id")
        .annotate(n=Count("id"), sans_correcteur=Count("id", filter=Q(correcteur__isnull=True)))
    }
    commissions = {c.epreuve_id: c for c in CommissionHarmonisation.objects.filter(epreuve_id__in=ids)}
    lignes = []
    for e in epreuves:
        p, c, lot = places.get(e.pk, {}), copies.get(e.pk, {}), lots.get(e.pk, {})
        commission = commissions.get(e.pk)
        intitule = reglement.epreuves[e.epreuve].intitule if e.epreuve in reglement.epreuves else ""
        lignes.append(
            EpreuveDeLaSession(
                epreuve=e,
                intitule=intitule,
                places=p.get("n", 0),
                presents=p.get("presents", 0),
                absents=p.get("absents", 0),
                a_saisir=p.get("a_saisir", 0),
                copies=c.get("n", 0),
                validees=c.get("validees", 0),
                lots=lot.get("n", 0),
                sans_correcteur=lot.get("sans_correcteur", 0),
                commission="non composée" if commission is None else commission.get_statut_display(),
                anonymat_leve=commission is not None and commission.anonymat_leve_le is not None,
            )
        )
    en_attente = Absence.objects.filter(
        place__epreuve__session=session, place__salle__centre__in=centres, decision=Absence.Decision.EN_ATTENTE
    ).count()
    return AccueilDesEcrits(epreuves=lignes, absences_en_attente=en_attente)


# --- Les centres de correction d'une épreuve -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CentreDeCorrection:
    """Un centre de correction d'une épreuve : les copies qui lui arrivent et ses lots."""

    centre: Centre
    centres_examen: tuple[str, ...]  # les autres centres d'examen dont les copies y sont corrigées
    a_anonymiser: int  # présents dont la copie n'a pas encore de numéro d'anonymat
    sans_lot: int  # copies anonymes qui n'ont pas encore de lot
    a_saisir: int  # places dont la présence n'est pas saisie (leurs copies attendent)
    lots: int
    sans_correcteur: int

    @property
    def a_ranger(self) -> int:
        """Les copies qu'une constitution rangerait en lots maintenant."""
        return self.a_anonymiser + self.sans_lot


def centres_de_correction(*, epreuve: EpreuveEcrite, centres: QuerySet[Centre]) -> list[CentreDeCorrection]:
    """Les centres de correction de l'épreuve parmi `centres` (ceux du gestionnaire) : chaque centre d'examen qui
    a des places à l'épreuve corrige ses copies chez lui, sauf acheminement ailleurs (`Acheminement`) ; un
    centre qui a déjà des lots en est un aussi. Cinq requêtes."""
    acheminement = dict(
        Acheminement.objects.filter(session_id=epreuve.session_id).values_list("centre_id", "centre_correction_id")
    )
    par_correction: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    examen: dict[int, set[int]] = defaultdict(set)
    for ligne in (
        Place.objects.filter(epreuve=epreuve)
        .values("salle__centre_id")
        .annotate(
            presents=Count("id", filter=Q(presence=Place.Presence.PRESENT)),
            a_saisir=Count("id", filter=Q(presence=Place.Presence.A_SAISIR)),
        )
    ):
        centre_id = ligne["salle__centre_id"]
        cible = acheminement.get(centre_id, centre_id)
        examen[cible].add(centre_id)
        par_correction[cible]["presents"] += ligne["presents"]
        par_correction[cible]["a_saisir"] += ligne["a_saisir"]
    for ligne in (
        Copie.objects.filter(epreuve=epreuve)
        .values("centre_id")
        .annotate(n=Count("id"), sans_lot=Count("id", filter=Q(lot__isnull=True)))
    ):
        cible = acheminement.get(ligne["centre_id"], ligne["centre_id"])
        examen[cible].add(ligne["centre_id"])
        par_correction[cible]["copies"] += ligne["n"]
        par_correction[cible]["sans_lot"] += ligne["sans_lot"]
    for ligne in (
        Lot.objects.filter(epreuve=epreuve)
        .values("centre_correction_id")
        .annotate(n=Count("id"), sans_correcteur=Count("id", filter=Q(correcteur__isnull=True)))
    ):
        par_correction[ligne["centre_correction_id"]]["lots"] += ligne["n"]
        par_correction[ligne["centre_correction_id"]]["sans_correcteur"] += ligne["sans_correcteur"]
    tous = set(par_correction) | {c for ids in examen.values() for c in ids}
    connus = {c.pk: c for c in Centre.objects.filter(pk__in=tous)}
    visibles = set(centres.filter(pk__in=list(par_correction)).values_list("pk", flat=True))
    resultat = []
    for centre_id in sorted(visibles, key=lambda pk: (connus[pk].nom, connus[pk].code)):
        n = par_correction[centre_id]
        resultat.append(
            CentreDeCorrection(
                centre=connus[centre_id],
                centres_examen=tuple(sorted(connus[c].nom for c in examen[centre_id] if c != centre_id)),
                # Une copie n'est créée que pour un présent : les présents sans copie restent à anonymiser.
                a_anonymiser=max(0, n["presents"] - n["copies"]),
                sans_lot=n["sans_lot"],
                a_saisir=n["a_saisir"],
                lots=n["lots"],
                sans_correcteur=n["sans_correcteur"],
            )
        )
    return resultat


# --- Les lots d'un centre de correction ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LotDuCentre:
    pk: int
    code: str
    statut: str
    statut_libelle: str
    correcteur_id: int | None
    correcteur: str | None  # « Paul LEROY (X0001) »
    copies: int
    saisies: int  # saisies enregistrées (0 : le correcteur peut encore changer)
    validees: int


def lots_du_centre(*, epreuve: EpreuveEcrite, centre: Centre) -> list[LotDuCentre]:
    """Les lots de l'épreuve corrigés dans le centre, par numéro, avec leur correcteur et l'avancement de la
    correction. Une requête."""
    qs = (
        Lot.objects.filter(epreuve=epreuve, centre_correction=centre)
        .select_related("epreuve", "correcteur")
        .annotate(
            nombre=Count("copies", distinct=True),
            nombre_saisies=Count("copies__saisies", distinct=True),
            nombre_validees=Count("copies", filter=Q(copies__note_initiale__isnull=False), distinct=True),
        )
        .order_by("numero")
    )
    return [
        LotDuCentre(
            pk=lot.pk,
            code=lot.code,
            statut=lot.statut,
            statut_libelle=lot.get_statut_display(),
            correcteur_id=lot.correcteur_id,
            correcteur=None
            if lot.correcteur is None
            else f"{lot.correcteur.prenom} {lot.correcteur.nom.upper()} ({lot.correcteur.code})",
            copies=lot.nombre,  # type: ignore[attr-defined]
            saisies=lot.nombre_saisies,  # type: ignore[attr-defined]
            validees=lot.nombre_validees,  # type: ignore[attr-defined]
        )
        for lot in qs
    ]


def correcteurs_proposes(*, session: ExamSession, centre: Centre) -> QuerySet[Examinateur]:
    """Les examinateurs de la session de l'académie du centre de correction, avec leur établissement d'exercice
    (le service refuse un lot qui contient un candidat de cet établissement)."""
    return (
        Examinateur.objects.filter(session=session, academie_id=centre.academie_id)
        .select_related("etablissement")
        .order_by("nom", "prenom", "code")
    )


def charge_des_correcteurs(*, epreuve: EpreuveEcrite, centre: Centre) -> dict[int, tuple[int, int]]:
    """Par correcteur des lots de l'épreuve dans ce centre : (lots, copies). Une requête."""
    return {
        ligne["correcteur_id"]: (ligne["lots"], ligne["copies"])
        for ligne in Lot.objects.filter(epreuve=epreuve, centre_correction=centre, correcteur__isnull=False)
        .values("correcteur_id")
        .annotate(lots=Count("id", distinct=True), copies=Count("copies"))
    }


def centre_de_correction_de(*, session: ExamSession, centre: Centre) -> Centre | None:
    """Le centre de correction où partent les copies du centre d'examen, s'il n'est pas le centre lui-même."""
    acheminement = (
        Acheminement.objects.filter(session=session, centre=centre)
        .exclude(centre_correction=centre)
        .select_related("centre_correction")
        .first()
    )
    return None if acheminement is None else acheminement.centre_correction
