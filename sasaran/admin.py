from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .forms import validate_evidence
from .models import (
    AchievementCategory,
    Assignment,
    Evidence,
    ExportJob,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
    User,
)

admin.site.site_header = _("Sasaran Mutu — Administrasi")
admin.site.site_title = _("Sasaran Mutu")
admin.site.index_title = _("Administrasi")


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [PositionInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["position", "user"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "level"]
    list_filter = ["level", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [AssignmentInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Kepegawaian"), {"fields": ["nip"]}),)
    list_display = ["username", "first_name", "last_name", "nip", "is_staff", "is_active"]
    search_fields = ["username", "first_name", "last_name", "nip"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "position", "role"]
    list_filter = ["role", "position__unit"]
    search_fields = ["user__username", "user__first_name", "position__name"]
    autocomplete_fields = ["user", "position"]
    list_select_related = ["user", "position__unit"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(QualityManual)
class QualityManualAdmin(admin.ModelAdmin):
    list_display = ["document_number", "title", "year", "unit", "effective_date", "revision"]
    list_filter = ["year", "unit"]
    search_fields = ["document_number", "unit__name"]
    autocomplete_fields = ["unit", "signed_by"]
    list_select_related = ["unit"]
    inlines = [SectionInline]

    def get_urls(self):
        from django.urls import path

        from .documents.import_xlsx import admin_import_view

        view = self.admin_site.admin_view(lambda request: admin_import_view(self, request))
        return [path("impor/", view, name="sasaran_qualitymanual_import"), *super().get_urls()]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "level", "manual"]
    list_filter = ["level", "manual__year", "manual__unit"]
    search_fields = ["title"]
    list_select_related = ["manual__unit"]
    inlines = [ObjectiveInline]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    show_change_link = True
    autocomplete_fields = ["responsible_position"]
    fields = ["order", "name", "measurement_method", "frequency", "responsible_position", "kind"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "section"]
    list_filter = ["section__level", "section__manual__year", "section__manual__unit"]
    search_fields = ["text", "indicators__name"]
    list_select_related = ["section__manual"]
    inlines = [IndicatorInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    max_num = 5


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "objective_number",
        "section",
        "year",
        "kind",
        "frequency",
        "responsible_position",
    ]
    list_filter = [
        "objective__section__manual__year",
        "objective__section__manual__unit",
        "objective__section__level",
        "kind",
        "frequency",
        "cumulative",
    ]
    search_fields = ["name", "measurement_method", "frequency_text", "objective__text"]
    autocomplete_fields = ["responsible_position", "objective"]
    list_select_related = ["objective__section__manual", "responsible_position__unit"]
    inlines = [TargetInline]
    fieldsets = [
        (None, {"fields": ["objective", "order", "name", "measurement_method"]}),
        (
            _("Frekuensi dan penanggung jawab"),
            {"fields": ["frequency", "frequency_text", "responsible_position", "responsible_text"]},
        ),
        (
            _("Cara mengukur"),
            {
                "fields": [
                    "kind",
                    "unit_of_measure",
                    "polarity",
                    "aggregation",
                    "cumulative",
                    "numerator_label",
                    "denominator_label",
                    "max_value",
                ]
            },
        ),
        (_("Catatan"), {"fields": ["note"]}),
    ]

    @admin.display(description=pgettext_lazy("number", "No"), ordering="objective__number")
    def objective_number(self, obj):
        return obj.objective.number

    @admin.display(description=_("bagian"), ordering="objective__section__order")
    def section(self, obj):
        return obj.objective.section.get_level_display()

    @admin.display(description=_("tahun"), ordering="objective__section__manual__year")
    def year(self, obj):
        return str(obj.objective.section.manual.year)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "upper"]
    list_filter = ["period", "indicator__objective__section__manual__year"]
    search_fields = ["indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator"]


@admin.register(Realisation)
class RealisationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "status", "entered_by", "entered_at"]
    list_filter = ["status", "period", "indicator__objective__section__manual__year"]
    search_fields = ["indicator__name", "note"]
    autocomplete_fields = ["indicator", "entered_by", "reviewed_by"]
    list_select_related = ["indicator", "entered_by"]
    readonly_fields = ["entered_at", "version"]


@admin.register(AchievementCategory)
class AchievementCategoryAdmin(admin.ModelAdmin):
    list_display = ["label", "min_percent", "color"]
    list_editable = ["min_percent", "color"]


class EvidenceAdminForm(forms.ModelForm):
    """An evidence file added in the admin meets the entry form's rules (type, 5 MB)."""

    class Meta:
        model = Evidence
        fields = "__all__"  # noqa: DJ007 (the admin's own fieldsets decide what shows)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            validate_evidence(upload)
        return upload


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    form = EvidenceAdminForm
    list_display = ["original_name", "realisation", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "realisation__indicator__name"]
    list_select_related = ["realisation__indicator", "uploaded_by"]
    autocomplete_fields = ["realisation", "uploaded_by"]
    readonly_fields = ["uploaded_at"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "quarter", "fmt", "status", "progress", "requested_by"]
    list_filter = ["status", "fmt"]
    list_select_related = ["unit", "requested_by"]
    search_fields = ["unit__name"]
    readonly_fields = ["created_at", "finished_at", "error"]
