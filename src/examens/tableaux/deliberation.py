"""Délibérer un tableau de notes : le contrat de `examens deliberer` (docs/formats/deliberation.md).

Valide toutes les cellules (toutes les erreurs sont rendues, avec ligne et colonne), délibère chaque
candidat avec le moteur de `examens.core`, puis écrit le résultat en JSON, CSV ou XLSX.
Les colonnes et les codes permis se déduisent du règlement : un autre BTS = un autre fichier de règlement.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import orjson

from examens.core.deliberation import (
    Decision,
    Deliberation,
    DeliberationImpossible,
    Motif,
    Parcours,
    deliberer_resultats,
)
from examens.core.reglement import Reglement
from examens.core.resultats import Etat, NoteInvalide, Resultat, format_centiemes, lire_note
from examens.tableaux.lecture import Tableau, iter_non_vides

PREFIXE_CONTROLE: Final = "CONTROLE_"


@dataclass(frozen=True, slots=True)
class _Invalide:
    message: str


_VIDE: Final = object()  # cellule vide
_Valeur = Resultat | _Invalide | object


@dataclass
class RapportDeliberation:
    """Ce que rend la délibération d'un tableau : les décisions, ou la liste complète des erreurs."""

    reglement: str
    deliberations: list[Deliberation] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    def resume(self) -> dict[str, int]:
        compte = {"admis": 0, "ajourne": 0, "controle": 0, "incomplet": 0}
        for d in self.deliberations:
            compte[d.decision.value] = compte.get(d.decision.value, 0) + 1
        compte["total"] = len(self.deliberations)
        return compte


@dataclass(frozen=True, slots=True)
class _Colonne:
    nom: str  # nom canonique (E1, CONTROLE_E1, LV2…)
    index: int
    epreuve: str
    codes: frozenset[Etat]
    lire: Callable[[str], _Valeur]


def _lecteur_de_cellule(reglement: Reglement, codes: frozenset[Etat]) -> Callable[[str], _Valeur]:
    """Fabrique la lecture d'une cellule pour une colonne, avec un cache (peu de valeurs distinctes)."""
    cache: dict[str, _Valeur] = {}
    maximum, pas = reglement.notes.maximum, reglement.notes.pas
    permis = ", ".join(sorted(c.value for c in codes))

    def lire(brut: str) -> _Valeur:
        v = cache.get(brut)
        if v is not None:
            return v
        texte = brut.strip()
        if not texte:
            v = _VIDE
        else:
            code = texte.upper()
            try:
                etat = Etat(code)
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
        return v

    return lire


def _fr(d: object) -> str:
    return str(d).replace(".", ",")


def _canonique(entete: str) -> str:
    return " ".join(entete.split()).upper()


