"""Vues des éditions : accusé de réception (lien des courriels, sans connexion) et progression des travaux."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from examens.apps.editions.models import Envoi, Travail
from examens.apps.editions.services import accuser_reception


@require_http_methods(["GET", "POST"])
def accuse_reception(request: HttpRequest, jeton: str) -> HttpResponse:
    """GET montre le document concerné et un bouton ; POST enregistre l'accusé.

    L'accusé n'est pas enregistré sur un simple GET : les antivirus et aperçus de messagerie ouvrent les liens.
    """
    envoi = get_object_or_404(Envoi.objects.select_related("version__document"), jeton=jeton)
    if request.method == "POST":
        envoi = accuser_reception(jeton) or envoi
    return render(request, "editions/accuse.html", {"envoi": envoi, "confirme": envoi.accuse_le is not None})


@login_required
def progression_travail(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_staff:
        return JsonResponse({"erreur": "accès réservé"}, status=403)
    travail = get_object_or_404(Travail, pk=pk)
    return JsonResponse(
        {
            "nature": travail.nature,
            "statut": travail.statut,
            "statut_libelle": travail.get_statut_display(),
            "fait": travail.fait,
            "total": travail.total,
            "pourcentage": travail.pourcentage,
            "erreurs": travail.erreurs,
        }
    )
