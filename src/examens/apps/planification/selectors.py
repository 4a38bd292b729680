"""Lectures de la planification : l'instance d'un centre depuis la base, les versions, les passages.

- `instance_du_centre` construit l'instance `examens/planning-instance@1` d'un centre (docs/formats/planning.md)
  depuis la base : candidats non désistés qui passent un oral ou une pratique en forme ponctuelle
  (`epreuves.epreuves_du_candidat`), commissions actives du centre et disponibilités de leurs membres, loges
  et postes informatiques du centre, établissements (conflits d'intérêts, §2). Nombre de requêtes constant.
- `passages_du_candidat`, `passages_de_l_examinateur`, `passages_du_centre` rendent des lignes simples
  (`LignePassage`) pour les convocations : instants UTC, fuseau du centre, salles, codes. Trois requêtes,
  quel que soit le nombre de passages.

Les heures d'une journée d'oraux (demi-journées des disponibilités) sont un réglage d'appel
(`PLAGES_PAR_DEFAUT` : 08:00–12:00 et 13:00–18:00) **[décision]**.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from examens.apps.candidats.models import Candidat, Dispense, NoteConservee, situation_de_preparation
from examens.apps.examinateurs.models import Disponibilite, Examinateur
from examens.apps.notes.models import Etat, Origine, Resultat
from examens.apps.organisation.models import Centre, ExamSession, Salle
from examens.apps.planification.epreuves import description_epreuve, epreuves_du_candidat, epreuves_orales
from examens.apps.planification.erreurs import PlanificationImpossible
from examens.apps.planification.models import Campagne, Commission, EtapeCampagne, Nature, Passage, VersionPlanning
from examens.apps.sujets.selectors import candidats_sans_fiche_engagement, postes_e5b_prets, sujets_pour_planification
from examens.core.reglement import Reglement, reglement_fourni

if TYPE_CHECKING:
    from examens.planning.formats import Planning

FORMAT_INSTANCE = "examens/planning-instance@1"
MATIN, APRES_MIDI = Disponibilite.DemiJournee.MATIN.value, Disponibilite.DemiJournee.APRES_MIDI.value
# [décision] les heures des demi-journées d'oraux d'un centre (heure locale).
PLAGES_PAR_DEFAUT: Mapping[str, tuple[str, str]] = {MATIN: ("08:00", "12:00"), APRES_MIDI: ("13:00", "18:00")}
# Banque de sujets E5B en attendant sa saisie en base (autant de WordPress que de PrestaShop, Circ. 1.12).
SUJETS_E5B_PAR_DEFAUT: tuple[dict[str, str], ...] = tuple(
    {"id": f"WP-{i:02d}", "support": "wordpress"} for i in range(1, 13)
) + tuple({"id": f"PS-{i:02d}", "support": "prestashop"} for i in range(1, 13))


# --------------------------------------------------------------------------- candidats du centre


@dataclass(frozen=True, slots=True)
class CandidatAuCentre:
    """Un candidat tel que le planning le voit : ses épreuves au centre et leur langue."""

    candidat_id: int
    numero: str
    etablissement: str | None
    epreuves: tuple[str, ...]
    langues: Mapping[str, str]
    majoration: bool

    def vers_instance(self) -> dict[str, Any]:
        donnees: dict[str, Any] = {
            "id": self.numero,
            "etablissement": self.etablissement,
            "epreuves": list(self.epreuves),
        }
        if self.langues:
            donnees["langues"] = dict(self.langues)
        if self.majoration:
            donnees["majoration"] = True
        return donnees


def candidats_du_centre(
    *, session: ExamSession, centre: Centre, reglement: Reglement | None = None
) -> list[CandidatAuCentre]:
    """Les candidats non désistés du centre qui y passent au moins un oral ou une pratique. Requêtes : 4."""
    reglement = reglement or reglement_fourni(session.reglement)
    orales = epreuves_orales(reglement)
    candidats = list(
        Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
        .select_related("etablissement")
        .order_by("numero")
    )
    ids = [c.pk for c in candidats]
    # Sans fiche d'engagement étudiant à la date limite, l'épreuve facultative n'a pas lieu (Circ. 1.14).
    sans_fiche = candidats_sans_fiche_engagement(session, ids)
    conservees: dict[int, set[str]] = defaultdict(set)
    for cid, epreuve in NoteConservee.objects.filter(candidat_id__in=ids, epreuve__in=orales).values_list(
        "candidat_id", "epreuve"
    ):
        conservees[cid].add(epreuve)
    dispensees: dict[int, set[str]] = defaultdict(set)
    for cid, unite in Dispense.objects.filter(candidat_id__in=ids).values_list("candidat_id", "unite"):
        dispensees[cid].add(unite)
    # Un résultat de la session prime sur une note conservée (§5 : le candidat a renoncé au bénéfice) ;
    # NV (dossier non conforme : pas interrogé, §6), DI et les notes conservées saisies comme résultats excluent.
    exclues: dict[int, set[str]] = defaultdict(set)
    repassees: dict[int, set[str]] = defaultdict(set)
    for cid, epreuve, etat, origine in Resultat.objects.filter(candidat_id__in=ids, epreuve__in=orales).values_list(
        "candidat_id", "epreuve", "etat", "origine"
    ):
        if etat in (Etat.NON_VALIDE, Etat.DISPENSE) or origine != Origine.SESSION:
            exclues[cid].add(epreuve)
        else:
            repassees[cid].add(epreuve)
    resultat = []
    for c in candidats:
        categorie = reglement.categorie_de(situation_de_preparation(c.mode_preparation, c.etablissement)).code
        epreuves = epreuves_du_candidat(
            reglement,
            categorie=categorie,
            langue_lv2=c.langue_lv2,
            engagement=c.engagement_etudiant and c.pk not in sans_fiche,
            conservees=conservees[c.pk] - repassees[c.pk],
            unites_dispensees=dispensees[c.pk],
            non_valides=exclues[c.pk],
        )
        if not epreuves:
            continue
        langues = {}
        for code in epreuves:
            if reglement.epreuve(code).langue:
                langues[code] = c.langue_lv2 if code == "LV2" else c.langue_e2
        resultat.append(
            CandidatAuCentre(
                candidat_id=c.pk,
                numero=c.numero,
                etablissement=c.etablissement.uai if c.etablissement else None,
                epreuves=tuple(epreuves),
                langues=langues,
                majoration=c.temps_majore,
            )
        )
    return resultat


# --------------------------------------------------------------------------- disponibilités


def disponibilites(
    examinateur_ids: Iterable[int], *, dates: Iterable[dt.date] | None = None
) -> dict[int, set[tuple[dt.date, str]]]:
    """(date, demi-journée) où chaque examinateur est disponible. Requête : 1."""
    qs = Disponibilite.objects.filter(examinateur_id__in=list(examinateur_ids))
    if dates is not None:
        qs = qs.filter(date__in=list(dates))
    resultat: dict[int, set[tuple[dt.date, str]]] = defaultdict(set)
    for xid, jour, demi in qs.values_list("examinateur_id", "date", "demi_journee"):
        resultat[xid].add((jour, demi))
    return resultat


def disponible_par_date(
    creneaux: Iterable[tuple[dt.date, str]], plages: Mapping[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    par_date: dict[dt.date, list[list[str]]] = defaultdict(list)
    for jour, demi in sorted(creneaux, key=lambda x: (x[0], list(plages).index(x[1]) if x[1] in plages else 9)):
        if demi in plages:
            par_date[jour].append(list(plages[demi]))
    return [{"date": jour.isoformat(), "plages": liste} for jour, liste in sorted(par_date.items())]


# --------------------------------------------------------------------------- instance


def commissions_actives(*, session: ExamSession, centre: Centre, nature: str = Nature.ORAUX) -> list[Commission]:
    """Les commissions actives du centre, avec leurs membres et leur salle. Requêtes : 2."""
    return list(
        Commission.objects.filter(session=session, centre=centre, nature=nature, active=True)
        .select_related("salle")
        .prefetch_related("membres__etablissement")
        .order_by("code")
    )


def _commissions_de_l_instance(
    commissions: Sequence[Commission],
    *,
    epreuves: Mapping[str, Mapping[str, Any]],
    creneaux: Mapping[int, set[tuple[dt.date, str]]],
    plages: Mapping[str, tuple[str, str]],
    dates: set[dt.date] | None,
) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    sortie: list[dict[str, Any]] = []
    examinateurs: dict[str, str | None] = {}
    for k in commissions:
        membres = sorted(k.membres.all(), key=lambda x: x.code)
        codes = [e for e in k.epreuves if e in epreuves]
        if not membres or not codes:
            continue
        # La commission siège quand tous ses membres sont là.
        communs = set.intersection(*(creneaux.get(x.pk, set()) for x in membres))
        if dates is not None:
            communs = {c for c in communs if c[0] in dates}
        donnees: dict[str, Any] = {"id": k.code, "epreuves": codes}
        if any(epreuves[e].get("langue") for e in codes):
            donnees["langue"] = k.langue
        donnees["membres"] = [x.code for x in membres]
        if k.salle is not None:
            donnees["salle"] = k.salle.nom
        donnees["disponible"] = disponible_par_date(communs, plages)
        sortie.append(donnees)
        for x in membres:
            examinateurs[x.code] = x.etablissement.uai if x.etablissement else None
    return sortie, examinateurs


def instance_du_centre(
    centre: Centre,
    *,
    session: ExamSession | None = None,
    reference: Mapping[str, Any] | None = None,
    du: dt.date | None = None,
    au: dt.date | None = None,
    plages: Mapping[str, tuple[str, str]] = PLAGES_PAR_DEFAUT,
    sujets: Sequence[Mapping[str, str]] = SUJETS_E5B_PAR_DEFAUT,
    battement: int = 10,
    max_passages_par_jour: int = 4,
) -> dict[str, Any]:
    """L'instance `examens/planning-instance@1` des oraux du centre, construite depuis la base.

    Jours : ceux où au moins une commission active du centre siège (tous ses membres disponibles), entre
    `du` et `au` s'ils sont donnés. `reference` : un planning `@1` (replanification). Lève
    `PlanificationImpossible` si le centre n'a aucun candidat à l'oral, aucune loge ou aucun poste alors
    qu'il en faut, ou aucune demi-journée de commission. Requêtes : 10, quel que soit le centre.
    """
    session = session or session_du_centre(centre)
    reglement = reglement_fourni(session.reglement)
    candidats = candidats_du_centre(session=session, centre=centre, reglement=reglement)
    if not candidats:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucun candidat non désisté n'y passe d'oral ni de pratique en forme ponctuelle."
        )
    codes = {e for c in candidats for e in c.epreuves}
    epreuves = {code: description_epreuve(reglement, code) for code in epreuves_orales(reglement) if code in codes}
    commissions = commissions_actives(session=session, centre=centre)
    membres = {x.pk for k in commissions for x in k.membres.all()}
    creneaux = disponibilites(membres)
    dates = None
    if du is not None or au is not None:
        dates = {d for s in creneaux.values() for d, _ in s if (du is None or d >= du) and (au is None or d <= au)}
    instance_commissions, examinateurs = _commissions_de_l_instance(
        commissions, epreuves=epreuves, creneaux=creneaux, plages=plages, dates=dates
    )
    jours = sorted({j["date"] for k in instance_commissions for j in k["disponible"]})
    if not jours:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucune demi-journée où une commission siège au complet "
            "(composez les commissions et saisissez les disponibilités des examinateurs)."
        )
    instance = assembler_instance(
        nom=f"{centre.nom} ({centre.code}) — {session.intitule}",
        centre=centre,
        jours=jours,
        plages=plages,
        epreuves=epreuves,
        commissions=instance_commissions,
        examinateurs=examinateurs,
        candidats=[c.vers_instance() for c in candidats],
        # La banque E5B diffusée (application « sujets ») remplace les sujets par défaut.
        sujets=sujets if sujets is not SUJETS_E5B_PAR_DEFAUT else (sujets_pour_planification(session) or sujets),
        regles={
            "battement": battement,
            "max_passages_par_jour": max_passages_par_jour,
            "conflit_etablissement": reglement.organisation.conflit_etablissement_ponctuelle,
        },
        reference=reference,
    )
    if instance["postes"]:  # les postes E5B prêts, si le centre en tient l'inventaire (application « sujets »)
        instance["postes"] = postes_e5b_prets(session=session, centre=centre, defaut=instance["postes"])
        if not instance["postes"]:
            raise PlanificationImpossible(
                f"Centre {centre.code} : aucun poste E5B prêt (contexte numérique installé et vérifié) ; "
                "préparez et vérifiez les postes avant de planifier."
            )
    return instance


def assembler_instance(
    *,
    nom: str,
    centre: Centre,
    jours: Sequence[str],
    plages: Mapping[str, tuple[str, str]],
    epreuves: Mapping[str, Mapping[str, Any]],
    commissions: list[dict[str, Any]],
    examinateurs: Mapping[str, str | None],
    candidats: list[dict[str, Any]],
    sujets: Sequence[Mapping[str, str]],
    regles: Mapping[str, Any],
    reference: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Les clés communes aux oraux et au contrôle : loges et postes du centre, ordre des clés du format."""
    salles = list(
        Salle.objects.filter(centre=centre, type__in=(Salle.Type.LOGE, Salle.Type.INFORMATIQUE)).order_by("nom")
    )
    a_preparer = [code for code, e in epreuves.items() if e["preparation"]]
    loges = [{"id": s.nom, "places": s.capacite, "epreuves": a_preparer} for s in salles if s.type == Salle.Type.LOGE]
    if a_preparer and not loges:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucune loge de préparation (salle de type « loge ») pour "
            f"{', '.join(a_preparer)}. Ajoutez-en une au centre."
        )
    postes = sum(s.capacite for s in salles if s.type == Salle.Type.INFORMATIQUE)
    avec_poste = [code for code, e in epreuves.items() if e.get("poste")]
    if avec_poste and not postes:
        raise PlanificationImpossible(
            f"Centre {centre.code} : aucune salle informatique pour {', '.join(avec_poste)}. Ajoutez-en une au centre."
        )
    instance: dict[str, Any] = {
        "format": FORMAT_INSTANCE,
        "nom": nom,
        "fuseau": centre.fuseau,
        "pas": 5,
        "jours": [{"date": j, "plages": [list(p) for p in plages.values()]} for j in jours],
        "epreuves": dict(epreuves),
        "loges": loges if a_preparer else [],
        "postes": postes if avec_poste else 0,
        "commissions": commissions,
        "examinateurs": [{"id": code, "etablissement": uai} for code, uai in sorted(examinateurs.items())],
        "candidats": candidats,
        "sujets": [dict(s) for s in sujets] if any(e.get("sujet") for e in epreuves.values()) else [],
        "regles": dict(regles),
    }
    if reference is not None:
        instance["reference"] = dict(reference)
    return instance


