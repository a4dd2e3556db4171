"""URLs of the award engine: organizer pages under /orga/<slug>/awards/, public results and
the honour lists."""

from django.urls import include, path

from judging.awards import public_views as public
from judging.awards import views as orga

orga_patterns = (
    [
        path("", orga.awards_home, name="orga"),
        path("run/", orga.start_run, name="run"),
        path("progress/", orga.run_progress, name="progress"),
        path("fairness/", orga.fairness, name="fairness"),
        path("fairness/status/", orga.fairness_status, name="fairness_status"),
        path("fairness/compute/", orga.fairness_compute, name="fairness_compute"),
        path("export.xlsx", orga.export, name="export"),
        path("override/<str:code>/", orga.override, name="override"),
        path("publish/", orga.publish, name="publish"),
        path("finalize/", orga.finalize, name="finalize"),
        path("objections/<int:pk>/", orga.answer_objection, name="objection"),
        path("showcase/propose/", orga.showcase_propose, name="showcase_propose"),
        path("showcase/add/", orga.showcase_add, name="showcase_add"),
        path("showcase/<int:pk>/remove/", orga.showcase_remove, name="showcase_remove"),
    ],
    "awards",
)

public_patterns = (
    [
        path("", public.results, name="results"),
        path("objection/", public.objection, name="objection"),
        path("ledger-anchor.txt", public.ledger_anchor, name="ledger_anchor"),
    ],
    "awards_public",
)

urlpatterns = [
    path("orga/<slug:slug>/awards/", include(orga_patterns)),
    path("orga/<slug:slug>/publication/", orga.publication, name="awards_publication"),
    path("e/<slug:slug>/results/", include(public_patterns)),
    path("e/<slug:slug>/honours/<str:kind>/", public.honours, name="awards_honours"),
]
