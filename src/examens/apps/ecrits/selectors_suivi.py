"""Lectures du suivi des copies d'une épreuve écrite, pour le gestionnaire : chaque copie, de l'anonymat à la note
harmonisée, avec qui a fait quoi et quand (historique `examens.apps.historique`).

Numéros d'anonymat seulement : ces lectures ne lisent jamais `Correspondance`. Les noms passent par
`services.consulter_correspondance` (lecture tracée) ; `chronologie_du_candidat` part ensuite du numéro de
candidat qu'elle a rendu. La liste lit en un nombre constant de requêtes, quel que soit le nombre de copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet

from examens.apps.candidats.models import Candidat
from examens.apps.ecrits.models import Ajustement, CommissionHarmonisation, Copie, Lot, Place, Saisie
from examens.apps.ecrits.services.anonymat import OBJET_CONSULTATION
from examens.apps.editions.models import Version
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Etat, Resultat
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.core.calendrier import fuseau
from examens.core.ecrits import Statistiques, statistiques
from examens.core.reglement import reglement_fourni

PAR_PAGE = 100


def _correcteur(lot: Lot | None) -> str | None:
    if lot is None or lot.correcteur is None:
        return None
    c = lot.correcteur
    return f"{c.prenom} {c.nom.upper()} ({c.code})"


# --- La liste des copies -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaisieLue:
    note: Decimal
    par: str
    le: datetime


@dataclass(frozen=True, slots=True)
class LigneSuivi:
    """Une copie, par son numéro d'anonymat : lot, correcteur, état du lot, les deux saisies, la note retenue
    (double saisie concordante), l'ajustement d'harmonisation et la note harmonisée."""

    copie_id: int
    numero: str
    centre: str  # code du centre d'examen
    fuseau: str  # celui du centre d'examen : les heures s'y lisent
    lot_id: int | None
    lot: str | None
    correcteur: str | None
    statut_lot: str | None
    statut_lot_libelle: str
    saisie_1: SaisieLue | None
    saisie_2: SaisieLue | None
    note_initiale: Decimal | None
    ecart: bool
    note_harmonisee: Decimal | None

    @property
    def note_finale(self) -> Decimal | None:
        return self.note_harmonisee if self.note_harmonisee is not None else self.note_initiale

    @property
    def ajustement(self) -> Decimal | None:
        """Ce que l'harmonisation a changé (note harmonisée − note retenue), ou rien."""
        if self.note_harmonisee is None or self.note_initiale is None:
            return None
        return self.note_harmonisee - self.note_initiale

    @property
    def ajustement_texte(self) -> str:
        """« +1,00 », « -0,50 », ou rien."""
        a = self.ajustement
        return "" if a is None else f"{a:+.2f}".replace(".", ",")

    @property
    def etat(self) -> tuple[str, str]:
        """(libellé, couleur du badge DSFR)."""
        if self.lot_id is None:
            return "hors lot", ""
        if self.ecart:
            return "écart entre les saisies", "error"
        if self.note_harmonisee is not None:
            return "harmonisée", "info"
        if self.note_initiale is not None:
            return "note validée", "success"
        if self.saisie_1 is not None or self.saisie_2 is not None:
            return "une saisie sur deux", "warning"
        return "à corriger", "new"


def _lignes(copies: Sequence[Copie]) -> list[LigneSuivi]:
    """Les lignes de `copies` (chargées avec `lot__correcteur` et `centre`) : une requête pour les saisies."""
    saisies = {
        (copie_id, rang): SaisieLue(note, par, le)
        for copie_id, rang, note, par, le in Saisie.objects.filter(copie_id__in=[c.pk for c in copies]).values_list(
            "copie_id", "rang", "note", "saisie_par", "saisie_le"
        )
    }
    return [
        LigneSuivi(
            copie_id=c.pk,
            numero=c.numero,
            centre=c.centre.code,
            fuseau=c.centre.fuseau,
            lot_id=c.lot_id,
            lot=None if c.lot is None else c.lot.code,
            correcteur=_correcteur(c.lot),
            statut_lot=None if c.lot is None else c.lot.statut,
            statut_lot_libelle="" if c.lot is None else c.lot.get_statut_display(),
            saisie_1=saisies.get((c.pk, 1)),
            saisie_2=saisies.get((c.pk, 2)),
            note_initiale=c.note_initiale,
            ecart=c.ecart,
            note_harmonisee=c.note_harmonisee,
        )
        for c in copies
    ]


