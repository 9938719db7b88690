"""Forms of the permit pages: the log upload, the column mapping, and the unit's settings
(cuti bersama, permit types with their standards, task kinds with their limits)."""

from django import forms
from django.conf import settings
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from sasaran.services import printable_text

from . import imports
from .models import PermitType, TaskKind

TEXT_ERRORS = {
    "max_length": _("Paling banyak %(limit_value)d karakter (saat ini %(show_value)d)."),
    "null_characters_not_allowed": _("Teks tidak boleh berisi karakter NUL."),
    "required": _("Wajib diisi."),
}


def upload_limit():
    return settings.FILE_UPLOAD_MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas log (.csv atau .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
        error_messages={"required": _("Pilih berkas yang akan diimpor.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # A file refused while uploading (mutu/uploads.py) arrives empty with its size.
        if upload.size > upload_limit():
            raise forms.ValidationError(
                _(
                    "Berkas terlalu besar; batasnya %(limit)s MB. Bagi log per periode, atau "
                    "impor dengan perintah manage.py import_permit_log."
                )
                % {"limit": upload_limit() // (1024 * 1024)}
            )
        name = (upload.name or "").lower()
        if not name.endswith(tuple(f".{ext}" for ext in imports.EXTENSIONS)):
            raise forms.ValidationError(_("Unggah berkas .csv atau .xlsx."))
        return upload


class MappingForm(forms.Form):
    """Which column holds each field of the log: one choice per field among the file's
    headings; a required field must be chosen, and no column twice."""

    def __init__(self, *args, log, headers, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log
        choices = [("", _("— tidak ada —"))] + [(h, h) for h in headers]
        for item in imports.FIELDS[log]:
            self.fields[item.name] = forms.ChoiceField(
                label=item.label,
                choices=choices,
                required=item.required,
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={
                    "required": _("Pilih kolom yang berisi %(field)s.") % {"field": item.label},
                    "invalid_choice": _("Kolom itu tidak ada di berkas."),
                },
            )

    def clean(self):
        data = super().clean()
        used = {}
        for item in imports.FIELDS[self.log]:
            heading = data.get(item.name)
            if not heading:
                continue
            if heading in used:
                self.add_error(
                    item.name,
                    _("Kolom “%(heading)s” sudah dipakai untuk %(other)s.")
                    % {"heading": heading, "other": used[heading]},
                )
            used[heading] = item.label
        return data

    def mapping(self):
        return {name: value for name, value in self.cleaned_data.items() if value}


class CalendarForm(forms.Form):
    cuti_bersama_off = forms.BooleanField(
        label=_("Cuti bersama bukan hari kerja"),
        required=False,
        help_text=_(
            "Dicentang: hari cuti bersama tidak dihitung sebagai hari kerja (bawaan). Hapus "
            "centang bila loket unit tetap melayani pada hari cuti bersama."
        ),
    )


class _UnitFormSet(BaseModelFormSet):
    """The unit's rows; a code may be given once per unit (the model's constraint names the
    unit, which is no field of the form)."""

    def __init__(self, *args, unit, **kwargs):
        self.unit = unit
        kwargs.setdefault("queryset", self.model.objects.filter(unit=unit).order_by("name"))
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        codes = {}
        for form in self.forms:
            code = (form.cleaned_data or {}).get("code")
            if not code:
                continue
            key = " ".join(code.split()).lower()
            if key in codes:
                form.add_error("code", _("Kode ini sudah dipakai di baris lain."))
            codes[key] = form
        others = self.model.objects.filter(unit=self.unit).exclude(
            pk__in=[f.instance.pk for f in self.forms if f.instance.pk]
        )
        for row in others:
            key = " ".join(row.code.split()).lower()
            if key in codes:
                codes[key].add_error("code", _("Kode ini sudah dipakai."))

    def save_all(self):
        saved = []
        for form in self.forms:
            if not form.has_changed():
                continue
            row = form.save(commit=False)
            row.unit = self.unit
            row.save()
            saved.append(row)
        return saved


def _first_upper(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def _text_field(model, name):
    field = model._meta.get_field(name)
    return forms.CharField(
        label=_first_upper(field.verbose_name),
        max_length=field.max_length,
        required=not field.blank,
        validators=[printable_text],
        error_messages=TEXT_ERRORS,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


def _days_field(model, name):
    field = model._meta.get_field(name)
    return forms.IntegerField(
        label=_first_upper(field.verbose_name),
        min_value=0,
        max_value=365,
        error_messages={
            "required": _("Wajib diisi."),
            "invalid": _("Isi bilangan bulat hari kerja, mis. 5."),
            "min_value": _("Tidak boleh kurang dari 0."),
            "max_value": _("Paling banyak 365 hari kerja."),
        },
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
    )


class PermitTypeForm(forms.ModelForm):
    class Meta:
        model = PermitType
        fields = ["code", "name", "standard_days", "sop_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "name", "sop_reference"):
            self.fields[name] = _text_field(PermitType, name)
        self.fields["standard_days"] = _days_field(PermitType, "standard_days")


class TaskKindForm(forms.ModelForm):
    class Meta:
        model = TaskKind
        fields = ["code", "name", "limit_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "name"):
            self.fields[name] = _text_field(TaskKind, name)
        self.fields["limit_days"] = _days_field(TaskKind, "limit_days")


PermitTypeFormSet = modelformset_factory(
    PermitType, form=PermitTypeForm, formset=_UnitFormSet, extra=1, max_num=500, absolute_max=500
)
TaskKindFormSet = modelformset_factory(
    TaskKind, form=TaskKindForm, formset=_UnitFormSet, extra=1, max_num=200, absolute_max=200
)
