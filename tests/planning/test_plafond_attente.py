"""Plafond d'attente : laisser l'attente monter, jusqu'à un multiple de celle du glouton, pour ouvrir
moins de demi-journées de commission (`examens planifier --plafond-attente R`)."""

from __future__ import annotations

from typing import Any

import pytest

from examens.planning.formats import lire_instance
from examens.planning.service import Methode, planifier
from examens.planning.verificateur import verifier

JOUR = "2022-05-30"


def _instance() -> dict[str, Any]:
    """K1 ne siège que le matin ; K2 toute la journée. B n'arrive qu'à 13 h : K2 siège donc l'après-midi.
    A passe devant K1 et K2 : enchaîné le matin, il attend 10 min (battement) mais ouvre la matinée de
    K2 (3 demi-journées) ; son ORAL2 l'après-midi en ferme une, au prix d'une heure d'attente (midi)."""
    return {
        "format": "examens/planning-instance@1",
        "jours": [{"date": JOUR, "plages": [["08:00", "12:00"], ["13:00", "18:00"]]}],
        "epreuves": {"ORAL1": {"preparation": 0, "duree": 40}, "ORAL2": {"preparation": 0, "duree": 40}},
        "commissions": [
            {
                "id": "K1",
                "epreuves": ["ORAL1"],
                "membres": ["X1"],
                "disponible": [{"date": JOUR, "plages": [["08:00", "12:00"]]}],
            },
            {"id": "K2", "epreuves": ["ORAL2"], "membres": ["X2"]},
        ],
        "examinateurs": [{"id": "X1", "etablissement": None}, {"id": "X2", "etablissement": None}],
        "candidats": [
            {"id": "A", "etablissement": None, "epreuves": ["ORAL1", "ORAL2"]},
            {"id": "B", "etablissement": None, "epreuves": ["ORAL2"], "arrivee": "13:00"},
        ],
    }


def _planifier(plafond: float | None):  # type: ignore[no-untyped-def]
    instance = lire_instance(_instance())
    planning = planifier(instance, temps_max=10, graine=0, workers=1, plafond_attente=plafond)
    rapport = verifier(instance, planning)
    assert rapport.valide, rapport.violations
    return rapport.statistiques


def test_sans_plafond_l_attente_passe_avant_les_demi_journees() -> None:
    s = _planifier(None)
    assert (s.non_planifies, s.attente_minutes, s.demi_journees_commissions) == (0, 10, 3)


def test_avec_plafond_l_attente_monte_pour_fermer_une_demi_journee() -> None:
    glouton = verifier(lire_instance(_instance()), planifier(lire_instance(_instance()), methode=Methode.GLOUTON))
    s = _planifier(10.0)
    assert s.non_planifies == 0
    assert s.demi_journees_commissions == 2
    assert 60 <= s.attente_minutes <= 10 * glouton.statistiques.attente_minutes


def test_un_plafond_trop_bas_ne_change_rien() -> None:
    """Plafond sous l'attente de la phase 1 : elle est gardée, l'ordre du format s'applique."""
    s = _planifier(0.5)
    assert (s.attente_minutes, s.demi_journees_commissions) == (10, 3)


@pytest.mark.parametrize("plafond", [0.6, 1.0, 3.0])
def test_l_attente_permise_de_chaque_jour_totalise_le_plafond(plafond: float) -> None:
    from examens.planning.cpsat import Parametres, _attentes_permises
    from examens.planning.generateur import Parametres as Generateur
    from examens.planning.generateur import generer_centre
    from examens.planning.glouton import glouton, qualite_jour
    from examens.planning.probleme import construire

    probleme = construire(generer_centre(Generateur(candidats=40, jours=2, graine=3)))
    reference = glouton(probleme).placements
    jours = {i: p.date for i, p in reference.items()}
    par_jour: dict[str, list[Any]] = {}
    for i, date in jours.items():
        par_jour.setdefault(date, []).append(probleme.taches[i])
    permises = _attentes_permises(probleme, Parametres(plafond_attente=plafond), reference, reference, par_jour)
    attente = qualite_jour(probleme, reference)[1]
    assert set(permises) == set(par_jour)
    assert plafond * attente - len(permises) <= sum(permises.values()) <= plafond * attente
    # réparties comme l'attente du secours (ici le glouton lui-même) : chaque jour reçoit sa part
    for date, liste in par_jour.items():
        du_jour = qualite_jour(probleme, {t.index: reference[t.index] for t in liste})[1]
        assert permises[date] == int(plafond * attente * du_jour / attente)
    assert _attentes_permises(probleme, Parametres(), reference, reference, par_jour) == {}


def test_le_service_refuse_un_plafond_avec_le_glouton_ou_nul() -> None:
    from examens.planning.service import erreur_plafond

    instance = lire_instance(_instance())
    with pytest.raises(ValueError, match="ne s'applique qu'à la méthode cpsat"):
        planifier(instance, methode=Methode.GLOUTON, plafond_attente=0.6)
    with pytest.raises(ValueError, match="strictement positif"):
        planifier(instance, plafond_attente=0.0)
    assert erreur_plafond(Methode.GLOUTON, None) is None
    assert erreur_plafond("cpsat", 0.6) is None


