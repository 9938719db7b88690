"""Demo data: the seed SOP "Penyusunan Laporan Kinerja PTSPdan PPB" (62/ 1687 / DATIN /2023)
of DPMPTSP Provinsi Jawa Barat, transcribed verbatim (typos included: "PTSPdan",
"Penganan", "kedalam"); HTML bullet lists become lines that keep their "- ".

The seed drew each step's actor as a symbol in a column, which its text has lost; the reading
taken here is recorded in the SOP's note. ``load_sop_demo()`` creates or updates on natural
keys and saves only what differs, so a second run changes nothing.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from sasaran.models import Assignment, Position, Unit

from .models import Sop, SopActor, SopStep

DEMO_PASSWORD = "sasaranmutu"
UNIT_CODE = "dpmptsp-jabar"
UNIT_NAME = "DPMPTSP Provinsi Jawa Barat"
DATIN = "Tim Urusan Datin"

KADIS = "Kadis"
URUSAN = "Urusan /Tim"

NOTE = (
    "Asumsi: teks SOP asli tidak menyebut pelaksana setiap langkah (simbolnya hilang dari "
    "teks). Langkah 1 (membentuk tim) dikerjakan Kadis; langkah 2-7 dikerjakan Tim Urusan "
    "Datin. Langkah 1 digambar sebagai kapsul Mulai dan langkah 7 sebagai kapsul Selesai. "
    "Waktu \u201cHari\u201d dibaca sebagai hari kerja (7,5 jam); 1 bulan = 4 minggu = "
    "20 hari kerja. Kolom \u201cProduk\u201d dokumen asli dicatat sebagai Output."
)

SOP = {
    "header": (
        "PEMERINTAH PROVINSI JAWA BARAT\n"
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU\n"
        "PROVINSI JAWA BARAT"
    ),
    "name": "Penyusunan Laporan Kinerja PTSPdan PPB",
    "procedure_title": "Penyusunan Laporan Kinerja PTSP dan PPB",
    "created_on": date(2023, 6, 27),
    "revised_on": None,
    "effective_on": date(2023, 6, 27),
    "approver_position": "",
    "approver_name": "",
    "approver_nip": "",
    "legal_basis": (
        "- Peraturan Presiden No. 42 Tahun 2020 tentang Pemberian Penghargaan dan/atau "
        "Penganan Sanksi Kepada Kementerian Negara/Lembaga dan Pemerintah Daerah;\n"
        "- Rancangan Peraturan BKPM No. 8 Tahun 2020 tentang Penilaian Kinerja Pelayanan "
        "Terpadu Satu Pintu dan Percepatan Pelaksanaan Berusaha Pemerintah Daerah serta "
        "Penilaian Kinerja Percepatan Pelaksanaan Berusaha Kementerian Negara/Lembaga."
    ),
    "qualifications": (
        "- Mampu mengoperasikan Komputer\n"
        "- Memiliki kompetensi pelayanan perizinan\n"
        "- Memahami tentang pelaksanaan percepatan berusaha\n"
        "- Mengetahui tugas dan fungsi tim Penilaian Kinerja PTSPdan PPB"
    ),
    "equipment": "- Komputer, Alat Tulis Kantor (ATK) dan Telepon",
    "warning": (
        "Semua proses Penyusunan Laporan Kinerja PTSPdan PPB harus sesuai dengan persyaratan "
        "administrasi dan teknis"
    ),
    "records": "Disimpan sebagai data fisik dan elektronik",
    "note": NOTE,
}
NUMBER = "62/ 1687 / DATIN /2023"

ACTORS = [KADIS, URUSAN, DATIN]

MENIT, HARI, BULAN = SopStep.TimeUnit.MINUTE, SopStep.TimeUnit.DAY, SopStep.TimeUnit.MONTH
START, PROCESS, END = SopStep.Kind.START, SopStep.Kind.PROCESS, SopStep.Kind.END

# (number, activity, actor, kind, kelengkapan, time amount, time unit, output)
STEPS = [
    (1, "Membentuk Tim Penilaian Kinerja PTSP dan PPB", KADIS, START,
     "Disposisi ketua Tim RBZI", 180, MENIT, "SP Tim Penilaian Kinerja PTSP dan PPB"),
    (2, "Melaksanakan sosialisasi proses Penilaian Kinerja PTSP dan PPB", DATIN, PROCESS,
     "SP Tim Penilaian Kinerja PTSP dan PPB", 180, MENIT,
     "Pedoman proses Penilaian Kinerja PTSP dan PPB"),
    (3, "Melakukan input data/ pemenuhan evidence kedalam Aplikasi Penkin", DATIN, PROCESS,
     "Pedoman proses Penilaian Kinerja PTSP dan PPB", 1, BULAN,
     "Kelengkapan data Penilaian Kinerja"),
    (4, "Mengikuti evaluasi data penilaian mandiri (verifikasi lapangan)", DATIN, PROCESS,
     "Kelengkapan data Penilaian Kinerja", 1, HARI,
     "Berita acara verifikasi dan validasi penilaian kinerja"),
    (5, "Melaksanakan persiapan uji petik", DATIN, PROCESS,
     "Berita acara verifikasi dan validasi penilaian kinerja", 7, HARI,
     "Dokumen dan paparan untuk uji petik"),
    (6, "Mengikuti Uji petik dari Tim Penilai", DATIN, PROCESS,
     "Dokumen dan paparan untuk uji petik", 1, HARI, "Hasil Uji Petik"),
    (7, "Menyusun laporan kinerja PTSP dan PPB", DATIN, END,
     "Hasil Uji Petik", 2, HARI, "Laporan Penilaian Kinerja PTSP dan PPB"),
]  # fmt: skip


def _upsert(model, lookup, values):
    """get_or_create on the natural key; save only the fields that differ."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not created and changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj


def _load_user(position):
    User = get_user_model()
    user = User.objects.filter(username="datin").first()
    values = {"first_name": "Dewi", "last_name": "Lestari", "nip": "", "is_active": True}
    if user is None or not check_password(DEMO_PASSWORD, user.password):
        values["password"] = make_password(DEMO_PASSWORD)
    user = _upsert(User, {"username": "datin"}, values)
    _upsert(Assignment, {"user": user, "position": position}, {"role": Assignment.Role.STAFF})
    return user


@transaction.atomic
def load_sop_demo(with_user=False):
    """Create or update the seed SOP, its unit and the Datin team's position; return the SOP.

    With `with_user`, also the demo user `datin` (password "sasaranmutu") holding that
    position, who may then see the SOP; without it only a superuser sees it.
    """
    unit = _upsert(Unit, {"code": UNIT_CODE}, {"name": UNIT_NAME, "kind": Unit.Kind.DINAS})
    datin_position = _upsert(
        Position, {"unit": unit, "name": DATIN}, {"level": Position.Level.STAFF}
    )
    if with_user:
        _load_user(datin_position)
    sop = _upsert(Sop, {"unit": unit, "number": NUMBER, "revision": 0}, SOP)
    actors = {}
    for order, name in enumerate(ACTORS, start=1):
        position = datin_position if name == DATIN else None
        actors[name] = _upsert(
            SopActor, {"sop": sop, "name": name}, {"order": order, "position": position}
        )
    for number, activity, actor, kind, needs, amount, unit_, output in STEPS:
        values = {
            "activity": activity,
            "actor": actors[actor],
            "kind": kind,
            "requirements": needs,
            "time_amount": Decimal(amount),
            "time_unit": unit_,
            "output": output,
        }
        _upsert(SopStep, {"sop": sop, "number": number}, values)
    return sop


def build_sop(unit, number, actors, steps, **identity):
    """An SOP from plain data, for tests and demos: `actors` are names in column order,
    `steps` are dicts with number, activity, actor (a name), kind and optional fields."""
    values = {"name": f"SOP {number}", "created_on": date(2024, 1, 2), **identity}
    sop = Sop.objects.create(unit=unit, number=number, **values)
    by_name = {
        name: SopActor.objects.create(sop=sop, order=order, name=name)
        for order, name in enumerate(actors, start=1)
    }
    for spec in steps:
        spec = {**spec, "actor": by_name[spec["actor"]]}
        SopStep.objects.create(sop=sop, **spec)
    return sop
