"""Bornes inférieures des critères de qualité, calculées avant toute recherche.

Elles disent si un centre est impossible avec ses jours, commissions, places de loge ou postes, et de
combien de passages au moins. Un *groupe* de commissions est une composante connexe : deux commissions
sont reliées quand une même tâche peut passer devant l'une ou l'autre ; les groupes ne partagent donc
aucune tâche et leurs déficits s'additionnent.

Demi-journées de commission : pour chaque groupe, le plus petit nombre de demi-journées (commission,
date, plage), prises parmi les plus grandes, dont les capacités totalisent les minutes du groupe ; la
capacité d'une demi-journée tient compte de la préparation (qui doit tenir dans la plage), de la
disponibilité de la commission et des durées des épreuves (`probleme.capacites_demi_journees`). Elle
est au moins la borne du format (⌈minutes ÷ plus longue plage⌉), puisqu'aucune capacité ne dépasse la
plus longue plage.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from examens.planning.formats import Instance, Plage, Planning
from examens.planning.probleme import Probleme, Tache, capacites_demi_journees, construire, groupes_de_commissions


@dataclass(frozen=True, slots=True)
class Capacite:
    """Demande contre capacité d'une ressource, en minutes, sur tous les jours du centre."""

    ressource: str
    demande: int
    capacite: int
    passages_en_trop: int


@dataclass(frozen=True, slots=True)
class Impossible:
    candidat: str
    epreuve: str
    raison: str


@dataclass(frozen=True, slots=True)
class Bornes:
    non_planifies: int
    jours_candidats: int
    attente_minutes: int
    demi_journees_commissions: int
    capacites: tuple[Capacite, ...]
    impossibles: tuple[Impossible, ...]

    @property
    def faisable(self) -> bool:
        return self.non_planifies == 0


