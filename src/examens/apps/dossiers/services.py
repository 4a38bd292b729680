"""Contrôle de conformité des dossiers E4 et E6 d'une session (§6 et §7 ; Circ. 1.5, 1.11, 1.13 ; A.2008).

Pour chaque candidat non désisté et chaque épreuve à dossier qu'il présente cette session, le service
rassemble les faits en base (dépôt, périodes attestées, pièces, fiches, étude réflexive), appelle le cœur
(`examens.core.conformite.controler_dossier`) et, avec `appliquer`, enregistre la décision de la commission
(causes, motifs, avertissements) et met en NV les épreuves annulées — tout ou rien, tracé.

Ce que le service déduit des données (faute de champ dédié) :
- **épreuve présentée** : une épreuve à dossier dont l'unité est dispensée, ou dont le candidat garde une
  note conservée (bénéfice ou report) sans résultat de la session, n'est pas présentée : pas de dossier
  à contrôler, et une cause « stage » ne l'annule pas (la note conservée vient d'une autre session) ;
- **dossier non déposé** : pas de ligne `Dossier`, ou une ligne sans date de dépôt. Le contrôle s'applique
  à tout candidat (§6), et l'absence de dossier est la cause n° 1 ; avec `appliquer`, la ligne manquante est
  créée (sans date de dépôt) pour porter la décision ;
- **situation de stage** (§7), dans cet ordre :
  1. unités U4 et U6 acquises (dispense d'unité, ou bénéfice ≥ 10 à E4 et E6) → aucun stage ;
  2. mode de préparation « expérience professionnelle » → 3 ans d'expérience par certificats ;
  3. mode « apprenti », ou toutes les pièces fournies sont des certificats de travail (candidat en emploi)
     → certificats de travail, 16 semaines ;
  4. durée réduite (`Candidat.stage_reduit` : force majeure, aménagement, positionnement) → 8 semaines ;
  5. sinon → 16 semaines.
  La réduction à 8 semaines et la validation académique d'un stage de 4 à 16 semaines (session 2022) se
  lisent sur le candidat (`Candidat.stage_reduit`, `Candidat.stage_valide_par_academie`) ; les paramètres
  `situations_reduites` et `validations_academiques` permettent de les simuler avant de les enregistrer ;
- **pièces** : une période sans pièce fournie → attestation manquante ; une pièce fournie non signée ou
  non visée, ou un dossier non « visé et signé » → documents non visés ou non signés (cause 5).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from examens.apps.candidats.models import Candidat, NoteConservee, PeriodeStage
from examens.apps.dossiers.models import DecisionConformite
from examens.apps.dossiers.models import Dossier as DossierBase
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer_en_masse
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.models import Origine as OrigineBase
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from examens.core.conformite import (
    Dossier,
    FicheActivite,
    Periode,
    ResultatConformite,
    SituationStage,
    controler_dossier,
    dispense_de_stage,
    epreuves_annulees,
)
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Annulation, Reglement, reglement_fourni


@dataclass(frozen=True, slots=True)
class ControleDossier:
    """Le contrôle d'un dossier : les faits lus, le verdict du cœur, ce qui changerait en base."""

    candidat_id: int
    numero: str
    epreuve: str
    dossier_id: int | None  # None : aucune ligne Dossier en base (non déposé)
    situation: SituationStage
    resultat: ResultatConformite
    nv_a_poser: tuple[str, ...]  # épreuves présentées cette session, annulées, pas encore en NV
    decision_inchangee: bool  # la dernière décision enregistrée dit déjà la même chose

    @property
    def causes(self) -> list[str]:
        return [nc.cause.value for nc in self.resultat.non_conformites]

    @property
    def motifs(self) -> str:
        return "\n".join(nc.motif for nc in self.resultat.non_conformites)


