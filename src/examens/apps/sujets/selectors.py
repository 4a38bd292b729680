"""Lectures des sujets et pièces d'épreuve. Aucune ne rend le contenu d'un sujet : il ne se lit que par
`services.consulter_sujet`, qui vérifie le droit et journalise la lecture.

- Réglages : `reglages_de`.
- Banque E5B : `banque`, `equilibre_banque`, `derniere_diffusion`, `sujets_pour_planification`.
- Attribution : `attribution_active`, `journal_attributions` et `requete_journal` (réclamations, page paginée),
  `sujets_utilises` (session suivante).
- Fiches-sujets E4 : `fiches_manquantes(centre, jour)`, `fiches_manquantes_a_venir(centre)` (alerte du chef de
  centre) ; `bilan_fiches_manquantes`, `fiches_manquantes_par_centre` (comptes agrégés : tableau de bord).
- Engagement étudiant : `candidats_sans_fiche_engagement` (planification), `engagements_sans_fiche`,
  `etat_engagement` (ce que voient le candidat et son établissement), `evaluation_communicable` (la seule pièce
  d'évaluation communicable au candidat).
- Postes E5B : `postes_e5b_prets` (planification), `etat_postes`, `alertes_postes` (tableau de bord : une requête
  pour tous les centres), `postes_du_centre`, `signatures_postes`.
- Pièces d'un candidat, sur une page : `pieces_du_candidat`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.sujets.models import (
    AttributionSujet,
    AvertissementEngagement,
    Consultation,
    ContexteNumerique,
    DiffusionBanque,
    EvaluationEngagement,
    FicheEngagement,
    FicheSujet,
    PosteE5B,
    ReglagesSujets,
    SignaturePostes,
    Sujet,
    Support,
)

E5B, E4, ENGAGEMENT = "E5B", "E4", "ENGAGEMENT"

# --------------------------------------------------------------------------- réglages


@dataclass(frozen=True, slots=True)
class Reglages:
    consultation_avant: dt.timedelta
    fiche_sujet_jours_avant: int
    limite_fiches_engagement: dt.date | None


def reglages_de(session: ExamSession) -> Reglages:
    """Les réglages de la session ; sans ligne en base, ceux par défaut (0 min, la veille, pas de date limite)."""
    r = ReglagesSujets.objects.filter(session=session).first() or ReglagesSujets(session=session)
    return Reglages(
        consultation_avant=dt.timedelta(minutes=r.consultation_avant_minutes),
        fiche_sujet_jours_avant=r.fiche_sujet_jours_avant,
        limite_fiches_engagement=r.limite_fiches_engagement,
    )


# --------------------------------------------------------------------------- banque E5B


@dataclass(frozen=True, slots=True)
class LigneSujet:
    id: int
    code: str
    support: str
    support_libelle: str
    titre: str
    version: int
    taille: int
    grille: bool
    depose_le: dt.datetime
    depose_par: str
    diffuse: bool  # dans la dernière diffusion, à cette version


@dataclass(frozen=True, slots=True)
class EquilibreBanque:
    wordpress: int
    prestashop: int
    sans_grille: tuple[str, ...]

    @property
    def equilibree(self) -> bool:
        return self.wordpress == self.prestashop and self.wordpress > 0

    @property
    def diffusable(self) -> bool:
        return self.equilibree and not self.sans_grille

    @property
    def message(self) -> str:
        """Ce qui empêche la diffusion, en français ; vide si la banque est diffusable."""
        raisons = []
        if self.wordpress + self.prestashop == 0:
            raisons.append("la banque ne compte aucun sujet")
        elif not self.equilibree:
            raisons.append(
                f"la banque compte {self.wordpress} sujet(s) WordPress et {self.prestashop} sujet(s) PrestaShop ; "
                "il en faut autant de chaque support (circulaire, 1.12)"
            )
        if self.sans_grille:
            raisons.append(f"sans grille d'aide à l'évaluation : {', '.join(self.sans_grille)}")
        return " ; ".join(raisons)


def banque(session: ExamSession) -> list[LigneSujet]:
    """Les sujets de la banque, sans leur contenu. Requêtes : 2."""
    diffusion = derniere_diffusion(session)
    diffuses = {(s["code"], s["version"]) for s in diffusion.sujets} if diffusion else set()
    lignes = []
    for s in Sujet.objects.filter(session=session).defer("contenu", "grille").order_by("support", "code"):
        lignes.append(
            LigneSujet(
                id=s.pk,
                code=s.code,
                support=s.support,
                support_libelle=s.get_support_display(),
                titre=s.titre,
                version=s.version,
                taille=s.taille,
                grille=s.grille_taille is not None,
                depose_le=s.depose_le,
                depose_par=s.depose_par,
                diffuse=(s.code, s.version) in diffuses,
            )
        )
    return lignes


def equilibre_banque(session: ExamSession) -> EquilibreBanque:
    """Autant de sujets WordPress que PrestaShop, chacun avec sa grille ? Requête : 1."""
    lignes = list(Sujet.objects.filter(session=session).values_list("code", "support", "grille_taille"))
    return EquilibreBanque(
        wordpress=sum(1 for _, s, _ in lignes if s == Support.WORDPRESS),
        prestashop=sum(1 for _, s, _ in lignes if s == Support.PRESTASHOP),
        sans_grille=tuple(sorted(code for code, _, g in lignes if g is None)),
    )


def derniere_diffusion(session: ExamSession) -> DiffusionBanque | None:
    return DiffusionBanque.objects.filter(session=session).order_by("-numero").first()


def sujets_pour_planification(session: ExamSession) -> list[dict[str, str]]:
    """Les sujets de la dernière diffusion au format de planification (`sujets` : id, support) ; vide si la
    banque n'est pas diffusée. Requête : 1."""
    diffusion = derniere_diffusion(session)
    if diffusion is None:
        return []
    return [{"id": s["code"], "support": s["support"]} for s in sorted(diffusion.sujets, key=lambda s: s["code"])]


