"""The permit logs in the admin: the holiday table (seeded per year from the `holidays`
package, edited when a decree changes), units' working-day settings, permit types and task
kinds, the imported rows, the column mappings and the indicator links."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sasaran.models import Indicator

from . import calendars
from .models import (
    ColumnMapping,
    Holiday,
    HolidayYear,
    ImportRun,
    Permit,
    PermitIndicator,
    PermitType,
    Task,
    TaskIndicator,
    TaskKind,
    UnitCalendar,
)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind", "source", "note"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            obj.source = Holiday.Source.MANUAL  # an edited row is the admin's, not the package's
        super().save_model(request, obj, form, change)


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """Adding a year fills its holidays from the `holidays` package; "Isi ulang" adds the
    package's dates still missing (rows already there, and dates deleted on purpose before,
    are left alone only by not re-seeding)."""

    list_display = ["year", "seeded_at", "source"]
    readonly_fields = ["seeded_at", "source"]
    actions = ["seed_again"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        added = calendars.seed_year(obj.year)
        obj.pk = HolidayYear.objects.get(year=obj.year).pk
        self.message_user(
            request,
            ngettext(
                "%(count)d hari libur %(year)s ditambahkan dari paket holidays.",
                "%(count)d hari libur %(year)s ditambahkan dari paket holidays.",
                added,
            )
            % {"count": added, "year": obj.year},
            messages.SUCCESS,
        )

    @admin.action(description=_("Isi ulang dari paket holidays (tanggal yang belum ada)"))
    def seed_again(self, request, queryset):
        added = sum(calendars.seed_year(row.year, again=True) for row in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d hari libur ditambahkan.", "%(count)d hari libur ditambahkan.", added
            )
            % {"count": added},
            messages.SUCCESS,
        )


@admin.register(UnitCalendar)
class UnitCalendarAdmin(admin.ModelAdmin):
    list_display = ["unit", "cuti_bersama_off"]


@admin.register(PermitType)
class PermitTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "standard_days", "sop_reference"]
    list_editable = ["standard_days"]
    list_filter = ["unit"]
    search_fields = ["name", "code", "sop_reference"]


@admin.register(TaskKind)
class TaskKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "limit_days"]
    list_editable = ["limit_days"]
    list_filter = ["unit"]
    search_fields = ["name", "code"]


@admin.register(Permit)
class PermitAdmin(admin.ModelAdmin):
    list_display = ["number", "permit_type", "complete_on", "issued_on", "status", "unit"]
    list_filter = ["unit", "permit_type"]
    date_hierarchy = "issued_on"
    search_fields = ["number"]
    list_select_related = ["permit_type", "unit"]
    show_full_result_count = False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "started_on", "ended_on", "officer", "unit"]
    list_filter = ["unit", "kind"]
    date_hierarchy = "ended_on"
    search_fields = ["reference", "officer"]
    list_select_related = ["kind", "unit"]
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "imported_at",
        "unit",
        "log",
        "file_name",
        "imported_by",
        "rows",
        "created",
        "updated",
        "unchanged",
    ]
    list_filter = ["unit", "log"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["unit", "log", "columns", "updated_at"]


class _LinkAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit"]
    list_filter = ["unit"]
    kind = None
    choices_field = None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(kind=self.kind).select_related(
                "objective__section__manual__unit"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PermitIndicator)
class PermitIndicatorAdmin(_LinkAdmin):
    filter_horizontal = ["permit_types"]
    kind = Indicator.Kind.PERCENTAGE


@admin.register(TaskIndicator)
class TaskIndicatorAdmin(_LinkAdmin):
    filter_horizontal = ["task_kinds"]
    kind = Indicator.Kind.WORKING_DAYS
