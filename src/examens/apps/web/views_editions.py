"""Éditions dans l'application web : lancer une édition de masse (confiée au worker), suivre sa
progression, retrouver les documents émis, leurs versions et qui les a reçus, les télécharger (chaque
téléchargement est journalisé : on sait qui a reçu quelle version)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from examens.apps.comptes.permissions import (
    Droit,
    candidats_visibles,
    centres_visibles,
    jurys_visibles,
)
from examens.apps.editions.donnees import PAR_CENTRE, PAR_JURY, SELECTIONS
from examens.apps.editions.models import Document, Travail, Version
from examens.apps.editions.services import creer_travail
from examens.apps.editions.taches import lancer_en_tache
from examens.apps.organisation.models import ExamSession
from examens.apps.web.telechargements import servir_version
from examens.apps.web.views import _session, habilite
from examens.documents import MODELES

PAR_PAGE = 50


def documents_visibles(utilisateur: Any, session: ExamSession) -> QuerySet[Document]:
    """Les documents d'un centre, d'un jury ou d'un candidat du périmètre de l'utilisateur."""
    return Document.objects.filter(session=session).filter(
        Q(centre__in=centres_visibles(utilisateur, session=session))
        | Q(jury__in=jurys_visibles(utilisateur, session=session))
        | Q(candidat__in=candidats_visibles(utilisateur, session=session))
    )


def travaux_visibles(utilisateur: Any, session: ExamSession) -> QuerySet[Travail]:
    """Les travaux de la session lancés dans le périmètre : ceux de ses centres et de ses jurys."""
    centres = list(centres_visibles(utilisateur, session=session).values_list("code", flat=True))
    jurys = list(jurys_visibles(utilisateur, session=session).values_list("nom", flat=True))
    return Travail.objects.filter(session=session).filter(
        Q(parametres__centre__in=centres) | Q(parametres__jury__in=jurys)
    )


class FormulaireEdition(forms.Form):
    modele = forms.ChoiceField(label="Document")
    centre = forms.ChoiceField(label="Centre d'examen", required=False)
    jury = forms.ChoiceField(label="Jury", required=False)
    variante = forms.ChoiceField(
        label="Procès-verbal",
        choices=[("anonyme", "anonyme"), ("nominatif", "nominatif")],
        required=False,
        initial="anonyme",
    )

    def __init__(self, *args: Any, centres: QuerySet[Any], jurys: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["modele"].choices = [
            (code, MODELES[code].titre)
            for code in SELECTIONS
            if code in MODELES and (code in PAR_CENTRE or code in PAR_JURY)
        ]
        self.fields["centre"].choices = [("", "—")] + [(c.code, f"{c.nom} ({c.code})") for c in centres]
        self.fields["jury"].choices = [("", "—")] + [(j.nom, j.nom) for j in jurys]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        modele = donnees.get("modele")
        if modele in PAR_CENTRE and not donnees.get("centre"):
            self.add_error("centre", "Ce document s'édite par centre : choisissez le centre.")
        if modele in PAR_JURY and not donnees.get("jury"):
            self.add_error("jury", "Ce document s'édite par jury : choisissez le jury.")
        return donnees


@habilite
def editions(request: HttpRequest) -> HttpResponse:
    """Lancer une édition et suivre les travaux du périmètre."""
    session = _session(request, Droit.EDITIONS)
    centres = centres_visibles(request.user, session=session).order_by("nom")
    jurys = jurys_visibles(request.user, session=session).order_by("nom")
    formulaire = FormulaireEdition(request.POST or None, centres=centres, jurys=jurys)
    if request.method == "POST" and formulaire.is_valid():
        d = formulaire.cleaned_data
        modele = d["modele"]
        parametres: dict[str, Any] = {}
        if modele in PAR_CENTRE:
            parametres["centre"] = d["centre"]
        if modele in PAR_JURY:
            parametres["jury"] = d["jury"]
            if modele == "pv-deliberation":
                parametres["variante"] = d.get("variante") or "anonyme"
        travail = creer_travail(
            session=session, nature=f"editer:{modele}", parametres=parametres, par=request.user.get_username()
        )
        lancer_en_tache(travail)
        messages.success(
            request,
            f"Édition n° {travail.pk} confiée au worker : « {MODELES[modele].titre} ». Sa progression s'affiche "
            "ci-dessous.",
        )
        return redirect(f"{reverse('web:editions')}?session={session.code}")
    travaux = list(travaux_visibles(request.user, session)[:30])
    return render(
        request,
        "web/editions/editions.html",
        {"session": session, "formulaire": formulaire, "travaux": travaux, "titres": _titres()},
    )


def _titres() -> dict[str, str]:
    return {code: m.titre for code, m in MODELES.items()}


@habilite
def progression(request: HttpRequest, pk: int) -> JsonResponse:
    session = _session(request, Droit.EDITIONS)
    travail = get_object_or_404(travaux_visibles(request.user, session), pk=pk)
    return JsonResponse(
        {
            "statut": travail.statut,
            "statut_libelle": travail.get_statut_display(),
            "fait": travail.fait,
            "total": travail.total,
            "pourcentage": travail.pourcentage,
        }
    )


@habilite
def documents(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.EDITIONS)
    qs = documents_visibles(request.user, session).select_related("centre", "jury")
    modele = request.GET.get("modele", "")
    if modele:
        qs = qs.filter(modele=modele)
    texte = request.GET.get("texte", "").strip()
    if texte:
        qs = qs.filter(Q(intitule__icontains=texte) | Q(cle__icontains=texte))
    page = Paginator(qs.order_by("modele", "cle", "format"), PAR_PAGE).get_page(request.GET.get("page"))
    titres = _titres()
    for d in page.object_list:
        d.titre_modele = titres.get(d.modele, d.modele)
    requete = request.GET.copy()
    requete.pop("page", None)
    return render(
        request,
        "web/editions/documents.html",
        {
            "session": session,
            "page_obj": page,
            "modele": modele,
            "texte": texte,
            "titres": titres,
            "requete": requete.urlencode(),
        },
    )


@habilite
def document(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, Droit.EDITIONS)
    doc = get_object_or_404(documents_visibles(request.user, session).select_related("centre", "jury"), pk=pk)
    versions = list(doc.versions.select_related("fichier").prefetch_related("envois").order_by("-numero"))
    return render(
        request,
        "web/editions/document.html",
        {"session": session, "document": doc, "versions": versions, "titre_modele": _titres().get(doc.modele, "")},
    )


@habilite
@require_POST
def telecharger(request: HttpRequest, pk: int) -> HttpResponse:
    """Le fichier d'une version ; le téléchargement est journalisé (envoi, canal « téléchargement »).

    En POST (bouton) : un lien suivi par un robot ou un aperçu ne compte pas comme une remise."""
    session = _session(request, Droit.EDITIONS)
    version = get_object_or_404(
        Version.objects.select_related("document", "fichier").filter(
            document__in=documents_visibles(request.user, session)
        ),
        pk=pk,
    )
    if version.document.session_id != session.pk:
        raise Http404
    return servir_version(version, par=request.user.get_username())
