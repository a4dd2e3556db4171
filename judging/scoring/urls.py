"""URLs of on-site judging: judges' tablets, chairs, the venue big screen, the control room."""

from django.urls import include, path

from judging.scoring.views import anchors, chair, judge, offline, orga_control, orga_judges, signin

app_name = "judging"

urlpatterns = [
    path("judge/", judge.home, name="judge_home"),
    path("judge/signin/<str:token>/", signin.signin, name="signin"),
    path("judge/sw.js", offline.service_worker, name="service_worker"),
    path("judge/venues/<int:venue_id>/", judge.venue, name="venue"),
    path("judge/venues/<int:venue_id>/order/", judge.venue_order, name="venue_order"),
    path("judge/venues/<int:venue_id>/offline/", offline.manifest, name="offline_manifest"),
    path("judge/entries/<int:submission_id>/", judge.scorecard, name="scorecard"),
    path("judge/entries/<int:submission_id>/report/", judge.report, name="report"),
    path(
        "judge/entries/<int:submission_id>/files/<int:attachment_pk>/",
        judge.entry_file,
        name="entry_file",
    ),
    path("judge/venues/<int:venue_id>/chair/", chair.panel, name="chair"),
    path("judge/venues/<int:venue_id>/chair/matrix/", chair.matrix, name="chair_matrix"),
    path("judge/venues/<int:venue_id>/chair/advance/", chair.advance, name="chair_advance"),
    path("judge/venues/<int:venue_id>/chair/lock/", chair.lock, name="chair_lock"),
    path(
        "judge/venues/<int:venue_id>/chair/receipt.txt",
        anchors.lock_receipt,
        name="chair_receipt",
    ),
    path(
        "judge/venues/<int:venue_id>/chair/cards/<int:card_id>/",
        chair.card,
        name="chair_card",
    ),
    path("e/<slug:slug>/venues/<int:number>/screen/", chair.screen, name="screen"),
    path("e/<slug:slug>/venues/<int:number>/screen/live/", chair.screen_live, name="screen_live"),
    path("orga/<slug:slug>/", orga_control.control_room, name="control_room"),
    path("orga/<slug:slug>/live/", orga_control.control_live, name="control_live"),
    path(
        "orga/<slug:slug>/venues/<int:number>/unlock/",
        orga_control.unlock,
        name="unlock_venue",
    ),
    path("orga/<slug:slug>/scores/import/", orga_control.import_scores, name="import_scores"),
    path("orga/<slug:slug>/scores/anchor/", anchors.export_anchor, name="export_anchor"),
    path(
        "orga/<slug:slug>/scores/import/<uuid:request_id>/confirm/",
        orga_control.confirm_import,
        name="confirm_import",
    ),
    path("orga/<slug:slug>/judges/", orga_judges.judges, name="judges"),
    path("orga/<slug:slug>/judges/import/", orga_judges.judges_import, name="judges_import"),
    path(
        "orga/<slug:slug>/judges/judges.xlsx", orga_judges.judges_template, name="judges_template"
    ),
    path("orga/<slug:slug>/judges/login-cards.pdf", orga_control.login_cards, name="login_cards"),
    path("api/", include("judging.api.urls")),
]
