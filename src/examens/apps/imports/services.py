"""Importer les tableaux des gestionnaires : établissements, candidats, examinateurs, notes.

Chaque import lit tout le tableau, vérifie chaque cellule et chaque référence (UAI, centre, académie,
épreuve, candidat), et rend un `RapportImport` : ce qui serait créé, modifié ou laissé tel quel, et
**toutes** les erreurs. Rien n'est écrit s'il reste une erreur ou sans `appliquer=True` ; sinon tout est
écrit en une transaction (tout ou rien), avec l'historique des notes et des changements de candidats.

Réimporter le même fichier ne crée pas de doublon : chaque ligne est rapprochée par un identifiant stable
(UAI ; session + numéro ; session + code d'examinateur ; candidat + épreuve). Le nombre de requêtes SQL ne
dépend pas du nombre de lignes (au-delà des lots de `LOT` lignes) : références chargées en une requête
chacune, écritures en masse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, models, transaction

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer_en_masse
from examens.apps.imports.colonnes import Colonne, Ligne, Lignes, choix, normaliser
from examens.apps.imports.rapport import Changement, ErreurImport, RapportImport
from examens.apps.notes.models import Etat, Origine, Resultat
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni
from examens.core.resultats import NoteInvalide, lire_note
from examens.core.uai import verifier_uai
from examens.tableaux.lecture import Tableau

LOT = 2000  # lignes par requête d'écriture en masse
LOT_MODIFICATIONS = 500  # un UPDATE … CASE WHEN coûte le carré de son lot : des lots plus petits
OUI_NON = "oui / non (aussi 1 / 0, x ; vide = non)"
CS, CM = Etablissement.Statut, Candidat.ModePreparation

STATUTS = choix(CS.choices, greta=CS.FORMATION_CONTINUE_PUBLIQUE, cned=CS.ENSEIGNEMENT_A_DISTANCE)
MODES = choix(CM.choices, fpc=CM.FORMATION_CONTINUE, cned=CM.A_DISTANCE, vae=CM.EXPERIENCE_PROFESSIONNELLE)
PARCOURS = choix(Candidat.Parcours.choices)
QUALITES = choix(Examinateur.Qualite.choices, professeur=Examinateur.Qualite.ENSEIGNANT)
# Modes de préparation qui supposent un établissement de formation (§2 : la catégorie en dépend).
MODES_AVEC_ETABLISSEMENT = frozenset({CM.SCOLAIRE, CM.APPRENTI, CM.FORMATION_CONTINUE})


class SessionIntrouvable(ErreurExamens):
    code = "session_introuvable"


def choisir_session(code: str | None) -> ExamSession:
    """La session désignée par son code ; à défaut de code, la seule session en base."""
    if code:
        try:
            return ExamSession.objects.get(code=code)
        except ExamSession.DoesNotExist:
            connues = ", ".join(ExamSession.objects.values_list("code", flat=True)) or "aucune"
            raise SessionIntrouvable(f"Session « {code} » inconnue (sessions en base : {connues}).") from None
    sessions = list(ExamSession.objects.all()[:2])
    if len(sessions) == 1:
        return sessions[0]
    if not sessions:
        raise SessionIntrouvable("Aucune session en base : créez d'abord la session d'examen.")
    raise SessionIntrouvable("Plusieurs sessions en base : précisez laquelle avec --session CODE.")


# --- Les colonnes de chaque type (modèles de fichiers et documentation en dérivent) --------------------

COLONNES_ETABLISSEMENTS = (
    Colonne("uai", "l'UAI de l'établissement (identifiant stable)", "7 chiffres et la lettre de contrôle", "0630001J", True),
    Colonne("nom", "le nom de l'établissement", "texte (200 caractères au plus)", "Lycée Sidoine-Apollinaire", True),
    Colonne("ville", "la ville", "texte (100 caractères au plus)", "Clermont-Ferrand"),
    Colonne("academie", "l'académie (code ou nom)", "académie existante", "clermont-ferrand", True),
    Colonne("statut", "le statut de l'établissement", ", ".join(CS.values), "public", True),
    Colonne("habilite_ccf", "l'habilitation au CCF (CFA, formation continue)", OUI_NON, "non", alias=("habilitation_ccf",)),
)  # fmt: skip

COLONNES_CANDIDATS = (
    Colonne("numero", "le numéro de candidat (identifiant stable dans la session)", "texte (20 caractères au plus)", "22-000001", True, ("numero_candidat",)),
    Colonne("nom", "le nom de famille", "texte (100 caractères au plus)", "MARTIN", True),
    Colonne("prenoms", "les prénoms", "texte (150 caractères au plus)", "Léa Marie", True, ("prenom",)),
    Colonne("date_naissance", "la date de naissance", "JJ/MM/AAAA", "14/03/2004", True, ("date_de_naissance", "naissance")),
    Colonne("courriel", "l'adresse électronique", "adresse électronique, ou vide", "lea.martin@exemple.fr", alias=("email", "mel")),
    Colonne("uai", "l'UAI de l'établissement de formation (vide pour un candidat individuel)", "UAI d'un établissement importé, ou vide", "0630001J", alias=("etablissement",)),
    Colonne("mode_preparation", "le mode de préparation", ", ".join(CM.values), "scolaire", True, ("mode",)),
    Colonne("parcours", "la forme de passage", "globale, progressive (vide = globale)", "globale", alias=("forme",)),
    Colonne("centre", "le code du centre d'examen", "code d'un centre existant, ou vide", "0630001J"),
    Colonne("langue_e2", "la langue vivante de l'épreuve E2", "nom de langue", "anglais", True, ("lv1", "langue_vivante_1")),
    Colonne("langue_lv2", "la langue de l'épreuve facultative LV2, différente de celle d'E2", "nom de langue, ou vide", "espagnol", alias=("lv2",)),
    Colonne("engagement", "l'inscription à l'épreuve facultative d'engagement étudiant", OUI_NON, "non", alias=("engagement_etudiant",)),
    Colonne("livret_scolaire", "le livret scolaire fourni", OUI_NON, "oui"),
    Colonne("temps_majore", "l'aménagement : temps majoré d'un tiers", OUI_NON, "non"),
    Colonne("salle_a_part", "l'aménagement : salle à part", OUI_NON, "non"),
    Colonne("secretaire", "l'aménagement : secrétaire", OUI_NON, "non"),
    Colonne("ordinateur", "l'aménagement : ordinateur", OUI_NON, "non"),
    Colonne("sujet_agrandi", "l'aménagement : sujet agrandi", OUI_NON, "non"),
)  # fmt: skip

COLONNES_EXAMINATEURS = (
    Colonne("code", "le code de l'examinateur (identifiant stable dans la session)", "texte (20 caractères au plus)", "X0042", True),
    Colonne("nom", "le nom de famille", "texte (100 caractères au plus)", "DURAND", True),
    Colonne("prenom", "le prénom", "texte (100 caractères au plus)", "Paul", True, ("prenoms",)),
    Colonne("courriel", "l'adresse électronique", "adresse électronique, ou vide", "paul.durand@ac-clermont.fr", alias=("email", "mel")),
    Colonne("qualite", "la qualité", "enseignant, professionnel", "enseignant", True),
    Colonne("bloc", "le bloc de compétences interrogé", "1, 2 ou 3, ou vide pour une langue", "1"),
    Colonne("langue", "la langue interrogée (E2, LV2)", "nom de langue, ou vide", ""),
    Colonne("uai", "l'UAI de l'établissement d'exercice (conflit d'intérêts)", "UAI d'un établissement importé, ou vide", "0630001J", alias=("etablissement",)),
    Colonne("academie", "l'académie de rattachement (code ou nom)", "académie existante", "clermont-ferrand", True),
)  # fmt: skip

COLONNES_NOTES = (
    Colonne("numero", "le numéro du candidat", "numéro d'un candidat importé", "22-000001", True, ("numero_candidat",)),
    Colonne("epreuve", "le code de l'épreuve", "E1, E2, E3, E4, E5A, E5B, E6, LV2, ENGAGEMENT", "E4", True),
    Colonne("note", "la note ou le code de résultat", "note de 0 à 20 au pas de 0,5 (12,5 ou 12.5), ou AB, ABJ, NV, DI si l'épreuve le permet", "12,5", True, ("code", "resultat")),
    Colonne("suspendue", "la note suspendue (doute sur le dossier)", OUI_NON, "non"),
    Colonne("nom", "le nom du candidat, pour contrôle (facultatif)", "le nom enregistré, ou vide", "MARTIN"),
)  # fmt: skip


# --- Outils communs ---------------------------------------------------------------------------------


def _json(valeur: Any) -> Any:
    if isinstance(valeur, Decimal | date):
        return str(valeur)
    return valeur


def _difference(objet: models.Model, valeurs: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (getattr(objet, k), v) for k, v in valeurs.items() if getattr(objet, k) != v}


@dataclass
class _Ecritures:
    """Ce qu'un import écrira, calculé entièrement avant la moindre écriture."""

    modele: type[models.Model]
    a_creer: list[Any]
    a_modifier: list[Any]
    champs: set[str]
    traces: Callable[[], Iterable[Trace]] | None = None


