"""A target changed after its period was reported needs a reason and a legal basis (nomor
and tanggal of the SK); the original and the revised target are both kept and shown on the
indicator page, the dashboard, the entry page and the reports, and the history says who,
when and why. A target nobody has reported yet changes freely, with no mark."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran import services
from sasaran.documents import export_xlsx
from sasaran.documents.import_xlsx import import_manual_workbook
from sasaran.models import Indicator, Target, Unit, User
from tests.sasaran.test_import_xlsx import as_file, exported, reject, row_of, upload

pytestmark = pytest.mark.django_db

UP = "up-pmptsp-jaktim"
# A percentage indicator of 2023 with targets of 100 % and TW 1 and TW 2 approved.
PERMITS = "Persentase Penerbitan Izin Tepat Waktu"
BASIS = {
    "reason": "Penyesuaian Renstra setelah perubahan SOP penerbitan izin.",
    "reference": "SK Kepala UP PMPTSP No. 12/2023",
    "reference_date": "2023-06-27",
}
NOTE = (
    "Target direvisi dari 100 % menjadi ≥ 90 % berdasarkan SK Kepala UP PMPTSP "
    "No. 12/2023, 27 Juni 2023."
)


def permits():
    return Indicator.objects.get(name=PERMITS, objective__section__manual__year=2023)


def change_url(indicator):
    return reverse("admin:sasaran_indicator_change", args=[indicator.pk])


def form_data(response):
    """What the admin change page would send back untouched: its form and its inlines."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def target_prefix(response, period):
    """The form prefix of the inline form of the target of `period`."""
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.instance.period == period:
                return form.prefix
    raise AssertionError(period)


def post_targets(client, indicator, period, **changes):
    """Post the indicator's change page with the target of `period` changed."""
    page = client.get(change_url(indicator))
    data = form_data(page)
    prefix = target_prefix(page, period)
    for name, value in changes.items():
        data[f"{prefix}-{name}"] = value
    return client.post(change_url(indicator), data), prefix


def target_form(response, prefix):
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.prefix == prefix:
                return form
    raise AssertionError(prefix)


def revise(client, period="Q1", value="90", **basis):
    response, _prefix = post_targets(client, permits(), period, value=value, **(BASIS | basis))
    assert response.status_code == 302, response.context and [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms
    ]
    return Target.objects.get(indicator=permits(), period=period)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "name,period,needs",
    [
        (PERMITS, "Q1", True),  # approved
        (PERMITS, "Q4", False),  # nothing reported yet
        (PERMITS, "Y", True),  # the year's capaian is made of TW 1 and TW 2
        ("Laporan Pengumpulan Bahan Pengembangan", "Q3", True),  # submitted
        ("Indeks Kepuasan Layanan Administrasi Keu", "Q3", False),  # a draft
        ("Persentasi Pelaksanaan Pengawasan", "Q2", False),  # returned
        ("(1) Menyusun jadwal pengukuran", "Q3", True),  # its months M07-M09 are submitted
        ("(1) Menyusun jadwal pengukuran", "Q4", False),
    ],
)
def test_a_target_needs_a_basis_once_a_period_it_decides_is_reported(
    demo_examples, name, period, needs
):
    indicator = Indicator.objects.get(name__startswith=name, objective__section__manual__year=2023)
    assert services.target_needs_basis(indicator.targets.get(period=period)) is needs


# --------------------------------------------------------------------------- the admin


def test_a_reported_target_is_not_changed_without_reason_and_basis(demo_examples, superuser):
    history = Target.history.count()
    response, prefix = post_targets(superuser, permits(), "Q1", value="90")

    assert response.status_code == 200
    form = target_form(response, prefix)
    assert form.errors["reason"] == [
        "Target periode ini sudah dilaporkan; isi alasan dan dasar revisi (nomor dan tanggal SK)."
    ]
    assert form.errors["reference"] == ["Isi nomor SK atau dokumen dasar revisi."]
    assert form.errors["reference_date"] == ["Isi tanggal SK atau dokumen dasar revisi."]
    assert f'name="{prefix}-value" value="90"' in response.content.decode()  # kept as typed
    target = Target.objects.get(indicator=permits(), period="Q1")
    assert target.value == 100 and target.revised_at is None
    assert Target.history.count() == history

    # Half a basis is no basis.
    response, prefix = post_targets(superuser, permits(), "Q1", value="90", reference="SK 12/2023")
    form = target_form(response, prefix)
    assert set(form.errors) == {"reason", "reference_date"}
    assert 'value="SK 12/2023"' in response.content.decode()
    assert Target.objects.get(indicator=permits(), period="Q1").value == 100


