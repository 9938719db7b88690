from django import forms
from django.utils.translation import gettext_lazy as _

from sasaran.forms import validate_evidence

TEXT_MAX_LENGTH = 4000


class ActionForm(forms.Form):
    cause_analysis = forms.CharField(
        label=_("Analisis penyebab"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan analisis penyebab.")},
    )
    action = forms.CharField(
        label=_("Tindakan korektif"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan tindakan korektifnya.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Penanggung jawab"),
        queryset=None,
        error_messages={
            "required": _("Pilih penanggung jawab."),
            "invalid_choice": _("Pilih penanggung jawab dari daftar."),
        },
    )
    due_date = forms.DateField(
        label=_("Batas waktu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Isi batas waktu."),
            "invalid": _("Tanggal tidak valid (format: TTTT-BB-HH)."),
        },
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class DoneForm(forms.Form):
    evidence_file = forms.FileField(
        label=_("Berkas bukti"),
        required=False,
        validators=[validate_evidence],
        help_text=_("PDF, PNG, JPG, XLSX atau XLS, paling besar 5 MB."),
    )
    evidence_link = forms.URLField(
        label=_("Tautan bukti"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Tautan tidak valid (contoh: https://…).")},
    )
    evidence_text = forms.CharField(
        label=_("Uraian bukti"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("evidence_file")
            or (data.get("evidence_link") or "").strip()
            or (data.get("evidence_text") or "").strip()
        ):
            raise forms.ValidationError(
                _("Lampirkan bukti penyelesaian: berkas, tautan, atau uraian.")
            )
        return data


class VerifyForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Hasil verifikasi"),
        choices=[("effective", _("Efektif")), ("not_effective", _("Tidak efektif"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih hasil verifikasi.")},
    )
    note = forms.CharField(
        label=_("Catatan verifikasi"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewNewForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Tahun"),
        coerce=int,
        error_messages={"invalid_choice": _("Pilih tahun dari daftar.")},
    )
    period = forms.ChoiceField(
        label=_("Periode"),
        choices=[("S1", _("Semester I")), ("S2", _("Semester II")), ("Y", _("Tahunan"))],
        error_messages={"invalid_choice": _("Pilih periode dari daftar.")},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class ReviewForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Tanggal rapat"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid (format: TTTT-BB-HH).")},
    )
    conclusions = forms.CharField(
        label=_("Kesimpulan"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decisions = forms.CharField(
        label=_("Keputusan dan tindak lanjut"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
