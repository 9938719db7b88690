"""The procedure table of an SOP drawn as SVG, as Permenpan RB 35/2012 lays it out.

One row per step and one column per actor (Pelaksana); the step's symbol sits in its actor's
column: a capsule for start and end, a rectangle for a process, a diamond for a decision. Arrows
join a step to the next row; a decision's branches leave by its sides (Ya/Tidak), run along a
lane at the edge of the actor columns and enter their target from the side, forward or back.
The Mutu Baku (Kelengkapan, Waktu, Output) and Keterangan columns are at the right.

Drawn on the server so the page and the PDF show the same thing. Text is wrapped here with an
estimate of the font's width. For print the rows are split into pages; an arrow that crosses a
page ends in a numbered pentagon (off-page connector) and starts again from the same number on
the page where its target is.
"""

import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .services import time_text

FONT = 10.5
LINE = 13
CHAR = FONT * 0.5  # average width of a character of Liberation Sans / Arial
PAD = 5
MIN_ROW = 62
HEAD_TOP = 22
BAND = 40
ACTOR_W = 100
BOX_W, BOX_H = 64, 28
DIAMOND_W, DIAMOND_H = 60, 40
LANE = 6
FONTS = "Liberation Sans, Arial, Helvetica, sans-serif"

# (key, width) of the text columns left and right of the actors
LEFT = [("no", 30), ("activity", 210)]
RIGHT = [("requirements", 135), ("time", 66), ("output", 135), ("remarks", 105)]


def wrap(text, width):
    chars = max(4, int((width - 2 * PAD) / CHAR))
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        lines += textwrap.wrap(paragraph, chars, break_long_words=True) or [""]
    return lines


@dataclass
class Row:
    step: object
    y: float = 0
    height: float = MIN_ROW
    cells: dict = field(default_factory=dict)

    @property
    def cy(self):
        return self.y + self.height / 2


@dataclass
class Edge:
    src: int
    dst: int
    mode: str  # "down", "right" or "left"
    label: str = ""
    connector: int | None = None


class Grid:
    """Column positions for a list of actors."""

    def __init__(self, actors):
        self.actors = list(actors)
        self.x = {}
        x = 0
        for key, width in LEFT:
            self.x[key] = (x, width)
            x += width
        self.actors_left = x
        for actor in self.actors:
            self.x[actor.pk] = (x, ACTOR_W)
            x += ACTOR_W
        self.actors_right = x
        for key, width in RIGHT:
            self.x[key] = (x, width)
            x += width
        self.width = x

    def center(self, key):
        x, width = self.x[key]
        return x + width / 2

    def header_height(self):
        lines = max([len(wrap(a.name, ACTOR_W)) for a in self.actors] + [1])
        return HEAD_TOP + max(24, lines * LINE + 10)


def _cells(step):
    return {
        "no": f"{step.number}.",
        "activity": step.activity,
        "requirements": step.requirements,
        "time": time_text(step),
        "output": step.output,
        "remarks": step.remarks,
    }


def make_rows(steps, grid):
    rows = []
    for step in steps:
        cells = {key: wrap(text, grid.x[key][1]) for key, text in _cells(step).items()}
        lines = max(len(lines) for lines in cells.values())
        rows.append(Row(step=step, height=max(MIN_ROW, lines * LINE + 2 * PAD + 4), cells=cells))
    return rows


def make_edges(steps):
    """Every arrow of the procedure, keyed by step numbers."""
    ordered = sorted(steps, key=lambda s: s.number)
    following = {s.number: n.number for s, n in zip(ordered, ordered[1:], strict=False)}
    edges = []
    for step in ordered:
        after = following.get(step.number)
        if step.kind in ("start", "process") and after is not None:
            edges.append(Edge(step.number, after, "down"))
        elif step.kind == "decision":
            edges += _decision_edges(step, after)
    return edges


