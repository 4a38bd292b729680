"""Le module unique des permissions : ce qu'un utilisateur voit, selon ses habilitations.

Toute vue lit les données par ces fonctions, jamais par `Modele.objects` directement : un objet hors du
périmètre n'existe pas pour elle (`get_object_or_404(candidats_visibles(u), pk=…)` rend 404, et changer
un identifiant dans l'adresse ne montre jamais les données d'un autre).

Périmètres (un utilisateur peut avoir plusieurs habilitations : il voit la réunion de leurs périmètres) :

| rôle                         | candidats visibles                                                    |
|------------------------------|-----------------------------------------------------------------------|
| gestionnaire, académie pilote | toute la session                                                     |
| gestionnaire, autre académie | ceux qui composent dans un centre de l'académie (sans centre : ceux   |
|                              | de ses établissements)                                                |
| chef de centre               | ceux du centre                                                        |
| président de jury            | ceux des centres du jury et ceux qui lui sont confiés nommément       |
| établissement                | ses candidats                                                         |
| candidat                     | lui-même                                                              |
| examinateur                  | ceux qui passent devant l'une de ses commissions (planning publié)    |

Les habilitations sont lues une fois par requête (gardées sur l'objet utilisateur) : le nombre de requêtes
SQL d'une page ne dépend pas du nombre d'habilitations ni de candidats.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.comptes.models import Habilitation, Role
from examens.apps.examinateurs.models import Examinateur
from examens.apps.jury.models import Jury
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.apps.planification.models import Commission, Passage, VersionPlanning

_CACHE = "_habilitations_examens"


class Droit(StrEnum):
    """Ce qu'une page demande. Les rôles qui l'ont : `DROITS_DU_ROLE`."""

    TABLEAU_DE_BORD = "tableau_de_bord"
    RECHERCHE_CANDIDATS = "recherche_candidats"
    EXPORT_CANDIDATS = "export_candidats"
    FICHE_CANDIDAT = "fiche_candidat"
    VOIR_ACTEURS = "voir_acteurs"  # qui a fait quoi, dans la chronologie d'un candidat
    RESULTATS_AVANT_PUBLICATION = "resultats_avant_publication"
    CONFORMITE = "conformite"  # la file des dossiers E4/E6 et leur examen (lecture)
    DECIDER_CONFORMITE = "decider_conformite"  # décision de la commission, levée de doute, notification
    PLANNING = "planning"  # le planning des oraux d'un centre (lecture)
    AMENAGER_PLANNING = "amenager_planning"  # déplacer un passage (nouvelle version vérifiée)
    PUBLIER_PLANNING = "publier_planning"  # publier une version ; désistement d'examinateur et replanification
    EDITIONS = "editions"  # éditer les documents de masse, suivre les travaux, télécharger les documents émis
    DELIBERATION = "deliberation"  # délibérer un jury : points de jury, décisions, verrouillage, publication, PV
    TRAITER_RECLAMATIONS = "traiter_reclamations"  # instruire les réclamations des candidats (l'académie)
    ESPACE_ETABLISSEMENT = "espace_etablissement"  # ses candidats, leurs pièces, les notes de CCF à transmettre
    ESPACE_CANDIDAT = "espace_candidat"  # son dossier, ses convocations, ses résultats publiés, ses réclamations
    ESPACE_EXAMINATEUR = "espace_examinateur"  # ses passages (agenda ICS), pièces à préparer, évaluations
    SAISIE_NOTES = "saisie_notes"  # double saisie des notes d'oral : les membres, le chef de centre en second


# Les espaces personnels ne sont pas des droits de pilotage : ils montrent « mes » candidats, « mon » dossier.
_ESPACES_PERSONNELS = frozenset({Droit.ESPACE_ETABLISSEMENT, Droit.ESPACE_CANDIDAT, Droit.ESPACE_EXAMINATEUR})
# La double saisie : les membres des commissions, et le chef de centre pour une commission d'un membre ; ni
# l'académie ni le jury (ABJ, NV et points de jury se décident ailleurs).
_SAISIE = frozenset({Droit.SAISIE_NOTES})
_PILOTAGE = frozenset(Droit) - _ESPACES_PERSONNELS - _SAISIE
# Conformité des dossiers et plannings des centres : l'académie décide, publie et désiste ; le chef de centre
# consulte et aménage le planning de son centre ; le président de jury n'organise ni l'un ni l'autre.
_ACADEMIE_SEULE = frozenset({Droit.DECIDER_CONFORMITE, Droit.PUBLIER_PLANNING, Droit.TRAITER_RECLAMATIONS})
_ORGANISATION_DES_CENTRES = _ACADEMIE_SEULE | {Droit.CONFORMITE, Droit.PLANNING, Droit.AMENAGER_PLANNING}
_NOMINATIF = frozenset({Droit.RECHERCHE_CANDIDATS, Droit.EXPORT_CANDIDATS, Droit.FICHE_CANDIDAT, Droit.VOIR_ACTEURS})
DROITS_DU_ROLE: dict[str, frozenset[Droit]] = {
    Role.GESTIONNAIRE: _PILOTAGE,
    Role.CHEF_DE_CENTRE: (_PILOTAGE - _ACADEMIE_SEULE - {Droit.DELIBERATION}) | _SAISIE,  # le jury délibère
    # Le jury délibère sur des numéros anonymes (Circ. 1.3) : ni recherche ni fiche nominative des candidats ;
    # les noms n'apparaissent qu'au procès-verbal nominatif, édité une fois la délibération verrouillée.
    Role.PRESIDENT_JURY: _PILOTAGE - _ORGANISATION_DES_CENTRES - _NOMINATIF,
    Role.ETABLISSEMENT: frozenset(
        {
            Droit.TABLEAU_DE_BORD,
            Droit.RECHERCHE_CANDIDATS,
            Droit.EXPORT_CANDIDATS,
            Droit.FICHE_CANDIDAT,
            Droit.ESPACE_ETABLISSEMENT,
        }
    ),
    Role.CANDIDAT: frozenset({Droit.FICHE_CANDIDAT, Droit.ESPACE_CANDIDAT}),
    Role.EXAMINATEUR: frozenset({Droit.ESPACE_EXAMINATEUR, Droit.SAISIE_NOTES}),
}


# --- Les habilitations -------------------------------------------------------------------------------


def habilitations_de(utilisateur: Any) -> list[Habilitation]:
    """Les habilitations de l'utilisateur (aucune s'il n'est pas connecté ou pas actif). Une requête par
    utilisateur et par requête HTTP : le résultat est gardé sur l'objet utilisateur."""
    if utilisateur is None or not getattr(utilisateur, "is_authenticated", False) or not utilisateur.is_active:
        return []
    habilitations = getattr(utilisateur, _CACHE, None)
    if habilitations is None:
        habilitations = list(
            Habilitation.objects.filter(utilisateur=utilisateur).select_related(
                "session", "academie", "centre", "jury", "etablissement", "examinateur", "candidat"
            )
        )
        setattr(utilisateur, _CACHE, habilitations)
    return habilitations