def _appliquer(rapport: RapportImport, ecritures: _Ecritures) -> None:
    """Tout ou rien : créations, modifications et traces dans une seule transaction."""
    manager = ecritures.modele._default_manager
    try:
        with transaction.atomic():
            manager.bulk_create(ecritures.a_creer, batch_size=LOT)
            if ecritures.a_modifier:
                manager.bulk_update(ecritures.a_modifier, sorted(ecritures.champs), batch_size=LOT_MODIFICATIONS)
            if ecritures.traces is not None:
                rapport.traces = tracer_en_masse(list(ecritures.traces()))
    except DatabaseError as exc:  # une écriture concurrente, par ex. : rien n'est écrit
        rapport.erreurs.append(
            ErreurImport("", f"La base de données a refusé l'import ({exc}) ; rien n'a été modifié. Relancez-le.")
        )
        return
    rapport.applique = True


def _terminer(rapport: RapportImport, ecritures: _Ecritures, appliquer: bool) -> RapportImport:
    """Erreurs dans l'ordre du tableur (ligne, puis colonne) ; écriture seulement si tout est valide."""
    rapport.erreurs.sort(key=lambda e: (e.ligne or 0, len(e.lettre), e.lettre))
    if appliquer and rapport.valide:
        _appliquer(rapport, ecritures)
    return rapport


