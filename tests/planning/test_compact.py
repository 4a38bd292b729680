"""Glouton compact (indice de CP-SAT) et borne des demi-journées par capacité de chaque demi-journée."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examens.planning.bornes import calculer_bornes, demi_journees_a_jours_fixes, ecarts_par_groupe
from examens.planning.formats import Planning, Statut, lire_instance, lire_planning
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import (
    Etat,
    deplacer_incomplets,
    glouton,
    glouton_compact,
    qualite_jour,
    resserrer,
    vers_planning,
)
from examens.planning.probleme import Probleme, capacites_demi_journees, construire, somme_maximale
from examens.planning.verificateur import verifier


def test_somme_maximale() -> None:
    assert somme_maximale(260, [60], 5) == 240  # quatre E4 l'après-midi (13 h 40 – 18 h)
    assert somme_maximale(200, [60], 5) == 180  # trois le matin (8 h 40 – 12 h)
    assert somme_maximale(300, [40, 55], 5) == 300  # 2 × 40 + 4 × 55
    assert somme_maximale(30, [40], 5) == 0
    assert somme_maximale(0, [40], 5) == 0


def test_capacite_d_une_demi_journee_tient_compte_de_la_preparation(instance_dict: dict[str, Any]) -> None:
    probleme = construire(lire_instance(instance_dict))
    e4 = [t for t in probleme.taches if t.epreuves == ("E4",)]
    capacites = capacites_demi_journees(probleme, e4)
    # KA, disponible toute la journée : préparation 40 min, E4 de 60 min ; matin 8 h 40 – 12 h : 3 E4,
    # après-midi 13 h 40 – 17 h : 3 E4
    assert capacites[("KA", "2022-05-30", 0)] == 180
    assert capacites[("KA", "2022-05-30", 1)] == 180


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidats=st.integers(1, 40), jours=st.integers(1, 3), graine=st.integers(0, 10_000))
def test_borne_des_demi_journees_sous_tout_planning(candidats: int, jours: int, graine: int) -> None:
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine))
    probleme = construire(instance)
    bornes = calculer_bornes(instance, probleme)
    simple = glouton(probleme)
    compact = glouton_compact(probleme, {i: p.date for i, p in simple.placements.items()})
    for etat in (simple, compact):
        planning = vers_planning(probleme, etat.placements, methode="glouton", statut=Statut.GLOUTON, duree_s=0)
        rapport = verifier(instance, planning)
        assert rapport.valide, [str(v) for v in rapport.violations[:5]]
        s = rapport.statistiques
        if s.non_planifies == 0:
            a_jours_fixes = demi_journees_a_jours_fixes(instance, planning, probleme)
            assert bornes.demi_journees_commissions <= a_jours_fixes <= s.demi_journees_commissions
            assert bornes.attente_minutes <= s.attente_minutes


def test_le_compact_enchaine_les_epreuves_d_un_candidat() -> None:
    instance = generer_centre(Parametres(candidats=40, jours=2, graine=3))
    probleme = construire(instance)
    simple = glouton(probleme)
    jours = {i: p.date for i, p in simple.placements.items()}
    compact = glouton_compact(probleme, jours)
    assert len(compact.placements) == len(simple.placements)
    assert all(p.date == jours[i] for i, p in compact.placements.items())  # mêmes jours imposés
    assert qualite_jour(probleme, compact.placements)[1] < 0.7 * qualite_jour(probleme, simple.placements)[1]
    # reproductible
    assert glouton_compact(probleme, jours).placements == compact.placements


def test_un_candidat_qui_ne_tient_pas_dans_un_jour_trop_plein_vient_un_autre_jour() -> None:
    """Tout le monde le premier jour : le compact ne peut pas tout enchaîner ; ceux qui restent viennent
    le second jour, entiers (mêmes jours-candidats), et le planning reste valide."""
    instance = generer_centre(Parametres(candidats=60, jours=2, graine=5))
    probleme = construire(instance)
    premier = probleme.dates[0]
    jours = {t.index: premier for t in probleme.taches if t.raison is None and probleme.fenetres[(t.index, premier)]}
    etat = glouton_compact(probleme, jours)
    avant = len(etat.placements)
    assert avant < len(jours)  # le jour est trop plein pour tout enchaîner

    nouveaux = deplacer_incomplets(probleme, jours, etat)

    assert len(etat.placements) > avant
    assert all(p.date == nouveaux[i] for i, p in etat.placements.items())
    venues = {(probleme.taches[i].candidat, d) for i, d in nouveaux.items()}
    assert len(venues) == len({probleme.taches[i].candidat for i in nouveaux})  # chacun vient un seul jour
    deplaces = {probleme.taches[i].candidat for i, d in nouveaux.items() if d != premier}
    assert deplaces
    for candidat in deplaces:  # un candidat déplacé l'est avec toutes ses tâches, enchaînées
        assert all(nouveaux[i] != premier and i in etat.placements for i in probleme.par_candidat[candidat])
    planning = vers_planning(probleme, etat.placements, methode="glouton", statut=Statut.GLOUTON, duree_s=0)
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations[:5]]


@pytest.mark.parametrize("graine", [5, 8, 13])
def test_les_indices_de_cpsat_ne_perdent_rien_en_changeant_des_candidats_de_jour(graine: int) -> None:
    """Règle de `cpsat._indices` : les changements de jour ne sont gardés que si le compact place alors
    tout, ou si le glouton contraint (le secours de chaque jour) place autant qu'avant ; les
    jours-candidats ne changent pas."""
    from examens.planning.cpsat import _indices

    instance = generer_centre(Parametres(candidats=60, jours=2, graine=graine))
    probleme = construire(instance)
    premier = probleme.dates[0]
    jours = {t.index: premier for t in probleme.taches if t.raison is None and probleme.fenetres[(t.index, premier)]}
    messages: list[str] = []

    nouveaux, compact, simple = _indices(probleme, jours, messages.append)

    secours_avant = glouton(probleme, jours_imposes=jours).placements
    assert len(compact) == len(jours) or len(simple) >= len(secours_avant)
    assert len(compact) >= len(glouton_compact(probleme, jours).placements)
    assert all(p.date == nouveaux[i] for i, p in compact.items())
    assert all(p.date == nouveaux[i] for i, p in simple.items())
    candidats = {probleme.taches[i].candidat for i in jours}
    assert len({(probleme.taches[i].candidat, d) for i, d in nouveaux.items()}) == len(candidats)
    if nouveaux != jours:
        assert any("changeant leur candidat de jour" in m for m in messages)


@pytest.mark.parametrize(
    ("graine", "deux_jours"),
    [(5, False), (8, False), (5, True), (8, True)],
    ids=["5-deplacables", "8-deplacables", "5-deja-venus", "8-deja-venus"],
)
def test_les_indices_ne_resserrent_le_secours_que_s_il_sert(
    graine: int, deux_jours: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cpsat._indices` ne resserre le glouton contraint (plusieurs secondes à 450 candidats) que s'il le
    rend : quand le compact ne place pas tout et que les changements de jour ne sont pas gardés. Quand ils
    le sont, le secours rendu est un nouveau glouton, et le resserrer serait du temps perdu.

    Tout le centre le premier jour : les candidats incomplets peuvent venir le second (changements gardés).
    `deux_jours` : chaque candidat passe déjà une épreuve le second jour, aucun ne peut changer de jour."""
    from examens.planning import cpsat

    appels: list[int] = []
    original = cpsat.resserrer

    def compte(probleme: Probleme, etat: Etat) -> None:
        appels.append(len(etat.placements))
        original(probleme, etat)

    monkeypatch.setattr(cpsat, "resserrer", compte)
    instance = generer_centre(Parametres(candidats=60, jours=2, graine=graine))
    probleme = construire(instance)
    premier, second = probleme.dates[:2]
    jours: dict[int, str] = {}
    for indices in probleme.par_candidat.values():
        placables = [i for i in indices if probleme.taches[i].raison is None]
        for rang, i in enumerate(placables):
            date = second if deux_jours and rang == 0 else premier
            if probleme.fenetres[(i, date)]:
                jours[i] = date

    nouveaux, _, simple = cpsat._indices(probleme, jours, lambda _: None)

    assert len(glouton_compact(probleme, jours).placements) < len(jours), "le compact doit laisser des tâches"
    assert (nouveaux != jours) is not deux_jours
    if not deux_jours:
        assert appels == []
    else:
        assert appels == [len(simple)]
        secours = glouton(probleme, jours_imposes=jours).placements
        assert len(simple) == len(secours)
        assert qualite_jour(probleme, simple)[1] <= qualite_jour(probleme, secours)[1]


