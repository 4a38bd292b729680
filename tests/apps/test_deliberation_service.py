"""Délibération depuis la base : les mêmes décisions que le moteur, en un nombre de requêtes constant.

Chaque cas du règlement est écrit deux fois : en base (fabriques) et à la main pour le moteur
(`CandidatADeliberer`). Les deux chemins doivent donner exactement la même `Deliberation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fabriques_deliberation import (
    candidat,
    conservee,
    controle,
    dispense,
    noter,
    partout,
    points_jury,
    suspendre,
)

from examens.apps.candidats.models import Candidat
from examens.apps.historique.models import Trace
from examens.apps.jury.models import DecisionJury
from examens.apps.jury.services import deliberer_session
from examens.apps.notes.selectors import candidats_a_deliberer
from examens.apps.organisation.models import ExamSession
from examens.core.deliberation import CandidatADeliberer, Decision, Motif, Parcours, deliberer
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, Note, Origine

pytestmark = pytest.mark.django_db
AB, ABJ, NV, DI = Etat.ABSENT, Etat.ABSENT_JUSTIFIE, Etat.NON_VALIDE, Etat.DISPENSE


def n(valeur: float, **autres: object) -> Note:
    return Note(round(valeur * 100), **autres)  # type: ignore[arg-type]


def tout(valeur: float, **autres: object) -> dict[str, object]:
    r: dict[str, object] = {code: n(valeur) for code in ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")}
    r.update(autres)
    return r


@dataclass(frozen=True)
class Cas:
    """Un cas du règlement : comment l'écrire en base, ce que le moteur reçoit, la décision attendue."""

    en_base: Callable[[Candidat], object]
    entree: Callable[[str], CandidatADeliberer]
    decision: Decision
    motif: Motif | None = None
    creer: dict[str, object] | None = None


CAS: dict[str, Cas] = {
    "admis, 12 partout": Cas(
        lambda c: noter(c, **partout("12")),
        lambda num: CandidatADeliberer(num, tout(12)),
        Decision.ADMIS,
    ),
    "absence à E2 → ajourné (absence)": Cas(
        lambda c: noter(c, **partout("15", E2="AB")),
        lambda num: CandidatADeliberer(num, tout(15, E2=AB)),
        Decision.AJOURNE,
        Motif.ABSENCE,
    ),
    "ABJ compte 0": Cas(
        lambda c: noter(c, **partout("11", E3="ABJ")),
        lambda num: CandidatADeliberer(num, tout(11, E3=ABJ)),
        Decision.CONTROLE,
    ),
    "E4 non valide (conformité) → ajourné": Cas(
        lambda c: noter(c, **partout("14", E4="NV")),
        lambda num: CandidatADeliberer(num, tout(14, E4=NV)),
        Decision.AJOURNE,
        Motif.NON_VALIDE,
    ),
    "U1 dispensée → E1 en DI": Cas(
        lambda c: (noter(c, **{k: v for k, v in partout("10").items() if k != "E1"}), dispense(c, "U1")),
        lambda num: CandidatADeliberer(num, tout(10, E1=DI)),
        Decision.ADMIS,
    ),
    "bénéfice de 2020 à E3": Cas(
        lambda c: (noter(c, **{k: v for k, v in partout("9.5").items() if k != "E3"}), conservee(c, "E3", "14")),
        lambda num: CandidatADeliberer(num, tout(9.5, E3=n(14, origine=Origine.BENEFICE, annee=2020))),
        Decision.ADMIS,
    ),
    "report en forme progressive": Cas(
        lambda c: (
            noter(c, **{k: v for k, v in partout("11").items() if k != "E1"}),
            conservee(c, "E1", "8", 2021, "report"),
        ),
        lambda num: CandidatADeliberer(
            num, tout(11, E1=n(8, origine=Origine.REPORT, annee=2021)), parcours=Parcours.PROGRESSIVE
        ),
        Decision.ADMIS,
        creer={"parcours": "progressive"},
    ),
    "résultat de la session prime sur la note conservée": Cas(
        lambda c: (noter(c, **partout("12", E3="8")), conservee(c, "E3", "15")),
        lambda num: CandidatADeliberer(num, tout(12, E3=n(8))),
        Decision.ADMIS,
    ),
    "points de jury : 9,5 relevé à 10 en E1 → admis": Cas(
        lambda c: (noter(c, **partout("10", E1="9.5")), points_jury(c, "E1", "10")),
        lambda num: CandidatADeliberer(num, tout(10, E1=n(9.5)), points_jury={"E1": n(10)}),
        Decision.ADMIS,
    ),
    "sans points de jury, 9,5 en E1 → contrôle": Cas(
        lambda c: noter(c, **partout("10", E1="9.5")),
        lambda num: CandidatADeliberer(num, tout(10, E1=n(9.5))),
        Decision.CONTROLE,
    ),
    "contrôle en E1 et E2 → admis après contrôle": Cas(
        lambda c: (noter(c, **partout("10", E1="6", E2="6", E3="8")), controle(c, E1="16", E2="14")),
        lambda num: CandidatADeliberer(num, tout(10, E1=n(6), E2=n(6), E3=n(8)), controle={"E1": n(16), "E2": n(14)}),
        Decision.ADMIS,
    ),
    "contrôle, absent à E2 → la note du premier groupe reste": Cas(
        lambda c: (noter(c, **partout("10", E1="6", E2="6", E3="8")), controle(c, E1="9", E2="AB")),
        lambda num: CandidatADeliberer(num, tout(10, E1=n(6), E2=n(6), E3=n(8)), controle={"E1": n(9), "E2": AB}),
        Decision.AJOURNE,
        Motif.MOYENNE,
    ),
    "note suspendue → en attente": Cas(
        lambda c: (noter(c, **partout("12")), suspendre(c, "E6")),
        lambda num: CandidatADeliberer(num, tout(12, E6=n(12, suspendue=True))),
        Decision.EN_ATTENTE,
        Motif.NOTE_SUSPENDUE,
    ),
    "livret fourni non examiné → pas d'ajournement": Cas(
        lambda c: noter(c, **partout("6")),
        lambda num: CandidatADeliberer(num, tout(6), livret_fourni=True, livret_examine=False),
        Decision.EN_ATTENTE,
        Motif.LIVRET_NON_EXAMINE,
        creer={"livret_scolaire": True},
    ),
    "forme progressive, E6 pas encore présentée → incomplet": Cas(
        lambda c: noter(c, **{k: v for k, v in partout("12").items() if k != "E6"}),
        lambda num: CandidatADeliberer(
            num, {k: v for k, v in tout(12).items() if k != "E6"}, parcours=Parcours.PROGRESSIVE
        ),
        Decision.INCOMPLET,
        creer={"parcours": "progressive"},
    ),
    "facultative LV2 à 15 : 5 points de plus": Cas(
        lambda c: noter(c, **partout("10", E1="9"), LV2="15"),
        lambda num: CandidatADeliberer(num, tout(10, E1=n(9), LV2=n(15))),
        Decision.ADMIS,
        creer={"langue_lv2": "espagnol"},
    ),
}


