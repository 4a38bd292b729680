"""Données d'exemple réalistes pour chaque modèle (tests, captures d'écran, benchmark).

Trois centres dans trois fuseaux (Clermont-Ferrand, La Réunion, Mayotte) ; écrits au même instant
partout (§8) ; intitulés et durées tirés du règlement BTS NDRC 2022 ; décisions du procès-verbal
calculées par le moteur de délibération (`examens.core.deliberation`) : les exemples sont cohérents.
Tout est déterministe (graines fixes).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from examens.core.calendrier import debut_national
from examens.core.deliberation import Decision, Deliberation, deliberer_resultats
from examens.core.ecrits import numeros_anonymat
from examens.core.reglement import Reglement, reglement_fourni
from examens.core.resultats import Etat, Note, Origine, Resultat
from examens.core.uai import lettre_de_controle
from examens.documents.commissions import (
    COMPETENCES_E5B,
    CRITERES_ENGAGEMENT,
    ActiviteDossier,
    CritereEngagement,
    CritereEvaluation,
    EvaluationEngagement,
    FicheSujetE4,
    GrilleE5B,
    MembreCommission,
    NatureActivite,
    PassageCommission,
    PlanningCommission,
    StatutFicheSujet,
    Support,
)
from examens.documents.commun import Centre, Edition, IdentiteCandidat
from examens.documents.convocations import (
    ConvocationCandidat,
    ConvocationEcrit,
    ConvocationExaminateur,
    ConvocationOral,
    IdentiteExaminateur,
    PassageExaminateur,
)
from examens.documents.donnees import Donnees
from examens.documents.ecrits import BordereauLot, CopieBordereau, PlanSalle, TablePlan
from examens.documents.emargement import CandidatEmargement, Emargement
from examens.documents.resultats import (
    AttestationBlocs,
    BlocObtenu,
    GroupeResultats,
    LignePV,
    LigneResultat,
    ListeResultats,
    MembreJury,
    PVDeliberation,
    ReleveNotes,
    ResultatEpreuve,
    UniteObtenue,
    Variante,
)
from examens.documents.textes import cle_alphabetique

EMIS_LE = datetime(2022, 4, 20, 8, 0, tzinfo=UTC)


def _reglement() -> Reglement:
    return reglement_fourni("bts-ndrc-2022")


def _intitule(code: str) -> str:
    return _reglement().epreuve(code).intitule


def _uai(chiffres: str) -> str:
    return chiffres + lettre_de_controle(chiffres)


CENTRE_MAYOTTE = Centre(
    code=_uai("9760370"),
    nom="Lycée des Lagons",
    adresse=("Route nationale 1", "97600 Mamoudzou"),
    fuseau="Indian/Mayotte",
)
CENTRE_REUNION = Centre(
    code=_uai("9741046"),
    nom="Lycée du Barachois",
    adresse=("12 rue de la Compagnie", "97400 Saint-Denis"),
    fuseau="Indian/Reunion",
)
CENTRE_CLERMONT = Centre(
    code=_uai("0630019"),
    nom="Lycée Blaise-Pascal",
    adresse=("36 avenue Carnot", "63000 Clermont-Ferrand"),
    fuseau="Europe/Paris",
)
CENTRES = (CENTRE_CLERMONT, CENTRE_REUNION, CENTRE_MAYOTTE)
ACADEMIES = {
    CENTRE_MAYOTTE.code: "Mayotte",
    CENTRE_REUNION.code: "La Réunion",
    CENTRE_CLERMONT.code: "Clermont-Ferrand",
}

# Calendrier national des écrits (annexe I de la circulaire, non disponible : dates d'exemple), heure de Paris.
CALENDRIER_ECRITS = {
    "E1": (debut_national(date(2022, 5, 16), time(14, 0)), 240, 60),
    "E3": (debut_national(date(2022, 5, 17), time(14, 0)), 240, 60),
    "E5A": (debut_national(date(2022, 5, 18), time(14, 0)), 180, 60),
}

NOMS = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Lefèvre",
    "Garcia",
    "Mercier",
    "Dupont",
    "François",
    "Madi",
    "Soilihi",
    "Attoumani",
    "Ahamada",
    "Payet",
    "Hoarau",
    "Grondin",
    "Fontaine",
    "N'Guessan-Müller",
    "Nguyễn",
    "Çelik",
    "Łukasiewicz",
    "Ødegaard",
    "O'Connor",
    "Da Silva Gonçalves",
    "de La Tour d'Auvergne-Lauraguais",
)
PRENOMS = (
    "Léa",
    "Chloé",
    "Inès",
    "Manon",
    "Camille",
    "Zoé",
    "Anaïs",
    "Noémie",
    "Hugo",
    "Lucas",
    "Théo",
    "Nathan",
    "Mathéo",
    "Yanis",
    "Anli",
    "Zaïnaba",
    "Faïza",
    "Kévin",
    "Jérôme",
    "Œdipe",
    "Thị Ánh",
    "Håkon",
    "Marie-Thérèse Ève",
)


def edition(reference: str, centre: Centre = CENTRE_MAYOTTE, *, version: int = 1) -> Edition:
    return Edition(
        reference=reference,
        emis_le=EMIS_LE,
        academie=ACADEMIES.get(centre.code, "Clermont-Ferrand"),
        fuseau=centre.fuseau,
        version=version,
    )


def _instant(jour: date, heure_paris: time) -> datetime:
    """Les oraux d'exemple sont placés à une heure de Paris (l'heure locale s'en déduit)."""
    return debut_national(jour, heure_paris)


