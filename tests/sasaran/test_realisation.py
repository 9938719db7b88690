"""Quarterly realisations through HTTP: entry, validation, workflow, history, concurrency."""

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sasaran import services
from sasaran.models import Evidence, Indicator, Realisation, Target, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def indicator(name):
    return Indicator.objects.get(name=name)


def kepegawaian():
    return indicator("Persentase updating data kepegawaian")


def url(ind, period="Q1"):
    return reverse("entry", args=[ind.pk, period])


def post(client, ind, period="Q1", submit=False, **fields):
    data = {"version": "", **fields}
    if submit:
        data["submit"] = "1"
    else:
        data["save"] = "1"
    return client.post(url(ind, period), data)


# --- Tugas saya -------------------------------------------------------------------------


def test_home_lists_the_periods_of_own_indicators_only(login_as):
    client = login_as("kasubbag")
    response = client.get(reverse("tasks"))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["tasks"]) == 15 * 4
    assert "Persentase updating data kepegawaian" in html
    assert "Indeks Kepuasan Layanan Administrasi Keuangan" not in html


def test_home_shows_months_for_monthly_and_year_for_yearly(login_as):
    tasks = login_as("juruukur").get(reverse("tasks")).context["tasks"]
    assert [t["period"] for t in tasks][:12] == [f"M{m:02d}" for m in range(1, 13)]
    tasks = login_as("cro").get(reverse("tasks")).context["tasks"]
    assert [t["period"] for t in tasks] == ["Y"]


def test_home_shows_return_reason(login_as):
    client = login_as("kasubbag")
    post(client, kepegawaian(), submit=True, value="100")
    row = Realisation.objects.get()
    services.realisation_return(
        realisation=row, user=User.objects.get(username="kepala"), reason="Lampirkan rekap SIMPEG"
    )
    html = client.get(reverse("tasks")).content.decode()
    assert "Dikembalikan" in html and "Lampirkan rekap SIMPEG" in html


def test_home_query_count_does_not_grow_with_indicators(login_as, django_assert_max_num_queries):
    client = login_as("kasubbag")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tasks"))
    # Ten more indicators with targets and realisations for the same officer.
    template = kepegawaian()
    kasubbag = User.objects.get(username="kasubbag")
    for n in range(10):
        extra = Indicator.objects.create(
            objective=template.objective,
            order=10 + n,
            name=f"Indikator tambahan {n}",
            measurement_method="Menyusun Laporan",
            frequency="quarterly",
            responsible_position=template.responsible_position,
            kind="count",
        )
        for period in ("Q1", "Q2", "Q3", "Q4", "Y"):
            Target.objects.create(indicator=extra, period=period, value=1)
        Realisation.objects.create(indicator=extra, period="Q1", value=1, entered_by=kasubbag)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("tasks"))
    assert len(response.context["tasks"]) == 25 * 4


# --- Entry ------------------------------------------------------------------------------


def test_decimal_comma_is_saved_as_draft_and_shown_back(login_as):
    client = login_as("kasubbag")
    response = post(client, kepegawaian(), value="87,28", note="Rekap SIMPEG")
    assert response.status_code == 302
    row = Realisation.objects.get(indicator=kepegawaian(), period="Q1")
    assert row.value == Decimal("87.28")
    assert row.status == "draft"
    assert row.entered_by.username == "kasubbag"
    html = client.get(url(kepegawaian())).content.decode()
    assert 'value="87,28"' in html
    assert "87,28 %" in html  # capaian against a target of 100


def test_entry_shows_targets_of_period_and_year(login_as):
    ind = indicator("Jumlah peralatan dan mesin lainnya yang dipelihara")
    html = login_as("kasubbag").get(url(ind, "Q2")).content.decode()
    assert 'id="target-periode">10' in html
    assert 'id="target-tahunan">250' in html


