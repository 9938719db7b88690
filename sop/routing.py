"""Where the arrows of a flowchart run: orthogonal lines between the ports of symbols that
never cross a symbol, never run along another arrow, and keep their labels clear.

Pure geometry, no Django. `Router` knows the symbols of one page (`Shape`), the tracks
lines may take (vertical tracks at fixed steps across the actor columns, horizontal tracks in
the gaps between rows of symbols) and every line already drawn. `Router.route` tries the
candidate paths between the allowed ports of both ends, cheapest first (length, bends, the
ports the caller prefers), and keeps the first that breaks no rule:

- no segment passes through a symbol, or closer than CLEAR to one it does not start or end
  at, and none leaves the actor columns;
- no segment runs along a segment of another arrow closer than SEP, and no corner of one
  arrow touches another arrow (which would read as a junction);
- no line crosses an arrowhead;
- a branch label fits beside the start of its arrow, inside the actor columns (never in the
  Mutu Baku columns), clear of symbols, other labels and lines.

When no candidate keeps every rule, the rules on lines are relaxed in steps (a label may
touch a line, then lines may run along each other) rather than drawing nothing.
"""

import heapq
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

SEP = 5  # least distance between two arrows running side by side
CLEAR = 3  # least distance between an arrow and a symbol it passes by
MIN_END = 8  # least length of an arrow's last segment (the head is 7 long)
MIN_START = 5  # least length of an arrow's first segment
BEND = 24  # cost of a corner, in units of length
HEAD = 7
CHECKED = 600  # candidate paths checked at most per attempt
LABEL_TOUCH = 60  # cost of a branch label that touches a line

VECTORS = {"down": (0, 1), "up": (0, -1), "right": (1, 0), "left": (-1, 0)}
OUT = {"top": "up", "bottom": "down", "left": "left", "right": "right"}
IN = {"top": "down", "bottom": "up", "left": "right", "right": "left"}

# Offsets along a side at which arrows may meet a symbol, in order of preference.
OFFSETS = {
    "box": {"v": (0, -12, 12, -22, 22), "h": (0, -7, 7)},
    "capsule": {"v": (0, -12, 12), "h": (0, -6, 6)},
    "diamond": {"v": (0, -12, 12), "h": (0, -9, 9)},
    "circle": {"v": (0,), "h": (0,)},
    "pentagon": {"v": (0,), "h": ()},
}


@dataclass(eq=False)
class Shape:
    """A symbol: its outline kind, centre and size, and what it stands for."""

    kind: str  # box, capsule, diamond, circle, pentagon
    x: float
    y: float
    w: float
    h: float
    number: int | None = None  # the row it draws; None for an off-page connector
    lane: object = None
    role: str = "main"  # main, joint, start-mark, end-mark, offpage
    connector: int | None = None

    @property
    def box(self):
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)

    def polygon(self, grow=0.0):
        x, y = self.x, self.y
        hw, hh = self.w / 2 + grow, self.h / 2 + grow
        if self.kind == "diamond":
            # grown along the diagonals by a little more, so the sides move out by `grow`
            k = math.hypot(self.w, self.h) / max(self.h, 1)
            hw, hh = self.w / 2 + grow * k, self.h / 2 + grow * k * self.h / self.w
            return [(x, y - hh), (x + hw, y), (x, y + hh), (x - hw, y)]
        return [(x - hw, y - hh), (x + hw, y - hh), (x + hw, y + hh), (x - hw, y + hh)]

    def offsets(self, side):
        return OFFSETS[self.kind]["v" if side in ("top", "bottom") else "h"]

    def port(self, side, offset=0.0):
        """The point of the outline where an arrow meets the symbol on `side`."""
        x, y, hw, hh = self.x, self.y, self.w / 2, self.h / 2
        if side in ("top", "bottom"):
            sign = -1 if side == "top" else 1
            d = abs(offset)
            if self.kind == "diamond":
                dy = hh * (1 - d / hw)
            elif self.kind == "capsule" and d > hw - hh:
                dy = math.sqrt(max(hh * hh - (d - (hw - hh)) ** 2, 0))
            elif self.kind == "circle":
                dy = math.sqrt(max(hh * hh - d * d, 0))
            elif self.kind == "pentagon" and side == "bottom":
                dy = hh - d * 8 / 11
            else:
                dy = hh
            return (x + offset, y + sign * dy)
        sign = -1 if side == "left" else 1
        d = abs(offset)
        if self.kind == "diamond":
            dx = hw * (1 - d / hh)
        elif self.kind == "capsule":
            dx = hw - hh + math.sqrt(max(hh * hh - d * d, 0))
        elif self.kind == "circle":
            dx = math.sqrt(max(hh * hh - d * d, 0))
        else:
            dx = hw
        return (x + sign * dx, y + offset)


