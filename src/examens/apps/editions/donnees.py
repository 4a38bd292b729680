"""Des données de la base aux données figées des documents (`examens.documents`).

Chaque modèle a un « sélecteur d'édition » : à partir de la session et des paramètres (centre, jury…),
il rend le nombre de documents et un itérateur d'`AEmettre`, construit par lots de `LOT` candidats avec
un nombre constant de requêtes par lot (mémoire bornée, 25 000 convocations sans tout charger).
L'instant d'émission et le numéro de version de l'en-tête sont posés par le service d'édition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from examens.apps.candidats.models import Candidat, Dispense
from examens.apps.editions.models import Version
from examens.apps.editions.services import AEmettre
from examens.apps.jury.models import Jury
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.core.reglement import Reglement, reglement_fourni

LOT = 500
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # remplacé à l'émission par l'instant réel

AMENAGEMENTS = (
    ("salle_a_part", "salle à part"),
    ("secretaire", "secrétaire"),
    ("ordinateur", "ordinateur"),
    ("sujet_agrandi", "sujet agrandi"),
)


@dataclass(frozen=True, slots=True)
class Selection:
    total: int
    elements: Iterable[AEmettre]


@dataclass(frozen=True, slots=True)
class AEnvoyer:
    total: int
    versions: Iterable[tuple[Version, str]]
    objet: str
    corps: str


# --- Paramètres --------------------------------------------------------------------------------------


def centre_de(session: ExamSession, code: str) -> Centre:
    centre = Centre.objects.select_related("academie").filter(code=code).first()
    if centre is None:
        raise ValueError(f"centre « {code} » inconnu (donnez son code UAI, par ex. 0630001A).")
    return centre


def epreuve_ecrite_de(session: ExamSession, code: str) -> EpreuveEcrite:
    epreuve = EpreuveEcrite.objects.filter(session=session, epreuve=code.strip().upper()).first()
    if epreuve is None:
        codes = ", ".join(session.calendrier.order_by("debut").values_list("epreuve", flat=True)) or "aucune"
        raise ValueError(f"épreuve écrite « {code} » absente du calendrier de la session (épreuves : {codes}).")
    return epreuve


def jury_de(session: ExamSession, nom: str) -> Jury:
    qs = Jury.objects.filter(session=session)
    jury = (qs.filter(pk=int(nom)).first() if nom.isdigit() else None) or qs.filter(nom=nom).first()
    if jury is None:
        noms = ", ".join(f"« {n} »" for n in qs.values_list("nom", flat=True)[:10]) or "aucun"
        raise ValueError(f"jury « {nom} » inconnu dans la session {session.code} (jurys : {noms}).")
    return jury


PAR_CENTRE = {
    "convocation-candidat",
    "convocation-examinateur",
    "emargement",
    "planning-commission",
    "grille-e5b",
    "evaluation-engagement",
    "fiche-sujet-e4",
    "plan-salle",
}
PAR_JURY = {"pv-deliberation", "releve-notes", "attestation-blocs"}


def valider_parametres(session: ExamSession, modele: str, parametres: dict[str, Any]) -> None:
    """Erreur française (ValueError) si les paramètres ne désignent rien d'existant ou manquent."""
    if modele in PAR_CENTRE and not parametres.get("centre"):
        raise ValueError("précisez le centre : --centre CODE (code UAI du centre d'examen).")
    if modele in PAR_JURY and not parametres.get("jury"):
        raise ValueError("précisez le jury : --jury NOM (ou son numéro).")
    if parametres.get("centre"):
        centre_de(session, parametres["centre"])
    if parametres.get("jury"):
        jury_de(session, parametres["jury"])
    if parametres.get("epreuve"):
        epreuve_ecrite_de(session, parametres["epreuve"])
    if modele not in SELECTIONS:
        raise ValueError(f"le modèle « {modele} » ne s'édite pas encore en masse.")


def selection(session: ExamSession, modele: str, parametres: dict[str, Any]) -> Selection:
    valider_parametres(session, modele, parametres)
    return SELECTIONS[modele](session, parametres)


# --- Utilitaires ------------------------------------------------------------------------------------


def _par_lots(qs: QuerySet[Candidat]) -> Iterator[list[int]]:
    ids = iter(qs.order_by("numero").values_list("id", flat=True).iterator(chunk_size=5000))
    while lot := list(islice(ids, LOT)):
        yield lot


def _edition(reference: str, academie: str, fuseau: str, session: ExamSession) -> Any:
    from examens.documents.commun import Edition

    return Edition(reference=reference, emis_le=EPOCH, academie=academie, fuseau=fuseau, session=_annee(session))


