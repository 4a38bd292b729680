"""Lectures de l'application web : tableau de bord, recherche de candidats, fiche et chronologie, export.

Chaque fonction reçoit un ensemble de candidats **déjà filtré par le périmètre** de l'utilisateur
(`comptes.permissions.candidats_visibles`) et lit la base en un nombre **constant** de requêtes, quel que
soit le nombre de candidats : agrégats et regroupements en SQL, jamais une requête par ligne.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from examens.apps.candidats.models import Candidat, Dispense, Etablissement, NoteConservee, situation_de_preparation
from examens.apps.dossiers.models import DecisionConformite, Dossier
from examens.apps.historique.models import Trace
from examens.apps.jury.models import Decision, DecisionJury, ExamenLivret, Jury, Qualite
from examens.apps.notes.models import Etat, NoteControle, Origine, Resultat
from examens.apps.organisation.models import Centre, ExamSession
from examens.apps.planification.models import Commission
from examens.apps.sujets.selectors import (
    alertes_postes,
    bilan_fiches_manquantes,
    centres_en_requete,
    delai_fiche_sujet,
)
from examens.core.calendrier import fuseau
from examens.core.reglement import Annulation, Reglement, reglement_fourni

SANS_DECISION = "aucune"
LIBELLES_CAUSES = {
    Annulation.NON_DEPOSE.value: "dossier non déposé",
    Annulation.DEPOT_TARDIF.value: "dépôt après la date limite",
    Annulation.DUREE_INSUFFISANTE.value: "durée de stage insuffisante",
    Annulation.ATTESTATION_MANQUANTE.value: "attestation manquante",
    Annulation.NON_VISE_NON_SIGNE.value: "documents non visés ou non signés",
}


def avec_decision(candidats: QuerySet[Candidat]) -> QuerySet[Candidat]:
    """Ajoute la décision de jury en vigueur (une au plus par candidat, contrainte en base) : `decision`,
    `moyenne`, par une jointure et non une requête par candidat."""
    return candidats.annotate(
        dv=FilteredRelation("decisions_jury", condition=Q(decisions_jury__en_vigueur=True)),
        decision=F("dv__decision"),
        moyenne=F("dv__moyenne"),
    )


class Categories:
    """Catégorie A/C déduite du mode de préparation et de l'établissement (jamais saisie), mémorisée par
    combinaison : quelques dizaines de combinaisons pour des milliers de candidats."""

    def __init__(self, reglement: Reglement) -> None:
        self._reglement = reglement
        self._memo: dict[tuple[str, str | None, bool | None], str] = {}

    def de(self, mode: str, statut: str | None, habilite: bool | None) -> str:
        cle = (mode, statut, habilite)
        code = self._memo.get(cle)
        if code is None:
            etablissement = None if statut is None else Etablissement(statut=statut, habilite_ccf=bool(habilite))
            try:
                code = self._reglement.categorie_de(situation_de_preparation(mode, etablissement)).code
            except KeyError:
                code = "?"
            self._memo[cle] = code
        return code


# --- Tableau de bord -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Avancement:
    libelle: str
    fait: int
    total: int
    detail: str = ""

    @property
    def pourcentage(self) -> int:
        return min(100, round(100 * self.fait / self.total)) if self.total else 0


@dataclass(frozen=True)
class Alerte:
    niveau: str  # « error », « warning » ou « info » (types d'alerte du DSFR)
    titre: str
    description: str
    situation: str = ""  # filtre de la recherche de candidats qui les montre
    lien: str = ""  # une page qui les détaille (adresse), s'il y en a une
    lien_libelle: str = ""


@dataclass
class LigneTaux:
    """Décisions d'un groupe (catégorie, académie, centre)."""

    libelle: str
    decisions: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.decisions.values())

    @property
    def admis(self) -> int:
        return self.decisions[Decision.ADMIS]

    @property
    def avec_decision(self) -> int:
        """Délibérés, hors parcours progressifs incomplets (pas de décision de diplôme)."""
        return self.total - self.decisions[Decision.INCOMPLET]

    @property
    def taux(self) -> Decimal | None:
        if not self.avec_decision:
            return None
        return (Decimal(100 * self.admis) / self.avec_decision).quantize(Decimal("0.1"))


