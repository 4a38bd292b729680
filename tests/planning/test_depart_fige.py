"""Le départ d'un jour évalué tel quel : quand la recherche s'écarte de l'indice sans le retrouver, le
modèle d'un jour garde l'indice (centre 33 de la session nationale : un indice complet de 190 tâches, une
recherche qui n'en plaçait que 188). Jamais moins de tâches placées que l'indice ; sans plafond d'attente,
jamais plus d'attente non plus."""

from __future__ import annotations

from typing import Any

import pytest

from examens.planning.glouton import Placement, glouton, qualite_jour
from examens.planning.probleme import Probleme, Tache, construire


def _jour() -> tuple[Probleme, str, list[Tache], dict[int, Placement]]:
    from examens.planning.generateur import Parametres, generer_centre

    probleme = construire(generer_centre(Parametres(candidats=12, jours=1, graine=4)))
    indice = dict(glouton(probleme).placements)
    taches = [t for t in probleme.taches if t.raison is None]
    assert len(indice) == len(taches)  # un indice complet
    return probleme, probleme.dates[0], taches, indice


def test_une_recherche_qui_perd_une_tache_ne_remplace_pas_l_indice(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.sat.python import cp_model

    from examens.planning import cpsat

    probleme, date, taches, indice = _jour()
    perdue = f"p{taches[0].index}"  # la présence de la première tâche (nom de variable du modèle du jour)
    recherches: list[bool] = []
    vrai_solveur = cpsat._solveur

    class Egaree(cp_model.CpSolver):
        """Sauf pour le départ figé, cherche dans le modèle où la première tâche est absente : chaque
        solution qu'elle trouve est valide mais place une tâche de moins que l'indice."""

        def solve(self, model: cp_model.CpModel, solution_callback: Any = None) -> cp_model.CpSolverStatus:
            if self.parameters.fix_variables_to_their_hinted_value:
                return super().solve(model, solution_callback)
            copie = model.clone()
            copie.clear_hints()  # type: ignore[no-untyped-call]
            variable = next(i for i, v in enumerate(copie.proto.variables) if v.name == perdue)
            copie.add(copie.get_bool_var_from_proto_index(variable) == 0)
            statut = super().solve(copie)
            recherches.append(statut in (cp_model.OPTIMAL, cp_model.FEASIBLE))
            return statut

    def solveur(parametres: cpsat.Parametres, temps: float) -> cp_model.CpSolver:
        base = vrai_solveur(parametres, temps)
        egare = Egaree()
        egare.parameters.copy_from(base.parameters)
        return egare

    monkeypatch.setattr(cpsat, "_solveur", solveur)
    resultat, optimum = cpsat.planifier_jour(
        probleme, date, taches, indice, cpsat.Parametres(workers=1), 1.0, lambda _: None
    )
    assert recherches[0]  # la recherche de la phase 1 a trouvé un planning, à une tâche de moins que l'indice
    assert set(resultat) == set(indice)  # le départ figé l'emporte : toutes les tâches restent placées
    assert qualite_jour(probleme, resultat) <= qualite_jour(probleme, indice)
    assert not optimum


def test_sans_egarement_le_jour_fait_au_moins_aussi_bien_que_son_indice() -> None:
    from examens.planning import cpsat

    probleme, date, taches, indice = _jour()
    resultat, _ = cpsat.planifier_jour(probleme, date, taches, indice, cpsat.Parametres(workers=1), 1.0, lambda _: None)
    assert set(resultat) == set(indice)
    assert qualite_jour(probleme, resultat) <= qualite_jour(probleme, indice)
