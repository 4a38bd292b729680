"""Vue publique des éditions : l'accusé de réception (lien des courriels, sans connexion). Les autres pages
des éditions sont dans l'application web (`web.views_editions`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from examens.apps.editions.models import Envoi
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
