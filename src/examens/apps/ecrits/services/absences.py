"""Absences aux écrits : justificatif déposé, décision de la division des examens (AB ou ABJ), notification.

Circ. 1.6 : toute absence non justifiée par une cause de force majeure dûment constatée interdit la
délivrance du diplôme. L'absent est AB dès la saisie des présences ; la division des examens, au vu d'un
justificatif, reconnaît la force majeure (ABJ, compté 0 dans la moyenne, §3) ou la refuse (AB reste).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from examens.apps.candidats.models import NoteConservee
from examens.apps.ecrits.erreurs import JustificatifRefuse
from examens.apps.ecrits.models import Absence, Justificatif
from examens.apps.ecrits.selectors import OBJET_TELECHARGEMENT_JUSTIFICATIF
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.services import EcritureResultat, ecrire_resultats
from examens.core.ecrits import REGLES_ECRITS, ReglesEcrits

TYPES_JUSTIFICATIF = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def type_reel(contenu: bytes) -> str | None:
    """Le type MIME d'après le contenu (les « nombres magiques »), jamais d'après le nom du fichier :
    un PDF commence par « %PDF- » et finit par « %%EOF » ; un PNG par sa signature et l'en-tête IHDR ; un
    JPEG par le marqueur SOI suivi d'un marqueur. None : ni PDF, ni JPEG, ni PNG."""
    if contenu.startswith(b"%PDF-") and b"%%EOF" in contenu[-2048:]:
        return "application/pdf"
    if contenu.startswith(b"\x89PNG\r\n\x1a\n") and contenu[12:16] == b"IHDR":
        return "image/png"
    if contenu.startswith(b"\xff\xd8\xff") and len(contenu) > 4:
        return "image/jpeg"
    return None


@transaction.atomic
def deposer_justificatif(
    *, absence: Absence, nom_fichier: str, contenu: bytes, acteur: str, regles: ReglesEcrits = REGLES_ECRITS
) -> Justificatif:
    """Ajoute une pièce à une absence non encore statuée : un vrai PDF, JPEG ou PNG (reconnu à son contenu),
    de 5 Mo au plus. Tracé (nom, type, taille, empreinte ; jamais le contenu)."""
    absence = (
        Absence.objects.select_for_update(of=("self",))
        .select_related("place__candidat", "place__epreuve")
        .get(pk=absence.pk)
    )
    place = absence.place
    if absence.decision != Absence.Decision.EN_ATTENTE:
        raise JustificatifRefuse(
            f"Candidat {place.candidat.numero}, {place.epreuve.epreuve} : l'absence est déjà statuée "
            f"({absence.get_decision_display()})."
        )
    nom = PurePath(nom_fichier.replace("\\", "/")).name.strip()[:255] or "justificatif"
    maximum = regles.justificatif_octets_max
    if not contenu:
        raise JustificatifRefuse(f"« {nom} » est vide : déposez le justificatif lui-même.")
    if len(contenu) > maximum:
        raise JustificatifRefuse(
            f"« {nom} » pèse {len(contenu) / 1024 / 1024:.1f} Mo ; {maximum // (1024 * 1024)} Mo au plus. "
            "Réduisez la résolution du scan ou déposez un PDF."
        )
    mime = type_reel(contenu)
    if mime is None:
        raise JustificatifRefuse(
            f"« {nom} » n'est ni un PDF, ni une image JPEG ou PNG (contenu vérifié, quel que soit le nom) ; "
            "déposez un scan au format PDF, JPEG ou PNG."
        )
    empreinte = hashlib.sha256(contenu).hexdigest()
    justificatif = Justificatif.objects.create(
        absence=absence,
        nom_fichier=nom,
        type_mime=mime,
        taille=len(contenu),
        empreinte=empreinte,
        contenu=contenu,
        depose_par=acteur,
    )
    tracer(
        acteur=acteur,
        action=Trace.Action.CREATION,
        objet_type="ecrits.justificatif",
        objet_id=justificatif.pk,
        objet_libelle=f"candidat {place.candidat.numero} — {place.epreuve.epreuve} — justificatif d'absence",
        apres={"fichier": nom, "type": mime, "taille": len(contenu), "empreinte": empreinte},
    )
    return justificatif


# Au titre de quoi la pièce est lue (gardé dans la trace).
QUALITES_LECTEUR = {
    "gestionnaire": "division des examens",
    "candidat": "candidat",
    "etablissement": "établissement",
}


@transaction.atomic
def telecharger_justificatif(*, justificatif: Justificatif, acteur: str, qualite: str) -> Justificatif:
    """Une lecture d'une pièce justificative d'absence (pièce médicale, le plus souvent) : tracée dans
    l'historique comme les autres lectures sensibles — qui, quand, au titre de quoi, quelle pièce (nom,
    empreinte) ; jamais le contenu. Le droit de lire est vérifié avant, par la vue (périmètre de l'absence).
    Rend le justificatif, contenu compris, à servir sans cache partagé."""
    if qualite not in QUALITES_LECTEUR:
        raise ValueError(f"Qualité du lecteur inconnue : « {qualite} » ({', '.join(QUALITES_LECTEUR)}).")
    justificatif = Justificatif.objects.select_related("absence__place__candidat", "absence__place__epreuve").get(
        pk=justificatif.pk
    )
    place = justificatif.absence.place
    tracer(
        acteur=acteur,
        action=Trace.Action.CONSULTATION,
        objet_type=OBJET_TELECHARGEMENT_JUSTIFICATIF,
        objet_id=justificatif.pk,
        objet_libelle=(
            f"candidat {place.candidat.numero} — {place.epreuve.epreuve} — téléchargement du justificatif d'absence"
        ),
        apres={
            "fichier": justificatif.nom_fichier,
            "empreinte": justificatif.empreinte,
            "lecteur": QUALITES_LECTEUR[qualite],
        },
    )
    return justificatif


