"""The survey in the admin: a survey with its services and unsur (weights that sum to
exactly 1), and each respondent with their answers."""

from fractions import Fraction

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from sasaran.models import Indicator

from . import services
from .models import Answer, Response, Survey, SurveyIndicator, SurveyService, Unsur


class SurveyServiceInline(admin.TabularInline):
    model = SurveyService
    extra = 0
    readonly_fields = ["public_token"]


class SurveyIndicatorInline(admin.TabularInline):
    """The index indicators the survey's IKM feeds (pooled, or one service's)."""

    model = SurveyIndicator
    extra = 0
    fields = ["indicator", "service"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only what can be linked: the index indicators of the survey's unit and year, and
        # the survey's own services (the model's clean checks it again).
        survey = self._survey(request)
        if survey is not None and db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.for_year(survey.unit, survey.year).filter(
                kind=Indicator.Kind.INDEX
            )
        if survey is not None and db_field.name == "service":
            kwargs["queryset"] = survey.services.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _survey(self, request):
        """The survey the change page shows (None on the add page)."""
        match = request.resolver_match
        object_id = str(match.kwargs.get("object_id", "")) if match else ""
        if not object_id.isdigit():
            return None
        return Survey.objects.select_related("unit").filter(pk=object_id).first()


class UnsurFormSet(BaseInlineFormSet):
    """The weights of the unsur kept must sum to exactly 1 (none: the standard nine)."""

    def clean(self):
        super().clean()
        weights = [
            Fraction(form.cleaned_data["weight_numerator"], form.cleaned_data["weight_denominator"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weight_numerator")
            and form.cleaned_data.get("weight_denominator")
        ]
        if weights:
            try:
                services.check_weights(weights)
            except ValidationError as error:
                raise ValidationError(error.messages) from None


class UnsurInline(admin.StackedInline):
    model = Unsur
    formset = UnsurFormSet
    extra = 0
    fields = [
        ("code", "name", "order"),
        "question",
        ("label_1", "label_2", "label_3", "label_4"),
        ("weight_numerator", "weight_denominator"),
    ]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "year_text", "period_kind", "period_number", "population"]
    list_filter = ["year", "period_kind", "unit"]
    search_fields = ["unit__name", "note"]
    list_select_related = ["unit"]
    inlines = [SurveyServiceInline, SurveyIndicatorInline, UnsurInline]

    # A year is a name, not an amount: the admin would group its digits (2.023) in Indonesian.
    @admin.display(description=_("tahun"), ordering="year")
    def year_text(self, obj):
        return str(obj.year)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.seed_standard_unsur(form.instance)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["pk", "survey", "service", "sex", "age_group", "date", "source"]
    list_filter = ["source", "survey__year", "survey__unit"]
    list_select_related = ["survey__unit", "service"]
    readonly_fields = ["created_at"]
    inlines = [AnswerInline]

    # A respondent or their answers changed here: the survey's cached result is not read
    # again (`services.result_changed`); the pages write in bulk and say so themselves.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for survey_id in {form.initial.get("survey"), form.instance.survey_id} - {None}:
            services.result_changed(survey_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.result_changed(obj.survey_id)

    def delete_queryset(self, request, queryset):
        surveys = set(queryset.values_list("survey_id", flat=True))
        super().delete_queryset(request, queryset)
        for survey_id in surveys:
            services.result_changed(survey_id)
