"""Le règlement d'examen comme données : chargement et validation d'un fichier TOML.

Un fichier par spécialité et par session (`examens/core/reglements/*.toml`, format décrit dans
docs/formats/reglement.md). Chaque réglage marqué [décision] dans shared/reglement-bts-ndrc-2022.md est
une clé du fichier, jamais une constante du code. Le chargement refuse toute clé inconnue ou valeur
incohérente avec un message français qui nomme la clé fautive.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from examens.core.erreurs import ErreurExamens
from examens.core.resultats import Etat

DEFAULT_REGLEMENT = "bts-ndrc-2022"


class ReglementInvalide(ErreurExamens):
    """Le fichier de règlement est illisible ou incohérent."""

    code = "reglement_invalide"

    def __init__(self, source: str, erreurs: list[str]) -> None:
        self.source = source
        self.erreurs = erreurs
        lignes = "\n".join(f"  - {e}" for e in erreurs)
        super().__init__(
            f"Le règlement « {source} » est invalide ({len(erreurs)} erreur(s)) :\n{lignes}\n"
            "Corrigez le fichier puis relancez (format : docs/formats/reglement.md)."
        )


class Domaine(StrEnum):
    GENERAL = "general"
    PROFESSIONNEL = "professionnel"
    FACULTATIF = "facultatif"

    @property
    def label(self) -> str:
        return {"general": "domaine général", "professionnel": "domaine professionnel"}.get(
            self.value, "épreuve facultative"
        )


class TypeForme(StrEnum):
    ECRITE = "ecrite"
    ORALE = "orale"
    PRATIQUE = "pratique"
    CCF = "ccf"

    @property
    def ponctuelle(self) -> bool:
        return self is not TypeForme.CCF


class Annulation(StrEnum):
    """Cause de non-conformité d'un dossier (A.2008, Circ. 1.5), dans l'ordre de la circulaire."""

    NON_DEPOSE = "non_depose"
    DEPOT_TARDIF = "depot_tardif"
    DUREE_INSUFFISANTE = "duree_insuffisante"
    ATTESTATION_MANQUANTE = "attestation_manquante"
    NON_VISE_NON_SIGNE = "non_vise_non_signe"


class Decompte(StrEnum):
    JOURS_CALENDAIRES = "jours_calendaires"
    JOURS_OUVRES = "jours_ouvres"


@dataclass(frozen=True, slots=True)
class Phase:
    intitule: str
    duree_max_minutes: int


@dataclass(frozen=True, slots=True)
class Forme:
    type: TypeForme
    duree_minutes: int | None = None
    preparation_minutes: int = 0
    preparation_en_loge: bool = False
    situations: int | None = None
    phases: tuple[Phase, ...] = ()


@dataclass(frozen=True, slots=True)
class RegleCommission:
    membres: int
    bloc: int | None = None
    professionnel: bool = False


@dataclass(frozen=True, slots=True)
class Epreuve:
    code: str
    unite: str
    intitule: str
    domaine: Domaine
    coefficient: int  # 0 pour une épreuve facultative
    codes: frozenset[Etat]
    formes: Mapping[str, Forme]
    langue: bool = False
    langue_differente_de: str | None = None
    poste: bool = False
    sujet: bool = False
    dossier: bool = False
    suit: str | None = None
    commission: RegleCommission | None = None

    @property
    def facultative(self) -> bool:
        return self.domaine is Domaine.FACULTATIF


@dataclass(frozen=True, slots=True)
class Unite:
    code: str
    intitule: str
    domaine: Domaine
    dispensable: bool
    epreuves: tuple[str, ...]
    bloc: int | None = None


@dataclass(frozen=True, slots=True)
class ReglesNotes:
    maximum: Decimal
    pas: Decimal
    arrondi_ccf: str
    decimales_moyenne: int


@dataclass(frozen=True, slots=True)
class ReglesDeliberation:
    seuil_admission: Decimal
    seuil_controle: Decimal
    seuil_professionnel: Decimal
    seuil_facultatif: Decimal
    facultatives_dans_moyenne_controle: bool
    absence_facultative_sanctionnee: bool


@dataclass(frozen=True, slots=True)
class ReglesControle:
    epreuves: tuple[str, ...]
    nombre: int
    nombre_reduit_si_moins_d_epreuves: bool
    preparation_minutes: int
    duree_minutes: int
    note_retenue_pour_unites: bool


@dataclass(frozen=True, slots=True)
class ReglesConservation:
    duree_annees: int
    seuil_benefice: Decimal
    report_notes_inferieures_en_progressive: bool
    note_unite_composee: str


@dataclass(frozen=True, slots=True)
class ReglesConformite:
    epreuves_avec_dossier: tuple[str, ...]
    # cause -> épreuves annulées ; None = l'épreuve du dossier concerné
    annulation: Mapping[Annulation, tuple[str, ...] | None]


@dataclass(frozen=True, slots=True)
class ReglesStage:
    semaines_requises: int
    semaines_reduites: int
    plancher_validation_semaines: int | None
    decompte: Decompte
    unites_dispensant_de_stage: tuple[str, ...]
    experience_professionnelle_annees: int


@dataclass(frozen=True, slots=True)
class ReglesDossierE4:
    fiches_min: int
    natures_distinctes: tuple[str, ...]
    annexe_offre_pages_max: int


@dataclass(frozen=True, slots=True)
class ReglesDossierE6:
    fiches_min: int
    types_reseau_distincts: tuple[str, ...]
    fiches_reelles_min: int
    etude_reflexive_pages_max: int
    dossier_professionnel_pages_max: int
    pole: int


@dataclass(frozen=True, slots=True)
class ReglesOrganisation:
    conflit_etablissement_ponctuelle: bool
    ecrits_meme_instant: bool
    temps_de_loge_partout: bool


@dataclass(frozen=True, slots=True)
class ReglesCalculatrices:
    non_programmable_sans_memoire_alphanumerique: bool
    mode_examen_exige: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Categorie:
    code: str
    intitule: str
    situations: tuple[str, ...]


@dataclass(frozen=True)
class Reglement:
    """Un règlement d'examen validé. Immuable ; se charge avec `load_reglement`."""

    code: str
    specialite: str
    session: int
    academie_pilote: str
    notes: ReglesNotes
    deliberation: ReglesDeliberation
    controle: ReglesControle
    conservation: ReglesConservation
    conformite: ReglesConformite
    stage: ReglesStage
    dossier_e4: ReglesDossierE4
    dossier_e6: ReglesDossierE6
    calculatrices: ReglesCalculatrices
    organisation: ReglesOrganisation
    unites: Mapping[str, Unite]
    epreuves: Mapping[str, Epreuve]  # dans l'ordre du fichier
    categories: Mapping[str, Categorie]
    source: str = field(default="", compare=False)

    def epreuve(self, code: str) -> Epreuve:
        try:
            return self.epreuves[code]
        except KeyError:
            raise KeyError(f"Épreuve inconnue du règlement {self.code} : « {code} ».") from None

    @property
    def obligatoires(self) -> tuple[Epreuve, ...]:
        return tuple(e for e in self.epreuves.values() if not e.facultative)

    @property
    def facultatives(self) -> tuple[Epreuve, ...]:
        return tuple(e for e in self.epreuves.values() if e.facultative)

    @property
    def somme_coefficients(self) -> int:
        return sum(e.coefficient for e in self.obligatoires)

    def categorie_de(self, situation: str) -> Categorie:
        """Catégorie (A ou C) d'un candidat selon sa situation de préparation (CE D643-19)."""
        for categorie in self.categories.values():
            if situation in categorie.situations:
                return categorie
        connues = ", ".join(s for c in self.categories.values() for s in c.situations)
        raise KeyError(f"Situation de préparation inconnue : « {situation} » (attendu : {connues}).")

    def unites_obligatoires(self) -> tuple[Unite, ...]:
        return tuple(u for u in self.unites.values() if u.domaine is not Domaine.FACULTATIF)