# --- Convocations ---------------------------------------------------------------------------------------


CANDIDAT_MAYOTTE = IdentiteCandidat(
    numero="02276012345",
    nom="N'Guessan-Müller",
    prenoms="Œdipe Zoé",
    date_naissance=date(2001, 3, 14),
)


def ecrits(*, salle: str = "Gymnase", place: str | None = "42") -> tuple[ConvocationEcrit, ...]:
    return tuple(
        ConvocationEcrit(
            epreuve=code,
            intitule=_intitule(code),
            debut=debut,
            duree_minutes=duree,
            temps_de_loge_minutes=loge,
            salle=salle,
            place=place,
        )
        for code, (debut, duree, loge) in CALENDRIER_ECRITS.items()
    )


def oraux_categorie_c(jour: date = date(2022, 5, 30)) -> tuple[ConvocationOral, ...]:
    """Les six passages d'un candidat de forme ponctuelle (catégorie C) avec les deux facultatives."""
    lendemain = jour + timedelta(days=1)
    return (
        ConvocationOral(
            epreuve="E2",
            intitule=_intitule("E2"),
            debut=_instant(jour, time(9, 0)),
            duree_minutes=30,
            preparation_minutes=30,
            loge="L1",
            salle="A101",
            commission="K07",
            langue="anglais",
        ),
        ConvocationOral(
            epreuve="LV2",
            intitule=_intitule("LV2"),
            debut=_instant(jour, time(11, 0)),
            duree_minutes=20,
            preparation_minutes=20,
            loge="L1",
            salle="A102",
            commission="K08",
            langue="espagnol",
        ),
        ConvocationOral(
            epreuve="E4",
            intitule=_intitule("E4"),
            debut=_instant(lendemain, time(8, 0)),
            duree_minutes=60,
            preparation_minutes=40,
            loge="L2",
            salle="A201",
            commission="K01",
        ),
        ConvocationOral(
            epreuve="E5B",
            intitule="Relation client à distance et digitalisation — épreuve pratique",
            debut=_instant(lendemain, time(11, 0)),
            duree_minutes=40,
            salle="Informatique 3",
            commission="K03",
        ),
        ConvocationOral(
            epreuve="E6",
            intitule=_intitule("E6"),
            debut=_instant(lendemain + timedelta(days=1), time(8, 0)),
            duree_minutes=40,
            salle="A203",
            commission="K05",
        ),
        ConvocationOral(
            epreuve="ENGAGEMENT",
            intitule=_intitule("ENGAGEMENT"),
            debut=_instant(lendemain + timedelta(days=1), time(8, 40)),
            duree_minutes=20,
            salle="A203",
            commission="K05",
        ),
    )


