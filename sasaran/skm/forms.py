"""Forms of the satisfaction survey: the staff's entry grid (one row per paper
questionnaire) and the public questionnaire (one tap per answer)."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from sasaran.services import printable_text

from .ikm import ANSWER_VALUES
from .import_xlsx import MAX_BYTES
from .models import KioskDevice, Response
from .services import FEEDBACK_FIELDS, SUGGESTION_MAX_LENGTH

PROFILE_FIELDS = ["sex", "age_group", "education", "occupation"]


def answer_field_name(unsur):
    return f"u_{unsur.pk}"


def _profile_choices(name):
    return list(Response._meta.get_field(name).choices)


class AnswerField(forms.CharField):
    """One answer typed as a digit 1-4, or left empty (unanswered)."""

    def __init__(self, *, code, **kwargs):
        self.code = code
        super().__init__(required=False, strip=True, **kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "inputmode": "numeric",
            "maxlength": "1",
            "autocomplete": "off",
            "pattern": "[1-4]",
            "class": "form-control form-control-sm jawaban text-center",
            "aria-label": self.code,
        }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if value not in {str(v) for v in ANSWER_VALUES}:
            raise forms.ValidationError(
                _("%(code)s: jawaban harus 1, 2, 3 atau 4 (diterima “%(value)s”).")
                % {"code": self.code, "value": value}
            )
        return int(value)


class EntryRowForm(forms.Form):
    """One paper questionnaire: service, profile, date and one answer per unsur."""

    service = forms.ModelChoiceField(queryset=None, label=_("Jenis layanan"), empty_label=None)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), required=False)
    age_group = forms.ChoiceField(label=_("Usia"), required=False)
    education = forms.ChoiceField(label=_("Pendidikan"), required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), required=False)
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Tanggal wajib diisi."), "invalid": _("Tanggal tidak sah.")},
    )

    def __init__(self, *args, services, unsur, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsur = unsur
        self.fields["service"].queryset = services
        for name in PROFILE_FIELDS:
            self.fields[name].choices = [("", "—"), *_profile_choices(name)]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["date"].widget.attrs["class"] = "form-control form-control-sm"
        for item in unsur:
            self.fields[answer_field_name(item)] = AnswerField(code=item.code, label=item.code)
        # The grid labels its columns only in the header row: each cell gets a name of its own
        # for screen readers, its column and its row ("Usia, baris 3"; "U1 Persyaratan, baris 3").
        names = {name: field.label for name, field in self.fields.items()}
        names.update({answer_field_name(u): f"{u.code} {u.name}" for u in unsur})
        for name, label in names.items():
            if number is not None:
                label = _("%(label)s, baris %(row)s") % {"label": label, "row": number}
            self.fields[name].widget.attrs["aria-label"] = label

    def has_changed(self):
        """A row counts as filled in only when an answer or a profile item is typed:
        the service and the date carry defaults."""
        return any(
            self.data.get(self.add_prefix(name), "").strip()
            for name in PROFILE_FIELDS + [answer_field_name(u) for u in self.unsur]
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not any(v is not None for v in self.answers().values()):
            raise forms.ValidationError(_("Isi minimal satu jawaban."))
        return data

    def answer_fields(self):
        return [self[answer_field_name(u)] for u in self.unsur]

    def answers(self):
        return {u.pk: self.cleaned_data.get(answer_field_name(u)) for u in self.unsur}

    def row(self, number):
        return {
            "number": number,
            "service": self.cleaned_data["service"],
            "date": self.cleaned_data["date"],
            "answers": self.answers(),
            **{name: self.cleaned_data.get(name, "") for name in PROFILE_FIELDS},
        }


class EntryGridFormSet(forms.BaseFormSet):
    """The rows of the entry grid, each told its number (for its cells' accessible names)."""

    def get_form_kwargs(self, index):
        number = None if index is None else index + 1
        return {**super().get_form_kwargs(index), "number": number}


EntryFormSet = formset_factory(EntryRowForm, extra=0, max_num=200, absolute_max=200)


# Radio buttons, drawn as large buttons by the template skm/_big_radio.html.
BigRadioSelect = forms.RadioSelect


def free_text(label, max_length, *, textarea=False, **attrs):
    """An optional text a user types: stripped, at most `max_length` characters, no NUL or
    other control character (the documents print it), each refusal said in Indonesian."""
    widget = forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput()
    widget.attrs.update({"class": "form-control", **attrs})
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=widget,
        validators=[printable_text],
        error_messages={
            "max_length": _("Paling banyak %(limit_value)d karakter (saat ini %(show_value)d)."),
            "null_characters_not_allowed": _("Teks tidak boleh berisi karakter NUL."),
        },
    )


