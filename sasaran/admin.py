from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import numbers, periods, scoring, services
from .forms import validate_evidence, whole_number_message
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
from .periods import Period

admin.site.site_header = _("Sasaran Mutu — Administrasi")
admin.site.site_title = _("Sasaran Mutu")
admin.site.index_title = _("Administrasi")


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


class UnitAdminForm(forms.ModelForm):
    """The verifier position is one of the unit's own positions, not its head's (he would
    verify himself): the list offers only those, and a position from elsewhere is refused."""

    class Meta:
        model = Unit
        fields = "__all__"  # noqa: DJ007 (the admin decides what shows)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("verifier_position")
        if field is not None:
            field.queryset = Position.objects.filter(unit_id=self.instance.pk).exclude(
                level=Position.Level.HEAD
            )
            field.error_messages["invalid_choice"] = _(
                "Pilih salah satu jabatan unit ini sendiri, selain jabatan Kepala Unit."
            )
            # A position added from here could be another unit's: add it under Jabatan.
            field.widget.can_add_related = field.widget.can_change_related = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "parent", "verifier_position"]
    list_select_related = ["parent", "verifier_position__unit"]
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
    list_display = [
        "document_number",
        "title",
        "year_text",
        "unit",
        "effective_date",
        "revision",
    ]
    list_filter = ["year", "unit"]
    search_fields = ["document_number", "unit__name"]
    autocomplete_fields = ["unit", "signed_by"]
    list_select_related = ["unit"]
    inlines = [SectionInline]

    # A year is a name, not an amount: the admin would group its digits (2.023) in Indonesian.
    @admin.display(description=_("tahun"), ordering="year")
    def year_text(self, obj):
        return str(obj.year)

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


# How the period-fit message names each kind of period.
PERIOD_KIND_NAMES = {
    periods.MONTH: _("bulan (Januari-Desember)"),
    periods.QUARTER: _("TW 1-4"),
    periods.SEMESTER: _("Semester I-II"),
    periods.YEAR: _("Tahunan"),
}

BASIS_NEEDED = _(
    "Target periode ini sudah dilaporkan; isi alasan dan dasar revisi (nomor dan tanggal SK)."
)


class TargetForm(forms.ModelForm):
    """A target; changing one whose period is already reported asks for the reason and the
    legal basis of the change and goes through `services.target_revise`. The three fields
    start empty on every edit: each revision names its own basis."""

    reason = forms.CharField(
        label=_("Alasan revisi"),
        required=False,
        max_length=services.REVISION_REASON_MAX,
        validators=[services.printable_text],
        widget=forms.Textarea(attrs={"rows": 2, "cols": 16}),
        error_messages={
            "max_length": _("Alasan revisi paling banyak %(limit_value)d karakter."),
        },
        help_text=_("Hanya bila target periode yang sudah dilaporkan diubah."),
    )
    reference = forms.CharField(
        label=_("Nomor SK/dokumen dasar"),
        required=False,
        max_length=Target._meta.get_field("revision_reference").max_length,
        validators=[services.printable_text],
        widget=forms.TextInput(attrs={"size": 14}),
        error_messages={
            "max_length": _("Nomor SK/dokumen paling banyak %(limit_value)d karakter."),
        },
    )
    reference_date = forms.DateField(
        label=_("Tanggal SK/dokumen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak sah; contoh: 27/06/2023.")},
    )

    class Meta:
        model = Target
        fields = ["indicator", "period", "value", "upper"]
        # Narrower than the admin's default, so that the inline's row fits a laptop screen.
        widgets = {
            "value": forms.NumberInput(attrs={"class": "vBigIntegerField"}),
            "upper": forms.NumberInput(attrs={"class": "vBigIntegerField"}),
        }

    def clean(self):
        data = super().clean()
        indicator = self._indicator(data)
        if indicator is not None:
            self._check_period(indicator, data.get("period"))
            self._check_values(indicator, data)
        self.revision = False
        if not self.instance.pk or not {"value", "upper", "period", "indicator"} & set(
            self.changed_data
        ):
            return data
        if not services.target_needs_basis(self.instance):
            return data  # nothing reported yet: the target changes freely
        for name in ("indicator", "period"):
            if name in self.changed_data and name in self.fields:
                self.add_error(
                    name,
                    _("Target ini sudah dilaporkan; periode dan indikatornya tidak dapat diubah."),
                )
        self.revision = True
        missing = {
            "reason": BASIS_NEEDED,
            "reference": _("Isi nomor SK atau dokumen dasar revisi."),
            "reference_date": _("Isi tanggal SK atau dokumen dasar revisi."),
        }
        for name, message in missing.items():
            if name not in self.errors and not str(data.get(name) or "").strip():
                self.add_error(name, message)
        return data

    def _indicator(self, data):
        """The indicator the target belongs to: the one being edited around the inline (with
        the frequency and kind just chosen), else the one chosen or stored."""
        parent = getattr(self, "parent_indicator", None)
        if parent is not None:
            return parent
        if data.get("indicator") is not None:
            return data["indicator"]
        return self.instance.indicator if self.instance.indicator_id else None

    def _check_period(self, indicator, period):
        """A target is set for one of the indicator's own periods or a longer one (a monthly
        indicator's quarter, any indicator's year), never a shorter one: a yearly indicator
        has no figure of a month to hold against it."""
        if indicator.frequency not in periods.KIND_OF_FREQUENCY:
            return  # the indicator's own form reports a missing or unknown frequency
        own = indicator.period_kind
        if not period or not periods.longer(own, periods.kind(period)):
            return
        allowed = [PERIOD_KIND_NAMES[k] for k in periods.KINDS if not periods.longer(own, k)]
        self.add_error(
            "period",
            _(
                "Indikator ini diukur %(frequency)s: target %(period)s lebih pendek dari "
                "periode pengukurannya. Pilih salah satu: %(allowed)s."
            )
            % {
                "frequency": str(indicator.get_frequency_display()).lower(),
                "period": Period(period).label,
                "allowed": ", ".join(str(name) for name in allowed),
            },
        )

    def _check_values(self, indicator, data):
        """An index target is a band 1-4 or a value 25-100 (`scoring.index_target`; 0 where
        nothing is due), never a range; a count's target is a whole number."""
        value, upper = data.get("value"), data.get("upper")
        if indicator.kind == Indicator.Kind.INDEX:
            if value is not None and value != 0:
                try:
                    scoring.index_target(value)
                except ValueError:
                    self.add_error(
                        "value",
                        _(
                            "Target indeks ditulis sebagai pita 1-4 (mis. 4 = A) atau nilai "
                            "25-100 (mis. 84); %(value)s bukan keduanya."
                        )
                        % {"value": _plain(value)},
                    )
            if upper is not None:
                self.add_error("upper", _("Target indeks tidak berupa rentang: kosongkan."))
        elif indicator.whole_numbers:
            for name, number in (("value", value), ("upper", upper)):
                if number is None:
                    continue
                try:
                    scoring.check_whole(number)
                except ValueError:
                    self.add_error(name, whole_number_message(indicator, _plain(number)))

    def revise(self, user):
        """Save the change as a revision with its basis (only when `self.revision`)."""
        data = self.cleaned_data
        self.instance = services.target_revise(
            target=self.instance,
            value=data["value"],
            upper=data.get("upper"),
            reason=data["reason"],
            reference=data["reference"],
            reference_date=data["reference_date"],
            user=user,
        )
        return self.instance

    def save(self, commit=True):
        if commit and getattr(self, "revision", False):
            return self.revise(getattr(self, "user", None))
        return super().save(commit)


class TargetFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The indicator as the form above the inline now has it (a frequency or kind just
        # changed counts), for the target's checks.
        form.parent_indicator = self.instance
        return form

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and services.target_needs_basis(form.instance):
                raise forms.ValidationError(
                    _(
                        "Target %(period)s sudah dilaporkan dan tidak dapat dihapus; ubah "
                        "nilainya dengan alasan dan dasar revisi."
                    )
                    % {"period": form.instance.get_period_display()}
                )


def _plain(value):
    """A Decimal without trailing zeros, in Indonesian notation: 87,5 not 87.5000."""
    value = value.normalize()
    return numbers.format_id_number(value, max(0, -value.as_tuple().exponent))


def revision_text(target):
    """The latest revision of a target, in short, for the admin's lists and forms (the
    reason is in the history and on the indicator page)."""
    if not target.pk or target.revised_at is None:
        return "—"
    return _("semula %(value)s; %(reference)s, %(date)s") % {
        "value": _plain(target.original_value),
        "reference": target.revision_reference,
        "date": formats.date_format(target.revision_date, "j M Y"),
    }


class TargetInline(admin.TabularInline):
    model = Target
    form = TargetForm
    formset = TargetFormSet
    extra = 0
    max_num = len(Period)  # twelve months, four quarters, two semesters and the year
    fields = ["period", "value", "upper", "revision", "reason", "reference", "reference_date"]
    readonly_fields = ["revision"]

    @admin.display(description=_("revisi terakhir"))
    def revision(self, obj):
        return revision_text(obj)


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
        return obj.objective.section.title

    @admin.display(description=_("tahun"), ordering="objective__section__manual__year")
    def year(self, obj):
        return str(obj.objective.section.manual.year)

    def save_formset(self, request, form, formset, change):
        for target_form in formset.forms:
            target_form.user = request.user  # who revised, for `services.target_revise`
        super().save_formset(request, form, formset, change)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = TargetForm
    list_display = ["indicator", "period", "value", "upper", "revision"]
    list_filter = ["period", "indicator__objective__section__manual__year"]
    search_fields = ["indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator"]
    fields = [
        "indicator",
        "period",
        "value",
        "upper",
        "revision",
        "reason",
        "reference",
        "reference_date",
    ]
    readonly_fields = ["revision"]

    @admin.display(description=_("revisi terakhir"))
    def revision(self, obj):
        return revision_text(obj)

    def save_model(self, request, obj, form, change):
        if form.revision:
            form.revise(request.user)
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A reported target is revised with its basis, never deleted.
        if obj is not None and services.target_needs_basis(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete reported targets unasked
        return actions


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
    list_display = ["unit", "year_text", "quarter", "fmt", "status", "progress", "requested_by"]
    list_filter = ["status", "fmt"]
    list_select_related = ["unit", "requested_by"]
    search_fields = ["unit__name"]
    readonly_fields = ["created_at", "finished_at", "error"]

    @admin.display(description=_("tahun"), ordering="year")
    def year_text(self, obj):
        return str(obj.year)  # 2023, not 2.023