def convocation_candidat(
    *, centre: Centre = CENTRE_MAYOTTE, candidat: IdentiteCandidat = CANDIDAT_MAYOTTE, temps_majore: bool = True
) -> ConvocationCandidat:
    """Candidat de Mayotte, catégorie C, toutes les épreuves, tiers temps et salle à part."""
    return ConvocationCandidat(
        edition=edition(f"CC-2022-{candidat.numero}", centre),
        candidat=candidat,
        centre=centre,
        ecrits=ecrits(),
        oraux=oraux_categorie_c(),
        temps_majore=temps_majore,
        amenagements=("temps majoré d'un tiers", "salle à part") if temps_majore else (),
        consignes=("Entrée des candidats par le portail de la rue du Stade.",),
    )


def _nom(rng: random.Random) -> tuple[str, str]:
    return rng.choice(NOMS), rng.choice(PRENOMS)


def convocations_variees(nombre: int, *, graine: int = 2022) -> Iterator[ConvocationCandidat]:
    """`nombre` convocations variées (trois fuseaux, catégories A et C, aménagements, noms accentués)."""
    rng = random.Random(graine)
    tous_ecrits = ecrits(salle="Salle 1", place=None)
    jours = [date(2022, 5, 30) + timedelta(days=i) for i in range(8)]
    for i in range(nombre):
        centre = CENTRES[i % 3]
        nom, prenoms = _nom(rng)
        candidat = IdentiteCandidat(
            numero=f"022{i:08d}",
            nom=nom,
            prenoms=prenoms,
            date_naissance=date(2000, 1, 1) + timedelta(days=rng.randrange(2500)),
        )
        categorie_c = rng.random() < 0.3
        majore = rng.random() < 0.05
        oraux = oraux_categorie_c(rng.choice(jours)) if categorie_c else ()
        if not categorie_c:
            e5b = oraux_categorie_c(rng.choice(jours))[3]
            oraux = (e5b,)
        yield ConvocationCandidat(
            edition=edition(f"CC-2022-{candidat.numero}", centre),
            candidat=candidat,
            centre=centre,
            ecrits=tuple(
                ConvocationEcrit(
                    epreuve=e.epreuve,
                    intitule=e.intitule,
                    debut=e.debut,
                    duree_minutes=e.duree_minutes,
                    temps_de_loge_minutes=e.temps_de_loge_minutes,
                    salle=f"Salle {1 + i % 12}",
                    place=str(1 + i % 40),
                )
                for e in tous_ecrits
            ),
            oraux=oraux,
            temps_majore=majore,
            amenagements=("temps majoré d'un tiers", "ordinateur") if majore else (),
        )


EXAMINATEUR = IdentiteExaminateur(
    code="X0042",
    nom="Abdallah",
    prenom="Fatima",
    qualite="enseignante (bloc 1)",
    etablissement="Lycée de Kahani",
)


def convocation_examinateur() -> ConvocationExaminateur:
    """Examinatrice de la commission K01 (E4) à Mayotte : huit passages sur deux jours."""
    passages: list[PassageExaminateur] = []
    rng = random.Random(7)
    for jour in (date(2022, 5, 31), date(2022, 6, 1)):
        for k in range(4):
            debut = _instant(jour, time(7, 0)) + timedelta(minutes=70 * k)
            nom, prenoms = _nom(rng)
            if not passages:
                nom, prenoms = "Nguyễn", "Thị Ánh"
            passages.append(
                PassageExaminateur(
                    centre=CENTRE_MAYOTTE.code,
                    epreuve="E4",
                    intitule=_intitule("E4"),
                    debut=debut,
                    fin=debut + timedelta(minutes=60),
                    commission="K01",
                    candidat_numero=f"0227601{len(passages):04d}",
                    candidat_nom=f"{nom.upper()} {prenoms}",
                    salle="A201",
                )
            )
    return ConvocationExaminateur(
        edition=edition("CE-2022-X0042", CENTRE_MAYOTTE),
        examinateur=EXAMINATEUR,
        centres=(CENTRE_MAYOTTE,),
        passages=tuple(passages),
        consignes=("Les fiches-sujets sont à déposer au secrétariat d'examen au plus tard la veille à 16 h.",),
    )


