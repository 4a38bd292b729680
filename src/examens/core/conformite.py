"""Contrôle de conformité des dossiers E4 et E6 et durée de stage : §6 et §7 du règlement.

Sources : Circ. 1.5 ; arrêté du 22 juillet 2008 (annexe II) ; décret 2021-786 art. 4-5 (session 2022).
Fonctions pures : elles reçoivent les faits (périodes attestées, date de dépôt, pièces) et rendent les
causes de non-conformité, chacune avec son motif et les épreuves qu'elle rend « non valides », plus les
défauts de composition qui ne sont que des avertissements (le candidat est interrogé normalement).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from examens.core.reglement import Annulation, Decompte, Reglement


class SituationStage(StrEnum):
    """Ce qui fixe l'exigence de durée de stage d'un candidat (Circ. 1.5)."""

    NORMALE = "normale"  # 16 semaines
    REDUITE = "reduite"  # 8 semaines : force majeure, aménagement de formation, positionnement
    APPRENTI_OU_SALARIE = "apprenti_ou_salarie"  # certificats de travail au lieu d'attestations
    EXPERIENCE_PROFESSIONNELLE = "experience_professionnelle"  # 3 ans d'expérience, par certificats
    DISPENSE = "dispense"  # titulaire de U4 et U6 (conservées ou dispensées) : aucun stage


@dataclass(frozen=True, slots=True)
class Periode:
    """Une période attestée, bornes incluses (du 1er au 30 juin = 30 jours)."""

    debut: date
    fin: date

    def __post_init__(self) -> None:
        if self.fin < self.debut:
            raise ValueError(
                f"Période invalide : la fin ({self.fin:%d/%m/%Y}) précède le début ({self.debut:%d/%m/%Y})."
            )


@dataclass(frozen=True, slots=True)
class Exigence:
    """Ce que le candidat doit prouver. `semaines` en semaines, `annees` pour l'expérience professionnelle."""

    semaines: int = 0
    annees: int = 0
    piece: str = "attestation de stage"
    validation_academique_possible_des: int | None = None  # plancher de la dérogation 2022, en semaines

    @property
    def aucune(self) -> bool:
        return self.semaines == 0 and self.annees == 0


def jours_couverts(periodes: Iterable[Periode], decompte: Decompte = Decompte.JOURS_CALENDAIRES) -> int:
    """Nombre de jours de l'union des périodes (chevauchements et doublons comptés une fois).

    En décompte « jours_ouvres », seuls les jours du lundi au vendredi comptent.
    """
    total = 0
    courant: Periode | None = None
    for p in sorted(periodes, key=lambda p: p.debut):
        if courant is None:
            courant = p
        elif p.debut <= courant.fin + timedelta(days=1):
            courant = Periode(courant.debut, max(courant.fin, p.fin))
        else:
            total += _jours(courant, decompte)
            courant = p
    if courant is not None:
        total += _jours(courant, decompte)
    return total


def _jours(p: Periode, decompte: Decompte) -> int:
    n = (p.fin - p.debut).days + 1
    if decompte is Decompte.JOURS_CALENDAIRES:
        return n
    semaines, reste = divmod(n, 7)
    ouvres = semaines * 5
    jour = p.debut.weekday()
    for i in range(reste):
        if (jour + i) % 7 < 5:
            ouvres += 1
    return ouvres


def semaines_de_stage(periodes: Iterable[Periode], reglement: Reglement) -> Fraction:
    """Semaines de stage, exactes : jours de l'union ÷ 7 (ou jours ouvrés ÷ 5, selon le règlement) (§7)."""
    decompte = reglement.stage.decompte
    diviseur = 7 if decompte is Decompte.JOURS_CALENDAIRES else 5
    return Fraction(jours_couverts(periodes, decompte), diviseur)


