from django.db import migrations

from audit.operations import TrackChanges


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("audit", "0004_break_glass_action")]

    operations = [
        TrackChanges("referrals_consent"),
        TrackChanges("referrals_referral"),
        TrackChanges("referrals_disclosure"),
    ]
