"""Cas d'usage de la planification en base : composer les commissions, planifier un centre, replanifier en
bougeant le moins possible, désister un examinateur, publier, planifier les épreuves de contrôle, planifier
toute une session en tâches de fond.

Le calcul est celui d'`examens.planning` (glouton ou CP-SAT, OR-Tools chargé seulement pour CP-SAT) ; chaque
planning est relu par le vérificateur indépendant avant d'être enregistré : un planning refusé n'est jamais
écrit (`PlanningInvalide`). Le calcul se fait hors transaction ; l'enregistrement (version, passages en
masse, trace) est une seule transaction courte.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.insertion import inserer_en_masse
from examens.apps.jury.models import Decision, DecisionJury, Jury
from examens.apps.jury.services import verifier_deliberation_ouverte
from examens.apps.notes.selectors import candidats_concernes
from examens.apps.organisation.models import Centre, ExamSession, Salle
from examens.apps.planification.epreuves import code_controle, description_controle
from examens.apps.planification.erreurs import DeplacementRefuse, PlanificationImpossible, PlanningInvalide
from examens.apps.planification.models import (
    Campagne,
    ChoixControle,
    Commission,
    DesistementExaminateur,
    EtapeCampagne,
    Nature,
    Passage,
    VersionPlanning,
)
from examens.apps.planification.selectors import (
    PLAGES_PAR_DEFAUT,
    CandidatAuCentre,
    ProgressionCampagne,
    assembler_instance,
    candidats_du_centre,
    centres_de_la_session,
    disponibilites,
    disponible_par_date,
    instance_du_centre,
    planning_enregistre,
    progression_campagne,
    session_du_centre,
    version_en_vigueur,
)
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Reglement, reglement_fourni

SOLVEURS = ("cpsat", "glouton")
Progression = Callable[[str], None]


# --------------------------------------------------------------------------- composition des commissions


@dataclass(frozen=True, slots=True)
class RapportComposition:
    centre: str
    creees: tuple[str, ...]  # codes des commissions créées (vide : le centre en avait déjà)
    alertes: tuple[str, ...]


def _groupes_de_demande(candidats: Iterable[CandidatAuCentre], reglement: Reglement) -> Counter[str]:
    """Minutes d'épreuve demandées par groupe de commissions : E4, E6 (avec l'engagement), E5B, langue:<l>."""
    demande: Counter[str] = Counter()
    for c in candidats:
        for code in c.epreuves:
            forme = reglement.epreuve(code).formes.get("C")
            minutes = (forme.duree_minutes or 0) if forme is not None else 0
            if code in c.langues:
                demande[f"langue:{c.langues[code]}"] += minutes
            elif code == "ENGAGEMENT":
                demande["E6"] += minutes
            else:
                demande[code] += minutes
    return demande


def _profils(x: Examinateur) -> list[str]:
    """Les groupes où l'examinateur peut siéger (§2 : enseignant du bloc et professionnel ; E5B : deux
    enseignants ; E2/LV2 : un enseignant de la langue)."""
    if x.langue:
        return [f"langue:{x.langue}"]
    if x.qualite == Examinateur.Qualite.PROFESSIONNEL:
        return {1: ["E4:pro"], 3: ["E6:pro"]}.get(x.bloc or 0, ["E4:pro", "E6:pro"])
    return {1: ["E4"], 2: ["E5B"], 3: ["E6"]}.get(x.bloc or 0, [])


def _examinateurs_libres(session: ExamSession, centre: Centre) -> list[Examinateur]:
    """Examinateurs de l'académie du centre, non désistés, qui ne siègent dans aucune commission d'oral active."""
    occupes = Commission.objects.filter(
        session=session, nature=Nature.ORAUX, active=True, membres__isnull=False
    ).values("membres")
    return list(
        Examinateur.objects.filter(session=session, academie_id=centre.academie_id)
        .exclude(pk__in=occupes)
        .exclude(desistement__isnull=False)
        .select_related("etablissement")
        .order_by("code")
    )


def _part(disponibles: int, demande: int, demande_des_autres: int) -> int:
    """La part proportionnelle à la demande du centre, arrondie au plus proche (au moins un si le centre en
    demande) : les centres composés ensuite gardent leur part."""
    if demande <= 0 or disponibles <= 0:
        return 0
    return min(disponibles, max(1, math.floor(disponibles * demande / (demande + demande_des_autres) + 0.5)))


def composer_commissions(*, session: ExamSession, centre: Centre, par: str) -> RapportComposition:
    """Compose les commissions d'oral qui manquent au centre : pour chaque groupe d'épreuves que ses candidats
    passent (E4 ; E6 et engagement ; E5B ; E2/LV2 de chaque langue) et qu'aucune commission active ne sert
    encore. Un centre déjà composé ne change pas ; un candidat d'une nouvelle langue en fait composer une.

    Les examinateurs libres de l'académie du centre (un examinateur siège dans un seul centre) sont partagés
    entre ce centre et ceux de l'académie qui attendent le même groupe, en proportion des minutes d'épreuve
    demandées. E4 (bloc 1) et E6 + engagement (bloc 3) : un enseignant du bloc et un professionnel, appariés
    au plus de demi-journées communes (`examens.planning.commissions.composer_commissions`) ; E5B : deux
    enseignants du bloc 2 ; E2/LV2 : un enseignant par langue. Chaque commission d'oral a sa salle d'oral
    (sinon : alerte « salle à attribuer ») ; celles d'E5B siègent en salle informatique.
    """
    from examens.planning.commissions import Intervenant, Qualite
    from examens.planning.commissions import composer_commissions as composer

    reglement = reglement_fourni(session.reglement)
    demande = _groupes_de_demande(candidats_du_centre(session=session, centre=centre, reglement=reglement), reglement)
    actives = list(
        Commission.objects.filter(session=session, nature=Nature.ORAUX, active=True, membres__isnull=False)
        .distinct()
        .select_related("centre")
    )
    servis: dict[int, set[str]] = defaultdict(set)
    for k in actives:
        servis[k.centre_id].update(g for g in [*k.epreuves, f"langue:{k.langue}"] if _sert(k, g))
    a_composer = {g for g, minutes in demande.items() if minutes and g not in servis[centre.pk]}
    if not a_composer:
        return RapportComposition(centre.code, (), ())
    autres: Counter[str] = Counter()
    for autre in centres_de_la_session(session):
        if autre.pk != centre.pk and autre.academie_id == centre.academie_id:
            besoins = _groupes_de_demande(
                candidats_du_centre(session=session, centre=autre, reglement=reglement), reglement
            )
            autres.update({g: m for g, m in besoins.items() if g in a_composer and g not in servis[autre.pk]})
    libres = _examinateurs_libres(session, centre)
    par_profil: dict[str, list[Examinateur]] = defaultdict(list)
    for x in libres:
        for profil in _profils(x):
            par_profil[profil].append(x)
    creneaux = disponibilites(x.pk for x in libres)
    par_code = {x.code: x for x in libres}

    def affinite(a: str, b: str) -> int:
        return len(creneaux.get(par_code[a].pk, set()) & creneaux.get(par_code[b].pk, set()))

    pris: set[int] = set()

    def prendre(profil: str, groupe: str, *, par_paire: bool = False) -> list[Examinateur]:
        vivier = [x for x in par_profil.get(profil, []) if x.pk not in pris]
        # les mieux disponibles d'abord : une commission ne siège que quand ses membres sont là
        vivier.sort(key=lambda x: (-len(creneaux.get(x.pk, ())), x.code))
        if par_paire:  # E5B : des binômes d'enseignants
            choisis = vivier[: 2 * _part(len(vivier) // 2, demande[groupe], autres[groupe])]
        else:
            choisis = vivier[: _part(len(vivier), demande[groupe], autres[groupe])]
        pris.update(x.pk for x in choisis)
        return choisis

    def intervenant(x: Examinateur, bloc: int) -> Intervenant:
        qualite = Qualite.PROFESSIONNEL if x.qualite == Examinateur.Qualite.PROFESSIONNEL else Qualite.ENSEIGNANT
        return Intervenant(x.code, qualite, x.etablissement.uai if x.etablissement else None, frozenset({bloc}))

    compositions: list[tuple[list[str], str, tuple[str, ...], str]] = []  # (épreuves, langue, membres, alerte)
    for epreuves, bloc in ((["E4"], 1), (["E6", "ENGAGEMENT"], 3), (["E5B"], 2)):
        groupe = epreuves[0]
        if groupe not in a_composer:
            continue
        enseignants = prendre(groupe, groupe, par_paire=groupe == "E5B")
        professionnels = prendre(f"{groupe}:pro", groupe) if groupe != "E5B" else []
        for composition in composer(
            [intervenant(x, bloc) for x in enseignants + professionnels],
            bloc=bloc,
            nombre=len(enseignants),
            affinite=affinite,
        ):
            alerte = (composition.alerte or "") if groupe != "E5B" else ""
            compositions.append((epreuves, "", composition.membres, alerte))
    for groupe in sorted(g for g in a_composer if g.startswith("langue:")):
        for x in prendre(groupe, groupe):
            compositions.append((["E2", "LV2"], groupe.removeprefix("langue:"), (x.code,), ""))

    existantes = Commission.objects.filter(session=session, centre=centre, nature=Nature.ORAUX)
    numeros = [int(code[1:]) for code in existantes.values_list("code", flat=True) if code[1:].isdigit()]
    occupees = set(existantes.filter(active=True).values_list("salle_id", flat=True))
    salles = list(
        Salle.objects.filter(centre=centre, type__in=(Salle.Type.ORAL, Salle.Type.INFORMATIQUE)).order_by("nom")
    )
    orales = [s for s in salles if s.type == Salle.Type.ORAL and s.pk not in occupees]
    informatiques = [s for s in salles if s.type == Salle.Type.INFORMATIQUE]
    alertes: list[str] = []
    with transaction.atomic():
        creees: list[Commission] = []
        postes = 0
        for rang, (epreuves, langue, membres, alerte_composition) in enumerate(
            compositions, start=max(numeros, default=0) + 1
        ):
            alerte = alerte_composition
            if epreuves == ["E5B"]:  # les commissions d'E5B se partagent les salles informatiques
                salle = informatiques[postes % len(informatiques)] if informatiques else None
                postes += 1
            else:
                salle = orales.pop(0) if orales else None
                if salle is None:
                    alerte = "; ".join(a for a in (alerte, "aucune salle d'oral libre : salle à attribuer") if a)
            k = Commission.objects.create(
                session=session,
                centre=centre,
                nature=Nature.ORAUX,
                code=f"K{rang:02d}",
                epreuves=epreuves,
                langue=langue,
                salle=salle,
                alerte=alerte,
            )
            k.membres.set([par_code[m] for m in membres])
            creees.append(k)
            if alerte:
                alertes.append(f"{k.code} : {alerte}")
        manquants = [g for g in sorted(a_composer) if not any(_sert(k, g) for k in creees)]
        alertes += [f"aucun examinateur libre pour {g.replace('langue:', 'la langue ')}" for g in manquants]
        if creees:
            tracer(
                acteur=par,
                action=Trace.Action.CREATION,
                objet_type="organisation.centre",
                objet_id=centre.pk,
                objet_libelle=f"centre {centre.code} — commissions d'oral",
                apres={"commissions": {k.code: list(m) for k, (_, _, m, _) in zip(creees, compositions, strict=True)}},
                motif="composition des commissions d'interrogation",
            )
    return RapportComposition(centre.code, tuple(k.code for k in creees), tuple(alertes))


def _sert(k: Commission, groupe: str) -> bool:
    if groupe.startswith("langue:"):
        return k.langue == groupe.removeprefix("langue:")
    return groupe in k.epreuves


# --------------------------------------------------------------------------- planifier un centre


@dataclass(frozen=True, slots=True)
class ResultatPlanification:
    """Ce qu'une planification a enregistré (la version) et ce qu'il faut en dire."""

    version: VersionPlanning
    passages: int
    non_planifies: tuple[tuple[str, str, str], ...]  # (candidat, épreuve, raison)
    changements: int | None  # passages déplacés par rapport à la référence (replanification)
    statut: str
    duree_s: float
    ecartes: tuple[tuple[str, str], ...] = ()  # contrôle : (candidat, raison) hors instance
    alertes: tuple[str, ...] = field(default=())

    def resume(self) -> str:
        v = self.version
        texte = (
            f"Centre {v.centre.code}, {v.get_nature_display()} : version {v.numero} ({v.get_statut_display()}), "
            f"{self.passages} passage(s), {len(self.non_planifies)} non planifié(s), "
            f"{v.jours_candidats} jours-candidats, {v.attente_minutes} min d'attente, "
            f"{v.demi_journees_commissions} demi-journées de commission ; {v.solveur} {self.statut} en {self.duree_s:.1f} s".replace(
                ".", ","
            )
        )
        if self.changements is not None:
            texte += f" ; {self.changements} passage(s) déplacé(s)"
        return texte


def _instant(date: str, minutes: int, fuseau: ZoneInfo) -> dt.datetime:
    """L'instant UTC d'une heure murale du centre (« 2022-05-30 », minutes après minuit)."""
    jour = dt.date.fromisoformat(date) + dt.timedelta(days=minutes // (24 * 60))
    reste = minutes % (24 * 60)
    return dt.datetime(jour.year, jour.month, jour.day, reste // 60, reste % 60, tzinfo=fuseau).astimezone(dt.UTC)


def _verifier_options(solveur: str, plafond_attente: float | None) -> None:
    """Avant toute écriture (composition des commissions, campagne) : solveur connu, plafond accepté."""
    from examens.planning.service import erreur_plafond

    if solveur not in SOLVEURS:
        raise PlanificationImpossible(f"Solveur « {solveur} » inconnu : écrivez cpsat ou glouton.")
    if message := erreur_plafond(solveur, plafond_attente):
        raise PlanificationImpossible(message[0].upper() + message[1:])


def _avec_plafond(motif: str, plafond_attente: float | None) -> str:
    """Le motif de la version dit le plafond d'attente employé (il n'est pas dans l'ordre du format)."""
    if plafond_attente is None:
        return motif
    valeur = f"{plafond_attente:g}".replace(".", ",")
    return f"{motif} (plafond d'attente : {valeur} × le glouton)"


