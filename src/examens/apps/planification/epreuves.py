"""Quelles épreuves un candidat passe au centre, et comment le format de planification les décrit.

Fonctions pures (le règlement et des valeurs simples ; ni base, ni OR-Tools) :

- un candidat passe au centre chaque épreuve **orale ou pratique** que la forme de sa catégorie rend
  **ponctuelle** (*Règlement* §2 : catégorie A → E2, E4, E6 en CCF ; E5B pratique pour tous ; LV2 orale pour
  tous ceux qui l'ont choisie) ;
- sauf une épreuve d'une unité dispensée, une épreuve dont il garde une note (bénéfice ou report, §5), une
  épreuve déclarée non valide (dossier non conforme : il n'est pas interrogé, §6) ;
- les facultatives seulement s'il y est inscrit (LV2 : une langue ; engagement étudiant : la case) ;
- une épreuve qui en `suit` une autre (engagement étudiant après E6) seulement si celle-ci a lieu au centre :
  pour un candidat de catégorie A, l'engagement suit l'E6 en CCF dans l'établissement (§2).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from examens.core.reglement import Reglement, TypeForme

# Préfixe des épreuves de contrôle dans le format de planification (« CTRL_E1 », voir docs/formats/planning.md).
PREFIXE_CONTROLE = "CTRL_"
FACULTATIVE_LANGUE = "LV2"
ENGAGEMENT = "ENGAGEMENT"


def epreuves_orales(reglement: Reglement) -> list[str]:
    """Les épreuves du règlement qui ont au moins une forme ponctuelle orale ou pratique, dans l'ordre du fichier."""
    return [
        e.code
        for e in reglement.epreuves.values()
        if any(f.type in (TypeForme.ORALE, TypeForme.PRATIQUE) for f in e.formes.values())
    ]


def description_epreuve(reglement: Reglement, code: str, categorie: str = "C") -> dict[str, Any]:
    """La description `epreuves.<code>` du format : préparation et durée de la forme ponctuelle."""
    epreuve = reglement.epreuve(code)
    forme = epreuve.formes.get(categorie) or next(
        f for f in epreuve.formes.values() if f.type in (TypeForme.ORALE, TypeForme.PRATIQUE)
    )
    description: dict[str, Any] = {"preparation": forme.preparation_minutes, "duree": forme.duree_minutes or 0}
    if epreuve.langue:
        description["langue"] = True
    if epreuve.poste:
        description["poste"] = True
    if epreuve.sujet:
        description["sujet"] = True
    if epreuve.suit is not None:
        description["suit"] = epreuve.suit
    return description


def description_controle(reglement: Reglement, code: str) -> dict[str, Any]:
    """Une épreuve de contrôle (D.2022-850) : préparation et durée du règlement, langue comme l'épreuve."""
    description: dict[str, Any] = {
        "preparation": reglement.controle.preparation_minutes,
        "duree": reglement.controle.duree_minutes,
    }
    if reglement.epreuve(code).langue:
        description["langue"] = True
    return description


def epreuves_du_candidat(
    reglement: Reglement,
    *,
    categorie: str,
    langue_lv2: str,
    engagement: bool,
    conservees: Iterable[str] = (),
    unites_dispensees: Iterable[str] = (),
    non_valides: Iterable[str] = (),
) -> list[str]:
    """Les épreuves que le candidat passe au centre (voir l'en-tête du module), dans l'ordre du règlement."""
    exclues = set(conservees) | set(non_valides)
    dispensees = set(unites_dispensees)
    codes: list[str] = []
    for epreuve in reglement.epreuves.values():
        forme = epreuve.formes.get(categorie)
        if forme is None or forme.type not in (TypeForme.ORALE, TypeForme.PRATIQUE):
            continue
        if epreuve.code in exclues or epreuve.unite in dispensees:
            continue
        if epreuve.code == FACULTATIVE_LANGUE and not langue_lv2:
            continue
        if epreuve.code == ENGAGEMENT and not engagement:
            continue
        codes.append(epreuve.code)
    return [c for c in codes if reglement.epreuve(c).suit is None or reglement.epreuve(c).suit in codes]


def code_controle(epreuve: str) -> str:
    return f"{PREFIXE_CONTROLE}{epreuve}"


def epreuve_du_controle(code: str) -> str:
    return code.removeprefix(PREFIXE_CONTROLE)
