"""Bornes inférieures des critères de qualité, calculées avant toute recherche.

Elles disent si un centre est impossible avec ses jours, commissions, places de loge ou postes, et de
combien de passages au moins. Un *groupe* de commissions est une composante connexe : deux commissions
sont reliées quand une même tâche peut passer devant l'une ou l'autre ; les groupes ne partagent donc
aucune tâche et leurs déficits s'additionnent.

Demi-journées de commission : pour chaque groupe, le plus petit nombre de demi-journées (commission,
date, plage) où ranger tous les passages du groupe, chacun dans une fenêtre d'une demi-journée ouverte
(un *empaquetage* : `empaquetage_minimal`). La fenêtre d'une demi-journée tient compte de la préparation
(qui doit tenir dans la plage) et de la disponibilité de la commission (`probleme.fenetres_demi_journees`) ;
les passages d'une fenêtre y sont disjoints, leurs durées s'additionnent donc sans la dépasser. C'est un
relâchement : l'heure de chaque passage, les candidats, les loges et les postes n'y figurent pas, et tout
passage du groupe peut aller devant toute commission du groupe. L'empaquetage compte combien de passages
de chaque durée existent (trois E5B majorées de 55 min ne remplissent pas six après-midi) ; il vaut au
moins l'ancienne borne par capacités (le plus petit nombre de demi-journées, prises parmi les plus
grandes, dont les capacités `probleme.capacites_demi_journees` totalisent les minutes du groupe), qui
vaut elle-même au moins la borne du format (⌈minutes ÷ plus longue plage⌉). L'empaquetage laisse tout
passage aller devant toute commission du groupe ; la *couverture* (`couverture_minimale`) compte les
commissions qu'il faut au moins pour que chaque passage en ait une devant laquelle il peut aller (conflits
d'établissement, disponibilités) : chacune ouvre au moins une demi-journée. On garde la plus grande.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from examens.planning.formats import Instance, Planning
from examens.planning.probleme import (
    Probleme,
    Tache,
    capacites_demi_journees,
    construire,
    fenetres_demi_journees,
    groupes_de_commissions,
    minutes_communes,
    plus_petit_nombre,
)


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
    demi_journees_par_groupe: int  # la somme des bornes de chaque groupe, sans les loges ni les postes partagés
    capacites: tuple[Capacite, ...]
    impossibles: tuple[Impossible, ...]
    # ce que prouve le modèle de tous les groupes ensemble, s'il a été calculé (`temps_ressources`)
    avec_ressources: AvecRessources | None = None

    @property
    def faisable(self) -> bool:
        return self.non_planifies == 0


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
    k = plus_petit_nombre(tailles, demande)
    return min(len(tailles), math.ceil(demande / plus_longue)) if k is None else k


# Au-delà, on garde la borne par capacités (l'empaquetage deviendrait long à écrire et à résoudre).
_CONFIGURATIONS_MAX = 2_000
_ESSAIS_MAX = 200_000


def _configurations(longueur: int, durees: list[int], nombres: Counter[int]) -> list[tuple[int, ...]] | None:
    """Les remplissages maximaux d'une fenêtre de `longueur` minutes : combien de passages de chaque durée
    (au plus `nombres[d]`), de total ≤ `longueur`, auxquels on ne peut plus en ajouter aucun. None s'il y
    en a plus de `_CONFIGURATIONS_MAX`, ou s'il faut plus de `_ESSAIS_MAX` essais pour les trouver."""
    resultat: list[tuple[int, ...]] = []
    essais = 0

    def remplir(i: int, reste: int, choisis: list[int]) -> bool:
        nonlocal essais
        essais += 1
        if essais > _ESSAIS_MAX or len(resultat) > _CONFIGURATIONS_MAX:
            return False
        if i == len(durees):
            if all(k == nombres[d] or reste < d for d, k in zip(durees, choisis, strict=True)):
                resultat.append(tuple(choisis))
            return True
        d = durees[i]
        return all(remplir(i + 1, reste - k * d, [*choisis, k]) for k in range(min(reste // d, nombres[d]), -1, -1))

    return resultat if remplir(0, longueur, []) else None


def empaquetage_minimal(durees: Iterable[int], demi_journees: Iterable[tuple[int, ...]]) -> int | None:
    """Le plus petit nombre de demi-journées à ouvrir pour ranger des passages de ces `durees` ; chaque
    demi-journée est donnée par les longueurs de ses fenêtres, et les passages d'une fenêtre totalisent au
    plus sa longueur. None si c'est impossible, ou si le modèle serait trop grand.

    Modèle de découpe (CP-SAT) : les demi-journées identiques forment une classe, dont on ouvre un nombre
    entier ; chaque fenêtre ouverte reçoit au plus un remplissage maximal (`_configurations`), et les
    remplissages couvrent les passages de chaque durée. La valeur rendue est la borne inférieure prouvée
    par le solveur (l'optimum, en pratique, en quelques centièmes de seconde), donc toujours une borne ;
    un seul worker et une limite en temps déterministe : le résultat est reproductible.
    """
    from ortools.sat.python import cp_model  # chargé seulement quand on calcule les bornes

    nombres = Counter(d for d in durees if d > 0)
    if not nombres:
        return 0
    liste = sorted(nombres)
    classes = Counter(tuple(sorted(f)) for f in demi_journees)
    modele = cp_model.CpModel()
    ouvertes = []
    couverture: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
    # Les minutes que chaque classe peut contenir (ses remplissages les plus longs) : une contrainte
    # redondante, et la borne par capacités qui en découle, que le solveur seul ne prouve pas toujours à
    # temps (22 passages, trois demi-journées : solution à 3 trouvée, borne prouvée 1).
    capacites: list[tuple[cp_model.IntVar, int, int]] = []
    for fenetres, nombre in sorted(classes.items()):
        o = modele.new_int_var(0, nombre, "")
        ouvertes.append(o)
        capacite = 0
        for longueur in fenetres:
            configurations = _configurations(longueur, liste, nombres)
            if configurations is None:
                return None
            capacite += max((sum(d * k for d, k in zip(liste, c, strict=True)) for c in configurations), default=0)
            utilisees = []
            for configuration in configurations:
                if not any(configuration):
                    continue
                y = modele.new_int_var(0, nombre, "")
                utilisees.append(y)
                for d, k in zip(liste, configuration, strict=True):
                    if k:
                        couverture[d].append(k * y)
            if utilisees:
                modele.add(sum(utilisees) <= o)
        capacites.append((o, capacite, nombre))
    demande = sum(d * n for d, n in nombres.items())
    modele.add(sum(capacite * o for o, capacite, _ in capacites) >= demande)
    par_capacites = plus_petit_nombre((c for _, c, n in capacites for _ in range(n)), demande)
    if par_capacites is None:
        return None
    for d in liste:
        if not couverture[d]:
            return None
        modele.add(sum(couverture[d]) >= nombres[d])
    modele.minimize(sum(ouvertes))
    solveur = cp_model.CpSolver()
    solveur.parameters.num_workers = 1
    solveur.parameters.max_deterministic_time = 2.0
    solveur.parameters.max_time_in_seconds = 30.0
    statut = solveur.solve(modele)
    if statut in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return None
    return max(par_capacites, math.ceil(solveur.best_objective_bound - 1e-6))


# Au-delà de ce nombre de variables de début, le modèle avec les loges et les postes n'est pas construit.
_DEBUTS_MAX = 200_000


# Une sorte de tâches : (date imposée, durée, préparation, loges acceptées, partie sur poste, épreuves).
_Sorte = tuple[str | None, int, int, frozenset[str], tuple[int, int] | None, int]


@dataclass(frozen=True, slots=True)
class AvecRessources:
    """Ce que prouve le modèle de tous les groupes ensemble (`avec_ressources`)."""

    non_planifies: int  # passages au moins non plaçables (épreuves, comme `Bornes.non_planifies`)
    demi_journees: int | None  # pour les plannings qui placent tout ; None s'il n'y en a pas, ou si inconnu


def avec_ressources(
    probleme: Probleme,
    groupes: Sequence[tuple[Sequence[Tache], int]],
    *,
    temps_max: float,
    dates: Mapping[int, str] | None = None,
) -> AvecRessources | None:
    """Combien de passages au moins ne peuvent pas être placés, et au moins combien de demi-journées il
    faut pour les ranger tous, quand tous les groupes *ensemble* se partagent les loges (préparations) et
    les postes. None si le modèle ne s'applique pas (une épreuve et celle qui la suit peuvent tomber dans
    deux plages qui se touchent) ou serait trop grand.

    `groupes` : pour chaque groupe de commissions, ses tâches et une borne déjà connue de ses
    demi-journées (`_demi_journees`), posée en contrainte. `dates` : la date imposée de certaines tâches
    (index de la tâche → date), pour la borne à jours fixés.

    Les bornes groupe par groupe ignorent les loges : dix commissions d'E4 qui ouvrent leur après-midi à
    13 h ont besoin de dix places de loge de 13 h à 13 h 40, qui manquent alors aux langues. Ce modèle
    CP-SAT, indexé par le temps (la grille `pas`), les voit. Pour chaque plage de chaque jour :
    - le nombre de commissions ouvertes de chaque groupe, par motif de disponibilité dans la plage (les
      commissions au même motif sont interchangeables) : c'est ce qu'on minimise ;
    - le nombre de passages de chaque sorte (durée, préparation, loges, poste) qui commencent à chaque pas,
      la préparation dans la plage et le passage chez une commission du groupe disponible ;
    - à chaque pas : les passages en cours d'un groupe au plus ses commissions ouvertes et disponibles
      (des intervalles qui se chevauchent au plus k à la fois se rangent en k suites disjointes : pour
      des commissions au même motif, c'est exact) ; les préparations au plus les places des loges qui
      les acceptent (pour chaque réunion d'ensembles de loges acceptés, les préparations qui n'acceptent
      que ces loges au plus leurs places) ; les parties sur poste au plus les postes.
    Les passages placés d'un planning en donnent une solution, de même nombre de demi-journées : c'est un
    relâchement. Il ignore les candidats (battement, passages d'un même jour, arrivée), les examinateurs
    de plusieurs commissions, les sujets, et laisse tout passage d'un groupe aller devant toute commission
    du groupe.

    Deux résolutions du même modèle : d'abord le moins de passages laissés de côté (un quart du temps au
    plus ; les places de loge se comptent à chaque pas, et non plus en minutes sur tout le centre : une
    place, treize E4 sur deux après-midi, la loge a le temps de 15 préparations mais six seulement tiennent
    par après-midi) ; puis, si tout peut tenir, le moins de demi-journées avec tous les passages placés,
    chaque groupe au moins sa borne. Les valeurs rendues sont les bornes prouvées par le solveur (l'optimum
    quand il le prouve à temps), donc toujours des bornes ; un seul worker et une limite en temps
    déterministe : elles sont reproductibles.
    """
    from ortools.sat.python import cp_model  # chargé seulement quand on calcule les bornes

    instance = probleme.instance
    pas = instance.pas
    if _chaines_a_cheval(probleme, [t for liste, _ in groupes for t in liste]):
        return None
    disponibles = {c.id: c.disponible for c in instance.commissions}
    modele = cp_model.CpModel()
    ouvertes: list[cp_model.IntVar] = []
    comptes: list[tuple[cp_model.LinearExprT, int, int]] = []  # (passages placés, à placer, épreuves de chacun)
    coupes: list[tuple[list[cp_model.IntVar], int]] = []  # (demi-journées d'un groupe, sa borne)
    nombre_de_debuts = 0
    # (date, plage) -> pas -> [(loges acceptées, variable)] ; (date, plage) -> pas -> [variable]
    preparations: dict[tuple[str, int], dict[int, list[tuple[frozenset[str], cp_model.IntVar]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    sur_poste: dict[tuple[str, int], dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    for liste, borne in groupes:
        sortes: Counter[_Sorte] = Counter(
            (
                dates.get(t.index) if dates else None,
                t.duree,
                t.preparation,
                frozenset(t.loges) if t.preparation else frozenset(),
                t.poste,
                len(t.epreuves),
            )
            for t in liste
        )
        commissions = sorted({k for t in liste for k in t.commissions})
        debuts: dict[_Sorte, list[cp_model.IntVar]] = defaultdict(list)
        du_groupe: list[cp_model.IntVar] = []
        for jour in instance.jours:
            for h, plage in enumerate(jour.plages):
                motifs: Counter[tuple[tuple[int, int], ...]] = Counter()
                for k in commissions:
                    intervalles = []
                    for dispo in disponibles[k]:
                        if dispo.date != jour.date:
                            continue
                        for q in dispo.plages:
                            a = -(-max(q.debut, plage.debut) // pas) * pas
                            b = min(q.fin, plage.fin) // pas * pas
                            if b > a:
                                intervalles.append((a, b))
                    if intervalles:
                        motifs[tuple(sorted(intervalles))] += 1
                if not motifs:
                    continue
                x = {motif: modele.new_int_var(0, n, "") for motif, n in sorted(motifs.items())}
                du_groupe.extend(x.values())
                en_cours: dict[int, list[cp_model.IntVar]] = defaultdict(list)
                for sorte, n in sorted(sortes.items(), key=lambda kv: repr(kv[0])):
                    date, duree, preparation, loges, poste, _ = sorte
                    if date is not None and date != jour.date:
                        continue
                    premier = -(-(plage.debut + preparation) // pas) * pas
                    for debut in range(premier, plage.fin - duree + 1, pas):
                        if not any(a <= debut and debut + duree <= b for motif in x for a, b in motif):
                            continue
                        y = modele.new_int_var(0, n, "")
                        nombre_de_debuts += 1
                        if nombre_de_debuts > _DEBUTS_MAX:
                            return None
                        debuts[sorte].append(y)
                        for s in range(debut, debut + duree, pas):
                            en_cours[s].append(y)
                        if preparation and loges:
                            for s in range(debut - preparation, debut, pas):
                                preparations[(jour.date, h)][s].append((loges, y))
                        if poste is not None:
                            for s in range(debut + poste[0], debut + poste[0] + poste[1], pas):
                                sur_poste[(jour.date, h)][s].append(y)
                for s, variables in en_cours.items():
                    modele.add(sum(variables) <= sum(v for motif, v in x.items() if any(a <= s < b for a, b in motif)))
        for sorte, n in sortes.items():
            modele.add(sum(debuts[sorte]) <= n)
            comptes.append((sum(debuts[sorte]), n, sorte[-1]))
        coupes.append((du_groupe, borne))
        ouvertes.extend(du_groupe)
    places = {loge.id: loge.places for loge in instance.loges}
    ensembles = sorted(
        {loges for parplage in preparations.values() for en_loge in parplage.values() for loges, _ in en_loge},
        key=sorted,
    )
    if len(ensembles) <= 8:
        reunions = {
            frozenset().union(*c) for r in range(1, len(ensembles) + 1) for c in itertools.combinations(ensembles, r)
        }
    else:  # chaque ensemble, et toutes les loges : moins de contraintes, toujours un relâchement
        reunions = {*ensembles, frozenset(places)}
    for parplage in preparations.values():
        for en_loge in parplage.values():
            for reunion in sorted(reunions, key=sorted):
                variables = [y for loges, y in en_loge if loges <= reunion]
                if variables:
                    modele.add(sum(variables) <= sum(places[i] for i in reunion))
    for parplage_postes in sur_poste.values():
        for variables in parplage_postes.values():
            modele.add(sum(variables) <= instance.postes)
    solveur = cp_model.CpSolver()
    solveur.parameters.num_workers = 1

    def resoudre(temps: float) -> float | None:
        solveur.parameters.max_deterministic_time = temps
        solveur.parameters.max_time_in_seconds = 3 * temps  # garde-fou sur une machine très lente
        statut = solveur.solve(modele)
        if statut == cp_model.INFEASIBLE:
            return math.inf
        if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
            return None
        return solveur.best_objective_bound if math.isfinite(solveur.best_objective_bound) else None

    # 1. Le moins de passages (épreuves) laissés de côté.
    modele.minimize(sum(epreuves * (n - placees) for placees, n, epreuves in comptes))
    manquants = resoudre(temps_max / 4)  # jamais infaisable : ne rien placer est une solution
    non_planifies = 0 if manquants is None or math.isinf(manquants) else math.ceil(manquants - 1e-6)
    if non_planifies > 0:
        return AvecRessources(non_planifies, None)
    # 2. Tout placé : le moins de demi-journées, chaque groupe au moins sa borne.
    for placees, n, _ in comptes:
        modele.add(placees == n)
    for du_groupe, borne in coupes:
        modele.add(sum(du_groupe) >= borne)
    modele.minimize(sum(ouvertes))
    demi_journees = resoudre(temps_max * 3 / 4)
    if demi_journees is None:
        return AvecRessources(non_planifies, None)
    if math.isinf(demi_journees):  # rien ne tient, sans que la première résolution l'ait prouvé à temps
        return AvecRessources(max(1, non_planifies), None)
    return AvecRessources(non_planifies, math.ceil(demi_journees - 1e-6))


def _chaines_a_cheval(probleme: Probleme, taches: list[Tache]) -> bool:
    """Une épreuve et celle qui la `suit` peuvent-elles tomber dans deux demi-journées ? Oui si une tâche
    en enchaîne deux et qu'un jour a deux plages qui se touchent (la première finit dans l'une, la suivante
    commence au début de l'autre)."""
    return any(len(t.durees) > 1 for t in taches) and any(
        a.fin >= b.debut for j in probleme.instance.jours for a, b in itertools.pairwise(j.plages)
    )


def _demi_journees(
    probleme: Probleme, taches: list[Tache], demande: int, plus_longue: int, date: str | None = None
) -> int:
    """Au moins autant de demi-journées qu'il en faut pour ranger les passages de `taches` (le jour `date`
    seulement, s'il est donné).

    Par capacités : chaque demi-journée du groupe contient au plus `capacites_demi_journees` minutes
    d'épreuve ; pour loger `demande` minutes, il faut au moins le plus petit nombre k tel que les k plus
    grandes capacités totalisent `demande` (si même toutes n'y suffisent pas, centre infaisable : on
    revient à ⌈demande ÷ plus longue plage⌉, bornée par le nombre de demi-journées). Par empaquetage
    (`empaquetage_minimal`), souvent davantage ; par couverture (`_couverture` : les commissions qu'il
    faut au moins pour que chaque passage en ait une), parfois davantage encore ; on garde la plus grande.

    Si une épreuve et celle qui la suit peuvent tomber dans deux demi-journées (`_chaines_a_cheval`), on
    range chaque épreuve à part, dans des fenêtres ouvertes dès le début de la plage : la suivante n'a
    pas de préparation.
    """
    a_part = _chaines_a_cheval(probleme, taches)
    durees = [d for t in taches for d in t.durees] if a_part else [t.duree for t in taches]
    fenetres = fenetres_demi_journees(probleme, taches, preparation=not a_part)
    capacites = capacites_demi_journees(probleme, taches, epreuves_a_part=a_part)
    if date is not None:
        capacites = {k: v for k, v in capacites.items() if k[1] == date}
        fenetres = {k: v for k, v in fenetres.items() if k[1] == date}
    par_capacites = _plus_petit_nombre(list(capacites.values()), demande, plus_longue)
    empaquetage = empaquetage_minimal(durees, fenetres.values())
    return max(par_capacites, empaquetage or 0, _couverture(probleme, taches, date))


def couverture_minimale(ensembles: Iterable[frozenset[str]], essais_max: int = 100_000) -> int:
    """Le plus petit nombre de commissions parmi lesquelles chaque ensemble en a au moins une.

    Chaque commission devant laquelle passe au moins un candidat ouvre au moins une demi-journée : deux
    candidats d'italien, l'un de l'établissement du seul examinateur de la commission K1, l'autre de celui
    de K2, en ouvrent deux, quelles que soient leurs minutes. Recherche exhaustive par tailles croissantes ;
    au-delà de `essais_max` sous-ensembles essayés, la taille en cours (aucune plus petite ne convient :
    c'est encore une borne)."""
    distincts = {e for e in ensembles if e}
    minimaux = [e for e in distincts if not any(f < e for f in distincts)]
    if not minimaux:
        return 0
    univers = sorted(set().union(*minimaux))
    essais = 0
    for taille in range(1, len(univers) + 1):
        for choix in itertools.combinations(univers, taille):
            essais += 1
            if essais > essais_max:
                return taille
            retenues = set(choix)
            if all(e & retenues for e in minimaux):
                return taille
    return len(univers)  # pragma: no cover - l'univers entier convient toujours


def _couverture(probleme: Probleme, taches: Iterable[Tache], date: str | None) -> int:
    """`couverture_minimale` des commissions devant lesquelles chaque tâche peut passer (le jour `date`, s'il
    est donné ; sinon un jour quelconque)."""
    dates = [date] if date is not None else [j.date for j in probleme.instance.jours]
    return couverture_minimale(
        frozenset(f.commission for d in dates for f in probleme.fenetres.get((t.index, d), ())) for t in taches
    )


def demi_journees_du_jour(probleme: Probleme, taches: list[Tache], date: str) -> int:
    """Au moins autant de demi-journées du jour `date` qu'il en faut pour ranger les passages de `taches`
    (un groupe de commissions) ce jour-là (`_demi_journees`)."""
    plus_longue = max(p.minutes for j in probleme.instance.jours for p in j.plages)
    return _demi_journees(probleme, taches, sum(t.duree for t in taches), plus_longue, date)


@dataclass(frozen=True, slots=True)
class JourDeGroupe:
    date: str
    minutes: int  # minutes d'épreuve du groupe ce jour-là dans le planning
    borne: int  # borne des demi-journées de ces passages, dans les seules demi-journées de ce jour
    planning: int  # demi-journées (commission, plage) du groupe que le planning ouvre ce jour-là


@dataclass(frozen=True, slots=True)
class EcartDeGroupe:
    """D'où vient l'écart entre les demi-journées d'un planning et la borne, pour un groupe de commissions."""

    groupe: str  # « E4 », « E2:anglais/LV2:anglais »
    borne: int  # tous jours confondus
    jours: tuple[JourDeGroupe, ...]

    @property
    def borne_a_jours_fixes(self) -> int:
        """Ranger chaque jour à part est un rangement de l'ensemble : jamais moins que `borne` (la somme
        par jour ne peut lui être inférieure que si un calcul a renoncé ou n'a pas atteint l'optimum)."""
        return max(self.borne, sum(j.borne for j in self.jours))

    @property
    def planning(self) -> int:
        return sum(j.planning for j in self.jours)


def ecarts_par_groupe(instance: Instance, planning: Planning, probleme: Probleme | None = None) -> list[EcartDeGroupe]:
    """Pour chaque groupe de commissions : sa borne des demi-journées, celle de chaque jour avec les jours
    des passages de `planning`, et les demi-journées que `planning` ouvre chaque jour. De la borne à la somme
    des bornes par jour : ce que coûte la répartition des candidats par jour ; de celle-ci au planning : le
    remplissage de chaque jour. Les passages absents de `planning` ne comptent pas, ni ceux d'un jour qui
    n'est pas dans l'instance (le vérificateur les refuse)."""
    probleme = probleme or construire(instance)
    plages = {j.date: j.plages for j in instance.jours}
    passages = {(p.candidat, p.epreuve): p for p in planning.passages if p.date in plages}
    taches = [t for t in probleme.taches if t.raison is None and (t.candidat, t.epreuves[0]) in passages]
    plus_longue = max(p.minutes for j in instance.jours for p in j.plages)

    def demi_journees(t: Tache) -> set[tuple[str, int]]:
        """Les demi-journées des passages de la tâche (une épreuve et celle qui la suit peuvent tomber dans
        deux plages qui se touchent)."""
        resultat = set()
        for code in t.epreuves:
            p = passages.get((t.candidat, code))
            if p is not None:
                h = next((h for h, q in enumerate(plages[p.date]) if q.debut <= p.debut < q.fin), -1)
                resultat.add((p.commission, h))
        return resultat

    ecarts = []
    for liste in groupes_de_commissions(taches)[0].values():
        par_date: dict[str, list[Tache]] = defaultdict(list)
        for t in liste:
            par_date[passages[(t.candidat, t.epreuves[0])].date].append(t)
        jours = tuple(
            JourDeGroupe(
                date,
                sum(t.duree for t in siennes),
                _demi_journees(probleme, siennes, sum(t.duree for t in siennes), plus_longue, date),
                len(set().union(*(demi_journees(t) for t in siennes))),
            )
            for date, siennes in sorted(par_date.items())
        )
        borne = _demi_journees(probleme, liste, sum(t.duree for t in liste), plus_longue)
        ecarts.append(EcartDeGroupe("/".join(sorted({t.cle_charge for t in liste})), borne, jours))
    return sorted(ecarts, key=lambda e: (-e.borne, e.groupe))


def demi_journees_a_jours_fixes(instance: Instance, planning: Planning, probleme: Probleme | None = None) -> int:
    """La borne des demi-journées, calculée jour par jour avec les jours des passages de `planning`.

    Pour chaque groupe de commissions et chaque jour : la borne (`_demi_journees`) des passages du groupe
    ce jour-là, dans les seules demi-journées de ce jour (`ecarts_par_groupe`). Ce n'est une borne que pour
    les plannings qui gardent ces jours : elle dit quelle part de l'écart à la borne vient de la répartition
    des candidats par jour (une langue rare venue trois jours ouvre trois demi-journées) et quelle part
    de l'intérieur des jours. Les passages absents de `planning` ne comptent pas.
    """
    return a_jours_fixes(ecarts_par_groupe(instance, planning, probleme))


def a_jours_fixes(ecarts: list[EcartDeGroupe]) -> int:
    """La borne à jours fixés de tout le centre, à partir des écarts de chaque groupe (`ecarts_par_groupe`)."""
    return sum(e.borne_a_jours_fixes for e in ecarts)


def a_jours_fixes_avec_ressources(
    instance: Instance,
    planning: Planning,
    ecarts: list[EcartDeGroupe],
    probleme: Probleme | None = None,
    *,
    temps_max: float,
) -> int:
    """La borne à jours fixés (`a_jours_fixes`), et au moins celle qui partage les loges et les postes
    entre les groupes (`avec_ressources`), chaque tâche au jour de son passage dans
    `planning`. Comme `a_jours_fixes`, elle ne vaut que pour des plannings qui gardent ces jours. Avec
    `temps_max` nul : `a_jours_fixes` seule."""
    if temps_max <= 0:
        return a_jours_fixes(ecarts)
    probleme = probleme or construire(instance)
    jours = {j.date for j in instance.jours}
    dates_des_passages = {(p.candidat, p.epreuve): p.date for p in planning.passages if p.date in jours}
    taches = [t for t in probleme.taches if t.raison is None and (t.candidat, t.epreuves[0]) in dates_des_passages]
    dates = {t.index: dates_des_passages[(t.candidat, t.epreuves[0])] for t in taches}
    connues: dict[str, list[int]] = defaultdict(list)
    for e in ecarts:
        connues[e.groupe].append(e.borne_a_jours_fixes)
    groupes = []
    for liste in groupes_de_commissions(taches)[0].values():
        bornes = connues.get("/".join(sorted({t.cle_charge for t in liste})), [])
        groupes.append((liste, bornes[0] if len(bornes) == 1 else 0))  # deux groupes de même nom : sans borne
    ensemble = avec_ressources(probleme, groupes, temps_max=temps_max, dates=dates)
    return max(a_jours_fixes(ecarts), (ensemble.demi_journees or 0) if ensemble else 0)


def calculer_bornes(instance: Instance, probleme: Probleme | None = None, *, temps_ressources: float = 0.0) -> Bornes:
    """Les bornes inférieures du centre. La borne des demi-journées est la somme des bornes de chaque
    groupe ; avec `temps_ressources` > 0, la plus grande de cette somme et de la borne qui partage les
    loges et les postes entre les groupes (`avec_ressources`, au plus ce temps de calcul déterministe,
    13 s pour le centre généré de 450 candidats) ; le même modèle peut alors aussi relever la borne des
    non planifiés (loges et postes comptés pas à pas, et non en minutes sur tout le centre)."""
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
        c.id: sum(minutes_communes(jours.get(j.date, ()), j.plages, pas) for j in c.disponible)
        for c in instance.commissions
    }
    membres: dict[str, list[str]] = defaultdict(list)
    for c in instance.commissions:
        membres[racine[c.id]].append(c.id)

    capacites: list[Capacite] = []
    trop_groupes = 0
    plus_longue = max(p.minutes for plages in jours.values() for p in plages)
    demi_journees = 0
    par_groupe: list[tuple[Sequence[Tache], int]] = []
    for cle, liste in sorted(groupes.items(), key=lambda kv: sorted({t.cle_charge for t in kv[1]})):
        nom = "commissions " + "/".join(sorted({t.cle_charge for t in liste}))
        demande = sum(t.duree for t in liste)
        capacite = sum(capacite_commission[k] for k in membres[cle])
        en_trop = _en_trop([(t.duree, len(t.epreuves)) for t in liste], capacite)
        trop_groupes += en_trop
        capacites.append(Capacite(nom, demande, capacite, en_trop))
        par_groupe.append((liste, _demi_journees(probleme, liste, demande, plus_longue)))
        demi_journees += par_groupe[-1][1]

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
    non_planifies = len(impossibles) + max(trop_groupes, trop_autres, trop_candidats)
    ensemble = avec_ressources(probleme, par_groupe, temps_max=temps_ressources) if temps_ressources > 0 else None
    if ensemble is not None:
        non_planifies = max(non_planifies, len(impossibles) + ensemble.non_planifies)
    return Bornes(
        non_planifies=non_planifies,
        jours_candidats=jours_candidats,
        attente_minutes=attente,
        demi_journees_commissions=max(demi_journees, (ensemble.demi_journees or 0) if ensemble else 0),
        demi_journees_par_groupe=demi_journees,
        capacites=tuple(capacites),
        impossibles=impossibles,
        avec_ressources=ensemble,
    )
