"""The procedure table of an SOP drawn as SVG (and PNG), as Permenpan RB 35/2012 lays it out.

One row per step and one column per actor (Pelaksana); the step's symbol sits in its actor's
column, and in the column of every actor it is done together with (a joint activity: one
symbol per lane, joined by a dashed line): a capsule for start and end, a rectangle for a
process, a diamond for a decision, a small circle for a connector row; a note row has no
symbol. A start or end capsule may also sit on the row of the first or last activity, above or
below its symbol. The Mutu Baku (Kelengkapan, Waktu, Output) and Keterangan columns are at the
right.

Every flow of the procedure (`validation.flows`: the row below by default, or the step's own
flows: jumps, merges, forks, branches with the document's labels) is one arrow. Arrows are
laid out by `routing.Router`: they run on tracks between the symbols, never through a symbol
or along another arrow, and a branch's label stays beside its arrow inside the actor columns.

Drawn on the server so the page, the PDF and the workbook show the same thing. Text is wrapped
here with an estimate of the font's width. For print the rows are split into pages as full as
the page allows and as even as the same number of pages allows; an arrow that crosses a page
ends in a numbered pentagon (off-page connector) and starts again from the same number on the
page where its target is.
"""

import math
import textwrap
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import validation
from .routing import End, Label, Router, Shape
from .services import time_text

FONT = 10.5
LINE = 13
CHAR = FONT * 0.5  # average width of a character of Liberation Sans / Arial
PAD = 5
MIN_ROW = 62
NOTE_ROW = 30
CONNECTOR_ROW = 40
HEAD_TOP = 22
BAND = 40
ACTOR_W = 100
BOX_W, BOX_H = 64, 28
DIAMOND_W, DIAMOND_H = 60, 40
MINI_W, MINI_H, MINI_GAP = 46, 16, 10  # a start/end capsule on an activity's row
CIRCLE = 18
PENT = 11
# Vertical tracks of a lane, from its left border: the symbols (64 wide at most) take 18-82.
LANE_TRACKS = (8, 13, 24, 30, 36, 42, 50, 58, 64, 70, 76, 87, 92)
LABEL_SIZE = 9
FONTS = "Liberation Sans, Arial, Helvetica, sans-serif"

# (key, width) of the text columns left and right of the actors
LEFT = [("no", 30), ("activity", 210)]
RIGHT = [("requirements", 135), ("time", 66), ("output", 135), ("remarks", 105)]

SHAPES = {
    "start": ("capsule", BOX_W, BOX_H),
    "end": ("capsule", BOX_W, BOX_H),
    "process": ("box", BOX_W, BOX_H),
    "decision": ("diamond", DIAMOND_W, DIAMOND_H),
    "connector": ("circle", CIRCLE, CIRCLE),
}


def wrap(text, width):
    chars = max(4, int((width - 2 * PAD) / CHAR))
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        lines += textwrap.wrap(paragraph, chars, break_long_words=True) or [""]
    return lines


@dataclass
class Row:
    step: object
    facts: object
    shown: int | None = None
    y: float = 0
    height: float = MIN_ROW
    cells: dict = field(default_factory=dict)
    shapes: list = field(default_factory=list)

    @property
    def cy(self):
        return self.y + self.height / 2

    @property
    def number(self):
        return self.facts.number


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


def _cells(step, shown):
    return {
        "no": f"{shown}." if shown else "",
        "activity": step.activity,
        "requirements": step.requirements,
        "time": time_text(step),
        "output": step.output,
        "remarks": step.remarks,
    }


def _stack_height(facts):
    if facts.kind == validation.NOTE:
        return 0
    _shape, _w, h = SHAPES[facts.kind]
    return h + (MINI_H + MINI_GAP) * (int(facts.start_capsule) + int(facts.end_capsule))


def make_rows(steps, facts, grid):
    shown, count = {}, 0
    for step in steps:
        if facts[step.number].kind not in validation.UNNUMBERED:
            count += 1
            shown[step.number] = count
    rows = []
    for step in steps:
        fact = facts[step.number]
        number = shown.get(step.number)
        cells = {key: wrap(text, grid.x[key][1]) for key, text in _cells(step, number).items()}
        lines = max(len(lines) for lines in cells.values())
        if fact.kind == validation.NOTE:
            least = NOTE_ROW
        elif fact.kind == validation.CONNECTOR:
            least = CONNECTOR_ROW
        else:
            least = max(MIN_ROW, _stack_height(fact) + 24)
        height = max(least, lines * LINE + 2 * PAD + 4)
        rows.append(Row(step=step, facts=fact, shown=number, height=height, cells=cells))
    return rows


