"""Le jour J en centre : répartition en salles, surveillants, présences, procès-verbaux d'incident."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from examens.apps.candidats.models import Candidat, Dispense, NoteConservee
from examens.apps.ecrits.erreurs import IncidentInvalide, PresenceImpossible, SurveillanceImpossible
from examens.apps.ecrits.models import Absence, CommissionHarmonisation, Correspondance, Incident, Place, Surveillance
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.services import EcritureResultat, ecrire_resultats
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.core.ecrits import (
    REGLES_ECRITS,
    CandidatAPlacer,
    Destination,
    ReglesEcrits,
    RepartitionImpossible,
    SalleDisponible,
    TypeSalle,
    repartir,
)
from examens.core.reglement import reglement_fourni

# --- Répartition ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LigneRepartition:
    epreuve: str
    salle: str
    destination: Destination | None  # None : épreuve figée (présences saisies), répartition gardée
    effectif: int
    capacite: int


@dataclass
class RapportRepartition:
    centre: str
    appliquee: bool
    candidats: int = 0
    lignes: list[LigneRepartition] = field(default_factory=list)
    creees: int = 0
    deplacees: int = 0
    retirees: int = 0
    inchangees: int = 0
    figees: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    def resume(self) -> str:
        verbe = "" if self.appliquee else " (simulation : rien n'est enregistré sans --appliquer)"
        return (
            f"Centre {self.centre} : {self.candidats} candidat(s) aux écrits — places créées : {self.creees}, "
            f"déplacées : {self.deplacees}, retirées : {self.retirees}, inchangées : {self.inchangees}{verbe}."
        )


def _a_placer(session: ExamSession, centre: Centre) -> tuple[list[CandidatAPlacer], dict[int, set[str]]]:
    """Les candidats du centre qui composent au moins une épreuve écrite, et les épreuves de chacun (une
    épreuve d'une unité dispensée n'est pas composée, §5)."""
    reglement = reglement_fourni(session.reglement)
    calendrier = list(session.calendrier.all())
    unite_de = {e.epreuve: reglement.epreuve(e.epreuve).unite for e in calendrier}
    candidats = list(
        Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
        .order_by("numero")
        .values_list("id", "numero", "temps_majore", "salle_a_part", "secretaire", "ordinateur", "sujet_agrandi")
    )
    dispenses: dict[int, set[str]] = {}
    for cid, unite in Dispense.objects.filter(candidat_id__in=[c[0] for c in candidats]).values_list(
        "candidat_id", "unite"
    ):
        dispenses.setdefault(cid, set()).add(unite)
    epreuves_de: dict[int, set[str]] = {}
    a_placer = []
    for cid, numero, temps, a_part, secretaire, ordinateur, agrandi in candidats:
        composees = {code for code, unite in unite_de.items() if unite not in dispenses.get(cid, set())}
        if composees:
            epreuves_de[cid] = composees
            a_placer.append(CandidatAPlacer(cid, numero, temps, a_part, secretaire, ordinateur, agrandi))
    return a_placer, epreuves_de


def repartir_centre(
    *,
    session: ExamSession,
    centre: Centre,
    acteur: str,
    appliquer: bool = False,
    regles: ReglesEcrits = REGLES_ECRITS,
) -> RapportRepartition:
    """Répartit les candidats du centre dans ses salles pour chaque épreuve écrite du calendrier
    (`core.ecrits.repartir` : aménagements, capacités), et enregistre les places avec `appliquer`.

    Un candidat garde la même salle et la même table à toutes ses épreuves ; un candidat dispensé de l'unité
    n'a pas de place à cette épreuve. Une épreuve dont une présence est déjà saisie dans le centre est
    figée : sa répartition n'est pas refaite. Relancer sans changement ne change rien. Tracé (un résumé :
    l'historique ne porte pas la liste des candidats).
    """
    calendrier = {e.pk: e for e in session.calendrier.order_by("debut")}
    if not calendrier:
        raise RepartitionImpossible(
            "Le calendrier des épreuves écrites de la session est vide : saisissez-le d'abord (administration, "
            "« calendrier des épreuves écrites »)."
        )
    rapport = RapportRepartition(centre=centre.code, appliquee=appliquer)
    a_placer, epreuves_de = _a_placer(session, centre)
    rapport.candidats = len(a_placer)
    salles = {s.pk: s for s in Salle.objects.filter(centre=centre)}
    repartition = repartir(
        a_placer, [SalleDisponible(s.pk, s.nom, TypeSalle(s.type), s.capacite) for s in salles.values()], regles
    )
    ids = [c.cle for c in a_placer]
    with transaction.atomic():
        existantes = {
            (p.epreuve_id, p.candidat_id): p
            for p in Place.objects.select_for_update(of=("self",))
            .filter(epreuve__session=session)
            .filter(Q(salle__centre=centre) | Q(candidat_id__in=ids))
        }
        figees = {
            p.epreuve_id
            for p in existantes.values()
            if p.presence != Place.Presence.A_SAISIR and salles.get(p.salle_id) is not None
        }
        ailleurs = [
            p for p in existantes.values() if p.salle_id not in salles and p.presence != Place.Presence.A_SAISIR
        ]
        if ailleurs:
            raise RepartitionImpossible(
                f"{len(ailleurs)} candidat(s) du centre ont déjà une présence saisie dans un autre centre ; "
                "vérifiez leur centre d'examen avant de répartir."
            )
        voulues: dict[tuple[int, int], tuple[int, int]] = {}
        for p in repartition.places:
            for epreuve_id, e in calendrier.items():
                if e.epreuve in epreuves_de[p.candidat] and epreuve_id not in figees:
                    voulues[(epreuve_id, p.candidat)] = (p.salle, p.table)
        a_retirer = [p for cle, p in existantes.items() if cle[0] not in figees and cle not in voulues]
        a_creer: list[Place] = []
        for cle, (salle, table) in voulues.items():
            existante = existantes.get(cle)
            if existante is not None and (existante.salle_id, existante.numero) == (salle, table):
                rapport.inchangees += 1
                continue
            if existante is not None:
                rapport.deplacees += 1
                a_retirer.append(existante)
            else:
                rapport.creees += 1
            a_creer.append(Place(epreuve_id=cle[0], candidat_id=cle[1], salle_id=salle, numero=table))
        rapport.retirees = len(a_retirer) - rapport.deplacees
        for epreuve_id in sorted(figees, key=lambda pk: calendrier[pk].debut):
            e = calendrier[epreuve_id]
            rapport.figees.append(e.epreuve)
            sans_place = sum(
                1 for c in a_placer if e.epreuve in epreuves_de[c.cle] and (epreuve_id, c.cle) not in existantes
            )
            message = f"{e.epreuve} : présences déjà saisies, la répartition de cette épreuve est gardée telle quelle"
            if sans_place:
                message += f" ; {sans_place} candidat(s) sans place (placez-les à la main)"
            rapport.avertissements.append(message + ".")
        effectifs: dict[tuple[int, int], int] = {}
        for (epreuve_id, _), (salle, _) in voulues.items():
            effectifs[(epreuve_id, salle)] = effectifs.get((epreuve_id, salle), 0) + 1
        for p in existantes.values():
            if p.epreuve_id in figees and p.salle_id in salles:
                effectifs[(p.epreuve_id, p.salle_id)] = effectifs.get((p.epreuve_id, p.salle_id), 0) + 1
        for (epreuve_id, salle_id), n in sorted(
            effectifs.items(), key=lambda kv: (calendrier[kv[0][0]].debut, salles[kv[0][1]].nom)
        ):
            s = salles[salle_id]
            destination = None if epreuve_id in figees else repartition.destinations.get(salle_id)
            rapport.lignes.append(LigneRepartition(calendrier[epreuve_id].epreuve, s.nom, destination, n, s.capacite))
        for s in salles.values():
            if s.type == Salle.Type.ECRIT and s.pk not in repartition.destinations and repartition.places:
                rapport.avertissements.append(f"Salle « {s.nom} » inutilisée ({s.capacite} places).")
        if not appliquer or not (a_creer or a_retirer):
            if not appliquer:
                transaction.set_rollback(True)
            return rapport
        Place.objects.filter(pk__in=[p.pk for p in a_retirer]).delete()
        Place.objects.bulk_create(a_creer)
        tracer(
            acteur=acteur,
            action=Trace.Action.MODIFICATION,
            objet_type="ecrits.repartition",
            objet_id=centre.code,
            objet_libelle=f"répartition des écrits — centre {centre.code}",
            apres={
                "candidats": rapport.candidats,
                "creees": rapport.creees,
                "deplacees": rapport.deplacees,
                "retirees": rapport.retirees,
                "salles": [f"{ligne.epreuve} {ligne.salle} : {ligne.effectif}" for ligne in rapport.lignes],
            },
        )
    return rapport


@transaction.atomic
def deplacer_candidat(
    *, candidat: Candidat, salle: Salle, numero: int, acteur: str, motif: str, epreuve: EpreuveEcrite | None = None
) -> list[Place]:
    """Change la salle et la table d'un candidat (à toutes ses épreuves écrites, ou à `epreuve`). Tracé."""
    if candidat.centre_id != salle.centre_id:
        raise PresenceImpossible(f"Candidat {candidat.numero} : la salle « {salle.nom} » n'est pas dans son centre.")
    places = list(
        Place.objects.select_for_update(of=("self",)).filter(candidat=candidat).select_related("epreuve", "salle")
    )
    if epreuve is not None:
        places = [p for p in places if p.epreuve_id == epreuve.pk]
    if not places:
        raise PresenceImpossible(f"Candidat {candidat.numero} : aucune place aux écrits ; lancez la répartition.")
    traces = []
    for p in places:
        if p.presence != Place.Presence.A_SAISIR:
            raise PresenceImpossible(
                f"Candidat {candidat.numero}, {p.epreuve.epreuve} : présence déjà saisie, la place ne change plus."
            )
        prise = Place.objects.filter(epreuve_id=p.epreuve_id, salle=salle, numero=numero).exclude(pk=p.pk).first()
        if prise is not None:
            raise PresenceImpossible(
                f"{p.epreuve.epreuve} : la table {numero} de la salle « {salle.nom} » est déjà attribuée."
            )
        occupees = Place.objects.filter(epreuve_id=p.epreuve_id, salle=salle).exclude(pk=p.pk).count()
        if occupees >= salle.capacite:
            raise PresenceImpossible(f"{p.epreuve.epreuve} : la salle « {salle.nom} » est pleine.")
        avant = {"salle": p.salle.nom, "table": p.numero}
        p.salle, p.numero = salle, numero
        p.save(update_fields=["salle", "numero"])
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.MODIFICATION,
                objet_type="ecrits.place",
                objet_id=str(p.pk),
                objet_libelle=f"candidat {candidat.numero} — {p.epreuve.epreuve} — place",
                avant=avant,
                apres={"salle": salle.nom, "table": numero},
                motif=motif,
            )
        )
    tracer_en_masse(traces)
    return places


