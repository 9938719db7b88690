"""The flowchart as SVG for every shape of flow: a symbol in every lane a step belongs to, an
arrow for every flow, branch labels as the document writes them and inside the actor
columns, no arrow through a symbol or along another arrow, off-page connectors numbered and
paired and never two at one place, dense pages; the seed drawn as before; the PNG.

The checks read the SVG itself (independently of the router that laid it out) and, where
they need the layout's own figures, the router's record of what it drew."""

import io
import math
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from mutu.demo import load_seed_sop
from sasaran.models import Unit
from sop import exports, flowchart, validation
from tests.factories import build_complex_sop, build_long_sop, build_sop

SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return Unit.objects.create(code="u", name="Unit", kind=Unit.Kind.DINAS)


def _row(number, actor, kind="process", activity=None, **more):
    return {"number": number, "activity": activity or f"Kegiatan {number}", "actor": actor,
            "kind": kind, **more}  # fmt: skip


def _drawings(sop, page_height=None):
    actors, steps = exports.parts(sop)
    return flowchart.drawings(steps, actors, page_height=page_height)


def _pdf_pages(sop):
    return exports.flow_pages(sop)


# --------------------------------------------------------------------------- reading the SVG


def _tree(drawing):
    return ET.fromstring(str(drawing))


def _classes(el):
    return (el.get("class") or "").split()


def _symbols(tree):
    return [el for el in tree.iter() if "symbol" in _classes(el)]


def _flows(tree):
    return [el for el in tree.iter(f"{SVG}polyline") if el.get("class") == "flow"]


def _points(el):
    return [tuple(float(v) for v in p.split(",")) for p in el.get("points").split()]


def _outline(el):
    """A symbol's outline as a polygon (circles as a 16-gon)."""
    if el.tag == f"{SVG}rect":
        x, y = float(el.get("x")), float(el.get("y"))
        w, h = float(el.get("width")), float(el.get("height"))
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    if el.tag == f"{SVG}circle":
        cx, cy, r = (float(el.get(k)) for k in ("cx", "cy", "r"))
        return [(cx + r * math.cos(a * math.pi / 8), cy + r * math.sin(a * math.pi / 8))
                for a in range(16)]  # fmt: skip
    return [tuple(float(v) for v in p.split(",")) for p in el.get("points").split()]


def _centre(el):
    xs = [x for x, _y in _outline(el)]
    ys = [y for _x, y in _outline(el)]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _inside(point, polygon, margin=0.6):
    """Whether `point` is inside a convex polygon, farther than `margin` from its sides."""
    x, y = point
    sign = 0
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
        length = math.hypot(x2 - x1, y2 - y1) or 1
        if abs(cross) / length < margin:
            return False
        if sign == 0:
            sign = 1 if cross > 0 else -1
        elif (cross > 0) != (sign > 0):
            return False
    return True


def _crossing_symbols(tree):
    """(arrow, symbol) pairs where an arrow runs through a symbol (sampled every half unit)."""
    outlines = [_outline(el) for el in tree.iter() if "symbol" in _classes(el)
                or "terminal-mark" in _classes(el) or "connector" in _classes(el)]  # fmt: skip
    found = []
    for line in _flows(tree) + [el for el in tree.iter(f"{SVG}polyline") if "mark" in _classes(el)]:
        points = _points(line)
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            steps = max(1, int(math.hypot(x2 - x1, y2 - y1) * 2))
            for i in range(steps + 1):
                p = (x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps)
                for outline in outlines:
                    if _inside(p, outline):
                        found.append((line.get("points"), outline))
    return found


def _segments(tree):
    result = []
    for index, line in enumerate(_flows(tree)):
        points = _points(line)
        result += [(index, a, b) for a, b in zip(points, points[1:], strict=False)]
    return result


def _overlapping(tree):
    """Pairs of segments of different arrows that run along each other (closer than 2)."""
    found = []
    segments = _segments(tree)
    for i, (owner, a1, a2) in enumerate(segments):
        for other, b1, b2 in segments[i + 1 :]:
            if owner == other:
                continue
            vertical_a, vertical_b = a1[0] == a2[0], b1[0] == b2[0]
            if vertical_a != vertical_b:
                continue
            k = 0 if vertical_a else 1
            if abs(a1[k] - b1[k]) >= 2:
                continue
            lo = max(min(a1[1 - k], a2[1 - k]), min(b1[1 - k], b2[1 - k]))
            hi = min(max(a1[1 - k], a2[1 - k]), max(b1[1 - k], b2[1 - k]))
            if hi - lo > 0.5:
                found.append((a1, a2, b1, b2))
    return found


