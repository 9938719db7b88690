"""Pages of the permit logs: timeliness per unit and period, staff service levels, the log
import (upload, column mapping, preview, save), the unit's settings, and "Kirim ke
indikator". Every view fetches its unit through `access` (404 outside the user's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran import numbers, periods, queries
from sasaran.periods import Period

from . import access, calendars, imports, services
from .forms import CalendarForm, MappingForm, PermitTypeFormSet, TaskKindFormSet, UploadForm
from .models import ImportRun, Permit, PermitIndicator, Task, TaskIndicator, UnitCalendar

LATE_PAGE_SIZE = 50
LOGS = {"izin": ImportRun.Log.PERMITS, "tugas": ImportRun.Log.TASKS}
PENDING = "perizinan_import_pending"

PERIOD_GROUPS = [
    (periods.MONTH, _("Bulan")),
    (periods.QUARTER, _("Triwulan")),
    (periods.SEMESTER, _("Semester")),
    (periods.YEAR, _("Tahun")),
]


@login_required
def permit_home(request):
    units = list(access.visible_units(request.user))
    if len(units) == 1:
        return redirect("permit_unit", code=units[0].code)
    return render(request, "perizinan/home.html", {"units": units})


def _years(unit, model, field):
    years = set(queries.manual_years([unit]))
    years |= {d.year for d in model.objects.filter(unit=unit).dates(field, "year")}
    return sorted(years, reverse=True) or [periods.today().year]


def _year_and_period(request, years):
    year = periods.selected_year(request, years) or periods.today().year
    period = request.GET.get("periode", "")
    if period not in Period.values:
        today = periods.today()
        period = (
            periods.quarter_code(periods.period_quarter(periods.MONTHS[today.month - 1]))
            if year == today.year
            else Period.YEAR
        )
    return year, Period(period)


def _picker_context(years, year, period):
    return {
        "years": years,
        "year": year,
        "period": period,
        "period_label": services.period_label(year, period),
        "period_groups": [
            (label, [(p, Period(p).label) for p in periods.PERIODS_OF_KIND[kind]])
            for kind, label in PERIOD_GROUPS
        ],
    }


def _page(request, items):
    return Paginator(items, LATE_PAGE_SIZE).get_page(request.GET.get("halaman"))


def _common(request, unit, may_import):
    return {
        "unit": unit,
        "may_import": may_import,
        "may_manage": access.may_manage(request.user, unit),
        "cuti_bersama_off": calendars.cuti_bersama_off(unit),
    }


@login_required
def permit_unit(request, code):
    unit, may_import = access.get_unit(request.user, code)
    years = _years(unit, Permit, "issued_on")
    year, period = _year_and_period(request, years)
    result = services.timeliness(unit, year, period)
    context = {
        **_common(request, unit, may_import),
        **_picker_context(years, year, period),
        "result": result,
        "late_page": _page(request, result.late),
        "feeds": services.link_rows(
            request.user, unit, period, services.permit_links(unit), "izin"
        ),
        "last_import": services.last_import(unit, ImportRun.Log.PERMITS),
        "has_types": unit.permit_types.exists(),
    }
    return render(request, "perizinan/unit.html", context)


@login_required
def permit_tasks(request, code):
    unit, may_import = access.get_unit(request.user, code)
    years = _years(unit, Task, "ended_on")
    year, period = _year_and_period(request, years)
    result = services.service_levels(unit, year, period)
    context = {
        **_common(request, unit, may_import),
        **_picker_context(years, year, period),
        "result": result,
        "over_page": _page(request, result.over),
        "feeds": services.link_rows(request.user, unit, period, services.task_links(unit), "tugas"),
        "last_import": services.last_import(unit, ImportRun.Log.TASKS),
        "has_kinds": unit.task_kinds.exists(),
    }
    return render(request, "perizinan/tasks.html", context)


# --------------------------------------------------------------------------- feeding


@login_required
@require_POST
def permit_feed(request, code):
    """Kirim ke indikator: the figures of one linked indicator's period become its
    realisation (a draft the officer checks and submits)."""
    unit, _may_import = access.get_unit(request.user, code)
    kind = request.POST.get("jenis", "")
    raw = request.POST.get("tautan", "")
    period = request.POST.get("periode", "")
    if kind not in LOGS or not raw.isdigit() or period not in Period.values:
        raise Http404
    model = PermitIndicator if kind == "izin" else TaskIndicator
    link = get_object_or_404(
        model.objects.select_related("indicator__objective__section__manual", "unit"),
        pk=int(raw),
        unit=unit,
    )
    if not access.may_feed(request.user, link):
        raise Http404
    if period not in link.indicator.due_periods():
        raise Http404
    feed = services.feed_permit_indicator if kind == "izin" else services.feed_task_indicator
    try:
        row = feed(link=link, period=period, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(value)s dikirim ke %(indicator)s, %(period)s (draf): periksa lalu ajukan.")
            % {
                "value": numbers.format_id_number(row.value, 2),
                "indicator": row.indicator,
                "period": row.get_period_display(),
            },
        )
    year = link.indicator.objective.section.manual.year
    back = request.POST.get("kembali", "")
    target = back if back in Period.values else period
    name = "permit_unit" if kind == "izin" else "permit_tasks"
    return redirect(services.page_url(name, unit, year, target))


# --------------------------------------------------------------------------- import


def _pending(request, log, unit):
    """The stored upload this session waits to import into `unit`'s `log`, or None."""
    pending = request.session.get(PENDING) or {}
    if pending.get("unit") != unit.code or pending.get("log") != log:
        return None
    path = imports.pending_path(pending.get("token", ""), pending.get("ext", ""))
    if path is None or not path.exists():
        return None
    return {**pending, "path": path}