@dataclass(frozen=True)
class End:
    """One way an arrow may meet a symbol: the side, and the cost of using it."""

    shape: Shape
    side: str
    penalty: float = 0.0


@dataclass
class Route:
    owner: object
    points: list
    label: tuple | None = None  # (x, y, anchor, lines, box) of the branch label
    relaxed: int = 0  # 0 when every rule holds; how many were relaxed otherwise
    cost: float = 0.0


@dataclass
class Label:
    text: str
    size: float = 9
    char: float = 4.7  # average width of a character at `size`
    line: float = 10


def _segments(points):
    return list(zip(points, points[1:], strict=False))


def _vertical(seg):
    return abs(seg[0][0] - seg[1][0]) < 0.01


def _span(a, b):
    return (min(a, b), max(a, b))


def _clip_length(p, q, polygon):
    """Length of the part of segment p-q strictly inside a convex polygon (clockwise or
    not): Cyrus-Beck clipping."""
    (px, py), (qx, qy) = p, q
    dx, dy = qx - px, qy - py
    t0, t1 = 0.0, 1.0
    n = len(polygon)
    # orientation of the polygon
    area = sum(
        polygon[i][0] * polygon[(i + 1) % n][1] - polygon[(i + 1) % n][0] * polygon[i][1]
        for i in range(n)
    )
    sign = 1 if area > 0 else -1
    for i in range(n):
        (ax, ay), (bx, by) = polygon[i], polygon[(i + 1) % n]
        # inward normal
        nx, ny = -(by - ay) * sign, (bx - ax) * sign
        denom = nx * dx + ny * dy
        num = nx * (px - ax) + ny * (py - ay)
        if abs(denom) < 1e-12:
            if num <= 1e-9:
                return 0.0
            continue
        t = -num / denom
        if denom > 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return 0.0
    return (t1 - t0) * math.hypot(dx, dy)


def _boxes_meet(a, b, margin=0.0):
    return not (
        a[2] + margin <= b[0]
        or b[2] + margin <= a[0]
        or a[3] + margin <= b[1]
        or b[3] + margin <= a[1]
    )


def _rect(box):
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _polygons_meet(a, b):
    """Whether two convex polygons overlap (separating axis test)."""
    for polygon in (a, b):
        for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            nx, ny = y2 - y1, x1 - x2
            a_values = [nx * x + ny * y for x, y in a]
            b_values = [nx * x + ny * y for x, y in b]
            if max(a_values) <= min(b_values) or max(b_values) <= min(a_values):
                return False
    return True


def _segment_box(seg, margin=0.0):
    (x1, y1), (x2, y2) = seg
    return (min(x1, x2) - margin, min(y1, y2) - margin, max(x1, x2) + margin, max(y1, y2) + margin)


def _point_segment_distance(point, seg):
    (x, y), ((x1, y1), (x2, y2)) = point, seg
    cx = min(max(x, min(x1, x2)), max(x1, x2))
    cy = min(max(y, min(y1, y2)), max(y1, y2))
    return math.hypot(x - cx, y - cy)


def _runs_along(a, b):
    """Whether two axis-parallel segments run along each other closer than SEP (or, on the
    same line, end closer than SEP to each other: they would read as one line)."""
    if _vertical(a) != _vertical(b):
        return False
    i = 0 if _vertical(a) else 1  # the coordinate both keep
    j = 1 - i
    distance = abs(a[0][i] - b[0][i])
    if distance >= SEP:
        return False
    lo_a, hi_a = _span(a[0][j], a[1][j])
    lo_b, hi_b = _span(b[0][j], b[1][j])
    overlap = min(hi_a, hi_b) - max(lo_a, lo_b)
    if distance < 0.5:
        return overlap > -SEP
    return overlap > 0.5


def _simplify(points):
    """Drop repeated points and merge straight runs; None when the path turns back on
    itself."""
    result = [points[0]]
    for point in points[1:]:
        if math.dist(point, result[-1]) < 0.01:
            continue
        if len(result) >= 2:
            a, b = result[-2], result[-1]
            same_x = abs(a[0] - b[0]) < 0.01 and abs(b[0] - point[0]) < 0.01
            same_y = abs(a[1] - b[1]) < 0.01 and abs(b[1] - point[1]) < 0.01
            if same_x or same_y:
                axis = 1 if same_x else 0
                if (b[axis] - a[axis]) * (point[axis] - b[axis]) < 0:
                    return None
                result[-1] = point
                continue
        result.append(point)
    return result


