"""The bench's URLconf: the portal's routes, and the floors beside them (bench/floors.py)."""

from django.urls import path

from bench.floors import floor_view
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench-floor/<slug:name>/", floor_view, name="bench-floor"),
    *portal_urlpatterns,
]