def _resoudre(
    donnees: Mapping[str, Any],
    *,
    centre: Centre,
    solveur: str,
    duree_max: float,
    workers: int,
    graine: int,
    progression: Progression | None,
    plafond_attente: float | None = None,
) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Lit l'instance, planifie, vérifie. Rend (planning @1 avec les statistiques du vérificateur, bornes, stats).

    Le solveur et le plafond ont été vérifiés par l'appelant (`_verifier_options`, avant toute écriture) ;
    `plafond_attente` : voir `examens.planning.service.planifier` et la décision 0015."""
    from examens.planning.bornes import calculer_bornes
    from examens.planning.formats import FormatInvalide, lire_instance, planning_vers_dict
    from examens.planning.service import Methode, planifier
    from examens.planning.verificateur import verifier

    try:
        instance = lire_instance(dict(donnees))
    except FormatInvalide as erreur:
        raise PlanificationImpossible(f"Centre {centre.code} : instance refusée par le format ({erreur}).") from None
    b = calculer_bornes(instance)
    planning = planifier(
        instance,
        methode=Methode(solveur),
        temps_max=duree_max,
        graine=graine,
        workers=workers,
        plafond_attente=plafond_attente,
        progression=progression,
        bornes=b,
    )
    rapport = verifier(instance, planning)
    if not rapport.valide:
        premieres = "; ".join(str(v) for v in rapport.violations[:3])
        raise PlanningInvalide(
            f"Centre {centre.code} : le vérificateur refuse le planning calculé ({len(rapport.violations)} "
            f"violation(s) : {premieres}). Rien n'est enregistré ; signalez-le avec l'instance."
        )
    bornes = {
        "non_planifies": b.non_planifies,
        "jours_candidats": b.jours_candidats,
        "attente_minutes": b.attente_minutes,
        "demi_journees_commissions": b.demi_journees_commissions,
    }
    resultat = planning_vers_dict(replace(planning, statistiques=rapport.statistiques))
    return resultat, bornes, rapport.statistiques


@transaction.atomic
def _enregistrer(
    *,
    session: ExamSession,
    centre: Centre,
    nature: str,
    donnees: Mapping[str, Any],
    resultat: Mapping[str, Any],
    bornes: Mapping[str, int],
    statistiques: Any,
    par: str,
    motif: str,
    reference: VersionPlanning | None,
    jury: Jury | None,
    publier: bool,
) -> VersionPlanning:
    # Verrou sur le centre : deux planifications simultanées du même centre se numérotent l'une après l'autre.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    numero = (
        VersionPlanning.objects.filter(session=session, centre=centre, nature=nature).aggregate(m=Max("numero"))["m"]
        or 0
    ) + 1
    instance = {k: v for k, v in donnees.items() if k != "reference"}
    version = VersionPlanning.objects.create(
        session=session,
        centre=centre,
        nature=nature,
        numero=numero,
        creee_par=par,
        motif=motif,
        jury=jury,
        reference=reference,
        solveur=statistiques.methode,
        statut_solveur=statistiques.statut.value,
        duree_s=round(statistiques.duree_s, 3),
        instance=instance,
        resultat=dict(resultat),
        passages_planifies=len(resultat["passages"]),
        non_planifies=statistiques.non_planifies,
        jours_candidats=statistiques.jours_candidats,
        attente_minutes=statistiques.attente_minutes,
        demi_journees_commissions=statistiques.demi_journees_commissions,
        changements=statistiques.changements,
        bornes=dict(bornes),
    )
    passages = resultat["passages"]
    candidats = dict(
        Candidat.objects.filter(session=session, numero__in={p["candidat"] for p in passages}).values_list(
            "numero", "id"
        )
    )
    commissions = {
        code: (pk, salle)
        for code, pk, salle in Commission.objects.filter(session=session, centre=centre).values_list(
            "code", "id", "salle_id"
        )
    }
    salles = dict(Salle.objects.filter(centre=centre).values_list("nom", "id"))
    fuseau = ZoneInfo(str(donnees.get("fuseau", centre.fuseau)))

    def minutes(heure: str) -> int:
        h, m = heure.split(":")
        return int(h) * 60 + int(m)

    lignes = []
    for p in passages:
        commission, salle = commissions[p["commission"]]
        lignes.append(
            (
                version.pk,
                candidats[p["candidat"]],
                p["epreuve"],
                commission,
                salle,
                salles.get(p["loge"]) if "loge" in p else None,
                _instant(p["date"], minutes(p["preparation"]), fuseau) if "preparation" in p else None,
                _instant(p["date"], minutes(p["debut"]), fuseau),
                _instant(p["date"], minutes(p["fin"]), fuseau),
                p.get("sujet", ""),
            )
        )
    inserer_en_masse(
        Passage,
        [
            "version_id",
            "candidat_id",
            "epreuve",
            "commission_id",
            "salle_id",
            "loge_id",
            "debut_preparation",
            "debut",
            "fin",
            "sujet",
        ],
        lignes,
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="planification.versionplanning",
        objet_id=version.pk,
        objet_libelle=f"planning {centre.code} — {nature} v{numero}",
        apres={
            "passages": version.passages_planifies,
            "non_planifies": version.non_planifies,
            "changements": version.changements,
            "reference": reference.numero if reference else None,
            "solveur": version.solveur,
            "statut_solveur": version.statut_solveur,
        },
        motif=motif,
    )
    if publier:
        _publier(version, par=par)
    return version


def _resultat(version: VersionPlanning, statistiques: Any, **autres: Any) -> ResultatPlanification:
    return ResultatPlanification(
        version=version,
        passages=version.passages_planifies,
        non_planifies=tuple((n["candidat"], n["epreuve"], n["raison"]) for n in version.resultat["non_planifies"]),
        changements=version.changements,
        statut=statistiques.statut.value,
        duree_s=statistiques.duree_s,
        **autres,
    )


def planifier_centre(
    centre: Centre,
    *,
    par: str,
    session: ExamSession | None = None,
    solveur: str = "cpsat",
    duree_max: float = 60.0,
    workers: int = 0,
    graine: int = 0,
    plafond_attente: float | None = None,
    publier: bool = False,
    motif: str = "",
    composer: bool = True,
    progression: Progression | None = None,
) -> ResultatPlanification:
    """Planifie les oraux du centre depuis la base et enregistre une nouvelle version (brouillon, ou publiée).

    Compose d'abord les commissions qui manquent au centre (`composer_commissions`), sauf `composer=False`
    (tâches d'une campagne : la campagne a composé avant, pour que deux tâches ne prennent pas le même
    examinateur). Le planning est relu par le vérificateur indépendant ; ses statistiques enregistrées sont
    celles que le vérificateur recalcule.
    """
    _verifier_options(solveur, plafond_attente)
    session = session or session_du_centre(centre)
    composition = (
        composer_commissions(session=session, centre=centre, par=par)
        if composer
        else RapportComposition(centre.code, (), ())
    )
    donnees = instance_du_centre(centre, session=session)
    resultat, bornes, stats = _resoudre(
        donnees,
        centre=centre,
        solveur=solveur,
        duree_max=duree_max,
        workers=workers,
        graine=graine,
        progression=progression,
        plafond_attente=plafond_attente,
    )
    version = _enregistrer(
        session=session,
        centre=centre,
        nature=Nature.ORAUX,
        donnees=donnees,
        resultat=resultat,
        bornes=bornes,
        statistiques=stats,
        par=par,
        motif=_avec_plafond(motif or "planification des oraux", plafond_attente),
        reference=None,
        jury=None,
        publier=publier,
    )
    return _resultat(version, stats, alertes=composition.alertes)


def replanifier_centre(
    centre: Centre,
    *,
    par: str,
    motif: str,
    session: ExamSession | None = None,
    solveur: str = "cpsat",
    duree_max: float = 60.0,
    workers: int = 0,
    graine: int = 0,
    plafond_attente: float | None = None,
    publier: bool = False,
    composer: bool = True,
    progression: Progression | None = None,
) -> ResultatPlanification:
    """Replanifie le centre en bougeant le moins de passages possible (clé `reference` du format) : après le
    désistement d'un examinateur, l'ajout ou le désistement d'un candidat, une disponibilité retirée.

    La référence est la version en vigueur (publiée, sinon la dernière). `changements` du résultat : les
    passages de la référence dont la commission, la date ou l'heure ont changé (ou qui ne sont plus placés).
    """
    _verifier_options(solveur, plafond_attente)
    session = session or session_du_centre(centre)
    reference = version_en_vigueur(session=session, centre=centre)
    if reference is None:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucun planning à replanifier ; planifiez d'abord le centre (examens planifier-centre)."
        )
    composition = (
        composer_commissions(session=session, centre=centre, par=par)
        if composer
        else RapportComposition(centre.code, (), ())
    )
    donnees = instance_du_centre(centre, session=session, reference=reference.resultat)
    resultat, bornes, stats = _resoudre(
        donnees,
        centre=centre,
        solveur=solveur,
        duree_max=duree_max,
        workers=workers,
        graine=graine,
        progression=progression,
        plafond_attente=plafond_attente,
    )
    version = _enregistrer(
        session=session,
        centre=centre,
        nature=Nature.ORAUX,
        donnees=donnees,
        resultat=resultat,
        bornes=bornes,
        statistiques=stats,
        par=par,
        motif=_avec_plafond(motif, plafond_attente),
        reference=reference,
        jury=None,
        publier=publier,
    )
    return _resultat(version, stats, alertes=composition.alertes)


def _publier(version: VersionPlanning, *, par: str) -> None:
    precedente = (
        VersionPlanning.objects.select_for_update()
        .filter(
            session=version.session_id,
            centre=version.centre_id,
            nature=version.nature,
            statut=VersionPlanning.Statut.PUBLIE,
        )
        .exclude(pk=version.pk)
        .first()
    )
    if precedente is not None:
        precedente.statut = VersionPlanning.Statut.REMPLACE
        precedente.save(update_fields=["statut"])
    avant = version.statut
    version.statut = VersionPlanning.Statut.PUBLIE
    version.save(update_fields=["statut"])
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="planification.versionplanning",
        objet_id=version.pk,
        objet_libelle=f"planning {version.centre.code} — {version.nature} v{version.numero}",
        avant={"statut": avant, "publiee": precedente.numero if precedente else None},
        apres={"statut": version.statut},
        motif="publication du planning",
    )


@transaction.atomic
def publier_planning(version: VersionPlanning, *, par: str) -> VersionPlanning:
    """Publie la version (les convocations la lisent) ; la version publiée jusque-là passe « remplacée »."""
    if version.statut == VersionPlanning.Statut.PUBLIE:
        raise PlanificationImpossible(f"La version {version.numero} du centre {version.centre.code} est déjà publiée.")
    _publier(version, par=par)
    return version


# --------------------------------------------------------------------------- désistement d'un examinateur


@dataclass(frozen=True, slots=True)
class RapportDesistement:
    examinateur: str
    remplacements: tuple[tuple[str, str, str], ...]  # (centre, commission, remplaçant)
    dissoutes: tuple[tuple[str, str], ...]  # (centre, commission)
    centres: tuple[Centre, ...]  # à replanifier

    def resume(self) -> str:
        morceaux = [f"{c}/{k} : remplacé par {r}" for c, k, r in self.remplacements]
        morceaux += [f"{c}/{k} : commission dissoute (aucun remplaçant libre)" for c, k in self.dissoutes]
        return f"Examinateur {self.examinateur} désisté" + (" — " + " ; ".join(morceaux) if morceaux else "") + "."


def _membres_requis(reglement: Reglement, epreuves: Iterable[str]) -> int:
    requis = 1
    for code in epreuves:
        regle = reglement.epreuves[code].commission if code in reglement.epreuves else None
        requis = max(requis, regle.membres if regle else 1)
    return requis


@transaction.atomic
def desister_examinateur(
    examinateur: Examinateur, *, par: str, motif: str = "", le: dt.date | None = None
) -> RapportDesistement:
    """L'examinateur ne siège plus : il sort de ses commissions actives, remplacé par un examinateur libre de
    même profil (qualité, bloc ou langue) de l'académie du centre, le plus disponible avec les autres membres ;
    sans remplaçant, une commission qui n'a plus assez de membres est dissoute. Les centres touchés sont à
    replanifier (`replanifier_centre`)."""
    if DesistementExaminateur.objects.filter(examinateur=examinateur).exists():
        raise PlanificationImpossible(f"L'examinateur {examinateur.code} est déjà désisté.")
    DesistementExaminateur.objects.create(
        examinateur=examinateur, le=le or timezone.localdate(), motif=motif, enregistre_par=par
    )
    reglement = reglement_fourni(examinateur.session.reglement)
    remplacements: list[tuple[str, str, str]] = []
    dissoutes: list[tuple[str, str]] = []
    centres: dict[int, Centre] = {}
    commissions = list(
        Commission.objects.filter(active=True, membres=examinateur).select_related("centre").prefetch_related("membres")
    )
    for k in commissions:
        centres[k.centre_id] = k.centre
        k.membres.remove(examinateur)
        restants = [x for x in k.membres.all() if x.pk != examinateur.pk]
        remplacant = _remplacant(examinateur, k, restants)
        if remplacant is not None:
            k.membres.add(remplacant)
            remplacements.append((k.centre.code, k.code, remplacant.code))
        elif len(restants) < _membres_requis(reglement, k.epreuves):
            k.active = False
            k.save(update_fields=["active"])
            dissoutes.append((k.centre.code, k.code))
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="examinateurs.examinateur",
        objet_id=examinateur.pk,
        objet_libelle=f"examinateur {examinateur.code} — désistement",
        avant={"commissions": [f"{k.centre.code}/{k.code}" for k in commissions]},
        apres={"remplacements": remplacements, "dissoutes": dissoutes},
        motif=motif,
    )
    return RapportDesistement(examinateur.code, tuple(remplacements), tuple(dissoutes), tuple(centres.values()))


@transaction.atomic
def retirer_disponibilites(
    examinateur: Examinateur, *, dates: Sequence[dt.date], par: str, motif: str = ""
) -> tuple[Centre, ...]:
    """L'examinateur n'est plus disponible ces jours-là (il garde ses commissions) : ses demi-journées de ces
    dates sont retirées (tracé). Rend les centres de ses commissions actives, à replanifier."""
    from examens.apps.examinateurs.models import Disponibilite

    retirees = Disponibilite.objects.filter(examinateur=examinateur, date__in=list(dates))
    avant = sorted(f"{d.isoformat()} {demi}" for d, demi in retirees.values_list("date", "demi_journee"))
    if not avant:
        raise PlanificationImpossible(
            f"L'examinateur {examinateur.code} n'a aucune disponibilité le(s) "
            f"{', '.join(d.strftime('%d/%m/%Y') for d in dates)} : rien à retirer."
        )
    retirees.delete()
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="examinateurs.examinateur",
        objet_id=examinateur.pk,
        objet_libelle=f"examinateur {examinateur.code} — disponibilités retirées",
        avant={"disponibilites": avant},
        apres={"disponibilites": []},
        motif=motif,
    )
    centres = Centre.objects.filter(commissions__membres=examinateur, commissions__active=True).distinct()
    return tuple(centres.order_by("code"))


def _remplacant(sortant: Examinateur, commission: Commission, restants: Sequence[Examinateur]) -> Examinateur | None:
    occupes = Commission.objects.filter(
        session=commission.session_id, nature=commission.nature, active=True, membres__isnull=False
    ).values("membres")
    candidats = (
        Examinateur.objects.filter(
            session=sortant.session_id,
            academie_id=commission.centre.academie_id,
            qualite=sortant.qualite,
            langue=sortant.langue,
        )
        .filter(Q(bloc=sortant.bloc) | Q(bloc__isnull=True))
        .exclude(pk__in=occupes)
        .exclude(desistement__isnull=False)
        .exclude(pk=sortant.pk)
        .order_by("code")
    )
    liste = list(candidats)
    if not liste:
        return None
    creneaux = disponibilites([x.pk for x in liste] + [x.pk for x in restants])
    communs = set.intersection(*(creneaux.get(x.pk, set()) for x in restants)) if restants else None

    def score(x: Examinateur) -> int:
        s = creneaux.get(x.pk, set())
        return len(s & communs) if communs is not None else len(s)

    return max(liste, key=score)  # le premier par code des ex aequo


# --------------------------------------------------------------------------- épreuves de contrôle


@transaction.atomic
def choisir_epreuves_controle(candidat: Candidat, *, epreuves: Sequence[str], par: str) -> ChoixControle:
    """Enregistre les épreuves de contrôle choisies par le candidat (§4.4) : parmi celles que sa décision en
    vigueur permet, autant qu'elle en fixe. Refusé si la délibération de son jury est verrouillée."""
    verifier_deliberation_ouverte(candidat=candidat)
    decision = DecisionJury.objects.en_vigueur().filter(candidat=candidat).first()
    if decision is None or decision.decision != Decision.CONTROLE:
        raise PlanificationImpossible(f"Le candidat {candidat.numero} n'est pas admissible aux épreuves de contrôle.")
    erreur = _choix_invalide(list(epreuves), decision)
    if erreur:
        raise PlanificationImpossible(f"Candidat {candidat.numero} : {erreur}")
    choix, _ = ChoixControle.objects.update_or_create(
        candidat=candidat, defaults={"epreuves": list(epreuves), "saisi_par": par, "saisi_le": timezone.now()}
    )
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="candidats.candidat",
        objet_id=candidat.pk,
        objet_libelle=f"candidat {candidat.numero} — épreuves de contrôle choisies",
        apres={"epreuves": list(epreuves)},
    )
    return choix


