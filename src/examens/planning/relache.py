"""Fermer des demi-journées d'un jour en relâchant les candidats, puis en permutant les passages.

Dans le modèle d'un jour, ce sont les candidats qui empêchent de fermer une demi-journée : sans eux (ni
leur battement, ni leur attente), le modèle tient chaque groupe de commissions à sa borne du jour en
quelques secondes ; avec eux, il ne la trouve pas dans le temps d'un jour (mesuré, docs/benchmarks.md).
D'où trois étapes, pour chaque essai de fermeture :

1. `relacher` : le modèle du jour **sans les candidats**, chaque groupe visé plafonné à une demi-journée
   de moins que ce qu'il ouvre ; commissions, examinateurs partagés, loges, postes et sujets y sont ;
   la recherche garde à sa place (commission et début) le plus de passages possible.
2. `permuter` : les passages de ce planning deviennent des *créneaux* (commission, début, loge) ; chaque
   tâche prend un créneau d'un passage de même forme (préparation, durées, poste, sujet) que sa commission
   peut lui faire passer à cette heure. Échanger deux passages de même forme ne change ni les
   commissions, ni les loges, ni les postes : seuls comptent les candidats (jamais deux passages à la
   fois, battement compris). La recherche garde le plus de tâches à leur créneau, puis l'attente la plus
   petite.
3. `agrege.reduire` : à demi-journées au plus égales, les débuts bougent pour ramener l'attente sous
   l'attente permise du jour.

Si la permutation échoue, les candidats en conflit sont *tenus* (jamais deux passages à la fois) dans un
nouveau planning relâché, jusqu'à `REPRISES` fois. L'essai n'est gardé que s'il place toutes les tâches
sous l'attente permise avec moins de demi-journées.

`fermer` enchaîne ces essais une demi-journée de moins à la fois. `sauter` (le *saut à la borne*) plafonne
d'emblée chaque groupe à sa borne du jour et donne à l'étape 3 le temps qu'il faut : fermer une demi-journée
à la fois s'arrête plus haut (mesuré à 150 candidats en 300 s : 84 demi-journées sans le saut, 82 à 85
avec, selon l'exécution).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from examens.planning import agrege
from examens.planning.bornes import demi_journees_du_jour
from examens.planning.glouton import Placement, plage_de, qualite_jour
from examens.planning.loges import Reserves
from examens.planning.probleme import Probleme, Tache, capacites_demi_journees, groupes_de_commissions

Progression = Callable[[str], None]

# Reprises du planning relâché quand la permutation échoue, ses candidats en conflit tenus : 2 donne 86, 86
# et 88 demi-journées à 150 candidats en 60 s, contre 89, 88 et 90 sans reprise (docs/benchmarks.md).
REPRISES = 2

# Le saut à la borne (`sauter`).
REMPLISSAGE_SERRE = 0.98  # au-delà, une borne ne se tient qu'en remplissant toutes ses demi-journées
ESSAIS_SAUT = 8  # solutions de l'étape 3 essayées à la répartition (les meilleures échouent souvent)
TEMPS_REPERMUTER_SAUT = 12.0  # les créneaux réattribués pour la seule attente, avant l'étape 3
TEMPS_MIN_REDUIRE_SAUT = 4.0  # en deçà, l'étape 3 n'a pas le temps de finir le chemin (3 à 6 s, mesuré)


@dataclass(frozen=True, slots=True)
class Outils:
    """Ce que l'appelant fournit : un solveur réglé pour t secondes, l'horloge des échéances."""

    solveur: Callable[[float], cp_model.CpSolver]
    compter: Callable[[cp_model.CpSolver], None]
    maintenant: Callable[[], float]


def _cle_plage(probleme: Probleme, p: Placement) -> tuple[str, int]:
    plage = plage_de(probleme, probleme.taches[p.tache], p.date, p.commission, p.debut)
    assert plage is not None, "placement hors de ses fenêtres"
    return p.commission, plage


def ouvertes_par_groupe(
    probleme: Probleme, taches: list[Tache], valeurs: dict[int, Placement]
) -> dict[str, set[tuple[str, int]]]:
    """Les demi-journées (commission, plage) que `valeurs` ouvre, par groupe de commissions."""
    _, racine = groupes_de_commissions(taches)
    ouvertes: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for p in valeurs.values():
        cle = _cle_plage(probleme, p)
        ouvertes[racine[cle[0]]].add(cle)
    return ouvertes


def relacher(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    plafonds: dict[str, int],
    outils: Outils,
    temps: float,
    tenus: frozenset[str] = frozenset(),
    souples: bool = False,
) -> dict[int, Placement] | None:
    """Étape 1 : toutes les `taches` (placées dans `valeurs`) sans contrainte de candidat (sauf pour les
    candidats `tenus` : jamais deux passages à la fois, battement compris), au plus
    `plafonds[groupe]` demi-journées ouvertes par groupe de commissions ; le plus de passages gardés à leur
    commission et à leur début. None si rien n'est trouvé dans `temps`.

    `souples` : un groupe peut dépasser son plafond, chaque demi-journée de trop coûtant plus que tous les
    passages gardés ; `valeurs` est alors une solution, et le modèle n'est jamais impossible."""
    instance = probleme.instance
    pas = instance.pas
    _, racine = groupes_de_commissions(taches)
    modele = cp_model.CpModel()
    debut: dict[int, cp_model.IntVar] = {}
    choix: dict[int, list[tuple[str, cp_model.IntVar]]] = {}
    loges: dict[int, list[tuple[str, cp_model.IntVar]]] = {}
    par_commission: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    sujets: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    reserves = Reserves(probleme)  # les loges aux mêmes épreuves réunies (`planning.loges`)
    postes: list[cp_model.IntervalVar] = []
    ouverte: dict[tuple[str, int], cp_model.IntVar] = {}
    avant = {_cle_plage(probleme, p) for p in valeurs.values()}
    gardes = []
    for t in taches:
        fenetres = probleme.fenetres[(t.index, date)]
        actuel = valeurs[t.index]
        s = modele.new_int_var_from_domain(
            cp_model.Domain.from_intervals([[f.debut_min // pas, f.debut_max // pas] for f in fenetres]), ""
        )
        modele.add_hint(s, actuel.debut // pas)
        debut[t.index] = s
        options = []
        garde_pose = False
        for f in fenetres:
            x = modele.new_bool_var("")
            sf = modele.new_int_var(f.debut_min // pas, f.debut_max // pas, "")
            modele.add(s == sf).only_enforce_if(x)
            par_commission[f.commission].append(modele.new_optional_fixed_size_interval_var(sf, t.duree // pas, x, ""))
            cle = (f.commission, f.plage)
            if cle not in ouverte:
                ouverte[cle] = modele.new_bool_var("")
                modele.add_hint(ouverte[cle], cle in avant)
            modele.add_implication(x, ouverte[cle])
            ici = not garde_pose and f.commission == actuel.commission and f.debut_min <= actuel.debut <= f.debut_max
            modele.add_hint(x, ici)
            modele.add_hint(sf, actuel.debut // pas if ici else f.debut_min // pas)
            if ici:
                garde_pose = True
                garde = modele.new_bool_var("")
                modele.add_implication(garde, x)
                modele.add(s == actuel.debut // pas).only_enforce_if(garde)
                modele.add_hint(garde, True)
                gardes.append(garde)
            if t.sujet:
                sujets[f.commission].append(x)
            options.append((f.commission, x))
        modele.add_exactly_one(x for _, x in options)
        choix[t.index] = options
        if t.preparation:
            loges[t.index] = reserves.preparer(modele, t, s, None, actuel.loge)
        if t.poste is not None:
            decalage, longueur = t.poste
            postes.append(modele.new_fixed_size_interval_var(s + decalage // pas, longueur // pas, ""))
    for intervalles in par_commission.values():
        modele.add_no_overlap(intervalles)
    for idents in probleme.examinateurs_partages.values():
        communs = [iv for k in idents for iv in par_commission.get(k, [])]
        if len({k for k in idents if k in par_commission}) > 1:
            modele.add_no_overlap(communs)
    battement = instance.regles.battement
    par_candidat: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for t in taches:
        if t.candidat in tenus:
            par_candidat[t.candidat].append(
                modele.new_fixed_size_interval_var(
                    debut[t.index] - t.preparation // pas, (t.occupation + battement) // pas, ""
                )
            )
    for intervalles in par_candidat.values():
        modele.add_no_overlap(intervalles)
    reserves.contraindre(modele)
    if postes:
        modele.add_cumulative(postes, [1] * len(postes), instance.postes)
    for xs in sujets.values():
        modele.add(sum(xs) <= len(instance.sujets))
    par_groupe: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (commission, _), u in ouverte.items():
        par_groupe[racine[commission]].append(u)
    depassements = []
    for groupe, plafond in plafonds.items():
        if souples:
            depassement = modele.new_int_var(0, len(par_groupe[groupe]), "")
            modele.add_hint(depassement, max(0, len({c for c in avant if racine[c[0]] == groupe}) - plafond))
            modele.add(sum(par_groupe[groupe]) <= plafond + depassement)
            depassements.append(depassement)
        else:
            modele.add(sum(par_groupe[groupe]) <= plafond)
    modele.maximize(sum(gardes) - (len(gardes) + 1) * sum(depassements))
    solveur = outils.solveur(temps)
    statut = solveur.solve(modele)
    outils.compter(solveur)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    resultat = {}
    for t in taches:
        commission = next(k for k, x in choix[t.index] if solveur.value(x))
        loge_choisie = next((lg for lg, y in loges.get(t.index, []) if solveur.value(y)), None)
        resultat[t.index] = Placement(t.index, commission, date, solveur.value(debut[t.index]) * pas, loge_choisie)
    return reserves.repartir(resultat)


def _forme(t: Tache) -> tuple[int, tuple[int, ...], tuple[int, int] | None, bool]:
    """Deux tâches de même forme occupent de même commission, loge et poste quand elles s'échangent."""
    return t.preparation, t.durees, t.poste, t.sujet


def en_conflit(probleme: Probleme, taches: list[Tache], placements: dict[int, Placement]) -> set[int]:
    """Les tâches dont le passage en chevauche un autre du même candidat dans `placements` (battement
    compris)."""
    battement = probleme.instance.regles.battement
    par_candidat: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for t in taches:
        p = placements[t.index]
        par_candidat[t.candidat].append((p.debut - t.preparation, p.debut + t.duree + battement, t.index))
    conflits: set[int] = set()
    for occupations in par_candidat.values():
        for n, (a0, a1, i) in enumerate(occupations):
            for b0, b1, j in occupations[n + 1 :]:
                if a0 < b1 and b0 < a1:
                    conflits.update((i, j))
    return conflits


def permuter(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    creneaux: dict[int, Placement],
    outils: Outils,
    temps: float,
) -> dict[int, Placement] | None:
    """Étape 2 : chaque tâche prend l'un des `creneaux` (un par tâche : le planning relâché) de sa forme,
    que sa commission peut lui faire passer à cette heure (fenêtres : plage, arrivée, établissement), et
    chaque candidat n'est jamais à deux endroits à la fois (battement compris). Le plus de tâches à leur
    créneau, puis la plus petite attente. None si rien n'est trouvé dans `temps`.

    Par voisinages croissants : seules bougent d'abord les tâches qui ont la forme d'une tâche en conflit et
    passent dans la même plage (les autres restent à leur créneau), puis celles de cette forme, puis
    toutes (chacun ne se résout qu'en une fraction de seconde, sauf le dernier ; mesuré)."""
    conflits = en_conflit(probleme, taches, creneaux)
    if not conflits:
        return creneaux
    # Les tâches de même forme, dans la même plage qu'une tâche en conflit ; puis dans toutes les plages.
    formes = {_forme(probleme.taches[i]) for i in conflits}
    voisines = {(_forme(probleme.taches[i]), _cle_plage(probleme, creneaux[i])[1]) for i in conflits}
    voisinages: list[set[int] | None] = [
        {t.index for t in taches if (_forme(t), _cle_plage(probleme, creneaux[t.index])[1]) in voisines},
        {t.index for t in taches if _forme(t) in formes},
        None,
    ]
    fin = outils.maintenant() + temps
    for n, libres in enumerate(voisinages):
        reste = fin - outils.maintenant()
        if reste < 0.2:
            break
        trouve = _permuter(probleme, date, taches, creneaux, outils, reste / (len(voisinages) - n), libres)
        if trouve is not None:
            return trouve
    return None


def _permuter(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    creneaux: dict[int, Placement],
    outils: Outils,
    temps: float,
    libres: set[int] | None,
    garder: bool = True,
) -> dict[int, Placement] | None:
    """`permuter`, où seules les tâches de `libres` (toutes si None) peuvent changer de créneau ; sans
    `garder`, seule l'attente compte (et non les tâches gardées à leur créneau)."""
    instance = probleme.instance
    battement = instance.regles.battement
    par_forme: dict[tuple[int, tuple[int, ...], tuple[int, int] | None, bool], list[Placement]] = defaultdict(list)
    for i, p in creneaux.items():
        par_forme[_forme(probleme.taches[i])].append(p)
    modele = cp_model.CpModel()
    options: dict[int, list[tuple[Placement, cp_model.IntVar]]] = defaultdict(list)
    par_creneau: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    memes = []
    for t in taches:
        fenetres = probleme.fenetres[(t.index, date)]
        for c in par_forme[_forme(t)] if libres is None or t.index in libres else [creneaux[t.index]]:
            if c.loge is not None and c.loge not in t.loges:
                continue
            if not any(f.commission == c.commission and f.debut_min <= c.debut <= f.debut_max for f in fenetres):
                continue
            x = modele.new_bool_var("")
            modele.add_hint(x, c.tache == t.index)
            if c.tache == t.index:
                memes.append(x)
            options[t.index].append((c, x))
            par_creneau[c.tache].append(x)
        modele.add_exactly_one(x for _, x in options[t.index])
    for xs in par_creneau.values():
        modele.add_at_most_one(xs)
    par_candidat: dict[str, list[Tache]] = defaultdict(list)
    for t in taches:
        par_candidat[t.candidat].append(t)
    attentes = []
    amplitude = max(p.fin for p in instance.jour(date).plages)
    for siennes in par_candidat.values():
        occupations = [
            (c.debut - t.preparation, c.debut + t.duree + battement, x) for t in siennes for c, x in options[t.index]
        ]
        # Des intervalles sur une droite se chevauchent deux à deux s'ils contiennent tous le début de l'un.
        for instant in sorted({a for a, _, _ in occupations}):
            presents = [x for a, b, x in occupations if a <= instant < b]
            if len(presents) > 1:
                modele.add_at_most_one(presents)
        if len(siennes) < 2:
            continue
        premier = modele.new_int_var(0, amplitude, "")
        dernier = modele.new_int_var(0, amplitude, "")
        for t in siennes:
            for c, x in options[t.index]:
                modele.add(premier <= c.debut - t.preparation).only_enforce_if(x)
                modele.add(dernier >= c.debut + t.duree).only_enforce_if(x)
        attentes.append(dernier - premier)
    etendue = cp_model.LinearExpr.sum(attentes)
    modele.minimize(etendue - garder * (amplitude * len(attentes) + 1) * cp_model.LinearExpr.sum(memes))
    solveur = outils.solveur(temps)
    statut = solveur.solve(modele)
    outils.compter(solveur)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        t.index: Placement(t.index, c.commission, date, c.debut, c.loge)
        for t in taches
        for c, x in options[t.index]
        if solveur.value(x)
    }


def _etendues(probleme: Probleme, taches: list[Tache], placements: dict[int, Placement]) -> int:
    """Les étendues du modèle agrégé (en pas) : fin du dernier passage moins début de la première
    préparation, pour chaque candidat qui a au moins deux tâches ce jour."""
    pas = probleme.instance.pas
    par_candidat: dict[str, list[Tache]] = defaultdict(list)
    for t in taches:
        par_candidat[t.candidat].append(t)
    total = 0
    for siennes in par_candidat.values():
        if len(siennes) < 2:
            continue
        premier = min(placements[t.index].debut - t.preparation for t in siennes)
        dernier = max(placements[t.index].debut + t.duree for t in siennes)
        total += (dernier - premier) // pas
    return total


def fermer(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    attente_permise: int,
    outils: Outils,
    echeance: float,
    progression: Progression,
) -> dict[int, Placement]:
    """Ferme des demi-journées du jour `date` tant que le temps le permet (`echeance`, à l'horloge de
    `outils`), chaque fois sous `attente_permise` (minutes) ; rend `valeurs` si rien ne se ferme.

    Chaque essai vise des groupes qui ouvrent plus de demi-journées que leur borne du jour : d'abord tous
    ensemble, puis chacun seul, du plus éloigné de sa borne au plus proche ; après un succès, on recommence."""
    if len(valeurs) < len(taches):
        return valeurs  # le modèle relâché place tout : il lui faut un départ complet
    groupes, _ = groupes_de_commissions(taches)
    bornes = {g: demi_journees_du_jour(probleme, liste, date) for g, liste in groupes.items()}
    essayes: set[frozenset[str]] = set()
    premier = True
    while echeance - outils.maintenant() > 1.0:
        ouvertes = ouvertes_par_groupe(probleme, taches, valeurs)
        ecarts = sorted(
            ((len(ouvertes[g]) - bornes[g], g) for g in groupes if len(ouvertes[g]) > bornes[g]), reverse=True
        )
        # Tous ensemble au premier essai seulement : loin des bornes, c'est le plus rapide ; ensuite, une
        # fermeture à la fois coûte bien moins d'attente (mesuré).
        cibles = [frozenset(g for _, g in ecarts)] if len(ecarts) > 1 and premier else []
        premier = False
        cibles += [frozenset({g}) for _, g in ecarts]
        cibles = [c for c in cibles if c not in essayes]
        if not cibles:
            break
        cible = cibles[0]
        essayes.add(cible)
        plafonds = {g: len(ouvertes[g]) - (g in cible) for g in groupes}
        nouvelles = _essayer(probleme, date, taches, valeurs, plafonds, attente_permise, outils, echeance)
        if nouvelles is not None:
            avant, apres = qualite_jour(probleme, valeurs)[2], qualite_jour(probleme, nouvelles)[2]
            progression(f"jour {date} : créneaux permutés, {avant} → {apres} demi-journées")
            valeurs = nouvelles
            essayes.clear()
    return valeurs


def _essayer(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    plafonds: dict[str, int],
    attente_permise: int,
    outils: Outils,
    echeance: float,
) -> dict[int, Placement] | None:
    """Un essai des trois étapes ; le planning obtenu, s'il a moins de demi-journées sous l'attente permise."""
    permute = _relacher_puis_permuter(probleme, date, taches, valeurs, plafonds, outils, echeance, 1.5, 2.0)
    if permute is None:
        return None
    _, attente, demis = qualite_jour(probleme, permute)
    if demis >= qualite_jour(probleme, valeurs)[2]:
        return None
    if attente <= attente_permise:
        return permute
    temps = min(8.0, echeance - outils.maintenant())
    if temps < 0.5:
        return None
    return ramener(probleme, date, taches, permute, attente_permise, outils, temps, arreter=True)


def _relacher_puis_permuter(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    plafonds: dict[str, int],
    outils: Outils,
    echeance: float,
    temps_relacher: float,
    temps_permuter: float,
    souples: bool = False,
) -> dict[int, Placement] | None:
    """Les étapes 1 et 2 : un planning sans conflit de candidat sous `plafonds`, ou None. Chaque étape a au
    plus son temps, et au plus 30 % de ce qui reste avant `echeance`."""
    # Quand la permutation échoue, les candidats en conflit sont tenus dans le planning relâché, qui est
    # recalculé (jusqu'à `REPRISES` fois).
    tenus: frozenset[str] = frozenset()
    for _ in range(1 + REPRISES):
        relache = relacher(
            probleme, date, taches, valeurs, plafonds, outils,
            min(temps_relacher, 0.3 * (echeance - outils.maintenant())), tenus, souples,
        )  # fmt: skip
        if relache is None:
            return None
        permute = permuter(
            probleme, date, taches, relache, outils, min(temps_permuter, 0.3 * (echeance - outils.maintenant()))
        )
        if permute is not None:
            return permute
        tenus |= {probleme.taches[i].candidat for i in en_conflit(probleme, taches, relache)}
    return None


def ramener(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    permute: dict[int, Placement],
    attente_permise: int,
    outils: Outils,
    temps: float,
    arreter: bool,
    essais: int = agrege.ESSAIS,
) -> dict[int, Placement] | None:
    """L'étape 3 : `permute` ramené sous l'attente permise, demi-journées au plus égales (`agrege.reduire`),
    ou None."""
    pas = probleme.instance.pas
    attente, demis = qualite_jour(probleme, permute)[1:]
    cible = _etendues(probleme, taches, permute) - -(-(attente - attente_permise) // pas)
    reduit = agrege.reduire(
        probleme, date, taches, permute, cible, outils.solveur, outils.compter, temps, arreter, essais
    )
    if reduit is None or len(reduit) < len(taches):
        return None
    _, attente, demis_reduits = qualite_jour(probleme, reduit)
    return reduit if attente <= attente_permise and demis_reduits <= demis else None


def plafonds_du_saut(probleme: Probleme, taches: list[Tache], date: str) -> dict[str, int]:
    """Les plafonds de demi-journées du saut, par groupe de commissions : sa borne du jour, plus une si la
    borne ne se tient qu'en remplissant ses demi-journées : ses passages font plus de `REMPLISSAGE_SERRE`
    de ce que contiennent ses `borne` plus grandes demi-journées du jour (`capacites_demi_journees`).

    Ainsi les 30 passages d'une heure d'E4 ne tiennent dans leur borne de 8 demi-journées que les six
    commissions tout l'après-midi et deux matinées pleines (loge comprise) : même en 600 s, la chaîne n'y
    arrive qu'un jour sur six, et le planning relâché à la borne n'en trouve pas (mesuré)."""
    groupes, _ = groupes_de_commissions(taches)
    plafonds = {}
    for g, liste in groupes.items():
        borne = demi_journees_du_jour(probleme, liste, date)
        capacites = sorted((v for (_, d, _), v in capacites_demi_journees(probleme, liste).items() if d == date))
        serre = sum(t.duree for t in liste) > REMPLISSAGE_SERRE * sum(capacites[-borne:])
        plafonds[g] = borne + serre
    return plafonds


def sauter(
    probleme: Probleme,
    date: str,
    taches: list[Tache],
    valeurs: dict[int, Placement],
    attente_permise: int,
    outils: Outils,
    echeance: float,
    progression: Progression,
) -> dict[int, Placement]:
    """Le saut à la borne : les trois étapes, chaque groupe plafonné d'emblée à sa borne du jour
    (`plafonds_du_saut`) et non à une demi-journée de moins que ce qu'il ouvre. Les plafonds sont souples
    (une borne peut ne pas se tenir) : le planning relâché les dépasse le moins possible, en 8 s au plus
    (à la borne, il en faut 5 à 8 pour une première solution sur un jour de 150 candidats).

    La permutation laisse alors environ deux fois l'attente permise : les créneaux sont réattribués pour
    la seule attente (jusqu'à `TEMPS_REPERMUTER_SAUT`), puis l'étape 3 cherche jusqu'à l'échéance et essaie
    `ESSAIS_SAUT` de ses dernières solutions. Sans la réattribution, il lui fallait 25 à 40 s sur un tel
    jour ; avec, le saut prend 12 à 18 s (mesuré).

    Rend `valeurs` si rien n'a moins de demi-journées sous l'attente permise ; le temps non employé reste à
    l'appelant. L'essai et son issue sont dits à `progression`."""
    if len(valeurs) < len(taches):
        return valeurs
    ouvertes = ouvertes_par_groupe(probleme, taches, valeurs)
    demis = qualite_jour(probleme, valeurs)[2]
    plafonds = {g: min(len(ouvertes[g]), p) for g, p in plafonds_du_saut(probleme, taches, date).items()}
    if sum(plafonds.values()) >= demis or echeance - outils.maintenant() < TEMPS_MIN_REDUIRE_SAUT:
        return valeurs
    essai = f"jour {date} : saut à la borne ({sum(plafonds.values())} demi-journées visées)"
    permute = _relacher_puis_permuter(
        probleme, date, taches, valeurs, plafonds, outils, echeance, 8.0, 3.0, souples=True
    )
    _, attente, demis_permutes = qualite_jour(probleme, permute) if permute is not None else (0, 0, demis)
    if permute is None or demis_permutes >= demis:
        progression(f"{essai} : aucun planning relâché plus serré sans conflit de candidat")
        return valeurs
    if attente > attente_permise:
        # Les créneaux réattribués pour la seule attente : la permutation en laisse à peu près le double du
        # permis, ce qui en rapproche en 10 à 15 s (mesuré) ; l'étape 3 finit le chemin.
        temps = min(TEMPS_REPERMUTER_SAUT, 0.4 * (echeance - outils.maintenant()))
        repermute = _permuter(probleme, date, taches, permute, outils, temps, None, garder=False)
        attente_repermutee = qualite_jour(probleme, repermute)[1] if repermute is not None else attente
        if repermute is not None and attente_repermutee < attente:
            permute, attente = repermute, attente_repermutee
    resultat: dict[int, Placement] | None = permute
    if attente > attente_permise:
        temps = echeance - outils.maintenant()
        if temps < TEMPS_MIN_REDUIRE_SAUT:
            progression(f"{essai} : plus le temps de ramener l'attente de {attente} à {attente_permise} min")
            return valeurs
        resultat = ramener(
            probleme, date, taches, permute, attente_permise, outils, temps, arreter=False, essais=ESSAIS_SAUT
        )
    if resultat is None:
        progression(
            f"{essai} : {demis_permutes} demi-journées, mais attente de {attente} min non ramenée à {attente_permise} min"
        )
        return valeurs
    progression(f"jour {date} : saut à la borne, {demis} → {qualite_jour(probleme, resultat)[2]} demi-journées")
    return resultat
