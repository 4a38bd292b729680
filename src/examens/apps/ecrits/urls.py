"""Les adresses des pages des épreuves écrites (montées à la racine du site, sous /ecrits/)."""

from django.urls import path

from examens.apps.ecrits import views

app_name = "ecrits"

urlpatterns = [
    path("ecrits/centres/<int:centre_pk>/repartition/", views.repartition, name="repartition"),
    path(
        "ecrits/centres/<int:centre_pk>/epreuves/<int:epreuve_pk>/salles/<int:salle_pk>/presences/",
        views.presences,
        name="presences",
    ),
    path("ecrits/lots/", views.mes_lots, name="mes_lots"),
    path("ecrits/lots/<int:lot_pk>/saisie-<int:rang>/", views.saisie_lot, name="saisie_lot"),
    path("ecrits/epreuves/<int:epreuve_pk>/harmonisation/", views.harmonisation, name="harmonisation"),
    path("ecrits/epreuves/<int:epreuve_pk>/correspondance/", views.correspondance, name="correspondance"),
]
