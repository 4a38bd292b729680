"""Outils des tests web : des candidats en nombre, avec tout ce qu'une page lit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from examens.apps.candidats.models import Candidat
from examens.apps.dossiers.models import DecisionConformite, Dossier
from examens.apps.jury.models import DecisionJury
from examens.apps.notes.models import Resultat


def ajouter_candidats(monde: Any, nombre: int) -> None:
    """`nombre` candidats de plus (centres C1 et C2, deux établissements), chacun avec dossiers, décisions de
    conformité, notes (dont des suspendues) et décision de jury."""
    deja = Candidat.objects.count()
    candidats = Candidat.objects.bulk_create(
        Candidat(
            session=monde.session,
            numero=f"22-1{deja + k:05d}",
            nom=f"NOM{k}",
            prenoms="Alex",
            date_naissance=date(2003, 1, 1),
            mode_preparation="scolaire" if k % 3 else "apprenti",
            etablissement=monde.lycee if k % 3 else monde.cfa,
            centre=monde.c1 if k % 2 else monde.c2,
            langue_e2="anglais",
        )
        for k in range(nombre)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(candidat=c, epreuve=e, depose_le=date(2022, 4, 1) if k % 5 else None)
        for k, c in enumerate(candidats)
        for e in ("E4", "E6")
    )
    DecisionConformite.objects.bulk_create(
        DecisionConformite(
            dossier=d, conforme=(k // 2) % 4 != 1, causes=[] if (k // 2) % 4 != 1 else ["depot_tardif"], decidee_par="x"
        )
        for k, d in enumerate(dossiers)
    )
    Resultat.objects.bulk_create(
        Resultat(candidat=c, epreuve=e, note_examinateur=Decimal(8 + (k + j) % 10), suspendue=e == "E6" and k % 4 < 2)
        for k, c in enumerate(candidats)
        for j, e in enumerate(("E1", "E2", "E3", "E4", "E5A", "E5B", "E6"))
    )
    DecisionJury.objects.bulk_create(
        DecisionJury(candidat=c, decision=("admis", "ajourne", "controle")[k % 3], decidee_par="jury")
        for k, c in enumerate(candidats)
    )