def exigence_stage(situation: SituationStage, reglement: Reglement) -> Exigence:
    """Durée exigée selon la situation du candidat (§7)."""
    s = reglement.stage
    plancher = s.plancher_validation_semaines
    match situation:
        case SituationStage.DISPENSE:
            return Exigence()
        case SituationStage.EXPERIENCE_PROFESSIONNELLE:
            return Exigence(annees=s.experience_professionnelle_annees, piece="certificat de travail")
        case SituationStage.REDUITE:
            return Exigence(semaines=s.semaines_reduites, validation_academique_possible_des=plancher)
        case SituationStage.APPRENTI_OU_SALARIE:
            return Exigence(
                semaines=s.semaines_requises, piece="certificat de travail", validation_academique_possible_des=plancher
            )
        case _:
            return Exigence(semaines=s.semaines_requises, validation_academique_possible_des=plancher)


def dispense_de_stage(unites_acquises: Iterable[str], reglement: Reglement) -> bool:
    """Titulaire de U4 et U6 (conservées ou dispensées) : pas de stage (Circ. 1.5)."""
    return set(reglement.stage.unites_dispensant_de_stage) <= set(unites_acquises)


class Verdict(StrEnum):
    CONFORME = "conforme"
    NON_CONFORME = "non_conforme"
    A_VALIDER = "a_valider"  # entre le plancher (4 semaines) et l'exigence : conforme si l'académie valide


@dataclass(frozen=True, slots=True)
class ControleDuree:
    verdict: Verdict
    semaines: Fraction
    exigence: Exigence
    message: str


def controler_duree(
    periodes: Sequence[Periode],
    situation: SituationStage,
    reglement: Reglement,
    *,
    validation_academique: bool = False,
) -> ControleDuree:
    """Compare la durée attestée à l'exigence, exactement (§7).

    Session 2022 : < 4 semaines → non conforme ; de 4 semaines à l'exigence (exclue) → conforme seulement si
    l'académie a enregistré une validation.
    """
    exigence = exigence_stage(situation, reglement)
    if exigence.aucune:
        return ControleDuree(Verdict.CONFORME, Fraction(0), exigence, "Aucun stage exigé (unités U4 et U6 acquises).")
    if exigence.annees:
        jours = jours_couverts(periodes)
        # N ans d'expérience : autant de jours couverts que N années civiles comptent de jours à partir du
        # premier jour attesté (les années bissextiles comptent 366 jours).
        debut = min((p.debut for p in periodes), default=date(2000, 1, 1))
        requis = (_plus_annees(debut, exigence.annees) - debut).days
        ok = jours >= requis
        return ControleDuree(
            Verdict.CONFORME if ok else Verdict.NON_CONFORME,
            Fraction(jours, 7),
            exigence,
            f"Expérience professionnelle attestée : {jours} jours pour {requis} exigés ({exigence.annees} ans).",
        )
    semaines = semaines_de_stage(periodes, reglement)
    texte = f"{_semaines_fr(semaines)} attestée(s) pour {exigence.semaines} exigée(s)"
    if semaines >= exigence.semaines:
        return ControleDuree(Verdict.CONFORME, semaines, exigence, f"Durée suffisante : {texte}.")
    plancher = exigence.validation_academique_possible_des
    if plancher is not None and semaines >= plancher:
        if validation_academique:
            return ControleDuree(Verdict.CONFORME, semaines, exigence, f"Durée validée par l'académie : {texte}.")
        return ControleDuree(
            Verdict.A_VALIDER,
            semaines,
            exigence,
            f"Durée insuffisante ({texte}) mais au moins {plancher} semaines : l'académie peut la valider "
            "(décret 2021-786, art. 4-5).",
        )
    return ControleDuree(Verdict.NON_CONFORME, semaines, exigence, f"Durée insuffisante : {texte}.")


def _plus_annees(d: date, annees: int) -> date:
    try:
        return d.replace(year=d.year + annees)
    except ValueError:  # 29 février → 1er mars
        return date(d.year + annees, 3, 1)


def _semaines_fr(s: Fraction) -> str:
    if s.denominator == 1:
        return f"{s.numerator} semaine(s)"
    entier, reste = divmod(s.numerator, s.denominator)
    jours = Fraction(reste, s.denominator) * 7
    return f"{entier} semaine(s) et {jours:.0f} jour(s)" if jours.denominator == 1 else f"{float(s):.2f} semaines"