def _decision_edges(step, after):
    branches = [(_("Ya"), step.yes_step), (_("Tidak"), step.no_step)]
    branches = [(label, target) for label, target in branches if target is not None]
    down = next((b for b in branches if b[1] == after), None)
    sides = [b for b in branches if b is not down]
    edges = [Edge(step.number, down[1], "down", down[0])] if down else []
    for index, (label, target) in enumerate(sides):
        mode = "left" if index == 1 else "right"
        edges.append(Edge(step.number, target, mode, label))
    return edges


def paginate(rows, budget):
    """Split rows into pages whose rows fit `budget` units of height (at least one a page)."""
    pages, current, used = [], [], 0
    for row in rows:
        if current and used + row.height > budget:
            pages.append(current)
            current, used = [], 0
        current.append(row)
        used += row.height
    if current:
        pages.append(current)
    return pages


def _symbol_size(kind):
    return (DIAMOND_W, DIAMOND_H) if kind == "decision" else (BOX_W, BOX_H)


def _anchor(grid, row, side):
    x = grid.center(row.step.actor_id)
    w, h = _symbol_size(row.step.kind)
    return {
        "top": (x, row.cy - h / 2),
        "bottom": (x, row.cy + h / 2),
        "right": (x + w / 2, row.cy),
        "left": (x - w / 2, row.cy),
    }[side]


class Canvas:
    def __init__(self):
        self.parts = []

    def add(self, text):
        self.parts.append(text)

    def line(self, points, klass="flow", head=True):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.add(f'<polyline class="{klass}" points="{coords}" fill="none" stroke="#000"/>')
        if head:
            self.arrowhead(points[-2], points[-1])

    def arrowhead(self, start, end):
        (x0, y0), (x1, y1) = start, end
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 0.001)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - 7 * ux, y1 - 7 * uy
        left = (bx - 3.5 * uy, by + 3.5 * ux)
        right = (bx + 3.5 * uy, by - 3.5 * ux)
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ((x1, y1), left, right))
        self.add(f'<polygon class="arrowhead" points="{pts}" fill="#000"/>')

    def text(self, x, y, text, anchor="start", klass="", size=FONT, bold=False):
        weight = ' font-weight="bold"' if bold else ""
        klass = f' class="{klass}"' if klass else ""
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f"{weight}{klass}>{escape(text)}</text>"
        )

    def lines(self, x, y, lines, anchor="start", bold=False):
        for index, line in enumerate(lines):
            self.text(x, y + index * LINE, line, anchor, bold=bold)

    def rect(self, x, y, w, h, fill="none", klass="cell", rx=0, extra=""):
        self.add(
            f'<rect class="{klass}"{extra} x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
            f' rx="{rx}" fill="{fill}" stroke="#000" stroke-width="0.7"/>'
        )

    def pentagon(self, x, y, number):
        pts = [(x - 11, y - 11), (x + 11, y - 11), (x + 11, y + 3), (x, y + 11), (x - 11, y + 3)]
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        self.add(
            f'<polygon class="connector" data-connector="{number}" points="{coords}" '
            'fill="#fff" stroke="#000"/>'
        )
        self.text(x, y + 2, str(number), "middle", size=9, bold=True)


def _draw_header(canvas, grid, height):
    canvas.rect(0, 0, grid.width, height, fill="#e9ecef", klass="head")
    spans = [
        ("no", "no", pgettext("number", "No")),
        ("activity", "activity", _("Uraian Kegiatan")),
        ("remarks", "remarks", _("Keterangan")),
    ]
    for first, _last, label in spans:
        x, width = grid.x[first]
        canvas.rect(x, 0, width, height, klass="head")
        canvas.text(x + width / 2, height / 2 + 4, label, "middle", bold=True)
    groups = [
        (grid.actors_left, grid.actors_right, _("Pelaksana")),
        (grid.x["requirements"][0], grid.x["remarks"][0], _("Mutu Baku")),
    ]
    for left, right, label in groups:
        canvas.rect(left, 0, right - left, HEAD_TOP, klass="head")
        canvas.text((left + right) / 2, HEAD_TOP - 7, label, "middle", bold=True)
    sub = [(a.pk, a.name) for a in grid.actors] + [
        ("requirements", _("Kelengkapan")),
        ("time", _("Waktu")),
        ("output", _("Output")),
    ]
    for key, label in sub:
        x, width = grid.x[key]
        extra = f' data-actor="{key}"' if isinstance(key, int) else ""
        canvas.rect(x, HEAD_TOP, width, height - HEAD_TOP, klass="head", extra=extra)
        lines = wrap(label, width)
        top = HEAD_TOP + (height - HEAD_TOP - len(lines) * LINE) / 2 + FONT
        canvas.lines(x + width / 2, top, lines, "middle", bold=True)