@dataclass
class RapportConformite:
    session: str
    date_limite: date
    appliquee: bool = False
    controles: list[ControleDossier] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    decisions_enregistrees: int = 0
    nv_poses: int = 0

    @property
    def non_conformes(self) -> list[ControleDossier]:
        return [c for c in self.controles if not c.resultat.conforme]

    @property
    def a_valider(self) -> list[ControleDossier]:
        return [c for c in self.controles if c.resultat.a_valider]

    @property
    def nv_prevus(self) -> list[tuple[str, str]]:
        vus = sorted({(c.numero, e) for c in self.controles for e in c.nv_a_poser})
        return vus

    def resume(self) -> str:
        n, nc = len(self.controles), len(self.non_conformes)
        lignes = [
            f"Conformité des dossiers, session {self.session} (date limite de dépôt : {self.date_limite:%d/%m/%Y}) :",
            f"  {n} dossier(s) contrôlé(s) : {n - nc} conforme(s), {nc} non conforme(s)"
            + (
                f" dont {len(self.a_valider)} validable(s) par l'académie (4 semaines au moins)"
                if self.a_valider
                else ""
            )
            + ".",
        ]
        if self.appliquee:
            lignes.append(
                f"Enregistré : {self.decisions_enregistrees} décision(s) de conformité, {self.nv_poses} épreuve(s) mise(s) en NV."
            )
        else:
            a_decider = sum(1 for c in self.controles if not c.decision_inchangee)
            lignes.append(
                f"Simulation : {a_decider} décision(s) seraient enregistrées et {len(self.nv_prevus)} épreuve(s) "
                "mise(s) en NV ; rien n'est enregistré (ajoutez --appliquer)."
            )
        return "\n".join(lignes)


def controler_conformite_session(
    *,
    session: ExamSession,
    date_limite: date,
    acteur: str,
    appliquer: bool = False,
    situations_reduites: Collection[str] = (),
    validations_academiques: Collection[str] = (),
) -> RapportConformite:
    """Contrôle tous les dossiers E4/E6 de la session ; avec `appliquer`, enregistre décisions et NV.

    Un candidat a une exigence réduite à 8 semaines si `Candidat.stage_reduit` est renseigné, et un stage
    court validé si `Candidat.stage_valide_par_academie` ; `situations_reduites` et `validations_academiques`
    (numéros de candidats) permettent de simuler ces décisions avant de les enregistrer.
    """
    reglement = reglement_fourni(session.reglement)
    rapport = RapportConformite(session=session.code, date_limite=date_limite)
    candidats = (
        Candidat.objects.filter(session=session, desiste_le__isnull=True)
        .order_by("numero")
        .prefetch_related(
            Prefetch("dossiers", queryset=DossierBase.objects.prefetch_related("fiches", "decisions")),
            Prefetch("periodes_stage", queryset=PeriodeStage.objects.order_by("debut", "id")),
            "dispenses",
            "notes_conservees",
            Prefetch("resultats", queryset=Resultat.objects.only("id", "candidat_id", "epreuve", "etat", "origine")),
        )
    )
    reduites, validees = set(situations_reduites), set(validations_academiques)
    a_ecrire: list[tuple[Candidat, ControleDossier]] = []
    for candidat in candidats:
        for controle in _controler_candidat(
            candidat,
            reglement,
            date_limite=date_limite,
            reduite=candidat.numero in reduites or bool(candidat.stage_reduit),
            validation_academique=candidat.numero in validees or candidat.stage_valide_par_academie,
        ):
            rapport.controles.append(controle)
            a_ecrire.append((candidat, controle))
            if controle.resultat.conforme:
                _signaler_nv_a_lever(rapport, candidat, controle)
    if appliquer:
        _appliquer(rapport, a_ecrire, acteur=acteur)
    return rapport