def _row_shapes(row, grid):
    """The symbols of a row placed at its y: one per lane, and the capsule marks."""
    facts = row.facts
    lanes = [lane for lane in facts.lanes if lane in grid.x]
    if facts.kind == validation.NOTE or not lanes:
        return []
    kind, w, h = SHAPES[facts.kind]
    top = row.cy - _stack_height(facts) / 2
    cy = top + (MINI_H + MINI_GAP if facts.start_capsule else 0) + h / 2
    shapes = [
        Shape(kind, grid.center(lane), cy, w, h, facts.number, lane, "main" if i == 0 else "joint")
        for i, lane in enumerate(lanes)
    ]
    x = shapes[0].x
    if facts.start_capsule:
        mark = Shape("capsule", x, top + MINI_H / 2, MINI_W, MINI_H, facts.number, lanes[0])
        mark.role = "start-mark"
        shapes.append(mark)
    if facts.end_capsule:
        y = cy + h / 2 + MINI_GAP + MINI_H / 2
        mark = Shape("capsule", x, y, MINI_W, MINI_H, facts.number, lanes[0], "end-mark")
        shapes.append(mark)
    return shapes


# --------------------------------------------------------------------------- pages


def paginate(rows, room, first_room=None):
    """Split rows into pages: [(rows of the page)]. `room` is the height a page has for its
    rows and connector bands (None: one page); `first_room` that of the first page when it
    is shorter (it shares a page with the end of the identity part). Pages are as full as
    they can be with a band kept for connectors (none needed when everything fits on one
    page), then evened out so that the last page is not nearly empty while the number of
    pages stays the same."""
    total = sum(row.height for row in rows)
    first_room = room if first_room is None else first_room
    if room is None or total <= first_room or not rows:
        return [rows]

    def pack(cap):
        pages, start = [], 0
        while start < len(rows):
            top = BAND if pages else 0
            space = room if pages else first_room
            rest = sum(row.height for row in rows[start:])
            if rest <= min(cap, space - top):
                pages.append(rows[start:])
                break
            budget = min(cap, space - top - BAND)
            used, end = 0, start
            while end < len(rows) and (end == start or used + rows[end].height <= budget):
                used += rows[end].height
                end += 1
            pages.append(rows[start:end])
            start = end
        return pages

    pages = pack(math.inf)
    count = len(pages)
    low, high = max(row.height for row in rows), room
    while high - low > 1:
        middle = (low + high) / 2
        if len(pack(middle)) <= count:
            high = middle
        else:
            low = middle
    return pack(high)


# --------------------------------------------------------------------------- canvas


