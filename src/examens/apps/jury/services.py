"""Délibération d'une session ou d'un jury depuis la base, par le moteur de `examens deliberer`.

Les entrées viennent de `notes.selectors.entrees_de_deliberation` (requêtes en nombre constant) ; chaque
candidat passe par `examens.core.deliberation.deliberer`, le même moteur que le chemin des tableaux.

Sans `appliquer`, rien n'est écrit : le rapport dit ce qui changerait. Avec `appliquer`, tout ou rien en une
transaction : les décisions nouvelles ou différentes de la décision en vigueur sont créées en masse ;
l'ancienne décision n'est pas réécrite, elle passe « remplacée » et la nouvelle la désigne. Une décision
identique à celle en vigueur n'est pas dupliquée (réappliquer ne change rien).

Historique : **une trace par décision** (et non une par lot). La trace est ce qu'on consulte pour un
candidat qui conteste sa décision : elle doit dire, pour lui, la décision d'avant et celle d'après. Les
traces sont écrites en masse (`historique.services.tracer_en_masse`) dans la transaction des décisions — 25 000 traces coûtent
moins d'une seconde, voir docs/benchmarks.md.

Une délibération de masse n'écrit rien tant qu'il reste une erreur (docs/architecture.md, « Les erreurs ») ;
le rapport les liste toutes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.insertion import inserer_en_masse
from examens.apps.jury.models import DecisionJury, EtatDeliberation, ExamenLivret, Jury, MentionPix
from examens.apps.notes.selectors import candidats_concernes, entrees_de_deliberation
from examens.apps.organisation.models import ExamSession
from examens.core.deliberation import (
    CandidatADeliberer,
    Decision,
    Deliberation,
    DeliberationImpossible,
    deliberer,
)
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Reglement, reglement_fourni

# Ce qui fait une décision (hors auteur, date et jury) : deux décisions de même signature sont la même.
Signature = tuple[str, str, bool, Decimal | None, int | None, str, str, str, tuple[str, ...], tuple[str, ...], int]


@dataclass(frozen=True, slots=True)
class DecisionCalculee:
    candidat_id: int
    deliberation: Deliberation
    signature: Signature
    precedente: Signature | None  # la décision en vigueur en base, s'il y en a une
    precedente_id: int | None
    avertissement: str = ""

    @property
    def numero(self) -> str:
        return self.deliberation.candidat

    @property
    def change(self) -> bool:
        return self.precedente != self.signature


@dataclass
class RapportDeliberation:
    session: str
    jury: str | None
    appliquee: bool = False
    decisions: list[DecisionCalculee] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    enregistrees: int = 0

    @property
    def decompte(self) -> dict[str, int]:
        compte = Counter(d.deliberation.decision.value for d in self.decisions)
        return {decision.value: compte.get(decision.value, 0) for decision in Decision}

    @property
    def changements(self) -> list[DecisionCalculee]:
        return [d for d in self.decisions if d.change]

    def resume(self) -> str:
        portee = f"jury « {self.jury} »" if self.jury else "toute la session"
        lignes = [f"Délibération de la session {self.session} ({portee}) : {len(self.decisions)} candidat(s)."]
        for decision in Decision:
            lignes.append(f"  {decision.label} : {self.decompte[decision.value]}")
        nouvelles = sum(1 for d in self.changements if d.precedente is None)
        modifiees = len(self.changements) - nouvelles
        if self.appliquee:
            lignes.append(
                f"Enregistré : {self.enregistrees} décision(s) ({nouvelles} nouvelle(s), {modifiees} remplacée(s))."
            )
        else:
            lignes.append(
                f"Simulation : {nouvelles} décision(s) seraient créées et {modifiees} remplacées ; "
                "rien n'est enregistré (ajoutez --appliquer)."
            )
        if self.erreurs:
            lignes.append(f"{len(self.erreurs)} erreur(s) : rien n'est enregistré tant qu'il en reste une.")
        return "\n".join(lignes)


def deliberer_session(
    *, session: ExamSession, acteur: str, jury: Jury | None = None, appliquer: bool = False
) -> RapportDeliberation:
    """Délibère les candidats de la session (ou du jury) avec le moteur ; enregistre si `appliquer`."""
    if jury is not None and jury.session_id != session.pk:
        raise ValueError(f"Le jury « {jury.nom} » n'appartient pas à la session {session.code}.")
    reglement = reglement_fourni(session.reglement)
    candidats = candidats_concernes(session=session, jury=jury)
    rapport = RapportDeliberation(session=session.code, jury=jury.nom if jury else None)
    if jury is not None:
        rapport.avertissements.extend(jury.avertissements_composition())
    en_vigueur = {
        cid: (pk, _signature_en_base(valeurs))
        for pk, cid, *valeurs in DecisionJury.objects.en_vigueur()
        .filter(candidat__in=candidats.values("id"))
        .values_list("id", "candidat_id", *_CHAMPS_SIGNATURE)
    }
    for e in entrees_de_deliberation(candidats=candidats, reglement=reglement):
        try:
            d, avertissement = deliberer_candidat(reglement, e.entree)
        except DeliberationImpossible as exc:
            rapport.erreurs.append(exc.message)
            continue
        if avertissement:
            rapport.avertissements.append(avertissement)
        precedente = en_vigueur.get(e.candidat_id)
        rapport.decisions.append(
            DecisionCalculee(
                e.candidat_id,
                d,
                _signature(d, reglement),
                precedente[1] if precedente else None,
                precedente[0] if precedente else None,
                avertissement,
            )
        )
    if appliquer and not rapport.erreurs:
        _enregistrer(rapport, session=session, jury=jury, acteur=acteur, reglement=reglement)
    return rapport


def deliberer_candidat(reglement: Reglement, entree: CandidatADeliberer) -> tuple[Deliberation, str]:
    """Le moteur, avec une tolérance : notes de contrôle en cours de saisie (moins que le nombre dû).

    Tant que toutes les notes de contrôle ne sont pas saisies, la décision reste « admissible aux épreuves
    de contrôle » (avertissement) au lieu d'être refusée : la saisie est en cours, ce n'est pas une erreur.
    """
    if not entree.controle:
        return deliberer(reglement, entree), ""
    premier = _sans_controle(reglement, entree)
    if (
        premier.decision is Decision.CONTROLE
        and len(entree.controle) < premier.nombre_epreuves_controle
        and all(code in premier.epreuves_controle_possibles for code in entree.controle)
    ):
        return premier, (
            f"Candidat {entree.candidat} : {len(entree.controle)} note(s) de contrôle saisie(s) sur "
            f"{premier.nombre_epreuves_controle} ; décision du premier groupe maintenue."
        )
    return deliberer(reglement, entree), ""


def _sans_controle(reglement: Reglement, entree: CandidatADeliberer) -> Deliberation:
    return deliberer(
        reglement,
        CandidatADeliberer(
            entree.candidat,
            entree.resultats,
            entree.parcours,
            {},
            entree.points_jury,
            entree.livret_fourni,
            entree.livret_examine,
        ),
    )


def premier_groupe(reglement: Reglement, entree: CandidatADeliberer) -> Deliberation:
    """La décision du premier groupe (sans notes de contrôle) : elle ouvre, ou non, le droit au contrôle."""
    return _sans_controle(reglement, entree)


_CHAMPS_SIGNATURE = (
    "decision",
    "motif",
    "apres_controle",
    "points",
    "diviseur",
    "moyenne",
    "moyenne_premier_groupe",
    "moyenne_professionnelle",
    "unites_obtenues",
    "epreuves_controle_possibles",
    "nombre_epreuves_controle",
)


def _signature(d: Deliberation, reglement: Reglement) -> Signature:
    decimales = reglement.notes.decimales_moyenne
    moyenne, premier, pro = d.moyennes_affichees(decimales)
    avec = d.avec_moyenne
    return (
        d.decision.value,
        d.motif.value if d.motif else "",
        d.apres_controle,
        Decimal(d.points_centiemes).scaleb(-2) if avec else None,
        d.diviseur if avec else None,
        moyenne or "",
        premier or "",
        pro or "",
        tuple(d.unites_obtenues),
        tuple(d.epreuves_controle_possibles),
        d.nombre_epreuves_controle,
    )


def _signature_en_base(valeurs: list[Any]) -> Signature:
    decision, motif, apres, points, diviseur, moyenne, premier, pro, unites, possibles, nombre = valeurs
    return (
        decision,
        motif,
        apres,
        None if points is None else Decimal(points).quantize(Decimal("0.01")),
        diviseur,
        moyenne,
        premier,
        pro,
        tuple(unites),
        tuple(possibles),
        nombre,
    )


def _en_json(s: Signature) -> dict[str, Any]:
    decision, motif, apres, points, diviseur, moyenne, premier, pro, unites, possibles, nombre = s
    return {
        "decision": decision,
        "motif": motif,
        "apres_controle": apres,
        "points": None if points is None else str(points),
        "diviseur": diviseur,
        "moyenne": moyenne,
        "moyenne_premier_groupe": premier,
        "moyenne_professionnelle": pro,
        "unites_obtenues": list(unites),
        "epreuves_controle_possibles": list(possibles),
        "nombre_epreuves_controle": nombre,
    }


@transaction.atomic
def _enregistrer(
    rapport: RapportDeliberation, *, session: ExamSession, jury: Jury | None, acteur: str, reglement: Reglement
) -> None:
    if not acteur:
        raise ValueError("Une délibération nomme toujours son acteur (une personne, ou « système »).")
    # Dans la transaction des décisions : un verrouillage concurrent attend la fin de celle-ci.
    verifier_deliberation_ouverte(jurys=Jury.objects.filter(pk=jury.pk) if jury else session.jurys.all())
    maintenant = timezone.now()
    a_ecrire = rapport.changements
    jury_id = jury.pk if jury else None
    inserer_en_masse(
        DecisionJury,
        [
            "candidat_id",
            "jury_id",
            "decision",
            "motif",
            "apres_controle",
            "points",
            "diviseur",
            "moyenne",
            "moyenne_premier_groupe",
            "moyenne_professionnelle",
            "unites_obtenues",
            "epreuves_controle_possibles",
            "nombre_epreuves_controle",
            "decidee_par",
            "decidee_le",
            "en_vigueur",
            "precedente_id",
        ],
        [
            (d.candidat_id, jury_id, *s[:8], list(s[8]), list(s[9]), s[10], acteur, maintenant, False, d.precedente_id)
            for d in a_ecrire
            for s in (d.signature,)
        ],
    )
    # Les nouvelles décisions sont insérées « pas encore en vigueur » ; deux UPDATE à sous-requête (et non
    # une liste d'identifiants) font le relais : le nombre de requêtes ne dépend pas du nombre de décisions.
    nouvelles = DecisionJury.objects.filter(
        en_vigueur=False,
        decidee_le=maintenant,
        candidat__in=candidats_concernes(session=session, jury=jury).values("id"),
    )
    DecisionJury.objects.filter(en_vigueur=True, candidat__in=nouvelles.values("candidat_id")).update(en_vigueur=False)
    ids = dict(nouvelles.values_list("candidat_id", "id"))
    DecisionJury.objects.filter(pk__in=nouvelles.values("id")).update(en_vigueur=True)
    motif = f"délibération du jury « {jury.nom} »" if jury else f"délibération de la session {session.code}"
    # Une trace par décision, écrite en masse dans la transaction des décisions.
    tracer_en_masse(
        [
            Trace(
                quand=maintenant,
                acteur=acteur,
                action=Trace.Action.DECISION,
                objet_type="jury.decisionjury",
                objet_id=str(ids[d.candidat_id]),
                objet_libelle=f"candidat {d.numero} — décision de jury",
                avant=None if d.precedente is None else {"decision_id": d.precedente_id, **_en_json(d.precedente)},
                apres={"candidat": d.numero, **_en_json(d.signature)},
                motif=motif,
            )
            for d in a_ecrire
        ]
    )
    rapport.appliquee = True
    rapport.enregistrees = len(a_ecrire)


@transaction.atomic
def marquer_livret_examine(
    *,
    candidat: Candidat,
    acteur: str,
    jury: Jury | None = None,
    observations: str = "",
    mention_pix: MentionPix | str = "",
) -> ExamenLivret:
    """Le jury a examiné le livret scolaire du candidat (§4.8) : un ajournement devient possible. Tracé.

    `mention_pix` : la certification PIX portée au livret, telle que le jury l'a relevée."""
    verifier_deliberation_ouverte(candidat=candidat)
    if mention_pix and mention_pix not in MentionPix.values:
        raise ValueError(f"Mention PIX « {mention_pix} » inconnue (permises : {', '.join(MentionPix.values)}).")
    examen, cree = ExamenLivret.objects.get_or_create(
        candidat=candidat,
        defaults={"jury": jury, "examine_par": acteur, "observations": observations, "mention_pix": mention_pix},
    )
    if cree:
        tracer(
            acteur=acteur,
            action=Trace.Action.CREATION,
            objet_type="jury.examenlivret",
            objet_id=examen.pk,
            objet_libelle=f"candidat {candidat.numero} — livret scolaire examiné",
            apres={"jury": jury.nom if jury else None, "observations": observations, "mention_pix": mention_pix},
        )
    return examen


