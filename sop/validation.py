"""Whether an SOP holds together as a procedure.

`sop_problems` works on plain values (step numbers, kinds, branch targets, actor keys), so the
admin can check what is being submitted before anything is saved, and the views can check
what is stored. Messages are in Indonesian: they are shown to the person editing the SOP.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

START, PROCESS, DECISION, END = "start", "process", "decision", "end"


@dataclass(frozen=True)
class StepFacts:
    number: int
    kind: str
    actor: object
    yes_step: int | None = None
    no_step: int | None = None


def successors(steps):
    """{step number: [numbers it leads to]}; a start or process step leads to the next row."""
    ordered = sorted(steps, key=lambda s: s.number)
    following = {s.number: n.number for s, n in zip(ordered, ordered[1:], strict=False)}
    result = {}
    for step in ordered:
        if step.kind == DECISION:
            result[step.number] = [n for n in (step.yes_step, step.no_step) if n is not None]
        elif step.kind == END:
            result[step.number] = []
        else:
            result[step.number] = [following[step.number]] if step.number in following else []
    return result


def _reachable(steps, start):
    nexts = successors(steps)
    seen, todo = set(), [start]
    while todo:
        number = todo.pop()
        if number in seen or number not in nexts:
            continue
        seen.add(number)
        todo.extend(nexts[number])
    return seen


def _kind_problems(steps):
    kinds = [s.kind for s in steps]
    problems = []
    if START not in kinds:
        problems.append(_("SOP belum mempunyai langkah Mulai (simbol kapsul pertama)."))
    elif kinds.count(START) > 1:
        problems.append(_("SOP hanya boleh mempunyai satu langkah Mulai."))
    if END not in kinds:
        problems.append(_("SOP belum mempunyai langkah Selesai (simbol kapsul terakhir)."))
    return problems


def _branch_problems(steps):
    numbers = {s.number for s in steps}
    problems = []
    for step in steps:
        if step.kind == DECISION:
            if step.yes_step is None or step.no_step is None:
                problems.append(
                    _("Langkah %(n)s adalah keputusan tetapi cabang Ya dan Tidak belum lengkap.")
                    % {"n": step.number}
                )
            for label, target in ((_("Ya"), step.yes_step), (_("Tidak"), step.no_step)):
                if target is not None and target not in numbers:
                    problems.append(
                        _("Cabang %(label)s langkah %(n)s menuju langkah %(t)s yang tidak ada.")
                        % {"label": label, "n": step.number, "t": target}
                    )
        elif step.yes_step is not None or step.no_step is not None:
            problems.append(
                _("Langkah %(n)s bukan keputusan, jadi tidak boleh mempunyai cabang Ya/Tidak.")
                % {"n": step.number}
            )
    return problems


def _flow_problems(steps):
    problems = []
    nexts = successors(steps)
    for step in steps:
        if step.kind in (START, PROCESS) and not nexts[step.number]:
            problems.append(
                _(
                    "Langkah %(n)s tidak mempunyai langkah berikutnya; "
                    "akhiri dengan langkah Selesai."
                )
                % {"n": step.number}
            )
    starts = [s.number for s in steps if s.kind == START]
    if len(starts) == 1:
        reached = _reachable(steps, starts[0])
        for step in sorted(steps, key=lambda s: s.number):
            if step.number not in reached:
                problems.append(
                    _("Langkah %(n)s tidak dapat dicapai dari langkah Mulai.") % {"n": step.number}
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
    problems += _kind_problems(steps)
    problems += _branch_problems(steps)
    for step in steps:
        if step.actor not in actors:
            problems.append(
                _("Pelaksana langkah %(n)s bukan pelaksana SOP ini.") % {"n": step.number}
            )
    if not duplicates:
        problems += _flow_problems(steps)
    return problems


def stored_sop_problems(sop):
    """The problems of an SOP as stored."""
    steps = [
        StepFacts(s.number, s.kind, s.actor_id, s.yes_step, s.no_step) for s in sop.steps.all()
    ]
    return sop_problems(steps, {a.pk for a in sop.actors.all()})
