"""Planificateur glouton : la référence des benchmarks et l'indice de départ de CP-SAT.

Les candidats les plus chargés d'abord ; pour chacun, le jour le moins rempli où toutes ses tâches
tiennent ; chaque tâche au plus tôt où commission, examinateurs, loge, poste et candidat sont libres.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from examens.planning.formats import NonPlanifie, Passage, Planning, Statut
from examens.planning.probleme import Probleme, Tache

MINUTES_JOUR = 24 * 60


@dataclass(frozen=True, slots=True)
class Placement:
    tache: int
    commission: str
    date: str
    debut: int  # début de l'épreuve (la préparation commence `tache.preparation` minutes avant)
    loge: str | None


def _chevauche(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class Etat:
    """Occupations courantes ; `placer` et `retirer` les tiennent à jour."""

    def __init__(self, probleme: Probleme) -> None:
        self.probleme = probleme
        instance = probleme.instance
        self.pas = instance.pas
        self.battement = instance.regles.battement
        self.max_jour = instance.regles.max_passages_par_jour
        self.postes = instance.postes
        self.nb_sujets = len(instance.sujets)
        self.places = {loge.id: loge.places for loge in instance.loges}
        self.membres = {c.id: c.membres for c in instance.commissions}
        self.commission: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self.examinateur: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self.candidat: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self.loge: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (MINUTES_JOUR // self.pas))
        self.poste: dict[str, list[int]] = defaultdict(lambda: [0] * (MINUTES_JOUR // self.pas))
        self.sujets: dict[tuple[str, str], int] = defaultdict(int)
        self.placements: dict[int, Placement] = {}

    # ------------------------------------------------------------------ tests de place
    def _loge_libre(self, tache: Tache, date: str, debut: int) -> str | None:
        a, b = (debut - tache.preparation) // self.pas, debut // self.pas
        for loge in tache.loges:
            occupation = self.loge[(loge, date)]
            if all(occupation[i] < self.places[loge] for i in range(a, b)):
                return loge
        return None

    def possible(self, tache: Tache, commission: str, date: str, debut: int) -> tuple[bool, str | None, int]:
        """(placable ?, loge choisie, prochain début à essayer en cas d'échec)."""
        fin = debut + tache.duree
        suivant = debut + self.pas
        for a, b in self.commission[(commission, date)]:
            if _chevauche(debut, fin, a, b):
                return False, None, max(suivant, b)
        for membre in self.membres[commission]:
            if membre in self.probleme.examinateurs_partages:
                for a, b in self.examinateur[(membre, date)]:
                    if _chevauche(debut, fin, a, b):
                        return False, None, max(suivant, b)
        presence = debut - tache.preparation
        for a, b in self.candidat[(tache.candidat, date)]:
            if _chevauche(presence, fin + self.battement, a, b + self.battement):
                return False, None, max(suivant, b + self.battement + tache.preparation)
        if tache.sujet and self.sujets[(commission, date)] >= self.nb_sujets:
            return False, None, MINUTES_JOUR
        if tache.poste is not None:
            decalage, duree = tache.poste
            occupation = self.poste[date]
            a = (debut + decalage) // self.pas
            if any(occupation[i] >= self.postes for i in range(a, a + duree // self.pas)):
                return False, None, suivant
        loge = None
        if tache.preparation:
            loge = self._loge_libre(tache, date, debut)
            if loge is None:
                return False, None, suivant
        return True, loge, debut

    def chercher(
        self, tache: Tache, date: str, *, commission: str | None = None, debut_exact: int | None = None
    ) -> Placement | None:
        """Le placement au plus tôt de `tache` le `date` (ou exactement `commission`/`debut_exact`)."""
        if len(self.candidat[(tache.candidat, date)]) >= self.max_jour:
            return None
        meilleur: Placement | None = None
        for fenetre in self.probleme.fenetres[(tache.index, date)]:
            if commission is not None and fenetre.commission != commission:
                continue
            debut, fin = fenetre.debut_min, fenetre.debut_max
            if debut_exact is not None:
                if not debut <= debut_exact <= fin:
                    continue
                debut = fin = debut_exact
            if meilleur is not None:
                fin = min(fin, meilleur.debut - self.pas)
            while debut <= fin:
                ok, loge, suivant = self.possible(tache, fenetre.commission, date, debut)
                if ok:
                    meilleur = Placement(tache.index, fenetre.commission, date, debut, loge)
                    break
                debut = -(-suivant // self.pas) * self.pas
        return meilleur

    # ------------------------------------------------------------------ mises à jour
    def _marquer(self, placement: Placement, signe: int) -> None:
        tache = self.probleme.taches[placement.tache]
        date, debut = placement.date, placement.debut
        fin = debut + tache.duree
        intervalles = [(self.commission[(placement.commission, date)], (debut, fin))]
        for membre in self.membres[placement.commission]:
            if membre in self.probleme.examinateurs_partages:
                intervalles.append((self.examinateur[(membre, date)], (debut, fin)))
        intervalles.append((self.candidat[(tache.candidat, date)], (debut - tache.preparation, fin)))
        for liste, intervalle in intervalles:
            if signe > 0:
                liste.append(intervalle)
            else:
                liste.remove(intervalle)
        if placement.loge is not None:
            occupation = self.loge[(placement.loge, date)]
            for i in range((debut - tache.preparation) // self.pas, debut // self.pas):
                occupation[i] += signe
        if tache.poste is not None:
            decalage, duree = tache.poste
            occupation = self.poste[date]
            a = (debut + decalage) // self.pas
            for i in range(a, a + duree // self.pas):
                occupation[i] += signe
        if tache.sujet:
            self.sujets[(placement.commission, date)] += signe

    def placer(self, placement: Placement) -> None:
        self._marquer(placement, +1)
        self.placements[placement.tache] = placement

    def retirer(self, placement: Placement) -> None:
        self._marquer(placement, -1)
        del self.placements[placement.tache]


def _ordre_candidats(probleme: Probleme) -> list[str]:
    def poids(candidat: str) -> tuple[int, int, str]:
        taches = [probleme.taches[i] for i in probleme.par_candidat[candidat]]
        return (-len(taches), -sum(t.occupation for t in taches), candidat)

    return sorted(probleme.par_candidat, key=poids)


def placer_reference(etat: Etat) -> None:
    """Remet d'abord à l'identique les passages de la `reference` qui sont encore possibles."""
    reference = etat.probleme.instance.reference
    if reference is None:
        return
    anciens = {(p.candidat, p.epreuve): p for p in reference.passages}
    for tache in etat.probleme.taches:
        ancien = anciens.get((tache.candidat, tache.epreuves[0]))
        if tache.raison is not None or ancien is None or (tache.index, ancien.date) not in etat.probleme.fenetres:
            continue
        placement = etat.chercher(tache, ancien.date, commission=ancien.commission, debut_exact=ancien.debut)
        if placement is not None:
            etat.placer(placement)


def glouton(probleme: Probleme, *, jours_imposes: Mapping[int, str] | None = None, etat: Etat | None = None) -> Etat:
    """Place tout ce qui peut l'être ; `jours_imposes` fixe le jour de certaines tâches."""
    etat = etat if etat is not None else Etat(probleme)
    if etat.placements == {} and jours_imposes is None:
        placer_reference(etat)
    charge_jour: dict[str, int] = defaultdict(int)
    for existant in etat.placements.values():
        charge_jour[existant.date] += probleme.taches[existant.tache].occupation
    dates = probleme.dates
    placement: Placement | None
    for candidat in _ordre_candidats(probleme):
        taches = sorted(
            (probleme.taches[i] for i in probleme.par_candidat[candidat]),
            key=lambda t: (-t.occupation, t.index),
        )
        restantes = [t for t in taches if t.raison is None and t.index not in etat.placements]
        if not restantes:
            continue
        if jours_imposes is not None:
            for tache in restantes:
                date = jours_imposes.get(tache.index)
                placement = etat.chercher(tache, date) if date is not None else None
                if placement is not None:
                    etat.placer(placement)
                    charge_jour[date or ""] += tache.occupation
            continue
        # Jours où le candidat vient déjà, puis les moins chargés : tout le même jour si possible.
        deja = {p.date for p in etat.placements.values() if probleme.taches[p.tache].candidat == candidat}
        ordre = sorted(dates, key=lambda d: (d not in deja, charge_jour[d], d))
        fait = False
        for date in ordre:
            poses: list[Placement] = []
            for tache in restantes:
                placement = etat.chercher(tache, date)
                if placement is None:
                    break
                etat.placer(placement)
                poses.append(placement)
            if len(poses) == len(restantes):
                charge_jour[date] += sum(t.occupation for t in restantes)
                fait = True
                break
            for pose in poses:
                etat.retirer(pose)
        if fait:
            continue
        for tache in restantes:  # sur plusieurs jours, au plus tôt
            for date in sorted(dates, key=lambda d: (d not in deja, d)):
                placement = etat.chercher(tache, date)
                if placement is not None:
                    etat.placer(placement)
                    charge_jour[date] += tache.occupation
                    deja.add(date)
                    break
    return etat


def vers_planning(
    probleme: Probleme,
    placements: Mapping[int, Placement],
    *,
    methode: str,
    statut: Statut,
    duree_s: float,
    raisons: Mapping[int, str] | None = None,
) -> Planning:
    """Construit le planning (passages, non planifiés, sujets, statistiques recalculées)."""
    from examens.planning.sujets import Demande, repartir_sujets
    from examens.planning.verificateur import calculer_statistiques

    instance = probleme.instance
    salles = {c.id: c.salle for c in instance.commissions}
    demandes = []
    for placement in placements.values():
        tache = probleme.taches[placement.tache]
        if tache.sujet:
            debut = placement.debut
            for code, duree in zip(tache.epreuves, tache.durees, strict=True):
                if instance.epreuves[code].sujet:
                    demandes.append(Demande((tache.candidat, code), placement.commission, placement.date, debut))
                debut += duree
    sujets = repartir_sujets(demandes, instance.sujets)
    passages: list[Passage] = []
    non_planifies: list[NonPlanifie] = []
    for tache in probleme.taches:
        place = placements.get(tache.index)
        if place is None:
            raison = (
                tache.raison
                or (raisons or {}).get(tache.index)
                or ("aucun créneau libre : commissions, loges ou postes saturés sur les jours du centre")
            )
            non_planifies.extend(NonPlanifie(tache.candidat, code, raison) for code in tache.epreuves)
            continue
        debut = place.debut
        for rang, (code, duree) in enumerate(zip(tache.epreuves, tache.durees, strict=True)):
            avec_preparation = rang == 0 and tache.preparation > 0
            passages.append(
                Passage(
                    candidat=tache.candidat,
                    epreuve=code,
                    commission=place.commission,
                    date=place.date,
                    debut=debut,
                    fin=debut + duree,
                    preparation=debut - tache.preparation if avec_preparation else None,
                    loge=place.loge if avec_preparation else None,
                    sujet=sujets.get((tache.candidat, code)),
                    salle=salles[place.commission],
                )
            )
            debut += duree
    passages.sort(key=lambda p: (p.date, p.debut, p.commission, p.candidat))
    brut = Planning(tuple(passages), tuple(non_planifies))
    statistiques = calculer_statistiques(instance, brut, methode=methode, statut=statut, duree_s=duree_s)
    return Planning(brut.passages, brut.non_planifies, statistiques)
