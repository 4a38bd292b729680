"""Délibérer un tableau de notes : le contrat de `examens deliberer` (docs/formats/deliberation.md).

Valide toutes les cellules (toutes les erreurs sont rendues, avec ligne et colonne), délibère chaque
candidat avec le moteur de `examens.core`, puis écrit le résultat en JSON, CSV ou XLSX.
Les colonnes et les codes permis se déduisent du règlement : un autre BTS = un autre fichier de règlement.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import pickle
import shutil
import sys
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, Final

import orjson

from examens.core.deliberation import (
    Decision,
    Deliberation,
    DeliberationImpossible,
    Motif,
    Parcours,
    arrondi_affichage,
    deliberateur,
    deliberer_resultats,
)
from examens.core.reglement import Reglement
from examens.core.resultats import Etat, Note, NoteInvalide, Resultat, format_centiemes, lire_note
from examens.tableaux.lecture import Tableau, decouper_csv, lettre_colonne

PREFIXE_CONTROLE: Final = "CONTROLE_"


@dataclass(frozen=True, slots=True)
class _Invalide:
    message: str


class _Vide:
    """Cellule vide (épreuve non présentée, facultative non choisie, contrôle non passé)."""


_VIDE: Final = _Vide()
_Valeur = Note | Etat | _Invalide | _Vide


@dataclass
class RapportDeliberation:
    """Ce que rend la délibération d'un tableau : les décisions, ou la liste complète des erreurs."""

    reglement: str
    deliberations: list[Deliberation] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    decompte: dict[str, int] = field(default_factory=dict)  # décision → nombre de candidats

    def resume(self) -> dict[str, int]:
        compte = {"admis": 0, "ajourne": 0, "controle": 0, "incomplet": 0}
        for decision, n in self.decompte.items():
            compte[decision] = compte.get(decision, 0) + n
        compte["total"] = sum(self.decompte.values())
        return compte


def _decompter(deliberations: Sequence[Deliberation]) -> dict[str, int]:
    """Décision → nombre de candidats (compté en C par `Counter`, dans l'ordre des premières rencontres)."""
    return {decision.value: n for decision, n in Counter(map(_DECISION, deliberations)).items()}


_DECISION: Final = itemgetter(1)  # la décision d'une `Deliberation`


@dataclass(frozen=True, slots=True)
class _Colonne:
    nom: str  # nom canonique (E1, CONTROLE_E1, LV2…)
    index: int
    epreuve: str
    codes: frozenset[Etat]
    cache: dict[str, _Valeur]  # texte brut de la cellule → valeur lue (peu de valeurs distinctes)
    valides: dict[str, Resultat]  # la partie du cache qui est une note ou un code permis
    lire: Callable[[str], _Valeur]


def _lecteur_de_cellule(
    reglement: Reglement, codes: frozenset[Etat], cache: dict[str, _Valeur], valides: dict[str, Resultat]
) -> Callable[[str], _Valeur]:
    """Fabrique la lecture d'une cellule pour une colonne ; le résultat est mis en cache."""
    maximum, pas = reglement.notes.maximum, reglement.notes.pas
    permis = ", ".join(sorted(c.value for c in codes))

    def lire(brut: str) -> _Valeur:
        texte = brut.strip()
        v: _Valeur
        if not texte:
            v = _VIDE
        else:
            try:
                etat: Etat | None = Etat(texte.upper())
            except ValueError:
                etat = None
            if etat is not None:
                v = (
                    etat
                    if etat in codes
                    else _Invalide(f"le code « {texte} » n'est pas permis ici (codes permis : {permis}).")
                )
            else:
                try:
                    v = lire_note(texte, maximum=maximum, pas=pas)
                except NoteInvalide as exc:
                    v = _Invalide(
                        f"{exc.message} Saisissez une note de 0 à 20 au pas de {_fr(pas)} ou un code ({permis})."
                    )
        cache[brut] = v
        if isinstance(v, (Note, Etat)):
            valides[brut] = v
        return v

    return lire


def _fr(d: object) -> str:
    return str(d).replace(".", ",")


def _canonique(entete: str) -> str:
    return " ".join(entete.split()).upper()


@dataclass
class _Preparation:
    """Les colonnes reconnues d'un tableau, prêtes pour la boucle sur les lignes."""

    i_candidat: int
    i_parcours: int | None
    obligatoires: list[_Colonne]
    facultatives: list[_Colonne]
    controles: list[_Colonne]
    largeur: int
    # Une colonne obligatoire manque : on valide quand même les autres cellules, sans délibérer.
    incomplet: bool = False