def session_du_centre(centre: Centre) -> ExamSession:
    """La session des candidats du centre, quand il n'y en a qu'une (sinon, précisez-la)."""
    sessions = list(ExamSession.objects.filter(candidats__centre=centre).distinct()[:2])
    if len(sessions) != 1:
        quoi = "aucune session" if not sessions else "plusieurs sessions"
        raise PlanificationImpossible(f"Centre {centre.code} : {quoi} parmi ses candidats ; précisez la session.")
    return sessions[0]


def centres_de_la_session(session: ExamSession) -> list[Centre]:
    """Les centres où composent des candidats non désistés de la session, par code."""
    return list(
        Centre.objects.filter(candidats__session=session, candidats__desiste_le__isnull=True)
        .distinct()
        .order_by("code")
    )


# --------------------------------------------------------------------------- versions


def version_en_vigueur(
    *, session: ExamSession, centre: Centre, nature: str = Nature.ORAUX, brouillons: bool = True
) -> VersionPlanning | None:
    """La version publiée du planning ; à défaut, avec `brouillons`, la plus récente."""
    qs = VersionPlanning.objects.filter(session=session, centre=centre, nature=nature)
    publiee = qs.filter(statut=VersionPlanning.Statut.PUBLIE).first()
    if publiee is not None or not brouillons:
        return publiee
    return qs.order_by("-numero").first()


