"""The site's URLs and, under /bench/, the reference views (bench settings only)."""

from django.urls import path

from config.urls import urlpatterns as site

from . import reference

urlpatterns = [
    path("bench/bare/", reference.bare, name="bench_bare"),
    path("bench/list/", reference.reference_list, name="bench_list"),
    path("bench/json/<str:resource>/", reference.reference_json, name="bench_json"),
    *site,
]