# --- Verrouillage, réouverture et publication d'une délibération --------------------------------------------


class DeliberationVerrouillee(ErreurExamens):
    """Une écriture visant un candidat d'un jury dont la délibération est verrouillée."""

    code = "deliberation_verrouillee"


class EtatDeliberationImpossible(ErreurExamens):
    code = "etat_deliberation_impossible"


def jurys_du_candidat(candidat: Candidat) -> QuerySet[Jury]:
    """Les jurys qui délibèrent le candidat : celui de son centre, et ceux qui l'ont reçu nommément."""
    q = Q(candidats=candidat.pk)
    if candidat.centre_id is not None:
        q |= Q(centres=candidat.centre_id)
    return Jury.objects.filter(Q(session_id=candidat.session_id) & q)


def verifier_deliberation_ouverte(*, candidat: Candidat | None = None, jurys: QuerySet[Jury] | None = None) -> None:
    """Refuse (`DeliberationVerrouillee`) toute écriture qui touche un jury dont la délibération est verrouillée.

    À appeler dans la transaction de l'écriture : les lignes des jurys concernés y sont verrouillées
    (`SELECT … FOR UPDATE`), si bien qu'un verrouillage concurrent attend la fin de l'écriture, ou l'inverse."""
    if jurys is None:
        if candidat is None:
            raise ValueError("Donnez le candidat ou les jurys concernés.")
        jurys = jurys_du_candidat(candidat)
    # Une requête : les jurys concernés (verrouillés pour la transaction) et l'état de leur délibération.
    concernes = (
        Jury.objects.select_for_update(of=("self",))
        .filter(pk__in=jurys.values("pk"))
        .select_related("etat_deliberation")
        .order_by("pk")
    )
    verrouilles = sorted((j for j in concernes if etat_de(j).verrouillee), key=lambda j: j.nom)
    if verrouilles:
        etat = etat_de(verrouilles[0])
        quand = timezone.localtime(etat.verrouillee_le).strftime("%d/%m/%Y à %H:%M")
        raise DeliberationVerrouillee(
            f"La délibération du jury « {etat.jury.nom} » est verrouillée (le {quand}, par {etat.verrouillee_par}) : "
            "notes, points de jury, épreuves de contrôle, livrets et décisions de ses candidats ne changent plus. "
            "Pour corriger, rouvrez-la en indiquant le motif."
        )