def _measure(points):
    """(length, corners) of an orthogonal path, repeated points and straight runs counted
    as drawn."""
    length, corners, last = 0.0, 0, None
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        dx, dy = x2 - x1, y2 - y1
        if abs(dx) < 0.01 and abs(dy) < 0.01:
            continue
        length += abs(dx) + abs(dy)
        vertical = abs(dx) < 0.01
        if last is not None and vertical != last:
            corners += 1
        last = vertical
    return length, corners


def head_box(points):
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = max(math.hypot(x1 - x0, y1 - y0), 0.001)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - HEAD * ux, y1 - HEAD * uy
    xs = [x1, bx - 3.5 * uy, bx + 3.5 * uy]
    ys = [y1, by + 3.5 * ux, by - 3.5 * ux]
    return (min(xs), min(ys), max(xs), max(ys))


def _after(origin, direction, minimum):
    """The span of coordinates at least `minimum` ahead of `origin` along `direction`."""
    if direction in ("down", "right"):
        return (origin + minimum, math.inf)
    return (-math.inf, origin - minimum)


def _before(target, direction, minimum):
    """The span of coordinates from which `target` lies at least `minimum` ahead."""
    if direction in ("down", "right"):
        return (-math.inf, target - minimum)
    return (target + minimum, math.inf)


def _both(a, b):
    return (max(a[0], b[0]), min(a[1], b[1]))


def _ahead(value, origin, direction, minimum):
    """Whether `value` lies at least `minimum` ahead of `origin` along `direction`."""
    dx, dy = VECTORS[direction]
    return (value - origin) * (dx + dy) >= minimum


