"""Regrouper les jours : après l'affectation des jours, une recherche locale qui fait ouvrir moins de
demi-journées aux commissions, sans rien changer aux jours-candidats.

L'affectation des jours équilibre la charge de chaque groupe de commissions ; elle ne voit pas qu'une
langue rare, répartie sur trois jours, ouvre une demi-journée chaque jour pour quelques passages. On
estime ici, pour chaque groupe et chaque jour, les demi-journées qu'il faut au moins pour ses minutes
(par capacités : les plus grandes demi-journées du groupe ce jour-là d'abord), et on cherche à en
retirer une en sortant de ce jour les passages du groupe, candidat par candidat :

- le *bloc* du candidat (ses tâches de ce jour, qui bougent ensemble) vers un autre jour où il ne vient
  pas encore, seul ou en échange du bloc d'un autre candidat qui vient ce jour-là sans passer devant ce
  groupe ;
- ou ses seuls passages devant le groupe vers un autre jour où il vient déjà, seuls ou en échange d'un de
  ses passages de ce jour-là.

Un déplacement n'est gardé que si le total estimé baisse, que les jours touchés restent dans leurs
limites (`limites_des_jours`, celles de l'affectation des jours) sans qu'un groupe y soit plus chargé,
rapporté à ses demi-journées, que le plus chargé avant la recherche, et que chaque candidat touché tient
dans sa journée. Aucun candidat ne vient plus de jours. Déterministe : aucun hasard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from examens.planning.probleme import (
    Probleme,
    Tache,
    amplitude_du_jour,
    capacites_demi_journees,
    groupes_de_commissions,
    limites_des_jours,
    plus_petit_nombre,
)

Bloc = tuple[str, str]  # (candidat, date)

_ECHANGES_MAX = 12  # blocs essayés en échange, pour chaque bloc et chaque jour


def demi_journees_estimees(capacites: list[int], minutes: int) -> int:
    """Le plus petit nombre de demi-journées dont les capacités totalisent `minutes` (`plus_petit_nombre`) ;
    au-delà de toutes, leur nombre plus un par tranche de la plus grande capacité (une par minute s'il n'y
    en a aucune : le jour ne peut pas recevoir ces minutes)."""
    k = plus_petit_nombre(capacites, minutes)
    if k is not None:
        return k
    plus_grande = max(capacites, default=1)
    return len(capacites) + -(-(minutes - sum(capacites)) // plus_grande)


class _Etat:
    def __init__(self, probleme: Probleme, jours: dict[int, str]) -> None:
        self.probleme = probleme
        taches = [probleme.taches[i] for i in jours]
        groupes, _ = groupes_de_commissions(taches)
        self.groupe: dict[int, str] = {t.index: g for g, liste in groupes.items() for t in liste}
        self.capacites: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.capacite_totale: dict[tuple[str, str], int] = defaultdict(int)
        for g, liste in groupes.items():
            for (_, date, _), v in capacites_demi_journees(probleme, liste).items():
                self.capacites[(g, date)].append(v)
                self.capacite_totale[(g, date)] += v
        for liste_capacites in self.capacites.values():
            liste_capacites.sort(reverse=True)
        # Les limites de l'affectation des jours, calculées comme elle sur toutes les tâches plaçables.
        self.limites = limites_des_jours(probleme, [t for t in probleme.taches if t.raison is None])
        ensembles = next(iter(self.limites.values())).ensembles  # les mêmes chaque jour
        self.ensembles_de: dict[int, list[int]] = {
            t.index: [n for n, (e, _) in enumerate(ensembles) if set(t.commissions) <= e] for t in taches
        }
        self.jours = dict(jours)
        self.blocs: dict[Bloc, list[Tache]] = defaultdict(list)
        self.minutes: dict[tuple[str, str], int] = defaultdict(int)
        self.charges: dict[tuple[str, int], int] = defaultdict(int)  # (date, ensemble)
        self.loges: dict[str, int] = defaultdict(int)
        self.postes: dict[str, int] = defaultdict(int)
        for i, date in jours.items():
            self._ajouter(probleme.taches[i], date, 1)
        self.ratio_max = max(
            (self._ratio(cle) for cle, m in self.minutes.items() if m),
            default=0.0,
        )

    def _ratio(self, cle: tuple[str, str]) -> float:
        capacite = self.capacite_totale.get(cle, 0)
        return self.minutes[cle] / capacite if capacite else float("inf")

    def _ajouter(self, t: Tache, date: str, signe: int) -> None:
        if signe > 0:
            self.blocs[(t.candidat, date)].append(t)
            self.jours[t.index] = date
        else:
            self.blocs[(t.candidat, date)].remove(t)
            if not self.blocs[(t.candidat, date)]:
                del self.blocs[(t.candidat, date)]
        self.minutes[(self.groupe[t.index], date)] += signe * t.duree
        for n in self.ensembles_de[t.index]:
            self.charges[(date, n)] += signe * t.duree
        self.loges[date] += signe * t.preparation
        if t.poste is not None:
            self.postes[date] += signe * t.poste[1]

    def cout(self, cles: Iterable[tuple[str, str]]) -> int:
        return sum(demi_journees_estimees(self.capacites.get(c, []), self.minutes[c]) for c in set(cles))

    def total(self) -> int:
        return self.cout(list(self.minutes))

    def dans_les_limites(self, dates: Iterable[str], groupes: Iterable[str]) -> bool:
        groupes = set(groupes)
        for date in set(dates):
            limites = self.limites[date]
            if any(self.charges[(date, n)] > limite for n, (_, limite) in enumerate(limites.ensembles)):
                return False
            if limites.loges is not None and self.loges[date] > limites.loges:
                return False
            if self.postes[date] > limites.postes:
                return False
            for g in groupes:
                if self.minutes[(g, date)] and self._ratio((g, date)) > self.ratio_max + 1e-9:
                    return False
        return True

    def peut_aller(self, taches: Iterable[Tache], date: str) -> bool:
        return all(self.probleme.fenetres.get((t.index, date)) for t in taches)

    def jours_de(self, candidat: str) -> set[str]:
        return {d for d in self.probleme.dates if (candidat, d) in self.blocs}

    def appliquer(self, mouvement: Mouvement) -> Mouvement:
        """Chaque tâche de `mouvement` va à sa date ; rend le mouvement qui défait celui-ci."""
        inverse = [(t, self.jours[t.index]) for t, _ in mouvement]
        for t, _ in mouvement:
            self._ajouter(t, self.jours[t.index], -1)
        for t, date in mouvement:
            self._ajouter(t, date, 1)
        return inverse

    def candidats_dans_les_limites(self, blocs: Iterable[Bloc]) -> bool:
        """Chaque bloc (candidat, date) touché : au plus `max_passages_par_jour` tâches, et leurs
        occupations, battements compris, tiennent dans la journée (comme dans l'affectation des jours)."""
        regles = self.probleme.instance.regles
        for candidat, date in blocs:
            taches = self.blocs.get((candidat, date), [])
            if len(taches) > regles.max_passages_par_jour:
                return False
            if sum(t.occupation + regles.battement for t in taches) > amplitude_du_jour(self.probleme, date):
                return False
        return True


Mouvement = list[tuple[Tache, str]]


def regrouper_jours(probleme: Probleme, jours: dict[int, str], essais_max: int = 20_000) -> dict[int, str]:
    """L'affectation `jours` (tâche → date), avec moins de demi-journées estimées si la recherche en trouve ;
    les mêmes tâches, aucun candidat ne venant plus de jours. `essais_max` borne le travail."""
    return regroupements_successifs(probleme, jours, essais_max)[-1]


def regroupements_successifs(
    probleme: Probleme, jours: dict[int, str], essais_max: int = 20_000
) -> list[dict[int, str]]:
    """Les affectations successives de la recherche de `regrouper_jours` : `jours`, puis l'affectation
    après chaque demi-journée retirée (chacune estimée moins coûteuse que la précédente), la dernière
    étant celle que rend `regrouper_jours`. Quand la dernière se révèle trop serrée pour les gloutons des
    jours, une étape intermédiaire garde une partie du gain (`planifier_cpsat`)."""
    if probleme.instance.reference is not None or len(probleme.dates) < 2:
        return [dict(jours)]  # replanification : bouger des jours serait autant de changements
    etat = _Etat(probleme, jours)
    etapes = [dict(jours)]
    essais = 0
    ameliore = True
    while ameliore and essais < essais_max:
        ameliore = False
        # Les (groupe, jour) du moins chargé au plus chargé : les langues rares d'abord.
        for cle in sorted((c for c, m in etat.minutes.items() if m), key=lambda c: (etat.minutes[c], c)):
            if essais >= essais_max:
                break
            if not etat.minutes[cle]:
                continue
            essais += 1
            if _retirer_une(etat, *cle):
                ameliore = True
                etapes.append(dict(etat.jours))
    return etapes


def _retirer_une(etat: _Etat, groupe: str, date: str) -> bool:
    """Retirer au groupe une demi-journée le jour `date` : sortir de ce jour, un par un, ses passages
    (bloc par bloc, les plus petits d'abord), chacun au meilleur endroit, jusqu'à ce que l'estimation
    baisse. Annulé si le total ne baisse pas."""
    avant = etat.total()
    cle = (groupe, date)
    cible = demi_journees_estimees(etat.capacites.get(cle, []), etat.minutes[cle]) - 1
    blocs = sorted(
        (b for b in etat.blocs if b[1] == date and any(etat.groupe[t.index] == groupe for t in etat.blocs[b])),
        key=lambda b: (sum(t.duree for t in etat.blocs[b] if etat.groupe[t.index] == groupe), b),
    )
    inverses: list[Mouvement] = []
    for bloc in blocs:
        if demi_journees_estimees(etat.capacites.get(cle, []), etat.minutes[cle]) <= cible:
            break
        if bloc not in etat.blocs:
            continue
        mouvement = _meilleur_mouvement(etat, bloc, groupe)
        if mouvement is not None:
            inverses.append(etat.appliquer(mouvement))
    if inverses and etat.total() < avant:
        return True
    for inverse in reversed(inverses):
        etat.appliquer(inverse)
    return False


def _mouvements(etat: _Etat, bloc: Bloc, groupe: str) -> list[Mouvement]:
    """Les façons de sortir du jour de `bloc` ses passages devant `groupe`, vers un jour où le groupe vient
    déjà, sans que le candidat vienne plus de jours."""
    resultat: list[Mouvement] = []
    candidat, date = bloc
    taches = list(etat.blocs[bloc])
    du_groupe = [t for t in taches if etat.groupe[t.index] == groupe]
    venus = etat.jours_de(candidat)
    for autre_date in etat.probleme.dates:
        if autre_date == date or not etat.minutes[(groupe, autre_date)]:
            continue
        if autre_date in venus:
            # Le candidat vient déjà ce jour-là : ses passages devant le groupe y vont, seuls ou en échange
            # d'un de ses passages de ce jour-là.
            if not etat.peut_aller(du_groupe, autre_date):
                continue
            resultat.append([(t, autre_date) for t in du_groupe])
            for u in etat.blocs[(candidat, autre_date)]:
                if etat.groupe[u.index] != groupe and etat.peut_aller([u], date):
                    resultat.append([*((t, autre_date) for t in du_groupe), (u, date)])
            continue
        if not etat.peut_aller(taches, autre_date):
            continue
        # Le bloc entier, seul ou en échange du bloc d'un candidat qui vient ce jour-là et pas le jour `date`,
        # sans le groupe : les plus semblables d'abord (minutes par groupe), pour ne pas déséquilibrer les autres.
        resultat.append([(t, autre_date) for t in taches])
        semblables = sorted(
            (_distance(etat, taches, etat.blocs[b], groupe), b)
            for b in etat.blocs
            if b[1] == autre_date
            and (b[0], date) not in etat.blocs
            and all(etat.groupe[t.index] != groupe for t in etat.blocs[b])
        )
        for _, b in semblables[:_ECHANGES_MAX]:
            if etat.peut_aller(etat.blocs[b], date):
                resultat.append([*((t, autre_date) for t in taches), *((t, date) for t in etat.blocs[b])])
    return resultat


def _meilleur_mouvement(etat: _Etat, bloc: Bloc, groupe: str) -> Mouvement | None:
    """Le mouvement de `_mouvements` le moins coûteux d'après l'estimation (puis celui qui bouge le moins
    de tâches), dans les limites ; None s'il n'y en a aucun."""
    meilleur: tuple[tuple[int, int], Mouvement] | None = None
    for mouvement in _mouvements(etat, bloc, groupe):
        dates = {bloc[1]} | {d for _, d in mouvement}
        groupes = {etat.groupe[t.index] for t, _ in mouvement}
        candidats = {t.candidat for t, _ in mouvement}
        cles = [(g, d) for g in groupes for d in dates]
        avant = etat.cout(cles)
        inverse = etat.appliquer(mouvement)
        possible = etat.dans_les_limites(dates, groupes) and etat.candidats_dans_les_limites(
            (c, d) for c in candidats for d in dates
        )
        apres = etat.cout(cles)
        etat.appliquer(inverse)
        if not possible:
            continue
        rang = (apres - avant, len(mouvement))
        if meilleur is None or rang < meilleur[0]:
            meilleur = (rang, mouvement)
    return None if meilleur is None else meilleur[1]


def _distance(etat: _Etat, taches: list[Tache], autres: list[Tache], groupe: str) -> int:
    """Les minutes qu'un échange ferait changer de jour, hors `groupe` (somme des écarts groupe par groupe)."""
    ecarts: dict[str, int] = defaultdict(int)
    for t in taches:
        if etat.groupe[t.index] != groupe:
            ecarts[etat.groupe[t.index]] += t.duree
    for t in autres:
        ecarts[etat.groupe[t.index]] -= t.duree
    return sum(abs(v) for v in ecarts.values())