def _noter(rapport: RapportImport, ligne: int, cle: str, diff: dict[str, tuple[Any, Any]] | None) -> None:
    if diff is None:
        rapport.crees += 1
        rapport.changements.append(Changement("creation", ligne, cle))
    elif diff:
        rapport.modifies += 1
        rapport.changements.append(Changement("modification", ligne, cle, diff))
    else:
        rapport.inchanges += 1


def _doublon(ligne: Ligne, vus: dict[Any, int], cle: Any, colonne: str, quoi: str) -> bool:
    premiere = vus.setdefault(cle, ligne.numero)
    if premiere != ligne.numero:
        ligne.erreur(colonne, f"{quoi} figure déjà ligne {premiere} ; supprimez l'une des deux lignes ou corrigez-la.")
        return True
    return False


def _academies() -> dict[str, Academie]:
    table: dict[str, Academie] = {}
    for a in Academie.objects.all():
        table[normaliser(a.nom)] = a
        table[normaliser(a.code)] = a
    return table


def _academie(ligne: Ligne, academies: dict[str, Academie]) -> int | None:
    texte = ligne.cellule("academie")
    if not texte:
        ligne.texte("academie", longueur=100)  # cellule vide : erreur
        return None
    a = ligne.reference(
        "academie", academies, cle=normaliser(texte), quoi="académie",
        correction=f"écrivez le code ou le nom d'une académie en base ({', '.join(sorted({x.code for x in academies.values()})) or 'aucune'}).",
    )  # fmt: skip
    return a.pk if a else None


