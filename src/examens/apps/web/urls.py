"""Les adresses de l'application web (montée à la racine du site)."""

from django.conf import settings
from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from examens.apps.web import forms, views, views_editions

app_name = "web"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("tableau-de-bord/", views.tableau_de_bord_session, name="tableau_de_bord"),
    path("candidats/", views.candidats, name="candidats"),
    path("candidats/export.xlsx", views.export_candidats, name="export_candidats"),
    path("candidats/<int:pk>/", views.fiche, name="fiche_candidat"),
    # Éditions : lancer, suivre, retrouver et télécharger les documents émis.
    path("editions/", views_editions.editions, name="editions"),
    path("editions/travaux/<int:pk>/progression/", views_editions.progression, name="progression_travail"),
    path("editions/documents/", views_editions.documents, name="documents"),
    path("editions/documents/<int:pk>/", views_editions.document, name="document"),
    path("editions/versions/<int:pk>/telecharger/", views_editions.telecharger, name="telecharger_version"),
    # Comptes : connexion (limitée par django-axes), déconnexion, mot de passe.
    path(
        "connexion/",
        auth.LoginView.as_view(
            template_name="web/comptes/connexion.html",
            authentication_form=forms.FormulaireConnexion,
            redirect_authenticated_user=True,
        ),
        name="connexion",
    ),
    path("deconnexion/", auth.LogoutView.as_view(), name="deconnexion"),
    path(
        "mot-de-passe/oubli/",
        auth.PasswordResetView.as_view(
            template_name="web/comptes/oubli.html",
            form_class=forms.FormulaireOubli,
            email_template_name="web/comptes/courriel_reinitialisation.txt",
            subject_template_name="web/comptes/objet_reinitialisation.txt",
            success_url=reverse_lazy("web:mot_de_passe_envoye"),
            extra_email_context={"url_publique": settings.URL_PUBLIQUE},
        ),
        name="mot_de_passe_oublie",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth.PasswordResetDoneView.as_view(template_name="web/comptes/oubli_envoye.html"),
        name="mot_de_passe_envoye",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="web/comptes/nouveau.html",
            form_class=forms.FormulaireNouveauMotDePasse,
            success_url=reverse_lazy("web:mot_de_passe_reinitialise"),
        ),
        name="mot_de_passe_nouveau",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth.PasswordResetCompleteView.as_view(template_name="web/comptes/reinitialise.html"),
        name="mot_de_passe_reinitialise",
    ),
    path(
        "mot-de-passe/changer/",
        auth.PasswordChangeView.as_view(
            template_name="web/comptes/changer.html",
            form_class=forms.FormulaireChangementMotDePasse,
            success_url=reverse_lazy("web:mot_de_passe_change"),
        ),
        name="mot_de_passe_changer",
    ),
    path(
        "mot-de-passe/change/",
        auth.PasswordChangeDoneView.as_view(template_name="web/comptes/change.html"),
        name="mot_de_passe_change",
    ),
]
