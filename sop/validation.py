"""Whether an SOP holds together as a procedure, and the graph of its flow.

Everything here works on plain values (`StepFacts`: row numbers, kinds, actor keys, flows),
so the admin and the editing page can check what is being submitted before anything is
saved, the views can check what is stored, and the flowchart draws the same graph that was
checked. Messages are in Indonesian and name the row they are about: they are shown to the
person editing the SOP.

The flow: after a step the flow goes to the row below (the next row that is not a note),
unless the step has flows of its own; then to each of their targets. A decision has two or
more branches, each a label ("Ya", "Tidak" or the document's own) with one or more targets
(more than one is a fork). An end capsule, a row of its own or on the row of the last
activity, ends the flow.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

START, PROCESS, DECISION, END = "start", "process", "decision", "end"
CONNECTOR, NOTE = "connector", "note"
UNNUMBERED = (CONNECTOR, NOTE)
YES, NO = "Ya", "Tidak"  # the document's default branch labels, as written in Indonesian


@dataclass(frozen=True)
class StepFacts:
    """One row as the rules see it. `flows` are (label, target row number) pairs in order;
    `also_actors` the keys of the actors the step is done together with."""

    number: int
    kind: str
    actor: object
    flows: tuple = ()
    also_actors: tuple = ()
    start_capsule: bool = False
    end_capsule: bool = False

    @property
    def lanes(self):
        """The actor keys whose columns hold a symbol of this step, its own actor first."""
        if self.kind == NOTE or self.actor is None:
            return ()
        extra = [a for a in self.also_actors if a != self.actor]
        return (self.actor, *dict.fromkeys(extra))

    @property
    def starts(self):
        return self.kind == START or self.start_capsule

    @property
    def ends(self):
        return self.kind == END or self.end_capsule


@dataclass(frozen=True)
class Flow:
    """One arrow of the procedure: from row `src` to row `dst`, with its branch label
    (blank when it is not a branch), the index of its branch among the step's branches, and
    whether it is the default flow to the row below (nothing stored)."""

    src: int
    dst: int
    label: str = ""
    branch: int = 0
    default: bool = False


def step_facts(step):
    """StepFacts of a stored SopStep (prefetch `flows` and `also_actors` for many)."""
    return StepFacts(
        number=step.number,
        kind=step.kind,
        actor=step.actor_id,
        flows=tuple((f.label, f.target) for f in step.flows.all()),
        also_actors=tuple(a.pk for a in step.also_actors.all()),
        start_capsule=step.start_capsule,
        end_capsule=step.end_capsule,
    )


# --------------------------------------------------------------------------- the graph


def _following(steps):
    """{row number: the next row number that is not a note} (rows in order)."""
    ordered = sorted(steps, key=lambda s: s.number)
    result, after = {}, None
    for step in reversed(ordered):
        result[step.number] = after
        if step.kind != NOTE:
            after = step.number
    return result


def branches(step):
    """The step's stored flows as [(label, [targets])], branches in order of first mention."""
    groups = {}
    for label, target in step.flows:
        groups.setdefault(label, []).append(target)
    return list(groups.items())


def flows(steps):
    """Every arrow of the procedure (`Flow`), in row order and branch order."""
    steps = sorted(steps, key=lambda s: s.number)
    following = _following(steps)
    result = []
    for step in steps:
        if step.kind == NOTE or step.ends:
            continue
        if step.flows:
            for index, (label, targets) in enumerate(branches(step)):
                result += [Flow(step.number, target, label, index) for target in targets]
        elif step.kind != DECISION and following[step.number] is not None:
            result.append(Flow(step.number, following[step.number], default=True))
    return result


def successors(steps):
    """{row number: [row numbers the flow goes to next]} for every row but notes."""
    result = {s.number: [] for s in steps if s.kind != NOTE}
    for flow in flows(steps):
        result[flow.src].append(flow.dst)
    return result


def _reach(nexts, starts):
    seen, todo = set(), list(starts)
    while todo:
        number = todo.pop()
        if number in seen or number not in nexts:
            continue
        seen.add(number)
        todo.extend(nexts[number])
    return seen


# --------------------------------------------------------------------------- naming rows


