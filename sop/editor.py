"""The lane and step editors of a draft: one form per row of a table, the rows in the order
the page sends them (the page's script adds, inserts, moves and deletes rows and numbers
their fields again, `prefix-0-...`, `prefix-1-...`), so a row's place is its index.

A row carries the id of the stored row it edits (none for a new one): stored rows that the
page no longer sends are deleted. Steps refer to each other (the flow) by a row key that
stays with the row while it moves, so that moving a step does not change where it leads.
"""

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.forms.models import fields_for_model
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sasaran.forms import IndonesianNumberField
from sasaran.models import Position

from . import flowchart
from .forms import KEY_MAX, RowChoiceField, RowsChoiceField
from .models import SopActor, SopFlow, SopStep, shown_numbers
from .validation import NO, YES, StepFacts, row_names

ROWS_MAX = 200  # a long SOP has 40 steps; nobody means 200
LANE_PREFIX = "lane"


# --------------------------------------------------------------------------- quick widgets

# The tables repeat a few widgets in every row: a 40-step SOP has some 1,000 of them and, in its
# next-step pickers, 40 x 4 x 40 options. Django renders each widget and each option through a
# template, which took seconds; these write the same HTML directly (escaped by format_html).


def _attrs(attrs):
    """Attributes as Django's widget templates write them: True alone, False/None left out."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {escape(key)}")
        elif value is not False and value is not None:
            parts.append(f' {escape(key)}="{escape(value)}"')
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


@functools.lru_cache(maxsize=128)
def _options(choices):
    """[(key, escaped opening, escaped rest)] of a select's options, shared by the rows of a
    table (they list the same choices)."""
    return [
        (str(key), format_html('<option value="{}"', key), format_html(">{}</option>", label))
        for key, label in choices
    ]


class QuickInput:
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value not in (None, "") else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, _attrs(attrs)
        )


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


class QuickTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value) or ""
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name, _attrs(attrs), value)


class QuickCheckbox(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        checked = mark_safe(" checked") if self.check_test(value) else ""
        return format_html('<input type="checkbox" name="{}"{}{}>', name, checked, _attrs(attrs))


def _chosen(widget, value):
    return {str(v) for v in widget.format_value(value)}


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = _chosen(self, value)
        options = "".join(
            f"{opening}{' selected' if key in chosen else ''}{rest}"
            for key, opening, rest in _options(tuple((k, str(v)) for k, v in self.choices))
        )
        # (every part escaped by _options)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs(attrs),
            mark_safe(options),  # noqa: S308
        )


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = _chosen(self, value)
        base = attrs.get("id", "")
        items = format_html_join(
            "",
            '<div><label for="{}_{}"><input type="checkbox" name="{}" value="{}" id="{}_{}"{}>'
            " {}</label></div>",
            (
                (
                    base,
                    index,
                    name,
                    key,
                    base,
                    index,
                    mark_safe(" checked") if str(key) in chosen else "",
                    label,
                )
                for index, (key, label) in enumerate(self.choices)
            ),
        )
        return format_html('<div id="{}">{}</div>', base, items)


def quick(form):
    """Give the form's widgets their quick kind (same attributes, same HTML)."""
    kinds = [
        (forms.CheckboxSelectMultiple, QuickCheckboxes),
        (forms.SelectMultiple, None),
        (forms.Select, QuickSelect),
        (forms.CheckboxInput, QuickCheckbox),
        (forms.Textarea, QuickTextarea),
        (forms.HiddenInput, QuickHiddenInput),
        (forms.TextInput, QuickTextInput),
    ]
    for field in form.fields.values():
        widget = field.widget
        for kind, replacement in kinds:
            if isinstance(widget, kind):
                if replacement is not None and type(widget) is not replacement:
                    new = replacement(attrs=widget.attrs)
                    if hasattr(widget, "choices"):
                        new.choices = widget.choices
                    new.is_required = widget.is_required
                    field.widget = new
                break
    return form


def _listed(queryset):
    """The rows of a queryset, read once however many forms of a table ask (its cache)."""
    list(queryset)  # fills queryset._result_cache, kept by the formset's shared queryset
    return queryset