def _preparer(tableau: Tableau, reglement: Reglement, rapport: RapportDeliberation) -> _Preparation | None:
    """Lit les en-têtes (sans casse ni espaces superflus) ; None si une colonne obligatoire manque."""
    erreurs = rapport.erreurs
    obligatoires = [e.code for e in reglement.obligatoires]
    facultatives = [e.code for e in reglement.facultatives]
    controles = [PREFIXE_CONTROLE + c for c in reglement.controle.epreuves]
    connues = {"CANDIDAT", "PARCOURS", *obligatoires, *facultatives, *controles}
    index: dict[str, int] = {}
    for i, brut in enumerate(tableau.entetes):
        nom = _canonique(brut)
        if not nom:
            if any(i < len(c) and c[i].strip() for _, c in tableau.lignes):
                rapport.avertissements.append(f"{tableau.position(1, i)} : colonne sans en-tête, ignorée.")
            continue
        if nom in index:
            erreurs.append(
                f"{tableau.position(1, i)} : en-tête « {brut.strip()} » en double (déjà en colonne "
                f"{lettre_colonne(index[nom])}). Supprimez l'une des deux colonnes."
            )
            continue
        index[nom] = i
        if nom not in connues:
            rapport.avertissements.append(f"{tableau.position(1, i)} : colonne inconnue « {brut.strip()} », ignorée.")
    manquantes = [c for c in ["CANDIDAT", *obligatoires] if c not in index]
    if tableau.genre == "json":
        # Un JSON n'a pas de colonnes : une clé absente de tous les objets est une cellule vide partout
        # (permise en parcours progressif). Seul l'identifiant est indispensable.
        for nom in manquantes:
            if nom != "CANDIDAT":
                index[nom] = len(tableau.entetes)
                tableau.entetes.append(nom)
        manquantes = [c for c in manquantes if c == "CANDIDAT"]
    if manquantes:
        noms = ", ".join(c.lower() if c == "CANDIDAT" else c for c in manquantes)
        if tableau.genre == "json":
            erreurs.append(f"La clé « {noms} » manque dans les objets de « candidats ». Ajoutez-la.")
        else:
            erreurs.append(f"Colonne(s) obligatoire(s) absente(s) de l'en-tête (ligne 1) : {noms}. Ajoutez-les.")
        if "CANDIDAT" in manquantes:
            return None

    def colonne(nom: str, epreuve: str, codes: frozenset[Etat]) -> _Colonne:
        cache: dict[str, _Valeur] = {}
        valides: dict[str, Resultat] = {}
        return _Colonne(
            nom, index[nom], epreuve, codes, cache, valides, _lecteur_de_cellule(reglement, codes, cache, valides)
        )

    codes_controle = frozenset({Etat.ABSENT, Etat.ABSENT_JUSTIFIE})
    return _Preparation(
        i_candidat=index["CANDIDAT"],
        i_parcours=index.get("PARCOURS"),
        obligatoires=[colonne(c, c, reglement.epreuve(c).codes) for c in obligatoires if c in index],
        facultatives=[colonne(c, c, reglement.epreuve(c).codes) for c in facultatives if c in index],
        controles=[
            colonne(PREFIXE_CONTROLE + c, c, codes_controle)
            for c in reglement.controle.epreuves
            if PREFIXE_CONTROLE + c in index
        ],
        largeur=max(index.values()) + 1,
        incomplet=bool(manquantes),
    )


def _identifiants(prep: _Preparation, lignes: Sequence[tuple[int, list[str]]]) -> tuple[list[int], list[str]]:
    i = prep.i_candidat
    return [n for n, _ in lignes], [c[i].strip() if i < len(c) else "" for _, c in lignes]


def _doublons(tableau: Tableau, prep: _Preparation, numeros: list[int], ids: list[str]) -> list[tuple[int, str]]:
    """Identifiants en double sur tout le tableau (les morceaux parallèles rendent leurs identifiants)."""
    if len(set(ids)) == len(ids):
        return []
    erreurs = []
    vus: dict[str, int] = {}
    for numero, cid in zip(numeros, ids, strict=True):
        if not cid:
            continue
        if cid in vus:
            erreurs.append(
                (
                    numero,
                    f"{tableau.position(numero, prep.i_candidat)} : le candidat « {cid} » figure déjà ligne {vus[cid]}.",
                )
            )
        else:
            vus[cid] = numero
    return erreurs


