"""Documents de résultats édités depuis la base : le procès-verbal reprend exactement les décisions et
moyennes de la délibération ; relevés, attestations de blocs, liste des résultats et émargements relus."""

from __future__ import annotations

import io
import re
from datetime import date, time

import pytest
from fabriques_deliberation import candidat, noter, partout
from openpyxl import load_workbook
from pypdf import PdfReader

from examens.apps.editions import services
from examens.apps.editions.models import Document, Version
from examens.apps.editions.travaux import executer
from examens.apps.jury.anonymat import numero_anonyme
from examens.apps.jury.models import DecisionJury, Jury, MembreJury, Qualite
from examens.apps.jury.services import deliberer_session
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.core.calendrier import debut_national
from examens.documents import MODELES

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury(session: ExamSession, clermont) -> Jury:
    centre = Centre.objects.create(academie=clermont, code="0630001A", nom="Lycée Blaise-Pascal", ville="Clermont")
    j = Jury.objects.create(session=session, nom="Jury 1", president="Mme Anne VALLET, IA-IPR")
    MembreJury.objects.create(jury=j, nom="Paul ENSEIGNANT", qualite=Qualite.ENSEIGNANT)
    MembreJury.objects.create(jury=j, nom="Lina PRO", qualite=Qualite.PROFESSIONNEL)
    j.centres.add(centre)
    noter(candidat(session, centre=centre, nom="ADMIS", prenoms="Alice"), **partout("13.5"))
    noter(candidat(session, centre=centre, nom="AJOURNE", prenoms="Bruno"), **partout("6", E1="14", E3="12"))
    noter(candidat(session, centre=centre, nom="ABSENT", prenoms="Carla"), **partout("12", E2="AB"))
    noter(candidat(session, centre=centre, nom="CONTROLE", prenoms="Denis"), **partout("9"))
    deliberer_session(session=session, jury=j, acteur="présidente", appliquer=True)
    return j


def _editer(session: ExamSession, modele: str, **parametres: object) -> None:
    executer(services.creer_travail(session=session, nature=f"editer:{modele}", parametres=parametres, par="dec"))


def _texte(version: Version) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(version.fichier.contenu))).pages)


def _moyenne(texte: str) -> str:
    return texte.replace(".", ",")


def test_le_proces_verbal_reprend_exactement_la_deliberation(session, jury) -> None:
    _editer(session, "pv-deliberation", jury=jury.nom, variante="nominatif")
    version = Version.objects.get(document__modele="pv-deliberation")
    donnees = MODELES["pv-deliberation"].charger(version.donnees)
    decisions = {d.candidat.numero: d for d in DecisionJury.objects.en_vigueur().select_related("candidat")}
    assert sorted(ligne.numero for ligne in donnees.lignes) == sorted(decisions)
    for ligne in donnees.lignes:
        d = decisions[ligne.numero]
        assert ligne.decision.value == d.decision
        assert (ligne.motif.value if ligne.motif else "") == d.motif
        assert ligne.points == d.points
        assert ligne.diviseur == d.diviseur
        assert (str(ligne.moyenne) if ligne.moyenne is not None else "") == d.moyenne
    texte = _texte(version)
    for d in decisions.values():
        assert d.candidat.nom in texte
        if d.moyenne:
            assert _moyenne(d.moyenne) in texte
    assert "Mme Anne VALLET" in texte
    assert "Lina PRO" in texte


def test_le_proces_verbal_anonyme_ne_montre_aucun_nom(session, jury) -> None:
    _editer(session, "pv-deliberation", jury=jury.nom, variante="anonyme")
    texte = _texte(Version.objects.get(document__cle=f"jury:{jury.pk}:anonyme"))
    for nom in ("ADMIS", "AJOURNE", "CONTROLE", "Alice", "Bruno"):
        assert nom not in texte
    for numero in DecisionJury.objects.values_list("candidat__numero", flat=True):
        assert numero not in texte
        assert numero_anonyme(session.code, numero) in texte


