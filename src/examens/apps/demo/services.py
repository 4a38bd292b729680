"""Construire en base une session de démonstration réaliste du BTS NDRC 2022 (issue 3, point 5).

Générateur à graine fixe : mêmes paramètres, mêmes données (un seul `random.Random`, tiré dans un ordre
fixe ; jamais d'itération sur un ensemble). Tout s'écrit par `bulk_create`, dans une transaction : 3 000
candidats en quelques secondes, 25 000 en moins d'une minute.

Ce que la session contient (les proportions imitent une session réelle) :
- l'académie pilote Clermont-Ferrand et un regroupement interacadémique qui compte La Réunion
  (Indian/Reunion) et Mayotte (Indian/Mayotte) ; le CNED dans l'académie de Poitiers (§8) ;
- des centres (lycées publics) avec salles d'écrit, d'oral, loges et salles informatiques dimensionnées
  pour leurs candidats, dans le fuseau de leur académie ; le calendrier national des écrits E1, E3, E5A à
  partir du lundi 16 mai 2022 (heures de Paris, durées du règlement, temps de loge) ;
- des établissements de tous statuts (UAI valides), des CFA habilités au CCF et d'autres non ;
- ≈ 60 % de scolaires, ≈ 25 % d'apprentis, de la formation continue, du CNED, des candidats individuels
  et au titre de l'expérience professionnelle ; des parcours progressifs (§5) ; LV2 toujours différente de
  la langue d'E2 (§1) ; engagement étudiant, aménagements, dispenses U1/U3, notes conservées (bénéfice
  ≥ 10 de moins de 5 ans ; report < 10 en forme progressive seulement) ;
- des examinateurs (enseignants par bloc ou langue, professionnels) disponibles par demi-journée ;
- des dossiers E4/E6 dont quelques-uns déposés en retard ou jamais, des stages insuffisants (moins de 4
  semaines, ou entre 4 et 16), des attestations manquantes ou non visées, des fiches mal composées (§6-§7) ;
- un résultat pour chaque épreuve présentée (situations de CCF pour la catégorie A), des absences (AB,
  ABJ), quelques notes suspendues, des désistements tracés : ≈ 80 % d'admis après délibération.
"""

from __future__ import annotations

import random
import time as chrono
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from examens.apps.candidats.models import (
    Candidat,
    Dispense,
    Etablissement,
    NoteConservee,
    PeriodeStage,
    situation_de_preparation,
)
from examens.apps.demo import donnees as D
from examens.apps.dossiers.models import Dossier, FicheActivite
from examens.apps.examinateurs.models import Disponibilite, Examinateur
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.notes.models import Etat, Origine, Resultat, SituationCCF
from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession, Regroupement, Salle
from examens.core.calendrier import debut_national
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Reglement, TypeForme, reglement_fourni
from examens.core.resultats import note_ccf
from examens.core.uai import lettre_de_controle

CODE_SESSION = "bts-ndrc-2022"
CODE_REGLEMENT = "bts-ndrc-2022"
ACTEUR = "démonstration"
LOT = 2000  # lignes par INSERT (PostgreSQL n'a pas de limite, SQLite en a une : Django découpe de toute façon)

S = Etablissement.Statut
M = Candidat.ModePreparation
EPREUVES = ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")
UNITE_DISPENSEE = {"U1": "E1", "U3": "E3"}
UNITES_CONSERVABLES = (
    ("U1", ("E1",)),
    ("U2", ("E2",)),
    ("U3", ("E3",)),
    ("U4", ("E4",)),
    ("U5", ("E5A", "E5B")),
    ("U6", ("E6",)),
)

# Niveau moyen par mode de préparation et décalage propre à chaque épreuve : calés pour ≈ 80 % d'admis.
NIVEAU_MOYEN = {
    M.SCOLAIRE: 12.6,
    M.APPRENTI: 12.5,
    M.FORMATION_CONTINUE: 12.2,
    M.A_DISTANCE: 11.3,
    M.INDIVIDUEL: 10.8,
    M.EXPERIENCE_PROFESSIONNELLE: 12.0,
}
DECALAGE = {"E1": -0.6, "E2": 0.4, "E3": -0.5, "E4": 0.7, "E5A": -0.6, "E5B": 0.6, "E6": 0.6}
MODES: tuple[tuple[str, int], ...] = (
    (M.SCOLAIRE, 600),
    (M.APPRENTI, 250),
    (M.FORMATION_CONTINUE, 70),
    (M.A_DISTANCE, 35),
    (M.INDIVIDUEL, 30),
    (M.EXPERIENCE_PROFESSIONNELLE, 15),
)
STATUTS_DU_MODE = {
    M.SCOLAIRE: (S.PUBLIC, S.PRIVE_SOUS_CONTRAT, S.PRIVE_HORS_CONTRAT),
    M.APPRENTI: (S.CFA,),
    M.FORMATION_CONTINUE: (S.FORMATION_CONTINUE_PUBLIQUE, S.FORMATION_CONTINUE_PRIVEE),
    M.A_DISTANCE: (S.ENSEIGNEMENT_A_DISTANCE,),
}
STATUTS: tuple[tuple[str, int], ...] = (
    (S.PUBLIC, 44),
    (S.PRIVE_SOUS_CONTRAT, 20),
    (S.PRIVE_HORS_CONTRAT, 6),
    (S.CFA, 18),
    (S.FORMATION_CONTINUE_PUBLIQUE, 7),
    (S.FORMATION_CONTINUE_PRIVEE, 5),
)
PARCOURS_PROGRESSIF_POSSIBLE = (M.FORMATION_CONTINUE, M.A_DISTANCE, M.EXPERIENCE_PROFESSIONNELLE)

Progression = Callable[[str, int, int], None]


class DemoImpossible(ErreurExamens):
    code = "demo_impossible"