def _deliberer_lignes(
    tableau: Tableau,
    reglement: Reglement,
    prep: _Preparation,
    lignes: Sequence[tuple[int, list[str]]],
) -> tuple[list[tuple[int, str]], list[Deliberation]]:
    """La boucle chaude : lit chaque cellule (via le cache de sa colonne) et délibère chaque ligne."""
    erreurs: list[tuple[int, str]] = []
    deliberations: list[Deliberation] = []
    position = tableau.position
    i_cand, i_parc, largeur, incomplet = prep.i_candidat, prep.i_parcours, prep.largeur, prep.incomplet
    obligatoires = [(c.epreuve, c.index, c.cache, c.lire, c.codes) for c in prep.obligatoires]
    # Chemin rapide : toutes les cellules obligatoires déjà vues et valides → lues par des appels en C.
    codes_obligatoires = [c.epreuve for c in prep.obligatoires]
    valides_obligatoires = [c.valides for c in prep.obligatoires]
    rangs = [c.index for c in prep.obligatoires]
    extraire: Callable[[list[str]], tuple[str, ...]] = (
        itemgetter(*rangs) if len(rangs) > 1 else (lambda cellules: tuple(cellules[i] for i in rangs))
    )
    facultatives = [(c.epreuve, c.index, c.cache, c.lire) for c in prep.facultatives]
    controles = prep.controles
    # Les cellules facultatives et de contrôle, le plus souvent toutes vides : un seul test les écarte.
    rangs_optionnels = [c.index for c in (*prep.facultatives, *controles)]
    optionnelles: Callable[[list[str]], Sequence[str]] = (
        itemgetter(*rangs_optionnels)
        if len(rangs_optionnels) > 1
        else (lambda cellules: [cellules[i] for i in rangs_optionnels])
    )
    globale, progressive = Parcours.GLOBALE, Parcours.PROGRESSIVE
    parcours_connus = {"": globale, "globale": globale, "progressive": progressive}  # texte exact → parcours
    deliberer = deliberateur(reglement)
    for numero, cellules in lignes:
        if len(cellules) < largeur:
            cellules = cellules + [""] * (largeur - len(cellules))  # noqa: PLW2901
        cid = cellules[i_cand].strip()
        if not cid and not "".join(cellules).strip():
            continue  # ligne blanche du tableur
        fautive = False
        if not cid:
            erreurs.append(
                (numero, f"{position(numero, i_cand)} : identifiant du candidat manquant. Renseignez la cellule.")
            )
            fautive = True
        parcours = globale
        if i_parc is not None and (parcours := parcours_connus.get(cellules[i_parc])) is None:  # type: ignore[assignment]
            parcours = globale
            brut = cellules[i_parc].strip().lower()
            if brut == "progressive":
                parcours = progressive
            elif brut and brut != "globale":
                erreurs.append(
                    (
                        numero,
                        f"{position(numero, i_parc)} : parcours « {cellules[i_parc].strip()} » inconnu "
                        "(attendu : globale ou progressive).",
                    )
                )
                fautive = True
        valeurs = list(map(dict.get, valides_obligatoires, extraire(cellules)))
        if all(valeurs):
            resultats: dict[str, Resultat] = dict(zip(codes_obligatoires, valeurs, strict=False))  # type: ignore[arg-type]
        else:
            resultats = {}
        for epreuve, i, cache, lire, codes in obligatoires if not resultats else ():
            brut = cellules[i]
            v = cache.get(brut)
            if v is None:
                v = lire(brut)
            if v.__class__ is Note or v.__class__ is Etat:
                resultats[epreuve] = v
            elif v is _VIDE:
                if parcours is not progressive:
                    erreurs.append(
                        (
                            numero,
                            f"{position(numero, i)} : cellule vide. Saisissez une note ou un code "
                            f"({', '.join(sorted(c.value for c in codes))}) ; une cellule vide n'est permise "
                            "qu'en parcours progressif.",
                        )
                    )
                    fautive = True
            else:
                erreurs.append((numero, f"{position(numero, i)} : {v.message}"))  # type: ignore[union-attr]
                fautive = True
        controle: dict[str, Resultat] = {}
        optionnels = any(
            optionnelles(cellules)
        )  # sans facultative ni contrôle (le cas fréquent) : deux boucles de moins
        for epreuve, i, cache, lire in facultatives if optionnels else ():
            brut = cellules[i]
            if not brut:
                continue
            v = cache.get(brut)
            if v is None:
                v = lire(brut)
            if v is _VIDE:
                continue
            if v.__class__ is _Invalide:
                erreurs.append((numero, f"{position(numero, i)} : {v.message}"))
                fautive = True
            else:
                resultats[epreuve] = v  # type: ignore[assignment]
        for col in controles if optionnels else ():
            brut = cellules[col.index]
            if not brut:
                continue
            v = col.cache.get(brut)
            if v is None:
                v = col.lire(brut)
            if v is _VIDE:
                continue
            if v.__class__ is _Invalide:
                erreurs.append((numero, f"{position(numero, col.index)} : {v.message}"))
                fautive = True
                continue
            if resultats.get(col.epreuve) is Etat.DISPENSE:
                erreurs.append(
                    (
                        numero,
                        f"{position(numero, col.index)} : contrôle impossible, l'épreuve {col.epreuve} est "
                        "dispensée (DI). Videz la cellule.",
                    )
                )
                fautive = True
            controle[col.epreuve] = v  # type: ignore[assignment]
        if fautive or incomplet:
            continue
        try:
            d = deliberer(cid, resultats, parcours, controle or _AUCUN, False)
        except DeliberationImpossible:
            erreurs.append(
                (numero, _erreur_controle(tableau, numero, cid, resultats, parcours, controle, controles, reglement))
            )
            continue
        deliberations.append(d)
    return erreurs, deliberations


