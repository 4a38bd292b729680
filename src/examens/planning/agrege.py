"""Le modèle agrégé d'un jour : fermer des demi-journées sans choisir les commissions.

Dans le modèle d'un jour (`cpsat.planifier_jour`), chaque tâche choisit une commission et un début : les
commissions d'un groupe sont interchangeables, et la recherche s'épuise à essayer des permutations qui ne
changent rien au nombre de demi-journées. Ici, une tâche ne choisit que son début (donc sa plage) ; chaque
demi-journée (commission, plage) est un booléen *ouverte*, et dans chaque plage les passages d'un groupe
ne sont jamais plus nombreux, à chaque instant, que ses commissions ouvertes (une contrainte cumulative).
Les commissions exclues pour un candidat (conflit d'établissement, disponibilités) sont comptées par une
condition de Hall : pour chaque ensemble A de commissions habilitées qui se présente, les passages dont
les commissions habilitées sont toutes dans A ne sont pas plus nombreux, à chaque instant, que les
commissions ouvertes de A. Candidats (enchaînements, battement), loges, postes et attente sont ceux du
modèle du jour.

Ce modèle est un relâchement : un planning agrégé ne se répartit pas toujours entre les commissions (la
condition de Hall n'est pas suffisante ; les examinateurs partagés et la banque de sujets n'y sont pas).
`desagreger` donne à chaque passage une commission ouverte, débuts fixés (un petit modèle qui, lui, les
compte), en essayant les dernières solutions trouvées, de la meilleure à la moins bonne ; si aucune ne se
répartit, l'appelant garde son planning.

Mesuré : il ne sert qu'avec plusieurs workers (`applicable`). La phase 2 de `cpsat.planifier_jour` lui
donne une part de son temps (`Parametres.part_agrege`) avant les voisinages « fermer une demi-journée ».

`fermer` y minimise les demi-journées ouvertes sous une étendue permise ; `reduire`, à demi-journées au
plus égales, ramène les étendues sous une cible (la troisième étape des fermetures de `relache`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from examens.planning.glouton import Placement, plage_de
from examens.planning.loges import Reserves, repartir_dans_les_loges, reserves_de_loges
from examens.planning.probleme import Probleme, Tache, groupes_de_commissions

ESSAIS = 4  # solutions essayées, des meilleures aux moins bonnes, pour la répartition entre commissions


def applicable(probleme: Probleme, workers: int) -> bool:
    """Le modèle agrégé ne sait pas compter les changements (replanification), ni un battement hors grille.
    Il ne sert qu'avec plusieurs workers : seul, CP-SAT n'a pas de voisinages (LNS) et ne fait qu'une
    recherche arborescente, qui n'améliore pas en quelques secondes un départ déjà bon (mesuré)."""
    instance = probleme.instance
    return workers > 1 and instance.reference is None and instance.regles.battement % instance.pas == 0


def _plage(probleme: Probleme, placement: Placement) -> int:
    plage = plage_de(probleme, probleme.taches[placement.tache], placement.date, placement.commission, placement.debut)
    assert plage is not None, "placement hors de ses fenêtres"
    return plage


@dataclass
class _Modele:
    """Le modèle agrégé d'un jour et ce qu'il faut pour lire ses solutions."""

    modele: cp_model.CpModel
    taches: list[Tache]
    debut: dict[int, cp_model.IntVar]
    loge_choisie: dict[tuple[int, str], cp_model.IntVar]
    ouverte: dict[tuple[str, int], cp_model.IntVar]
    ouvertes_avant: set[tuple[str, int]]
    etendues: cp_model.LinearExpr