def test_a_revision_with_its_basis_is_saved_and_the_original_kept(demo_examples, superuser):
    target = revise(superuser)

    assert target.value == Decimal("90")
    assert target.original_value == Decimal("100")
    assert target.original_upper is None
    assert target.revision_reason == BASIS["reason"]
    assert target.revision_reference == BASIS["reference"]
    assert target.revision_date == datetime.date(2023, 6, 27)
    assert target.revised_at is not None
    record = target.history.latest()
    assert record.history_user == User.objects.get(username="admin")
    assert record.history_change_reason == (
        f"Target direvisi: {BASIS['reason']} ({BASIS['reference']}, 27 Juni 2023)"
    )
    # Only the target that changed was revised.
    assert (
        not Target.objects.filter(indicator=permits())
        .exclude(period="Q1")
        .filter(revised_at__isnull=False)
    )


def test_the_revision_is_shown_on_the_pages(demo_examples, superuser):
    revise(superuser)
    indicator = permits()

    page = text(superuser.get(reverse("indicator", args=[indicator.pk])))
    assert 'direvisi, semula <span class="text-nowrap">100 %</span>' in page
    assert f"<strong>TW 1</strong>: {NOTE}" in page
    admin = User.objects.get(username="admin").get_full_name()
    assert (
        f"· {admin} · TW 1: 100 % → ≥ 90 % · SK Kepala UP PMPTSP No. 12/2023, 27 Juni 2023" in page
    )
    assert f"Alasan: {BASIS['reason']}" in page

    dashboard = text(superuser.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1}))
    assert f'<abbr title="{NOTE}">direvisi</abbr>' in dashboard
    # TW 2 shows no mark: its target was not revised.
    tw2 = text(superuser.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 2}))
    assert "direvisi" not in tw2

    entry = text(superuser.get(reverse("entry", args=[indicator.pk, "Q1"])))
    assert f'<div class="text-muted" id="target-direvisi">{NOTE}</div>' in entry

    history = text(superuser.get(reverse("history", args=[indicator.pk])))
    assert f"Target direvisi: {BASIS['reason']} ({BASIS['reference']}, 27 Juni 2023)" in history


def test_the_revision_is_noted_in_the_quarterly_reports(demo_examples, superuser):
    revise(superuser)
    url = reverse("report_download", args=[UP, "xlsx"])
    book = load_workbook(io.BytesIO(superuser.get(url, {"tahun": 2023, "tw": 1}).content))
    ws = book.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == PERMITS)
    assert ws.cell(row=row, column=4).value == 90
    assert ws.cell(row=row, column=10).value.startswith(NOTE)
    assert ws.cell(row=row, column=4).comment.text == NOTE

    url = reverse("report_download", args=[UP, "pdf"])
    pdf = PdfReader(io.BytesIO(superuser.get(url, {"tahun": 2023, "tw": 1}).content))
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "(direvisi)" in words
    assert NOTE in words


def test_the_revision_is_noted_in_the_official_manual(demo_examples, superuser):
    revise(superuser)
    url = reverse("document_download", args=[UP, 2023, "xlsx"])
    ws = load_workbook(io.BytesIO(superuser.get(url).content)).active
    row = row_of(ws, PERMITS)
    cell = ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"])
    assert cell.value == "≥ 90"  # at least 90 % (below the maximum: written with its sign)
    assert cell.comment.text == NOTE
    assert ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q2"]).comment is None

    url = reverse("document_download", args=[UP, 2023, "pdf"])
    pdf = PdfReader(io.BytesIO(superuser.get(url).content))
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Target direvisi setelah periodenya dilaporkan" in words
    assert f"TW 1: {NOTE}" in words


def test_an_unreported_target_changes_freely_with_no_mark(demo_examples, superuser):
    response, _prefix = post_targets(superuser, permits(), "Q4", value="95")

    assert response.status_code == 302
    target = Target.objects.get(indicator=permits(), period="Q4")
    assert target.value == 95
    assert target.original_value is None and target.revised_at is None
    page = text(superuser.get(reverse("indicator", args=[permits().pk])))
    assert "direvisi" not in page and 'id="revisi-target"' not in page
    dashboard = text(superuser.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 4}))
    assert "direvisi" not in dashboard


def test_a_second_revision_keeps_the_first_original(demo_examples, superuser):
    revise(superuser)
    target = revise(
        superuser,
        value="85",
        reason="Koreksi kedua.",
        reference="SK No. 20/2023",
        reference_date="2023-09-01",
    )

    assert target.value == 85
    assert target.original_value == 100  # as first set, not the 90 of the first revision
    assert target.revision_reference == "SK No. 20/2023"
    assert target.revision_date == datetime.date(2023, 9, 1)
    page = text(superuser.get(reverse("indicator", args=[permits().pk])))
    assert (
        "Target direvisi dari 100 % menjadi ≥ 85 % berdasarkan SK No. 20/2023, "
        "1 September 2023." in page
    )
    # Both revisions are listed, latest first, each from the target just before it.
    second = page.index("≥ 90 % → ≥ 85 % · SK No. 20/2023, 1 September 2023")
    first = page.index("100 % → ≥ 90 % · SK Kepala UP PMPTSP No. 12/2023, 27 Juni 2023")
    assert second < first