def instance_enregistree(version: VersionPlanning) -> dict[str, Any]:
    """L'instance exacte qu'une version a résolue : la sienne, avec le résultat de sa référence."""
    instance = dict(version.instance)
    if version.reference_id is not None:
        instance["reference"] = VersionPlanning.objects.values_list("resultat", flat=True).get(pk=version.reference_id)
    return instance


def _versions_en_vigueur(filtre: Q, *, brouillons: bool) -> list[int]:
    """Les identifiants des versions en vigueur (publiées ; sinon la dernière, avec `brouillons`). Requête : 1."""
    lignes = VersionPlanning.objects.filter(filtre).values_list(
        "id", "session_id", "centre_id", "nature", "numero", "statut"
    )
    choisies: dict[tuple[int, int, str], tuple[int, int, bool]] = {}
    for ident, session_id, centre_id, nature, numero, statut in lignes:
        cle = (session_id, centre_id, nature)
        publiee = statut == VersionPlanning.Statut.PUBLIE
        if not publiee and not brouillons:
            continue
        actuelle = choisies.get(cle)
        if actuelle is None or (publiee, numero) > (actuelle[2], actuelle[1]):
            choisies[cle] = (ident, numero, publiee)
    return [ident for ident, _, _ in choisies.values()]


# --------------------------------------------------------------------------- passages (convocations)

