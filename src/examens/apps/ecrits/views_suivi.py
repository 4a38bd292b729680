"""Pages du suivi des copies des écrits (DSFR) : chaque copie, de l'anonymat à la note harmonisée, avec qui a
fait quoi ; la commission d'harmonisation (ajustements motivés, verrouillage, levée d'anonymat) ; les documents
(bordereaux de lots, plans de salle) édités par le service d'édition tracée et servis par `servir_version`.

| page                                   | qui                                                                   |
|----------------------------------------|-----------------------------------------------------------------------|
| suivi des copies d'une épreuve         | gestionnaire : les copies composées dans les centres de son académie  |
|                                        | (toute la session pour l'académie pilote) ; numéros d'anonymat, noms  |
|                                        | sur demande (lecture tracée de la correspondance)                     |
| suivi d'une copie (chronologie)        | idem (copie d'un centre hors périmètre : 404)                         |
| suivi d'un lot (bordereau, note à note)| gestionnaire d'un centre du lot (centre de correction ou d'examen)    |
| commission d'harmonisation             | lecture : gestionnaire de la session ; décisions : académie pilote    |
| documents d'un centre (plans de salle) | gestionnaire de l'académie, chef du centre                            |

Un correcteur n'ouvre aucune de ces pages (403) : il ne relie jamais une copie à un nom.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import habilitations_de, roles_de
from examens.apps.ecrits import selectors_suivi, services
from examens.apps.ecrits.erreurs import HarmonisationImpossible
from examens.apps.ecrits.forms_suivi import (
    FormulaireAjustementLot,
    FormulaireCommission,
    FormulaireMotif,
    FormulairePlans,
)
from examens.apps.ecrits.models import CommissionHarmonisation, Copie, Lot
from examens.apps.ecrits.views import _centre, _gestionnaire, _session
from examens.apps.editions.models import Version
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.apps.web.telechargements import servir_version
from examens.apps.web.views import HORS_DROITS, habilite
from examens.core.erreurs import ErreurExamens

REFUS_COMMISSION = (
    "Les décisions de la commission d'harmonisation (composition, ajustements, verrouillage, levée d'anonymat) "
    "reviennent au gestionnaire de l'académie pilote : l'épreuve est nationale."
)

SANS_COMMISSION = "{epreuve} : composez d'abord la commission d'harmonisation (président, membres)."

# --- Périmètre ------------------------------------------------------------------------------------------------


def centres_du_gestionnaire(utilisateur: Any, session: ExamSession) -> QuerySet[Centre]:
    """Les centres d'examen dont le gestionnaire suit les copies : ceux de son académie (tous pour l'académie
    pilote). Les autres rôles n'en suivent aucun."""
    filtre = Q(pk__in=[])
    for h in habilitations_de(utilisateur):
        if h.session_id == session.pk and h.role == Role.GESTIONNAIRE:
            filtre |= Q(pk__isnull=False) if h.national else Q(academie_id=h.academie_id)
    return Centre.objects.filter(filtre)


def decide_pour_la_commission(utilisateur: Any, session: ExamSession) -> bool:
    """Gestionnaire de l'académie pilote de la session : il décide pour la commission d'harmonisation."""
    return any(
        h.session_id == session.pk and h.role == Role.GESTIONNAIRE and h.national for h in habilitations_de(utilisateur)
    )


def _gestionnaire_de(request: HttpRequest, session: ExamSession) -> None:
    roles = roles_de(request.user, session=session)
    if not roles:
        raise Http404("Session hors de vos habilitations.")
    if Role.GESTIONNAIRE not in roles:
        raise PermissionDenied(HORS_DROITS)


def lots_visibles(utilisateur: Any, session: ExamSession) -> QuerySet[Lot]:
    """Les lots corrigés dans un centre du périmètre du gestionnaire, ou qui contiennent une copie composée dans
    l'un d'eux."""
    centres = centres_du_gestionnaire(utilisateur, session)
    return Lot.objects.filter(epreuve__session=session).filter(
        Q(centre_correction__in=centres) | Q(copies__centre__in=centres)
    )


def _lot(request: HttpRequest, lot_pk: int) -> Lot:
    lot = get_object_or_404(Lot.objects.select_related("epreuve__session"), pk=lot_pk)
    session = lot.epreuve.session
    _gestionnaire_de(request, session)
    if not lots_visibles(request.user, session).filter(pk=lot.pk).exists():
        raise Http404("Lot hors de votre périmètre.")
    return lot


def _acteur(request: HttpRequest) -> str:
    return request.user.get_username()


# --- Suivi des copies d'une épreuve -----------------------------------------------------------------------------