def _intersection(a: tuple[Plage, ...], b: tuple[Plage, ...], pas: int) -> int:
    total = 0
    for x in a:
        for y in b:
            debut = -(-max(x.debut, y.debut) // pas) * pas
            fin = min(x.fin, y.fin) // pas * pas
            total += max(0, fin - debut)
    return total


def _en_trop(demandes: list[tuple[int, int]], capacite: int) -> int:
    """Nombre minimal de passages à retirer (les plus longs d'abord) pour que la demande tienne."""
    demande = sum(m for m, _ in demandes)
    retires = 0
    for minutes, passages in sorted(demandes, reverse=True):
        if demande <= capacite:
            break
        demande -= minutes
        retires += passages
    return retires


def _plus_petit_nombre(tailles: list[int], demande: int, plus_longue: int) -> int:
    """Le plus petit k tel que les k plus grandes `tailles` totalisent `demande` ; si toutes n'y
    suffisent pas, ⌈demande ÷ plus longue plage⌉, borné par le nombre de tailles."""
    cumul = 0
    for k, taille in enumerate(sorted(tailles, reverse=True), start=1):
        cumul += taille
        if cumul >= demande:
            return k
    return min(len(tailles), math.ceil(demande / plus_longue))


def _demi_journees(probleme: Probleme, taches: list[Tache], demande: int, plus_longue: int) -> int:
    """Au moins autant de demi-journées qu'il en faut, les plus grandes d'abord, pour loger la demande.

    Chaque demi-journée (commission, date, plage) du groupe contient au plus `capacites_demi_journees`
    minutes d'épreuve (préparation dans la plage, passages disjoints de durées connues) : pour loger
    `demande` minutes, il faut au moins le plus petit nombre k tel que les k plus grandes capacités
    totalisent `demande`. Si même toutes n'y suffisent pas (centre infaisable), on revient à l'ancienne
    borne ⌈demande ÷ plus longue plage⌉, bornée par le nombre de demi-journées.
    """
    return _plus_petit_nombre(list(capacites_demi_journees(probleme, taches).values()), demande, plus_longue)


def demi_journees_a_jours_fixes(instance: Instance, planning: Planning, probleme: Probleme | None = None) -> int:
    """La borne des demi-journées, calculée jour par jour avec les jours des passages de `planning`.

    Pour chaque groupe de commissions et chaque jour : le plus petit nombre de demi-journées de ce jour
    dont les capacités couvrent la demande du groupe ce jour-là. Ce n'est une borne que pour les
    plannings qui gardent ces jours : elle dit quelle part de l'écart à la borne vient de la répartition
    des candidats par jour (une langue rare venue trois jours ouvre trois demi-journées) et quelle part
    de l'intérieur des jours. Les passages absents de `planning` ne comptent pas.
    """
    probleme = probleme or construire(instance)
    dates = {(p.candidat, p.epreuve): p.date for p in planning.passages}
    taches = [t for t in probleme.taches if t.raison is None and (t.candidat, t.epreuves[0]) in dates]
    plus_longue = max(p.minutes for j in instance.jours for p in j.plages)
    total = 0
    for liste in groupes_de_commissions(taches)[0].values():
        capacites = capacites_demi_journees(probleme, liste)
        demande: dict[str, int] = defaultdict(int)
        for t in liste:
            demande[dates[(t.candidat, t.epreuves[0])]] += t.duree
        for date, minutes in demande.items():
            tailles = [v for (_, d, _), v in capacites.items() if d == date]
            total += _plus_petit_nombre(tailles, minutes, plus_longue)
    return total


def calculer_bornes(instance: Instance, probleme: Probleme | None = None) -> Bornes:
    probleme = probleme or construire(instance)
    pas = instance.pas
    taches = [t for t in probleme.taches if t.raison is None]
    impossibles = tuple(
        Impossible(t.candidat, code, t.raison) for t in probleme.taches if t.raison is not None for code in t.epreuves
    )
    jours = {j.date: j.plages for j in instance.jours}
    minutes_centre = sum(p.minutes for plages in jours.values() for p in plages)

    groupes, racine = groupes_de_commissions(taches, (c.id for c in instance.commissions))
    capacite_commission = {
        c.id: sum(_intersection(jours.get(j.date, ()), j.plages, pas) for j in c.disponible)
        for c in instance.commissions
    }
    membres: dict[str, list[str]] = defaultdict(list)
    for c in instance.commissions:
        membres[racine[c.id]].append(c.id)

    capacites: list[Capacite] = []
    trop_groupes = 0
    plus_longue = max(p.minutes for plages in jours.values() for p in plages)
    demi_journees = 0
    for cle, liste in sorted(groupes.items(), key=lambda kv: sorted({t.cle_charge for t in kv[1]})):
        nom = "commissions " + "/".join(sorted({t.cle_charge for t in liste}))
        demande = sum(t.duree for t in liste)
        capacite = sum(capacite_commission[k] for k in membres[cle])
        en_trop = _en_trop([(t.duree, len(t.epreuves)) for t in liste], capacite)
        trop_groupes += en_trop
        capacites.append(Capacite(nom, demande, capacite, en_trop))
        demi_journees += _demi_journees(probleme, liste, demande, plus_longue)

    trop_autres = 0
    if instance.loges:
        avec = [t for t in taches if t.preparation]
        capacite = sum(loge.places for loge in instance.loges) * minutes_centre
        en_trop = _en_trop([(t.preparation, len(t.epreuves)) for t in avec], capacite)
        capacites.append(Capacite("loges", sum(t.preparation for t in avec), capacite, en_trop))
        trop_autres = max(trop_autres, en_trop)
    sur_poste = [t for t in taches if t.poste is not None]
    if sur_poste:
        capacite = instance.postes * minutes_centre
        en_trop = _en_trop([(t.poste[1] if t.poste else 0, 1) for t in sur_poste], capacite)
        capacites.append(Capacite("postes", sum(t.poste[1] if t.poste else 0 for t in sur_poste), capacite, en_trop))
        trop_autres = max(trop_autres, en_trop)

    # Par candidat : au plus `max_passages_par_jour` tâches par jour.
    maximum = instance.regles.max_passages_par_jour
    par_candidat: dict[str, int] = defaultdict(int)
    for t in taches:
        par_candidat[t.candidat] += 1
    trop_candidats = sum(max(0, n - maximum * len(instance.jours)) for n in par_candidat.values())
    if trop_candidats:
        capacites.append(Capacite("passages par candidat et par jour", sum(par_candidat.values()), 0, trop_candidats))
    jours_candidats = sum(math.ceil(n / maximum) for n in par_candidat.values())
    attente = sum((n - math.ceil(n / maximum)) * instance.regles.battement for n in par_candidat.values())
    return Bornes(
        non_planifies=len(impossibles) + max(trop_groupes, trop_autres, trop_candidats),
        jours_candidats=jours_candidats,
        attente_minutes=attente,
        demi_journees_commissions=demi_journees,
        capacites=tuple(capacites),
        impossibles=impossibles,
    )
