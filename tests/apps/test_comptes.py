"""Habilitations : un rôle, une session, un périmètre cohérent ; accordées et retirées par un service tracé ;
les requêtes filtrées par périmètre (`comptes.permissions`), une persona après l'autre."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from examens.apps.comptes.models import Habilitation, Role
from examens.apps.comptes.permissions import (
    Droit,
    a_le_droit,
    academies_visibles,
    candidats_visibles,
    centres_visibles,
    commissions_visibles,
    etablissements_visibles,
    examinateurs_visibles,
    habilitations_de,
    jurys_visibles,
    oublier_habilitations,
    session_par_defaut,
    voit_les_resultats,
)
from examens.apps.comptes.services import habiliter, retirer_habilitation
from examens.apps.historique.models import Trace

pytestmark = pytest.mark.django_db


def numeros(qs: Any) -> set[str]:
    return set(qs.values_list("numero", flat=True))


# --- Le modèle et le service ------------------------------------------------------------------------


def test_le_perimetre_doit_convenir_au_role(monde: Any) -> None:
    u = monde.utilisateur("sans_habilitation")
    with pytest.raises(ValidationError) as erreur:
        habiliter(utilisateur=u, role=Role.CHEF_DE_CENTRE, session=monde.session, perimetre=monde.lycee, acteur="t")
    assert erreur.value.message_dict["centre"] == [
        "Le rôle « chef de centre » porte sur un objet « centre d'examen », pas sur « Lycée Blaise-Pascal "
        f"({monde.lycee.uai}) »."
    ]
    assert not Habilitation.objects.filter(utilisateur=u).exists()


def test_la_base_refuse_un_perimetre_incoherent(monde: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(
            utilisateur=monde.utilisateur("sans_habilitation"),
            role=Role.GESTIONNAIRE,
            session=monde.session,
            centre=monde.c1,  # un gestionnaire porte sur une académie
            accordee_par="t",
        )


def test_un_perimetre_d_une_autre_session_est_refuse(monde: Any) -> None:
    with pytest.raises(ValidationError, match="autre session"):
        habiliter(
            utilisateur=monde.utilisateur("sans_habilitation"),
            role=Role.CANDIDAT,
            session=monde.autre_session,
            perimetre=monde.lea,
            acteur="t",
        )


def test_un_candidat_n_a_qu_un_compte(monde: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(
            utilisateur=monde.utilisateur("sans_habilitation"),
            role=Role.CANDIDAT,
            session=monde.session,
            candidat=monde.lea,
            accordee_par="t",
        )


def test_habiliter_est_trace_sans_identite_et_idempotent(monde: Any) -> None:
    u = monde.utilisateur("sans_habilitation")
    h = habiliter(utilisateur=u, role=Role.CHEF_DE_CENTRE, session=monde.session, perimetre=monde.c2, acteur="dec")
    assert habiliter(utilisateur=u, role="chef_de_centre", session=monde.session, perimetre=monde.c2, acteur="x") == h
    traces = Trace.objects.pour("comptes.habilitation", h.pk)
    assert traces.count() == 1
    trace = traces.get()
    assert trace.acteur == "dec"
    assert trace.apres == {
        "utilisateur_id": u.pk,
        "role": "chef_de_centre",
        "session": "bts-ndrc-2022",
        "centre": monde.c2.pk,
    }
    assert u.get_username() not in str(trace.apres)
    assert numeros(candidats_visibles(u)) == {"22-000002"}
    pk = h.pk
    retirer_habilitation(habilitation=h, acteur="dec", motif="fin de mission")
    retrait = Trace.objects.pour("comptes.habilitation", pk).last()
    assert (retrait.action, retrait.motif) == (Trace.Action.SUPPRESSION, "fin de mission")
    assert not candidats_visibles(u).exists()


def test_libelles_des_perimetres(monde: Any) -> None:
    libelles = {h.role: h.perimetre_libelle for h in Habilitation.objects.select_related("session")}
    assert libelles[Role.CANDIDAT] == "candidat 22-000001"
    assert "toute la session" in str(Habilitation.objects.get(utilisateur=monde.utilisateur("gestionnaire_pilote")))
    assert libelles[Role.PRESIDENT_JURY] == "Jury — Clermont-Ferrand"


# --- Les périmètres ---------------------------------------------------------------------------------

CANDIDATS_VISIBLES = {
    "anonyme": set(),
    "sans_habilitation": set(),
    "gestionnaire_pilote": {"22-000001", "22-000002", "22-000003"},
    "gestionnaire_lyon": {"22-000003"},
    "chef_de_centre": {"22-000001"},
    "examinateur": set(),
    "presidente": {"22-000001", "22-000002"},
    "etablissement": {"22-000001", "22-000002"},
    "candidat": {"22-000001"},
}


@pytest.mark.parametrize(("persona", "attendus"), CANDIDATS_VISIBLES.items(), ids=list(CANDIDATS_VISIBLES))
def test_candidats_visibles(monde: Any, persona: str, attendus: set[str]) -> None:
    assert numeros(candidats_visibles(monde.utilisateur(persona))) == attendus
    assert numeros(candidats_visibles(monde.utilisateur(persona), session=monde.autre_session)) == set()


@pytest.mark.parametrize(
    ("persona", "centres", "etablissements"),
    [
        ("gestionnaire_pilote", {"c1", "c2", "l1"}, {"lycee", "cfa"}),
        ("gestionnaire_lyon", {"l1"}, {"cfa"}),
        ("chef_de_centre", {"c1"}, {"lycee"}),
        ("presidente", {"c1"}, {"lycee"}),
        ("etablissement", {"c1", "c2"}, {"lycee"}),
        ("candidat", {"c1"}, {"lycee"}),
        ("examinateur", set(), set()),
    ],
)
def test_centres_et_etablissements_visibles(
    monde: Any, persona: str, centres: set[str], etablissements: set[str]
) -> None:
    u = monde.utilisateur(persona)
    assert set(centres_visibles(u)) == {getattr(monde, c) for c in centres}
    assert set(etablissements_visibles(u)) == {getattr(monde, e) for e in etablissements}


def test_academies_jurys_et_examinateurs_visibles(monde: Any) -> None:
    pilote, lyon = monde.utilisateur("gestionnaire_pilote"), monde.utilisateur("gestionnaire_lyon")
    assert set(academies_visibles(pilote)) == {monde.clermont, monde.lyon}
    assert set(academies_visibles(lyon)) == {monde.lyon}
    assert set(jurys_visibles(pilote)) == {monde.jury}
    assert set(jurys_visibles(lyon)) == set()
    assert set(jurys_visibles(monde.utilisateur("presidente"))) == {monde.jury}
    assert set(examinateurs_visibles(monde.utilisateur("examinateur"))) == {monde.examinateur_x}
    assert set(examinateurs_visibles(lyon)) == set()
    assert set(examinateurs_visibles(monde.utilisateur("presidente"))) == {monde.examinateur_x}


def test_l_examinateur_voit_les_candidats_de_ses_commissions_publiees(monde: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from examens.apps.planification.models import Commission, Passage, VersionPlanning

    u = monde.utilisateur("examinateur")
    assert not candidats_visibles(u).exists()
    k01 = Commission.objects.create(session=monde.session, centre=monde.c1, code="K01", epreuves=["E4"])
    k01.membres.set([monde.examinateur_x])
    k02 = Commission.objects.create(session=monde.session, centre=monde.c2, code="K02", epreuves=["E4"])
    debut = datetime(2022, 5, 24, 6, 0, tzinfo=UTC)

    def version(centre: Any, statut: str) -> Any:
        return VersionPlanning.objects.create(
            session=monde.session, centre=centre, numero=1, statut=statut, creee_par="t", solveur="glouton",
            statut_solveur="ok", duree_s=0.1, instance={}, resultat={}, passages_planifies=1, non_planifies=0,
            jours_candidats=1, attente_minutes=0, demi_journees_commissions=1,
        )  # fmt: skip

    publiee, brouillon = version(monde.c1, "publie"), version(monde.c2, "brouillon")
    for v, candidat, commission in (
        (publiee, monde.lea, k01),
        (brouillon, monde.hugo, k01),
        (publiee, monde.ines, k02),
    ):
        Passage.objects.create(
            version=v, candidat=candidat, epreuve="E4", commission=commission, debut=debut,
            fin=debut + timedelta(minutes=40),
        )  # fmt: skip
    assert numeros(candidats_visibles(u)) == {"22-000001"}  # publié, sa commission ; pas le brouillon ni K02
    assert set(centres_visibles(u)) == {monde.c1}
    assert set(commissions_visibles(u)) == {k01}
    assert set(commissions_visibles(monde.utilisateur("chef_de_centre"))) == {k01}
    assert set(commissions_visibles(monde.utilisateur("gestionnaire_lyon"))) == set()
    assert set(commissions_visibles(monde.utilisateur("gestionnaire_pilote"))) == {k01, k02}
    assert set(commissions_visibles(monde.utilisateur("etablissement"))) == set()
    assert not a_le_droit(u, Droit.FICHE_CANDIDAT)  # ses écrans viendront avec la planification


def test_plusieurs_habilitations_font_la_reunion_des_perimetres(monde: Any) -> None:
    """Un gestionnaire de Lyon qui est aussi chef du centre C1 voit les deux ; le périmètre national ne se
    perd pas dans une réunion (un `Q()` vide y disparaîtrait)."""
    u = monde.utilisateur("gestionnaire_lyon")
    habiliter(utilisateur=u, role=Role.CHEF_DE_CENTRE, session=monde.session, perimetre=monde.c1, acteur="t")
    assert numeros(candidats_visibles(u)) == {"22-000001", "22-000003"}
    assert set(centres_visibles(u)) == {monde.c1, monde.l1}
    v = monde.utilisateur("gestionnaire_pilote")
    habiliter(utilisateur=v, role=Role.CHEF_DE_CENTRE, session=monde.session, perimetre=monde.c1, acteur="t")
    assert numeros(candidats_visibles(v)) == {"22-000001", "22-000002", "22-000003"}
    assert set(centres_visibles(v)) == {monde.c1, monde.c2, monde.l1}


def test_un_compte_desactive_ne_voit_rien(monde: Any) -> None:
    u = monde.utilisateur("gestionnaire_pilote")
    u.is_active = False
    assert habilitations_de(u) == []
    assert not candidats_visibles(u).exists()


def test_les_habilitations_sont_lues_une_fois(monde: Any, django_assert_num_queries: Any) -> None:
    u = get_user_model().objects.get(pk=monde.utilisateur("gestionnaire_pilote").pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            habilitations_de(u)
            a_le_droit(u, Droit.TABLEAU_DE_BORD)
            candidats_visibles(u)
    oublier_habilitations(u)
    with django_assert_num_queries(1):
        habilitations_de(u)


def test_droits_et_resultats(monde: Any) -> None:
    assert a_le_droit(monde.utilisateur("etablissement"), Droit.EXPORT_CANDIDATS)
    assert not a_le_droit(monde.utilisateur("etablissement"), Droit.VOIR_ACTEURS)
    assert not a_le_droit(monde.utilisateur("candidat"), Droit.RECHERCHE_CANDIDATS)
    assert not a_le_droit(monde.utilisateur("examinateur"), Droit.FICHE_CANDIDAT)
    assert voit_les_resultats(monde.utilisateur("candidat"), monde.session)  # publiés le 6 juillet 2022
    assert not voit_les_resultats(monde.utilisateur("candidat"), monde.autre_session)
    assert session_par_defaut(monde.utilisateur("candidat")) == monde.session
    assert session_par_defaut(monde.utilisateur("candidat"), "bts-ndrc-2023") is None


def test_l_administration_des_habilitations_et_du_journal(monde: Any, admin_client: Any) -> None:
    assert admin_client.get("/admin/comptes/habilitation/").status_code == 200
    assert admin_client.get("/admin/comptes/habilitation/add/").status_code == 200
    journal = admin_client.get("/admin/comptes/connexion/")
    assert journal.status_code == 200
    assert "/admin/comptes/connexion/add/" not in journal.content.decode()