# --------------------------------------------------------------------------- attribution


def attribution_active(passage: Passage) -> AttributionSujet | None:
    """L'attribution en vigueur pour ce passage (celle du candidat, si elle désigne ce passage)."""
    return (
        AttributionSujet.objects.select_related("sujet")
        .defer("sujet__contenu", "sujet__grille")
        .filter(passage=passage, remplacee_le__isnull=True)
        .first()
    )


@dataclass(frozen=True, slots=True)
class LigneAttribution:
    candidat_numero: str
    candidat_nom: str
    sujet: str
    support: str
    sujet_version: int
    centre: str
    commission: str
    debut: dt.datetime
    fuseau: str
    attribue_le: dt.datetime
    attribue_par: str
    remplacee_le: dt.datetime | None
    candidat_id: int | None = None

    @property
    def debut_local(self) -> dt.datetime:
        return self.debut.astimezone(ZoneInfo(self.fuseau))


def requete_journal(
    *,
    session: ExamSession,
    centre: Centre | None = None,
    candidat: Candidat | None = None,
    centres: QuerySet[Centre] | None = None,
    actives: bool = False,
) -> QuerySet[AttributionSujet]:
    """Le journal d'attribution en requête (à paginer), dans l'ordre des passages ; `centres` : un périmètre."""
    qs = AttributionSujet.objects.filter(session=session)
    if centres is not None:
        qs = qs.filter(centre__in=centres)
    if centre is not None:
        qs = qs.filter(centre=centre)
    if candidat is not None:
        qs = qs.filter(Q(candidat=candidat) | Q(candidat_numero=candidat.numero))
    if actives:
        qs = qs.filter(remplacee_le__isnull=True)
    return (
        qs.select_related("sujet", "centre", "candidat")
        .defer("sujet__contenu", "sujet__grille")
        .order_by("debut", "commission", "candidat_numero", "attribue_le", "id")
    )


def ligne_attribution(a: AttributionSujet) -> LigneAttribution:
    return LigneAttribution(
        candidat_numero=a.candidat_numero,
        candidat_nom=f"{a.candidat.nom} {a.candidat.prenoms}" if a.candidat else "",
        sujet=a.sujet.code,
        support=a.sujet.support,
        sujet_version=a.sujet_version,
        centre=a.centre.code,
        commission=a.commission,
        debut=a.debut,
        fuseau=a.centre.fuseau,
        attribue_le=a.attribue_le,
        attribue_par=a.attribue_par,
        remplacee_le=a.remplacee_le,
        candidat_id=a.candidat_id,
    )


def journal_attributions(
    *,
    session: ExamSession,
    centre: Centre | None = None,
    candidat: Candidat | None = None,
    actives: bool = False,
) -> list[LigneAttribution]:
    """Le journal d'attribution (réclamations) : chaque attribution, remplacées comprises sauf `actives`.
    Requête : 1."""
    return [
        ligne_attribution(a)
        for a in requete_journal(session=session, centre=centre, candidat=candidat, actives=actives)
    ]


@dataclass(frozen=True, slots=True)
class UsageSujet:
    """Où un sujet a servi (attributions en vigueur) : pour composer la banque de la session suivante."""

    code: str
    support: str
    passages: int
    centres: tuple[str, ...]
    premier: dt.datetime | None
    dernier: dt.datetime | None