def _controler_candidat(
    candidat: Candidat, reglement: Reglement, *, date_limite: date, reduite: bool, validation_academique: bool
) -> list[ControleDossier]:
    unites_dispensees = {d.unite for d in candidat.dispenses.all()}
    resultats = {r.epreuve: r for r in candidat.resultats.all()}
    conservees = {n.epreuve: n for n in candidat.notes_conservees.all()}
    seuil = reglement.conservation.seuil_benefice
    presentee = _presentees(candidat, reglement)

    acquises = set(unites_dispensees)
    for epreuve, n in conservees.items():
        if n.origine == NoteConservee.Origine.BENEFICE and n.note >= seuil and epreuve in reglement.epreuves:
            acquises.add(reglement.epreuve(epreuve).unite)
    periodes = list(candidat.periodes_stage.all())
    situation = _situation(candidat, periodes, acquises, reglement, reduite=reduite)
    fournies = [p for p in periodes if p.piece_fournie]
    attestations = tuple(Periode(p.debut, p.fin) for p in fournies)
    pieces_visees = all(p.signee and p.visee for p in fournies)
    dossiers = {d.epreuve: d for d in candidat.dossiers.all()}

    controles = []
    for epreuve in reglement.conformite.epreuves_avec_dossier:
        if not presentee(epreuve):
            continue
        d = dossiers.get(epreuve)
        faits = Dossier(
            epreuve=epreuve,
            depose_le=d.depose_le if d else None,
            attestations=attestations,
            attestation_manquante=len(fournies) < len(periodes),
            vise_et_signe=(d.vise_et_signe if d else True) and pieces_visees,
            fiches=tuple(
                FicheActivite(
                    nature=f.nature or None,
                    type_reseau=f.type_reseau or None,
                    reelle=f.reelle,
                    pole=f.pole,
                    annexe_offre_pages=f.annexe_offre_pages,
                    rubriques_completes=f.rubriques_completes,
                )
                for f in (d.fiches.all() if d else ())
            ),
            etude_reflexive_pages=d.etude_reflexive_pages if d else None,
            dossier_professionnel_pages=d.dossier_professionnel_pages if d else None,
        )
        resultat = controler_dossier(
            faits, reglement, date_limite=date_limite, situation=situation, validation_academique=validation_academique
        )
        nv = tuple(
            e
            for e in resultat.epreuves_non_valides
            if presentee(e) and (e not in resultats or resultats[e].etat != EtatBase.NON_VALIDE)
        )
        derniere = max(d.decisions.all(), key=lambda x: (x.decidee_le, x.pk), default=None) if d else None
        inchangee = derniere is not None and _contenu(derniere) == _contenu_attendu(resultat)
        controles.append(
            ControleDossier(
                candidat.pk, candidat.numero, epreuve, d.pk if d else None, situation, resultat, nv, inchangee
            )
        )
    return controles


def _presentees(candidat: Candidat, reglement: Reglement) -> Callable[[str], bool]:
    """L'épreuve est-elle présentée cette session ? Ni dispensée, ni couverte par une note conservée (bénéfice ou
    report) sans résultat de la session. Lit les dispenses, notes conservées et résultats préchargés."""
    unites_dispensees = {d.unite for d in candidat.dispenses.all()}
    resultats = {r.epreuve: r for r in candidat.resultats.all()}
    conservees = {n.epreuve for n in candidat.notes_conservees.all()}

    def presentee(epreuve: str) -> bool:
        r = resultats.get(epreuve)
        conservee = (epreuve in conservees and (r is None or r.origine != OrigineBase.SESSION)) or (
            r is not None and r.origine != OrigineBase.SESSION
        )
        return reglement.epreuve(epreuve).unite not in unites_dispensees and not conservee

    return presentee


def _situation(
    candidat: Candidat, periodes: Sequence[PeriodeStage], acquises: set[str], reglement: Reglement, *, reduite: bool
) -> SituationStage:
    M = Candidat.ModePreparation
    if dispense_de_stage(acquises, reglement):
        return SituationStage.DISPENSE
    if candidat.mode_preparation == M.EXPERIENCE_PROFESSIONNELLE:
        return SituationStage.EXPERIENCE_PROFESSIONNELLE
    fournies = [p for p in periodes if p.piece_fournie]
    if candidat.mode_preparation == M.APPRENTI or (
        fournies and all(p.piece == PeriodeStage.Piece.CERTIFICAT for p in fournies)
    ):
        return SituationStage.APPRENTI_OU_SALARIE
    if reduite:
        return SituationStage.REDUITE
    return SituationStage.NORMALE


def _contenu(d: DecisionConformite) -> tuple[Any, ...]:
    return (d.conforme, list(d.causes), d.motifs, list(d.avertissements))


def _contenu_attendu(r: ResultatConformite) -> tuple[Any, ...]:
    return (
        r.conforme,
        [nc.cause.value for nc in r.non_conformites],
        "\n".join(nc.motif for nc in r.non_conformites),
        list(_avertissements(r)),
    )


def _avertissements(r: ResultatConformite) -> tuple[str, ...]:
    if r.a_valider and r.duree is not None:
        return (*r.avertissements, f"À valider par l'académie : {r.duree.message}")
    return r.avertissements