def _creer_cas(session: ExamSession) -> dict[str, tuple[Candidat, Cas]]:
    crees = {}
    for cas in CAS.values():
        c = candidat(session, **(cas.creer or {}))
        cas.en_base(c)
        crees[c.numero] = (c, cas)
    return crees


def test_le_chemin_base_donne_les_decisions_du_moteur(session: ExamSession) -> None:
    reglement = reglement_fourni(session.reglement)
    crees = _creer_cas(session)
    par_numero = {e.candidat: e for e in candidats_a_deliberer(session=session)}
    rapport = deliberer_session(session=session, acteur="jury")
    assert not rapport.erreurs
    decisions = {d.numero: d.deliberation for d in rapport.decisions}
    for numero, (_c, cas) in crees.items():
        attendue = deliberer(reglement, cas.entree(numero))
        assert par_numero[numero] == cas.entree(numero), numero
        assert decisions[numero] == attendue, numero
        assert (attendue.decision, attendue.motif) == (cas.decision, cas.motif), numero


@pytest.mark.parametrize("nom", list(CAS))
def test_chaque_cas_du_reglement(session: ExamSession, nom: str) -> None:
    cas = CAS[nom]
    c = candidat(session, **(cas.creer or {}))
    cas.en_base(c)
    (d,) = deliberer_session(session=session, acteur="jury").decisions
    assert d.deliberation == deliberer(reglement_fourni(session.reglement), cas.entree(c.numero))
    assert (d.deliberation.decision, d.deliberation.motif) == (cas.decision, cas.motif)


def _peupler(session: ExamSession, nombre: int) -> None:
    for i in range(nombre):
        cas = CAS[list(CAS)[i % len(CAS)]]
        c = candidat(session, **{"livret_scolaire": i % 3 == 0, **(cas.creer or {})})
        cas.en_base(c)
        if i % 4 == 0:
            conservee(c, "LV2", "13")
        if i % 5 == 0:
            dispense(c, "U3")