# --- Lecture validée -------------------------------------------------------------------------------


class _Lecteur:
    """Lit un tableau TOML en accumulant les erreurs, chacune avec le chemin de la clé."""

    def __init__(self, erreurs: list[str], data: Mapping[str, Any], chemin: str) -> None:
        self.erreurs = erreurs
        self.data = data
        self.chemin = chemin
        self.lues: set[str] = set()

    def _nom(self, cle: str) -> str:
        return f"{self.chemin}.{cle}" if self.chemin else cle

    def erreur(self, cle: str, message: str) -> None:
        self.erreurs.append(f"clé `{self._nom(cle)}` : {message}")

    def brut(self, cle: str, *, requis: bool = True) -> Any:
        self.lues.add(cle)
        if cle not in self.data:
            if requis:
                self.erreurs.append(f"clé `{self._nom(cle)}` absente : ajoutez-la.")
            return None
        return self.data[cle]

    def texte(self, cle: str, *, requis: bool = True, defaut: str | None = None) -> str:
        v = self.brut(cle, requis=requis)
        if v is None:
            return defaut or ""
        if not isinstance(v, str) or not v.strip():
            self.erreur(cle, f"un texte non vide est attendu (trouvé : {v!r}).")
            return ""
        return v

    def entier(self, cle: str, *, requis: bool = True, defaut: int | None = None, minimum: int = 0) -> int:
        v = self.brut(cle, requis=requis)
        if v is None:
            return defaut if defaut is not None else 0
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            self.erreur(cle, f"un entier ≥ {minimum} est attendu (trouvé : {v!r}).")
            return defaut if defaut is not None else 0
        return v

    def booleen(self, cle: str, *, requis: bool = True, defaut: bool = False) -> bool:
        v = self.brut(cle, requis=requis)
        if v is None:
            return defaut
        if not isinstance(v, bool):
            self.erreur(cle, f"true ou false est attendu (trouvé : {v!r}).")
            return defaut
        return v

    def decimal(self, cle: str) -> Decimal:
        v = self.brut(cle)
        if v is None:
            return Decimal(0)
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            self.erreur(cle, f'un nombre écrit entre guillemets est attendu, par ex. "10" (trouvé : {v!r}).')
            return Decimal(0)
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            self.erreur(cle, f"« {v} » n'est pas un nombre décimal.")
            return Decimal(0)
        if not d.is_finite() or d < 0:
            self.erreur(cle, f"« {v} » doit être un nombre positif ou nul.")
            return Decimal(0)
        return d

    def liste_textes(self, cle: str, *, requis: bool = True) -> tuple[str, ...]:
        v = self.brut(cle, requis=requis)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            self.erreur(cle, f"une liste de textes est attendue (trouvé : {v!r}).")
            return ()
        if len(set(v)) != len(v):
            self.erreur(cle, "la liste contient des doublons.")
        return tuple(v)

    def table(self, cle: str, *, requis: bool = True) -> _Lecteur:
        v = self.brut(cle, requis=requis)
        if v is None:
            return _Lecteur(self.erreurs, {}, self._nom(cle))
        if not isinstance(v, dict):
            self.erreur(cle, "une table TOML est attendue.")
            return _Lecteur(self.erreurs, {}, self._nom(cle))
        return _Lecteur(self.erreurs, v, self._nom(cle))

    def tables(self, cle: str) -> Iterator[_Lecteur]:
        v = self.brut(cle)
        if v is None:
            return
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            self.erreur(cle, "un tableau de tables ([[...]]) est attendu.")
            return
        for i, item in enumerate(v):
            yield _Lecteur(self.erreurs, item, f"{self._nom(cle)}[{i}]")

    def fin(self) -> None:
        """Refuse les clés inconnues (une faute de frappe ne doit pas passer inaperçue)."""
        for cle in self.data:
            if cle not in self.lues:
                self.erreurs.append(f"clé `{self._nom(cle)}` inconnue : supprimez-la ou corrigez son nom.")


