"""Un jour de centre généré, son planning glouton et un solveur réglé : ce que partagent les tests des
modèles d'un jour (`agrege`, `relache`)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import Placement, glouton
from examens.planning.probleme import Probleme, Tache, construire


def jour(graine: int = 4, candidats: int = 16) -> tuple[Probleme, str, list[Tache], dict[int, Placement]]:
    """Un centre d'un jour, ses tâches plaçables et le glouton, qui les place toutes."""
    probleme = construire(generer_centre(Parametres(candidats=candidats, jours=1, graine=graine)))
    placements = dict(glouton(probleme).placements)
    taches = [t for t in probleme.taches if t.raison is None]
    assert len(placements) == len(taches)
    return probleme, probleme.dates[0], taches, placements


def solveur(temps: float, graine: int = 1) -> cp_model.CpSolver:
    resultat = cp_model.CpSolver()
    resultat.parameters.num_workers = 2
    resultat.parameters.random_seed = graine
    resultat.parameters.max_time_in_seconds = temps
    return resultat


def rien(_: cp_model.CpSolver) -> None:
    return None