def oublier_habilitations(utilisateur: Any) -> None:
    """À appeler après avoir changé les habilitations d'un utilisateur déjà chargé (tests, services)."""
    if hasattr(utilisateur, _CACHE):
        delattr(utilisateur, _CACHE)


def _dans(utilisateur: Any, session: ExamSession | None) -> list[Habilitation]:
    return [h for h in habilitations_de(utilisateur) if session is None or h.session_id == session.pk]


def roles_de(utilisateur: Any, *, session: ExamSession | None = None) -> set[str]:
    return {h.role for h in _dans(utilisateur, session)}


def a_le_droit(utilisateur: Any, droit: Droit, *, session: ExamSession | None = None) -> bool:
    """Un de ses rôles (dans la session, si elle est donnée) accorde-t-il ce droit ?"""
    return any(droit in DROITS_DU_ROLE[h.role] for h in _dans(utilisateur, session))


def sessions_visibles(utilisateur: Any) -> QuerySet[ExamSession]:
    return ExamSession.objects.filter(pk__in={h.session_id for h in habilitations_de(utilisateur)})


def session_par_defaut(utilisateur: Any, code: str | None = None) -> ExamSession | None:
    """La session demandée (par son code) si l'utilisateur y est habilité, sinon la plus récente des siennes."""
    sessions = {h.session.code: h.session for h in habilitations_de(utilisateur)}
    if code:
        return sessions.get(code)
    return max(sessions.values(), key=lambda s: s.pk, default=None)