def sujets_utilises(*, session: ExamSession) -> list[UsageSujet]:
    """Chaque sujet de la banque et son usage dans la session (attributions en vigueur). Requêtes : 2."""
    usages: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for sujet_id, centre, debut in AttributionSujet.objects.filter(
        session=session, remplacee_le__isnull=True
    ).values_list("sujet_id", "centre__code", "debut"):
        usages[sujet_id].append((centre, debut))
    resultat = []
    for pk, code, support in (
        Sujet.objects.filter(session=session).order_by("code").values_list("pk", "code", "support")
    ):
        u = usages.get(pk, [])
        resultat.append(
            UsageSujet(
                code=code,
                support=support,
                passages=len(u),
                centres=tuple(sorted({c for c, _ in u})),
                premier=min((d for _, d in u), default=None),
                dernier=max((d for _, d in u), default=None),
            )
        )
    return resultat


# --------------------------------------------------------------------------- fiches-sujets E4


@dataclass(frozen=True, slots=True)
class FicheManquante:
    """Un candidat convoqué à l'E4 dont la fiche-sujet n'est pas prête : l'alerte du chef de centre."""

    candidat_id: int
    candidat_numero: str
    candidat_nom: str
    commission: str
    debut: dt.datetime
    fuseau: str
    statut: str | None  # None : aucune fiche
    raison: str

    @property
    def debut_local(self) -> dt.datetime:
        return self.debut.astimezone(ZoneInfo(self.fuseau))


def fiches_manquantes(centre: Centre, jour: dt.date, *, session: ExamSession | None = None) -> list[FicheManquante]:
    """Les candidats convoqués à l'E4 au centre ce jour (heure locale du centre, planning publié) sans
    fiche-sujet prête de leur commission. Requêtes : 4."""
    from examens.apps.planification.selectors import passages_du_centre

    return _sans_fiche_prete(
        [p for p in passages_du_centre(centre, session=session) if p.epreuve == E4 and p.local(p.debut).date() == jour]
    )


def fiches_manquantes_a_venir(
    centre: Centre, *, session: ExamSession | None = None, maintenant: dt.datetime | None = None
) -> list[FicheManquante]:
    """Comme `fiches_manquantes`, pour tous les passages E4 du centre qui ne sont pas finis. Requêtes : 4."""
    from examens.apps.planification.selectors import passages_du_centre

    instant = maintenant or timezone.now()
    return _sans_fiche_prete(
        [p for p in passages_du_centre(centre, session=session) if p.epreuve == E4 and p.fin >= instant]
    )


def _sans_fiche_prete(passages: list[Any]) -> list[FicheManquante]:
    fiches = {
        f.candidat_id: f
        for f in FicheSujet.objects.filter(candidat_id__in=[p.candidat_id for p in passages]).select_related(
            "commission"
        )
    }
    resultat = []
    for p in passages:
        fiche = fiches.get(p.candidat_id)
        if fiche is None:
            raison = "aucune fiche-sujet"
        elif fiche.commission.code != p.commission:
            raison = f"fiche rédigée par la commission {fiche.commission.code}, le candidat passe devant {p.commission}"
        elif fiche.statut == FicheSujet.Statut.BROUILLON:
            raison = "fiche-sujet en brouillon"
        else:
            continue
        resultat.append(
            FicheManquante(
                candidat_id=p.candidat_id,
                candidat_numero=p.candidat_numero,
                candidat_nom=f"{p.candidat_nom} {p.candidat_prenoms}",
                commission=p.commission,
                debut=p.debut,
                fuseau=p.fuseau,
                statut=fiche.statut if fiche else None,
                raison=raison,
            )
        )
    return resultat


@dataclass(frozen=True, slots=True)
class BilanFichesSujets:
    """Les candidats convoqués à l'E4 (passage pas encore fini, planning publié) sans fiche-sujet prête de
    leur commission : l'alerte du tableau de bord."""

    manquantes: int
    en_retard: int  # dont la fiche devait déjà être prête (au plus tard `jours_avant` jours avant l'épreuve)
    jours_avant: int
    centres: tuple[int, ...]  # les centres concernés (identifiants)


def _passages_e4_sans_fiche_prete(session: ExamSession, centres: QuerySet[Centre], instant: dt.datetime) -> Any:
    prete = FicheSujet.objects.filter(
        candidat=OuterRef("candidat"),
        commission=OuterRef("commission"),
        statut__in=(FicheSujet.Statut.PRETE, FicheSujet.Statut.REMISE),
    )
    return Passage.objects.filter(
        version__session=session,
        version__statut=VersionPlanning.Statut.PUBLIE,
        version__centre__in=centres,
        epreuve=E4,
        fin__gte=instant,
        candidat__desiste_le__isnull=True,
    ).exclude(Exists(prete))