# --- Surveillants ---------------------------------------------------------------------------------


@transaction.atomic
def affecter_surveillants(
    *,
    epreuve: EpreuveEcrite,
    salle: Salle,
    acteur: str,
    examinateurs: Sequence[Examinateur] = (),
    noms: Sequence[str] = (),
) -> list[Surveillance]:
    """Les surveillants d'une salle pour une épreuve (remplace la liste) : des examinateurs de la session ou
    des personnes nommées. Une personne ne surveille qu'une salle à la fois. Tracé."""
    noms = [n.strip() for n in noms if n.strip()]
    for e in examinateurs:
        if e.session_id != epreuve.session_id:
            raise SurveillanceImpossible(f"L'examinateur {e.code} n'appartient pas à la session de l'épreuve.")
    ailleurs = (
        Surveillance.objects.filter(epreuve=epreuve, examinateur__in=list(examinateurs))
        .exclude(salle=salle)
        .select_related("salle", "examinateur")
    )
    for s in ailleurs:
        raise SurveillanceImpossible(
            f"{s.libelle} surveille déjà la salle « {s.salle.nom} » en {epreuve.epreuve} ; retirez-l'y d'abord."
        )
    # Une personne nommée (hors examinateurs) se reconnaît à son nom, sans tenir compte de la casse, dans le centre.
    homonymes = {
        s.nom.casefold(): s
        for s in Surveillance.objects.filter(
            epreuve=epreuve, salle__centre_id=salle.centre_id, examinateur__isnull=True
        )
        .exclude(salle=salle)
        .select_related("salle")
    }
    for n in noms:
        if (s := homonymes.get(n.casefold())) is not None:
            raise SurveillanceImpossible(
                f"{n} surveille déjà la salle « {s.salle.nom} » en {epreuve.epreuve} ; retirez-l'y d'abord."
            )
    if len({e.pk for e in examinateurs}) != len(examinateurs) or len({n.casefold() for n in noms}) != len(noms):
        raise SurveillanceImpossible("Un même surveillant figure deux fois dans la liste.")
    existantes = list(Surveillance.objects.select_for_update(of=("self",)).filter(epreuve=epreuve, salle=salle))
    avant = sorted(s.libelle for s in existantes)
    Surveillance.objects.filter(pk__in=[s.pk for s in existantes]).delete()
    nouvelles = [Surveillance(epreuve=epreuve, salle=salle, examinateur=e) for e in examinateurs]
    nouvelles += [Surveillance(epreuve=epreuve, salle=salle, nom=n) for n in noms]
    Surveillance.objects.bulk_create(nouvelles)
    apres = sorted(s.libelle for s in nouvelles)
    if avant != apres:
        tracer(
            acteur=acteur,
            action=Trace.Action.MODIFICATION,
            objet_type="ecrits.surveillance",
            objet_id=f"{epreuve.pk}:{salle.pk}",
            objet_libelle=f"surveillants — {epreuve.epreuve} — salle {salle.nom}",
            avant={"surveillants": avant},
            apres={"surveillants": apres},
        )
    return nouvelles