def test_releves_de_notes_relus(session, jury) -> None:
    _editer(session, "releve-notes", jury=jury.nom)
    assert Document.objects.filter(modele="releve-notes").count() == 4
    decision = DecisionJury.objects.en_vigueur().get(candidat__nom="ABSENT")
    texte = _texte(Version.objects.get(document__candidat=decision.candidat, document__modele="releve-notes"))
    assert "ABSENT Carla" in texte or "ABSENT" in texte
    assert "AB" in texte
    assert "12,00" in texte


def test_attestation_de_blocs_pour_les_non_admis_qui_ont_des_blocs(session, jury) -> None:
    _editer(session, "attestation-blocs", jury=jury.nom)
    en_vigueur = DecisionJury.objects.en_vigueur()
    ajourne = en_vigueur.get(candidat__nom="AJOURNE")
    absent = en_vigueur.get(candidat__nom="ABSENT")
    assert "U1" in ajourne.unites_obtenues  # E1 à 14
    assert absent.decision == "ajourne"
    assert absent.unites_obtenues  # 12 partout sauf E2 : les autres unités sont acquises
    documents = Document.objects.filter(modele="attestation-blocs")
    assert sorted(documents.values_list("candidat__nom", flat=True)) == ["ABSENT", "AJOURNE"]
    texte = _texte(Version.objects.get(document__candidat=ajourne.candidat))
    assert "14,00" in texte  # E1
    assert "Bruno" in texte


def test_liste_des_resultats_en_pdf_et_en_xlsx(session, jury) -> None:
    _editer(session, "liste-resultats", jury=jury.nom)
    _editer(session, "liste-resultats", jury=jury.nom, format="xlsx")
    pdf = Version.objects.filter(fichier__type_mime="application/pdf").get(document__modele="liste-resultats")
    assert "ADMIS Alice" in _texte(pdf) or "ADMIS" in _texte(pdf)
    # Le tableur est un document à part (même clé, autre format), avec sa propre version 1.
    xlsx = Version.objects.get(document__modele="liste-resultats", document__format="xlsx")
    assert xlsx.numero == 1
    assert xlsx.nom_fichier.endswith(".xlsx")
    feuille = load_workbook(io.BytesIO(bytes(xlsx.fichier.contenu))).active
    valeurs = [str(c) for ligne in feuille.iter_rows(values_only=True) for c in ligne if c is not None]
    assert any("ADMIS" in v for v in valeurs)


def test_emargements_par_epreuve_et_par_salle_coherents_avec_les_convocations(session, clermont) -> None:
    centre = Centre.objects.create(academie=clermont, code="0630001A", nom="Lycée Blaise-Pascal", ville="Clermont")
    Salle.objects.create(centre=centre, nom="Salle 101", type=Salle.Type.ECRIT, capacite=3)
    Salle.objects.create(centre=centre, nom="Salle 102", type=Salle.Type.ECRIT, capacite=2)
    EpreuveEcrite.objects.create(
        session=session, epreuve="E1", debut=debut_national(date(2022, 5, 16), time(14, 0)), duree_minutes=240,
        temps_de_loge_minutes=60,
    )  # fmt: skip
    for i in range(4):
        candidat(session, centre=centre, nom=f"NOM{i}", salle_a_part=(i == 3))
    _editer(session, "emargement", centre=centre.code)
    _editer(session, "convocation-candidat", centre=centre.code)
    feuilles = {v.document.cle: _texte(v) for v in Version.objects.filter(document__modele="emargement")}
    assert sorted(feuilles) == ["0630001A:E1:Salle 101", "0630001A:E1:Salle 102"]
    assert "NOM3" in feuilles["0630001A:E1:Salle 102"]  # salle à part : la plus petite salle
    assert all(f"NOM{i}" in feuilles["0630001A:E1:Salle 101"] for i in range(3))
    convocation = _texte(Version.objects.get(document__modele="convocation-candidat", document__candidat__nom="NOM3"))
    assert "Salle 102" in convocation
    assert re.search(r"14 h 00", convocation)