_AUCUN: Final[dict[str, Resultat]] = {}


def deliberer_tableau(tableau: Tableau, reglement: Reglement) -> RapportDeliberation:
    """Valide le tableau et délibère chaque candidat. En cas d'erreur, `deliberations` est vide."""
    rapport = RapportDeliberation(reglement.code)
    prep = _preparer(tableau, reglement, rapport)
    if prep is None:
        return rapport
    erreurs, deliberations = _deliberer_lignes(tableau, reglement, prep, tableau.lignes)
    erreurs.extend(_doublons(tableau, prep, *_identifiants(prep, tableau.lignes)))
    erreurs.sort(key=lambda e: e[0])
    rapport.erreurs.extend(message for _, message in erreurs)
    if not rapport.erreurs:
        rapport.deliberations = deliberations
        rapport.decompte = _decompter(deliberations)
    return rapport


# --- Traitement de masse en parallèle ---------------------------------------------------------------

SEUIL_PARALLELE: Final = 20_000  # en dessous, un seul processus est plus rapide (coût du fork)
# Le morceau du processus principal, rapporté à celui d'un fils : un fils finit ≈ 4 % plus tard (copie des pages
# héritées à la première écriture, fragment écrit dans un fichier intermédiaire) ; mesuré, docs/benchmarks.md.
POIDS_PRINCIPAL: Final = 1.04
# Un morceau : des lignes déjà découpées, ou (numéro de la 1re ligne, texte CSV) à découper par le fils.
_Morceau = Sequence[tuple[int, list[str]]] | tuple[int, str]
_TRAVAIL: tuple[Tableau, Reglement, _Preparation, list[_Morceau], str] | None = None
_JETABLE = False  # voir `deliberer_en_octets(jetable=True)`
_NON_LIBERES: list[object] = []


class Sortie:
    """Le résultat sérialisé, en morceaux : des octets, ou les fichiers temporaires des processus fils.

    Les fragments des fils ne repassent pas par la mémoire du parent : ils sont recopiés de fichier à
    fichier par le noyau (`os.sendfile`) dans la sortie.
    """

    def __init__(self, morceaux: list[bytes | Path], fils: list[int] | None = None) -> None:
        self.morceaux = morceaux
        self.fils = fils if fils is not None else []  # processus fils à récolter après l'écriture

    def ecrire(self, f: BinaryIO) -> None:
        try:
            for morceau in self.morceaux:
                if isinstance(morceau, bytes):
                    f.write(morceau)
                else:
                    _recopier(morceau, f)
        finally:
            self.abandonner()

    def octets(self) -> bytes:
        tampon = io.BytesIO()
        self.ecrire(tampon)
        return tampon.getvalue()

    def abandonner(self) -> None:
        for morceau in self.morceaux:
            if isinstance(morceau, Path):
                morceau.unlink(missing_ok=True)
        _recolter(self.fils)


def _recopier(source: Path, f: BinaryIO) -> None:
    """Recopie un fichier dans `f`, par le noyau quand c'est possible (sendfile), sinon par blocs."""
    f.flush()
    with source.open("rb") as entree:
        taille, position = os.fstat(entree.fileno()).st_size, 0
        try:
            while position < taille:
                position += os.sendfile(f.fileno(), entree.fileno(), position, taille - position)
        except (OSError, AttributeError, io.UnsupportedOperation):  # pas de sendfile : copie ordinaire
            entree.seek(position)
            shutil.copyfileobj(entree, f, 1 << 20)


# (erreurs, fragment, décompte, empreintes des identifiants, doublon probable dans le morceau). Les empreintes
# sont un ensemble dans le processus principal (construit pendant que les fils travaillent), des octets
# (array « q ») venant d'un fils.
_Resultat = tuple[list[tuple[int, str]], bytes | Path, dict[str, int], set[int] | bytes, bool]
_PREMIER: Final = itemgetter(0)  # l'identifiant du candidat d'une `Deliberation`


