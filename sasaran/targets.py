"""Targets as offices write them: the one definition of a target's text, for the pages, the
PDF and the Excel, the layout of the Sasaran Mutu document's target columns, and the reader
of those texts for the targets import.

A target is "at least" where higher is better and "at most" where lower is better (the
indicator's polarity), or a range (`Target.upper`). `target_text` writes it:

- ``≥ 80 %``: a rate or a score (percentage, score) where higher is better, below its maximum;
- ``100 %``, ``2 laporan``, ``18,605 T``: at the maximum, or a volume to deliver (a count,
  money): no sign, as the offices write them;
- ``≤ 3 hari kerja``: anything where lower is better;
- ``0``: nothing due (higher is better) or zero tolerance (lower is better: "0 keluhan");
- ``80–90 %``: a range;
- ``4 (A)``: an index band 1-4 with its mutu letter; ``≥ 84``: an index value 25-100.

Numbers are exact (every written digit, never rounded: 87,5 and 3,5324), in the active
language; the documents are rendered in Indonesian. In the document the unit is in its own
column (SATUAN), so its cells leave it out (`document=True`) and write big money short
(18,605 T) when that is exact.

The document prints five target columns, TW 1-4 and TAHUNAN (`COLUMNS`); `document_cells`
puts an indicator's targets of any period in them:

- a quarter's target in its TW column, the year's in TAHUNAN;
- months in their quarter's column: ``5 / bulan`` when the quarter's three months share one
  target, else listed ``Jan 5; Feb 6; Mar 5``;
- semesters: when the indicator has no quarter or month targets, TW 1-2 and TW 3-4 are merged
  into one cell per semester (as a document with semester targets reads); otherwise a
  semester is written ``Smt I: ...`` in the column of the quarter it ends with (TW 2, TW 4);
- a cell's only target is written without a label when the column means it anyway (its
  quarter; its semester when merged, or in TW 2 / TW 4 of a semester indicator);
  otherwise each target carries its label (``TW 1: 15; 5 / bulan``).

`read_cell` reads such a cell back (and what offices type: ``min 80``, ``maks. 3 hari``,
``80 s.d. 90``, ``Januari: 5``, ``Semester I 80``), and `machine_text` / `read_machine_text`
are the exact form kept in the workbook's hidden column.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language

from . import numbers, periods, scoring
from .models import Indicator
from .periods import Period

AT_LEAST, AT_MOST = "≥", "≤"
RANGE_DASH = "–"
NONE_TEXT = "—"
COLUMNS = list(periods.TARGET_PERIODS)  # Q1 Q2 Q3 Q4 Y
# Kinds whose targets are thresholds to reach (a rate, a score), written "≥ 80 %" where
# higher is better; counts and money are volumes to deliver, written as they are.
THRESHOLD_KINDS = {Indicator.Kind.PERCENTAGE, Indicator.Kind.SCORE}
MONTH_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
]
SEMESTER_LABELS = {Period.S1: "Smt I", Period.S2: "Smt II"}
PER_MONTH = "/ bulan"
# Month names as offices type them (Indonesian and English, full and short) -> 1-12.
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "agt", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov", "nopember", "nop"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}


# --------------------------------------------------------------------------- one target


def exact_number(value):
    """Every digit of a number, grouped, in the active language: 18.605.000.000.000, 87,5."""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, places, use_l10n=True, force_grouping=True)


def _money_short(value):
    """18,605 T for 18.605.000.000.000 when the short form is exact; else None."""
    big = numbers.scaled(value, smallest="M")
    if big is None:
        return None
    amount = big[0].normalize()
    if -amount.as_tuple().exponent > 3:
        return None
    return f"{exact_number(amount)} {big[1]}"


def _figure(indicator, value, document):
    if indicator.kind == Indicator.Kind.MONEY and document:
        return _money_short(value) or exact_number(value)
    return exact_number(value)


def _with_unit(indicator, text, document):
    if document:
        return text
    if indicator.kind == Indicator.Kind.PERCENTAGE:
        return f"{text} %"
    if indicator.kind == Indicator.Kind.MONEY:
        return f"Rp {text}"
    unit = (indicator.unit_of_measure or "").strip()
    if indicator.kind == Indicator.Kind.INDEX or not unit:
        return text
    return f"{text} {unit}"


def _at_maximum(indicator, value):
    if indicator.max_value is not None:
        return value >= indicator.max_value
    return indicator.kind == Indicator.Kind.PERCENTAGE and value >= 100


def _index_text(indicator, value, document):
    """An index target: "4 (A)" for a band (just "4" in the document's cells), "≥ 84" for
    a value on the 25-100 scale; None when it is neither (written as a plain number)."""
    try:
        written = scoring.index_target(value)
    except ValueError:
        return None
    text = exact_number(value)
    if written.scale is scoring.IndexScale.INTERVAL:
        if document:
            return text
        return f"{text} ({scoring.index_band(written.floor).mutu})"
    if indicator.polarity == Indicator.Polarity.LOWER:
        return f"{AT_MOST} {text}"
    return text if value >= 100 else f"{AT_LEAST} {text}"


def sign_of(indicator, value, upper=None):
    """The sign a target is written with: "≥", "≤" or "" (none)."""
    if upper is not None or value == 0:
        return ""
    if indicator.polarity == Indicator.Polarity.LOWER:
        return AT_MOST
    if indicator.kind == Indicator.Kind.INDEX:
        try:
            written = scoring.index_target(value)
        except ValueError:
            return ""
        konversi = written.scale is scoring.IndexScale.KONVERSI
        return AT_LEAST if konversi and value < 100 else ""
    if indicator.kind in THRESHOLD_KINDS and not _at_maximum(indicator, value):
        return AT_LEAST
    return ""


def target_text(indicator, value, upper=None, *, document=False):
    """A target as the office writes it (see the module's doc); "—" for none.

    `document=True`: as the document's target cells print it, without the unit (the
    document has a SATUAN column) and big money short (18,605 T) when exact."""
    if value is None or value == "":
        return NONE_TEXT
    value = Decimal(value)
    upper = None if upper is None or upper == "" else Decimal(upper)
    if upper is not None:
        low, high = _figure(indicator, value, document), _figure(indicator, upper, document)
        return _with_unit(indicator, f"{low}{RANGE_DASH}{high}", document)
    if indicator.kind == Indicator.Kind.INDEX:
        text = _index_text(indicator, value, document)
        if text is not None:
            return text
    sign = sign_of(indicator, value)
    text = _with_unit(indicator, _figure(indicator, value, document), document)
    return f"{sign} {text}" if sign else text


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class DocumentCell:
    """One printed target cell of an indicator's row: its text ("" when empty), how many
    columns it spans (2 for a merged semester), the first column's period, the targets it
    holds and, when it holds one target written as a bare number, that number (the Excel
    writes it as a number)."""

    text: str
    span: int
    column: str
    periods: tuple
    plain: Decimal | None = None
    revised: tuple = ()
    parts: tuple = ()  # the text's parts, joined by "; " (a page keeps each on one line)


def column_of(period):
    """The printed column (Q1-Q4, Y) a target of `period` is written in: a month in its
    quarter's, a semester in the one of the quarter it ends with."""
    if periods.kind(period) == periods.YEAR:
        return Period.YEAR
    last_month = periods.months(period)[-1]
    return periods.QUARTERS[(last_month - 1) // 3]


def merged_semesters(frequency, target_periods):
    """Whether TW 1-2 and TW 3-4 are printed merged, one cell per semester: the indicator
    has no quarter or month targets, and is measured per semester or has semester targets."""
    shorter = [p for p in target_periods if periods.kind(p) != periods.YEAR]
    if any(periods.kind(p) != periods.SEMESTER for p in shorter):
        return False
    return frequency == Indicator.Frequency.SEMESTERLY or bool(shorter)


def groups(merged):
    """The printed target cells as tuples of columns: five, or three when merged."""
    if merged:
        return [(Period.Q1, Period.Q2), (Period.Q3, Period.Q4), (Period.YEAR,)]
    return [(column,) for column in COLUMNS]


def default_period(frequency, group, merged):
    """What a target written without a label in `group` is for."""
    if group == (Period.YEAR,):
        return Period.YEAR
    if merged:
        return periods.enclosing(group[0], periods.SEMESTER)
    column = group[0]
    if frequency == Indicator.Frequency.SEMESTERLY and column in (Period.Q2, Period.Q4):
        return periods.enclosing(column, periods.SEMESTER)
    return column


def _label(period):
    kind = periods.kind(period)
    if kind == periods.MONTH:
        return MONTH_ABBREVIATIONS[periods.months(period)[0] - 1]
    if kind == periods.SEMESTER:
        return f"{SEMESTER_LABELS[period]}:"
    return f"{Period(period).label}:"


_KIND_ORDER = {periods.QUARTER: 0, periods.YEAR: 1, periods.MONTH: 2, periods.SEMESTER: 3}
_PERIOD_ORDER = {period.value: index for index, period in enumerate(Period)}


def _order(period):
    """Within a cell: the quarter (or year), then its months, then a semester."""
    return (_KIND_ORDER[periods.kind(period)], _PERIOD_ORDER[period])


def _value_upper(row):
    if isinstance(row, tuple):
        return row
    return row.value, row.upper


@dataclass(frozen=True)
class Wording:
    """What of an indicator the document's target cells are written from."""

    frequency: str
    kind: str
    polarity: str
    max_value: Decimal | None


def document_cells(indicator, targets):
    """The printed target cells of an indicator's row, from its targets keyed by period
    (Target rows, or (value, upper) pairs)."""
    if any(getattr(row, "revised_at", None) is not None for row in targets.values()):
        return _document_cells(indicator, targets)  # its cells hold the revised rows
    wording = Wording(indicator.frequency, indicator.kind, indicator.polarity, indicator.max_value)
    figures = tuple((period, _value_upper(row)) for period, row in targets.items())
    return _kept_document_cells(wording, figures, get_language())


@functools.lru_cache(maxsize=1024)
def _kept_document_cells(wording, figures, _language):
    """`document_cells` of targets without a revision, kept by what they are written
    from (in `_language`, the active one): the rows of a large manual repeat a few
    combinations, and wording them was a good part of its export."""
    return _document_cells(wording, dict(figures))


def _document_cells(indicator, targets):
    merged = merged_semesters(indicator.frequency, targets)
    columns = {period: column_of(period) for period in targets}
    cells = []
    for group in groups(merged):
        held = sorted((p for p in targets if columns[p] in group), key=_order)
        default = default_period(indicator.frequency, group, merged)
        revised = tuple(
            targets[p] for p in held if getattr(targets[p], "revised_at", None) is not None
        )
        parts, plain = [], None
        months = [p for p in held if periods.kind(p) == periods.MONTH]
        every_month = bool(months) and (
            len({_value_upper(targets[m]) for m in months}) == 1
            and months == [m for column in group for m in periods.within(column, periods.MONTH)]
        )
        for period in held:
            value, upper = _value_upper(targets[period])
            if periods.kind(period) == periods.MONTH:
                if every_month:
                    if period == months[0]:
                        text = target_text(indicator, value, upper, document=True)
                        parts.append(f"{text} {PER_MONTH}")
                    continue
                text = target_text(indicator, value, upper, document=True)
                parts.append(f"{_label(period)} {text}")
            elif len(held) == 1 and period == default:
                parts.append(target_text(indicator, value, upper, document=True))
                if upper is None and not sign_of(indicator, Decimal(value)):
                    plain = Decimal(value)  # a bare number
            else:
                text = target_text(indicator, value, upper, document=True)
                parts.append(f"{_label(period)} {text}")
        cells.append(
            DocumentCell(
                text="; ".join(parts),
                parts=tuple(parts),
                span=len(group),
                column=group[0],
                periods=tuple(held),
                plain=plain,
                revised=revised,
            )
        )
    return tuple(cells)  # kept and shared: never changed in place


# --------------------------------------------------------------------------- machine form


def _plain(value):
    return format(Decimal(value).normalize(), "f")


_PERIODS = tuple(Period)  # iterating the enum itself costs a call per member


def machine_text(targets):
    """The exact targets of a row as the hidden DATA column keeps them:
    "Q1=100; Y=80..90; M01=5" (Python notation, every digit)."""
    parts = []
    for period in _PERIODS:
        if period in targets:
            value, upper = _value_upper(targets[period])
            text = f"{period.value}={_plain(value)}"
            parts.append(text if upper is None else f"{text}..{_plain(upper)}")
    return "; ".join(parts)


_MACHINE_PART = re.compile(r"([A-Z0-9]{1,3})=([0-9]+(?:\.[0-9]+)?)(?:\.\.([0-9]+(?:\.[0-9]+)?))?")


def read_machine_text(text):
    """{period: (value, upper)} from `machine_text`; ValueError when it is not one."""
    found = {}
    for part in (p.strip() for p in str(text or "").split(";")):
        if not part:
            continue
        match = _MACHINE_PART.fullmatch(part)
        if match is None or match.group(1) not in Period.values or match.group(1) in found:
            raise ValueError(part)
        upper = Decimal(match.group(3)) if match.group(3) else None
        found[match.group(1)] = (Decimal(match.group(2)), upper)
    return found


# --------------------------------------------------------------------------- reading


class TargetTextError(ValueError):
    """A target cell that cannot be read; the message is Indonesian, for the import."""


@dataclass(frozen=True)
class Written:
    """One target read from a cell: its period, value, upper bound (a range), the sign it
    was written with ("≥", "≤" or "") and the mutu letter written after a band ("A")."""

    period: str  # the code ("M01"), a plain str
    value: Decimal
    upper: Decimal | None
    sign: str = ""
    letter: str = ""


_AT_LEAST_WORDS = (
    "≥",
    ">=",
    "=>",
    "paling sedikit",
    "sekurang-kurangnya",
    "sekurangnya",
    "minimal",
    "minimum",
    "min.",
    "min",
)
_AT_MOST_WORDS = (
    "≤",
    "<=",
    "=<",
    "paling lama",
    "paling banyak",
    "paling lambat",
    "sebanyak-banyaknya",
    "selambat-lambatnya",
    "tidak lebih dari",
    "maksimal",
    "maksimum",
    "maks.",
    "maks",
    "max.",
    "max",
)
_SIGN_RE = re.compile(
    "|".join(
        rf"(?P<{name}{i}>{re.escape(word)})"
        for name, words in (("least", _AT_LEAST_WORDS), ("most", _AT_MOST_WORDS))
        for i, word in enumerate(words)
    ),
    re.IGNORECASE,
)
# Cell texts are read with their whitespace collapsed to single spaces (`read_cell`), so the
# patterns need at most one space between parts and cannot backtrack through long runs.
_NUMBER = r"(?:rp\.? ?)?[0-9][0-9.]*(?:,[0-9]+|,-)?(?: ?(?:triliun|miliar|milyar|juta|jt|t|m)\b)?"
_RANGE_SEPARATOR = r"(?:–|—|-|s\.? ?d\.?|s/d|sampai(?: dengan)?|hingga)"
_RANGE_RE = re.compile(
    rf"(?P<low>{_NUMBER}) ?(?P<unit1>[^0-9\-–—]{{0,20}}?) ?{_RANGE_SEPARATOR} ?"
    rf"(?P<high>{_NUMBER})(?P<rest>.*)",
    re.IGNORECASE | re.S,
)
_WORD_RE = re.compile(r"[^\W\d_]+\.?\s*")
_MONEY_RE = re.compile(r"rp\b", re.IGNORECASE)
_SINGLE_RE = re.compile(rf"(?P<value>{_NUMBER})(?P<rest>.*)", re.IGNORECASE | re.S)
_PER_MONTH_RE = re.compile(r"(?:/|\bper\b|\bsetiap\b|\btiap\b)\s*bulan\b", re.IGNORECASE)
_LETTER_RE = re.compile(r"^\(?\s*([A-D])\s*\)?$")
_MONTH_LABEL_RE = re.compile(
    r"(?P<name>"
    + "|".join(sorted((re.escape(n) for n in MONTH_NAMES), key=len, reverse=True))
    + r")\b\.?\s*:?\s*",
    re.IGNORECASE,
)
_QUARTER_LABEL_RE = re.compile(
    r"(?:tw|trw|triwulan)\s*-?\s*(?P<n>iv|i{1,3}|[1-4])\b\s*:?\s*", re.IGNORECASE
)
_SEMESTER_LABEL_RE = re.compile(
    r"(?:smt|sem|semester)\.?\s*-?\s*(?P<n>ii|i|[12])\b\s*:?\s*", re.IGNORECASE
)
_YEAR_LABEL_RE = re.compile(r"(?:tahunan|tahun|thn)\b\s*:?\s*", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
EMPTY_TEXTS = {"", "-", "–", "—", "n/a"}
MAX_CELL_TEXT = 500  # a cell of targets longer than this is not a target
ZERO_WORDS = re.compile(r"\b(?:nihil|nol)\b", re.IGNORECASE)  # "nihil" is written for 0
EXAMPLES = "Contoh: 80; ≥ 80 %; ≤ 3 hari; 80–90; 0; Jan 5; Feb 6; 5 / bulan; Smt I: ≥ 84."


def _number(text):
    try:
        value = numbers.parse_id_number(text.strip())
    except (ValueError, InvalidOperation) as error:
        raise TargetTextError(str(error)) from None
    if value < 0:
        raise TargetTextError(f"Nilai tidak boleh negatif ({text.strip()}).")
    return value


def _label_period(text):
    """(period or None, the rest) of a segment that may start with a period's label."""
    for pattern, kind in (
        (_QUARTER_LABEL_RE, periods.QUARTER),
        (_SEMESTER_LABEL_RE, periods.SEMESTER),
        (_MONTH_LABEL_RE, periods.MONTH),
        (_YEAR_LABEL_RE, periods.YEAR),
    ):
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end() :]
        if kind == periods.YEAR:
            return Period.YEAR, rest
        if kind == periods.MONTH:
            return periods.MONTHS[MONTH_NAMES[match.group("name").lower()] - 1], rest
        number = match.group("n").lower()
        number = _ROMAN.get(number) or int(number)
        return periods.period_code(kind, number), rest
    return None, text


def _sign(text):
    match = _SIGN_RE.match(text)
    if match is None:
        if text[:1] in "<>":
            raise TargetTextError(
                "Tanda < atau > tidak dipakai: tulis ≥ (paling sedikit) atau ≤ (paling banyak)."
            )
        return "", text
    name = match.lastgroup or ""
    rest = text[match.end() :]
    if rest[:1].isalpha() and not match.group(0)[-1:] == ".":
        return "", text  # a word that only starts like one ("minggu")
    return (AT_LEAST if name.startswith("least") else AT_MOST), rest.lstrip(" :")


def _without_name(text):
    """`text` without the words that name the measure before a target: "IKM ≥ 84",
    "nilai minimal 80", "Nilai 83" (unchanged when no number or sign follows them)."""
    rest = text
    while (word := _WORD_RE.match(rest)) and not _sign(rest)[0] and not _MONEY_RE.match(rest):
        rest = rest[word.end() :]
    if rest != text and rest[:1] and (rest[0].isdigit() or rest[0] in "≥≤<>=" or _sign(rest)[0]):
        return rest
    return text


def _spec(text, original):
    """(value, upper, sign, per month, letter) of a target without its label; a word
    before it names the measure and is left out ("IKM ≥ 84", "Nilai 83")."""
    if re.match(r"[-−]\s*[0-9]", text.strip()):
        raise TargetTextError(f"Nilai tidak boleh negatif ({text.strip()}).")
    sign, text = _sign(_without_name(text.strip()))
    per_month = False
    if _PER_MONTH_RE.search(text):
        per_month = True
        text = _PER_MONTH_RE.sub(" ", text)
    match = _RANGE_RE.fullmatch(text.strip()) if not sign else None
    if match and not re.search(r"[0-9]", match.group("unit1") or ""):
        value, upper, rest = (
            _number(match.group("low")),
            _number(match.group("high")),
            match["rest"],
        )
    else:
        match = _SINGLE_RE.fullmatch(text.strip())
        if match is None:
            raise TargetTextError(f"'{original}' tidak dapat dibaca. {EXAMPLES}")
        value, upper, rest = _number(match.group("value")), None, match["rest"]
    rest = rest.strip()
    if re.search(r"[0-9]", rest):
        raise TargetTextError(f"'{original}' tidak dapat dibaca. {EXAMPLES}")
    letter = _LETTER_RE.match(rest)
    return value, upper, sign, per_month, letter.group(1).upper() if letter else ""


def read_cell(value, group, *, frequency, merged):
    """The targets written in one printed cell (a number or a text), as `Written` items.

    `group` is the cell's columns (one, or two when merged); a target without a label is
    for `default_period`. Raises TargetTextError with an Indonesian message."""
    if value is None:
        return []
    if isinstance(value, bool):
        raise TargetTextError(f"Bukan angka: {value!r}.")
    default = default_period(frequency, group, merged)
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise TargetTextError(f"Bukan angka: {value!r}.")
        if number < 0:
            raise TargetTextError(f"Nilai tidak boleh negatif ({value}).")
        return [Written(Period(default).value, number, None)]
    text = str(value)
    if len(text) > MAX_CELL_TEXT:
        raise TargetTextError(f"Teks target terlalu panjang (paling banyak {MAX_CELL_TEXT} huruf).")
    text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip().rstrip("*")
    text = text.strip()
    if text.lower() in EMPTY_TEXTS:
        return []
    found = []
    for segment in (s.strip() for s in re.split(r"[;\n]+", text)):
        if not segment or segment.lower() in EMPTY_TEXTS:
            continue
        segment = segment.rstrip("*").strip()
        period, rest = _label_period(segment)
        rest = ZERO_WORDS.sub("0", rest)
        number, upper, sign, per_month, letter = _spec(rest, segment)
        if per_month:
            if period is not None and periods.kind(period) == periods.MONTH:
                raise TargetTextError(f"'{segment}': satu bulan tidak ditulis '/ bulan'.")
            span = [period] if period else list(group)
            if span == [Period.YEAR]:
                span = list(periods.QUARTERS)
            months = [m for p in span for m in periods.within(p, periods.MONTH)]
            found += [Written(m, number, upper, sign, letter) for m in months]
            continue
        period = period or default
        if column_of(period) not in group:
            where = {Period.YEAR: "TAHUNAN"}.get(column_of(period), column_of(period).label)
            raise TargetTextError(
                f"{Period(period).label} ditulis di kolom yang salah; tulis di kolom {where}."
            )
        found.append(Written(period, number, upper, sign, letter))
    found = [Written(Period(w.period).value, w.value, w.upper, w.sign, w.letter) for w in found]
    seen = set()
    for item in found:
        if item.period in seen:
            raise TargetTextError(f"{Period(item.period).label} ditulis dua kali.")
        seen.add(item.period)
    return found


def problems_of(*, kind, value, upper, letter=""):
    """What is wrong with a target of an indicator of `kind` (Indonesian messages):
    an index target neither a band 1-4 nor a value 25-100, a fraction where the unit is a
    count, an upper bound below the target."""
    found = []
    if kind == Indicator.Kind.INDEX:
        if upper is not None:
            found.append("Target indeks ditulis satu nilai (pita 1-4 atau nilai 25-100).")
        try:
            written = scoring.index_target(value)
        except ValueError as error:
            found.append(str(error))
        else:
            if letter and (
                written.scale is not scoring.IndexScale.INTERVAL
                or scoring.index_band(written.floor).mutu != letter
            ):
                found.append(
                    f"Huruf mutu '{letter}' tidak sesuai dengan target "
                    f"{numbers.format_id_exact(value.normalize())}."
                )
    elif kind == Indicator.Kind.COUNT:
        for number in (value, upper):
            if number is not None:
                try:
                    scoring.check_whole(number.normalize())
                except ValueError as error:
                    found.append(str(error))
                    break
    if upper is not None and upper < value:
        found.append(
            f"Batas atas ({numbers.format_id_exact(upper.normalize())}) lebih kecil dari "
            f"targetnya ({numbers.format_id_exact(value.normalize())})."
        )
    return found
