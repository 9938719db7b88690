"""The satisfaction survey (SKM) computation of Permenpan RB 14/2017, as plain functions.

No Django and no database here. Arithmetic is exact (``fractions.Fraction``): the default
weight is 1/9, not the 0,111 that reports print, so one respondent answering 4 everywhere
gives exactly 100. Round only for display (:func:`sasaran.numbers.format_id_number`).

- NRR of an unsur = sum of its answers / number of respondents who answered it;
- weighted NRR = NRR x weight; IKM (interval, 1-4) = sum of the weighted NRR;
- IKM (konversi, 25-100) = IKM interval x 25; mutu and kinerja from
  :func:`sasaran.scoring.index_band`;
- a unit's IKM over several services pools all respondents (pass them all at once): it is
  not the mean of the per-service IKMs.

Errors a user can cause (an answer of 5, weights that do not sum to 1, no respondents) raise
``ValueError`` with an Indonesian message, since pages show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sasaran import numbers, scoring

__all__ = [
    "ANSWER_VALUES",
    "DEFAULT_UNSUR_COUNT",
    "IkmResult",
    "compute_ikm",
    "default_weights",
    "ikm_from_totals",
    "sample_size",
]

DEFAULT_UNSUR_COUNT = 9
ANSWER_VALUES = (1, 2, 3, 4)
_KONVERSI_FACTOR = 25


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of responses. Every number is an exact ``Fraction``."""

    respondents: int
    answered: tuple[int, ...]  # per unsur: how many respondents answered it
    nrr: tuple[Fraction, ...]
    weighted_nrr: tuple[Fraction, ...]
    weights: tuple[Fraction, ...]
    ikm_interval: Fraction
    ikm: Fraction  # konversi, 25-100
    band: scoring.Band

    @property
    def mutu(self) -> str:
        return self.band.mutu

    @property
    def kinerja(self) -> str:
        return self.band.kinerja

    @property
    def nilai_persepsi(self) -> int:
        return self.band.nilai

    def weakest(self) -> list[int]:
        """Indexes (0-based) of the unsur with the lowest NRR (several when tied)."""
        low = min(self.nrr)
        return [i for i, value in enumerate(self.nrr) if value == low]

    def strongest(self) -> list[int]:
        """Indexes (0-based) of the unsur with the highest NRR (several when tied)."""
        high = max(self.nrr)
        return [i for i, value in enumerate(self.nrr) if value == high]


