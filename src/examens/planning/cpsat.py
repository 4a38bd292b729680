"""Modèle CP-SAT, par décomposition : les jours des candidats d'abord, puis un modèle par jour.

1. Affectation des jours : placées ≫ changements ≫ jours-candidats ≫ demi-journées qu'il faut au moins
   à chaque groupe de commissions chaque jour ≫ équilibre (la plus forte charge d'un groupe un jour,
   rapportée à ce que ses demi-journées peuvent contenir ce jour) ;
   puis les jours regroupés (`regroupement.regroupements_successifs` : moins de demi-journées estimées,
   venues égales), autant de regroupements que les gloutons des jours en supportent.
2. Par jour, indice complet fourni par le glouton compact (les tâches de chaque candidat enchaînées),
   le glouton contraint par les jours servant de secours s'il place davantage ; phase 1 : objectifs du
   format pondérés dans l'ordre lexicographique (non planifiés ≫ changements ≫ attente ≫
   demi-journées) ; phase 2 : ces trois critères fixés à leur valeur, on ferme des demi-journées
   (avec plusieurs workers : si la phase 2 en a le temps, le saut à la borne, `relache.sauter` ; le
   modèle agrégé, où les commissions d'un groupe sont comptées et non nommées, `agrege` ; puis, si le
   jour en a le temps, des fermetures où les candidats sont relâchés puis les passages de même forme
   permutés, `relache.fermer` ; puis des voisinages dédiés, et le modèle entier
   au temps restant).

Placement optionnel (une tâche non placée coûte très cher mais le modèle reste faisable). OR-Tools est
importé ici seulement : ce module n'est chargé que lorsqu'on planifie (l'import coûte ≈ 2,5 s).
"""

from __future__ import annotations

import itertools
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from examens.planning import agrege, relache
from examens.planning.bornes import demi_journees_du_jour
from examens.planning.glouton import (
    Etat,
    Placement,
    deplacer_incomplets,
    glouton,
    glouton_compact,
    qualite_jour,
    resserrer,
)
from examens.planning.loges import Reserves
from examens.planning.probleme import (
    Fenetre,
    Probleme,
    Tache,
    amplitude_du_jour,
    capacites_demi_journees,
    groupes_de_commissions,
    limites_des_jours,
)
from examens.planning.regroupement import regroupements_successifs

Progression = Callable[[str], None]


# Temps déterministe de CP-SAT par seconde sur la machine du projet (mesuré) : avec un seul worker, les
# échéances sont comptées dans ce temps-là, qui ne dépend pas de la charge : résultat reproductible.
UNITES_PAR_SECONDE = 0.25

# En deçà, les fermetures « relâcher puis permuter » (`relache`) prennent plus au modèle agrégé et aux
# voisinages qu'elles ne ferment (mesuré à 450 candidats en 60 s, où chaque jour n'a que 5 à 9 s).
TEMPS_MIN_RELACHE = 3.0

# En deçà, le saut à la borne (`relache.sauter`) n'a pas le temps de ramener l'attente sous le permis : il
# lui faut 15 à 20 s sur un jour de 150 candidats (mesuré, docs/benchmarks.md).
TEMPS_MIN_SAUT = 15.0
# Et au moins tant par tâche du jour : il a réussi sur dix des douze jours du centre de 300 candidats qui en
# avaient environ 0,13 s (300 s, trois exécutions), sur un seul des dix jours du centre de 450 candidats qui
# n'en avaient que 0,09 au plus (300 s, deux exécutions) ; là, le planning relâché n'approche pas les
# plafonds (60 à 64 demi-journées pour 51 en 8 à 45 s) et le modèle agrégé fait mieux de ce temps (mesuré,
# docs/benchmarks.md, « Quinzième session »).
TEMPS_SAUT_PAR_TACHE = 0.11

# L'affectation des jours n'a jamais plus que tant (`Parametres.part_jours` du temps, au plus) : elle ne
# gagne plus rien au-delà, et ce temps revient aux jours. Mesuré (une exécution par durée, 2 workers) : à
# 450 candidats, mêmes jours-candidats (523, la borne) et même équilibre en 5 s qu'en 45 et 120 s ; à 150
# candidats, dès 1 s ; à 300, 351 jours-candidats en 2 s, 348 en 5 s, 347 en 10 s, 346 en 20 et 45 s
# (docs/benchmarks.md, « Seizième session »).
TEMPS_MAX_AFFECTATION = 30.0

# Le jour d'abord sous une attente relâchée (`Parametres.part_libre`) n'a lieu qu'avec au moins tant de
# secondes pour le jour, et au plus tant par tâche du jour. Mesuré en 300 s par centre (docs/benchmarks.md,
# « Vingt-deuxième session ») : à 300 candidats (0,26 s par tâche), 171, 172, 172 et 174 demi-journées au
# lieu de 173 à 176 ; à 450 (0,2 s), 257, 259 et 253, dans le bruit de la chaîne seule (255 à 261) ; à 150
# (0,5 s), 86 et 85 au lieu de 83 ou 84 : avec ce temps, la chaîne sous plafond (le saut à la borne compris)
# fait mieux seule.
# En deçà de 30 s par jour, non mesuré : la chaîne seule.
TEMPS_MIN_LIBRE = 30.0
TEMPS_MAX_LIBRE_PAR_TACHE = 0.35
# La réduction de l'attente (`agrege.reduire`) sans cible : elle garde sa meilleure solution.
ETENDUE_SANS_CIBLE = 10**9


class Horloge:
    """Le temps écoulé pour les échéances : l'horloge murale ; avec un seul worker, la somme des temps
    déterministes des résolutions (le travail Python, déterministe lui aussi, n'y est pas compté)."""

    def __init__(self, deterministe: bool) -> None:
        self.deterministe = deterministe
        self.debut = time.monotonic()
        self.cumul = 0.0

    def maintenant(self) -> float:
        return self.cumul if self.deterministe else time.monotonic() - self.debut

    def compter(self, solveur: cp_model.CpSolver) -> None:
        self.cumul += solveur.deterministic_time / UNITES_PAR_SECONDE


