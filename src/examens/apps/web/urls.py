"""Les adresses de l'application web (montée à la racine du site)."""

from django.conf import settings
from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from examens.apps.web import (
    forms,
    views,
    views_conformite,
    views_deliberation,
    views_editions,
    views_espace_candidat,
    views_etablissement,
    views_examinateur,
    views_planning,
    views_reclamations,
)

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
    # Délibération d'un jury : candidats par numéro d'anonymat, points de jury, décisions, contrôle, livrets,
    # verrouillage, publication, procès-verbal.
    path("deliberation/", views_deliberation.deliberation, name="deliberation"),
    path("deliberation/jurys/<int:pk>/", views_deliberation.jury, name="deliberation_jury"),
    path("deliberation/jurys/<int:pk>/deliberer/", views_deliberation.deliberer, name="deliberation_deliberer"),
    path("deliberation/jurys/<int:pk>/verrouiller/", views_deliberation.verrouiller, name="deliberation_verrouiller"),
    path("deliberation/jurys/<int:pk>/rouvrir/", views_deliberation.rouvrir, name="deliberation_rouvrir"),
    path("deliberation/jurys/<int:pk>/publier/", views_deliberation.publier, name="deliberation_publier"),
    path("deliberation/jurys/<int:pk>/pv/", views_deliberation.editer_pv, name="deliberation_editer_pv"),
    path(
        "deliberation/jurys/<int:pk>/pv/<int:version>/telecharger/",
        views_deliberation.telecharger_pv,
        name="deliberation_telecharger_pv",
    ),
    path(
        "deliberation/jurys/<int:pk>/candidats/<int:candidat_pk>/",
        views_deliberation.candidat,
        name="deliberation_candidat",
    ),
    path(
        "deliberation/jurys/<int:pk>/candidats/<int:candidat_pk>/points-jury/",
        views_deliberation.points_jury,
        name="deliberation_points_jury",
    ),
    path(
        "deliberation/jurys/<int:pk>/candidats/<int:candidat_pk>/livret/",
        views_deliberation.livret,
        name="deliberation_livret",
    ),
    path(
        "deliberation/jurys/<int:pk>/candidats/<int:candidat_pk>/controle/choix/",
        views_deliberation.choix_controle,
        name="deliberation_choix_controle",
    ),
    path(
        "deliberation/jurys/<int:pk>/candidats/<int:candidat_pk>/controle/note/",
        views_deliberation.note_controle,
        name="deliberation_note_controle",
    ),
    # Espace établissement : ses candidats, pièces manquantes et dates limites, dépôts, notes de CCF.
    path("etablissement/", views_etablissement.etablissement, name="etablissement"),
    path("etablissement/candidats/<int:pk>/", views_etablissement.candidat, name="etablissement_candidat"),
    path("etablissement/candidats/<int:pk>/pieces/", views_etablissement.deposer, name="etablissement_deposer"),
    path("etablissement/candidats/<int:pk>/livret/", views_etablissement.deposer_livret, name="etablissement_livret"),
    path("etablissement/candidats/<int:pk>/ccf/", views_etablissement.notes_ccf, name="etablissement_notes_ccf"),
    path("etablissement/pieces/<int:pk>/", views_etablissement.piece, name="etablissement_piece"),
    # Espace candidat : son dossier, ses convocations et résultats, ses réclamations.
    path("mon-espace/", views_espace_candidat.espace, name="espace_candidat"),
    path("mon-espace/documents/<int:pk>/", views_espace_candidat.document, name="espace_candidat_document"),
    path(
        "mon-espace/reclamations/nouvelle/",
        views_espace_candidat.nouvelle_reclamation,
        name="espace_candidat_nouvelle_reclamation",
    ),
    path("mon-espace/reclamations/<int:pk>/", views_espace_candidat.reclamation, name="espace_candidat_reclamation"),
    # Réclamations des candidats, instruites par l'académie.
    path("reclamations/", views_reclamations.reclamations, name="reclamations"),
    path("reclamations/<int:pk>/", views_reclamations.reclamation, name="reclamation"),
    # Espace examinateur et double saisie des notes d'oral.
    path("examinateur/", views_examinateur.espace, name="espace_examinateur"),
    path("examinateur/agenda.ics", views_examinateur.agenda, name="agenda_examinateur"),
    path(
        "examinateur/passages/<int:pk>/engagement/",
        views_examinateur.evaluation_engagement,
        name="evaluation_engagement",
    ),
    path(
        "examinateur/passages/<int:pk>/engagement/fiche.pdf",
        views_examinateur.fiche_engagement,
        name="fiche_engagement_passage",
    ),
    path("saisie/", views_examinateur.saisies, name="saisies"),
    path("saisie/commissions/<int:pk>/<str:jour>/", views_examinateur.grille, name="grille_saisie"),
    # Contrôle de conformité des dossiers E4/E6 : file, dossier, décision de la commission, levée de doute.
    path("conformite/", views_conformite.file_conformite, name="conformite"),
    path("conformite/dossiers/<int:pk>/", views_conformite.dossier_conformite, name="dossier_conformite"),
    path("conformite/dossiers/<int:pk>/decider/", views_conformite.decider, name="decider_conformite"),
    path("conformite/dossiers/<int:pk>/lever-le-doute/", views_conformite.lever_doute, name="lever_doute"),
    # Planning des oraux d'un centre : grille, passage et déplacement, publication, replanification.
    path("planning/", views_planning.plannings, name="plannings"),
    path("planning/centres/<int:pk>/", views_planning.planning_centre, name="planning_centre"),
    path("planning/centres/<int:pk>/replanifier/", views_planning.replanifier, name="replanifier_centre"),
    path("planning/passages/<int:pk>/", views_planning.passage, name="passage"),
    path("planning/versions/<int:pk>/publier/", views_planning.publier, name="publier_planning"),
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
