"""Builders of test data from plain Python values."""

from datetime import date

from sop.models import Sop, SopActor, SopFlow, SopStep


def build_sop(unit, number, actors, steps, **identity):
    """An SOP from plain data: `actors` are names in column order (or (name, kind) pairs),
    `steps` are dicts with number, activity, actor (a name, or None for a note) and kind, and
    optional fields: "flows" [(label, target)] or [target], "also_actors" [names], and the
    old "yes_step"/"no_step" (flows labelled Ya/Tidak)."""
    values = {"name": f"SOP {number}", "created_on": date(2024, 1, 2), **identity}
    sop = Sop.objects.create(unit=unit, number=number, **values)
    by_name = {}
    for order, actor in enumerate(actors, start=1):
        name, kind = (actor, SopActor.Kind.PERSON) if isinstance(actor, str) else actor
        by_name[name] = SopActor.objects.create(sop=sop, order=order, name=name, kind=kind)
    for spec in steps:
        spec = dict(spec)
        flows = [f if isinstance(f, tuple | list) else ("", f) for f in spec.pop("flows", [])]
        for label, key in (("Ya", "yes_step"), ("Tidak", "no_step")):
            target = spec.pop(key, None)
            if target is not None:
                flows.append((label, target))
        joint = [by_name[name] for name in spec.pop("also_actors", [])]
        actor = spec.get("actor")
        spec["actor"] = by_name[actor] if actor is not None else None
        step = SopStep.objects.create(sop=sop, **spec)
        step.also_actors.set(joint)
        for order, (label, target) in enumerate(flows):
            SopFlow.objects.create(step=step, target=target, label=label, order=order)
    return sop


COMPLEX_LANES = [
    "Pengadu",
    "Petugas Pengaduan",
    ("Aplikasi SP4N-LAPOR", "system"),
    "Kepala Seksi",
    "Tim Teknis",
    ("Ruang Konsultasi", "facility"),
]


def _row(number, activity, actor, kind="process", **more):
    row = {"number": number, "activity": activity, "actor": actor, "kind": kind}
    if kind not in ("note", "connector"):
        row |= {"requirements": "Formulir pengaduan", "output": "Berkas pengaduan"}
        row |= {"time_amount": 15, "time_unit": "menit"}
    return row | more


def complex_steps():
    """A complaints procedure as offices draw it: a start capsule on the first activity's
    row, a decision with three branches of its own labels, jumps that merge, a joint
    activity with a facility, a note row, a branch that forks, a connector row, a loop back,
    a long jump back over pages and an end capsule on the last activity's row."""
    return [
        _row(1, "Menyampaikan pengaduan melalui salah satu saluran", "Pengadu",
             start_capsule=True),
        _row(2, "Memilah saluran pengaduan yang masuk", "Petugas Pengaduan", "decision",
             flows=[("Kotak Pengaduan", 3), ("Daring", 4), ("Tatap muka", 5)]),
        _row(3, "Membuka kotak pengaduan dan mencatat isinya", "Petugas Pengaduan",
             flows=[6]),
        _row(4, "Mengunduh pengaduan dari aplikasi", "Aplikasi SP4N-LAPOR", flows=[6]),
        _row(5, "Menerima pengadu di ruang konsultasi", "Petugas Pengaduan",
             also_actors=["Ruang Konsultasi"]),
        _row(6, "Mencatat pengaduan di register dan aplikasi", "Petugas Pengaduan",
             also_actors=["Aplikasi SP4N-LAPOR"]),
        _row(7, "Pengaduan tanpa identitas tetap dicatat dan ditindaklanjuti.", None, "note"),
        _row(8, "Menelaah pengaduan: perlu pemeriksaan tim teknis?", "Kepala Seksi",
             "decision", flows=[("Ya", 9), ("Ya", 10), ("Tidak", 11)]),
        _row(9, "Memeriksa lapangan", "Tim Teknis", flows=[12]),
        _row(10, "Menyiapkan dokumen pendukung", "Petugas Pengaduan", flows=[12]),
        _row(11, "Menyiapkan jawaban langsung", "Kepala Seksi", flows=[13]),
        _row(12, "Rapat pembahasan hasil pemeriksaan", "Kepala Seksi",
             also_actors=["Tim Teknis"]),
        _row(13, "", "Kepala Seksi", "connector"),
        _row(14, "Menyusun jawaban pengaduan", "Petugas Pengaduan"),
        _row(15, "Jawaban disetujui?", "Kepala Seksi", "decision",
             flows=[("Ya", 16), ("Tidak", 14)]),
        _row(16, "Mengirim jawaban kepada pengadu", "Aplikasi SP4N-LAPOR"),
        _row(17, "Menerima jawaban", "Pengadu"),
        _row(18, "Pengadu puas dengan jawaban?", "Pengadu", "decision",
             flows=[("Ya", 19), ("Tidak", 8)]),
        _row(19, "Menutup pengaduan dan mengarsipkan berkas", "Petugas Pengaduan",
             end_capsule=True),
    ]  # fmt: skip


def build_complex_sop(unit, number="PGD/1", **identity):
    return build_sop(
        unit,
        number,
        COMPLEX_LANES,
        complex_steps(),
        **{"name": "Penanganan Pengaduan Masyarakat", **identity},
    )


def long_steps(count=40, lanes=6):
    """A long procedure: `count` steps over `lanes` lanes, a decision every seventh step
    whose Tidak branch goes back three steps."""
    names = [f"Pelaksana {n}" for n in range(1, lanes + 1)]
    steps = []
    for n in range(1, count + 1):
        kind = "start" if n == 1 else "end" if n == count else "process"
        more = {}
        if n % 7 == 0 and n < count - 1:
            kind, more = "decision", {"flows": [("Ya", n + 1), ("Tidak", n - 3)]}
        steps.append(
            _row(n, f"Kegiatan ke-{n} dari prosedur yang panjang", names[(n * 5) % lanes],
                 kind, **more)
        )  # fmt: skip
    return names, steps


def build_long_sop(unit, number="LONG/40", count=40, lanes=6):
    names, steps = long_steps(count, lanes)
    return build_sop(unit, number, names, steps, name=f"Prosedur {count} langkah")