def resultats_publies(
    session: ExamSession, *, aujourd_hui: date | None = None, candidats: QuerySet[Candidat] | None = None
) -> bool:
    """La date de publication de la session est passée et, pour `candidats`, chaque jury qui les délibère a
    publié sa délibération (`jury.EtatDeliberation.publiee_le`, posée par `jury.services.publier_deliberation`)."""
    jour = aujourd_hui or timezone.localdate()
    if session.date_resultats is None or session.date_resultats > jour:
        return False
    if candidats is None:
        return True
    leurs_jurys = Q(
        pk__in=Jury.centres.through.objects.filter(centre_id__in=candidats.values("centre_id")).values("jury_id")
    ) | Q(pk__in=Jury.candidats.through.objects.filter(candidat_id__in=candidats.values("id")).values("jury_id"))
    return not (
        Jury.objects.filter(leurs_jurys, session=session)
        .filter(Q(etat_deliberation__isnull=True) | Q(etat_deliberation__publiee_le__isnull=True))
        .exists()
    )


def voit_les_resultats(utilisateur: Any, session: ExamSession) -> bool:
    """Notes et décisions : les rôles de pilotage les voient toujours ; un candidat et son établissement, une fois
    les résultats publiés : date de publication de la session passée, et délibération publiée par chaque jury
    qui délibère les candidats qu'ils voient."""
    if a_le_droit(utilisateur, Droit.RESULTATS_AVANT_PUBLICATION, session=session):
        return True
    return bool(_dans(utilisateur, session)) and resultats_publies(
        session, candidats=candidats_visibles(utilisateur, session=session)
    )


# --- Les périmètres, en requêtes -------------------------------------------------------------------


def _aucun() -> Q:
    return Q(pk__in=[])


def _tout() -> Q:
    # Pas `Q()` : un Q vide disparaît dans une réunion (`Q() | Q(a=1)` vaut `Q(a=1)`).
    return Q(pk__isnull=False)


def _filtre_candidats(h: Habilitation) -> Q:
    if h.role == Role.GESTIONNAIRE:
        if h.national:
            return _tout()
        return Q(centre__academie_id=h.academie_id) | Q(centre__isnull=True, etablissement__academie_id=h.academie_id)
    if h.role == Role.CHEF_DE_CENTRE:
        return Q(centre_id=h.centre_id)
    if h.role == Role.PRESIDENT_JURY:
        centres = Jury.centres.through.objects.filter(jury_id=h.jury_id).values("centre_id")
        confies = Jury.candidats.through.objects.filter(jury_id=h.jury_id).values("candidat_id")
        return Q(centre__in=centres) | Q(pk__in=confies)
    if h.role == Role.ETABLISSEMENT:
        return Q(etablissement_id=h.etablissement_id)
    if h.role == Role.CANDIDAT:
        return Q(pk=h.candidat_id)
    if h.role == Role.EXAMINATEUR:
        # Les candidats de ses commissions d'interrogation, dans les plannings publiés (pas les brouillons).
        passages = Passage.objects.filter(
            commission__membres=h.examinateur_id, version__statut=VersionPlanning.Statut.PUBLIE
        )
        return Q(pk__in=passages.values("candidat_id"))
    return _aucun()


def _reunion(filtres: list[Q]) -> Q | None:
    if not filtres:
        return None
    q = filtres[0]
    for f in filtres[1:]:
        q |= f
    return q


def candidats_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Candidat]:
    """Les candidats que l'utilisateur peut voir (dans une session, si elle est donnée)."""
    q = _reunion([Q(session_id=h.session_id) & _filtre_candidats(h) for h in _dans(utilisateur, session)])
    return Candidat.objects.none() if q is None else Candidat.objects.filter(q)