def _signaler_nv_a_lever(rapport: RapportConformite, candidat: Candidat, controle: ControleDossier) -> None:
    """Un dossier désormais conforme dont l'épreuve est en NV : le service ne devine pas la note d'avant."""
    for r in candidat.resultats.all():
        if r.epreuve == controle.epreuve and r.etat == EtatBase.NON_VALIDE:
            rapport.avertissements.append(
                f"Candidat {controle.numero} : le dossier {controle.epreuve} est conforme mais l'épreuve est en NV ; "
                "levez le NV par une saisie de note si c'est justifié."
            )


LOT = 500  # identifiants par requête « IN » (la limite de paramètres de SQLite reste loin)


@transaction.atomic
def _appliquer(rapport: RapportConformite, a_ecrire: list[tuple[Candidat, ControleDossier]], *, acteur: str) -> None:
    """Enregistre décisions, dossiers manquants et NV en masse : le nombre de requêtes ne dépend pas du nombre
    de dossiers (à un lot de `LOT` candidats près pour les NV), et chaque écriture a sa trace."""
    a_decider = [(candidat, c) for candidat, c in a_ecrire if not c.decision_inchangee]
    traces: list[Trace] = []

    # Dossiers non déposés : une ligne est créée pour porter la décision.
    sans_dossier = [(candidat, c) for candidat, c in a_decider if c.dossier_id is None]
    crees = DossierBase.objects.bulk_create(
        [DossierBase(candidat=candidat, epreuve=c.epreuve, depose_le=None) for candidat, c in sans_dossier]
    )
    dossier_de: dict[int, int] = {}
    for (_, c), dossier in zip(sans_dossier, crees, strict=True):
        dossier_de[id(c)] = dossier.pk
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.CREATION,
                objet_type="dossiers.dossier",
                objet_id=dossier.pk,
                objet_libelle=f"candidat {c.numero} — dossier {c.epreuve}",
                apres={"epreuve": c.epreuve, "depose_le": None},
                motif="dossier non déposé : ligne créée pour porter la décision de conformité",
            )
        )

    decisions = []
    for _, c in a_decider:
        conforme, causes, motifs, avertissements = _contenu_attendu(c.resultat)
        decisions.append(
            DecisionConformite(
                dossier_id=c.dossier_id if c.dossier_id is not None else dossier_de[id(c)],
                conforme=conforme,
                causes=causes,
                motifs=motifs,
                avertissements=avertissements,
                decidee_par=acteur,
            )
        )
    for (_, c), decision in zip(a_decider, DecisionConformite.objects.bulk_create(decisions), strict=True):
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.DECISION,
                objet_type="dossiers.decisionconformite",
                objet_id=decision.pk,
                objet_libelle=f"candidat {c.numero} — conformité du dossier {c.epreuve}",
                apres={
                    "epreuve": c.epreuve,
                    "conforme": decision.conforme,
                    "causes": decision.causes,
                    "avertissements": decision.avertissements,
                    "situation": c.situation.value,
                },
                motif=decision.motifs or "dossier conforme",
            )
        )
    rapport.decisions_enregistrees = len(decisions)

    # Épreuves à mettre en NV (une fois chacune, même si E4 et E6 l'annulent toutes deux).
    nv: dict[tuple[int, str], tuple[str, str]] = {}
    for _, c in a_ecrire:
        for epreuve in c.nv_a_poser:
            nv.setdefault((c.candidat_id, epreuve), (c.numero, c.motifs))
    traces.extend(_mettre_en_nv(nv, acteur=acteur))
    rapport.nv_poses = len(nv)
    tracer_en_masse(traces)
    rapport.appliquee = True