def _etablissement(ligne: Ligne, etablissements: dict[str, int]) -> int | None:
    """L'identifiant de l'établissement désigné par la colonne uai (None : vide ou erreur)."""
    uai = (ligne.cellule("uai") or "").upper()
    if not uai:
        return None
    if message := verifier_uai(uai):
        ligne.erreur("uai", message)
        return None
    return ligne.reference(
        "uai", etablissements, cle=uai, quoi="établissement",
        correction="importez-le d'abord (examens importer etablissements) ou corrigez l'UAI.",
    )  # fmt: skip


def _nom_fichier(tableau: Tableau) -> str:
    return Path(tableau.source).name


def _trace(acteur: str, motif: str, objet: models.Model, libelle: str, avant: Any, apres: Any) -> Trace:
    return Trace(
        acteur=acteur,
        action=Trace.Action.CREATION if avant is None else Trace.Action.MODIFICATION,
        objet_type=objet._meta.label_lower,
        objet_id=str(objet.pk),
        objet_libelle=libelle[:255],
        avant=avant,
        apres=apres,
        motif=motif,
    )


def _verifier_acteur(acteur: str) -> None:
    # Comme historique.services.tracer() : une trace nomme son acteur. Les traces d'un import sont écrites
    # en masse (une requête par lot) dans la transaction de l'import, jamais hors d'elle (`_appliquer`).
    if not acteur:
        raise ValueError("Un import nomme toujours son acteur, par ex. « import:candidats.xlsx ».")


# --- Établissements -----------------------------------------------------------------------------------


def importer_etablissements(
    *, tableau: Tableau, appliquer: bool, acteur: str, session: ExamSession | None = None
) -> RapportImport:
    """Établissements de formation, rapprochés par UAI. La session n'intervient pas (UAI national)."""
    _verifier_acteur(acteur)
    rapport = RapportImport("etablissements", _nom_fichier(tableau))
    lignes = Lignes(tableau, COLONNES_ETABLISSEMENTS, rapport)
    academies = _academies()
    existants = {e.uai: e for e in Etablissement.objects.all()}
    vus: dict[Any, int] = {}
    ecritures = _Ecritures(Etablissement, [], [], set())
    for ligne in lignes:
        uai = (ligne.cellule("uai") or "").upper()
        if not uai:
            ligne.texte("uai", longueur=8)
        elif message := verifier_uai(uai):
            ligne.erreur("uai", message)
        elif _doublon(ligne, vus, uai, "uai", f"l'UAI « {uai} »"):
            pass
        v: dict[str, Any] = {"nom": ligne.texte("nom", longueur=200)}
        if lignes.present("ville"):
            v["ville"] = ligne.texte("ville", longueur=100)
        v["academie_id"] = _academie(ligne, academies)
        v["statut"] = ligne.choix("statut", STATUTS, "un statut d'établissement connu")
        if lignes.present("habilite_ccf"):
            v["habilite_ccf"] = ligne.booleen("habilite_ccf")
        if ligne.erreurs:
            continue
        existant = existants.get(uai)
        if existant is None:
            ecritures.a_creer.append(Etablissement(uai=uai, **v))
            _noter(rapport, ligne.numero, uai, None)
            continue
        diff = _difference(existant, v)
        for champ, (_avant, apres) in diff.items():
            setattr(existant, champ, apres)
        if diff:
            ecritures.a_modifier.append(existant)
            ecritures.champs.update(diff)
        _noter(rapport, ligne.numero, uai, diff)
    return _terminer(rapport, ecritures, appliquer)


# --- Candidats ------------------------------------------------------------------------------------------

