"""Import of the permit log and the staff task log: CSV and xlsx, the column mapping saved
per unit, bad rows listed with row and column and nothing half-saved, the same log again
changes nothing, and the page's upload - mapping - preview - save."""

import datetime

import pytest
from django.urls import reverse

from sasaran.perizinan import imports
from sasaran.perizinan.models import (
    ColumnMapping,
    HolidayYear,
    ImportRun,
    Permit,
    Task,
)

from .conftest import TASK_HEADER, csv_bytes, upload, write, xlsx_bytes

D = datetime.date
ROWS = [
    ["JT-1", "IUMK", "06/03/2023", "07/03/2023", "Terbit"],
    ["JT-2", "PBG", "01/03/2023", "30/03/2023", "Terbit"],
    ["JT-3", "Izin Usaha Mikro dan Kecil", "17 Agustus 2023", "", "Proses"],
]


def save(unit, path, log=imports.PERMITS, user=None):
    return imports.save_file(unit=unit, log=log, file=path, user=user)


def test_csv_is_imported_with_a_guessed_mapping_that_is_saved(unit, types, tmp_path):
    outcome = save(unit, write(tmp_path, "log.csv", csv_bytes(ROWS)))
    assert (outcome.rows, outcome.created, outcome.updated, outcome.unchanged) == (3, 3, 0, 0)
    permits = {p.number: p for p in Permit.objects.filter(unit=unit)}
    assert permits["JT-1"].permit_type == types["IUMK"]
    assert permits["JT-1"].complete_on == D(2023, 3, 6)
    assert permits["JT-1"].issued_on == D(2023, 3, 7)
    assert permits["JT-3"].permit_type == types["IUMK"]  # matched by name, any case
    assert permits["JT-3"].issued_on is None and permits["JT-3"].status == "Proses"
    mapping = ColumnMapping.objects.get(unit=unit, log="izin").columns
    assert mapping == {
        "number": "No Permohonan",
        "permit_type": "Jenis Izin",
        "complete_on": "Tanggal Berkas Lengkap",
        "issued_on": "Tanggal Terbit",
        "status": "Status",
    }
    run = ImportRun.objects.get()
    assert (run.file_name, run.rows, run.created) == ("log.csv", 3, 3)


def test_the_same_log_again_changes_nothing(unit, types, tmp_path):
    path = write(tmp_path, "log.csv", csv_bytes(ROWS))
    save(unit, path)
    before = list(Permit.objects.order_by("pk").values())
    again = save(unit, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Permit.objects.order_by("pk").values()) == before


def test_a_changed_row_is_updated_by_its_number_and_missing_rows_stay(unit, types, tmp_path):
    save(unit, write(tmp_path, "a.csv", csv_bytes(ROWS)))
    changed = [["JT-3", "IUMK", "17/08/2023", "18/08/2023", "Terbit"]]
    outcome = save(unit, write(tmp_path, "b.csv", csv_bytes(changed)))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 0)
    assert Permit.objects.get(number="JT-3").issued_on == D(2023, 8, 18)
    assert Permit.objects.filter(unit=unit).count() == 3  # JT-1 and JT-2 were not in b.csv


def test_xlsx_with_excel_dates_and_numbers(unit, types, tmp_path):
    rows = [
        [
            12345,
            "IUMK",
            datetime.datetime(2023, 3, 6, 9, 30),
            datetime.datetime(2023, 3, 7),
            "Terbit",
        ],
        ["JT-9", "PBG", 44986, "30 Maret 2023", "Terbit"],  # an unformatted Excel date
        ["JT-10", "IUMK", "06/03/2023", None, "Proses"],  # an empty cell is left out
    ]
    outcome = save(unit, write(tmp_path, "log.xlsx", xlsx_bytes(rows)))
    assert outcome.created == 3
    assert Permit.objects.get(number="JT-10").status == "Proses"
    assert Permit.objects.get(number="JT-10").issued_on is None
    assert Permit.objects.get(number="12345").complete_on == D(2023, 3, 6)
    assert Permit.objects.get(number="JT-9").complete_on == D(2023, 3, 1)