@habilite
def suivi_epreuve(request: HttpRequest, epreuve_pk: int) -> HttpResponse:
    epreuve = _gestionnaire(request, epreuve_pk)
    session = epreuve.session
    centres = centres_du_gestionnaire(request.user, session)
    centre = None
    if request.GET.get("centre"):
        if not request.GET["centre"].isdigit():
            raise Http404("Centre inconnu.")
        centre = get_object_or_404(centres, pk=request.GET["centre"])
    numero = request.GET.get("numero", "").strip().replace(" ", "")
    if numero and not numero.isdigit():
        messages.error(request, f"« {numero} » n'est pas un numéro d'anonymat : il s'écrit en chiffres (8 chiffres).")
        numero = ""
    page = selectors_suivi.suivi_des_copies(
        epreuve=epreuve, centres=centres, centre=centre, numero=numero, page=request.GET.get("page")
    )
    noms = request.GET.get("noms") == "1"
    candidats: dict[str, Any] = {}
    if noms and page.lignes:
        candidats = {
            ligne.numero_anonymat: ligne
            for ligne in services.consulter_correspondance(
                utilisateur=request.user,
                epreuve=epreuve,
                contexte="suivi",
                numeros=selectors_suivi.numeros_de(page.lignes),
            )
        }
    requete = request.GET.copy()
    requete.pop("page", None)
    sans_noms = requete.copy()
    sans_noms.pop("noms", None)
    return render(
        request,
        "ecrits/suivi/epreuve.html",
        {
            "session": session,
            "epreuve": epreuve,
            "centre": centre,
            "centres": list(
                centres.filter(pk__in=Copie.objects.filter(epreuve=epreuve).values("centre_id")).order_by("nom")
            ),
            "numero": numero,
            "suivi": page,
            "lignes": [(ligne, candidats.get(ligne.numero)) for ligne in page.lignes],
            "noms": noms,
            "commission": CommissionHarmonisation.objects.filter(epreuve=epreuve).first(),
            "requete": requete.urlencode(),
            "requete_sans_noms": sans_noms.urlencode(),
        },
    )


@habilite
def suivi_copie(request: HttpRequest, copie_pk: int) -> HttpResponse:
    copie = get_object_or_404(Copie.objects.select_related("epreuve__session"), pk=copie_pk)
    session = copie.epreuve.session
    _gestionnaire_de(request, session)
    if not centres_du_gestionnaire(request.user, session).filter(pk=copie.centre_id).exists():
        raise Http404("Copie hors de votre périmètre.")
    fiche = selectors_suivi.fiche_de_la_copie(copie=copie)
    candidat = None
    noms = request.GET.get("noms") == "1"
    if noms:
        lignes = services.consulter_correspondance(
            utilisateur=request.user, epreuve=copie.epreuve, contexte="copie", numeros=[copie.numero]
        )
        if lignes:
            candidat = selectors_suivi.chronologie_du_candidat(
                epreuve=copie.epreuve, numero_candidat=lignes[0].candidat, fuseau_centre=fiche.fuseau
            )
    return render(
        request,
        "ecrits/suivi/copie.html",
        {"session": session, "epreuve": copie.epreuve, "fiche": fiche, "noms": noms, "candidat": candidat},
    )


# --- Un lot : suivi, bordereau, ajustement note à note ----------------------------------------------------------