def fermer(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    etendue_max: int,
    solveur: Callable[[float], cp_model.CpSolver],
    compter: Callable[[cp_model.CpSolver], None],
    temps: float,
) -> dict[int, Placement] | None:
    """Les tâches placées de `valeurs` (celles de `taches`, le jour `date`), sur moins de demi-journées
    ouvertes, avec des étendues de candidats d'au plus `etendue_max` au total (en pas de la grille : fin du
    dernier passage moins début de la première préparation, pour chaque candidat qui a au moins deux tâches
    ce jour, comme l'attente du modèle du jour). None si le modèle n'a rien trouvé de mieux que `valeurs`,
    ou si aucune de ses dernières solutions ne se répartit entre les commissions.

    `solveur(t)` : un solveur réglé pour t secondes (workers, graine, temps déterministe) ; `compter` est
    appelé après chaque résolution (l'horloge des échéances) ; `temps` : 80 % pour la recherche, le reste
    pour les répartitions."""
    m = _construire(probleme, date, taches, valeurs)
    m.modele.add(m.etendues <= etendue_max)
    m.modele.add(sum(m.ouverte.values()) <= len(m.ouvertes_avant))
    m.modele.minimize(sum(m.ouverte.values()))
    return _resoudre(
        probleme, date, m, solveur, compter, temps, lambda ouvertes, _: len(ouvertes) < len(m.ouvertes_avant)
    )


def reduire(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    etendue_cible: int,
    solveur: Callable[[float], cp_model.CpSolver],
    compter: Callable[[cp_model.CpSolver], None],
    temps: float,
    arreter: bool = True,
    essais: int = ESSAIS,
) -> dict[int, Placement] | None:
    """Les tâches placées de `valeurs`, sans plus de demi-journées ouvertes, avec des étendues de candidats
    d'au plus `etendue_cible` au total (en pas, comme `fermer`) : la recherche minimise les étendues et
    s'arrête dès qu'elle atteint la cible (`arreter`), sinon au bout du temps ou à l'optimum, puis répartit
    entre les commissions l'une des `essais` dernières solutions qui l'atteignent. None si elle ne l'atteint
    pas dans le temps, ou si aucune ne se répartit."""
    m = _construire(probleme, date, taches, valeurs)
    m.modele.add(sum(m.ouverte.values()) <= len(m.ouvertes_avant))
    m.modele.minimize(m.etendues)
    return _resoudre(
        probleme, date, m, solveur, compter, temps, lambda _, etendue: etendue <= etendue_cible, arreter, essais
    )