# --- Dossiers --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FicheActivite:
    """Fiche descriptive d'activité. E4 : `nature` ; E6 : `type_reseau`, `reelle`, `pole`."""

    nature: str | None = None
    type_reseau: str | None = None
    reelle: bool = True
    pole: int | None = None
    annexe_offre_pages: int | None = None  # E4 : annexe décrivant l'offre (obligatoire)
    rubriques_completes: bool = True


@dataclass(frozen=True, slots=True)
class Dossier:
    """Les faits d'un dossier E4 ou E6 tels que la commission de conformité les constate."""

    epreuve: str
    depose_le: date | None
    attestations: Sequence[Periode] = ()
    attestation_manquante: bool = False  # une période déclarée sans attestation ni certificat
    vise_et_signe: bool = True
    fiches: Sequence[FicheActivite] = ()
    etude_reflexive_pages: int | None = None  # E6 ; None = absente
    dossier_professionnel_pages: int | None = None  # E6, candidats au titre de l'expérience


@dataclass(frozen=True, slots=True)
class NonConformite:
    cause: Annulation
    motif: str
    epreuves_non_valides: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResultatConformite:
    non_conformites: tuple[NonConformite, ...] = ()
    avertissements: tuple[str, ...] = ()
    duree: ControleDuree | None = None
    a_valider: bool = False  # seule la durée manque et l'académie peut encore la valider (2022)

    @property
    def conforme(self) -> bool:
        return not self.non_conformites

    @property
    def epreuves_non_valides(self) -> tuple[str, ...]:
        vues = {e for nc in self.non_conformites for e in nc.epreuves_non_valides}
        return tuple(sorted(vues))


_MOTIFS = {
    Annulation.NON_DEPOSE: "Dossier {epreuve} non déposé.",
    Annulation.DEPOT_TARDIF: "Dossier {epreuve} déposé le {depot:%d/%m/%Y}, après la date limite du {limite:%d/%m/%Y}.",
    Annulation.DUREE_INSUFFISANTE: "{detail}",
    Annulation.ATTESTATION_MANQUANTE: "Attestation de stage ou certificat de travail manquant pour le dossier {epreuve}.",
    Annulation.NON_VISE_NON_SIGNE: "Documents du dossier {epreuve} non visés ou non signés par les personnes habilitées.",
}


def epreuves_annulees(cause: Annulation, epreuve: str, reglement: Reglement) -> tuple[str, ...]:
    """Épreuves rendues non valides par une cause (§6 [décision]) : le stage fonde E4 et E6."""
    cible = reglement.conformite.annulation.get(cause)
    return (epreuve,) if cible is None else cible


def controler_dossier(
    dossier: Dossier,
    reglement: Reglement,
    *,
    date_limite: date,
    situation: SituationStage = SituationStage.NORMALE,
    validation_academique: bool = False,
) -> ResultatConformite:
    """Les 5 causes de non-conformité (A.2008, Circ. 1.5), plus les avertissements de composition."""
    ep = dossier.epreuve
    if ep not in reglement.conformite.epreuves_avec_dossier:
        raise ValueError(f"L'épreuve {ep} n'a pas de dossier soumis au contrôle de conformité.")
    causes: list[NonConformite] = []

    def ajouter(cause: Annulation, **kwargs: object) -> None:
        motif = _MOTIFS[cause].format(epreuve=ep, **kwargs)
        causes.append(NonConformite(cause, motif, epreuves_annulees(cause, ep, reglement)))

    if dossier.depose_le is None:
        ajouter(Annulation.NON_DEPOSE)
        return ResultatConformite(tuple(causes))
    if dossier.depose_le > date_limite:
        ajouter(Annulation.DEPOT_TARDIF, depot=dossier.depose_le, limite=date_limite)
    duree = controler_duree(dossier.attestations, situation, reglement, validation_academique=validation_academique)
    if duree.verdict is not Verdict.CONFORME:
        if not dossier.attestations:
            ajouter(Annulation.ATTESTATION_MANQUANTE)
        # Entre le plancher et l'exigence, la durée reste insuffisante tant que l'académie n'a pas validé.
        ajouter(Annulation.DUREE_INSUFFISANTE, detail=duree.message)
    if dossier.attestation_manquante and not duree.exigence.aucune and dossier.attestations:
        ajouter(Annulation.ATTESTATION_MANQUANTE)
    if not dossier.vise_et_signe:
        ajouter(Annulation.NON_VISE_NON_SIGNE)
    avertissements = avertissements_composition(dossier, reglement, situation=situation)
    return ResultatConformite(tuple(causes), avertissements, duree, a_valider=duree.verdict is Verdict.A_VALIDER)


