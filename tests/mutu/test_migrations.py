"""A database made before the survey became the app `skm` keeps every record.

Until `sasaran` 0006 the survey's models belonged to the app `sasaran`. Then
`sasaran` 0007 hands them over and `skm` 0001 takes them with their tables kept
(`db_table`, `SeparateDatabaseAndState`) and moves their content types to the label `skm`.
The test builds such an old database (migrations up to `sasaran` 0006 and `sop` 0001, rows
written through the historical models of that time), migrates it forward and reads every
row back with today's models. It runs on SQLite and on PostgreSQL alike.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sasaran.models import (
    Assignment,
    Evidence,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
    User,
)
from sasaran.skm.models import Answer, Response, Survey, SurveyService, Unsur
from sop.models import Sop

pytestmark = pytest.mark.django_db(transaction=True)

# The layout before the move: the survey inside `sasaran`, no app `skm` yet.
OLD = [("sasaran", "0006_survey_indicator"), ("sop", "0001_initial"), ("skm", None)]
SURVEY_MODELS = ["survey", "surveyservice", "unsur", "response", "answer"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def migrate(targets):
    """Migrate the test database to targets; returns the historical models of that state."""
    MigrationExecutor(connection).migrate(targets)
    nodes = [(app, name) for app, name in targets if name is not None]
    return MigrationExecutor(connection).loader.project_state(nodes, at_end=True).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def only_columns_of(rows, earlier):
    """`rows` cut down to the tables and columns `earlier` had (a later migration's new,
    empty table aside), table by table."""
    kept = {}
    for table, table_rows in rows.items():
        if table not in earlier and not table_rows:
            continue
        old = {name for row in earlier.get(table, []) for name, _value in row}
        kept[table] = sorted(
            tuple(pair for pair in row if not old or pair[0] in old) for row in table_rows
        )
    return kept


def all_rows():
    """Every row of every table except the migration records and the content types (whose
    survey rows change their label on purpose): {table: sorted rows}. A row is its
    (column, value) pairs by column name: SQLite rebuilds a table to change a column's type,
    which may change the order of its columns but must keep every value."""
    skipped = {"django_migrations", "django_content_type"}
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skipped:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            rows[table] = sorted(
                (
                    tuple(
                        sorted(
                            (c, bytes(v) if isinstance(v, memoryview) else v)
                            for c, v in zip(columns, row, strict=True)
                        )
                    )
                    for row in cursor.fetchall()
                ),
                key=repr,
            )
    return rows


def fill_old_database(apps):
    """Rows of every kind a user of the old layout had, written as that layout wrote them."""
    get = apps.get_model
    now = timezone.now()
    unit = get("sasaran", "Unit").objects.create(code="up-lama", name="UP Lama", kind="up")
    position = get("sasaran", "Position").objects.create(
        unit=unit, name="Kepala Unit", level="kepala"
    )
    user = get("sasaran", "User").objects.create(username="lama", password="!", nip="1975")
    get("sasaran", "Assignment").objects.create(user=user, position=position, role="head")
    manual = get("sasaran", "QualityManual").objects.create(
        unit=unit, year=2023, document_number="L2/MM-02", effective_date=datetime.date(2023, 7, 1)
    )
    section = get("sasaran", "Section").objects.create(
        manual=manual, order=1, level="kepala", title="Kepala Unit"
    )
    objective = get("sasaran", "Objective").objects.create(
        section=section, number=1, text="Meningkatnya kepuasan masyarakat"
    )
    indicator = get("sasaran", "Indicator").objects.create(
        objective=objective,
        name="Indeks Kepuasan Masyarakat",
        measurement_method="Survei SKM",
        frequency="quarterly",
        kind="index",
        responsible_position=position,
    )
    get("sasaran", "Target").objects.create(indicator=indicator, period="Q1", value=Decimal(80))
    realisation = get("sasaran", "Realisation").objects.create(
        indicator=indicator,
        period="Q1",
        value=Decimal("82.5"),
        status="submitted",
        entered_by=user,
    )
    get("sasaran", "HistoricalRealisation").objects.create(
        id=realisation.id,
        indicator=indicator,
        period="Q1",
        value=Decimal("82.5"),
        status="submitted",
        entered_at=realisation.entered_at,
        entered_by=user,
        history_date=now,
        history_type="+",
        history_user=user,
        history_change_reason="Diajukan",
    )
    evidence = get("sasaran", "Evidence")(
        realisation=realisation, original_name="laporan.pdf", size=len(PDF), uploaded_by=user
    )
    evidence.file.save("laporan.pdf", ContentFile(PDF), save=True)

    survey = get("sasaran", "Survey").objects.create(
        unit=unit,
        year=2023,
        period_kind="quarter",
        period_number=1,
        population=100,
        indicator=indicator,
    )
    service = get("sasaran", "SurveyService").objects.create(
        survey=survey, name="Perizinan", public_token="token-lama-1"
    )
    unsur = [
        get("sasaran", "Unsur").objects.create(
            survey=survey,
            code=f"U{n}",
            name=f"Unsur {n}",
            question=f"Pertanyaan {n}?",
            label_1="Buruk",
            label_2="Cukup",
            label_3="Baik",
            label_4="Sangat baik",
            order=n,
        )
        for n in (1, 2)
    ]
    response = get("sasaran", "Response").objects.create(
        survey=survey, service=service, date=datetime.date(2023, 2, 1), sex="P"
    )
    for item, value in zip(unsur, (3, 4), strict=True):
        get("sasaran", "Answer").objects.create(response=response, unsur=item, value=value)

    get("sop", "Sop").objects.create(
        unit=unit, number="1/SOP/2023", name="Penerbitan Izin", created_on=datetime.date(2023, 1, 2)
    )

    # The content types of the old survey models (label `sasaran`) with their permissions,
    # one of them given to the user; the test database's own `skm` rows do not exist then.
    content_type = get("contenttypes", "ContentType")
    content_type.objects.filter(app_label__in=["sasaran", "skm"], model__in=SURVEY_MODELS).delete()
    for model in SURVEY_MODELS:
        ct = content_type.objects.create(app_label="sasaran", model=model)
        get("auth", "Permission").objects.create(
            content_type=ct, codename=f"view_{model}", name=f"Can view {model}"
        )
    survey_ct = content_type.objects.get(app_label="sasaran", model="survey")
    user.user_permissions.add(get("auth", "Permission").objects.get(content_type=survey_ct))
    return {
        "user": user.pk,
        "realisation": realisation.pk,
        "evidence": evidence.file.name,
        "survey": survey.pk,
        "indicator": indicator.pk,
        "survey_content_type": survey_ct.pk,
    }


def test_old_database_keeps_every_record_after_the_survey_moves_to_skm(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    try:
        old = fill_old_database(migrate(OLD))
        before = all_rows()
        migrate(latest())
        after = all_rows()
        # skm 0003: the survey's one indicator became a link of the whole unit (pooled IKM)
        # in a table of its own; the old column is gone.
        links = [dict(row) for row in after.pop("skm_surveyindicator")]
        assert [
            (link["survey_id"], link["indicator_id"], link["service_id"]) for link in links
        ] == [(old["survey"], old["indicator"], None)]
        before["sasaran_survey"] = sorted(
            tuple(pair for pair in row if pair[0] != "indicator_id")
            for row in before["sasaran_survey"]
        )  # (one row: its order stays)
        # Not a row added, lost or changed; columns added by later migrations aside.
        assert only_columns_of(after, before) == before

        # Read back through today's models.
        assert Unit.objects.get().code == "up-lama"
        assert Position.objects.get().name == "Kepala Unit"
        user = User.objects.get(pk=old["user"])
        assert user.username == "lama" and Assignment.objects.get().user == user
        assert QualityManual.objects.get().document_number == "L2/MM-02"
        assert Section.objects.get().title == "Kepala Unit"
        assert Objective.objects.get().text == "Meningkatnya kepuasan masyarakat"
        indicator = Indicator.objects.get()
        assert Target.objects.get().value == 80
        realisation = Realisation.objects.get(pk=old["realisation"])
        assert realisation.value == Decimal("82.5") and realisation.status == "submitted"
        history = realisation.history.get()
        assert history.history_type == "+" and history.history_change_reason == "Diajukan"
        # Its first submission, read from that history (issue 13): 2023's TW 1, submitted
        # when the test runs, is years late.
        assert realisation.submitted_at == history.history_date
        assert realisation.days_late > 365
        assert history.history_user == user
        evidence = Evidence.objects.get()
        assert evidence.realisation == realisation and evidence.file.name == old["evidence"]
        assert evidence.file.read() == PDF

        survey = Survey.objects.get(pk=old["survey"])
        assert survey.unit.code == "up-lama"
        assert [link.indicator for link in survey.indicator_links.all()] == [indicator]
        service = SurveyService.objects.get()
        assert service.survey == survey and service.public_token == "token-lama-1"
        assert [u.code for u in Unsur.objects.filter(survey=survey)] == ["U1", "U2"]
        response = Response.objects.get()
        assert response.survey == survey and response.service == service
        assert [a.value for a in Answer.objects.filter(response=response)] == [3, 4]
        assert Sop.objects.get().name == "Penerbitan Izin"

        # The content types moved to the label `skm` and kept their ids and permissions.
        ContentType.objects.clear_cache()
        survey_ct = ContentType.objects.get_for_model(Survey)
        assert (survey_ct.pk, survey_ct.app_label) == (old["survey_content_type"], "skm")
        assert not ContentType.objects.filter(app_label="sasaran", model__in=SURVEY_MODELS)
        for model in SURVEY_MODELS:
            ct = ContentType.objects.get(app_label="skm", model=model)
            assert list(Permission.objects.filter(content_type=ct).values_list("codename")) == [
                (f"view_{model}",)
            ]
        assert user.has_perm("skm.view_survey")
    finally:
        migrate(latest())  # later tests find the database as migrate left it