def _construire(probleme: Probleme, date: str, taches: list[Tache], valeurs: dict[int, Placement]) -> _Modele:
    instance = probleme.instance
    pas = instance.pas
    battement = instance.regles.battement // pas
    plages = instance.jour(date).plages
    # L'étendue d'un candidat compte dès qu'il a deux tâches ce jour (comme dans le modèle du jour) : s'il
    # n'en a qu'une de placée, elle vaut l'occupation de celle-ci.
    nombre: dict[str, int] = defaultdict(int)
    for t in taches:
        nombre[t.candidat] += 1
    taches = [t for t in taches if t.index in valeurs]
    modele = cp_model.CpModel()
    groupes, _ = groupes_de_commissions(taches)
    groupe_de = {t.index: k for k, liste in groupes.items() for t in liste}

    ouverte: dict[tuple[str, int], cp_model.IntVar] = {}
    debut: dict[int, cp_model.IntVar] = {}
    par_ensemble: dict[tuple[str, int, frozenset[str]], list[cp_model.IntervalVar]] = defaultdict(list)
    reserves = Reserves(probleme)  # les loges aux mêmes épreuves réunies (`planning.loges`)
    loge_choisie: dict[tuple[int, str], cp_model.IntVar] = {}
    postes: list[cp_model.IntervalVar] = []
    ouvertes_avant = {(p.commission, _plage(probleme, p)) for p in valeurs.values()}

    for t in taches:
        fenetres = probleme.fenetres[(t.index, date)]
        s = modele.new_int_var_from_domain(
            cp_model.Domain.from_intervals([[f.debut_min // pas, f.debut_max // pas] for f in fenetres]), ""
        )
        debut[t.index] = s
        modele.add_hint(s, valeurs[t.index].debut // pas)
        plage_avant = _plage(probleme, valeurs[t.index])
        par_plage: dict[int, list[int]] = defaultdict(list)
        for n, f in enumerate(fenetres):
            par_plage[f.plage].append(n)
            cle = (f.commission, f.plage)
            if cle not in ouverte:
                ouverte[cle] = modele.new_bool_var("")
                modele.add_hint(ouverte[cle], cle in ouvertes_avant)
        choix = []
        for h, numeros in par_plage.items():
            b = modele.new_bool_var("")
            modele.add_hint(b, h == plage_avant)
            choix.append(b)
            modele.add(s >= min(fenetres[n].debut_min for n in numeros) // pas).only_enforce_if(b)
            modele.add(s <= max(fenetres[n].debut_max for n in numeros) // pas).only_enforce_if(b)
            ensemble = frozenset(fenetres[n].commission for n in numeros)
            par_ensemble[(groupe_de[t.index], h, ensemble)].append(
                modele.new_optional_fixed_size_interval_var(s, t.duree // pas, b, "")
            )
        modele.add_exactly_one(choix)
        if t.preparation:
            for reserve, y in reserves.preparer(modele, t, s, None, valeurs[t.index].loge):
                loge_choisie[(t.index, reserve)] = y
        if t.poste is not None:
            decalage, longueur = t.poste
            postes.append(modele.new_fixed_size_interval_var(s + decalage // pas, longueur // pas, ""))

    # Chaque groupe, chaque plage : à tout instant, pas plus de passages que de commissions ouvertes parmi
    # celles qui peuvent les recevoir (Hall, pour chaque ensemble de commissions habilitées).
    ensembles: dict[tuple[str, int], list[frozenset[str]]] = defaultdict(list)
    for g, h, ensemble in par_ensemble:
        ensembles[(g, h)].append(ensemble)
    for (g, h), liste in ensembles.items():
        tout = frozenset[str]().union(*liste)
        for a in {*liste, tout}:
            intervalles = [iv for e in liste if e <= a for iv in par_ensemble[(g, h, e)]]
            capacite = modele.new_int_var(0, len(a), "")
            modele.add(capacite == sum(ouverte[(c, h)] for c in a))
            modele.add_cumulative(intervalles, [1] * len(intervalles), capacite)
    reserves.contraindre(modele)
    if postes:
        modele.add_cumulative(postes, [1] * len(postes), instance.postes)

    par_candidat: dict[str, list[Tache]] = defaultdict(list)
    for t in taches:
        par_candidat[t.candidat].append(t)
    jour_min, jour_max = plages[0].debut // pas, -(-plages[-1].fin // pas)
    etendues: list[cp_model.LinearExprT] = []
    for candidat, siennes in par_candidat.items():
        modele.add_no_overlap(
            modele.new_fixed_size_interval_var(
                debut[t.index] - t.preparation // pas, t.occupation // pas + battement, ""
            )
            for t in siennes
        )
        if len(siennes) < 2:
            if nombre[candidat] > 1:
                etendues.append(siennes[0].occupation // pas)
            continue
        premier = modele.new_int_var(jour_min, jour_max, "")
        dernier = modele.new_int_var(jour_min, jour_max, "")
        modele.add_hint(premier, min(valeurs[t.index].debut - t.preparation for t in siennes) // pas)
        modele.add_hint(dernier, max(valeurs[t.index].debut + t.duree for t in siennes) // pas)
        for t in siennes:
            modele.add(premier <= debut[t.index] - t.preparation // pas)
            modele.add(dernier >= debut[t.index] + t.duree // pas)
        etendues.append(dernier - premier)
    return _Modele(modele, taches, debut, loge_choisie, ouverte, ouvertes_avant, cp_model.LinearExpr.sum(etendues))


def _resoudre(
    probleme: Probleme,
    date: str,
    m: _Modele,
    solveur: Callable[[float], cp_model.CpSolver],
    compter: Callable[[cp_model.CpSolver], None],
    temps: float,
    acceptable: Callable[[set[tuple[str, int]], int], bool],
    arreter: bool = False,
    essais: int = ESSAIS,
) -> dict[int, Placement] | None:
    """Résout `m` (80 % de `temps`) puis répartit entre les commissions, de la dernière à la moins récente,
    les `essais` dernières solutions `acceptable(ouvertes, étendues)` ; `arreter` : la recherche s'arrête à
    la première."""
    pas = probleme.instance.pas
    # Chaque solution améliorante est gardée : la dernière peut ne pas se répartir entre les commissions
    # (la condition de Hall, instant par instant, est nécessaire mais pas suffisante), une précédente oui.
    solutions: list[tuple[dict[int, int], dict[int, str], set[tuple[str, int]]]] = []

    class _Garder(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            ouvertes = {cle for cle, u in m.ouverte.items() if self.value(u)}
            if not acceptable(ouvertes, int(self.value(m.etendues))):
                return
            solutions.append(
                (
                    {i: self.value(s) * pas for i, s in m.debut.items()},
                    {i: loge for (i, loge), y in m.loge_choisie.items() if self.value(y)},
                    ouvertes,
                )
            )
            if arreter:
                self.stop_search()

    recherche = solveur(temps * 0.8)
    recherche.solve(m.modele, _Garder())
    compter(recherche)
    for debuts, loges, ouvertes in reversed(solutions[-essais:]):
        reparti = desagreger(probleme, date, m.taches, debuts, loges, ouvertes, solveur(temps * 0.2 / essais), compter)
        if reparti is not None:
            return reparti
    return None


def desagreger(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    debuts: dict[int, int],
    loges: dict[int, str],
    ouvertes: set[tuple[str, int]],
    solveur: cp_model.CpSolver,
    compter: Callable[[cp_model.CpSolver], None],
) -> dict[int, Placement] | None:
    """Une commission pour chaque passage, débuts fixés, parmi les demi-journées `ouvertes` : pas deux
    passages à la fois devant une commission ou un examinateur, pas plus de sujets que la banque n'en a.
    `loges` : la réserve de chaque passage à préparation (`planning.loges`) ; chacun y reçoit sa loge."""
    instance = probleme.instance
    pas = instance.pas
    modele = cp_model.CpModel()
    choix: dict[tuple[int, str], cp_model.IntVar] = {}
    par_commission: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    sujets: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for t in taches:
        s = debuts[t.index]
        xs = []
        for f in probleme.fenetres[(t.index, date)]:
            if (
                (f.commission, f.plage) in ouvertes
                and f.debut_min <= s <= f.debut_max
                and (t.index, f.commission) not in choix
            ):
                x = modele.new_bool_var("")
                choix[(t.index, f.commission)] = x
                xs.append(x)
                par_commission[f.commission].append(
                    modele.new_optional_fixed_size_interval_var(s // pas, t.duree // pas, x, "")
                )
                if t.sujet:
                    sujets[f.commission].append(x)
        if not xs:
            return None
        modele.add_exactly_one(xs)
    for intervalles in par_commission.values():
        modele.add_no_overlap(intervalles)
    for commissions in probleme.examinateurs_partages.values():
        communs = [iv for k in commissions for iv in par_commission.get(k, [])]
        if len(communs) > 1:
            modele.add_no_overlap(communs)
    for xs in sujets.values():
        modele.add(sum(xs) <= len(instance.sujets))
    statut = solveur.solve(modele)
    compter(solveur)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    reparti = {
        i: Placement(i, commission, date, debuts[i], loges.get(i))
        for (i, commission), x in choix.items()
        if solveur.value(x)
    }
    return repartir_dans_les_loges(probleme, reserves_de_loges(instance)[0], reparti)