def _forget(request):
    pending = request.session.pop(PENDING, None) or {}
    imports.discard_pending(pending.get("token", ""), pending.get("ext", ""))


def _outcome_context(outcome):
    return {
        "outcome": outcome,
        "errors": outcome.errors,
        "more_errors": outcome.error_count - len(outcome.errors),
        "unknown": outcome.unknown.most_common(20),
    }


def _mapping_rows(log, mapping):
    return [
        (item.label, mapping[item.name]) for item in imports.FIELDS[log] if mapping.get(item.name)
    ]


@login_required
def permit_import(request, code, log):
    """Upload a log, map its columns (once per unit), see what it would do, then save;
    nothing is saved before the confirmation, and nothing at all while a row is bad."""
    if log not in LOGS:
        raise Http404
    unit = access.get_import_unit(request.user, code)
    log = LOGS[log]
    context = {
        "unit": unit,
        "log": log,
        "log_label": ImportRun.Log(log).label,
        "fields": imports.FIELDS[log],
        "saved": _mapping_rows(log, imports.saved_mapping(unit, log)),
        "form": UploadForm(),
        "template_url": reverse("permit_import", args=[unit.code, log]) + "?format=csv",
    }
    if request.method == "GET" and request.GET.get("format") == "csv":
        response = HttpResponse(imports.template_csv(log), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="format-log-{log}.csv"'
        return response
    if request.method != "POST":
        return render(request, "perizinan/import.html", context)

    action = request.POST.get("aksi", "")
    if action == "batal":
        _forget(request)
        return redirect("permit_import", code=unit.code, log=log)
    if action in ("petakan", "simpan", "ubah-kolom"):
        pending = _pending(request, log, unit)
        if pending is None:
            context["file_error"] = _(
                "Berkas yang diunggah sudah tidak tersedia (kedaluwarsa atau sudah diimpor). "
                "Unggah lagi."
            )
            return render(request, "perizinan/import.html", context, status=400)
        return _continue(request, unit, log, pending, action, context)

    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "perizinan/import.html", context, status=400)
    _forget(request)
    upload = form.cleaned_data["file"]
    try:
        token, ext = imports.store_upload(upload)
    except imports.LogUnreadable as error:
        form.add_error("file", error.message)
        return render(request, "perizinan/import.html", context, status=400)
    pending = {
        "token": token,
        "ext": ext,
        "name": upload.name[-200:],
        "unit": unit.code,
        "log": log,
    }
    request.session[PENDING] = pending
    pending = {**pending, "path": imports.pending_path(token, ext)}
    return _continue(request, unit, log, pending, "unggah", context)