def _draw_row(canvas, grid, row):
    for key, (x, width) in grid.x.items():
        canvas.rect(x, row.y, width, row.height)
        if key in row.cells:
            centred = key in ("no", "time")
            tx = x + width / 2 if centred else x + PAD
            canvas.lines(tx, row.y + PAD + FONT, row.cells[key], "middle" if centred else "start")
    _draw_symbol(canvas, grid, row)


def _draw_symbol(canvas, grid, row):
    step = row.step
    x, y = grid.center(step.actor_id), row.cy
    w, h = _symbol_size(step.kind)
    data = (
        f'data-step="{step.number}" data-actor="{step.actor_id}" data-kind="{step.kind}" '
        f'class="symbol symbol-{step.kind}"'
    )
    title = f"<title>{escape(f'{step.number}. {step.activity}')}</title>"
    if step.kind == "decision":
        pts = f"{x},{y - h / 2} {x + w / 2},{y} {x},{y + h / 2} {x - w / 2},{y}"
        shape = f'<polygon {data} points="{pts}" fill="#fff" stroke="#000">{title}</polygon>'
    else:
        rx = h / 2 if step.kind in ("start", "end") else 2
        shape = (
            f'<rect {data} x="{x - w / 2}" y="{y - h / 2}" width="{w}" height="{h}" rx="{rx}" '
            f'fill="#fff" stroke="#000" stroke-width="1.2">{title}</rect>'
        )
    canvas.add(shape)