def test_comma_separated_windows_1252_with_a_title_row(unit, types, tmp_path):
    content = (
        "Rekap permohonan Kecamatan Cakung\r\n"
        "Nomor Izin,Jenis Perizinan,Tanggal Lengkap,Tanggal Terbit,Status\r\n"
        "JT-1,IUMK,06/03/2023,07/03/2023,Terbit – café\r\n"
    ).encode("cp1252")
    outcome = save(unit, write(tmp_path, "log.csv", content))
    assert outcome.created == 1
    assert Permit.objects.get().status == "Terbit – café"


def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_saved(unit, types, tmp_path):
    rows = [
        *ROWS,
        ["", "IUMK", "06/03/2023", "07/03/2023", ""],
        ["JT-5", "SIUP", "06/03/2023", "07/03/2023", ""],
        ["JT-6", "IUMK", "31/02/2023", "07/03/2023", ""],
        ["JT-7", "IUMK", "08/03/2023", "07/03/2023", ""],
        ["JT-1", "IUMK", "06/03/2023", "07/03/2023", ""],
    ]
    path = write(tmp_path, "log.csv", csv_bytes(rows))
    with pytest.raises(imports.ImportRefused) as refused:
        save(unit, path)
    errors = refused.value.outcome.errors
    assert errors == [
        "Baris 5, kolom “No Permohonan” (A): wajib diisi.",
        "Baris 6, kolom “Jenis Izin” (B): Jenis izin “SIUP” belum terdaftar di unit ini "
        "(Pengaturan).",
        "Baris 7, kolom “Tanggal Berkas Lengkap” (C): “31/02/2023” bukan tanggal yang dikenali "
        "(tulis 17/08/2023, 17 Agustus 2023 atau 2023-08-17).",
        "Baris 8, kolom “Tanggal Terbit” (D): tanggal terbit 07/03/2023 sebelum berkas lengkap "
        "08/03/2023.",
        "Baris 9, kolom “No Permohonan” (A): nomor “JT-1” muncul lebih dari sekali di berkas.",
    ]
    assert refused.value.outcome.unknown == {"SIUP": 1}
    # Atomic: the good rows before the bad ones were not saved either, nor the run.
    assert not Permit.objects.exists() and not ImportRun.objects.exists()


def test_a_bad_row_after_many_batches_leaves_nothing_saved(unit, types, tmp_path):
    rows = [[f"N-{n}", "IUMK", "06/03/2023", "07/03/2023", ""] for n in range(2500)]
    rows.append(["N-last", "IUMK", "06/03/2023", "kemarin", ""])
    with pytest.raises(imports.ImportRefused) as refused:
        save(unit, write(tmp_path, "log.csv", csv_bytes(rows)))
    assert refused.value.outcome.error_count == 1
    assert refused.value.outcome.errors[0].startswith("Baris 2502, kolom “Tanggal Terbit”")
    assert not Permit.objects.exists()


def test_saving_seeds_the_holidays_of_the_years_reached(unit, types, tmp_path):
    HolidayYear.objects.filter(year=2022).delete()
    rows = [["JT-1", "PBG", "20/12/2022", "10/01/2023", "Terbit"]]
    save(unit, write(tmp_path, "log.csv", csv_bytes(rows)))
    assert HolidayYear.objects.filter(year=2022).exists()


def test_preview_writes_nothing(unit, types, tmp_path):
    path = write(tmp_path, "log.csv", csv_bytes(ROWS))
    mapping = imports.guess_mapping("izin", imports.read_layout(path, "csv").headers)
    outcome = imports.preview(unit=unit, log="izin", path=path, ext="csv", mapping=mapping)
    assert outcome.ok and outcome.created == 3
    assert [row[1] for row in outcome.sample] == ["JT-1", "JT-2", "JT-3"]
    assert not Permit.objects.exists()