def test_borne_a_jours_fixes_compte_chaque_jour(instance_dict: dict[str, Any]) -> None:
    """Deux E5B de 40 min devant la même commission : une demi-journée s'ils viennent le même jour, deux
    s'ils viennent deux jours différents ; la borne de l'instance en compte une."""
    donnees = instance_dict
    donnees["jours"].append({"date": "2022-05-31", "plages": [["08:00", "12:00"], ["13:00", "17:00"]]})
    donnees["commissions"] = [{"id": "KC", "epreuves": ["E5B"], "membres": ["X4"]}]
    donnees["examinateurs"] = [{"id": "X4", "etablissement": None}]
    donnees["candidats"] = [{"id": c, "etablissement": None, "epreuves": ["E5B"]} for c in ("C1", "C2")]
    instance = lire_instance(donnees)

    def planning(date_c2: str) -> Planning:
        return lire_planning(
            {
                "format": "examens/planning@1",
                "passages": [
                    {"candidat": "C1", "epreuve": "E5B", "commission": "KC", "date": "2022-05-30",
                     "debut": "08:00", "fin": "08:40", "sujet": "WP-01"},
                    {"candidat": "C2", "epreuve": "E5B", "commission": "KC", "date": date_c2,
                     "debut": "09:00", "fin": "09:40", "sujet": "PS-01"},
                ],
            }
        )  # fmt: skip

    assert calculer_bornes(instance).demi_journees_commissions == 1
    assert demi_journees_a_jours_fixes(instance, planning("2022-05-30")) == 1
    assert demi_journees_a_jours_fixes(instance, planning("2022-05-31")) == 2
    # groupe par groupe : la borne, celle de chaque jour, et ce que le planning ouvre chaque jour
    (ecart,) = ecarts_par_groupe(instance, planning("2022-05-31"))
    assert (ecart.groupe, ecart.borne, ecart.borne_a_jours_fixes, ecart.planning) == ("E5B", 1, 2, 2)
    assert [(j.date, j.minutes, j.borne, j.planning) for j in ecart.jours] == [
        ("2022-05-30", 40, 1, 1),
        ("2022-05-31", 40, 1, 1),
    ]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidats=st.integers(2, 60), jours=st.integers(1, 3), graine=st.integers(0, 10_000))