@pytest.mark.parametrize(
    "typed,message",
    [
        ("sepuluh", "Bukan angka yang sah"),
        ("-3", "tidak boleh negatif"),
        ("120", "tidak mungkin melebihi 100"),
    ],
)
def test_bad_numbers_are_refused_at_the_field_and_kept(login_as, typed, message):
    client = login_as("kasubbag")
    response = post(client, kepegawaian(), value=typed, note="catatan saya")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html
    assert "catatan saya" in html
    assert not Realisation.objects.exists()


def test_numerator_over_denominator_is_refused(login_as):
    ind = indicator("Persentase Penerbitan Izin Tepat Waktu")
    client = login_as("kepala")
    response = post(client, ind, numerator="120", denominator="100")
    assert "Pembilang tidak boleh lebih besar dari penyebut" in response.content.decode()
    assert not Realisation.objects.exists()


def test_fraction_computes_the_percentage(login_as):
    ind = indicator("Persentase Penerbitan Izin Tepat Waktu")
    client = login_as("kepala")
    post(client, ind, numerator="1.234", denominator="1.250", note="Jakevo TW 1")
    row = Realisation.objects.get()
    assert (row.numerator, row.denominator) == (Decimal(1234), Decimal(1250))
    assert row.value == Decimal("98.72")


def test_money_with_t_suffix(login_as):
    ind = indicator("Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten")
    client = login_as("kepala")
    post(client, ind, value="3,721 T")
    row = Realisation.objects.get()
    assert row.value == Decimal("3721000000000")
    html = client.get(url(ind)).content.decode()
    assert "100,00 %" in html


def test_index_on_interval_scale_gives_band(login_as):
    ind = indicator("Indeks Kepuasan Layanan Administrasi Keuangan")
    client = login_as("kepala")
    post(client, ind, value="3,6", scale="interval")
    assert Realisation.objects.get().value == Decimal("90.0")
    html = client.get(url(ind)).content.decode()
    assert "Sangat Baik" in html and "Target tercapai" in html
    response = post(client, ind, "Q2", value="4,5", scale="interval")
    assert "Nilai indeks harus di antara 1–4" in response.content.decode()


def test_missed_target_requires_analysis_and_follow_up_on_submit(login_as):
    client = login_as("kasubbag")
    response = post(client, kepegawaian(), submit=True, value="80")
    html = response.content.decode()
    assert html.count("Target tidak tercapai: wajib diisi") == 2
    assert not Realisation.objects.exists()
    response = post(
        client,
        kepegawaian(),
        submit=True,
        value="80",
        cause_analysis="Data mutasi terlambat",
        follow_up="Rekonsiliasi bulanan",
    )
    assert response.status_code == 302
    assert Realisation.objects.get().status == "submitted"


def test_zero_target_is_not_applicable(login_as):
    ind = indicator("Persentasi Pelaksanaan Pengawasan Perizinan")  # TW 1 target 0
    client = login_as("kepala")
    post(client, ind, numerator="0", denominator="5")
    html = client.get(url(ind)).content.decode()
    assert "tidak berlaku" in html


def test_preview_computes_before_saving(login_as):
    client = login_as("kasubbag")
    response = client.post(reverse("preview", args=[kepegawaian().pk, "Q1"]), {"value": "95,5"})
    html = response.content.decode()
    assert "95,50 %" in html and "Target tidak tercapai" in html
    assert not Realisation.objects.exists()


def test_cumulative_indicator_compares_year_to_date(login_as):
    ind = indicator("Jumlah peralatan dan mesin lainnya yang dipelihara")  # 0, 10, 110, 250
    client = login_as("kasubbag")
    post(client, ind, "Q2", value="10")
    post(client, ind, "Q3", value="45")
    html = client.get(url(ind, "Q3")).content.decode()
    assert "50,00 %" in html  # 55 to date against 110


# --- Evidence ---------------------------------------------------------------------------