class Canvas:
    """The drawing as SVG text and as a list of plain operations (for the PNG)."""

    def __init__(self):
        self.parts = []
        self.ops = []

    def add(self, text, op=None):
        self.parts.append(text)
        if op is not None:
            self.ops.append(op)

    def line(self, points, klass="flow", head=True, dashed=False, extra=""):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        self.add(
            f'<polyline class="{klass}"{extra} points="{coords}" fill="none" stroke="#000"{dash}/>',
            ("line", [tuple(p) for p in points], 1.0, dashed),
        )
        if head:
            self.arrowhead(points[-2], points[-1])

    def arrowhead(self, start, end):
        (x0, y0), (x1, y1) = start, end
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 0.001)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - 7 * ux, y1 - 7 * uy
        left = (bx - 3.5 * uy, by + 3.5 * ux)
        right = (bx + 3.5 * uy, by - 3.5 * ux)
        points = [(x1, y1), left, right]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.add(
            f'<polygon class="arrowhead" points="{pts}" fill="#000"/>',
            ("poly", points, "#000", 0),
        )

    def text(self, x, y, text, anchor="start", klass="", size=FONT, bold=False, italic=False):
        weight = ' font-weight="bold"' if bold else ""
        style = ' font-style="italic"' if italic else ""
        klass = f' class="{klass}"' if klass else ""
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f"{weight}{style}{klass}>{escape(text)}</text>",
            ("text", x, y, str(text), anchor, size, bold, italic),
        )

    def label(self, x, y, lines, anchor, size, step=10):
        """A branch label: one text, its lines (when it wraps) as tspans."""
        if len(lines) == 1:
            self.text(x, y, lines[0], anchor, klass="branch-label", size=size)
            return
        spans = "".join(
            f'<tspan x="{x:.1f}" y="{y + i * step:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.add(
            f'<text font-size="{size}" text-anchor="{anchor}" class="branch-label">{spans}</text>'
        )
        for i, line in enumerate(lines):
            self.ops.append(("text", x, y + i * step, line, anchor, size, False, False))

    def lines(self, x, y, lines, anchor="start", bold=False, italic=False):
        for index, line in enumerate(lines):
            self.text(x, y + index * LINE, line, anchor, bold=bold, italic=italic)

    def rect(self, x, y, w, h, fill="none", klass="cell", rx=0, extra=""):
        self.add(
            f'<rect class="{klass}"{extra} x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
            f' rx="{rx}" fill="{fill}" stroke="#000" stroke-width="0.7"/>',
            ("rect", x, y, w, h, fill, rx, 0.7),
        )

    def pentagon(self, shape):
        x, y, number = shape.x, shape.y, shape.connector
        pts = [(x - 11, y - 11), (x + 11, y - 11), (x + 11, y + 3), (x, y + 11), (x - 11, y + 3)]
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        self.add(
            f'<polygon class="connector" data-connector="{number}" points="{coords}" '
            'fill="#fff" stroke="#000"/>',
            ("poly", pts, "#fff", 1.0),
        )
        self.text(x, y + 2, str(number), "middle", size=9, bold=True)

    def symbol(self, shape, kind, title):
        x, y, w, h = shape.x, shape.y, shape.w, shape.h
        joint = " symbol-joint" if shape.role == "joint" else ""
        data = (
            f'data-step="{shape.number}" data-actor="{shape.lane}" data-kind="{kind}" '
            f'class="symbol symbol-{kind}{joint}"'
        )
        title = f"<title>{escape(title)}</title>"
        if shape.kind == "diamond":
            points = [(x, y - h / 2), (x + w / 2, y), (x, y + h / 2), (x - w / 2, y)]
            pts = f"{x},{y - h / 2} {x + w / 2},{y} {x},{y + h / 2} {x - w / 2},{y}"
            self.add(
                f'<polygon {data} points="{pts}" fill="#fff" stroke="#000">{title}</polygon>',
                ("poly", points, "#fff", 1.0),
            )
        elif shape.kind == "circle":
            self.add(
                f'<circle {data} cx="{x}" cy="{y}" r="{w / 2}" fill="#fff" stroke="#000" '
                f'stroke-width="1.2">{title}</circle>',
                ("circle", x, y, w / 2, "#fff", 1.2),
            )
        else:
            rx = h / 2 if shape.kind == "capsule" else 2
            self.add(
                f'<rect {data} x="{x - w / 2}" y="{y - h / 2}" width="{w}" height="{h}" '
                f'rx="{rx}" fill="#fff" stroke="#000" stroke-width="1.2">{title}</rect>',
                ("rect", x - w / 2, y - h / 2, w, h, "#fff", rx, 1.2),
            )

    def mark(self, shape, text):
        """A start or end capsule on an activity's row, with its word inside."""
        x, y, w, h = shape.x, shape.y, shape.w, shape.h
        self.add(
            f'<rect class="terminal-mark {shape.role}" data-step="{shape.number}" '
            f'x="{x - w / 2}" y="{y - h / 2}" width="{w}" height="{h}" rx="{h / 2}" '
            'fill="#fff" stroke="#000" stroke-width="1.2"/>',
            ("rect", x - w / 2, y - h / 2, w, h, "#fff", h / 2, 1.2),
        )
        self.text(x, y + 3, text, "middle", size=8)


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
    kinds = {a.pk: getattr(a, "kind", "person") for a in grid.actors}
    sub = [(a.pk, a.name) for a in grid.actors] + [
        ("requirements", _("Kelengkapan")),
        ("time", _("Waktu")),
        ("output", _("Output")),
    ]
    for key, label in sub:
        x, width = grid.x[key]
        extra = f' data-actor="{key}"' if key in kinds else ""
        canvas.rect(x, HEAD_TOP, width, height - HEAD_TOP, klass="head", extra=extra)
        lines = wrap(label, width)
        top = HEAD_TOP + (height - HEAD_TOP - len(lines) * LINE) / 2 + FONT
        # A lane that is not a person (an application, a facility) is named in italics.
        italic = kinds.get(key, "person") != "person"
        canvas.lines(x + width / 2, top, lines, "middle", bold=True, italic=italic)


