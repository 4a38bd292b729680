"""Les fiches-sujets E4 vers les données figées du modèle `fiche-sujet-e4` (`examens.documents`).

`fiches_sujets_e4` est le sélecteur d'édition en masse (`editions.donnees.SELECTIONS`) : les fiches prêtes ou
remises des candidats convoqués à l'E4 au centre (planning publié). `element_fiche_sujet` construit un seul
document (service `editer_fiche_sujet`, brouillon compris).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from examens.apps.editions.donnees import Selection, _centre_document, _edition, centre_de
from examens.apps.editions.services import AEmettre
from examens.apps.organisation.models import ExamSession
from examens.apps.planification.models import Passage
from examens.apps.sujets.models import FicheSujet

STATUTS_DOCUMENT = {
    FicheSujet.Statut.BROUILLON: "brouillon",
    FicheSujet.Statut.PRETE: "validee",
    FicheSujet.Statut.REMISE: "remise",
}


def _minutes(delta: Any) -> int:
    return int(delta.total_seconds() // 60)


def element_fiche_sujet(fiche: FicheSujet, passage: Passage) -> AEmettre:
    """Le document d'une fiche-sujet pour son passage E4 (heures du centre, membres de la commission)."""
    from examens.documents.commissions import (
        ActiviteDossier,
        FicheSujetE4,
        MembreCommission,
        NatureActivite,
        StatutFicheSujet,
    )
    from examens.documents.commun import IdentiteCandidat

    fiche = FicheSujet.objects.select_related("candidat__session", "activite__dossier", "commission").get(pk=fiche.pk)
    passage = Passage.objects.select_related("version__centre__academie", "commission").get(pk=passage.pk)
    candidat, centre = fiche.candidat, passage.version.centre
    autres = [
        a
        for a in fiche.activite.dossier.fiches.exclude(pk=fiche.activite_id).order_by("pk")
        if a.nature in {n.value for n in NatureActivite}
    ]
    membres = sorted(passage.commission.membres.select_related("etablissement"), key=lambda x: x.code)
    return AEmettre(
        cle=f"candidat:{candidat.numero}",
        intitule=f"Fiche-sujet E4 de {candidat.numero} ({fiche.get_statut_display()})",
        donnees=FicheSujetE4(
            edition=_edition(f"E4-{candidat.numero}", centre.academie.nom, centre.fuseau, candidat.session),
            candidat=IdentiteCandidat(
                numero=candidat.numero,
                nom=candidat.nom,
                prenoms=candidat.prenoms,
                date_naissance=candidat.date_naissance,
            ),
            centre=_centre_document(centre),
            commission=passage.commission.code,
            membres=tuple(
                MembreCommission(
                    nom=f"{x.prenom} {x.nom}",
                    qualite=x.get_qualite_display() + (f" (bloc {x.bloc})" if x.bloc else ""),
                    etablissement=x.etablissement.nom if x.etablissement else None,
                )
                for x in membres
            ),
            debut=passage.debut,
            activite_choisie=ActiviteDossier(
                intitule=fiche.activite.titre, nature=NatureActivite(fiche.activite.nature)
            ),
            autre_activite=(
                ActiviteDossier(intitule=autres[0].titre, nature=NatureActivite(autres[0].nature)) if autres else None
            ),
            contexte=fiche.contexte,
            parametres_modifies=tuple(fiche.parametres_modifies),
            role_commission=fiche.role_commission,
            statut=StatutFicheSujet(STATUTS_DOCUMENT[FicheSujet.Statut(fiche.statut)]),
            preparation_minutes=(
                _minutes(passage.debut - passage.debut_preparation) if passage.debut_preparation else 40
            ),
            duree_minutes=_minutes(passage.fin - passage.debut),
        ),
        candidat_id=candidat.pk,
        centre_id=centre.pk,
    )


def fiches_sujets_e4(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Les fiches-sujets prêtes ou remises des candidats convoqués à l'E4 au centre (planning publié)."""
    from examens.apps.planification.selectors import passages_du_centre

    centre = centre_de(session, parametres["centre"])
    e4 = {p.candidat_id: p for p in passages_du_centre(centre, session=session) if p.epreuve == "E4"}
    fiches = list(
        FicheSujet.objects.filter(
            candidat_id__in=list(e4), statut__in=(FicheSujet.Statut.PRETE, FicheSujet.Statut.REMISE)
        ).order_by("candidat__numero")
    )

    def elements() -> Iterator[AEmettre]:
        for f in fiches:
            ligne = e4[f.candidat_id]
            passage = Passage.objects.get(version_id=ligne.version_id, candidat_id=f.candidat_id, epreuve="E4")
            yield element_fiche_sujet(f, passage)

    return Selection(len(fiches), elements())