def feedback_fields():
    """The optional part of the public questionnaire: a suggestion or complaint, and a name
    and contact for a reply (anonymous unless filled in)."""
    return {
        "suggestion": free_text(_("Saran atau pengaduan"), SUGGESTION_MAX_LENGTH, textarea=True),
        "respondent_name": free_text(
            _("Nama"),
            Response._meta.get_field("respondent_name").max_length,
            autocomplete="name",
        ),
        "respondent_contact": free_text(
            _("Nomor telepon atau e-mail"),
            Response._meta.get_field("respondent_contact").max_length,
            autocomplete="off",
        ),
    }


class PublicSurveyForm(forms.Form):
    """The questionnaire a service user fills in on a tablet or phone."""

    sex = forms.ChoiceField(label=_("Jenis kelamin"), widget=BigRadioSelect)
    age_group = forms.ChoiceField(label=_("Usia"), widget=BigRadioSelect)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), widget=BigRadioSelect)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), widget=BigRadioSelect)

    def __init__(self, *args, unsur, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsur = unsur
        for name in PROFILE_FIELDS:
            self.fields[name].choices = _profile_choices(name)
            self.fields[name].error_messages["required"] = _("Silakan pilih salah satu.")
        for item in unsur:
            self.fields[answer_field_name(item)] = forms.TypedChoiceField(
                label=item.question,
                choices=[(v, label) for v, label in zip(ANSWER_VALUES, item.labels, strict=True)],
                coerce=int,
                widget=BigRadioSelect,
                error_messages={
                    "required": _("Silakan pilih salah satu jawaban."),
                    "invalid_choice": _("Pilihan tidak sah."),
                },
            )

        for name, field in feedback_fields().items():
            self.fields[name] = field

    def profile_fields(self):
        return [self[name] for name in PROFILE_FIELDS]

    def identity_fields(self):
        return [self["respondent_name"], self["respondent_contact"]]

    def only_feedback_errors(self):
        """Whether every question is answered and only the optional part needs a fix."""
        return set(self.errors) <= set(FEEDBACK_FIELDS)

    def feedback(self):
        return {name: self.cleaned_data[name] for name in FEEDBACK_FIELDS}

    def question_fields(self):
        return [(u, self[answer_field_name(u)]) for u in self.unsur]

    def profile(self):
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def answers(self):
        return {u.pk: self.cleaned_data[answer_field_name(u)] for u in self.unsur}


class ImportForm(forms.Form):
    """A recap workbook of paper questionnaires, and the date for rows without one."""

    file = forms.FileField(
        label=_("Berkas rekap (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    default_date = forms.DateField(
        label=_("Tanggal untuk baris tanpa tanggal"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def clean_file(self):
        # Checked here as well as by the import: a file refused while uploading (mutu/uploads.py)
        # arrives empty, and only its size says why.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar; batasnya 5 MB."))
        return upload


class SuggestionResponseForm(forms.Form):
    """Staff's follow-up of one suggestion: its status and the response written to it."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=Response.SuggestionStatus.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": _("Status tidak dikenal.")},
    )
    text = free_text(_("Tanggapan"), SUGGESTION_MAX_LENGTH, textarea=True, rows=3)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial",
                {"status": item.suggestion_status or "baru", "text": item.suggestion_response},
            )
            # One form per suggestion on the page: ids of their own.
            kwargs.setdefault("auto_id", f"id_saran{item.pk}_%s")
        super().__init__(*args, **kwargs)


class SuggestionFilterForm(forms.Form):
    """The status a list of suggestions is narrowed to (empty: all)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *Response.SuggestionStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class KioskForm(forms.Form):
    """The name staff give the counter tablet they register as a kiosk."""

    name = free_text(
        _("Nama perangkat"),
        KioskDevice._meta.get_field("name").max_length,
        placeholder=_("mis. Tablet loket 1"),
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError(_("Beri nama perangkat ini, mis. Tablet loket 1."))
        return name