def default_weights(count: int = DEFAULT_UNSUR_COUNT) -> tuple[Fraction, ...]:
    """Equal weights that sum to exactly 1 (1/9 each for the nine standard unsur)."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"Jumlah unsur harus bilangan bulat positif; diterima {count!r}.")
    return (Fraction(1, count),) * count


def _to_fraction(value, position: int) -> Fraction:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"Bobot unsur ke-{position} harus berupa angka; diterima {value!r}.")
    try:
        if isinstance(value, float):
            # A float such as 0.111 is never exact; take its decimal text, not its binary.
            return Fraction(str(value))
        return Fraction(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"Bobot unsur ke-{position} harus berupa angka; diterima {value!r}."
        ) from None


def _check_weights(weights) -> tuple[Fraction, ...]:
    if weights is None:
        return default_weights()
    if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
        raise ValueError("Bobot harus berupa daftar angka, satu untuk setiap unsur.")
    values = tuple(_to_fraction(w, i) for i, w in enumerate(weights, start=1))
    if not values:
        raise ValueError("Daftar bobot kosong: harus ada minimal satu unsur.")
    for position, value in enumerate(values, start=1):
        if value <= 0:
            raise ValueError(f"Bobot unsur ke-{position} harus lebih dari 0; diterima {value}.")
    total = sum(values, Fraction(0))
    if total != 1:
        shown = numbers.format_id_number(total, 4)
        raise ValueError(
            f"Jumlah bobot harus tepat 1; diterima {shown} ({total}). "
            "Gunakan pecahan (mis. 1/9), bukan 0,111."
        )
    return values


def _check_answer(value, row: int, unsur: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES:
        raise ValueError(
            f"Responden ke-{row}, unsur ke-{unsur}: jawaban harus 1, 2, 3 atau 4 "
            f"(atau kosong); diterima {value!r}."
        )
    return value


def _check_response(response, row: int, count: int) -> Sequence:
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise ValueError(f"Responden ke-{row}: jawaban harus berupa daftar {count} nilai.")
    if len(response) != count:
        raise ValueError(
            f"Responden ke-{row}: harus ada {count} jawaban (satu per unsur); "
            f"diterima {len(response)}."
        )
    return response


def compute_ikm(responses: Iterable[Sequence], weights=None) -> IkmResult:
    """The IKM of ``responses``, exactly.

    ``responses``: one sequence per respondent with one answer per unsur: an int 1-4, or
    ``None`` when unanswered. Nine answers by default; with ``weights``, one per weight.

    ``weights``: one positive number per unsur (``Fraction``, ``Decimal``, int, or text such
    as ``"1/9"``) summing to exactly 1; ``None`` gives 1/9 each.

    A respondent who left everything blank still counts as a respondent but adds nothing to
    any NRR. An unsur that nobody answered has no NRR, and so no IKM can be computed:
    ``ValueError``.
    """
    weight_values = _check_weights(weights)
    count = len(weight_values)
    sums = [0] * count
    answered = [0] * count
    respondents = 0
    for row, response in enumerate(responses, start=1):
        respondents += 1
        for index, raw in enumerate(_check_response(response, row, count)):
            value = _check_answer(raw, row, index + 1)
            if value is not None:
                sums[index] += value
                answered[index] += 1
    return ikm_from_totals(
        respondents=respondents, sums=sums, answered=answered, weights=weight_values
    )


def ikm_from_totals(*, respondents: int, sums, answered, weights=None) -> IkmResult:
    """The IKM from what a database adds up: the number of respondents and, per unsur in
    questionnaire order, the sum of its answers (each 1-4) and how many answered it.

    Exactly what :func:`compute_ikm` gives for the same answers; the errors are the same.
    """
    weight_values = _check_weights(weights)
    if not len(sums) == len(answered) == len(weight_values):
        raise ValueError("Jumlah unsur tidak sama dengan jumlah bobot.")
    if respondents == 0:
        raise ValueError("Belum ada responden: IKM tidak dapat dihitung.")
    missing = [str(i + 1) for i, n in enumerate(answered) if n == 0]
    if missing:
        raise ValueError(
            "Unsur ke-" + ", ".join(missing) + " belum dijawab satu responden pun: "
            "IKM tidak dapat dihitung."
        )
    nrr = tuple(Fraction(total, n) for total, n in zip(sums, answered, strict=True))
    weighted = tuple(value * weight for value, weight in zip(nrr, weight_values, strict=True))
    interval = sum(weighted, Fraction(0))
    return IkmResult(
        respondents=respondents,
        answered=tuple(answered),
        nrr=nrr,
        weighted_nrr=weighted,
        weights=weight_values,
        ikm_interval=interval,
        ikm=interval * _KONVERSI_FACTOR,
        band=scoring.index_band(interval, scoring.IndexScale.INTERVAL),
    )


# Krejcie and Morgan (1970): chi-square 3,841 (1 degree of freedom, 95 %), P = 0,5, d = 0,05.
_CHI_SQUARE = Fraction("3.841")
_P_Q = Fraction(1, 4)  # P (1 - P) with P = 0,5
_D_SQUARED = Fraction(1, 400)  # 0,05 ** 2


def sample_size(population: int) -> int:
    """The Krejcie-Morgan minimum sample for ``population`` service users, rounded half up.

    S = 3,841 N 0,25 / (0,0025 (N - 1) + 3,841 0,25); 100 -> 80, 1000 -> 278,
    10000 -> 370, 1000000 -> 384.
    """
    if isinstance(population, bool) or not isinstance(population, int):
        raise ValueError(f"Populasi harus bilangan bulat; diterima {population!r}.")
    if population < 1:
        raise ValueError(f"Populasi harus minimal 1; diterima {population}.")
    exact = (_CHI_SQUARE * population * _P_Q) / (_D_SQUARED * (population - 1) + _CHI_SQUARE * _P_Q)
    floor = exact.numerator // exact.denominator
    return floor + 1 if exact - floor >= Fraction(1, 2) else floor