def etat_de(jury: Jury) -> EtatDeliberation:
    """L'état de la délibération du jury (ouverte, si rien n'a encore été fait), sans l'enregistrer."""
    try:
        return jury.etat_deliberation
    except EtatDeliberation.DoesNotExist:
        return EtatDeliberation(jury=jury)


def _etat_verrouille(jury: Jury) -> EtatDeliberation:
    Jury.objects.select_for_update().filter(pk=jury.pk).first()
    etat, _ = EtatDeliberation.objects.select_for_update().get_or_create(jury=jury)
    return etat


def _photo(etat: EtatDeliberation) -> dict[str, Any]:
    def instant(valeur: Any) -> str | None:
        return None if valeur is None else valeur.isoformat()

    return {
        "etat": etat.libelle,
        "verrouillee_le": instant(etat.verrouillee_le),
        "verrouillee_par": etat.verrouillee_par,
        "publiee_le": instant(etat.publiee_le),
        "publiee_par": etat.publiee_par,
        "reouvertures": etat.reouvertures,
    }


def _tracer_etat(etat: EtatDeliberation, *, acteur: str, avant: dict[str, Any], libelle: str, motif: str = "") -> None:
    tracer(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="jury.etatdeliberation",
        objet_id=etat.pk,
        objet_libelle=f"jury « {etat.jury.nom} » — {libelle}",
        avant=avant,
        apres=_photo(etat),
        motif=motif,
    )


