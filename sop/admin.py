"""Editing SOPs in the admin: identity on top, actors and steps inline (ordered by their
order and number fields). The step formset checks the whole SOP, actors included, before
anything is saved, and refuses an SOP that does not hold together."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Sop, SopActor, SopStep
from .validation import StepFacts, sop_problems

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


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        actor_ids = _submitted_actor_ids(self)
        if actor_ids is None:
            return  # the actors' own formset shows its errors
        steps = [
            StepFacts(
                form.cleaned_data["number"],
                form.cleaned_data["kind"],
                form.cleaned_data["actor"].pk,
                form.cleaned_data.get("yes_step"),
                form.cleaned_data.get("no_step"),
            )
            for form in _kept_forms(self)
        ]
        problems = sop_problems(steps, actor_ids)
        if problems:
            raise ValidationError(problems)


ActorFormSet = inlineformset_factory(
    Sop, SopActor, fields=["order", "name", "position"], extra=0, can_delete=True
)


class ActorInline(admin.TabularInline):
    model = SopActor
    extra = 0
    autocomplete_fields = ["position"]


class StepInline(admin.StackedInline):
    model = SopStep
    formset = StepFormSet
    extra = 0
    fields = [
        ("number", "kind", "actor"),
        "activity",
        ("yes_step", "no_step"),
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
        formset.form.base_fields["actor"].queryset = actors
        return formset


@admin.action(description=_("Buat revisi baru dari SOP terpilih"))
def make_revision(modeladmin, request, queryset):
    for sop in queryset:
        revised = services.revise(sop)
        messages.success(request, _("Revisi dibuat: %(sop)s") % {"sop": revised})
    if queryset.count() == 1:
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
    fieldsets = [
        (None, {"fields": ["unit", "header", ("number", "revision", "previous"), "name"]}),
        (
            _("Tanggal dan pengesahan"),
            {
                "fields": [
                    ("created_on", "revised_on", "effective_on"),
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
                    "related",
                    "equipment",
                    "warning",
                    "records",
                ]
            },
        ),
        (_("Prosedur"), {"fields": ["procedure_title", "note"]}),
    ]