class BaseRows(forms.BaseFormSet):
    """Every row may be left empty (then it is skipped): a blank row to type into is no
    error. The management form's INITIAL_FORMS is ignored."""

    def initial_form_count(self):
        return 0 if self.is_bound else super().initial_form_count()

    def filled(self):
        """The forms the user filled in, in order (call after is_valid)."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def full_clean(self):
        super().full_clean()
        for form in self.forms:
            mark_errors(form)


def styled(form):
    """Bootstrap's classes on the widgets of a row (small controls in a table)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
            continue  # (the checkboxes' class would land on their container too)
        if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            css = "form-select form-select-sm"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css
    return form


def mark_errors(form):
    """A field with errors says so to the eye (is-invalid) and to a screen reader (its
    message is its description)."""
    if not form.is_bound:
        return
    for name in form.errors:
        if name not in form.fields:
            continue
        attrs = form.fields[name].widget.attrs
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{form[name].auto_id}-error"


# --------------------------------------------------------------------------- lanes

# Lane fields beyond the name and the position (a kind of lane, ...): taken from the model
# as they come.
LANE_OWN = ["id", "sop", "order", "name", "position"]


class LaneForm(forms.Form):
    id = forms.IntegerField(
        required=False, min_value=1, max_value=KEY_MAX, widget=forms.HiddenInput
    )
    name = forms.CharField(
        label=_("Pelaksana"),
        max_length=SopActor._meta.get_field("name").max_length,
        error_messages={"required": _("Nama pelaksana wajib diisi.")},
    )
    position = RowChoiceField(
        label=_("Jabatan"),
        queryset=Position.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Pilih jabatan yang ada di daftar.")},
    )

    def __init__(self, *args, positions=None, **kwargs):
        super().__init__(*args, **kwargs)
        extra = [
            f.name
            for f in SopActor._meta.get_fields()
            if getattr(f, "editable", False) and f.concrete and f.name not in LANE_OWN
        ]
        self.fields.update(fields_for_model(SopActor, fields=extra))
        if positions is not None:
            self.fields["position"].queryset = positions
            # Shown from a list read once for the whole table, not a query per row.
            self.fields["position"].widget.choices = [
                ("", "—"),
                *((p.pk, p.name) for p in _listed(positions)),
            ]
        styled(quick(self))

    def has_changed(self):
        return bool(self.data.get(self.add_prefix("id"))) or super().has_changed()


class BaseLaneRows(BaseRows):
    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.filled():
            key = " ".join(form.cleaned_data["name"].split()).casefold()
            if key in seen:
                form.add_error("name", _("Nama pelaksana ini sudah dipakai di baris lain."))
            seen[key] = form
            # The model's own rules for one lane (an application holds no position), at its row.
            lane = SopActor(
                **{k: v for k, v in form.cleaned_data.items() if k not in ("id", "DELETE")}
            )
            try:
                lane.validate_constraints(exclude=["sop", "order", "name"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
        if not self.filled():
            raise forms.ValidationError(_("SOP memerlukan sedikitnya satu pelaksana."))


LaneRows = formset_factory(
    LaneForm, formset=BaseLaneRows, extra=0, max_num=ROWS_MAX, absolute_max=ROWS_MAX
)


def lane_rows(sop, data=None):
    positions = Position.objects.filter(unit=sop.unit).order_by("level", "name")
    if data is not None:
        return LaneRows(data, prefix=LANE_PREFIX, form_kwargs={"positions": positions})
    initial = [
        {
            "id": actor.pk,
            "name": actor.name,
            "position": actor.position_id,
            **{
                f.name: getattr(actor, f.name)
                for f in SopActor._meta.concrete_fields
                if f.name not in LANE_OWN
            },
        }
        for actor in sop.actors.all()
    ]
    return LaneRows(initial=initial, prefix=LANE_PREFIX, form_kwargs={"positions": positions})


# --------------------------------------------------------------------------- steps

STEP_PREFIX = "step"
FLOW_SLOTS = 4  # next steps a row can name: a decision's branches, a fork (more: the admin)
# Up to this many rows, every next-step picker is sent with every row as an option; beyond, a
# 40-step table would weigh a megabyte, and the page's script fills the pickers instead.
TARGETS_IN_FULL = 15
TEXT_MAX_LENGTH = 5000
KEY_MAX_LENGTH = 40
SAFE_KEY = re.compile(r"\A[A-Za-z0-9_-]{1,40}\Z")
UNNUMBERED = {SopStep.Kind.CONNECTOR, SopStep.Kind.NOTE}


def _text(label, *, rows=1, required=False, max_length=TEXT_MAX_LENGTH, **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, **attrs}),
        error_messages={
            "max_length": _("Teks terlalu panjang: paling banyak %(limit_value)d karakter."),
        },
    )