@transaction.atomic
def verrouiller_deliberation(*, jury: Jury, acteur: str) -> EtatDeliberation:
    """Verrouille la délibération du jury : ses décisions en vigueur deviennent celles du procès-verbal.

    Refusé tant que la délibération n'est pas à jour (une note ou un point de jury changé depuis la dernière
    délibération appliquée) : on ne fige que ce que le moteur confirme."""
    if not acteur:
        raise ValueError("Un verrouillage nomme toujours son acteur.")
    etat = _etat_verrouille(jury)
    if etat.verrouillee:
        raise EtatDeliberationImpossible(f"La délibération du jury « {jury.nom} » est déjà verrouillée.")
    rapport = deliberer_session(session=jury.session, jury=jury, acteur=acteur)
    if rapport.erreurs:
        raise EtatDeliberationImpossible(
            f"Délibération du jury « {jury.nom} » impossible à verrouiller : {len(rapport.erreurs)} erreur(s), "
            f"par exemple « {rapport.erreurs[0]} »"
        )
    if not rapport.decisions:
        raise EtatDeliberationImpossible(f"Le jury « {jury.nom} » n'a aucun candidat à délibérer.")
    if rapport.changements:
        raise EtatDeliberationImpossible(
            f"{len(rapport.changements)} décision(s) du jury « {jury.nom} » ne sont pas à jour (notes ou points de "
            "jury changés depuis la dernière délibération) : délibérez de nouveau, puis verrouillez."
        )
    avant = _photo(etat)
    etat.verrouillee_le, etat.verrouillee_par = timezone.now(), acteur
    etat.save()
    _tracer_etat(etat, acteur=acteur, avant=avant, libelle="délibération verrouillée")
    return etat