class PageDrawing:
    """One page of the procedure table: its rows, arrows and off-page connectors."""

    def __init__(self, grid, rows, edges, page_of, has_in, has_out):
        self.grid, self.rows, self.edges, self.page_of = grid, rows, edges, page_of
        self.by_number = {row.step.number: row for row in rows}
        self.head = grid.header_height()
        self.top_band = self.head
        self.has_in, self.has_out = has_in, has_out
        y = self.head + (BAND if has_in else 0)
        for row in rows:
            row.y = y
            y += row.height
        self.bottom_band = y
        self.height = y + (BAND if has_out else 0)
        self.lanes = {"right": 0, "left": 0}
        self.canvas = Canvas()

    def lane_x(self, side):
        self.lanes[side] += 1
        offset = LANE * self.lanes[side]
        if side == "right":
            return self.grid.actors_right - offset
        return self.grid.actors_left + offset

    def band_y(self, later):
        """Centre of the band where a connector to (or from) another page sits."""
        return self.bottom_band + BAND / 2 if later else self.top_band + BAND / 2

    def draw(self):
        canvas = self.canvas
        _draw_header(canvas, self.grid, self.head)
        if self.has_in:
            canvas.rect(0, self.top_band, self.grid.width, BAND, klass="band")
        if self.has_out:
            canvas.rect(0, self.bottom_band, self.grid.width, BAND, klass="band")
        for row in self.rows:
            _draw_row(canvas, self.grid, row)
        for edge in self.edges:
            self.draw_edge(edge)
        return self.svg()

    def draw_edge(self, edge):
        src, dst = self.by_number.get(edge.src), self.by_number.get(edge.dst)
        if src is None and dst is None:
            return
        if edge.mode == "down":
            self._down(edge, src, dst)
        else:
            self._side(edge, src, dst)

    def _down(self, edge, src, dst):
        canvas = self.canvas
        if src is not None:
            ax, ay = _anchor(self.grid, src, "bottom")
            if edge.label:
                canvas.text(ax + 4, ay + 10, edge.label, klass="branch-label", size=9)
            if dst is None:
                py = self.band_y(later=True)
                canvas.line([(ax, ay), (ax, py - 11)])
                canvas.pentagon(ax, py, edge.connector)
                return
            bx, by = _anchor(self.grid, dst, "top")
            mid = ay + (src.y + src.height - ay) / 2
            canvas.line([(ax, ay), (ax, mid), (bx, mid), (bx, by)])
            return
        bx, by = _anchor(self.grid, dst, "top")
        py = self.band_y(later=False)
        canvas.pentagon(bx, py, edge.connector)
        canvas.line([(bx, py + 11), (bx, by)])

    def _side(self, edge, src, dst):
        canvas = self.canvas
        side = edge.mode
        gx = self.lane_x(side)
        points = []
        if src is not None:
            sx, sy = _anchor(self.grid, src, side)
            canvas.text(
                sx + (3 if side == "right" else -3),
                sy - 4,
                edge.label,
                "start" if side == "right" else "end",
                klass="branch-label",
                size=9,
            )
            points = [(sx, sy), (gx, sy)]
        else:
            later = self.page_of[edge.src] > self.page_of[edge.dst]
            py = self.band_y(later)
            canvas.pentagon(gx, py, edge.connector)
            points = [(gx, py + (-11 if later else 11))]
        if dst is not None:
            tx, ty = _anchor(self.grid, dst, side)
            canvas.line(points + [(gx, ty), (tx, ty)])
            return
        later = self.page_of[edge.dst] > self.page_of[edge.src]
        py = self.band_y(later)
        canvas.line(points + [(gx, py + (-11 if later else 11))])
        canvas.pentagon(gx, py, edge.connector)

    def svg(self):
        width, height = self.grid.width, self.height
        # Drawn at most 1.4 pixels per unit: the width attribute, which the stylesheets fit
        # to the room there is (app.css: max-width 100 %; the PDF: width 100 %). Not a style
        # attribute, which the page's Content-Security-Policy forbids.
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="sop-flowchart" role="img" '
            f'viewBox="-1 -1 {width + 2} {height + 2}" width="{width * 1.4:.0f}" '
            f'font-family="{FONTS}" '
            f'aria-label="{escape(_("Bagan alir prosedur"))}">'
            + "".join(self.canvas.parts)
            + "</svg>"
        )


def draw(steps, actors, page_height=None):
    """The procedure as a list of SVG drawings: one, or one per page when `page_height`
    (in drawing units, header and connector bands included) is given."""
    steps = sorted(steps, key=lambda s: s.number)
    grid = Grid(actors)
    rows = make_rows(steps, grid)
    budget = page_height - grid.header_height() - 2 * BAND if page_height else float("inf")
    pages = paginate(rows, budget)
    page_of = {row.step.number: index for index, page in enumerate(pages) for row in page}
    edges = [e for e in make_edges(steps) if e.src in page_of and e.dst in page_of]
    connector = 0
    for edge in edges:
        if page_of[edge.src] != page_of[edge.dst]:
            connector += 1
            edge.connector = connector
    drawings = []
    for index, page in enumerate(pages):
        crossing = [e for e in edges if e.connector and index in (page_of[e.src], page_of[e.dst])]
        has_in = any(_band_is_top(e, index, page_of) for e in crossing)
        has_out = any(not _band_is_top(e, index, page_of) for e in crossing)
        mine = [e for e in edges if index in (page_of[e.src], page_of[e.dst])]
        drawings.append(PageDrawing(grid, page, mine, page_of, has_in, has_out).draw())
    return drawings


def _band_is_top(edge, page, page_of):
    """Whether a crossing edge's connector on `page` sits in the top band."""
    other = page_of[edge.dst] if page_of[edge.src] == page else page_of[edge.src]
    return other < page
