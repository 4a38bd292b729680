"""Édition tracée et envois.

`emettre_en_masse` est le seul chemin d'écriture des documents : il rend chaque document à partir de ses
données figées (générateurs purs de `examens.documents`), le range par empreinte, et ajoute une version
seulement si les données ont changé (ou si une réédition est forcée, avec un motif). Rejouer une édition
interrompue ne crée donc aucun doublon : ce qui est déjà à jour est compté « inchangé ».

Le travail avance par lots, un lot = une transaction : la progression (`Travail.fait`) est visible des
autres connexions (interface, CLI) pendant que le travail tourne, et mémoire et durée d'une transaction
restent bornées quel que soit le volume.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from examens.apps.editions.models import Document, Envoi, Fichier, Travail, Version
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer

TAILLE_LOT = 500
TYPES_MIME = {
    "pdf": "application/pdf",
    "ics": "text/calendar",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Progression = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class AEmettre:
    """Un document à émettre : sa clé, son intitulé, ses données figées et ce à quoi il se rattache."""

    cle: str
    intitule: str
    donnees: Any  # une donnée figée de examens.documents (méthode en_json())
    candidat_id: int | None = None
    examinateur_id: int | None = None
    centre_id: int | None = None
    jury_id: int | None = None


@dataclass(slots=True)
class BilanEdition:
    total: int = 0
    nouvelles: int = 0
    inchangees: int = 0

    def resume(self) -> str:
        return (
            f"{self.total} document(s) : {self.nouvelles} nouvelle(s) version(s), "
            f"{self.inchangees} déjà à jour (inchangée(s))."
        )


def _rendre(tache: tuple[str, str, Any]) -> bytes:
    """Rend un document (dans un processus fils quand l'édition est parallèle)."""
    from examens.documents import MODELES

    code, format_, donnees = tache
    modele = MODELES[code]
    if format_ == "pdf":
        return bytes(modele.rendre_pdf(donnees))
    if format_ == "ics":
        return str(modele.rendre_ics(donnees)).encode("utf-8")
    return bytes(modele.rendre_xlsx(donnees))


def empreinte(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


class _Rendu:
    """Rend des lots de documents, en parallèle (fork, un processus par cœur) au-delà d'un seuil."""

    SEUIL_PARALLELE = 200

    def __init__(self, processus: int | None) -> None:
        self.processus = processus if processus is not None else (os.cpu_count() or 1)
        self._pool: Any = None

    def __call__(self, taches: list[tuple[str, str, Any]]) -> list[bytes]:
        if self.processus <= 1 or len(taches) < self.SEUIL_PARALLELE:
            return [_rendre(t) for t in taches]
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.processus)
        return list(self._pool.imap(_rendre, taches, chunksize=max(1, len(taches) // (self.processus * 4))))

    def fermer(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


def _lots[T](elements: Iterable[T], taille: int) -> Iterator[list[T]]:
    iterateur = iter(elements)
    while lot := list(islice(iterateur, taille)):
        yield lot


def emettre_en_masse(
    *,
    session: Any,
    modele: str,
    elements: Iterable[AEmettre],
    par: str,
    total: int | None = None,
    format_: str = "pdf",
    forcer: bool = False,
    motif: str = "",
    travail: Travail | None = None,
    progression: Progression | None = None,
    processus: int | None = None,
) -> BilanEdition:
    """Émet les documents `elements` du modèle `modele`. Voir la docstring du module.

    `forcer` réédite même si les données n'ont pas changé (le motif est alors obligatoire).
    """
    from examens.documents import MODELES

    if modele not in MODELES:
        raise ValueError(f"Modèle de document inconnu : « {modele} ». Modèles : {', '.join(sorted(MODELES))}.")
    if forcer and not motif.strip():
        raise ValueError("Une réédition forcée demande un motif (par ex. « changement de salle »).")
    if not par:
        raise ValueError("Une édition nomme toujours qui l'émet (une personne, ou « système »).")
    bilan = BilanEdition()
    rendu = _Rendu(processus)
    try:
        for lot in _lots(elements, TAILLE_LOT):
            nouvelles = _emettre_lot(session, modele, lot, par, format_, forcer, motif, travail, rendu)
            bilan.total += len(lot)
            bilan.nouvelles += nouvelles
            bilan.inchangees += len(lot) - nouvelles
            if travail is not None:
                Travail.objects.filter(pk=travail.pk).update(
                    fait=F("fait") + len(lot),
                    nouveaux=F("nouveaux") + nouvelles,
                    inchanges=F("inchanges") + len(lot) - nouvelles,
                )
            if progression is not None:
                progression(bilan.total, total if total is not None else bilan.total)
    finally:
        rendu.fermer()
    return bilan


def _emettre_lot(
    session: Any,
    modele: str,
    lot: list[AEmettre],
    par: str,
    format_: str,
    forcer: bool,
    motif: str,
    travail: Travail | None,
    rendu: _Rendu,
) -> int:
    cles = [e.cle for e in lot]
    if len(set(cles)) != len(cles):
        raise ValueError(f"Clés de documents en double dans un même lot ({modele}).")
    with transaction.atomic():
        documents = {
            d.cle: d
            for d in Document.objects.select_for_update().filter(
                session=session, modele=modele, format=format_, cle__in=cles
            )
        }
        dernieres = {
            v.document_id: v.donnees
            for v in Version.objects.filter(
                document__in=[d for d in documents.values() if d.derniere_version],
                numero=F("document__derniere_version"),
            ).only("document_id", "donnees")
        }
        maintenant = timezone.now()
        a_rendre: list[tuple[AEmettre, Any, dict[str, Any]]] = []
        for e in lot:
            doc = documents.get(e.cle)
            inchange = (
                not forcer
                and doc is not None
                and doc.pk in dernieres
                and _contenu(dernieres[doc.pk]) == _contenu(e.donnees.en_json())
            )
            if inchange:
                continue  # déjà émis avec les mêmes données : rien à refaire (reprise sans doublon)
            numero = (doc.derniere_version if doc is not None else 0) + 1
            donnees = _horodater(e.donnees, numero, maintenant)
            a_rendre.append((e, donnees, donnees.en_json()))
        if not a_rendre:
            return 0
        contenus = rendu([(modele, format_, donnees) for _, donnees, _ in a_rendre])
        empreintes = [empreinte(c) for c in contenus]
        connus = set(Fichier.objects.filter(empreinte__in=empreintes).values_list("empreinte", flat=True))
        fichiers = {}
        for contenu, h in zip(contenus, empreintes, strict=True):
            if h not in connus and h not in fichiers:
                fichiers[h] = Fichier(empreinte=h, contenu=contenu, taille=len(contenu), type_mime=TYPES_MIME[format_])
        Fichier.objects.bulk_create(list(fichiers.values()))
        manquants = [
            Document(
                session=session,
                modele=modele,
                cle=e.cle,
                format=format_,
                intitule=e.intitule[:255],
                candidat_id=e.candidat_id,
                examinateur_id=e.examinateur_id,
                centre_id=e.centre_id,
                jury_id=e.jury_id,
            )
            for e, _, _ in a_rendre
            if e.cle not in documents
        ]
        if manquants:
            Document.objects.bulk_create(manquants)
            documents.update(
                (d.cle, d)
                for d in Document.objects.filter(
                    session=session, modele=modele, format=format_, cle__in=[m.cle for m in manquants]
                )
            )
        versions = []
        for (e, _, donnees_json), h in zip(a_rendre, empreintes, strict=True):
            doc = documents[e.cle]
            doc.derniere_version += 1
            doc.intitule = e.intitule[:255]
            versions.append(
                Version(
                    document=doc,
                    numero=doc.derniere_version,
                    donnees=donnees_json,
                    fichier_id=h,
                    emise_le=maintenant,
                    emise_par=par,
                    motif=motif,
                    travail=travail,
                )
            )
        Version.objects.bulk_create(versions)
        Document.objects.bulk_update([documents[e.cle] for e, _, _ in a_rendre], ["derniere_version", "intitule"])
    return len(a_rendre)


def _contenu(donnees_json: dict[str, Any]) -> dict[str, Any]:
    """Les données sans l'horodatage de l'en-tête (instant d'émission, numéro de version) : ce qui compte
    pour décider qu'un document a changé."""
    edition = donnees_json.get("edition")
    if not isinstance(edition, dict):
        return donnees_json
    return {**donnees_json, "edition": {k: v for k, v in edition.items() if k not in ("emis_le", "version")}}


def _horodater(donnees: Any, numero: int, maintenant: Any) -> Any:
    """Pose le numéro de version et l'instant d'émission dans l'en-tête du document."""
    edition = getattr(donnees, "edition", None)
    if edition is None:
        return donnees
    return dataclasses.replace(donnees, edition=dataclasses.replace(edition, version=numero, emis_le=maintenant))


def emettre(
    *,
    session: Any,
    modele: str,
    element: AEmettre,
    par: str,
    format_: str = "pdf",
    forcer: bool = False,
    motif: str = "",
) -> Version:
    """Émet un seul document et rend sa version en vigueur (nouvelle ou inchangée)."""
    emettre_en_masse(
        session=session,
        modele=modele,
        elements=[element],
        par=par,
        format_=format_,
        forcer=forcer,
        motif=motif,
        processus=1,
    )
    return Version.objects.select_related("document", "fichier").get(
        document__session=session,
        document__modele=modele,
        document__cle=element.cle,
        document__format=format_,
        numero=F("document__derniere_version"),
    )


# --- Travaux de fond -------------------------------------------------------------------------------


def creer_travail(*, session: Any, nature: str, parametres: dict[str, Any], par: str) -> Travail:
    with transaction.atomic():
        travail = Travail.objects.create(session=session, nature=nature, parametres=parametres, demande_par=par)
        tracer(
            acteur=par,
            action=Trace.Action.CREATION,
            objet_type="editions.Travail",
            objet_id=travail.pk,
            objet_libelle=f"{nature} {parametres}"[:255],
        )
    return travail


def demarrer_travail(travail: Travail, total: int) -> None:
    """Un (re)démarrage : la progression repart de zéro ; ce qui est déjà émis sera compté « inchangé »."""
    Travail.objects.filter(pk=travail.pk).update(
        statut=Travail.Statut.EN_COURS, total=total, fait=0, nouveaux=0, inchanges=0, debut=timezone.now(), fin=None
    )
    travail.refresh_from_db()


def terminer_travail(travail: Travail, *, erreur: str = "") -> None:
    champs: dict[str, Any] = {"fin": timezone.now()}
    if erreur:
        champs["statut"] = Travail.Statut.ECHEC
        travail.erreurs = [*travail.erreurs, erreur]
        champs["erreurs"] = travail.erreurs
    else:
        champs["statut"] = Travail.Statut.TERMINE
        champs["total"] = F("fait")  # le total annoncé était un majorant (documents sans objet écartés)
    Travail.objects.filter(pk=travail.pk).update(**champs)
    travail.refresh_from_db()


# --- Envois ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class BilanEnvoi:
    a_envoyer: int = 0
    envoyes: int = 0
    sans_adresse: int = 0
    deja_envoyes: int = 0
    echecs: int = 0

    def resume(self, appliquer: bool = True) -> str:
        verbe = "envoyé(s)" if appliquer else "à envoyer (simulation : rien n'est envoyé sans --appliquer)"
        texte = f"{self.envoyes if appliquer else self.a_envoyer} courriel(s) {verbe}"
        texte += f" ; {self.deja_envoyes} déjà reçu(s) (même version) ; {self.sans_adresse} sans adresse"
        if self.echecs:
            texte += f" ; {self.echecs} échec(s) (voir le journal d'envoi)"
        return texte + "."


def lien_accuse(jeton: str) -> str:
    return f"{settings.URL_PUBLIQUE}/accuse-reception/{jeton}/"


def _courriel(envoi: Envoi, version: Version | None, corps: str, relance: bool) -> mail.EmailMessage:
    lien = lien_accuse(envoi.jeton)
    texte = (
        ("Rappel : nous n'avons pas encore reçu votre accusé de réception.\n\n" if relance else "")
        + corps
        + "\n\nMerci de confirmer la réception de ce document en ouvrant ce lien :\n"
        + lien
        + "\n\nCe courriel est envoyé automatiquement par la division des examens et concours ; "
        "n'y répondez pas."
    )
    message = mail.EmailMessage(
        subject=("Rappel — " if relance else "") + envoi.objet, body=texte, to=[envoi.destinataire]
    )
    if version is not None:
        message.attach(version.nom_fichier, bytes(version.fichier.contenu), version.fichier.type_mime)
    return message


def envoyer_versions(
    *,
    versions: Iterable[tuple[Version, str]],
    objet: str,
    corps: str,
    par: str,
    appliquer: bool,
    travail: Travail | None = None,
    progression: Progression | None = None,
    total: int | None = None,
) -> BilanEnvoi:
    """Envoie par courriel chaque (version, adresse) qui ne l'a pas déjà reçue ; journalise chaque envoi.

    Idempotent : une version déjà envoyée avec succès à la même adresse n'est pas renvoyée (reprise d'un
    travail interrompu sans doublon). Sans `appliquer`, compte seulement.
    """
    bilan = BilanEnvoi()
    fait = 0
    connexion = mail.mailers.default if appliquer else None
    for lot in _lots(versions, 200):
        deja = set(
            Envoi.objects.filter(
                version__in=[v for v, _ in lot], statut=Envoi.Statut.ENVOYE, canal=Envoi.Canal.COURRIEL
            ).values_list("version_id", "destinataire")
        )
        for version, adresse in lot:
            if not adresse:
                bilan.sans_adresse += 1
            elif (version.pk, adresse) in deja:
                bilan.deja_envoyes += 1
            else:
                bilan.a_envoyer += 1
                if appliquer:
                    envoi = Envoi(version=version, destinataire=adresse, objet=objet, envoye_par=par, travail=travail)
                    try:
                        connexion.send_messages([_courriel(envoi, version, corps, relance=False)])  # type: ignore[union-attr]
                    except Exception as exc:  # SMTP : l'échec est journalisé, le reste continue
                        envoi.statut = Envoi.Statut.ECHEC
                        envoi.erreur = str(exc)[:1000]
                        bilan.echecs += 1
                    else:
                        bilan.envoyes += 1
                    envoi.save()
        fait += len(lot)
        if travail is not None:
            Travail.objects.filter(pk=travail.pk).update(fait=fait, nouveaux=bilan.envoyes)
        if progression is not None:
            progression(fait, total if total is not None else fait)
    return bilan


def relancer(*, envois: Iterable[Envoi], corps: str, par: str, appliquer: bool, delai: timedelta) -> int:
    """Renvoie (même lien d'accusé) les courriels sans accusé de réception depuis `delai`. Rend le nombre."""
    limite = timezone.now() - delai
    nombre = 0
    connexion = mail.mailers.default if appliquer else None
    for envoi in envois:
        if envoi.accuse_le is not None or envoi.statut != Envoi.Statut.ENVOYE:
            continue
        if (envoi.derniere_relance or envoi.envoye_le) > limite:
            continue
        nombre += 1
        if appliquer:
            connexion.send_messages([_courriel(envoi, envoi.version, corps, relance=True)])  # type: ignore[union-attr]
            Envoi.objects.filter(pk=envoi.pk).update(relances=F("relances") + 1, derniere_relance=timezone.now())
    return nombre


def notifier(*, destinataires: Iterable[str], objet: str, corps: str, par: str) -> int:
    """Courriel de notification sans pièce jointe (décision de conformité…), journalisé comme un envoi."""
    connexion = mail.mailers.default
    nombre = 0
    for adresse in destinataires:
        if not adresse:
            continue
        envoi = Envoi(destinataire=adresse, objet=objet, envoye_par=par)
        texte = (
            corps
            + "\n\nMerci de confirmer la réception de ce message en ouvrant ce lien :\n"
            + lien_accuse(envoi.jeton)
        )
        try:
            connexion.send_messages([mail.EmailMessage(subject=objet, body=texte, to=[adresse])])
        except Exception as exc:
            envoi.statut = Envoi.Statut.ECHEC
            envoi.erreur = str(exc)[:1000]
        else:
            nombre += 1
        envoi.save()
    return nombre


def enregistrer_telechargement(*, version: Version, par: str) -> Envoi:
    """Un téléchargement d'une version depuis le site : une remise journalisée (qui a reçu quelle version).

    Le téléchargement vaut accusé de réception : la personne a le document en main."""
    maintenant = timezone.now()
    return Envoi.objects.create(
        version=version,
        canal=Envoi.Canal.TELECHARGEMENT,
        destinataire=par,
        objet=version.document.intitule[:255],
        envoye_le=maintenant,
        envoye_par=par,
        accuse_le=maintenant,
    )


def accuser_reception(jeton: str) -> Envoi | None:
    """Enregistre l'accusé de réception (idempotent : le premier accusé fait foi). None si le jeton est inconnu."""
    envoi = Envoi.objects.select_related("version__document").filter(jeton=jeton).first()
    if envoi is None:
        return None
    if envoi.accuse_le is None:
        Envoi.objects.filter(pk=envoi.pk, accuse_le__isnull=True).update(accuse_le=timezone.now())
        envoi.refresh_from_db()
    return envoi