@dataclass
class ResumeDemo:
    """Ce qui a été construit : de quoi afficher un résumé et vérifier le déterminisme."""

    session_id: int
    graine: int
    candidats: int
    duree_secondes: float = 0.0
    par_mode: dict[str, int] = field(default_factory=dict)
    par_categorie: dict[str, int] = field(default_factory=dict)
    par_academie: dict[str, int] = field(default_factory=dict)
    par_parcours: dict[str, int] = field(default_factory=dict)
    etablissements_par_statut: dict[str, int] = field(default_factory=dict)
    cfa_habilites: int = 0
    cfa_non_habilites: int = 0
    academies: int = 0
    centres: int = 0
    salles_par_type: dict[str, int] = field(default_factory=dict)
    examinateurs_par_qualite: dict[str, int] = field(default_factory=dict)
    disponibilites: int = 0
    dossiers: int = 0
    anomalies_dossiers: dict[str, int] = field(default_factory=dict)
    fiches: int = 0
    periodes_stage: int = 0
    resultats: int = 0
    resultats_par_etat: dict[str, int] = field(default_factory=dict)
    situations_ccf: int = 0
    suspendues: int = 0
    notes_conservees: dict[str, int] = field(default_factory=dict)
    dispenses: int = 0
    lv2: int = 0
    engagement: int = 0
    amenagements: int = 0
    desistements: int = 0
    date_limite_dossiers: date = D.DATE_LIMITE_DOSSIERS

    def chiffres_cles(self) -> dict[str, Any]:
        """Les chiffres qui ne dépendent que de la graine (ni des identifiants en base, ni de la durée)."""
        valeurs = dict(self.__dict__)
        valeurs.pop("session_id")
        valeurs.pop("duree_secondes")
        return valeurs


# --- Tirages ------------------------------------------------------------------------------------------


def _pondere[T](rng: random.Random, choix: Sequence[tuple[T, int]]) -> T:
    valeurs = [v for v, _ in choix]
    return rng.choices(valeurs, weights=[p for _, p in choix])[0]


def _note(rng: random.Random, moyenne: float, ecart: float = 2.6) -> Decimal:
    """Une note au demi-point, bornée à [0, 20] (un tirage, pas un calcul de note : le float est permis ici)."""
    demi_points = min(40, max(0, round(rng.gauss(moyenne, ecart) * 2)))
    return Decimal(demi_points) / 2


def _compte(valeurs: Any) -> dict[str, int]:
    """Décompte trié par clé (en texte) : un résumé comparable d'une exécution à l'autre."""
    return {str(k): n for k, n in sorted(Counter(str(v) for v in valeurs).items())}


def _sans_accents(texte: str) -> str:
    nfkd = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower().replace(" ", "").replace("'", "")


def _lots(modele: type[Any], objets: list[Any]) -> list[Any]:
    return modele.objects.bulk_create(objets, batch_size=LOT)


