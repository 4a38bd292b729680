"""Lectures de l'espace examinateur et des grilles de double saisie, toutes dans le périmètre de l'utilisateur
(`comptes.permissions.commissions_visibles`), dans les plannings **publiés** seulement.

Nombre de requêtes constant : une pour les passages (jointures), une par table annexe (fiches-sujets,
évaluations, fiches d'engagement), deux pour l'état des cases (`notes.selectors.cases_des_passages`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import commissions_visibles, habilitations_de
from examens.apps.examinateurs.models import Examinateur
from examens.apps.notes.selectors import Case, EtatCase, cases_des_passages
from examens.apps.organisation.models import ExamSession
from examens.apps.planification.models import Commission, Passage, VersionPlanning
from examens.apps.planification.selectors import GROS_CHAMPS_VERSION
from examens.apps.sujets.models import EvaluationEngagement, FicheEngagement, FicheSujet
from examens.apps.sujets.selectors import reglages_de
from examens.core.reglement import reglement_fourni


def examinateurs_de(utilisateur: Any, session: ExamSession) -> list[Examinateur]:
    """Les examinateurs que l'utilisateur représente dans la session (un compte par examinateur)."""
    return [
        h.examinateur
        for h in habilitations_de(utilisateur)
        if h.session_id == session.pk and h.role == Role.EXAMINATEUR and h.examinateur is not None
    ]


def centres_chef_de(utilisateur: Any, session: ExamSession) -> set[int]:
    return {
        h.centre_id
        for h in habilitations_de(utilisateur)
        if h.session_id == session.pk and h.role == Role.CHEF_DE_CENTRE and h.centre_id
    }


def passages_visibles(utilisateur: Any, session: ExamSession) -> QuerySet[Passage]:
    """Les passages des commissions du périmètre, dans les plannings publiés de la session."""
    return Passage.objects.filter(
        commission__in=commissions_visibles(utilisateur, session=session),
        version__session=session,
        version__statut=VersionPlanning.Statut.PUBLIE,
    )


def _avec_jointures(passages: QuerySet[Passage]) -> QuerySet[Passage]:
    return (
        passages.select_related("candidat", "commission", "version__centre", "salle", "loge")
        .defer(*GROS_CHAMPS_VERSION)
        .order_by("debut", "commission__code", "candidat__numero")
    )


def local(instant: dt.datetime, fuseau: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(fuseau))


# --------------------------------------------------------------------------- espace examinateur


@dataclass(frozen=True, slots=True)
class MonPassage:
    passage: Passage
    debut: dt.datetime  # heure du centre
    fin: dt.datetime
    debut_preparation: dt.datetime | None
    case: Case
    fiche_sujet: str | None = None  # E4 : statut de la fiche-sujet (None : à rédiger)
    fiche_engagement: bool = False  # engagement : fiche déposée par le candidat
    evaluation: bool = False  # engagement : fiche d'évaluation remplie
    sujet_des: dt.datetime | None = None  # E5B : le sujet se lit à partir de…


@dataclass(frozen=True, slots=True)
class JourDePassages:
    jour: dt.date
    centre: str
    fuseau: str  # les heures se montrent dans ce fuseau (`{% timezone %}` des gabarits)
    passages: list[MonPassage] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EspaceExaminateur:
    examinateur: Examinateur
    jours: list[JourDePassages]
    grilles: list[tuple[Commission, dt.date]]  # une grille de saisie par commission et par jour

    @property
    def nombre(self) -> int:
        return sum(len(j.passages) for j in self.jours)


