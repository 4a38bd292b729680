"""Lectures des écrans de délibération : la liste des jurys, la page d'un jury, la page d'un candidat.

Le jury délibère sur des **numéros d'anonymat** (Circ. 1.3, annexe III) : aucune de ces lectures ne rend le
nom, le numéro de candidat, l'établissement ou le centre d'un candidat ; un message du moteur qui cite un
numéro de candidat est réécrit avec le numéro d'anonymat (`anonymiser`).

Chaque fonction reçoit des ensembles **déjà filtrés par le périmètre** de l'utilisateur
(`comptes.permissions`) et lit la base en un nombre constant de requêtes, quel que soit le nombre de
candidats du jury (vérifié par tests/web/test_requetes_deliberation.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from examens.apps.candidats.models import Candidat
from examens.apps.dossiers.models import Piece
from examens.apps.editions.models import Version
from examens.apps.jury.anonymat import numeros_anonymes
from examens.apps.jury.models import Decision, DecisionJury, EtatDeliberation, ExamenLivret, Jury, MembreJury
from examens.apps.jury.services import avertissements_avant_signature, deliberer_candidat, etat_de, premier_groupe
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.models import Origine as OrigineBase
from examens.apps.notes.models import Resultat
from examens.apps.notes.selectors import entrees_de_deliberation
from examens.apps.planification.models import ChoixControle
from examens.core.deliberation import Decision as DecisionMoteur
from examens.core.deliberation import Deliberation, DeliberationImpossible
from examens.core.reglement import Domaine, Reglement
from examens.core.resultats import Etat, Note, Origine, format_centiemes

SANS_DECISION = "aucune"
LIVRET_A_EXAMINER = "livret_a_examiner"
MODELE_PV = "pv-deliberation"


def _fr(valeur: Decimal | str | None) -> str:
    """12.50 → « 12,5 » ; « 12.86 » → « 12,86 » ; None ou vide → « »."""
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, Decimal):
        texte = f"{valeur.normalize():f}"
    else:
        texte = str(valeur)
    return texte.replace(".", ",")


def anonymiser(texte: str, anonymes: Mapping[str, str]) -> str:
    """Remplace chaque numéro de candidat connu par son numéro d'anonymat (messages du moteur)."""
    if not anonymes:
        return texte
    motif = re.compile("|".join(re.escape(n) for n in sorted(anonymes, key=len, reverse=True)))
    return motif.sub(lambda m: anonymes[m.group(0)], texte)


# --- Liste des jurys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneJury:
    jury: Jury
    etat: EtatDeliberation
    candidats: int
    avertissements: list[str]


def jurys_a_deliberer(*, jurys: QuerySet[Jury]) -> list[LigneJury]:
    """Les jurys du périmètre, leur état et leur effectif (candidats non désistés). Requêtes : 5."""
    liste = list(jurys.select_related("session", "etat_deliberation").prefetch_related("membres").order_by("nom"))
    ids = [j.pk for j in liste]
    centres: dict[int, set[int]] = {}
    for jury_id, centre_id in Jury.centres.through.objects.filter(jury_id__in=ids).values_list("jury_id", "centre_id"):
        centres.setdefault(jury_id, set()).add(centre_id)
    tous = {c for cs in centres.values() for c in cs}
    par_centre = dict(
        Candidat.objects.filter(centre_id__in=tous, desiste_le__isnull=True)
        .filter(session_id__in={j.session_id for j in liste})
        .values("centre_id")
        .annotate(n=Count("id"))
        .values_list("centre_id", "n")
    )
    confies: Counter[int] = Counter()
    for jury_id, centre_id in Jury.candidats.through.objects.filter(
        jury_id__in=ids, candidat__desiste_le__isnull=True
    ).values_list("jury_id", "candidat__centre_id"):
        if centre_id not in centres.get(jury_id, set()):
            confies[jury_id] += 1
    return [
        LigneJury(
            jury=j,
            etat=etat_de(j),
            candidats=sum(par_centre.get(c, 0) for c in centres.get(j.pk, ())) + confies[j.pk],
            avertissements=avertissements_avant_signature(j),
        )
        for j in liste
    ]


# --- Page d'un jury ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneCandidatJury:
    candidat_id: int
    anonyme: str
    decision: str  # code de `jury.Decision`, ou « » sans décision
    motif: str = ""
    apres_controle: bool = False
    points: str = ""
    diviseur: int | None = None
    moyenne: str = ""
    moyenne_professionnelle: str = ""
    livret_fourni: bool = False
    livret_examine: bool = False