def test_unreadable_files(unit, types, tmp_path):
    with pytest.raises(imports.LogUnreadable, match="Excel"):
        save(unit, write(tmp_path, "log.xlsx", b"bukan workbook"))
    with pytest.raises(imports.LogUnreadable, match="judul kolom"):
        save(unit, write(tmp_path, "log.csv", b"satu\n\ndua\n" * 20))
    with pytest.raises(imports.LogUnreadable, match=".csv atau .xlsx"):
        save(unit, write(tmp_path, "log.txt", b"a;b\n"))


# --------------------------------------------------------------------------- task log


TASKS = [
    ["TG-1", "Pengantaran surat", "06/03/2023 08:00", "06/03/2023 15:00", "Joko"],
    ["TG-2", "gambar", "01/03/2023 09:00", "07/03/2023 10:00", "Fitri"],
    ["TG-3", "Pengantaran surat", "29/12/2023 10:00", "", "Joko"],
]


def test_task_log_is_imported_and_again_changes_nothing(unit, kinds, tmp_path):
    path = write(tmp_path, "tugas.csv", csv_bytes(TASKS, header=TASK_HEADER))
    outcome = save(unit, path, log=imports.TASKS)
    assert outcome.created == 3
    task = Task.objects.get(reference="TG-2")
    assert task.kind == kinds["gambar"]
    assert (task.started_on, task.started_time) == (D(2023, 3, 1), datetime.time(9))
    assert (task.ended_on, task.ended_time) == (D(2023, 3, 7), datetime.time(10))
    assert Task.objects.get(reference="TG-3").ended_on is None
    assert save(unit, path, log=imports.TASKS).unchanged == 3


def test_task_log_without_numbers_keeps_its_tasks_apart(unit, kinds, tmp_path):
    header = ["Jenis Tugas", "Mulai", "Selesai", "Petugas"]
    same = ["Pengantaran surat", "06/03/2023 08:00", "06/03/2023 15:00", "Joko"]
    path = write(tmp_path, "tugas.csv", csv_bytes([same, same], header=header))
    assert save(unit, path, log=imports.TASKS).created == 2
    # Later the log has the unfinished one's end: it is updated, not added.
    finished = [same, ["Pengantaran surat", "06/03/2023 08:00", "07/03/2023 09:00", "Joko"]]
    again = save(unit, write(tmp_path, "b.csv", csv_bytes(finished, header=header)), log="tugas")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert Task.objects.count() == 2


def test_task_ending_before_it_starts_is_a_bad_row(unit, kinds, tmp_path):
    rows = [["TG-1", "gambar", "07/03/2023", "06/03/2023", "Fitri"]]
    with pytest.raises(imports.ImportRefused) as refused:
        save(unit, write(tmp_path, "t.csv", csv_bytes(rows, header=TASK_HEADER)), log="tugas")
    assert refused.value.outcome.errors == [
        "Baris 2, kolom “Selesai” (D): selesai 06/03/2023 sebelum mulai 07/03/2023."
    ]


# --------------------------------------------------------------------------- the page


