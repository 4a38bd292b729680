"""Édition des documents des écrits par le service d'édition tracée (`editions.services.emettre_en_masse`) :
bordereaux de lots (numéros d'anonymat seulement) et plans de salle. Une réédition sans changement ne crée
aucune version ; un changement (correcteur, place) en crée une nouvelle, l'ancienne reste."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from examens.apps.ecrits.models import Copie, Lot
from examens.apps.ecrits.selectors import repartition_du_centre
from examens.apps.editions.services import AEmettre, BilanEdition, emettre_en_masse
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.core.reglement import reglement_fourni
from examens.documents.commun import Centre as CentreDocument
from examens.documents.commun import Edition
from examens.documents.ecrits import BordereauLot, CopieBordereau, PlanSalle, TablePlan

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # remplacé à l'émission par l'instant réel


def _centre(centre: Centre) -> CentreDocument:
    return CentreDocument(
        code=centre.code, nom=centre.nom, adresse=(centre.ville,) if centre.ville else (), fuseau=centre.fuseau
    )


def _edition(reference: str, centre: Centre, epreuve: EpreuveEcrite) -> Edition:
    return Edition(
        reference=reference,
        emis_le=EPOCH,
        academie=centre.academie.nom,
        fuseau=centre.fuseau,
        session=epreuve.debut.year,
    )


def bordereaux(lots: Sequence[Lot]) -> Iterator[AEmettre]:
    """Les données figées du bordereau de chaque lot : numéros d'anonymat (et notes validées, s'il y en a)."""
    lots = list(
        Lot.objects.filter(pk__in=[lot.pk for lot in lots])
        .select_related("epreuve__session", "centre_correction__academie", "correcteur")
        .order_by("numero")
    )
    copies: dict[int, list[CopieBordereau]] = {}
    for lot_id, numero, note in (
        Copie.objects.filter(lot__in=lots).order_by("numero").values_list("lot_id", "numero", "note_initiale")
    ):
        copies.setdefault(lot_id, []).append(CopieBordereau(numero=numero, note=note))
    for lot in lots:
        epreuve = lot.epreuve
        intitule = reglement_fourni(epreuve.session.reglement).epreuve(epreuve.epreuve).intitule
        c = lot.correcteur
        yield AEmettre(
            cle=f"lot:{lot.code}",
            intitule=f"Bordereau du lot {lot.code}",
            donnees=BordereauLot(
                edition=_edition(f"BL-{lot.code}", lot.centre_correction, epreuve),
                centre=_centre(lot.centre_correction),
                epreuve=epreuve.epreuve,
                intitule=intitule,
                lot=lot.code,
                debut=epreuve.debut,
                copies=tuple(copies.get(lot.pk, ())),
                correcteur=None if c is None else f"{c.prenom} {c.nom.upper()} ({c.code})",
                remis_le=lot.remis_le,
            ),
            centre_id=lot.centre_correction_id,
        )


def editer_bordereaux(*, lots: Sequence[Lot], par: str, forcer: bool = False, motif: str = "") -> BilanEdition:
    """Émet (ou réémet, si un lot a changé) le bordereau de chaque lot."""
    if not lots:
        return BilanEdition()
    session = lots[0].epreuve.session
    return emettre_en_masse(
        session=session,
        modele="bordereau-lot",
        elements=bordereaux(lots),
        par=par,
        total=len(lots),
        forcer=forcer,
        motif=motif,
        processus=1,
    )


def plans_de_salle(*, session: ExamSession, centre: Centre, epreuve: EpreuveEcrite | None = None) -> Iterator[AEmettre]:
    """Un plan par salle et par épreuve (ou pour `epreuve`), d'après la répartition enregistrée du centre."""
    centre = Centre.objects.select_related("academie").get(pk=centre.pk)
    for e in repartition_du_centre(session=session, centre=centre):
        if epreuve is not None and e.epreuve.pk != epreuve.pk:
            continue
        for s in e.salles:
            yield AEmettre(
                cle=f"{centre.code}:{e.epreuve.epreuve}:{s.salle.nom}",
                intitule=f"Plan de salle {e.epreuve.epreuve} — {centre.nom}, {s.salle.nom}",
                donnees=PlanSalle(
                    edition=_edition(f"PLAN-{centre.code}-{e.epreuve.epreuve}", centre, e.epreuve),
                    centre=_centre(centre),
                    salle=s.salle.nom,
                    epreuve=e.epreuve.epreuve,
                    intitule=e.intitule,
                    debut=e.epreuve.debut,
                    duree_minutes=e.epreuve.duree_minutes,
                    temps_de_loge_minutes=e.epreuve.temps_de_loge_minutes,
                    tables=tuple(
                        TablePlan(
                            numero=p.table,
                            candidat=p.numero,
                            nom=p.nom,
                            prenoms=p.prenoms,
                            amenagements=p.amenagements,
                            temps_majore=p.temps_majore,
                        )
                        for p in s.places
                    ),
                    surveillants=s.surveillants,
                ),
                centre_id=centre.pk,
            )


def editer_plans_de_salle(
    *, session: ExamSession, centre: Centre, par: str, epreuve: EpreuveEcrite | None = None
) -> BilanEdition:
    """Émet le plan de chaque salle du centre (pour une épreuve, ou pour toutes)."""
    elements = list(plans_de_salle(session=session, centre=centre, epreuve=epreuve))
    return emettre_en_masse(
        session=session, modele="plan-salle", elements=elements, par=par, total=len(elements), processus=1
    )
