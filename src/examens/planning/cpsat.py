"""Modèle CP-SAT, par décomposition : les jours des candidats d'abord, puis un modèle par jour.

Placement optionnel (une tâche non placée coûte très cher mais le modèle reste faisable), objectifs du
format pondérés dans l'ordre lexicographique (non planifiés ≫ changements ≫ jours-candidats ≫ attente
≫ demi-journées), indice complet fourni par le glouton. OR-Tools est importé ici seulement : ce module
n'est chargé que lorsqu'on planifie (l'import coûte ≈ 2,5 s).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from examens.planning.glouton import Etat, Placement, glouton
from examens.planning.probleme import Probleme, Tache

Progression = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Parametres:
    temps_max: float = 60.0
    graine: int = 0
    workers: int = 0  # 0 : autant que de cœurs
    part_jours: float = 0.15  # part du temps pour l'affectation des jours


@dataclass(frozen=True, slots=True)
class Resultat:
    placements: dict[int, Placement]
    optimal: bool  # chaque sous-problème résolu à l'optimum (la décomposition, elle, ne l'est pas)


def _solveur(parametres: Parametres, temps: float) -> cp_model.CpSolver:
    import os

    solveur = cp_model.CpSolver()
    solveur.parameters.max_time_in_seconds = max(0.2, temps)
    solveur.parameters.num_workers = parametres.workers or os.cpu_count() or 1
    solveur.parameters.random_seed = parametres.graine
    return solveur


def _rien(_: str) -> None:
    return None


# --------------------------------------------------------------------------- étape 1 : les jours


def affecter_jours(probleme: Probleme, indice: dict[int, str], parametres: Parametres, temps: float) -> dict[int, str]:
    """Un jour par tâche : le moins de jours-candidats possible, sous les capacités de chaque jour."""
    instance = probleme.instance
    pas = instance.pas
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
            plages = instance.jour(date).plages
            amplitude = plages[-1].fin - plages[0].debut + battement
            modele.add(
                sum(a[(t.index, date)] * (t.occupation + battement) for t in liste if (t.index, date) in a) <= amplitude
            )

    # Capacités par jour : pour chaque ensemble de commissions habilitées, la demande des tâches qui
    # ne peuvent aller que dans cet ensemble tient dans ses minutes disponibles (avec une marge, pour
    # que le modèle du jour reste faisable malgré les trous).
    commissions = {c.id: c for c in instance.commissions}
    ensembles = {frozenset(t.commissions) for t in taches}
    for date in probleme.dates:
        centre = instance.jour(date).plages
        minutes: dict[str, int] = {}
        for ident, commission in commissions.items():
            total = 0
            for jour in commission.disponible:
                if jour.date == date:
                    for dispo in jour.plages:
                        for plage in centre:
                            fin = min(dispo.fin, plage.fin) // pas * pas
                            total += max(0, fin - max(dispo.debut, plage.debut))
            minutes[ident] = total
        for ensemble in ensembles:
            termes = [
                (a[(t.index, date)], t.duree) for t in taches if set(t.commissions) <= ensemble and (t.index, date) in a
            ]
            if termes:
                modele.add(sum(x * d for x, d in termes) <= int(0.93 * sum(minutes[k] for k in ensemble)))
        longueur = sum(p.minutes for p in centre)
        if instance.loges:
            termes = [(a[(t.index, date)], t.preparation) for t in taches if t.preparation and (t.index, date) in a]
            places = sum(loge.places for loge in instance.loges)
            modele.add(sum(x * d for x, d in termes) <= int(0.85 * places * longueur))
        termes = [(a[(t.index, date)], t.poste[1]) for t in taches if t.poste and (t.index, date) in a]
        if termes:
            modele.add(sum(x * d for x, d in termes) <= int(0.93 * instance.postes * longueur))

    places_total = sum(a.values())
    changements = [
        1 - a[(t.index, anciens[(t.candidat, t.epreuves[0])])]
        for t in taches
        if (t.candidat, t.epreuves[0]) in anciens and (t.index, anciens[(t.candidat, t.epreuves[0])]) in a
    ]
    # Équilibre entre les jours (dernier critère) : la plus forte charge d'un jour, en pas.
    total = sum(t.duree // pas for t in taches)
    charge_max = modele.new_int_var(0, total, "charge_max")
    for date in probleme.dates:
        modele.add(sum(x * (probleme.taches[i].duree // pas) for (i, d), x in a.items() if d == date) <= charge_max)
    poids_venue = total + 1
    poids_changement = poids_venue * (len(venues) + 1)
    poids_place = poids_changement * (len(changements) + 1)
    modele.minimize(
        -poids_place * places_total + poids_changement * sum(changements) + poids_venue * sum(venues) + charge_max
    )
    for (i, date), x in a.items():
        modele.add_hint(x, indice.get(i) == date)
    solveur = _solveur(parametres, temps)
    statut = solveur.solve(modele)
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(indice)
    return {i: date for (i, date), x in a.items() if solveur.value(x)}


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
) -> tuple[dict[int, Placement], bool]:
    instance = probleme.instance
    pas = instance.pas
    battement = instance.regles.battement // pas if instance.regles.battement % pas == 0 else None
    modele = cp_model.CpModel()
    plages = instance.jour(date).plages
    jour_min, jour_max = plages[0].debut // pas, -(-plages[-1].fin // pas)

    options: dict[int, list[tuple[str, tuple[int, int], cp_model.IntVar, cp_model.IntVar]]] = {}
    debut: dict[int, cp_model.IntVar] = {}
    present: dict[int, cp_model.IntVar] = {}
    loges_choisies: dict[int, list[tuple[str, cp_model.IntVar]]] = {}
    par_commission: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    par_commission_sujet: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    par_loge: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    postes: list[cp_model.IntervalVar] = []
    demi: dict[tuple[str, int], cp_model.IntVar] = {}
    par_candidat: dict[str, list[Tache]] = defaultdict(list)

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
        if preparation:
            choix = []
            for loge in t.loges:
                y = p if len(t.loges) == 1 else modele.new_bool_var(f"y{t.index}_{loge}")
                par_loge[loge].append(modele.new_optional_fixed_size_interval_var(s - preparation, preparation, y, ""))
                choix.append((loge, y))
            if len(choix) > 1:
                modele.add(sum(y for _, y in choix) == p)
            loges_choisies[t.index] = choix
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
    for salle in instance.loges:
        if par_loge[salle.id]:
            modele.add_cumulative(par_loge[salle.id], [1] * len(par_loge[salle.id]), salle.places)
    if postes:
        modele.add_cumulative(postes, [1] * len(postes), instance.postes)
    for xs in par_commission_sujet.values():
        modele.add(sum(xs) <= len(instance.sujets))

    attentes: list[cp_model.LinearExprT] = []
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
    modele.minimize(
        cp_model.LinearExpr.weighted_sum(list(present.values()), [-poids_place] * len(present))
        + cp_model.LinearExpr.weighted_sum(identiques, [-poids_changement] * len(identiques))
        + poids_attente * cp_model.LinearExpr.sum(attentes)
        + cp_model.LinearExpr.sum(list(demi.values()))
    )

    # Indice complet
    for t in taches:
        h = indice.get(t.index)
        modele.add_hint(present[t.index], h is not None)
        choisie = None
        if h is not None:
            modele.add_hint(debut[t.index], h.debut // pas)
            for n, (commission, (lo, hi), _x, _sf) in enumerate(options[t.index]):
                if choisie is None and commission == h.commission and lo <= h.debut // pas <= hi:
                    choisie = n
        for n, (_, (lo, _hi), x, sf) in enumerate(options[t.index]):
            modele.add_hint(x, n == choisie)
            modele.add_hint(sf, h.debut // pas if n == choisie and h else lo)
        if h is not None:
            for loge, y in loges_choisies.get(t.index, []):
                if y is not present[t.index]:
                    modele.add_hint(y, loge == h.loge)

    solveur = _solveur(parametres, temps)
    statut = solveur.solve(modele, _Rappel(progression, f"jour {date}"))
    if statut not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(indice), False
    resultat: dict[int, Placement] = {}
    for t in taches:
        if not solveur.value(present[t.index]):
            continue
        commission = next(k for k, _, x, _ in options[t.index] if solveur.value(x))
        loge_choisie = next((lg for lg, y in loges_choisies.get(t.index, []) if solveur.value(y)), None)
        resultat[t.index] = Placement(t.index, commission, date, solveur.value(debut[t.index]) * pas, loge_choisie)
    return resultat, statut == cp_model.OPTIMAL


# --------------------------------------------------------------------------- ensemble


def planifier_cpsat(probleme: Probleme, parametres: Parametres, progression: Progression | None = None) -> Resultat:
    dire = progression or _rien
    debut = time.monotonic()
    echeance = debut + parametres.temps_max

    def reste() -> float:
        return max(0.0, echeance - time.monotonic())

    dire("glouton (indice de départ)…")
    initial = glouton(probleme)
    jours_indice = {i: p.date for i, p in initial.placements.items()}
    dire(f"affectation des jours ({len(probleme.taches)} tâches)…")
    jours = affecter_jours(probleme, jours_indice, parametres, reste() * parametres.part_jours)
    # L'indice du modèle de chaque jour : le glouton contraint par cette affectation.
    indice = glouton(probleme, jours_imposes=jours)
    placements: dict[int, Placement] = {}
    optimal = True
    par_jour: dict[str, list[Tache]] = defaultdict(list)
    for i, date in jours.items():
        par_jour[date].append(probleme.taches[i])
    total = sum(len(v) for v in par_jour.values()) or 1
    restant = total
    for date in probleme.dates:
        liste = par_jour.get(date, [])
        if not liste:
            continue
        temps = reste() * len(liste) / restant
        restant -= len(liste)
        dire(f"jour {date} : {len(liste)} tâches, {temps:.0f} s")
        hint = {t.index: indice.placements[t.index] for t in liste if t.index in indice.placements}
        resultat, optimum = planifier_jour(probleme, date, liste, hint, parametres, temps, dire)
        placements.update(resultat)
        optimal = optimal and optimum

    # Réparation : ce qui reste non placé est tenté au glouton, n'importe quel jour.
    manquantes = [t for t in probleme.taches if t.raison is None and t.index not in placements]
    if manquantes:
        dire(f"réparation gloutonne de {len(manquantes)} tâches")
        etat = Etat(probleme)
        for p in placements.values():
            etat.placer(p)
        glouton(probleme, etat=etat)
        placements = dict(etat.placements)
    if len(placements) < len(initial.placements):  # filet de sécurité : jamais pire que le glouton
        dire("le glouton place davantage : on garde le glouton")
        return Resultat(dict(initial.placements), False)
    return Resultat(placements, optimal)
