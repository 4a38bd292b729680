"""Double saisie des notes d'oral (`notes.services.saisir_note_orale`) : une note ne devient officielle qu'après
deux saisies concordantes par deux personnes, et l'historique le montre ; un écart est signalé et rien n'est
validé ; une écriture faite sur une version périmée de la même case est refusée avec un message.

Le centre de test est celui des sujets (`fabriques_sujets`) : K05 (E5B : X1, X2), K01 (E4 : X5, X6), et une
commission d'un seul membre ajoutée ici, K07 (E2 anglais : X4), dont le chef de centre fait la seconde saisie.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from fabriques_sujets import CentreSujets, centre_sujets, paris

from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Etat, Resultat, Saisie
from examens.apps.notes.selectors import EtatCase, cases_des_passages
from examens.apps.notes.services import SaisiePerimee, SaisieRefusee, saisir_note_orale
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.planification.models import Commission, Passage, VersionPlanning

APRES = paris(31, 20)  # après tous les passages du centre de test


@dataclass
class Oraux:
    cs: CentreSujets
    u: dict[str, Any]
    p: dict[str, Passage]


@pytest.fixture
def oraux(session: ExamSession, clermont: Academie) -> Oraux:
    cs = centre_sujets(session, clermont)
    modele = get_user_model()
    for persona, code in (("x2", "X2"), ("x4", "X4"), ("x6", "X6")):
        u = modele.objects.create_user(persona, f"{persona}@exemple.fr", None)
        habiliter(utilisateur=u, role=Role.EXAMINATEUR, session=session, perimetre=cs.examinateurs[code], acteur="test")
        cs.utilisateurs[persona] = u
    k07 = Commission.objects.create(session=session, centre=cs.centre, code="K07", epreuves=["E2"], langue="anglais")
    k07.membres.set([cs.examinateurs["X4"]])
    debut = paris(30, 10)
    e2 = Passage.objects.create(
        version=cs.version,
        candidat=cs.candidats["C2"],
        epreuve="E2",
        commission=k07,
        debut_preparation=debut - dt.timedelta(minutes=30),
        debut=debut,
        fin=debut + dt.timedelta(minutes=30),
    )
    return Oraux(cs, cs.utilisateurs, {**cs.passages, "E2-1": e2})


def saisir(o: Oraux, qui: str, passage: str, valeur: str, *, version: int = 0, doute: bool = False) -> Any:
    return saisir_note_orale(
        passage=o.p[passage], utilisateur=o.u[qui], valeur=valeur, version=version, doute=doute, maintenant=APRES
    )


def resultat(o: Oraux, passage: str) -> Resultat | None:
    p = o.p[passage]
    return Resultat.objects.filter(candidat=p.candidat, epreuve=p.epreuve).first()


# --------------------------------------------------------------------------- concordance


@pytest.mark.parametrize(
    ("passage", "premiere", "seconde", "attendu"),
    [
        pytest.param("E5B-1", ("x1", "14,5", False), ("x2", "14.5", False), (Etat.NOTE, "14.50", False), id="note"),
        pytest.param("E5B-1", ("x1", "AB", False), ("x2", "absent", False), (Etat.ABSENT, None, False), id="absent"),
        pytest.param("E5B-1", ("x2", "0", False), ("x1", "0,0", False), (Etat.NOTE, "0.00", False), id="zéro"),
        pytest.param(
            "E4-1", ("x5", "12", True), ("x6", "12", True), (Etat.NOTE, "12.00", True), id="doute : note suspendue"
        ),
        pytest.param("E2-1", ("x4", "9,5", False), ("chef", "9,5", False), (Etat.NOTE, "9.50", False), id="un membre"),
    ],
)
def test_deux_saisies_concordantes_valident_le_resultat(
    oraux: Oraux, passage: str, premiere: tuple[str, str, bool], seconde: tuple[str, str, bool], attendu: tuple
) -> None:
    qui, valeur, doute = premiere
    un = saisir(oraux, qui, passage, valeur, doute=doute)
    assert (un.etat, un.saisie.rang, un.modifiee) == (EtatCase.UNE_SAISIE, 1, True)
    assert resultat(oraux, passage) is None  # une seule saisie : rien d'officiel
    qui, valeur, doute = seconde
    deux = saisir(oraux, qui, passage, valeur, doute=doute)
    assert (deux.etat, deux.saisie.rang) == (EtatCase.VALIDEE, 2)
    r = resultat(oraux, passage)
    assert r is not None
    etat, note, suspendue = attendu
    assert (r.etat, r.note_examinateur, r.suspendue) == (etat, None if note is None else Decimal(note), suspendue)
    assert Saisie.objects.filter(candidat=r.candidat, epreuve=r.epreuve, validee_le=APRES).count() == 2
    # L'historique montre les deux saisies puis la validation, qui les nomme.
    traces = list(Trace.objects.filter(objet_type__in=["notes.saisie", "notes.resultat"]).order_by("id"))
    assert [(t.objet_type, t.action) for t in traces] == [
        ("notes.saisie", Trace.Action.CREATION),
        ("notes.saisie", Trace.Action.CREATION),
        ("notes.resultat", Trace.Action.CREATION),
    ]
    assert traces[-1].objet_id == str(r.pk)
    assert premiere[0] in traces[-1].motif
    assert seconde[0] in traces[-1].motif
    assert traces[-1].apres["note_examinateur"] == note


def test_la_seconde_saisie_du_centre_pour_une_commission_d_un_membre(oraux: Oraux) -> None:
    saisir(oraux, "x4", "E2-1", "9,5")
    fait = saisir(oraux, "chef", "E2-1", "9,5")
    assert fait.saisie.qualite == Saisie.Qualite.CENTRE
    assert fait.etat == EtatCase.VALIDEE


# --------------------------------------------------------------------------- écart


@pytest.mark.parametrize(
    ("passage", "a", "b"),
    [
        pytest.param("E5B-1", ("x1", "8", False), ("x2", "13", False), id="8 saisi pour 13"),
        pytest.param("E5B-1", ("x1", "AB", False), ("x2", "10", False), id="absent contre note"),
        pytest.param("E4-1", ("x5", "12", True), ("x6", "12", False), id="doute d'un seul côté"),
    ],
)
def test_un_ecart_est_signale_et_rien_n_est_valide(
    oraux: Oraux, passage: str, a: tuple[str, str, bool], b: tuple[str, str, bool]
) -> None:
    saisir(oraux, a[0], passage, a[1], doute=a[2])
    fait = saisir(oraux, b[0], passage, b[1], doute=b[2])
    assert fait.etat == EtatCase.ECART
    assert resultat(oraux, passage) is None
    assert not Saisie.objects.filter(validee_le__isnull=False).exists()
    ecart = Trace.objects.get(action=Trace.Action.DECISION, objet_type="notes.saisie")
    assert "écart" in ecart.objet_libelle
    # Correction de la seconde saisie (version 1 → 2) : les deux concordent, le résultat est validé.
    corrige = saisir(oraux, b[0], passage, a[1], doute=a[2], version=1)
    assert (corrige.etat, corrige.saisie.version) == (EtatCase.VALIDEE, 2)
    assert resultat(oraux, passage) is not None
    modif = Trace.objects.filter(objet_type="notes.saisie", action=Trace.Action.MODIFICATION).get()
    assert modif.avant["version"] == 1
    assert modif.apres["version"] == 2


def test_la_grille_montre_l_etat_sans_montrer_la_saisie_de_l_autre(oraux: Oraux) -> None:
    saisir(oraux, "x1", "E5B-1", "8")
    saisir(oraux, "x2", "E5B-1", "13")
    saisir(oraux, "x1", "E5B-2", "11")
    saisir(oraux, "x2", "E5B-2", "11")
    saisir(oraux, "x2", "E5B-3", "AB")
    p = [oraux.p[k] for k in ("E5B-1", "E5B-2", "E5B-3", "E5B-4")]
    cases = cases_des_passages(p, par="x1")
    assert [cases[x.pk].etat for x in p] == [EtatCase.ECART, EtatCase.VALIDEE, EtatCase.UNE_SAISIE, EtatCase.A_SAISIR]
    assert [cases[x.pk].valeur_sienne for x in p] == ["8", "11", "", ""]  # jamais la saisie de X2
    assert [cases[x.pk].version for x in p] == [1, 1, 0, 0]
    assert cases[p[1].pk].valeur_validee == "11"


# --------------------------------------------------------------------------- refus


@pytest.mark.parametrize(
    ("qui", "passage", "valeur", "doute", "message"),
    [
        pytest.param("x1", "E5B-1", "ABJ", False, "division des examens", id="ABJ : la division des examens"),
        pytest.param("x1", "E5B-1", "abj", False, "division des examens", id="abj en minuscules"),
        pytest.param("x5", "E4-1", "NV", False, "commission de conformité", id="NV : la commission de conformité"),
        pytest.param("x1", "E5B-1", "DI", False, "inscription", id="DI"),
        pytest.param("x1", "E5B-1", "21", False, "dépasse 20", id="note au-dessus de 20"),
        pytest.param("x1", "E5B-1", "12,3", False, "multiple de 0,5", id="hors du pas"),
        pytest.param("x1", "E5B-1", "douze", False, "ni une note", id="illisible"),
        pytest.param("x1", "E5B-1", "  ", False, "saisissez une note", id="vide"),
        pytest.param("x1", "E5B-1", "12", True, "épreuves à dossier", id="doute hors E4/E6"),
        pytest.param("x5", "E4-1", "AB", True, "absent n'a pas de note à suspendre", id="absent et doute"),
        pytest.param("x3", "E5B-1", "12", False, "ne siégez pas dans la commission K05", id="pas membre"),
        pytest.param("chef", "E5B-1", "12", False, "2 membres", id="chef : commission de deux membres"),
        pytest.param("chef", "E2-1", "12", False, "première saisie revient à l'examinateur", id="chef en premier"),
        pytest.param("pilote", "E5B-1", "12", False, "ne siégez pas", id="gestionnaire"),
    ],
)
def test_saisies_refusees(oraux: Oraux, qui: str, passage: str, valeur: str, doute: bool, message: str) -> None:
    p = oraux.p[passage]
    with pytest.raises(SaisieRefusee) as erreur:
        saisir(oraux, qui, passage, valeur, doute=doute)
    assert message in erreur.value.message
    assert erreur.value.message.startswith(f"Candidat {p.candidat.numero} (")  # la case est nommée
    assert not Saisie.objects.exists()
    assert not Trace.objects.filter(objet_type="notes.saisie").exists()


def test_la_meme_personne_ne_fait_pas_les_deux_saisies(oraux: Oraux) -> None:
    saisir(oraux, "x1", "E5B-1", "12")
    with pytest.raises(SaisiePerimee, match="votre saisie a changé depuis l'affichage"):
        saisir(oraux, "x1", "E5B-1", "12")  # une « seconde » saisie depuis une page qui ne montrait pas la première
    assert Saisie.objects.count() == 1
    assert resultat(oraux, "E5B-1") is None


def test_une_ecriture_sur_une_version_perimee_est_refusee(oraux: Oraux) -> None:
    """Deux onglets ouverts sur la même grille : le second à enregistrer a lu une version périmée."""
    saisir(oraux, "x1", "E5B-1", "10")  # version 1
    saisir(oraux, "x1", "E5B-1", "11", version=1)  # onglet A : version 2
    with pytest.raises(SaisiePerimee) as erreur:
        saisir(oraux, "x1", "E5B-1", "12", version=1)  # onglet B, ouvert avant la correction
    assert "version 2, « 11 »" in erreur.value.message
    assert "rien n'a été enregistré" in erreur.value.message
    s = Saisie.objects.get()
    assert (s.note, s.version) == (Decimal("11.00"), 2)
    assert Trace.objects.filter(objet_type="notes.saisie").count() == 2


def test_une_version_inconnue_est_refusee(oraux: Oraux) -> None:
    with pytest.raises(SaisiePerimee, match="n'existe plus"):
        saisir(oraux, "x1", "E5B-1", "12", version=3)


def test_un_resultat_valide_ne_se_modifie_plus_par_la_saisie(oraux: Oraux) -> None:
    saisir(oraux, "x1", "E5B-1", "12")
    saisir(oraux, "x2", "E5B-1", "12")
    assert saisir(oraux, "x1", "E5B-1", "12", version=1).modifiee is False  # renvoyer la même valeur : rien
    with pytest.raises(SaisieRefusee, match="résultat est validé"):
        saisir(oraux, "x1", "E5B-1", "15", version=1)
    assert resultat(oraux, "E5B-1").note_examinateur == Decimal("12.00")


def test_une_troisieme_saisie_est_refusee(oraux: Oraux, session: ExamSession) -> None:
    x9 = oraux.cs.examinateurs["X3"]
    oraux.p["E5B-1"].commission.membres.add(x9)  # une commission de trois membres
    saisir(oraux, "x1", "E5B-1", "8")
    saisir(oraux, "x2", "E5B-1", "13")
    with pytest.raises(SaisieRefusee, match="deux saisies sont déjà faites"):
        saisir(oraux, "x3", "E5B-1", "8")


@pytest.mark.parametrize(
    ("etat", "origine", "message"),
    [
        pytest.param(Etat.NON_VALIDE, "session", r"non valide \(NV\)", id="NV"),
        pytest.param(Etat.ABSENT_JUSTIFIE, "session", "absence justifiée", id="ABJ"),
        pytest.param(Etat.NOTE, "benefice", "session antérieure", id="bénéfice"),
        pytest.param(Etat.NOTE, "session", "déjà enregistré", id="note importée"),
    ],
)
def test_un_resultat_decide_ailleurs_n_est_pas_ecrase(oraux: Oraux, etat: str, origine: str, message: str) -> None:
    p = oraux.p["E4-1"]
    note = Decimal(12) if etat == Etat.NOTE else None
    Resultat.objects.create(candidat=p.candidat, epreuve="E4", etat=etat, note_examinateur=note, origine=origine)
    with pytest.raises(SaisieRefusee, match=message):
        saisir(oraux, "x5", "E4-1", "15")
    assert cases_des_passages([p], par="x5")[p.pk].etat == EtatCase.DECIDE_AILLEURS


def test_la_note_se_saisit_apres_le_debut_du_passage(oraux: Oraux) -> None:
    with pytest.raises(SaisieRefusee, match="commence le 30/05/2022 à 08:00"):
        saisir_note_orale(
            passage=oraux.p["E5B-1"], utilisateur=oraux.u["x1"], valeur="12", version=0, maintenant=paris(30, 7)
        )


def test_un_passage_d_un_planning_non_publie_ne_se_saisit_pas(oraux: Oraux) -> None:
    VersionPlanning.objects.filter(pk=oraux.cs.version.pk).update(statut=VersionPlanning.Statut.REMPLACE)
    with pytest.raises(SaisieRefusee, match="planning publié"):
        saisir(oraux, "x1", "E5B-1", "12")


def test_une_grille_enregistre_les_cases_valides_et_rend_les_erreurs(oraux: Oraux) -> None:
    """`saisir_notes_orales` : une case refusée (note invalide, page périmée) n'empêche pas les autres."""
    from examens.apps.notes.services import DemandeSaisie, saisir_notes_orales

    saisir(oraux, "x1", "E5B-3", "7")  # version 1 : la grille envoyée ci-dessous l'affichait encore vide
    p = oraux.p
    issues = saisir_notes_orales(
        utilisateur=oraux.u["x1"],
        demandes=[
            DemandeSaisie(p["E5B-1"].pk, "12", 0),
            DemandeSaisie(p["E5B-2"].pk, "12,3", 0),
            DemandeSaisie(p["E5B-3"].pk, "9", 0),
            DemandeSaisie(p["E5B-4"].pk, "AB", 0),
        ],
        maintenant=APRES,
    )
    assert issues[p["E5B-1"].pk].etat == EtatCase.UNE_SAISIE
    assert isinstance(issues[p["E5B-2"].pk], SaisieRefusee)
    assert "multiple de 0,5" in issues[p["E5B-2"].pk].message
    assert isinstance(issues[p["E5B-3"].pk], SaisiePerimee)
    assert issues[p["E5B-4"].pk].saisie.etat == Etat.ABSENT
    assert {s.passage_id: s.version for s in Saisie.objects.all()} == {
        p["E5B-1"].pk: 1,
        p["E5B-3"].pk: 1,
        p["E5B-4"].pk: 1,
    }
    assert Saisie.objects.get(passage=p["E5B-3"]).note == Decimal("7.00")


