"""What changed between two revisions of an SOP, listed step by step.

`compare_steps` is pure: it takes the steps of two revisions as `StepRow`s (plain values:
the activity, the fields as printed, the flow to other rows) and answers one `StepChange`
per row of either revision, in the order of the newer one, each saying whether the row was
added, removed, moved, changed (and which fields, before and after) or left as it was.

Rows are matched by their activity text, not by their number: inserting a step renumbers
every step after it, and that is not a change of those steps. An activity reworded in
place is matched with the row it replaces when the two texts are still alike. The next
steps are compared through the matching too: "Ya: 5" in the old revision and "Ya: 6" in
the new one are the same flow when the old step 5 is the new step 6.

`revision_changes` reads two stored revisions and compares them (identity, lanes, steps).
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from . import services
from .models import SopActor, shown_numbers

ADDED, REMOVED, MOVED, CHANGED, SAME = "added", "removed", "moved", "changed", "same"
# How alike two activity texts must be (difflib's ratio) for a reworded row to count as the
# same row changed rather than one removed and another added.
ALIKE = 0.5


@dataclass(frozen=True)
class StepRow:
    """One row of a revision's procedure table, as plain values.

    `fields`: (label, value as printed) in the order of the table, the activity among them;
    `next`: (branch label, index of the target row in the same revision's list), the label
    empty for a plain arrow."""

    number: int | None
    activity: str
    fields: tuple = ()
    next: tuple = ()

    @property
    def key(self):
        return " ".join(self.activity.split()).casefold()


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class StepChange:
    kind: str
    old_number: int | None
    new_number: int | None
    activity: str
    fields: list = field(default_factory=list)

    @property
    def renumbered(self):
        return self.kind != ADDED and self.kind != REMOVED and self.old_number != self.new_number


def _alike(a, b):
    return SequenceMatcher(None, a.key, b.key, autojunk=False).ratio() >= ALIKE


def _match(old, new):
    """[(old index or None, new index or None, kind)] in the order of the newer revision,
    removed rows where they stood; kind is ADDED, REMOVED, MOVED or None (matched)."""
    matcher = SequenceMatcher(None, [r.key for r in old], [r.key for r in new], autojunk=False)
    plan = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            plan += [(i, j, None) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        # A reworded row keeps its place: pair alike rows in order, the rest are removed
        # (where they stood) or added.
        js, last = list(range(j1, j2)), -1
        paired = {}
        for i in range(i1, i2):
            for j in js:
                if j > last and _alike(old[i], new[j]):
                    paired[i], last = j, j
                    break
        pending_new = [j for j in js if j not in paired.values()]
        for i in range(i1, i2):
            if i in paired:
                while pending_new and pending_new[0] < paired[i]:
                    plan.append((None, pending_new.pop(0), ADDED))
                plan.append((i, paired[i], None))
            else:
                plan.append((i, None, REMOVED))
        plan += [(None, j, ADDED) for j in pending_new]
    # A row removed in one place and added, word for word, in another has moved.
    removed = {}
    for index, (i, _j, kind) in enumerate(plan):
        if kind == REMOVED:
            removed.setdefault(old[i].key, []).append(index)
    moved_from = set()
    for index, (_i, j, kind) in enumerate(plan):
        if kind == ADDED and removed.get(new[j].key):
            source = removed[new[j].key].pop(0)
            plan[index] = (plan[source][0], j, MOVED)
            moved_from.add(source)
    return [step for index, step in enumerate(plan) if index not in moved_from]


def _flow_text(row, rows):
    parts = []
    for label, target in row.next:
        number = rows[target].number if 0 <= target < len(rows) else None
        shown = str(number) if number is not None else "—"
        parts.append(f"{label}: {shown}" if label else shown)
    return ", ".join(parts)


def _field_changes(a, b, old, new, to_new):
    changes = []
    before, after = dict(a.fields), dict(b.fields)
    for label in [*before, *(label for label in after if label not in before)]:
        if before.get(label, "") != after.get(label, ""):
            changes.append(FieldChange(label, before.get(label, ""), after.get(label, "")))
    old_flow = sorted((label, to_new.get(target, -1 - target)) for label, target in a.next)
    new_flow = sorted((label, target) for label, target in b.next)
    if old_flow != new_flow:
        changes.append(FieldChange(_("Langkah berikutnya"), _flow_text(a, old), _flow_text(b, new)))
    return changes


def compare_steps(old, new):
    """One StepChange per row of `old` or `new` (lists of StepRow), newer order."""
    plan = _match(old, new)
    to_new = {i: j for i, j, _kind in plan if i is not None and j is not None}
    result = []
    for i, j, kind in plan:
        if kind == ADDED:
            row = new[j]
            result.append(StepChange(ADDED, None, row.number, row.activity))
        elif kind == REMOVED:
            row = old[i]
            result.append(StepChange(REMOVED, row.number, None, row.activity))
        else:
            fields = _field_changes(old[i], new[j], old, new, to_new)
            kind = kind or (CHANGED if fields else SAME)
            result.append(StepChange(kind, old[i].number, new[j].number, new[j].activity, fields))
    return result


def compare_fields(old, new):
    """FieldChanges between two lists of (label, value as printed)."""
    before, after = dict(old), dict(new)
    labels = [*before, *(label for label in after if label not in before)]
    return [
        FieldChange(label, before.get(label, ""), after.get(label, ""))
        for label in labels
        if before.get(label, "") != after.get(label, "")
    ]


@dataclass
class RevisionChanges:
    older: object
    newer: object
    identity: list
    lanes: list
    steps: list

    @property
    def changed_steps(self):
        return [c for c in self.steps if c.kind != SAME]

    @property
    def empty(self):
        return not (self.identity or self.lanes or self.changed_steps)


# --------------------------------------------------------------------------- stored revisions

# Identity fields compared between revisions, in the order of the identity part; the dates
# and signature are left out (a new revision is dated and signed anew).
IDENTITY_COMPARED = [
    "header",
    "number",
    "name",
    "procedure_title",
    "date_label",
    "approver_position",
    "legal_basis",
    "qualifications",
    "related_text",
    "equipment",
    "warning",
    "records",
    "note",
]
# Step fields that are not compared as fields: the row's identity and its place.
STEP_SKIPPED = {"id", "sop", "number"}


def _label(field):
    text = str(field.verbose_name)
    return text[:1].upper() + text[1:]


def _shown(obj, field):
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return "" if value is None else str(value)


def identity_rows(sop):
    fields = [sop._meta.get_field(name) for name in IDENTITY_COMPARED]
    rows = [(_label(f), _shown(sop, f)) for f in fields]
    rows.append((_("Logo unit"), _("ada") if sop.logo else _("tidak ada")))
    related = ", ".join(sorted(str(other) for other in sop.related.all()))
    rows.append((_("Keterkaitan: SOP di aplikasi"), related))
    return rows


def _step_fields(step, actors):
    rows = []
    for f in step._meta.concrete_fields:
        if f.name in STEP_SKIPPED or f.name == "time_unit":
            continue
        label = _label(f)
        if f.name == "time_amount":
            rows.append((label, services.time_text(step)))
        elif f.is_relation and f.related_model is SopActor:
            rows.append((label, actors.get(getattr(step, f.attname), "")))
        else:
            rows.append((label, _shown(step, f)))
    for f in step._meta.many_to_many:
        names = [str(other) for other in getattr(step, f.name).all()]
        rows.append((_label(f), ", ".join(names)))
    return tuple(rows)


def step_rows(sop):
    """The steps of a stored revision as StepRows (lanes by name, flows by row index)."""
    actors = {a.pk: a.name for a in sop.actors.all()}
    steps = list(sop.steps.prefetch_related("flows", "also_actors").order_by("number"))
    index = {s.number: i for i, s in enumerate(steps)}
    shown = shown_numbers(steps)
    rows = []
    for step in steps:
        # A target that is no row of this revision keeps an index no row has.
        flows = tuple(
            (flow.label, index.get(flow.target, len(steps) + flow.target))
            for flow in step.flows.all()
        )
        fields = _step_fields(step, actors)
        rows.append(StepRow(shown[step.number], step.activity, fields, flows))
    return rows


def revision_changes(older, newer):
    """What changed from the revision `older` to `newer` (RevisionChanges)."""
    lanes_before = ", ".join(a.name for a in older.actors.all())
    lanes_after = ", ".join(a.name for a in newer.actors.all())
    return RevisionChanges(
        older=older,
        newer=newer,
        identity=compare_fields(identity_rows(older), identity_rows(newer)),
        lanes=compare_fields([(_("Pelaksana"), lanes_before)], [(_("Pelaksana"), lanes_after)]),
        steps=compare_steps(step_rows(older), step_rows(newer)),
    )
