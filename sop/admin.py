"""Editing SOPs in the admin: identity on top, actors and steps inline (ordered by their
order and number fields). A step's flows are typed in one field, "lanjut ke" (empty: the row
below; "5"; "5, 7"; "Ya: 4; Tidak: 1"), read by `validation.parse_next`. The step formset
checks the whole SOP, actors included, before anything is saved, and refuses an SOP that does
not hold together."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Sop, SopActor, SopFlow, SopStep
from .validation import StepFacts, format_next, parse_next, sop_problems

ACTOR_PREFIX = "actors"


def _kept_forms(formset):
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        yield form


def _submitted_actor_ids(step_formset):
    """The stored actors the submission keeps (a new actor can be chosen once saved)."""
    data = step_formset.data
    if f"{ACTOR_PREFIX}-TOTAL_FORMS" not in data:
        return set(step_formset.instance.actors.values_list("pk", flat=True))
    actors = ActorFormSet(data, instance=step_formset.instance, prefix=ACTOR_PREFIX)
    if not actors.is_valid():
        return None
    return {form.instance.pk for form in _kept_forms(actors) if form.instance.pk}


class StepForm(forms.ModelForm):
    next_text = forms.CharField(
        label=_("lanjut ke"),
        required=False,
        max_length=500,
        help_text=_(
            "Kosong: baris di bawahnya. Nomor baris tujuan: “5”; bercabang dua sekaligus: "
            "“5, 7”; keputusan: “Ya: 4; Tidak: 1” atau label dokumen sendiri."
        ),
    )

    class Meta:
        model = SopStep
        fields = [
            "number",
            "kind",
            "actor",
            "activity",
            "also_actors",
            "start_capsule",
            "end_capsule",
            "requirements",
            "output",
            "time_amount",
            "time_unit",
            "remarks",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            flows = [(f.label, f.target) for f in self.instance.flows.all()]
            self.fields["next_text"].initial = format_next(flows)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["flows"] = parse_next(cleaned.get("next_text"), cleaned.get("kind"))
        except ValueError as error:
            self.add_error("next_text", str(error))
        return cleaned


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        actor_ids = _submitted_actor_ids(self)
        if actor_ids is None:
            return  # the actors' own formset shows its errors
        steps = []
        for form in _kept_forms(self):
            data = form.cleaned_data
            actor = data.get("actor")
            steps.append(
                StepFacts(
                    data["number"],
                    data["kind"],
                    actor.pk if actor else None,
                    flows=tuple(data.get("flows", ())),
                    also_actors=tuple(a.pk for a in data.get("also_actors", ())),
                    start_capsule=data.get("start_capsule", False),
                    end_capsule=data.get("end_capsule", False),
                )
            )
        problems = sop_problems(steps, actor_ids)
        if problems:
            raise ValidationError(problems)

    def save(self, commit=True):
        saved = super().save(commit)
        for form in _kept_forms(self):
            step = form.instance
            if step.pk is None or "flows" not in form.cleaned_data:
                continue
            wanted = list(form.cleaned_data["flows"])
            if [(f.label, f.target) for f in step.flows.all()] == wanted:
                continue
            step.flows.all().delete()
            SopFlow.objects.bulk_create(
                SopFlow(step=step, target=target, label=label, order=order)
                for order, (label, target) in enumerate(wanted)
            )
        return saved


def _is_locked(obj):
    """Only a draft is edited, here as in the app: a submitted SOP waits for its signer, a
    signed one is read-only for good (changes are a new revision)."""
    return obj is not None and obj.status != Sop.Status.DRAFT


class DraftOnlyInline:
    """Rows of a submitted or signed SOP are shown, not changed."""

    def has_add_permission(self, request, obj=None):
        return not _is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_locked(obj) and super().has_delete_permission(request, obj)


ActorFormSet = inlineformset_factory(
    Sop, SopActor, fields=["order", "name", "kind", "position"], extra=0, can_delete=True
)


class ActorInline(DraftOnlyInline, admin.TabularInline):
    model = SopActor
    extra = 0
    autocomplete_fields = ["position"]


class StepInline(DraftOnlyInline, admin.StackedInline):
    model = SopStep
    form = StepForm
    formset = StepFormSet
    extra = 0
    fields = [
        ("number", "kind", "actor"),
        "activity",
        ("next_text", "also_actors"),
        ("start_capsule", "end_capsule"),
        ("requirements", "output"),
        ("time_amount", "time_unit"),
        "remarks",
    ]
    formfield_overrides = {
        SopStep._meta.get_field("activity").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 80})
        }
    }

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only this SOP's actors can be chosen; a new SOP gets its steps once its actors exist.
        actors = SopActor.objects.filter(sop=obj) if obj else SopActor.objects.none()
        for name in ("actor", "also_actors"):
            if name in formset.form.base_fields:
                formset.form.base_fields[name].queryset = actors
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("flows", "also_actors")


@admin.action(description=_("Buat revisi baru dari SOP terpilih"))
def make_revision(modeladmin, request, queryset):
    revised = None
    for sop in queryset:
        try:
            revised = services.sop_revise(sop=sop, user=request.user)
        except ValidationError as error:
            messages.error(request, f"{sop}: {' '.join(error.messages)}")
        else:
            messages.success(request, _("Revisi dibuat: %(sop)s") % {"sop": revised})
    if queryset.count() == 1 and revised is not None:
        return redirect("admin:sop_sop_change", revised.pk)
    return None


@admin.register(Sop)
class SopAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "revision", "unit", "effective_on"]
    list_filter = ["unit"]
    search_fields = ["number", "name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "related"]
    readonly_fields = ["previous"]
    inlines = [ActorInline, StepInline]
    actions = [make_revision]

    def has_change_permission(self, request, obj=None):
        return not _is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_locked(obj) and super().has_delete_permission(request, obj)

    fieldsets = [
        (
            None,
            {"fields": ["unit", "header", "logo", ("number", "revision", "previous"), "name"]},
        ),
        (
            _("Tanggal dan pengesahan"),
            {
                "fields": [
                    ("created_on", "revised_on", "effective_on", "date_label"),
                    ("approver_position", "approver_name", "approver_nip"),
                ]
            },
        ),
        (
            _("Identitas"),
            {
                "fields": [
                    "legal_basis",
                    "qualifications",
                    "related_text",
                    "related",
                    "equipment",
                    "warning",
                    "records",
                ]
            },
        ),
        (_("Prosedur"), {"fields": ["procedure_title", "note"]}),
    ]