def _mettre_en_nv(nv: dict[tuple[int, str], tuple[str, str]], *, acteur: str) -> list[Trace]:
    """Met les épreuves en NV : la note de l'examinateur reste en base, et la trace la garde aussi.
    `nv` : (candidat, épreuve) → (numéro du candidat, motifs de la décision)."""
    candidats = sorted({candidat_id for candidat_id, _ in nv})
    existants: dict[tuple[int, str], Resultat] = {}
    for i in range(0, len(candidats), LOT):
        for r in Resultat.objects.select_for_update().filter(candidat_id__in=candidats[i : i + LOT]):
            if (r.candidat_id, r.epreuve) in nv:
                existants[r.candidat_id, r.epreuve] = r
    avants: dict[tuple[int, str], dict[str, Any]] = {}
    for cle, r in existants.items():
        note = r.note_examinateur
        avants[cle] = {"etat": r.etat, "suspendue": r.suspendue, "note_examinateur": str(note) if note else None}
        r.etat, r.suspendue = EtatBase.NON_VALIDE, False
    Resultat.objects.bulk_update(list(existants.values()), ["etat", "suspendue"], batch_size=LOT)
    nouveaux = Resultat.objects.bulk_create(
        [
            Resultat(candidat_id=candidat_id, epreuve=epreuve, etat=EtatBase.NON_VALIDE)
            for (candidat_id, epreuve) in nv
            if (candidat_id, epreuve) not in existants
        ]
    )
    resultats = {**existants, **{(r.candidat_id, r.epreuve): r for r in nouveaux}}
    return [
        Trace(
            acteur=acteur,
            action=Trace.Action.MODIFICATION if cle in avants else Trace.Action.CREATION,
            objet_type="notes.resultat",
            objet_id=resultats[cle].pk,
            objet_libelle=f"candidat {numero} — {cle[1]}",
            avant=avants.get(cle),
            apres={"etat": EtatBase.NON_VALIDE.value, "suspendue": False},
            motif=f"dossier non conforme (commission de conformité) : {motifs}",
        )
        for cle, (numero, motifs) in nv.items()
    ]


# --- Un dossier à la fois : l'examen par la commission, sa décision, la levée d'un doute (application web) ---


class DecisionConformiteImpossible(ErreurExamens):
    code = "decision_conformite_impossible"


def _candidat_prefetche(candidat_id: int) -> Candidat:
    """Le candidat et tout ce que le contrôle d'un dossier lit, en un nombre constant de requêtes."""
    return (
        Candidat.objects.select_related("session", "etablissement", "centre")
        .prefetch_related(
            Prefetch("dossiers", queryset=DossierBase.objects.prefetch_related("fiches", "decisions")),
            Prefetch("periodes_stage", queryset=PeriodeStage.objects.order_by("debut", "id")),
            "dispenses",
            "notes_conservees",
            "resultats",
        )
        .get(pk=candidat_id)
    )


def examiner_dossier(*, dossier: DossierBase, date_limite: date | None) -> ControleDossier | None:
    """Ce que le cœur conclut du dossier (la proposition faite à la commission), sans rien écrire ; None si
    l'épreuve n'est pas présentée cette session (unité dispensée, note conservée). Sans date limite connue
    (`ExamSession.date_limite_dossiers`), le dépôt tardif n'est pas recherché."""
    candidat = _candidat_prefetche(dossier.candidat_id)
    reglement = reglement_fourni(candidat.session.reglement)
    controles = _controler_candidat(
        candidat,
        reglement,
        date_limite=date_limite or date.max,
        reduite=bool(candidat.stage_reduit),
        validation_academique=candidat.stage_valide_par_academie,
    )
    return next((c for c in controles if c.epreuve == dossier.epreuve), None)


@dataclass(frozen=True, slots=True)
class DecisionEnregistree:
    decision: DecisionConformite
    nv_poses: tuple[str, ...]  # épreuves mises en NV par la décision
    note_retablie: bool  # la note suspendue de l'épreuve est rétablie (levée de doute, dossier conforme)
    nv_a_lever: tuple[str, ...]  # dossier conforme, épreuve encore en NV : à lever par une saisie de note
    destinataires: tuple[str, ...]  # notifiés (candidat et établissement), après l'enregistrement


def adresses_du_candidat_et_de_son_etablissement(candidat: Candidat) -> tuple[str, ...]:
    """Le courriel du candidat et ceux des comptes « établissement » actifs de la session (sans doublon)."""
    from examens.apps.comptes.models import Habilitation, Role

    adresses = [candidat.courriel] if candidat.courriel else []
    if candidat.etablissement_id is not None:
        adresses += Habilitation.objects.filter(
            session_id=candidat.session_id,
            role=Role.ETABLISSEMENT,
            etablissement_id=candidat.etablissement_id,
            utilisateur__is_active=True,
        ).values_list("utilisateur__email", flat=True)
    return tuple(dict.fromkeys(a for a in adresses if a))


