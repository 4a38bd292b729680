"""Épreuves écrites, la correction : anonymat, lots, affectation aux correcteurs (jamais leur établissement),
double saisie, harmonisation (notes initiales gardées), verrouillage, levée d'anonymat ; la table de
correspondance réservée au gestionnaire."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, centre, correcteur, corriger, etablissement, note, salles, tous_presents

from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.ecrits import selectors, services
from examens.apps.ecrits.erreurs import (
    AffectationImpossible,
    HarmonisationImpossible,
    PresenceImpossible,
    SaisieImpossible,
)
from examens.apps.ecrits.models import Ajustement, CommissionHarmonisation, Copie, Correspondance, Lot
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from examens.core.ecrits import numero_anonymat_valide

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecrit(session, clermont):
    """E1 dans deux centres de Clermont ; 12 candidats de deux lycées ; tous présents sauf un."""
    e1 = calendrier(session, "E1")["E1"]
    c1, c2 = centre(clermont, "0630001"), centre(clermont, "0630002")
    salles(c1, ("A", "ecrit", 20))
    salles(c2, ("B", "ecrit", 20))
    lycee_a, lycee_b = etablissement(clermont, "0630010", "Lycée A"), etablissement(clermont, "0630020", "Lycée B")
    inscrits = [candidat(session, centre=c1, etablissement=lycee_a, nom=f"ALPHA{i}") for i in range(6)]
    inscrits += [candidat(session, centre=c2, etablissement=lycee_b, nom=f"BRAVO{i}") for i in range(6)]
    for c in (c1, c2):
        services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    tous_presents(e1, absents=(inscrits[-1],))
    return dataclasses.make_dataclass("Ecrit", ["e1", "c1", "c2", "lycee_a", "lycee_b", "inscrits"])(
        e1, c1, c2, lycee_a, lycee_b, inscrits
    )


def _lot_du_lycee_a(ecrit, prof):
    """Les lots, et celui des copies du lycée A confié à `prof` (d'un autre établissement)."""
    _, lots = _lots(ecrit, taille=6)
    lot = next(lot for lot in lots if lot.centre_correction_id == ecrit.c1.pk)
    return services.affecter_lot(lot=lot, correcteur=prof, acteur="dec")


def _lots(ecrit, taille: int = 6, correcteurs=()):
    rapport = services.constituer_lots(
        epreuve=ecrit.e1, acteur="dec", taille=taille, appliquer=True, correcteurs=correcteurs
    )
    return rapport, list(Lot.objects.filter(epreuve=ecrit.e1).order_by("numero"))


# --- Anonymat -----------------------------------------------------------------------------------------


def test_anonymat_numero_aleatoire_unique_non_derivable(ecrit, session) -> None:
    e3 = calendrier(session, "E3")["E3"]
    for c in (ecrit.c1, ecrit.c2):
        services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    tous_presents(e3)
    services.anonymiser(epreuve=ecrit.e1, acteur="dec")
    services.anonymiser(epreuve=e3, acteur="dec")
    assert services.anonymiser(epreuve=ecrit.e1, acteur="dec") == 0  # idempotent
    e1 = list(Copie.objects.filter(epreuve=ecrit.e1).values_list("numero", flat=True))
    assert len(e1) == 11  # les présents seulement
    assert len(set(e1)) == 11
    assert all(numero_anonymat_valide(n) for n in e1)
    numeros_candidats = {c.numero for c in ecrit.inscrits}
    chiffres_candidats = {"".join(ch for ch in n if ch.isdigit()) for n in numeros_candidats}
    assert not any(c in n or n in c for n in e1 for c in chiffres_candidats)
    # Pour les mêmes candidats, E3 reçoit d'autres numéros : rien ne se déduit du candidat.
    e3_numeros = set(Copie.objects.filter(epreuve=e3).values_list("numero", flat=True))
    assert not e3_numeros & set(e1)
    # L'ordre des numéros d'anonymat n'est pas celui des candidats.
    ordre = list(
        Correspondance.objects.filter(epreuve=ecrit.e1)
        .order_by("copie__numero")
        .values_list("candidat__numero", flat=True)
    )
    assert ordre != sorted(ordre)
    # L'historique garde le nombre de copies anonymisées, jamais la correspondance.
    trace = Trace.objects.get(objet_type="ecrits.anonymat", objet_id=str(ecrit.e1.pk))
    assert trace.apres == {"copies_anonymisees": 11}
    textes = " ".join(str(t.avant) + str(t.apres) + t.objet_libelle for t in Trace.objects.all())
    assert not any(n in textes for n in e1)


def test_un_absent_n_a_pas_de_copie_et_un_anonymise_ne_devient_plus_absent(ecrit) -> None:
    services.anonymiser(epreuve=ecrit.e1, acteur="dec")
    assert not Correspondance.objects.filter(candidat=ecrit.inscrits[-1]).exists()
    place = ecrit.inscrits[0].places_ecrits.get()
    with pytest.raises(PresenceImpossible, match="déjà anonymisée"):
        services.saisir_presences(
            epreuve=ecrit.e1, salle=place.salle, presences={ecrit.inscrits[0].pk: "absent"}, acteur="chef"
        )


# --- Lots et correcteurs --------------------------------------------------------------------------------


def test_lots_par_centre_de_correction_et_etablissement(ecrit) -> None:
    rapport, lots = _lots(ecrit, taille=4)
    assert rapport.anonymisees == 11
    assert [(ligne.centre_correction, ligne.copies, ligne.lots) for ligne in rapport.lignes] == [
        (ecrit.c1.code, 6, 2),
        (ecrit.c2.code, 5, 2),
    ]
    assert [lot.copies.count() for lot in lots] == [3, 3, 3, 2]  # lots équilibrés, pas 4 + 2
    # Les copies d'un établissement restent ensemble : chaque lot ne touche qu'un lycée ici.
    assert all(len(e) == 1 for e in services.copies.etablissements_des_lots(lots).values())
    assert Trace.objects.filter(objet_type="ecrits.lots").count() == 1


@pytest.mark.parametrize(
    ("etablissement_du_correcteur", "refuse"),
    [
        pytest.param("lycee_a", True, id="son établissement : refusé"),
        pytest.param("lycee_b", False, id="un autre établissement : accepté"),
        pytest.param(None, False, id="sans établissement (inspecteur) : accepté"),
    ],
)
def test_un_correcteur_ne_recoit_jamais_une_copie_de_son_etablissement(
    ecrit, session, clermont, etablissement_du_correcteur, refuse: bool
) -> None:
    _, lots = _lots(ecrit, taille=6)
    lot_a = next(lot for lot in lots if lot.centre_correction_id == ecrit.c1.pk)  # les copies du lycée A
    etab = getattr(ecrit, etablissement_du_correcteur) if etablissement_du_correcteur else None
    x = correcteur(session, "X1", clermont, etab)
    if refuse:
        with pytest.raises(AffectationImpossible, match="établissement de Alex CORRECTEURX1"):
            services.affecter_lot(lot=lot_a, correcteur=x, acteur="dec")
        assert Lot.objects.get(pk=lot_a.pk).correcteur is None
    else:
        assert services.affecter_lot(lot=lot_a, correcteur=x, acteur="dec").correcteur == x


def test_affectation_automatique_evite_les_conflits(ecrit, session, clermont) -> None:
    prof_a = correcteur(session, "XA", clermont, ecrit.lycee_a)
    prof_b = correcteur(session, "XB", clermont, ecrit.lycee_b)
    rapport, lots = _lots(ecrit, taille=3, correcteurs=[prof_a, prof_b])
    assert len(rapport.affectations) == len(lots) == 4
    for lot in Lot.objects.filter(epreuve=ecrit.e1).select_related("correcteur"):
        etablissements = {
            c.correspondance.candidat.etablissement_id for c in lot.copies.select_related("correspondance__candidat")
        }
        assert lot.correcteur.etablissement_id not in etablissements
    # Un seul correcteur, du lycée A : les lots du lycée A ne peuvent pas lui être confiés, rien n'est écrit.
    Lot.objects.update(correcteur=None)
    with pytest.raises(AffectationImpossible, match="ajoutez un correcteur d'un autre établissement"):
        services.affecter_lots(lots=lots, correcteurs=[prof_a], acteur="dec")
    assert not Lot.objects.filter(correcteur__isnull=False).exists()


def test_suivi_d_un_lot_remis_corrige_rendu(ecrit, session, clermont) -> None:
    lot = _lot_du_lycee_a(ecrit, correcteur(session, "XB", clermont, ecrit.lycee_b))
    services.remettre_lot(lot=lot, acteur="centre")
    with pytest.raises(AffectationImpossible, match="toutes ses notes validées"):
        services.rendre_lot(lot=lot, acteur="centre")
    corriger(lot)
    lot.refresh_from_db()
    assert lot.statut == Lot.Statut.CORRIGE
    services.rendre_lot(lot=lot, acteur="centre")
    lot.refresh_from_db()
    assert (lot.statut, lot.remis_le is not None, lot.rendu_le is not None) == (Lot.Statut.RENDU, True, True)


# --- Double saisie ------------------------------------------------------------------------------------


@pytest.fixture
def lot_confie(ecrit, session, clermont):
    return _lot_du_lycee_a(ecrit, correcteur(session, "XB", clermont, ecrit.lycee_b))


def test_double_saisie_un_ecart_bloque_la_validation(lot_confie) -> None:
    numeros = list(Copie.objects.filter(lot=lot_confie).order_by("numero").values_list("numero", flat=True))
    premiere = dict.fromkeys(numeros, "12")
    seconde = {**premiere, numeros[0]: "13"}  # une faute de frappe à la seconde saisie
    services.saisir_notes(lot=lot_confie, rang=1, notes=premiere, acteur="agent-1")
    assert not Copie.objects.filter(lot=lot_confie, note_initiale__isnull=False).exists()  # une saisie ne valide rien
    bilan = services.saisir_notes(lot=lot_confie, rang=2, notes=seconde, acteur="agent-2")
    assert bilan.ecarts == [numeros[0]]
    assert bilan.validees == len(numeros) - 1
    en_ecart = Copie.objects.get(numero=numeros[0], lot=lot_confie)
    assert (en_ecart.note_initiale, en_ecart.ecart) == (None, True)
    lot_confie.refresh_from_db()
    assert lot_confie.statut != Lot.Statut.CORRIGE
    commission = services.ouvrir_commission(epreuve=lot_confie.epreuve, acteur="dec")
    with pytest.raises(HarmonisationImpossible, match="écart"):
        services.verrouiller_harmonisation(commission=commission, acteur="dec")
    # La seconde saisie corrigée : les deux concordent, la note est validée.
    bilan = services.saisir_notes(lot=lot_confie, rang=2, notes={numeros[0]: "12"}, acteur="agent-2")
    en_ecart.refresh_from_db()
    assert (en_ecart.note_initiale, en_ecart.ecart, bilan.ecarts, bilan.restantes) == (note("12"), False, [], 0)
    lot_confie.refresh_from_db()
    assert lot_confie.statut == Lot.Statut.CORRIGE


@pytest.mark.parametrize(
    ("valeur", "message"),
    [
        pytest.param("21", "dépasse 20", id="au-dessus de 20"),
        pytest.param("12,3", "multiple de 0,5", id="hors du pas"),
        pytest.param("douze", "ni une note", id="illisible"),
    ],
)
def test_saisie_invalide_rien_n_est_ecrit(lot_confie, valeur: str, message: str) -> None:
    numeros = list(Copie.objects.filter(lot=lot_confie).values_list("numero", flat=True))
    notes = dict.fromkeys(numeros, "10")
    notes[numeros[-1]] = valeur
    with pytest.raises(SaisieImpossible, match=message):
        services.saisir_notes(lot=lot_confie, rang=1, notes=notes, acteur="agent-1")
    assert not lot_confie.copies.filter(saisies__isnull=False).exists()


def test_un_lot_sans_correcteur_ne_se_saisit_pas(ecrit) -> None:
    _, (lot, *_) = _lots(ecrit)
    with pytest.raises(SaisieImpossible, match="pas encore de correcteur"):
        services.saisir_notes(lot=lot, rang=1, notes={}, acteur="agent")


# --- Harmonisation, verrouillage, levée d'anonymat --------------------------------------------------------


@pytest.fixture
def epreuve_corrigee(ecrit, session, clermont):
    """Deux correcteurs : le lot du lycée A noté 19,5 et 12 ; le lot du lycée B noté 8 à 10."""
    prof_a = correcteur(session, "XA", clermont, ecrit.lycee_a)
    prof_b = correcteur(session, "XB", clermont, ecrit.lycee_b)
    _, lots = _lots(ecrit, taille=6, correcteurs=[prof_a, prof_b])
    lot_a = next(lot for lot in lots if lot.centre_correction_id == ecrit.c1.pk)
    lot_b = next(lot for lot in lots if lot.centre_correction_id == ecrit.c2.pk)
    numeros_a = sorted(lot_a.copies.values_list("numero", flat=True))
    corriger(lot_a, {numeros_a[0]: "19,5"}, defaut="12")
    numeros_b = sorted(lot_b.copies.values_list("numero", flat=True))
    corriger(lot_b, dict(zip(numeros_b, ["8", "8", "9", "10", "10"], strict=True)))
    commission = services.ouvrir_commission(epreuve=ecrit.e1, acteur="dec", president="M. IA-IPR")
    return commission, lot_a, lot_b, numeros_a


def test_statistiques_par_correcteur_exactes(epreuve_corrigee) -> None:
    commission, *_ = epreuve_corrigee
    stats = selectors.statistiques_harmonisation(epreuve=commission.epreuve)
    par_nom = {ligne.correcteur.split(" (")[-1].rstrip(")"): ligne for ligne in stats.par_correcteur}
    b = par_nom["XA"].initiales  # XA corrige le lycée B (pas le sien)
    assert (b.effectif, b.moyenne, b.variance) == (5, Fraction(9), Fraction(4, 5))
    assert b.ecart_type() == Decimal("0.89")
    assert b.distribution[8:11] == (2, 1, 2)
    a = par_nom["XB"].initiales
    assert a.moyenne == Fraction(795, 60)  # (19,5 + 5 × 12) / 6 = 13,25 exactement
    assert a.variance == Fraction(125, 16)  # (6,25² + 5 × 1,25²) / 6
    assert a.ecart_type(3) == Decimal("2.795")
    assert a.distribution[19] == 1  # 19,5 dans la tranche [19, 20]
    assert stats.ensemble_initiales.effectif == 11


def test_un_lot_harmonise_garde_ses_notes_initiales(epreuve_corrigee) -> None:
    commission, lot_a, _, numeros_a = epreuve_corrigee
    with pytest.raises(HarmonisationImpossible, match="motivez"):
        services.ajuster_lot(lot=lot_a, points="1", motif=" ", acteur="commission")
    ajustement = services.ajuster_lot(lot=lot_a, points="+1", motif="correcteur sévère", acteur="commission")
    copies = {c.numero: c for c in Copie.objects.filter(lot=lot_a)}
    assert copies[numeros_a[0]].note_initiale == note("19.5")
    assert copies[numeros_a[0]].note_harmonisee == note("20")  # borné à 20
    assert copies[numeros_a[1]].note_initiale == note("12")
    assert copies[numeros_a[1]].note_harmonisee == note("13")
    assert ajustement.details[numeros_a[1]] == ["12.00", "13.00"]
    traces = Trace.objects.filter(objet_type="ecrits.copie", motif="correcteur sévère")
    assert traces.count() == 6
    assert {t.apres["note_initiale"] for t in traces} == {"19.50", "12.00"}  # la note initiale reste
    # Note à note, ensuite ; la saisie d'une note validée d'un lot harmonisé est refusée.
    services.ajuster_notes(lot=lot_a, notes={numeros_a[1]: "14"}, motif="copie relue", acteur="commission")
    assert Copie.objects.get(numero=numeros_a[1], lot=lot_a).note_harmonisee == note("14")
    assert Copie.objects.get(numero=numeros_a[1], lot=lot_a).note_initiale == note("12")
    with pytest.raises(SaisieImpossible, match="harmonisé"):
        services.saisir_notes(lot=lot_a, rang=1, notes={numeros_a[1]: "15"}, acteur="agent")
    stats = selectors.statistiques_harmonisation(epreuve=commission.epreuve)
    assert stats.ensemble_finales.moyenne != stats.ensemble_initiales.moyenne


def test_le_verrouillage_empeche_tout_changement(epreuve_corrigee) -> None:
    commission, lot_a, _, numeros_a = epreuve_corrigee
    services.verrouiller_harmonisation(commission=commission, acteur="dec")
    with pytest.raises(HarmonisationImpossible, match="verrouillée"):
        services.ajuster_lot(lot=lot_a, points="1", motif="trop tard", acteur="commission")
    with pytest.raises(SaisieImpossible, match="verrouillée"):
        services.saisir_notes(lot=lot_a, rang=1, notes={numeros_a[1]: "15"}, acteur="agent")
    place = lot_a.copies.first().correspondance.candidat.places_ecrits.get()
    with pytest.raises(PresenceImpossible, match="verrouillée"):
        services.saisir_presences(
            epreuve=commission.epreuve, salle=place.salle, presences={place.candidat_id: "absent"}, acteur="chef"
        )
    assert Copie.objects.get(numero=numeros_a[1], lot=lot_a).note_initiale == note("12")
    # Une réouverture est motivée et tracée ; ensuite l'ajustement redevient possible.
    with pytest.raises(HarmonisationImpossible, match="Motivez"):
        services.rouvrir_harmonisation(commission=commission, motif="", acteur="dec")
    services.rouvrir_harmonisation(commission=commission, motif="erreur de report", acteur="dec")
    assert Trace.objects.filter(objet_type="ecrits.commissionharmonisation", motif="erreur de report").exists()
    services.ajuster_lot(lot=lot_a, points="0,5", motif="erreur de report", acteur="commission")


def test_levee_d_anonymat_seulement_apres_verrouillage(epreuve_corrigee, ecrit) -> None:
    commission, _, lot_b, _ = epreuve_corrigee
    services.ajuster_lot(lot=lot_b, points="1", motif="correcteur sévère", acteur="commission")
    with pytest.raises(HarmonisationImpossible, match="après le verrouillage"):
        services.lever_anonymat(commission=commission, acteur="dec")
    assert not Resultat.objects.filter(epreuve="E1", etat="note").exists()
    services.verrouiller_harmonisation(commission=commission, acteur="dec")
    assert services.lever_anonymat(commission=commission, acteur="dec") == 11
    notes = dict(Resultat.objects.filter(epreuve="E1", etat="note").values_list("candidat_id", "note_examinateur"))
    for copie in Copie.objects.filter(epreuve=ecrit.e1).select_related("correspondance"):
        assert notes[copie.correspondance.candidat_id] == copie.note_finale
    assert sorted(notes.values())[:2] == [note("9"), note("9")]  # 8 + 1 au lot B
    assert Resultat.objects.get(candidat=ecrit.inscrits[-1], epreuve="E1").etat == "AB"
    assert Trace.objects.filter(objet_type="notes.resultat", motif__startswith="levée d'anonymat").count() == 11
    commission.refresh_from_db()
    assert commission.anonymat_leve_le is not None
    # Relancée sans changement : rien n'est réécrit.
    assert services.lever_anonymat(commission=commission, acteur="dec") == 0


def test_verrouillage_refuse_si_des_copies_restent_a_noter(ecrit) -> None:
    _lots(ecrit)
    commission = services.ouvrir_commission(epreuve=ecrit.e1, acteur="dec")
    with pytest.raises(HarmonisationImpossible, match="sans note validée"):
        services.verrouiller_harmonisation(commission=commission, acteur="dec")
    assert CommissionHarmonisation.objects.get().statut == CommissionHarmonisation.Statut.OUVERTE
    assert not Ajustement.objects.exists()


# --- La table de correspondance : gestionnaire seulement -------------------------------------------------


@pytest.fixture
def personas(session, clermont, ecrit):
    modele = get_user_model()
    prof = correcteur(session, "XB", clermont, ecrit.lycee_b)
    u = {nom: modele.objects.create_user(nom, f"{nom}@exemple.fr", "x" * 16) for nom in ("gest", "corr", "chef")}
    habiliter(utilisateur=u["gest"], role=Role.GESTIONNAIRE, session=session, perimetre=clermont, acteur="test")
    habiliter(utilisateur=u["corr"], role=Role.EXAMINATEUR, session=session, perimetre=prof, acteur="test")
    habiliter(utilisateur=u["chef"], role=Role.CHEF_DE_CENTRE, session=session, perimetre=ecrit.c1, acteur="test")
    return u, prof


def test_la_correspondance_n_est_visible_que_du_gestionnaire(ecrit, personas) -> None:
    u, _ = personas
    _lots(ecrit)
    lignes = selectors.correspondance(utilisateur=u["gest"], epreuve=ecrit.e1)
    assert len(lignes) == 11
    assert {ligne.candidat for ligne in lignes} == {c.numero for c in ecrit.inscrits[:-1]}
    for persona in ("corr", "chef"):
        assert not selectors.peut_voir_correspondance(u[persona], ecrit.e1.session)
        with pytest.raises(PermissionDenied, match="gestionnaire"):
            selectors.correspondance(utilisateur=u[persona], epreuve=ecrit.e1)
    with pytest.raises(PermissionDenied):
        selectors.correspondance(utilisateur=None, epreuve=ecrit.e1)


def test_les_selecteurs_de_correction_n_exposent_que_des_numeros_d_anonymat(ecrit, personas) -> None:
    _, prof = personas
    lot = _lot_du_lycee_a(ecrit, prof)
    corriger(lot)
    identites = {c.numero for c in ecrit.inscrits} | {c.nom for c in ecrit.inscrits} | {"candidat", "nom", "prenoms"}
    lots_vus = selectors.lots_du_correcteur(examinateur=prof)
    copies_vues = selectors.copies_du_lot(lot=lot)
    assert [x.code for x in lots_vus] == [lot.code]
    assert {c.numero for c in copies_vues} == set(lot.copies.values_list("numero", flat=True))
    for objet in [*lots_vus, *copies_vues]:
        champs = {f.name for f in dataclasses.fields(objet)}
        valeurs = {str(v) for v in dataclasses.asdict(objet).values()}
        assert not champs & {"candidat", "candidat_id", "nom", "prenoms"}
        assert not valeurs & identites
    stats = selectors.statistiques_harmonisation(epreuve=ecrit.e1)
    assert not {str(v) for v in dataclasses.asdict(stats.par_correcteur[0]).values()} & identites


# --- Bordereaux de lots (édition tracée) ----------------------------------------------------------------


def test_bordereaux_emis_par_le_service_d_edition(ecrit, session, clermont) -> None:
    from examens.apps.editions.models import Version
    from examens.documents import MODELES

    lot = _lot_du_lycee_a(ecrit, correcteur(session, "XB", clermont, ecrit.lycee_b))
    bilan = services.editer_bordereaux(lots=list(Lot.objects.filter(epreuve=ecrit.e1)), par="dec")
    assert (bilan.total, bilan.nouvelles) == (2, 2)
    version = Version.objects.get(document__cle=f"lot:{lot.code}")
    donnees = MODELES["bordereau-lot"].charger(version.donnees)
    assert {c.numero for c in donnees.copies} == set(lot.copies.values_list("numero", flat=True))
    assert donnees.correcteur == "Alex CORRECTEURXB (XB)"
    brut = str(version.donnees)
    assert not any(c.numero in brut or c.nom in brut for c in ecrit.inscrits)
    # Rien n'a changé : aucune nouvelle version ; les notes validées : une nouvelle version.
    assert services.editer_bordereaux(lots=[lot], par="dec").nouvelles == 0
    corriger(lot)
    assert services.editer_bordereaux(lots=[lot], par="dec").nouvelles == 1