_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _lire_forme(t: _Lecteur) -> Forme:
    type_txt = t.texte("forme")
    try:
        type_forme = TypeForme(type_txt)
    except ValueError:
        t.erreur("forme", f"« {type_txt} » inconnue (attendu : ecrite, orale, pratique ou ccf).")
        type_forme = TypeForme.ECRITE
    phases = []
    for p in t.tables("phases") if "phases" in t.data else ():
        phases.append(Phase(p.texte("intitule"), p.entier("duree_max_minutes", minimum=1)))
        p.fin()
    t.lues.add("phases")
    forme = Forme(
        type=type_forme,
        duree_minutes=t.entier("duree_minutes", requis=type_forme is not TypeForme.CCF, minimum=1)
        if type_forme is not TypeForme.CCF or "duree_minutes" in t.data
        else None,
        preparation_minutes=t.entier("preparation_minutes", requis=False, defaut=0),
        preparation_en_loge=t.booleen("preparation_en_loge", requis=False),
        situations=t.entier("situations", requis=type_forme is TypeForme.CCF, minimum=1)
        if type_forme is TypeForme.CCF
        else None,
        phases=tuple(phases),
    )
    t.fin()
    if phases and forme.duree_minutes is not None:
        total = sum(p.duree_max_minutes for p in phases)
        if total > forme.duree_minutes:
            t.erreur("phases", f"la somme des phases ({total} min) dépasse la durée ({forme.duree_minutes} min).")
    return forme