_BOOLEENS_CANDIDAT = {
    "engagement": "engagement_etudiant",
    "livret_scolaire": "livret_scolaire",
    "temps_majore": "temps_majore",
    "salle_a_part": "salle_a_part",
    "secretaire": "secretaire",
    "ordinateur": "ordinateur",
    "sujet_agrandi": "sujet_agrandi",
}
_COLONNE_DU_CHAMP = {"etablissement_id": "uai", "centre_id": "centre", "engagement_etudiant": "engagement"}


def importer_candidats(*, session: ExamSession, tableau: Tableau, appliquer: bool, acteur: str) -> RapportImport:
    """Candidats d'une session, rapprochés par numéro. Chaque modification d'un candidat existant est
    tracée (changement de centre compris)."""
    _verifier_acteur(acteur)
    fichier = _nom_fichier(tableau)
    rapport = RapportImport("candidats", fichier)
    lignes = Lignes(tableau, COLONNES_CANDIDATS, rapport)
    etablissements = dict(Etablissement.objects.values_list("uai", "id"))
    uai_de = {i: u for u, i in etablissements.items()}
    centres = {code.upper(): i for code, i in Centre.objects.values_list("code", "id")}
    code_centre = {i: c for c, i in centres.items()}
    existants = {c.numero: c for c in Candidat.objects.filter(session=session)}
    vus: dict[Any, int] = {}
    ecritures = _Ecritures(Candidat, [], [], set())
    modifies: list[tuple[Candidat, dict[str, tuple[Any, Any]]]] = []

    def lisible(champ: str, valeur: Any) -> Any:
        if champ == "etablissement_id":
            return uai_de.get(valeur)
        if champ == "centre_id":
            return code_centre.get(valeur)
        return _json(valeur)

    for ligne in lignes:
        numero = ligne.texte("numero", longueur=20)
        if numero:
            _doublon(ligne, vus, numero, "numero", f"le numéro « {numero} »")
        v: dict[str, Any] = {
            "nom": ligne.texte("nom", longueur=100),
            "prenoms": ligne.texte("prenoms", longueur=150),
            "date_naissance": ligne.date("date_naissance"),
            "mode_preparation": ligne.choix("mode_preparation", MODES, "un mode de préparation connu"),
            "langue_e2": (ligne.texte("langue_e2", longueur=40) or "").lower(),
        }
        if lignes.present("courriel"):
            v["courriel"] = ligne.courriel("courriel")
        if lignes.present("uai"):
            v["etablissement_id"] = _etablissement(ligne, etablissements)
            mode = v["mode_preparation"]
            if mode in MODES_AVEC_ETABLISSEMENT and not ligne.cellule("uai"):
                ligne.erreur(
                    "uai",
                    f"un candidat en mode « {mode} » est inscrit par un établissement : indiquez son UAI "
                    "(ou le mode « individuel » s'il se présente seul).",
                )
        if lignes.present("parcours"):
            v["parcours"] = ligne.choix("parcours", PARCOURS, "un parcours connu") or Candidat.Parcours.GLOBALE
        if lignes.present("centre"):
            code = (ligne.cellule("centre") or "").upper()
            v["centre_id"] = (
                ligne.reference(
                    "centre", centres, cle=code, quoi="centre d'examen",
                    correction="écrivez le code d'un centre de la session, ou laissez vide.",
                ) if code else None
            )  # fmt: skip
        if lignes.present("langue_lv2"):
            v["langue_lv2"] = (ligne.texte("langue_lv2", longueur=40) or "").lower()
        for colonne, champ in _BOOLEENS_CANDIDAT.items():
            if lignes.present(colonne):
                v[champ] = ligne.booleen(colonne)
        existant = existants.get(numero or "")
        e2 = v["langue_e2"]
        lv2 = v.get("langue_lv2", existant.langue_lv2 if existant else "")
        if e2 and lv2 == e2:
            ligne.erreur(
                "langue_lv2" if lignes.present("langue_lv2") else "langue_e2",
                f"la langue vivante 2 « {lv2} » est celle de l'épreuve E2 ; choisissez une autre langue, ou laissez vide.",
            )
        if ligne.erreurs or not numero:
            continue
        cle = f"candidat {numero}"
        if existant is None:
            ecritures.a_creer.append(Candidat(session=session, numero=numero, **v))
            _noter(rapport, ligne.numero, cle, None)
            continue
        diff = _difference(existant, v)
        for champ, (_avant, apres) in diff.items():
            setattr(existant, champ, apres)
        if diff:
            ecritures.a_modifier.append(existant)
            ecritures.champs.update(diff)
            modifies.append((existant, diff))
        _noter(
            rapport,
            ligne.numero,
            cle,
            {_COLONNE_DU_CHAMP.get(k, k): (lisible(k, a), lisible(k, b)) for k, (a, b) in diff.items()},
        )

    def traces() -> Iterable[Trace]:
        motif = f"import du fichier {fichier}"
        for candidat, diff in modifies:
            avant = {_COLONNE_DU_CHAMP.get(k, k): lisible(k, a) for k, (a, _b) in diff.items()}
            apres = {_COLONNE_DU_CHAMP.get(k, k): lisible(k, b) for k, (_a, b) in diff.items()}
            yield _trace(
                acteur, motif, candidat, f"{candidat.numero} — {candidat.nom} {candidat.prenoms}", avant, apres
            )

    ecritures.traces = traces
    return _terminer(rapport, ecritures, appliquer)