# Les JSON d'une version (instance, planning) pèsent des centaines de kilo-octets : jamais lus avec ses passages.
GROS_CHAMPS_VERSION = ("version__instance", "version__resultat", "version__bornes")


@dataclass(frozen=True, slots=True)
class LignePassage:
    """Un passage prêt pour une convocation : instants en UTC, à montrer dans `fuseau` (celui du centre)."""

    version_id: int
    nature: str
    centre_code: str
    centre_nom: str
    fuseau: str
    candidat_id: int
    candidat_numero: str
    candidat_nom: str
    candidat_prenoms: str
    epreuve: str
    epreuve_libelle: str
    commission: str
    examinateurs: tuple[str, ...]  # codes des membres actuels de la commission
    examinateurs_noms: tuple[str, ...]
    salle: str | None
    loge: str | None
    debut_preparation: dt.datetime | None
    fin_preparation: dt.datetime | None
    debut: dt.datetime
    fin: dt.datetime
    sujet: str | None

    def local(self, instant: dt.datetime) -> dt.datetime:
        """Un instant de la ligne dans le fuseau du centre (heure des convocations, §8)."""
        return instant.astimezone(ZoneInfo(self.fuseau))


def _lignes(passages: QuerySet[Passage]) -> list[LignePassage]:
    libelles = dict(Passage._meta.get_field("epreuve").choices or [])  # type: ignore[arg-type]
    qs = (
        passages.select_related("version__centre", "candidat", "commission", "salle", "loge")
        .defer(*GROS_CHAMPS_VERSION)
        .prefetch_related("commission__membres")
        .order_by("debut", "commission__code", "candidat__numero")
    )
    lignes = []
    for p in qs:
        membres = sorted(p.commission.membres.all(), key=lambda x: x.code)
        centre = p.version.centre
        lignes.append(
            LignePassage(
                version_id=p.version_id,
                nature=p.version.nature,
                centre_code=centre.code,
                centre_nom=centre.nom,
                fuseau=centre.fuseau,
                candidat_id=p.candidat_id,
                candidat_numero=p.candidat.numero,
                candidat_nom=p.candidat.nom,
                candidat_prenoms=p.candidat.prenoms,
                epreuve=p.epreuve,
                epreuve_libelle=str(libelles.get(p.epreuve, p.epreuve)),
                commission=p.commission.code,
                examinateurs=tuple(x.code for x in membres),
                examinateurs_noms=tuple(f"{x.prenom} {x.nom}" for x in membres),
                salle=p.salle.nom if p.salle else None,
                loge=p.loge.nom if p.loge else None,
                debut_preparation=p.debut_preparation,
                fin_preparation=p.debut if p.debut_preparation is not None else None,
                debut=p.debut,
                fin=p.fin,
                sujet=p.sujet or None,
            )
        )
    return lignes


