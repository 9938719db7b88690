"""The forms of the SOP pages: the identity of a draft (with its unit logo). The reason a
submission is returned is asked by `sasaran.forms.ReasonForm`, as for a realisation; the
step editor's forms are in `sop.editor`."""

from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from PIL import Image

from sasaran.forms import SIGNATURES

from .models import Sop

# The largest key a database row may have (PostgreSQL's bigint): a choice beyond it is no
# row, and must not reach the database (SQLite raises OverflowError, PostgreSQL DataError).
KEY_MAX = 2**63 - 1


def _is_key(value):
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= KEY_MAX


class RowChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers "not a choice" for a key no row can have."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_key(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that answers "not a choice" for a key no row can have."""

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            if not _is_key(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super()._check_values(value)


LOGO_EXTENSIONS = ["png", "jpg", "jpeg"]
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4000  # pixels; a header logo needs a few hundred
TEXT_MAX_LENGTH = 10_000


def validate_logo(upload):
    """A PNG or JPEG of at most 1 MB that is what its name says and that Pillow reads; it
    is stored as logo.png / logo.jpg, never under the name it was sent with."""
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in LOGO_EXTENSIONS:
        raise ValidationError(_("Logo harus berkas PNG atau JPG."))
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Logo terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": LOGO_MAX_BYTES // 1048576}
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s).") % {"ext": ext}
        )
    try:
        with Image.open(BytesIO(upload.read())) as image:
            width, height = image.size
            image.verify()
    except Exception as error:  # Pillow raises many kinds for a broken or hostile image
        raise ValidationError(_("Logo tidak dapat dibaca sebagai gambar.")) from error
    finally:
        upload.seek(0)
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            _("Logo terlalu besar (%(w)s × %(h)s piksel); paling besar %(max)s piksel per sisi.")
            % {"w": width, "h": height, "max": LOGO_MAX_SIDE}
        )
    upload.name = "logo.jpg" if ext == "jpeg" else f"logo.{ext}"


IDENTITY_FIELDS = [
    "header",
    "logo",
    "number",
    "name",
    "procedure_title",
    "created_on",
    "revised_on",
    "effective_on",
    "date_label",
    "approver_position",
    "approver_name",
    "approver_nip",
    "legal_basis",
    "qualifications",
    "related",
    "related_text",
    "equipment",
    "warning",
    "records",
    "note",
]
TEXTAREAS = [
    "header",
    "legal_basis",
    "qualifications",
    "related_text",
    "equipment",
    "warning",
    "records",
    "note",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SopIdentityForm(forms.ModelForm):
    """The identity part of a draft. With `units` (a new SOP), its unit is chosen among
    them; an existing SOP keeps its unit."""

    logo = forms.FileField(
        label=_("Logo unit"),
        required=False,
        # Rendered by the page itself (sop/edit.html): the stored logo is shown through the
        # SOP's own URL, files are not served from MEDIA_URL.
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
        validators=[validate_logo],
        help_text=_("Opsional: PNG atau JPG, paling besar 1 MB, dicetak di kepala dokumen."),
    )

    class Meta:
        model = Sop
        fields = IDENTITY_FIELDS
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 3}) for name in TEXTAREAS},
            "created_on": DATE,
            "revised_on": DATE,
            "effective_on": DATE,
            "related": forms.CheckboxSelectMultiple,
            "approver_position": forms.TextInput(attrs={"list": "jabatan-pengesah"}),
        }
        help_texts = {
            "effective_on": _(
                "Diisi tanggal pengesahan saat SOP disahkan; isi tanggal lebih kemudian bila "
                "SOP baru berlaku setelah disahkan."
            ),
            "approver_position": _(
                "Jabatan yang mengesahkan SOP ini; pemegang jabatan itu yang dapat "
                "mengesahkannya. Kosong: Kepala unit."
            ),
            "approver_name": _("Diisi nama pejabat yang mengesahkan saat SOP disahkan."),
        }

    def __init__(self, *args, units=None, related=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields = {
                "unit": RowChoiceField(
                    label=_("Unit"),
                    queryset=units,
                    empty_label=None,
                    error_messages={"invalid_choice": _("Pilih unit yang ada di daftar.")},
                ),
                **self.fields,
            }
        self.fields["related"] = RowsChoiceField(
            queryset=related if related is not None else Sop.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("Pilih SOP yang ada di daftar."),
                "invalid_pk_value": _("Pilih SOP yang ada di daftar."),
            },
        )
        self.fields["related"].label = _("Keterkaitan: SOP di aplikasi")
        self.fields["related"].help_text = _(
            "SOP di aplikasi yang terkait; SOP lain ditulis di kotak di bawahnya."
        )
        too_long = _("Teks terlalu panjang: paling banyak %(limit_value)d karakter.")
        for name in TEXTAREAS:
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH, too_long))
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX_LENGTH

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") if "unit" in self.fields else self.instance.unit
        number = cleaned.get("number")
        if unit is not None and number:
            taken = Sop.objects.filter(unit=unit, number=number, revision=self.instance.revision)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "number",
                    _("Nomor SOP ini sudah dipakai SOP lain unit ini (revisi %(n)s).")
                    % {"n": self.instance.revision},
                )
        return cleaned

    def _post_clean(self):
        if "unit" in self.fields and self.cleaned_data.get("unit") is not None:
            self.instance.unit = self.cleaned_data["unit"]
        super()._post_clean()

    def values(self):
        """{field: value} of the identity, for `services.sop_create` / `sop_edit`."""
        values = {
            name: getattr(self.instance, name)
            for name in IDENTITY_FIELDS
            if name != "related" and name in self.cleaned_data
        }
        return values
