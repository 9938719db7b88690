"""The satisfaction survey (SKM) in the database: models and constraints, services,
result page, entry grid and access (404 outside the user's units)."""

from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from mutu.demo import load_example_survey
from sasaran.models import Unit, User
from sasaran.skm import ikm as skm
from sasaran.skm import limits as survey_limits
from sasaran.skm import services as survey_services
from sasaran.skm.models import Answer, Response, Survey, SurveyService, Unsur
from tests.conftest import logged_in

DOMAIN_LABELS = {
    "U1": ("Persyaratan", "Tidak sesuai", "Sangat sesuai"),
    "U4": ("Biaya/Tarif", "Sangat mahal", "Gratis"),
    "U7": ("Perilaku Pelaksana", "Tidak sopan dan ramah", "Sangat sopan dan ramah"),
    "U8": ("Penanganan Pengaduan, Saran dan Masukan", "Tidak ada", "Dikelola dengan baik"),
    "U9": ("Sarana dan Prasarana", "Buruk", "Sangat Baik"),
}


@pytest.fixture
def survey(demo):
    return survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=2023,
        period_kind="quarter",
        period_number=1,
        services=["Perizinan", "Non Perizinan"],
        population=100,
        follow_up_plan="Menambah petugas loket pada jam sibuk.",
    )


def add(survey, service_name, *answer_rows, date="2023-02-01", **profile):
    service = survey.services.get(name=service_name)
    unsur = list(survey.unsur.all())
    rows = [
        {
            "service": service,
            "date": __import__("datetime").date.fromisoformat(date),
            "answers": {u.pk: value for u, value in zip(unsur, answers, strict=True)},
            **profile,
        }
        for answers in answer_rows
    ]
    return survey_services.responses_create(survey=survey, rows=rows)


# --------------------------------------------------------------------------- models


def test_survey_create_seeds_the_nine_standard_unsur(survey):
    unsur = list(survey.unsur.all())
    assert [u.code for u in unsur] == [f"U{i}" for i in range(1, 10)]
    by_code = {u.code: u for u in unsur}
    for code, (name, first, last) in DOMAIN_LABELS.items():
        assert by_code[code].name == name
        assert by_code[code].labels[0] == first and by_code[code].labels[3] == last
        assert by_code[code].question.endswith("?")
    assert all(u.weight == Fraction(1, 9) for u in unsur)
    assert sum(u.weight for u in unsur) == 1
    assert [s.name for s in survey.services.all()] == ["Perizinan", "Non Perizinan"]
    tokens = [s.public_token for s in survey.services.all()]
    assert len(set(tokens)) == 2 and all(len(t) >= 12 for t in tokens)
    assert survey.period_label == "TW 1 2023"


def test_survey_period_dates():
    assert Survey(year=2023, period_kind="quarter", period_number=2).period_dates() == (
        __import__("datetime").date(2023, 4, 1),
        __import__("datetime").date(2023, 6, 30),
    )
    first, last = Survey(year=2024, period_kind="semester", period_number=2).period_dates()
    assert (first.month, last.month, last.day) == (7, 12, 31)
    first, last = Survey(year=2024, period_kind="year", period_number=1).period_dates()
    assert (first.month, last.month) == (1, 12)


@pytest.mark.parametrize("value", [0, 5])
def test_database_refuses_answers_outside_1_to_4(survey, value):
    response = add(survey, "Perizinan", [4] * 9)[0]
    unsur = survey.unsur.first()
    Answer.objects.filter(response=response, unsur=unsur).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, unsur=unsur, value=value)


def test_database_refuses_a_second_answer_to_the_same_unsur(survey):
    response = add(survey, "Perizinan", [4] * 9)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, unsur=survey.unsur.first(), value=3)


@pytest.mark.parametrize(("kind", "number"), [("quarter", 5), ("semester", 3), ("year", 2)])
def test_database_refuses_an_impossible_period(survey, kind, number):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(unit=survey.unit, year=2024, period_kind=kind, period_number=number)