def _choix_invalide(epreuves: list[str], decision: DecisionJury) -> str | None:
    possibles = list(decision.epreuves_controle_possibles)
    nombre = min(decision.nombre_epreuves_controle or len(possibles), len(possibles))
    hors = [e for e in epreuves if e not in possibles]
    if hors:
        return f"{', '.join(hors)} : épreuve(s) de contrôle non permise(s) (possibles : {', '.join(possibles)})."
    if len(set(epreuves)) != len(epreuves) or len(epreuves) != nombre:
        return f"choisissez {nombre} épreuve(s) de contrôle distinctes parmi {', '.join(possibles)}."
    return None


def planifier_controle(
    *,
    session: ExamSession,
    centre: Centre,
    dates: Sequence[dt.date],
    par: str,
    jury: Jury | None = None,
    examinateurs: Mapping[str, Sequence[Examinateur]] | None = None,
    choix: Mapping[str, Sequence[str]] | None = None,
    plages: Mapping[str, tuple[str, str]] = PLAGES_PAR_DEFAUT,
    solveur: str = "cpsat",
    duree_max: float = 60.0,
    workers: int = 0,
    graine: int = 0,
    plafond_attente: float | None = None,
    publier: bool = False,
    motif: str = "",
) -> ResultatPlanification:
    """Planifie au centre les épreuves de contrôle (second groupe, D.2022-850 : 20 min de préparation en
    loge puis 20 min d'oral, durées du règlement) des candidats admissibles au contrôle.

    Candidats : décision en vigueur « contrôle », non désistés ; ceux du jury (ses centres et ceux qui lui sont
    confiés) si `jury` est donné, sinon ceux du centre. Épreuves : `choix[numéro]`, sinon le choix enregistré
    (`choisir_epreuves_controle`), sinon toutes les possibles quand il n'y en a pas plus que le nombre fixé ;
    un candidat sans choix est écarté (`ecartes`). Dans le format, l'épreuve de contrôle de E1 est `CTRL_E1`.

    Commissions (un examinateur chacune **[décision]**) : `examinateurs["E1"]`, `["E3"]`… ; pour E2, à défaut,
    les enseignants de langue (non désistés) de l'académie du centre, dans les langues des candidats. Un examinateur
    siège sur ses disponibilités saisies à ces dates, à défaut sur toutes les demi-journées des `dates`.
    Une version de contrôle en vigueur sert de référence : replanifier bouge le moins possible.
    """
    _verifier_options(solveur, plafond_attente)
    if not dates:
        raise PlanificationImpossible("Donnez au moins une date pour les épreuves de contrôle.")
    reglement = reglement_fourni(session.reglement)
    inconnues = sorted(set(examinateurs or {}) - set(reglement.controle.epreuves))
    if inconnues:
        raise PlanificationImpossible(
            f"{', '.join(inconnues)} : pas une épreuve de contrôle (épreuves : {', '.join(reglement.controle.epreuves)})."
        )
    qs = (
        candidats_concernes(session=session, jury=jury)
        if jury is not None
        else Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
    )
    decisions = list(
        DecisionJury.objects.en_vigueur()
        .filter(candidat__in=qs, decision=Decision.CONTROLE)
        .select_related("candidat__etablissement")
        .order_by("candidat__numero")
    )
    enregistres = dict(
        ChoixControle.objects.filter(candidat__in=[d.candidat_id for d in decisions]).values_list(
            "candidat_id", "epreuves"
        )
    )
    choix = choix or {}
    candidats: list[dict[str, Any]] = []
    ecartes: list[tuple[str, str]] = []
    for d in decisions:
        c = d.candidat
        possibles = list(d.epreuves_controle_possibles)
        retenues = choix.get(c.numero) or enregistres.get(c.pk)
        if retenues is None:
            if len(possibles) > d.nombre_epreuves_controle:
                ecartes.append((c.numero, "choix des épreuves de contrôle non saisi"))
                continue
            retenues = possibles
        erreur = _choix_invalide(list(retenues), d)
        if erreur:
            ecartes.append((c.numero, erreur))
            continue
        codes = [code_controle(e) for e in reglement.controle.epreuves if e in retenues]
        donnees: dict[str, Any] = {"id": c.numero, "etablissement": c.etablissement.uai if c.etablissement else None}
        donnees["epreuves"] = codes
        langues = {code_controle(e): c.langue_e2 for e in retenues if reglement.epreuve(e).langue}
        if langues:
            donnees["langues"] = langues
        if c.temps_majore:
            donnees["majoration"] = True
        candidats.append(donnees)
    if not candidats:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucun candidat admissible au contrôle à planifier"
            + (f" ({len(ecartes)} écarté(s) : {ecartes[0][0]} — {ecartes[0][1]})." if ecartes else ".")
        )
    epreuves = {
        code_controle(e): description_controle(reglement, e)
        for e in reglement.controle.epreuves
        if any(code_controle(e) in c["epreuves"] for c in candidats)
    }
    langues_demandees = {lg for c in candidats for lg in c.get("langues", {}).values()}
    de_langue = {e for e in reglement.controle.epreuves if reglement.epreuve(e).langue}
    designes: dict[str, list[Examinateur]] = {e: list(xs) for e, xs in (examinateurs or {}).items()}
    desistes = sorted(
        DesistementExaminateur.objects.filter(examinateur__in=[x for xs in designes.values() for x in xs]).values_list(
            "examinateur__code", flat=True
        )
    )
    if desistes:
        raise PlanificationImpossible(f"Examinateur(s) désisté(s), à ne pas désigner : {', '.join(desistes)}.")
    for e in sorted(de_langue):
        if e not in designes and code_controle(e) in epreuves:  # à défaut : les enseignants des langues demandées
            designes[e] = list(
                Examinateur.objects.filter(
                    session=session, academie_id=centre.academie_id, langue__in=sorted(langues_demandees)
                )
                .exclude(desistement__isnull=False)
                .order_by("code")
            )
    commissions = _commissions_controle(session=session, centre=centre, designes=designes, de_langue=de_langue)
    dates_set = set(dates)
    saisies = disponibilites([k.membres.all()[0].pk for k in commissions], dates=dates)
    toutes = {(d, demi) for d in dates for demi in plages}
    instance_commissions = []
    examinateurs_instance: dict[str, str | None] = {}
    for k in commissions:
        x = k.membres.all()[0]
        creneaux = {c for c in saisies.get(x.pk, set()) if c[0] in dates_set} or toutes
        code = k.epreuves[0]
        if code not in epreuves:
            continue
        donnees_k: dict[str, Any] = {"id": k.code, "epreuves": [code]}
        if epreuves[code].get("langue"):
            donnees_k["langue"] = k.langue
        donnees_k["membres"] = [x.code]
        if k.salle is not None:
            donnees_k["salle"] = k.salle.nom
        donnees_k["disponible"] = disponible_par_date(creneaux, plages)
        instance_commissions.append(donnees_k)
        examinateurs_instance[x.code] = x.etablissement.uai if x.etablissement else None
    reference = version_en_vigueur(session=session, centre=centre, nature=Nature.CONTROLE)
    donnees = assembler_instance(
        nom=f"{centre.nom} ({centre.code}) — épreuves de contrôle, {session.intitule}",
        centre=centre,
        jours=sorted(d.isoformat() for d in dates_set),
        plages=plages,
        epreuves=epreuves,
        commissions=instance_commissions,
        examinateurs=examinateurs_instance,
        candidats=candidats,
        sujets=(),
        regles={"conflit_etablissement": reglement.organisation.conflit_etablissement_ponctuelle},
        reference=reference.resultat if reference is not None else None,
    )
    resultat, bornes, stats = _resoudre(
        donnees,
        centre=centre,
        solveur=solveur,
        duree_max=duree_max,
        workers=workers,
        graine=graine,
        progression=None,
        plafond_attente=plafond_attente,
    )
    version = _enregistrer(
        session=session,
        centre=centre,
        nature=Nature.CONTROLE,
        donnees=donnees,
        resultat=resultat,
        bornes=bornes,
        statistiques=stats,
        par=par,
        motif=_avec_plafond(motif or "planification des épreuves de contrôle", plafond_attente),
        reference=reference,
        jury=jury,
        publier=publier,
    )
    return _resultat(version, stats, ecartes=tuple(ecartes))