def _draw_row(canvas, grid, row):
    note = row.facts.kind == validation.NOTE
    for key, (x, width) in grid.x.items():
        canvas.rect(x, row.y, width, row.height)
        if key in row.cells:
            centred = key in ("no", "time")
            tx = x + width / 2 if centred else x + PAD
            canvas.lines(
                tx,
                row.y + PAD + FONT,
                row.cells[key],
                "middle" if centred else "start",
                italic=note and key == "activity",
            )
    for shape in row.shapes:
        if shape.role in ("main", "joint"):
            title = f"{row.shown}. {row.step.activity}" if row.shown else row.step.activity
            canvas.symbol(shape, row.facts.kind, title)


# --------------------------------------------------------------------------- one page


@dataclass
class Crossing:
    """A flow whose ends are on different pages, and its connector's number."""

    flow: object
    number: int
    src_page: int
    dst_page: int


class PageDrawing:
    """One page of the procedure table: its rows, symbols, arrows and off-page connectors."""

    def __init__(self, grid, rows, flows, crossings, index):
        self.grid, self.rows, self.index = grid, rows, index
        self.by_number = {row.number: row for row in rows}
        self.head = grid.header_height()
        self.flows = flows  # flows with both ends on this page
        self.crossings = crossings  # Crossing touching this page
        self.has_in = any(self._band_is_top(c) for c in crossings)
        self.has_out = any(not self._band_is_top(c) for c in crossings)
        y = self.head + (BAND if self.has_in else 0)
        for row in rows:
            row.y = y
            y += row.height
            row.shapes = _row_shapes(row, grid)
        self.bottom_band = y
        self.height = y + (BAND if self.has_out else 0)
        self.canvas = Canvas()
        self.router = self._router()
        self.connectors = []

    def _band_is_top(self, crossing):
        """Whether the connector of a crossing flow sits in this page's top band."""
        mine = crossing.src_page == self.index
        other = crossing.dst_page if mine else crossing.src_page
        return other < self.index

    def band_y(self, top):
        return self.head + BAND / 2 if top else self.bottom_band + BAND / 2

    # ------------------------------------------------------------------ tracks

    def _router(self):
        grid = self.grid
        shapes = [shape for row in self.rows for shape in row.shapes]
        # in each lane: beside its borders, beside the symbols and through the middle;
        # never along the lines of the table itself
        xs = {grid.x[a.pk][0] + offset for a in grid.actors for offset in LANE_TRACKS}
        # the free heights: between the rows of symbols (and the connector bands)
        busy = []
        for row in self.rows:
            if row.shapes:
                busy.append((min(s.box[1] for s in row.shapes), max(s.box[3] for s in row.shapes)))
        if self.has_in:
            busy.append((self.band_y(True) - PENT, self.band_y(True) + PENT))
        if self.has_out:
            busy.append((self.band_y(False) - PENT, self.band_y(False) + PENT))
        busy.sort()
        edges = [self.head] + [y for pair in busy for y in pair] + [self.height]
        ys = set()
        for low, high in zip(edges[::2], edges[1::2], strict=False):
            first, last = low + 5, high - 5
            if last < first:
                continue
            y = first
            while y <= last + 0.01:
                ys.add(round(y, 2))
                y += 6
            ys.add(round((low + high) / 2, 2))
        for row in self.rows:
            if row.shapes:
                bottom = max(s.box[3] for s in row.shapes)
                preferred = bottom + (row.y + row.height - bottom) / 2
                if any(low + 4 <= preferred <= high - 4 for low, high in _pairs(edges)):
                    ys.add(preferred)
        lines = [row.y for row in self.rows] + [self.bottom_band]
        ys = {y for y in ys if all(abs(y - line) >= 3 for line in lines)}
        area = (grid.actors_left + 2, self.head + 2, grid.actors_right - 2, self.height - 2)
        return Router(
            shapes=shapes,
            area=area,
            xs=sorted(xs),
            ys=sorted(ys),
            label_area=(grid.actors_left, grid.actors_right),
            borders=tuple(grid.x[a.pk][0] for a in grid.actors[1:]),
        )

    # ------------------------------------------------------------------ drawing

    def draw(self):
        canvas = self.canvas
        _draw_header(canvas, self.grid, self.head)
        if self.has_in:
            canvas.rect(0, self.head, self.grid.width, BAND, klass="band")
        if self.has_out:
            canvas.rect(0, self.bottom_band, self.grid.width, BAND, klass="band")
        for row in self.rows:
            _draw_row(canvas, self.grid, row)
        self._draw_inner_lines()
        self._draw_flows()
        return self

    def _draw_inner_lines(self):
        """The joint lines between the symbols of a joint activity and the arrows between an
        activity and the capsule on its row."""
        for row in self.rows:
            mains = sorted((s for s in row.shapes if s.role in ("main", "joint")), key=_x)
            for left, right in zip(mains, mains[1:], strict=False):
                points = [left.port("right"), right.port("left")]
                self.router.add_line(("joint", row.number), points, head=False)
                self.canvas.line(points, klass="joint", head=False, dashed=True)
            main = next((s for s in row.shapes if s.role == "main"), None)
            for mark in row.shapes:
                if mark.role == "start-mark":
                    points = [mark.port("bottom"), main.port("top")]
                    self.canvas.mark(mark, _("Mulai"))
                elif mark.role == "end-mark":
                    points = [main.port("bottom"), mark.port("top")]
                    self.canvas.mark(mark, _("Selesai"))
                else:
                    continue
                self.router.add_line(("mark", row.number), points)
                self.canvas.line(points, klass="flow mark")

    def _order(self):
        """The flows of this page in the order they are laid out: arrows to the next row of
        symbols first (in row order), then the others, shortest first."""
        position = {row.number: i for i, row in enumerate(self.rows) if row.shapes}
        drawn = sorted(position, key=position.get)
        items = []
        for flow in self.flows:
            if flow.src not in position or flow.dst not in position:
                continue
            src, dst = position[flow.src], position[flow.dst]
            following = drawn.index(flow.src) + 1
            adjacent = following < len(drawn) and drawn[following] == flow.dst
            # a branch's label needs room beside its decision: branches before other jumps
            key = (0 if adjacent else 1, 0 if flow.label else 1, abs(dst - src), src)
            items.append((key, ("flow", flow)))
        for crossing in self.crossings:
            mine = crossing.flow.src if crossing.src_page == self.index else crossing.flow.dst
            if mine not in position:
                continue
            top = self._band_is_top(crossing)
            ahead = position[mine] if top else len(self.rows) - position[mine]
            edge = (ahead <= 1) and (
                (top and crossing.dst_page == self.index)
                or (not top and crossing.src_page == self.index)
            )
            labelled = bool(crossing.flow.label) and crossing.src_page == self.index
            key = (0 if edge else 1, 0 if labelled else 1, ahead, position[mine])
            items.append((key, ("crossing", crossing)))
        items.sort(key=lambda item: item[0])
        return [item for _key, item in items]

    def _draw_flows(self):
        labelled = set()
        sides = {}
        for kind, item in self._order():
            flow = item.flow if kind == "crossing" else item
            here = kind == "flow" or item.src_page == self.index
            label = None
            if flow.label and here:
                label = Label(flow.label, size=LABEL_SIZE, char=LABEL_SIZE * 0.52)
            if kind == "flow":
                route = self._route(flow, sides, label)
            else:
                route = self._route_crossing(item, sides, label)
            if route is None:
                continue
            # a branch that forks from one side of its decision is labelled once there
            side = _exit_side(route.points)
            shown = label is not None and (flow.src, flow.label, side) not in labelled
            if label is not None:
                labelled.add((flow.src, flow.label, side))
            self._draw_route(flow, route, shown)

    def _route(self, flow, sides, label):
        src, dst = self.by_number[flow.src], self.by_number[flow.dst]
        down = dst.y > src.y
        sources = self._sources(src, flow, down, sides, self._following(src) == flow.dst)
        targets = self._targets(dst, down)
        owner = (flow.src, flow.label, flow.dst)
        return self.router.route(owner, sources, targets, label=label, prefer_y=_preferred_y(src))

    def _following(self, row):
        """The next row of this page with symbols after `row`, or None."""
        after = False
        for other in self.rows:
            if after and other.shapes:
                return other.number
            after = after or other is row
        return None

    def _sources(self, row, flow, down, sides, to_following):
        """Where an arrow may leave `row`, with the cost of each side."""
        mains = [s for s in row.shapes if s.role in ("main", "joint")]
        if row.facts.kind == validation.DECISION:
            preferred = self._branch_side(row, flow, sides, to_following)
            costs = {"bottom": 45, "right": 35, "left": 40}
            costs[preferred] = 0
        elif down:
            costs = {"bottom": 0, "right": 70, "left": 75}
        else:
            costs = {"right": 0, "left": 8, "bottom": 40}
        return [
            End(shape, side, cost + (4 if shape.role == "joint" else 0))
            for shape in mains
            for side, cost in costs.items()
        ]

    def _branch_side(self, row, flow, sides, to_following):
        """The side a decision's branch leaves by: the branch to the next row downwards, the
        others right, then left, then down, then right and left again."""
        key = row.number
        if key not in sides:
            assigned, free = {}, ["right", "left"]
            following = self._following(row)
            branches = validation.branches(row.facts)
            for label, targets in branches:
                if (
                    following is not None
                    and following in targets
                    and "bottom" not in assigned.values()
                ):
                    assigned[label] = "bottom"
            cycle = ["right", "left"]
            for index, (label, _targets) in enumerate(branches):
                if label in assigned:
                    continue
                if free:
                    assigned[label] = free.pop(0)
                elif "bottom" not in assigned.values():
                    assigned[label] = "bottom"
                else:
                    assigned[label] = cycle[index % 2]
            sides[key] = assigned
        return sides[key].get(flow.label, "right")

    def _targets(self, row, down):
        mains = [s for s in row.shapes if s.role in ("main", "joint")]
        costs = {"top": 0, "left": 60, "right": 65} if down else {"right": 0, "left": 6, "top": 25}
        return [
            End(shape, side, cost + (4 if shape.role == "joint" else 0))
            for shape in mains
            for side, cost in costs.items()
        ]

    def _route_crossing(self, crossing, sides, label):
        """The half of a crossing flow on this page: from its step to a connector in a band,
        or from a connector to its step."""
        flow = crossing.flow
        top = self._band_is_top(crossing)
        outgoing = crossing.src_page == self.index
        row = self.by_number[flow.src if outgoing else flow.dst]
        mains = [s for s in row.shapes if s.role in ("main", "joint")]
        y = self.band_y(top)
        candidates = self._connector_xs(mains[0].x)
        best, tried = None, 0
        for x in candidates:
            pentagon = Shape("pentagon", x, y, 2 * PENT, 2 * PENT, None, None, "offpage")
            pentagon.connector = crossing.number
            if not self.router.shape_free(pentagon):
                continue
            if outgoing:
                # to a later page: down into the connector's top; to an earlier page: up
                # into its point
                sources = self._sources(row, flow, not top, sides, not top)
                targets = [End(pentagon, "bottom" if top else "top")]
            else:
                sources = [End(pentagon, "bottom" if top else "top")]
                targets = self._targets(row, top)
            owner = (flow.src, flow.label, flow.dst, crossing.number)
            route = self.router.route(
                owner, sources, targets, label=label, prefer_y=_preferred_y(row), commit=False
            )
            if route is None:
                continue
            # the connector near its step, reached by a simple arrow
            rank = (route.relaxed, route.cost + 0.5 * abs(x - mains[0].x))
            if best is None or rank < best[0]:
                best = (rank, route, pentagon)
            tried += 1
            if tried == 24:
                break
        if best is None:
            return None
        _rank, route, pentagon = best
        self.router.commit(route)
        self.router.add_shape(pentagon)
        self.connectors.append(pentagon)
        self.canvas.pentagon(pentagon)
        return route

    def _connector_xs(self, near):
        """Where a connector may sit in its band, nearest to `near` first."""
        left, right = self.grid.actors_left + PENT + 4, self.grid.actors_right - PENT - 4
        xs = {near}
        xs |= {self.grid.center(a.pk) for a in self.grid.actors}
        xs |= {x for x in self.router.xs if left <= x <= right}
        return sorted((x for x in xs if left <= x <= right), key=lambda x: (abs(x - near), x))[:40]

    def _draw_route(self, flow, route, labelled=True):
        extra = f' data-from="{flow.src}" data-to="{flow.dst}"'
        self.canvas.line(route.points, extra=extra)
        if route.label is not None and labelled:
            x, y, anchor, lines, _box = route.label
            self.canvas.label(x, y, lines, anchor, LABEL_SIZE)

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


