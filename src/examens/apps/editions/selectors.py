"""Lectures des éditions : versions en vigueur, fichiers, envois sans accusé."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import F, QuerySet

from examens.apps.editions.models import Document, Envoi, Version

# Les documents des écrits d'une épreuve, d'après leur clé (« lot:E1-L001 », « 0630001A:E1:A12 »).
CLE_PAR_EPREUVE: dict[str, Callable[[str], dict[str, str]]] = {
    "bordereau-lot": lambda e: {"cle__startswith": f"lot:{e}-L"},
    "plan-salle": lambda e: {"cle__contains": f":{e}:"},
}


def documents(session: Any, modele: str, parametres: dict[str, Any]) -> QuerySet[Document]:
    """Les documents d'un modèle, restreints au centre, au jury ou à l'épreuve écrite des paramètres."""
    qs = Document.objects.filter(session=session, modele=modele, format=parametres.get("format", "pdf"))
    if parametres.get("centre"):
        qs = qs.filter(centre__code=parametres["centre"])
    if parametres.get("jury"):
        from examens.apps.editions.donnees import jury_de

        qs = qs.filter(jury=jury_de(session, parametres["jury"]))
    if parametres.get("epreuve") and modele in CLE_PAR_EPREUVE:
        qs = qs.filter(**CLE_PAR_EPREUVE[modele](parametres["epreuve"].strip().upper()))
    return qs


def versions_en_vigueur(session: Any, modele: str, parametres: dict[str, Any]) -> QuerySet[Version]:
    return (
        Version.objects.filter(document__in=documents(session, modele, parametres))
        .filter(numero=F("document__derniere_version"))
        .select_related("document", "fichier")
        .order_by("document__cle")
    )


def fichiers_en_vigueur(session: Any, modele: str, parametres: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """(nom de fichier, contenu) de la dernière version de chaque document, en flux (mémoire bornée)."""
    for version in versions_en_vigueur(session, modele, parametres).iterator(chunk_size=500):
        yield version.nom_fichier, bytes(version.fichier.contenu)


def envois_sans_accuse(session: Any, modele: str, parametres: dict[str, Any]) -> Iterator[Envoi]:
    return (
        Envoi.objects.filter(
            version__document__in=documents(session, modele, parametres),
            statut=Envoi.Statut.ENVOYE,
            accuse_le__isnull=True,
        )
        .select_related("version__document", "version__fichier")
        .iterator(chunk_size=200)
    )


def historique_du_document(document: Document) -> list[dict[str, Any]]:
    """Toutes les versions d'un document et qui a reçu chacune (rien n'est jamais effacé)."""
    lignes = []
    for v in document.versions.prefetch_related("envois").order_by("numero"):
        lignes.append(
            {
                "version": v.numero,
                "emise_le": v.emise_le,
                "emise_par": v.emise_par,
                "motif": v.motif,
                "empreinte": v.fichier_id,
                "destinataires": [(e.destinataire, e.envoye_le, e.accuse_le) for e in v.envois.all()],
            }
        )
    return lignes