def _check_clean(drawings):
    for drawing in drawings:
        tree = _tree(drawing)
        assert _crossing_symbols(tree) == []
        assert _overlapping(tree) == []
        assert drawing.page.router.problems() == []
        grid = drawing.page.grid
        for route in drawing.page.router.routes:
            assert route.relaxed == 0, route
            if route.label is not None:
                x0, _y0, x1, _y1 = route.label[4]
                # never into the Uraian Kegiatan nor the Mutu Baku columns
                assert grid.actors_left <= x0 and x1 <= grid.actors_right, route.label


def _lane_x(tree):
    """{actor key: x centre of its column}, from the header."""
    return {
        el.get("data-actor"): _centre(el)[0]
        for el in tree.iter(f"{SVG}rect")
        if el.get("data-actor") and "head" in _classes(el)
    }


def _arrows_by_flow(tree):
    return sorted((int(el.get("data-from")), int(el.get("data-to"))) for el in _flows(tree))


def _labels(tree):
    """The branch labels, a wrapped one (a text of tspans) as one."""
    texts = [el for el in tree.iter(f"{SVG}text") if "branch-label" in _classes(el)]
    return [" ".join(t.strip() for t in el.itertext() if t.strip()) for el in texts]


# --------------------------------------------------------------------------- the seed


def test_seed_draws_as_before(demo):
    seed = load_seed_sop()
    [drawing] = _drawings(seed)
    tree = _tree(drawing)
    flows = [el.get("points") for el in _flows(tree)]
    # 1 (Kadis) down, across and down into 2 (Tim Urusan Datin), then straight down
    assert flows == [
        "290.0,91.0 290.0,99.5 490.0,99.5 490.0,125.0",
        "490.0,153.0 490.0,187.0",
        "490.0,215.0 490.0,249.0",
        "490.0,277.0 490.0,311.0",
        "490.0,339.0 490.0,373.0",
        "490.0,401.0 490.0,435.0",
    ]
    assert [el.get("x") for el in _symbols(tree)] == ["258.0"] + ["458.0"] * 6
    assert 'viewBox="-1 -1 983 482"' in str(drawing)
    # and in the PDF: one page of flowchart, no connector bands
    [page] = _pdf_pages(seed)
    assert page.height == drawing.height and "connector" not in str(page)


# --------------------------------------------------------------------------- every shape


def _shape_sop(unit, steps, actors=("A", "B", "C")):
    sop = build_sop(unit, "S/1", list(actors), steps)
    assert validation.stored_sop_problems(sop) == []
    return sop


def _check_arrows(sop, tree):
    actors, steps = exports.parts(sop)
    expected = sorted((f.src, f.dst) for f in validation.flows(flowchart.facts_of(steps).values()))
    assert _arrows_by_flow(tree) == expected
    heads = tree.findall(f".//{SVG}polygon[@class='arrowhead']")
    marks = [el for el in tree.iter(f"{SVG}polyline") if "mark" in _classes(el)]
    assert len(heads) == len(expected) + len(marks)