@dataclass(frozen=True, slots=True)
class BilanSuivi:
    copies: int
    sans_lot: int
    validees: int  # note retenue par la double saisie (harmonisée ou non)
    ecarts: int
    harmonisees: int

    @property
    def a_corriger(self) -> int:
        return self.copies - self.sans_lot - self.validees - self.ecarts


@dataclass(frozen=True, slots=True)
class PageSuivi:
    page: Page[Copie]
    lignes: list[LigneSuivi]
    bilan: BilanSuivi


def copies_suivies(*, epreuve: EpreuveEcrite, centres: QuerySet[Centre]) -> QuerySet[Copie]:
    """Les copies de l'épreuve composées dans `centres` (le périmètre du gestionnaire)."""
    return Copie.objects.filter(epreuve=epreuve, centre__in=centres)


def suivi_des_copies(
    *,
    epreuve: EpreuveEcrite,
    centres: QuerySet[Centre],
    centre: Centre | None = None,
    numero: str = "",
    page: Any = 1,
    par_page: int = PAR_PAGE,
) -> PageSuivi:
    """Une page de la liste des copies (par numéro d'anonymat), et le bilan de l'épreuve (ou du centre).
    Quatre requêtes, quel que soit le nombre de copies."""
    qs = copies_suivies(epreuve=epreuve, centres=centres)
    if centre is not None:
        qs = qs.filter(centre=centre)
    compte = qs.aggregate(
        copies=Count("id"),
        sans_lot=Count("id", filter=Q(lot__isnull=True)),
        validees=Count("id", filter=Q(note_initiale__isnull=False)),
        ecarts=Count("id", filter=Q(ecart=True)),
        harmonisees=Count("id", filter=Q(note_harmonisee__isnull=False)),
    )
    if numero:
        qs = qs.filter(numero__startswith=numero)
    pages = Paginator(qs.select_related("lot__correcteur", "lot__epreuve", "centre").order_by("numero"), par_page)
    p = pages.get_page(page)
    return PageSuivi(page=p, lignes=_lignes(list(p.object_list)), bilan=BilanSuivi(**compte))


# --- La chronologie d'une copie ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvenementCopie:
    quand: datetime  # dans le fuseau du centre d'examen de la copie
    acteur: str
    titre: str
    detail: str = ""


LIBELLES_CHAMPS = {
    "note": "note",
    "note_initiale": "note retenue",
    "note_harmonisee": "note harmonisée",
    "ecart": "écart entre les saisies",
    "statut": "statut",
    "correcteur": "correcteur",
    "nature": "nature",
    "points": "points",
    "copies": "copies",
    "copies_anonymisees": "copies anonymisées",
    "resultats_ecrits": "résultats écrits",
    "premiere_levee": "première levée",
    "president": "président(e)",
    "membres": "membres",
    "presence": "présence",
    "salle": "salle",
    "table": "table",
    "note_examinateur": "note de l'examinateur",
    "etat": "état",
    "par": "saisie précédente par",
}
LIBELLES_VALEURS = {
    **dict(Lot.Statut.choices),
    **dict(CommissionHarmonisation.Statut.choices),
    **dict(Ajustement.Nature.choices),
    **dict(Place.Presence.choices),
}