def test_resserrer_n_attend_jamais_plus_et_ne_perd_rien(candidats: int, jours: int, graine: int) -> None:
    """Le secours resserré place les mêmes tâches, les mêmes jours, reste valide, et l'attente ne monte pas."""
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine, marge=1.05))
    probleme = construire(instance)
    etat = glouton(probleme)
    avant = dict(etat.placements)
    attente_avant = qualite_jour(probleme, avant)[1]

    resserrer(probleme, etat)

    assert set(etat.placements) == set(avant)
    assert all(p.date == avant[i].date for i, p in etat.placements.items())
    assert qualite_jour(probleme, etat.placements)[1] <= attente_avant
    planning = vers_planning(probleme, etat.placements, methode="glouton", statut=Statut.GLOUTON, duree_s=0)
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations[:5]]


def test_resserrer_un_jour_serre() -> None:
    """Sur un centre serré, le glouton de référence fait attendre ; resserré, nettement moins."""
    instance = generer_centre(Parametres(candidats=80, jours=2, graine=3, marge=1.1))
    probleme = construire(instance)
    etat = glouton(probleme)
    avant = qualite_jour(probleme, etat.placements)
    resserrer(probleme, etat)
    apres = qualite_jour(probleme, etat.placements)
    assert apres[0] == avant[0]
    assert apres[1] < 0.9 * avant[1]


