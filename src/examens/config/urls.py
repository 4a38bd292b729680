from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "examens — BTS NDRC 2022"
admin.site.site_title = "examens"
admin.site.index_title = "Administration de la session"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("examens.apps.web.urls")),
    path("", include("examens.apps.editions.urls")),
    path("", include("examens.apps.ecrits.urls")),
    path("sujets/", include("examens.apps.sujets.urls")),
]