def _parse(data: Mapping[str, Any], source: str) -> Reglement:
    erreurs: list[str] = []
    r = _Lecteur(erreurs, data, "")
    fmt = r.texte("format")
    if fmt and fmt != "examens/reglement@1":
        r.erreur("format", f"« {fmt} » non pris en charge (attendu : examens/reglement@1).")
    code = r.texte("code")
    specialite = r.texte("specialite")
    session = r.entier("session", minimum=1900)
    pilote = r.texte("academie_pilote", requis=False)

    n = r.table("notes")
    notes = ReglesNotes(n.decimal("maximum"), n.decimal("pas"), n.texte("arrondi_ccf"), n.entier("decimales_moyenne"))
    n.fin()
    if notes.pas <= 0 or (notes.pas * 100) % 1 != 0:
        n.erreur("pas", f"« {notes.pas} » : le pas doit être positif et multiple de 0,01.")
    elif notes.maximum % notes.pas != 0:
        n.erreur("maximum", f"« {notes.maximum} » n'est pas un multiple du pas {notes.pas}.")
    if notes.arrondi_ccf not in ("superieur", "plus_proche"):
        n.erreur("arrondi_ccf", f"« {notes.arrondi_ccf} » inconnu (attendu : superieur ou plus_proche).")

    d = r.table("deliberation")
    deliberation = ReglesDeliberation(
        d.decimal("seuil_admission"),
        d.decimal("seuil_controle"),
        d.decimal("seuil_professionnel"),
        d.decimal("seuil_facultatif"),
        d.booleen("facultatives_dans_moyenne_controle"),
        d.booleen("absence_facultative_sanctionnee"),
    )
    d.fin()

    c = r.table("controle")
    controle = ReglesControle(
        c.liste_textes("epreuves"),
        c.entier("nombre", minimum=1),
        c.booleen("nombre_reduit_si_moins_d_epreuves"),
        c.entier("preparation_minutes"),
        c.entier("duree_minutes", minimum=1),
        c.booleen("note_retenue_pour_unites"),
    )
    c.fin()

    k = r.table("conservation")
    conservation = ReglesConservation(
        k.entier("duree_annees", minimum=1),
        k.decimal("seuil_benefice"),
        k.booleen("report_notes_inferieures_en_progressive"),
        k.texte("note_unite_composee"),
    )
    k.fin()
    if conservation.note_unite_composee != "moyenne_des_parties":
        k.erreur("note_unite_composee", "seule la valeur « moyenne_des_parties » est prise en charge.")

    cf = r.table("conformite")
    epreuves_avec_dossier = cf.liste_textes("epreuves_avec_dossier")
    a = cf.table("annulation")
    annulation: dict[Annulation, tuple[str, ...] | None] = {}
    for cause in Annulation:
        v = a.brut(cause.value)
        if v == "epreuve_du_dossier":
            annulation[cause] = None
        elif isinstance(v, list) and all(isinstance(x, str) for x in v) and v:
            annulation[cause] = tuple(v)
        elif v is not None:
            a.erreur(cause.value, 'attendu : "epreuve_du_dossier" ou une liste d\'épreuves.')
    a.fin()
    cf.fin()
    conformite = ReglesConformite(epreuves_avec_dossier, annulation)

    s = r.table("stage")
    decompte_txt = s.texte("decompte")
    try:
        decompte = Decompte(decompte_txt)
    except ValueError:
        s.erreur("decompte", f"« {decompte_txt} » inconnu (attendu : jours_calendaires ou jours_ouvres).")
        decompte = Decompte.JOURS_CALENDAIRES
    stage = ReglesStage(
        s.entier("semaines_requises", minimum=1),
        s.entier("semaines_reduites", minimum=1),
        s.entier("plancher_validation_semaines", requis=False, minimum=1)
        if "plancher_validation_semaines" in s.data
        else None,
        decompte,
        s.liste_textes("unites_dispensant_de_stage"),
        s.entier("experience_professionnelle_annees", minimum=1),
    )
    s.lues.add("plancher_validation_semaines")
    s.fin()
    if stage.semaines_reduites > stage.semaines_requises:
        s.erreur("semaines_reduites", "la durée réduite dépasse la durée requise.")
    if stage.plancher_validation_semaines is not None and stage.plancher_validation_semaines > stage.semaines_reduites:
        s.erreur("plancher_validation_semaines", "le plancher dépasse la durée réduite.")

    ds = r.table("dossiers")
    e4 = ds.table("E4")
    dossier_e4 = ReglesDossierE4(
        e4.entier("fiches_min"), e4.liste_textes("natures_distinctes"), e4.entier("annexe_offre_pages_max")
    )
    e4.fin()
    e6 = ds.table("E6")
    dossier_e6 = ReglesDossierE6(
        e6.entier("fiches_min"),
        e6.liste_textes("types_reseau_distincts"),
        e6.entier("fiches_reelles_min"),
        e6.entier("etude_reflexive_pages_max"),
        e6.entier("dossier_professionnel_pages_max"),
        e6.entier("pole"),
    )
    e6.fin()
    ds.fin()

    org = r.table("organisation")
    organisation = ReglesOrganisation(
        org.booleen("conflit_etablissement_ponctuelle"),
        org.booleen("ecrits_meme_instant"),
        org.booleen("temps_de_loge_partout"),
    )
    org.fin()

    cal = r.table("calculatrices")
    calculatrices = ReglesCalculatrices(
        cal.booleen("non_programmable_sans_memoire_alphanumerique"), cal.liste_textes("mode_examen_exige")
    )
    cal.fin()
    inconnues = set(calculatrices.mode_examen_exige) - set(CONDITIONS_MODE_EXAMEN)
    if inconnues:
        cal.erreur("mode_examen_exige", f"conditions inconnues : {', '.join(sorted(inconnues))}.")

    unites: dict[str, Unite] = {}
    for u in r.tables("unites"):
        ucode = u.texte("code")
        dom_txt = u.texte("domaine")
        try:
            dom = Domaine(dom_txt)
        except ValueError:
            u.erreur("domaine", f"« {dom_txt} » inconnu (attendu : general, professionnel ou facultatif).")
            dom = Domaine.GENERAL
        unite = Unite(
            ucode,
            u.texte("intitule"),
            dom,
            u.booleen("dispensable"),
            u.liste_textes("epreuves"),
            u.entier("bloc", requis=False, minimum=1) if "bloc" in u.data else None,
        )
        u.lues.add("bloc")
        u.fin()
        if ucode in unites:
            u.erreur("code", f"l'unité « {ucode} » est déclarée deux fois.")
        unites[ucode] = unite

    epreuves: dict[str, Epreuve] = {}
    for e in r.tables("epreuves"):
        ecode = e.texte("code")
        if ecode and not _CODE.match(ecode):
            e.erreur("code", f"« {ecode} » : un code d'épreuve s'écrit en majuscules (ex. E5B).")
        ucode = e.texte("unite")
        unite_de = unites.get(ucode)
        if unite_de is None and ucode:
            e.erreur("unite", f"l'unité « {ucode} » n'est pas déclarée dans [[unites]].")
        elif unite_de is not None and ecode not in unite_de.epreuves:
            e.erreur("unite", f"l'unité « {ucode} » ne liste pas l'épreuve « {ecode} ».")
        domaine = unite_de.domaine if unite_de else Domaine.GENERAL
        facultative = e.booleen("facultative", requis=False)
        if facultative != (domaine is Domaine.FACULTATIF):
            e.erreur("facultative", "doit valoir true exactement pour les épreuves d'une unité facultative.")
        coefficient = 0 if facultative else e.entier("coefficient", minimum=1)
        if facultative:
            e.lues.add("coefficient")
            if "coefficient" in e.data:
                e.erreur(
                    "coefficient",
                    "une épreuve facultative n'a pas de coefficient (seuls les points au-dessus du seuil comptent).",
                )
        codes: set[Etat] = set()
        for txt in e.liste_textes("codes"):
            try:
                etat = Etat(txt)
            except ValueError:
                e.erreur("codes", f"code « {txt} » inconnu (attendu : AB, ABJ, NV, DI).")
                continue
            codes.add(etat)
        if Etat.DISPENSE in codes and not (unite_de and unite_de.dispensable):
            e.erreur("codes", f"DI n'est permis que pour une unité dispensable ; « {ucode} » ne l'est pas.")
        formes_t = e.table("formes")
        formes: dict[str, Forme] = {}
        for cat in formes_t.data:
            formes_t.lues.add(cat)
            formes[cat] = _lire_forme(formes_t.table(cat))
        formes_t.fin()
        commission = None
        if "commission" in e.data:
            ct = e.table("commission")
            commission = RegleCommission(
                ct.entier("membres", minimum=1),
                ct.entier("bloc", requis=False, minimum=1) if "bloc" in ct.data else None,
                ct.booleen("professionnel", requis=False),
            )
            ct.lues.add("bloc")
            ct.fin()
        e.lues.add("commission")
        epreuve = Epreuve(
            code=ecode,
            unite=ucode,
            intitule=e.texte("intitule"),
            domaine=domaine,
            coefficient=coefficient,
            codes=frozenset(codes),
            formes=formes,
            langue=e.booleen("langue", requis=False),
            langue_differente_de=e.texte("langue_differente_de", requis=False) or None,
            poste=e.booleen("poste", requis=False),
            sujet=e.booleen("sujet", requis=False),
            dossier=e.booleen("dossier", requis=False),
            suit=e.texte("suit", requis=False) or None,
            commission=commission,
        )
        e.fin()
        if ecode in epreuves:
            e.erreur("code", f"l'épreuve « {ecode} » est déclarée deux fois.")
        epreuves[ecode] = epreuve

    categories: dict[str, Categorie] = {}
    cats = r.table("categories")
    for cat_code in cats.data:
        cats.lues.add(cat_code)
        ct = cats.table(cat_code)
        categories[cat_code] = Categorie(cat_code, ct.texte("intitule"), ct.liste_textes("situations"))
        ct.fin()
    cats.fin()
    r.fin()

    # Cohérence entre sections.
    for unite_declaree in unites.values():
        for ecode in unite_declaree.epreuves:
            if ecode not in epreuves:
                erreurs.append(
                    f"unité « {unite_declaree.code} » : l'épreuve « {ecode} » n'est pas déclarée dans [[epreuves]]."
                )
    for ep in epreuves.values():
        for ref, nom in ((ep.suit, "suit"), (ep.langue_differente_de, "langue_differente_de")):
            if ref is not None and ref not in epreuves:
                erreurs.append(f"épreuve « {ep.code} », clé `{nom}` : l'épreuve « {ref} » n'existe pas.")
        for cat in ep.formes:
            if categories and cat not in categories:
                erreurs.append(
                    f"épreuve « {ep.code} » : forme pour une catégorie « {cat} » non déclarée dans [categories]."
                )
    for ecode in controle.epreuves:
        ep_ctrl = epreuves.get(ecode)
        if ep_ctrl is None or ep_ctrl.domaine is not Domaine.GENERAL:
            erreurs.append(f"clé `controle.epreuves` : « {ecode} » n'est pas une épreuve du domaine général.")
    for ecode in epreuves_avec_dossier:
        if ecode not in epreuves:
            erreurs.append(f"clé `conformite.epreuves_avec_dossier` : l'épreuve « {ecode} » n'existe pas.")
    for cause, liste in annulation.items():
        for ecode in liste or ():
            if ecode not in epreuves:
                erreurs.append(f"clé `conformite.annulation.{cause.value}` : l'épreuve « {ecode} » n'existe pas.")
    for ucode in stage.unites_dispensant_de_stage:
        if ucode not in unites:
            erreurs.append(f"clé `stage.unites_dispensant_de_stage` : l'unité « {ucode} » n'existe pas.")
    vues: dict[str, str] = {}
    for categorie in categories.values():
        for sit in categorie.situations:
            if sit in vues:
                erreurs.append(f"situation « {sit} » présente dans les catégories {vues[sit]} et {categorie.code}.")
            vues[sit] = categorie.code
    if not any(not ep.facultative for ep in epreuves.values()):
        erreurs.append("aucune épreuve obligatoire n'est déclarée.")

    if erreurs:
        raise ReglementInvalide(source, erreurs)
    return Reglement(
        code=code,
        specialite=specialite,
        session=session,
        academie_pilote=pilote,
        notes=notes,
        deliberation=deliberation,
        controle=controle,
        conservation=conservation,
        conformite=conformite,
        stage=stage,
        dossier_e4=dossier_e4,
        dossier_e6=dossier_e6,
        calculatrices=calculatrices,
        organisation=organisation,
        unites=unites,
        epreuves=epreuves,
        categories=categories,
        source=source,
    )


