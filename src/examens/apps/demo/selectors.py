"""Lectures de la démonstration : délibérer la session depuis la base avec le moteur pur, et en faire le bilan.

Sert de repli tant que les services de conformité et de jury ne sont pas disponibles, et aux tests : les
résultats en base deviennent les entrées de `examens.core.deliberation.deliberer` ; la conformité des
dossiers (§6-§7) peut être appliquée en mémoire par `examens.core.conformite` (NV, sans rien écrire).
Requêtes en nombre constant (lectures en tuples), quel que soit le nombre de candidats.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.dossiers.models import Dossier, FicheActivite
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from examens.core import conformite as C
from examens.core.deliberation import (
    CandidatADeliberer,
    Decision,
    Deliberation,
    DeliberationImpossible,
    Parcours,
    deliberer,
)
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, Note, Origine, centiemes

M = Candidat.ModePreparation


@dataclass
class BilanDeliberation:
    """Décisions de la session, par académie, catégorie et mode de préparation."""

    total: int = 0
    par_decision: Counter[str] = field(default_factory=Counter)
    par_motif: Counter[str] = field(default_factory=Counter)
    par_academie: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    par_categorie: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    par_mode: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    erreurs: list[str] = field(default_factory=list)

    @property
    def avec_decision(self) -> int:
        """Candidats qui reçoivent une décision de diplôme (parcours progressifs incomplets exclus)."""
        return self.total - self.par_decision[Decision.INCOMPLET.value]

    @property
    def taux_admission(self) -> float:
        return self.par_decision[Decision.ADMIS.value] / self.avec_decision if self.avec_decision else 0.0


def _situation_stage(mode: str, unites_acquises: list[str], reglement: object) -> C.SituationStage:
    if C.dispense_de_stage(unites_acquises, reglement):  # type: ignore[arg-type]
        return C.SituationStage.DISPENSE
    if mode == M.EXPERIENCE_PROFESSIONNELLE:
        return C.SituationStage.EXPERIENCE_PROFESSIONNELLE
    if mode == M.APPRENTI:
        return C.SituationStage.APPRENTI_OU_SALARIE
    return C.SituationStage.NORMALE


def non_valides_en_memoire(*, session: ExamSession, date_limite: date) -> dict[int, set[str]]:
    """Candidat → épreuves non valides selon la commission de conformité (§6-§7), calculées sans rien écrire."""
    reglement = reglement_fourni(session.reglement)
    candidats = Candidat.objects.filter(session=session)
    periodes: dict[int, list[tuple[date, date, bool, bool]]] = defaultdict(list)
    for cid, debut, fin, fournie, visee_signee in PeriodeStage.objects.filter(candidat__in=candidats).values_list(
        "candidat_id", "debut", "fin", "piece_fournie", "signee"
    ):
        periodes[cid].append((debut, fin, fournie, visee_signee))
    for cid, visee in PeriodeStage.objects.filter(candidat__in=candidats, visee=False).values_list(
        "candidat_id", "visee"
    ):
        periodes[cid].append((date.min, date.min, True, visee))
    fiches: dict[int, list[C.FicheActivite]] = defaultdict(list)
    for did, nature, reseau, reelle, pole, annexe, completes in FicheActivite.objects.filter(
        dossier__candidat__in=candidats
    ).values_list("dossier_id", "nature", "type_reseau", "reelle", "pole", "annexe_offre_pages", "rubriques_completes"):
        fiches[did].append(C.FicheActivite(nature or None, reseau or None, reelle, pole, annexe, completes))
    acquises: dict[int, list[str]] = defaultdict(list)
    for cid, epreuve, origine in Resultat.objects.filter(candidat__in=candidats).values_list(
        "candidat_id", "epreuve", "origine"
    ):
        if origine == Origine.BENEFICE:
            acquises[cid].append(reglement.epreuve(epreuve).unite)
    modes = dict(candidats.values_list("id", "mode_preparation"))
    nv: dict[int, set[str]] = defaultdict(set)
    for did, cid, epreuve, depose, vise, etude, pro in Dossier.objects.filter(candidat__in=candidats).values_list(
        "id",
        "candidat_id",
        "epreuve",
        "depose_le",
        "vise_et_signe",
        "etude_reflexive_pages",
        "dossier_professionnel_pages",
    ):
        lignes = periodes.get(cid, [])
        dossier = C.Dossier(
            epreuve=epreuve,
            depose_le=depose,
            attestations=[C.Periode(d, f) for d, f, fournie, _ in lignes if fournie and d != date.min],
            attestation_manquante=any(not fournie for _, _, fournie, _ in lignes),
            vise_et_signe=vise and all(ok for *_, ok in lignes),
            fiches=fiches.get(did, []),
            etude_reflexive_pages=etude,
            dossier_professionnel_pages=pro,
        )
        situation = _situation_stage(modes[cid], acquises.get(cid, []), reglement)
        resultat = C.controler_dossier(dossier, reglement, date_limite=date_limite, situation=situation)
        nv[cid].update(resultat.epreuves_non_valides)
    return nv


def deliberations_moteur(
    *, session: ExamSession, non_valides: dict[int, set[str]] | None = None
) -> tuple[list[tuple[int, Deliberation]], list[str]]:
    """Délibère chaque candidat non désisté avec le moteur pur, sur les résultats en base (§4).

    `non_valides` : épreuves à lire NV (conformité appliquée en mémoire). Le livret scolaire est réputé
    examiné par le jury. Rend les délibérations et les erreurs (candidats que le moteur refuse).
    """
    reglement = reglement_fourni(session.reglement)
    candidats = Candidat.objects.filter(session=session, desiste_le__isnull=True)
    resultats: dict[int, dict[str, Note | Etat]] = defaultdict(dict)
    for cid, epreuve, etat, note, jury, suspendue, origine, annee in Resultat.objects.filter(
        candidat__in=candidats
    ).values_list("candidat_id", "epreuve", "etat", "note_examinateur", "note_jury", "suspendue", "origine", "annee"):
        if etat == "note":
            valeur: Decimal = jury if jury is not None else note
            resultats[cid][epreuve] = Note(centiemes(valeur), Origine(origine), annee, suspendue)
        else:
            resultats[cid][epreuve] = Etat(etat)
    non_valides = non_valides or {}
    deliberations: list[tuple[int, Deliberation]] = []
    erreurs: list[str] = []
    for cid, numero, parcours in candidats.order_by("numero").values_list("id", "numero", "parcours"):
        r = resultats.get(cid, {})
        for epreuve in non_valides.get(cid, ()):
            if epreuve in r and (r[epreuve].__class__ is Note or r[epreuve] is not Etat.DISPENSE):
                r[epreuve] = Etat.NON_VALIDE
        try:
            d = deliberer(reglement, CandidatADeliberer(numero, r, Parcours(parcours)))
        except DeliberationImpossible as exc:
            erreurs.append(exc.message)
            continue
        deliberations.append((cid, d))
    return deliberations, erreurs


def bilan_deliberation(
    *, session: ExamSession, deliberations: Iterable[tuple[int, Deliberation]], erreurs: Iterable[str] = ()
) -> BilanDeliberation:
    """Compte les décisions par académie (du centre), catégorie et mode de préparation."""
    reglement = reglement_fourni(session.reglement)
    infos = {
        c.pk: c
        for c in Candidat.objects.filter(session=session).select_related("centre__academie", "etablissement", "session")
    }
    bilan = BilanDeliberation(erreurs=list(erreurs))
    for cid, d in deliberations:
        c = infos[cid]
        decision = d.decision.value
        bilan.total += 1
        bilan.par_decision[decision] += 1
        if d.motif is not None:
            bilan.par_motif[d.motif.value] += 1
        bilan.par_academie[c.centre.academie.nom if c.centre else "sans centre"][decision] += 1
        bilan.par_categorie[reglement.categorie_de(c.situation).code][decision] += 1
        bilan.par_mode[c.get_mode_preparation_display()][decision] += 1
    return bilan
