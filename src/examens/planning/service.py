"""Le service de planification, appelé par la CLI (et demain par les tâches Django)."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from examens.planning.bornes import Bornes, calculer_bornes
from examens.planning.formats import Instance, Planning, Statut
from examens.planning.glouton import glouton, vers_planning
from examens.planning.probleme import construire


class Methode(StrEnum):
    CPSAT = "cpsat"
    GLOUTON = "glouton"


def erreur_plafond(methode: Methode | str, plafond_attente: float | None) -> str | None:
    """Pourquoi ce plafond d'attente ne va pas avec cette méthode (phrase française) ; None s'il va, ou s'il n'y
    en a pas. Une seule règle pour le service, la CLI et la planification en base (décision 0015)."""
    if plafond_attente is None:
        return None
    if Methode(methode) is not Methode.CPSAT:
        return "le plafond d'attente ne s'applique qu'à la méthode cpsat : retirez-le ou choisissez cpsat."
    if not plafond_attente > 0:
        return f"plafond d'attente « {plafond_attente:g} » : donnez un nombre strictement positif (par exemple 0,6)."
    return None


def planifier(
    instance: Instance,
    *,
    methode: Methode = Methode.CPSAT,
    temps_max: float = 60.0,
    graine: int = 0,
    workers: int = 0,
    plafond_attente: float | None = None,
    progression: Callable[[str], None] | None = None,
    bornes: Bornes | None = None,
) -> Planning:
    """Planifie un centre : toujours un planning, avec ses non planifiés et leur raison.

    `plafond_attente` (CP-SAT) : l'attente totale peut monter jusqu'à ce multiple de celle du glouton pour
    ouvrir moins de demi-journées de commission ; la phase des demi-journées reçoit alors 60 % du temps
    de chaque jour au lieu de 40 %. Sans lui, l'ordre du format : l'attente d'abord. Un plafond refusé par
    `erreur_plafond` lève `ValueError`.

    `bornes` : celles de `instance` si l'appelant les a déjà calculées (`calculer_bornes`), pour ne pas
    les recalculer (l'empaquetage coûte jusqu'à une seconde sur un grand centre)."""
    if message := erreur_plafond(methode, plafond_attente):
        raise ValueError(message)
    debut = time.monotonic()
    probleme = construire(instance)
    if bornes is None:
        bornes = calculer_bornes(instance, probleme)
    if methode is Methode.GLOUTON:
        placements = glouton(probleme).placements
        statut = Statut.GLOUTON
    else:
        from examens.planning.cpsat import Parametres, planifier_cpsat  # OR-Tools : import coûteux

        # L'échéance court depuis l'appel : import d'OR-Tools et construction des modèles comprises.
        restant = max(1.0, temps_max - (time.monotonic() - debut))
        resultat = planifier_cpsat(
            probleme,
            Parametres(
                temps_max=restant * 0.9,
                graine=graine,
                workers=workers,
                plafond_attente=plafond_attente,
            ),
            progression,
        )
        placements = resultat.placements
        statut = Statut.FEASIBLE
    planning = vers_planning(
        probleme, placements, methode=methode.value, statut=statut, duree_s=time.monotonic() - debut
    )
    s = planning.statistiques
    assert s is not None
    if methode is Methode.CPSAT:
        if bornes.non_planifies > 0 and s.non_planifies > 0:
            statut = Statut.INFAISABLE
        elif (s.non_planifies, s.jours_candidats, s.attente_minutes, s.demi_journees_commissions) == (
            0,
            bornes.jours_candidats,
            bornes.attente_minutes,
            bornes.demi_journees_commissions,
        ) and not s.changements:
            statut = Statut.OPTIMAL  # chaque critère atteint sa borne : optimum prouvé
    elif bornes.non_planifies > 0 and s.non_planifies > 0:
        statut = Statut.GLOUTON
    from dataclasses import replace

    return replace(planning, statistiques=replace(s, statut=statut, duree_s=time.monotonic() - debut))