@dataclass(frozen=True, slots=True)
class Parametres:
    temps_max: float = 60.0
    graine: int = 0
    workers: int = 0  # 0 : autant que de cœurs
    part_jours: float = 0.15  # part du temps pour l'affectation des jours (`TEMPS_MAX_AFFECTATION` au plus)
    temps_voisinage: float = 1.0  # limite d'un voisinage « fermer une demi-journée »
    # Part du temps d'un jour pour la phase 1 (la phase 2 : demi-journées) ; None : voir `part_phase1`.
    part_attente: float | None = None
    # Plafond d'attente (rapport à l'attente totale du glouton) : au lieu de garder l'attente de la phase 1,
    # la phase 2 peut la laisser monter jusqu'à ce plafond pour ouvrir moins de demi-journées. None : l'ordre
    # du format (l'attente d'abord).
    plafond_attente: float | None = None
    # Part du temps de la phase 2 donnée au modèle agrégé (`agrege`, avec plusieurs workers seulement),
    # avant les voisinages « fermer une demi-journée » ; 0 : pas de modèle agrégé.
    part_agrege: float = 0.7
    # Part du temps de la phase 2 restant après le modèle agrégé donnée aux fermetures « relâcher puis
    # permuter » (`relache`, avec plusieurs workers seulement), avant les voisinages ; 0 : aucune. Elles ne
    # servent qu'à partir de `TEMPS_MIN_RELACHE` secondes (un essai en prend de 1 à 5).
    part_relache: float = 0.8
    # Part du temps de la phase 2 réservée au saut à la borne (`relache.sauter`, avec plusieurs workers
    # seulement), avant le modèle agrégé ; il n'a lieu que si elle atteint `TEMPS_MIN_SAUT` secondes et
    # `TEMPS_SAUT_PAR_TACHE` par tâche du jour, et ce qu'il n'emploie pas revient aux étapes suivantes.
    part_saut: float = 0.6
    # L'affectation des jours compte, avant l'équilibre des charges, les demi-journées qu'il faut au moins à
    # chaque groupe chaque jour (ses minutes dans ses plus grandes demi-journées du jour). Mesuré : 40 au
    # lieu de 41 à 42 à 60 candidats, dans le bruit de 150 à 450 (docs/benchmarks.md).
    demi_journees_par_jour: bool = True
    # Avec un plafond d'attente, plusieurs workers et le temps que disent `TEMPS_MIN_LIBRE` et
    # `TEMPS_MAX_LIBRE_PAR_TACHE` : le jour est d'abord planifié sous `attente_libre` fois son attente
    # permise pendant cette part de son temps (le moins de demi-journées), puis son attente est ramenée au
    # plus bas, demi-journées au plus égales, pendant `part_reduire` (`agrege.reduire`) ; la chaîne sous
    # plafond repart de là au temps qui reste (`_libre_puis_reduit`). 0 : la chaîne seule.
    part_libre: float = 0.4
    part_reduire: float = 0.35
    # Si l'attente n'est pas revenue sous le permis, la part du temps restant gardée après la chaîne pour l'y
    # ramener (`relache.ramener`) si elle finit au-dessus.
    part_ramener: float = 0.3
    attente_libre: float = 1.5
    horloge: Horloge | None = None  # posée par `planifier_cpsat`

    def part_phase1(self, depart_sous_plafond: bool = False) -> float:
        """Part du temps d'un jour pour la phase 1 : `part_attente` si elle est donnée ; sans plafond
        d'attente, 0,6 ; avec un plafond, 0,4 (la phase 2 a de l'attente à échanger contre des
        demi-journées), et 0,1 seulement si le départ du jour place déjà tout sous l'attente permise
        (`depart_sous_plafond`) : la phase 1 ne ferait que baisser une attente que la phase 2 laissera
        remonter. Mesuré à 450 candidats, où chaque jour n'a que 5 à 7 s : une quinzaine de demi-journées de
        moins en moyenne ; rien de visible de 60 à 300 candidats (docs/benchmarks.md)."""
        if self.part_attente is not None:
            return self.part_attente
        if self.plafond_attente is None:
            return 0.6
        return 0.1 if depart_sous_plafond else 0.4


@dataclass(frozen=True, slots=True)
class Resultat:
    placements: dict[int, Placement]
    optimal: bool  # chaque sous-problème résolu à l'optimum (la décomposition, elle, ne l'est pas)


def _workers(parametres: Parametres) -> int:
    return parametres.workers or os.cpu_count() or 1


def _solveur(parametres: Parametres, temps: float) -> cp_model.CpSolver:
    solveur = cp_model.CpSolver()
    solveur.parameters.max_time_in_seconds = max(0.2, temps)
    if parametres.workers == 1:  # reproductible : le temps déterministe décide, le mur n'est qu'un garde-fou
        solveur.parameters.max_deterministic_time = max(0.2, temps) * UNITES_PAR_SECONDE
        solveur.parameters.max_time_in_seconds = 4 * max(0.2, temps) + 2
    solveur.parameters.num_workers = _workers(parametres)
    solveur.parameters.random_seed = parametres.graine
    return solveur


def _maintenant(parametres: Parametres) -> float:
    return parametres.horloge.maintenant() if parametres.horloge else time.monotonic()


def _compter(parametres: Parametres, solveur: cp_model.CpSolver) -> None:
    if parametres.horloge:
        parametres.horloge.compter(solveur)


def _outils(parametres: Parametres) -> relache.Outils:
    """Solveur, compte du temps et horloge des fermetures de `relache`, réglés par `parametres`."""
    return relache.Outils(
        lambda t: _solveur(parametres, t), lambda s: _compter(parametres, s), lambda: _maintenant(parametres)
    )


def _rien(_: str) -> None:
    return None


# --------------------------------------------------------------------------- étape 1 : les jours


def _groupes(taches: list[Tache]) -> list[list[Tache]]:
    """Les tâches par groupe de commissions, dans l'ordre des racines (`probleme.groupes_de_commissions`)."""
    groupes, _ = groupes_de_commissions(taches)
    return [groupes[k] for k in sorted(groupes)]


