"""The satisfaction survey becomes the app `skm` (sasaran.skm).

Only Django's picture of the models changes here: the tables stay where they are, with
their rows, and `skm`'s first migration takes them over under the same names.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sasaran', '0006_survey_indicator'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='response',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='survey',
                ),
                migrations.RemoveField(
                    model_name='survey',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='survey',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='unsur',
                    name='survey',
                ),
                migrations.RemoveField(
                    model_name='surveyservice',
                    name='survey',
                ),
                migrations.DeleteModel(
                    name='Answer',
                ),
                migrations.DeleteModel(
                    name='Response',
                ),
                migrations.DeleteModel(
                    name='Unsur',
                ),
                migrations.DeleteModel(
                    name='Survey',
                ),
                migrations.DeleteModel(
                    name='SurveyService',
                ),
            ],
        ),
    ]
