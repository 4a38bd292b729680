"""Calendrier iCalendar (RFC 5545) des passages d'un examinateur, à importer dans un agenda.

Un VEVENT par passage : UID stable (session, centre, épreuve, candidat : le même passage garde le même UID
d'une édition à l'autre, l'agenda le met à jour), SEQUENCE = version de l'édition, DTSTART et DTEND en
UTC (suffixe Z : l'agenda affiche l'heure locale de l'utilisateur ; la description rappelle l'heure du
centre), DTSTAMP = date d'émission. Lignes terminées par CRLF, repliées à 75 octets, texte échappé.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from examens.documents.commun import libelle_epreuve
from examens.documents.convocations import ConvocationExaminateur, passages_par_centre
from examens.documents.textes import heure_locale, nom_fuseau

_UID_INTERDIT = re.compile(r"[^A-Za-z0-9._-]+")


def echapper(texte: str) -> str:
    """Échappement d'une valeur TEXT (RFC 5545 §3.3.11)."""
    return (
        texte.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def plier(ligne: str) -> str:
    """Replie une ligne de contenu à 75 octets UTF-8 au plus, sans couper un caractère (RFC 5545 §3.1)."""
    if len(ligne.encode()) <= 75:
        return ligne
    morceaux: list[str] = []
    courant: list[str] = []
    taille = 0
    limite = 75
    for caractere in ligne:
        n = len(caractere.encode())
        if taille + n > limite:
            morceaux.append("".join(courant))
            courant, taille, limite = [], 0, 74  # la ligne de continuation commence par une espace
        courant.append(caractere)
        taille += n
    morceaux.append("".join(courant))
    return "\r\n ".join(morceaux)


def _utc(d: datetime) -> str:
    return d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid_passage(session: int, centre: str, epreuve: str, candidat: str) -> str:
    brut = f"{session}-{centre}-{epreuve}-{candidat}"
    return f"{_UID_INTERDIT.sub('_', brut)}@examens.bts-ndrc"


def rendre_ics(donnees: ConvocationExaminateur) -> str:
    edition = donnees.edition
    e = donnees.examinateur
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//examens//BTS NDRC//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{echapper(f'Interrogations BTS NDRC {edition.session} — {e.nom_complet}')}",
    ]
    for centre, passages in passages_par_centre(donnees):
        lieu_centre = ", ".join([centre.nom, *centre.adresse])
        for p in passages:
            heures = (
                f"{heure_locale(p.debut, centre.fuseau)} – {heure_locale(p.fin, centre.fuseau)} "
                f"({nom_fuseau(centre.fuseau, p.debut)})"
            )
            description = "\n".join(
                [
                    f"Commission {p.commission}",
                    f"Candidat {p.candidat_numero} — {p.candidat_nom}",
                    f"Horaire au centre : {heures}",
                    f"Réf. {edition.reference}, version {edition.version}",
                ]
            )
            lieu = f"{lieu_centre}, salle {p.salle}" if p.salle else lieu_centre
            lignes += [
                "BEGIN:VEVENT",
                f"UID:{uid_passage(edition.session, centre.code, p.epreuve, p.candidat_numero)}",
                f"SEQUENCE:{max(0, edition.version - 1)}",
                f"DTSTAMP:{_utc(edition.emis_le)}",
                f"DTSTART:{_utc(p.debut)}",
                f"DTEND:{_utc(p.fin)}",
                f"SUMMARY:{echapper(f'BTS NDRC — {libelle_epreuve(p.epreuve, p.intitule)} — candidat {p.candidat_numero}')}",
                f"LOCATION:{echapper(lieu)}",
                f"DESCRIPTION:{echapper(description)}",
                "STATUS:CONFIRMED",
                "TRANSP:OPAQUE",
                "END:VEVENT",
            ]
    lignes.append("END:VCALENDAR")
    return "".join(plier(ligne) + "\r\n" for ligne in lignes)
