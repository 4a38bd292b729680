"""Écritures des sujets et pièces d'épreuve : un service typé, à arguments nommés, par cas d'usage.

Chaque acte qui compte est tracé (`historique.services.tracer`, dans la transaction du changement) ; les
lectures de pièces confidentielles vont au journal des consultations (`Consultation`). Les traces ne portent
ni identité ni contenu de sujet : des numéros, des codes et des comptes.

- Banque E5B (académie pilote) : `deposer_sujet`, `deposer_grille`, `diffuser_banque`.
- Lecture confidentielle : `consulter_sujet` (commission du passage, pendant le passage ; gestionnaires).
- Attribution (règle 9 du format de planification) : `attribuer_sujets` (simulation par défaut).
- Fiche-sujet E4 : `rediger_fiche_sujet`, `valider_fiche_sujet`, `rouvrir_fiche_sujet`, `remettre_fiche_sujet`,
  `consulter_fiche_sujet` (lecture hors de la commission, journalisée), `editer_fiche_sujet` (PDF par le service
  d'édition).
- Engagement étudiant : `deposer_fiche_engagement`, `consulter_fiche_engagement`,
  `avertir_engagements_sans_fiche`, `evaluer_engagement` (sa note devient le résultat ENGAGEMENT du candidat,
  par `notes.services.ecrire_resultats`).
- Postes E5B : `publier_contexte_numerique`, `declarer_postes`, `verifier_poste`, `signer_preparation_postes`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Habilitation, Role
from examens.apps.dossiers.models import FicheActivite
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.notes.models import Etat as EtatResultat
from examens.apps.notes.models import Saisie
from examens.apps.notes.services import EcritureResultat, ecrire_resultats
from examens.apps.organisation.models import Centre, ExamSession, Salle
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.sujets import acces
from examens.apps.sujets.erreurs import (
    AccesRefuse,
    AttributionImpossible,
    BanqueRefusee,
    EngagementRefuse,
    FicheSujetRefusee,
    PostesRefuses,
)
from examens.apps.sujets.fichiers import verifier_pdf
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
    SignaturePostes,
    Sujet,
    Support,
)
from examens.apps.sujets.selectors import (
    E4,
    E5B,
    ENGAGEMENT,
    academies_de_la_session,
    contexte_en_vigueur,
    derniere_diffusion,
    engagements_sans_fiche,
    equilibre_banque,
    reglages_de,
)
from examens.core.reglement import reglement_fourni

PREFIXES = {Support.WORDPRESS: "WP", Support.PRESTASHOP: "PS"}
FORME_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")


def _maintenant(maintenant: dt.datetime | None) -> dt.datetime:
    instant = maintenant or timezone.now()
    if instant.tzinfo is None:
        raise ValueError("`maintenant` doit porter un fuseau (instant UTC).")
    return instant


def _local(instant: dt.datetime, fuseau: str) -> str:
    """« 30/05/2022 à 10 h 30 » dans le fuseau du centre."""
    t = instant.astimezone(ZoneInfo(fuseau))
    return f"{t:%d/%m/%Y} à {t.hour} h {t.minute:02d}"


# =========================================================================== banque E5B


@transaction.atomic
def deposer_sujet(
    *,
    session: ExamSession,
    code: str,
    support: Support | str,
    contenu: bytes,
    par: str,
    titre: str = "",
    grille: bytes | None = None,
    motif: str = "",
    maintenant: dt.datetime | None = None,
) -> Sujet:
    """Dépose un sujet E5B (PDF) et, s'il est fourni, sa grille ; un code déjà pris reçoit une nouvelle version.

    Le code commence par WP (WordPress) ou PS (PrestaShop), comme dans les plannings. Un sujet déjà diffusé
    ne change qu'avec un motif (erratum). Lève `PieceRefusee` ou `BanqueRefusee` (message français).
    """
    instant = _maintenant(maintenant)
    code = code.strip().upper()
    try:
        support = Support(support)
    except ValueError:
        raise BanqueRefusee(f"Support « {support} » inconnu : wordpress ou prestashop.") from None
    if not FORME_CODE.match(code):
        raise BanqueRefusee(f"Code « {code} » invalide : lettres, chiffres, tirets (40 au plus), par ex. WP-01.")
    if not code.startswith(PREFIXES[support]):
        raise BanqueRefusee(
            f"Le code d'un sujet {support.label} commence par {PREFIXES[support]} (par ex. {PREFIXES[support]}-01), "
            f"pas « {code} »."
        )
    pdf = verifier_pdf(contenu, quoi=f"Sujet {code}")
    pdf_grille = verifier_pdf(grille, quoi=f"Grille du sujet {code}") if grille is not None else None
    existant = Sujet.objects.select_for_update().filter(session=session, code=code).defer("contenu", "grille").first()
    if existant is None:
        sujet = Sujet(session=session, code=code, support=support, version=1)
        avant = None
    else:
        if existant.support != support:
            raise BanqueRefusee(
                f"Le sujet {code} est un sujet {existant.get_support_display()} : déposez ce sujet sous un autre code."
            )
        diffusion = derniere_diffusion(session)
        if diffusion is not None and any(s["code"] == code for s in diffusion.sujets) and not motif.strip():
            raise BanqueRefusee(
                f"Le sujet {code} a déjà été diffusé aux académies : une nouvelle version demande un motif (erratum)."
            )
        sujet = existant
        avant = {"version": existant.version, "empreinte": existant.empreinte}
        sujet.version = existant.version + 1
    sujet.titre = titre.strip() or sujet.titre
    sujet.contenu = pdf.contenu
    sujet.taille = pdf.taille
    sujet.empreinte = pdf.empreinte
    if pdf_grille is not None:
        sujet.grille = pdf_grille.contenu
        sujet.grille_taille = pdf_grille.taille
        sujet.grille_empreinte = pdf_grille.empreinte
    sujet.depose_le = instant
    sujet.depose_par = par
    sujet.save()
    tracer(
        acteur=par,
        action=Trace.Action.CREATION if avant is None else Trace.Action.MODIFICATION,
        objet_type="sujets.sujet",
        objet_id=sujet.pk,
        objet_libelle=f"sujet E5B {code} (v{sujet.version})",
        avant=avant,
        apres={
            "version": sujet.version,
            "support": support.value,
            "empreinte": pdf.empreinte,
            "grille": sujet.grille_empreinte or None,
        },
        motif=motif,
    )
    return sujet


@transaction.atomic
def deposer_grille(*, sujet: Sujet, contenu: bytes, par: str, motif: str = "") -> Sujet:
    """Dépose (ou remplace) la grille d'aide à l'évaluation d'un sujet (PDF)."""
    pdf = verifier_pdf(contenu, quoi=f"Grille du sujet {sujet.code}")
    avant = {"grille": sujet.grille_empreinte or None}
    Sujet.objects.filter(pk=sujet.pk).update(
        grille=pdf.contenu, grille_taille=pdf.taille, grille_empreinte=pdf.empreinte
    )
    sujet.grille, sujet.grille_taille, sujet.grille_empreinte = pdf.contenu, pdf.taille, pdf.empreinte
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="sujets.sujet",
        objet_id=sujet.pk,
        objet_libelle=f"grille du sujet E5B {sujet.code}",
        avant=avant,
        apres={"grille": pdf.empreinte},
        motif=motif,
    )
    return sujet


