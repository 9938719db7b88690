"""Tests of sasaran.skm.ikm: the IKM computation and the Krejcie-Morgan sample size, no database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sasaran.numbers import format_id_number
from sasaran.skm.ikm import compute_ikm, default_weights, sample_size

ALL_4 = [4] * 9


# --------------------------------------------------------------------------- compute_ikm


def test_one_respondent_answering_4_everywhere_gives_exactly_100_a_sangat_baik():
    result = compute_ikm([ALL_4])
    assert result.respondents == 1
    assert result.ikm == 100 and isinstance(result.ikm, Fraction)
    assert result.ikm_interval == 4
    assert format_id_number(result.ikm) == "100,00"
    assert (result.mutu, result.kinerja, result.nilai_persepsi) == ("A", "Sangat Baik", 4)


def test_printed_weight_0_111_would_not_give_100_but_the_exact_weight_does():
    assert sum(Decimal("0.111") * 4 for _ in range(9)) * 25 == Decimal("99.900")
    assert compute_ikm([ALL_4]).weighted_nrr == (Fraction(4, 9),) * 9


def test_all_1_gives_25_d_tidak_baik():
    result = compute_ikm([[1] * 9])
    assert result.ikm == 25 and result.ikm_interval == 1
    assert (result.mutu, result.kinerja) == ("D", "Tidak Baik")


def test_nrr_weighted_nrr_and_ikm_of_a_small_survey():
    responses = [
        [4, 3, 3, 4, 3, 3, 4, 2, 3],
        [3, 3, 2, 4, 3, 4, 4, 3, 3],
        [4, 4, 3, 4, 3, 3, 3, 2, 4],
    ]
    result = compute_ikm(responses)
    assert result.nrr[0] == Fraction(11, 3)
    assert result.nrr[3] == 4
    assert result.weighted_nrr[0] == Fraction(11, 27)
    total = sum(sum(r) for r in responses)  # every unsur answered by all three
    assert result.ikm_interval == Fraction(total, 27)
    assert result.ikm == Fraction(total, 27) * 25
    assert format_id_number(result.ikm) == "81,48"
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert result.weakest() == [7]  # U8 with NRR 7/3
    assert result.strongest() == [3]  # U4 with NRR 4


def test_unanswered_items_divide_by_those_who_answered():
    responses = [
        [4, 4, 4, 4, 4, 4, 4, 4, None],
        [2, 2, 2, 2, 2, 2, 2, 2, 2],
        [3, None, 3, 3, 3, 3, 3, 3, None],
    ]
    result = compute_ikm(responses)
    assert result.respondents == 3
    assert result.answered == (3, 2, 3, 3, 3, 3, 3, 3, 1)
    assert result.nrr[0] == 3
    assert result.nrr[1] == 3  # (4 + 2) / 2, not / 3
    assert result.nrr[8] == 2  # only the second respondent answered U9


def test_a_blank_response_counts_as_respondent_but_adds_nothing():
    result = compute_ikm([ALL_4, [None] * 9])
    assert result.respondents == 2
    assert result.ikm == 100


def test_an_unsur_nobody_answered_is_an_error():
    with pytest.raises(ValueError, match="Unsur ke-3 belum dijawab"):
        compute_ikm([[4, 4, None, 4, 4, 4, 4, 4, 4]])


def test_responses_may_be_any_iterable_and_tuples():
    result = compute_ikm(tuple(r) for r in [ALL_4, [3] * 9])
    assert result.respondents == 2
    assert result.ikm == Fraction(7, 2) * 25


# --------------------------------------------------------------------------- band boundaries


@pytest.mark.parametrize(
    ("konversi", "mutu"),
    [
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
    ],
)
def test_band_boundaries_on_exact_values(konversi, mutu):
    target = Fraction(konversi) / 25  # interval value
    # two unsur weighted w and 1 - w, answered 4 and 1: interval = 1 + 3 w
    w = (target - 1) / 3
    result = compute_ikm([[4, 1]], weights=[w, 1 - w])
    assert result.ikm == Fraction(konversi)
    assert result.mutu == mutu


def test_88_31_exactly_is_a_while_just_below_is_b():
    # 3,5324 x 25 = 88,31
    w = (Fraction("3.5324") - 1) / 3
    assert compute_ikm([[4, 1]], weights=[w, 1 - w]).mutu == "A"
    w_below = w - Fraction(1, 10**9)
    assert compute_ikm([[4, 1]], weights=[w_below, 1 - w_below]).mutu == "B"


def test_value_in_the_published_gap_goes_down():
    w = (Fraction("76.605") / 25 - 1) / 3
    result = compute_ikm([[4, 1]], weights=[w, 1 - w])
    assert format_id_number(result.ikm) == "76,61"  # prints like a B ...
    assert result.mutu == "C"  # ... but is classified on the exact value


def test_everybody_answering_3_is_75_which_is_only_c():
    result = compute_ikm([[3] * 9] * 10)
    assert result.ikm == 75
    assert (result.mutu, result.kinerja) == ("C", "Kurang Baik")


# --------------------------------------------------------------------------- weights


def test_default_weights_are_exactly_one_ninth():
    assert default_weights() == (Fraction(1, 9),) * 9
    assert sum(default_weights()) == 1
    assert default_weights(4) == (Fraction(1, 4),) * 4


def test_custom_weights_and_extra_unsur():
    weights = [Fraction(1, 10)] * 8 + [Fraction(1, 10), Fraction(1, 10)]  # ten unsur
    result = compute_ikm([[4] * 9 + [2]], weights=weights)
    assert len(result.nrr) == 10
    assert result.ikm_interval == Fraction(38, 10)
    assert result.ikm == 95


def test_weights_as_decimal_text_and_int():
    result = compute_ikm([[4, 2]], weights=[Decimal("0.75"), "1/4"])
    assert result.ikm_interval == Fraction(7, 2)
    assert compute_ikm([[3]], weights=[1]).ikm == 75


def test_weights_change_the_result():
    equal = compute_ikm([[4, 2]], weights=["1/2", "1/2"])
    heavy_first = compute_ikm([[4, 2]], weights=["3/4", "1/4"])
    assert equal.ikm == 75 and heavy_first.ikm == Fraction(175, 2)


@pytest.mark.parametrize(
    "weights",
    [
        [Decimal("0.111")] * 9,
        [0.111] * 9,
        ["1/9"] * 8,  # eight of 1/9 sum to 8/9
        [Fraction(1, 2), Fraction(1, 3)],
    ],
)
def test_weights_not_summing_to_one_are_refused(weights):
    with pytest.raises(ValueError, match="Jumlah bobot harus tepat 1"):
        compute_ikm([[4] * len(weights)], weights=weights)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "kosong"),
        ("1/9", "daftar angka"),
        ([Fraction(3, 2), Fraction(-1, 2)], "lebih dari 0"),
        ([1, 0], "lebih dari 0"),
        ([None], "berupa angka"),
        ([True], "berupa angka"),
        (["abc"], "berupa angka"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(weights, message):
    with pytest.raises(ValueError, match=message):
        compute_ikm([[4]], weights=weights)


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize("bad", [5, 0, -1, 2.5, "4", True, Decimal(4)])
def test_an_answer_outside_1_to_4_is_refused(bad):
    row = [4] * 9
    row[4] = bad
    message = "Responden ke-2, unsur ke-5: jawaban harus 1, 2, 3 atau 4"
    with pytest.raises(ValueError, match=message):
        compute_ikm([ALL_4, row])


def test_no_respondents_is_an_error():
    with pytest.raises(ValueError, match="Belum ada responden"):
        compute_ikm([])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([4] * 8, "harus ada 9 jawaban"),
        ([4] * 10, "harus ada 9 jawaban"),
        ("444444444", "daftar 9 nilai"),
        (4, "daftar 9 nilai"),
    ],
)
def test_a_response_of_the_wrong_shape_is_refused(row, message):
    with pytest.raises(ValueError, match=message):
        compute_ikm([row])


# --------------------------------------------------------------------------- pooling


def test_unit_ikm_pools_respondents_and_is_not_the_mean_of_service_ikms():
    perizinan = [ALL_4]  # one respondent, IKM 100
    non_perizinan = [[2] * 9, [2] * 9, [2] * 9]  # three respondents, IKM 50
    by_service = [compute_ikm(perizinan).ikm, compute_ikm(non_perizinan).ikm]
    assert by_service == [100, 50]
    pooled = compute_ikm(perizinan + non_perizinan)
    assert pooled.respondents == 4
    assert pooled.ikm == Fraction(4 + 2 * 3, 4) * 25 == Fraction(125, 2)  # 62,50
    assert pooled.ikm != sum(by_service) / 2  # 75
    assert (pooled.mutu, compute_ikm(perizinan).mutu) == ("D", "A")


def test_pooling_with_unanswered_items_per_service():
    service_a = [[4, None], [4, None]]
    service_b = [[2, 2]]
    pooled = compute_ikm(service_a + service_b, weights=["1/2", "1/2"])
    assert pooled.nrr == (Fraction(10, 3), Fraction(2))


# --------------------------------------------------------------------------- sample size


@pytest.mark.parametrize(
    ("population", "minimum"),
    [
        # the published Krejcie-Morgan table
        (10, 10),
        (50, 44),
        (75, 63),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (5000, 357),
        (10000, 370),
        (1000000, 384),
    ],
)
def test_sample_size_matches_the_published_table(population, minimum):
    assert sample_size(population) == minimum


def test_sample_size_of_one_is_one():
    assert sample_size(1) == 1


def test_sample_size_rounds_half_up():
    # N = 100 gives 79,507...; check with a value whose fraction is at least .5
    assert sample_size(100) == 80
    # never above the population
    assert all(sample_size(n) <= n for n in range(1, 300))


@pytest.mark.parametrize("bad", [0, -5, 2.5, "100", None, True, Decimal(100)])
def test_sample_size_refuses_bad_population(bad):
    with pytest.raises(ValueError, match="Populasi"):
        sample_size(bad)
