"""The SOP page over HTTP: who may see it, and the flowchart drawn as SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model

from mutu.demo import load_seed_sop
from sasaran.models import Assignment, Position, Unit
from tests.factories import build_sop

SVG = "{http://www.w3.org/2000/svg}"
PASSWORD = "sasaranmutu"


@pytest.fixture
def seed(demo):
    return load_seed_sop(with_user=True)


def _svgs(response):
    """The flowchart drawings of the page (not its icons)."""
    html = response.content.decode()
    found = [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, re.S)]
    return [svg for svg in found if "sop-flowchart" in (svg.get("class") or "")]


def _symbols(svg):
    return [el for el in svg.iter() if "symbol" in (el.get("class") or "").split()]


def _centre(el):
    if el.tag == f"{SVG}rect":
        return float(el.get("x")) + float(el.get("width")) / 2
    xs = [float(p.split(",")[0]) for p in el.get("points").split()]
    return (min(xs) + max(xs)) / 2


def _column_centres(svg):
    """Header text of each column -> its x centre."""
    return {el.text: float(el.get("x")) for el in svg.iter(f"{SVG}text")}


def _actor_columns(svg, sop):
    """Actor name -> x centre of its column in the header."""
    names = {str(a.pk): a.name for a in sop.actors.all()}
    return {
        names[el.get("data-actor")]: _centre(el)
        for el in svg.iter(f"{SVG}rect")
        if el.get("data-actor") and "head" in el.get("class")
    }


def test_seed_page_draws_a_symbol_per_step_in_its_actors_column(seed, client):
    client.login(username="datin", password=PASSWORD)
    response = client.get(f"/sop/{seed.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "62/ 1687 / DATIN /2023" in page and "Penyusunan Laporan Kinerja PTSPdan PPB" in page
    assert "Tanggal Pembuatan" in page and "27 Juni 2023" in page
    assert "31,8 hari kerja (238,5 jam; 1 hari kerja = 7,5 jam)" in page
    [svg] = _svgs(response)
    symbols = _symbols(svg)
    assert len(symbols) == 7
    columns = _actor_columns(svg, seed)
    expected = ["Kadis"] + ["Tim Urusan Datin"] * 6
    for symbol, actor in zip(symbols, expected, strict=True):
        assert _centre(symbol) == pytest.approx(columns[actor])
    columns = _column_centres(svg)
    kinds = [s.get("data-kind") for s in symbols]
    assert kinds == ["start"] + ["process"] * 5 + ["end"]
    assert float(symbols[0].get("rx")) > 10 and float(symbols[1].get("rx")) < 5  # capsule, box
    assert len(svg.findall(f".//{SVG}polygon[@class='arrowhead']")) == 6
    for header in ("Kelengkapan", "Waktu", "Output", "Keterangan", "Mutu Baku", "Pelaksana"):
        assert header in columns


@pytest.fixture
def decision_sop(seed):
    steps = [
        {"number": 1, "activity": "Menerima berkas", "actor": "Loket", "kind": "start"},
        {"number": 2, "activity": "Memeriksa berkas", "actor": "Verifikator", "kind": "process"},
        {
            "number": 3,
            "activity": "Berkas lengkap?",
            "actor": "Verifikator",
            "kind": "decision",
            "yes_step": 4,
            "no_step": 1,
        },
        {"number": 4, "activity": "Menerbitkan izin", "actor": "Kepala", "kind": "end"},
    ]
    return build_sop(seed.unit, "2/TEST", ["Loket", "Verifikator", "Kepala"], steps)


def test_decision_is_a_diamond_with_both_branches(decision_sop, client):
    client.login(username="datin", password=PASSWORD)
    [svg] = _svgs(client.get(f"/sop/{decision_sop.pk}/"))
    symbols = _symbols(svg)
    assert [s.tag for s in symbols] == [f"{SVG}rect", f"{SVG}rect", f"{SVG}polygon", f"{SVG}rect"]
    columns = _actor_columns(svg, decision_sop)
    assert [_centre(s) for s in symbols] == [
        pytest.approx(columns[name]) for name in ("Loket", "Verifikator", "Verifikator", "Kepala")
    ]
    labels = [el.text for el in svg.iter(f"{SVG}text") if el.get("class") == "branch-label"]
    assert sorted(labels) == ["Tidak", "Ya"]
    # 1->2, 2->3, Ya 3->4 and the Tidak branch back up to 1.
    assert len(svg.findall(f".//{SVG}polygon[@class='arrowhead']")) == 4
    flows = svg.findall(f".//{SVG}polyline[@class='flow']")
    back = [f for f in flows if len(f.get("points").split()) == 4]
    ys = [float(p.split(",")[1]) for p in back[-1].get("points").split()]
    assert ys[-1] < ys[0]  # the Tidak arrow goes back to an earlier row


def test_incoherent_sop_shows_its_problems(decision_sop, client):
    decision_sop.steps.filter(number=4).update(kind="process")
    client.login(username="datin", password=PASSWORD)
    page = client.get(f"/sop/{decision_sop.pk}/").content.decode()
    assert "SOP belum mempunyai langkah Selesai" in page


def _other_unit_user():
    unit = Unit.objects.create(code="lain", name="Unit Lain", kind=Unit.Kind.DINAS)
    position = Position.objects.create(unit=unit, name="Staf", level=Position.Level.STAFF)
    user = get_user_model().objects.create_user("lain", password=PASSWORD)
    Assignment.objects.create(user=user, position=position)
    return user


@pytest.mark.parametrize("suffix", ["", "pdf/", "xlsx/"])
def test_user_of_another_unit_gets_404(seed, client, suffix):
    _other_unit_user()
    client.login(username="lain", password=PASSWORD)
    assert client.get(f"/sop/{seed.pk}/{suffix}").status_code == 404


def test_user_of_the_dki_units_gets_404_and_an_empty_list(seed, client):
    client.login(username="kepala", password=PASSWORD)
    assert client.get(f"/sop/{seed.pk}/").status_code == 404
    assert seed.number not in client.get("/sop/").content.decode()


def test_anonymous_is_sent_to_login(seed, client):
    response = client.get(f"/sop/{seed.pk}/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_superuser_and_unit_member_see_it_listed(seed, client):
    for username in ("admin", "datin"):
        client.login(username=username, password=PASSWORD)
        listing = client.get("/sop/").content.decode()
        assert "Penyusunan Laporan Kinerja PTSPdan PPB" in listing
        assert client.get(f"/sop/{seed.pk}/").status_code == 200


def test_earlier_revision_stays_readable(seed, client):
    from sop.services import revise

    revised = revise(seed)
    client.login(username="datin", password=PASSWORD)
    new_page = client.get(f"/sop/{revised.pk}/").content.decode()
    assert f"/sop/{seed.pk}/" in new_page and "revisi 1" in new_page
    old_page = client.get(f"/sop/{seed.pk}/").content.decode()
    assert "Ini revisi lama." in old_page
    assert client.get(f"/sop/{seed.pk}/pdf/").status_code == 200