@dataclass
class PageJury:
    jury: Jury
    etat: EtatDeliberation
    avertissements: list[str]
    membres: list[MembreJury]
    total: int
    decompte: list[tuple[str, str, int]]  # (code, libellé, nombre), dans l'ordre des décisions
    livrets_a_examiner: int
    trouves: list[tuple[int, str]] = field(default_factory=list)  # (id, numéro d'anonymat), triés, filtrés
    pv: list[Version] = field(default_factory=list)


def page_du_jury(
    *, jury: Jury, candidats: QuerySet[Candidat], decision: str = "", texte: str = ""
) -> tuple[PageJury, dict[str, str]]:
    """Le jury, l'état de sa délibération, le décompte des décisions en vigueur, et ses candidats (identifiant,
    numéro d'anonymat) triés par numéro d'anonymat et filtrés (`decision` : un code, « aucune » ou
    « livret_a_examiner » ; `texte` : un morceau de numéro d'anonymat). Rend aussi numéro → anonymat.

    `candidats` : ceux du jury, dans le périmètre de l'utilisateur. Requêtes : 3 (plus la page, `lignes_de`)."""
    lignes = list(
        candidats.annotate(
            dv=FilteredRelation("decisions_jury", condition=Q(decisions_jury__en_vigueur=True)),
            decision_en_vigueur=F("dv__decision"),
            examine=Exists(ExamenLivret.objects.filter(candidat=OuterRef("pk"))),
        ).values_list("id", "numero", "decision_en_vigueur", "livret_scolaire", "examine")
    )
    anonymes = numeros_anonymes(jury.session.code, (numero for _, numero, *_ in lignes))
    compte = Counter(d or SANS_DECISION for _, _, d, _, _ in lignes)
    a_examiner = sum(1 for *_, fourni, examine in lignes if fourni and not examine)
    cherche = texte.strip().upper()
    trouves = sorted(
        (anonymes[numero], cid)
        for cid, numero, d, fourni, examine in lignes
        if (
            not decision
            or (decision == LIVRET_A_EXAMINER and fourni and not examine)
            or (d or SANS_DECISION) == decision
        )
        and (not cherche or cherche in anonymes[numero])
    )
    decompte = [(code, libelle, compte.get(code, 0)) for code, libelle in Decision.choices]
    decompte.append((SANS_DECISION, "sans décision", compte.get(SANS_DECISION, 0)))
    pv = list(
        Version.objects.filter(document__jury=jury, document__modele=MODELE_PV)
        .select_related("document")
        .order_by("-emise_le", "-pk")[:20]
    )
    page = PageJury(
        jury=jury,
        etat=etat_de(jury),
        avertissements=avertissements_avant_signature(jury),
        membres=list(jury.membres.all()),
        total=len(lignes),
        decompte=decompte,
        livrets_a_examiner=a_examiner,
        trouves=[(cid, anonyme) for anonyme, cid in trouves],
        pv=pv,
    )
    return page, anonymes


def lignes_de(elements: Iterable[tuple[int, str]]) -> list[LigneCandidatJury]:
    """Le détail d'une page de candidats (identifiant, numéro d'anonymat) : décision en vigueur, points,
    moyennes, livret. Requêtes : 1."""
    elements = list(elements)
    ids = [cid for cid, _ in elements]
    details = {
        v["id"]: v
        for v in Candidat.objects.filter(pk__in=ids)
        .annotate(
            dv=FilteredRelation("decisions_jury", condition=Q(decisions_jury__en_vigueur=True)),
            examine=Exists(ExamenLivret.objects.filter(candidat=OuterRef("pk"))),
        )
        .values(
            "id",
            "livret_scolaire",
            "examine",
            "dv__decision",
            "dv__motif",
            "dv__apres_controle",
            "dv__points",
            "dv__diviseur",
            "dv__moyenne",
            "dv__moyenne_professionnelle",
        )
    }
    motifs = dict(DecisionJury._meta.get_field("motif").choices or [])
    resultat = []
    for cid, anonyme in elements:
        v = details[cid]
        resultat.append(
            LigneCandidatJury(
                candidat_id=cid,
                anonyme=anonyme,
                decision=v["dv__decision"] or "",
                motif=str(motifs.get(v["dv__motif"], "")) if v["dv__motif"] else "",
                apres_controle=bool(v["dv__apres_controle"]),
                points="" if v["dv__points"] is None else f"{v['dv__points']:.2f}".replace(".", ","),
                diviseur=v["dv__diviseur"],
                moyenne=_fr(v["dv__moyenne"]),
                moyenne_professionnelle=_fr(v["dv__moyenne_professionnelle"]),
                livret_fourni=v["livret_scolaire"],
                livret_examine=v["examine"],
            )
        )
    return resultat


