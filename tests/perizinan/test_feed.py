"""The permit log and the task log feed their linked indicators through the realisation
service, as the survey feeds its index indicators: "Kirim ke indikator" writes a draft
(numerator, denominator and value for the share on time), the entry form shows where the
value comes from and refuses another one, the officer still submits, and the history says
where the figures came from. Nobody outside the unit gets anything but 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sasaran.models import Assignment, Indicator, Position, Realisation, Unit, User
from sasaran.perizinan.models import Permit, PermitIndicator, Task, TaskIndicator

D = datetime.date
UP = "up-pmptsp-jaktim"
PERMIT_INDICATOR = "Persentase Penerbitan Izin Tepat Waktu"
TASK_INDICATOR = "Mengantar surat kepada pihak terkait tepat waktu"


@pytest.fixture
def links(unit, types, kinds):
    iumk = types["IUMK"]
    for number, complete, issued in [
        ("A", D(2023, 3, 6), D(2023, 3, 6)),
        ("B", D(2023, 3, 10), D(2023, 3, 13)),
        ("C", D(2023, 3, 6), D(2023, 3, 8)),  # late
        ("D", D(2023, 4, 18), D(2023, 4, 26)),
    ]:
        Permit.objects.create(
            unit=unit, number=number, permit_type=iumk, complete_on=complete, issued_on=issued
        )
    for reference, start, end in [
        ("1", D(2023, 3, 6), D(2023, 3, 6)),
        ("2", D(2023, 3, 6), D(2023, 3, 8)),
    ]:
        Task.objects.create(
            unit=unit, reference=reference, kind=kinds["antar"], started_on=start, ended_on=end
        )
    permit_link = PermitIndicator(unit=unit, indicator=Indicator.objects.get(name=PERMIT_INDICATOR))
    permit_link.full_clean()
    permit_link.save()
    task_link = TaskIndicator(unit=unit, indicator=Indicator.objects.get(name=TASK_INDICATOR))
    task_link.full_clean()
    task_link.save()
    task_link.task_kinds.set([kinds["antar"]])
    return {"izin": permit_link, "tugas": task_link}


def feed(client, link, period, kind="izin"):
    return client.post(
        reverse("permit_feed", args=[UP]),
        {"jenis": kind, "tautan": link.pk, "periode": period, "kembali": period},
    )


def test_kirim_ke_indikator_writes_a_draft_with_its_parts(login_as, links):
    client = login_as("kepala")
    page = client.get(reverse("permit_unit", args=[UP]), {"tahun": "2023", "periode": "Q1"})
    html = page.content.decode()
    assert 'id="tautan-indikator"' in html and "Kirim ke indikator (TW 1)" in html
    response = feed(client, links["izin"], "Q1")
    assert response.status_code == 302
    assert response["Location"] == reverse("permit_unit", args=[UP]) + "?tahun=2023&periode=Q1"
    row = Realisation.objects.get(indicator=links["izin"].indicator, period="Q1")
    assert (row.numerator, row.denominator, row.value) == (
        Decimal("2"),
        Decimal("3"),
        Decimal("66.6667"),
    )
    assert row.status == "draft" and row.entered_by.username == "kepala"
    assert row.note == "Dari data perizinan TW 1 2023: 2 dari 3 izin terbit tepat waktu"
    reason = row.history.first().history_change_reason
    assert reason.startswith(
        "Persentase tepat waktu 66,67 % (2 dari 3 izin terbit tepat waktu) dikirim dari data "
        "perizinan TW 1 2023"
    )
    followed = client.get(response["Location"]).content.decode()
    assert "dikirim ke Persentase Penerbitan Izin Tepat Waktu, TW 1 (draf)" in followed


def test_the_entry_form_shows_the_source_and_the_officer_submits(login_as, links):
    client = login_as("kepala")
    indicator = links["izin"].indicator
    feed(client, links["izin"], "Q1")
    url = reverse("entry", args=[indicator.pk, "Q1"])
    html = client.get(url).content.decode()
    assert 'id="nilai-dari-sumber"' in html and "Nilai dari data perizinan" in html
    assert "?tahun=2023&amp;periode=Q1" in html  # the link back to the permit page
    assert 'name="numerator" value="2"' in html and 'name="denominator" value="3"' in html
    version = Realisation.objects.get(indicator=indicator, period="Q1").version
    # Another figure is refused at the field; the form keeps what was typed.
    typed = {"numerator": "3", "denominator": "3", "version": version, "submit": "1"}
    page = client.post(url, typed)
    assert page.status_code == 200
    assert "Nilai lain tidak dapat diketik" in page.content.decode()
    # The figures as sent are submitted, with the analysis a missed target needs.
    data = {
        "numerator": "2",
        "denominator": "3",
        "version": version,
        "submit": "1",
        "cause_analysis": "Satu izin IUMK terlambat.",
        "follow_up": "Pemantauan harian.",
    }
    assert client.post(url, data).status_code == 302
    row = Realisation.objects.get(indicator=indicator, period="Q1")
    assert row.status == "submitted" and row.value == Decimal("66.6667")


def test_a_submitted_period_is_refused_and_stays(login_as, links):
    client = login_as("kepala")
    feed(client, links["izin"], "Q1")
    Realisation.objects.filter(period="Q1").update(status="submitted")
    Permit.objects.filter(number="C").update(issued_on=D(2023, 3, 7))  # now all on time
    response = client.post(
        reverse("permit_feed", args=[UP]),
        {"jenis": "izin", "tautan": links["izin"].pk, "periode": "Q1"},
        follow=True,
    )
    assert "sedang diajukan untuk ditinjau" in response.content.decode()
    assert Realisation.objects.get(period="Q1").value == Decimal("66.6667")


def test_a_period_without_permits_sends_nothing(login_as, links):
    response = login_as("kepala").post(
        reverse("permit_feed", args=[UP]),
        {"jenis": "izin", "tautan": links["izin"].pk, "periode": "Q3"},
        follow=True,
    )
    assert "Belum ada izin terbit pada TW 3 2023" in response.content.decode()
    assert not Realisation.objects.exists()


def test_the_task_log_feeds_the_average_duration(login_as, links):
    client = login_as("caraka")
    response = feed(client, links["tugas"], "Q1", kind="tugas")
    assert response["Location"].startswith(reverse("permit_tasks", args=[UP]))
    row = Realisation.objects.get(indicator=links["tugas"].indicator, period="Q1")
    assert row.value == Decimal("1.0000") and row.numerator is None
    assert row.note == (
        "Dari log tugas staf TW 1 2023: 2 tugas, rata-rata 1,00 hari kerja, 50,00 % dalam batas"
    )
    html = client.get(reverse("entry", args=[row.indicator_id, "Q1"])).content.decode()
    assert "Nilai dari log tugas staf" in html and "rata-rata hari kerja" in html


def test_the_officer_of_another_indicator_may_not_send(login_as, links):
    # The Kasubbag TU neither enters nor reviews the Kepala Unit's indicator.
    assert feed(login_as("kasubbag"), links["izin"], "Q1").status_code == 404
    # The Caraka's own indicator, but not the permit one.
    client = login_as("caraka")
    assert feed(client, links["izin"], "Q1").status_code == 404
    assert not Realisation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"jenis": "izin", "tautan": "abc", "periode": "Q1"},
        {"jenis": "lain", "tautan": "1", "periode": "Q1"},
        {"jenis": "izin", "tautan": "999999", "periode": "Q1"},
        {"jenis": "izin", "tautan": "1", "periode": "Q9"},
        {"jenis": "izin", "tautan": "1", "periode": "M01"},  # not a period of the indicator
        {},
    ],
)
def test_tampered_feed_posts_are_404(login_as, links, data):
    if data.get("tautan") == "1":
        data = {**data, "tautan": links["izin"].pk}
    assert login_as("kepala").post(reverse("permit_feed", args=[UP]), data).status_code == 404


@pytest.fixture
def outsider(db):
    other_unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=other_unit, name="Kepala", level="kepala")
    user = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=user, position=position, role="head")
    return user


def test_another_units_user_gets_404_on_every_page_and_post(
    client, links, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(outsider)
    pages = [
        reverse("permit_unit", args=[UP]),
        reverse("permit_tasks", args=[UP]),
        reverse("permit_import", args=[UP, "izin"]),
        reverse("permit_import", args=[UP, "tugas"]),
        reverse("permit_import", args=[UP, "izin"]) + "?format=csv",
        reverse("permit_settings", args=[UP]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"aksi": "simpan", "bagian": "kalender"}).status_code in (
            404,
            405,
        ), url
    assert feed(client, links["izin"], "Q1").status_code == 404
    assert feed(client, links["tugas"], "Q1", kind="tugas").status_code == 404
    # Their own unit's page is theirs; the home page leads there.
    assert client.get(reverse("permit_home"))["Location"] == reverse(
        "permit_unit", args=["up-lain"]
    )
    assert not Realisation.objects.exists()


def test_the_parent_head_reads_but_does_not_import_or_set(login_as, links):
    client = login_as("kadis")
    assert client.get(reverse("permit_unit", args=[UP])).status_code == 200
    assert client.get(reverse("permit_tasks", args=[UP])).status_code == 200
    assert client.get(reverse("permit_import", args=[UP, "izin"])).status_code == 404
    assert client.get(reverse("permit_settings", args=[UP])).status_code == 404
    # He reviews the Kepala Unit's own indicators: he may send their figures.
    assert feed(client, links["izin"], "Q1").status_code == 302


def test_settings_by_the_head(login_as, unit, types):
    client = login_as("kepala")
    url = reverse("permit_settings", args=[UP])
    page = client.get(url)
    assert page.status_code == 200 and "Cuti Bersama Hari Raya Idul Fitri" in page.content.decode()
    assert client.post(url, {"bagian": "kalender"}).status_code == 302
    assert unit.work_calendar.cuti_bersama_off is False
    formset = {
        "izin-TOTAL_FORMS": "3",
        "izin-INITIAL_FORMS": "2",
        "izin-0-id": types["PBG"].pk,
        "izin-0-code": "PBG",
        "izin-0-name": "Persetujuan Bangunan Gedung",
        "izin-0-standard_days": "28",
        "izin-0-sop_reference": "SOP/PBG/1",
        "izin-1-id": types["IUMK"].pk,
        "izin-1-code": "IUMK",
        "izin-1-name": "Izin Usaha Mikro dan Kecil",
        "izin-1-standard_days": "1",
        "izin-1-sop_reference": "",
        "izin-2-code": "pbg",  # the same code again (any case)
        "izin-2-name": "Ganda",
        "izin-2-standard_days": "abc",
        "izin-2-sop_reference": "",
        "bagian": "izin",
    }
    page = client.post(url, formset)
    html = page.content.decode()
    assert page.status_code == 400
    assert (
        "Kode ini sudah dipakai di baris lain." in html and "Isi bilangan bulat hari kerja" in html
    )
    assert 'value="Ganda"' in html  # what was typed stays
    formset.update(
        {
            "izin-2-code": "SLF",
            "izin-2-name": "Sertifikat Laik Fungsi",
            "izin-2-standard_days": "10",
        }
    )
    assert client.post(url, formset).status_code == 302
    types["PBG"].refresh_from_db()
    assert (types["PBG"].standard_days, types["PBG"].sop_reference) == (28, "SOP/PBG/1")
    assert unit.permit_types.get(code="SLF").standard_days == 10
    # Staff of the unit may not.
    assert login_as("analis").get(url).status_code == 404