@transaction.atomic
def _commissions_controle(
    *, session: ExamSession, centre: Centre, designes: Mapping[str, Sequence[Examinateur]], de_langue: set[str]
) -> list[Commission]:
    """Une commission d'un examinateur par (épreuve, examinateur), de code stable « C-E1-X0001 » : une
    replanification retrouve les mêmes commissions. Les autres commissions de contrôle du centre sont dissoutes."""
    salles = list(Salle.objects.filter(centre=centre, type=Salle.Type.ORAL).order_by("nom"))
    gardees: list[int] = []
    for epreuve in sorted(designes):
        for x in sorted(designes[epreuve], key=lambda x: x.code):
            if epreuve in de_langue and not x.langue:
                continue
            rang = len(gardees)
            k, _ = Commission.objects.update_or_create(
                session=session,
                centre=centre,
                code=f"C-{epreuve}-{x.code}",
                defaults={
                    "nature": Nature.CONTROLE,
                    "epreuves": [code_controle(epreuve)],
                    "langue": x.langue if epreuve in de_langue else "",
                    "salle": salles[rang] if rang < len(salles) else None,
                    "active": True,
                },
            )
            k.membres.set([x])
            gardees.append(k.pk)
    Commission.objects.filter(session=session, centre=centre, nature=Nature.CONTROLE).exclude(pk__in=gardees).update(
        active=False
    )
    return list(
        Commission.objects.filter(pk__in=gardees)
        .select_related("salle")
        .prefetch_related("membres__etablissement")
        .order_by("code")
    )