# --- Page d'un candidat ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneEpreuve:
    code: str
    intitule: str
    coefficient: int
    domaine: str
    facultative: bool
    examinateur: str  # « 12,5 », « AB », « DI », « non présentée »…
    origine: str  # « session en cours », « bénéfice 2020 »…
    suspendue: bool
    jury: str  # note après jury (points de jury)
    motif_jury: str
    controle: str
    retenue: str
    points: str  # coefficient × note retenue (facultative : points au-dessus de 10)
    relevable: bool  # une note de la session : le jury peut la relever


@dataclass(frozen=True)
class Calcul:
    """Le calcul du moteur, pour un candidat, tel qu'il s'affiche (exact, puis arrondi)."""

    decision: DecisionMoteur
    motif: str
    apres_controle: bool
    avec_moyenne: bool
    points: str
    diviseur: int
    moyenne_exacte: str  # « 251/21 »
    moyenne_developpee: str  # « 11,952380… »
    moyenne: str  # arrondie, demi vers le haut
    moyenne_premier_groupe: str
    points_professionnels: str
    diviseur_professionnel: int
    moyenne_professionnelle_exacte: str
    moyenne_professionnelle: str
    unites_obtenues: tuple[str, ...]
    epreuves_controle_possibles: tuple[str, ...]
    nombre_epreuves_controle: int


@dataclass
class FicheDeliberation:
    candidat_id: int
    anonyme: str
    livret_fourni: bool
    examen_livret: ExamenLivret | None
    livret_depose: dict[str, Any] | None  # le livret déposé en ligne : version, date, mention PIX déclarée
    epreuves: list[LigneEpreuve]
    calcul: Calcul | None
    erreur: str  # le moteur refuse de délibérer (donnée manquante) : le message, anonymisé
    avertissement: str
    en_vigueur: DecisionJury | None
    a_jour: bool  # la décision en vigueur est celle que donnent les notes actuelles
    historique: list[DecisionJury]
    premier_groupe: Calcul | None  # la décision du premier groupe, qui ouvre le contrôle
    choix_controle: list[str]
    controles: dict[str, str]  # épreuve → note de contrôle saisie (« 12,5 », « AB »)

    @property
    def admissible_controle(self) -> bool:
        return self.premier_groupe is not None and self.premier_groupe.decision is DecisionMoteur.CONTROLE

    @property
    def epreuves_relevables(self) -> list[LigneEpreuve]:
        return [e for e in self.epreuves if e.relevable]


def _developpee(f: Fraction, chiffres: int = 6) -> str:
    """La valeur décimale exacte, tronquée à `chiffres` décimales et suivie de « … » si elle continue."""
    entier, reste = divmod(f.numerator, f.denominator)
    if not reste:
        return str(entier)
    decimales, suite = divmod(reste * 10**chiffres, f.denominator)
    texte = f"{entier},{decimales:0{chiffres}d}"
    return f"{texte}…" if suite else texte.rstrip("0")


def _fraction(f: Fraction | None) -> str:
    if f is None:
        return ""
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def calcul_de(d: Deliberation, reglement: Reglement) -> Calcul:
    moyenne, premier, pro = d.moyennes_affichees(reglement.notes.decimales_moyenne)
    m = d.moyenne
    return Calcul(
        decision=d.decision,
        motif=d.motif.label if d.motif else "",
        apres_controle=d.apres_controle,
        avec_moyenne=d.avec_moyenne,
        points=format_centiemes(d.points_centiemes, virgule=True),
        diviseur=d.diviseur,
        moyenne_exacte=_fraction(m),
        moyenne_developpee=_developpee(m) if m is not None else "",
        moyenne=_fr(moyenne),
        moyenne_premier_groupe=_fr(premier),
        points_professionnels=format_centiemes(d.points_professionnels_centiemes, virgule=True),
        diviseur_professionnel=d.diviseur_professionnel,
        moyenne_professionnelle_exacte=_fraction(d.moyenne_professionnelle),
        moyenne_professionnelle=_fr(pro),
        unites_obtenues=d.unites_obtenues,
        epreuves_controle_possibles=d.epreuves_controle_possibles,
        nombre_epreuves_controle=d.nombre_epreuves_controle,
    )


def _texte_resultat(r: Any) -> str:
    if r is None:
        return ""
    if isinstance(r, Note):
        return format_centiemes(r.centiemes, virgule=True, minimal=True)
    return str(r.value if isinstance(r, Etat) else r)