def _travailler(i: int, *, en_fichier: bool = False) -> _Resultat:
    """Découpe (si besoin), délibère et sérialise le morceau i, dans un processus fils qui hérite du tableau.

    Le fragment revient par un fichier temporaire plutôt que par le tube du pool (des dizaines de
    mégaoctets) ; les identifiants reviennent sous forme d'empreintes (`hash`, la graine étant héritée du
    parent) pour la recherche des doublons sur tout le tableau.
    """
    assert _TRAVAIL is not None
    tableau, reglement, prep, morceaux, fmt = _TRAVAIL
    morceau = morceaux[i]
    if isinstance(morceau, tuple):
        premier, texte = morceau
        lignes = decouper_csv(texte, tableau.separateur or ";", premier, tableau.source)
    else:
        lignes = morceau  # type: ignore[assignment]
    erreurs, deliberations = _deliberer_lignes(tableau, reglement, prep, lignes)
    if _JETABLE:
        _NON_LIBERES.append((lignes, deliberations))
    if erreurs:
        ids: Iterable[str] = (cid for cid in _identifiants(prep, lignes)[1] if cid)
    else:  # chaque ligne non blanche a donné une délibération : leurs identifiants sont ceux du morceau
        ids = map(_PREMIER, deliberations)
    hachages = array("q", map(hash, ids))
    vus = set(hachages)
    doublon = len(vus) != len(hachages)
    empreintes: set[int] | bytes = hachages.tobytes() if en_fichier else vus
    if erreurs:
        return erreurs, b"", {}, empreintes, doublon
    fragment: bytes | Path = fragment_json(deliberations) if fmt == "json" else fragment_csv(deliberations)
    if en_fichier:
        with tempfile.NamedTemporaryFile(prefix="examens-deliberation-", delete=False) as f:
            f.write(fragment)  # type: ignore[arg-type]
        fragment = Path(f.name)
    return [], fragment, _decompter(deliberations), empreintes, doublon


def _recolter(pids: list[int]) -> None:
    """Attend la fin des processus fils (dont on a déjà reçu le résultat) : pas de processus zombie."""
    while pids:
        os.waitpid(pids.pop(), 0)


