"""Key findings: each report's sentences from a small results dict worked by hand (both languages), a missing
figure dropping its sentence, the "How to cite" line, where the exporter puts both, and, in every report as
built, the box after the title and above the first table and the citation in the footer, in both editions."""

from __future__ import annotations

import math
import re
from html import unescape

import nbformat
import pytest

from analysis import i18n
from analysis.reports import findings, registry
from analysis.run.runner import with_findings

# R&D at 0.5% of GDP in 2025 and 2% in 2030 with nominal GDP growing 10% a year: R&D is 4 x 1.1^5 = 6.442 times
# larger, growing 6.442^(1/5) - 1 = 1.3195 x 1.1 - 1 = 45.1% a year; from 50,000 bn VND to 322,102 bn VND, at
# 25,000 VND per USD 12.9 bn USD. Non-budget R&D from 30% (15,000 bn) to 60% (193,261 bn): 12.88 times, 66.7% a
# year. Budget expenditure 20% of GDP: at the 60% floor the state pays 0.8% of GDP = 4.0% of the budget, 4/3 =
# 133% of the 3% envelope; the envelope (0.6% of GDP) covers the state's part only if it is 30% of R&D, i.e.
# non-budget sources pay 70.0%.
RD = {
    "report": "rd_paths",
    "base_year": 2025,
    "target_year": 2030,
    "share_target_pct": 2.0,
    "share_base_pct": 0.5,
    "start_status": "estimate",  # the 2023 survey's share carried forward (the nowcast's flat_share method)
    "last_observation_year": 2023,
    "nowcast": [{"year": 2024, "method": "flat_share"}, {"year": 2025, "method": "flat_share"}],
    "share_base_low_pct": 0.4,
    "share_base_high_pct": 0.6,
    "gerd_nominal_cagr_pct": 45.1459,
    "gerd_target_vnd_bn": 322_102.0,
    "gerd_target_usd_bn": 12.884,
    "gerd_multiple": 6.44204,
    "nonstate_share_base_pct": 30.0,
    "nonstate_share_target_pct": 60.0,
    "nonbudget_share_base_low_pct": 20.0,
    "nonbudget_share_base_high_pct": 42.3,
    "nonstate_gerd_nominal_cagr_pct": 66.73,
    "science_budget_share_target_pct": 3.0,
    "consistency_budget_pct_at_floor": 4.0,
    "consistency_envelope_pct_at_floor": 133.333,
    "consistency_nonbudget_needed_pct": 70.0,
    "envelope_rd_share_pct": 100.0,
    "whole_envelope": True,
    "parameters": {"soe_funds_as": "non-budget"},
    # the first screen's answers: no economy of the 100 starting below 1% rose 1.50 pp in 5 years (at most 0.85);
    # the budget bound: the budget's S&T spending pays at most 38.4% of R&D (central 9.9%): 61.6-90.1% non-budget;
    # the 2026 plan: 95,000 / 3,160,000 = 3.0063% of the budget estimate, 3% within rounding
    "share_increase_pp": 1.5,
    "window_years": 5,
    "start_share_below_pct": 1.0,
    "low_start_economies": 100,
    "low_start_economies_reaching": 0,
    "max_low_start_increase_pp": 0.85072,
    "nonstate_share_base_default": True,
    "nonbudget_share_budget_bound_low_pct": 61.6,
    "nonbudget_share_budget_bound_high_pct": 90.1,
    "budget_rule_year": 2026,
    "budget_rule_plan_pct": 3.0063,
    "budget_rule_rating": "within rounding",
}
RD_EN = [
    "History gives no precedent for reaching 2% of GDP by 2030: none of the 100 economies whose R&D started below"
    " 1% of GDP rose 1.50 pp in any 5-year window (the largest such rise: 0.85 pp).",
    "R&D spending is an estimated 0.50% of GDP in 2025 (carried forward from the 2023 survey; range 0.40% to "
    "0.60%); reaching 2% by 2030 needs it to "
    "grow 45.1% a year (nominal VND), to 12.9 bn USD (322 trillion VND) in 2030, 6.4 times the amount of 2025.",
    "No survey measures the share of R&D paid from outside the state budget: published shares give 20% to "
    "42%, the S&T budget line alone implies 62% to 90%, so the target of more than 60% lies between the readings: the evidence "
    "cannot say if it is met; starting, by assumption, from the statements' median, 30% in 2025, non-budget R&D must grow 66.7% a year to "
    "reach 60% in 2030.",
    "The 2026 plan meets the rule of at least 3% of budget expenditure for science, technology, innovation and "
    "digital transformation only within rounding: 3.01% of the year's budget estimate.",
    "If society pays 60% of R&D in 2030 (the Resolution asks for more), the state's part needs 4.0% of budget "
    "expenditure, 133% of the whole 3% envelope for science, technology, innovation and digital transformation; "
    "it fits only if 70.0% comes from outside the state budget, even if all of the envelope went to R&D.",
]
RD_VI = [
    "Lịch sử chưa có tiền lệ cho việc đạt 2% GDP vào năm 2030: trong 100 nền kinh tế có chi cho nghiên cứu và "
    "phát triển (R&D) xuất phát dưới 1% GDP, không có nền kinh tế nào từng tăng thêm 1,50 điểm phần trăm GDP "
    "trong bất kỳ giai đoạn 5 năm nào (mức tăng lớn nhất: 0,85 điểm phần trăm).",
    "Tổng chi quốc gia cho nghiên cứu và phát triển (R&D) năm 2025 ước đạt 0,50% GDP (giữ nguyên kết quả điều tra năm 2023; "
    "khoảng ước tính 0,40% đến "
    "0,60%); để đạt 2% GDP vào năm 2030, tổng chi này phải tăng 45,1% mỗi năm (theo giá hiện hành), lên 12,9 tỷ "
    "USD (322 nghìn tỷ đồng) vào năm 2030, gấp 6,4 lần năm 2025.",
    "Chưa có điều tra nào đo tỷ trọng chi cho R&D từ ngoài ngân sách nhà nước: các số liệu đã công bố cho thấy "
    "20% đến 42%, riêng khoản chi khoa học và công nghệ (KH&CN) của ngân sách hàm ý 62% đến 90%, nên mục tiêu hơn 60% nằm giữa các số liệu này: bằng chứng "
    "hiện có chưa cho biết mục tiêu đã đạt hay chưa; lấy trung vị của các số liệu đã công bố làm giả định, 30% năm 2025, kinh phí R&D ngoài ngân sách nhà nước phải "
    "tăng 66,7% mỗi năm để đạt 60% vào năm 2030.",
    "Kế hoạch năm 2026 đáp ứng yêu cầu bố trí ít nhất 3% tổng chi ngân sách cho phát triển khoa học, công nghệ, "
    "đổi mới sáng tạo, chuyển đổi số quốc gia chỉ trong phạm vi làm tròn: 3,01% dự toán chi ngân sách của năm.",
    "Nếu kinh phí từ xã hội chiếm 60% tổng chi cho R&D năm 2030 (Nghị quyết yêu cầu hơn 60%), phần của Nhà nước "
    "cần 4,0% tổng chi ngân sách, tức 133% toàn bộ mức bố trí 3% cho khoa học, công nghệ, đổi mới sáng tạo và "
    "chuyển đổi số; ngay cả khi dành toàn bộ mức bố trí cho R&D, phần này cũng chỉ nằm trong mức bố trí nếu ít "
    "nhất 70,0% kinh phí đến từ ngoài ngân sách nhà nước.",
]