def _origine(r: Any) -> str:
    if not isinstance(r, Note) or r.origine is Origine.SESSION:
        return "session"
    return f"{'bénéfice' if r.origine is Origine.BENEFICE else 'report'} {r.annee or ''}".strip()


def fiche_deliberation(*, candidat: Candidat, reglement: Reglement, anonyme: str) -> FicheDeliberation:
    """Tout ce que le jury voit d'un candidat, sans son identité : livret, notes et points de jury, le calcul du
    moteur (points, diviseur, moyenne exacte, moyenne professionnelle), la décision en vigueur et celle que donnent
    les notes actuelles, le contrôle. Requêtes : 12, quel que soit le dossier."""
    anonymes = {candidat.numero: anonyme}
    (entree,) = entrees_de_deliberation(candidats=Candidat.objects.filter(pk=candidat.pk), reglement=reglement)
    erreur = avertissement = ""
    calcul = premier = None
    deliberation: Deliberation | None = None
    try:
        deliberation, avertissement = deliberer_candidat(reglement, entree.entree)
        calcul = calcul_de(deliberation, reglement)
        premier = calcul_de(premier_groupe(reglement, entree.entree), reglement)
    except DeliberationImpossible as exc:
        erreur = anonymiser(exc.message, anonymes)
    avertissement = anonymiser(avertissement, anonymes)

    resultats = {r.epreuve: r for r in Resultat.objects.filter(candidat=candidat)}
    seuil_facultatif = int(reglement.deliberation.seuil_facultatif * 100)
    dispensees = {code for code, r in entree.entree.resultats.items() if r is Etat.DISPENSE}
    retenues = deliberation.notes_retenues if deliberation is not None else {}
    lignes = []
    for e in reglement.epreuves.values():
        r = entree.entree.resultats.get(e.code)
        base = resultats.get(e.code)
        if r is None and e.facultative:
            continue  # épreuve facultative non choisie
        controle = entree.entree.controle.get(e.code)
        retenue = retenues.get(e.code, r)
        points = ""
        if isinstance(retenue, Note):
            if e.facultative:
                points = format_centiemes(max(0, retenue.centiemes - seuil_facultatif), virgule=True)
            else:
                points = format_centiemes(retenue.centiemes * e.coefficient, virgule=True)
        elif retenue is Etat.ABSENT_JUSTIFIE:
            points = format_centiemes(0, virgule=True)
        lignes.append(
            LigneEpreuve(
                code=e.code,
                intitule=e.intitule,
                coefficient=e.coefficient,
                domaine=e.domaine.label if isinstance(e.domaine, Domaine) else str(e.domaine),
                facultative=e.facultative,
                examinateur=_texte_resultat(r) if r is not None else "non présentée",
                origine=_origine(r),
                suspendue=isinstance(r, Note) and r.suspendue,
                jury=_fr(base.note_jury) if base is not None and base.note_jury is not None else "",
                motif_jury=base.motif_jury if base is not None else "",
                controle=_texte_resultat(controle),
                retenue=_texte_resultat(retenue),
                points=points,
                relevable=base is not None
                and base.origine == OrigineBase.SESSION
                and base.etat == EtatBase.NOTE
                and e.code not in dispensees,
            )
        )
    decisions = list(DecisionJury.objects.filter(candidat=candidat).order_by("-decidee_le", "-pk")[:10])
    en_vigueur = next((d for d in decisions if d.en_vigueur), None)
    a_jour = (
        calcul is not None
        and en_vigueur is not None
        and en_vigueur.decision == calcul.decision.value
        and _fr(en_vigueur.moyenne) == calcul.moyenne
    )
    choix = ChoixControle.objects.filter(candidat=candidat).values_list("epreuves", flat=True).first()
    return FicheDeliberation(
        candidat_id=candidat.pk,
        anonyme=anonyme,
        livret_fourni=candidat.livret_scolaire,
        examen_livret=ExamenLivret.objects.filter(candidat=candidat).select_related("jury").first(),
        livret_depose=Piece.objects.filter(candidat=candidat, nature=Piece.Nature.LIVRET_SCOLAIRE)
        .order_by("-version")
        .values("version", "deposee_le", "mention_pix")
        .first(),
        epreuves=lignes,
        calcul=calcul,
        erreur=erreur,
        avertissement=avertissement,
        en_vigueur=en_vigueur,
        a_jour=a_jour,
        historique=decisions,
        premier_groupe=premier,
        choix_controle=list(choix or []),
        controles={code: _texte_resultat(r) for code, r in entree.entree.controle.items()},
    )