def test_database_refuses_a_zero_weight(survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unsur.objects.filter(survey=survey, code="U1").update(weight_numerator=0)


def test_one_survey_per_unit_and_period(survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(unit=survey.unit, year=2023, period_kind="quarter", period_number=1)


def test_check_weights():
    survey_services.check_weights([Fraction(1, 9)] * 9)
    with pytest.raises(Exception, match="tepat 1"):
        survey_services.check_weights([Fraction(111, 1000)] * 9)


# --------------------------------------------------------------------------- services


def test_responses_create_is_all_or_nothing(survey):
    service = survey.services.get(name="Perizinan")
    unsur = list(survey.unsur.all())
    good = {u.pk: 4 for u in unsur}
    bad = {**good, unsur[2].pk: 5}
    date = __import__("datetime").date(2023, 2, 1)
    rows = [
        {"service": service, "date": date, "answers": good},
        {"service": service, "date": date, "answers": bad},
        {"service": service, "date": __import__("datetime").date(2023, 5, 1), "answers": good},
    ]
    with pytest.raises(Exception) as error:
        survey_services.responses_create(survey=survey, rows=rows)
    messages = error.value.messages
    assert "Baris 2: jawaban harus 1, 2, 3 atau 4." in messages
    assert "Baris 3: tanggal di luar periode survei." in messages
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_responses_create_refuses_a_service_of_another_survey(survey):
    other = survey_services.survey_create(
        unit=survey.unit, year=2023, period_number=2, services=["Lain"]
    )
    row = {
        "service": other.services.get(),
        "date": __import__("datetime").date(2023, 2, 1),
        "answers": {u.pk: 4 for u in survey.unsur.all()},
    }
    with pytest.raises(Exception, match="jenis layanan"):
        survey_services.responses_create(survey=survey, rows=[row])


def test_unanswered_unsur_are_stored_as_no_row(survey):
    add(survey, "Perizinan", [4, None, 3, 3, 3, 3, 3, 3, 3])
    assert Answer.objects.count() == 8


def test_survey_result_pools_services_and_matches_the_library(survey):
    add(survey, "Perizinan", [4] * 9)
    add(survey, "Non Perizinan", [2] * 9, [2] * 9, [2] * 9)
    result = survey_services.survey_result(survey)
    assert result.respondents == 4
    assert result.ikm.ikm == skm.compute_ikm([[4] * 9] + [[2] * 9] * 3).ikm == Fraction(125, 2)
    assert result.ikm_text == "62,50"
    per_service = {row.service.name: row.ikm.ikm for row in result.service_rows}
    assert per_service == {"Perizinan": 100, "Non Perizinan": 50}
    assert result.sample_minimum == 80 and result.sample_short


# --------------------------------------------------------------------------- pages


def test_result_page_shows_ikm_bands_unsur_and_follow_up(client, survey):
    add(survey, "Perizinan", [4, 3, 3, 4, 3, 3, 4, 2, 3], sex="P", age_group="30-39")
    add(survey, "Perizinan", [3, 3, 2, 4, 3, 4, 4, 3, 3], sex="L")
    add(survey, "Non Perizinan", [4, 4, 3, 4, 3, 3, 3, 2, 4], sex="P")
    logged_in(client, "kepala")
    response = client.get(reverse("survey_detail", args=[survey.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    result = response.context["result"]
    assert result.ikm.ikm == Fraction(88 * 25, 27)
    assert '<div class="display-6" id="nilai-ikm">81,48</div>' in html
    assert 'id="nilai-interval">3,259<' in html
    assert 'id="mutu">B<' in html and 'id="kinerja">Baik<' in html
    assert "U8 Penanganan Pengaduan, Saran dan Masukan" in html  # weakest
    assert 'id="unsur-tertinggi">U4 Biaya/Tarif<' in html
    assert "3,67" in html  # NRR of U1: 11/3
    assert "1/9 (0,111)" in html
    assert "Menambah petugas loket pada jam sibuk." in html
    assert 'id="peringatan-sampel"' in html and "(80)" in html
    assert "Perempuan" in html and "66,67 %" in html  # two of three


def test_result_page_without_respondents(client, survey):
    logged_in(client, "kepala")
    html = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert "Belum ada responden" in html


def test_result_page_without_warning_when_sample_is_enough(client, survey):
    survey.population = 3
    survey.save()
    add(survey, "Perizinan", [4] * 9, [4] * 9, [4] * 9)
    logged_in(client, "kepala")
    html = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert 'id="peringatan-sampel"' not in html
    assert 'id="nilai-ikm">100,00<' in html and 'id="mutu">A<' in html


def test_result_page_query_count_does_not_grow_with_respondents(
    client, survey, django_assert_max_num_queries
):
    logged_in(client, "kepala")
    url = reverse("survey_detail", args=[survey.pk])
    add(survey, "Perizinan", [4] * 9)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(survey, "Perizinan", *([[3] * 9] * 40))
    add(survey, "Non Perizinan", *([[2, None, 3, 4, 4, 4, 4, 4, 4]] * 40))
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["result"].respondents == 81


def test_survey_list_shows_only_the_users_units(client, survey):
    logged_in(client, "cro")
    html = client.get(reverse("survey_list")).content.decode()
    assert "TW 1 2023" in html
    logged_in(client, "kadis")  # head of the parent Dinas: not assigned in the UP
    response = client.get(reverse("survey_list"))
    assert response.status_code == 200
    assert "TW 1 2023" not in response.content.decode()


@pytest.mark.parametrize("username", ["kadis"])
def test_users_outside_the_unit_get_404(client, survey, username):
    logged_in(client, username)
    for name in ("survey_detail", "survey_entry"):
        url = reverse(name, args=[survey.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_user_without_assignment_gets_404_on_the_list(client, survey):
    User.objects.create_user("tamu", password="x")
    logged_in(client, "tamu")
    assert client.get(reverse("survey_list")).status_code == 404
    assert client.get(reverse("survey_detail", args=[survey.pk])).status_code == 404


def test_superuser_sees_every_survey(client, survey):
    logged_in(client, "admin")
    assert client.get(reverse("survey_detail", args=[survey.pk])).status_code == 200


def test_pages_need_login(client, survey):
    for url in (
        reverse("survey_list"),
        reverse("survey_detail", args=[survey.pk]),
        reverse("survey_entry", args=[survey.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


# --------------------------------------------------------------------------- entry grid


def grid(survey, rows, total=None):
    """POST data of the entry grid: rows are dicts of field name -> value; u1..u9 answers;
    with the one-time token a freshly rendered grid carries."""
    unsur = list(survey.unsur.all())
    service = survey.services.get(name="Perizinan")
    total = total or len(rows)
    data = {
        "r-TOTAL_FORMS": str(total),
        "r-INITIAL_FORMS": "0",
        "once": survey_limits.new_once_token(survey_limits.ENTRY_FORM),
    }
    for i in range(total):
        row = rows[i] if i < len(rows) else {}
        data[f"r-{i}-service"] = str(service.pk)
        data[f"r-{i}-date"] = row.get("date", "2023-02-14")
        for name in ("sex", "age_group", "education", "occupation"):
            data[f"r-{i}-{name}"] = row.get(name, "")
        answers = row.get("answers", "")
        for u, value in zip(unsur, answers.ljust(9), strict=True):
            data[f"r-{i}-u_{u.pk}"] = value.strip()
    return data


def test_entry_grid_saves_rows_and_skips_empty_ones(client, survey):
    logged_in(client, "cro")
    url = reverse("survey_entry", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="form-control form-control-sm jawaban') == 90
    rows = [
        {"answers": "443343343", "sex": "L", "age_group": "30-39"},
        {"answers": "4444 4444", "sex": "P", "education": "S1", "occupation": "swasta"},
    ]
    response = client.post(url, grid(survey, rows, total=5))
    assert response.status_code == 302
    assert Response.objects.count() == 2
    assert Answer.objects.count() == 17  # U5 of the second row left blank
    first = Response.objects.order_by("pk").first()
    assert (first.sex, first.age_group, first.source) == ("L", "30-39", "paper")
    follow = client.get(response["Location"])
    assert "2 responden disimpan." in follow.content.decode()


def test_entry_grid_cells_are_named_by_column_and_row(client, survey):
    """The grid shows its labels only in the header row; each cell carries its own name for
    screen readers (issue 20)."""
    logged_in(client, "cro")
    page = client.get(reverse("survey_entry", args=[survey.pk])).content.decode()
    first = survey.unsur.order_by("pk").first()
    assert f'aria-label="{first.code} {first.name}, baris 3"' in page
    assert 'aria-label="Usia, baris 10"' in page
    assert 'aria-label="Tanggal, baris 1"' in page


def test_entry_grid_reports_bad_rows_in_indonesian_and_saves_nothing(client, survey):
    logged_in(client, "cro")
    url = reverse("survey_entry", args=[survey.pk])
    rows = [
        {"answers": "444444444"},
        {"answers": "445444444"},
        {"answers": "44x444444", "date": ""},
        {"answers": "", "sex": "L"},
    ]
    response = client.post(url, grid(survey, rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Baris 2: U3: jawaban harus 1, 2, 3 atau 4 (diterima “5”)." in html
    assert "Baris 3: U3: jawaban harus 1, 2, 3 atau 4 (diterima “x”)." in html
    assert "Baris 3: Tanggal: Tanggal wajib diisi." in html
    assert "Baris 4: Isi minimal satu jawaban." in html
    assert "Baris 1" not in html
    assert Response.objects.count() == 0
    # What was typed stays on the page to be corrected.
    assert 'value="5"' in html


def test_entry_grid_refuses_a_date_outside_the_period(client, survey):
    logged_in(client, "cro")
    response = client.post(
        reverse("survey_entry", args=[survey.pk]),
        grid(survey, [{"answers": "444444444", "date": "2023-07-01"}]),
    )
    assert response.status_code == 400
    assert "Baris 1: tanggal di luar periode survei." in response.content.decode()
    assert Response.objects.count() == 0


def test_entry_grid_with_nothing_typed(client, survey):
    logged_in(client, "cro")
    response = client.post(reverse("survey_entry", args=[survey.pk]), grid(survey, [], total=3))
    assert response.status_code == 400
    assert "Belum ada baris yang diisi." in response.content.decode()


def test_entry_grid_refuses_a_service_of_another_survey(client, survey):
    other = survey_services.survey_create(
        unit=survey.unit, year=2023, period_number=2, services=["Lain"]
    )
    data = grid(survey, [{"answers": "444444444"}])
    data["r-0-service"] = str(SurveyService.objects.get(survey=other).pk)
    logged_in(client, "cro")
    response = client.post(reverse("survey_entry", args=[survey.pk]), data)
    assert response.status_code == 400
    assert Response.objects.count() == 0


# --------------------------------------------------------------------------- demo


def test_survey_demo_is_idempotent_and_marked_as_example(demo):
    first = load_example_survey()
    second = load_example_survey()
    assert first.pk == second.pk
    assert Survey.objects.count() == 1
    assert Response.objects.count() == 30
    assert first.note.startswith("DATA CONTOH")
    result = survey_services.survey_result(first)
    assert result.ikm is not None and result.respondents == 30
    assert {row.service.name for row in result.service_rows} == {"Perizinan", "Non Perizinan"}


def test_survey_demo_without_the_unit_does_nothing(db):
    assert load_example_survey() is None
    assert Survey.objects.count() == 0


# --------------------------------------------------------------------------- admin


def test_admin_pages_of_the_survey_open(client, survey):
    add(survey, "Perizinan", [4] * 9)
    logged_in(client, "admin")
    for url in (
        reverse("admin:skm_survey_changelist"),
        reverse("admin:skm_survey_change", args=[survey.pk]),
        reverse("admin:skm_survey_add"),
        reverse("admin:skm_response_changelist"),
        reverse("admin:skm_response_change", args=[Response.objects.get().pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_admin_add_seeds_the_standard_unsur(client, demo):
    logged_in(client, "admin")
    data = {
        "unit": Unit.objects.get(code="up-pmptsp-jaktim").pk,
        "year": "2024",
        "period_kind": "semester",
        "period_number": "1",
        "population": "500",
        "is_open": "on",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-0-name": "Perizinan",
        "services-0-order": "1",
        "indicator_links-TOTAL_FORMS": "0",
        "indicator_links-INITIAL_FORMS": "0",
        "unsur-TOTAL_FORMS": "0",
        "unsur-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:skm_survey_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(year=2024)
    assert survey.unsur.count() == 9 and survey.services.get().name == "Perizinan"


def test_admin_refuses_weights_not_summing_to_one(survey):
    from django.forms import inlineformset_factory

    from sasaran.skm.admin import UnsurFormSet

    factory = inlineformset_factory(
        Survey,
        Unsur,
        formset=UnsurFormSet,
        fields=[
            "code",
            "name",
            "question",
            "label_1",
            "label_2",
            "label_3",
            "label_4",
            "order",
            "weight_numerator",
            "weight_denominator",
        ],
        extra=0,
    )
    unsur = list(survey.unsur.all())
    data = {"unsur-TOTAL_FORMS": "9", "unsur-INITIAL_FORMS": "9"}
    for i, u in enumerate(unsur):
        for name in ("code", "name", "question", "label_1", "label_2", "label_3", "label_4"):
            data[f"unsur-{i}-{name}"] = getattr(u, name)
        data[f"unsur-{i}-id"] = str(u.pk)
        data[f"unsur-{i}-survey"] = str(survey.pk)
        data[f"unsur-{i}-order"] = str(u.order)
        data[f"unsur-{i}-weight_numerator"] = "111"
        data[f"unsur-{i}-weight_denominator"] = "1000"
    formset = factory(data, instance=survey, prefix="unsur")
    assert not formset.is_valid()
    assert "Jumlah bobot unsur harus tepat 1" in " ".join(formset.non_form_errors())
    data.update({"unsur-0-weight_numerator": "1", "unsur-0-weight_denominator": "3"})
    for i in range(1, 9):
        data.update({f"unsur-{i}-weight_numerator": "1", f"unsur-{i}-weight_denominator": "12"})
    assert factory(data, instance=survey, prefix="unsur").is_valid()


def test_no_weakest_or_strongest_when_every_unsur_is_equal(survey):
    add(survey, "Perizinan", [4] * 9)
    result = survey_services.survey_result(survey)
    assert result.weakest_text == "semua unsur bernilai sama"
    assert not any(row.weakest or row.strongest for row in result.unsur_rows)


def test_excel_report_of_the_result(client, survey):
    import io

    from openpyxl import load_workbook

    survey.follow_up_plan = '=HYPERLINK("x")'  # user text never becomes a formula
    survey.save()
    add(survey, "Perizinan", [4] * 9, sex="P")
    add(survey, "Non Perizinan", [2] * 9, [2] * 9, [2] * 9)
    logged_in(client, "kepala")
    response = client.get(reverse("survey_excel", args=[survey.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = {
        row[0].value: row[1].value for row in book["Hasil"].iter_rows(max_col=2) if row[0].value
    }
    assert values["Jumlah responden"] == 4
    assert values["IKM (konversi 25-100)"] == 62.5
    assert values["Mutu pelayanan"] == "D" and values["Minimal sampel (Krejcie-Morgan)"] == 80
    assert values["Perizinan"] == 1 and values["Unit (seluruh responden)"] == 4
    plan = survey.follow_up_plan
    cell = next(c for row in book["Hasil"].iter_rows() for c in row if c.value == plan)
    assert cell.data_type == "s"
    recap = list(book["Rekap"].iter_rows(values_only=True))
    assert recap[0][:3] == ("No", "Jenis layanan", "Jenis kelamin")
    assert recap[1][2] == "Perempuan" and recap[1][7:] == (4,) * 9
    assert len(recap) == 5
    logged_in(client, "kadis")
    assert client.get(reverse("survey_excel", args=[survey.pk])).status_code == 404
