"""Le départ d'un jour évalué tel quel : le modèle d'un jour ne rend jamais moins bien que son indice,
même quand la recherche s'en écarte sans le retrouver (centre 33 de la session nationale : un indice
complet de 190 tâches, une recherche qui n'en plaçait que 188)."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from examens.planning import cpsat
from examens.planning.generateur import Parametres as Generateur
from examens.planning.generateur import generer_centre
from examens.planning.glouton import glouton, qualite_jour
from examens.planning.probleme import construire


def _jour() -> tuple[Any, str, list[Any], dict[int, Any]]:
    probleme = construire(generer_centre(Generateur(candidats=12, jours=1, graine=4)))
    indice = dict(glouton(probleme).placements)
    date = probleme.dates[0]
    taches = [t for t in probleme.taches if t.raison is None]
    assert len(indice) == len(taches)  # un indice complet
    return probleme, date, taches, indice


def test_une_recherche_qui_perd_une_tache_ne_remplace_pas_l_indice(monkeypatch: pytest.MonkeyPatch) -> None:
    probleme, date, taches, indice = _jour()
    perdue = f"p{taches[0].index}"  # la présence de la première tâche (nom de variable du modèle du jour)
    recherches: list[bool] = []
    vrai_solveur = cpsat._solveur

    class Egaree(cp_model.CpSolver):
        """Sauf pour le départ figé, cherche dans le modèle où la première tâche est absente : chaque
        solution qu'elle trouve est valide mais place une tâche de moins que l'indice."""

        def solve(self, model: cp_model.CpModel, callback: Any = None) -> Any:  # type: ignore[override]
            if self.parameters.fix_variables_to_their_hinted_value:
                return super().solve(model, callback)
            copie = model.clone()
            copie.clear_hints()  # type: ignore[no-untyped-call]
            variable = next(i for i, v in enumerate(copie.proto.variables) if v.name == perdue)
            copie.add(copie.get_bool_var_from_proto_index(variable) == 0)
            statut = super().solve(copie)
            recherches.append(statut in (cp_model.OPTIMAL, cp_model.FEASIBLE))
            return statut

    def solveur(parametres: cpsat.Parametres, temps: float) -> cp_model.CpSolver:
        modele = vrai_solveur(parametres, temps)
        egare = Egaree()
        egare.parameters.copy_from(modele.parameters)
        return egare

    monkeypatch.setattr(cpsat, "_solveur", solveur)
    resultat, optimum = cpsat.planifier_jour(
        probleme, date, taches, indice, cpsat.Parametres(workers=1), 1.0, lambda _: None
    )
    assert any(recherches)  # la recherche a bien trouvé des plannings, tous à une tâche de moins
    assert set(resultat) == set(indice)  # le départ figé les bat : toutes les tâches restent placées
    assert qualite_jour(probleme, resultat) <= qualite_jour(probleme, indice)
    assert not optimum


def test_sans_egarement_le_jour_fait_au_moins_aussi_bien_que_son_indice() -> None:
    probleme, date, taches, indice = _jour()
    resultat, _ = cpsat.planifier_jour(probleme, date, taches, indice, cpsat.Parametres(workers=1), 1.0, lambda _: None)
    assert set(resultat) == set(indice)
    assert qualite_jour(probleme, resultat) <= qualite_jour(probleme, indice)
