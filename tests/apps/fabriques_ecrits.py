"""Fabriques des tests des épreuves écrites : calendrier national, centres et salles, candidats placés,
présences saisies, copies corrigées. Les candidats viennent de `fabriques_deliberation.candidat`."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from fabriques_deliberation import candidat

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.ecrits import services
from examens.apps.ecrits.models import Copie, Lot, Place
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession, Salle
from examens.core.calendrier import debut_national
from examens.core.uai import lettre_de_controle

# Calendrier d'exemple (annexe I non disponible) : heure de Paris, durée, temps de loge.
CALENDRIER = {
    "E1": (date(2022, 5, 16), time(14, 0), 240, 60),
    "E3": (date(2022, 5, 17), time(14, 0), 240, 60),
    "E5A": (date(2022, 5, 18), time(9, 0), 180, 60),
}


def uai(chiffres: str) -> str:
    return chiffres + lettre_de_controle(chiffres)


def calendrier(session: ExamSession, *epreuves: str) -> dict[str, EpreuveEcrite]:
    resultat = {}
    for code in epreuves or tuple(CALENDRIER):
        jour, heure, duree, loge = CALENDRIER[code]
        resultat[code] = EpreuveEcrite.objects.create(
            session=session,
            epreuve=code,
            debut=debut_national(jour, heure),
            duree_minutes=duree,
            temps_de_loge_minutes=loge,
        )
    return resultat


def centre(academie: Academie, chiffres: str, *, fuseau: str = "Europe/Paris", nom: str = "") -> Centre:
    return Centre.objects.create(academie=academie, code=uai(chiffres), nom=nom or f"Lycée {chiffres}", fuseau=fuseau)


def salles(c: Centre, *specs: tuple[str, str, int]) -> dict[str, Salle]:
    """(« A12 », « ecrit », 30)…"""
    return {nom: Salle.objects.create(centre=c, nom=nom, type=t, capacite=n) for nom, t, n in specs}


def etablissement(academie: Academie, chiffres: str, nom: str = "") -> Etablissement:
    return Etablissement.objects.create(
        uai=uai(chiffres), nom=nom or f"Lycée {chiffres}", academie=academie, statut="public"
    )


def candidats(session: ExamSession, c: Centre, n: int, **autres: Any) -> list[Candidat]:
    return [candidat(session, centre=c, **autres) for _ in range(n)]


def correcteur(session: ExamSession, code: str, academie: Academie, etab: Etablissement | None = None) -> Examinateur:
    return Examinateur.objects.create(
        session=session,
        code=code,
        nom=f"CORRECTEUR{code}",
        prenom="Alex",
        qualite="enseignant",
        academie=academie,
        etablissement=etab,
    )


def tous_presents(epreuve: EpreuveEcrite, *, absents: tuple[Candidat, ...] = (), acteur: str = "chef") -> None:
    """Saisit la présence de chaque salle de l'épreuve : tous présents sauf `absents`."""
    ids_absents = {c.pk for c in absents}
    par_salle: dict[int, dict[int, str]] = {}
    for p in Place.objects.filter(epreuve=epreuve):
        par_salle.setdefault(p.salle_id, {})[p.candidat_id] = "absent" if p.candidat_id in ids_absents else "present"
    for salle_id, presences in par_salle.items():
        services.saisir_presences(
            epreuve=epreuve, salle=Salle.objects.get(pk=salle_id), presences=presences, acteur=acteur
        )


def corriger(lot: Lot, notes: dict[str, str] | None = None, *, defaut: str = "12") -> None:
    """Les deux saisies concordantes de toutes les copies du lot (note `defaut`, sauf celles de `notes`)."""
    numeros = Copie.objects.filter(lot=lot).values_list("numero", flat=True)
    valeurs = {n: (notes or {}).get(n, defaut) for n in numeros}
    services.saisir_notes(lot=lot, rang=1, notes=valeurs, acteur="saisie-1")
    services.saisir_notes(lot=lot, rang=2, notes=valeurs, acteur="saisie-2")


def note(valeur: str) -> Decimal:
    return Decimal(valeur).quantize(Decimal("0.01"))
