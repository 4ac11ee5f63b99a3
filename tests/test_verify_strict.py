"""The stricter quote check on a tiny report: omissions, splices, quotes across
paragraphs, the header quoted, explanations, and no citation for not_found.

Every match and every piece must be the file's own text at its offsets.
"""
from __future__ import annotations

import json

import pytest

from conftest import engine_for
from rag.reader.meta import HEADER_SECTION
from rag.verify import Change, verify

REPORT = """首页 > 新闻
测试市科协年度工作综述
2025-01-02 10:00|文章来源:测试市科协

一年来,测试市科协扎实推进各项工作,全市建成院士工作站12家,专家工作站30家,科技志愿者达到1.5万人。

科普工作

全市科技馆年接待观众18万人次,科普大篷车行程5000公里,惠及群众3万人。全市40所学校配备科学副校长,科学教师队伍壮大至900多人,青少年科学教育基础不断夯实。

所属学会发展到25个。邀请王小明院士作专题报告,反响热烈。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return engine_for(tmp_path_factory, "strict", {"report.txt": REPORT}).index


def _check(index, quote: str):
    """Verify; every citation indexes the file's own text; the JSON round-trips."""
    v = verify(index, quote)
    d = v.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert v.explanation.endswith("。") and v.explanation.count("。") == 1
    if v.match:
        cites = [(v.match.text, v.match.citation)] + [(p.text, p.citation) for p in v.match.pieces]
        assert all(text == REPORT[c.start:c.end] for text, c in cites)
    return v


def _pieces(v):
    return [(p.text, p.citation.paragraph) for p in v.match.pieces]


def test_unmarked_omission_is_altered_and_names_the_dropped_clause(index):
    v = _check(index, "全市40所学校配备科学副校长,青少年科学教育基础不断夯实。")
    assert v.verdict == "altered"
    assert v.match.changes == (Change("omission", "", "科学教师队伍壮大至900多人"),)
    assert _pieces(v) == [("全市40所学校配备科学副校长", 2), ("青少年科学教育基础不断夯实。", 2)]
    assert v.explanation == "引文与第2段的原文不符：引文未加省略号，删去了原文的“科学教师队伍壮大至900多人”。"
    assert v.match.text == "全市40所学校配备科学副校长,科学教师队伍壮大至900多人,青少年科学教育基础不断夯实。"


def test_the_same_cut_with_an_elision_mark_is_near(index):
    v = _check(index, "全市40所学校配备科学副校长……青少年科学教育基础不断夯实。")
    assert (v.verdict, v.match.changes) == ("near", ())
    assert v.explanation == "引文用省略号删节了第2段的部分原文，保留的文字与原文一致。"


def test_a_word_dropped_inside_a_clause_stays_a_wording_change(index):
    v = _check(index, "全市科技馆年接待观众18万人次,科普大篷车行程5000公里,惠及3万人")
    assert v.verdict == "altered"
    assert [c.kind for c in v.match.changes] == ["wording"]


def test_splice_of_two_paragraphs_cites_each_piece(index):
    v = _check(index, "全市建成院士工作站12家,惠及群众3万人。")
    assert v.verdict == "altered"
    assert _pieces(v) == [("全市建成院士工作站12家", 1), ("惠及群众3万人。", 2)]
    assert [c.kind for c in v.match.changes] == ["omission"]
    assert v.match.changes[0].source.startswith("专家工作站30家") and "科普工作" in v.match.changes[0].source
    assert v.explanation == "引文把原文中不相连的第1段和第2段的文字拼接在一起，中间没有省略号。"


def test_splice_in_another_order_is_altered(index):
    v = _check(index, "邀请王小明院士作专题报告,全市科技馆年接待观众18万人次")
    assert v.verdict == "altered"
    assert _pieces(v) == [("邀请王小明院士作专题报告", 3), ("全市科技馆年接待观众18万人次", 2)]
    assert [d.op for d in v.match.diff] == ["replace"]


def test_quote_across_two_paragraphs_is_exact_and_cited_in_each(index):
    v = _check(index, "青少年科学教育基础不断夯实。所属学会发展到25个。")
    assert v.verdict == "exact"
    assert _pieces(v) == [("青少年科学教育基础不断夯实。", 2), ("所属学会发展到25个。", 3)]
    assert v.explanation == "引文与原文一致，但跨越了第2段和第3段，各段分别标出出处。"


def test_quote_across_a_heading_is_near_and_cited_in_each_paragraph(index):
    v = _check(index, "科技志愿者达到1.5万人。全市科技馆年接待观众18万人次")
    assert (v.verdict, v.match.changes) == ("near", ())
    assert _pieces(v) == [("科技志愿者达到1.5万人。", 1), ("全市科技馆年接待观众18万人次", 2)]


@pytest.mark.parametrize("quote, text", [
    ("测试市科协年度工作综述", "测试市科协年度工作综述"),
    ("《测试市科协年度工作综述》", "测试市科协年度工作综述"),
    ("文章来源：测试市科协", "文章来源:测试市科协"),
    ("2025-01-02", "2025-01-02"),
])
def test_title_and_dateline_are_exact(index, quote, text):
    v = _check(index, quote)
    assert v.verdict == "exact" and v.match.text == text and v.match.changes == ()
    c = v.match.citation
    assert (c.paragraph, c.section) == (0, HEADER_SECTION)
    assert v.explanation == "引文与报告页头（标题、日期或来源）的原文一致。"


def test_traditional_script_quote_is_exact_at_the_original_offsets(index):
    v = _check(index, "全市科技館年接待觀眾18萬人次")
    assert v.verdict == "exact" and v.match.text == "全市科技馆年接待观众18万人次"
    assert v.match.citation.start == REPORT.index("全市科技馆年接待观众")
    assert v.explanation == "引文与第2段的原文一致。"


def test_changed_number_explains_itself(index):
    v = _check(index, "全市建成院士工作站13家")
    assert v.verdict == "altered" and v.match.changes == (Change("number", "13家", "12家"),)
    assert v.explanation == "引文与第1段的原文不符：引文为“13家”，原文为“12家”。"


def test_not_found_offers_no_citation(index):
    v = _check(index, "上海市召开年度工作会议部署重点任务")
    assert (v.verdict, v.match) == ("not_found", None)
    assert v.to_dict() == {"quote": "上海市召开年度工作会议部署重点任务", "verdict": "not_found",
                           "explanation": "报告中没有找到与这段引文足够接近的内容，因此不给出处。", "match": None}