# --- Examinateurs ---------------------------------------------------------------------------------------

_BLOC = re.compile(r"(?:bloc\s*)?(\d+)", re.IGNORECASE)


def importer_examinateurs(*, session: ExamSession, tableau: Tableau, appliquer: bool, acteur: str) -> RapportImport:
    """Examinateurs d'une session, rapprochés par code."""
    _verifier_acteur(acteur)
    rapport = RapportImport("examinateurs", _nom_fichier(tableau))
    lignes = Lignes(tableau, COLONNES_EXAMINATEURS, rapport)
    reglement = reglement_fourni(session.reglement)
    blocs = sorted({u.bloc for u in reglement.unites.values() if u.bloc is not None})
    academies = _academies()
    etablissements = dict(Etablissement.objects.values_list("uai", "id"))
    existants = {e.code: e for e in Examinateur.objects.filter(session=session)}
    vus: dict[Any, int] = {}
    ecritures = _Ecritures(Examinateur, [], [], set())
    for ligne in lignes:
        code = (ligne.texte("code", longueur=20) or "").upper()
        if code:
            _doublon(ligne, vus, code, "code", f"le code « {code} »")
        v: dict[str, Any] = {
            "nom": ligne.texte("nom", longueur=100),
            "prenom": ligne.texte("prenom", longueur=100),
            "qualite": ligne.choix("qualite", QUALITES, "une qualité connue"),
            "academie_id": _academie(ligne, academies),
        }
        if lignes.present("courriel"):
            v["courriel"] = ligne.courriel("courriel")
        if lignes.present("bloc"):
            texte = ligne.cellule("bloc") or ""
            m = _BLOC.fullmatch(texte)
            if not texte:
                v["bloc"] = None
            elif m and int(m.group(1)) in blocs:
                v["bloc"] = int(m.group(1))
            else:
                permis = ", ".join(map(str, blocs))
                ligne.erreur(
                    "bloc", f"« {texte} » n'est pas un bloc de compétences ; écrivez {permis}, ou laissez vide."
                )
        if lignes.present("langue"):
            v["langue"] = (ligne.texte("langue", longueur=40) or "").lower()
        if (
            lignes.present("bloc")
            and lignes.present("langue")
            and not ligne.cellule("bloc")
            and not ligne.cellule("langue")
        ):
            ligne.erreur("bloc", "ni bloc ni langue : indiquez le bloc interrogé (1, 2 ou 3) ou la langue.")
        if lignes.present("uai"):
            v["etablissement_id"] = _etablissement(ligne, etablissements)
        if ligne.erreurs or not code:
            continue
        existant = existants.get(code)
        if existant is None:
            ecritures.a_creer.append(Examinateur(session=session, code=code, **v))
            _noter(rapport, ligne.numero, f"examinateur {code}", None)
            continue
        diff = _difference(existant, v)
        for champ, (_avant, apres) in diff.items():
            setattr(existant, champ, apres)
        if diff:
            ecritures.a_modifier.append(existant)
            ecritures.champs.update(diff)
        _noter(rapport, ligne.numero, f"examinateur {code}", diff)
    return _terminer(rapport, ecritures, appliquer)