def centres_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Centre]:
    """Les centres d'examen du périmètre (ceux où composent les candidats visibles, et les centres désignés)."""
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            filtres.append(_tout() if h.national else Q(academie_id=h.academie_id))
        elif h.role == Role.CHEF_DE_CENTRE:
            filtres.append(Q(pk=h.centre_id))
        elif h.role == Role.PRESIDENT_JURY:
            filtres.append(Q(pk__in=Jury.centres.through.objects.filter(jury_id=h.jury_id).values("centre_id")))
        elif h.role in (Role.ETABLISSEMENT, Role.CANDIDAT):
            candidats = Candidat.objects.filter(Q(session_id=h.session_id) & _filtre_candidats(h))
            filtres.append(Q(pk__in=candidats.values("centre_id")))
        elif h.role == Role.EXAMINATEUR:
            commissions = Commission.objects.filter(session_id=h.session_id, membres=h.examinateur_id)
            filtres.append(Q(pk__in=commissions.values("centre_id")))
    q = _reunion(filtres)
    return Centre.objects.none() if q is None else Centre.objects.filter(q)


def etablissements_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Etablissement]:
    """Les établissements du périmètre : ceux de l'académie (gestionnaire), le sien, ceux des candidats visibles."""
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            filtres.append(_tout() if h.national else Q(academie_id=h.academie_id))
        elif h.role == Role.ETABLISSEMENT:
            filtres.append(Q(pk=h.etablissement_id))
        elif h.role != Role.EXAMINATEUR:
            candidats = Candidat.objects.filter(Q(session_id=h.session_id) & _filtre_candidats(h))
            filtres.append(Q(pk__in=candidats.values("etablissement_id")))
    q = _reunion(filtres)
    return Etablissement.objects.none() if q is None else Etablissement.objects.filter(q)


def academies_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Academie]:
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            filtres.append(_tout() if h.national else Q(pk=h.academie_id))
        elif h.role == Role.CHEF_DE_CENTRE:
            filtres.append(Q(centres__pk=h.centre_id))
    q = _reunion(filtres)
    return Academie.objects.none() if q is None else Academie.objects.filter(q).distinct()


def jurys_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Jury]:
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            if h.national:
                filtres.append(Q(session_id=h.session_id))
            else:
                centres = Centre.objects.filter(academie_id=h.academie_id).values("pk")
                filtres.append(
                    Q(session_id=h.session_id)
                    & Q(pk__in=Jury.centres.through.objects.filter(centre__in=centres).values("jury_id"))
                )
        elif h.role == Role.PRESIDENT_JURY:
            filtres.append(Q(pk=h.jury_id))
    q = _reunion(filtres)
    return Jury.objects.none() if q is None else Jury.objects.filter(q)


def examinateurs_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Examinateur]:
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            filtres.append(Q(session_id=h.session_id) & (_tout() if h.national else Q(academie_id=h.academie_id)))
        elif h.role == Role.EXAMINATEUR:
            filtres.append(Q(pk=h.examinateur_id))
        elif h.role == Role.PRESIDENT_JURY:
            filtres.append(Q(jurys__jury_id=h.jury_id))
    q = _reunion(filtres)
    return Examinateur.objects.none() if q is None else Examinateur.objects.filter(q).distinct()


def commissions_visibles(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Commission]:
    """Les commissions d'interrogation du périmètre : celles des centres suivis, et celles où l'on siège."""
    filtres = []
    for h in _dans(utilisateur, session):
        dans_la_session = Q(session_id=h.session_id)
        if h.role == Role.GESTIONNAIRE:
            filtres.append(dans_la_session & (_tout() if h.national else Q(centre__academie_id=h.academie_id)))
        elif h.role == Role.CHEF_DE_CENTRE:
            filtres.append(dans_la_session & Q(centre_id=h.centre_id))
        elif h.role == Role.PRESIDENT_JURY:
            centres = Jury.centres.through.objects.filter(jury_id=h.jury_id).values("centre_id")
            filtres.append(dans_la_session & Q(centre__in=centres))
        elif h.role == Role.EXAMINATEUR:
            filtres.append(
                dans_la_session
                & Q(
                    pk__in=Commission.membres.through.objects.filter(examinateur_id=h.examinateur_id).values(
                        "commission_id"
                    )
                )
            )
    q = _reunion(filtres)
    return Commission.objects.none() if q is None else Commission.objects.filter(q)