@habilite
def suivi_lot(request: HttpRequest, lot_pk: int) -> HttpResponse:
    lot = _lot(request, lot_pk)
    session = lot.epreuve.session
    decideur = decide_pour_la_commission(request.user, session)
    formulaire_notes = FormulaireMotif(libelle="Motif de l'ajustement note à note")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "telecharger":
            version = get_object_or_404(
                Version.objects.select_related("document", "fichier"),
                pk=request.POST.get("version") if str(request.POST.get("version", "")).isdigit() else None,
                document__session=session,
                document__modele="bordereau-lot",
                document__cle=selectors_suivi.cle_bordereau(lot),
            )
            return servir_version(version, par=_acteur(request))
        if action == "ajuster_notes":
            if not decideur:
                raise PermissionDenied(REFUS_COMMISSION)
            formulaire_notes = FormulaireMotif(request.POST, libelle="Motif de l'ajustement note à note")
            notes = {
                numero: valeur
                for numero in Copie.objects.filter(lot=lot).values_list("numero", flat=True)
                if (valeur := request.POST.get(f"note-{numero}", "").strip())
            }
            if not notes:
                messages.error(request, "Saisissez la nouvelle note d'au moins une copie ; rien n'est enregistré.")
            elif formulaire_notes.is_valid():
                try:
                    ajustement = services.ajuster_notes(
                        lot=lot, notes=notes, motif=formulaire_notes.cleaned_data["motif"], acteur=_acteur(request)
                    )
                except ErreurExamens as exc:
                    messages.error(request, f"{exc.message.rstrip('.')}. Rien n'est enregistré.")
                else:
                    messages.success(
                        request,
                        f"Lot {lot.code} : {len(ajustement.details)} note(s) ajustée(s) note à note ; les notes "
                        "initiales restent sur les copies.",
                    )
                    return redirect("ecrits:suivi_lot", lot_pk=lot.pk)
            else:
                messages.error(request, "Le formulaire contient des erreurs : rien n'est enregistré.")
        elif action in ("remettre", "rendre", "editer_bordereau"):
            try:
                if action == "remettre":
                    services.remettre_lot(lot=lot, acteur=_acteur(request))
                    messages.success(request, f"Lot {lot.code} remis à son correcteur.")
                elif action == "rendre":
                    services.rendre_lot(lot=lot, acteur=_acteur(request))
                    messages.success(request, f"Lot {lot.code} rendu : les copies corrigées sont revenues.")
                else:
                    bilan = services.editer_bordereaux(lots=[lot], par=_acteur(request))
                    if bilan.nouvelles:
                        messages.success(request, f"Bordereau du lot {lot.code} : nouvelle version émise.")
                    else:
                        messages.info(request, f"Bordereau du lot {lot.code} déjà à jour : aucune nouvelle version.")
            except ErreurExamens as exc:
                messages.error(request, exc.message)
            else:
                return redirect("ecrits:suivi_lot", lot_pk=lot.pk)
        else:
            messages.error(request, "Action inconnue : rien n'est enregistré.")
    fiche = selectors_suivi.fiche_du_lot(lot=lot)
    return render(
        request,
        "ecrits/suivi/lot.html",
        {
            "session": session,
            "epreuve": lot.epreuve,
            "fiche": fiche,
            "decideur": decideur,
            "ajustable": decideur and fiche.commission is not None and not fiche.commission.verrouillee,
            "formulaire_notes": formulaire_notes,
            # Après un refus, la saisie reste dans les champs (rien n'est enregistré).
            "lignes": [(ligne, request.POST.get(f"note-{ligne.numero}", "")) for ligne in fiche.lignes],
        },
    )


# --- Commission d'harmonisation : composition, ajustements, verrouillage, levée d'anonymat -----------------------


def _lots_choix(epreuve: EpreuveEcrite) -> list[tuple[str, str]]:
    lots = Lot.objects.filter(epreuve=epreuve).select_related("epreuve").order_by("numero")
    return [("", "Choisissez un lot"), *((str(lot.pk), lot.code) for lot in lots)]


