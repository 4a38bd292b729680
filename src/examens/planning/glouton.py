"""Planificateur glouton : la référence des benchmarks et l'indice de départ de CP-SAT.

Les candidats les plus chargés d'abord ; pour chacun, le jour le moins rempli où toutes ses tâches
tiennent ; chaque tâche au plus tôt où commission, examinateurs, loge, poste et candidat sont libres.
"""

from __future__ import annotations

from bisect import bisect_right
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

    def copie(self) -> Etat:
        """Une copie indépendante des occupations ; le problème, qui ne change pas, est partagé."""
        autre = Etat.__new__(Etat)
        autre.__dict__.update(self.__dict__)
        autre.commission = defaultdict(list, {k: list(v) for k, v in self.commission.items()})
        autre.examinateur = defaultdict(list, {k: list(v) for k, v in self.examinateur.items()})
        autre.candidat = defaultdict(list, {k: list(v) for k, v in self.candidat.items()})
        creneaux = MINUTES_JOUR // self.pas
        autre.loge = defaultdict(lambda: [0] * creneaux, {k: list(v) for k, v in self.loge.items()})
        autre.poste = defaultdict(lambda: [0] * creneaux, {k: list(v) for k, v in self.poste.items()})
        autre.sujets = defaultdict(int, self.sujets)
        autre.placements = dict(self.placements)
        return autre

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


# --------------------------------------------------------------------------- glouton compact (indice)


def plage_de(probleme: Probleme, tache: Tache, date: str, commission: str, debut: int) -> int | None:
    """La plage où tombe ce passage (celle de sa fenêtre) ; None s'il n'est dans aucune fenêtre."""
    for fenetre in probleme.fenetres[(tache.index, date)]:
        if fenetre.commission == commission and fenetre.debut_min <= debut <= fenetre.debut_max:
            return fenetre.plage
    return None


