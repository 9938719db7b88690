"""A year copy that is right, and landing where the work is (issue 13), through HTTP.

Before: one click on the dashboard copied 2023 into 2024 at once, with last year's document
number and "untuk tahun 2023" in the introduction (so the official PDF and Excel of 2024
printed the wrong year); the Dinas head landed on an empty dashboard of the current year
with a blank year list and was offered to copy that empty year."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from sasaran.models import QualityManual, Target
from tests.sasaran.test_dashboard import confirm_new_year, new_year_data

pytestmark = pytest.mark.usefixtures("demo_examples")

UP = "up-pmptsp-jaktim"
DINAS = "dpmptsp-dki"
INTRO_KEY = "ganti:manual-{pk}.introduction"
NOTE_KEY = "ganti:manual-{pk}.note"


@pytest.fixture
def source():
    return QualityManual.objects.get(unit__code=UP, year=2023)


def test_the_form_previews_and_creates_nothing(login_as, source):
    before = QualityManual.objects.count(), Target.objects.count()
    response = login_as("kepala").get(reverse("new_year", args=[UP]), {"dari": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert (QualityManual.objects.count(), Target.objects.count()) == before
    assert "31 indikator" in html and "147 target" in html
    changes = {c.key: c for c in response.context["form"].changes}
    intro = changes[f"manual-{source.pk}.introduction"]
    assert "untuk tahun 2023" in intro.before and "untuk tahun 2024" in intro.after
    assert "untuk tahun 2024 menetapkan" in html
    form = response.context["form"]
    assert form["document_number"].value() == "L2/MM-02"
    assert form["effective_date"].value() == datetime.date(2024, 7, 1)


def test_confirmed_copy_takes_the_new_identity_and_the_new_year_in_its_texts(login_as, source):
    client = login_as("kepala")
    response = confirm_new_year(
        client,
        document_number="L2/MM-02/2024",
        effective_date="2024-01-02",
        revision="1",
        **{NOTE_KEY.format(pk=source.pk): None},  # the note stays about the 2023 document
    )
    assert response.status_code == 302
    manual = QualityManual.objects.get(unit__code=UP, year=2024)
    assert manual.document_number == "L2/MM-02/2024" and manual.revision == 1
    assert manual.effective_date == datetime.date(2024, 1, 2)
    assert "untuk tahun 2024" in manual.introduction and "2023" not in manual.introduction
    assert manual.note == source.note and "2023" in manual.note
    source.refresh_from_db()
    assert "untuk tahun 2023" in source.introduction  # last year's document is untouched

    # The official workbook of 2024 prints 2024.
    workbook = client.get(reverse("document_download", args=[UP, 2024, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "untuk tahun 2024" in texts and "untuk tahun 2023" not in texts


def test_a_carried_target_leaves_last_years_revision_behind(login_as, source):
    target = Target.objects.filter(indicator__objective__section__manual=source).first()
    Target.objects.filter(pk=target.pk).update(
        original_value=1, revision_reason="SK perubahan", revision_reference="SK 9/2023"
    )
    assert confirm_new_year(login_as("kepala"), target="salin").status_code == 302
    copied = Target.objects.get(
        indicator__objective__section__manual__year=2024,
        indicator__name=target.indicator.name,
        indicator__order=target.indicator.order,
        period=target.period,
    )
    assert copied.value == target.value
    assert (copied.original_value, copied.revision_reason, copied.revision_reference) == (
        None,
        "",
        "",
    )


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("effective_date", "2023-12-31", "Tanggal berlaku harus dalam tahun 2024."),
        ("effective_date", "31-31-2024", "Masukkan tanggal yang valid."),
        ("document_number", "", "Bidang ini tidak boleh kosong."),
        ("document_number", "N" * 51, "paling banyak 50 karakter"),
        ("revision", "-1", "lebih besar dari atau sama dengan 0"),
        ("revision", "9" * 40, "lebih kecil dari atau sama dengan 999"),
        ("target", "x", "Masukkan pilihan yang valid"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(login_as, field, value, message):
    client = login_as("kepala")
    response = client.post(reverse("new_year", args=[UP]), new_year_data(client, **{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    if field != "target":
        assert form[field].value() == value  # what was typed is shown again
    assert not QualityManual.objects.filter(year=2024).exists()


def test_hostile_text_in_the_document_number_is_refused_or_kept_never_a_500(login_as):
    client = login_as("kepala")
    for value in ["a\x00b", "<script>alert(1)</script>", "=1+1", "\u202e" * 10]:
        response = client.post(
            reverse("new_year", args=[UP]), new_year_data(client, document_number=value)
        )
        assert response.status_code in (200, 302)
        QualityManual.objects.filter(year=2024).delete()


def test_the_copy_is_offered_only_for_a_year_that_has_a_manual(login_as):
    client = login_as("kepala")
    html = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023}).content.decode()
    assert 'id="mulai-tahun-baru"' in html and "?dari=2023" in html
    confirm_new_year(client)
    html = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023}).content.decode()
    assert 'id="mulai-tahun-baru"' not in html  # 2024 exists
    html = client.get(reverse("dashboard", args=[UP]), {"tahun": 2024}).content.decode()
    assert "?dari=2024" in html


def test_the_parent_head_lands_on_the_units_below_with_their_year(login_as):
    client = login_as("kadis")
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.resolver_match.url_name == "comparison"
    assert response.context["years"] == [2023] and response.context["year"] == 2023
    assert response.context["quarter"] == 3  # the last quarter reported, not an empty TW 4
    # The seed's unit and the demo's example office.
    assert [row["unit"].code for row in response.context["rows"]] == ["up-pmptsp-jakbar", UP]
    assert "mulai-tahun-baru" not in response.content.decode()  # nothing empty to copy


def test_the_dinas_dashboard_goes_to_the_overview_and_keeps_the_period(login_as):
    response = login_as("kadis").get(reverse("dashboard", args=[DINAS]), {"tahun": 2023, "tw": 2})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("comparison", args=[DINAS]))
    assert "tahun=2023" in response["Location"] and "tw=2" in response["Location"]


def test_switching_the_year_keeps_the_chosen_quarter(login_as):
    html = (
        login_as("kepala")
        .get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 3})
        .content.decode()
    )
    picker = html[html.index('id="pilih-periode"') :]
    picker = picker[: picker.index("</form>")]
    # The year select submits the form: the period goes with it, before the period buttons
    # (a pressed button is sent after it and wins). An old `?tw=3` address opens TW 3.
    hidden = re.search(r'<input type="hidden" name="periode" value="(\w+)">', picker)
    assert hidden and hidden.group(1) == "Q3"
    assert picker.index(hidden.group(0)) < picker.index('name="periode" value="Q1" class="btn')


def test_a_past_year_opens_on_its_last_reported_quarter(login_as):
    client = login_as("kepala")
    response = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023})
    assert response.context["quarter"] == 3
    response = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1})
    assert response.context["quarter"] == 1