def import_url(log="izin"):
    return reverse("permit_import", args=["up-pmptsp-jaktim", log])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_page_upload_map_preview_and_save(login_as, types, media):
    client = login_as("analis")
    headers = ["Nomor", "Layanan", "Tgl Masuk", "Tgl Selesai", "Keterangan"]
    content = csv_bytes(ROWS, header=headers)
    page = client.post(import_url(), {"aksi": "unggah", "file": upload("jakevo.csv", content)})
    # No saved mapping, and these headings are not all guessed: the mapping form.
    html = page.content.decode()
    assert page.status_code == 200 and 'id="pemetaan-kolom"' in html
    assert not Permit.objects.exists()

    # The same column twice is refused at its field, and keeps what was chosen.
    mapping = {
        "number": "Nomor",
        "permit_type": "Layanan",
        "complete_on": "Tgl Masuk",
        "issued_on": "Tgl Masuk",
        "status": "",
    }
    page = client.post(import_url(), {"aksi": "petakan", **mapping})
    assert page.status_code == 400
    assert "sudah dipakai untuk" in page.content.decode()

    mapping["issued_on"] = "Tgl Selesai"
    page = client.post(import_url(), {"aksi": "petakan", **mapping})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="pratinjau"' in html and 'id="konfirmasi-impor"' in html
    assert '<dd class="col-sm-7" id="jumlah-baru">3</dd>' in html
    assert ColumnMapping.objects.get(log="izin").columns["issued_on"] == "Tgl Selesai"
    assert not Permit.objects.exists()  # a preview saves nothing

    response = client.post(import_url(), {"aksi": "simpan"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("permit_unit", args=["up-pmptsp-jaktim"]))
    assert Permit.objects.count() == 3
    run = ImportRun.objects.get()
    assert run.imported_by.username == "analis" and run.file_name == "jakevo.csv"
    assert not list((media / "perizinan-impor").iterdir())  # the stored upload is gone

    # The next upload of the same export uses the saved mapping: straight to the preview,
    # and the same rows change nothing.
    page = client.post(import_url(), {"aksi": "unggah", "file": upload("lagi.csv", content)})
    html = page.content.decode()
    assert 'id="pratinjau"' in html and '<dd class="col-sm-7" id="jumlah-tetap">3</dd>' in html
    # Saving twice (a double click): the second finds no stored upload.
    assert client.post(import_url(), {"aksi": "simpan"}).status_code == 302
    assert client.post(import_url(), {"aksi": "simpan"}).status_code == 400
    assert ImportRun.objects.count() == 2 and Permit.objects.count() == 3


def test_page_lists_bad_rows_and_offers_no_save(login_as, types, media):
    client = login_as("analis")
    rows = [*ROWS, ["JT-9", "SIUP", "06/03/2023", "07/03/2023", ""]]
    page = client.post(import_url(), {"aksi": "unggah", "file": upload("a.xlsx", xlsx_bytes(rows))})
    # The first upload of the unit: its columns are mapped once, the usual headings guessed.
    form = page.context["mapping_form"]
    assert form.initial == {
        "number": "No Permohonan",
        "permit_type": "Jenis Izin",
        "complete_on": "Tanggal Berkas Lengkap",
        "issued_on": "Tanggal Terbit",
        "status": "Status",
    }
    page = client.post(import_url(), {"aksi": "petakan", **form.initial})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Baris 5, kolom “Jenis Izin” (B): Jenis izin “SIUP” belum terdaftar" in html
    assert 'id="konfirmasi-impor"' not in html
    # Saving anyway is refused the same way, and nothing is saved.
    page = client.post(import_url(), {"aksi": "simpan"})
    assert page.status_code == 400 and "SIUP" in page.content.decode()
    assert not Permit.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("a.xlsx", b"PK\x03\x04 rusak"),
        ("a.csv", b"\x00\x01\x02"),
        ("a.csv", b""),
        ("a.exe", b"MZ"),
        ("a.csv", b"No;Jenis\n" + b"x" * 5000),
    ],
)
def test_hostile_files_get_a_message_never_a_server_error(login_as, types, media, name, content):
    client = login_as("analis")
    page = client.post(import_url(), {"aksi": "unggah", "file": upload(name, content)})
    assert page.status_code in (200, 400)
    assert not Permit.objects.exists()


def test_a_file_over_the_limit_is_refused_at_its_field(login_as, types, media, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    client = login_as("analis")
    big = csv_bytes([[f"N-{n}", "IUMK", "06/03/2023", "07/03/2023", ""] for n in range(100)])
    page = client.post(import_url(), {"aksi": "unggah", "file": upload("a.csv", big)})
    assert page.status_code == 400 and "Berkas terlalu besar" in page.content.decode()


def test_the_empty_format_downloads(login_as, unit):
    response = login_as("analis").get(import_url("tugas") + "?format=csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("Jenis tugas;Mulai;Selesai")