class _Uai:
    """Des UAI distincts et valides (7 chiffres : département sur 3, rang sur 4 ; lettre de contrôle)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._prochain: dict[str, int] = {}

    def nouveau(self, departement: str) -> str:
        rang = self._prochain.get(departement, self._rng.randint(10, 400)) + self._rng.randint(1, 9)
        if rang > 9999:
            raise DemoImpossible(f"Trop d'établissements dans le département {departement} pour la démonstration.")
        self._prochain[departement] = rang
        chiffres = f"{departement}{rang:04d}"
        return chiffres + lettre_de_controle(chiffres)


# --- Le service ---------------------------------------------------------------------------------------


def construire_session_demo(
    *, candidats: int = 3000, graine: int = 2022, progression: Progression | None = None
) -> ResumeDemo:
    """Construit la session de démonstration dans une base vide et rend ce qui a été créé.

    `progression(etape, fait, total)` est appelée au fil des étapes longues (affichage d'une progression).
    Lève `DemoImpossible` si la base contient déjà une session ou des académies (`examens demo` la vide).
    """
    if candidats < 1:
        raise DemoImpossible("Il faut au moins un candidat pour construire une session de démonstration.")
    if ExamSession.objects.exists() or Academie.objects.exists():
        raise DemoImpossible(
            "La base contient déjà une session ou des académies : la démonstration se construit dans une base "
            "vide (la commande « examens demo » la vide d'abord)."
        )
    debut = chrono.perf_counter()
    with transaction.atomic():
        resume = _Constructeur(candidats, graine, progression or (lambda *_: None)).construire()
    resume.duree_secondes = chrono.perf_counter() - debut
    return resume


class _Constructeur:
    def __init__(self, n: int, graine: int, progression: Progression) -> None:
        self.n = n
        self.graine = graine
        self.rng = random.Random(graine)
        self.progression = progression
        self.reglement: Reglement = reglement_fourni(CODE_REGLEMENT)
        self.uai = _Uai(self.rng)

    def construire(self) -> ResumeDemo:
        self.progression("organisation", 0, 1)
        self._organisation()
        self._etablissements()
        self.progression("organisation", 1, 1)
        self._candidats()
        self._centres_et_salles()
        self._examinateurs()
        self._dossiers_et_stages()
        self._resultats()
        self._desistements()
        self._jurys()
        tracer(
            acteur=ACTEUR,
            action=Trace.Action.CREATION,
            objet_type="organisation.examsession",
            objet_id=self.session.pk,
            objet_libelle=str(self.session),
            apres={"candidats": self.n, "graine": self.graine},
            motif="Session de démonstration générée (données fictives, graine fixe).",
        )
        return self.resume

    # -- organisation -------------------------------------------------------------------------------

    def _organisation(self) -> None:
        academies = [*D.ACADEMIES, D.POITIERS]
        objets = _lots(Academie, [Academie(code=a.code, nom=a.nom, fuseau=a.fuseau) for a in academies])
        self.academies = {a.code: obj for a, obj in zip(academies, objets, strict=True)}
        self.session = ExamSession.objects.create(
            code=CODE_SESSION,
            intitule="BTS NDRC — session 2022 (démonstration)",
            reglement=CODE_REGLEMENT,
            academie_pilote=self.academies[D.ACADEMIE_PILOTE],
            date_resultats=D.DATE_RESULTATS,
        )
        regroupement = Regroupement.objects.create(session=self.session, nom=D.REGROUPEMENT)
        regroupement.academies.set([self.academies[a.code] for a in D.ACADEMIES])
        calendrier = []
        for code, jour, heure in D.CALENDRIER_ECRITS:
            forme = self.reglement.epreuve(code).formes["A"]
            assert forme.type is TypeForme.ECRITE
            assert forme.duree_minutes
            calendrier.append(
                EpreuveEcrite(
                    session=self.session,
                    epreuve=code,
                    debut=debut_national(jour, heure),
                    duree_minutes=forme.duree_minutes,
                    temps_de_loge_minutes=D.TEMPS_DE_LOGE_MINUTES,
                )
            )
        _lots(EpreuveEcrite, calendrier)
        self.resume = ResumeDemo(session_id=self.session.pk, graine=self.graine, candidats=self.n)
        self.resume.academies = len(objets)

    def _etablissements(self) -> None:
        rng = self.rng
        total = max(30, self.n // 22)
        etabs: list[Etablissement] = []
        self.poids_etab: list[int] = []

        def ajouter(a: D.AcademieDemo, statut: str, habilite: bool, nom: str | None = None) -> None:
            ville = rng.choice(a.villes)
            uai = self.uai.nouveau(rng.choice(a.departements))
            if nom is None:
                nom = {
                    S.PUBLIC: f"Lycée {rng.choice(D.PERSONNALITES_LYCEES)}",
                    S.PRIVE_SOUS_CONTRAT: f"Lycée privé {rng.choice(D.SAINTS)}",
                    S.PRIVE_HORS_CONTRAT: f"École supérieure de commerce privée de {ville}",
                    S.CFA: f"CFA {rng.choice(['de la CCI', 'du commerce', 'des métiers', 'interprofessionnel'])} de {ville}",
                    S.FORMATION_CONTINUE_PUBLIQUE: f"GRETA {a.nom} — site de {ville}",
                    S.FORMATION_CONTINUE_PRIVEE: f"Institut privé de formation {rng.choice(['Pro', 'Sup', 'Avenir'])} {ville}",
                    S.ENSEIGNEMENT_A_DISTANCE: f"Cours à distance de {ville}",
                }[statut]
            etabs.append(
                Etablissement(
                    uai=uai,
                    nom=nom,
                    ville=ville,
                    academie=self.academies[a.code],
                    statut=statut,
                    habilite_ccf=habilite,
                )
            )
            self.poids_etab.append(rng.randint(1, 6) * max(1, a.poids))

        def habilitation(statut: str) -> bool:
            if statut == S.CFA:
                return rng.random() < 0.65
            if statut == S.FORMATION_CONTINUE_PUBLIQUE:
                return rng.random() < 0.8
            if statut == S.FORMATION_CONTINUE_PRIVEE:
                return rng.random() < 0.3  # habilité, mais privé : catégorie C quand même (§2)
            return False

        # Chaque académie a au moins un lycée public (ses centres), un lycée privé sous contrat et deux CFA,
        # l'un habilité et l'autre non ; la pilote a tous les statuts.
        for a in D.ACADEMIES:
            ajouter(a, S.PUBLIC, False)
            ajouter(a, S.PRIVE_SOUS_CONTRAT, False)
            ajouter(a, S.CFA, True)
            ajouter(a, S.CFA, False)
        pilote = D.ACADEMIES[0]
        for statut in (S.PRIVE_HORS_CONTRAT, S.FORMATION_CONTINUE_PUBLIQUE, S.FORMATION_CONTINUE_PRIVEE):
            ajouter(pilote, statut, statut == S.FORMATION_CONTINUE_PUBLIQUE)
        ajouter(D.POITIERS, S.ENSEIGNEMENT_A_DISTANCE, False, nom="CNED — Institut de Poitiers-Futuroscope")
        self.poids_etab[-1] = 5000  # le CNED prépare la plupart des candidats à distance
        ajouter(D.ACADEMIES[1], S.ENSEIGNEMENT_A_DISTANCE, False)
        poids_academies = [a.poids for a in D.ACADEMIES]
        while len(etabs) < total:
            a = rng.choices(D.ACADEMIES, weights=poids_academies)[0]
            statut = _pondere(rng, STATUTS)
            ajouter(a, statut, habilitation(statut))
        self.etablissements = _lots(Etablissement, etabs)
        self.resume.etablissements_par_statut = _compte(e.statut for e in self.etablissements)
        self.resume.cfa_habilites = sum(1 for e in self.etablissements if e.statut == S.CFA and e.habilite_ccf)
        self.resume.cfa_non_habilites = sum(1 for e in self.etablissements if e.statut == S.CFA and not e.habilite_ccf)
        self.par_statut: dict[str, list[int]] = {}
        for i, e in enumerate(self.etablissements):
            self.par_statut.setdefault(e.statut, []).append(i)

    # -- candidats ----------------------------------------------------------------------------------

    def _candidats(self) -> None:
        rng, n = self.rng, self.n
        code_academies = [a.code for a in D.ACADEMIES]
        poids_academies = [a.poids for a in D.ACADEMIES]
        self.fiches_candidats: list[dict[str, Any]] = []
        objets: list[Candidat] = []
        # Établissements possibles et poids cumulés, par mode, calculés une fois (tirages identiques à
        # `weights=`, mais en temps logarithmique et non linéaire en nombre d'établissements).
        tirage_etab: dict[str, tuple[list[int], list[float]]] = {}
        for mode_possible, statuts in STATUTS_DU_MODE.items():
            rangs = [r for s in statuts for r in self.par_statut.get(s, [])]
            tirage_etab[mode_possible] = (rangs, list(accumulate(self.poids_etab[r] for r in rangs)))
        for i in range(n):
            if i % 500 == 0:
                self.progression("candidats", i, n)
            mode = _pondere(rng, MODES)
            etab: Etablissement | None = None
            if mode in tirage_etab:
                rangs, cumuls = tirage_etab[mode]
                etab = self.etablissements[rng.choices(rangs, cum_weights=cumuls)[0]]
            if etab is not None and etab.statut != S.ENSEIGNEMENT_A_DISTANCE:
                academie = etab.academie.code
            else:  # à distance, individuel, expérience : l'académie de résidence
                academie = rng.choices(code_academies, weights=poids_academies)[0]
            situation = situation_de_preparation(mode, etab)
            categorie = self.reglement.categorie_de(situation).code
            progressive = mode in PARCOURS_PROGRESSIF_POSSIBLE and rng.random() < 0.3
            e2 = _pondere(rng, D.LANGUES_E2)
            lv2 = ""
            if rng.random() < (0.25 if mode == M.SCOLAIRE else 0.12):
                lv2 = _pondere(rng, [(lg, p) for lg, p in D.LANGUES_LV2 if lg != e2])
            nom, prenom = rng.choice(D.NOMS), rng.choice(D.PRENOMS)
            if rng.random() < 0.15:
                prenom = f"{prenom} {rng.choice(D.PRENOMS)}"
            annee_naissance = {
                M.SCOLAIRE: (2000, 2003),
                M.APPRENTI: (1999, 2003),
                M.FORMATION_CONTINUE: (1980, 2000),
                M.A_DISTANCE: (1985, 2002),
                M.INDIVIDUEL: (1985, 2002),
                M.EXPERIENCE_PROFESSIONNELLE: (1970, 1995),
            }[mode]
            naissance = date(rng.randint(*annee_naissance), 1, 1) + timedelta(days=rng.randrange(365))
            amenage = rng.random() < 0.03
            objets.append(
                Candidat(
                    session=self.session,
                    numero=f"22-{i + 1:06d}",
                    nom=nom,
                    prenoms=prenom,
                    date_naissance=naissance,
                    courriel=f"{_sans_accents(prenom.split()[0])}.{_sans_accents(nom)}.{i + 1}@exemple.fr",
                    etablissement=etab,
                    mode_preparation=mode,
                    parcours=Candidat.Parcours.PROGRESSIVE if progressive else Candidat.Parcours.GLOBALE,
                    langue_e2=e2,
                    langue_lv2=lv2,
                    engagement_etudiant=rng.random() < (0.07 if mode in (M.SCOLAIRE, M.APPRENTI) else 0.02),
                    livret_scolaire=mode == M.SCOLAIRE and rng.random() < 0.9,
                    temps_majore=amenage and rng.random() < 0.8,
                    salle_a_part=amenage and rng.random() < 0.3,
                    secretaire=amenage and rng.random() < 0.06,
                    ordinateur=amenage and rng.random() < 0.25,
                    sujet_agrandi=amenage and rng.random() < 0.06,
                )
            )
            self.fiches_candidats.append({"academie": academie, "categorie": categorie, "mode": mode})
        self.progression("candidats", n, n)
        self.candidats = objets  # enregistrés avec leur centre (ci-dessous)
        r = self.resume
        r.par_mode = _compte(c.mode_preparation for c in objets)
        r.par_categorie = _compte(f["categorie"] for f in self.fiches_candidats)
        r.par_academie = _compte(self.academies[f["academie"]].nom for f in self.fiches_candidats)
        r.par_parcours = _compte(c.parcours for c in objets)
        r.lv2 = sum(1 for c in objets if c.langue_lv2)
        r.engagement = sum(1 for c in objets if c.engagement_etudiant)
        r.amenagements = sum(
            1 for c in objets if c.temps_majore or c.salle_a_part or c.secretaire or c.ordinateur or c.sujet_agrandi
        )

    # -- centres et salles ----------------------------------------------------------------------------

    def _centres_et_salles(self) -> None:
        rng = self.rng
        par_academie = Counter(f["academie"] for f in self.fiches_candidats)
        centres: list[Centre] = []
        centres_de: dict[str, list[int]] = {}
        for a in D.ACADEMIES:
            nombre = max(2 if a.code == "la-reunion" else 1, round(par_academie[a.code] / 220))
            publics = [e for e in self.etablissements if e.statut == S.PUBLIC and e.academie.code == a.code]
            for k in range(nombre):
                if k < len(publics):  # le centre est un lycée public de l'académie : même UAI
                    uai, nom, ville = publics[k].uai, publics[k].nom, publics[k].ville
                else:
                    uai = self.uai.nouveau(rng.choice(a.departements))
                    nom, ville = f"Lycée {rng.choice(D.PERSONNALITES_LYCEES)}", rng.choice(a.villes)
                centres_de.setdefault(a.code, []).append(len(centres))
                centres.append(Centre(academie=self.academies[a.code], code=uai, nom=nom, ville=ville, fuseau=a.fuseau))
        self.centres = _lots(Centre, centres)
        # Chaque candidat compose dans un centre de son académie (le CNED : celle de sa résidence).
        inscrits: Counter[int] = Counter()
        for c, f in zip(self.candidats, self.fiches_candidats, strict=True):
            rang = rng.choice(centres_de[f["academie"]])
            c.centre = self.centres[rang]
            inscrits[rang] += 1
        self.progression("enregistrement des candidats", 0, 1)
        self.candidats = _lots(Candidat, self.candidats)
        self.progression("enregistrement des candidats", 1, 1)
        salles: list[Salle] = []
        for rang, centre in enumerate(self.centres):
            n = max(inscrits[rang], 10)
            places = 0
            k = 0
            while places < n * 1.1:  # écrits : tous les inscrits à la fois, avec une marge
                k += 1
                capacite = rng.choice((24, 30, 35, 48, 60, 120)) if k > 1 else rng.choice((120, 150, 200))
                nom = "Gymnase" if k == 1 else f"Salle B{100 + k}"
                salles.append(Salle(centre=centre, nom=nom, type=Salle.Type.ECRIT, capacite=capacite))
                places += capacite
            salles.append(Salle(centre=centre, nom="Salle des aménagements", type=Salle.Type.ECRIT, capacite=6))
            for j in range(max(2, n // 40)):
                salles.append(Salle(centre=centre, nom=f"Oral {j + 1}", type=Salle.Type.ORAL, capacite=3))
            for j in range(max(1, n // 120)):
                salles.append(
                    Salle(centre=centre, nom=f"Loge {j + 1}", type=Salle.Type.LOGE, capacite=rng.choice((4, 6, 8)))
                )
            for j in range(max(1, n // 150)):
                salles.append(
                    Salle(
                        centre=centre,
                        nom=f"Informatique {j + 1}",
                        type=Salle.Type.INFORMATIQUE,
                        capacite=rng.choice((15, 18, 24)),
                    )
                )
        _lots(Salle, salles)
        self.resume.centres = len(self.centres)
        self.resume.salles_par_type = _compte(s.type for s in salles)

    # -- examinateurs ---------------------------------------------------------------------------------

    def _examinateurs(self) -> None:
        rng = self.rng
        nombre = max(40, self.n // 4)
        jours = []
        jour = D.PERIODE_ORAUX[0]
        while jour <= D.PERIODE_ORAUX[1]:
            if jour.weekday() < 5 and jour not in D.JOURS_SANS_ORAUX:
                jours.append(jour)
            jour += timedelta(days=1)
        profils: list[tuple[tuple[str, int | None, str], int]] = [
            (("enseignant", 1, ""), 18),
            (("enseignant", 2, ""), 45),
            (("enseignant", 3, ""), 14),
            (("enseignant", None, "anglais"), 12),
            (("enseignant", None, "espagnol"), 5),
            (("enseignant", None, "allemand"), 4),
            (("enseignant", None, "italien"), 3),
            (("enseignant", None, "portugais"), 1),
            (("enseignant", None, "arabe"), 2),
            (("enseignant", None, "chinois"), 2),
            (("professionnel", 1, ""), 15),
            (("professionnel", 3, ""), 12),
        ]
        poids_academies = [a.poids for a in D.ACADEMIES]
        enseignants_de: dict[str, list[Etablissement]] = {}
        for e in self.etablissements:
            if e.statut in (S.PUBLIC, S.PRIVE_SOUS_CONTRAT, S.CFA):
                enseignants_de.setdefault(e.academie.code, []).append(e)
        examinateurs: list[Examinateur] = []
        for i in range(nombre):
            # Les premiers profils garantissent au moins un examinateur de chaque sorte.
            qualite, bloc, langue = profils[i][0] if i < len(profils) else _pondere(rng, profils)
            a = rng.choices(D.ACADEMIES, weights=poids_academies)[0]
            nom, prenom = rng.choice(D.NOMS), rng.choice(D.PRENOMS)
            examinateurs.append(
                Examinateur(
                    session=self.session,
                    code=f"X{i + 1:04d}",
                    nom=nom,
                    prenom=prenom,
                    courriel=f"{_sans_accents(prenom)}.{_sans_accents(nom)}.x{i + 1}@exemple.fr",
                    qualite=qualite,
                    bloc=bloc,
                    langue=langue,
                    etablissement=rng.choice(enseignants_de[a.code]) if qualite == "enseignant" else None,
                    academie=self.academies[a.code],
                )
            )
        examinateurs = _lots(Examinateur, examinateurs)
        dispos = []
        for x in examinateurs:
            taux = rng.uniform(0.25, 0.8)
            for jour in jours:
                for demi in (Disponibilite.DemiJournee.MATIN, Disponibilite.DemiJournee.APRES_MIDI):
                    if rng.random() < taux:
                        dispos.append(Disponibilite(examinateur=x, date=jour, demi_journee=demi))
        _lots(Disponibilite, dispos)
        self.resume.examinateurs_par_qualite = _compte(x.qualite for x in examinateurs)
        self.resume.disponibilites = len(dispos)

    # -- dossiers, stages, notes conservées, dispenses ------------------------------------------------

    def _dossiers_et_stages(self) -> None:
        """Dispenses et notes conservées d'abord (elles décident des dossiers à déposer), puis dossiers et stages."""
        rng = self.rng
        dispenses: list[Dispense] = []
        conservees: list[NoteConservee] = []
        dossiers: list[Dossier] = []
        fiches_par_dossier: list[list[FicheActivite]] = []
        periodes: list[PeriodeStage] = []
        anomalies: Counter[str] = Counter()
        self.stages_valides: list[int] = []
        n = len(self.candidats)
        for i, (c, f) in enumerate(zip(self.candidats, self.fiches_candidats, strict=True)):
            if i % 500 == 0:
                self.progression("dossiers et stages", i, n)
            mode = f["mode"]
            progressive = c.parcours == Candidat.Parcours.PROGRESSIVE
            # Dispenses U1/U3 (titulaires d'un autre BTS, d'un DUT, d'une licence) (§5).
            dispensees: list[str] = []
            if rng.random() < (0.02 if mode in (M.SCOLAIRE, M.APPRENTI) else 0.22):
                dispensees = rng.choice((["U1"], ["U3"], ["U1", "U3"]))
                for u in dispensees:
                    titres = D.TITRES_DISPENSE_U1 if u == "U1" else D.TITRES_DISPENSE_U3
                    dispenses.append(Dispense(candidat=c, unite=u, titre=rng.choice(titres)))
            # Notes conservées : redoublants et candidats qui se représentent (§5).
            conserve: dict[str, tuple[Decimal, int, str]] = {}
            redoublant = rng.random() < {M.SCOLAIRE: 0.04, M.APPRENTI: 0.03, M.INDIVIDUEL: 0.35}.get(mode, 0.15)
            if redoublant or progressive:
                for unite, epreuves in UNITES_CONSERVABLES:
                    if unite in dispensees or rng.random() < 0.55:
                        continue
                    if rng.random() < 0.7:  # bénéfice : note ≥ 10 de moins de 5 ans
                        annee = rng.choice((2021, 2021, 2021, 2020, 2019, 2018, 2017))
                        for e in epreuves:
                            conserve[e] = (Decimal(rng.randint(20, 32)) / 2, annee, Origine.BENEFICE)
                    elif progressive:  # report d'une note < 10 : forme progressive seulement
                        annee = rng.choice((2021, 2020, 2019))
                        for e in epreuves:
                            conserve[e] = (Decimal(rng.randint(10, 19)) / 2, annee, Origine.REPORT)
            for e, (note, annee, origine) in conserve.items():
                conservees.append(NoteConservee(candidat=c, epreuve=e, note=note, annee=annee, origine=origine))
            # Forme progressive : certaines unités ne sont pas encore présentées cette session (§4.0).
            absentes: list[str] = []
            if progressive and rng.random() < 0.35:
                libres = [e for e in EPREUVES if e not in conserve and not self._dispensee(e, dispensees)]
                if len(libres) > 1:
                    absentes = rng.sample(libres, rng.randint(1, min(3, len(libres) - 1)))
            f.update(dispensees=dispensees, conserve=conserve, absentes=absentes)

            avec_dossier = [e for e in ("E4", "E6") if e not in conserve and e not in absentes]
            # Anomalies de conformité, exclusives (§6) ; jamais chez un candidat qui garde E4 ou E6.
            anomalie = ""
            if len(avec_dossier) == 2:
                t = rng.random()
                bornes = (
                    ("non_depose", 0.006),
                    ("depot_tardif", 0.014),
                    ("stage_moins_de_4_semaines", 0.016),
                    ("stage_entre_4_et_16_semaines", 0.021),
                    ("attestation_manquante", 0.026),
                    ("non_vise_non_signe", 0.029),
                    ("note_suspendue", 0.033),
                )
                anomalie = next((nom for nom, borne in bornes if t < borne), "")
            if anomalie:
                anomalies[anomalie] += 1
            f["anomalie"] = anomalie
            if avec_dossier:
                periodes.extend(self._periodes(c, mode, anomalie))
            cible = rng.choice(avec_dossier) if avec_dossier else ""
            for e in avec_dossier:
                depose: date | None = D.DATE_LIMITE_DOSSIERS - timedelta(days=rng.randint(0, 45))
                if e == cible and anomalie == "non_depose":
                    depose = None
                elif e == cible and anomalie == "depot_tardif":
                    depose = D.DATE_LIMITE_DOSSIERS + timedelta(days=rng.randint(1, 21))
                dossier = Dossier(
                    candidat=c,
                    epreuve=e,
                    depose_le=depose,
                    vise_et_signe=not (e == cible and anomalie == "non_vise_non_signe"),
                )
                fiches = self._fiches(dossier, mode, anomalies) if depose is not None else []
                dossiers.append(dossier)
                fiches_par_dossier.append(fiches)
        self.progression("dossiers et stages", n, n)
        Candidat.objects.filter(pk__in=self.stages_valides).update(stage_valide_par_academie=True)
        _lots(Dispense, dispenses)
        _lots(NoteConservee, conservees)
        _lots(PeriodeStage, periodes)
        dossiers = _lots(Dossier, dossiers)
        fiches_a_creer = []
        for dossier, fiches in zip(dossiers, fiches_par_dossier, strict=True):
            for fiche in fiches:
                fiche.dossier = dossier
                fiches_a_creer.append(fiche)
        _lots(FicheActivite, fiches_a_creer)
        r = self.resume
        r.dispenses = len(dispenses)
        r.notes_conservees = _compte(nc.origine for nc in conservees)
        r.dossiers = len(dossiers)
        r.fiches = len(fiches_a_creer)
        r.periodes_stage = len(periodes)
        r.anomalies_dossiers = dict(sorted(anomalies.items()))

    @staticmethod
    def _dispensee(epreuve: str, dispensees: list[str]) -> bool:
        return any(UNITE_DISPENSEE[u] == epreuve for u in dispensees)

    def _periodes(self, c: Candidat, mode: str, anomalie: str) -> list[PeriodeStage]:
        """Stage (attestations) ou emploi (certificats de travail) qui fonde les dossiers E4 et E6 (§7)."""
        rng = self.rng
        entreprise = rng.choice(D.ENTREPRISES)
        if mode == M.APPRENTI:  # contrat d'apprentissage : certificat de travail
            return [
                PeriodeStage(
                    candidat=c,
                    entreprise=entreprise,
                    debut=date(2020, 9, rng.randint(1, 20)),
                    fin=date(2022, 6, 30),
                    piece=PeriodeStage.Piece.CERTIFICAT,
                    piece_fournie=anomalie != "attestation_manquante",
                )
            ]
        if mode == M.EXPERIENCE_PROFESSIONNELLE:  # trois ans d'expérience, certificats de travail
            debut = date(rng.randint(2012, 2017), rng.randint(1, 12), 1)
            fin = debut + timedelta(days=rng.randint(1100, 2500))
            return [
                PeriodeStage(
                    candidat=c,
                    entreprise=entreprise,
                    debut=debut,
                    fin=min(fin, date(2022, 3, 31)),
                    piece=PeriodeStage.Piece.CERTIFICAT,
                    piece_fournie=anomalie != "attestation_manquante",
                )
            ]
        # Deux périodes d'au moins 8 semaines (16 semaines exigées) ; moins en cas d'anomalie.
        if anomalie == "stage_moins_de_4_semaines":
            semaines = [3]
        elif anomalie == "stage_entre_4_et_16_semaines":
            semaines = [rng.randint(4, 7), rng.randint(3, 8)]
            if rng.random() < 0.6:  # l'académie valide la plupart des stages courts (décret 2021-786)
                self.stages_valides.append(c.pk)
        else:
            semaines = [rng.choice((8, 8, 9, 10)), rng.choice((8, 8, 9))]
        debuts = [date(2021, 5, 3) + timedelta(weeks=rng.randint(0, 2)), date(2022, 1, 3)]
        piece = PeriodeStage.Piece.CERTIFICAT if mode == M.INDIVIDUEL else PeriodeStage.Piece.ATTESTATION
        resultat = []
        for k, (debut, nb) in enumerate(zip(debuts, semaines, strict=False)):
            resultat.append(
                PeriodeStage(
                    candidat=c,
                    entreprise=entreprise if k == 0 else rng.choice(D.ENTREPRISES),
                    debut=debut,
                    fin=debut + timedelta(days=7 * nb - 1),
                    piece=piece,
                    piece_fournie=not (anomalie == "attestation_manquante" and k == 1),
                    signee=True,
                    visee=True,
                )
            )
        return resultat

    def _fiches(self, dossier: Dossier, mode: str, anomalies: Counter[str]) -> list[FicheActivite]:
        """Fiches d'activité ; quelques défauts de composition, qui ne sont pas des non-conformités (§6)."""
        rng = self.rng
        N, R = FicheActivite.Nature, FicheActivite.TypeReseau
        entreprise = rng.choice(D.ENTREPRISES)
        if dossier.epreuve == "E4":
            fiches = [
                FicheActivite(
                    titre=f"Négociation d'un contrat avec un client de {entreprise}",
                    nature=N.NEGOCIATION_VENTE,
                    annexe_offre_pages=rng.choice((1, 2, 2)),
                ),
                FicheActivite(
                    titre=f"Journée portes ouvertes chez {entreprise}",
                    nature=N.EVENEMENT_COMMERCIAL,
                    annexe_offre_pages=rng.choice((1, 2, 2)),
                ),
            ]
            if rng.random() < 0.05:
                anomalies["composition_e4"] += 1
                defaut = rng.randrange(4)
                if defaut == 0:
                    fiches[1].nature = N.NEGOCIATION_VENTE
                elif defaut == 1:
                    fiches[0].annexe_offre_pages = None
                elif defaut == 2:
                    fiches[1].annexe_offre_pages = 4
                else:
                    fiches[0].rubriques_completes = False
            return fiches
        if mode == M.EXPERIENCE_PROFESSIONNELLE:
            dossier.dossier_professionnel_pages = rng.choice((8, 9, 10, 10, 14))
            dossier.etude_reflexive_pages = rng.choice((3, 4))
            return []
        dossier.etude_reflexive_pages = rng.choice((3, 4, 4))
        types = [R.DISTRIBUTEURS, R.PARTENAIRES, R.VENTE_DIRECTE]
        titres = {
            R.DISTRIBUTEURS: f"Animation du réseau de distributeurs de {entreprise}",
            R.PARTENAIRES: f"Partenariat local de {entreprise} avec une association",
            R.VENTE_DIRECTE: f"Recrutement de vendeurs à domicile pour {entreprise}",
        }
        fiches = [
            FicheActivite(titre=titres[t], type_reseau=t, reelle=k == 0 or rng.random() < 0.6, pole=3)
            for k, t in enumerate(types)
        ]
        if rng.random() < 0.06:
            anomalies["composition_e6"] += 1
            defaut = rng.randrange(5)
            if defaut == 0:
                fiches[2].type_reseau = R.DISTRIBUTEURS
            elif defaut == 1:
                fiches[1].pole = 2
            elif defaut == 2:
                dossier.etude_reflexive_pages = None
            elif defaut == 3:
                fiches.pop()
            else:
                for fiche in fiches:
                    fiche.reelle = False
        return fiches

    # -- résultats ------------------------------------------------------------------------------------

    def _resultats(self) -> None:
        rng = self.rng
        formes = {e.code: e.formes for e in self.reglement.epreuves.values()}
        pas = self.reglement.notes.pas
        resultats: list[Resultat] = []
        situations_par_resultat: list[list[Decimal]] = []
        n = len(self.candidats)
        for i, (c, f) in enumerate(zip(self.candidats, self.fiches_candidats, strict=True)):
            if i % 500 == 0:
                self.progression("notes", i, n)
            mode, categorie = f["mode"], f["categorie"]
            niveau = rng.gauss(NIVEAU_MOYEN[mode], 2.3)
            # Incident de session : absence non justifiée, absence justifiée (force majeure) (§3).
            t = rng.random()
            taux_ab = {M.INDIVIDUEL: 0.08, M.A_DISTANCE: 0.05}.get(mode, 0.012)
            presentees = [
                e
                for e in EPREUVES
                if e not in f["conserve"] and e not in f["absentes"] and not self._dispensee(e, f["dispensees"])
            ]
            absent_ab = rng.choice(presentees) if presentees and t < taux_ab else ""
            absent_abj = rng.choice(presentees) if presentees and taux_ab <= t < taux_ab + 0.012 else ""
            suspendue = rng.choice(("E4", "E6")) if f["anomalie"] == "note_suspendue" else ""
            for e in EPREUVES:
                if self._dispensee(e, f["dispensees"]):
                    resultats.append(Resultat(candidat=c, epreuve=e, etat=Etat.DISPENSE))
                    situations_par_resultat.append([])
                    continue
                if e in f["conserve"]:
                    note, annee, origine = f["conserve"][e]
                    resultats.append(
                        Resultat(candidat=c, epreuve=e, note_examinateur=note, origine=origine, annee=annee)
                    )
                    situations_par_resultat.append([])
                    continue
                if e in f["absentes"]:
                    continue
                if e in (absent_ab, absent_abj):
                    etat = Etat.ABSENT if e == absent_ab else Etat.ABSENT_JUSTIFIE
                    resultats.append(Resultat(candidat=c, epreuve=e, etat=etat))
                    situations_par_resultat.append([])
                    continue
                note = _note(rng, niveau + DECALAGE[e])
                situations: list[Decimal] = []
                forme = formes[e][categorie]
                if forme.type is TypeForme.CCF and forme.situations:
                    situations = [_note(rng, float(note), 1.5) for _ in range(forme.situations)]
                    note = note_ccf(situations, pas=pas).valeur
                resultats.append(Resultat(candidat=c, epreuve=e, note_examinateur=note, suspendue=e == suspendue))
                situations_par_resultat.append(situations)
            for e, choisie, moyenne in (
                ("LV2", bool(c.langue_lv2), niveau + 0.3),
                ("ENGAGEMENT", c.engagement_etudiant, 13.5),
            ):
                if not choisie:
                    continue
                if rng.random() < 0.05:
                    resultats.append(Resultat(candidat=c, epreuve=e, etat=Etat.ABSENT))
                else:
                    resultats.append(Resultat(candidat=c, epreuve=e, note_examinateur=_note(rng, moyenne, 2.8)))
                situations_par_resultat.append([])
        self.progression("notes", n, n)
        self.progression("enregistrement des notes", 0, 1)
        resultats = _lots(Resultat, resultats)
        ccf = [
            SituationCCF(resultat=r, numero=k, note=note)
            for r, situations in zip(resultats, situations_par_resultat, strict=True)
            for k, note in enumerate(situations, 1)
        ]
        _lots(SituationCCF, ccf)
        self.progression("enregistrement des notes", 1, 1)
        r = self.resume
        r.resultats = len(resultats)
        r.resultats_par_etat = _compte(x.etat for x in resultats)
        r.situations_ccf = len(ccf)
        r.suspendues = sum(1 for x in resultats if x.suspendue)

    def _desistements(self) -> None:
        """Quelques désistements avant les épreuves, tracés par le service des candidats."""
        from examens.apps.candidats.services import desister

        rng = self.rng
        nombre = max(1, self.n // 400)
        for c in rng.sample(self.candidats, nombre):
            desister(
                candidat=c, le=date(2022, 5, rng.randint(2, 13)), acteur=ACTEUR, motif="Désistement (démonstration)"
            )
            # Ses épreuves de la session passent AB : chaque note changée est tracée (avant, après).
            changes = Resultat.objects.filter(candidat=c, origine=Origine.SESSION).exclude(etat=Etat.DISPENSE)
            apres = {"etat": Etat.ABSENT.value, "note_examinateur": None, "suspendue": False}
            tracer_en_masse(
                [
                    Trace(
                        acteur=ACTEUR,
                        action=Trace.Action.MODIFICATION,
                        objet_type="notes.resultat",
                        objet_id=str(pk),
                        objet_libelle=f"candidat {c.numero} — {epreuve}",
                        avant={
                            "etat": etat,
                            "note_examinateur": None if note is None else f"{note:.2f}",
                            "suspendue": suspendue,
                        },
                        apres=apres,
                        motif=f"désistement du candidat {c.numero} : épreuves de la session en AB",
                    )
                    for pk, epreuve, etat, note, suspendue in changes.values_list(
                        "pk", "epreuve", "etat", "note_examinateur", "suspendue"
                    )
                ]
            )
            changes.update(etat=Etat.ABSENT, note_examinateur=None, suspendue=False)
            SituationCCF.objects.filter(resultat__candidat=c).delete()
        self.resume.desistements = nombre
        self.resume.resultats_par_etat = dict(
            sorted(
                Counter(Resultat.objects.filter(candidat__session=self.session).values_list("etat", flat=True)).items()
            )
        )
        self.resume.suspendues = Resultat.objects.filter(candidat__session=self.session, suspendue=True).count()

    def _jurys(self) -> None:
        """Un jury par académie (président, enseignants et professionnels en nombre égal, CE D643-31) ; le
        jury examine les livrets scolaires de ses candidats (§4.8), examen tracé comme par le service."""
        from examens.apps.jury.models import ExamenLivret, Jury, MembreJury

        rng = self.rng
        examinateurs = list(Examinateur.objects.filter(session=self.session).order_by("code"))
        for a in D.ACADEMIES:
            academie = self.academies[a.code]
            jury = Jury.objects.create(
                session=self.session,
                nom=f"Jury — {a.nom}",
                president=f"{rng.choice(D.PRENOMS)} {rng.choice(D.NOMS)}, IA-IPR économie-gestion",
            )
            jury.centres.set([c for c in self.centres if c.academie_id == academie.pk])
            ens = [x for x in examinateurs if x.academie_id == academie.pk and x.qualite == "enseignant"][:2]
            pro = [x for x in examinateurs if x.academie_id == academie.pk and x.qualite == "professionnel"][:2]
            k = min(len(ens), len(pro))
            MembreJury.objects.bulk_create(
                MembreJury(jury=jury, nom=f"{x.prenom} {x.nom}", qualite=x.qualite, examinateur=x)
                for x in ens[:k] + pro[:k]
            )
            livrets = ExamenLivret.objects.bulk_create(
                [
                    ExamenLivret(candidat=c, jury=jury, examine_par=jury.president)
                    for c in self.candidats
                    if c.livret_scolaire and c.centre.academie_id == academie.pk
                ],
                batch_size=LOT,
            )
            tracer_en_masse(
                [
                    Trace(
                        acteur=ACTEUR,
                        action=Trace.Action.CREATION,
                        objet_type="jury.examenlivret",
                        objet_id=str(livret.pk),
                        objet_libelle=f"candidat {livret.candidat.numero} — livret scolaire examiné",
                        apres={"jury": jury.nom, "observations": ""},
                    )
                    for livret in livrets
                ]
            )


# --- Comptes de démonstration -----------------------------------------------------------------------


@dataclass(frozen=True)
class CompteDemo:
    identifiant: str
    mot_de_passe: str
    role: str
    perimetre: str = ""  # le périmètre de son habilitation dans l'application web (vide : administration seule)


COMPTES_DEMO: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # identifiant, rôle, mot de passe (démonstration seulement), applications permises dans l'administration
    ("gestionnaire", "gestionnaire de l'académie pilote (et superutilisateur)", "gestionnaire-ndrc-2022", ()),
    (
        "dec-lyon",
        "gestionnaire d'une académie rattachée (Lyon)",
        "dec-lyon-2022",
        ("candidats", "dossiers", "notes", "examinateurs"),
    ),
    ("chef-centre", "chef de centre d'examen", "chef-centre-2022", ()),
    ("examinateur", "examinateur", "examinateur-2022", ()),
    ("presidente-jury", "présidente de jury", "presidente-jury-2022", ("jury",)),
    ("etablissement", "établissement de formation", "etablissement-2022", ()),
    ("candidat", "candidat", "candidat-2022", ()),
    ("consultation", "consultation seule de toute la session, dans l'administration", "consultation-2022", ()),
)
PERSONNEL = ("gestionnaire", "dec-lyon", "presidente-jury", "consultation")  # comptes de l'administration


def creer_comptes_demo() -> list[CompteDemo]:
    """Un compte par rôle, avec son habilitation sur la session de démonstration si elle existe (mots de passe
    de démonstration). « gestionnaire » est aussi superutilisateur ; le personnel a l'administration."""
    from examens.apps.comptes.models import Role
    from examens.apps.comptes.services import habiliter

    utilisateur = get_user_model()
    applications = ("organisation", "candidats", "examinateurs", "dossiers", "notes", "jury", "historique")
    lecture = list(Permission.objects.filter(content_type__app_label__in=applications, codename__startswith="view_"))
    session = ExamSession.objects.filter(code=CODE_SESSION).select_related("academie_pilote").first()
    perimetres = _perimetres_demo(session) if session is not None else {}
    roles = {
        "gestionnaire": Role.GESTIONNAIRE,
        "dec-lyon": Role.GESTIONNAIRE,
        "chef-centre": Role.CHEF_DE_CENTRE,
        "examinateur": Role.EXAMINATEUR,
        "presidente-jury": Role.PRESIDENT_JURY,
        "etablissement": Role.ETABLISSEMENT,
        "candidat": Role.CANDIDAT,
    }
    comptes = []
    with transaction.atomic():
        for identifiant, role, mot_de_passe, ecriture in COMPTES_DEMO:
            u, _ = utilisateur.objects.get_or_create(username=identifiant)
            u.is_staff = identifiant in PERSONNEL
            u.is_superuser = identifiant == "gestionnaire"
            u.email = f"{identifiant}@exemple.fr"
            u.set_password(mot_de_passe)
            u.save()
            if u.is_staff and not u.is_superuser:
                permissions = list(lecture)
                if ecriture:
                    permissions += list(
                        Permission.objects.filter(content_type__app_label__in=ecriture).exclude(
                            codename__startswith="delete_"
                        )
                    )
                u.user_permissions.set(permissions)
            perimetre = ""
            objet = perimetres.get(identifiant)
            if session is not None and objet is not None:
                h = habiliter(utilisateur=u, role=roles[identifiant], session=session, perimetre=objet, acteur=ACTEUR)
                perimetre = h.perimetre_libelle
            comptes.append(CompteDemo(identifiant, mot_de_passe, role, perimetre))
    return comptes


def centre_demo(session: ExamSession) -> Centre | None:
    """Le centre du compte « chef-centre » : le plus grand centre de l'académie pilote (en candidats)."""
    from django.db.models import Count, Q

    centre: Centre | None = (
        Centre.objects.filter(academie_id=session.academie_pilote_id)
        .annotate(n=Count("candidats", filter=Q(candidats__session=session)))
        .order_by("-n", "code")
        .first()
    )
    return centre


def examinateur_demo(session: ExamSession) -> Examinateur | None:
    """L'examinateur du compte « examinateur » : le premier examinateur de l'académie pilote (par code)."""
    examinateur: Examinateur | None = (
        Examinateur.objects.filter(session=session, academie_id=session.academie_pilote_id)
        .select_related("etablissement")
        .order_by("code")
        .first()
    )
    return examinateur


def _perimetres_demo(session: ExamSession) -> dict[str, Any]:
    """Des périmètres qui se recoupent, pour voir chaque rôle sur les mêmes données : le plus grand centre de
    l'académie pilote, l'établissement qui y envoie le plus de candidats, un de ses candidats délibéré."""
    from django.db.models import Count

    from examens.apps.jury.models import Jury

    pilote = session.academie_pilote
    centre = centre_demo(session)
    if centre is None:
        return {}
    candidats = Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
    etablissement = (
        Etablissement.objects.filter(candidats__in=candidats)
        .annotate(n=Count("candidats"))
        .order_by("-n", "uai")
        .first()
    )
    candidat = (
        candidats.filter(etablissement=etablissement, decisions_jury__en_vigueur=True).order_by("numero").first()
        or candidats.filter(etablissement=etablissement).order_by("numero").first()
    )
    return {
        "gestionnaire": pilote,
        "dec-lyon": Academie.objects.filter(code="lyon").first(),
        "chef-centre": centre,
        "examinateur": examinateur_demo(session),
        "presidente-jury": Jury.objects.filter(session=session, centres=centre).order_by("nom").first(),
        "etablissement": etablissement,
        "candidat": candidat,
    }