# --------------------------------------------------------------------------- une session en tâches parallèles


def planifier_session(
    *,
    session: ExamSession,
    par: str,
    solveur: str = "cpsat",
    duree_max: float = 60.0,
    workers: int = 0,
    graine: int = 0,
    publier: bool = False,
    plafond_attente: float | None = None,
    en_tache: bool = True,
    progression: Callable[[ProgressionCampagne, EtapeCampagne], None] | None = None,
) -> Campagne:
    """Planifie tous les centres de la session : une étape par centre.

    `en_tache` : chaque étape est une tâche de fond (file « planification ») ; plusieurs `examens gerer
    db_worker --queue-name planification`, sur cette machine ou d'autres reliées à la même base PostgreSQL,
    planifient des centres en parallèle. Sinon les centres sont planifiés ici, l'un après l'autre, et
    `progression` est appelée après chacun. Les commissions sont composées d'abord, centre par centre (un
    examinateur ne siège que dans un centre), avant que les tâches ne partent.
    """
    _verifier_options(solveur, plafond_attente)
    centres = centres_de_la_session(session)
    reglement = reglement_fourni(session.reglement)
    a_planifier = [c for c in centres if candidats_du_centre(session=session, centre=c, reglement=reglement)]
    if not a_planifier:
        raise PlanificationImpossible(f"Session {session.code} : aucun centre n'a de candidat à l'oral.")
    for centre in a_planifier:
        composer_commissions(session=session, centre=centre, par=par)
    from examens.apps.planification.tasks import planifier_centre_en_tache

    with transaction.atomic():
        campagne = Campagne.objects.create(
            session=session,
            lancee_par=par,
            solveur=solveur,
            parametres={
                "duree_max": duree_max,
                "workers": workers,
                "graine": graine,
                "publier": publier,
                "plafond_attente": plafond_attente,
            },
        )
        etapes = EtapeCampagne.objects.bulk_create([EtapeCampagne(campagne=campagne, centre=c) for c in a_planifier])
        tracer(
            acteur=par,
            action=Trace.Action.CREATION,
            objet_type="planification.campagne",
            objet_id=campagne.pk,
            objet_libelle=f"planification de la session {session.code}",
            apres={"centres": [c.code for c in a_planifier], "solveur": solveur, "en_tache": en_tache},
        )
        if en_tache:
            for etape in etapes:
                resultat = planifier_centre_en_tache.enqueue(etape.pk)
                etape.tache = str(resultat.id)
                EtapeCampagne.objects.filter(pk=etape.pk).update(tache=etape.tache)
    if not en_tache:
        for etape in etapes:
            executer_etape(etape.pk)
            if progression is not None:
                etape.refresh_from_db()
                progression(progression_campagne(campagne), etape)
    return campagne