def test_a_reported_target_is_not_deleted(demo_examples, superuser):
    response, prefix = post_targets(superuser, permits(), "Q1", DELETE="on")

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Target TW 1 sudah dilaporkan dan tidak dapat dihapus; ubah nilainya dengan alasan dan "
        "dasar revisi."
    ]
    assert Target.objects.filter(indicator=permits(), period="Q1").exists()


def test_the_target_admin_asks_for_the_basis_too(demo_examples, superuser):
    target = Target.objects.get(indicator=permits(), period="Q2")
    url = reverse("admin:sasaran_target_change", args=[target.pk])
    data = {"indicator": target.indicator_id, "period": "Q2", "value": "80", "upper": ""}

    response = superuser.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert Target.objects.get(pk=target.pk).value == 100

    response = superuser.post(url, data | BASIS)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.original_value) == (80, 100)
    assert target.revision_reference == BASIS["reference"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("reason", "x" * 1001, "Alasan revisi paling banyak 1000 karakter."),
        ("reference", "9" * 201, "Nomor SK/dokumen paling banyak 200 karakter."),
        ("reason", "a\x01\x1bb", "Teks berisi karakter kontrol yang tidak dapat dicetak."),
        ("reference", "SK\x7f", "Teks berisi karakter kontrol yang tidak dapat dicetak."),
        ("reference_date", "27 Juni", "Tanggal tidak sah; contoh: 27/06/2023."),
        ("reference_date", "2023-02-30", "Tanggal tidak sah; contoh: 27/06/2023."),
    ],
    ids=[
        "long-reason",
        "long-reference",
        "control-reason",
        "control-reference",
        "text-date",
        "no-such-day",
    ],
)
def test_hostile_basis_is_refused_at_its_field(demo_examples, superuser, field, value, message):
    response, prefix = post_targets(
        superuser, permits(), "Q1", value="90", **(BASIS | {field: value})
    )

    assert response.status_code == 200
    assert target_form(response, prefix).errors[field] == [message]
    assert Target.objects.get(indicator=permits(), period="Q1").value == 100


@pytest.mark.parametrize(
    "reason,reference",
    [
        ("<script>alert(1)</script>", '=HYPERLINK("http://contoh.invalid")'),
        ("😀" * 50 + "\u202e\ufeff", "' OR 1=1 --"),
        ("a\x00b", "SK 1"),
    ],
    ids=["markup-and-formula", "emoji-and-bidi", "nul"],
)
def test_odd_text_in_the_basis_gives_no_server_error(demo_examples, superuser, reason, reference):
    response, _prefix = post_targets(
        superuser,
        permits(),
        "Q1",
        value="90",
        **(BASIS | {"reason": reason, "reference": reference}),
    )
    assert response.status_code in (200, 302)
    for url, params in [
        (reverse("indicator", args=[permits().pk]), {}),
        (reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1}),
        (reverse("report_download", args=[UP, "xlsx"]), {"tahun": 2023, "tw": 1}),
        (reverse("document_download", args=[UP, 2023, "xlsx"]), {}),
    ]:
        page = superuser.get(url, params)
        assert page.status_code == 200
        assert b"<script>alert(1)" not in page.content
    assert "\x00" not in Target.objects.get(indicator=permits(), period="Q1").revision_reason


# --------------------------------------------------------------------------- the import


def test_the_import_does_not_change_a_reported_target(demo_examples, superuser):
    unit = Unit.objects.get(code=UP)
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = 90
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Y"]).value = None

    problems = reject(book, unit)
    assert (
        row,
        "G",
        "Target TW 1 sudah dilaporkan (ada realisasi yang diajukan atau disetujui) dan tidak "
        "diubah lewat impor: tersimpan 100, di berkas 90. Revisi target memerlukan alasan dan "
        "dasar revisi (nomor dan tanggal SK): ubah di halaman admin Indikator, lalu impor ulang.",
    ) in problems
    assert any(p[:2] == (row, "K") and "tersimpan 100, di berkas kosong" in p[2] for p in problems)

    # The admin's import page lists them.
    response = superuser.post(
        reverse("admin:sasaran_qualitymanual_import"),
        {"unit": unit.pk, "year": 2023, "file": upload(book)},
    )
    assert response.status_code == 200
    assert "Target TW 1 sudah dilaporkan" in response.content.decode()
    assert Target.objects.get(indicator=permits(), period="Q1").value == 100


def test_the_import_changes_an_unreported_target_and_keeps_a_revised_one(demo_examples, superuser):
    unit = Unit.objects.get(code=UP)
    revise(superuser)
    book = exported(unit)  # holds the revised 90
    ws = book.active
    ws.cell(row=row_of(ws, PERMITS), column=export_xlsx.TARGET_COLUMNS["Q4"]).value = 95

    import_manual_workbook(file=as_file(book), unit=unit, year=2023)

    targets = {t.period: t for t in permits().targets.all()}
    assert targets["Q4"].value == 95 and targets["Q4"].revised_at is None
    assert (targets["Q1"].value, targets["Q1"].original_value) == (90, 100)