def row_names(steps):
    """{row number: how a message names the row}: "langkah 4" as the No column prints it,
    "langkah 4 (baris 5)" when unnumbered rows come before it, "baris 5 (catatan)" for an
    unnumbered row."""
    names, count = {}, 0
    for step in sorted(steps, key=lambda s: s.number):
        if step.kind in UNNUMBERED:
            kind = _("catatan") if step.kind == NOTE else _("penghubung")
            names[step.number] = _("baris %(row)s (%(kind)s)") % {"row": step.number, "kind": kind}
            continue
        count += 1
        if count == step.number:
            names[step.number] = _("langkah %(n)s") % {"n": count}
        else:
            names[step.number] = _("langkah %(n)s (baris %(row)s)") % {
                "n": count,
                "row": step.number,
            }
    return names


def _cap(text):
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- the rules


def _kind_problems(steps):
    starts = [s for s in steps if s.starts]
    problems = []
    if not starts:
        problems.append(_("SOP belum mempunyai langkah Mulai (simbol kapsul pertama)."))
    elif len(starts) > 1:
        problems.append(_("SOP hanya boleh mempunyai satu langkah Mulai."))
    if not any(s.ends for s in steps):
        problems.append(_("SOP belum mempunyai langkah Selesai (simbol kapsul terakhir)."))
    return problems


def _step_problems(step, name, kinds, names):
    """What is wrong with one row on its own and with where its flows point."""
    problems = []
    if step.start_capsule and step.kind not in (PROCESS, DECISION):
        problems.append(
            _("%(row)s: kapsul Mulai di baris yang sama hanya untuk proses atau keputusan.")
            % {"row": name}
        )
    if step.end_capsule and step.kind != PROCESS:
        problems.append(
            _("%(row)s: kapsul Selesai di baris yang sama hanya untuk langkah proses.")
            % {"row": name}
        )
    if step.flows and (step.kind == NOTE or step.ends):
        problems.append(
            _("%(row)s adalah catatan atau akhir alur, jadi tidak mempunyai langkah berikutnya.")
            % {"row": _cap(name)}
        )
        return problems
    targets = [target for _label, target in step.flows]
    for target in sorted({t for t in targets if targets.count(t) > 1}):
        problems.append(
            _("%(row)s menuju baris %(t)s lebih dari sekali.") % {"row": _cap(name), "t": target}
        )
    for label, target in step.flows:
        branch = _("Cabang %(label)s %(row)s") % {"label": label, "row": name} if label else None
        where = branch or _cap(name)
        if target == step.number:
            problems.append(_("%(where)s menuju dirinya sendiri.") % {"where": where})
        elif target not in kinds:
            problems.append(
                _("%(where)s menuju langkah %(t)s yang tidak ada.") % {"where": where, "t": target}
            )
        elif kinds[target] == NOTE:
            problems.append(
                _("%(where)s menuju %(target)s; catatan bukan bagian dari alur.")
                % {"where": where, "target": names[target]}
            )
    if step.kind == DECISION:
        labels = [label for label, _targets in branches(step)]
        if "" not in labels and len(labels) < 2:
            problems.append(
                _("%(row)s adalah keputusan tetapi belum mempunyai dua cabang atau lebih.")
                % {"row": _cap(name)}
            )
        if "" in labels:
            problems.append(
                _("%(row)s adalah keputusan; setiap cabangnya perlu label (misalnya Ya/Tidak).")
                % {"row": _cap(name)}
            )
    return problems


def _actor_problems(step, name, actors):
    if step.kind == NOTE:
        return []
    if step.actor is None:
        return [_("%(row)s belum mempunyai pelaksana.") % {"row": _cap(name)}]
    problems = []
    if step.actor not in actors:
        problems.append(_("Pelaksana %(row)s bukan pelaksana SOP ini.") % {"row": name})
    if any(a not in actors for a in step.also_actors):
        problems.append(_("Pelaksana bersama %(row)s bukan pelaksana SOP ini.") % {"row": name})
    if step.actor in step.also_actors:
        problems.append(
            _("Pelaksana bersama %(row)s tidak boleh sama dengan pelaksananya sendiri.")
            % {"row": name}
        )
    return problems


