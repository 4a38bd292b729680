"""Aides des tests du cœur : le règlement livré, éventuellement avec quelques lignes changées."""

from __future__ import annotations

from importlib import resources

from examens.core.reglement import Reglement, parse_reglement


def texte_reglement() -> str:
    return resources.files("examens.core.reglements").joinpath("bts-ndrc-2022.toml").read_text(encoding="utf-8")


def modifier(*remplacements: tuple[str, str]) -> str:
    """Le texte du règlement livré avec des lignes changées (chaque texte remplacé y figure une seule fois)."""
    texte = texte_reglement()
    for avant, apres in remplacements:
        assert texte.count(avant) == 1, f"« {avant} » doit figurer une fois dans le règlement livré"
        texte = texte.replace(avant, apres)
    return texte


def reglement_modifie(*remplacements: tuple[str, str]) -> Reglement:
    return parse_reglement(modifier(*remplacements), source="modifie.toml")
