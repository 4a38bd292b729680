"""Fermer des demi-journées en relâchant les candidats, puis en permutant les passages (`planning.relache`).

Le planning relâché tient les plafonds de demi-journées par groupe, et toutes les règles sauf celles des
candidats ; la permutation ne fait qu'échanger des passages de même forme entre tâches, sans rien changer
aux commissions, loges et postes, et rend des candidats sans chevauchement ; ce que `fermer` rend passe le
vérificateur, ouvre moins de demi-journées et reste sous l'attente permise. `agrege.reduire` ramène
l'attente sans ouvrir de demi-journée."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from examens.planning import agrege, relache
from examens.planning.bornes import demi_journees_du_jour
from examens.planning.formats import Statut
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import Placement, qualite_jour, vers_planning
from examens.planning.probleme import Probleme, capacites_demi_journees, construire, groupes_de_commissions
from examens.planning.verificateur import verifier
from planning.jour_genere import jour, rien, solveur

OUTILS = relache.Outils(solveur, rien, time.monotonic)


def _valide(probleme: Probleme, placements: dict[int, Placement]) -> None:
    planning = vers_planning(probleme, placements, methode="cpsat", statut=Statut.FEASIBLE, duree_s=0.0)
    rapport = verifier(probleme.instance, planning)
    assert rapport.valide, rapport.violations


def _creneaux(placements: dict[int, Placement]) -> Counter[tuple[str, int, str | None]]:
    return Counter((p.commission, p.debut, p.loge) for p in placements.values())


@pytest.mark.parametrize("graine", [4, 7])
def test_le_planning_relache_tient_les_plafonds_et_garde_les_taches(graine: int) -> None:
    probleme, date, taches, placements = jour(graine)
    ouvertes = relache.ouvertes_par_groupe(probleme, taches, placements)
    groupes, _ = groupes_de_commissions(taches)
    # une demi-journée de moins dans chaque groupe qui en ouvre plus que sa borne du jour
    plafonds = {
        g: len(ouvertes[g]) - (len(ouvertes[g]) > demi_journees_du_jour(probleme, liste, date))
        for g, liste in groupes.items()
    }
    assert sum(plafonds.values()) < sum(len(v) for v in ouvertes.values())
    relachees = relache.relacher(probleme, date, taches, placements, plafonds, OUTILS, 5.0)
    assert relachees is not None
    assert set(relachees) == set(placements)
    apres = relache.ouvertes_par_groupe(probleme, taches, relachees)
    assert all(len(apres[g]) <= plafond for g, plafond in plafonds.items())
    # chaque passage dans une fenêtre de sa tâche ; jamais deux à la fois devant une commission
    par_commission: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, p in relachees.items():
        t = probleme.taches[i]
        assert any(
            f.commission == p.commission and f.debut_min <= p.debut <= f.debut_max for f in probleme.fenetres[(i, date)]
        )
        par_commission[p.commission].append((p.debut, p.debut + t.duree))
    for intervalles in par_commission.values():
        intervalles.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(intervalles))


def test_les_candidats_tenus_n_ont_jamais_deux_passages_a_la_fois_dans_le_planning_relache() -> None:
    probleme, date, taches, placements = jour(graine=7)
    ouvertes = relache.ouvertes_par_groupe(probleme, taches, placements)
    groupes, _ = groupes_de_commissions(taches)
    plafonds = {
        g: len(ouvertes[g]) - (len(ouvertes[g]) > demi_journees_du_jour(probleme, liste, date))
        for g, liste in groupes.items()
    }
    tenus = frozenset(t.candidat for t in taches)
    relachees = relache.relacher(probleme, date, taches, placements, plafonds, OUTILS, 8.0, tenus)
    assert relachees is not None
    assert relachees != placements  # des passages ont bougé pour tenir les plafonds
    assert relache.en_conflit(probleme, taches, relachees) == set()


def test_un_planning_sans_conflit_de_candidat_n_est_pas_permute() -> None:
    probleme, date, taches, placements = jour()
    assert relache.en_conflit(probleme, taches, placements) == set()
    assert relache.permuter(probleme, date, taches, placements, OUTILS, 2.0) is placements


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_la_permutation_echange_des_passages_de_meme_forme_et_rend_un_planning_valide(graine: int) -> None:
    probleme, date, taches, placements = jour(graine=4, candidats=20)
    # Mélanger les créneaux entre tâches de même forme et de mêmes fenêtres (chaque créneau reste possible
    # pour la tâche qui le reçoit) crée des candidats à deux endroits à la fois.
    alea = random.Random(graine)
    par_forme: dict[object, list[int]] = defaultdict(list)
    for t in taches:
        par_forme[(t.preparation, t.durees, t.poste, t.sujet, t.loges, probleme.fenetres[(t.index, date)])].append(
            t.index
        )
    melanges = dict(placements)
    for indices in par_forme.values():
        cibles = indices[:]
        alea.shuffle(cibles)
        for i, j in zip(indices, cibles, strict=True):
            p = placements[j]
            melanges[i] = Placement(i, p.commission, p.date, p.debut, p.loge)
    assert relache.en_conflit(probleme, taches, melanges), "le mélange devrait créer des conflits"
    permutes = relache.permuter(probleme, date, taches, melanges, OUTILS, 5.0)
    assert permutes is not None
    assert relache.en_conflit(probleme, taches, permutes) == set()
    assert _creneaux(permutes) == _creneaux(melanges)  # les mêmes créneaux, chacun pris une fois
    _valide(probleme, permutes)


@pytest.mark.parametrize("graine", [4, 7])
def test_fermer_rend_moins_de_demi_journees_sous_l_attente_permise(graine: int) -> None:
    probleme, date, taches, placements = jour(graine)
    _, attente, demis = qualite_jour(probleme, placements)
    resultat = relache.fermer(
        probleme, date, taches, placements, attente, OUTILS, time.monotonic() + 12.0, lambda _: None
    )
    assert set(resultat) == set(placements)
    _, attente_apres, demis_apres = qualite_jour(probleme, resultat)
    assert demis_apres < demis  # le glouton ouvre des demi-journées de trop
    assert attente_apres <= attente
    _valide(probleme, resultat)


def test_fermer_sans_temps_ou_sans_depart_complet_rend_le_depart() -> None:
    probleme, date, taches, placements = jour()
    attente = qualite_jour(probleme, placements)[1]
    assert relache.fermer(probleme, date, taches, placements, attente, OUTILS, time.monotonic(), print) is placements
    incomplet = dict(list(placements.items())[1:])
    rendu = relache.fermer(probleme, date, taches, incomplet, attente, OUTILS, time.monotonic() + 5, print)
    assert rendu is incomplet


def test_reduire_ramene_l_attente_sans_ouvrir_de_demi_journee() -> None:
    probleme, date, taches, placements = jour(graine=7)
    _, attente, demis = qualite_jour(probleme, placements)
    pas = probleme.instance.pas
    cible = relache._etendues(probleme, taches, placements) - 60 // pas  # une heure d'attente de moins
    reduit = agrege.reduire(probleme, date, taches, placements, cible, solveur, rien, 5.0)
    assert reduit is not None
    _, attente_apres, demis_apres = qualite_jour(probleme, reduit)
    assert attente_apres <= attente - 60
    assert demis_apres <= demis
    _valide(probleme, reduit)


def test_reduire_rend_none_si_la_cible_est_hors_d_atteinte() -> None:
    probleme, date, taches, placements = jour()
    assert agrege.reduire(probleme, date, taches, placements, 0, solveur, rien, 2.0) is None


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graine=st.integers(min_value=10, max_value=10_000))
def test_propriete_fermer_ne_degrade_jamais_lejour(graine: int) -> None:
    """Sur des centres quelconques : toutes les tâches, pas plus de demi-journées, pas plus d'attente
    que permis, un planning valide."""
    probleme, date, taches, placements = jour(graine=graine, candidats=12, exiger_complet=False)
    assume(len(placements) == len(taches))  # le glouton laisse parfois une tâche (graine 96)
    _, attente, demis = qualite_jour(probleme, placements)
    resultat = relache.fermer(
        probleme, date, taches, placements, attente, OUTILS, time.monotonic() + 4.0, lambda _: None
    )
    assert set(resultat) == set(placements)
    _, attente_apres, demis_apres = qualite_jour(probleme, resultat)
    assert demis_apres <= demis
    assert attente_apres <= attente
    _valide(probleme, resultat)


def test_la_chaine_ferme_par_permutation_quand_le_jour_en_a_le_temps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dans `planifier_cpsat`, les fermetures « relâcher puis permuter » suivent le modèle agrégé quand il
    leur reste au moins `TEMPS_MIN_RELACHE` secondes ; le planning rendu est complet et valide."""
    from examens.planning import cpsat

    appels: list[int] = []
    vraie = relache.fermer

    def espionne(*args: object, **kwargs: object) -> dict[int, Placement]:
        resultat = vraie(*args, **kwargs)  # type: ignore[arg-type]
        appels.append(len(resultat))
        return resultat

    monkeypatch.setattr(relache, "fermer", espionne)
    probleme = construire(generer_centre(Parametres(candidats=16, jours=1, graine=4)))
    # Le modèle agrégé à 0,3 de la phase 2 : il reste à ces fermetures plus que le seuil, même s'il prend tout
    # son temps (sous la charge de la CI).
    parametres = cpsat.Parametres(temps_max=16.0, workers=2, plafond_attente=0.6, part_agrege=0.3)
    resultat = cpsat.planifier_cpsat(probleme, parametres)
    assert appels, "les fermetures par permutation auraient dû être essayées"
    assert len(resultat.placements) == sum(1 for t in probleme.taches if t.raison is None)
    _valide(probleme, resultat.placements)


