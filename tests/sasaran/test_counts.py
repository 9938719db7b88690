"""One definition of each count (issue 13): met and missed count only submitted or approved
figures, a draft is a draft, and every page and report counts the same way and says so."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran.models import Indicator, Realisation

UP = "up-pmptsp-jaktim"
DINAS = "dpmptsp-dki"
STAFF = "Persentase updating data kepegawaian"  # kasubbag's, target 100 % every quarter
ASSETS = "Persentase updating data aset"  # kasubbag's, target 100 % every quarter
LEGEND = "hanya realisasi yang sudah diajukan atau disetujui"


def enter(client, name, period="Q1", submit=False, **fields):
    """The officer's entry form, sent as the browser sends it."""
    indicator = Indicator.objects.get(name=name)
    data = {"version": "", **fields, ("submit" if submit else "save"): "1"}
    response = client.post(reverse("entry", args=[indicator.pk, period]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Realisation.objects.get(indicator=indicator, period=period)


def dashboard(client, tw=1):
    return client.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": tw})


def cell_of(response, name):
    cells = [c for cs in response.context["sections"].values() for c in cs]
    return next(c for c in cells if c.indicator.name == name)


def comparison_row(client, tw=1):
    response = client.get(reverse("comparison", args=[DINAS]), {"tahun": 2023, "tw": tw})
    row = next(r for r in response.context["rows"] if r["unit"].code == UP)
    return response, row


def quarterly_xlsx(client, tw=1):
    response = client.get(reverse("report_download", args=[UP, "xlsx"]), {"tahun": 2023, "tw": tw})
    return load_workbook(io.BytesIO(response.content)).active


def quarterly_pdf_text(client, tw=1):
    response = client.get(reverse("report_download", args=[UP, "pdf"]), {"tahun": 2023, "tw": tw})
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def summary_of(ws):
    """The quarterly workbook's Ringkasan: {label: count}."""
    return {
        ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value
        for r in range(6, 12)
        if ws.cell(row=r, column=2).value
    }


def outcome_of(ws, name):
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "No")
    hasil = [ws.cell(row=header, column=c).value for c in range(1, 13)].index("HASIL") + 1
    row = next(r for r in range(header, ws.max_row + 1) if ws.cell(row=r, column=2).value == name)
    return ws.cell(row=row, column=hasil).value


def test_a_draft_that_meets_its_target_is_counted_as_a_draft_everywhere(login_as):
    enter(login_as("kasubbag"), STAFF, value="100")  # saved as a draft: 100 % of 100 %

    # login_as logs the one test client in as someone else: `head()` is the Kepala Unit again.
    def head():
        return login_as("kepala")

    response = dashboard(head())
    summary = response.context["summary"]
    assert summary.met == 0 and summary.draft == 1
    draft = cell_of(response, STAFF)
    assert draft.result.met is True  # the figure itself meets the target ...
    assert draft.count_as == "draft"  # ... but it is not handed over yet
    html = response.content.decode()
    assert 'id="jml-tercapai">0<' in html and 'id="jml-draf">1<' in html

    _response, row = comparison_row(login_as("kadis"))
    assert row["summary"].met == 0 and row["summary"].draft == 1
    assert row["met_share"] is None  # nothing submitted: no share of targets met

    ws = quarterly_xlsx(head())
    assert summary_of(ws)["Tercapai"] == 0 and summary_of(ws)["Draf"] == 1
    assert outcome_of(ws, STAFF) == "Draf"
    text = quarterly_pdf_text(head())
    assert "0 target tercapai" in text and "1 draf" in text

    # Submitted, the same figure counts as met on every page.
    enter(login_as("kasubbag"), STAFF, submit=True, value="100", version="1")
    assert dashboard(head()).context["summary"].met == 1
    assert comparison_row(login_as("kadis"))[1]["summary"].met == 1
    assert outcome_of(quarterly_xlsx(head()), STAFF) == "Tercapai"


def test_a_returned_figure_that_misses_its_target_is_not_counted_as_missed(login_as):
    officer = login_as("kasubbag")
    row = enter(
        officer, ASSETS, submit=True, value="95", cause_analysis="Data terlambat", follow_up="X"
    )
    assert dashboard(login_as("kepala")).context["summary"].missed == 1
    response = login_as("kepala").post(reverse("send_back", args=[row.pk]), {"reason": "Cek"})
    assert response.status_code == 302
    summary = dashboard(login_as("kepala")).context["summary"]
    assert summary.missed == 0 and summary.draft == 1


def test_the_comparison_shows_how_many_figures_its_share_rests_on(login_as):
    """50 % of targets met, when 2 of the 31 indicators have a submitted figure, says so."""
    officer = login_as("kasubbag")
    enter(officer, STAFF, period="Q4", submit=True, value="100")
    enter(
        officer,
        ASSETS,
        period="Q4",
        submit=True,
        value="90",
        cause_analysis="Rekonsiliasi belum selesai",
        follow_up="Rekonsiliasi bulanan",
    )
    response, row = comparison_row(login_as("kadis"), tw=4)
    summary = row["summary"]
    assert (summary.met, summary.missed, summary.draft) == (1, 1, 0)
    assert row["met_share"] == 50
    assert summary.counted == 2 and summary.missing == summary.expected - 2
    assert summary.expected >= 29
    html = response.content.decode()
    assert "50,00 %" in html
    assert f"2 dari {summary.expected} diajukan" in html
    assert LEGEND in html

    ws = load_workbook(
        io.BytesIO(
            login_as("kadis")
            .get(reverse("comparison_download", args=[DINAS, "xlsx"]), {"tahun": 2023, "tw": 4})
            .content
        )
    ).active
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "PERINGKAT")
    heads = [ws.cell(row=header, column=c).value for c in range(1, 11)]
    values = {h: ws.cell(row=header + 1, column=n).value for n, h in enumerate(heads, 1)}
    assert values["DIAJUKAN"] == 2 and values["WAJIB DILAPORKAN"] == summary.expected