def _flow_problems(steps, names):
    """The graph as a whole: every row reachable from the start, every path ending."""
    problems = []
    nexts = successors(steps)
    dead = set()
    for step in steps:
        if step.kind in (START, PROCESS, CONNECTOR) and not step.ends and not nexts[step.number]:
            dead.add(step.number)
            problems.append(
                _("%(row)s tidak mempunyai langkah berikutnya; akhiri dengan langkah Selesai.")
                % {"row": _cap(names[step.number])}
            )
    starts = [s.number for s in steps if s.starts]
    if len(starts) != 1:
        return problems
    reached = _reach(nexts, starts)
    for step in sorted(steps, key=lambda s: s.number):
        if step.kind != NOTE and step.number not in reached:
            problems.append(
                _("%(row)s tidak dapat dicapai dari langkah Mulai.")
                % {"row": _cap(names[step.number])}
            )
    # Every path ends: walking the arrows backwards from the ends (and from the rows already
    # reported as leading nowhere) must meet every reachable row.
    before = {number: [] for number in nexts}
    for number, targets in nexts.items():
        for target in targets:
            if target in before:
                before[target].append(number)
    ends = [s.number for s in steps if s.ends and s.kind != NOTE] + sorted(dead)
    finishing = _reach(before, ends)
    trapped = sorted(n for n in reached if n not in finishing)
    if trapped:
        problems.append(
            _(
                "Alur dari %(rows)s berputar tanpa pernah sampai ke langkah Selesai; "
                "beri jalan keluar ke langkah Selesai."
            )
            % {"rows": ", ".join(names[n] for n in trapped)}
        )
    return problems


def sop_problems(steps, actors):
    """Everything wrong with an SOP made of `steps` (StepFacts) and `actors` (a set of keys).

    Returns a list of messages; an empty list means the SOP holds together.
    """
    steps = list(steps)
    if not steps:
        return [_("SOP belum mempunyai langkah.")]
    problems = []
    numbers = [s.number for s in steps]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        problems.append(
            _("Nomor langkah %(n)s dipakai lebih dari sekali.")
            % {"n": ", ".join(str(n) for n in duplicates)}
        )
    if all(s.kind == NOTE for s in steps):
        return problems + [_("SOP belum mempunyai langkah.")]
    problems += _kind_problems(steps)
    names = row_names(steps)
    kinds = {s.number: s.kind for s in steps}
    for step in sorted(steps, key=lambda s: s.number):
        problems += _step_problems(step, names[step.number], kinds, names)
        problems += _actor_problems(step, names[step.number], actors)
    if not duplicates:
        problems += _flow_problems(steps, names)
    return problems


def stored_sop_problems(sop):
    """The problems of an SOP as stored."""
    steps = [step_facts(s) for s in sop.steps.prefetch_related("flows", "also_actors")]
    return sop_problems(steps, {a.pk for a in sop.actors.all()})


# --------------------------------------------------------------------------- flows as text

_BRANCH = re.compile(r"^\s*(?:(?P<label>[^:]*?)\s*:)?\s*(?P<targets>.*?)\s*$", re.S)


def parse_next(text, kind):
    """The "lanjut ke" of a row as typed, to flows [(label, target)].

    "" is the row below (nothing stored); "5" a jump; "5, 7" a fork; branches are separated
    by ";" and may carry their label: "Ya: 4; Tidak: 1", "Kotak Pengaduan: 3; Tatap muka: 5,
    6". A decision's unlabelled branches are "Ya" then "Tidak". Raises ValueError with an
    Indonesian message when the text cannot be read.
    """
    text = (text or "").strip()
    if not text:
        return []
    result = []
    parts = [_BRANCH.match(part) for part in text.split(";") if part.strip()]
    used = {(match.group("label") or "").strip() for match in parts}
    defaults = [label for label in (YES, NO) if label not in used]
    for match in parts:
        label = (match.group("label") or "").strip()
        numbers = [n.strip() for n in re.split(r"[,\s]+", match.group("targets")) if n.strip()]
        if not numbers or not all(n.isdigit() and int(n) >= 1 for n in numbers):
            raise ValueError(
                _(
                    "Tulis nomor langkah tujuan, misalnya 5, atau cabang berlabel, misalnya "
                    "“Ya: 4; Tidak: 1”."
                )
            )
        if len(label) > 60:
            raise ValueError(_("Label cabang paling banyak 60 karakter."))
        if not label and kind == DECISION:
            if not defaults:
                raise ValueError(_("Cabang ketiga dan seterusnya perlu label, misalnya “Lain: 6”."))
            label = defaults.pop(0)
        result += [(label, int(n)) for n in numbers]
    return result


def format_next(pairs):
    """Flows [(label, target)] as `parse_next` reads them: "Ya: 4; Tidak: 1", "5, 7"."""
    groups = {}
    for label, target in pairs:
        groups.setdefault(label, []).append(str(target))
    return "; ".join(
        f"{label}: {', '.join(targets)}" if label else ", ".join(targets)
        for label, targets in groups.items()
    )