CONDITIONS_MODE_EXAMEN = (
    "neutralisation_memoire",
    "blocage_transmissions",
    "voyant_clignotant",
    "non_reversible",
)


def parse_reglement(texte: str, *, source: str = "<texte>") -> Reglement:
    """Valide un règlement écrit en TOML. Lève `ReglementInvalide` avec toutes les erreurs trouvées."""
    try:
        data = tomllib.loads(texte)
    except tomllib.TOMLDecodeError as exc:
        raise ReglementInvalide(source, [_traduire_erreur_toml(exc)]) from None
    return _parse(data, source)


def load_reglement(chemin: str | Path) -> Reglement:
    """Charge un fichier de règlement (chemin) ou un règlement fourni (code, ex. « bts-ndrc-2022 »)."""
    p = Path(chemin)
    if p.suffix != ".toml" and not p.exists():
        return reglement_fourni(str(chemin))
    try:
        texte = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReglementInvalide(str(p), ["fichier introuvable."]) from None
    except UnicodeDecodeError:
        raise ReglementInvalide(str(p), ["le fichier doit être encodé en UTF-8."]) from None
    return parse_reglement(texte, source=str(p))


# Les règlements livrés, à côté de ce module (le paquet est toujours installé décompressé) ; lus par chemin
# plutôt que par importlib.resources, dont l'import (zipfile, bz2, lzma…) ralentirait chaque commande.
_REGLEMENTS_FOURNIS = Path(__file__).resolve().parent / "reglements"