def _annee(session: ExamSession) -> int:
    """L'année de la session : celle du code (« bts-ndrc-2022 »), sinon celle de la première épreuve écrite."""
    annees = re.findall(r"(?<!\d)(\d{4})(?!\d)", session.code)
    if annees:
        return int(annees[-1])
    premiere = session.calendrier.order_by("debut").first()
    return premiere.debut.year if premiere is not None else timezone.now().year


def _centre_document(centre: Centre) -> Any:
    from examens.documents.commun import Centre as CentreDocument

    return CentreDocument(
        code=centre.code, nom=centre.nom, adresse=(centre.ville,) if centre.ville else (), fuseau=centre.fuseau
    )


# --- Salles des écrits ---------------------------------------------------------------------------------

SALLE_A_PRECISER = "affichée à l'entrée du centre"


def repartition_ecrits(centre: Centre, candidats: QuerySet[Candidat]) -> dict[int, tuple[str, str]]:
    """Salle et table de chaque candidat aux écrits : la même sur la convocation et sur l'émargement.

    Répartition simple et déterministe en attendant la répartition du jour J (issue « Épreuves écrites ») :
    par numéro de candidat, les salles d'écrit du centre remplies de la plus grande à la plus petite ; les
    candidats qui composent en salle à part vont dans la plus petite. Sans salle (ou au-delà des places), la
    salle est « affichée à l'entrée du centre ». Deux requêtes.

    Quand la répartition du jour J est enregistrée (application « ecrits », `examens repartir-ecrits`), c'est
    elle qui fait foi : salle et table réelles (un candidat sans place : salle affichée à l'entrée).
    """
    from django.apps import apps

    from examens.apps.organisation.models import Salle

    if apps.is_installed("examens.apps.ecrits"):
        from examens.apps.ecrits.selectors import places_enregistrees

        enregistrees = places_enregistrees(centre=centre, candidats=candidats)
        if enregistrees:
            return {
                cid: enregistrees.get(cid, (SALLE_A_PRECISER, "")) for cid in candidats.values_list("id", flat=True)
            }
    salles = list(
        Salle.objects.filter(centre=centre, type=Salle.Type.ECRIT)
        .order_by("-capacite", "nom")
        .values_list("nom", "capacite")
    )
    lignes = list(candidats.order_by("numero").values_list("id", "salle_a_part"))
    if not salles:
        return {cid: (SALLE_A_PRECISER, "") for cid, _ in lignes}
    a_part = salles[-1] if len(salles) > 1 else None
    places = {nom: 0 for nom, _ in salles}
    ordinaires = [s for s in salles if s != a_part]
    resultat: dict[int, tuple[str, str]] = {}
    for cid, separe in lignes:
        choix = [a_part] if separe and a_part is not None else ordinaires
        salle = next((s for s in choix if places[s[0]] < s[1]), None)
        if salle is None:
            resultat[cid] = (SALLE_A_PRECISER, "")
            continue
        places[salle[0]] += 1
        resultat[cid] = (salle[0], str(places[salle[0]]))
    return resultat


# --- Convocations des candidats -----------------------------------------------------------------------