def avertissements_composition(
    dossier: Dossier, reglement: Reglement, *, situation: SituationStage = SituationStage.NORMALE
) -> tuple[str, ...]:
    """Défauts de composition : pas des non-conformités ; la commission les sanctionne dans la note (§6)."""
    av: list[str] = []
    fiches = list(dossier.fiches)
    if dossier.epreuve == "E4":
        r4 = reglement.dossier_e4
        if len(fiches) < r4.fiches_min:
            av.append(f"E4 : {len(fiches)} fiche(s) d'activité pour {r4.fiches_min} attendues.")
        natures = {f.nature for f in fiches}
        manquantes = [n for n in r4.natures_distinctes if n not in natures]
        if fiches and manquantes:
            av.append(f"E4 : aucune fiche de nature « {', '.join(manquantes)} » (natures différentes attendues).")
        for i, f in enumerate(fiches, 1):
            if f.annexe_offre_pages is None:
                av.append(f"E4 : fiche {i} sans l'annexe décrivant l'offre de l'entreprise.")
            elif f.annexe_offre_pages > r4.annexe_offre_pages_max:
                av.append(
                    f"E4 : annexe de la fiche {i} de {f.annexe_offre_pages} pages (maximum {r4.annexe_offre_pages_max})."
                )
            if not f.rubriques_completes:
                av.append(f"E4 : fiche {i} avec des rubriques non renseignées.")
    elif dossier.epreuve == "E6":
        r6 = reglement.dossier_e6
        if situation is SituationStage.EXPERIENCE_PROFESSIONNELLE and dossier.dossier_professionnel_pages is not None:
            if dossier.dossier_professionnel_pages > r6.dossier_professionnel_pages_max:
                av.append(
                    f"E6 : dossier professionnel de {dossier.dossier_professionnel_pages} pages "
                    f"(une dizaine au plus, {r6.dossier_professionnel_pages_max})."
                )
        else:
            if len(fiches) < r6.fiches_min:
                av.append(f"E6 : {len(fiches)} fiche(s) d'activité pour {r6.fiches_min} attendues.")
            types = [f.type_reseau for f in fiches]
            inconnus = sorted({t for t in types if t is not None and t not in r6.types_reseau_distincts})
            if inconnus:
                av.append(
                    f"E6 : type(s) de réseau « {', '.join(inconnus)} » hors des types attendus "
                    f"({', '.join(r6.types_reseau_distincts)})."
                )
            sans_type = sum(1 for t in types if t is None)
            if sans_type:
                av.append(f"E6 : {sans_type} fiche(s) sans type de réseau renseigné.")
            doublons = sorted({t for t in types if t is not None and types.count(t) > 1})
            if doublons:
                av.append(f"E6 : plusieurs fiches du même type de réseau ({', '.join(doublons)}).")
            if fiches and sum(1 for f in fiches if f.reelle) < r6.fiches_reelles_min:
                av.append("E6 : aucune fiche ne relate une expérience réellement vécue.")
            hors_pole = [i for i, f in enumerate(fiches, 1) if f.pole is not None and f.pole != r6.pole]
            if hors_pole:
                av.append(f"E6 : fiche(s) {', '.join(map(str, hors_pole))} hors du pôle {r6.pole}.")
        if dossier.etude_reflexive_pages is None:
            av.append("E6 : étude réflexive réseau absente.")
        elif dossier.etude_reflexive_pages > r6.etude_reflexive_pages_max:
            av.append(
                f"E6 : étude réflexive de {dossier.etude_reflexive_pages} pages (maximum {r6.etude_reflexive_pages_max})."
            )
    return tuple(av)