def test_un_resultat_pose_ailleurs_pendant_la_saisie_defait_la_validation(
    oraux: Oraux, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Un résultat posé par un autre cas d'usage entre la lecture et la validation (course) : la contrainte
    d'unicité le révèle ; la seconde saisie est défaite avec la validation, et la personne le sait."""
    from examens.apps.notes import services

    saisir(oraux, "x1", "E5B-1", "12")
    p = oraux.p["E5B-1"]
    Resultat.objects.create(candidat=p.candidat, epreuve="E5B", etat=Etat.ABSENT_JUSTIFIE)
    monkeypatch.setattr(services, "_decides", lambda cases: {})  # lu avant que le résultat ne soit posé
    with pytest.raises(SaisieRefusee, match="vient d'être enregistré pour cette épreuve par ailleurs"):
        saisir(oraux, "x2", "E5B-1", "12")
    assert Saisie.objects.count() == 1
    assert Trace.objects.filter(objet_type="notes.saisie").count() == 1
    assert Resultat.objects.get(candidat=p.candidat, epreuve="E5B").etat == Etat.ABSENT_JUSTIFIE


def test_epreuve_de_controle_validee_en_note_de_controle(oraux: Oraux) -> None:
    """Un passage de contrôle (CTRL_E1) : la note validée devient la note de contrôle E1, par
    `saisir_note_controle` (qui vérifie que le candidat est admissible au contrôle)."""
    from fabriques_deliberation import noter, partout

    from examens.apps.notes.models import NoteControle
    from examens.apps.planification.models import Nature

    cs = oraux.cs
    c = noter(cs.candidats["C6"], **partout("10", E1="6", E2="6", E3="8"))
    k = Commission.objects.create(
        session=cs.session, centre=cs.centre, code="KC1", nature=Nature.CONTROLE, epreuves=["CTRL_E1"]
    )
    k.membres.set([cs.examinateurs["X1"], cs.examinateurs["X2"]])
    v = VersionPlanning.objects.create(
        session=cs.session,
        centre=cs.centre,
        nature=Nature.CONTROLE,
        numero=1,
        statut=VersionPlanning.Statut.PUBLIE,
        creee_par="test",
        solveur="glouton",
        statut_solveur="GLOUTON",
        duree_s=0.1,
        instance={},
        resultat={},
        passages_planifies=1,
        non_planifies=0,
        jours_candidats=1,
        attente_minutes=0,
        demi_journees_commissions=1,
    )
    debut = paris(31, 14)
    oraux.p["CTRL"] = Passage.objects.create(
        version=v, candidat=c, epreuve="CTRL_E1", commission=k, debut=debut, fin=debut + dt.timedelta(minutes=20)
    )
    saisir(oraux, "x1", "CTRL", "14")
    assert saisir(oraux, "x2", "CTRL", "14").etat == EtatCase.VALIDEE
    n = NoteControle.objects.get(candidat=c)
    assert (n.epreuve, n.note) == ("E1", Decimal("14.00"))
    assert cases_des_passages([oraux.p["CTRL"]], par="x1")[oraux.p["CTRL"].pk].etat == EtatCase.VALIDEE
    # Un candidat non admissible au contrôle : la validation est refusée, et la seconde saisie défaite.
    autre = cs.candidats["C5"]
    noter(autre, **partout("12"))
    oraux.p["CTRL2"] = Passage.objects.create(
        version=v, candidat=autre, epreuve="CTRL_E1", commission=k, debut=debut, fin=debut + dt.timedelta(minutes=20)
    )
    saisir(oraux, "x1", "CTRL2", "11")
    with pytest.raises(SaisieRefusee, match="pas admissible aux épreuves de contrôle"):
        saisir(oraux, "x2", "CTRL2", "11")
    assert Saisie.objects.filter(candidat=autre).count() == 1


def test_une_deliberation_verrouillee_refuse_la_validation(oraux: Oraux) -> None:
    from django.utils import timezone

    from examens.apps.jury.models import EtatDeliberation, Jury

    j = Jury.objects.create(session=oraux.cs.session, nom="Jury 1", president="Mme X")
    j.centres.set([oraux.cs.centre])
    EtatDeliberation.objects.create(jury=j, verrouillee_le=timezone.now(), verrouillee_par="présidente")
    saisir(oraux, "x1", "E5B-1", "12")
    with pytest.raises(SaisieRefusee, match="est verrouillée"):
        saisir(oraux, "x2", "E5B-1", "12")
    assert resultat(oraux, "E5B-1") is None
    assert Saisie.objects.count() == 1