def _requetes(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda s: candidats_a_deliberer(session=s), id="sélecteur"),
        pytest.param(lambda s: deliberer_session(session=s, acteur="jury"), id="simulation"),
        pytest.param(lambda s: deliberer_session(session=s, acteur="jury", appliquer=True), id="application"),
    ],
)
def test_requetes_independantes_du_nombre_de_candidats(
    session: ExamSession,
    clermont: object,
    django_assert_max_num_queries: Callable[[int], object],
    action: Callable[[ExamSession], object],
) -> None:
    _peupler(session, 5)
    avec_5 = _requetes(lambda: action(session))
    _peupler(session, 45)
    with django_assert_max_num_queries(avec_5):  # type: ignore[operator]
        action(session)
    # 7 lectures ; à l'application, les jurys (verrouillage, jury.services), 2 INSERT en masse, 3 UPDATE/SELECT,
    # savepoint
    assert avec_5 <= 16


def test_la_simulation_n_ecrit_rien(session: ExamSession) -> None:
    _creer_cas(session)
    traces = Trace.objects.count()
    rapport = deliberer_session(session=session, acteur="jury")
    assert not rapport.appliquee
    assert len(rapport.changements) == len(CAS)
    assert DecisionJury.objects.count() == 0
    assert Trace.objects.count() == traces
    assert "rien n'est enregistré" in rapport.resume()


def test_appliquer_enregistre_decisions_et_traces(session: ExamSession) -> None:
    _creer_cas(session)
    rapport = deliberer_session(session=session, acteur="présidente", appliquer=True)
    assert rapport.appliquee
    assert rapport.enregistrees == len(CAS)
    assert DecisionJury.objects.en_vigueur().count() == len(CAS)
    admis = DecisionJury.objects.get(candidat__numero=rapport.decisions[0].numero)
    assert (admis.decision, admis.moyenne, admis.points, admis.diviseur) == ("admis", "12.00", 252, 21)
    assert admis.unites_obtenues == ["U1", "U2", "U3", "U4", "U5", "U6"]
    traces = Trace.objects.filter(objet_type="jury.decisionjury")
    assert traces.count() == len(CAS)
    t = traces.get(objet_id=str(admis.pk))
    assert t.acteur == "présidente"
    assert t.avant is None
    assert t.apres["decision"] == "admis"
    # Réappliquer sans changement : rien de nouveau.
    encore = deliberer_session(session=session, acteur="présidente", appliquer=True)
    assert encore.enregistrees == 0
    assert DecisionJury.objects.count() == len(CAS)


def test_une_erreur_bloque_tout_l_enregistrement(session: ExamSession) -> None:
    noter(candidat(session), **partout("12"))
    noter(candidat(session), **partout("12", E6="DI"))  # DI interdit pour E6
    rapport = deliberer_session(session=session, acteur="jury", appliquer=True)
    assert len(rapport.erreurs) == 1
    assert "E6" in rapport.erreurs[0]
    assert not rapport.appliquee
    assert DecisionJury.objects.count() == 0


def test_controle_en_cours_de_saisie_reste_admissible(session: ExamSession) -> None:
    c = noter(candidat(session), **partout("10", E1="6", E2="6", E3="8"))
    controle(c, E1="16")
    rapport = deliberer_session(session=session, acteur="jury")
    (d,) = rapport.decisions
    assert d.deliberation.decision is Decision.CONTROLE
    assert "1 note(s) de contrôle saisie(s) sur 2" in rapport.avertissements[0]


def test_candidat_desiste_pas_delibere(session: ExamSession) -> None:
    from datetime import date

    noter(candidat(session, desiste_le=date(2022, 5, 1)), **partout("12"))
    assert deliberer_session(session=session, acteur="jury").decisions == []


def test_requetes_du_remplacement_independantes_du_nombre(
    session: ExamSession, django_assert_max_num_queries: Callable[[int], object]
) -> None:
    from examens.apps.notes.models import Resultat

    def preparer(note: str) -> None:
        deliberer_session(session=session, acteur="jury", appliquer=True)
        Resultat.objects.filter(etat="note", note_jury__isnull=True).update(note_examinateur=note)

    def peupler(nombre: int) -> None:
        for _ in range(nombre):
            noter(candidat(session), **partout("12", E1="9"))

    peupler(5)
    preparer("13")
    avec_5 = _requetes(lambda: deliberer_session(session=session, acteur="jury", appliquer=True))
    peupler(45)
    preparer("14")
    with django_assert_max_num_queries(avec_5):  # type: ignore[operator]
        rapport = deliberer_session(session=session, acteur="jury", appliquer=True)
    assert rapport.enregistrees == 50
    assert DecisionJury.objects.en_vigueur().count() == 50
    assert DecisionJury.objects.filter(en_vigueur=False, remplacee_par__isnull=False).count() == 55