@transaction.atomic
def rouvrir_deliberation(*, jury: Jury, acteur: str, motif: str) -> EtatDeliberation:
    """Rouvre une délibération verrouillée pour corriger (motif obligatoire, tracé). Les résultats déjà publiés
    restent consultables ; la délibération se verrouille et se publie de nouveau après la correction."""
    if not acteur:
        raise ValueError("Une réouverture nomme toujours son acteur.")
    etat = _etat_verrouille(jury)
    if not motif.strip():
        raise EtatDeliberationImpossible(f"Jury « {jury.nom} » : indiquez le motif de la réouverture.")
    if not etat.verrouillee:
        raise EtatDeliberationImpossible(f"La délibération du jury « {jury.nom} » n'est pas verrouillée.")
    avant = _photo(etat)
    etat.verrouillee_le, etat.verrouillee_par = None, ""
    etat.rouverte_le, etat.rouverte_par, etat.motif_reouverture = timezone.now(), acteur, motif.strip()
    etat.reouvertures += 1
    etat.save()
    _tracer_etat(etat, acteur=acteur, avant=avant, libelle="délibération rouverte", motif=etat.motif_reouverture)
    return etat


@transaction.atomic
def publier_deliberation(*, jury: Jury, acteur: str) -> EtatDeliberation:
    """Publie les résultats du jury (après verrouillage) : ses candidats et leurs établissements les consultent
    dès la date de publication de la session (`comptes.permissions.resultats_publies`)."""
    if not acteur:
        raise ValueError("Une publication nomme toujours son acteur.")
    etat = _etat_verrouille(jury)
    if not etat.verrouillee:
        raise EtatDeliberationImpossible(
            f"La délibération du jury « {jury.nom} » n'est pas verrouillée : verrouillez-la avant de publier."
        )
    avant = _photo(etat)
    etat.publiee_le, etat.publiee_par = timezone.now(), acteur
    etat.save()
    _tracer_etat(etat, acteur=acteur, avant=avant, libelle="résultats publiés")
    return etat


def avertissements_avant_signature(jury: Jury) -> list[str]:
    """Ce que le président vérifie avant de signer le procès-verbal (CE D643-31) : un avertissement, pas un
    refus — la composition est celle que le recteur a nommée."""
    avertissements = list(jury.avertissements_composition())
    if not jury.president.strip():
        avertissements.append(f"{jury.nom} : aucun président nommé (un universitaire ou un inspecteur, D643-31).")
    return avertissements
