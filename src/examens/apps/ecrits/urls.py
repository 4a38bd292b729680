"""Les adresses des pages des épreuves écrites (montées à la racine du site, sous /ecrits/)."""

from django.urls import path

from examens.apps.ecrits import views, views_jour_j, views_lots, views_suivi

app_name = "ecrits"

urlpatterns = [
    # Accueil des écrits et lots de copies (views_lots) : constitution par centre de correction, correcteurs.
    path("ecrits/", views_lots.accueil, name="accueil"),
    path("ecrits/epreuves/<int:epreuve_pk>/lots/", views_lots.lots_epreuve, name="lots_epreuve"),
    path("ecrits/epreuves/<int:epreuve_pk>/centres/<int:centre_pk>/lots/", views_lots.lots_centre, name="lots_centre"),
    path("ecrits/centres/<int:centre_pk>/repartition/", views.repartition, name="repartition"),
    path(
        "ecrits/centres/<int:centre_pk>/epreuves/<int:epreuve_pk>/salles/<int:salle_pk>/presences/",
        views.presences,
        name="presences",
    ),
    # Jour J (views_jour_j) : salle d'une épreuve, surveillants, procès-verbaux ; absences et justificatifs.
    path(
        "ecrits/centres/<int:centre_pk>/epreuves/<int:epreuve_pk>/salles/<int:salle_pk>/",
        views_jour_j.salle,
        name="salle",
    ),
    path(
        "ecrits/centres/<int:centre_pk>/epreuves/<int:epreuve_pk>/salles/<int:salle_pk>/surveillants/",
        views_jour_j.surveillants,
        name="surveillants",
    ),
    path(
        "ecrits/centres/<int:centre_pk>/epreuves/<int:epreuve_pk>/salles/<int:salle_pk>/incident/",
        views_jour_j.incident,
        name="incident",
    ),
    path("ecrits/centres/<int:centre_pk>/incidents/", views_jour_j.incidents_du_centre, name="incidents"),
    path("ecrits/absences/", views_jour_j.absences, name="absences"),
    path("ecrits/absences/<int:pk>/", views_jour_j.absence, name="absence"),
    path("ecrits/absences/<int:pk>/justificatif/", views_jour_j.deposer_justificatif, name="deposer_justificatif"),
    path("ecrits/absences/<int:pk>/decision/", views_jour_j.statuer, name="statuer"),
    path("ecrits/mes-absences/", views_jour_j.mes_absences, name="mes_absences"),
    path("ecrits/mes-absences/<int:pk>/", views_jour_j.mon_absence, name="mon_absence"),
    path("ecrits/justificatifs/<int:pk>/", views_jour_j.justificatif, name="justificatif"),
    path("ecrits/lots/", views.mes_lots, name="mes_lots"),
    path("ecrits/lots/<int:lot_pk>/saisie-<int:rang>/", views.saisie_lot, name="saisie_lot"),
    path("ecrits/epreuves/<int:epreuve_pk>/harmonisation/", views.harmonisation, name="harmonisation"),
    path("ecrits/epreuves/<int:epreuve_pk>/correspondance/", views.correspondance, name="correspondance"),
    # Suivi des copies, commission d'harmonisation, documents (views_suivi).
    path("ecrits/epreuves/<int:epreuve_pk>/suivi/", views_suivi.suivi_epreuve, name="suivi_epreuve"),
    path("ecrits/epreuves/<int:epreuve_pk>/commission/", views_suivi.commission, name="commission"),
    path("ecrits/copies/<int:copie_pk>/", views_suivi.suivi_copie, name="suivi_copie"),
    path("ecrits/lots/<int:lot_pk>/suivi/", views_suivi.suivi_lot, name="suivi_lot"),
    path("ecrits/centres/<int:centre_pk>/documents/", views_suivi.documents_centre, name="documents_centre"),
]