def objet_notification(candidat: Candidat, epreuve: str) -> str:
    """L'objet des courriels d'un dossier : le journal des envois (`editions.Envoi`) se relit par lui."""
    return f"{candidat.session.intitule} — conformité du dossier {epreuve} — candidat {candidat.numero}"


LIBELLES_CAUSES = {
    Annulation.NON_DEPOSE: "dossier non déposé",
    Annulation.DEPOT_TARDIF: "dépôt après la date limite",
    Annulation.DUREE_INSUFFISANTE: "durée de stage insuffisante",
    Annulation.ATTESTATION_MANQUANTE: "attestation de stage ou certificat de travail manquant",
    Annulation.NON_VISE_NON_SIGNE: "documents non visés ou non signés",
}


@transaction.atomic
def decider_conformite(
    *,
    dossier: DossierBase,
    conforme: bool,
    causes: Sequence[str] = (),
    motifs: str,
    par: str,
    notifier: bool = True,
) -> DecisionEnregistree:
    """La commission de conformité statue sur un dossier (§6 ; A.2008) : décision enregistrée et tracée ; non
    conforme → les épreuves que ses causes annulent (le stage fonde E4 et E6) passent en NV, la note de
    l'examinateur restant en base ; conforme → une note suspendue de l'épreuve est rétablie (levée de doute).
    Le candidat et son établissement sont notifiés après l'enregistrement (journal `editions.Envoi`) d'une
    non-conformité, d'une note rétablie ou d'une décision qui en revoit une autre.

    La commission est souveraine : ses causes ne sont pas recalculées (la proposition du cœur,
    `examiner_dossier`, l'aide seulement) ; les défauts de composition que le cœur relève sont gardés avec la
    décision, comme avertissements."""
    dossier = DossierBase.objects.select_for_update().get(pk=dossier.pk)
    candidat = _candidat_prefetche(dossier.candidat_id)
    numero, epreuve = candidat.numero, dossier.epreuve
    try:
        annulations = [Annulation(c) for c in dict.fromkeys(causes)]
    except ValueError:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, dossier {epreuve} : cause inconnue parmi {', '.join(causes)}."
        ) from None
    motifs = motifs.strip()
    if conforme and annulations:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, dossier {epreuve} : un dossier conforme n'a pas de cause de non-conformité ; "
            "décochez-les ou déclarez le dossier non conforme."
        )
    if not conforme and not annulations:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, dossier {epreuve} : cochez au moins une cause de non-conformité (A.2008)."
        )
    if not conforme and not motifs:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, dossier {epreuve} : motivez la non-conformité (le candidat en est notifié)."
        )
    reglement = reglement_fourni(candidat.session.reglement)
    presentee = _presentees(candidat, reglement)
    resultats = {r.epreuve: r for r in candidat.resultats.all()}
    precedente = max(dossier.decisions.all(), key=lambda d: (d.decidee_le, d.pk), default=None)
    proposition = next(
        (
            c
            for c in _controler_candidat(
                candidat,
                reglement,
                date_limite=date.max,
                reduite=bool(candidat.stage_reduit),
                validation_academique=candidat.stage_valide_par_academie,
            )
            if c.epreuve == epreuve
        ),
        None,
    )
    avertissements = _avertissements(proposition.resultat) if proposition is not None else ()

    decision = DecisionConformite.objects.create(
        dossier=dossier,
        conforme=conforme,
        causes=[a.value for a in annulations],
        motifs=motifs,
        avertissements=list(avertissements),
        decidee_par=par,
    )
    traces = [
        Trace(
            acteur=par,
            action=Trace.Action.DECISION,
            objet_type="dossiers.decisionconformite",
            objet_id=decision.pk,
            objet_libelle=f"candidat {numero} — conformité du dossier {epreuve}",
            avant=None if precedente is None else {"conforme": precedente.conforme, "causes": precedente.causes},
            apres={"epreuve": epreuve, "conforme": conforme, "causes": decision.causes},
            motif=motifs or "dossier conforme",
        )
    ]
    nv = sorted(
        {
            e
            for a in annulations
            for e in epreuves_annulees(a, epreuve, reglement)
            if presentee(e) and (e not in resultats or resultats[e].etat != EtatBase.NON_VALIDE)
        }
    )
    traces += _mettre_en_nv({(candidat.pk, e): (numero, motifs) for e in nv}, acteur=par)
    note_retablie = False
    suspendu = resultats.get(epreuve)
    if conforme and suspendu is not None and suspendu.suspendue and suspendu.etat == EtatBase.NOTE:
        Resultat.objects.filter(pk=suspendu.pk).update(suspendue=False)
        note_retablie = True
        traces.append(
            Trace(
                acteur=par,
                action=Trace.Action.MODIFICATION,
                objet_type="notes.resultat",
                objet_id=suspendu.pk,
                objet_libelle=f"candidat {numero} — {epreuve}",
                avant={"suspendue": True, "note_examinateur": f"{suspendu.note_examinateur:.2f}"},
                apres={"suspendue": False, "note_examinateur": f"{suspendu.note_examinateur:.2f}"},
                motif=f"doute levé, dossier conforme : note rétablie — {motifs or 'vérification faite'}",
            )
        )
    nv_a_lever = (
        (epreuve,) if conforme and epreuve in resultats and resultats[epreuve].etat == EtatBase.NON_VALIDE else ()
    )
    tracer_en_masse(traces)

    a_notifier = notifier and (not conforme or note_retablie or (precedente is not None and not precedente.conforme))
    destinataires = adresses_du_candidat_et_de_son_etablissement(candidat) if a_notifier else ()
    if destinataires:
        objet = objet_notification(candidat, epreuve)
        corps = _corps_notification(candidat, epreuve, conforme=conforme, causes=annulations, motifs=motifs, nv=nv)
        corps += "\n\nNote suspendue rétablie : le doute sur le dossier est levé." if note_retablie else ""

        def envoyer() -> None:
            from examens.apps.editions.services import notifier as envoyer_courriels

            envoyer_courriels(destinataires=destinataires, objet=objet, corps=corps, par=par)

        transaction.on_commit(envoyer)
    return DecisionEnregistree(decision, tuple(nv), note_retablie, nv_a_lever, destinataires)