@dataclass
class Distribution:
    """Répartition des notes d'une épreuve par tranches de 2 points : [0 ; 2[, …, [18 ; 20]."""

    epreuve: str
    intitule: str
    tranches: list[int] = field(default_factory=lambda: [0] * 10)

    @property
    def total(self) -> int:
        return sum(self.tranches)


LIBELLES_TRANCHES = [f"{2 * k} à {2 * k + 2}" for k in range(10)]


@dataclass
class TableauDeBord:
    session: ExamSession
    inscrits: int
    desistes: int
    sans_centre: int
    avancements: list[Avancement]
    alertes: list[Alerte]
    resultats_visibles: bool
    par_decision: Counter[str]
    par_categorie: list[LigneTaux]
    par_academie: list[LigneTaux]
    par_centre: list[LigneTaux]
    distributions: list[Distribution]

    @property
    def actifs(self) -> int:
        return self.inscrits - self.desistes


def tableau_de_bord(
    *,
    session: ExamSession,
    candidats: QuerySet[Candidat],
    jurys: QuerySet[Jury],
    commissions: QuerySet[Commission],
    resultats_visibles: bool,
) -> TableauDeBord:
    """Avancement de la session, alertes et statistiques du périmètre. Nombre de requêtes constant."""
    reglement = reglement_fourni(session.reglement)
    candidats = candidats.filter(session=session)
    actifs = candidats.filter(desiste_le__isnull=True)
    ids_actifs = actifs.values("pk")

    # 1. Candidats inscrits, désistés, sans centre.
    effectifs = candidats.aggregate(
        inscrits=Count("pk"),
        desistes=Count("pk", filter=Q(desiste_le__isnull=False)),
        sans_centre=Count("pk", filter=Q(desiste_le__isnull=True, centre__isnull=True)),
    )
    inscrits, desistes, sans_centre = effectifs["inscrits"], effectifs["desistes"], effectifs["sans_centre"]

    # 2. Dossiers : déposés ; contrôlés et conformes d'après la dernière décision de la commission. Les
    # décisions ne s'écrivent qu'en ajout : la dernière d'un dossier est celle dont aucune autre, du même dossier,
    # n'a un identifiant plus grand (NOT EXISTS sur l'index (dossier, id) : une recherche par décision, sans
    # regroupement intermédiaire ; 15 % plus rapide que le plus grand identifiant par dossier).
    dossiers = Dossier.objects.filter(candidat__in=ids_actifs)
    d = dossiers.aggregate(total=Count("pk"), deposes=Count("pk", filter=Q(depose_le__isnull=False)))
    dernieres = DecisionConformite.objects.filter(dossier__candidat__in=ids_actifs).exclude(
        Exists(DecisionConformite.objects.filter(dossier_id=OuterRef("dossier_id"), pk__gt=OuterRef("pk")))
    )
    # 3. Dans la même requête, les causes des dossiers non conformes (regroupées : peu de combinaisons).
    d.update(controles=0, conformes=0)
    causes: Counter[str] = Counter()
    for conforme, liste, n in dernieres.values_list("conforme", "causes").annotate(n=Count("pk")).order_by():
        d["controles"] += n
        if conforme:
            d["conformes"] += n
        else:
            for cause in set(liste or ()):
                causes[cause] += n

    # 4. Résultats des épreuves obligatoires : enregistrés, suspendus.
    # Une seule lecture des résultats, regroupés par valeur (quelques milliers de groupes au plus), sert aussi la
    # répartition des notes (8.) : pas de second parcours de la table.
    obligatoires = [e.code for e in reglement.obligatoires]
    codes_obligatoires = set(obligatoires)
    r = {"saisis": 0, "suspendus": 0}
    notes_par_valeur: list[tuple[str, Decimal, int]] = []
    for epreuve, etat, origine, suspendue, note_jury, note_examinateur, n in (
        # « candidat_id + 0 » : le filtre ne peut plus prendre l'index des candidats ; SQLite lit alors l'index
        # `resultat_repartition`, déjà dans l'ordre du regroupement (sans tri, sans accès à la table) : 8 fois
        # plus rapide sur 175 000 résultats. PostgreSQL en fait une semi-jointure par hachage.
        Resultat.objects.alias(cid=ExpressionWrapper(F("candidat_id") + 0, output_field=IntegerField()))
        .filter(cid__in=ids_actifs)
        .values_list("epreuve", "etat", "origine", "suspendue", "note_jury", "note_examinateur")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if epreuve in codes_obligatoires:
            r["saisis"] += n
            if suspendue:
                r["suspendus"] += n
        if etat == Etat.NOTE and origine == Origine.SESSION and note_examinateur is not None:
            notes_par_valeur.append((epreuve, note_jury if note_jury is not None else note_examinateur, n))
    attendus = (inscrits - desistes) * len(obligatoires)

    # 5. Le « cube » des décisions : mode × établissement × centre × décision, en une requête, regroupé par
    # identifiant de centre (des clés courtes : 40 % plus rapide que par nom de centre et d'académie) ; les noms
    # des centres concernés viennent d'une seconde requête, de quelques dizaines de lignes.
    par_decision: Counter[str] = Counter()
    categories: dict[str, LigneTaux] = {}
    academies: dict[str, LigneTaux] = {}
    centres: dict[str, LigneTaux] = {}
    classer = Categories(reglement)
    cube = list(
        avec_decision(actifs)
        .values("mode_preparation", "etablissement__statut", "etablissement__habilite_ccf", "centre_id", "decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    noms_centres = {
        pk: (academie, f"{nom} ({code})")
        for pk, academie, nom, code in Centre.objects.filter(
            pk__in={ligne["centre_id"] for ligne in cube if ligne["centre_id"] is not None}
        ).values_list("pk", "academie__nom", "nom", "code")
    }
    for ligne in cube:
        decision = ligne["decision"] or SANS_DECISION
        n = ligne["n"]
        par_decision[decision] += n
        if decision == SANS_DECISION:
            continue
        categorie = classer.de(
            ligne["mode_preparation"], ligne["etablissement__statut"], ligne["etablissement__habilite_ccf"]
        )
        academie, centre = noms_centres.get(ligne["centre_id"], ("sans centre", "sans centre"))
        for groupes, cle in ((categories, f"Catégorie {categorie}"), (academies, academie), (centres, centre)):
            groupes.setdefault(cle, LigneTaux(cle)).decisions[decision] += n

    # 6. Jurys : composition (enseignants et professionnels en nombre égal, CE D643-31).
    compositions = list(
        jurys.filter(session=session)
        .annotate(
            enseignants=Count("membres", filter=Q(membres__qualite=Qualite.ENSEIGNANT)),
            professionnels=Count("membres", filter=Q(membres__qualite=Qualite.PROFESSIONNEL)),
        )
        .values_list("nom", "enseignants", "professionnels")
        .order_by("nom")
    )

    # 7. Commissions d'interrogation actives : assez de membres pour leurs épreuves (règlement), sans alerte.
    commissions_incompletes = []
    for centre, code, epreuves, membres, alerte in (
        commissions.filter(session=session, active=True)
        .annotate(membres_n=Count("membres"))
        .values_list("centre__code", "code", "epreuves", "membres_n", "alerte")
        .order_by("centre__code", "code")
    ):
        requis = max((_membres_requis(reglement, e) for e in epreuves or ()), default=1)
        if membres < requis or alerte:
            detail = alerte or f"{membres} membre(s) sur {requis}"
            commissions_incompletes.append(f"{code} ({centre}) : {detail}")

    # 8. Répartition des notes de la session par épreuve (note après jury si elle existe).
    distributions = {
        e.code: Distribution(e.code, e.intitule) for e in (*reglement.obligatoires, *reglement.facultatives)
    }
    if resultats_visibles:
        for epreuve, note, n in notes_par_valeur:
            distribution = distributions.get(epreuve)
            if distribution is not None:
                distribution.tranches[min(9, int(note // 2))] += n

    deliberes = sum(n for dec, n in par_decision.items() if dec != SANS_DECISION)
    avancements = [
        Avancement(
            "Dossiers E4 et E6 reçus",
            d["deposes"],
            d["total"],
            f"{d['deposes']} déposés sur {d['total']} dossiers attendus",
        ),
        Avancement(
            "Conformité des dossiers contrôlée",
            d["controles"],
            d["total"],
            f"{d['conformes']} conformes, {d['controles'] - d['conformes']} non conformes",
        ),
        Avancement(
            "Notes saisies (épreuves obligatoires)",
            r["saisis"],
            attendus,
            f"{r['saisis']} résultats enregistrés sur {attendus} attendus",
        ),
    ]
    if resultats_visibles:
        avancements.append(
            Avancement(
                "Candidats délibérés",
                deliberes,
                inscrits - desistes,
                " ; ".join(
                    f"{Decision(dec).label} : {n}" for dec, n in sorted(par_decision.items()) if dec != SANS_DECISION
                )
                or "aucune délibération",
            )
        )

    alertes: list[Alerte] = []
    non_deposes = d["total"] - d["deposes"]
    if non_deposes:
        alertes.append(
            Alerte(
                "warning",
                f"{non_deposes} dossier(s) non déposé(s)",
                "Des dossiers E4 ou E6 n'ont pas de date de dépôt : l'épreuve sera déclarée non valide (NV) "
                "s'ils ne sont pas reçus.",
                "dossier_non_depose",
            )
        )
    if causes[Annulation.DEPOT_TARDIF]:
        alertes.append(
            Alerte(
                "warning",
                f"{causes[Annulation.DEPOT_TARDIF]} dossier(s) déposé(s) en retard",
                "La commission de conformité a relevé un dépôt après la date limite.",
                "dossier_non_conforme",
            )
        )
    if r["suspendus"]:
        alertes.append(
            Alerte(
                "error",
                f"{r['suspendus']} note(s) suspendue(s)",
                "Notes retenues dans l'attente d'une vérification de conformité : le candidat reste « en attente » "
                "tant qu'elles le sont.",
                "note_suspendue",
            )
        )
    for nom, enseignants, professionnels in compositions:
        if enseignants + professionnels == 0:
            alertes.append(Alerte("warning", f"{nom} : jury incomplet", "Aucun membre n'est encore désigné."))
        elif enseignants != professionnels:
            alertes.append(
                Alerte(
                    "warning",
                    f"{nom} : jury incomplet",
                    f"{enseignants} enseignant(s) pour {professionnels} professionnel(s) : le Code de l'éducation "
                    "(D643-31) demande des nombres égaux.",
                )
            )
    if commissions_incompletes:
        premieres = " ; ".join(commissions_incompletes[:5])
        autres = len(commissions_incompletes) - 5
        alertes.append(
            Alerte(
                "warning",
                f"{len(commissions_incompletes)} commission(s) d'interrogation incomplète(s)",
                premieres + (f" ; et {autres} autre(s)." if autres > 0 else "."),
            )
        )
    if sans_centre:
        alertes.append(
            Alerte(
                "info",
                f"{sans_centre} candidat(s) sans centre d'examen",
                "Ils ne peuvent pas être convoqués tant qu'un centre ne leur est pas affecté.",
                "sans_centre",
            )
        )

    def trie(groupes: dict[str, LigneTaux]) -> list[LigneTaux]:
        return [groupes[k] for k in sorted(groupes)]

    return TableauDeBord(
        session=session,
        inscrits=inscrits,
        desistes=desistes,
        sans_centre=sans_centre,
        avancements=avancements,
        alertes=alertes,
        resultats_visibles=resultats_visibles,
        par_decision=par_decision,
        par_categorie=trie(categories) if resultats_visibles else [],
        par_academie=trie(academies) if resultats_visibles else [],
        par_centre=trie(centres) if resultats_visibles else [],
        distributions=[x for x in distributions.values() if x.total] if resultats_visibles else [],
    )


def _membres_requis(reglement: Reglement, code: str) -> int:
    """Le nombre de membres que le règlement demande pour une épreuve du planning (1 si rien n'est dit)."""
    try:
        regle = reglement.epreuve(code).commission
    except KeyError:
        return 1
    return regle.membres if regle is not None else 1


# --- Recherche de candidats ------------------------------------------------------------------------

SITUATIONS = {
    "note_suspendue": "note suspendue",
    "dossier_non_depose": "dossier non déposé",
    "dossier_non_conforme": "dossier non conforme",
    "sans_centre": "sans centre d'examen",
    "desiste": "désisté",
}


@dataclass(frozen=True)
class CriteresRecherche:
    texte: str = ""  # nom, prénoms ou numéro (plusieurs mots : tous doivent se trouver)
    centre_id: int | None = None
    etablissement: str = ""  # UAI ou partie du nom
    decision: str = ""  # une `Decision`, ou SANS_DECISION
    situation: str = ""  # une clé de SITUATIONS


def rechercher_candidats(*, candidats: QuerySet[Candidat], criteres: CriteresRecherche) -> QuerySet[Candidat]:
    """Les candidats (du périmètre) qui répondent aux critères, avec leur décision en vigueur, par numéro."""
    qs = avec_decision(candidats).select_related("etablissement", "centre")
    for mot in criteres.texte.split():
        qs = qs.filter(Q(numero__icontains=mot) | Q(nom__icontains=mot) | Q(prenoms__icontains=mot))
    if criteres.centre_id is not None:
        qs = qs.filter(centre_id=criteres.centre_id)
    if criteres.etablissement.strip():
        e = criteres.etablissement.strip()
        qs = qs.filter(Q(etablissement__uai__iexact=e) | Q(etablissement__nom__icontains=e))
    if criteres.decision == SANS_DECISION:
        qs = qs.filter(decision__isnull=True)
    elif criteres.decision:
        qs = qs.filter(decision=criteres.decision)
    if criteres.situation == "note_suspendue":
        qs = qs.filter(Exists(Resultat.objects.filter(candidat=OuterRef("pk"), suspendue=True)))
    elif criteres.situation == "dossier_non_depose":
        qs = qs.filter(Exists(Dossier.objects.filter(candidat=OuterRef("pk"), depose_le__isnull=True)))
    elif criteres.situation == "dossier_non_conforme":
        derniere = DecisionConformite.objects.filter(dossier=OuterRef("pk")).order_by("-decidee_le", "-pk")
        non_conformes = Dossier.objects.annotate(conforme=Subquery(derniere.values("conforme")[:1])).filter(
            candidat=OuterRef("pk"), conforme=False
        )
        qs = qs.filter(Exists(non_conformes))
    elif criteres.situation == "sans_centre":
        qs = qs.filter(centre__isnull=True, desiste_le__isnull=True)
    elif criteres.situation == "desiste":
        qs = qs.filter(desiste_le__isnull=False)
    return qs.order_by("numero")


# --- Export ---------------------------------------------------------------------------------------

ENTETES_EXPORT = [
    "Numéro",
    "Nom",
    "Prénoms",
    "UAI de l'établissement",
    "Établissement",
    "Code du centre",
    "Centre d'examen",
    "Académie du centre",
    "Mode de préparation",
    "Catégorie",
    "Parcours",
    "Désisté le",
]
ENTETES_RESULTATS = ["Décision", "Moyenne"]


def lignes_export(
    *, candidats: QuerySet[Candidat], reglement: Reglement, avec_resultats: bool
) -> Iterator[tuple[Any, ...]]:
    """Les lignes du tableau exporté, lues par paquets (mémoire bornée), dans l'ordre de `candidats`."""
    classer = Categories(reglement)
    modes = dict(Candidat.ModePreparation.choices)
    parcours = dict(Candidat.Parcours.choices)
    decisions = dict(Decision.choices)
    for ligne in candidats.values_list(
        "numero",
        "nom",
        "prenoms",
        "etablissement__uai",
        "etablissement__nom",
        "centre__code",
        "centre__nom",
        "centre__academie__nom",
        "mode_preparation",
        "etablissement__statut",
        "etablissement__habilite_ccf",
        "parcours",
        "desiste_le",
        "decision",
        "moyenne",
    ).iterator(chunk_size=2000):
        (numero, nom, prenoms, uai, etab, code, centre, academie, mode, statut, habilite, parc, desiste, dec, moy) = (
            ligne
        )
        valeurs: tuple[Any, ...] = (
            numero,
            nom,
            prenoms,
            uai or "",
            etab or "",
            code or "",
            centre or "",
            academie or "",
            modes.get(mode, mode),
            classer.de(mode, statut, habilite),
            parcours.get(parc, parc),
            desiste,
        )
        if avec_resultats:
            valeurs += (decisions.get(dec, "") if dec else "", moy or "")
        yield valeurs


# --- Fiche et chronologie d'un candidat ------------------------------------------------------------

# Les étapes d'une session, dans l'ordre : un évènement sans date se place avant la première étape suivante.
INSCRIPTION, DOSSIER, CONFORMITE, NOTES, JURY = range(5)


@dataclass(frozen=True)
class Evenement:
    etape: int
    titre: str
    quand: datetime | None = None
    jour_seul: bool = False  # la date est connue, pas l'heure
    detail: str = ""
    acteur: str = ""
    niveau: str = ""  # « success », « warning », « error », « info » : couleur du badge


@dataclass(frozen=True)
class LigneDossier:
    dossier: Dossier
    derniere_decision: DecisionConformite | None

    @property
    def causes(self) -> list[str]:
        if self.derniere_decision is None:
            return []
        return [LIBELLES_CAUSES.get(c, c) for c in self.derniere_decision.causes]


@dataclass(frozen=True)
class LigneNote:
    epreuve: str
    intitule: str
    valeur: str  # « 12,50 », « AB », « DI »…
    origine: str
    jury: str = ""  # note après jury
    suspendue: bool = False


@dataclass
class FicheCandidat:
    candidat: Candidat
    categorie: str
    fuseau: str
    resultats_visibles: bool
    voir_acteurs: bool
    dossiers: list[LigneDossier]
    notes: list[LigneNote]
    notes_controle: list[LigneNote]
    dispenses: list[Dispense]
    decision: DecisionJury | None
    chronologie: list[Evenement]


def _fr(valeur: Decimal | None) -> str:
    return "" if valeur is None else f"{valeur:.2f}".replace(".", ",")


def _a_minuit(jour: date, tz: Any) -> datetime:
    return datetime.combine(jour, time.min, tzinfo=tz)


LIBELLES_CHAMPS = {
    "note_examinateur": "note de l'examinateur",
    "note_jury": "note après jury",
    "etat": "état",
    "suspendue": "suspendue",
    "desiste_le": "désisté le",
    "centre": "centre",
    "depose_le": "déposé le",
    "note": "note",
}


def _valeur(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "oui" if v else "non"
    texte = str(v)
    if re.fullmatch(r"\d+\.\d{2}", texte):  # une note en texte (« 15.00 ») : à la française
        return texte.replace(".", ",")
    return texte


def _resume_trace(t: Trace) -> str:
    """« note de l'examinateur : 15,00 → 16,00 » : ce qui a changé, champ par champ."""
    avant, apres = t.avant or {}, t.apres or {}
    cles = [k for k in (*apres, *(k for k in avant if k not in apres)) if avant.get(k) != apres.get(k)]
    morceaux = []
    for k in cles:
        nom = LIBELLES_CHAMPS.get(k, k.replace("_", " "))
        if k in avant and k in apres:
            morceaux.append(f"{nom} : {_valeur(avant[k])} → {_valeur(apres[k])}")
        elif k in apres:
            morceaux.append(f"{nom} : {_valeur(apres[k])}")
        else:
            morceaux.append(f"{nom} : {_valeur(avant[k])} (retiré)")
    return " ; ".join(morceaux)


def fiche_candidat(*, candidat: Candidat, resultats_visibles: bool, voir_acteurs: bool) -> FicheCandidat:
    """Tout ce qu'on sait d'un candidat, et sa chronologie. Requêtes : 9 au plus, quel que soit son dossier.

    `candidat` vient de `candidats_visibles(…).select_related("session", "etablissement", "centre__academie")`.
    """
    reglement = reglement_fourni(candidat.session.reglement)
    intitules = {e.code: e.intitule for e in reglement.epreuves.values()}
    ordre = {code: k for k, code in enumerate(reglement.epreuves)}
    tz_nom = candidat.centre.fuseau if candidat.centre else "Europe/Paris"
    tz = fuseau(tz_nom)
    evenements: list[Evenement] = []

    dossiers = [
        LigneDossier(d, max(d.decisions.all(), key=lambda x: (x.decidee_le, x.pk), default=None))
        for d in Dossier.objects.filter(candidat=candidat).prefetch_related("decisions").order_by("epreuve")
    ]
    for ligne in dossiers:
        d = ligne.dossier
        if d.depose_le:
            evenements.append(
                Evenement(DOSSIER, f"Dossier {d.epreuve} déposé", _a_minuit(d.depose_le, tz), jour_seul=True)
            )
        for decision in sorted(d.decisions.all(), key=lambda x: (x.decidee_le, x.pk)):
            causes = ", ".join(LIBELLES_CAUSES.get(c, c) for c in decision.causes)
            evenements.append(
                Evenement(
                    CONFORMITE,
                    f"Dossier {d.epreuve} : {'conforme' if decision.conforme else 'non conforme'}",
                    decision.decidee_le,
                    detail=decision.motifs or causes,
                    acteur=decision.decidee_par,
                    niveau="success" if decision.conforme else "error",
                )
            )

    notes: list[LigneNote] = []
    notes_controle: list[LigneNote] = []
    dispenses = list(Dispense.objects.filter(candidat=candidat).order_by("unite"))
    decision_en_vigueur: DecisionJury | None = None
    if resultats_visibles:
        for res in sorted(Resultat.objects.filter(candidat=candidat), key=lambda x: ordre.get(x.epreuve, 99)):
            valeur = _fr(res.note_examinateur) if res.etat == Etat.NOTE else res.etat
            origine = res.get_origine_display() + (f" {res.annee}" if res.annee else "")
            notes.append(
                LigneNote(
                    res.epreuve, intitules.get(res.epreuve, ""), valeur, origine, _fr(res.note_jury), res.suspendue
                )
            )
        presentes = {n.epreuve for n in notes}
        for nc in NoteConservee.objects.filter(candidat=candidat):
            if nc.epreuve not in presentes:
                notes.append(
                    LigneNote(
                        nc.epreuve,
                        intitules.get(nc.epreuve, ""),
                        _fr(nc.note),
                        f"{nc.get_origine_display()} {nc.annee}",
                    )
                )
        notes.sort(key=lambda n: ordre.get(n.epreuve, 99))
        for ctrl in NoteControle.objects.filter(candidat=candidat).order_by("epreuve"):
            notes_controle.append(
                LigneNote(
                    ctrl.epreuve,
                    intitules.get(ctrl.epreuve, ""),
                    _fr(ctrl.note) if ctrl.etat == Etat.NOTE else ctrl.etat,
                    "épreuve de contrôle",
                )
            )
        for decision in (
            DecisionJury.objects.filter(candidat=candidat).select_related("jury").order_by("decidee_le", "pk")
        ):
            if decision.en_vigueur:
                decision_en_vigueur = decision
            detail = f"moyenne {decision.moyenne}" if decision.moyenne else ""
            if decision.motif:
                detail = ", ".join(x for x in (detail, decision.get_motif_display()) if x)
            evenements.append(
                Evenement(
                    JURY,
                    f"Décision du jury : {decision.get_decision_display()}"
                    + ("" if decision.en_vigueur else " (remplacée)"),
                    decision.decidee_le,
                    detail=detail,
                    acteur=decision.decidee_par,
                    niveau={Decision.ADMIS: "success", Decision.AJOURNE: "error"}.get(decision.decision, "info"),
                )
            )
        livret = ExamenLivret.objects.filter(candidat=candidat).first()
        if livret is not None:
            evenements.append(
                Evenement(JURY, "Livret scolaire examiné par le jury", livret.examine_le, acteur=livret.examine_par)
            )

    # Les traces de l'historique : le candidat, ses dossiers, ses notes (les décisions de conformité et de
    # jury, déjà lues ci-dessus, n'y sont pas reprises).
    def ids(modele: Any) -> QuerySet[Any]:
        return modele.objects.filter(candidat=candidat).annotate(texte=Cast("pk", CharField())).values("texte")

    filtre = Q(objet_type="candidats.candidat", objet_id=str(candidat.pk)) | Q(
        objet_type="dossiers.dossier", objet_id__in=ids(Dossier)
    )
    if resultats_visibles:
        filtre |= Q(objet_type="notes.resultat", objet_id__in=ids(Resultat)) | Q(
            objet_type="notes.notecontrole", objet_id__in=ids(NoteControle)
        )
    inscription_tracee = False
    for t in Trace.objects.filter(filtre).order_by("quand", "pk"):
        etape = {"candidats.candidat": INSCRIPTION, "dossiers.dossier": DOSSIER}.get(t.objet_type, NOTES)
        if t.objet_type == "candidats.candidat" and t.action == Trace.Action.CREATION:
            inscription_tracee = True
            titre = "Inscription à la session"
        else:
            titre = t.objet_libelle.removeprefix(f"candidat {candidat.numero} — ") or t.get_action_display()
            titre = f"{t.get_action_display().capitalize()} : {titre}"
        detail = " — ".join(x for x in (_resume_trace(t), t.motif) if x)
        evenements.append(Evenement(etape, titre, t.quand, detail=detail, acteur=t.acteur))
    if not inscription_tracee:
        evenements.append(Evenement(INSCRIPTION, "Inscription à la session"))
    if candidat.desiste_le:
        evenements.append(
            Evenement(INSCRIPTION, "Désistement", _a_minuit(candidat.desiste_le, tz), jour_seul=True, niveau="warning")
        )
    if resultats_visibles and notes and not any(e.etape == NOTES for e in evenements):
        evenements.append(Evenement(NOTES, f"Notes de la session enregistrées ({len(notes)} épreuves)"))

    try:
        categorie = reglement.categorie_de(candidat.situation).code
    except KeyError:
        categorie = "?"
    return FicheCandidat(
        candidat=candidat,
        categorie=categorie,
        fuseau=tz_nom,
        resultats_visibles=resultats_visibles,
        voir_acteurs=voir_acteurs,
        dossiers=dossiers,
        notes=notes,
        notes_controle=notes_controle,
        dispenses=dispenses,
        decision=decision_en_vigueur,
        chronologie=ordonner(evenements, tz),
    )


def ordonner(evenements: list[Evenement], tz: Any) -> list[Evenement]:
    """Par date ; un évènement sans date se place avant le premier évènement daté d'une étape suivante
    (sinon à la fin de son étape). Les dates sont rendues dans le fuseau du centre du candidat."""
    dates = [e for e in evenements if e.quand is not None]
    dates.sort(key=lambda e: (e.quand, e.etape))
    resultat: list[Evenement] = []
    sans_date = sorted((e for e in evenements if e.quand is None), key=lambda e: e.etape)
    for e in dates:
        while sans_date and sans_date[0].etape < e.etape:
            resultat.append(sans_date.pop(0))
        resultat.append(e)
    resultat.extend(sans_date)
    return [e if e.quand is None else replace(e, quand=timezone.localtime(e.quand, tz)) for e in resultat]


# --- Alertes des pièces d'épreuve (apps/sujets) ---------------------------------------------------------------


def alertes_sujets(*, session: ExamSession, centres: QuerySet[Centre]) -> list[Alerte]:
    """Les alertes de préparation des épreuves pour qui prépare les centres (gestionnaire, chef de centre) :
    centres dont les postes E5B ne sont pas prêts, candidats convoqués à l'E4 sans fiche-sujet prête.
    `centres` : ceux que l'utilisateur suit (`sujets.acces.centres_suivis`). Requêtes : 2, quel que soit le
    nombre de centres et de candidats (comptes agrégés, jamais une requête par centre)."""
    dans_la_session = centres & centres_en_requete(session, None)
    alertes: list[Alerte] = []
    postes = alertes_postes(session=session, centres=dans_la_session)
    if postes:
        seul = postes[0] if len(postes) == 1 else None
        details = " ; ".join(f"{e.centre_nom} ({e.centre_code}) : {e.alerte}" for e in postes[:5])
        autres = len(postes) - 5
        alertes.append(
            Alerte(
                "warning",
                f"Postes E5B pas prêts : {seul.centre_nom}"
                if seul
                else f"{len(postes)} centre(s) aux postes E5B pas prêts",
                details
                + (f" ; et {autres} autre(s)" if autres > 0 else "")
                + ". Un centre n'est planifié à l'E5B que sur ses postes prêts.",
                lien=(reverse("sujets:postes", args=[seul.centre_id]) if seul else reverse("sujets:centres"))
                + f"?session={session.code}",
                lien_libelle="Préparer les postes" if seul else "Voir la préparation des centres",
            )
        )
    fiches = bilan_fiches_manquantes(session=session, centres=dans_la_session)
    if fiches.manquantes:
        delai = delai_fiche_sujet(fiches.jours_avant)
        retard = (
            f" ; pour {fiches.en_retard} d'entre eux, elle devait être prête {delai} au plus tard"
            if fiches.en_retard
            else f" ; chacune doit être prête {delai} au plus tard"
        )
        (un_centre,) = fiches.centres if len(fiches.centres) == 1 else (None,)
        alertes.append(
            Alerte(
                "error" if fiches.en_retard else "warning",
                f"{fiches.manquantes} candidat(s) convoqué(s) à l'E4 sans fiche-sujet prête",
                f"La commission E4 de chaque candidat rédige sa fiche-sujet{retard}.",
                lien=(
                    reverse("sujets:fiches_manquantes", args=[un_centre])
                    if un_centre is not None
                    else reverse("sujets:centres")
                )
                + f"?session={session.code}",
                lien_libelle="Voir les candidats" if un_centre is not None else "Voir les centres concernés",
            )
        )
    return alertes