def adresses_a_notifier(absence: Absence) -> list[str]:
    """Le candidat et son établissement (les comptes « établissement » de la session, s'il en a)."""
    candidat = absence.place.candidat
    adresses = [candidat.courriel] if candidat.courriel else []
    if candidat.etablissement_id is not None and apps.is_installed("examens.apps.comptes"):
        from examens.apps.comptes.models import Habilitation, Role

        adresses += [
            a
            for a in Habilitation.objects.filter(
                role=Role.ETABLISSEMENT, etablissement_id=candidat.etablissement_id, session_id=candidat.session_id
            )
            .values_list("utilisateur__email", flat=True)
            .order_by("utilisateur__email")
            if a
        ]
    return list(dict.fromkeys(adresses))


@transaction.atomic
def statuer_absence(*, absence: Absence, force_majeure: bool, motif: str, acteur: str) -> Absence:
    """La division des examens statue : force majeure reconnue (ABJ, sur pièce) ou refusée (AB). Une décision
    peut être revue (recours) : chaque décision est tracée, avant et après. Le résultat de l'épreuve suit
    (sauf note conservée, qui reste) ; le candidat et son établissement sont notifiés après l'enregistrement."""
    absence = (
        Absence.objects.select_for_update(of=("self",))
        .select_related("place__candidat__session", "place__epreuve")
        .get(pk=absence.pk)
    )
    place = absence.place
    candidat, epreuve = place.candidat, place.epreuve
    if not motif.strip():
        raise JustificatifRefuse(f"Candidat {candidat.numero}, {epreuve.epreuve} : motivez la décision.")
    if force_majeure and not absence.justificatifs.exists():
        raise JustificatifRefuse(
            f"Candidat {candidat.numero}, {epreuve.epreuve} : la force majeure se reconnaît sur pièce ; déposez "
            "d'abord le justificatif."
        )
    decision = Absence.Decision.FORCE_MAJEURE if force_majeure else Absence.Decision.REFUSEE
    avant = {"decision": absence.decision, "motif": absence.motif_decision}
    absence.decision, absence.motif_decision = decision, motif.strip()
    absence.decidee_par, absence.decidee_le = acteur, timezone.now()
    absence.save(update_fields=["decision", "motif_decision", "decidee_par", "decidee_le"])
    if not NoteConservee.objects.filter(candidat=candidat, epreuve=epreuve.epreuve).exists():
        etat = EtatBase.ABSENT_JUSTIFIE if force_majeure else EtatBase.ABSENT
        ecrire_resultats(
            ecritures=[EcritureResultat(candidat.pk, epreuve.epreuve, etat)],
            acteur=acteur,
            motif=f"décision sur l'absence : {absence.motif_decision}",
        )
    tracer(
        acteur=acteur,
        action=Trace.Action.DECISION,
        objet_type="ecrits.absence",
        objet_id=absence.pk,
        objet_libelle=f"candidat {candidat.numero} — {epreuve.epreuve} — absence",
        avant=avant,
        apres={"decision": decision.value, "motif": absence.motif_decision},
        motif=absence.motif_decision,
    )
    destinataires = adresses_a_notifier(absence)
    intitule = f"BTS — {epreuve.session.intitule}"
    if force_majeure:
        objet = f"{intitule} : absence justifiée à l'épreuve {epreuve.epreuve}"
        corps = (
            f"La division des examens a reconnu la force majeure pour l'absence du candidat {candidat.numero} "
            f"({candidat.prenoms} {candidat.nom}) à l'épreuve écrite {epreuve.epreuve}. L'épreuve est notée ABJ "
            "(absent justifié) : elle compte 0 dans la moyenne, sans interdire la délivrance du diplôme."
        )
    else:
        objet = f"{intitule} : absence non justifiée à l'épreuve {epreuve.epreuve}"
        corps = (
            f"La division des examens n'a pas reconnu de force majeure pour l'absence du candidat "
            f"{candidat.numero} ({candidat.prenoms} {candidat.nom}) à l'épreuve écrite {epreuve.epreuve}. "
            "L'épreuve reste notée AB (absent) : une absence non justifiée à une épreuve obligatoire interdit la "
            "délivrance du diplôme (circulaire nationale, 1.6)."
        )
    corps += f"\n\nMotif : {absence.motif_decision}"
    if destinataires:
        from examens.apps.editions.services import notifier

        transaction.on_commit(lambda: notifier(destinataires=destinataires, objet=objet, corps=corps, par=acteur))
    return absence
