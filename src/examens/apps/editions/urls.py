from django.urls import path

from examens.apps.editions import views

app_name = "editions"

urlpatterns = [
    path("accuse-reception/<str:jeton>/", views.accuse_reception, name="accuse_reception"),
]