# a rise of 2.0 - 0.5 = 1.50 pp in 5 years; no economy of the 100 starting below 1% rose more than 0.85 pp
FEASIBILITY = {
    "report": "rd_feasibility",
    "required_increase_pp": 1.5,
    "window_years": 5,
    "low_start_economies": 100,
    "low_start_economies_reaching": 0,
    "max_low_start_increase_pp": 0.85072,
    "structural_share_target_pct": 0.368,
    "structural_share_target_lo_pct": 0.106,
    "structural_share_target_hi_pct": 1.2799,
    "interval_pct": 80.0,
    "gerd_target_usd_bn_p10": 12.01,
    "gerd_target_usd_bn_p50": 12.884,
    "gerd_target_usd_bn_p90": 13.77,
    "n_simulations": 20000,
    "prob_state_gerd_exceeds_envelope_pct": 100.0,
    "nonstate_share_needed_p50_pct": 70.04,
    # envelope 118.9 of planned R&D 408.1 trillion dong: it covers 29.1%, so 70.9% must be non-budget; at 60%
    # non-budget the state's 40% fits only if GDP is 1 - 29.135 / 40 = 27.2% below plan
    "nonstate_share_scenario_pct": 60.0,
    # the envelope covers 3% x budget / 2% of R&D: with budget spending at 22.422% of GDP 33.6%, so 66.4% must be
    # non-budget; at 18.242%, 27.4% and 72.6%
    "budget_exp_pct_gdp_low": 18.242,
    "budget_exp_pct_gdp_high": 22.422,
    "nonstate_share_needed_p50_pct_at_budget_high": 66.367,
    "nonstate_share_needed_p50_pct_at_budget_low": 72.637,
    "envelope_share_of_planned_rd_pct": 29.135,
    "nonbudget_share_needed_arithmetic_pct": 70.865,
    "state_part_fits_envelope_arithmetic": False,
    "nonstate_share_needed_p90_pct": 72.38,
    "parameters": {
        "start_share_below_pct": 1.0,
        "target_year": 2030,
        "target_share_pct": 2.0,
        "science_budget_share_pct": 3.0,
        "budget_exp_pct_gdp": 19.421,
    },
}
FEASIBILITY_EN = [
    "The target needs a rise of 1.50 pp of GDP in 5 years; none of the 100 economies that started below 1% of GDP "
    "rose as much in any 5-year window (the largest such rise: 0.85 pp).",
    "At the income Viet Nam is projected to reach by 2030, economies typically spend 0.37% of GDP on R&D (80% "
    "prediction range 0.11% to 1.28%), against the target of 2%.",
    "With growth, prices and the exchange rate uncertain, R&D at the target in 2030 is 12.9 bn USD (median of "
    "20,000 simulations; 10th to 90th percentile 12.0 bn USD to 13.8 bn USD).",
    "Taking the whole 3% budget minimum for science, technology, innovation and digital transformation as the "
    "most R&D could get (an assumption), at 60% non-budget (the Resolution asks for more) the state's part of R&D in "
    "2030 exceeds it; it fits at about 66%-73% non-budget with budget spending at 22.4% or 18.2% of GDP (70% "
    "at the scenario's 19.4%, in half of the simulated GDP outcomes); the level of GDP does not move it.",
]
FEASIBILITY_VI = [
    "Mục tiêu đòi hỏi tỷ lệ chi cho nghiên cứu và phát triển (R&D) tăng thêm 1,50 điểm phần trăm GDP trong 5 "
    "năm; trong 100 nền kinh tế xuất phát dưới 1% GDP, không có nền kinh tế nào từng tăng được như vậy trong bất "
    "kỳ giai đoạn 5 năm nào (mức tăng lớn nhất: 0,85 điểm phần trăm).",
    "Ở mức thu nhập mà Việt Nam dự kiến đạt vào năm 2030, các nền kinh tế thường chi 0,37% GDP cho R&D "
    "(khoảng dự báo 80%: 0,11% đến 1,28%), so với mục tiêu 2%.",
    "Khi tính đến biến động của tăng trưởng, giá cả và tỷ giá, tổng chi cho R&D đạt mục tiêu năm 2030 là 12,9 "
    "tỷ USD (trung vị của 20.000 lần mô phỏng; từ bách phân vị thứ 10 đến thứ 90: 12,0 tỷ USD đến 13,8 tỷ USD).",
    "Nếu coi toàn bộ mức tối thiểu 3% ngân sách dành cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là "
    "mức cao nhất R&D có thể nhận (một giả định), với 60% kinh phí ngoài ngân sách nhà nước (Nghị quyết yêu cầu "
    "hơn 60%), phần chi cho R&D của Nhà nước năm 2030 vượt mức đó; phần này nằm trong mức đó khi ít nhất khoảng "
    "66%-73% kinh phí đến từ ngoài ngân sách, tùy theo chi ngân sách nhà nước ở mức 22,4% hay 18,2% GDP (chi ngân "
    "sách càng thấp, tỷ trọng cần có càng cao; 70% với mức 19,4% của kịch bản, ở một nửa số kết quả GDP mô phỏng); "
    "quy mô GDP không làm thay đổi tỷ lệ này.",
]