def espace_examinateur(examinateur: Examinateur, *, par: str) -> EspaceExaminateur:
    """Les passages de l'examinateur (commissions où il siège, plannings publiés), jour par jour, heure du centre,
    avec ce qu'il doit préparer ou remplir. Requêtes : 6, quel que soit le nombre de passages."""
    passages = list(
        _avec_jointures(
            Passage.objects.filter(
                commission__membres=examinateur,
                version__session_id=examinateur.session_id,
                version__statut=VersionPlanning.Statut.PUBLIE,
            )
        )
    )
    cases = cases_des_passages(passages, par=par)
    e4 = [p.candidat_id for p in passages if p.epreuve == "E4"]
    engagement = [p.candidat_id for p in passages if p.epreuve == "ENGAGEMENT"]
    fiches = dict(FicheSujet.objects.filter(candidat_id__in=e4).values_list("candidat_id", "statut")) if e4 else {}
    evaluations: set[int] = set()
    deposees: set[int] = set()
    if engagement:
        evaluations = set(
            EvaluationEngagement.objects.filter(candidat_id__in=engagement).values_list("candidat_id", flat=True)
        )
        deposees = set(FicheEngagement.objects.filter(candidat_id__in=engagement).values_list("candidat_id", flat=True))
    avance = reglages_de(examinateur.session).consultation_avant if any(p.epreuve == "E5B" for p in passages) else None
    jours: dict[tuple[dt.date, str], JourDePassages] = {}
    grilles: dict[tuple[int, dt.date], Commission] = {}
    for p in passages:
        fuseau = p.version.centre.fuseau
        debut = local(p.debut, fuseau)
        cle = (debut.date(), p.version.centre.nom)
        jours.setdefault(cle, JourDePassages(debut.date(), p.version.centre.nom, fuseau)).passages.append(
            MonPassage(
                passage=p,
                debut=debut,
                fin=local(p.fin, fuseau),
                debut_preparation=local(p.debut_preparation, fuseau) if p.debut_preparation else None,
                case=cases[p.pk],
                fiche_sujet=fiches.get(p.candidat_id) if p.epreuve == "E4" else None,
                fiche_engagement=p.candidat_id in deposees,
                evaluation=p.candidat_id in evaluations,
                sujet_des=local(p.debut - avance, fuseau) if avance is not None and p.epreuve == "E5B" else None,
            )
        )
        grilles.setdefault((p.commission_id, debut.date()), p.commission)
    return EspaceExaminateur(
        examinateur=examinateur,
        jours=list(jours.values()),
        grilles=[(k, jour) for (_, jour), k in grilles.items()],
    )


def agenda_ics(examinateur: Examinateur) -> str | None:
    """L'agenda iCalendar de l'examinateur : la convocation des éditions (`editions.donnees`,
    `convocation-examinateur`) de chaque centre où il siège, réunies et rendues par `documents.ics`. None : aucun
    passage publié."""
    from examens.apps.editions.donnees import convocations_examinateurs
    from examens.documents.ics import rendre_ics

    versions = list(
        VersionPlanning.objects.filter(
            session_id=examinateur.session_id,
            statut=VersionPlanning.Statut.PUBLIE,
            passages__commission__membres=examinateur,
        )
        .distinct()
        .defer("instance", "resultat", "bornes")
        .select_related("centre")
        .order_by("centre__code")
    )
    convocations = []
    for centre in {v.centre.code: v.centre for v in versions}.values():
        selection = convocations_examinateurs(examinateur.session, {"centre": centre.code})
        convocations += [e.donnees for e in selection.elements if e.examinateur_id == examinateur.pk]
    if not convocations:
        return None
    premiere = convocations[0]
    donnees = replace(
        premiere,
        edition=replace(
            premiere.edition,
            reference=f"AGENDA-{examinateur.code}",
            emis_le=timezone.now(),
            version=max(v.numero for v in versions),  # SEQUENCE : l'agenda suit les replanifications
        ),
        centres=tuple(c for conv in convocations for c in conv.centres),
        passages=tuple(p for conv in convocations for p in conv.passages),
    )
    return rendre_ics(donnees)


# --------------------------------------------------------------------------- grilles de saisie


@dataclass(frozen=True, slots=True)
class ResumeGrille:
    commission: Commission
    centre: str
    jour: dt.date
    membres: int
    compte: Counter[str]
    saisie_du_centre: bool  # le chef de centre y fait la seconde saisie (commission d'un membre)


def grilles_visibles(utilisateur: Any, session: ExamSession, *, par: str) -> list[ResumeGrille]:
    """Une ligne par commission et par jour (heure du centre), avec l'avancement de la double saisie.
    Requêtes : 4 (passages, membres, saisies, résultats)."""
    passages = list(_avec_jointures(passages_visibles(utilisateur, session)).prefetch_related("commission__membres"))
    cases = cases_des_passages(passages, par=par)
    resumes: dict[tuple[int, dt.date], ResumeGrille] = {}
    for p in passages:
        jour = local(p.debut, p.version.centre.fuseau).date()
        membres = len(p.commission.membres.all())
        r = resumes.setdefault(
            (p.commission_id, jour),
            ResumeGrille(p.commission, p.version.centre.nom, jour, membres, Counter(), saisie_du_centre=membres == 1),
        )
        r.compte[cases[p.pk].etat] += 1
    return sorted(resumes.values(), key=lambda r: (r.jour, r.centre, r.commission.code))