def bilan_fiches_manquantes(
    *, session: ExamSession, centres: QuerySet[Centre], maintenant: dt.datetime | None = None
) -> BilanFichesSujets:
    """Le compte, sans une ligne par candidat, des fiches-sujets E4 manquantes des centres : les passages sont
    regroupés par fuseau du centre et par heure de début (quelques centaines de groupes au plus), ce qui donne
    le jour de l'épreuve en heure du centre, donc le retard. Requête : 1."""
    instant = maintenant or timezone.now()
    # Le réglage de la session vient dans la même requête (sans ligne de réglages : la valeur par défaut).
    reglage = ReglagesSujets.objects.filter(session=session).values("fiche_sujet_jours_avant")[:1]
    jours = int(ReglagesSujets._meta.get_field("fiche_sujet_jours_avant").get_default())
    manquantes = en_retard = 0
    centres_vus: set[int] = set()
    for centre_id, fuseau, heure, reglee, n in (
        _passages_e4_sans_fiche_prete(session, centres, instant)
        .annotate(heure=TruncHour("debut", tzinfo=dt.UTC), jours=Subquery(reglage))
        .values_list("version__centre_id", "version__centre__fuseau", "heure", "jours")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if reglee is not None:
            jours = reglee
        manquantes += n
        centres_vus.add(centre_id)
        zone = ZoneInfo(fuseau)
        limite = heure.astimezone(zone).date() - dt.timedelta(days=jours)
        if instant.astimezone(zone).date() > limite:
            en_retard += n
    return BilanFichesSujets(
        manquantes=manquantes, en_retard=en_retard, jours_avant=jours, centres=tuple(sorted(centres_vus))
    )


def fiches_manquantes_par_centre(
    *, session: ExamSession, centres: QuerySet[Centre], maintenant: dt.datetime | None = None
) -> dict[int, int]:
    """Par centre, le nombre de candidats convoqués à l'E4 sans fiche-sujet prête (passages à venir). Requête : 1."""
    instant = maintenant or timezone.now()
    return dict(
        _passages_e4_sans_fiche_prete(session, centres, instant)
        .values_list("version__centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def delai_fiche_sujet(jours_avant: int) -> str:
    """Le délai du réglage en mots : « le jour de l'épreuve », « la veille de l'épreuve », « 2 jours avant
    l'épreuve »."""
    if jours_avant <= 0:
        return "le jour de l'épreuve"
    if jours_avant == 1:
        return "la veille de l'épreuve"
    return f"{jours_avant} jours avant l'épreuve"


def limite_fiche_sujet(debut: dt.datetime, *, fuseau: str, reglages: Reglages) -> dt.date:
    """Le jour (heure du centre) où la fiche-sujet doit être prête au plus tard : la veille par défaut."""
    return debut.astimezone(ZoneInfo(fuseau)).date() - dt.timedelta(days=reglages.fiche_sujet_jours_avant)


# --------------------------------------------------------------------------- engagement étudiant


def limite_engagement_passee(session: ExamSession, *, aujourd_hui: dt.date | None = None) -> bool:
    limite = reglages_de(session).limite_fiches_engagement
    return limite is not None and (aujourd_hui or timezone.localdate()) > limite


def candidats_sans_fiche_engagement(
    session: ExamSession, candidat_ids: Iterable[int], *, aujourd_hui: dt.date | None = None
) -> set[int]:
    """Parmi ces candidats, ceux inscrits à l'engagement étudiant sans fiche déposée, une fois la date limite
    de dépôt passée (avant, la fiche peut encore venir). Sans fiche, l'épreuve ne peut pas se dérouler
    (Circ. 1.14) : la planification ne la place pas. Requêtes : 2."""
    if not limite_engagement_passee(session, aujourd_hui=aujourd_hui):
        return set()
    inscrits = set(
        Candidat.objects.filter(pk__in=list(candidat_ids), engagement_etudiant=True).values_list("pk", flat=True)
    )
    avec_fiche = set(
        FicheEngagement.objects.filter(candidat_id__in=inscrits).values_list("candidat_id", flat=True).distinct()
    )
    return inscrits - avec_fiche


def engagements_sans_fiche(session: ExamSession) -> list[Candidat]:
    """Les candidats non désistés inscrits à l'engagement étudiant qui n'ont déposé aucune fiche. Requête : 1."""
    return list(
        Candidat.objects.filter(session=session, engagement_etudiant=True, desiste_le__isnull=True)
        .exclude(pk__in=FicheEngagement.objects.values("candidat_id"))
        .select_related("etablissement", "avertissement_engagement")
        .order_by("numero")
    )


def fiche_engagement_courante(candidat: Candidat) -> FicheEngagement | None:
    """La dernière fiche déposée, sans son contenu."""
    return FicheEngagement.objects.filter(candidat=candidat).defer("contenu").order_by("-version").first()


@dataclass(frozen=True, slots=True)
class EtatEngagement:
    """Où en est la fiche d'engagement étudiant d'un candidat : ce que voient le candidat et son établissement."""

    inscrit: bool
    fiche: FicheEngagement | None  # la dernière déposée, sans son contenu
    limite: dt.date | None
    limite_passee: bool
    averti_le: dt.datetime | None
    passage_debut: dt.datetime | None  # le passage planifié (planning publié), s'il y en a un
    fuseau: str

    @property
    def deposee(self) -> bool:
        return self.fiche is not None


def etat_engagement(candidat: Candidat, *, aujourd_hui: dt.date | None = None) -> EtatEngagement:
    """La fiche d'engagement du candidat (déposée ou manquante), la date limite, l'avertissement et le passage.
    Requêtes : 6 au plus."""
    from examens.apps.planification.selectors import passages_du_candidat

    reglages = reglages_de(candidat.session)
    limite = reglages.limite_fiches_engagement
    passage = None
    if candidat.engagement_etudiant:
        passage = next((p for p in passages_du_candidat(candidat) if p.epreuve == ENGAGEMENT), None)
    return EtatEngagement(
        inscrit=candidat.engagement_etudiant,
        fiche=fiche_engagement_courante(candidat) if candidat.engagement_etudiant else None,
        limite=limite,
        limite_passee=limite is not None and (aujourd_hui or timezone.localdate()) > limite,
        averti_le=AvertissementEngagement.objects.filter(candidat=candidat).values_list("averti_le", flat=True).first(),
        passage_debut=passage.debut if passage is not None else None,
        fuseau=candidat.centre.fuseau if candidat.centre_id else "Europe/Paris",  # type: ignore[union-attr]
    )


@dataclass(frozen=True, slots=True)
class FicheEvaluationCommunicable:
    """La fiche d'évaluation de l'engagement étudiant (annexe VIII-2) : seul document communicable au candidat
    en cas de réclamation (Circ. 1.14). La grille d'aide à l'évaluation n'y figure pas."""

    candidat_numero: str
    commission: str
    criteres: tuple[tuple[str, str], ...]  # (critère, appréciation)
    appreciation: str
    note: Decimal
    evaluee_le: dt.datetime


def evaluation_communicable(candidat: Candidat) -> FicheEvaluationCommunicable | None:
    """Ce qu'on communique au candidat qui réclame : la fiche d'évaluation, jamais la grille. Requête : 1."""
    e = EvaluationEngagement.objects.filter(candidat=candidat).defer("grille").first()
    if e is None:
        return None
    return FicheEvaluationCommunicable(
        candidat_numero=candidat.numero,
        commission=e.commission,
        criteres=tuple((str(k), str(v)) for k, v in e.fiche_evaluation.items()),
        appreciation=e.appreciation,
        note=e.note,
        evaluee_le=e.evaluee_le,
    )


# --------------------------------------------------------------------------- postes E5B


def contexte_en_vigueur(session: ExamSession) -> ContexteNumerique | None:
    return ContexteNumerique.objects.filter(session=session).order_by("-publie_le", "-id").first()


def _prets(session: ExamSession, qs: Any) -> Any:
    contexte = contexte_en_vigueur(session)
    qs = qs.filter(etat=PosteE5B.Etat.PRET)
    if contexte is not None:
        qs = qs.filter(contexte_version=contexte.version)
    return qs


def postes_e5b_prets(*, session: ExamSession, centre: Centre, defaut: int) -> int:
    """Le nombre de postes E5B que la planification peut occuper au centre : ses postes prêts (contexte en
    vigueur installé et vérifié) s'il en tient l'inventaire ; sinon `defaut` (capacité des salles
    informatiques ; le centre est alors en alerte, voir `etat_postes`). Requêtes : 2 ou 3."""
    postes = PosteE5B.objects.filter(session=session, centre=centre)
    if not postes.exists():
        return defaut
    return int(_prets(session, postes).count())


@dataclass(frozen=True, slots=True)
class EtatPostes:
    centre_id: int
    centre_code: str
    centre_nom: str
    declares: int
    prets: int
    signee_le: dt.datetime | None
    signee_par: str
    alerte: str  # vide : rien à signaler

    @property
    def en_alerte(self) -> bool:
        return bool(self.alerte)


def etat_postes(*, session: ExamSession, centre: Centre) -> EtatPostes:
    """La préparation des postes E5B d'un centre et son alerte éventuelle."""
    return alertes_postes(session=session, centres=[centre], toutes=True)[0]


def centres_en_requete(session: ExamSession, centres: Iterable[Centre] | QuerySet[Centre] | None) -> QuerySet[Centre]:
    """Les centres demandés en requête ; par défaut, ceux où composent des candidats non désistés de la session."""
    if centres is None:
        # Un test d'existence par centre (index du centre des candidats), pas un parcours de tous les candidats.
        return Centre.objects.filter(
            Exists(Candidat.objects.filter(centre=OuterRef("pk"), session=session, desiste_le__isnull=True))
        )
    if isinstance(centres, QuerySet):
        return centres
    return Centre.objects.filter(pk__in=[c.pk for c in centres])


def alertes_postes(
    *, session: ExamSession, centres: Iterable[Centre] | QuerySet[Centre] | None = None, toutes: bool = False
) -> list[EtatPostes]:
    """Les centres dont les postes E5B ne sont pas prêts (pour le tableau de bord) ; avec `toutes`, chaque
    centre. Par défaut : les centres où composent des candidats de la session. `centres` peut être une requête
    (le périmètre d'un utilisateur). Requête : 1, quel que soit le nombre de centres (une ligne agrégée par
    centre : postes déclarés et prêts sur le contexte en vigueur, dernière vérification, dernière signature)."""
    contextes = ContexteNumerique.objects.filter(session=session)
    vigueur = contextes.order_by("-publie_le", "-id").values("version")[:1]
    postes = PosteE5B.objects.filter(session=session, centre=OuterRef("pk")).order_by().values("centre")
    # Prêt : vérifié sur la version en vigueur du contexte (sans contexte publié, l'état seul compte).
    prets = postes.filter(etat=PosteE5B.Etat.PRET).filter(Q(contexte_version=Subquery(vigueur)) | ~Exists(contextes))
    signature = SignaturePostes.objects.filter(session=session, centre=OuterRef("pk")).order_by("-signee_le", "-id")
    lignes = (
        centres_en_requete(session, centres)
        .annotate(
            n_declares=Coalesce(Subquery(postes.annotate(n=Count("pk")).values("n")[:1]), 0),
            n_prets=Coalesce(Subquery(prets.annotate(n=Count("pk")).values("n")[:1]), 0),
            derniere_verification=Subquery(postes.annotate(m=Max("verifie_le")).values("m")[:1]),
            signee_le=Subquery(signature.values("signee_le")[:1]),
            signee_par=Subquery(signature.values("signee_par")[:1]),
            signee_contexte=Subquery(signature.values("contexte_version")[:1]),
            contexte=Subquery(vigueur),
        )
        .order_by("code")
        .values_list(
            "pk",
            "code",
            "nom",
            "n_declares",
            "n_prets",
            "derniere_verification",
            "signee_le",
            "signee_par",
            "signee_contexte",
            "contexte",
        )
    )
    resultat = []
    for pk, code, nom, n, p, verifie_le, signee_le, signee_par, signee_contexte, contexte in lignes:
        if n == 0:
            alerte = "aucun poste E5B déclaré"
        elif p == 0:
            alerte = f"aucun poste prêt sur {n}"
        elif p < n:
            alerte = f"{n - p} poste(s) sur {n} pas prêt(s)"
        elif signee_le is None:
            alerte = "préparation des postes non signée par le chef de centre"
        elif (verifie_le is not None and verifie_le > signee_le) or (
            contexte is not None and signee_contexte != contexte
        ):
            alerte = "postes revérifiés après la signature : à signer de nouveau"
        else:
            alerte = ""
        if alerte or toutes:
            resultat.append(
                EtatPostes(
                    centre_id=pk,
                    centre_code=code,
                    centre_nom=nom,
                    declares=n,
                    prets=p,
                    signee_le=signee_le,
                    signee_par=signee_par or "",
                    alerte=alerte,
                )
            )
    return resultat


@dataclass(frozen=True, slots=True)
class LignePoste:
    id: int
    nom: str
    salle: str
    etat: str
    etat_libelle: str
    wordpress_ok: bool
    prestashop_ok: bool
    contexte_version: str
    a_jour: bool  # vérifié sur le contexte en vigueur
    verifie_le: dt.datetime | None
    verifie_par: str
    observations: str

    @property
    def pret(self) -> bool:
        return self.etat == PosteE5B.Etat.PRET and self.a_jour


def postes_du_centre(*, session: ExamSession, centre: Centre, contexte: ContexteNumerique | None) -> list[LignePoste]:
    """Les postes E5B déclarés du centre, par nom, et leur dernière vérification. Requête : 1."""
    version = contexte.version if contexte is not None else None
    return [
        LignePoste(
            id=p.pk,
            nom=p.nom,
            salle=p.salle.nom if p.salle else "",
            etat=p.etat,
            etat_libelle=p.get_etat_display(),
            wordpress_ok=p.wordpress_ok,
            prestashop_ok=p.prestashop_ok,
            contexte_version=p.contexte_version,
            a_jour=version is None or p.contexte_version == version,
            verifie_le=p.verifie_le,
            verifie_par=p.verifie_par,
            observations=p.observations,
        )
        for p in PosteE5B.objects.filter(session=session, centre=centre).select_related("salle").order_by("nom")
    ]


def signatures_postes(*, session: ExamSession, centre: Centre, nombre: int = 5) -> list[SignaturePostes]:
    """Les dernières signatures de la liste de contrôle du centre, la plus récente d'abord. Requête : 1."""
    return list(SignaturePostes.objects.filter(session=session, centre=centre).order_by("-signee_le", "-id")[:nombre])


def academies_de_la_session(session: ExamSession) -> list[Academie]:
    """L'académie pilote et celles qui ont un centre où composent des candidats de la session."""
    return list(
        Academie.objects.filter(
            Q(pk=session.academie_pilote_id)
            | Q(centres__candidats__session=session, centres__candidats__desiste_le__isnull=True)
        )
        .distinct()
        .order_by("nom")
    )


# --------------------------------------------------------------------------- pièces d'un candidat


@dataclass(frozen=True, slots=True)
class Lecture:
    acteur: str
    role: str
    quand: dt.datetime
    piece: str

    @property
    def participe(self) -> str:
        """« lu » ou « lue », selon la pièce (« sujet E5B lu », « fiche d'engagement étudiant lue »)."""
        return "lue" if self.piece.lower().startswith(("fiche", "grille")) else "lu"

    @property
    def qualite(self) -> str:
        """Le rôle du lecteur en clair (« chef de centre », pas « chef_de_centre »)."""
        return QUALITES.get(self.role, self.role)


# Le rôle d'une lecture, tel que l'écrit la page des pièces (court : « gestionnaire », non « gestionnaire d'académie »).
QUALITES = {
    "gestionnaire": "gestionnaire",
    "chef_de_centre": "chef de centre",
    "president_jury": "président de jury",
    "examinateur": "examinateur",
    "etablissement": "établissement",
    "candidat": "candidat",
}


@dataclass(frozen=True, slots=True)
class PieceSujetE5B:
    code: str
    support: str
    support_libelle: str
    version: int
    titre: str
    commission: str
    centre: str
    debut: dt.datetime
    attribue_le: dt.datetime
    attribue_par: str
    lectures: tuple[Lecture, ...]
    remplacees: int  # attributions antérieures (réattributions)


@dataclass(frozen=True, slots=True)
class PieceFicheSujet:
    statut: str
    statut_libelle: str
    activite: str
    commission: str
    redigee_par: str
    creee_le: dt.datetime
    modifiee_le: dt.datetime
    prete_le: dt.datetime | None
    prete_par: str
    remise_le: dt.datetime | None
    remise_par: str
    editions: tuple[tuple[int, dt.datetime, str], ...]  # (version, émise le, émise par)
    lectures: tuple[Lecture, ...] = ()  # le PDF téléchargé ou envoyé (journal d'envoi des éditions)
    consultations: tuple[Lecture, ...] = ()  # lue à l'écran hors de sa commission (journal des consultations)


@dataclass(frozen=True, slots=True)
class PieceEngagement:
    version: int
    deposant: str
    deposee_par: str
    deposee_le: dt.datetime
    taille: int
    lectures: tuple[Lecture, ...]


@dataclass(frozen=True, slots=True)
class PiecesCandidat:
    """Sur une page, les pièces d'épreuve d'un candidat, leurs dates et qui les a vues (réclamations)."""

    candidat_id: int
    numero: str
    nom: str
    prenoms: str
    fuseau: str
    sujet_e5b: PieceSujetE5B | None
    fiche_sujet_e4: PieceFicheSujet | None
    engagement_inscrit: bool
    fiche_engagement: PieceEngagement | None
    averti_sans_fiche_le: dt.datetime | None
    evaluation_engagement: FicheEvaluationCommunicable | None


def pieces_du_candidat(candidat: Candidat) -> PiecesCandidat:
    """Le sujet E5B reçu, la fiche-sujet E4, la fiche d'engagement et l'évaluation communicable, avec leurs
    dates et qui les a vus : lectures journalisées (`Consultation`) du sujet, de sa grille, de la fiche-sujet E4
    (hors de sa commission) et de la fiche d'engagement ; téléchargements et envois du PDF de la fiche-sujet
    (journal des éditions). Requêtes : 8 au plus."""
    lectures: dict[str, list[Lecture]] = defaultdict(list)
    for c in Consultation.objects.filter(Q(candidat=candidat) | Q(candidat_numero=candidat.numero)).order_by(
        "quand", "id"
    ):
        lectures[c.piece].append(Lecture(acteur=c.acteur, role=c.role, quand=c.quand, piece=c.get_piece_display()))
    attributions = list(
        AttributionSujet.objects.filter(session_id=candidat.session_id, candidat_numero=candidat.numero)
        .select_related("sujet", "centre")
        .defer("sujet__contenu", "sujet__grille")
        .order_by("attribue_le", "id")
    )
    active = next((a for a in attributions if a.remplacee_le is None), None)
    sujet = None
    if active is not None:
        sujet = PieceSujetE5B(
            code=active.sujet.code,
            support=active.sujet.support,
            support_libelle=active.sujet.get_support_display(),
            version=active.sujet_version,
            titre=active.sujet.titre,
            commission=active.commission,
            centre=active.centre.code,
            debut=active.debut,
            attribue_le=active.attribue_le,
            attribue_par=active.attribue_par,
            lectures=tuple(lectures[Consultation.Piece.SUJET_E5B] + lectures[Consultation.Piece.GRILLE_E5B]),
            remplacees=len(attributions) - 1,
        )
    fiche = FicheSujet.objects.filter(candidat=candidat).select_related("activite", "commission").first()
    piece_fiche = None
    if fiche is not None:
        from examens.apps.editions.models import Envoi, Version

        editions = tuple(
            Version.objects.filter(document__modele="fiche-sujet-e4", document__candidat=candidat)
            .order_by("numero")
            .values_list("numero", "emise_le", "emise_par")
        )
        canaux = dict(Envoi.Canal.choices)
        envois = tuple(
            Lecture(
                acteur=destinataire,
                role=str(canaux.get(canal, canal)),
                quand=quand,
                piece=f"fiche-sujet E4 (PDF, version {numero})",
            )
            for numero, canal, destinataire, quand in Envoi.objects.filter(
                version__document__modele="fiche-sujet-e4",
                version__document__candidat=candidat,
                statut=Envoi.Statut.ENVOYE,
            )
            .order_by("envoye_le", "id")
            .values_list("version__numero", "canal", "destinataire", "envoye_le")
        )
        piece_fiche = PieceFicheSujet(
            statut=fiche.statut,
            statut_libelle=fiche.get_statut_display(),
            activite=fiche.activite.titre,
            commission=fiche.commission.code,
            redigee_par=fiche.redigee_par,
            creee_le=fiche.creee_le,
            modifiee_le=fiche.modifiee_le,
            prete_le=fiche.prete_le,
            prete_par=fiche.prete_par,
            remise_le=fiche.remise_le,
            remise_par=fiche.remise_par,
            editions=editions,
            lectures=envois,
            consultations=tuple(lectures[Consultation.Piece.FICHE_SUJET_E4]),
        )
    engagement = fiche_engagement_courante(candidat)
    averti = AvertissementEngagement.objects.filter(candidat=candidat).values_list("averti_le", flat=True).first()
    return PiecesCandidat(
        candidat_id=candidat.pk,
        numero=candidat.numero,
        nom=candidat.nom,
        prenoms=candidat.prenoms,
        fuseau=candidat.centre.fuseau if candidat.centre_id else "Europe/Paris",  # type: ignore[union-attr]
        sujet_e5b=sujet,
        fiche_sujet_e4=piece_fiche,
        engagement_inscrit=candidat.engagement_etudiant,
        fiche_engagement=(
            PieceEngagement(
                version=engagement.version,
                deposant=engagement.get_deposant_display(),
                deposee_par=engagement.deposee_par,
                deposee_le=engagement.deposee_le,
                taille=engagement.taille,
                lectures=tuple(lectures[Consultation.Piece.FICHE_ENGAGEMENT]),
            )
            if engagement is not None
            else None
        ),
        averti_sans_fiche_le=averti,
        evaluation_engagement=evaluation_communicable(candidat),
    )
