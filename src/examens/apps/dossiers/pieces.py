"""Cas d'usage : l'établissement de formation dépose les pièces d'un candidat (dossier E4 ou E6 en PDF,
attestation de stage, livret scolaire avec sa mention PIX).

Un fichier déposé est contrôlé avant d'entrer en base (`verifier_televersement`) : la taille d'abord (sans
lire un fichier trop lourd), puis les octets magiques et la fin d'un PDF (`sujets.fichiers.verifier_pdf`,
partagé avec les sujets), puis une lecture complète par pypdf (un PDF illisible ou sans page est refusé) ; le
nom est nettoyé (ni chemin, ni caractère spécial). Le message d'un refus nomme le fichier.

Effets d'un dépôt, tracés dans la même transaction :
- dossier E4 ou E6 : le dossier est marqué déposé (date du jour dans le fuseau de Paris, s'il ne l'était pas) ;
  un dépôt après la date limite est enregistré tel quel — la commission de conformité le relèvera (§6, cause 2) ;
- attestation de stage : la période attestée est marquée « pièce fournie » (une nouvelle période peut être
  déclarée avec son attestation) ;
- livret scolaire : le candidat a fourni son livret (le jury devra l'examiner avant tout ajournement, §4.8) et
  la mention PIX portée au livret est enregistrée avec la pièce (Circ. 1.3) ; refusé si le jury l'a déjà examiné.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.dossiers.models import Dossier, Piece
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.jury.models import ExamenLivret, MentionPix
from examens.apps.sujets.erreurs import PieceRefusee
from examens.apps.sujets.fichiers import taille_max, verifier_pdf
from examens.core.erreurs import ErreurExamens

LONGUEUR_NOM = 100
DOSSIERS = {Piece.Nature.DOSSIER_E4: "E4", Piece.Nature.DOSSIER_E6: "E6"}


def _mo(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " Mo"


class DepotRefuse(ErreurExamens):
    code = "depot_refuse"


def nettoyer_nom(nom: str) -> str:
    """« ../../Mon dossier (v2)é.PDF » → « Mon_dossier_v2e.pdf » : sans chemin, lettres sans accent, chiffres,
    « - », « _ » et « . » seulement, 100 caractères au plus, extension « .pdf »."""
    base = PurePosixPath(nom.replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    tronc = re.sub(r"\.pdf$", "", base, flags=re.IGNORECASE)
    tronc = re.sub(r"[^A-Za-z0-9._-]+", "_", tronc).strip("._-")
    tronc = re.sub(r"_+", "_", tronc)[: LONGUEUR_NOM - 4] or "piece"
    return f"{tronc}.pdf"


@dataclass(frozen=True, slots=True)
class PdfDepose:
    nom: str  # nettoyé
    contenu: bytes
    taille: int
    pages: int
    empreinte: str


def verifier_televersement(*, nom: str, contenu: bytes | None = None, fichier: Any = None) -> PdfDepose:
    """Le fichier s'il est un vrai PDF de taille permise ; sinon `PieceRefusee` avec un message qui le nomme.

    `fichier` : un fichier téléversé (Django `UploadedFile`) dont la taille est connue avant lecture ; ou
    `contenu` : les octets déjà lus."""
    quoi = f"« {nom} »"
    maximum = taille_max()
    if fichier is not None:
        if fichier.size is not None and fichier.size > maximum:
            raise PieceRefusee(
                f"{quoi} : le fichier pèse {_mo(fichier.size)}, au-delà de {_mo(maximum)} ; allégez le PDF."
            )
        contenu = fichier.read(maximum + 1)
    pdf = verifier_pdf(contenu, quoi=quoi)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(pdf.contenu), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        pages = 0
    if pages == 0:
        raise PieceRefusee(
            f"{quoi} : ce PDF est illisible ou endommagé (aucune page lue) ; enregistrez-le de nouveau au format "
            "PDF, puis déposez-le."
        )
    return PdfDepose(nettoyer_nom(nom), pdf.contenu, pdf.taille, pages, pdf.empreinte)


def _version_suivante(candidat: Candidat, nature: str, periode: PeriodeStage | None) -> int:
    qs = (
        Piece.objects.filter(periode=periode)
        if periode is not None
        else Piece.objects.filter(candidat=candidat, nature=nature, periode__isnull=True)
    )
    return (qs.aggregate(m=Max("version"))["m"] or 0) + 1


def _tracer_piece(piece: Piece, par: str) -> None:
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="dossiers.piece",
        objet_id=piece.pk,
        objet_libelle=f"candidat {piece.candidat.numero} — {piece.get_nature_display()} (v{piece.version})",
        apres={
            "nature": piece.nature,
            "version": piece.version,
            "pages": piece.pages,
            "empreinte": piece.empreinte,
            **({"mention_pix": piece.mention_pix} if piece.nature == Piece.Nature.LIVRET_SCOLAIRE else {}),
        },
    )


@transaction.atomic
def deposer_piece(
    *,
    candidat: Candidat,
    nature: Piece.Nature | str,
    pdf: PdfDepose,
    par: str,
    periode: PeriodeStage | None = None,
    nouvelle_periode: tuple[str, dt.date, dt.date] | None = None,
    mention_pix: MentionPix | str = "",
    maintenant: dt.datetime | None = None,
) -> Piece:
    """Dépose une pièce vérifiée (`verifier_televersement`) pour le candidat. Voir la docstring du module.

    Attestation : `periode` (une période déjà déclarée du candidat) ou `nouvelle_periode` (entreprise, du, au).
    Livret scolaire : `mention_pix` obligatoire (une valeur de `jury.MentionPix`)."""
    instant = maintenant or timezone.now()
    nature = Piece.Nature(nature)
    candidat = Candidat.objects.select_for_update().get(pk=candidat.pk)
    numero = candidat.numero
    if candidat.desiste_le is not None:
        raise DepotRefuse(
            f"Candidat {numero} : désisté le {candidat.desiste_le:%d/%m/%Y}, aucune pièce n'est attendue."
        )
    if nature != Piece.Nature.ATTESTATION_STAGE and (periode is not None or nouvelle_periode is not None):
        raise ValueError("Seule une attestation de stage se rattache à une période.")
    if nature != Piece.Nature.LIVRET_SCOLAIRE and mention_pix:
        raise ValueError("La mention PIX accompagne le livret scolaire seulement.")

    if nature == Piece.Nature.ATTESTATION_STAGE:
        periode = _periode_attestee(candidat, periode, nouvelle_periode, par)
    elif nature == Piece.Nature.LIVRET_SCOLAIRE:
        if mention_pix not in MentionPix.values:
            raise DepotRefuse(
                "Indiquez la mention PIX portée au livret scolaire (obligatoire depuis la session 2022, Circ. 1.3)."
            )
        if ExamenLivret.objects.filter(candidat=candidat).exists():
            raise DepotRefuse(
                f"Candidat {numero} : le jury a déjà examiné son livret scolaire ; pour le remplacer, adressez-vous au "
                "gestionnaire de l'académie."
            )
        if not candidat.livret_scolaire:
            candidat.livret_scolaire = True
            candidat.save(update_fields=["livret_scolaire"])
            tracer(
                acteur=par,
                action=Trace.Action.MODIFICATION,
                objet_type="candidats.candidat",
                objet_id=candidat.pk,
                objet_libelle=f"candidat {numero} — livret scolaire fourni",
                avant={"livret_scolaire": False},
                apres={"livret_scolaire": True},
            )
    else:
        _marquer_dossier_depose(candidat, DOSSIERS[nature], instant, par)

    piece = Piece.objects.create(
        candidat=candidat,
        nature=nature,
        periode=periode,
        version=_version_suivante(candidat, nature, periode),
        nom_fichier=pdf.nom,
        contenu=pdf.contenu,
        taille=pdf.taille,
        pages=pdf.pages,
        empreinte=pdf.empreinte,
        mention_pix=mention_pix,
        deposee_par=par,
    )
    _tracer_piece(piece, par)
    return piece


def _periode_attestee(
    candidat: Candidat,
    periode: PeriodeStage | None,
    nouvelle: tuple[str, dt.date, dt.date] | None,
    par: str,
) -> PeriodeStage:
    numero = candidat.numero
    if (periode is None) == (nouvelle is None):
        raise DepotRefuse("Choisissez la période de stage attestée, ou déclarez-en une nouvelle (entreprise et dates).")
    if periode is not None:
        if periode.candidat_id != candidat.pk:
            raise ValueError("Cette période de stage n'est pas celle du candidat.")
        if not periode.piece_fournie:
            periode.piece_fournie = True
            periode.save(update_fields=["piece_fournie"])
            tracer(
                acteur=par,
                action=Trace.Action.MODIFICATION,
                objet_type="candidats.periodestage",
                objet_id=periode.pk,
                objet_libelle=f"candidat {numero} — période de stage",
                avant={"piece_fournie": False},
                apres={"piece_fournie": True},
            )
        return periode
    assert nouvelle is not None
    entreprise, debut, fin = nouvelle
    if not entreprise.strip():
        raise DepotRefuse("Indiquez l'entreprise de la période de stage.")
    if fin < debut:
        raise DepotRefuse(f"La période de stage finit le {fin:%d/%m/%Y}, avant son début le {debut:%d/%m/%Y}.")
    periode = PeriodeStage.objects.create(
        candidat=candidat, entreprise=entreprise.strip(), debut=debut, fin=fin, piece_fournie=True
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="candidats.periodestage",
        objet_id=periode.pk,
        objet_libelle=f"candidat {numero} — période de stage",
        apres={"debut": debut.isoformat(), "fin": fin.isoformat(), "piece_fournie": True},
    )
    return periode


def _marquer_dossier_depose(candidat: Candidat, epreuve: str, instant: dt.datetime, par: str) -> None:
    dossier, cree = Dossier.objects.select_for_update().get_or_create(candidat=candidat, epreuve=epreuve)
    if dossier.depose_le is not None:
        return  # nouvelle version d'un dossier déjà déposé : la date du premier dépôt reste
    jour = timezone.localtime(instant).date()
    dossier.depose_le = jour
    dossier.save(update_fields=["depose_le"])
    tracer(
        acteur=par,
        action=Trace.Action.CREATION if cree else Trace.Action.MODIFICATION,
        objet_type="dossiers.dossier",
        objet_id=dossier.pk,
        objet_libelle=f"candidat {candidat.numero} — dossier {epreuve}",
        avant=None if cree else {"depose_le": None},
        apres={"epreuve": epreuve, "depose_le": jour.isoformat()},
        motif="déposé en ligne",
    )
