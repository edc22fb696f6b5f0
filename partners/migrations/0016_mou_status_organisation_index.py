"""The MoU report counts the organisations holding an MoU in each state from
an index alone (status, organisation) rather than sorting every MoU."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0015_mou_and_due_diligence_in_force_indexes'),
        ('priorities', '0002_reference_data'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='mou',
            index=models.Index(fields=['status', 'organisation'], name='mou_status_organisation'),
        ),
    ]