def diffuser_banque(
    *, session: ExamSession, par: str, maintenant: dt.datetime | None = None, notifier_academies: bool = True
) -> DiffusionBanque:
    """Diffuse la banque aux académies de la session, si elle est équilibrée (Circ. 1.12 : autant de sujets
    WordPress que PrestaShop) et si chaque sujet a sa grille ; sinon `BanqueRefusee`, et rien n'est écrit.

    Les gestionnaires des académies destinataires reçoivent un courriel (journalisé par le service d'édition).
    """
    instant = _maintenant(maintenant)
    with transaction.atomic():
        equilibre = equilibre_banque(session)
        if not equilibre.diffusable:
            raise BanqueRefusee(f"Diffusion refusée : {equilibre.message}.")
        academies = academies_de_la_session(session)
        precedente = derniere_diffusion(session)
        diffusion = DiffusionBanque.objects.create(
            session=session,
            numero=(precedente.numero + 1) if precedente else 1,
            diffusee_le=instant,
            diffusee_par=par,
            sujets=[
                {"code": code, "support": support, "version": version, "empreinte": empreinte}
                for code, support, version, empreinte in Sujet.objects.filter(session=session)
                .order_by("code")
                .values_list("code", "support", "version", "empreinte")
            ],
        )
        diffusion.academies.set(academies)
        tracer(
            acteur=par,
            action=Trace.Action.DECISION,
            objet_type="sujets.diffusionbanque",
            objet_id=diffusion.pk,
            objet_libelle=f"diffusion n° {diffusion.numero} de la banque E5B",
            apres={
                "wordpress": equilibre.wordpress,
                "prestashop": equilibre.prestashop,
                "academies": [a.code for a in academies],
            },
        )
    if notifier_academies:
        from examens.apps.editions.services import notifier

        adresses = (
            get_user_model()
            .objects.filter(
                habilitations__session=session,
                habilitations__role=Role.GESTIONNAIRE,
                habilitations__academie__in=academies,
                is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        notifier(
            destinataires=sorted(adresses),
            objet=f"Banque de sujets E5B diffusée — {session.intitule}",
            corps=(
                f"Madame, Monsieur,\n\nLa banque nationale de sujets E5B ({equilibre.wordpress} sujets WordPress, "
                f"{equilibre.prestashop} sujets PrestaShop) est diffusée (diffusion n° {diffusion.numero}). Les sujets "
                "sont attribués aux passages par l'application ; leur contenu ne se lit qu'au moment du passage, par "
                "la commission qui l'administre."
            ),
            par=par,
        )
    return diffusion


# =========================================================================== lecture confidentielle


@dataclass(frozen=True, slots=True)
class ContenuPiece:
    """Une pièce lue (journalisée) : à servir telle quelle, jamais à mettre en cache."""

    nom_fichier: str
    contenu: bytes
    type_mime: str = "application/pdf"


def _fenetre(passage: Passage, avance: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
    return passage.debut - avance, passage.fin


def _journaliser_lecture(
    utilisateur: Any,
    instant: dt.datetime,
    role: Any,
    piece: str,
    *,
    passage: Any,
    candidat: Any,
    commission: str,
    sujet: Any = None,
) -> None:
    """Une ligne du journal des consultations (inaltérable) : qui a lu quelle pièce confidentielle, quand, à quel
    titre, pour quel passage et quel candidat."""
    with transaction.atomic():
        Consultation.objects.create(
            quand=instant,
            utilisateur=utilisateur if getattr(utilisateur, "pk", None) else None,
            acteur=acces.identifiant(utilisateur),
            role=role,
            piece=piece,
            sujet=sujet,
            sujet_version=sujet.version if sujet is not None else None,
            passage=passage,
            candidat=candidat,
            candidat_numero=candidat.numero,
            commission=commission,
        )


def consulter_sujet(
    *,
    utilisateur: Any,
    passage: Passage,
    maintenant: dt.datetime | None = None,
    piece: Consultation.Piece | str = Consultation.Piece.SUJET_E5B,
) -> ContenuPiece:
    """Le sujet E5B (ou sa grille) attribué au passage, pour qui a le droit de le lire, à ce moment.

    Ont le droit : un membre de la commission du passage, dans un planning publié, du début du passage moins
    le réglage `consultation_avant_minutes` (0 par défaut) jusqu'à sa fin ; un gestionnaire de l'académie
    pilote ou de l'académie du centre, à tout moment. Chaque lecture est journalisée (qui, quand, rôle,
    passage). Sinon `AccesRefuse` (une `PermissionDenied` : 403 dans une vue), et rien n'est journalisé.
    """
    instant = _maintenant(maintenant)
    piece = Consultation.Piece(piece)
    if piece not in (Consultation.Piece.SUJET_E5B, Consultation.Piece.GRILLE_E5B):
        raise ValueError(f"consulter_sujet ne lit que le sujet ou la grille, pas « {piece} ».")
    passage = Passage.objects.select_related("version__session", "version__centre", "commission", "candidat").get(
        pk=passage.pk
    )
    session, centre = passage.version.session, passage.version.centre
    if passage.epreuve != E5B:
        raise AccesRefuse("Ce passage n'est pas une épreuve E5B : il n'a pas de sujet de la banque.")
    if acces.gestionnaire_du_centre(utilisateur, session, centre):
        role = Role.GESTIONNAIRE
    else:
        siens = acces.examinateurs_de(utilisateur, session)
        membres = set(passage.commission.membres.values_list("pk", flat=True))
        if not siens & membres:
            raise AccesRefuse(
                "Vous ne siégez pas dans la commission de ce passage : son sujet E5B vous est inaccessible."
            )
        if passage.version.statut != VersionPlanning.Statut.PUBLIE:
            raise AccesRefuse("Ce passage n'appartient pas au planning publié du centre : son sujet ne se lit pas.")
        debut, fin = _fenetre(passage, reglages_de(session).consultation_avant)
        if not debut <= instant <= fin:
            raise AccesRefuse(
                f"Le sujet de ce passage se lit pendant le passage seulement : du {_local(debut, centre.fuseau)} "
                f"au {_local(fin, centre.fuseau)} (heure du centre)."
            )
        role = Role.EXAMINATEUR
    attribution = AttributionSujet.objects.filter(passage=passage, remplacee_le__isnull=True).first()
    if attribution is None:
        raise AttributionImpossible(
            "Aucun sujet de la banque n'est attribué à ce passage : attribuez les sujets (examens attribuer-sujets)."
        )
    sujet = Sujet.objects.get(pk=attribution.sujet_id)
    grille = piece == Consultation.Piece.GRILLE_E5B
    if grille and sujet.grille is None:
        raise AttributionImpossible(f"Le sujet {sujet.code} n'a pas de grille d'aide à l'évaluation déposée.")
    _journaliser_lecture(
        utilisateur,
        instant,
        role,
        piece,
        passage=passage,
        candidat=passage.candidat,
        commission=passage.commission.code,
        sujet=sujet,
    )
    contenu = bytes(sujet.grille if grille else sujet.contenu)  # type: ignore[arg-type]
    nom = f"{'grille' if grille else 'sujet'}-{sujet.code}-v{sujet.version}.pdf"
    return ContenuPiece(nom_fichier=nom, contenu=contenu)


# =========================================================================== attribution


@dataclass(frozen=True, slots=True)
class LignePrevue:
    candidat_numero: str
    commission: str
    debut: dt.datetime
    ancien: str | None
    nouveau: str | None
    etat: str  # nouvelle, inchangee, remplacee, figee, sans_sujet


@dataclass(slots=True)
class RapportCentre:
    centre: str
    version: int | None
    lignes: list[LignePrevue] = field(default_factory=list)
    alertes: list[str] = field(default_factory=list)

    def compte(self, etat: str) -> int:
        return sum(1 for x in self.lignes if x.etat == etat)

    @property
    def supports(self) -> Counter[str]:
        return Counter((x.nouveau or "")[:2] for x in self.lignes if x.nouveau)

    def resume(self) -> str:
        if self.version is None:
            return f"{self.centre} : " + "; ".join(self.alertes)
        s = self.supports
        texte = (
            f"{self.centre} (planning v{self.version}) : {len(self.lignes)} passage(s) E5B — "
            f"{self.compte('nouvelle')} nouvelle(s), {self.compte('remplacee')} changée(s), "
            f"{self.compte('inchangee')} inchangée(s), {self.compte('figee')} figée(s), "
            f"{self.compte('sans_sujet')} sans sujet ; WordPress {s['WP']}, PrestaShop {s['PS']}"
        )
        return texte + "".join(f"\n  ⚠ {a}" for a in self.alertes)


@dataclass(slots=True)
class RapportAttribution:
    session: str
    applique: bool
    centres: list[RapportCentre] = field(default_factory=list)

    @property
    def erreurs(self) -> list[str]:
        return [
            f"{c.centre} : le candidat {x.candidat_numero} ({x.commission}) n'a reçu aucun sujet libre"
            for c in self.centres
            for x in c.lignes
            if x.etat == "sans_sujet"
        ]

    def resume(self) -> str:
        entete = "Attribution appliquée" if self.applique else "Simulation (rien n'est écrit ; --appliquer pour écrire)"
        return "\n".join([f"{entete} — session {self.session}", *(c.resume() for c in self.centres)])


def attribuer_sujets(
    *,
    session: ExamSession,
    par: str,
    centre: Centre | None = None,
    appliquer: bool = False,
    maintenant: dt.datetime | None = None,
) -> RapportAttribution:
    """Attribue un sujet de la banque diffusée à chaque passage E5B des plannings publiés (tous les centres de
    la session, ou `centre`), selon la règle 9 du format de planification : une commission ne donne jamais
    deux fois le même sujet le même jour ; sur le centre, autant de WordPress que de PrestaShop (à un près).

    La répartition est celle du moteur pur (`examens.planning.sujets.repartir_sujets`). Un sujet déjà lu, ou
    dont le passage a commencé (moins le délai de consultation), est **figé** : il ne change plus.
    Sans `appliquer`, rien n'est écrit (simulation). Avec, chaque attribution nouvelle ou changée entre au
    journal (l'ancienne y reste, fermée), le passage porte le code du sujet et une trace résume le centre ;
    un passage sans sujet libre bloque tout (`AttributionImpossible`, qui les liste tous).
    """
    from examens.apps.planification.selectors import centres_de_la_session, version_en_vigueur
    from examens.planning.formats import Sujet as SujetPlanning
    from examens.planning.formats import Support as SupportPlanning
    from examens.planning.sujets import Demande, repartir_sujets

    instant = _maintenant(maintenant)
    diffusion = derniere_diffusion(session)
    if diffusion is None:
        raise AttributionImpossible(
            f"La banque de sujets E5B de la session {session.code} n'est pas diffusée : diffusez-la d'abord."
        )
    codes = {s["code"] for s in diffusion.sujets}
    sujets = {s.code: s for s in Sujet.objects.filter(session=session, code__in=codes).defer("contenu", "grille")}
    banque = [SujetPlanning(c, SupportPlanning(s.support)) for c, s in sorted(sujets.items())]
    avance = reglages_de(session).consultation_avant
    rapport = RapportAttribution(session=session.code, applique=appliquer)
    ecritures: list[tuple[Centre, VersionPlanning, list[tuple[Passage, AttributionSujet | None, str]]]] = []
    for c in [centre] if centre is not None else centres_de_la_session(session):
        version = version_en_vigueur(session=session, centre=c, brouillons=False)
        if version is None:
            rapport.centres.append(RapportCentre(c.code, None, alertes=["aucun planning publié : rien à attribuer"]))
            continue
        passages = list(
            Passage.objects.filter(version=version, epreuve=E5B)
            .select_related("commission", "candidat")
            .order_by("debut")
        )
        numeros = [p.candidat.numero for p in passages]
        actives = {
            a.candidat_numero: a
            for a in AttributionSujet.objects.filter(
                session=session, candidat_numero__in=numeros, remplacee_le__isnull=True
            )
            .select_related("sujet")
            .defer("sujet__contenu", "sujet__grille")
        }
        lus = set(
            Consultation.objects.filter(
                candidat_numero__in=numeros,
                piece__in=(Consultation.Piece.SUJET_E5B, Consultation.Piece.GRILLE_E5B),
                sujet__session=session,
            ).values_list("candidat_numero", "sujet_id")
        )
        fuseau = ZoneInfo(c.fuseau)
        demandes, imposes = [], {}
        for p in passages:
            local = p.debut.astimezone(fuseau)
            demandes.append(Demande(p.pk, p.commission.code, local.date().isoformat(), local.hour * 60 + local.minute))
            a = actives.get(p.candidat.numero)
            if a is not None and ((p.candidat.numero, a.sujet_id) in lus or instant >= min(a.debut, p.debut) - avance):
                imposes[p.pk] = a.sujet.code
        affectation = repartir_sujets(demandes, banque, imposes=imposes)
        rc = RapportCentre(c.code, version.numero)
        a_ecrire: list[tuple[Passage, AttributionSujet | None, str]] = []
        for p in passages:
            a = actives.get(p.candidat.numero)
            ancien = a.sujet.code if a is not None else None
            nouveau = affectation.get(p.pk)
            if nouveau is None:
                etat = "sans_sujet"
            elif p.pk in imposes:
                etat = "figee"
            elif a is None:
                etat = "nouvelle"
            elif (ancien, a.passage_id, a.commission, a.debut) == (nouveau, p.pk, p.commission.code, p.debut):
                etat = "inchangee"
            else:
                etat = "remplacee"
            if nouveau is not None and (
                etat in ("nouvelle", "remplacee") or (etat == "figee" and a.passage_id != p.pk)
            ):  # type: ignore[union-attr]
                a_ecrire.append((p, a, nouveau))
            rc.lignes.append(LignePrevue(p.candidat.numero, p.commission.code, p.debut, ancien, nouveau, etat))
        rc.alertes.extend(_controler_regle_9(demandes, affectation, {s.id: s.support.value for s in banque}))
        rapport.centres.append(rc)
        ecritures.append((c, version, a_ecrire))
    if not appliquer:
        return rapport
    if rapport.erreurs:
        raise AttributionImpossible(
            "Attribution refusée, rien n'est écrit :\n" + "\n".join(f"- {e}" for e in rapport.erreurs)
        )
    with transaction.atomic():
        for c, version, a_ecrire in ecritures:
            if not a_ecrire:
                continue
            anciennes = [a.pk for _, a, _ in a_ecrire if a is not None]
            AttributionSujet.objects.filter(pk__in=anciennes).update(remplacee_le=instant)
            AttributionSujet.objects.bulk_create(
                [
                    AttributionSujet(
                        session=session,
                        centre=c,
                        candidat=p.candidat,
                        candidat_numero=p.candidat.numero,
                        sujet=sujets[code],
                        sujet_version=sujets[code].version,
                        passage=p,
                        commission=p.commission.code,
                        debut=p.debut,
                        attribue_le=instant,
                        attribue_par=par,
                    )
                    for p, _, code in a_ecrire
                ]
            )
            for p, _, code in a_ecrire:
                p.sujet = code
            Passage.objects.bulk_update([p for p, _, _ in a_ecrire], ["sujet"])
            rc = next(r for r in rapport.centres if r.centre == c.code)
            tracer(
                acteur=par,
                action=Trace.Action.DECISION,
                objet_type="sujets.attribution",
                objet_id=f"{session.code}:{c.code}",
                objet_libelle=f"attribution des sujets E5B — centre {c.code} (planning v{version.numero})",
                apres={
                    "attribues": len(a_ecrire),
                    "remplaces": len(anciennes),
                    "wordpress": rc.supports["WP"],
                    "prestashop": rc.supports["PS"],
                },
            )
    return rapport


def _controler_regle_9(
    demandes: Sequence[Any], affectation: Mapping[Any, str], supports: Mapping[str, str]
) -> list[str]:
    """Relit l'attribution (règle 9) : même sujet deux fois par une commission le même jour, équilibre."""
    alertes = []
    vus: Counter[tuple[str, str, str]] = Counter(
        (d.commission, d.date, affectation[d.cle]) for d in demandes if d.cle in affectation
    )
    for (commission, jour, sujet), n in sorted(vus.items()):
        if n > 1:
            alertes.append(f"la commission {commission} donne {n} fois le sujet {sujet} le {jour} (sujet figé)")
    compte = Counter(supports.get(affectation[d.cle], "") for d in demandes if d.cle in affectation)
    if abs(compte["wordpress"] - compte["prestashop"]) > 1:
        alertes.append(
            f"équilibre non tenu : {compte['wordpress']} sujets WordPress et {compte['prestashop']} PrestaShop"
        )
    return alertes


# =========================================================================== fiche-sujet E4


def passage_du_candidat(candidat: Candidat, epreuve: str) -> Passage | None:
    """Le passage du candidat à l'épreuve dans le planning en vigueur (publié ; à défaut le dernier brouillon)."""
    from examens.apps.planification.selectors import passages_du_candidat

    ligne = next((p for p in passages_du_candidat(candidat, brouillons=True) if p.epreuve == epreuve), None)
    if ligne is None:
        return None
    return (
        Passage.objects.select_related("commission", "version__centre")
        .filter(version_id=ligne.version_id, candidat=candidat, epreuve=epreuve)
        .first()
    )


def _parametres(parametres: Iterable[str]) -> list[str]:
    return [p.strip() for p in parametres if p and p.strip()]


@transaction.atomic
def rediger_fiche_sujet(
    *,
    candidat: Candidat,
    activite: FicheActivite,
    parametres_modifies: Sequence[str],
    role_commission: str,
    par: str,
    contexte: str = "",
    maintenant: dt.datetime | None = None,
) -> FicheSujet:
    """Écrit (ou réécrit, tant qu'elle est en brouillon) la fiche-sujet E4 d'un candidat en forme ponctuelle.

    La commission choisit l'une des deux activités du dossier E4 du candidat, décrit les paramètres qu'elle
    modifie et le rôle qu'elle tiendra dans la simulation (Circ. 1.11). La commission est celle du passage E4.
    """
    instant = _maintenant(maintenant)
    passage = passage_du_candidat(candidat, E4)
    if passage is None:
        raise FicheSujetRefusee(
            f"Candidat {candidat.numero} : aucun passage E4 planifié ; la fiche-sujet ne concerne que les candidats "
            "interrogés en forme ponctuelle."
        )
    activite = FicheActivite.objects.select_related("dossier").get(pk=activite.pk)
    if activite.dossier.candidat_id != candidat.pk or activite.dossier.epreuve != E4:
        raise FicheSujetRefusee("L'activité choisie doit être l'une des deux activités du dossier E4 du candidat.")
    if not activite.nature:
        raise FicheSujetRefusee(
            f"L'activité « {activite.titre} » n'a pas de nature (négociation-vente ou évènement commercial) : "
            "complétez le dossier E4."
        )
    parametres = _parametres(parametres_modifies)
    fiche = FicheSujet.objects.select_for_update().filter(candidat=candidat).first()
    avant = None
    if fiche is None:
        fiche = FicheSujet(candidat=candidat, creee_le=instant)
    else:
        if fiche.statut == FicheSujet.Statut.REMISE:
            raise FicheSujetRefusee("La fiche-sujet a été remise au candidat en loge : elle ne se modifie plus.")
        if fiche.statut == FicheSujet.Statut.PRETE:
            raise FicheSujetRefusee("La fiche-sujet est prête : rouvrez-la (retour en brouillon) avant de la modifier.")
        avant = {"activite": fiche.activite_id, "parametres": len(fiche.parametres_modifies)}
    fiche.commission = passage.commission
    fiche.activite = activite
    fiche.parametres_modifies = parametres
    fiche.role_commission = role_commission.strip()
    fiche.contexte = contexte.strip()
    fiche.redigee_par = par
    fiche.modifiee_le = instant
    fiche.save()
    # Ni paramètres ni rôle dans la trace : la fiche-sujet reste confidentielle jusqu'à la loge.
    tracer(
        acteur=par,
        action=Trace.Action.CREATION if avant is None else Trace.Action.MODIFICATION,
        objet_type="sujets.fichesujet",
        objet_id=fiche.pk,
        objet_libelle=f"candidat {candidat.numero} — fiche-sujet E4",
        avant=avant,
        apres={"activite": activite.pk, "parametres": len(parametres), "commission": passage.commission.code},
    )
    return fiche


def _changer_statut(
    fiche: FicheSujet, *, vers: FicheSujet.Statut, depuis: FicheSujet.Statut, par: str, motif: str = "", **champs: Any
) -> FicheSujet:
    fiche = FicheSujet.objects.select_for_update().select_related("candidat").get(pk=fiche.pk)
    if fiche.statut != depuis:
        raise FicheSujetRefusee(
            f"Fiche-sujet du candidat {fiche.candidat.numero} : elle est « {fiche.get_statut_display()} », "
            f"elle doit être « {depuis.label} » pour passer à « {vers.label} »."
        )
    ancien = fiche.statut
    fiche.statut = vers
    for nom, valeur in champs.items():
        setattr(fiche, nom, valeur)
    fiche.save()
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="sujets.fichesujet",
        objet_id=fiche.pk,
        objet_libelle=f"candidat {fiche.candidat.numero} — fiche-sujet E4",
        avant={"statut": ancien},
        apres={"statut": vers.value},
        motif=motif,
    )
    return fiche


@transaction.atomic
def valider_fiche_sujet(*, fiche: FicheSujet, par: str, maintenant: dt.datetime | None = None) -> FicheSujet:
    """Brouillon → prête (au plus tard la veille par défaut : `fiches_manquantes` signale les retards)."""
    fiche = FicheSujet.objects.get(pk=fiche.pk)
    if not _parametres(fiche.parametres_modifies):
        raise FicheSujetRefusee("La fiche-sujet ne décrit aucun paramètre modifié : décrivez au moins un changement.")
    if not fiche.role_commission.strip():
        raise FicheSujetRefusee("La fiche-sujet ne dit pas le rôle tenu par la commission dans la simulation.")
    instant = _maintenant(maintenant)
    return _changer_statut(
        fiche,
        vers=FicheSujet.Statut.PRETE,
        depuis=FicheSujet.Statut.BROUILLON,
        par=par,
        prete_le=instant,
        prete_par=par,
    )


@transaction.atomic
def rouvrir_fiche_sujet(*, fiche: FicheSujet, par: str, motif: str = "") -> FicheSujet:
    """Prête → brouillon, pour la corriger (jamais après la remise en loge)."""
    return _changer_statut(
        fiche, vers=FicheSujet.Statut.BROUILLON, depuis=FicheSujet.Statut.PRETE, par=par, motif=motif, prete_le=None
    )


@transaction.atomic
def remettre_fiche_sujet(*, fiche: FicheSujet, par: str, maintenant: dt.datetime | None = None) -> FicheSujet:
    """Prête → remise au candidat en loge (début de sa préparation)."""
    instant = _maintenant(maintenant)
    return _changer_statut(
        fiche, vers=FicheSujet.Statut.REMISE, depuis=FicheSujet.Statut.PRETE, par=par, remise_le=instant, remise_par=par
    )


def consulter_fiche_sujet(*, utilisateur: Any, candidat: Candidat, maintenant: dt.datetime | None = None) -> FicheSujet:
    """La fiche-sujet E4 du candidat, lue à l'écran par qui n'est pas la commission qui la rédige : un
    gestionnaire (académie pilote ou académie du centre), le chef du centre du candidat, le président d'un jury
    qui le délibère. Chaque lecture va au journal des consultations (« qui a vu », page des pièces du candidat).

    La commission du passage E4 lit et rédige sa fiche par sa page de rédaction : rendue sans journal. Le
    candidat la reçoit sur papier en loge : il ne la lit pas ici. Sinon `AccesRefuse`, et rien n'est journalisé ;
    sans fiche rédigée, `FicheSujetRefusee`."""
    instant = _maintenant(maintenant)
    candidat = Candidat.objects.select_related("session", "centre").get(pk=candidat.pk)
    session = candidat.session
    fiche = FicheSujet.objects.select_related("activite", "commission", "candidat").filter(candidat=candidat).first()
    if candidat.centre is not None and acces.gestionnaire_du_centre(utilisateur, session, candidat.centre):
        role: str | None = Role.GESTIONNAIRE
    elif candidat.centre is not None and acces.chef_du_centre(utilisateur, session, candidat.centre):
        role = Role.CHEF_DE_CENTRE
    elif acces.president_du_jury_de(utilisateur, candidat):
        role = Role.PRESIDENT_JURY
    elif (
        fiche is not None
        and (siens := acces.examinateurs_de(utilisateur, session))
        and siens & set(fiche.commission.membres.values_list("pk", flat=True))
    ):
        role = None  # la commission qui la rédige
    else:
        raise AccesRefuse("La fiche-sujet E4 de ce candidat vous est inaccessible.")
    if fiche is None:
        raise FicheSujetRefusee(f"Candidat {candidat.numero} : aucune fiche-sujet E4 rédigée.")
    if role is not None:
        passage = passage_du_candidat(candidat, E4)
        _journaliser_lecture(
            utilisateur,
            instant,
            role,
            Consultation.Piece.FICHE_SUJET_E4,
            passage=passage,
            candidat=candidat,
            commission=fiche.commission.code,
        )
    return fiche


def editer_fiche_sujet(*, fiche: FicheSujet, par: str, motif: str = "") -> Any:
    """Émet le PDF de la fiche-sujet (modèle `fiche-sujet-e4`) par le service d'édition ; rend sa version."""
    from examens.apps.editions.services import emettre
    from examens.apps.sujets.editions import element_fiche_sujet

    candidat = fiche.candidat
    passage = passage_du_candidat(candidat, E4)
    if passage is None:
        raise FicheSujetRefusee(f"Candidat {candidat.numero} : aucun passage E4 planifié, la fiche ne s'édite pas.")
    element = element_fiche_sujet(fiche, passage)
    return emettre(session=candidat.session, modele="fiche-sujet-e4", element=element, par=par, motif=motif)


# =========================================================================== engagement étudiant


@transaction.atomic
def deposer_fiche_engagement(
    *,
    candidat: Candidat,
    contenu: bytes,
    par: str,
    deposant: FicheEngagement.Deposant | str,
    maintenant: dt.datetime | None = None,
) -> FicheEngagement:
    """Dépose la fiche d'engagement étudiant (PDF) du candidat, par lui-même, son établissement ou le
    gestionnaire. Après la date limite de la session, seul le gestionnaire peut encore la déposer."""
    instant = _maintenant(maintenant)
    deposant = FicheEngagement.Deposant(deposant)
    if not candidat.engagement_etudiant:
        raise EngagementRefuse(
            f"Candidat {candidat.numero} : il n'est pas inscrit à l'épreuve facultative d'engagement étudiant."
        )
    limite = reglages_de(candidat.session).limite_fiches_engagement
    if (
        limite is not None
        and timezone.localtime(instant).date() > limite
        and deposant != FicheEngagement.Deposant.GESTIONNAIRE
    ):
        raise EngagementRefuse(
            f"La date limite de dépôt des fiches d'engagement étudiant ({limite:%d/%m/%Y}) est passée : "
            "adressez-vous au gestionnaire de l'académie."
        )
    pdf = verifier_pdf(contenu, quoi="Fiche d'engagement étudiant")
    precedente = (
        FicheEngagement.objects.filter(candidat=candidat).order_by("-version").values_list("version", flat=True)
    )
    version = (precedente.first() or 0) + 1
    fiche = FicheEngagement.objects.create(
        candidat=candidat,
        version=version,
        contenu=pdf.contenu,
        taille=pdf.taille,
        empreinte=pdf.empreinte,
        deposant=deposant,
        deposee_par=par,
        deposee_le=instant,
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="sujets.ficheengagement",
        objet_id=fiche.pk,
        objet_libelle=f"candidat {candidat.numero} — fiche d'engagement étudiant (v{version})",
        apres={"version": version, "deposant": deposant.value, "empreinte": pdf.empreinte},
    )
    return fiche


def consulter_fiche_engagement(
    *, utilisateur: Any, candidat: Candidat, maintenant: dt.datetime | None = None
) -> ContenuPiece:
    """La fiche d'engagement du candidat, journalisée. Lisent : la commission de son passage d'engagement
    (jusqu'à la fin du passage), les gestionnaires de son centre, lui-même et son établissement."""
    instant = _maintenant(maintenant)
    session = candidat.session
    fiche = FicheEngagement.objects.filter(candidat=candidat).order_by("-version").first()
    passage = passage_du_candidat(candidat, ENGAGEMENT)
    if candidat.centre is not None and acces.gestionnaire_du_centre(utilisateur, session, candidat.centre):
        role = Role.GESTIONNAIRE
    elif acces.candidat_de(utilisateur, session) == candidat.pk:
        role = Role.CANDIDAT
    elif candidat.etablissement_id is not None and candidat.etablissement_id in acces.etablissements_de(
        utilisateur, session
    ):
        role = Role.ETABLISSEMENT
    elif (
        passage is not None
        and acces.examinateurs_de(utilisateur, session) & set(passage.commission.membres.values_list("pk", flat=True))
        and instant <= passage.fin
    ):
        role = Role.EXAMINATEUR
    else:
        raise AccesRefuse("La fiche d'engagement étudiant de ce candidat vous est inaccessible.")
    if fiche is None:
        raise EngagementRefuse(f"Candidat {candidat.numero} : aucune fiche d'engagement étudiant déposée.")
    _journaliser_lecture(
        utilisateur,
        instant,
        role,
        Consultation.Piece.FICHE_ENGAGEMENT,
        passage=passage,
        candidat=candidat,
        commission=passage.commission.code if passage is not None else "",
    )
    return ContenuPiece(nom_fichier=f"engagement-{candidat.numero}-v{fiche.version}.pdf", contenu=bytes(fiche.contenu))


@dataclass(frozen=True, slots=True)
class Avertissement:
    candidat_numero: str
    destinataires: tuple[str, ...]
    deja_averti: bool


def _adresses_etablissement(session: ExamSession, etablissement_id: int | None) -> list[str]:
    if etablissement_id is None:
        return []
    return sorted(
        set(
            Habilitation.objects.filter(
                session=session, role=Role.ETABLISSEMENT, etablissement_id=etablissement_id, utilisateur__is_active=True
            )
            .exclude(utilisateur__email="")
            .values_list("utilisateur__email", flat=True)
        )
    )


def avertir_engagements_sans_fiche(
    *, session: ExamSession, par: str, appliquer: bool = False, maintenant: dt.datetime | None = None
) -> list[Avertissement]:
    """Avertit chaque candidat inscrit à l'engagement étudiant sans fiche, et son établissement : sans fiche,
    l'épreuve ne peut pas se dérouler (Circ. 1.14) et ne sera pas planifiée après la date limite. Un candidat
    n'est averti qu'une fois. Sans `appliquer` : la liste seulement."""
    from examens.apps.editions.services import notifier

    instant = _maintenant(maintenant)
    limite = reglages_de(session).limite_fiches_engagement
    echeance = f"avant le {limite:%d/%m/%Y}" if limite else "au plus tôt"
    resultat = []
    for c in engagements_sans_fiche(session):
        deja = hasattr(c, "avertissement_engagement")
        destinataires = tuple(x for x in (c.courriel, *_adresses_etablissement(session, c.etablissement_id)) if x)
        resultat.append(Avertissement(c.numero, destinataires, deja))
        if deja or not appliquer:
            continue
        notifier(
            destinataires=destinataires,
            objet=f"Engagement étudiant : fiche manquante — candidat {c.numero}",
            corps=(
                f"Madame, Monsieur,\n\nLe candidat {c.numero} ({c.prenoms} {c.nom}) est inscrit à l'épreuve facultative "
                "d'engagement étudiant, mais sa fiche d'engagement étudiant n'a pas été déposée. En l'absence de "
                f"cette fiche, l'épreuve ne peut pas se dérouler (circulaire nationale, 1.14). Déposez-la {echeance}."
            ),
            par=par,
        )
        with transaction.atomic():
            AvertissementEngagement.objects.create(
                candidat=c, averti_le=instant, averti_par=par, destinataires=list(destinataires)
            )
            tracer(
                acteur=par,
                action=Trace.Action.CREATION,
                objet_type="sujets.avertissementengagement",
                objet_id=c.pk,
                objet_libelle=f"candidat {c.numero} — engagement étudiant sans fiche, averti",
                apres={"destinataires": len(destinataires)},
            )
    return resultat


def _note(valeur: Decimal | str | int, session: ExamSession) -> Decimal:
    regles = reglement_fourni(session.reglement).notes
    try:
        note = Decimal(str(valeur).replace(",", "."))
    except InvalidOperation:
        raise EngagementRefuse(f"Note « {valeur} » illisible : un nombre de 0 à {regles.maximum}.") from None
    if not note.is_finite() or not 0 <= note <= regles.maximum or note % regles.pas != 0:
        pas = str(regles.pas).replace(".", ",")
        raise EngagementRefuse(f"Note « {valeur} » : une note de 0 à {regles.maximum}, par pas de {pas}, est attendue.")
    return note


@transaction.atomic
def evaluer_engagement(
    *,
    candidat: Candidat,
    fiche_evaluation: Mapping[str, str],
    note: Decimal | str | int,
    par: str,
    grille: Mapping[str, Any] | None = None,
    appreciation: str = "",
    maintenant: dt.datetime | None = None,
) -> EvaluationEngagement:
    """Enregistre l'évaluation de l'engagement étudiant par la commission : la fiche d'évaluation (critères de
    la circulaire, seule pièce communicable au candidat), la grille d'aide et la note sur 20.

    La note devient le résultat de l'épreuve facultative ENGAGEMENT (`notes.services.ecrire_resultats` : tracé,
    lu par la délibération) ; une nouvelle évaluation le met à jour. Refusé sans fiche d'engagement déposée
    (l'épreuve ne peut pas se dérouler, Circ. 1.14), si la double saisie a déjà validé une autre valeur, ou si le
    service des notes refuse (délibération verrouillée, note revue par le jury…) : rien n'est alors écrit.
    """
    from examens.documents.commissions import CRITERES_ENGAGEMENT

    instant = _maintenant(maintenant)
    if not candidat.engagement_etudiant:
        raise EngagementRefuse(f"Candidat {candidat.numero} : il n'est pas inscrit à l'engagement étudiant.")
    if not FicheEngagement.objects.filter(candidat=candidat).exists():
        raise EngagementRefuse(
            f"Candidat {candidat.numero} : aucune fiche d'engagement étudiant déposée ; sans elle, l'épreuve ne peut "
            "pas se dérouler (circulaire nationale, 1.14)."
        )
    inconnus = sorted(set(fiche_evaluation) - set(CRITERES_ENGAGEMENT))
    if inconnus:
        raise EngagementRefuse(
            f"Critère(s) inconnu(s) de la fiche d'évaluation : {', '.join(inconnus)} "
            f"(critères : {', '.join(CRITERES_ENGAGEMENT)})."
        )
    valeur = _note(note, candidat.session)
    _verifier_double_saisie_engagement(candidat, valeur)
    passage = passage_du_candidat(candidat, ENGAGEMENT)
    evaluation, creee = EvaluationEngagement.objects.update_or_create(
        candidat=candidat,
        defaults={
            "commission": passage.commission.code if passage is not None else "",
            "fiche_evaluation": {k: str(v).strip() for k, v in fiche_evaluation.items()},
            "appreciation": appreciation.strip(),
            "grille": dict(grille or {}),
            "note": valeur,
            "evaluee_par": par,
            "evaluee_le": instant,
        },
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION if creee else Trace.Action.MODIFICATION,
        objet_type="sujets.evaluationengagement",
        objet_id=evaluation.pk,
        objet_libelle=f"candidat {candidat.numero} — évaluation de l'engagement étudiant",
        apres={"note": f"{valeur:.2f}"},
    )
    # La note de la fiche d'évaluation est celle de l'épreuve facultative : elle va au résultat du candidat que
    # lit la délibération, par le service des notes (tracé, refusé si la délibération est verrouillée, si la
    # note est revue par le jury…). Une erreur défait toute l'évaluation.
    ecrire_resultats(
        ecritures=[EcritureResultat(candidat_id=candidat.pk, epreuve=ENGAGEMENT, etat=EtatResultat.NOTE, note=valeur)],
        acteur=par,
        motif=(
            "fiche d'évaluation de l'engagement étudiant"
            + (f" (commission {evaluation.commission})" if evaluation.commission else "")
        ),
    )
    return evaluation


def _verifier_double_saisie_engagement(candidat: Candidat, valeur: Decimal) -> None:
    """Une note d'engagement déjà validée par la double saisie (deux saisies concordantes) ne se remplace pas
    par une autre note de la fiche d'évaluation : la correction passe par la division des examens."""
    validee = (
        Saisie.objects.filter(candidat=candidat, epreuve=ENGAGEMENT, validee_le__isnull=False).order_by("-rang").first()
    )
    if validee is None or (validee.etat == EtatResultat.NOTE and validee.note == valeur):
        return
    texte = "AB" if validee.note is None else f"{validee.note.normalize():f}".replace(".", ",")
    raise EngagementRefuse(
        f"Candidat {candidat.numero} : la double saisie a déjà validé le résultat de l'engagement étudiant "
        f"({texte}) ; la note de la fiche d'évaluation ({f'{valeur.normalize():f}'.replace('.', ',')}) ne le "
        "remplace pas. Une correction passe par la division des examens."
    )


# =========================================================================== postes E5B


@transaction.atomic
def publier_contexte_numerique(
    *, session: ExamSession, version: str, wordpress: str, prestashop: str, par: str
) -> ContexteNumerique:
    """Publie une version du contexte numérique national (site WordPress, boutique PrestaShop). Les postes
    vérifiés sur une version antérieure ne sont plus prêts : à revérifier."""
    version = version.strip()
    if not version:
        raise PostesRefuses("Donnez la version du contexte numérique (par ex. 2022.1).")
    if ContexteNumerique.objects.filter(session=session, version=version).exists():
        raise PostesRefuses(f"La version {version} du contexte numérique est déjà publiée.")
    contexte = ContexteNumerique.objects.create(
        session=session, version=version, wordpress=wordpress.strip(), prestashop=prestashop.strip(), publie_par=par
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="sujets.contextenumerique",
        objet_id=contexte.pk,
        objet_libelle=f"contexte numérique E5B {version}",
        apres={"version": version},
    )
    return contexte


@transaction.atomic
def declarer_postes(
    *, session: ExamSession, centre: Centre, noms: Sequence[str], par: str, salle: Salle | None = None
) -> list[PosteE5B]:
    """Inscrit les postes informatiques E5B du centre (idempotent : un poste déjà déclaré est gardé)."""
    if salle is not None and (salle.centre_id != centre.pk or salle.type != Salle.Type.INFORMATIQUE):
        raise PostesRefuses(f"La salle « {salle.nom} » n'est pas une salle informatique du centre {centre.code}.")
    noms = [n.strip() for n in noms if n.strip()]
    if not noms:
        raise PostesRefuses("Donnez le nom d'au moins un poste.")
    existants = set(PosteE5B.objects.filter(session=session, centre=centre, nom__in=noms).values_list("nom", flat=True))
    nouveaux = [
        PosteE5B(session=session, centre=centre, salle=salle, nom=n) for n in dict.fromkeys(noms) if n not in existants
    ]
    PosteE5B.objects.bulk_create(nouveaux)
    if nouveaux:
        tracer(
            acteur=par,
            action=Trace.Action.CREATION,
            objet_type="sujets.postee5b",
            objet_id=f"{session.code}:{centre.code}",
            objet_libelle=f"postes E5B du centre {centre.code}",
            apres={"declares": [p.nom for p in nouveaux]},
        )
    return list(PosteE5B.objects.filter(session=session, centre=centre, nom__in=noms).order_by("nom"))


@transaction.atomic
def verifier_poste(
    *,
    poste: PosteE5B,
    wordpress_ok: bool,
    prestashop_ok: bool,
    par: str,
    observations: str = "",
    maintenant: dt.datetime | None = None,
) -> PosteE5B:
    """Enregistre la vérification d'un poste : prêt si le site WordPress et la boutique PrestaShop du contexte
    national en vigueur y fonctionnent, sinon en panne ou incomplet."""
    instant = _maintenant(maintenant)
    contexte = contexte_en_vigueur(poste.session)
    if contexte is None:
        raise PostesRefuses(
            "Le contexte numérique national de l'E5B n'est pas publié : il n'y a rien à vérifier sur les postes."
        )
    poste = PosteE5B.objects.select_for_update().get(pk=poste.pk)
    avant = {"etat": poste.etat, "contexte": poste.contexte_version}
    poste.wordpress_ok, poste.prestashop_ok = wordpress_ok, prestashop_ok
    poste.etat = PosteE5B.Etat.PRET if wordpress_ok and prestashop_ok else PosteE5B.Etat.EN_PANNE
    poste.contexte_version = contexte.version
    poste.verifie_le, poste.verifie_par = instant, par
    poste.observations = observations.strip()
    poste.save()
    tracer(
        acteur=par,
        action=Trace.Action.MODIFICATION,
        objet_type="sujets.postee5b",
        objet_id=poste.pk,
        objet_libelle=f"poste E5B {poste.nom} — centre {poste.centre.code}",
        avant=avant,
        apres={"etat": poste.etat, "contexte": contexte.version},
    )
    return poste


@transaction.atomic
def signer_preparation_postes(
    *, session: ExamSession, centre: Centre, par: str, maintenant: dt.datetime | None = None
) -> SignaturePostes:
    """Le chef de centre signe la liste de préparation des postes : l'état de chaque poste est figé dans la
    signature. Signer ne rend pas prêt un poste qui ne l'est pas : le centre reste en alerte."""
    instant = _maintenant(maintenant)
    postes = list(PosteE5B.objects.filter(session=session, centre=centre).order_by("nom"))
    if not postes:
        raise PostesRefuses(f"Centre {centre.code} : aucun poste E5B déclaré, il n'y a rien à signer.")
    contexte = contexte_en_vigueur(session)
    version = contexte.version if contexte else ""
    prets = [p for p in postes if p.etat == PosteE5B.Etat.PRET and p.contexte_version == version]
    signature = SignaturePostes.objects.create(
        session=session,
        centre=centre,
        signee_le=instant,
        signee_par=par,
        contexte_version=version,
        postes_prets=len(prets),
        postes_declares=len(postes),
        detail=[
            {
                "poste": p.nom,
                "etat": p.etat,
                "contexte": p.contexte_version,
                "verifie_le": p.verifie_le.isoformat() if p.verifie_le else None,
            }
            for p in postes
        ],
    )
    tracer(
        acteur=par,
        action=Trace.Action.DECISION,
        objet_type="sujets.signaturepostes",
        objet_id=signature.pk,
        objet_libelle=f"préparation des postes E5B — centre {centre.code}",
        apres={"prets": len(prets), "declares": len(postes), "contexte": version},
    )
    return signature