def _en_parallele(n: int, entamer: Callable[[_Resultat], None] | None = None) -> tuple[list[_Resultat], list[int]]:
    """Le morceau 0 dans ce processus, les autres dans des fils (fork) : n cœurs occupés, n - 1 forks.

    Chaque fils renvoie son résultat (erreurs, fichier du fragment, décompte, empreintes) par un tube, en
    pickle, puis se termine par `os._exit` : ni pool, ni fils d'attente, ni finalisation de l'interpréteur.
    Rend aussi les pid des fils, à récolter (`_recolter`) une fois la sortie écrite : le noyau libère la
    mémoire d'un fils pendant que le parent écrit, au lieu de le faire attendre.
    """
    enfants: list[tuple[int, int]] = []
    try:
        for i in range(1, n):
            lecture, ecriture = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - processus fils (mesuré par les tests de bout en bout)
                os.close(lecture)
                code = 0
                try:
                    contenu = pickle.dumps(("ok", _travailler(i, en_fichier=True)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:
                    contenu = pickle.dumps(("erreur", f"{type(exc).__name__}: {exc}"))
                    code = 1
                with os.fdopen(ecriture, "wb") as f:
                    f.write(contenu)
                os._exit(code)
            os.close(ecriture)
            enfants.append((pid, lecture))
        resultats = [_travailler(0)]
        if entamer is not None:  # pendant que les fils finissent : le début du document est écrit
            entamer(resultats[0])
    finally:
        recus: list[tuple[str, Any]] = []
        for _, lecture in enfants:
            with os.fdopen(lecture, "rb") as f:
                contenu = f.read()  # jusqu'à la fermeture du tube par le fils : son résultat est complet
            recus.append(pickle.loads(contenu) if contenu else ("erreur", "processus fils interrompu"))
        if sys.exc_info()[0] is not None:  # le calcul du parent a échoué : les fils sont récoltés tout de suite
            _recolter([pid for pid, _ in enfants])
    pids = [pid for pid, _ in enfants]
    for etat, valeur in recus:
        if etat != "ok":
            _recolter(pids)
            raise RuntimeError(f"Délibération parallèle : un processus fils a échoué ({valeur}).")
        resultats.append(valeur)
    return resultats, pids


def _doublon_probable(resultats: list[_Resultat]) -> bool:
    """Un identifiant (par son empreinte) en double dans un morceau ou entre deux morceaux."""
    if any(r[4] for r in resultats):
        return True
    vus: set[int] | None = None
    for rang, r in enumerate(resultats):
        empreintes = r[3]
        if not isinstance(empreintes, bytes):
            autres: set[int] | array[int] = empreintes
        else:
            autres = array("q")
            autres.frombytes(empreintes)
        if vus is None:
            vus = set(autres) if isinstance(autres, array) else autres
            continue
        if not vus.isdisjoint(autres):
            return True
        if rang < len(resultats) - 1:
            vus.update(autres)
    return False


def deliberer_en_octets(
    tableau: Tableau,
    reglement: Reglement,
    fmt: str,
    *,
    processus: int | None = None,
    jetable: bool = False,
    destination: BinaryIO | None = None,
) -> tuple[RapportDeliberation, Sortie | None]:
    """Délibère et sérialise (json ou csv) ; les gros tableaux sont découpés entre les cœurs.

    Le rapport porte les erreurs, avertissements et le décompte (pas les délibérations : elles restent
    dans les processus fils). La sortie est None s'il y a la moindre erreur. `jetable` : le processus se
    termine juste après (commande `examens deliberer`) ; les lignes et délibérations du processus principal
    ne sont alors pas libérées une à une, ce qui prendrait plusieurs dizaines de millisecondes.

    `destination` (un fichier vide ouvert en écriture binaire) : en parallèle, le processus principal y écrit
    le début du document (en-tête et son propre morceau) dès qu'il a fini, pendant que les fils terminent ;
    la `Sortie` rendue est alors la suite, à écrire dans le même fichier. En cas d'erreur, le contenu de
    `destination` est à jeter (l'appelant écrit dans un fichier temporaire).
    """
    global _TRAVAIL, _JETABLE  # hérités par les processus fils du fork
    if fmt not in ("json", "csv"):
        raise ValueError(f"format {fmt!r} : json ou csv")
    rapport = RapportDeliberation(reglement.code)
    prep = _preparer(tableau, reglement, rapport)
    if prep is None:
        return rapport, None
    n = processus or os.cpu_count() or 1
    parallele = n > 1 and tableau.nombre_de_lignes >= SEUIL_PARALLELE and hasattr(os, "fork")
    morceaux: list[_Morceau]
    if not parallele:
        morceaux = [tableau.lignes]
    else:
        bruts = tableau.morceaux_bruts(n, poids_premier=POIDS_PRINCIPAL)
        if bruts is not None:
            morceaux = list(bruts)
        else:
            lignes = tableau.lignes
            taille = -(-len(lignes) // n)
            morceaux = [lignes[i : i + taille] for i in range(0, len(lignes), taille)]
    _TRAVAIL, _JETABLE = (tableau, reglement, prep, morceaux, fmt), jetable
    entame = False  # l'en-tête et le premier fragment sont déjà dans `destination`

    def entamer(premier: _Resultat) -> None:
        nonlocal entame
        if destination is None or premier[0] or not isinstance(premier[1], bytes):
            return
        destination.write(_entete_json(reglement.code) if fmt == "json" else _ENTETE_CSV)
        destination.write(premier[1])
        entame = True

    gc_actif = gc.isenabled()
    gc.disable()  # des centaines de milliers d'objets sans cycle : le ramasse-miettes ne ferait que ralentir
    try:
        pids: list[int] = []
        if parallele and len(morceaux) > 1:
            resultats, pids = _en_parallele(len(morceaux), entamer if destination is not None else None)
        else:
            resultats = [_travailler(i) for i in range(len(morceaux))]
    finally:
        _TRAVAIL, _JETABLE = None, False
        # Processus jetable : le ramasse-miettes reste coupé. Réactivé, sa première passe parcourrait les
        # millions d'objets créés pendant le calcul (≈ 150 ms) pour n'en libérer aucun.
        if gc_actif and not jetable:
            gc.enable()
    sortie = Sortie([r[1] for r in resultats if isinstance(r[1], Path)], pids)
    erreurs = [e for r in resultats for e in r[0]]
    if _doublon_probable(resultats):  # vérification exacte (rare)
        erreurs.extend(_doublons(tableau, prep, *_identifiants(prep, tableau.lignes)))
    erreurs.sort(key=lambda e: e[0])
    rapport.erreurs.extend(message for _, message in erreurs)
    if rapport.erreurs:
        sortie.abandonner()
        return rapport, None
    for r in resultats:
        for decision, nombre in r[2].items():
            rapport.decompte[decision] = rapport.decompte.get(decision, 0) + nombre
    fragments = [r[1] for r in resultats]
    if fmt == "json":
        return rapport, Sortie(_morceaux_json(reglement.code, fragments, rapport.resume(), entame=entame), pids)
    return rapport, Sortie(_morceaux_csv(fragments, entame=entame), pids)


def _erreur_controle(
    tableau: Tableau,
    numero: int,
    cid: str,
    resultats: dict[str, Resultat],
    parcours: Parcours,
    controle: dict[str, Resultat],
    cols_ctrl: list[_Colonne],
    reglement: Reglement,
) -> str:
    """Explique pourquoi les notes de contrôle d'une ligne ne conviennent pas (§4.4)."""
    remplies = [c for c in cols_ctrl if c.epreuve in controle]
    ou = tableau.position(numero, remplies[0].index) if remplies else tableau.position(numero)
    if len(remplies) > 1:
        ou = f"{tableau.position(numero)}, colonnes {', '.join(c.nom for c in remplies)}"
    d = deliberer_resultats(reglement, cid, resultats, parcours=parcours)
    if d.decision is Decision.ADMIS:
        moyenne = d.moyennes_affichees()[0]
        return f"{ou} : le candidat est admis au premier groupe (moyenne {_fr(moyenne)}) ; il ne passe pas de contrôle. Videz ces cellules."
    if d.decision is Decision.CONTROLE:
        return (
            f"{ou} : {len(controle)} note(s) de contrôle pour {d.nombre_epreuves_controle} attendue(s) "
            f"(parmi {', '.join(d.epreuves_controle_possibles)}, épreuves générales non dispensées)."
        )
    if d.decision is Decision.AJOURNE and d.motif is Motif.MOYENNE:
        generale, _, pro = d.moyennes_affichees()
        return (
            f"{ou} : le candidat n'est pas admissible au contrôle (moyenne générale {_fr(generale)}, moyenne "
            f"professionnelle {_fr(pro)} ; il faut au moins {_fr(reglement.deliberation.seuil_controle)} et "
            f"{_fr(reglement.deliberation.seuil_professionnel)}). Videz ces cellules."
        )
    raison = d.motif.label if d.motif else d.decision.label
    return f"{ou} : notes de contrôle pour un candidat non admissible ({raison}). Videz ces cellules."


# --- Écriture --------------------------------------------------------------------------------------


# Peu de valeurs distinctes (demi-points × coefficients entiers) : leurs textes JSON sont mémorisés.
_json_moyennes: dict[tuple[int, int], str] = {}
_json_points: dict[int, str] = {}
_json_unites: dict[tuple[str, ...], str] = {}


def _json_moyenne(n: int, d: int) -> str:
    texte = _json_moyennes[n, d] = f'"{arrondi_affichage(Fraction(n, d))}"'
    return texte


def _json_texte(texte: str) -> str:
    """Chaîne JSON : telle quelle si rien n'est à échapper (cas courant), sinon par orjson."""
    if '"' not in texte and "\\" not in texte and texte.isprintable():
        return f'"{texte}"'
    return orjson.dumps(texte).decode()


_JSON_DECISIONS: Final = {d: f'"{d.value}"' for d in Decision}
_JSON_MOTIFS: Final = {m: f'"{m.value}"' for m in Motif}


def fragment_json(deliberations: Sequence[Deliberation]) -> bytes:
    """Les candidats en JSON, un par ligne, sans les crochets (pour assembler des morceaux parallèles).

    Chaque ligne est écrite par un gabarit plutôt que par un dictionnaire sérialisé : deux fois plus
    rapide, et les textes des nombres viennent des mêmes fonctions exactes (`arrondi_affichage`). Les
    textes répétés (points, moyennes, unités, décisions) sont calculés une fois et retrouvés par dictionnaire.
    """
    lignes: list[str] = []
    ajouter = lignes.append
    moyennes, points_txt, unites_txt = _json_moyennes, _json_points, _json_unites
    decisions, motifs = _JSON_DECISIONS, _JSON_MOTIFS
    ajourne = Decision.AJOURNE
    for candidat, decision, motif, apres, p, diviseur, p1, pp, dp, avec, u, *_ in deliberations:
        points = points_txt.get(p)
        if points is None:
            points = points_txt[p] = format_centiemes(p)
        if avec:
            div = 100 * diviseur
            moyenne = moyennes.get((p, div)) or _json_moyenne(p, div)
            premier = moyenne if p1 == p else (moyennes.get((p1, div)) or _json_moyenne(p1, div))
            if dp:
                dpc = 100 * dp
                pro = moyennes.get((pp, dpc)) or _json_moyenne(pp, dpc)
            else:
                pro = "null"
        else:
            moyenne = premier = pro = "null"
        unites = unites_txt.get(u)
        if unites is None:
            unites = unites_txt[u] = orjson.dumps(u).decode()
        if '"' in candidat or "\\" in candidat or not candidat.isprintable():
            cand = orjson.dumps(candidat).decode()
        else:
            cand = f'"{candidat}"'
        ajouter(
            f'{{"candidat":{cand},"decision":{decisions[decision]},'
            f'"motif":{motifs[motif] if motif is not None and decision is ajourne else "null"},'
            f'"apres_controle":{"true" if apres else "false"},"points":"{points}",'
            f'"diviseur":{diviseur},"moyenne":{moyenne},"moyenne_premier_groupe":{premier},'
            f'"moyenne_professionnelle":{pro},"unites_obtenues":{unites}}}'
        )
    if not lignes:
        return b""
    return ("    " + ",\n    ".join(lignes)).encode("utf-8")


def _non_vide(fragment: bytes | Path) -> bool:
    return bool(fragment) if isinstance(fragment, bytes) else fragment.stat().st_size > 0


def _entete_json(reglement: str) -> bytes:
    return b'{\n  "reglement": ' + orjson.dumps(reglement) + b',\n  "candidats": [\n'


def _morceaux_json(
    reglement: str, fragments: Sequence[bytes | Path], resume: dict[str, int], *, entame: bool = False
) -> list[bytes | Path]:
    """Le document JSON : en-tête, fragments des candidats séparés par « ,\\n », résumé.

    `entame` : l'en-tête et le premier fragment sont déjà écrits ; seule la suite est rendue.
    """
    candidats: list[bytes | Path] = []
    deja = False  # un fragment non vide précède : le suivant commence par un séparateur
    for rang, fragment in enumerate(fragments):
        if not _non_vide(fragment):
            continue
        if deja:
            candidats.append(b",\n")
        deja = True
        if not (entame and rang == 0):
            candidats.append(fragment)
    return [
        *([] if entame else [_entete_json(reglement)]),
        *candidats,
        (b"\n  ],\n" if deja else b"],\n") + b'  "resume": ' + orjson.dumps(resume) + b"\n}\n",
    ]


def assembler_json(reglement: str, fragments: Sequence[bytes], resume: dict[str, int]) -> bytes:
    return Sortie(_morceaux_json(reglement, fragments, resume)).octets()


def ecrire_json(rapport: RapportDeliberation) -> bytes:
    return assembler_json(rapport.reglement, [fragment_json(rapport.deliberations)], rapport.resume())


ENTETES_FR = [
    "Candidat",
    "Décision",
    "Motif",
    "Après contrôle",
    "Points",
    "Diviseur",
    "Moyenne",
    "Moyenne du premier groupe",
    "Moyenne professionnelle",
    "Unités obtenues",
]

_DECISIONS_FR = {
    Decision.ADMIS: "Admis",
    Decision.AJOURNE: "Ajourné",
    Decision.CONTROLE: "Admissible au contrôle",
    Decision.INCOMPLET: "Parcours incomplet",
    Decision.EN_ATTENTE: "En attente",
}


def _ligne_fr(d: Deliberation) -> list[str]:
    moyenne, premier, pro = d.moyennes_affichees()
    motif = d.motif.label if d.motif is not None and d.decision is Decision.AJOURNE else ""
    return [
        d.candidat,
        _DECISIONS_FR[d.decision],
        motif,
        "oui" if d.apres_controle else "non",
        format_centiemes(d.points_centiemes, virgule=True),
        str(d.diviseur),
        _fr(moyenne) if moyenne else "",
        _fr(premier) if premier else "",
        _fr(pro) if pro else "",
        " ".join(d.unites_obtenues),
    ]


def fragment_csv(deliberations: Sequence[Deliberation]) -> bytes:
    sortie = io.StringIO(newline="")
    csv.writer(sortie, delimiter=";", lineterminator="\r\n").writerows(_ligne_fr(d) for d in deliberations)
    return sortie.getvalue().encode("utf-8")


_ENTETE_CSV: Final = b"\xef\xbb\xbf" + ";".join(ENTETES_FR).encode("utf-8") + b"\r\n"


def _morceaux_csv(fragments: Sequence[bytes | Path], *, entame: bool = False) -> list[bytes | Path]:
    """CSV pour Excel français : « ; », virgule décimale, UTF-8 avec BOM (`entame` : voir `_morceaux_json`)."""
    return list(fragments[1:]) if entame else [_ENTETE_CSV, *fragments]


def assembler_csv(fragments: Sequence[bytes]) -> bytes:
    return Sortie(_morceaux_csv(fragments)).octets()


def ecrire_csv(rapport: RapportDeliberation) -> bytes:
    return assembler_csv([fragment_csv(rapport.deliberations)])


def ecrire_xlsx(rapport: RapportDeliberation, chemin: Path) -> None:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Délibération")
    feuille.freeze_panes = "B2"
    entete = []
    for titre in ENTETES_FR:
        cellule = WriteOnlyCell(feuille, value=titre)
        cellule.font = Font(bold=True)
        entete.append(cellule)
    feuille.append(entete)
    for d in rapport.deliberations:
        ligne: list[object] = list(_ligne_fr(d))
        moyenne, premier, pro = d.moyennes_affichees()
        ligne[4] = Decimal(format_centiemes(d.points_centiemes))
        ligne[5] = d.diviseur
        ligne[6:9] = [Decimal(m) if m else None for m in (moyenne, premier, pro)]
        feuille.append(ligne)
    resume = classeur.create_sheet("Résumé")
    for cle, valeur in rapport.resume().items():
        resume.append([_RESUME_FR[cle], valeur])
    classeur.save(chemin)


_RESUME_FR = {
    "admis": "Admis",
    "ajourne": "Ajournés",
    "controle": "Admissibles au contrôle",
    "incomplet": "Parcours incomplets",
    "en_attente": "En attente",
    "total": "Total",
}