# --- Salles et commissions -----------------------------------------------------------------------------


def emargement(nombre: int = 58) -> Emargement:
    """Salle « Gymnase » de La Réunion pour E1 : plusieurs pages."""
    rng = random.Random(11)
    candidats = []
    for i in range(nombre):
        nom, prenoms = _nom(rng)
        amenagements: tuple[str, ...] = ()
        if i % 17 == 3:
            amenagements = ("tiers temps",)
        elif i % 23 == 5:
            amenagements = ("sujet agrandi", "tiers temps")
        candidats.append(
            CandidatEmargement(
                numero=f"0227401{i:04d}", nom=nom, prenoms=prenoms, amenagements=amenagements, place=str(i + 1)
            )
        )
    candidats.sort(key=lambda c: (cle_alphabetique(c.nom), cle_alphabetique(c.prenoms)))
    debut, duree, loge = CALENDRIER_ECRITS["E1"]
    return Emargement(
        edition=edition("EM-2022-974-E1-GYM", CENTRE_REUNION),
        centre=CENTRE_REUNION,
        salle="Gymnase",
        epreuve="E1",
        intitule=_intitule("E1"),
        debut=debut,
        duree_minutes=duree,
        temps_de_loge_minutes=loge,
        candidats=tuple(candidats),
    )


MEMBRES_K05 = (
    MembreCommission(nom="Jean-Marc HOARAU", qualite="enseignant (bloc 3)", etablissement="Lycée Lislet-Geoffroy"),
    MembreCommission(nom="Sophie GRONDIN", qualite="professionnelle (responsable réseau)"),
)


def planning_commission() -> PlanningCommission:
    """Commission K05 (E6 puis engagement étudiant) à La Réunion, sur deux jours."""
    rng = random.Random(5)
    passages: list[PassageCommission] = []
    for jour in (date(2022, 6, 1), date(2022, 6, 2)):
        debut = _instant(jour, time(6, 0))
        for k in range(5):
            nom, prenoms = _nom(rng)
            numero = f"0227405{len(passages):04d}"
            passages.append(
                PassageCommission(
                    epreuve="E6",
                    intitule=_intitule("E6"),
                    debut=debut,
                    fin=debut + timedelta(minutes=40),
                    candidat_numero=numero,
                    candidat_nom=f"{nom.upper()} {prenoms}",
                )
            )
            debut += timedelta(minutes=40)
            if k % 2 == 0:
                passages.append(
                    PassageCommission(
                        epreuve="ENGAGEMENT",
                        intitule=_intitule("ENGAGEMENT"),
                        debut=debut,
                        fin=debut + timedelta(minutes=20),
                        candidat_numero=numero,
                        candidat_nom=f"{nom.upper()} {prenoms}",
                    )
                )
                debut += timedelta(minutes=20)
            debut += timedelta(minutes=10)
    return PlanningCommission(
        edition=edition("PC-2022-974-K05", CENTRE_REUNION),
        centre=CENTRE_REUNION,
        commission="K05",
        membres=MEMBRES_K05,
        passages=tuple(passages),
        salle="A203",
    )