# --- Présences ------------------------------------------------------------------------------------


@dataclass
class BilanPresences:
    presents: int = 0
    absents: int = 0
    a_saisir: int = 0
    changees: int = 0

    def resume(self) -> str:
        return (
            f"{self.presents} présent(s), {self.absents} absent(s), {self.a_saisir} à saisir ; "
            f"{self.changees} présence(s) enregistrée(s)."
        )


def harmonisation_verrouillee(epreuve: EpreuveEcrite) -> bool:
    return CommissionHarmonisation.objects.filter(
        epreuve=epreuve, statut=CommissionHarmonisation.Statut.VERROUILLEE
    ).exists()


@transaction.atomic
def saisir_presences(
    *,
    epreuve: EpreuveEcrite,
    salle: Salle,
    presences: Mapping[int, Place.Presence | str],
    acteur: str,
    maintenant: datetime | None = None,
) -> BilanPresences:
    """Saisie des présents et absents d'une salle (par identifiant de candidat) ; tout ou rien, tracé.

    Un absent reçoit AB à l'épreuve (Circ. 1.6) — sauf s'il garde une note conservée, qui reste — et une
    `Absence` à statuer par la division des examens. Un absent corrigé en présent perd son AB, si l'absence
    n'a pas été statuée. Un présent dont la copie est déjà anonymisée ne devient plus absent.
    """
    maintenant = maintenant or timezone.now()
    if maintenant < epreuve.debut:
        raise PresenceImpossible(f"{epreuve.epreuve} n'a pas commencé : les présences se saisissent dès le début.")
    if harmonisation_verrouillee(epreuve):
        raise PresenceImpossible(
            f"{epreuve.epreuve} : l'harmonisation est verrouillée, les présences ne changent plus."
        )
    places = {
        p.candidat_id: p
        for p in Place.objects.select_for_update(of=("self",))
        .filter(epreuve=epreuve, salle=salle)
        .select_related("candidat")
        .order_by("numero")
    }
    inconnus = sorted(set(presences) - set(places))
    if inconnus:
        raise PresenceImpossible(
            f"{len(inconnus)} candidat(s) n'ont pas de place dans la salle « {salle.nom} » en {epreuve.epreuve}."
        )
    valeurs = {cid: Place.Presence(v) for cid, v in presences.items()}
    changees = [p for cid, p in places.items() if cid in valeurs and p.presence != valeurs[cid]]
    ids = [p.candidat_id for p in changees]
    anonymisees = set(
        Correspondance.objects.filter(epreuve=epreuve, candidat_id__in=ids).values_list("candidat_id", flat=True)
    )
    absences = {a.place_id: a for a in Absence.objects.filter(place__in=changees).prefetch_related("justificatifs")}
    conservees = set(
        NoteConservee.objects.filter(candidat_id__in=ids, epreuve=epreuve.epreuve).values_list("candidat_id", flat=True)
    )
    ecritures: list[EcritureResultat] = []
    nouvelles_absences: list[Absence] = []
    absences_retirees: list[int] = []
    traces: list[Trace] = []
    for p in changees:
        nouvelle = valeurs[p.candidat_id]
        numero = p.candidat.numero
        if p.presence == Place.Presence.PRESENT and p.candidat_id in anonymisees:
            raise PresenceImpossible(
                f"Candidat {numero} : sa copie de {epreuve.epreuve} est déjà anonymisée ; il ne peut plus être "
                "déclaré absent."
            )
        absence = absences.get(p.pk)
        if nouvelle == Place.Presence.ABSENT:
            if absence is None:
                nouvelles_absences.append(Absence(place=p, constatee_par=acteur, constatee_le=maintenant))
            if p.candidat_id not in conservees:  # une note conservée reste : l'absent ne l'a pas remise en jeu
                ecritures.append(EcritureResultat(p.candidat_id, epreuve.epreuve, EtatBase.ABSENT))
        elif absence is not None:
            if absence.decision != Absence.Decision.EN_ATTENTE or absence.justificatifs.all():
                raise PresenceImpossible(
                    f"Candidat {numero} : son absence en {epreuve.epreuve} a un justificatif ou une décision ; "
                    "la division des examens doit la reprendre avant de le déclarer présent."
                )
            absences_retirees.append(absence.pk)
            if p.candidat_id not in conservees:
                ecritures.append(EcritureResultat(p.candidat_id, epreuve.epreuve, None))
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.MODIFICATION,
                objet_type="ecrits.place",
                objet_id=str(p.pk),
                objet_libelle=f"candidat {numero} — {epreuve.epreuve} — présence",
                avant={"presence": p.presence},
                apres={"presence": str(nouvelle)},
            )
        )
        p.presence, p.presence_saisie_par, p.presence_saisie_le = nouvelle, acteur, maintenant
    Place.objects.bulk_update(changees, ["presence", "presence_saisie_par", "presence_saisie_le"])
    Absence.objects.filter(pk__in=absences_retirees).delete()
    Absence.objects.bulk_create(nouvelles_absences)
    ecrire_resultats(ecritures=ecritures, acteur=acteur, motif=f"présences de {epreuve.epreuve}, salle {salle.nom}")
    tracer_en_masse(traces)
    bilan = BilanPresences(changees=len(changees))
    for p in places.values():
        if p.presence == Place.Presence.PRESENT:
            bilan.presents += 1
        elif p.presence == Place.Presence.ABSENT:
            bilan.absents += 1
        else:
            bilan.a_saisir += 1
    return bilan


