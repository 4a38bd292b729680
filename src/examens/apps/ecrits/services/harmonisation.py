"""Harmonisation des notes d'une épreuve écrite, verrouillage, levée d'anonymat.

La commission d'harmonisation compare les correcteurs (`selectors.statistiques_harmonisation`) et ajuste,
par un motif écrit, les notes d'un lot : un décalage de toutes ses copies (+1 point, borné à 20) ou des notes
une par une. Les notes initiales (double saisie) restent sur les copies ; chaque ajustement est tracé.

Verrouillée, la commission fige toutes les notes de l'épreuve (saisies, ajustements, présences) ; la
rouvrir demande un motif et se trace. L'anonymat ne se lève qu'une fois l'harmonisation verrouillée : la
note finale de chaque copie devient la note de l'examinateur du candidat (`notes.services.ecrire_resultats`,
tracé), que la délibération lit.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from examens.apps.ecrits.erreurs import HarmonisationImpossible
from examens.apps.ecrits.models import Ajustement, CommissionHarmonisation, Copie, Lot, Place
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.services import EcritureResultat, ecrire_resultats
from examens.apps.organisation.models import EpreuveEcrite
from examens.core.ecrits import decaler
from examens.core.reglement import reglement_fourni
from examens.core.resultats import NoteInvalide, lire_note


def _fr(valeur: Decimal) -> str:
    return format(valeur.normalize(), "f").replace(".", ",")


def _valeur(d: Decimal | None) -> str | None:
    return None if d is None else f"{d:.2f}"


@transaction.atomic
def ouvrir_commission(
    *, epreuve: EpreuveEcrite, acteur: str, president: str = "", membres: str = ""
) -> CommissionHarmonisation:
    """La commission d'harmonisation de l'épreuve (créée au premier appel ; ensuite, sa composition change)."""
    commission, creee = CommissionHarmonisation.objects.select_for_update(of=("self",)).get_or_create(epreuve=epreuve)
    avant = None if creee else {"president": commission.president, "membres": commission.membres}
    commission.president, commission.membres = president.strip(), membres.strip()
    commission.save(update_fields=["president", "membres"])
    apres = {"president": commission.president, "membres": commission.membres}
    if avant != apres:
        tracer(
            acteur=acteur,
            action=Trace.Action.CREATION if creee else Trace.Action.MODIFICATION,
            objet_type="ecrits.commissionharmonisation",
            objet_id=commission.pk,
            objet_libelle=f"commission d'harmonisation — {epreuve.epreuve}",
            avant=avant,
            apres=apres,
        )
    return commission


def _commission_ouverte(lot: Lot) -> CommissionHarmonisation:
    commission = (
        CommissionHarmonisation.objects.select_for_update(of=("self",)).filter(epreuve_id=lot.epreuve_id).first()
    )
    if commission is None:
        raise HarmonisationImpossible(
            f"{lot.epreuve.epreuve} : aucune commission d'harmonisation ; ouvrez-la d'abord (ouvrir_commission)."
        )
    if commission.verrouillee:
        raise HarmonisationImpossible(
            f"{lot.epreuve.epreuve} : l'harmonisation est verrouillée ; rouvrez-la (avec un motif) pour ajuster."
        )
    return commission


def _copies_validees(lot: Lot) -> list[Copie]:
    copies = list(Copie.objects.select_for_update(of=("self",)).filter(lot=lot).order_by("numero"))
    manquantes = [c.numero for c in copies if c.note_initiale is None]
    if manquantes:
        raise HarmonisationImpossible(
            f"Lot {lot.code} : {len(manquantes)} copie(s) sans note validée ({', '.join(manquantes[:5])}) ; "
            "terminez la double saisie avant d'harmoniser."
        )
    return copies


def _appliquer(
    *,
    commission: CommissionHarmonisation,
    lot: Lot,
    nouvelles: dict[str, Decimal],
    copies: list[Copie],
    nature: Ajustement.Nature,
    points: Decimal | None,
    motif: str,
    acteur: str,
) -> Ajustement:
    details: dict[str, list[str | None]] = {}
    changees: list[Copie] = []
    traces: list[Trace] = []
    for copie in copies:
        if copie.numero not in nouvelles:
            continue
        avant = copie.note_finale
        apres = nouvelles[copie.numero]
        details[copie.numero] = [_valeur(avant), _valeur(apres)]
        if avant == apres and copie.note_harmonisee is not None:
            continue
        copie.note_harmonisee = apres
        changees.append(copie)
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.MODIFICATION,
                objet_type="ecrits.copie",
                objet_id=str(copie.pk),
                objet_libelle=f"copie {lot.epreuve.epreuve} n° {copie.numero} — harmonisation",
                avant={"note_initiale": _valeur(copie.note_initiale), "note_harmonisee": _valeur(avant)},
                apres={"note_initiale": _valeur(copie.note_initiale), "note_harmonisee": _valeur(apres)},
                motif=motif,
            )
        )
    Copie.objects.bulk_update(changees, ["note_harmonisee"])
    ajustement = Ajustement.objects.create(
        commission=commission,
        lot=lot,
        nature=nature,
        points=points,
        motif=motif,
        details=details,
        decide_par=acteur,
    )
    traces.append(
        Trace(
            acteur=acteur,
            action=Trace.Action.DECISION,
            objet_type="ecrits.ajustement",
            objet_id=str(ajustement.pk),
            objet_libelle=f"harmonisation — lot {lot.code}",
            apres={"nature": nature.value, "points": _valeur(points), "copies": len(details)},
            motif=motif,
        )
    )
    tracer_en_masse(traces)
    return ajustement


@transaction.atomic
def ajuster_lot(*, lot: Lot, points: Decimal | str, motif: str, acteur: str) -> Ajustement:
    """Décale toutes les notes du lot de `points` (« +1 », « -0,5 »), chaque note bornée à [0, 20]. Le
    décalage s'applique aux notes actuelles (harmonisées, sinon initiales) ; les initiales restent."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve__session").get(pk=lot.pk)
    commission = _commission_ouverte(lot)
    if not motif.strip():
        raise HarmonisationImpossible(f"Lot {lot.code} : motivez l'ajustement (par ex. « correcteur sévère »).")
    reglement = reglement_fourni(lot.epreuve.session.reglement)
    texte = str(points).strip().replace(",", ".")
    signe = Decimal(-1) if texte.startswith("-") else Decimal(1)
    try:
        ecart = signe * lire_note(texte.lstrip("+-"), maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
    except NoteInvalide as exc:
        raise HarmonisationImpossible(f"Lot {lot.code} : décalage « {points} » : {exc.message}") from None
    if ecart == 0:
        raise HarmonisationImpossible(f"Lot {lot.code} : un décalage de 0 point ne change rien.")
    copies = _copies_validees(lot)
    nouvelles = {
        c.numero: decaler(c.note_finale, ecart, maximum=reglement.notes.maximum)  # type: ignore[arg-type]
        for c in copies
    }
    return _appliquer(
        commission=commission,
        lot=lot,
        nouvelles=nouvelles,
        copies=copies,
        nature=Ajustement.Nature.DECALAGE,
        points=ecart,
        motif=motif.strip(),
        acteur=acteur,
    )


@transaction.atomic
def ajuster_notes(*, lot: Lot, notes: Mapping[str, Decimal | str], motif: str, acteur: str) -> Ajustement:
    """Fixe la note harmonisée de copies du lot, une par une (par numéro d'anonymat), au pas du règlement."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("epreuve__session").get(pk=lot.pk)
    commission = _commission_ouverte(lot)
    if not motif.strip():
        raise HarmonisationImpossible(f"Lot {lot.code} : motivez l'ajustement.")
    reglement = reglement_fourni(lot.epreuve.session.reglement)
    copies = _copies_validees(lot)
    connues = {c.numero for c in copies}
    nouvelles: dict[str, Decimal] = {}
    erreurs = []
    for numero, valeur in notes.items():
        if numero not in connues:
            erreurs.append(f"la copie n° {numero} n'est pas dans le lot {lot.code}")
            continue
        try:
            nouvelles[numero] = lire_note(
                str(valeur), maximum=reglement.notes.maximum, pas=reglement.notes.pas
            ).valeur.quantize(Decimal("0.01"))
        except NoteInvalide as exc:
            erreurs.append(f"copie n° {numero} : {exc.message.rstrip('.')}")
    if erreurs or not nouvelles:
        raise HarmonisationImpossible("; ".join(erreurs) or f"Lot {lot.code} : aucune note à ajuster.")
    return _appliquer(
        commission=commission,
        lot=lot,
        nouvelles=nouvelles,
        copies=copies,
        nature=Ajustement.Nature.NOTE_A_NOTE,
        points=None,
        motif=motif.strip(),
        acteur=acteur,
    )


@transaction.atomic
def verrouiller_harmonisation(*, commission: CommissionHarmonisation, acteur: str) -> CommissionHarmonisation:
    """Verrouille les notes de l'épreuve avant la délibération : toutes les présences saisies, toutes les
    copies dans un lot avec une note validée (aucun écart en suspens). Tracé."""
    commission = (
        CommissionHarmonisation.objects.select_for_update(of=("self",)).select_related("epreuve").get(pk=commission.pk)
    )
    epreuve = commission.epreuve
    if commission.verrouillee:
        raise HarmonisationImpossible(f"{epreuve.epreuve} : l'harmonisation est déjà verrouillée.")
    problemes = []
    a_saisir = Place.objects.filter(epreuve=epreuve, presence=Place.Presence.A_SAISIR).count()
    if a_saisir:
        problemes.append(f"{a_saisir} présence(s) à saisir")
    non_anonymes = (
        Place.objects.filter(epreuve=epreuve, presence=Place.Presence.PRESENT)
        .exclude(candidat__copies_ecrits__epreuve=epreuve)
        .count()
    )
    if non_anonymes:
        problemes.append(f"{non_anonymes} copie(s) de présents à anonymiser")
    copies = Copie.objects.filter(epreuve=epreuve)
    sans_lot = copies.filter(lot__isnull=True).count()
    if sans_lot:
        problemes.append(f"{sans_lot} copie(s) hors lot")
    ecarts = copies.filter(ecart=True).count()
    if ecarts:
        problemes.append(f"{ecarts} écart(s) de double saisie à résoudre")
    sans_note = copies.filter(note_initiale__isnull=True, ecart=False).count()
    if sans_note:
        problemes.append(f"{sans_note} copie(s) sans note validée")
    if problemes:
        raise HarmonisationImpossible(f"{epreuve.epreuve} ne se verrouille pas encore : {' ; '.join(problemes)}.")
    commission.statut = CommissionHarmonisation.Statut.VERROUILLEE
    commission.verrouillee_le, commission.verrouillee_par = timezone.now(), acteur
    commission.save(update_fields=["statut", "verrouillee_le", "verrouillee_par"])
    tracer(
        acteur=acteur,
        action=Trace.Action.DECISION,
        objet_type="ecrits.commissionharmonisation",
        objet_id=commission.pk,
        objet_libelle=f"harmonisation — {epreuve.epreuve} — verrouillage",
        avant={"statut": CommissionHarmonisation.Statut.OUVERTE.value},
        apres={"statut": commission.statut, "copies": copies.count()},
    )
    return commission


@transaction.atomic
def rouvrir_harmonisation(*, commission: CommissionHarmonisation, motif: str, acteur: str) -> CommissionHarmonisation:
    """Rouvre une harmonisation verrouillée (motif obligatoire, tracé). Si l'anonymat était levé, les notes
    changées ensuite ne passent aux candidats qu'à la levée suivante, après un nouveau verrouillage."""
    commission = (
        CommissionHarmonisation.objects.select_for_update(of=("self",)).select_related("epreuve").get(pk=commission.pk)
    )
    if not commission.verrouillee:
        raise HarmonisationImpossible(f"{commission.epreuve.epreuve} : l'harmonisation n'est pas verrouillée.")
    if not motif.strip():
        raise HarmonisationImpossible("Motivez la réouverture de l'harmonisation.")
    commission.statut = CommissionHarmonisation.Statut.OUVERTE
    commission.save(update_fields=["statut"])
    tracer(
        acteur=acteur,
        action=Trace.Action.DECISION,
        objet_type="ecrits.commissionharmonisation",
        objet_id=commission.pk,
        objet_libelle=f"harmonisation — {commission.epreuve.epreuve} — réouverture",
        avant={"statut": CommissionHarmonisation.Statut.VERROUILLEE.value},
        apres={"statut": commission.statut},
        motif=motif.strip(),
    )
    return commission


@transaction.atomic
def lever_anonymat(*, commission: CommissionHarmonisation, acteur: str) -> int:
    """Lève l'anonymat de l'épreuve (harmonisation verrouillée seulement) : la note finale de chaque copie
    (harmonisée, sinon initiale) devient la note de l'examinateur du candidat, tracée. Relancée après une
    réouverture, elle ne réécrit que les notes qui ont changé. Rend le nombre de résultats écrits."""
    commission = (
        CommissionHarmonisation.objects.select_for_update(of=("self",)).select_related("epreuve").get(pk=commission.pk)
    )
    epreuve = commission.epreuve
    if not commission.verrouillee:
        raise HarmonisationImpossible(
            f"{epreuve.epreuve} : l'anonymat ne se lève qu'après le verrouillage de l'harmonisation."
        )
    ecritures = [
        EcritureResultat(
            candidat_id, epreuve.epreuve, EtatBase.NOTE, harmonisee if harmonisee is not None else initiale
        )
        for candidat_id, initiale, harmonisee in Copie.objects.filter(epreuve=epreuve)
        .order_by("correspondance__candidat_id")
        .values_list("correspondance__candidat_id", "note_initiale", "note_harmonisee")
    ]
    ecrites = ecrire_resultats(
        ecritures=ecritures, acteur=acteur, motif=f"levée d'anonymat de {epreuve.epreuve} (notes harmonisées)"
    )
    premiere = commission.anonymat_leve_le is None
    commission.anonymat_leve_le, commission.anonymat_leve_par = timezone.now(), acteur
    commission.save(update_fields=["anonymat_leve_le", "anonymat_leve_par"])
    tracer(
        acteur=acteur,
        action=Trace.Action.DECISION,
        objet_type="ecrits.commissionharmonisation",
        objet_id=commission.pk,
        objet_libelle=f"levée d'anonymat — {epreuve.epreuve}",
        apres={"copies": len(ecritures), "resultats_ecrits": ecrites, "premiere_levee": premiere},
    )
    return ecrites
