"""What the Sasaran Mutu document (L2/MM-02) prints, gathered once for its page, its PDF and
its Excel: every section under the office's own title and order (with the level of
responsibility it is tied to, if any), every objective, those without an indicator too (a
commitment the document lists with no measurable indicator), and each indicator's targets
of any period placed in the document's TW 1-4 and TAHUNAN columns (`targets.document_cells`).

`manual_document(manual)` costs a fixed number of queries whatever the size of the manual.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sasaran import targets as written
from sasaran.models import Indicator, Objective, Position, Section, Target
from sasaran.periods import TARGET_PERIODS, Period

from .reports import signatory


@dataclass
class IndicatorRow:
    indicator: Indicator
    # period -> the Target when it was revised (its note is printed), else (value, upper)
    targets: dict

    @property
    def cells(self):
        """The printed target cells, computed when read: in the language active then (the
        PDF and the Excel are written in Indonesian)."""
        return written.document_cells(self.indicator, self.targets)

    @property
    def machine_text(self):
        return written.machine_text(self.targets)


@dataclass
class ObjectiveBlock:
    objective: Objective
    indicators: list = field(default_factory=list)  # IndicatorRow; empty: a commitment

    @property
    def commitment(self):
        """An objective the document lists without an indicator."""
        return not self.indicators


@dataclass
class SectionBlock:
    section: Section
    objectives: list = field(default_factory=list)  # ObjectiveBlock

    @property
    def level_label(self):
        return self.section.get_level_display() if self.section.level else ""

    @property
    def level_note(self):
        """The level of responsibility as the page notes it beside the title: nothing when
        the title already names it (the seed's "Kepala Unit"), "tanpa tingkat" for a free
        section."""
        if not self.section.level:
            return _("tanpa tingkat: direviu Kepala Unit")
        label = str(self.level_label)
        if self.section.title.strip().lower().startswith(label.lower()):
            return ""
        return _("tingkat %(level)s") % {"level": label}


_PERIOD_ORDER = {period.value: index for index, period in enumerate(Period)}


def _period_order(period):
    return _PERIOD_ORDER[period]


def manual_document(manual):
    """The document of `manual` (its unit and signer already loaded): sections, objectives
    and indicators in the document's order, the notes on revised targets and the signature."""
    sections = {
        s.pk: SectionBlock(s) for s in Section.objects.filter(manual=manual).order_by("order")
    }
    objectives = {}
    for objective in Objective.objects.filter(section__manual=manual).order_by(
        "section__order", "number"
    ):
        block = ObjectiveBlock(objective)
        objectives[objective.pk] = block
        sections[objective.section_id].objectives.append(block)
        objective.section = sections[objective.section_id].section
    indicators = Indicator.objects.filter(objective__section__manual=manual).order_by(
        "objective_id", "order"
    )
    # A few positions answer for thousands of indicators: each read once.
    positions = Position.objects.filter(
        pk__in=indicators.values("responsible_position_id")
    ).in_bulk()
    # The targets in one query each, grouped here: `prefetch_related` would also make a
    # queryset per indicator. Only revised targets are model instances (their notes print
    # the revision); building one per target was a good part of a large manual's export.
    targets = {}
    of_manual = Target.objects.filter(indicator__objective__section__manual=manual)
    plain = of_manual.filter(revised_at__isnull=True).order_by()
    for indicator_id, period, value, upper in plain.values_list(
        "indicator_id", "period", "value", "upper"
    ):
        targets.setdefault(indicator_id, {})[period] = (value, upper)
    revised_rows = of_manual.filter(revised_at__isnull=False).order_by()
    for target in revised_rows:
        targets.setdefault(target.indicator_id, {})[target.period] = target
    # The objective and position already loaded, put in each indicator's cache of them as
    # `select_related` does (assigning them checks and sets the ids again: a sixth of the
    # time of gathering thousands of indicators).
    objective_field = Indicator._meta.get_field("objective")
    position_field = Indicator._meta.get_field("responsible_position")
    for indicator in indicators:
        block = objectives[indicator.objective_id]
        objective_field.set_cached_value(indicator, block.objective)
        position_field.set_cached_value(indicator, positions[indicator.responsible_position_id])
        block.indicators.append(IndicatorRow(indicator, targets.get(indicator.pk, {})))
    revised = [
        {"indicator": row.indicator, "label": Period(p).label, "target": row.targets[p]}
        for section in sections.values()
        for block in section.objectives
        for row in block.indicators
        for p in sorted(row.targets, key=_period_order)
        if isinstance(row.targets[p], Target)
    ]
    return {
        "manual": manual,
        "unit": manual.unit,
        "sections": list(sections.values()),
        "signatory": signatory(manual, manual.effective_date),
        "target_labels": [Period(p).label for p in TARGET_PERIODS],
        "revised_targets": revised,  # printed as notes under the table
    }