def affecter_jours(probleme: Probleme, indice: dict[int, str], parametres: Parametres, temps: float) -> dict[int, str]:
    """Un jour par tâche : le moins de jours-candidats possible, sous les capacités de chaque jour ; puis
    (`Parametres.demi_journees_par_jour`) le moins de demi-journées qu'il faut au moins à chaque groupe
    chaque jour : y_k vaut 1 si le groupe ouvre sa k-ième plus grande demi-journée du jour (y_k+1 ⇒ y_k),
    et ses minutes du jour tiennent dans Σ y_k × capacité_k ; enfin l'équilibre des charges."""
    instance = probleme.instance
    modele = cp_model.CpModel()
    taches = [t for t in probleme.taches if t.raison is None]
    a: dict[tuple[int, str], cp_model.IntVar] = {}
    for t in taches:
        for date in probleme.dates:
            if probleme.fenetres[(t.index, date)]:
                a[(t.index, date)] = modele.new_bool_var(f"a{t.index}_{date}")
        modele.add_at_most_one(a[(t.index, d)] for d in probleme.dates if (t.index, d) in a)
    reference = instance.reference
    anciens = {(p.candidat, p.epreuve): p.date for p in reference.passages} if reference else {}

    par_candidat: dict[str, list[Tache]] = defaultdict(list)
    for t in taches:
        par_candidat[t.candidat].append(t)
    venues = []
    battement = instance.regles.battement
    for candidat, liste in par_candidat.items():
        for date in probleme.dates:
            presentes = [a[(t.index, date)] for t in liste if (t.index, date) in a]
            if not presentes:
                continue
            v = modele.new_bool_var(f"v{candidat}_{date}")
            modele.add_hint(v, any(indice.get(t.index) == date for t in liste))
            for x in presentes:
                modele.add_implication(x, v)
            venues.append(v)
            modele.add(sum(presentes) <= instance.regles.max_passages_par_jour)
            modele.add(
                sum(a[(t.index, date)] * (t.occupation + battement) for t in liste if (t.index, date) in a)
                <= amplitude_du_jour(probleme, date)
            )

    # Capacités par jour (`limites_des_jours`) : pour chaque ensemble de commissions habilitées, la demande
    # des tâches qui ne peuvent aller que dans cet ensemble ; les loges ; les postes.
    for date, limites in limites_des_jours(probleme, taches).items():
        for ensemble, limite in limites.ensembles:
            termes = [
                (a[(t.index, date)], t.duree) for t in taches if set(t.commissions) <= ensemble and (t.index, date) in a
            ]
            if termes:
                modele.add(sum(x * d for x, d in termes) <= limite)
        if limites.loges is not None:
            termes = [(a[(t.index, date)], t.preparation) for t in taches if t.preparation and (t.index, date) in a]
            modele.add(sum(x * d for x, d in termes) <= limites.loges)
        termes = [(a[(t.index, date)], t.poste[1]) for t in taches if t.poste and (t.index, date) in a]
        if termes:
            modele.add(sum(x * d for x, d in termes) <= limites.postes)

    # Équilibre (dernier critère) : la plus forte charge d'un jour pour un groupe de commissions,
    # rapportée à ce que ses demi-journées de ce jour peuvent contenir (en millièmes). Un jour plein
    # laisse des trous inutilisables et force l'attente.
    ratio_max = modele.new_int_var(0, 10_000, "ratio_max")
    ouvertes: list[cp_model.IntVar] = []
    for groupe in _groupes(taches):
        capacites = capacites_demi_journees(probleme, groupe)
        for date in probleme.dates:
            du_jour = sorted((v for (_, d, _), v in capacites.items() if d == date), reverse=True)
            capacite = sum(du_jour)
            termes = [(a[(t.index, date)], t.duree) for t in groupe if (t.index, date) in a]
            if termes and capacite:
                modele.add(1000 * sum(x * d for x, d in termes) <= capacite * ratio_max)
                if parametres.demi_journees_par_jour:
                    # Les demi-journées qu'il faut au moins à ce groupe ce jour : les plus grandes d'abord.
                    y = [modele.new_bool_var(f"y{date}_{groupe[0].index}_{k}") for k in range(len(du_jour))]
                    for precedente, suivante in itertools.pairwise(y):
                        modele.add_implication(suivante, precedente)
                    modele.add(sum(x * d for x, d in termes) <= sum(c * v for c, v in zip(du_jour, y, strict=True)))
                    ouvertes.extend(y)

    places_total = sum(a.values())
    changements = [
        1 - a[(t.index, anciens[(t.candidat, t.epreuves[0])])]
        for t in taches
        if (t.candidat, t.epreuves[0]) in anciens and (t.index, anciens[(t.candidat, t.epreuves[0])]) in a
    ]
    poids_demi = 10_001
    poids_venue = poids_demi * (len(ouvertes) + 1)
    poids_changement = poids_venue * (len(venues) + 1)
    poids_place = poids_changement * (len(changements) + 1)
    modele.minimize(
        -poids_place * places_total
        + poids_changement * sum(changements)
        + poids_venue * sum(venues)
        + poids_demi * sum(ouvertes)
        + ratio_max
    )
    for (i, date), x in a.items():
        modele.add_hint(x, indice.get(i) == date)
    solveur = _solveur(parametres, temps)
    statut = solveur.solve(modele)
    _compter(parametres, solveur)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(indice)
    jours = {i: date for (i, date), x in a.items() if solveur.value(x)}

    def qualite(affectation: dict[int, str]) -> tuple[int, int, int]:
        perdus = sum(1 for t in taches if t.index not in affectation)
        ecarts = sum(
            1
            for t in taches
            if (t.candidat, t.epreuves[0]) in anciens
            and affectation.get(t.index) != anciens[(t.candidat, t.epreuves[0])]
        )
        return perdus, ecarts, len({(probleme.taches[i].candidat, d) for i, d in affectation.items()})

    return jours if qualite(jours) <= qualite(dict(indice)) else dict(indice)


# --------------------------------------------------------------------------- étape 2 : un jour


class _Rappel(cp_model.CpSolverSolutionCallback):
    def __init__(self, progression: Progression, libelle: str) -> None:
        super().__init__()
        self.progression = progression
        self.libelle = libelle
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.progression(
            f"{self.libelle} : solution {self.solutions}, objectif {self.objective_value:.0f} ({self.wall_time:.1f} s)"
        )


