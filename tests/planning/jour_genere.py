"""Un jour de centre généré, son planning glouton et un solveur réglé : ce que partagent les tests des
modèles d'un jour (`agrege`, `relache`)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from examens.planning.formats import Instance, Loge
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import Placement, glouton
from examens.planning.probleme import Probleme, Tache, construire


def scinder_loges(instance: Instance) -> Instance:
    """La loge unique d'un centre généré coupée en deux aux mêmes épreuves, une place dans la seconde (comme
    les 12 + 1 places d'un grand centre)."""
    (loge,) = instance.loges
    return replace(instance, loges=(replace(loge, places=loge.places - 1), Loge(f"{loge.id}-B", 1, loge.epreuves)))


def jour(
    graine: int = 4, candidats: int = 16, *, loges_scindees: bool = False, exiger_complet: bool = True
) -> tuple[Probleme, str, list[Tache], dict[int, Placement]]:
    """Un centre d'un jour, ses tâches plaçables et le glouton, qui les place toutes (vérifié si
    `exiger_complet` ; sinon à l'appelant de le vérifier, par exemple par `hypothesis.assume`) ;
    `loges_scindees` : `scinder_loges`."""
    instance = generer_centre(Parametres(candidats=candidats, jours=1, graine=graine))
    probleme = construire(scinder_loges(instance) if loges_scindees else instance)
    placements = dict(glouton(probleme).placements)
    taches = [t for t in probleme.taches if t.raison is None]
    assert len(placements) == len(taches) or not exiger_complet
    return probleme, probleme.dates[0], taches, placements


def solveur(temps: float, graine: int = 1) -> cp_model.CpSolver:
    resultat = cp_model.CpSolver()
    resultat.parameters.num_workers = 2
    resultat.parameters.random_seed = graine
    resultat.parameters.max_time_in_seconds = temps
    return resultat


def rien(_: cp_model.CpSolver) -> None:
    return None
