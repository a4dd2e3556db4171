from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from judging.api import views as api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/", SpectacularSwaggerSplitView.as_view(url_name="judging:api_schema"), name="api_docs"
    ),
    path("judge/venues/", api.MyVenuesView.as_view(), name="api_venues"),
    path("judge/entries/<int:submission_id>/sheet/", api.SheetView.as_view(), name="api_sheet"),
    path("judge/entries/<int:submission_id>/draft/", api.DraftView.as_view(), name="api_draft"),
    path("judge/scorecards/", api.SubmitView.as_view(), name="api_submit"),
]
