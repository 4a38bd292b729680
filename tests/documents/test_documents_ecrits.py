"""Bordereau de lot (numéros d'anonymat seulement) et plan de salle (heures locales du centre), relus."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from examens.core.ecrits import numero_anonymat_valide
from examens.documents import MODELES, BordereauLot, CopieBordereau, PlanSalle
from examens.documents.ecrits import rendre_bordereau_lot, rendre_plan_salle
from examens.documents.exemples import bordereau_lot, plan_salle

LirePdf = Callable[[bytes], list[str]]


def test_le_bordereau_ne_porte_que_des_numeros_d_anonymat() -> None:
    """Les données d'un bordereau n'ont aucun champ pour une identité : ni nom, ni numéro de candidat."""
    champs = {f.name for f in dataclasses.fields(BordereauLot)} | {f.name for f in dataclasses.fields(CopieBordereau)}
    assert not champs & {"candidat", "candidats", "nom", "prenoms", "date_naissance", "etablissement"}
    assert MODELES["bordereau-lot"].classe_donnees is BordereauLot


@pytest.mark.parametrize(("nombre", "pages"), [(0, 1), (12, 1), (48, 2), (120, 5)])
def test_bordereau_relu_page_par_page(nombre: int, pages: int, lire_pdf: LirePdf) -> None:
    donnees = bordereau_lot(nombre)
    textes = lire_pdf(rendre_bordereau_lot(donnees))
    assert len(textes) == pages
    for i, texte in enumerate(textes, start=1):
        assert "Bordereau de lot de copies" in texte
        assert "Centre de correction : Lycée Blaise-Pascal (0630019D)" in texte
        assert "Lot : E1-L007" in texte
        assert "Correcteur : Paul LEROY (X0042)" in texte
        assert "Remis le : jeudi 19 mai 2022 à 9 h 30" in texte  # 7 h 30 UTC = 9 h 30 à Paris
        assert f"page {i}/{pages}" in texte
        if any(c.numero in texte for c in donnees.copies):  # l'en-tête du tableau est répété sur chaque page
            assert "N° Numéro d'anonymat Note sur 20 Observations" in texte
    tout = " ".join(textes)
    for copie in donnees.copies:
        assert numero_anonymat_valide(copie.numero)
        assert len(re.findall(rf"\b{copie.numero}\b", tout)) == 1
    assert f"Copies remises : {nombre}" in textes[-1]
    assert "Correcteur — date et signature" in textes[-1]


def test_bordereau_reedite_avec_les_notes_validees(lire_pdf: LirePdf) -> None:
    donnees = bordereau_lot(3)
    notes = (Decimal("12.5"), Decimal("8"), None)
    avec_notes = dataclasses.replace(
        donnees,
        copies=tuple(dataclasses.replace(c, note=n) for c, n in zip(donnees.copies, notes, strict=True)),
    )
    texte = lire_pdf(rendre_bordereau_lot(avec_notes))[0]
    assert f"1 {donnees.copies[0].numero} 12,50" in texte
    assert f"2 {donnees.copies[1].numero} 8,00" in texte
    assert MODELES["bordereau-lot"].charger(avec_notes.en_json()) == avec_notes


def test_plan_de_salle_a_mayotte_en_heure_locale(lire_pdf: LirePdf) -> None:
    """E1 à 14 h 00 à Paris (12 h 00 UTC) : 15 h 00 à Mayotte ; fin 19 h 00 ; tiers temps 20 h 20 ;
    sortie possible (temps de loge d'une heure) 16 h 00."""
    donnees = plan_salle()
    assert donnees.debut == datetime(2022, 5, 16, 12, 0, tzinfo=UTC)
    (texte,) = lire_pdf(rendre_plan_salle(donnees))
    assert "Plan de salle" in texte
    assert "Salle : A12" in texte
    assert "Début : lundi 16 mai 2022 à 15 h 00 (heure de Mayotte)" in texte
    assert "Fin : 19 h 00" in texte
    assert "Fin (tiers temps) : 20 h 20" in texte
    assert "Sortie possible dès : 16 h 00" in texte
    assert "Toutes les heures sont indiquées en heure de Mayotte (UTC+03:00)." in texte
    assert "Surveillants : Anli MADI, Faïza SOILIHI" in texte
    for t in donnees.tables:
        assert f"Table {t.numero} {t.candidat}" in texte
    assert "sujet agrandi" in texte


def test_plan_de_salle_sans_tiers_temps_ni_table(lire_pdf: LirePdf) -> None:
    donnees = dataclasses.replace(plan_salle(), tables=(), surveillants=())
    (texte,) = lire_pdf(rendre_plan_salle(donnees))
    assert "Fin (tiers temps)" not in texte
    assert "Aucune table attribuée dans cette salle." in texte
    assert "Surveillants : à désigner" in texte


def test_plan_de_salle_sur_plusieurs_pages(lire_pdf: LirePdf) -> None:
    donnees = plan_salle(120)
    textes = lire_pdf(rendre_plan_salle(donnees))
    assert len(textes) > 1
    tout = " ".join(textes)
    assert all(f"Table {t.numero} {t.candidat}" in tout for t in donnees.tables)
    assert all("Salle : A12" in texte for texte in textes)
    assert isinstance(MODELES["plan-salle"].charger(donnees.en_json()), PlanSalle)
