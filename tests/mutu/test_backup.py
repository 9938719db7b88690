"""Backup and restore as the README's "Production" section describes it: the portable
`dumpdata` with natural keys, and a tar of MEDIA_ROOT; restored into an empty database and an
empty folder, every record and the evidence file are found again."""

import io
import tarfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sasaran.models import Evidence, Indicator, Realisation, Target, User
from tests.conftest import logged_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The same options as the README: content types and permissions are recreated by migrate,
# axes' login attempts and the sessions are not worth restoring (everyone logs in again).
# django_rq (installed only with Redis) has no table: the router leaves it out by itself.
DUMP_OPTIONS = {
    "natural_foreign": True,
    "natural_primary": True,
    "exclude": ["contenttypes", "auth.permission", "axes", "sessions"],
    "indent": 0,
}
NOT_DUMPED = {"contenttypes", "axes", "sessions", "django_rq"}


def counted_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.app_label not in NOT_DUMPED
        and m._meta.label != "auth.Permission"
    ]


def counts():
    return {m._meta.label: m.objects.count() for m in counted_models()}


def snapshot():
    """A few exact values, keyed by what a person would use, not by primary key."""
    realisations = {
        (r.indicator.name, r.indicator.objective.section.manual.year, r.period): (
            r.value,
            r.status,
            r.version,
            r.entered_by.username if r.entered_by else None,
            r.history.count(),
        )
        for r in Realisation.objects.select_related(
            "indicator__objective__section__manual", "entered_by"
        )
    }
    targets = sorted(
        (t.indicator.name, t.period, str(t.value))
        for t in Target.objects.select_related("indicator")
    )
    users = {u.username: (u.password, u.is_superuser) for u in User.objects.all()}
    assignments = sorted(
        User.objects.values_list("username", "assignments__position__name", "assignments__role")
    )
    history = sorted(
        (h.indicator.name, h.period, h.history_type, str(h.value), h.history_user.username)
        for h in Realisation.history.select_related("indicator", "history_user")
        if h.history_user
    )
    return realisations, targets, users, assignments, history


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_media_tar_restore_every_record(client, settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    call_command("load_demo", verbosity=0)
    # An evidence file uploaded through the app, so that it has its own history and file.
    logged_in(client, "kasubbag")
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    response = client.post(
        reverse("entry", args=[indicator.pk, "Q4"]),
        {
            "value": "97,5",
            "save": "1",
            "version": "",
            "evidence": SimpleUploadedFile("rekap tw4.pdf", PDF),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    before_counts, before = counts(), snapshot()
    assert before_counts["sasaran.Realisation"] > 20
    assert before_counts["sasaran.HistoricalRealisation"] >= before_counts["sasaran.Realisation"]

    # Back up: the database as JSON, the media folder as a tar.
    dump = tmp_path / "sasaran-mutu.json"
    call_command("dumpdata", output=str(dump), **DUMP_OPTIONS)
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname="media")

    # Disaster: the database is emptied (tables kept, as after `migrate` on a new server)
    # and the media folder is gone.
    call_command("flush", interactive=False, verbosity=0)
    assert User.objects.count() == 0 and Realisation.objects.count() == 0
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    # Restore into an empty folder and the empty database.
    restored = tmp_path / "restored"
    restored.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(restored, filter="data")
    settings.MEDIA_ROOT = restored / "media"
    out = io.StringIO()
    call_command("loaddata", str(dump), stdout=out)
    assert "Installed" in out.getvalue()

    assert counts() == before_counts
    assert snapshot() == before
    restored_evidence = Evidence.objects.get()
    assert restored_evidence.original_name == "rekap tw4.pdf"
    assert restored_evidence.file.name == evidence.file.name
    assert (restored / "media" / evidence.file.name).read_bytes() == PDF
    # And the app serves it again to its officer after logging in anew.
    logged_in(client, "kasubbag")
    response = client.get(reverse("evidence", args=[restored_evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