def _valeur(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "oui" if v else "non"
    texte = str(v)
    if texte in LIBELLES_VALEURS:
        return str(LIBELLES_VALEURS[texte])
    chiffres = texte.lstrip("-")
    if chiffres.replace(".", "", 1).isdigit() and "." in chiffres:  # une note en texte (« 12.50 »)
        return texte.replace(".", ",")
    return texte


def resume_trace(t: Trace) -> str:
    """« note harmonisée : 12,00 → 13,00 » : ce qui a changé, champ par champ (listes omises)."""
    avant, apres = t.avant or {}, t.apres or {}
    morceaux = []
    for k in (*apres, *(k for k in avant if k not in apres)):
        a, b = avant.get(k), apres.get(k)
        if a == b or isinstance(a, list | dict) or isinstance(b, list | dict):
            continue
        nom = LIBELLES_CHAMPS.get(k, k.replace("_", " "))
        if k in avant and k in apres:
            morceaux.append(f"{nom} : {_valeur(a)} → {_valeur(b)}")
        elif k in apres:
            morceaux.append(f"{nom} : {_valeur(b)}")
    return " ; ".join(morceaux)


def _evenement(t: Trace, tz: Any, *, prefixe: str = "", titre: str = "", detail: str = "") -> EvenementCopie:
    libelle = titre or t.objet_libelle.removeprefix(prefixe) or t.get_action_display()
    texte = " — ".join(x for x in (detail or resume_trace(t), t.motif) if x)
    return EvenementCopie(t.quand.astimezone(tz), t.acteur, libelle[:1].upper() + libelle[1:], texte)


@dataclass(frozen=True, slots=True)
class AjustementCopie:
    nature: str
    points: Decimal | None
    motif: str
    avant: str | None
    apres: str | None
    par: str
    le: datetime


@dataclass
class FicheCopie:
    copie: Copie
    ligne: LigneSuivi
    fuseau: str
    lot: Lot | None
    commission: CommissionHarmonisation | None
    ajustements: list[AjustementCopie]
    chronologie: list[EvenementCopie] = field(default_factory=list)


def _note(texte: str | None) -> str | None:
    return None if texte is None else texte.replace(".", ",")


def fiche_de_la_copie(*, copie: Copie) -> FicheCopie:
    """La copie, ses saisies, ses ajustements, et sa chronologie : les traces de la copie, de ses deux saisies,
    de son lot (affectation, suivi, ajustements qui la concernent, constitution), de la commission
    d'harmonisation de l'épreuve, et l'anonymisation qui précède la constitution de son lot. Huit requêtes au
    plus, quelle que soit la longueur de l'historique."""
    copie = Copie.objects.select_related("epreuve__session", "centre", "lot__correcteur", "lot__epreuve").get(
        pk=copie.pk
    )
    tz = fuseau(copie.centre.fuseau)
    (ligne,) = _lignes([copie])
    lot = copie.lot
    commission = CommissionHarmonisation.objects.filter(epreuve_id=copie.epreuve_id).first()
    ajustements = (
        []
        if lot is None
        else [
            a
            for a in Ajustement.objects.filter(lot=lot).order_by("decide_le", "pk")
            if copie.numero in (a.details or {})
        ]
    )
    filtre = Q(objet_type="ecrits.copie", objet_id=str(copie.pk)) | Q(
        objet_type="ecrits.saisie", objet_id__in=[f"{copie.pk}:1", f"{copie.pk}:2"]
    )
    filtre |= Q(objet_type__in=["ecrits.anonymat", "ecrits.lots"], objet_id=str(copie.epreuve_id))
    if lot is not None:
        filtre |= Q(objet_type="ecrits.lot", objet_id=str(lot.pk))
        filtre |= Q(objet_type="ecrits.ajustement", objet_id__in=[str(a.pk) for a in ajustements])
    if commission is not None:
        filtre |= Q(objet_type="ecrits.commissionharmonisation", objet_id=str(commission.pk))
    traces = list(Trace.objects.filter(filtre).order_by("quand", "pk"))

    prefixe = f"copie {copie.epreuve.epreuve} n° {copie.numero} — "
    evenements: list[EvenementCopie] = []
    constitution = None
    for t in traces:
        if t.objet_type == "ecrits.lots" and lot is not None and constitution is None:
            morceaux = [m for m in (t.apres or {}).get("lots", ()) if m.startswith(f"{lot.code} :")]
            if morceaux:
                constitution = t
                detail = morceaux[0].split(" : ", 1)[1]
                evenements.append(_evenement(t, tz, titre=f"Constitution du lot {lot.code}", detail=detail))
    anonymisations = [
        t
        for t in traces
        if t.objet_type == "ecrits.anonymat" and (constitution is None or t.quand <= constitution.quand)
    ]
    if anonymisations:
        titre = f"Anonymisation des copies de {copie.epreuve.epreuve}"
        evenements.append(_evenement(anonymisations[-1], tz, titre=titre))
    for t in traces:
        if t.objet_type in ("ecrits.lots", "ecrits.anonymat"):
            continue
        if t.objet_type == "ecrits.ajustement" and lot is not None:
            evenements.append(_evenement(t, tz, titre=f"Ajustement d'harmonisation du lot {lot.code}"))
        else:
            evenements.append(_evenement(t, tz, prefixe=prefixe))
    evenements.sort(key=lambda e: e.quand)
    return FicheCopie(
        copie=copie,
        ligne=ligne,
        fuseau=copie.centre.fuseau,
        lot=lot,
        commission=commission,
        ajustements=[
            AjustementCopie(
                nature=a.get_nature_display(),
                points=a.points,
                motif=a.motif,
                avant=_note(a.details[copie.numero][0]),
                apres=_note(a.details[copie.numero][1]),
                par=a.decide_par,
                le=a.decide_le.astimezone(tz),
            )
            for a in ajustements
        ],
        chronologie=evenements,
    )


@dataclass(frozen=True, slots=True)
class CandidatDeLaCopie:
    """Ce que la table de correspondance (lecture tracée) relie à la copie : le candidat, sa place, son résultat."""

    numero: str
    nom: str
    prenoms: str
    place: str  # « salle A, table 3 »
    presence: str
    resultat: str  # la note de l'épreuve écrite, telle que la délibération la lit
    chronologie: list[EvenementCopie]


def chronologie_du_candidat(*, epreuve: EpreuveEcrite, numero_candidat: str, fuseau_centre: str) -> CandidatDeLaCopie:
    """Après une lecture tracée de la correspondance : la place du candidat (répartition, présence), puis la
    note de l'épreuve écrite (levée d'anonymat), avec leurs traces. Cinq requêtes."""
    tz = fuseau(fuseau_centre)
    candidat = Candidat.objects.get(session_id=epreuve.session_id, numero=numero_candidat)
    place = Place.objects.filter(epreuve=epreuve, candidat=candidat).select_related("salle").first()
    resultat = Resultat.objects.filter(candidat=candidat, epreuve=epreuve.epreuve).first()
    filtre = Q(pk__in=[])
    if place is not None:
        filtre |= Q(objet_type="ecrits.place", objet_id=str(place.pk))
    if resultat is not None:
        filtre |= Q(objet_type="notes.resultat", objet_id=str(resultat.pk))
    prefixe = f"candidat {candidat.numero} — "
    evenements = [_evenement(t, tz, prefixe=prefixe) for t in Trace.objects.filter(filtre).order_by("quand", "pk")]
    if resultat is None:
        texte = "aucune note reportée"
    elif resultat.etat == Etat.NOTE and resultat.note_examinateur is not None:
        texte = f"{resultat.note_examinateur:.2f}".replace(".", ",")
    else:
        texte = f"{resultat.etat} ({resultat.get_etat_display()})"
    return CandidatDeLaCopie(
        numero=candidat.numero,
        nom=candidat.nom,
        prenoms=candidat.prenoms,
        place="—" if place is None else f"salle {place.salle.nom}, table {place.numero}",
        presence="—" if place is None else place.get_presence_display(),
        resultat=texte,
        chronologie=evenements,
    )


# --- Un lot ------------------------------------------------------------------------------------------------


@dataclass
class FicheLot:
    lot: Lot
    correcteur: str | None
    lignes: list[LigneSuivi]
    ajustements: list[Ajustement]
    commission: CommissionHarmonisation | None
    bordereaux: list[Version]
    initiales: Statistiques
    finales: Statistiques


def cle_bordereau(lot: Lot) -> str:
    return f"lot:{lot.code}"  # la clé du document (services.documents.bordereaux)


def fiche_du_lot(*, lot: Lot) -> FicheLot:
    """Le lot, ses copies (saisies, note retenue, note harmonisée), ses ajustements et ses bordereaux émis.
    Six requêtes."""
    lot = Lot.objects.select_related("epreuve__session", "centre_correction", "correcteur").get(pk=lot.pk)
    copies = list(Copie.objects.filter(lot=lot).select_related("lot__correcteur", "centre").order_by("numero"))
    lignes = _lignes(copies)
    maximum = reglement_fourni(lot.epreuve.session.reglement).notes.maximum
    initiales = [ligne.note_initiale for ligne in lignes if ligne.note_initiale is not None]
    finales = [f for ligne in lignes if (f := ligne.note_finale) is not None]
    return FicheLot(
        lot=lot,
        correcteur=_correcteur(lot),
        lignes=lignes,
        ajustements=list(Ajustement.objects.filter(lot=lot).order_by("decide_le", "pk")),
        commission=CommissionHarmonisation.objects.filter(epreuve_id=lot.epreuve_id).first(),
        bordereaux=list(
            Version.objects.filter(
                document__session_id=lot.epreuve.session_id,
                document__modele="bordereau-lot",
                document__cle=cle_bordereau(lot),
            )
            .select_related("document")
            .order_by("-numero")
        ),
        initiales=statistiques(initiales, maximum=maximum),
        finales=statistiques(finales, maximum=maximum),
    )


# --- La commission d'harmonisation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LotHarmonise:
    pk: int
    code: str
    correcteur: str | None
    statut: str
    copies: int
    validees: int
    ecarts: int
    initiales: Statistiques
    finales: Statistiques
    ajustements: int


def lots_a_harmoniser(*, epreuve: EpreuveEcrite) -> list[LotHarmonise]:
    """Chaque lot de l'épreuve avec la moyenne (exacte, arrondie à l'affichage) de ses notes retenues, avant et
    après harmonisation, et le nombre de ses ajustements. Trois requêtes."""
    maximum = reglement_fourni(epreuve.session.reglement).notes.maximum
    lots = list(
        Lot.objects.filter(epreuve=epreuve)
        .select_related("correcteur", "epreuve")
        .annotate(nombre_ajustements=Count("ajustements"))
        .order_by("numero")
    )
    notes: dict[int, list[tuple[Decimal | None, Decimal | None, bool]]] = {}
    for lot_id, initiale, harmonisee, ecart in Copie.objects.filter(epreuve=epreuve, lot__isnull=False).values_list(
        "lot_id", "note_initiale", "note_harmonisee", "ecart"
    ):
        notes.setdefault(lot_id, []).append((initiale, harmonisee, ecart))
    resultat = []
    for lot in lots:
        serie = notes.get(lot.pk, [])
        initiales = [i for i, _, _ in serie if i is not None]
        finales = [h if h is not None else i for i, h, _ in serie if i is not None]
        resultat.append(
            LotHarmonise(
                pk=lot.pk,
                code=lot.code,
                correcteur=_correcteur(lot),
                statut=lot.get_statut_display(),
                copies=len(serie),
                validees=len(initiales),
                ecarts=sum(1 for _, _, e in serie if e),
                initiales=statistiques(initiales, maximum=maximum),
                finales=statistiques(finales, maximum=maximum),
                ajustements=lot.nombre_ajustements,  # type: ignore[attr-defined]
            )
        )
    return resultat


def ajustements_de_l_epreuve(*, epreuve: EpreuveEcrite) -> list[Ajustement]:
    return list(Ajustement.objects.filter(lot__epreuve=epreuve).select_related("lot__epreuve").order_by("decide_le"))


# --- Consultations de la table de correspondance ------------------------------------------------------------


def consultations_de_la_correspondance(*, epreuve: EpreuveEcrite, limite: int = 20) -> list[Trace]:
    """Les dernières lectures tracées de la table de correspondance de l'épreuve (les plus récentes d'abord)."""
    return list(
        Trace.objects.filter(objet_type=OBJET_CONSULTATION, objet_id=str(epreuve.pk)).order_by("-quand", "-pk")[:limite]
    )


# --- Les documents d'un centre --------------------------------------------------------------------------------


def plans_de_salle_emis(*, session: ExamSession, centre: Centre) -> list[Version]:
    """La dernière version de chaque plan de salle émis pour le centre (par épreuve, puis salle)."""
    return list(
        Version.objects.filter(document__session=session, document__modele="plan-salle", document__centre=centre)
        .filter(numero=F("document__derniere_version"))
        .select_related("document")
        .order_by("document__cle")
    )


def epreuves_reparties(*, session: ExamSession, centre: Centre) -> list[EpreuveEcrite]:
    """Les épreuves écrites qui ont des places dans le centre (ordre du calendrier)."""
    return list(
        EpreuveEcrite.objects.filter(session=session, places__salle__centre=centre).distinct().order_by("debut")
    )


def numeros_de(lignes: Iterable[LigneSuivi]) -> list[str]:
    return [ligne.numero for ligne in lignes]