# --- Notes --------------------------------------------------------------------------------------------

_CODES = frozenset(e.value for e in Etat if e != Etat.NOTE)


def _etat_resultat(resultat: Resultat) -> dict[str, Any]:
    note = resultat.note_examinateur
    return {
        "etat": resultat.etat,
        "note_examinateur": None if note is None else str(Decimal(note).quantize(Decimal("0.01"))),
        "suspendue": resultat.suspendue,
    }


def importer_notes(*, session: ExamSession, tableau: Tableau, appliquer: bool, acteur: str) -> RapportImport:
    """Notes d'examinateur (ou codes AB, ABJ, NV, DI) par candidat et épreuve. Chaque note créée ou changée
    est tracée dans l'historique, dans la transaction de l'import (qui, quand, avant, après, motif)."""
    _verifier_acteur(acteur)
    fichier = _nom_fichier(tableau)
    rapport = RapportImport("notes", fichier)
    lignes = Lignes(tableau, COLONNES_NOTES, rapport)
    reglement = reglement_fourni(session.reglement)
    maximum, pas = reglement.notes.maximum, reglement.notes.pas
    candidats = {numero: (pk, nom) for numero, pk, nom in session.candidats.values_list("numero", "id", "nom")}
    numeros = {pk: numero for numero, (pk, _nom) in candidats.items()}
    existants = {(r.candidat_id, r.epreuve): r for r in Resultat.objects.filter(candidat__session=session)}
    epreuves = {code.upper(): code for code in reglement.epreuves}
    vus: dict[Any, int] = {}
    ecritures = _Ecritures(Resultat, [], [], set())
    a_tracer: list[tuple[Resultat, dict[str, Any] | None]] = []
    for ligne in lignes:
        numero = ligne.texte("numero", longueur=20)
        candidat = None
        if numero:
            candidat = ligne.reference(
                "numero", candidats, cle=numero, quoi="candidat",
                correction=f"importez-le d'abord (examens importer candidats) ou corrigez le numéro (session {session.code}).",
            )  # fmt: skip
        texte_epreuve = ligne.cellule("epreuve") or ""
        epreuve = None
        if not texte_epreuve:
            ligne.texte("epreuve", longueur=20)
        else:
            epreuve = epreuves.get(texte_epreuve.upper().replace(" ", ""))
            if epreuve is None:
                ligne.erreur(
                    "epreuve",
                    f"épreuve « {texte_epreuve} » inconnue du règlement {reglement.code} ; écrivez l'un des codes : "
                    f"{', '.join(reglement.epreuves)}.",
                )
        if candidat and epreuve:
            _doublon(ligne, vus, (numero, epreuve), "epreuve", f"la note de {numero} en {epreuve}")
        nom = ligne.cellule("nom")
        if candidat and nom and normaliser(nom) != normaliser(candidat[1]):
            ligne.erreur(
                "nom",
                f"le candidat {numero} s'appelle « {candidat[1]} » ; vérifiez le numéro ou le nom de cette ligne.",
            )
        v: dict[str, Any] = {}
        texte_note = ligne.cellule("note") or ""
        if not texte_note:
            ligne.texte("note", longueur=10)
        elif texte_note.upper() in _CODES:
            code = texte_note.upper()
            permis = reglement.epreuves[epreuve].codes if epreuve else frozenset()
            if epreuve and code not in permis:
                ligne.erreur(
                    "note",
                    f"le code {code} n'est pas permis en {epreuve} (codes permis : "
                    f"{', '.join(sorted(permis)) or 'aucun'}) ; écrivez une note ou un code permis.",
                )
            v = {"etat": code, "note_examinateur": None}
        else:
            try:
                note = lire_note(texte_note, maximum=maximum, pas=pas)
            except NoteInvalide as exc:
                codes = ", ".join(sorted(reglement.epreuves[epreuve].codes)) if epreuve else "AB, ABJ…"
                ligne.erreur(
                    "note",
                    f"{exc.message.rstrip('.')} ; écrivez une note de 0 à {_fr(maximum)} au pas de {_fr(pas)} "
                    f"(par ex. 12,5) ou un code ({codes}).",
                )
            else:
                v = {
                    "etat": Etat.NOTE.value,
                    "note_examinateur": (Decimal(note.centiemes) / 100).quantize(Decimal("0.01")),
                }
        if lignes.present("suspendue"):
            v["suspendue"] = ligne.booleen("suspendue")
        if ligne.erreurs or not candidat or not epreuve:
            continue
        cle = f"note {numero} {epreuve}"
        existant = existants.get((candidat[0], epreuve))
        if existant is None:
            resultat = Resultat(candidat_id=candidat[0], epreuve=epreuve, **v)
            ecritures.a_creer.append(resultat)
            a_tracer.append((resultat, None))
            _noter(rapport, ligne.numero, cle, None)
            continue
        diff = _difference(existant, v)
        if diff and existant.origine != Origine.SESSION:
            ligne.erreur(
                "note",
                f"{numero} garde en {epreuve} une note conservée ({existant.get_origine_display()} "
                f"{existant.annee or ''}) ; elle ne se remplace pas par un import : retirez cette ligne.",
            )
            continue
        if diff and existant.note_jury is not None:
            ligne.erreur(
                "note",
                f"la note de {numero} en {epreuve} a déjà été revue par le jury ({_fr(existant.note_jury)}) ; "
                "une correction passe par le jury : retirez cette ligne.",
            )
            continue
        if diff:
            avant = _etat_resultat(existant)
            for champ, (_a, apres) in diff.items():
                setattr(existant, champ, apres)
            ecritures.a_modifier.append(existant)
            ecritures.champs.update(diff)
            a_tracer.append((existant, avant))
        _noter(rapport, ligne.numero, cle, {k: (_json(a), _json(b)) for k, (a, b) in diff.items()})

    def traces() -> Iterable[Trace]:
        motif = f"import du fichier {fichier}"
        sans_id = [r for r, _ in a_tracer if r.pk is None]
        if sans_id:  # base qui ne rend pas les identifiants d'une insertion en masse : on les relit
            ids = {
                (c, e): pk
                for c, e, pk in Resultat.objects.filter(candidat__session=session).values_list(
                    "candidat_id", "epreuve", "id"
                )
            }
            for r in sans_id:
                r.pk = ids[(r.candidat_id, r.epreuve)]
        for resultat, avant in a_tracer:
            libelle = f"{numeros[resultat.candidat_id]} — {resultat.epreuve}"
            yield _trace(acteur, motif, resultat, libelle, avant, _etat_resultat(resultat))

    ecritures.traces = traces
    return _terminer(rapport, ecritures, appliquer)


def _fr(valeur: Decimal) -> str:
    return format(Decimal(valeur).normalize(), "f").replace(".", ",")


# --- Aiguillage -----------------------------------------------------------------------------------------

IMPORTS: dict[str, tuple[Callable[..., RapportImport], tuple[Colonne, ...], bool]] = {
    # type -> (service, colonnes, session requise)
    "etablissements": (importer_etablissements, COLONNES_ETABLISSEMENTS, False),
    "candidats": (importer_candidats, COLONNES_CANDIDATS, True),
    "examinateurs": (importer_examinateurs, COLONNES_EXAMINATEURS, True),
    "notes": (importer_notes, COLONNES_NOTES, True),
}