class _Compact:
    """Place les tâches d'un candidat sur un jour en les enchaînant, en remplissant les demi-journées ouvertes."""

    def __init__(self, etat: Etat) -> None:
        self.etat = etat
        self.probleme = etat.probleme
        self.ouvertes: set[tuple[str, str, int]] = set()
        for p in etat.placements.values():
            h = plage_de(self.probleme, self.probleme.taches[p.tache], p.date, p.commission, p.debut)
            if h is not None:
                self.ouvertes.add((p.commission, p.date, h))

    def _table(self, tache: Tache, date: str) -> tuple[list[int], dict[int, tuple[Placement, int, bool, int]]]:
        """Tous les débuts possibles de `tache` le `date`, avec le meilleur choix de commission à chacun :
        une demi-journée déjà ouverte d'abord, puis la commission que le passage laisse le moins longtemps
        inoccupée juste avant ; à égalité, la première fenêtre.

        Les autres tâches du candidat n'y changent rien tant qu'elles ne la chevauchent pas : les
        enchaînements essayés ci-dessous les séparent toujours du battement.
        """
        etat = self.etat
        pas = etat.pas
        fenetres = self.probleme.fenetres[(tache.index, date)]
        fins: dict[str, tuple[list[int], list[int]]] = {}
        for f in fenetres:
            if f.commission not in fins:  # (fins triées des passages de la commission, début de chacun)
                passages = sorted((b, a) for a, b in etat.commission[(f.commission, date)])
                fins[f.commission] = ([b for b, _ in passages], [a for _, a in passages])
        table: dict[int, tuple[Placement, int, bool, int]] = {}
        # Fenêtre par fenêtre, dans leur ordre, chaque début de la fenêtre : à chaque début, les fenêtres qui
        # le contiennent sont donc vues dans l'ordre, et la première des meilleures reste.
        duree, possible = tache.duree, etat.possible
        for fenetre in fenetres:
            commission, debut_min = fenetre.commission, fenetre.debut_min
            ouverte = (commission, date, fenetre.plage) in self.ouvertes
            triees, suivants = fins[commission]
            n = len(triees)
            k = bisect_right(triees, debut_min)
            for debut in range(debut_min, fenetre.debut_max + 1, pas):
                while k < n and triees[k] <= debut:
                    k += 1  # k = bisect_right(triees, debut)
                if k < n and suivants[k] < debut + duree:
                    continue  # le passage qui finit juste après `debut` chevauche : la commission est prise
                precedente = triees[k - 1] if k and triees[k - 1] >= debut_min else debut_min
                trou = debut - precedente
                choix = table.get(debut)
                if choix is not None and (not ouverte, trou) >= (not choix[2], choix[3]):
                    continue
                ok, loge, _ = possible(tache, commission, date, debut)
                if ok:
                    table[debut] = (
                        Placement(tache.index, commission, date, debut, loge),
                        fenetre.plage,
                        ouverte,
                        trou,
                    )
        return sorted(table), table

    def placer(self, taches: list[Tache], date: str) -> bool:
        """Place toutes les `taches` (d'un même candidat) le `date`, au mieux ; False si impossible."""
        from bisect import bisect_left
        from itertools import permutations

        etat = self.etat
        if len(etat.candidat[(taches[0].candidat, date)]) + len(taches) > etat.max_jour:
            return False
        tables = {t.index: self._table(t, date) for t in taches}
        if any(not debuts for debuts, _ in tables.values()):
            return False
        plages = self.probleme.instance.jour(date).plages
        pas = etat.pas
        ordres = sorted(set(permutations(taches)), key=lambda o: tuple(t.index for t in o))
        occupation = sum(t.occupation for t in taches) + etat.battement * (len(taches) - 1)
        meilleur: tuple[tuple[int, int, int, int], list[tuple[Placement, int, bool, int]]] | None = None

        def evaluer(choix: list[tuple[Placement, int, bool, int]], premier: int, fin: int) -> None:
            nonlocal meilleur
            attente = fin - premier - sum(t.occupation for t in taches)
            nouvelles = len({(p.commission, h) for p, h, ouverte, _ in choix if not ouverte})
            cle = (attente, nouvelles, sum(c[3] for c in choix), fin)
            if meilleur is None or cle < meilleur[0]:
                meilleur = (cle, choix)

        for plage in plages:  # d'abord sans attente : toute la chaîne dans une plage
            depart = -(-plage.debut // pas) * pas
            while depart + occupation <= plage.fin:
                for ordre in ordres:
                    presence, choix = depart, []
                    for tache in ordre:
                        c = tables[tache.index][1].get(presence + tache.preparation)
                        if c is None:
                            break
                        choix.append(c)
                        presence += tache.occupation + etat.battement
                    else:
                        evaluer(choix, depart, presence - etat.battement)
                depart += pas
        if meilleur is None:  # avec des trous : chaque tâche au plus tôt après la précédente
            for plage in plages:
                depart = -(-plage.debut // pas) * pas
                while depart < plage.fin:
                    for ordre in ordres:
                        presence, choix = depart, []
                        for tache in ordre:
                            debuts, table = tables[tache.index]
                            k = bisect_left(debuts, presence + tache.preparation)
                            if k == len(debuts):
                                break
                            c = table[debuts[k]]
                            choix.append(c)
                            presence = c[0].debut + tache.duree + etat.battement
                        else:
                            premier = min(c[0].debut - self.probleme.taches[c[0].tache].preparation for c in choix)
                            evaluer(choix, premier, presence - etat.battement)
                    depart += 3 * pas
        if meilleur is None:
            return False
        for placement, h, _, _ in meilleur[1]:
            self.etat.placer(placement)
            self.ouvertes.add((placement.commission, date, h))
        return True


def _compact(probleme: Probleme, jours: Mapping[int, str], ordre: list[str]) -> tuple[Etat, list[str]]:
    etat = Etat(probleme)
    placer_reference(etat)  # replanification : les passages inchangés d'abord, s'ils gardent leur jour
    for ancien in list(etat.placements.values()):
        if jours.get(ancien.tache) != ancien.date:
            etat.retirer(ancien)
    compact = _Compact(etat)
    reste: list[Tache] = []
    echecs: list[str] = []
    for candidat in ordre:
        par_date: dict[str, list[Tache]] = defaultdict(list)
        for i in probleme.par_candidat[candidat]:
            date = jours.get(i)
            if date is not None and probleme.taches[i].raison is None and i not in etat.placements:
                par_date[date].append(probleme.taches[i])
        for date in sorted(par_date):
            taches = par_date[date]
            if compact.placer(taches, date):
                continue
            # sans enchaînement possible : tout de suite, chaque tâche au plus tôt (les plus longues d'abord)
            for tache in sorted(taches, key=lambda t: (-t.occupation, t.index)):
                pose = etat.chercher(tache, date)
                if pose is None:
                    reste.append(tache)
                    continue
                etat.placer(pose)
                h = plage_de(probleme, tache, date, pose.commission, pose.debut)
                if h is not None:
                    compact.ouvertes.add((pose.commission, date, h))
            if any(t.index not in etat.placements for t in taches) and candidat not in echecs:
                echecs.append(candidat)
    for candidat in echecs:
        _echanger(compact, jours, candidat)
    rang = {c: k for k, c in enumerate(ordre)}
    for tache in sorted(reste, key=lambda t: (rang[t.candidat], -t.occupation, t.index)):
        date = jours[tache.index]
        if tache.index not in etat.placements:
            placement = etat.chercher(tache, date)
            if placement is not None:
                etat.placer(placement)
    manquants = [c for c in echecs if any(i in jours and i not in etat.placements for i in probleme.par_candidat[c])]
    return etat, manquants


def _echanger(compact: _Compact, jours: Mapping[int, str], candidat: str, essais: int = 8) -> None:
    """Fait de la place à `candidat` : retire un autre candidat du même jour qui occupe une commission
    possible de ses tâches, place `candidat`, puis replace l'autre ; annule si l'un des deux ne tient plus."""
    etat, probleme = compact.etat, compact.probleme
    for date in sorted({jours[i] for i in probleme.par_candidat[candidat] if i in jours}):
        taches = [probleme.taches[i] for i in probleme.par_candidat[candidat] if jours.get(i) == date]
        taches = [t for t in taches if t.raison is None]
        if not taches or all(t.index in etat.placements for t in taches):
            continue
        utiles = {k for t in taches if t.index not in etat.placements for k in t.commissions}
        charge: dict[str, int] = defaultdict(int)
        for p in etat.placements.values():
            if p.date == date:
                charge[probleme.taches[p.tache].candidat] += 1
        autres = sorted(
            {
                probleme.taches[p.tache].candidat
                for p in etat.placements.values()
                if p.date == date and p.commission in utiles and probleme.taches[p.tache].candidat != candidat
            },
            key=lambda c: (charge[c], c),
        )
        for autre in autres[:essais]:
            siens = [
                p for p in etat.placements.values() if p.date == date and probleme.taches[p.tache].candidat == autre
            ]
            miens = [etat.placements[t.index] for t in taches if t.index in etat.placements]
            for p in siens + miens:
                etat.retirer(p)
            if compact.placer(taches, date):
                if compact.placer([probleme.taches[p.tache] for p in siens], date):
                    break
                for t in taches:
                    etat.retirer(etat.placements[t.index])
            for p in siens + miens:
                etat.placer(p)


def glouton_compact(probleme: Probleme, jours: Mapping[int, str], *, essais: int = 3) -> Etat:
    """Indice de CP-SAT : les tâches de chaque candidat enchaînées le jour imposé par `jours`.

    Candidats les plus chargés d'abord ; pour chacun et chaque jour, l'enchaînement (ordre des tâches,
    heure de départ) de moindre attente, puis qui ouvre le moins de demi-journées de commission, puis qui
    laisse le moins de trous aux commissions, puis qui finit le plus tôt. Ce qui ne tient pas ainsi est
    placé tâche par tâche au plus tôt ; les candidats encore incomplets passent en tête à l'essai suivant.
    """
    ordre = _ordre_candidats(probleme)
    meilleur: Etat | None = None
    for _ in range(essais):
        etat, manquants = _compact(probleme, jours, ordre)
        if meilleur is None or qualite_jour(probleme, etat.placements) < qualite_jour(probleme, meilleur.placements):
            meilleur = etat
        if not manquants:
            break
        ordre = manquants + [c for c in ordre if c not in manquants]
    assert meilleur is not None
    return meilleur


def deplacer_incomplets(probleme: Probleme, jours: Mapping[int, str], etat: Etat) -> dict[int, str]:
    """Un candidat dont le glouton compact n'a pas pu enchaîner les tâches d'un jour (le jour est trop
    plein) vient plutôt un autre jour où il ne vient pas déjà et où ses tâches s'enchaînent : mêmes
    jours-candidats, et un indice complet au lieu du glouton de référence, qui fait attendre bien plus.
    `etat` est mis à jour ; la nouvelle affectation des jours est rendue."""
    nouveaux = dict(jours)
    compact = _Compact(etat)
    incomplets = sorted(
        {
            (probleme.taches[i].candidat, date)
            for i, date in jours.items()
            if i not in etat.placements and probleme.taches[i].raison is None
        }
    )
    for candidat, date in incomplets:
        taches = [probleme.taches[i] for i in probleme.par_candidat[candidat] if nouveaux.get(i) == date]
        venus = {nouveaux[i] for i in probleme.par_candidat[candidat] if i in nouveaux}
        poses = [etat.placements[t.index] for t in taches if t.index in etat.placements]
        for autre in probleme.dates:
            if autre in venus or not all(probleme.fenetres[(t.index, autre)] for t in taches):
                continue
            for p in poses:
                etat.retirer(p)
            if compact.placer(taches, autre):
                for t in taches:
                    nouveaux[t.index] = autre
                break
            for p in poses:
                etat.placer(p)
    return nouveaux


def resserrer(probleme: Probleme, etat: Etat, *, passes: int = 3) -> None:
    """Chaque candidat qui passe plusieurs épreuves un jour, celui qui attend le plus d'abord, est retiré
    puis replacé ce jour-là par l'enchaînement du glouton compact ; s'il n'y tient pas ou n'y attend pas
    moins, il reprend sa place. Rien n'est perdu : les tâches placées restent placées, le même jour.
    Jusqu'à `passes` passes, tant que l'attente baisse (une place libérée sert au candidat suivant)."""
    for _ in range(passes):
        if not _resserrer(probleme, etat):
            return


def _resserrer(probleme: Probleme, etat: Etat) -> bool:
    """Une passe de `resserrer` ; vrai si un candidat au moins attend moins."""
    gagne = False
    compact = _Compact(etat)
    par_venue: dict[tuple[str, str], list[Placement]] = defaultdict(list)
    for p in etat.placements.values():
        par_venue[(probleme.taches[p.tache].candidat, p.date)].append(p)

    def attente(placements: list[Placement]) -> int:
        return qualite_jour(probleme, {p.tache: p for p in placements})[1]

    venues = sorted((v for v in par_venue.items() if len(v[1]) > 1), key=lambda v: (-attente(v[1]), v[0]))
    for (_, date), anciens in venues:
        avant = attente(anciens)
        for p in anciens:
            etat.retirer(p)
        taches = [probleme.taches[p.tache] for p in anciens]
        if compact.placer(taches, date):
            nouveaux = [etat.placements[t.index] for t in taches]
            if attente(nouveaux) < avant:
                gagne = True
                continue
            for p in nouveaux:
                etat.retirer(p)
        for p in anciens:
            etat.placer(p)
    return gagne


def qualite_jour(probleme: Probleme, placements: Mapping[int, Placement]) -> tuple[int, int, int]:
    """(−placées, attente, demi-journées) de `placements` : plus petit est meilleur (ordre du format)."""
    etendues: dict[tuple[str, str], list[int]] = {}
    ouvertes: set[tuple[str, str, int | None]] = set()
    occupe = 0
    for p in placements.values():
        tache = probleme.taches[p.tache]
        debut = p.debut - tache.preparation
        fin = p.debut + tache.duree
        cle = (tache.candidat, p.date)
        if cle in etendues:
            etendues[cle][0] = min(etendues[cle][0], debut)
            etendues[cle][1] = max(etendues[cle][1], fin)
        else:
            etendues[cle] = [debut, fin]
        occupe += tache.occupation
        ouvertes.add((p.commission, p.date, plage_de(probleme, tache, p.date, p.commission, p.debut)))
    attente = sum(b - a for a, b in etendues.values()) - occupe
    return (-len(placements), attente, len(ouvertes))
