"""Les adresses des pages des sujets et pièces d'épreuve (montées sous /sujets/)."""

from django.urls import path

from examens.apps.sujets import views

app_name = "sujets"

urlpatterns = [
    path("banque/", views.banque, name="banque"),
    path("banque/diffuser/", views.diffuser, name="diffuser"),
    path("banque/contexte/", views.contexte, name="contexte"),
    path("attribution/", views.attribution, name="attribution"),
    path("attribution/journal/", views.journal, name="journal"),
    path("fiches-sujets/<int:pk>/", views.fiche_sujet, name="fiche_sujet"),
    path("candidats/<int:pk>/pieces/", views.pieces, name="pieces"),
    path("candidats/<int:pk>/fiche-sujet/", views.lecture_fiche_sujet, name="lecture_fiche_sujet"),
    path("candidats/<int:pk>/engagement/", views.engagement, name="engagement"),
    path("candidats/<int:pk>/engagement/fiche.pdf", views.fiche_engagement, name="fiche_engagement"),
    path("passages/<int:pk>/sujet/", views.sujet_du_passage, name="sujet_du_passage"),
    path("centres/", views.centres, name="centres"),
    path("centres/<int:pk>/postes/", views.postes, name="postes"),
    path("centres/<int:pk>/fiches-sujets/", views.fiches_manquantes, name="fiches_manquantes"),
]