class StepForm(forms.Form):
    """One row of the procedure table. Its next steps name other rows by their key (see the
    module's docstring): `targets` are the (key, label) choices of the whole table."""

    id = forms.IntegerField(
        required=False, min_value=1, max_value=KEY_MAX, widget=forms.HiddenInput
    )
    key = forms.CharField(required=False, max_length=KEY_MAX_LENGTH, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Simbol"),
        choices=SopStep.Kind.choices,
        initial=SopStep.Kind.PROCESS,
        error_messages={"invalid_choice": _("Pilih simbol yang ada di daftar.")},
    )
    activity = _text(_("Uraian kegiatan"), rows=2)
    actor = RowChoiceField(
        label=_("Pelaksana"),
        queryset=SopActor.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Pilih pelaksana yang ada di daftar.")},
    )
    also_actors = RowsChoiceField(
        label=_("Dikerjakan bersama"),
        queryset=SopActor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Pilih pelaksana yang ada di daftar."),
            "invalid_pk_value": _("Pilih pelaksana yang ada di daftar."),
        },
    )
    start_capsule = forms.BooleanField(label=_("Kapsul Mulai di baris ini"), required=False)
    end_capsule = forms.BooleanField(label=_("Kapsul Selesai di baris ini"), required=False)
    requirements = _text(_("Kelengkapan"))
    time_amount = IndonesianNumberField(label=_("Waktu"))
    time_unit = forms.ChoiceField(
        label=_("Satuan waktu"),
        choices=[("", "—"), *SopStep.TimeUnit.choices],
        required=False,
        error_messages={"invalid_choice": _("Pilih satuan waktu yang ada di daftar.")},
    )
    output = _text(_("Output"))
    remarks = _text(_("Keterangan"))

    def __init__(self, *args, actors=None, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        if actors is not None:
            self.fields["actor"].queryset = actors
            self.fields["also_actors"].queryset = actors
            # Shown from a list read once for the whole table, not a query per row.
            lanes = [(a.pk, a.name) for a in _listed(actors)]
            self.fields["actor"].widget.choices = [("", "—"), *lanes]
            self.fields["also_actors"].widget.choices = lanes
        choices = [("", _("(ke bawah)")), *targets]
        for slot in range(FLOW_SLOTS):
            self.fields[f"flow_label_{slot}"] = forms.CharField(
                label=_("Label cabang %(n)s") % {"n": slot + 1},
                required=False,
                max_length=SopFlow._meta.get_field("label").max_length,
                error_messages={
                    "max_length": _("Label cabang paling banyak %(limit_value)d karakter.")
                },
            )
            self.fields[f"flow_target_{slot}"] = forms.ChoiceField(
                label=_("Lanjut ke %(n)s") % {"n": slot + 1},
                required=False,
                choices=choices,
                error_messages={"invalid_choice": _("Pilih langkah yang ada di tabel.")},
            )
        styled(quick(self))
        if len(targets) > TARGETS_IN_FULL:
            # A long table: each picker is sent with its own choice only (the page's script
            # lists every row in it); all of them stay valid choices.
            for slot in range(FLOW_SLOTS):
                name = f"flow_target_{slot}"
                value = str(self[name].value() or "")
                self.fields[name].widget.choices = [
                    choices[0],
                    *(choice for choice in targets if choice[0] == value),
                ]
        self.fields["activity"].widget.attrs["data-activity"] = ""
        self.fields["kind"].widget.attrs["data-kind"] = ""
        for slot in range(FLOW_SLOTS):
            self.fields[f"flow_target_{slot}"].widget.attrs["data-targets"] = ""
            self.fields[f"flow_label_{slot}"].widget.attrs["placeholder"] = _("label")

    def dom_key(self):
        """The row's key where it may stand in an element id (else empty)."""
        key = self["key"].value() or ""
        return key if SAFE_KEY.match(str(key)) else ""

    def field_messages(self):
        """ "Label: message" of every field error of the row (for the live preview)."""
        return [
            f"{self.fields[name].label}: {message}"
            for name, errors in self.errors.items()
            if name in self.fields
            for message in errors
        ]

    def clean_key(self):
        key = self.cleaned_data["key"]
        return key if SAFE_KEY.match(key) else ""  # (it lands in element ids)

    def flow_slots(self):
        """[(label field, target field)] for the template."""
        return [
            (self[f"flow_label_{slot}"], self[f"flow_target_{slot}"]) for slot in range(FLOW_SLOTS)
        ]

    def has_changed(self):
        return bool(self.data.get(self.add_prefix("id"))) or any(
            name != "key" and name != "kind" and self[name].data not in (None, "", [], False)
            for name in self.fields
        )

    def clean(self):
        cleaned = super().clean()
        flows, seen = [], set()
        for slot in range(FLOW_SLOTS):
            target = cleaned.get(f"flow_target_{slot}")
            label = " ".join((cleaned.get(f"flow_label_{slot}") or "").split())
            if not target:
                continue
            if target in seen:
                self.add_error(
                    f"flow_target_{slot}", _("Baris ini sudah menuju langkah itu di isian lain.")
                )
            seen.add(target)
            flows.append([label, target])
        if cleaned.get("kind") == SopStep.Kind.DECISION:
            # A decision's unlabelled branches are "Ya" then "Tidak", as the document's.
            used = {label for label, _target in flows}
            defaults = [label for label in (YES, NO) if label not in used]
            for flow in flows:
                if not flow[0] and defaults:
                    flow[0] = defaults.pop(0)
        cleaned["flows"] = [tuple(flow) for flow in flows]
        return cleaned


class BaseStepRows(BaseRows):
    def __init__(self, *args, sop, **kwargs):
        self.sop = sop
        super().__init__(*args, **kwargs)

    def clean(self):
        # Each row that reads is checked as the step it would be (the model's rules: a lane
        # unless a note, a text unless a connector, capsules where they belong), even while
        # other rows still have errors, so that every row says what is wrong at once.
        for index, form in enumerate(self.forms, start=1):
            if form.has_changed() and not form.errors:
                step = self.unsaved_step(form, index)
                try:
                    step.clean_fields(exclude=["sop", "number"])
                    step.validate_constraints(exclude=["sop", "number"])
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
        if any(self.errors):
            return
        filled = self.filled()
        keys = set()
        for index, form in enumerate(filled, start=1):
            # A row added without the page's script has no key: nothing points at it yet.
            form.cleaned_data["key"] = form.cleaned_data["key"] or f"baris{index}"
            if form.cleaned_data["key"] in keys:
                raise forms.ValidationError(_("Tabel langkah rusak; muat ulang halaman."))
            keys.add(form.cleaned_data["key"])
        for form in filled:
            if any(key not in keys for _label, key in form.cleaned_data["flows"]):
                form.add_error(None, _("Langkah tujuan sudah dihapus; pilih yang lain."))

    def unsaved_step(self, form, number):
        data = form.cleaned_data
        return SopStep(
            sop=self.sop,
            number=number,
            **{name: data.get(name) for name in STEP_FIELDS},
        )

    def rows(self):
        """The filled rows as dicts for `services.sop_save_steps` (after is_valid): their
        fields, "also_actors", and "flows" as (label, row number)."""
        filled = self.filled()
        numbers = {form.cleaned_data["key"]: index for index, form in enumerate(filled, 1)}
        return [
            {
                "id": form.cleaned_data["id"],
                **{name: form.cleaned_data.get(name) for name in STEP_FIELDS},
                "also_actors": list(form.cleaned_data["also_actors"]),
                "flows": [(label, numbers[key]) for label, key in form.cleaned_data["flows"]],
            }
            for form in filled
        ]


# The fields of a row stored on the step itself (the flows and the joint lanes aside).
STEP_FIELDS = [
    "kind",
    "activity",
    "actor",
    "start_capsule",
    "end_capsule",
    "requirements",
    "time_amount",
    "time_unit",
    "output",
    "remarks",
]

StepRows = formset_factory(
    StepForm, formset=BaseStepRows, extra=0, max_num=ROWS_MAX, absolute_max=ROWS_MAX
)


def _target_label(number, activity):
    activity = " ".join((activity or "").split()) or "…"
    if len(activity) > 60:
        activity = activity[:57] + "…"
    return f"{number}. {activity}" if number else f"–. {activity}"


def _posted_targets(data):
    """(key, label) of every row the page sent, in order, from the raw POST data."""
    try:
        total = min(int(data.get(f"{STEP_PREFIX}-TOTAL_FORMS", 0)), ROWS_MAX)
    except (TypeError, ValueError):
        return []
    targets, shown = [], 0
    for index in range(max(total, 0)):
        key = data.get(f"{STEP_PREFIX}-{index}-key", "")
        if not SAFE_KEY.match(key):
            continue
        numbered = data.get(f"{STEP_PREFIX}-{index}-kind") not in UNNUMBERED
        shown += numbered
        activity = data.get(f"{STEP_PREFIX}-{index}-activity", "")
        targets.append((key, _target_label(shown if numbered else None, activity)))
    return targets


def step_rows(sop, data=None):
    actors = sop.actors.order_by("order")
    if data is not None:
        return StepRows(
            data,
            prefix=STEP_PREFIX,
            sop=sop,
            form_kwargs={"actors": actors, "targets": _posted_targets(data)},
        )
    steps = list(sop.steps.prefetch_related("flows", "also_actors").order_by("number"))
    key_of = {step.number: f"s{step.pk}" for step in steps}
    shown = shown_numbers(steps)
    targets = [(key_of[s.number], _target_label(shown[s.number], s.activity)) for s in steps]
    initial = []
    for step in steps:
        row = {name: getattr(step, name) for name in STEP_FIELDS}
        row.update(id=step.pk, key=key_of[step.number], actor=step.actor_id)
        row["also_actors"] = [a.pk for a in step.also_actors.all()]
        for slot, flow in enumerate(list(step.flows.all())[:FLOW_SLOTS]):
            row[f"flow_label_{slot}"] = flow.label
            row[f"flow_target_{slot}"] = key_of.get(flow.target, "")
        initial.append(row)
    return StepRows(
        initial=initial,
        prefix=STEP_PREFIX,
        sop=sop,
        form_kwargs={"actors": actors, "targets": targets},
    )


# --------------------------------------------------------------------------- problems at rows


def facts(rows):
    """StepFacts of the rows of a valid step table (`BaseStepRows.rows()`)."""
    return [
        StepFacts(
            number=number,
            kind=row["kind"],
            actor=row["actor"].pk if row["actor"] is not None else None,
            flows=tuple(row["flows"]),
            also_actors=tuple(a.pk for a in row["also_actors"]),
            start_capsule=row["start_capsule"],
            end_capsule=row["end_capsule"],
        )
        for number, row in enumerate(rows, start=1)
    ]


def problems_at_rows(problems, steps):
    """The procedure's problems (validation.sop_problems of `steps`) placed where they
    belong: ({row number: [messages]}, [messages about the whole SOP]). A message belongs to
    the first row it names (validation names the row a message is about first)."""
    names = row_names(steps)
    patterns = [
        (number, re.compile(re.escape(name) + r"(?![0-9])", re.IGNORECASE))
        for number, name in names.items()
    ]
    by_row, general = {}, []
    for problem in problems:
        found = []
        for number, pattern in patterns:
            match = pattern.search(problem)
            if match:
                found.append((match.start(), -len(match.group()), number))
        if found:
            by_row.setdefault(min(found)[2], []).append(problem)
        else:
            general.append(problem)
    return by_row, general


def preview_pages(sop, rows):
    """The flowchart of a valid step table as it would be saved (SVG pages), drawn from
    unsaved steps and their facts; [] while the table does not read."""
    if not rows.is_valid():
        return []
    data = rows.rows()
    if not data:
        return []
    steps = [
        SopStep(sop=sop, number=number, **{name: row[name] for name in STEP_FIELDS})
        for number, row in enumerate(data, start=1)
    ]
    return flowchart.draw(
        steps,
        list(sop.actors.select_related("position").order_by("order")),
        facts={f.number: f for f in facts(data)},
    )