def _exit_side(points):
    (x0, y0), (x1, y1) = points[0], points[1]
    if abs(y0 - y1) < 0.01:
        return "right" if x1 > x0 else "left"
    return "bottom" if y1 > y0 else "top"


def _pairs(edges):
    return list(zip(edges[::2], edges[1::2], strict=False))


def _x(shape):
    return shape.x


def _preferred_y(row):
    """The height at which an arrow down from `row` turns: halfway between its symbols and
    the bottom of the row (as the seed document draws it)."""
    if not row.shapes:
        return None
    bottom = max(s.box[3] for s in row.shapes)
    return bottom + (row.y + row.height - bottom) / 2


# --------------------------------------------------------------------------- the drawing


@dataclass
class Drawing:
    """One page of the flowchart: its SVG (what templates print), the plain operations it is
    made of (for the PNG) and the router that laid out its arrows (for tests)."""

    svg: str
    ops: list
    width: float
    height: float
    page: object

    def __html__(self):
        return self.svg

    def __str__(self):
        return self.svg

    def png(self, scale=2.0):
        from .raster import render_png

        return render_png(self.ops, self.width, self.height, scale)


def facts_of(steps):
    """{row number: StepFacts} of stored steps (flows and also_actors prefetched or not)."""
    return {step.number: validation.step_facts(step) for step in steps}