def fiche_sujet_e4() -> FicheSujetE4:
    return FicheSujetE4(
        edition=edition("FS-2022-02276012345", CENTRE_MAYOTTE),
        candidat=CANDIDAT_MAYOTTE,
        centre=CENTRE_MAYOTTE,
        commission="K01",
        membres=(
            MembreCommission(nom="Fatima ABDALLAH", qualite="enseignante (bloc 1)"),
            MembreCommission(nom="Saïd ATTOUMANI", qualite="professionnel (directeur d'agence)"),
        ),
        debut=_instant(date(2022, 5, 31), time(8, 0)),
        activite_choisie=ActiviteDossier(
            intitule="Vente d'un contrat de maintenance de climatisation à un hôtel de Petite-Terre",
            nature=NatureActivite.NEGOCIATION_VENTE,
        ),
        autre_activite=ActiviteDossier(
            intitule="Journée portes ouvertes du magasin de Mamoudzou",
            nature=NatureActivite.EVENEMENT_COMMERCIAL,
        ),
        contexte=(
            "Trois mois après la signature du contrat, le directeur de l'hôtel vous reçoit : l'hôtel ouvre une "
            "seconde résidence de 40 chambres et envisage de changer de prestataire."
        ),
        parametres_modifies=(
            "Le parc à entretenir passe de 25 à 65 climatiseurs, répartis sur deux sites.",
            "Un concurrent propose un prix inférieur de 12 % avec une intervention sous 48 h.",
            "Le budget de maintenance de l'hôtel est réduit de 10 % pour l'année à venir.",
        ),
        role_commission=(
            "Un membre de la commission joue le directeur de l'hôtel, attentif au prix et au délai "
            "d'intervention ; l'autre observe et interviendra en fin de simulation comme directeur financier."
        ),
        statut=StatutFicheSujet.VALIDEE,
    )


def grille_e5b() -> GrilleE5B:
    baremes = (Decimal(4), Decimal(4), Decimal(5), Decimal(4), Decimal(3))
    criteres = tuple(
        CritereEvaluation(competence=competence, intitule=intitule, bareme=bareme)
        for competence, intitule, bareme in zip(
            COMPETENCES_E5B,
            (
                "Article de blog rédigé, optimisé (mots-clés, balises) et publié",
                "Réponse aux avis clients et animation de la communauté",
                "Mise en avant d'un produit : bannière, code promotionnel, catégorie",
                "Paramétrage des moyens de paiement et des conditions générales",
                "Lecture des statistiques de ventes et préconisations",
            ),
            baremes,
            strict=True,
        )
    )
    return GrilleE5B(
        edition=edition("GE-2022-974-K03-0227401", CENTRE_REUNION),
        centre=CENTRE_REUNION,
        candidat_numero="02274010007",
        commission="K03",
        debut=_instant(date(2022, 5, 31), time(11, 0)),
        support=Support.PRESTASHOP,
        sujet="PS-07",
        criteres=criteres,
    )


def evaluation_engagement(*, remplie: bool = True) -> EvaluationEngagement:
    appreciations = (
        "Contexte de l'association clairement posé.",
        "Activités décrites avec précision ; analyse encore descriptive.",
        "Démarches et outils présentés (tableur de suivi, réseaux sociaux).",
        "Bilan chiffré des collectes.",
        "Compétences d'organisation et de communication bien identifiées.",
        "Exposé fluide, réponses pertinentes.",
    )
    criteres = tuple(
        CritereEngagement(intitule=c, appreciation=a if remplie else None)
        for c, a in zip(CRITERES_ENGAGEMENT, appreciations, strict=True)
    )
    return EvaluationEngagement(
        edition=edition("EE-2022-02274050000", CENTRE_REUNION),
        candidat=IdentiteCandidat(
            numero="02274050000", nom="Payet", prenoms="Marie-Thérèse Ève", date_naissance=date(2002, 11, 2)
        ),
        centre=CENTRE_REUNION,
        commission="K05",
        membres=MEMBRES_K05,
        debut=_instant(date(2022, 6, 1), time(6, 40)),
        activites="Trésorière de l'association étudiante « Solidarité Océan Indien » : collectes alimentaires.",
        criteres=criteres,
        note=Decimal("14.5") if remplie else None,
        appreciation="Engagement réel et durable, bien présenté ; analyse réflexive à approfondir." if remplie else "",
    )