@habilite
def commission(request: HttpRequest, epreuve_pk: int) -> HttpResponse:
    epreuve = _gestionnaire(request, epreuve_pk)
    session = epreuve.session
    decideur = decide_pour_la_commission(request.user, session)
    actuelle = CommissionHarmonisation.objects.filter(epreuve=epreuve).first()
    lots = _lots_choix(epreuve)
    formulaire_commission = FormulaireCommission(
        initial={} if actuelle is None else {"president": actuelle.president, "membres": actuelle.membres}
    )
    formulaire_ajustement = FormulaireAjustementLot(lots=lots)
    formulaire_reouverture = FormulaireMotif(libelle="Motif de la réouverture")
    if request.method == "POST":
        if not decideur:
            raise PermissionDenied(REFUS_COMMISSION)
        action = request.POST.get("action", "")
        acteur = _acteur(request)
        try:
            if action == "composer":
                formulaire_commission = FormulaireCommission(request.POST)
                if formulaire_commission.is_valid():
                    d = formulaire_commission.cleaned_data
                    services.ouvrir_commission(
                        epreuve=epreuve, acteur=acteur, president=d["president"], membres=d["membres"]
                    )
                    messages.success(
                        request, f"Commission d'harmonisation de {epreuve.epreuve} : composition enregistrée."
                    )
                    return redirect("ecrits:commission", epreuve_pk=epreuve.pk)
            elif action == "ajuster_lot":
                formulaire_ajustement = FormulaireAjustementLot(request.POST, lots=lots)
                if actuelle is None:
                    raise HarmonisationImpossible(SANS_COMMISSION.format(epreuve=epreuve.epreuve))
                if formulaire_ajustement.is_valid():
                    d = formulaire_ajustement.cleaned_data
                    lot = Lot.objects.get(epreuve=epreuve, pk=d["lot"])
                    ajustement = services.ajuster_lot(lot=lot, points=d["points"], motif=d["motif"], acteur=acteur)
                    points = f"{ajustement.points:+.2f}".replace(".", ",")
                    messages.success(
                        request,
                        f"Lot {lot.code} : {len(ajustement.details)} copie(s) ajustée(s) de {points} point(s) ; les "
                        "notes initiales restent sur les copies.",
                    )
                    return redirect("ecrits:commission", epreuve_pk=epreuve.pk)
            elif action in ("verrouiller", "rouvrir", "lever_anonymat"):
                if actuelle is None:
                    raise HarmonisationImpossible(SANS_COMMISSION.format(epreuve=epreuve.epreuve))
                if action == "verrouiller":
                    services.verrouiller_harmonisation(commission=actuelle, acteur=acteur)
                    messages.success(
                        request,
                        f"Harmonisation de {epreuve.epreuve} verrouillée : plus aucune note ne change sans "
                        "réouverture motivée. L'anonymat peut être levé.",
                    )
                    return redirect("ecrits:commission", epreuve_pk=epreuve.pk)
                if action == "rouvrir":
                    formulaire_reouverture = FormulaireMotif(request.POST, libelle="Motif de la réouverture")
                    if formulaire_reouverture.is_valid():
                        services.rouvrir_harmonisation(
                            commission=actuelle, motif=formulaire_reouverture.cleaned_data["motif"], acteur=acteur
                        )
                        messages.success(request, f"Harmonisation de {epreuve.epreuve} rouverte.")
                        return redirect("ecrits:commission", epreuve_pk=epreuve.pk)
                if action == "lever_anonymat":
                    ecrites = services.lever_anonymat(commission=actuelle, acteur=acteur)
                    messages.success(
                        request,
                        f"Anonymat de {epreuve.epreuve} levé : {ecrites} note(s) écrite(s) ou changée(s) pour les "
                        "candidats (note de l'examinateur, que lit la délibération).",
                    )
                    return redirect("ecrits:commission", epreuve_pk=epreuve.pk)
            else:
                messages.error(request, "Action inconnue : rien n'est enregistré.")
        except ErreurExamens as exc:
            messages.error(request, f"{exc.message.rstrip('.')}. Rien n'est enregistré.")
        else:
            if action in ("composer", "ajuster_lot", "rouvrir"):
                messages.error(request, "Le formulaire contient des erreurs : rien n'est enregistré.")
    return render(
        request,
        "ecrits/suivi/commission.html",
        {
            "session": session,
            "epreuve": epreuve,
            "commission": actuelle,
            "decideur": decideur,
            "lots": selectors_suivi.lots_a_harmoniser(epreuve=epreuve),
            "lots_visibles": set(lots_visibles(request.user, session).values_list("pk", flat=True)),
            "ajustements": selectors_suivi.ajustements_de_l_epreuve(epreuve=epreuve),
            "formulaire_commission": formulaire_commission,
            "formulaire_ajustement": formulaire_ajustement,
            "formulaire_reouverture": formulaire_reouverture,
        },
    )


# --- Documents d'un centre : plans de salle --------------------------------------------------------------------


@habilite
def documents_centre(request: HttpRequest, centre_pk: int) -> HttpResponse:
    session = _session(request)
    centre = _centre(request, session, centre_pk)
    epreuves = selectors_suivi.epreuves_reparties(session=session, centre=centre)
    choix = [(str(e.pk), e.epreuve) for e in epreuves]
    formulaire = FormulairePlans(epreuves=choix)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "telecharger":
            version = get_object_or_404(
                Version.objects.select_related("document", "fichier"),
                pk=request.POST.get("version") if str(request.POST.get("version", "")).isdigit() else None,
                document__session=session,
                document__modele="plan-salle",
                document__centre=centre,
            )
            return servir_version(version, par=_acteur(request))
        if action == "editer":
            formulaire = FormulairePlans(request.POST, epreuves=choix)
            if not epreuves:
                messages.error(
                    request,
                    f"Aucune répartition enregistrée pour {centre.nom} : répartissez le centre "
                    f"(examens repartir-ecrits --centre {centre.code} --appliquer) avant d'éditer les plans.",
                )
            elif formulaire.is_valid():
                choisie = next((e for e in epreuves if str(e.pk) == formulaire.cleaned_data["epreuve"]), None)
                bilan = services.editer_plans_de_salle(
                    session=session, centre=centre, par=_acteur(request), epreuve=choisie
                )
                messages.success(request, f"Plans de salle : {bilan.resume()}")
                return redirect(f"{request.path}?session={session.code}")
            else:
                messages.error(request, "Le formulaire contient des erreurs : rien n'est édité.")
        else:
            messages.error(request, "Action inconnue : rien n'est édité.")
    return render(
        request,
        "ecrits/suivi/documents_centre.html",
        {
            "session": session,
            "centre": centre,
            "epreuves": epreuves,
            "formulaire": formulaire,
            "plans": selectors_suivi.plans_de_salle_emis(session=session, centre=centre),
        },
    )