@dataclass
class Router:
    shapes: list
    area: tuple  # (x0, y0, x1, y1): where lines may run
    xs: list  # vertical tracks
    ys: list  # horizontal tracks
    label_area: tuple = None  # (x0, x1): where labels may be
    segments: list = field(default_factory=list)  # (owner, segment)
    bends: list = field(default_factory=list)  # (owner, point)
    heads: list = field(default_factory=list)  # (owner, box)
    labels: list = field(default_factory=list)  # boxes
    routes: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (owner, points, head) drawn outside routes
    ends: dict = field(default_factory=dict)  # the ends of segments, by SEP-sized cell
    borders: tuple = ()  # x of the column lines a label had better not cross

    # ----------------------------------------------------------------- what is taken

    def add_shape(self, shape):
        self.shapes.append(shape)

    def add_line(self, owner, points, head=True):
        """Register a line drawn outside the router (a joint line, an internal arrow)."""
        self.lines.append((owner, points, head))
        self._take(owner, points, head)

    def _take(self, owner, points, head=True):
        for seg in _segments(points):
            self.segments.append((owner, seg))
            for end in seg:
                key = (round(end[0] / SEP), round(end[1] / SEP))
                self.ends.setdefault(key, []).append(end)
        for point in points[1:-1]:
            self.bends.append((owner, point))
        if head:
            self.heads.append((owner, head_box(points)))

    def port_free(self, point):
        """Whether no line starts or ends closer than SEP to `point`."""
        kx, ky = round(point[0] / SEP), round(point[1] / SEP)
        for i in (kx - 1, kx, kx + 1):
            for j in (ky - 1, ky, ky + 1):
                for end in self.ends.get((i, j), ()):
                    if math.dist(end, point) < SEP:
                        return False
        return True

    def free_ports(self, end):
        """The offsets of `end`'s side not used yet, best first (at most two), and how many
        of its offsets are used."""
        found, used = [], 0
        for offset in end.shape.offsets(end.side):
            point = end.shape.port(end.side, offset)
            if not self.port_free(point):
                used += 1
            elif len(found) < 2:
                found.append((offset, point))
        return found, used

    # ----------------------------------------------------------------- the rules

    def _hits_shape(self, seg, ends):
        box = _segment_box(seg, CLEAR + 1)
        for shape in self.shapes:
            if not _boxes_meet(box, shape.box):
                continue
            grow = 0.0 if shape in ends else CLEAR
            if _clip_length(seg[0], seg[1], shape.polygon(grow)) > 0.05:
                return True
        return False

    def _inside(self, points):
        x0, y0, x1, y1 = self.area
        return all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points)

    def _line_problem(self, points, ends, strict):
        """None when `points` may be drawn; else what is wrong (for tests and debugging)."""
        segs = _segments(points)
        if math.dist(*segs[0]) < MIN_START - 0.01 or math.dist(*segs[-1]) < MIN_END - 0.01:
            return "short end"
        if not self._inside(points):
            return "outside"
        for seg in segs:
            if self._hits_shape(seg, ends):
                return "crosses a symbol"
        if not strict:
            return None
        mine_bends = points[1:-1]
        for _owner, other in self.segments:
            other_box = _segment_box(other, SEP)
            for seg in segs:
                if _boxes_meet(_segment_box(seg), other_box) and _runs_along(seg, other):
                    return "runs along another arrow"
            for bend in mine_bends:
                if _point_segment_distance(bend, other) < SEP:
                    return "corner on another arrow"
        for _owner, bend in self.bends:
            for seg in segs:
                if _point_segment_distance(bend, seg) < SEP:
                    return "another arrow's corner on it"
        for _owner, box in self.heads:
            for seg in segs:
                if _boxes_meet(_segment_box(seg), box, 1):
                    return "crosses an arrowhead"
        for box in self.labels:
            for seg in segs:
                if _boxes_meet(_segment_box(seg), box, 0.5):
                    return "crosses a branch label"
        mine = head_box(points)
        for _owner, seg in self.segments:
            if _boxes_meet(_segment_box(seg), mine, 1):
                return "its arrowhead is crossed"
        return None

    # ----------------------------------------------------------------- labels

    def place_label(self, label, points, level=0):
        """(x, y, anchor, lines, box) for a label beside the first segment of `points`, or
        None. level 0: clear of everything; 1: may touch lines; 2: anything inside the
        actor columns."""
        (px, py), (qx, qy) = points[0], points[1]
        words = label.text.split()
        layouts = [[label.text]]
        if len(words) > 1:
            cut = max(
                range(1, len(words)),
                key=lambda i: -abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
            )
            layouts.append([" ".join(words[:cut]), " ".join(words[cut:])])
        spots = []
        if abs(py - qy) < 0.01:  # leaves sideways
            right = qx > px
            anchor = "start" if right else "end"
            x = px + (3 if right else -3)
            for lines in layouts:
                height = label.line * len(lines)
                spots.append((x, py - 3 - height + label.line, anchor, lines))  # above
                spots.append((x, py + 3 + label.size * 0.8, anchor, lines))  # below
        else:
            down = qy > py
            for lines in layouts:
                y = py + (10 if down else -4 - label.line * (len(lines) - 1))
                spots.append((px + 4, y, "start", lines))
                spots.append((px - 4, y, "end", lines))
        x0, x1 = self.label_area or (self.area[0], self.area[2])
        fallback = None
        for x, y, anchor, lines in spots:
            width = max(len(line) for line in lines) * label.char
            left = x if anchor == "start" else x - width
            box = (left, y - label.size * 0.8, left + width, y + label.line * (len(lines) - 1) + 2)
            if level >= 2:
                shift = max(0.0, box[2] - (x1 - 1)) - max(0.0, (x0 + 1) - box[0])
                box = (box[0] - shift, box[1], box[2] - shift, box[3])
                x -= shift
            elif box[0] < x0 + 1 or box[2] > x1 - 1:
                continue
            if level < 2 and self._label_blocked(box, level):
                continue
            own = _segments(points)[1:]  # the label sits beside the first segment
            if level < 2 and any(_boxes_meet(box, _segment_box(seg), 1) for seg in own):
                continue
            spot = (x, y, anchor, lines, box)
            # a label across a column line of the table only where no other spot is free
            if any(box[0] - 1 < border < box[2] + 1 for border in self.borders):
                fallback = fallback or spot
                continue
            return spot
        return fallback

    def _label_blocked(self, box, level):
        grown = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
        for shape in self.shapes:
            if _boxes_meet(grown, shape.box) and _polygons_meet(_rect(grown), shape.polygon()):
                return True
        for other in self.labels:
            if _boxes_meet(box, other, 1):
                return True
        for _owner, head in self.heads:
            if _boxes_meet(box, head, 0.5):
                return True
        if level == 0:
            for _owner, seg in self.segments:
                if _boxes_meet(box, _segment_box(seg), 0.5):
                    return True
        return False

    # ----------------------------------------------------------------- candidates

    def _near(self, values, target, count, span=(-math.inf, math.inf)):
        """Up to `count` of the sorted `values` within `span`, nearest to `target` first."""
        low, high = span
        first, last = bisect_left(values, low), bisect_right(values, high)
        middle = min(max(bisect_left(values, target), first), last)
        left, right, chosen = middle - 1, middle, []
        while len(chosen) < count and (left >= first or right < last):
            if right < last and (left < first or values[right] - target <= target - values[left]):
                chosen.append(values[right])
                right += 1
            else:
                chosen.append(values[left])
                left -= 1
        return chosen

    def _paths(self, p, a, q, b, rich):
        """Orthogonal paths from p (leaving along a) to q (arriving along b)."""
        (px, py), (qx, qy) = p, q
        av, bv = a in ("up", "down"), b in ("up", "down")
        m, s = MIN_END, MIN_START
        xs, ys = self.xs, self.ys
        width = 6 if not rich else 24
        if av and bv:
            if abs(px - qx) < 0.01 and a == b and _ahead(qy, py, a, 2 * m):
                yield [p, q]
            between = _both(_after(py, a, s), _before(qy, b, m))
            near = self._near(ys, py, width, between) + self._near(ys, qy, width, between)
            for y in dict.fromkeys(near):
                yield [p, (px, y), (qx, y), q]
            if rich:
                first = self._near(ys, py, 4, _after(py, a, s))
                last = self._near(ys, qy, 4, _before(qy, b, m))
                for g in self._near(xs, (px + qx) / 2, 40):
                    for y1 in first:
                        for y2 in last:
                            yield [p, (px, y1), (g, y1), (g, y2), (qx, y2), q]
        elif av and not bv:
            if _ahead(qy, py, a, s) and _ahead(qx, px, b, m):
                yield [p, (px, qy), q]
            first = self._near(ys, py, 4 if not rich else 10, _after(py, a, s))
            gs = self._near(xs, qx, width, _before(qx, b, m))
            for y in first:
                for g in gs:
                    yield [p, (px, y), (g, y), (g, qy), q]
        elif bv and not av:
            if _ahead(qx, px, a, s) and _ahead(qy, py, b, m):
                yield [p, (qx, py), q]
            last = self._near(ys, qy, 4 if not rich else 10, _before(qy, b, m))
            gs = self._near(xs, px, width, _after(px, a, s))
            for g in gs:
                for y in last:
                    yield [p, (g, py), (g, y), (qx, y), q]
        else:
            span = _both(_after(px, a, s), _before(qx, b, m))
            for g in self._near(xs, (px + qx) / 2, 60 if rich else 30, span):
                yield [p, (g, py), (g, qy), q]
            if rich:
                first = self._near(xs, px, 6, _after(px, a, s))
                last = self._near(xs, qx, 6, _before(qx, b, m))
                for y in self._near(ys, (py + qy) / 2, 12):
                    for g1 in first:
                        for g2 in last:
                            yield [p, (g1, py), (g1, y), (g2, y), (g2, qy), q]

    def _candidates(self, sources, targets, rich, prefer_y):
        found = []
        for source in sources:
            out = OUT[source.side]
            s_ports, s_used = self.free_ports(source)
            for s_index, (s_offset, p) in enumerate(s_ports):
                for target in targets:
                    if target.shape is source.shape:
                        continue
                    arrive = IN[target.side]
                    t_ports, t_used = self.free_ports(target)
                    for t_index, (t_offset, q) in enumerate(t_ports):
                        # a port off the middle only where the middle is taken, and a side
                        # another arrow already uses only where the other sides do not do
                        penalty = source.penalty + target.penalty + 20 * (s_index + t_index)
                        penalty += 1.5 * (abs(s_offset) + abs(t_offset))
                        penalty += 30 * (s_used + t_used)
                        for path in self._paths(p, out, q, arrive, rich):
                            # measured as drawn (straight runs merged), simplified when
                            # checked: most candidates never are
                            length, bends = _measure(path)
                            cost = length + BEND * bends + penalty
                            if prefer_y is not None and len(path) > 2:
                                cost += 0.01 * abs(path[1][1] - prefer_y)
                            found.append((cost, len(found), path, source, target))
        # The cheapest first; the unique index settles equal costs, so the tuples never
        # compare their paths (and no key function is called per candidate).
        return heapq.nsmallest(CHECKED, found)

    def route(self, owner, sources, targets, label=None, prefer_y=None, commit=True):
        """The path of one arrow from one of `sources` to one of `targets` (End lists),
        registered unless `commit` is false (then `commit(route)` registers it)."""
        best = None
        attempts = [(True, False), (True, True), (False, True)]
        for strict, rich in attempts:
            candidates = self._candidates(sources, targets, rich, prefer_y)
            best_rank = math.inf
            for cost, _index, path, source, target in candidates:
                if cost >= best_rank:
                    break
                path = _simplify(path)
                if path is None or len(path) < 2:
                    continue
                ends = (source.shape, target.shape)
                if self._line_problem(path, ends, strict) is not None:
                    continue
                placed, rank = None, cost
                if label is not None:
                    # a label clear of every line; else one that touches a line, at a cost
                    placed = self.place_label(label, path, 0)
                    if placed is None and strict:
                        placed, rank = self.place_label(label, path, 1), cost + LABEL_TOUCH
                    if placed is None and not strict:
                        placed = self.place_label(label, path, 2)
                    if placed is None:
                        continue
                if rank < best_rank:
                    best_rank = rank
                    best = Route(owner, path, placed, relaxed=0 if strict else 1, cost=rank)
            if best is not None:
                break
        if best is None:
            best = self._fallback(owner, sources, targets, label)
        if best is not None and commit:
            self.commit(best)
        return best

    def commit(self, route):
        self._take(route.owner, route.points)
        if route.label is not None:
            self.labels.append(route.label[4])
        self.routes.append(route)

    def _fallback(self, owner, sources, targets, label):
        """A plain path when every rule cannot hold (a crowded page): down, across and down
        between the first free ports, still never through a symbol where avoidable."""
        for source in sources:
            for target in targets:
                if target.shape is source.shape:
                    continue
                p = source.shape.port(source.side)
                q = target.shape.port(target.side)
                for path in self._paths(p, OUT[source.side], q, IN[target.side], True):
                    path = _simplify(path)
                    if (
                        path
                        and len(path) >= 2
                        and not self._line_problem(path, (source.shape, target.shape), False)
                    ):
                        placed = self.place_label(label, path, 2) if label else None
                        return Route(owner, path, placed, relaxed=2, cost=math.inf)
        source, target = sources[0], targets[0]
        p, q = source.shape.port(source.side), target.shape.port(target.side)
        mid = (p[1] + q[1]) / 2
        path = _simplify([p, (p[0], mid), (q[0], mid), q]) or [p, q]
        placed = self.place_label(label, path, 2) if label else None
        return Route(owner, path, placed, relaxed=3, cost=math.inf)

    # ----------------------------------------------------------------- checks (tests)

    def problems(self):
        """Every rule a drawn route breaks, as (owner, problem), each route checked against
        the symbols and every line drawn before it: for tests."""
        checker = Router(self.shapes, self.area, self.xs, self.ys, self.label_area)
        for owner, points, head in self.lines:
            checker._take(owner, points, head)
        found = []
        for route in self.routes:
            ends = [s for s in self.shapes if _touches(s, route.points[0])]
            ends += [s for s in self.shapes if _touches(s, route.points[-1])]
            problem = checker._line_problem(route.points, ends, True)
            if problem:
                found.append((route.owner, problem))
            checker._take(route.owner, route.points)
            if route.label is not None:
                box = route.label[4]
                x0, x1 = self.label_area or (self.area[0], self.area[2])
                if box[0] < x0 or box[2] > x1:
                    found.append((route.owner, "label outside the actor columns"))
                elif checker._label_blocked(box, 1):
                    found.append((route.owner, "label on a symbol or another label"))
                checker.labels.append(box)
        return found

    def shape_free(self, shape):
        """Whether a new symbol (an off-page connector) may go where `shape` is: clear of
        symbols, lines and labels."""
        grown = (
            shape.box[0] - CLEAR,
            shape.box[1] - CLEAR,
            shape.box[2] + CLEAR,
            shape.box[3] + CLEAR,
        )
        if any(_boxes_meet(grown, other.box, SEP) for other in self.shapes):
            return False
        if any(_boxes_meet(grown, label) for label in self.labels):
            return False
        polygon = shape.polygon(CLEAR)
        return not any(
            _clip_length(seg[0], seg[1], polygon) > 0.05 for _owner, seg in self.segments
        )


def _touches(shape, point):
    x0, y0, x1, y1 = shape.box
    return x0 - 0.5 <= point[0] <= x1 + 0.5 and y0 - 0.5 <= point[1] <= y1 + 0.5