# --- Procès-verbaux d'incident ----------------------------------------------------------------------


@transaction.atomic
def consigner_incident(
    *,
    epreuve: EpreuveEcrite,
    nature: Incident.Nature | str,
    description: str,
    acteur: str,
    salle: Salle | None = None,
    candidat: Candidat | None = None,
    survenu_le: datetime | None = None,
    mesures: str = "",
) -> Incident:
    """Procès-verbal d'incident ou de suspicion de fraude (qui désigne le candidat). Tracé ; un procès-verbal
    ne se modifie pas : un complément est un nouveau procès-verbal."""
    nature = Incident.Nature(nature)
    if not description.strip():
        raise IncidentInvalide("Décrivez les faits constatés.")
    if nature == Incident.Nature.SUSPICION_FRAUDE and candidat is None:
        raise IncidentInvalide("Une suspicion de fraude désigne le candidat concerné.")
    if candidat is not None:
        place = Place.objects.filter(epreuve=epreuve, candidat=candidat).select_related("salle").first()
        if place is None:
            raise IncidentInvalide(f"Le candidat {candidat.numero} n'a pas de place en {epreuve.epreuve}.")
        if salle is None:
            salle = place.salle
        elif salle.pk != place.salle_id:
            raise IncidentInvalide(
                f"Le candidat {candidat.numero} compose en salle « {place.salle.nom} », pas en « {salle.nom} »."
            )
    incident = Incident.objects.create(
        epreuve=epreuve,
        salle=salle,
        candidat=candidat,
        nature=nature,
        survenu_le=survenu_le or timezone.now(),
        description=description.strip(),
        mesures=mesures.strip(),
        redige_par=acteur,
    )
    libelle = f"{nature.label} — {epreuve.epreuve}"
    if candidat is not None:
        libelle += f" — candidat {candidat.numero}"
    apres: dict[str, Any] = {
        "nature": str(nature),
        "salle": salle.nom if salle is not None else None,
        "survenu_le": incident.survenu_le.isoformat(),
        "description": incident.description,
        "mesures": incident.mesures,
    }
    tracer(
        acteur=acteur,
        action=Trace.Action.CREATION,
        objet_type="ecrits.incident",
        objet_id=incident.pk,
        objet_libelle=libelle,
        apres=apres,
    )
    return incident