# from 55th to the top 50 in 2030 - 2025 = 5 years: (55 - 50) / 5 = 1.0 place a year
RANKING = {
    "report": "ecosystem_rankings",
    "latest_edition": 2025,
    "latest_rank": 55.0,
    "n_ranked_latest": 118.0,
    "projected_rank": 52.400000000000006,
    "projected_rank_lo": 41.2,
    "projected_rank_hi": 59.2,
    "prob_reach_target_pct": 31.6,
    "required_places_per_year": 1.0,
    "best_observed_places_per_year": 8.0,  # Indonesia 54th in 2020 to 38th in 2022 (its 2021 rank is derived)
    "best_observed_derived": False,
    "target_source": "assumption",  # the Resolution sets no startup-ranking target
    # 2nd among the two Southeast Asian economies with a 2025 rank in the data; its source states "5th in SEA"
    "regional_rank": 2,
    "regional_rank_stated": 5,
    "regional_rank_latest": 5,
    "regional_rank_best": 5,
    "regional_rank_worst": 5,
    "parameters": {"target_rank": 50, "target_year": 2030, "interval_pct": 80.0},
}
RANKING_EN = [
    "The 2025 edition ranks it 55 of 118; the target, the top 50 by 2030, is this scenario's assumption, not the "
    "Resolution's.",
    "The projected rank in 2030 is 52, an estimate (80% interval 41 to 59).",
    "The chance of reaching the top 50 by 2030 is 32%.",
    "Reaching it needs a climb of 1.0 places a year; the fastest climb seen between published ranks in this index is "
    "8.0 places a year.",
    "In Southeast Asia it ranks 5 in the 2025 edition, as the source of its rank states.",
]
RANKING_VI = [
    "Theo kỳ xếp hạng năm 2025, đứng thứ 55 trong số 118; mục tiêu thuộc nhóm 50 đứng đầu vào năm 2030 là giả định "
    "của kịch bản này, không phải của Nghị quyết.",
    "Thứ hạng dự phóng năm 2030 là 52 (ước tính; khoảng dự phóng 80%: 41 đến 59).",
    "Xác suất vào nhóm 50 đứng đầu vào năm 2030 là 32%.",
    "Để đạt mục tiêu cần tăng 1,0 bậc mỗi năm; mức tăng nhanh nhất giữa các thứ hạng công bố trong bảng xếp hạng này "
    "là 8,0 bậc mỗi năm.",
    "Trong khu vực Đông Nam Á, đứng thứ 5 ở kỳ xếp hạng năm 2025, theo nguồn công bố thứ hạng này.",
]