def _table_par_definition(compact: Any, tache: Any, date: str) -> dict[int, tuple[str, int]]:
    """La table du glouton compact, par sa définition : à chaque début, parmi les fenêtres qui le contiennent
    (dans leur ordre) et où le passage est possible, la première de celles qui ouvrent le moins (demi-journée
    déjà ouverte d'abord), puis laissent la commission le moins longtemps inoccupée juste avant."""
    etat = compact.etat
    fenetres = compact.probleme.fenetres[(tache.index, date)]
    debuts = sorted({d for f in fenetres for d in range(f.debut_min, f.debut_max + 1, etat.pas)})
    table: dict[int, tuple[str, int]] = {}
    for debut in debuts:
        meilleur: tuple[tuple[bool, int], str, int] | None = None
        for f in fenetres:
            if not f.debut_min <= debut <= f.debut_max:
                continue
            passages = etat.commission[(f.commission, date)]
            if any(a < debut + tache.duree and debut < b for a, b in passages):
                continue
            if not etat.possible(tache, f.commission, date, debut)[0]:
                continue
            fins = [b for _, b in passages if f.debut_min <= b <= debut]
            cle = ((f.commission, date, f.plage) not in compact.ouvertes, debut - max(fins, default=f.debut_min))
            if meilleur is None or cle < meilleur[0]:
                meilleur = (cle, f.commission, f.plage)
        if meilleur is not None:
            table[debut] = (meilleur[1], meilleur[2])
    return table


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidats=st.integers(5, 40), jours=st.integers(1, 2), graine=st.integers(0, 10_000))
def test_la_table_du_compact_suit_sa_definition(candidats: int, jours: int, graine: int) -> None:
    from examens.planning.glouton import Etat, _Compact

    probleme = construire(generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine)))
    simple = glouton(probleme)
    # la moitié des passages du glouton en place : des commissions à moitié remplies, des trous
    etat = Etat(probleme)
    for _, p in sorted(simple.placements.items())[::2]:
        etat.placer(p)
    compact = _Compact(etat)
    for tache in probleme.taches[1::3]:
        for date in probleme.dates:
            if tache.index in etat.placements:
                continue
            debuts, table = compact._table(tache, date)
            attendue = _table_par_definition(compact, tache, date)
            assert debuts == sorted(attendue)
            assert {d: (c[0].commission, c[1]) for d, c in table.items()} == attendue


def test_la_copie_d_un_etat_est_independante() -> None:
    probleme = construire(generer_centre(Parametres(candidats=30, jours=2, graine=4)))
    etat = glouton(probleme)
    copie = etat.copie()
    assert copie.placements == etat.placements
    assert copie.probleme is etat.probleme
    avant = (
        dict(etat.placements),
        {k: list(v) for k, v in etat.commission.items()},
        {k: list(v) for k, v in etat.loge.items()},
        {k: list(v) for k, v in etat.poste.items()},
        dict(etat.sujets),
    )
    for p in list(copie.placements.values()):
        copie.retirer(p)
    assert not copie.placements
    assert all(not v for v in copie.commission.values())
    assert all(not any(v) for v in copie.loge.values())
    assert (
        dict(etat.placements),
        {k: list(v) for k, v in etat.commission.items()},
        {k: list(v) for k, v in etat.loge.items()},
        {k: list(v) for k, v in etat.poste.items()},
        dict(etat.sujets),
    ) == avant
    # et la copie se remplit de nouveau à l'identique
    for p in sorted(avant[0].values(), key=lambda p: p.tache):
        copie.placer(p)
    assert copie.placements == etat.placements
