"""Each written-review assignment names its written venue (书面评审组).

The venue is taken from the dossier's VenueAssignment, where every assignment made so far
placed it; failing that (a dossier moved since), from the written venue of its category where
the expert sits, else the category's first written venue. Nothing is removed: the
assignments, the placements, the cards and the files stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_venues(apps, schema_editor):
    ReviewAssignment = apps.get_model("judging", "ReviewAssignment")
    VenueAssignment = apps.get_model("judging", "VenueAssignment")
    PanelSeat = apps.get_model("judging", "PanelSeat")
    Venue = apps.get_model("events", "Venue")
    placed = dict(
        VenueAssignment.objects.filter(venue__mode="written").values_list(
            "submission_id", "venue_id"
        )
    )
    written = {}
    for venue_id, category_id in (
        Venue.objects.filter(mode="written").order_by("number").values_list("pk", "category_id")
    ):
        written.setdefault(category_id, []).append(venue_id)
    seats = set(PanelSeat.objects.values_list("judge_id", "venue_id"))
    for row in ReviewAssignment.objects.select_related("submission").order_by("pk"):
        venue_id = placed.get(row.submission_id)
        if venue_id is None:
            candidates = written.get(row.submission.category_id, [])
            seated = [v for v in candidates if (row.judge_id, v) in seats]
            venue_id = (seated or candidates or [None])[0]
        if venue_id is None:
            raise RuntimeError(
                f"review assignment {row.pk} ({row.submission.code}): its category has no "
                "written-review venue to hold it; add one, then migrate again"
            )
        ReviewAssignment.objects.filter(pk=row.pk).update(venue_id=venue_id)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_contest_notices_nominations_written_venues"),
        ("judging", "0013_certificate_audiences_for_honours"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewassignment",
            name="venue",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="review_assignments",
                to="events.venue",
                verbose_name="书面评审组",
            ),
        ),
        migrations.RunPython(fill_venues, migrations.RunPython.noop),
    ]