def planifier_jour(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    indice: dict[int, Placement],
    parametres: Parametres,
    temps: float,
    progression: Progression,
    secours: dict[int, Placement] | None = None,
    attente_permise: int | None = None,
) -> tuple[dict[int, Placement], bool]:
    """Le modèle d'un jour, partant de `indice` ; s'il place moins de tâches que `secours` (un autre
    indice), on repart de `secours` pour le reste du temps de la phase 1 et on garde le meilleur.

    `attente_permise` (minutes d'attente du jour) : la phase 2 peut laisser l'attente monter jusque-là,
    si la phase 1 a fait mieux, pour ouvrir moins de demi-journées (`Parametres.plafond_attente`)."""
    instance = probleme.instance
    pas = instance.pas
    battement = instance.regles.battement // pas if instance.regles.battement % pas == 0 else None
    modele = cp_model.CpModel()
    plages = instance.jour(date).plages
    jour_min, jour_max = plages[0].debut // pas, -(-plages[-1].fin // pas)

    options: dict[int, list[tuple[str, tuple[int, int], cp_model.IntVar, cp_model.IntVar]]] = {}
    fenetres_de: dict[int, tuple[Fenetre, ...]] = {}
    debut: dict[int, cp_model.IntVar] = {}
    present: dict[int, cp_model.IntVar] = {}
    loges_choisies: dict[int, list[tuple[str, cp_model.IntVar]]] = {}
    par_commission: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    par_commission_sujet: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    postes: list[cp_model.IntervalVar] = []
    demi: dict[tuple[str, int], cp_model.IntVar] = {}
    par_candidat: dict[str, list[Tache]] = defaultdict(list)

    reserves = Reserves(probleme)  # les loges aux mêmes épreuves réunies (`planning.loges`)
    for t in taches:
        fenetres = probleme.fenetres[(t.index, date)]
        duree, preparation = t.duree // pas, t.preparation // pas
        bornes = [[f.debut_min // pas, f.debut_max // pas] for f in fenetres]
        s = modele.new_int_var_from_domain(cp_model.Domain.from_intervals(bornes), f"s{t.index}")
        p = modele.new_bool_var(f"p{t.index}")
        debut[t.index], present[t.index] = s, p
        liste = []
        for n, f in enumerate(fenetres):
            x = modele.new_bool_var(f"x{t.index}_{n}")
            sf = modele.new_int_var(f.debut_min // pas, f.debut_max // pas, f"s{t.index}_{n}")
            modele.add(s == sf).only_enforce_if(x)
            par_commission[f.commission].append(modele.new_optional_fixed_size_interval_var(sf, duree, x, ""))
            if t.sujet:
                par_commission_sujet[f.commission].append(x)
            cle = (f.commission, f.plage)
            if cle not in demi:
                demi[cle] = modele.new_bool_var(f"u{f.commission}_{f.plage}")
            modele.add_implication(x, demi[cle])
            liste.append((f.commission, (f.debut_min // pas, f.debut_max // pas), x, sf))
        modele.add(sum(x for _, _, x, _ in liste) == p)
        options[t.index] = liste
        fenetres_de[t.index] = fenetres
        if preparation:
            indice_loge = indice[t.index].loge if t.index in indice else None
            loges_choisies[t.index] = reserves.preparer(modele, t, s, p, indice_loge)
        if t.poste is not None:
            decalage, longueur = t.poste
            postes.append(modele.new_optional_fixed_size_interval_var(s + decalage // pas, longueur // pas, p, ""))
        par_candidat[t.candidat].append(t)

    for intervalles in par_commission.values():
        modele.add_no_overlap(intervalles)
    for idents in probleme.examinateurs_partages.values():
        communs = [iv for k in idents for iv in par_commission.get(k, [])]
        if len({k for k in idents if k in par_commission}) > 1:
            modele.add_no_overlap(communs)
    reserves.contraindre(modele)
    if postes:
        modele.add_cumulative(postes, [1] * len(postes), instance.postes)
    for xs in par_commission_sujet.values():
        modele.add(sum(xs) <= len(instance.sujets))

    attentes: list[cp_model.LinearExprT] = []
    extremes: dict[str, tuple[list[Tache], cp_model.IntVar, cp_model.IntVar]] = {}
    amplitude = jour_max - jour_min
    for candidat, siennes in par_candidat.items():
        modele.add(sum(present[t.index] for t in siennes) <= instance.regles.max_passages_par_jour)
        if battement is not None:
            modele.add_no_overlap(
                modele.new_optional_fixed_size_interval_var(
                    debut[t.index] - t.preparation // pas,
                    t.occupation // pas + battement,
                    present[t.index],
                    "",
                )
                for t in siennes
            )
        else:  # battement hors grille : contraintes deux à deux
            for i, t1 in enumerate(siennes):
                for t2 in siennes[i + 1 :]:
                    avant = modele.new_bool_var("")
                    b = instance.regles.battement
                    modele.add(
                        pas * debut[t2.index] - t2.preparation >= pas * debut[t1.index] + t1.duree + b
                    ).only_enforce_if(avant, present[t1.index], present[t2.index])
                    modele.add(
                        pas * debut[t1.index] - t1.preparation >= pas * debut[t2.index] + t2.duree + b
                    ).only_enforce_if(~avant, present[t1.index], present[t2.index])
        if len(siennes) > 1:
            premier = modele.new_int_var(jour_min, jour_max, f"f{candidat}")
            dernier = modele.new_int_var(jour_min, jour_max, f"l{candidat}")
            for t in siennes:
                modele.add(premier <= debut[t.index] - t.preparation // pas).only_enforce_if(present[t.index])
                modele.add(dernier >= debut[t.index] + t.duree // pas).only_enforce_if(present[t.index])
            modele.add(dernier >= premier)
            attentes.append(dernier - premier)
            extremes[candidat] = (siennes, premier, dernier)

    # Changements par rapport à la référence (replanification)
    reference = instance.reference
    identiques = []
    if reference is not None:
        anciens = {(p.candidat, p.epreuve): p for p in reference.passages if p.date == date}
        for t in taches:
            ancien = anciens.get((t.candidat, t.epreuves[0]))
            if ancien is None or ancien.debut % pas:
                continue
            for commission, (lo, hi), x, sf in options[t.index]:
                if commission == ancien.commission and lo <= ancien.debut // pas <= hi:
                    meme = modele.new_bool_var("")
                    modele.add_implication(meme, x)
                    modele.add(sf == ancien.debut // pas).only_enforce_if(meme)
                    identiques.append(meme)
                    break

    poids_attente = len(demi) + 1
    poids_changement = poids_attente * (amplitude * len(attentes) + 1)
    poids_place = poids_changement * (len(identiques) + 1)
    places = cp_model.LinearExpr.sum(list(present.values()))
    memes = cp_model.LinearExpr.sum(identiques)
    attente = cp_model.LinearExpr.sum(attentes)
    demis = cp_model.LinearExpr.sum(list(demi.values()))
    modele.minimize(-poids_place * places - poids_changement * memes + poids_attente * attente + demis)

    def _extraire(solveur: cp_model.CpSolver) -> dict[int, Placement]:
        resultat: dict[int, Placement] = {}
        for t in taches:
            if not solveur.value(present[t.index]):
                continue
            commission = next(k for k, _, x, _ in options[t.index] if solveur.value(x))
            reserve = next((r for r, y in loges_choisies.get(t.index, []) if solveur.value(y)), None)
            resultat[t.index] = Placement(t.index, commission, date, solveur.value(debut[t.index]) * pas, reserve)
        return reserves.repartir(resultat)

    def indiquer(placements: dict[int, Placement]) -> None:
        """Indice complet : chaque variable reçoit sa valeur dans `placements`."""
        modele.clear_hints()  # type: ignore[no-untyped-call]
        ouvertes: set[tuple[str, int]] = set()
        for t in taches:
            h = placements.get(t.index)
            modele.add_hint(present[t.index], h is not None)
            choisie = None
            if h is not None:
                modele.add_hint(debut[t.index], h.debut // pas)
                for n, (commission, (lo, hi), _x, _sf) in enumerate(options[t.index]):
                    if choisie is None and commission == h.commission and lo <= h.debut // pas <= hi:
                        choisie = n
            else:
                modele.add_hint(debut[t.index], options[t.index][0][1][0])
            for n, (_, (lo, _hi), x, sf) in enumerate(options[t.index]):
                modele.add_hint(x, n == choisie)
                modele.add_hint(sf, h.debut // pas if n == choisie and h else lo)
            if choisie is not None:
                ouvertes.add((options[t.index][choisie][0], fenetres_de[t.index][choisie].plage))
            if h is not None:
                for loge, y in loges_choisies.get(t.index, []):
                    if y is not present[t.index]:
                        modele.add_hint(y, h.loge is not None and loge == reserves.reserve_de[h.loge])
            else:
                for _loge, y in loges_choisies.get(t.index, []):
                    if y is not present[t.index]:
                        modele.add_hint(y, False)
        for cle, u in demi.items():
            modele.add_hint(u, cle in ouvertes)
        for siennes, premier, dernier in extremes.values():
            poses = [(placements[t.index].debut // pas, t) for t in siennes if t.index in placements]
            if poses:
                modele.add_hint(premier, min(d - t.preparation // pas for d, t in poses))
                modele.add_hint(dernier, max(d + t.duree // pas for d, t in poses))
            else:
                modele.add_hint(premier, jour_min)
                modele.add_hint(dernier, jour_min)

    # Phase 1 : placements, changements, attente (et demi-journées, au dernier rang des poids).
    depart_sous_plafond = (
        attente_permise is not None
        and len(indice) == len(taches)
        and qualite_jour(probleme, indice)[1] <= attente_permise
    )
    part_phase1 = parametres.part_phase1(depart_sous_plafond)
    fin_phase1 = _maintenant(parametres) + temps * part_phase1
    if secours is not None and len(secours) > len(indice):
        indice = _inserer(
            modele, taches, indice, options, present, debut, parametres, fin_phase1, indiquer, _extraire, pas
        )
    departs = [indice] if secours is None or len(secours) <= len(indice) else [indice, secours]
    meilleure: tuple[float, dict[int, Placement], list[int], bool] | None = None

    def noter(solveur: cp_model.CpSolver, statut: cp_model.CpSolverStatus, optimum: bool) -> None:
        nonlocal meilleure
        if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        valeur = solveur.objective_value
        # À valeur égale, un optimum prouvé remplace le départ figé (sinon la phase 2 tournerait pour rien).
        if meilleure is None or valeur < meilleure[0] or (valeur == meilleure[0] and optimum and not meilleure[3]):
            fixes = [
                sum(solveur.value(x) for x in present.values()),
                sum(solveur.value(x) for x in identiques),
                sum(solveur.value(a) for a in attentes),
            ]
            meilleure = (valeur, _extraire(solveur), fixes, optimum)

    for n, depart in enumerate(departs):
        indiquer(depart)
        # Le départ lui-même, variables fixées à l'indice : la recherche peut s'en écarter sans le retrouver
        # (centre 33 de la session nationale : un indice complet de 190 tâches, une recherche qui n'en place
        # que 188) ; le jour ne rend jamais moins bien que son départ.
        fige = _solveur(parametres, min(0.5, max(0.0, fin_phase1 - _maintenant(parametres))))
        fige.parameters.fix_variables_to_their_hinted_value = True
        noter(fige, fige.solve(modele), optimum=False)
        _compter(parametres, fige)
        solveur = _solveur(parametres, (fin_phase1 - _maintenant(parametres)) / (len(departs) - n))
        statut = solveur.solve(modele, _Rappel(progression, f"jour {date}"))
        _compter(parametres, solveur)
        noter(solveur, statut, optimum=statut == cp_model.OPTIMAL)
        if meilleure is not None and (statut == cp_model.OPTIMAL or len(meilleure[1]) >= max(len(d) for d in departs)):
            break
    if meilleure is None:
        return dict(indice), False
    _, valeurs, fixes, optimum = meilleure
    # Phase 2 (lexicographique) : les trois premiers critères fixés à leur valeur, moins de demi-journées ;
    # avec un plafond d'attente, l'attente peut remonter jusqu'à lui (le modèle la compte en étendues :
    # attente + minutes occupées, constantes à tâches placées égales).
    plafond = fixes[2]
    if attente_permise is not None:
        plafond += max(0, attente_permise - qualite_jour(probleme, valeurs)[1]) // pas
    if demi and (not optimum or plafond > fixes[2]):
        modele.add(places >= fixes[0])
        if identiques:
            modele.add(memes >= fixes[1])
        modele.add(attente <= plafond)
        modele.minimize(demis)
        echeance = _maintenant(parametres) + temps * (1 - part_phase1)
        applicable = agrege.applicable(probleme, _workers(parametres))
        # L'attente permise du jour, jamais sous celle du départ (un jour qui partait au-dessus).
        permise = max(attente_permise or 0, qualite_jour(probleme, valeurs)[1])
        outils = _outils(parametres)
        temps_saut = (echeance - _maintenant(parametres)) * parametres.part_saut
        if applicable and temps_saut >= max(TEMPS_MIN_SAUT, TEMPS_SAUT_PAR_TACHE * len(taches)):
            # D'abord : ce qu'il n'emploie pas (s'il n'a rien à viser, ou échoue vite) revient aux suivants.
            valeurs = relache.sauter(
                probleme, date, taches, valeurs, permise, outils, _maintenant(parametres) + temps_saut, progression
            )
        temps_agrege = (echeance - _maintenant(parametres)) * parametres.part_agrege
        if temps_agrege >= 1 and applicable:
            # Les commissions comptées et non nommées : moins de symétries pour fermer des demi-journées.
            nouvelles = agrege.fermer(
                probleme, date, taches, valeurs, plafond, lambda t: _solveur(parametres, t),
                lambda s: _compter(parametres, s), temps_agrege,
            )  # fmt: skip
            if nouvelles is not None and len(nouvelles) == len(valeurs):
                demis_avant, demis_apres = qualite_jour(probleme, valeurs)[2], qualite_jour(probleme, nouvelles)[2]
                if demis_apres < demis_avant:
                    progression(f"jour {date} : modèle agrégé, {demis_avant} → {demis_apres} demi-journées")
                    valeurs = nouvelles
        temps_relache = (echeance - _maintenant(parametres)) * parametres.part_relache
        if temps_relache >= TEMPS_MIN_RELACHE and applicable:
            valeurs = relache.fermer(
                probleme, date, taches, valeurs, permise, outils,
                _maintenant(parametres) + temps_relache, progression,
            )  # fmt: skip
        valeurs = _fermer_demi_journees(
            probleme, modele, taches, valeurs, options, fenetres_de, present, debut, demi, parametres,
            echeance, indiquer, _extraire, progression, date, pas,
        )  # fmt: skip
        if echeance - _maintenant(parametres) > 0.5:  # toutes les cibles essayées : le modèle entier, au temps restant
            indiquer(valeurs)
            solveur = _solveur(parametres, echeance - _maintenant(parametres))
            statut = solveur.solve(modele, _Rappel(progression, f"jour {date} (demi-journées)"))
            _compter(parametres, solveur)
            if statut in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                valeurs = _extraire(solveur)
    return valeurs, optimum


def _fixer(
    sous: cp_model.CpModel,
    i: int,
    p: Placement,
    options: list[tuple[str, tuple[int, int], cp_model.IntVar, cp_model.IntVar]],
    present: cp_model.IntVar,
    debut: cp_model.IntVar,
    pas: int,
) -> None:
    """Dans la copie `sous`, la tâche `i` reste où `p` la place."""
    n = next(n for n, (k, (lo, hi), _, _) in enumerate(options) if k == p.commission and lo <= p.debut // pas <= hi)
    sous.add(sous.get_bool_var_from_proto_index(present.index) == 1)
    sous.add(sous.get_bool_var_from_proto_index(options[n][2].index) == 1)
    sous.add(sous.get_int_var_from_proto_index(debut.index) == p.debut // pas)


def _inserer(
    modele: cp_model.CpModel,
    taches: list[Tache],
    indice: dict[int, Placement],
    options: dict[int, list[tuple[str, tuple[int, int], cp_model.IntVar, cp_model.IntVar]]],
    present: dict[int, cp_model.IntVar],
    debut: dict[int, cp_model.IntVar],
    parametres: Parametres,
    echeance: float,
    indiquer: Callable[[dict[int, Placement]], None],
    extraire: Callable[[cp_model.CpSolver], dict[int, Placement]],
    pas: int,
) -> dict[int, Placement]:
    """Voisinages de réparation : l'indice laisse des tâches de côté. On libère leurs candidats et, par
    paquets, ceux qui passent devant les mêmes commissions ; le reste de l'indice est fixé."""
    manquantes = [t for t in taches if t.index not in indice and t.raison is None]
    fautifs = {t.candidat for t in manquantes}
    utiles = {k for t in manquantes for k in t.commissions}
    par_index = {t.index: t for t in taches}
    nombre: dict[str, int] = defaultdict(int)
    for i in indice:
        nombre[par_index[i].candidat] += 1
    voisins = sorted(
        {par_index[i].candidat for i, p in indice.items() if p.commission in utiles} - fautifs,
        key=lambda c: (nombre[c], c),
    )
    taille = 12
    for depart in range(0, max(1, len(voisins)), taille):
        if _maintenant(parametres) > echeance - 1.0 or len(indice) == len(taches):
            break
        libres = fautifs | set(voisins[depart : depart + taille])
        indiquer(indice)
        sous = modele.clone()
        for i, p in indice.items():
            if par_index[i].candidat not in libres:
                _fixer(sous, i, p, options[i], present[i], debut[i], pas)
        solveur = _solveur(parametres, min(2.0, (echeance - _maintenant(parametres)) / 2))
        statut = solveur.solve(sous)
        _compter(parametres, solveur)
        if statut in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            trouve = extraire(solveur)
            if len(trouve) > len(indice):
                indice = trouve
                fautifs = {t.candidat for t in taches if t.index not in indice and t.raison is None}
    return indice


def _fermer_demi_journees(
    probleme: Probleme,
    modele: cp_model.CpModel,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    options: dict[int, list[tuple[str, tuple[int, int], cp_model.IntVar, cp_model.IntVar]]],
    fenetres_de: dict[int, tuple[Fenetre, ...]],
    present: dict[int, cp_model.IntVar],
    debut: dict[int, cp_model.IntVar],
    demi: dict[tuple[str, int], cp_model.IntVar],
    parametres: Parametres,
    echeance: float,
    indiquer: Callable[[dict[int, Placement]], None],
    extraire: Callable[[cp_model.CpSolver], dict[int, Placement]],
    progression: Progression,
    date: str,
    pas: int,
) -> dict[int, Placement]:
    """Voisinage dédié : fermer une demi-journée (commission, plage) peu remplie.

    La demi-journée visée et toutes celles qui sont fermées sont interdites ; seuls bougent les candidats
    qui passent devant le même groupe de commissions dans la même plage ; les autres restent en place.
    Toute solution trouvée compte donc au moins une demi-journée de moins, à critères précédents égaux
    (contraintes déjà posées sur `modele`).
    """
    par_index = {t.index: t for t in taches}
    groupe_de: dict[str, int] = {}
    groupes = _groupes(taches)
    for numero, groupe in enumerate(groupes):
        for t in groupe:
            for k in t.commissions:
                groupe_de[k] = numero
    # Un groupe qui n'ouvre pas plus de demi-journées que sa borne du jour n'en fermera aucune : inutile d'y
    # chercher (les langues rares, peu remplies, seraient sinon visées les premières, et après chaque succès).
    bornes = [demi_journees_du_jour(probleme, [t for t in groupe if t.index in valeurs], date) for groupe in groupes]

    def position(i: int, p: Placement) -> tuple[int, int]:
        lo_hi = [(n, f) for n, f in enumerate(fenetres_de[i]) if f.commission == p.commission]
        for n, f in lo_hi:
            if f.debut_min <= p.debut <= f.debut_max:
                return n, f.plage
        raise AssertionError("placement hors de ses fenêtres")

    essayees: set[tuple[str, int]] = set()
    while _maintenant(parametres) < echeance - 0.3:
        charges: dict[tuple[str, int], int] = defaultdict(int)
        plage_de: dict[int, int] = {}
        for i, p in valeurs.items():
            _, h = position(i, p)
            plage_de[i] = h
            charges[(p.commission, h)] += par_index[i].duree
        ouvertes: dict[int, int] = defaultdict(int)
        for commission, _ in charges:
            ouvertes[groupe_de[commission]] += 1
        cibles = sorted(
            (c, k)
            for k, c in charges.items()
            if k not in essayees and ouvertes[groupe_de[k[0]]] > bornes[groupe_de[k[0]]]
        )
        if not cibles:
            break
        _, cible = cibles[0]
        essayees.add(cible)
        numero = groupe_de[cible[0]]
        libres = {
            par_index[i].candidat
            for i, p in valeurs.items()
            if groupe_de.get(p.commission) == numero and plage_de[i] == cible[1]
        }
        indiquer(valeurs)
        sous = modele.clone()
        for i, p in valeurs.items():
            if par_index[i].candidat in libres:
                continue
            _fixer(sous, i, p, options[i], present[i], debut[i], pas)
        for cle, u in demi.items():
            if cle == cible or cle not in charges:
                sous.add(sous.get_bool_var_from_proto_index(u.index) == 0)
        solveur = _solveur(parametres, min(parametres.temps_voisinage, echeance - _maintenant(parametres)))
        statut = solveur.solve(sous)
        _compter(parametres, solveur)
        if statut in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            valeurs = extraire(solveur)
            essayees.clear()
            progression(f"jour {date} : demi-journée {cible[0]}/{cible[1]} fermée ({len(charges) - 1} au plus)")
    return valeurs


def _libre_puis_reduit(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    indice: dict[int, Placement],
    parametres: Parametres,
    temps: float,
    progression: Progression,
    secours: dict[int, Placement],
    attente_permise: int,
    tolerance: int = 0,
) -> tuple[dict[int, Placement], bool]:
    """Un jour d'abord sous `Parametres.attente_libre` fois l'attente permise (`Parametres.part_libre` de
    son temps) : sans l'attente pour la retenir, la recherche ferme bien plus de demi-journées ; puis son
    attente ramenée au plus bas, demi-journées au plus égales (`agrege.reduire`, `Parametres.part_reduire`).
    Au temps qui reste, la chaîne sous plafond (`planifier_jour`) repart de là : sa seule phase 2 (fermer
    des demi-journées) si l'attente est revenue sous `attente_permise`, et ce planning est gardé si elle ne
    fait pas mieux ; les deux phases sinon, sur 1 − `Parametres.part_ramener` du temps restant, le reste
    servant à ramener l'attente d'une chaîne qui finirait au-dessus du permis et de `tolerance`
    (`relache.ramener`). Si le départ `indice` tenait sous l'attente permise, le jour y tient aussi (le
    départ est gardé si rien d'autre n'y tient), à `tolerance` minutes près : celles que les jours suivants
    peuvent rendre (`planifier_cpsat`).

    Mesuré sur un jour de 216 tâches, en partant du planning de la chaîne (44 demi-journées, borne du jour
    39) : 60 s sous la même attente en ferment une ; 60 s sans plafond puis 60 s de réduction donnent 39
    pour 9 % d'attente de plus (docs/benchmarks.md, « Vingt-deuxième session »)."""
    echeance = _maintenant(parametres) + temps
    libre, _ = planifier_jour(
        probleme, date, taches, indice, parametres, temps * parametres.part_libre, progression,
        secours=secours, attente_permise=int(attente_permise * parametres.attente_libre),
    )  # fmt: skip
    _, attente, demis = qualite_jour(probleme, libre)
    progression(f"jour {date} : attente permise relâchée, {demis} demi-journées, attente {attente} min")
    retenu: dict[int, Placement] | None = None
    # Un jour relâché qui place moins de tâches que le départ : la chaîne repart du départ.
    depart = libre if len(libre) >= len(indice) else indice
    if len(libre) == len(taches):
        if attente <= attente_permise:
            retenu = libre
        else:
            # L'attente au plus bas, demi-journées au plus égales ; gardée même au-dessus du permis : la chaîne
            # repartira de plus près.
            reduit = agrege.reduire(
                probleme, date, taches, libre, ETENDUE_SANS_CIBLE, lambda t: _solveur(parametres, t),
                lambda s: _compter(parametres, s), temps * parametres.part_reduire, arreter=False,
            )  # fmt: skip
            if reduit is not None and len(reduit) == len(taches):
                depart = reduit
                attente_reduite = qualite_jour(probleme, reduit)[1]
                progression(f"jour {date} : attente ramenée à {attente_reduite} min")
                if attente_reduite <= attente_permise:
                    retenu = reduit
    if retenu is None:
        progression(f"jour {date} : attente non ramenée à {attente_permise} min, chaîne sous plafond")
    reste = echeance - _maintenant(parametres)
    chaine = depart
    if reste >= 1.0:
        # Partie de plus haut que le permis, la chaîne peut y finir un peu au-dessus : du temps est gardé pour
        # l'y ramener ensuite (s'il ne sert pas, il revient aux jours suivants).
        garde = 0.0 if retenu else parametres.part_ramener
        chaine, _ = planifier_jour(
            probleme, date, taches, depart, replace(parametres, part_attente=0.0) if retenu else parametres,
            reste * (1 - garde), progression, secours=secours, attente_permise=attente_permise,
        )  # fmt: skip
    limite = attente_permise + tolerance
    reste = echeance - _maintenant(parametres)
    if len(chaine) == len(taches) and qualite_jour(probleme, chaine)[1] > limite and reste >= 1.0:
        # L'attente ramenée sous la limite, demi-journées au plus égales (`relache.ramener`).
        ramene = relache.ramener(probleme, date, taches, chaine, limite, _outils(parametres), reste, arreter=True)
        if ramene is not None:
            progression(f"jour {date} : attente de la chaîne ramenée à {qualite_jour(probleme, ramene)[1]} min")
            chaine = ramene

    def rang(placements: dict[int, Placement]) -> tuple[int, int, int]:
        places, attente, demis = qualite_jour(probleme, placements)
        return places, demis, attente

    if retenu is not None and rang(retenu) < rang(chaine):
        return retenu, False
    _, attente_chaine, _ = qualite_jour(probleme, chaine)
    if len(chaine) < len(indice) or (
        attente_chaine > limite and len(indice) == len(taches) and qualite_jour(probleme, indice)[1] <= attente_permise
    ):
        # Le départ plaçait plus, ou tenait sous l'attente permise : la chaîne partie de lui aurait gardé
        # ses placements et cette attente (le plafond promis).
        progression(f"jour {date} : départ gardé ({len(chaine)} tâches placées, attente {attente_chaine} min)")
        return indice, False
    return chaine, False


def _rendre_le_plafond(
    probleme: Probleme,
    placements: dict[int, Placement],
    departs: dict[str, dict[int, Placement]],
    plafond: int,
    dire: Progression,
) -> dict[int, Placement]:
    """Si l'attente totale dépasse `plafond` (des jours finis au-dessus de leur attente permise, dans leur
    tolérance, que les suivants n'ont pas rendue), des jours reprennent leur départ (`departs` : le compact,
    sous l'attente permise), du plus grand écart d'attente (le jour moins son départ) au plus petit, tant que
    le total dépasse ; seulement un départ qui attend moins et place autant. C'est la garantie du plafond
    promis."""
    total = qualite_jour(probleme, placements)[1]
    ecarts = []
    for date, depart in departs.items():
        jour = {i: p for i, p in placements.items() if p.date == date}
        _, attente_jour, _ = qualite_jour(probleme, jour)
        _, attente_depart, _ = qualite_jour(probleme, depart)
        if attente_depart < attente_jour and len(depart) >= len(jour):
            ecarts.append((attente_jour - attente_depart, date, jour, depart))
    for ecart, date, jour, depart in sorted(ecarts, key=lambda e: (-e[0], e[1])):
        if total <= plafond:
            break
        resultat = {i: p for i, p in placements.items() if i not in jour}
        resultat.update(depart)
        placements, total = resultat, total - ecart
        dire(f"jour {date} : attente totale au-dessus du plafond, départ repris ({ecart} min de moins)")
    return placements


# --------------------------------------------------------------------------- ensemble


def _venues(probleme: Probleme, placements: dict[int, Placement]) -> tuple[int, int]:
    """(−placées, jours-candidats) : plus petit est meilleur."""
    return -len(placements), len({(probleme.taches[i].candidat, p.date) for i, p in placements.items()})


def _indices(
    probleme: Probleme, jours: dict[int, str], dire: Progression
) -> tuple[dict[int, str], dict[int, Placement], dict[int, Placement]]:
    """L'affectation des jours, le glouton compact et le glouton contraint par ces jours (le secours de
    chaque jour, resserré quand le compact ne place pas tout : le jour partira alors de lui).

    Si le compact laisse des tâches, leurs candidats changent de jour quand c'est possible
    (jours-candidats inchangés) ; ce changement n'est gardé que si le compact place davantage et, soit
    place alors tout, soit laisse au glouton contraint (le secours de chaque jour) autant de tâches."""
    compact = glouton_compact(probleme, jours)
    a_placer = sum(1 for i in jours if probleme.taches[i].raison is None)
    secours = glouton(probleme, jours_imposes=jours)
    simple = secours.placements
    if len(compact.placements) < a_placer:
        essai = compact.copie()
        nouveaux = deplacer_incomplets(probleme, jours, essai)
        if len(essai.placements) > len(compact.placements):
            simple_essai = glouton(probleme, jours_imposes=nouveaux).placements
            if len(essai.placements) == a_placer or len(simple_essai) >= len(simple):
                dire(
                    f"glouton compact : {len(essai.placements) - len(compact.placements)} tâches placées "
                    "en changeant leur candidat de jour"
                )
                return nouveaux, dict(essai.placements), simple_essai
        # Un jour où le compact ne place pas tout partira du secours : resserré ici seulement, où il sert
        # (plusieurs secondes à 450 candidats ; il ne change pas le nombre de tâches placées).
        resserrer(probleme, secours)
    return dict(jours), dict(compact.placements), dict(simple)


def _regroupement_tenable(
    probleme: Probleme, etapes: list[dict[int, str]], a_placer: int, dire: Progression
) -> tuple[tuple[dict[int, str], dict[int, Placement], dict[int, Placement]], bool]:
    """Les indices (`_indices`) de la dernière des `etapes` du regroupement des jours (la première est
    l'affectation qu'il regroupe) où le glouton compact ou le glouton contraint placent `a_placer`
    tâches : la dernière d'abord ; si elle est trop serrée, une recherche par dichotomie entre la première
    et elle (quelques gloutons : l'étape gardée tient, la suivante non). Si même la première est trop
    serrée, ses indices. Le booléen dit si la dernière étape a tenu.

    Mesuré à 450 candidats : la dernière étape était trop serrée trois fois sur cinq, et l'affectation
    seule deux fois sur cinq (docs/benchmarks.md, « Vingt-cinquième session »)."""

    def essayer(numero: int) -> tuple[bool, tuple[dict[int, str], dict[int, Placement], dict[int, Placement]]]:
        resultat = _indices(probleme, etapes[numero], dire)
        return max(len(resultat[1]), len(resultat[2])) >= a_placer, resultat

    dernier = len(etapes) - 1
    tient, resultat = essayer(dernier)
    if tient:
        return resultat, True
    if dernier == 0:
        dire("affectation des jours trop serrée")
        return resultat, False
    tient, premier = essayer(0)
    if not tient:
        dire("jours regroupés trop serrés, et l'affectation aussi")
        return premier, False
    bas, haut, resultat = 0, dernier, premier
    while haut - bas > 1:
        milieu = (bas + haut) // 2
        tient, essai = essayer(milieu)
        if tient:
            bas, resultat = milieu, essai
        else:
            haut = milieu
    dire(f"jours regroupés trop serrés : {bas} regroupements gardés sur {dernier}")
    return resultat, False


def demi_journees_estimees(probleme: Probleme, jours: dict[int, str]) -> int:
    """Les demi-journées qu'il faut au moins aux commissions avec ces jours : pour chaque groupe et chaque
    jour, `demi_journees_du_jour` (la borne à jours fixés, groupe par groupe)."""
    taches = [probleme.taches[i] for i in jours]
    total = 0
    for groupe in _groupes(taches):
        par_jour: dict[str, list[Tache]] = defaultdict(list)
        for t in groupe:
            par_jour[jours[t.index]].append(t)
        total += sum(demi_journees_du_jour(probleme, liste, date) for date, liste in par_jour.items())
    return total


def _attentes_permises(
    probleme: Probleme,
    parametres: Parametres,
    reference: dict[int, Placement],
    secours: dict[int, Placement],
    par_jour: dict[str, list[Tache]],
) -> dict[str, int]:
    """Avec `plafond_attente` r : l'attente permise de chaque jour, en minutes. Le total vaut r × l'attente
    du glouton de référence, réparti entre les jours comme l'attente du glouton contraint par les jours
    (le secours) ; sans plafond, aucune."""
    if parametres.plafond_attente is None:
        return {}
    total = parametres.plafond_attente * qualite_jour(probleme, reference)[1]
    secours_du_jour = {
        date: qualite_jour(probleme, {t.index: secours[t.index] for t in liste if t.index in secours})[1]
        for date, liste in par_jour.items()
    }
    somme = sum(secours_du_jour.values())
    if somme <= 0:
        return {}
    return {date: int(total * w / somme) for date, w in secours_du_jour.items()}


def planifier_cpsat(probleme: Probleme, parametres: Parametres, progression: Progression | None = None) -> Resultat:
    dire = progression or _rien
    horloge = Horloge(deterministe=parametres.workers == 1)
    # Avec un seul worker, le travail Python n'est pas compté : on en garde une part de l'échéance.
    parametres = replace(
        parametres, horloge=horloge, temps_max=parametres.temps_max * (0.6 if horloge.deterministe else 1)
    )
    debut = _maintenant(parametres)
    echeance = debut + parametres.temps_max

    def reste() -> float:
        return max(0.0, echeance - _maintenant(parametres))

    dire("glouton (indice de départ)…")
    initial = glouton(probleme)
    jours_indice = {i: p.date for i, p in initial.placements.items()}
    dire(f"affectation des jours ({len(probleme.taches)} tâches)…")
    affectes = affecter_jours(
        probleme, jours_indice, parametres, min(TEMPS_MAX_AFFECTATION, reste() * parametres.part_jours)
    )
    # Les langues rares (et tout groupe de commissions) regroupées sur moins de jours, venues égales.
    # Les indices du modèle de chaque jour : le glouton compact (tâches de chaque candidat enchaînées)
    # et, en secours, le glouton contraint par cette affectation. Si aucun des deux ne place tout ce que
    # place le glouton, l'affectation est trop serrée : on garde le plus de regroupements qui n'y mène pas
    # (`_regroupement_tenable`) ; et si l'on n'a pu les garder tous, on regroupe aussi les jours du glouton
    # (réalisables), retenus s'ils tiennent avec moins de demi-journées estimées.
    a_placer = len(initial.placements)
    (jours, *indices), complet = _regroupement_tenable(
        probleme, regroupements_successifs(probleme, affectes), a_placer, dire
    )
    if not complet and affectes != jours_indice:
        (autres, *indices_autres), _ = _regroupement_tenable(
            probleme, regroupements_successifs(probleme, jours_indice), a_placer, dire
        )
        tiennent = max(len(h) for h in indices_autres) >= a_placer
        if tiennent and (
            max(len(h) for h in indices) < a_placer
            or demi_journees_estimees(probleme, autres) < demi_journees_estimees(probleme, jours)
        ):
            dire("jours du glouton regroupés")
            jours, indices = autres, indices_autres
    placements: dict[int, Placement] = {}
    optimal = True
    par_jour: dict[str, list[Tache]] = defaultdict(list)
    for i, date in jours.items():
        par_jour[date].append(probleme.taches[i])
    total = sum(len(v) for v in par_jour.values()) or 1
    restant = total
    permises = _attentes_permises(probleme, parametres, initial.placements, indices[1], par_jour)
    # L'attente permise qu'un jour n'a pas prise passe au jour suivant (celle qu'il a prise en trop, s'il
    # partait déjà au-dessus, en est retirée) : le total reste r × l'attente du glouton.
    report = 0
    # Ce que le départ (compact) de chaque jour laisse de son attente permise : la moitié de celui des jours
    # suivants est la tolérance d'un jour relâché qui finit un peu au-dessus de la sienne (au lieu de
    # garder son départ, qui ouvre une douzaine de demi-journées de plus à 450 candidats) ; s'il en reste
    # trop à la fin, `_rendre_le_plafond` rend leur départ à ces jours-là.
    compacts = {d: {t.index: indices[0][t.index] for t in par_jour[d] if t.index in indices[0]} for d in permises}
    marges = {d: max(0, permise - qualite_jour(probleme, compacts[d])[1]) for d, permise in permises.items()}
    departs_des_jours: dict[str, dict[int, Placement]] = {}
    for date in probleme.dates:
        liste = par_jour.get(date, [])
        if not liste:
            continue
        temps = reste() * len(liste) / restant
        restant -= len(liste)
        dire(f"jour {date} : {len(liste)} tâches, {temps:.0f} s")
        compact, simple = ({t.index: ind[t.index] for t in liste if t.index in ind} for ind in indices)
        permise = None if date not in permises else permises[date] + report
        if (
            permise is not None
            and parametres.part_libre > 0
            and TEMPS_MIN_LIBRE <= temps <= TEMPS_MAX_LIBRE_PAR_TACHE * len(liste)
            and agrege.applicable(probleme, _workers(parametres))
        ):
            suivants = [d for d in probleme.dates if d > date]
            tolerance = sum(marges.get(d, 0) for d in suivants) // 2
            resultat, optimum = _libre_puis_reduit(
                probleme, date, liste, compact, parametres, temps, dire, simple, permise, tolerance
            )
            departs_des_jours[date] = compact
        else:
            resultat, optimum = planifier_jour(
                probleme, date, liste, compact, parametres, temps, dire, secours=simple, attente_permise=permise
            )
        if len(resultat) < len(simple):  # jamais moins de tâches placées ce jour que le glouton
            resultat, optimum = simple, False
        q0, q1, q2 = (qualite_jour(probleme, h) for h in (simple, compact, resultat))
        if date in permises:
            report = permises[date] + report - q2[1]
        dire(
            f"jour {date} : {-q2[0]} tâches placées, attente {q2[1]} min, {q2[2]} demi-journées "
            f"(glouton {-q0[0]}/{q0[1]}/{q0[2]}, compact {-q1[0]}/{q1[1]}/{q1[2]})"
        )
        placements.update(resultat)
        optimal = optimal and optimum

    if permises:
        placements = _rendre_le_plafond(probleme, placements, departs_des_jours, sum(permises.values()), dire)
    # Réparation : ce qui reste non placé est tenté au glouton, n'importe quel jour.
    manquantes = [t for t in probleme.taches if t.raison is None and t.index not in placements]
    if manquantes:
        dire(f"réparation gloutonne de {len(manquantes)} tâches")
        etat = Etat(probleme)
        for p in placements.values():
            etat.placer(p)
        glouton(probleme, etat=etat)
        placements = dict(etat.placements)
    # Filet de sécurité : jamais pire que le glouton sur les deux premiers critères.
    if _venues(probleme, placements) > _venues(probleme, initial.placements):
        dire("le glouton est meilleur (placés, jours-candidats) : on garde le glouton")
        return Resultat(dict(initial.placements), False)
    return Resultat(placements, optimal)