def _corps_notification(
    candidat: Candidat, epreuve: str, *, conforme: bool, causes: Sequence[Annulation], motifs: str, nv: Sequence[str]
) -> str:
    qui = f"le candidat {candidat.numero} ({candidat.prenoms} {candidat.nom})"
    if conforme:
        texte = f"La commission de conformité a déclaré conforme le dossier {epreuve} déposé pour {qui}."
        return texte + (f"\n\nObservations : {motifs}" if motifs else "")
    texte = (
        f"La commission de conformité a déclaré non conforme le dossier {epreuve} déposé pour {qui} "
        f"(arrêté du 22 juillet 2008 ; circulaire nationale, 1.5).\n\n"
        f"Cause(s) : {' ; '.join(LIBELLES_CAUSES[c] for c in causes)}.\nMotifs : {motifs}"
    )
    if nv:
        texte += (
            f"\n\nConséquence : l'épreuve {', '.join(nv)} est déclarée non valide (NV) ; le diplôme ne peut pas "
            "être délivré à cette session."
        )
    return texte


def lever_le_doute(
    *, resultat: Resultat, conforme: bool, motif: str, par: str, causes: Sequence[str] = ()
) -> DecisionEnregistree:
    """Levée de doute (§6) : le jour de l'épreuve, la commission a interrogé le candidat malgré un doute sur son
    dossier et sa note est suspendue ; l'académie vérifie le dossier et statue. Conforme → la note est rétablie ;
    non conforme (avec ses causes) → l'épreuve devient NV. Motif obligatoire ; décision tracée et notifiée."""
    resultat = Resultat.objects.select_related("candidat").get(pk=resultat.pk)
    numero, epreuve = resultat.candidat.numero, resultat.epreuve
    if not resultat.suspendue or resultat.etat != EtatBase.NOTE:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, {epreuve} : aucune note suspendue ; il n'y a pas de doute à lever."
        )
    if not motif.strip():
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, {epreuve} : indiquez ce que la vérification du dossier a établi."
        )
    dossier = DossierBase.objects.filter(candidat_id=resultat.candidat_id, epreuve=epreuve).first()
    if dossier is None:
        raise DecisionConformiteImpossible(
            f"Candidat {numero}, {epreuve} : aucun dossier enregistré ; enregistrez le dossier avant de statuer."
        )
    return decider_conformite(dossier=dossier, conforme=conforme, causes=causes, motifs=motif, par=par)