@cache
def reglement_fourni(code: str = DEFAULT_REGLEMENT) -> Reglement:
    """Un règlement livré avec examens (dossier examens/core/reglements)."""
    fichier = _REGLEMENTS_FOURNIS / f"{code}.toml"
    if not fichier.is_file():
        disponibles = ", ".join(sorted(reglements_fournis()))
        raise ReglementInvalide(code, [f"règlement inconnu (disponibles : {disponibles})."])
    return parse_reglement(fichier.read_text(encoding="utf-8"), source=f"{code}.toml")


def reglements_fournis() -> list[str]:
    return sorted(f.name.removesuffix(".toml") for f in _REGLEMENTS_FOURNIS.iterdir() if f.name.endswith(".toml"))


def _traduire_erreur_toml(exc: tomllib.TOMLDecodeError) -> str:
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    msg = getattr(exc, "msg", str(exc))
    if lineno is None:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        if m:
            lineno, colno = int(m.group(1)), int(m.group(2))
    ou = f"ligne {lineno}, colonne {colno}" if lineno else "position inconnue"
    msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
    detail = next((fr for en, fr in _ERREURS_TOML if msg.startswith(en)), msg)
    return f"{ou} : syntaxe TOML invalide ({detail}) ; vérifiez les guillemets, crochets et signes =."


_ERREURS_TOML = (
    ("Invalid value", "valeur invalide : un texte s'écrit entre guillemets"),
    ("Expected '=' after a key", "« = » attendu après la clé"),
    ("Cannot overwrite a value", "clé déjà définie"),
    ("Cannot declare", "table déjà déclarée"),
    ("Unclosed array", "liste non fermée : « ] » manquant"),
    ("Unclosed inline table", "table en ligne non fermée : « } » manquant"),
    ("Unterminated string", "texte non fermé : guillemet manquant"),
    ("Invalid statement", "instruction invalide"),
    ("Expected newline or end of document", "fin de ligne attendue après la valeur"),
    ("Invalid initial character for a key part", "caractère invalide au début d'une clé"),
)
