"""Les adresses des pages des sujets et pièces d'épreuve (montées sous /sujets/)."""

from django.urls import path

from examens.apps.sujets import views

app_name = "sujets"

urlpatterns = [
    path("banque/", views.banque, name="banque"),
    path("banque/diffuser/", views.diffuser, name="diffuser"),
    path("fiches-sujets/<int:pk>/", views.fiche_sujet, name="fiche_sujet"),
    path("candidats/<int:pk>/pieces/", views.pieces, name="pieces"),
    path("passages/<int:pk>/sujet/", views.sujet_du_passage, name="sujet_du_passage"),
]