def executer_etape(etape_id: int) -> dict[str, Any]:
    """Planifie le centre d'une étape de campagne et tient l'étape à jour (corps de la tâche de fond).

    Une erreur du domaine (centre sans loge, sans disponibilité…) termine l'étape en échec avec son message ;
    une erreur inattendue aussi, puis remonte (la tâche est alors « échouée », avec sa trace de pile).
    """
    etape = EtapeCampagne.objects.select_related("campagne__session", "centre").get(pk=etape_id)
    if etape.statut == EtapeCampagne.Statut.TERMINEE:
        return {"statut": etape.statut, "version": etape.version_id}
    EtapeCampagne.objects.filter(pk=etape.pk).update(statut=EtapeCampagne.Statut.EN_COURS, debut=timezone.now())
    campagne = etape.campagne
    p = campagne.parametres
    debut = time.monotonic()
    try:
        resultat = planifier_centre(
            etape.centre,
            session=campagne.session,
            par=campagne.lancee_par,
            solveur=campagne.solveur,
            duree_max=float(p.get("duree_max", 60.0)),
            workers=int(p.get("workers", 0)),
            graine=int(p.get("graine", 0)),
            publier=bool(p.get("publier", False)),
            plafond_attente=None if p.get("plafond_attente") is None else float(p["plafond_attente"]),
            motif=f"campagne de planification n° {campagne.pk}",
            composer=False,
        )
    except ErreurExamens as erreur:
        EtapeCampagne.objects.filter(pk=etape.pk).update(
            statut=EtapeCampagne.Statut.ECHEC, message=str(erreur), fin=timezone.now()
        )
        return {"statut": EtapeCampagne.Statut.ECHEC.value, "message": str(erreur)}
    except Exception as erreur:
        EtapeCampagne.objects.filter(pk=etape.pk).update(
            statut=EtapeCampagne.Statut.ECHEC, message=f"erreur inattendue : {erreur!r}", fin=timezone.now()
        )
        raise
    EtapeCampagne.objects.filter(pk=etape.pk).update(
        statut=EtapeCampagne.Statut.TERMINEE, version=resultat.version, message=resultat.resume(), fin=timezone.now()
    )
    return {
        "statut": EtapeCampagne.Statut.TERMINEE.value,
        "version": resultat.version.pk,
        "passages": resultat.passages,
        "non_planifies": len(resultat.non_planifies),
        "duree_s": round(time.monotonic() - debut, 2),
    }