def test_the_mean_capaian_of_the_comparison_leaves_drafts_out(login_as):
    enter(login_as("kasubbag"), STAFF, value="50")  # a draft far below its target
    _response, row = comparison_row(login_as("kadis"))
    assert row["mean_achievement"] is None


@pytest.mark.parametrize("page", ["dashboard", "comparison"])
def test_the_legend_says_what_each_count_means(login_as, page):
    client = login_as("kadis")
    code = UP if page == "dashboard" else DINAS
    html = client.get(reverse(page, args=[code]), {"tahun": 2023, "tw": 1}).content.decode()
    assert 'id="keterangan-hitungan"' in html
    assert LEGEND in html
    assert "sudah diisi tetapi belum diajukan" in html
    assert "tanpa target, target 0, atau periode belum berakhir" in html


def test_the_quarterly_pdf_prints_the_legend(login_as):
    text = quarterly_pdf_text(login_as("kepala"))
    assert LEGEND in text and "sudah diisi tetapi belum diajukan" in text


# --------------------------------------------------------------------------- words


INVESTMENT = "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten"


def test_the_category_is_labelled_as_the_capaians_apart_from_met(demo_examples, login_as):
    """94,33 % "Sangat Baik" next to "Target tidak tercapai": the first is the capaian's
    category, and every page and report says so."""
    client = login_as("kepala")
    indicator = Indicator.objects.get(name=INVESTMENT)
    response = client.get(reverse("entry", args=[indicator.pk, "Q2"]))
    result = response.context["result"]
    assert result.met is False and result.category is not None
    html = response.content.decode()
    assert "Target tidak tercapai" in html
    assert f'Kategori capaian: <span class="badge text-bg-{result.category.color}">' in html
    assert f"{result.category.label}</span>" in html

    for url in (reverse("indicator", args=[indicator.pk]), reverse("dashboard", args=[UP])):
        assert "Kategori capaian / pita" in client.get(url, {"tahun": 2023}).content.decode()
    ws = quarterly_xlsx(client, tw=2)
    assert any(ws.cell(row=r, column=7).value == "KATEGORI CAPAIAN / PITA" for r in range(1, 20))
    assert "KATEGORI CAPAIAN / PITA" in quarterly_pdf_text(client, tw=2)