def oraux_du_centre(centre: Centre) -> dict[int, tuple[Any, ...]]:
    """Les passages planifiés et publiés (application « planification ») de chaque candidat du centre."""
    from django.apps import apps

    if not apps.is_installed("examens.apps.planification"):
        return {}
    from examens.apps.planification.selectors import passages_du_centre
    from examens.documents.convocations import ConvocationOral

    resultat: dict[int, list[Any]] = {}
    for p in passages_du_centre(centre):
        preparation = p.debut - p.debut_preparation if p.debut_preparation is not None else timedelta(0)
        resultat.setdefault(p.candidat_id, []).append(
            ConvocationOral(
                epreuve=p.epreuve,
                intitule=p.epreuve_libelle,
                debut=p.debut,
                duree_minutes=int((p.fin - p.debut).total_seconds() // 60),
                commission=p.commission,
                preparation_minutes=int(preparation.total_seconds() // 60),
                loge=p.loge or None,
                salle=p.salle or None,
            )
        )
    return {cid: tuple(sorted(v, key=lambda o: o.debut)) for cid, v in resultat.items()}


def _intitule(reglement: Reglement, code: str) -> str:
    try:
        return reglement.epreuve(code).intitule
    except KeyError:
        return {"ENGAGEMENT": "Engagement étudiant", "CONTROLE": "Épreuve de contrôle"}.get(code, code)


def convocations_candidats(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    from examens.documents.commun import IdentiteCandidat
    from examens.documents.convocations import ConvocationCandidat, ConvocationEcrit

    centre = centre_de(session, parametres["centre"])
    reglement = reglement_fourni(session.reglement)
    candidats = Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
    total = candidats.count()
    calendrier = list(session.calendrier.order_by("debut"))
    unite_de = {e.epreuve: reglement.epreuve(e.epreuve).unite for e in calendrier}
    salles = repartition_ecrits(centre, candidats)
    centre_doc = _centre_document(centre)
    oraux = oraux_du_centre(centre)
    champs = ("id", "numero", "nom", "prenoms", "date_naissance", "temps_majore", *(a for a, _ in AMENAGEMENTS))

    def elements() -> Iterator[AEmettre]:
        for ids in _par_lots(candidats):
            dispenses: dict[int, set[str]] = {}
            for cid, unite in Dispense.objects.filter(candidat_id__in=ids).values_list("candidat_id", "unite"):
                dispenses.setdefault(cid, set()).add(unite)
            for ligne in Candidat.objects.filter(id__in=ids).order_by("numero").values(*champs):
                cid = ligne["id"]
                salle, place = salles.get(cid, (SALLE_A_PRECISER, ""))
                ecrits = tuple(
                    ConvocationEcrit(
                        epreuve=e.epreuve,
                        intitule=_intitule(reglement, e.epreuve),
                        debut=e.debut,
                        duree_minutes=e.duree_minutes,
                        temps_de_loge_minutes=e.temps_de_loge_minutes,
                        salle=salle,
                        place=place or None,
                    )
                    for e in calendrier
                    if unite_de[e.epreuve] not in dispenses.get(cid, ())
                )
                yield AEmettre(
                    cle=f"candidat:{ligne['numero']}",
                    intitule=f"Convocation de {ligne['nom']} {ligne['prenoms']} ({ligne['numero']})",
                    donnees=ConvocationCandidat(
                        edition=_edition(f"CONV-{ligne['numero']}", centre.academie.nom, centre.fuseau, session),
                        candidat=IdentiteCandidat(
                            numero=ligne["numero"],
                            nom=ligne["nom"],
                            prenoms=ligne["prenoms"],
                            date_naissance=ligne["date_naissance"],
                        ),
                        centre=centre_doc,
                        ecrits=ecrits,
                        oraux=oraux.get(cid, ()),
                        temps_majore=ligne["temps_majore"],
                        amenagements=tuple(libelle for champ, libelle in AMENAGEMENTS if ligne[champ]),
                    ),
                    candidat_id=cid,
                    centre_id=centre.pk,
                )

    return Selection(total, elements())


def emargements(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Une feuille d'émargement par épreuve écrite et par salle (répartition de `repartition_ecrits`)."""
    from examens.documents.emargement import CandidatEmargement, Emargement

    centre = centre_de(session, parametres["centre"])
    reglement = reglement_fourni(session.reglement)
    candidats = Candidat.objects.filter(session=session, centre=centre, desiste_le__isnull=True)
    salles = repartition_ecrits(centre, candidats)
    calendrier = list(session.calendrier.order_by("debut"))
    dispenses: dict[int, set[str]] = {}
    for cid, unite in Dispense.objects.filter(candidat__in=candidats).values_list("candidat_id", "unite"):
        dispenses.setdefault(cid, set()).add(unite)
    champs = ("id", "numero", "nom", "prenoms", "temps_majore", *(a for a, _ in AMENAGEMENTS))
    lignes = list(candidats.order_by("numero").values(*champs))
    noms_salles = sorted({salle for salle, _ in salles.values()})
    centre_doc = _centre_document(centre)

    def elements() -> Iterator[AEmettre]:
        for e in calendrier:
            unite = reglement.epreuve(e.epreuve).unite
            for nom_salle in noms_salles:
                presents = [
                    CandidatEmargement(
                        numero=ligne["numero"],
                        nom=ligne["nom"],
                        prenoms=ligne["prenoms"],
                        amenagements=tuple(
                            (["tiers temps"] if ligne["temps_majore"] else [])
                            + [libelle for champ, libelle in AMENAGEMENTS if ligne[champ]]
                        ),
                        place=salles[ligne["id"]][1] or None,
                    )
                    for ligne in lignes
                    if salles[ligne["id"]][0] == nom_salle and unite not in dispenses.get(ligne["id"], ())
                ]
                if not presents:
                    continue
                yield AEmettre(
                    cle=f"{centre.code}:{e.epreuve}:{nom_salle}",
                    intitule=f"Émargement {e.epreuve} — {centre.nom}, {nom_salle}",
                    donnees=Emargement(
                        edition=_edition(
                            f"EMARG-{centre.code}-{e.epreuve}", centre.academie.nom, centre.fuseau, session
                        ),
                        centre=centre_doc,
                        salle=nom_salle,
                        epreuve=e.epreuve,
                        intitule=_intitule(reglement, e.epreuve),
                        debut=e.debut,
                        candidats=tuple(presents),
                        duree_minutes=e.duree_minutes,
                        temps_de_loge_minutes=e.temps_de_loge_minutes,
                    ),
                    centre_id=centre.pk,
                )

    total = sum(1 for _ in elements())
    return Selection(total, elements())


# --- Examinateurs et commissions (d'après les passages planifiés et publiés) --------------------------------


def _passages_publies(centre: Centre) -> list[Any]:
    from django.apps import apps

    if not apps.is_installed("examens.apps.planification"):
        return []
    from examens.apps.planification.selectors import passages_du_centre

    return passages_du_centre(centre)


def convocations_examinateurs(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Une convocation par examinateur siégeant dans une commission du centre, avec tous ses passages."""
    from examens.apps.examinateurs.models import Examinateur
    from examens.documents.convocations import ConvocationExaminateur, IdentiteExaminateur, PassageExaminateur

    centre = centre_de(session, parametres["centre"])
    par_examinateur: dict[str, list[Any]] = {}
    for p in _passages_publies(centre):
        for code in p.examinateurs:
            par_examinateur.setdefault(code, []).append(p)
    examinateurs = {
        x.code: x
        for x in Examinateur.objects.filter(session=session, code__in=par_examinateur).select_related("etablissement")
    }
    centre_doc = _centre_document(centre)

    def elements() -> Iterator[AEmettre]:
        for code in sorted(par_examinateur):
            x = examinateurs[code]
            yield AEmettre(
                cle=f"examinateur:{code}:{centre.code}",
                intitule=f"Convocation de l'examinateur {x.prenom} {x.nom} ({code}) — {centre.nom}",
                donnees=ConvocationExaminateur(
                    edition=_edition(f"CONVX-{code}", centre.academie.nom, centre.fuseau, session),
                    examinateur=IdentiteExaminateur(
                        code=code,
                        nom=x.nom,
                        prenom=x.prenom,
                        qualite=x.get_qualite_display(),
                        etablissement=x.etablissement.nom if x.etablissement else None,
                    ),
                    centres=(centre_doc,),
                    passages=tuple(
                        PassageExaminateur(
                            centre=centre.code,
                            epreuve=p.epreuve,
                            intitule=p.epreuve_libelle,
                            debut=p.debut,
                            fin=p.fin,
                            commission=p.commission,
                            candidat_numero=p.candidat_numero,
                            candidat_nom=f"{p.candidat_nom} {p.candidat_prenoms}",
                            salle=p.salle,
                        )
                        for p in par_examinateur[code]
                    ),
                ),
                examinateur_id=x.pk,
                centre_id=centre.pk,
            )

    return Selection(len(par_examinateur), elements())


def plannings_commissions(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Le planning de chaque commission du centre, jour par jour."""
    from examens.apps.examinateurs.models import Examinateur
    from examens.documents.commissions import MembreCommission, PassageCommission, PlanningCommission

    centre = centre_de(session, parametres["centre"])
    par_commission: dict[str, list[Any]] = {}
    for p in _passages_publies(centre):
        par_commission.setdefault(p.commission, []).append(p)
    codes = {c for ps in par_commission.values() for p in ps for c in p.examinateurs}
    examinateurs = {
        x.code: x for x in Examinateur.objects.filter(session=session, code__in=codes).select_related("etablissement")
    }
    centre_doc = _centre_document(centre)

    def membre(code: str) -> Any:
        x = examinateurs[code]
        qualite = x.get_qualite_display() + (f" (bloc {x.bloc})" if x.bloc else "")
        return MembreCommission(
            nom=f"{x.prenom} {x.nom}", qualite=qualite, etablissement=x.etablissement.nom if x.etablissement else None
        )

    def elements() -> Iterator[AEmettre]:
        for commission in sorted(par_commission):
            passages = par_commission[commission]
            yield AEmettre(
                cle=f"commission:{centre.code}:{commission}",
                intitule=f"Planning de la commission {commission} — {centre.nom}",
                donnees=PlanningCommission(
                    edition=_edition(f"PLAN-{centre.code}-{commission}", centre.academie.nom, centre.fuseau, session),
                    centre=centre_doc,
                    commission=commission,
                    membres=tuple(membre(c) for c in passages[0].examinateurs),
                    passages=tuple(
                        PassageCommission(
                            epreuve=p.epreuve,
                            intitule=p.epreuve_libelle,
                            debut=p.debut,
                            fin=p.fin,
                            candidat_numero=p.candidat_numero,
                            candidat_nom=f"{p.candidat_nom} {p.candidat_prenoms}",
                            preparation_debut=p.debut_preparation,
                            loge=p.loge,
                            sujet=p.sujet,
                        )
                        for p in passages
                    ),
                    salle=passages[0].salle,
                ),
                centre_id=centre.pk,
            )

    return Selection(len(par_commission), elements())


def grilles_e5b(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """La grille d'évaluation de chaque passage E5B du centre, avec le sujet attribué (WP-… ou PS-…)."""
    from examens.documents.commissions import COMPETENCES_E5B, CritereEvaluation, GrilleE5B, Support

    centre = centre_de(session, parametres["centre"])
    passages = [p for p in _passages_publies(centre) if p.epreuve == "E5B"]
    centre_doc = _centre_document(centre)
    bareme = Decimal(20) / len(COMPETENCES_E5B)
    criteres = tuple(
        CritereEvaluation(competence=f"C{i}", intitule=c, bareme=bareme) for i, c in enumerate(COMPETENCES_E5B, 1)
    )

    def elements() -> Iterator[AEmettre]:
        for p in passages:
            sujet = p.sujet or ""
            yield AEmettre(
                cle=f"candidat:{p.candidat_numero}",
                intitule=f"Grille E5B de {p.candidat_numero} — sujet {sujet or 'à attribuer'}",
                donnees=GrilleE5B(
                    edition=_edition(f"E5B-{p.candidat_numero}", centre.academie.nom, centre.fuseau, session),
                    centre=centre_doc,
                    candidat_numero=p.candidat_numero,
                    commission=p.commission,
                    debut=p.debut,
                    support=Support.PRESTASHOP if sujet.upper().startswith("PS") else Support.WORDPRESS,
                    sujet=sujet or "à attribuer",
                    criteres=criteres,
                ),
                candidat_id=p.candidat_id,
                centre_id=centre.pk,
            )

    return Selection(len(passages), elements())


def evaluations_engagement(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """La fiche d'évaluation (vierge) de chaque passage de l'engagement étudiant du centre."""
    from examens.apps.examinateurs.models import Examinateur
    from examens.documents.commissions import (
        CRITERES_ENGAGEMENT,
        CritereEngagement,
        EvaluationEngagement,
        MembreCommission,
    )
    from examens.documents.commun import IdentiteCandidat

    centre = centre_de(session, parametres["centre"])
    passages = [p for p in _passages_publies(centre) if p.epreuve == "ENGAGEMENT"]
    naissances = dict(
        Candidat.objects.filter(id__in=[p.candidat_id for p in passages]).values_list("id", "date_naissance")
    )
    examinateurs = {
        x.code: x
        for x in Examinateur.objects.filter(session=session, code__in={c for p in passages for c in p.examinateurs})
    }
    centre_doc = _centre_document(centre)
    criteres = tuple(CritereEngagement(intitule=c) for c in CRITERES_ENGAGEMENT)

    def elements() -> Iterator[AEmettre]:
        for p in passages:
            yield AEmettre(
                cle=f"candidat:{p.candidat_numero}",
                intitule=f"Évaluation de l'engagement étudiant de {p.candidat_numero}",
                donnees=EvaluationEngagement(
                    edition=_edition(f"ENG-{p.candidat_numero}", centre.academie.nom, centre.fuseau, session),
                    candidat=IdentiteCandidat(
                        numero=p.candidat_numero,
                        nom=p.candidat_nom,
                        prenoms=p.candidat_prenoms,
                        date_naissance=naissances[p.candidat_id],
                    ),
                    centre=centre_doc,
                    commission=p.commission,
                    membres=tuple(
                        MembreCommission(
                            nom=f"{examinateurs[c].prenom} {examinateurs[c].nom}",
                            qualite=examinateurs[c].get_qualite_display(),
                        )
                        for c in p.examinateurs
                    ),
                    debut=p.debut,
                    criteres=criteres,
                ),
                candidat_id=p.candidat_id,
                centre_id=centre.pk,
            )

    return Selection(len(passages), elements())


# --- Résultats : procès-verbal, relevés, attestations, liste ----------------------------------------------


def _decimal(texte: str | None) -> Decimal | None:
    return Decimal(texte.replace(",", ".")) if texte else None


def _decisions_du_jury(session: ExamSession, jury: Jury) -> list[dict[str, Any]]:
    """Les décisions en vigueur des candidats du jury, triées par numéro de candidat. Deux requêtes."""
    from examens.apps.jury.models import DecisionJury
    from examens.apps.notes.selectors import candidats_concernes

    candidats = candidats_concernes(session=session, jury=jury)
    return list(
        DecisionJury.objects.en_vigueur()
        .filter(candidat__in=candidats.values("id"))
        .order_by("candidat__numero")
        .values(
            "candidat_id", "candidat__numero", "candidat__nom", "candidat__prenoms", "candidat__date_naissance",
            "candidat__etablissement__nom", "candidat__courriel", "decision", "motif", "apres_controle", "points",
            "diviseur", "moyenne", "unites_obtenues", "decidee_le",
        )
    )  # fmt: skip


def _edition_jury(session: ExamSession, jury: Jury, reference: str) -> Any:
    academie = session.academie_pilote
    return _edition(reference, academie.nom, academie.fuseau, session)


def _membres(jury: Jury) -> tuple[Any, ...]:
    from examens.documents.resultats import MembreJury

    membres = [MembreJury(nom=jury.president, qualite="président du jury", president=True)] if jury.president else []
    membres += [MembreJury(nom=m.nom, qualite=m.get_qualite_display()) for m in jury.membres.order_by("nom")]
    return tuple(membres)


def pv_deliberation(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Le procès-verbal d'un jury : exactement les décisions et moyennes en vigueur de la délibération."""
    from examens.apps.jury.anonymat import numero_anonyme
    from examens.apps.notes.models import Etat as EtatBase
    from examens.apps.notes.models import Resultat
    from examens.core.deliberation import Decision, Motif
    from examens.documents.resultats import LignePV, PVDeliberation, Variante

    jury = jury_de(session, parametres["jury"])
    variante = Variante(parametres.get("variante", "anonyme"))
    decisions = _decisions_du_jury(session, jury)
    presents = set(
        Resultat.objects.filter(candidat_id__in=[d["candidat_id"] for d in decisions], origine="session")
        .exclude(etat__in=[EtatBase.ABSENT, EtatBase.ABSENT_JUSTIFIE])
        .values_list("candidat_id", flat=True)
        .distinct()
    )
    lignes = []
    for d in decisions:
        anonyme = variante is Variante.ANONYME
        lignes.append(
            LignePV(
                numero=numero_anonyme(session.code, d["candidat__numero"]) if anonyme else d["candidat__numero"],
                decision=Decision(d["decision"]),
                nom="" if anonyme else d["candidat__nom"],
                prenoms="" if anonyme else d["candidat__prenoms"],
                present=d["candidat_id"] in presents,
                points=d["points"],
                diviseur=d["diviseur"],
                moyenne=_decimal(d["moyenne"]),
                motif=Motif(d["motif"]) if d["motif"] else None,
                apres_controle=d["apres_controle"],
            )
        )
    if variante is Variante.ANONYME:
        lignes.sort(key=lambda ligne: ligne.numero)
    delibere_le = max((d["decidee_le"] for d in decisions), default=timezone.now())
    centre = jury.centres.order_by("nom").first()
    donnees = PVDeliberation(
        edition=_edition_jury(session, jury, f"PV-{jury.pk}-{variante.value}"),
        jury=jury.nom,
        delibere_le=delibere_le,
        lieu=(centre.ville or centre.nom) if centre is not None else session.academie_pilote.nom,
        variante=variante,
        lignes=tuple(lignes),
        membres=_membres(jury),
    )
    element = AEmettre(
        cle=f"jury:{jury.pk}:{variante.value}",
        intitule=f"Procès-verbal {variante.value} — {jury.nom}",
        donnees=donnees,
        jury_id=jury.pk,
    )
    return Selection(1, [element])


def _resultats_epreuves(reglement: Reglement, entree: Any) -> tuple[Any, ...]:
    from examens.core.resultats import Etat, Note, Origine
    from examens.documents.resultats import ResultatEpreuve

    lignes = []
    for e in reglement.epreuves.values():
        r = entree.resultats.get(e.code)
        controle = entree.controle.get(e.code)
        note = r.valeur if isinstance(r, Note) else None
        if note is not None:
            points = max(Decimal(0), note - 10) if e.facultative else note * e.coefficient
        else:
            points = None
        if r is None and e.facultative:
            continue  # épreuve facultative non choisie
        lignes.append(
            ResultatEpreuve(
                epreuve=e.code,
                intitule=e.intitule,
                coefficient=e.coefficient,
                facultative=e.facultative,
                note=note,
                etat=r if isinstance(r, Etat) else None,
                origine=r.origine if isinstance(r, Note) else Origine.SESSION,
                annee=r.annee if isinstance(r, Note) else None,
                note_controle=controle.valeur if isinstance(controle, Note) else None,
                points=points,
            )
        )
    return tuple(lignes)


def _entrees_du_lot(lot: list[dict[str, Any]], reglement: Reglement) -> dict[int, Any]:
    """Les résultats (entrées du moteur) des candidats d'un lot de décisions, par identifiant. Requêtes : 6."""
    from examens.apps.notes.selectors import entrees_de_deliberation

    candidats = Candidat.objects.filter(id__in=[d["candidat_id"] for d in lot])
    return {e.candidat_id: e.entree for e in entrees_de_deliberation(candidats=candidats, reglement=reglement)}


def releves_notes(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Un relevé de notes par candidat du jury ayant une décision en vigueur."""
    from examens.core.deliberation import Decision, Motif
    from examens.documents.commun import IdentiteCandidat
    from examens.documents.resultats import ReleveNotes, UniteObtenue

    jury = jury_de(session, parametres["jury"])
    reglement = reglement_fourni(session.reglement)
    decisions = _decisions_du_jury(session, jury)

    def elements() -> Iterator[AEmettre]:
        for debut in range(0, len(decisions), LOT):
            lot = decisions[debut : debut + LOT]
            entrees = _entrees_du_lot(lot, reglement)
            for d in lot:
                numero = d["candidat__numero"]
                yield AEmettre(
                    cle=f"candidat:{numero}",
                    intitule=f"Relevé de notes de {d['candidat__nom']} {d['candidat__prenoms']} ({numero})",
                    donnees=ReleveNotes(
                        edition=_edition_jury(session, jury, f"RN-{numero}"),
                        candidat=IdentiteCandidat(
                            numero=numero,
                            nom=d["candidat__nom"],
                            prenoms=d["candidat__prenoms"],
                            date_naissance=d["candidat__date_naissance"],
                        ),
                        resultats=_resultats_epreuves(reglement, entrees[d["candidat_id"]]),
                        decision=Decision(d["decision"]),
                        points=d["points"],
                        diviseur=d["diviseur"],
                        moyenne=_decimal(d["moyenne"]),
                        motif=Motif(d["motif"]) if d["motif"] else None,
                        apres_controle=d["apres_controle"],
                        unites_obtenues=tuple(
                            UniteObtenue(code=u, intitule=reglement.unites[u].intitule, bloc=reglement.unites[u].bloc)
                            for u in d["unites_obtenues"]
                            if u in reglement.unites
                        ),
                        etablissement=d["candidat__etablissement__nom"],
                        jury=jury.nom,
                        delibere_le=timezone.localtime(d["decidee_le"]).date(),
                    ),
                    candidat_id=d["candidat_id"],
                    jury_id=jury.pk,
                )

    return Selection(len(decisions), elements())


def attestations_blocs(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Une attestation des blocs obtenus pour chaque candidat non admis qui en a obtenu au moins un."""
    from examens.core.deliberation import Decision
    from examens.core.resultats import Note
    from examens.documents.commun import IdentiteCandidat
    from examens.documents.resultats import AttestationBlocs, BlocObtenu

    jury = jury_de(session, parametres["jury"])
    reglement = reglement_fourni(session.reglement)
    concernes = [
        d
        for d in _decisions_du_jury(session, jury)
        if d["decision"] in (Decision.AJOURNE.value, Decision.INCOMPLET.value) and d["unites_obtenues"]
    ]
    annee = _annee(session)
    centre = jury.centres.order_by("nom").first()
    lieu = (centre.ville or centre.nom) if centre is not None else session.academie_pilote.nom

    def elements() -> Iterator[AEmettre]:
        for debut in range(0, len(concernes), LOT):
            lot = concernes[debut : debut + LOT]
            entrees = _entrees_du_lot(lot, reglement)
            for d in lot:
                numero = d["candidat__numero"]
                resultats = entrees[d["candidat_id"]].resultats
                blocs = []
                for code in d["unites_obtenues"]:
                    unite = reglement.unites.get(code)
                    if unite is None:
                        continue
                    notes = [resultats.get(e) for e in unite.epreuves]
                    valeurs = [n for n in notes if isinstance(n, Note)]
                    if not valeurs:
                        continue  # unité obtenue par dispense : rien à attester ici
                    blocs.append(
                        BlocObtenu(
                            unite=code,
                            intitule=unite.intitule,
                            note=valeurs[0].valeur,
                            session=valeurs[0].annee or annee,
                            bloc=unite.bloc,
                        )
                    )
                if not blocs:
                    continue
                yield AEmettre(
                    cle=f"candidat:{numero}",
                    intitule=f"Attestation de blocs de {d['candidat__nom']} {d['candidat__prenoms']} ({numero})",
                    donnees=AttestationBlocs(
                        edition=_edition_jury(session, jury, f"AB-{numero}"),
                        candidat=IdentiteCandidat(
                            numero=numero,
                            nom=d["candidat__nom"],
                            prenoms=d["candidat__prenoms"],
                            date_naissance=d["candidat__date_naissance"],
                        ),
                        blocs=tuple(blocs),
                        decision=Decision(d["decision"]),
                        lieu=lieu,
                    ),
                    candidat_id=d["candidat_id"],
                    jury_id=jury.pk,
                )

    return Selection(len(concernes), elements())


def liste_resultats(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """La liste des résultats d'un jury (ou de la session), par centre ; PDF ou XLSX (`format`)."""
    from examens.apps.jury.models import DecisionJury
    from examens.core.deliberation import Decision
    from examens.documents.resultats import GroupeResultats, LigneResultat, ListeResultats

    qs = DecisionJury.objects.en_vigueur().filter(candidat__session=session)
    jury = None
    if parametres.get("jury"):
        from examens.apps.notes.selectors import candidats_concernes

        jury = jury_de(session, parametres["jury"])
        qs = qs.filter(candidat__in=candidats_concernes(session=session, jury=jury).values("id"))
    groupes: dict[str, list[Any]] = {}
    for centre, ville, numero, nom, prenoms, decision, apres in qs.order_by(
        "candidat__centre__nom", "candidat__nom", "candidat__prenoms", "candidat__numero"
    ).values_list(
        "candidat__centre__nom", "candidat__centre__ville", "candidat__numero", "candidat__nom", "candidat__prenoms",
        "decision", "apres_controle",
    ):  # fmt: skip
        intitule = f"{centre} ({ville})" if centre and ville else centre or "Sans centre"
        groupes.setdefault(intitule, []).append(
            LigneResultat(numero=numero, nom=nom, prenoms=prenoms, decision=Decision(decision), apres_controle=apres)
        )
    cle = f"jury:{jury.pk}" if jury is not None else "session"
    donnees = ListeResultats(
        edition=_edition(f"RES-{cle}", session.academie_pilote.nom, session.academie_pilote.fuseau, session),
        regroupement="centre",
        groupes=tuple(GroupeResultats(intitule=k, lignes=tuple(v)) for k, v in groupes.items()),
    )
    return Selection(
        1,
        [
            AEmettre(
                cle=cle,
                intitule=f"Liste des résultats — {jury.nom if jury else session.intitule}",
                donnees=donnees,
                jury_id=jury.pk if jury else None,
            )
        ],
    )


def fiches_sujets_e4(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Les fiches-sujets E4 prêtes du centre : construites par l'application « sujets »."""
    from examens.apps.sujets.editions import fiches_sujets_e4 as construire

    return construire(session, parametres)


def bordereaux_lots(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Les bordereaux des lots de copies des écrits : construits par l'application « ecrits »."""
    from examens.apps.ecrits.editions import bordereaux_lots as construire

    return construire(session, parametres)


def plans_salle(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    """Les plans de salle des écrits d'un centre : construits par l'application « ecrits »."""
    from examens.apps.ecrits.editions import plans_salle as construire

    return construire(session, parametres)


SELECTIONS: dict[str, Callable[[ExamSession, dict[str, Any]], Selection]] = {
    "pv-deliberation": pv_deliberation,
    "releve-notes": releves_notes,
    "attestation-blocs": attestations_blocs,
    "liste-resultats": liste_resultats,
    "convocation-candidat": convocations_candidats,
    "convocation-examinateur": convocations_examinateurs,
    "planning-commission": plannings_commissions,
    "grille-e5b": grilles_e5b,
    "evaluation-engagement": evaluations_engagement,
    "fiche-sujet-e4": fiches_sujets_e4,
    "emargement": emargements,
    "bordereau-lot": bordereaux_lots,
    "plan-salle": plans_salle,
}


# --- Envois -----------------------------------------------------------------------------------------

OBJETS = {
    "convocation-candidat": (
        "Votre convocation — BTS NDRC session 2022",
        "Madame, Monsieur,\n\nVous trouverez ci-joint votre convocation aux épreuves du BTS Négociation et "
        "Digitalisation de la Relation Client. Les heures indiquées sont celles du lieu de votre centre "
        "d'examen. Présentez-vous avec cette convocation et une pièce d'identité officielle avec photographie.",
    ),
    "convocation-examinateur": (
        "Votre convocation d'examinateur — BTS NDRC session 2022",
        "Madame, Monsieur,\n\nVous trouverez ci-joint votre convocation et la liste de vos passages. Les heures "
        "indiquées sont celles du lieu du centre d'examen.",
    ),
    "releve-notes": (
        "Votre relevé de notes — BTS NDRC session 2022",
        "Madame, Monsieur,\n\nVous trouverez ci-joint votre relevé de notes.",
    ),
}


def a_envoyer(session: ExamSession, modele: str, parametres: dict[str, Any]) -> AEnvoyer:
    """La dernière version de chaque document du modèle, avec l'adresse de son destinataire."""
    from examens.apps.editions.selectors import versions_en_vigueur

    valider_parametres(session, modele, parametres)
    if modele not in OBJETS:
        raise ValueError(f"le modèle « {modele} » ne s'envoie pas par courriel.")
    versions = versions_en_vigueur(session, modele, parametres).select_related(
        "document__candidat", "document__examinateur"
    )

    def paires() -> Iterator[tuple[Version, str]]:
        for v in versions.iterator(chunk_size=500):
            personne = v.document.candidat or v.document.examinateur
            yield v, (personne.courriel if personne is not None else "")

    objet, corps = OBJETS[modele]
    return AEnvoyer(versions.count(), paires(), objet, corps)