def _continue(request, unit, log, pending, action, context):
    path, ext = pending["path"], pending["ext"]
    context["pending"] = pending
    try:
        layout = imports.read_layout(path, ext)
    except imports.LogUnreadable as error:
        _forget(request)
        context["file_error"] = error.message
        return render(request, "perizinan/import.html", context, status=400)
    mapping = imports.saved_mapping(unit, log)
    if action == "petakan":
        form = MappingForm(request.POST, log=log, headers=layout.headers)
        if not form.is_valid():
            context.update(mapping_form=form, layout=layout)
            return render(request, "perizinan/import.html", context, status=400)
        mapping = form.mapping()
        imports.save_mapping(unit, log, mapping)
    elif action == "ubah-kolom" or not imports.mapping_fits(log, mapping, layout.headers):
        initial = mapping if imports.mapping_fits(log, mapping, layout.headers) else None
        initial = initial or imports.guess_mapping(log, layout.headers)
        context.update(
            mapping_form=MappingForm(initial=initial, log=log, headers=layout.headers),
            layout=layout,
        )
        return render(request, "perizinan/import.html", context)
    try:
        if action == "simpan":
            outcome = imports.save(
                unit=unit,
                log=log,
                path=path,
                ext=ext,
                mapping=mapping,
                user=request.user,
                file_name=pending.get("name", ""),
            )
        else:
            outcome = imports.preview(unit=unit, log=log, path=path, ext=ext, mapping=mapping)
    except imports.LogUnreadable as error:
        context["file_error"] = error.message
        return render(request, "perizinan/import.html", context, status=400)
    except imports.ImportRefused as refused:
        context.update(_outcome_context(refused.outcome), mapping=mapping, layout=layout)
        return render(request, "perizinan/import.html", context, status=400)
    if action == "simpan":
        _forget(request)
        messages.success(
            request,
            _(
                "%(file)s diimpor: %(rows)s baris, %(created)s baru, %(updated)s berubah, "
                "%(unchanged)s tetap."
            )
            % {
                "file": pending.get("name", ""),
                "rows": numbers.format_id_number(outcome.rows, 0),
                "created": numbers.format_id_number(outcome.created, 0),
                "updated": numbers.format_id_number(outcome.updated, 0),
                "unchanged": numbers.format_id_number(outcome.unchanged, 0),
            },
        )
        name = "permit_unit" if log == ImportRun.Log.PERMITS else "permit_tasks"
        url = reverse(name, args=[unit.code])
        if outcome.last is not None:
            url += f"?tahun={outcome.last.year}&periode=Y"
        return redirect(url)
    context.update(_outcome_context(outcome), mapping=mapping, layout=layout)
    return render(request, "perizinan/import.html", context, status=200 if outcome.ok else 400)


# --------------------------------------------------------------------------- settings


@login_required
def permit_settings(request, code):
    """The unit's permit types with their standards, task kinds with their limits, and
    whether cuti bersama is a day off; the holidays of a year as the count uses them."""
    unit = access.get_managed_unit(request.user, code)
    section = request.POST.get("bagian", "") if request.method == "POST" else ""
    calendar_form = CalendarForm(initial={"cuti_bersama_off": calendars.cuti_bersama_off(unit)})
    types = PermitTypeFormSet(unit=unit, prefix="izin")
    kinds = TaskKindFormSet(unit=unit, prefix="tugas")
    status = 200
    if section == "kalender":
        calendar_form = CalendarForm(request.POST)
        if calendar_form.is_valid():
            UnitCalendar.objects.update_or_create(
                unit=unit,
                defaults={"cuti_bersama_off": calendar_form.cleaned_data["cuti_bersama_off"]},
            )
            messages.success(request, _("Pengaturan hari kerja disimpan."))
            return redirect("permit_settings", code=unit.code)
        status = 400
    elif section in ("izin", "tugas"):
        formset_class = PermitTypeFormSet if section == "izin" else TaskKindFormSet
        try:
            formset = formset_class(request.POST, unit=unit, prefix=section)
            valid = formset.is_valid()
        except ValidationError:  # a tampered management form
            raise Http404 from None
        if valid:
            saved = formset.save_all()
            messages.success(request, _("%(count)s baris disimpan.") % {"count": len(saved)})
            return redirect("permit_settings", code=unit.code)
        status = 400
        if section == "izin":
            types = formset
        else:
            kinds = formset
    years = sorted(calendars.seeded_years(), reverse=True)
    year = periods.selected_year(request, years) if years else None
    context = {
        "unit": unit,
        "calendar_form": calendar_form,
        "types": types,
        "kinds": kinds,
        "years": years,
        "year": year,
        "holidays": calendars.holidays_of_year(unit, year) if year else [],
    }
    return render(request, "perizinan/settings.html", context, status=status)