# --------------------------------------------------------------------------- aménagements manuels (application web)


def deplacer_passage(
    *, passage: Passage, commission: str, date: dt.date, debut: dt.time, par: str, motif: str
) -> ResultatPlanification:
    """Déplace un passage (et l'épreuve qui l'enchaîne, comme l'engagement étudiant après l'E6) vers une autre
    commission ou un autre début, en heure locale du centre. Le planning modifié est relu par le vérificateur
    indépendant contre l'instance que la version a résolue : refusé, rien n'est écrit (`DeplacementRefuse`, qui
    nomme les règles enfreintes) ; accepté, il devient une nouvelle version (brouillon) dont la référence est
    la version modifiée (`changements` : les passages déplacés)."""
    from examens.planning.formats import lire_instance, planning_vers_dict
    from examens.planning.verificateur import REGLES, verifier

    if not motif.strip():
        raise DeplacementRefuse("Indiquez le motif du déplacement (il est gardé avec la nouvelle version).")
    version = VersionPlanning.objects.select_related("session", "centre", "jury").get(pk=passage.version_id)
    numero, epreuve = passage.candidat.numero, passage.epreuve
    if version.statut == VersionPlanning.Statut.REMPLACE:
        raise DeplacementRefuse(
            f"La version {version.numero} du centre {version.centre.code} a été remplacée par une version publiée "
            "plus récente : déplacez le passage dans celle-ci."
        )
    donnees = {**version.instance, "reference": version.resultat}
    instance = lire_instance(donnees)
    actuel = planning_enregistre(version)
    ancien = next((p for p in actuel.passages if (p.candidat, p.epreuve) == (numero, epreuve)), None)
    if ancien is None:
        raise DeplacementRefuse(f"{numero}/{epreuve} : passage absent de la version {version.numero}.")
    decalage = debut.hour * 60 + debut.minute - ancien.debut
    salles = {k.id: k.salle for k in instance.commissions}
    enchaines = {
        (p.candidat, p.epreuve)
        for p in actuel.passages
        if p.candidat == numero and p.epreuve in instance.epreuves and instance.epreuves[p.epreuve].suit == epreuve
    }

    def deplace(p: Any) -> Any:
        if (p.candidat, p.epreuve) != (numero, epreuve) and (p.candidat, p.epreuve) not in enchaines:
            return p
        return replace(
            p,
            commission=commission,
            date=date.isoformat(),
            debut=p.debut + decalage,
            fin=p.fin + decalage,
            preparation=None if p.preparation is None else p.preparation + decalage,
            salle=salles.get(commission, p.salle),
        )

    nouveau = replace(actuel, passages=tuple(deplace(p) for p in actuel.passages))
    if nouveau.passages == actuel.passages:
        raise DeplacementRefuse(f"{numero}/{epreuve} : le passage est déjà à cet endroit ; rien à déplacer.")
    if min((p.preparation if p.preparation is not None else p.debut) for p in nouveau.passages) < 0:
        raise DeplacementRefuse(f"{numero}/{epreuve} : la préparation commencerait la veille ; choisissez plus tard.")
    rapport = verifier(instance, nouveau)
    if not rapport.valide:
        regles = tuple(f"règle {n} : {REGLES[n]}" for n in sorted(rapport.regles_violees()))
        details = "; ".join(v.message for v in rapport.violations[:3])
        raise DeplacementRefuse(
            f"Déplacement de {numero}/{epreuve} refusé : il enfreint la {' et la '.join(regles)} ({details}). "
            "Rien n'est enregistré.",
            regles=regles,
        )
    statistiques = replace(rapport.statistiques, methode="manuel")
    nouvelle = _enregistrer(
        session=version.session,
        centre=version.centre,
        nature=version.nature,
        donnees=donnees,
        resultat=planning_vers_dict(replace(nouveau, statistiques=statistiques)),
        bornes=version.bornes,
        statistiques=statistiques,
        par=par,
        motif=f"déplacement manuel de {numero}/{epreuve} (version {version.numero}) : {motif.strip()}",
        reference=version,
        jury=version.jury,
        publier=False,
    )
    return _resultat(nouvelle, statistiques)


def desister_et_replanifier(
    *,
    centre: Centre,
    session: ExamSession,
    par: str,
    motif: str,
    examinateur: Examinateur | None = None,
    solveur: str = "glouton",
) -> tuple[RapportDesistement | None, ResultatPlanification]:
    """Enregistre le désistement de l'examinateur (s'il est donné : `desister_examinateur`, qui le remplace ou
    dissout ses commissions), puis replanifie le centre en bougeant le moins de passages possible
    (`replanifier_centre`). Le désistement est enregistré même si la replanification échoue ensuite : la
    relancer sans examinateur suffit."""
    if not motif.strip():
        raise PlanificationImpossible("Indiquez le motif de la replanification.")
    rapport = desister_examinateur(examinateur, par=par, motif=motif) if examinateur is not None else None
    resultat = replanifier_centre(
        centre,
        session=session,
        par=par,
        motif=(f"désistement de l'examinateur {examinateur.code} : " if examinateur else "") + motif.strip(),
        solveur=solveur,
        duree_max=20.0,
    )
    return rapport, resultat