def test_les_plafonds_du_saut_partent_des_bornes_du_jour() -> None:
    """Chaque groupe à sa borne du jour, une de plus si ses passages remplissent presque entièrement ses
    `borne` plus grandes demi-journées du jour."""
    probleme, date, taches, _ = jour(graine=7, candidats=30)
    groupes, _ = groupes_de_commissions(taches)
    plafonds = relache.plafonds_du_saut(probleme, taches, date)
    serres = 0
    for g, liste in groupes.items():
        borne = demi_journees_du_jour(probleme, liste, date)
        capacites = sorted(capacites_demi_journees(probleme, liste).values(), reverse=True)[:borne]
        remplissage = sum(t.duree for t in liste) / sum(capacites)
        assert plafonds[g] == borne + (remplissage > relache.REMPLISSAGE_SERRE)
        serres += remplissage > relache.REMPLISSAGE_SERRE
    assert 0 < serres < len(groupes), "ce jour a des groupes pleins et d'autres non : les deux cas comptent"


@pytest.mark.parametrize("graine", [4, 7])
def test_le_saut_a_la_borne_ne_degrade_jamais_le_jour(graine: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Réussi ou non (c'est une recherche), le saut rend un planning complet et valide, jamais plus de
    demi-journées ni plus d'attente que permis, et dit son issue en un message."""
    monkeypatch.setattr(relache, "TEMPS_MIN_REDUIRE_SAUT", 2.0)  # un jour de 16 candidats, pas de 150
    probleme, date, taches, placements = jour(graine)
    _, attente, demis = qualite_jour(probleme, placements)
    messages: list[str] = []
    resultat = relache.sauter(
        probleme, date, taches, placements, attente, OUTILS, time.monotonic() + 8.0, messages.append
    )
    assert set(resultat) == set(placements)
    _, attente_apres, demis_apres = qualite_jour(probleme, resultat)
    assert demis_apres <= demis
    assert attente_apres <= attente
    assert len(messages) == 1
    assert messages[0].startswith(f"jour {date} : saut à la borne")
    _valide(probleme, resultat)


def test_le_saut_a_la_borne_ferme_d_un_coup_sous_l_attente_permise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Le glouton ouvre 18 demi-journées de ce jour ; le saut en ferme plusieurs d'un coup, sans plus
    d'attente. La recherche à deux workers n'est pas déterministe : la première de trois graines qui ferme."""
    monkeypatch.setattr(relache, "TEMPS_MIN_REDUIRE_SAUT", 2.0)
    probleme, date, taches, placements = jour(graine=7)
    _, attente, demis = qualite_jour(probleme, placements)
    for graine in (1, 2, 3):
        outils = relache.Outils(lambda t, g=graine: solveur(t, g), rien, time.monotonic)
        messages: list[str] = []
        resultat = relache.sauter(
            probleme, date, taches, placements, attente, outils, time.monotonic() + 10.0, messages.append
        )
        if resultat is not placements:
            break
    _, attente_apres, demis_apres = qualite_jour(probleme, resultat)
    assert demis_apres < demis - 1, messages
    assert attente_apres <= attente
    assert messages == [f"jour {date} : saut à la borne, {demis} → {demis_apres} demi-journées"]
    _valide(probleme, resultat)


def test_le_saut_sans_temps_ou_sans_depart_complet_rend_le_depart() -> None:
    probleme, date, taches, placements = jour()
    attente = qualite_jour(probleme, placements)[1]
    # moins que le temps minimum de l'étape 3 : rien n'est essayé
    echeance = time.monotonic() + relache.TEMPS_MIN_REDUIRE_SAUT / 2
    assert relache.sauter(probleme, date, taches, placements, attente, OUTILS, echeance, print) is placements
    incomplet = dict(list(placements.items())[1:])
    rendu = relache.sauter(probleme, date, taches, incomplet, attente, OUTILS, time.monotonic() + 30, print)
    assert rendu is incomplet


def test_la_chaine_saute_a_la_borne_quand_la_phase_2_en_a_le_temps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dans `planifier_cpsat`, le saut ouvre la phase 2, avant le modèle agrégé, quand sa part de celle-ci
    atteint `TEMPS_MIN_SAUT` et `TEMPS_SAUT_PAR_TACHE` par tâche du jour ; le planning rendu est complet et
    valide."""
    from examens.planning import cpsat

    appels: list[float] = []
    ordre: list[str] = []
    vrai, vrai_agrege = relache.sauter, agrege.fermer

    def espion(*args: object, **kwargs: object) -> dict[int, Placement]:
        outils, echeance = args[5], args[6]
        assert isinstance(outils, relache.Outils)
        assert isinstance(echeance, float)
        appels.append(echeance - outils.maintenant())  # le temps donné au saut
        ordre.append("saut")
        return vrai(*args, **kwargs)  # type: ignore[arg-type]

    def espion_agrege(*args: object, **kwargs: object) -> dict[int, Placement] | None:
        ordre.append("agrégé")
        return vrai_agrege(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(relache, "sauter", espion)
    monkeypatch.setattr(agrege, "fermer", espion_agrege)
    monkeypatch.setattr(cpsat, "TEMPS_MIN_SAUT", 3.0)
    monkeypatch.setattr(cpsat, "TEMPS_SAUT_PAR_TACHE", 0.05)
    monkeypatch.setattr(relache, "TEMPS_MIN_REDUIRE_SAUT", 1.0)
    probleme = construire(generer_centre(Parametres(candidats=16, jours=1, graine=4)))
    parametres = cpsat.Parametres(temps_max=16.0, workers=2, plafond_attente=0.6)
    resultat = cpsat.planifier_cpsat(probleme, parametres)
    assert len(appels) == 1, "le saut aurait dû être essayé"
    assert appels[0] >= 3.0, "avec au moins le seuil"
    assert ordre[0] == "saut"
    assert len(resultat.placements) == sum(1 for t in probleme.taches if t.raison is None)
    _valide(probleme, resultat.placements)
    # sa part ramenée sous le seuil : pas de saut
    appels.clear()
    cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=16.0, workers=2, plafond_attente=0.6, part_saut=0.1))
    assert appels == []
    # assez de temps en tout, trop peu pour les tâches du jour : pas de saut non plus
    monkeypatch.setattr(cpsat, "TEMPS_MIN_SAUT", 0.5)
    monkeypatch.setattr(cpsat, "TEMPS_SAUT_PAR_TACHE", 1.0)
    cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=4.0, workers=2, plafond_attente=0.6))
    assert appels == []
    monkeypatch.setattr(cpsat, "TEMPS_SAUT_PAR_TACHE", 0.001)
    cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=4.0, workers=2, plafond_attente=0.6))
    assert len(appels) == 1, "le même temps suffit avec moins de temps exigé par tâche"