def passages_du_candidat(candidat: Candidat, *, brouillons: bool = False) -> list[LignePassage]:
    """Les passages du candidat (oraux et contrôle) dans les versions publiées (avec `brouillons` : à défaut,
    la dernière version). Requêtes : 3."""
    centres = VersionPlanning.objects.filter(passages__candidat=candidat).values("centre_id")
    versions = _versions_en_vigueur(Q(session_id=candidat.session_id, centre_id__in=centres), brouillons=brouillons)
    return _lignes(Passage.objects.filter(candidat=candidat, version_id__in=versions))


def passages_de_l_examinateur(examinateur: Examinateur, *, brouillons: bool = False) -> list[LignePassage]:
    """Les passages des commissions où siège l'examinateur, dans les versions en vigueur. Requêtes : 3."""
    centres = Commission.objects.filter(membres=examinateur).values("centre_id")
    versions = _versions_en_vigueur(Q(session_id=examinateur.session_id, centre_id__in=centres), brouillons=brouillons)
    return _lignes(Passage.objects.filter(commission__membres=examinateur, version_id__in=versions))


def passages_du_centre(
    centre: Centre,
    *,
    session: ExamSession | None = None,
    nature: str | None = None,
    version: VersionPlanning | None = None,
    brouillons: bool = False,
) -> list[LignePassage]:
    """Les passages du centre : ceux de `version`, ou des versions en vigueur (oraux et contrôle, ou `nature`).
    Requêtes : 3."""
    if version is not None:
        return _lignes(Passage.objects.filter(version=version))
    filtre = Q(centre=centre)
    if session is not None:
        filtre &= Q(session=session)
    if nature is not None:
        filtre &= Q(nature=nature)
    return _lignes(Passage.objects.filter(version_id__in=_versions_en_vigueur(filtre, brouillons=brouillons)))


