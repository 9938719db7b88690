from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import numbers, periods, scoring
from .models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, Indicator, QualityManual

# The first bytes of each accepted evidence type: a file must be what its name says.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "xlsx": [b"PK\x03\x04"],
    "xls": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
}


def whole_number_message(indicator, shown):
    """What a form says of a fraction where `indicator` counts whole things (the rule is
    `scoring.check_whole`): the entry form and the admin's target form say it alike.
    `shown` is the number as the form shows it."""
    return _(
        "Indikator ini dihitung dalam jumlah (%(unit)s): isikan bilangan bulat, bukan %(value)s."
    ) % {"unit": indicator.unit_of_measure or _("satuan utuh"), "value": shown}


def validate_evidence(upload):
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(e.upper() for e in EVIDENCE_EXTENSIONS)
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("Jenis berkas tidak diizinkan. Unggah %(allowed)s.") % {"allowed": allowed}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": EVIDENCE_MAX_BYTES // 1048576}
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s).") % {"ext": ext}
        )
    upload.name = name


class IndonesianNumberField(forms.CharField):
    """A number typed the office's way: 87,28 · 1.234,5 · 3,721 T."""

    def __init__(self, *, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def prepare_value(self, value):
        # Shown back the way it is typed here (always Indonesian notation, as the office
        # writes it), without trailing zeros: 87,28 not 87.2800.
        if isinstance(value, Decimal):
            value = value.normalize()
            return numbers.format_id_number(value, max(0, -value.as_tuple().exponent))
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = numbers.parse_id_number(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if number < 0 and not self.allow_negative:
            raise ValidationError(_("Nilai tidak boleh negatif."))
        return number


class RealisationForm(forms.Form):
    value = IndonesianNumberField(label=_("Realisasi"))
    scale = forms.ChoiceField(
        label=_("Skala nilai"),
        choices=[
            ("konversi", _("Nilai konversi (25–100)")),
            ("interval", _("Nilai interval (1–4)")),
        ],
        required=False,
        initial="konversi",
    )
    numerator = IndonesianNumberField(label=_("Pembilang"))
    denominator = IndonesianNumberField(label=_("Penyebut"))
    note = forms.CharField(
        label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    cause_analysis = forms.CharField(
        label=_("Analisis penyebab (jika target tidak tercapai)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    follow_up = forms.CharField(
        label=_("Tindak lanjut (jika target tidak tercapai)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    evidence = forms.FileField(
        label=_("Bukti dukung"),
        required=False,
        validators=[validate_evidence],
        help_text=_("PDF, gambar (PNG/JPG) atau Excel; paling besar 5 MB."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator, linked=None, **kwargs):
        """`linked`: a `sources.LinkedValue` when another app gives this indicator's value
        of the period (the SKM's IKM, a konversi Decimal or None while it has no
        respondents); the value is then not typed."""
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.linked = linked
        survey = linked.source if linked else None
        self.survey = survey
        self.survey_value = linked.value if linked else None
        if self.uses_fraction:
            del self.fields["value"]
            self.fields["numerator"].label = indicator.numerator_label or _("Pembilang")
            self.fields["denominator"].label = indicator.denominator_label or _("Penyebut")
        else:
            del self.fields["numerator"], self.fields["denominator"]
            if indicator.unit_of_measure:
                self.fields["value"].label = _("Realisasi (%(unit)s)") % {
                    "unit": indicator.unit_of_measure
                }
        if indicator.kind != Indicator.Kind.INDEX:
            del self.fields["scale"]
        if indicator.kind == Indicator.Kind.MONEY:
            self.fields["value"].help_text = _("Dalam rupiah, atau dengan akhiran T/M: 3,721 T.")
        if indicator.whole_numbers and "value" in self.fields:
            self.fields["value"].widget.attrs["inputmode"] = "numeric"
            self.fields["value"].help_text = _("Bilangan bulat, mis. 1.234.")
        if survey is not None and "value" in self.fields:
            self.fields.pop("scale", None)
            self.fields["value"].widget.attrs.update(
                {"readonly": True, "class": "bg-body-secondary"}
            )
            if linked.origin:
                self.fields["value"].help_text = _(
                    "%(what)s dari %(source)s; tidak diketik. Keterangan, analisis dan tindak "
                    "lanjut tetap dapat diisi."
                ) % {"what": linked.value_name, "source": survey}
            else:
                self.fields["value"].help_text = _(
                    "Nilai IKM (konversi 25–100) dari %(survey)s; tidak diketik. Keterangan, "
                    "analisis dan tindak lanjut tetap dapat diisi."
                ) % {"survey": survey}
            self.initial["value"] = self.survey_value
        if survey is not None and self.uses_fraction:
            # A share counted by another app (permits on time of all issued): its parts.
            for name in ("numerator", "denominator"):
                self.fields[name].widget.attrs.update(
                    {"readonly": True, "class": "bg-body-secondary"}
                )
                self.initial[name] = getattr(linked, name)
            self.fields["denominator"].help_text = _(
                "Dihitung dari %(source)s; tidak diketik. Keterangan, analisis dan tindak "
                "lanjut tetap dapat diisi."
            ) % {"source": survey}

    @property
    def uses_fraction(self):
        return self.indicator.kind == Indicator.Kind.PERCENTAGE and bool(
            self.indicator.denominator_label
        )

    def clean(self):
        data = super().clean()
        if "version" in self.errors:
            # The version is a hidden field that no one types: an error on it is shown
            # above the form instead, where the user sees it.
            del self.errors["version"]
            self.add_error(
                None,
                _("Formulir ini tidak sah atau kedaluwarsa; muat ulang halaman lalu isi kembali."),
            )
        if self.survey is not None and not self.uses_fraction:
            self._check_survey_value(data.get("value"))
        elif self.uses_fraction:
            if self.survey is not None:
                self._check_linked_parts(data)
            data["value"] = self._fraction(data.get("numerator"), data.get("denominator"))
        elif self.indicator.kind == Indicator.Kind.INDEX and data.get("value") is not None:
            data["value"] = self._konversi(data["value"], data.get("scale") or "konversi")
        elif self.indicator.whole_numbers and data.get("value") is not None:
            try:
                scoring.check_whole(data["value"])
            except ValueError:  # 1.234,5 kendaraan: a count has no fractions
                shown = self.fields["value"].prepare_value(data["value"])
                self.add_error("value", whole_number_message(self.indicator, shown))
        value, limit = data.get("value"), self.indicator.max_value
        if value is not None and limit is not None and value > limit:
            field = "numerator" if self.uses_fraction else "value"
            self.add_error(
                field,
                _("Nilai tidak mungkin melebihi %(max)s.")
                % {"max": numbers.format_id_number(limit, 0)},
            )
        return data

    def _check_survey_value(self, value):
        """A linked indicator takes the survey's IKM as it is: nothing else may be typed."""
        if value == self.survey_value or "value" in self.errors:
            return
        if self.survey_value is None and self.linked.origin:
            message = _(
                "Nilai indikator ini diambil dari %(source)s, yang belum memiliki data: "
                "kosongkan isian realisasi."
            ) % {"source": self.survey}
        elif self.survey_value is None:
            message = _(
                "Nilai indikator ini diambil dari %(survey)s, yang belum memiliki responden: "
                "kosongkan isian realisasi."
            ) % {"survey": self.survey}
        elif self.linked.origin:
            message = _(
                "Nilai indikator ini diambil dari %(source)s: %(what)s %(value)s. Nilai lain "
                "tidak dapat diketik; %(hint)s."
            ) % {
                "source": self.survey,
                "what": self.linked.value_name,
                "value": numbers.format_id_number(self.survey_value, 2),
                "hint": self.linked.resend_hint,
            }
        else:
            message = _(
                "Nilai indikator ini diambil dari %(survey)s: IKM %(ikm)s. Nilai lain tidak "
                "dapat diketik; ubah data survei lalu kirim ulang IKM dari halaman hasil survei."
            ) % {"survey": self.survey, "ikm": numbers.format_id_number(self.survey_value, 2)}
        self.add_error("value", message)

    def _check_linked_parts(self, data):
        """A linked share takes the counted numerator and denominator as they are."""
        linked = self.linked
        typed = (data.get("numerator"), data.get("denominator"))
        if typed == (linked.numerator, linked.denominator):
            return
        if {"numerator", "denominator"} & set(self.errors):
            return
        if linked.denominator is None:
            message = _(
                "Nilai indikator ini dihitung dari %(source)s, yang belum memiliki data: "
                "kosongkan pembilang dan penyebut."
            ) % {"source": self.survey}
        else:
            message = _(
                "Nilai indikator ini dihitung dari %(source)s: %(numerator)s dari "
                "%(denominator)s. Nilai lain tidak dapat diketik; %(hint)s."
            ) % {
                "source": self.survey,
                "numerator": numbers.format_id_number(linked.numerator, 0),
                "denominator": numbers.format_id_number(linked.denominator, 0),
                "hint": linked.resend_hint,
            }
        self.add_error("numerator", message)

    def _fraction(self, numerator, denominator):
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            field = "numerator" if numerator is None else "denominator"
            self.add_error(field, _("Isi pembilang dan penyebut."))
            return None
        if denominator == 0:
            self.add_error("denominator", _("Penyebut tidak boleh nol."))
            return None
        if self.indicator.max_value == 100 and numerator > denominator:
            self.add_error("numerator", _("Pembilang tidak boleh lebih besar dari penyebut."))
            return None
        return (numerator / denominator * 100).quantize(Decimal("0.0001"))

    def _konversi(self, value, scale):
        try:
            return scoring.to_konversi(value, scale)
        except ValueError:
            bounds = "25–100" if scale == "konversi" else "1–4"
            self.add_error(
                "value", _("Nilai indeks harus di antara %(bounds)s.") % {"bounds": bounds}
            )
            return None


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone tries to log
    in with it: Django leaves that to the database, where the login-failure log (255
    characters) refuses a longer name with a server error."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise forms.ValidationError(
                _("Nama pengguna terlalu panjang: paling banyak %(limit)d karakter.")
                % {"limit": limit}
            )
        return username


REASON_MAX_LENGTH = 2000
# A refused reason waits in the session for the page the reviewer comes back to, which shows
# it again with its message (`ReasonForm.again`).
REASON_DRAFT = "reason_draft"


class ReasonForm(forms.Form):
    """The reason a reviewer gives for returning or reopening a realisation; it is kept in
    the realisation and, with its label, in the history (a text column of any length)."""

    reason = forms.CharField(
        label=_("Alasan"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Alasan wajib diisi."),
            "max_length": _(
                "Alasan terlalu panjang: paling banyak %(limit_value)d karakter "
                "(sekarang %(show_value)d)."
            ),
            "null_characters_not_allowed": _("Alasan berisi karakter yang tidak sah."),
        },
    )

    @classmethod
    def keep_refused(cls, request, realisation, form):
        """Remember a refused reason for the next page (without NULs, at a bounded length)."""
        typed = form.data.get("reason", "").replace("\x00", "")[: 2 * REASON_MAX_LENGTH]
        request.session[REASON_DRAFT] = {"pk": realisation.pk, "reason": typed}

    @classmethod
    def again(cls, request, realisation):
        """The reason form for `realisation`'s page: the refused reason with its message when
        the reviewer comes back from one, else empty."""
        draft = request.session.pop(REASON_DRAFT, None)
        if realisation is None or not draft or draft.get("pk") != realisation.pk:
            return cls()
        form = cls(data={"reason": draft.get("reason", "")})
        form.is_valid()  # shows the message at the field
        return form


class NewYearForm(forms.Form):
    """Confirm a year copy: the new document's identity, the targets, and which texts that
    name the old year get the new one (one checkbox per text, `services.manual_year_texts`).
    """

    dari = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    document_number = forms.CharField(
        label=_("Nomor dokumen"),
        max_length=QualityManual._meta.get_field("document_number").max_length,
    )
    effective_date = forms.DateField(
        label=_("Tanggal berlaku"), widget=forms.DateInput(attrs={"type": "date"})
    )
    revision = forms.IntegerField(label=_("Revisi"), min_value=0, max_value=999)
    target = forms.ChoiceField(
        label=_("Target"),
        choices=[("salin", _("Salin target tahun ini")), ("kosong", _("Kosongkan target"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, source, changes, **kwargs):
        self.year = source.year + 1
        kwargs["initial"] = {
            "dari": source.year,
            "document_number": source.document_number,
            "effective_date": periods.same_date_in(source.effective_date, self.year),
            "revision": source.revision,
            "target": "salin",
        }
        super().__init__(*args, **kwargs)
        self.changes = changes
        for change in changes:
            self.fields[f"ganti:{change.key}"] = forms.BooleanField(
                label=change.field, required=False, initial=True
            )

    def change_rows(self):
        """Each text change with its checkbox, for the preview table."""
        return [(change, self[f"ganti:{change.key}"]) for change in self.changes]

    def clean_effective_date(self):
        date = self.cleaned_data["effective_date"]
        if date.year != self.year:
            raise ValidationError(
                _("Tanggal berlaku harus dalam tahun %(year)s.") % {"year": self.year}
            )
        return date

    def replace_year_in(self):
        return [c.key for c in self.changes if self.cleaned_data.get(f"ganti:{c.key}")]