TRACKER = {  # 2 + 1 + 8 + 6 + 2 + 4 = 23; 3 of the 8 off track with windows that disagree
    "report": "resolution_targets",
    "targets_total": 23,
    "targets_on_track": 2,
    "targets_needs_acceleration": 1,
    "targets_off_track": 8,
    "targets_off_track_windows_disagree": 3,
    "targets_not_measurable": 6,
    "targets_without_period_data": 2,
    "targets_without_data": 4,
    "rd_paths_model": {  # 0.8% of GDP against 3% of budget at 22.4% or 18.2% of GDP: 119% or 146%
        "base_year": 2025,
        "gerd_nominal_cagr_pct": 45.1459,
        "gerd_target_usd_bn": 12.884,
        "state_gerd_pct_envelope_target": 133.333,
        "budget_exp_pct_gdp_low": 18.24,
        "budget_exp_pct_gdp_high": 22.42,
        "budget_exp_pct_gdp": 19.42,  # the model's: 0.8 / (0.03 x 19.42) = 137%
        "consistency_envelope_pct_at_floor": 0.8 / (0.03 * 19.42) * 100,
        "consistency_envelope_pct_at_floor_at_budget_high": 0.8 / (0.03 * 22.42) * 100,
        "consistency_envelope_pct_at_floor_at_budget_low": 0.8 / (0.03 * 18.24) * 100,
    },
}
TRACKER_EN = [
    "23 targets of Resolution 57 are tracked.",
    "By status: 2 on track, 1 in need of acceleration, 8 off track (of which 3 with the two windows disagreeing), "
    "6 not measurable, 2 with values but no observation for the target period and 4 with no data in this "
    "project's sources.",
    "For the R&D target, spending must grow 45.1% a year (nominal VND) from 2025, to 12.9 bn USD in the target "
    "year; at 60% non-budget (the Resolution asks for more), the state's part would need 119%-146% of the whole "
    "3% envelope for science, technology, innovation and digital transformation, with budget spending at "
    "22.4% or 18.2% of GDP (137% at the model's 19.4%).",
]
TRACKER_VI = [
    "Theo dõi 23 mục tiêu của Nghị quyết số 57-NQ/TW.",
    "Theo tình trạng: 2 mục tiêu đúng tiến độ, 1 cần đẩy nhanh tiến độ, 8 chậm tiến độ (trong đó 3 mục tiêu có kết "
    "quả theo giai đoạn ngắn và giai đoạn dài khác nhau), 6 chưa đánh giá được, 2 đã có số liệu nhưng chưa có số "
    "liệu nào thuộc giai đoạn mục tiêu và 4 chưa có số liệu trong các nguồn dữ liệu mà r57 sử dụng.",
    "Để đạt mục tiêu về nghiên cứu và phát triển (R&D), tổng chi phải tăng 45,1% mỗi năm (theo giá hiện hành) từ "
    "năm 2025, lên 12,9 tỷ USD vào năm mục tiêu; khi tỷ trọng ngoài ngân sách nhà nước ở mức 60% (Nghị quyết yêu "
    "cầu hơn 60%), phần của Nhà nước sẽ cần 119%-146% toàn bộ mức bố trí 3% cho khoa học, công nghệ, đổi mới sáng "
    "tạo và chuyển đổi số, tùy theo chi ngân sách nhà nước ở mức 22,4% hay 18,2% GDP (137% ở mức 19,4% của mô "
    "hình).",
]