def deliberer_tableau(tableau: Tableau, reglement: Reglement) -> RapportDeliberation:
    """Valide le tableau et délibère chaque candidat. En cas d'erreur, `deliberations` est vide."""
    rapport = RapportDeliberation(reglement.code)
    erreurs = rapport.erreurs

    # --- En-têtes ---
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
                f"{tableau.position(1, index[nom]).split('colonne ')[-1]}). Supprimez l'une des deux colonnes."
            )
            continue
        index[nom] = i
        if nom not in connues:
            rapport.avertissements.append(f"{tableau.position(1, i)} : colonne inconnue « {brut.strip()} », ignorée.")
    manquantes = [c for c in ["CANDIDAT", *obligatoires] if c not in index]
    if manquantes:
        noms = ", ".join(c.lower() if c == "CANDIDAT" else c for c in manquantes)
        ou = "en-tête (ligne 1)" if tableau.genre != "json" else "les objets de « candidats »"
        erreurs.append(f"Colonne(s) obligatoire(s) absente(s) de l'{ou} : {noms}. Ajoutez-les.")
        return rapport

    def colonne(nom: str, epreuve: str, codes: frozenset[Etat]) -> _Colonne:
        return _Colonne(nom, index[nom], epreuve, codes, _lecteur_de_cellule(reglement, codes))

    cols_obl = [colonne(c, c, reglement.epreuve(c).codes) for c in obligatoires]
    cols_fac = [colonne(c, c, reglement.epreuve(c).codes) for c in facultatives if c in index]
    codes_controle = frozenset({Etat.ABSENT, Etat.ABSENT_JUSTIFIE})
    cols_ctrl = [
        colonne(PREFIXE_CONTROLE + c, c, codes_controle)
        for c in reglement.controle.epreuves
        if PREFIXE_CONTROLE + c in index
    ]
    i_cand = index["CANDIDAT"]
    i_parc = index.get("PARCOURS")
    vus: dict[str, int] = {}
    position = tableau.position

    # --- Lignes ---
    for numero, cellules in iter_non_vides(tableau):
        n = len(cellules)
        erreurs_avant = len(erreurs)
        cid = cellules[i_cand].strip() if i_cand < n else ""
        if not cid:
            erreurs.append(f"{position(numero, i_cand)} : identifiant du candidat manquant. Renseignez la cellule.")
        elif cid in vus:
            erreurs.append(f"{position(numero, i_cand)} : le candidat « {cid} » figure déjà ligne {vus[cid]}.")
        else:
            vus[cid] = numero
        parcours = Parcours.GLOBALE
        if i_parc is not None and i_parc < n:
            brut = cellules[i_parc].strip().lower()
            if brut == "progressive":
                parcours = Parcours.PROGRESSIVE
            elif brut not in ("", "globale"):
                erreurs.append(
                    f"{position(numero, i_parc)} : parcours « {cellules[i_parc].strip()} » inconnu "
                    "(attendu : globale ou progressive)."
                )
        resultats: dict[str, Resultat] = {}
        for col in cols_obl:
            v = col.lire(cellules[col.index] if col.index < n else "")
            if v is _VIDE:
                if parcours is not Parcours.PROGRESSIVE:
                    erreurs.append(
                        f"{position(numero, col.index)} : cellule vide. Saisissez une note ou un code "
                        f"({', '.join(sorted(c.value for c in col.codes))}) ; une cellule vide n'est permise "
                        "qu'en parcours progressif."
                    )
            elif v.__class__ is _Invalide:
                erreurs.append(f"{position(numero, col.index)} : {v.message}")  # type: ignore[union-attr]
            else:
                resultats[col.epreuve] = v  # type: ignore[assignment]
        for col in cols_fac:
            v = col.lire(cellules[col.index] if col.index < n else "")
            if v.__class__ is _Invalide:
                erreurs.append(f"{position(numero, col.index)} : {v.message}")  # type: ignore[union-attr]
            elif v is not _VIDE:
                resultats[col.epreuve] = v  # type: ignore[assignment]
        controle: dict[str, Resultat] = {}
        for col in cols_ctrl:
            v = col.lire(cellules[col.index] if col.index < n else "")
            if v.__class__ is _Invalide:
                erreurs.append(f"{position(numero, col.index)} : {v.message}")  # type: ignore[union-attr]
            elif v is not _VIDE:
                if resultats.get(col.epreuve) is Etat.DISPENSE:
                    erreurs.append(
                        f"{position(numero, col.index)} : contrôle impossible, l'épreuve {col.epreuve} est "
                        "dispensée (DI). Videz la cellule."
                    )
                controle[col.epreuve] = v  # type: ignore[assignment]
        if len(erreurs) > erreurs_avant:
            continue
        try:
            d = deliberer_resultats(reglement, cid, resultats, parcours=parcours, controle=controle)
        except DeliberationImpossible:
            erreurs.append(_erreur_controle(tableau, numero, cid, resultats, parcours, controle, cols_ctrl, reglement))
            continue
        rapport.deliberations.append(d)
    if erreurs:
        rapport.deliberations.clear()
    return rapport


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


def _ligne(d: Deliberation) -> dict[str, object]:
    moyenne, premier, pro = d.moyennes_affichees()
    decision = d.decision
    return {
        "candidat": d.candidat,
        "decision": decision.value,
        "motif": d.motif.value if d.motif is not None and decision is Decision.AJOURNE else None,
        "apres_controle": d.apres_controle,
        "points": format_centiemes(d.points_centiemes),
        "diviseur": d.diviseur,
        "moyenne": moyenne,
        "moyenne_premier_groupe": premier,
        "moyenne_professionnelle": pro,
        "unites_obtenues": d.unites_obtenues,
    }


def ecrire_json(rapport: RapportDeliberation) -> bytes:
    document = {
        "reglement": rapport.reglement,
        "candidats": [_ligne(d) for d in rapport.deliberations],
        "resume": rapport.resume(),
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


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


def ecrire_csv(rapport: RapportDeliberation) -> bytes:
    """CSV pour Excel français : « ; », virgule décimale, UTF-8 avec BOM."""
    sortie = io.StringIO(newline="")
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    w.writerow(ENTETES_FR)
    w.writerows(_ligne_fr(d) for d in rapport.deliberations)
    return b"\xef\xbb\xbf" + sortie.getvalue().encode("utf-8")


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