@dataclass(frozen=True, slots=True)
class LigneGrille:
    passage: Passage
    debut: dt.datetime  # heure du centre
    case: Case
    saisissable: bool
    raison: str  # pourquoi la case ne se saisit pas (ou pas encore)
    doute_possible: bool


@dataclass(frozen=True, slots=True)
class Grille:
    commission: Commission
    jour: dt.date
    centre: Any
    membres: list[Examinateur]
    lignes: list[LigneGrille]
    qualite: str  # « membre de la commission », « chef de centre », ou « lecture seule »

    @property
    def saisissable(self) -> bool:
        return any(ligne.saisissable for ligne in self.lignes)

    @property
    def compte(self) -> Counter[str]:
        return Counter(ligne.case.etat for ligne in self.lignes)


def jour_de(commission: Commission, jour: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Le jour `jour` du centre de la commission, en instants UTC [début, fin)."""
    fuseau = ZoneInfo(commission.centre.fuseau)
    debut = dt.datetime.combine(jour, dt.time(0), tzinfo=fuseau)
    fin = dt.datetime.combine(jour + dt.timedelta(days=1), dt.time(0), tzinfo=fuseau)
    return debut.astimezone(dt.UTC), fin.astimezone(dt.UTC)


def grille_de_saisie(
    utilisateur: Any, commission: Commission, jour: dt.date, *, par: str, maintenant: dt.datetime | None = None
) -> Grille:
    """La grille d'une commission pour un jour : un passage par ligne, l'état de sa case vu par `par`, et si
    l'utilisateur peut y saisir (membre ; chef du centre pour la seconde saisie d'une commission d'un membre).
    Requêtes : 4 (membres, passages, saisies, résultats)."""
    instant = maintenant or timezone.now()
    session = commission.session
    membres = list(commission.membres.all())
    siens = {x.pk for x in examinateurs_de(utilisateur, session)}
    membre = any(x.pk in siens for x in membres)
    chef = commission.centre_id in centres_chef_de(utilisateur, session)
    debut, fin = jour_de(commission, jour)
    passages = list(
        _avec_jointures(
            Passage.objects.filter(
                commission=commission,
                version__session=session,
                version__statut=VersionPlanning.Statut.PUBLIE,
                debut__gte=debut,
                debut__lt=fin,
            )
        )
    )
    cases = cases_des_passages(passages, par=par)
    # Le doute sur le dossier ne se coche que pour les épreuves à dossier du règlement (E4, E6).
    a_dossier = {c for c, e in reglement_fourni(session.reglement).epreuves.items() if e.dossier}
    lignes = []
    for p in passages:
        case = cases[p.pk]
        raison = ""
        if case.etat == EtatCase.VALIDEE:
            raison = "résultat validé"
        elif case.etat == EtatCase.DECIDE_AILLEURS:
            raison = case.decide_ailleurs
        elif not membre and not chef:
            raison = "lecture seule"
        elif not membre and len(membres) != 1:
            raison = "saisie par les deux membres de la commission"
        elif not membre and case.sienne is None and case.saisies == 0:
            raison = "en attente de la saisie de l'examinateur"
        elif case.sienne is None and case.saisies >= 2:
            raison = "deux saisies déjà faites"
        elif instant < p.debut:
            raison = f"à saisir après le passage (à partir de {local(p.debut, p.version.centre.fuseau):%H:%M})"
        lignes.append(
            LigneGrille(
                passage=p,
                debut=local(p.debut, p.version.centre.fuseau),
                case=case,
                saisissable=not raison,
                raison=raison,
                doute_possible=p.epreuve in a_dossier,
            )
        )
    qualite = "membre de la commission" if membre else "chef de centre" if chef else "lecture seule"
    return Grille(commission, jour, commission.centre, membres, lignes, qualite)