KNOWN = {
    "rd_paths": (RD, RD_EN, RD_VI),
    "rd_feasibility": (FEASIBILITY, FEASIBILITY_EN, FEASIBILITY_VI),
    "ecosystem_rankings": (RANKING, RANKING_EN, RANKING_VI),
    "resolution_targets": (TRACKER, TRACKER_EN, TRACKER_VI),
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", str(html)))).strip()


def said(results: dict, lang: str) -> list[str]:
    with i18n.language(lang):
        return [text_of(s) for s in findings.findings(results)]


@pytest.mark.parametrize("report", registry.names())
def test_each_report_s_findings_are_its_figures_in_words(report):
    results, english, vietnamese = KNOWN[report]
    assert {spec.name for spec in registry.reports() if spec.findings} == set(KNOWN)
    assert said(results, "en") == english
    assert said(results, "vi") == vietnamese
    assert len(english) <= findings.MAX_FINDINGS


def test_every_number_is_in_strong_and_no_finding_repeats_a_number_twice_in_a_row():
    for results, _en, _vi in KNOWN.values():
        for lang in i18n.LANGS:
            with i18n.language(lang):
                for sentence in findings.findings(results):
                    assert "<strong>" in sentence
                    assert not re.search(r"(\d[\d.,]*%?) \1(?!\d)", text_of(sentence)), sentence


def test_the_start_after_a_survey_year_and_the_non_state_reading_have_their_own_words():
    observed = RD | {"start_status": "observed"}
    with i18n.language("en"):
        assert text_of(findings.rd_headline(observed)) == (
            "R&D spending was 0.50% of GDP in 2025; reaching 2% by 2030 needs it to grow 45.1% a year (nominal VND), "
            "to 12.9 bn USD (322 trillion VND) in 2030, 6.4 times the amount of 2025."
        )
        soe_bound = text_of(findings.rd_funders(RD | {"parameters": {"soe_funds_as": "state"}}))
        assert soe_bound.startswith("No survey measures the share of R&D paid from outside the state budget")
        assert soe_bound.endswith(
            "this scenario starts the non-state sector at 30% in 2025, and its R&D must grow "
            "66.7% a year to reach 60% in 2030."
        )
        soe = {k: v for k, v in RD.items() if "budget_bound" not in k} | {"parameters": {"soe_funds_as": "state"}}
        said = text_of(findings.rd_funders(soe))
        assert said.startswith("R&D paid by the non-state sector must grow 66.7% a year")
        # the published readings are of the non-budget share: said as such, not as readings of the non-state share
        assert re.search(r"counted as state; the published non-budget readings, \d+% to \d+%, count them outside", said)
        # a base year the budget data do not cover says that the bound is missing, not nothing
        assert said.endswith("outside the budget; no budget bound is available for that year).")
        no_bound = {k: v for k, v in RD.items() if "budget_bound" not in k}
        assert text_of(findings.rd_funders(no_bound)) == (
            "R&D paid from outside the state budget must grow 66.7% a year, from 30% of the total in 2025 (published "
            "readings 20% to 42%; no budget bound is available for that year) to 60% in 2030."
        )
    with i18n.language("vi"):
        assert text_of(findings.rd_funders(soe)).startswith("Kinh phí R&D của khu vực ngoài nhà nước phải tăng 66,7%")
        assert text_of(findings.rd_headline(observed)).startswith(
            "Tổng chi quốc gia cho nghiên cứu và phát triển (R&D) năm 2025 đạt 0,50% GDP;"
        )


@pytest.mark.parametrize(
    ("readings", "clause"),
    [
        (
            (20, 42, 62, 90),
            "the target of more than 60% lies between the readings: the evidence cannot say if it is met",
        ),
        (
            (55, 65, 70, 90),
            "the target of more than 60% lies between the readings: the evidence cannot say if it is met",
        ),
        ((20, 42, 45, 60), "on both readings the share is still below the target of more than 60%"),
        ((61, 70, 62, 90), "on both readings the share is already above the target of more than 60%"),
    ],
)
def test_the_funding_finding_places_both_readings_against_the_floor(readings, clause):
    """Statements and budget bound below, either side of or above the 60% floor (60% itself is not 'more than')."""
    ends = ("base_low", "base_high", "budget_bound_low", "budget_bound_high")
    r = RD | {f"nonbudget_share_{end}_pct": v for end, v in zip(ends, readings, strict=True)}
    with i18n.language("en"):
        assert f", so {clause}; starting, by assumption" in text_of(findings.rd_funders(r))


def test_the_budget_rule_finding_says_how_much_of_the_envelope_r_and_d_is_given():
    """70% non-budget is what fits when R&D takes the whole envelope (the default): said so; a scenario that leaves
    R&D half of it says that half, read from its results."""
    half = RD | {"envelope_rd_share_pct": 50.0, "whole_envelope": False, "consistency_nonbudget_needed_pct": 85.0}
    with i18n.language("en"):
        assert (
            "; it fits only if 70.0% comes from outside the state budget, even if all of the envelope went to R&D."
            in (text_of(findings.rd_consistency(RD)))
        )
        assert text_of(findings.rd_consistency(half)).endswith(
            "; with 50% of the envelope for R&D, it fits only if 85.0% comes from outside the state budget."
        )
    with i18n.language("vi"):
        assert "; với 50% mức bố trí dành cho R&D, phần này chỉ nằm trong mức bố trí đó nếu ít nhất 85,0% kinh phí" in (
            text_of(findings.rd_consistency(half))
        )
    without = {k: v for k, v in RD.items() if k != "whole_envelope"}  # not guessed: the sentence is left out
    assert findings.sentences(without, findings.rd_consistency) == []


def test_one_economy_and_one_target_are_singular():
    with i18n.language("en"):
        assert "0 of 1 economy that started" in text_of(
            findings.feasibility_analogues(FEASIBILITY | {"low_start_economies": 1})
        )
        assert text_of(findings.targets_tracked({"targets_total": 1})) == "1 target of Resolution 57 is tracked."


def test_a_regional_position_not_known_is_given_as_its_bounds_and_a_resolution_target_as_such():
    # Hanoi, 2025: 3rd among the four Southeast Asian cities with a 2025 rank; 11 others in the data have none
    city = RANKING | {"regional_rank_stated": None, "regional_rank_latest": None, "regional_rank_best": 3}
    city |= {"regional_rank_worst": 14}
    known = RANKING | {"regional_rank_stated": None, "regional_rank_latest": 3}  # every member has a rank
    derived = RANKING | {"best_observed_derived": True, "best_observed_places_per_year": 13.0}  # include_derived
    egov = RANKING | {"target_source": "resolution"}
    with i18n.language("en"):
        assert text_of(findings.rank_region(city)) == (
            "In Southeast Asia it ranks between 3 and 14 in the 2025 edition: 11 members of the region in the data "
            "have no rank in it, so the position is not known more closely."
        )
        assert text_of(findings.rank_region(known)) == (
            "In Southeast Asia it ranks 3 in the 2025 edition, in which every Southeast Asian member in the data has "
            "a rank."
        )
        assert text_of(findings.rank_pace(derived)).endswith(
            "13.0 places a year, from or to a rank worked back from a reported change."
        )
        assert text_of(findings.rank_latest(egov)).endswith("the target, the top 50 by 2030, is Resolution 57's own.")
    with i18n.language("vi"):
        assert text_of(findings.rank_region(city)).startswith(
            "Trong khu vực Đông Nam Á, đứng trong khoảng từ thứ 3 đến"
        )


def test_a_projection_without_an_interval_says_so():
    no_interval = RANKING | {"projected_rank_lo": None, "projected_rank_hi": None}
    with i18n.language("en"):
        assert text_of(findings.rank_projected(no_interval)) == (
            "The projected rank in 2030 is 52, an estimate without an interval."
        )


def test_the_naive_method_s_figure_is_said_as_the_latest_rank_held_not_as_a_projection():
    naive = RANKING | {"projection_method": "naive", "projected_rank": 55.0}
    said = i18n.each_language(lambda: text_of(findings.rank_projected(naive)))
    assert said == {
        "en": "For 2030 the latest rank, 55, is held, not a forecast of change (80% interval 41 to 59 from past "
        "changes).",
        "vi": "Năm 2030 giữ nguyên thứ hạng gần nhất, 55, không phải dự báo thay đổi (khoảng dự phóng 80%: 41 đến 59, "
        "theo các lần thay đổi trước đây).",
    }
    without = naive | {"projected_rank_lo": None, "projected_rank_hi": None}
    assert text_of(findings.rank_projected(without)) == (
        "For 2030 the latest rank, 55, is held, not a forecast of change."
    )


def test_a_projection_withheld_on_a_thin_backtest_says_why():
    # the rankings model's rule (rank-hcmc: StartupBlink cities' backtest scored 3 forecasts, 5 needed)
    thin = RANKING | {"projected_rank": None, "interval_note": "backtest_too_thin", "backtest_cases": 3}
    said = i18n.each_language(lambda: text_of(findings.rank_projected(thin)))
    assert said["en"] == (
        "No rank is projected for 2030: the backtest could check only 3 past forecasts against the published "
        "outcomes; at least 5 are needed to show how reliable a projection is."
    )
    assert said["vi"].startswith("Không dự phóng thứ hạng năm 2030: kiểm định hồi cứu chỉ đối chiếu được 3 dự báo")
    # rank-gii: the target year 2045 lies beyond the editions its backtest scored (the tracker withholds T19 too)
    beyond = RANKING | {"projected_rank": None, "interval_note": "beyond_backtest_horizon", "backtest_cases": 104}
    said = i18n.each_language(lambda: text_of(findings.rank_projected(beyond)))
    assert said["en"] == (
        "No rank is projected for 2030: the target year is further ahead than any past forecast the backtest could "
        "check against the published outcomes, so nothing shows how reliable a projection that far ahead is; that "
        "would need a longer run of data."
    )
    assert said["vi"].startswith("Không dự phóng thứ hạng năm 2030: mốc năm mục tiêu xa hơn mọi dự báo trong quá khứ")


@pytest.mark.parametrize(
    ("change", "left"),
    [
        ({"consistency_budget_pct_at_floor": None}, [0, 1, 2, 3]),  # null in results.json
        ({"gerd_multiple": "n/a"}, [0, 2, 3, 4]),  # not a number
        ({"budget_rule_plan_pct": math.nan}, [0, 1, 2, 4]),
        ({"parameters": None}, [0, 1, 2, 3, 4]),  # the default reading of the funders
    ],
)
def test_a_missing_figure_drops_its_sentence_only(change, left):
    with i18n.language("en"):
        assert [text_of(s) for s in findings.findings(RD | change)] == [RD_EN[i] for i in left]


def test_a_missing_key_drops_its_sentence_and_nothing_crashes():
    without = {k: v for k, v in RD.items() if k != "nonstate_gerd_nominal_cagr_pct"}
    with i18n.language("en"):
        assert [text_of(s) for s in findings.findings(without)] == [RD_EN[0], RD_EN[1], RD_EN[3], RD_EN[4]]
        assert findings.findings({"report": "rd_paths"}) == []
        assert findings.findings({"report": "no_such_report", "base_year": 2025}) == []
        assert findings.findings({}) == []
        assert findings.findings({"report": "resolution_targets", "rd_paths_model": None}) == []


PROVENANCE = {
    "provenance": {
        "code_version": {"package": "0.2.0", "commit": "abc", "dirty": False},
        "data_manifest_version": "2026-11-22.1",
        "run_at_utc": "2026-11-23T09:05:00+00:00",
    }
}


def test_how_to_cite_names_the_version_the_run_date_and_the_data_manifest():
    # authors and software title as CITATION.cff has them
    with i18n.language("en"):
        assert text_of(findings.citation("The path to 2% of GDP", PROVENANCE)) == (
            "r57 contributors (2026). The path to 2% of GDP. In r57: analytical notebooks on Viet Nam's Resolution "
            "57-NQ/TW targets, version 0.2.0; run on 23 November 2026; data manifest version 2026-11-22.1."
        )
        assert "feasible? In r57" in text_of(findings.citation("Is it feasible?", PROVENANCE))  # no "?."
    with i18n.language("vi"):
        assert text_of(findings.citation("Lộ trình", PROVENANCE)) == (
            "r57 contributors (2026). Lộ trình. Trong: r57: analytical notebooks on Viet Nam's Resolution 57-NQ/TW "
            "targets [Bộ sổ tay phân tích các mục tiêu của Nghị quyết số 57-NQ/TW], phiên bản 0.2.0; chạy ngày "
            "23/11/2026; phiên bản danh mục dữ liệu 2026-11-22.1."
        )
    assert findings.citation("t", {}) is None
    assert findings.citation("t", {"provenance": PROVENANCE["provenance"] | {"run_at_utc": "unknown"}}) is None


def _md(text: str):
    return nbformat.v4.new_markdown_cell(text)


def _html(text: str):
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": text})]
    return cell


def _box_at(cells: list) -> int:
    nb = nbformat.v4.new_notebook(cells=cells)
    with i18n.language("en"):
        out = with_findings(nb, "T", RD | PROVENANCE)
    return next(i for i, c in enumerate(out.cells) if "r57-findings" in str(c.get("outputs", "")))


def test_the_box_goes_after_the_title_and_introduction_and_before_the_first_table():
    params = nbformat.v4.new_code_cell("x = 1")
    table = _html("<table><tr><td>1</td></tr></table>")
    # title, two paragraphs of introduction, then a section
    assert _box_at([params, _md("# Title"), _md("Intro."), _md("More intro."), _md("## Section"), table]) == 4
    assert _box_at([params, _md("# Title\n\nIntro.\n\n## Section"), table]) == 2  # all in one cell
    assert _box_at([params, _md("# Title"), _md("Intro."), table, _md("## Section")]) == 3  # a table first
    assert _box_at([_html("<h1>Title</h1>"), table]) == 1  # a title shown by a cell
    assert _box_at([table, _md("# Title")]) == 0  # never below a table
    assert _box_at([params, _md("no title"), table]) == 0


def test_how_to_cite_is_in_the_provenance_footer_after_its_first_paragraph():
    footer = '<footer class="r57-footer"><h2>About</h2><p>Produced by r57.</p><details>x</details></footer>'
    nb = nbformat.v4.new_notebook(cells=[_md("# T"), _html(footer)])
    with i18n.language("en"):
        cells = with_findings(nb, "T", RD | PROVENANCE).cells
    assert len(cells) == 3  # title, box, footer
    shown = cells[-1].outputs[0].data["text/html"]
    assert shown.startswith(
        '<footer class="r57-footer"><h2>About</h2><p>Produced by r57.</p><p class="r57-cite"><strong>How to cite:'
        "</strong> r57 contributors (2026). T. In r57"
    )
    assert shown.endswith("data manifest version 2026-11-22.1.</p><details>x</details></footer>")
    # a page without the footer (an older notebook) gets the line in a footer of its own, at the end
    with i18n.language("en"):
        alone = with_findings(nbformat.v4.new_notebook(cells=[_md("# T")]), "T", PROVENANCE).cells
    assert len(alone) == 2 and alone[-1].outputs[0].data["text/html"].startswith(
        '<footer class="r57-footer"><p class="r57-cite">'
    )


def test_a_page_without_findings_or_provenance_gets_no_box():
    nb = nbformat.v4.new_notebook(cells=[_md("# T")])
    assert len(with_findings(nb, "T", {"report": "rd_paths"}).cells) == 1


# the findings each default run states: every sentence, except the rankings' chance (the default index, StartupBlink,
# has no interval to compute it from). A figure renamed in a report drops its sentence: this count fails.
DEFAULT_FINDINGS = {"rd_paths": 5, "rd_feasibility": 5, "ecosystem_rankings": 4, "resolution_targets": 3}
HEADING = {"en": "Key findings", "vi": "Những điểm chính"}


@pytest.mark.notebook
@pytest.mark.parametrize("name", registry.names())
def test_every_report_opens_with_its_key_findings_above_the_first_table(report_build, name):
    for lang, run in report_build(name).items():
        html = (run.run_dir / "report.html").read_text(encoding="utf-8")
        box = html.index('class="r57-findings"')
        assert html.index("<h1") < box < html.index("<table"), (name, lang)
        shown = html[box : html.index("</section>", box)]
        assert HEADING[lang] in shown
        sentences = said(run.results, lang)
        assert len(sentences) == DEFAULT_FINDINGS[name], (name, lang, sentences)
        for sentence in sentences:
            assert sentence in text_of(shown), (name, lang, sentence)
        cite = html.index('<p class="r57-cite">')  # in the provenance footer
        assert html.rindex('<footer class="r57-footer">') < cite < html.rindex("</footer>")
        assert ("How to cite:" if lang == "en" else "Cách trích dẫn:") in html[cite:]
        assert run.results["provenance"]["data_manifest_version"] in html[cite:]


def test_the_feasibility_findings_lead_with_the_widened_band_and_give_the_fitted_ones_record():
    """10 past origins whose 80% bands held 4 (40%); shocks widened x2.28 (gdp_band_scale). The range quotes the
    widened figures first (the band that would have held 80%), then the fitted ones with the share of past cases
    such bands held; results without them keep the fitted sentence. The budget sentence
    quotes neither: the range budget spending's share of GDP gives swamps them (66%-73%, the scenario's 70%
    inside), and at 80% non-budget, above that range, the state's part fits."""
    record = FEASIBILITY | {
        "gdp_band_backtest_cases": 10,
        "gdp_band_backtest_horizon_years": 5,
        "gdp_band_backtest_coverage_pct": 40.0,
        "gdp_band_scale": 2.28,
        "gerd_target_usd_bn_p10_widened": 10.61,
        "gerd_target_usd_bn_p90_widened": 15.02,
        "prob_state_gerd_exceeds_envelope_pct_widened": 98.4,
        "nonstate_share_needed_p50_pct_widened": 74.2,
        "nonstate_share_needed_p90_pct_widened": 74.6,
    }
    with i18n.language("en"):
        assert text_of(findings.feasibility_band_record(record)) == (
            "Growth models fitted at 10 past origins held the next 5 years' real growth within their 80% bands in "
            "40% of cases; widening their shocks x2.28 would have made them hold 80%, but so few overlapping windows "
            "cannot check that factor: the ranges lead with the widened band, the fitted model's beside it."
        )
        assert text_of(findings.feasibility_size(record)).endswith(
            "(median of 20,000 simulations; 80% range 10.6 bn USD to 15.0 bn USD with the growth shocks widened "
            "x2.28 (an unchecked factor), the factor that would have made past 80% bands hold; the fitted model's own 80% band, 12.0 bn "
            "USD to 13.8 bn USD, held the outcome in 40% of past cases)."
        )
        assert text_of(findings.feasibility_budget(record)) == FEASIBILITY_EN[3]
        fits = record | {"nonstate_share_scenario_pct": 80.0, "state_part_fits_envelope_arithmetic": True}
        assert text_of(findings.feasibility_budget(fits)).endswith(
            "at 80% non-budget (the scenario's share) the state's part of R&D in 2030 fits it; it would fit down to "
            "about 66%-73% non-budget with budget spending at 22.4% or 18.2% of GDP (70% at the scenario's 19.4%, "
            "in half of the simulated GDP outcomes); the level of GDP does not move it."
        )
        assert text_of(findings.feasibility_size(FEASIBILITY)) == FEASIBILITY_EN[2]
    with i18n.language("vi"):
        assert "2,28" in text_of(findings.feasibility_band_record(record))
        assert text_of(findings.feasibility_size(record)).endswith(
            "khoảng 80%: 10,6 tỷ USD đến 15,0 tỷ USD khi độ lớn cú sốc tăng trưởng được nhân 2,28 lần (hệ số chưa "
            "được kiểm định), hệ số lẽ ra giúp các khoảng 80% trong quá khứ đạt đúng mức đó; khoảng 80% của chính mô hình đã ước lượng, 12,0 tỷ "
            "USD đến 13,8 tỷ USD, chỉ chứa kết quả thực tế ở 40% số trường hợp trong quá khứ)."
        )
        assert "66%-73%" in text_of(findings.feasibility_budget(record))