def test_l_attente_qu_un_jour_ne_prend_pas_passe_au_jour_suivant(monkeypatch: pytest.MonkeyPatch) -> None:
    from examens.planning import cpsat
    from examens.planning.generateur import Parametres as Generateur
    from examens.planning.generateur import generer_centre
    from examens.planning.glouton import qualite_jour
    from examens.planning.probleme import construire

    probleme = construire(generer_centre(Generateur(candidats=30, jours=3, graine=5)))
    parts: dict[str, int] = {}
    vues: list[tuple[str, int | None, int]] = []  # (jour, attente permise reçue, attente prise)
    vraies_parts, vrai_jour = cpsat._attentes_permises, cpsat.planifier_jour

    def attentes_permises(*args: Any, **kwargs: Any) -> dict[str, int]:
        parts.update(vraies_parts(*args, **kwargs))
        return parts

    def planifier_jour(probleme_: Any, date: str, *args: Any, **kwargs: Any) -> Any:
        resultat, optimum = vrai_jour(probleme_, date, *args, **kwargs)
        vues.append((date, kwargs["attente_permise"], qualite_jour(probleme_, resultat)[1]))
        return resultat, optimum

    monkeypatch.setattr(cpsat, "_attentes_permises", attentes_permises)
    monkeypatch.setattr(cpsat, "planifier_jour", planifier_jour)
    # L'affectation sans le compte des demi-journées : sur ce centre, aucun de ses jours ne part au-dessus de
    # sa part d'attente. Avec le compte, un jour y part au-dessus ; il garde l'attente de son départ, comme
    # voulu, et la somme des parts ne borne plus le total.
    parametres = cpsat.Parametres(temps_max=6, workers=1, plafond_attente=0.8, demi_journees_par_jour=False)
    cpsat.planifier_cpsat(probleme, parametres)
    assert [date for date, _, _ in vues] == list(probleme.dates)
    report = 0
    for date, permise, prise in vues:
        assert permise == parts[date] + report  # sa part, et ce que les jours d'avant n'ont pas pris
        report = parts[date] + report - prise
    # Un jour au moins a reçu plus que sa part, et le tout reste sous le plafond (aucun jour ne partait au-dessus).
    assert any(permise is not None and permise > parts[date] for date, permise, _ in vues[1:])
    assert sum(prise for _, _, prise in vues) <= sum(parts.values())


@pytest.mark.parametrize(
    ("part_attente", "plafond", "depart_sous_plafond", "part"),
    [
        (None, None, False, 0.6),  # l'ordre du format : l'attente d'abord
        (None, None, True, 0.6),  # sans plafond, le départ n'y change rien
        (None, 0.6, False, 0.4),  # un départ incomplet ou au-dessus de l'attente permise : la phase 1 a à faire
        (None, 0.6, True, 0.1),  # un départ complet sous l'attente permise : le temps va aux demi-journées
        (0.3, 0.6, True, 0.3),  # une part donnée l'emporte
        (0.3, None, False, 0.3),
    ],
)
def test_part_du_temps_d_un_jour_pour_la_phase_1(
    part_attente: float | None, plafond: float | None, depart_sous_plafond: bool, part: float
) -> None:
    from examens.planning.cpsat import Parametres

    parametres = Parametres(part_attente=part_attente, plafond_attente=plafond)
    assert parametres.part_phase1(depart_sous_plafond) == part


def test_le_jour_donne_peu_de_temps_a_la_phase_1_quand_son_depart_tient_sous_l_attente_permise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`planifier_jour` : un départ qui place tout le jour sous l'attente permise → part réduite ; une attente
    permise plus petite que celle du départ, ou pas de plafond → part ordinaire."""
    from examens.planning import cpsat
    from examens.planning.generateur import Parametres as Generateur
    from examens.planning.generateur import generer_centre
    from examens.planning.glouton import glouton, qualite_jour
    from examens.planning.probleme import construire

    probleme = construire(generer_centre(Generateur(candidats=20, jours=2, graine=3)))
    jours = {i: p.date for i, p in glouton(probleme).placements.items()}
    _, compact, _ = cpsat._indices(probleme, jours, lambda _: None)
    date = probleme.dates[0]
    taches = [probleme.taches[i] for i, d in jours.items() if d == date]
    indice = {t.index: compact[t.index] for t in taches}
    assert len(indice) == len(taches)
    attente_depart = qualite_jour(probleme, indice)[1]
    assert attente_depart > 0

    vues: list[bool] = []
    vraie_part = cpsat.Parametres.part_phase1

    def part_phase1(self: cpsat.Parametres, depart_sous_plafond: bool = False) -> float:
        vues.append(depart_sous_plafond)
        return vraie_part(self, depart_sous_plafond)

    monkeypatch.setattr(cpsat.Parametres, "part_phase1", part_phase1)
    parametres = cpsat.Parametres(workers=1, plafond_attente=0.6, horloge=cpsat.Horloge(deterministe=True))
    for permise in (attente_depart, attente_depart - 1, None):
        cpsat.planifier_jour(probleme, date, taches, indice, parametres, 1.0, lambda _: None, attente_permise=permise)
    assert vues == [True, False, False]