def test_evidence_is_attached_and_downloadable_by_owner_and_head(
    login_as, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login_as("kasubbag")
    upload = SimpleUploadedFile("rekap tw1.pdf", PDF, content_type="application/pdf")
    client.post(
        url(kepegawaian()), {"version": "", "save": "1", "value": "100", "evidence": upload}
    )
    evidence = Evidence.objects.get()
    assert evidence.original_name == "rekap tw1.pdf"
    assert not evidence.file.name.endswith("rekap tw1.pdf")  # stored under our own name
    response = client.get(reverse("evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    login_as("kepala")
    assert client.get(reverse("evidence", args=[evidence.pk])).status_code == 200
    login_as("cro")
    assert client.get(reverse("evidence", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("skrip.exe", b"MZ\x90\x00", "Jenis berkas tidak diizinkan"),
        ("palsu.pdf", b"<html>not a pdf</html>", "Isi berkas tidak sesuai"),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "Berkas terlalu besar"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_saved(
    login_as, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    client = login_as("kasubbag")
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        url(kepegawaian()), {"version": "", "save": "1", "value": "100", "evidence": upload}
    )
    assert message in response.content.decode()
    assert not Realisation.objects.exists() and not Evidence.objects.exists()


def test_path_traversal_name_is_reduced_to_its_base_name(login_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login_as("kasubbag")
    upload = SimpleUploadedFile("../../etc/passwd.pdf", PDF)
    client.post(
        url(kepegawaian()), {"version": "", "save": "1", "value": "100", "evidence": upload}
    )
    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert (tmp_path / evidence.file.name).resolve().is_relative_to(tmp_path)


# --- Workflow ---------------------------------------------------------------------------


def test_submit_approve_lock_reopen(login_as, client):
    officer = login_as("kasubbag")
    post(officer, kepegawaian(), submit=True, value="100")
    row = Realisation.objects.get()
    assert row.status == "submitted"

    head = login_as("kepala")
    assert row.indicator.name in head.get(reverse("review")).content.decode()
    head.post(reverse("approve", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == "approved" and row.reviewed_by.username == "kepala"

    officer = login_as("kasubbag")
    html = officer.get(url(kepegawaian())).content.decode()
    assert 'id="terkunci"' in html and '<form method="post" enctype' not in html
    response = post(officer, kepegawaian(), value="50", version=str(row.version))
    assert "tidak dapat diubah" in response.content.decode()
    row.refresh_from_db()
    assert row.value == 100

    head = login_as("kepala")
    head.post(reverse("reopen", args=[row.pk]), {"reason": ""})
    row.refresh_from_db()
    assert row.status == "approved"  # a reason is required
    head.post(reverse("reopen", args=[row.pk]), {"reason": "Data SIMPEG direvisi"})
    row.refresh_from_db()
    assert row.status == "returned" and row.return_reason == "Data SIMPEG direvisi"


def test_return_requires_a_reason(login_as):
    post(login_as("kasubbag"), kepegawaian(), submit=True, value="100")
    row = Realisation.objects.get()
    head = login_as("kepala")
    head.post(reverse("send_back", args=[row.pk]), {"reason": "  "})
    row.refresh_from_db()
    assert row.status == "submitted"
    head.post(reverse("send_back", args=[row.pk]), {"reason": "Lampirkan bukti"})
    row.refresh_from_db()
    assert row.status == "returned"


def test_bulk_approve_per_section(login_as):
    officer = login_as("kasubbag")
    for name in ("Persentase updating data kepegawaian", "Persentase updating data aset"):
        post(officer, indicator(name), submit=True, value="100")
    section = kepegawaian().objective.section
    head = login_as("kepala")
    head.post(reverse("approve_section", args=[section.pk]))
    assert set(Realisation.objects.values_list("status", flat=True)) == {"approved"}
    assert Realisation.history.filter(history_change_reason__startswith="Disetujui").count() == 2


def test_history_page_shows_who_and_what(login_as):
    officer = login_as("kasubbag")
    post(officer, kepegawaian(), value="90")
    row = Realisation.objects.get()
    post(officer, kepegawaian(), submit=True, value="100", version=str(row.version))
    html = officer.get(reverse("history", args=[kepegawaian().pk])).content.decode()
    assert "Disimpan sebagai draf" in html and "Diajukan" in html
    assert "Sri Wahyuni" in html
    assert "90" in html and "100" in html


def test_second_save_from_a_stale_form_is_refused(login_as):
    client = login_as("kasubbag")
    post(client, kepegawaian(), value="90")
    stale = Realisation.objects.get().version
    post(client, kepegawaian(), value="95", version=str(stale))  # another tab saves first
    response = post(client, kepegawaian(), value="80", version=str(stale))
    html = response.content.decode()
    assert "sudah diubah oleh Sri Wahyuni" in html and "95,00" in html
    assert Realisation.objects.get().value == 95


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_wins_on_postgresql():
    from django.core.management import call_command

    call_command("load_demo", "--without-examples", verbosity=0)
    user = User.objects.get(username="kasubbag")
    ind = kepegawaian()
    row = services.realisation_save(
        indicator=ind,
        period="Q1",
        user=user,
        data={"value": Decimal(1)},
        version=None,
        submit=False,
    )
    outcomes = []
    barrier = threading.Barrier(2)

    def save(value):
        barrier.wait()
        try:
            services.realisation_save(
                indicator=ind,
                period="Q1",
                user=user,
                data={"value": Decimal(value)},
                version=row.version,
                submit=False,
            )
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert Realisation.objects.get().version == row.version + 1


def test_zero_target_period_is_never_late(login_as):
    tasks = login_as("kasubbag").get(reverse("tasks")).context["tasks"]
    paket = [t for t in tasks if t["indicator"].name.startswith("Jumlah paket peralatan")]
    assert [(t["period"], t["late"]) for t in paket] == [
        ("Q1", False),
        ("Q2", False),
        ("Q3", False),
        ("Q4", True),
    ]
    html = login_as("kasubbag").get(reverse("tasks")).content.decode()
    assert "— %" not in html


def test_review_queue_query_count_does_not_grow(login_as, django_assert_max_num_queries):
    officer = login_as("kasubbag")
    post(officer, kepegawaian(), submit=True, value="100")
    head = login_as("kepala")
    with CaptureQueriesContext(connection) as few:
        first = head.get(reverse("review"))
    assert first.status_code == 200
    baseline = len(few)  # read now: the next request clears the query log
    officer = login_as("kasubbag")
    for name in (
        "Persentase updating data aset",
        "Jumlah paket bahan logistik kantor yang disediakan",
        "Jumlah laporan fasilitasi kunjungan tamu",
    ):
        for period in ("Q1", "Q2"):
            post(officer, indicator(name), period, submit=True, value="100")
    head = login_as("kepala")
    with django_assert_max_num_queries(baseline):
        response = head.get(reverse("review"))
    assert sum(len(items) for items in response.context["sections"].values()) == 7


def test_parent_heads_review_queue_query_count_does_not_grow(
    login_as, django_assert_max_num_queries
):
    """The parent head's queue (the Kepala Unit's own indicators) is asked in a fixed number
    of queries, however many of them wait."""
    kepala = User.objects.get(username="kepala")
    own = Indicator.objects.filter(responsible_position__level="kepala", frequency="quarterly")

    def submit(ind, period):
        services.realisation_save(
            indicator=ind,
            period=period,
            user=kepala,
            data={"value": Decimal(90), "cause_analysis": "x", "follow_up": "y"},
            version=None,
            submit=True,
        )

    submit(own[0], "Q1")
    parent = login_as("kadis")
    with CaptureQueriesContext(connection) as few:
        first = parent.get(reverse("review"))
    assert sum(len(items) for items in first.context["sections"].values()) == 1
    baseline = len(few)
    for ind in own[1:4]:
        for period in ("Q1", "Q2"):
            submit(ind, period)
    with django_assert_max_num_queries(baseline):
        response = parent.get(reverse("review"))
    assert sum(len(items) for items in response.context["sections"].values()) == 7