# --------------------------------------------------------------------------- campagnes


@dataclass(frozen=True, slots=True)
class ProgressionCampagne:
    total: int
    en_attente: int
    en_cours: int
    terminees: int
    echecs: int

    @property
    def finie(self) -> bool:
        return self.terminees + self.echecs == self.total

    def ligne(self) -> str:
        return (
            f"{self.terminees + self.echecs}/{self.total} centres traités : {self.terminees} planifiés, "
            f"{self.echecs} en échec, {self.en_cours} en cours, {self.en_attente} en attente"
        )


def progression_campagne(campagne: Campagne) -> ProgressionCampagne:
    """L'avancement d'une campagne, lu en base (les étapes sont tenues à jour par les tâches). Requête : 1."""
    compte = Counter(EtapeCampagne.objects.filter(campagne=campagne).values_list("statut", flat=True))
    S = EtapeCampagne.Statut
    return ProgressionCampagne(
        total=sum(compte.values()),
        en_attente=compte[S.EN_ATTENTE],
        en_cours=compte[S.EN_COURS],
        terminees=compte[S.TERMINEE],
        echecs=compte[S.ECHEC],
    )


@dataclass(frozen=True, slots=True)
class BilanCampagne:
    centres: int
    passages: int
    non_planifies: int
    echecs: tuple[str, ...]


def bilan_campagne(campagne: Campagne) -> BilanCampagne:
    """Totaux d'une campagne : centres planifiés, passages placés et non placés, messages d'échec. Requête : 1."""
    etapes = list(
        EtapeCampagne.objects.filter(campagne=campagne).select_related("version", "centre").defer(*GROS_CHAMPS_VERSION)
    )
    versions = [e.version for e in etapes if e.version is not None]
    return BilanCampagne(
        centres=len(versions),
        passages=sum(v.passages_planifies for v in versions),
        non_planifies=sum(v.non_planifies for v in versions),
        echecs=tuple(f"{e.centre.code} : {e.message}" for e in etapes if e.statut == EtapeCampagne.Statut.ECHEC),
    )


# --------------------------------------------------------------------------- planning relu de la base


def planning_enregistre(version: VersionPlanning) -> Planning:
    """Les passages enregistrés d'une version (UTC) remis en heures locales du centre, au format
    `examens/planning@1` (`examens.planning.formats.Planning`), avec ses non planifiés : ce que le vérificateur
    relit, par exemple après un déplacement manuel. Requête : 1 (le centre de la version déjà lu)."""
    from examens.planning.formats import Passage as PassageFormat
    from examens.planning.formats import Planning, lire_planning

    fuseau = ZoneInfo(version.centre.fuseau)

    def minutes(instant: dt.datetime) -> int:
        local = instant.astimezone(fuseau)
        return local.hour * 60 + local.minute

    passages = tuple(
        PassageFormat(
            candidat=p.candidat.numero,
            epreuve=p.epreuve,
            commission=p.commission.code,
            date=p.debut.astimezone(fuseau).date().isoformat(),
            debut=minutes(p.debut),
            fin=minutes(p.fin),
            preparation=minutes(p.debut_preparation) if p.debut_preparation else None,
            loge=p.loge.nom if p.loge else None,
            sujet=p.sujet or None,
            salle=p.salle.nom if p.salle else None,
        )
        for p in Passage.objects.filter(version=version)
        .select_related("candidat", "commission", "salle", "loge")
        .order_by("debut", "commission__code", "candidat__numero")
    )
    return Planning(passages, lire_planning(version.resultat).non_planifies)