# --- Résultats -----------------------------------------------------------------------------------------------


def _note_au_hasard(rng: random.Random, niveau: float) -> Resultat:
    demi_points = min(40, max(0, round(rng.gauss(niveau, 3.0) * 2)))  # tirage, pas un calcul de note
    return Note(demi_points * 50)


def _resultats_au_hasard(rng: random.Random) -> dict[str, Resultat]:
    niveau = rng.gauss(11.5, 2.5)
    resultats = {code: _note_au_hasard(rng, niveau) for code in ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")}
    tirage = rng.random()
    if tirage < 0.04:
        resultats[rng.choice(("E1", "E3", "E5A"))] = Etat.ABSENT
    elif tirage < 0.06:
        resultats["E4"] = Etat.NON_VALIDE
    elif tirage < 0.09:
        resultats["E2"] = Etat.ABSENT_JUSTIFIE
    if rng.random() < 0.3:
        resultats["LV2"] = _note_au_hasard(rng, niveau + 1)
    return resultats


def _deliberer(
    rng: random.Random, numero: str, *, absent_partout: bool = False
) -> tuple[Deliberation, dict[str, Resultat], dict[str, Resultat]]:
    reglement = _reglement()
    resultats = _resultats_au_hasard(rng)
    if absent_partout:
        resultats = dict.fromkeys(("E1", "E2", "E3", "E4", "E5A", "E5B", "E6"), Etat.ABSENT)
    d = deliberer_resultats(reglement, numero, resultats)
    controle: dict[str, Resultat] = {}
    if d.decision is Decision.CONTROLE:
        for code in d.epreuves_controle_possibles[: d.nombre_epreuves_controle]:
            controle[code] = _note_au_hasard(rng, 11)
        d = deliberer_resultats(reglement, numero, resultats, controle=controle)
    return d, resultats, controle


def _moyenne(d: Deliberation) -> Decimal | None:
    affichee = d.moyennes_affichees()[0]
    return Decimal(affichee) if affichee is not None else None


MEMBRES_JURY = (
    MembreJury(nom="Mme Hélène VIDAL", qualite="inspectrice d'académie", president=True),
    MembreJury(nom="M. Ahmed SOILIHI", qualite="enseignant"),
    MembreJury(nom="Mme Laure PAYET", qualite="enseignante"),
    MembreJury(nom="M. Paul FONTAINE", qualite="professionnel (employeur)"),
    MembreJury(nom="Mme Naïma MADI", qualite="professionnelle (salariée)"),
)


def pv_deliberation(variante: Variante = Variante.ANONYME, nombre: int = 64) -> PVDeliberation:
    """Jury de Mayotte : `nombre` candidats délibérés par le moteur (plusieurs pages)."""
    rng = random.Random(2022)
    lignes = []
    for i in range(nombre):
        numero = f"A{i + 1:04d}" if variante is Variante.ANONYME else f"0227601{i:04d}"
        absent = i % 29 == 13  # absent à toutes les épreuves : ni présent, ni moyenne
        d, _, _ = _deliberer(rng, numero, absent_partout=absent)
        nom, prenoms = _nom(rng)
        lignes.append(
            LignePV(
                numero=numero,
                nom=nom if variante is Variante.NOMINATIF else "",
                prenoms=prenoms if variante is Variante.NOMINATIF else "",
                present=not absent,
                points=Decimal(d.points_centiemes).scaleb(-2) if d.avec_moyenne else None,
                diviseur=d.diviseur if d.avec_moyenne else None,
                moyenne=_moyenne(d),
                decision=d.decision,
                motif=d.motif,
                apres_controle=d.apres_controle,
            )
        )
    return PVDeliberation(
        edition=edition(f"PV-2022-976-J1-{variante.value}", CENTRE_MAYOTTE),
        jury="Jury 1 — Mayotte",
        delibere_le=datetime(2022, 6, 28, 6, 0, tzinfo=UTC),
        lieu="Mamoudzou",
        variante=variante,
        lignes=tuple(lignes),
        membres=MEMBRES_JURY,
    )


def _resultat_epreuve(
    reglement: Reglement, code: str, r: Resultat | None, controle: Resultat | None
) -> ResultatEpreuve:
    e = reglement.epreuve(code)
    note = etat = points = None
    origine, annee = Origine.SESSION, None
    if isinstance(r, Note):
        note = r.valeur
        origine, annee = r.origine, r.annee
    elif r is not None:
        etat = r
    note_controle = controle.valeur if isinstance(controle, Note) else None
    retenue = max(note, note_controle) if note is not None and note_controle is not None else note
    if e.facultative:
        points = max(Decimal(0), retenue - 10) if retenue is not None else None
    elif etat is Etat.ABSENT_JUSTIFIE:
        points = Decimal(0)
    elif retenue is not None:
        points = retenue * e.coefficient
    return ResultatEpreuve(
        epreuve=code,
        intitule=e.intitule,
        coefficient=e.coefficient,
        facultative=e.facultative,
        note=note,
        etat=etat,
        origine=origine,
        annee=annee,
        note_controle=note_controle,
        points=points,
    )


def releve_notes() -> ReleveNotes:
    """Candidat de Mayotte : bénéfice en E1, dispense en E3, LV2 facultative, admis après contrôle."""
    reglement = _reglement()
    resultats: dict[str, Resultat] = {
        "E1": Note(1200, origine=Origine.BENEFICE, annee=2020),
        "E2": Note(500),
        "E3": Etat.DISPENSE,
        "E4": Note(1000),
        "E5A": Note(850),
        "E5B": Note(1150),
        "E6": Note(1100),
        "LV2": Note(1300),
    }
    controle: dict[str, Resultat] = {"E1": Note(1100), "E2": Note(1200)}
    d = deliberer_resultats(reglement, CANDIDAT_MAYOTTE.numero, resultats, controle=controle)
    return ReleveNotes(
        edition=edition(f"RN-2022-{CANDIDAT_MAYOTTE.numero}", CENTRE_MAYOTTE),
        candidat=CANDIDAT_MAYOTTE,
        resultats=tuple(
            _resultat_epreuve(reglement, code, resultats.get(code), controle.get(code))
            for code in reglement.epreuves
            if code in resultats or reglement.epreuve(code).facultative
        ),
        decision=d.decision,
        points=Decimal(d.points_centiemes).scaleb(-2) if d.avec_moyenne else None,
        diviseur=d.diviseur if d.avec_moyenne else None,
        moyenne=_moyenne(d),
        motif=d.motif,
        apres_controle=d.apres_controle,
        unites_obtenues=tuple(
            UniteObtenue(code=u, intitule=reglement.unites[u].intitule, bloc=reglement.unites[u].bloc)
            for u in d.unites_obtenues
        ),
        etablissement="CNED (enseignement à distance)",
        jury="Jury 1 — Mayotte",
        delibere_le=date(2022, 6, 28),
    )


def attestation_blocs() -> AttestationBlocs:
    reglement = _reglement()
    candidat = IdentiteCandidat(
        numero="02263001234", nom="Łukasiewicz", prenoms="Håkon", date_naissance=date(1998, 7, 1)
    )
    obtenus = (("U1", Decimal("11.5"), 2021), ("U4", Decimal(13), 2022), ("U6", Decimal("10.5"), 2022))
    return AttestationBlocs(
        edition=edition(f"AB-2022-{candidat.numero}", CENTRE_CLERMONT),
        candidat=candidat,
        blocs=tuple(
            BlocObtenu(
                unite=code,
                intitule=reglement.unites[code].intitule,
                bloc=reglement.unites[code].bloc,
                note=note,
                session=annee,
            )
            for code, note, annee in obtenus
        ),
        decision=Decision.AJOURNE,
        lieu="Clermont-Ferrand",
    )


def liste_resultats() -> ListeResultats:
    rng = random.Random(3)
    groupes = []
    for centre in (CENTRE_MAYOTTE, CENTRE_REUNION):
        lignes = []
        for i in range(18):
            d, _, _ = _deliberer(rng, str(i))
            nom, prenoms = _nom(rng)
            lignes.append(
                LigneResultat(
                    numero=f"{centre.code[:3]}{i:08d}",
                    nom=nom,
                    prenoms=prenoms,
                    decision=d.decision,
                    apres_controle=d.apres_controle,
                )
            )
        lignes.sort(key=lambda ligne: (cle_alphabetique(ligne.nom), cle_alphabetique(ligne.prenoms)))
        groupes.append(GroupeResultats(intitule=f"{centre.nom} ({centre.adresse[-1]})", lignes=tuple(lignes)))
    return ListeResultats(
        edition=edition("LR-2022-976-974", CENTRE_MAYOTTE),
        regroupement="centre",
        groupes=tuple(groupes),
        publie_le=datetime(2022, 7, 1, 6, 0, tzinfo=UTC),
    )


# --- Épreuves écrites ------------------------------------------------------------------------------------


def bordereau_lot(nombre: int = 48) -> BordereauLot:
    """Lot E1-L007 corrigé à Clermont-Ferrand : numéros d'anonymat tirés d'un générateur à graine fixe."""
    numeros = sorted(numeros_anonymat(nombre, alea=random.Random(7)))
    debut, _, _ = CALENDRIER_ECRITS["E1"]
    return BordereauLot(
        edition=edition("BL-2022-E1-L007", CENTRE_CLERMONT),
        centre=CENTRE_CLERMONT,
        epreuve="E1",
        intitule=_intitule("E1"),
        lot="E1-L007",
        debut=debut,
        copies=tuple(CopieBordereau(numero=n) for n in numeros),
        correcteur="Paul LEROY (X0042)",
        remis_le=datetime(2022, 5, 19, 7, 30, tzinfo=UTC),
    )


def plan_salle(nombre: int = 23) -> PlanSalle:
    """Salle A12 de Mayotte pour E1 : 15 h 00 à Mayotte quand il est 14 h 00 à Paris (même instant, §8)."""
    rng = random.Random(3)
    tables = []
    for i in range(nombre):
        nom, prenoms = _nom(rng)
        tables.append(
            TablePlan(
                numero=i + 1,
                candidat=f"0227601{i:04d}",
                nom=nom,
                prenoms=prenoms,
                amenagements=("sujet agrandi",) if i == 0 else (),
                temps_majore=i % 9 == 4,
            )
        )
    debut, duree, loge = CALENDRIER_ECRITS["E1"]
    return PlanSalle(
        edition=edition("PS-2022-976-E1-A12", CENTRE_MAYOTTE),
        centre=CENTRE_MAYOTTE,
        salle="A12",
        epreuve="E1",
        intitule=_intitule("E1"),
        debut=debut,
        duree_minutes=duree,
        temps_de_loge_minutes=loge,
        tables=tuple(tables),
        surveillants=("Anli MADI", "Faïza SOILIHI"),
    )


EXEMPLES: dict[str, Callable[[], Donnees]] = {
    "convocation-candidat": convocation_candidat,
    "convocation-examinateur": convocation_examinateur,
    "emargement": emargement,
    "planning-commission": planning_commission,
    "fiche-sujet-e4": fiche_sujet_e4,
    "grille-e5b": grille_e5b,
    "evaluation-engagement": evaluation_engagement,
    "pv-deliberation": pv_deliberation,
    "releve-notes": releve_notes,
    "attestation-blocs": attestation_blocs,
    "liste-resultats": liste_resultats,
    "bordereau-lot": bordereau_lot,
    "plan-salle": plan_salle,
}