def drawings(steps, actors, page_height=None, facts=None, first_page_height=None):
    """The procedure as a list of `Drawing`: one, or one per page when `page_height` (in
    drawing units, header and connector bands included) is given; `first_page_height` when
    the first page is shorter.

    `facts` ({row number: StepFacts}) gives the lanes and flows of each step; without it they
    are read from the stored steps. A preview of unsaved rows passes them.
    """
    steps = sorted(steps, key=lambda s: s.number)
    facts = facts if facts is not None else facts_of(steps)
    grid = Grid(actors)
    rows = make_rows(steps, facts, grid)
    room = page_height - grid.header_height() if page_height else None
    first_room = first_page_height - grid.header_height() if first_page_height else None
    pages = paginate(rows, room, first_room)
    page_of = {row.number: index for index, page in enumerate(pages) for row in page}
    flows = [
        f
        for f in validation.flows(list(facts[s.number] for s in steps))
        if f.src in page_of and f.dst in page_of and f.src != f.dst
    ]
    crossings, number = [], 0
    for flow in flows:
        if page_of[flow.src] != page_of[flow.dst]:
            number += 1
            crossings.append(Crossing(flow, number, page_of[flow.src], page_of[flow.dst]))
    result = []
    for index, page in enumerate(pages):
        inside = [f for f in flows if page_of[f.src] == page_of[f.dst] == index]
        touching = [c for c in crossings if index in (c.src_page, c.dst_page)]
        drawing = PageDrawing(grid, page, inside, touching, index).draw()
        result.append(
            Drawing(drawing.svg(), drawing.canvas.ops, grid.width, drawing.height, drawing)
        )
    return result


def draw(steps, actors, page_height=None, facts=None):
    """The procedure as a list of SVG drawings (safe strings): see `drawings`."""
    return [d.svg for d in drawings(steps, actors, page_height, facts)]