def test_goto_jumps_over_rows(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start", flows=[4]),
        _row(2, "B"),
        _row(3, "B"),
        _row(4, "A", "decision", flows=[("Ya", 5), ("Tidak", 2)]),
        _row(5, "C", "end"),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    _check_arrows(sop, tree)
    assert (1, 4) in _arrows_by_flow(tree) and (1, 2) not in _arrows_by_flow(tree)
    _check_clean([drawing])


def test_merge_several_arrows_into_one_step(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start"),
        _row(2, "A", "decision", flows=[("Ya", 3), ("Tidak", 4)]),
        _row(3, "B", flows=[5]),
        _row(4, "C"),
        _row(5, "B", "end"),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    _check_arrows(sop, tree)
    into = [_points(el)[-1] for el in _flows(tree) if el.get("data-to") == "5"]
    assert len(into) == 2 and into[0] != into[1]  # two arrowheads, at two places
    _check_clean([drawing])


def test_fork_a_branch_to_two_steps(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start"),
        _row(2, "A", "decision", flows=[("Ya", 3), ("Ya", 4), ("Tidak", 5)]),
        _row(3, "B", flows=[5]),
        _row(4, "C"),
        _row(5, "A", "end"),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    _check_arrows(sop, tree)
    # each side a branch leaves by is labelled
    labels = _labels(tree)
    assert set(labels) == {"Ya", "Tidak"} and labels.count("Tidak") == 1
    ya = {_points(el)[0] for el in _flows(tree) if el.get("data-from") == "2"}
    assert len(ya) == 3
    _check_clean([drawing])


def test_multi_branch_decision_with_the_documents_labels(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start"),
        _row(2, "B", "decision",
             flows=[("Kotak Pengaduan", 3), ("Daring", 4), ("Tatap muka", 5)]),
        _row(3, "A", flows=[6]),
        _row(4, "C", flows=[6]),
        _row(5, "B"),
        _row(6, "C", "end"),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    _check_arrows(sop, tree)
    assert sorted(_labels(tree)) == ["Daring", "Kotak Pengaduan", "Tatap muka"]
    # the three branches leave the diamond at three different places
    starts = {_points(el)[0] for el in _flows(tree) if el.get("data-from") == "2"}
    assert len(starts) == 3
    _check_clean([drawing])


def test_labels_stay_out_of_the_mutu_baku_columns(unit):
    """A decision in the last lane whose long labels would run into Kelengkapan."""
    sop = _shape_sop(unit, [
        _row(1, "A", "start"),
        _row(2, "C", "decision",
             flows=[("Berkas belum lengkap", 1), ("Berkas lengkap dan benar", 3)]),
        _row(3, "B", "end"),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    _check_clean([drawing])
    assert sorted(_labels(_tree(drawing))) == ["Berkas belum lengkap", "Berkas lengkap dan benar"]


def test_shared_lane_activity_has_a_symbol_in_each_lane(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start"),
        _row(2, "A", also_actors=["C"]),
        _row(3, "B", also_actors=["A", "C"]),
        _row(4, "B", "end"),
    ], actors=("A", "B", ("Aplikasi", "system"), "C"))  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    lanes = _lane_x(tree)
    names = {str(a.pk): a.name for a in sop.actors.all()}
    by_step = {}
    for el in _symbols(tree):
        by_step.setdefault(el.get("data-step"), []).append(names[el.get("data-actor")])
        assert _centre(el)[0] == pytest.approx(lanes[el.get("data-actor")])
    assert by_step == {"1": ["A"], "2": ["A", "C"], "3": ["B", "A", "C"], "4": ["B"]}
    joints = [el for el in tree.iter(f"{SVG}polyline") if el.get("class") == "joint"]
    assert len(joints) == 1 + 2  # one line between each two symbols of a joint activity
    # an application's lane is named in italics
    heads = {el.text: el.get("font-style") for el in tree.iter(f"{SVG}text")}
    assert heads["Aplikasi"] == "italic" and heads["A"] is None
    _check_arrows(sop, tree)
    _check_clean([drawing])


def test_unnumbered_rows_and_capsules_on_activity_rows(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", start_capsule=True),
        _row(2, None, "note", activity="Catatan: berkas asli dikembalikan."),
        _row(3, "B", "connector", activity=""),
        _row(4, "B"),
        _row(5, "C", end_capsule=True),
    ])  # fmt: skip
    [drawing] = _drawings(sop)
    tree = _tree(drawing)
    numbers = [el.text for el in tree.iter(f"{SVG}text") if el.get("x") == "15.0" and el.text]
    assert numbers == ["No", "1.", "2.", "3."]  # the note and the connector are unnumbered
    kinds = [(el.get("data-step"), el.get("data-kind"), el.tag) for el in _symbols(tree)]
    assert kinds == [("1", "process", f"{SVG}rect"), ("3", "connector", f"{SVG}circle"),
                     ("4", "process", f"{SVG}rect"), ("5", "process", f"{SVG}rect")]  # fmt: skip
    marks = [el for el in tree.iter(f"{SVG}rect") if "terminal-mark" in _classes(el)]
    assert [m.get("data-step") for m in marks] == ["1", "5"]
    words = [el.text for el in tree.iter(f"{SVG}text") if el.get("font-size") == "8"]
    assert words == ["Mulai", "Selesai"]
    note = [el for el in tree.iter(f"{SVG}text") if el.get("font-style") == "italic"]
    assert note[0].text.startswith("Catatan: berkas asli")
    # the capsule on row 1 is above its box, the one on row 5 below
    boxes = {el.get("data-step"): _centre(el)[1] for el in _symbols(tree)}
    assert _centre(marks[0])[1] < boxes["1"] and _centre(marks[1])[1] > boxes["5"]
    _check_arrows(sop, tree)
    assert (1, 3) in _arrows_by_flow(tree)  # over the note, to the connector
    _check_clean([drawing])


def test_the_complex_sop_draws_clean_on_one_page_and_on_pages(unit):
    sop = build_complex_sop(unit)
    [whole] = _drawings(sop)
    _check_arrows(sop, _tree(whole))
    _check_clean([whole])
    pages = _pdf_pages(sop)
    assert len(pages) >= 2
    _check_clean(pages)


# --------------------------------------------------------------------------- pages


def _connectors(tree):
    return [el for el in tree.iter(f"{SVG}polygon") if "connector" in _classes(el)]


def test_connectors_are_numbered_paired_and_never_at_one_place(unit):
    sop = build_long_sop(unit)
    pages = _pdf_pages(sop)
    assert len(pages) >= 3
    _check_clean(pages)
    seen = {}
    for index, page in enumerate(pages):
        tree = _tree(page)
        places = [_centre(el) for el in _connectors(tree)]
        for i, a in enumerate(places):
            for b in places[i + 1 :]:
                assert math.dist(a, b) >= 22  # apart: no two at the same place
        for el in _connectors(tree):
            seen.setdefault(el.get("data-connector"), []).append(index)
    assert seen and all(len(found) == 2 and found[0] != found[1] for found in seen.values())
    numbers = sorted(int(n) for n in seen)
    assert numbers == list(range(1, len(numbers) + 1))
    # every flow drawn: within a page by an arrow, across pages by two halves
    facts = flowchart.facts_of(exports.parts(sop)[1])
    crossing = len(seen)
    arrows = sum(len(_flows(_tree(page))) for page in pages)
    assert arrows == len(validation.flows(facts.values())) + crossing


def test_a_short_sop_fits_one_pdf_page(unit):
    """Eight steps with long texts and a decision: one flowchart page, no connectors."""
    long = "Memeriksa kelengkapan dan kebenaran berkas permohonan sesuai daftar periksa"
    steps = [_row(1, "A", "start", activity=long, requirements=long, output=long)]
    steps += [_row(n, "ABC"[n % 3], activity=long, requirements=long, output=long)
              for n in range(2, 8)]  # fmt: skip
    steps[3] |= {"kind": "decision", "flows": [("Ya", 5), ("Tidak", 2)]}
    steps.append(_row(8, "C", "end", activity=long))
    sop = _shape_sop(unit, steps)
    [page] = _pdf_pages(sop)
    assert "connector" not in str(page)


def test_pages_are_even_no_nearly_empty_last_page(unit):
    sop = build_long_sop(unit, count=27)
    pages = _pdf_pages(sop)
    rows = [len(page.page.rows) for page in pages]
    assert len(rows) >= 2 and min(rows) >= max(rows) - 3


# --------------------------------------------------------------------------- the picture


def test_png_of_a_page(unit):
    sop = build_complex_sop(unit)
    page = _pdf_pages(sop)[0]
    image = Image.open(io.BytesIO(page.png(scale=1.5)))
    assert image.format == "PNG"
    assert image.size == (round((page.width + 2) * 1.5), round((page.height + 2) * 1.5))
    histogram = image.convert("L").histogram()
    dark = sum(histogram[:100])
    assert dark > 5000  # lines, symbols and text were drawn


def test_svg_text_is_escaped(unit):
    sop = _shape_sop(unit, [
        _row(1, "A", "start", activity="<script>x</script> & co"),
        _row(2, "A", "decision", flows=[("<b>Ya</b>", 3), ("Tidak", 1)]),
        _row(3, "A", "end"),
    ])  # fmt: skip
    svg = str(_drawings(sop)[0])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;Ya&lt;/b&gt;" in svg
    assert re.search(r"<b>", svg) is None
