"""Every written-review assignment names its venue (filled by 0014, in a transaction of its own
so that PostgreSQL alters the column with no update of the rows pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_contest_notices_nominations_written_venues"),
        ("judging", "0014_review_assignment_venue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewassignment",
            name="venue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="review_assignments",
                to="events.venue",
                verbose_name="书面评审组",
            ),
        ),
    ]
