"""Retrieval and reading on the tiny corpus, with exact expected results."""
from __future__ import annotations

import numpy as np
import pytest

from rag.reader.evidence import lexical_coverage
from rag.reader.span import short_span
from rag.text.terms import content
from rag.config import Settings
from rag.engine import Engine, QuestionError
from rag.text.qtype import qtype
from rag.text.spans import candidate_spans
from rag.search import SearchSettings, fuse, minmax, search
from conftest import FAKE


@pytest.fixture
def engine(tiny_corpus, tmp_path):
    return Engine.open(Settings.resolve(corpus=str(tiny_corpus), index=str(tmp_path / "ix"), model=FAKE), rebuild=True)


def _top_chunk(engine, q, mode="hybrid"):
    qvec = engine.embedder.queries([q])[0]
    return search(engine.index, q, qvec, k=5, settings=SearchSettings(mode=mode))[0].chunk.id


@pytest.mark.parametrize("question, chunk", [
    ("院士工作站有多少家", 0),
    ("科技馆接待了多少观众", 1),
    ("学会发展到多少个", 2),
    ("培训农民多少人次", 3),
    ("电商帮助销售了多少农产品", 4),
])
def test_hybrid_top_chunk(engine, question, chunk):
    assert _top_chunk(engine, question) == chunk
    assert _top_chunk(engine, question, "bm25") == chunk


def test_fusion_is_weighted_minmax():
    d, l = np.array([0.2, 0.6, 0.4]), np.array([0.0, 1.0, 4.0])
    assert np.allclose(fuse(d, l, 0.5), [0.0, 0.5 + 0.125, 0.25 + 0.5])
    assert minmax(np.array([3.0, 3.0])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("question, text, sentence_start", [
    ("全市建成了几家院士工作站?", "12家", "全市共建成院士工作站"),
    ("科技館每年接待多少觀眾?", "18万人次", "全市科技馆年接待观众"),
    ("科普大篷车跑了多少公里", "5000公里", "科普大篷车行程"),
    ("请了哪位院士作专题报告？", "王小明", "邀请王小明院士"),
    ("电商平台帮助销售了多少农产品", "2.5亿元", "电商平台帮助销售农产品"),
])
def test_answers_are_verbatim_with_citation(engine, question, text, sentence_start):
    r = engine.ask(question)
    assert r.answer is not None, r.to_dict()
    a = r.answer
    assert a.text == text and a.sentence.startswith(sentence_start)
    doc = engine.index.docs[a.citation.doc]
    assert doc.text[a.citation.start:a.citation.end] == a.sentence
    assert doc.text[a.span_start:a.span_end] == a.text
    for p in r.passages:
        assert engine.index.docs[p.citation.doc].text[p.citation.start:p.citation.end] == p.text


def test_unrelated_question_abstains_with_passages(engine):
    r = engine.ask("明天武汉会下雨吗")
    assert r.abstained and r.answer is None and len(r.passages) == 5
    assert r.to_dict()["answer"] is None and r.to_dict()["abstained"] is True


@pytest.mark.parametrize("bad", ["", "   ", "问" * 501, "😀😀😀", "★★★", "ㅋㅋㅋ", "？？？！！！"])
def test_bad_questions_are_clear_errors(engine, bad):
    with pytest.raises(QuestionError):
        engine.ask(bad)


def test_question_types():
    assert [qtype(q) for q in ["哪一年完成的", "有几个学会", "谁来授课", "获得了什么称号", "介绍一下科普工作",
                               "How many stations?", "When was it founded?", "Who spoke?"]] == \
        ["date", "number", "person", "name", "other", "number", "date", "person"]


def test_english_wh_phrases_that_ask_a_figure_or_a_date():
    """The wh-phrase decides the type, whatever the measure's place in the question; what names
    no measure stays a name."""
    figures = ["What did Hubei's GDP reach by the end of 2025?", "What is Hubei's target for new urban jobs?",
               "What was Sichuan's average PM2.5 concentration in 2025?", "What is the forest coverage rate now?",
               "What cargo throughput did the hub reach?", "What cargo and mail throughput did it reach?",
               "What ratio of R&D spending to GDP does Shanghai target?"]
    dates = ["On which dates did he visit?", "What period does the plan cover?", "At what time did it begin?"]
    names = ["What did the plan reach?", "What is the target of the reform?", "Where is the new port?",
             "What role does the fund play?", "What leap in computing scale does it aim for?"]
    assert [qtype(q) for q in figures + dates + names] == ["number"] * 7 + ["date"] * 3 + ["name"] * 5


def test_spans_and_content():
    assert content("请问黄石有几家院士工作站？") == "黄石院士工作站?"
    assert [("数字", s) for s in candidate_spans("number", "2024年,比例达15.3%,建成4家")] == \
        [("数字", (9, 14)), ("数字", (17, 19))]
    assert short_span("比例是多少", "2024年,比例达15.3%,建成4家") == (9, 14)
    assert short_span("介绍一下", "没有可取的片段") is None


def test_lexical_coverage_prefers_the_matching_sentence():
    cov = lexical_coverage("科普大篷车行程多少公里", ["科普大篷车行程5000公里", "学会发展到25个"])
    assert cov[0] > 0.8 and cov[1] == 0.0


def test_short_span_prefers_the_asked_unit_and_the_echoing_clause():
    s = "全市275所学校配备科学副校长,科学教师队伍壮大至2800多人"
    assert s[slice(*short_span("科学教师有多少人", s))] == "2800多人"
    s = "邀请李元元等5位院士齐聚黄石"
    assert s[slice(*short_span("哪位院士来了", s, subject="黄石市科协工作综述"))] == "李元元"
    assert short_span("五年来建了几个", "五年来,累计创建阵地145个") == (10, 14)


def test_money_questions_need_a_sum():
    from rag.reader.units import unit_fits

    assert not unit_fits("科技馆每年的运营经费是多少", "黄石科技馆年均参观量突破30万人次")
    assert unit_fits("带动了多少钱的消费", "带动消费50亿元以上")


def test_meta_nouns_are_not_topic_terms():
    from rag.text.terms import missing_terms

    assert missing_terms("全域科普矩阵的名称是什么？", "构建“1+8+N”全域科普矩阵") == ([], [])
    assert missing_terms("上海有几家工作站？", "现建有院士工作站4家,海智工作站3个") == (["上海"], [])


def test_question_type_reads_traditional_and_which_cues():
    from rag.text.qtype import qtype

    assert [qtype(q) for q in ("黃石市科協現任黨組書記是誰？", "被哪几个部门表彰", "有幾家", "How many?", "派了什么人")] \
        == ["person", "name", "number", "number", "name"]


def test_a_date_alone_in_its_clause_is_read_with_the_next_clause():
    s = "2024年,黄石市公民具备科学素质比例达15.3%,圆满完成目标"
    assert short_span("15.3%这个比例是哪一年的数据？", s, strict=True) == (0, 5)
    # strict: a year in a clause about something else does not answer 哪一年
    assert short_span("代表大会是哪一年召开的？", "此项荣誉被写入《2024年省政府工作报告》", strict=True) is None


def test_names_glued_to_a_conjunction_or_abbreviated_are_not_strong_misses():
    from rag.text.terms import missing_terms

    assert missing_terms("学会和东贝一共签了多少项协议？", "同东贝、宝科智能等重点企业签订合作协议20余项")[0] == []
    assert missing_terms("中國科協表彰了什麼", "被科技部、中宣部、中科协联合表彰") == ([], ["中国科协"])


def test_english_place_names_must_be_in_the_cited_paragraph():
    from rag.reader import Query
    from rag.reader.evidence import evidence_misses

    class Doc:  # the smallest document the evidence check reads
        title, text = "黄石市科协工作综述", "全市科技志愿者注册人数达5万人。武汉理工大学来黄对接。"
        view, fields = text, ()
        paragraphs = (type("P", (), {"section": "", "start": 0, "end": 16})(),)

        def paragraph(self, n):
            return self.paragraphs[n - 1]

        def lead_in(self, n):
            return ""

    class Index:
        docs = {"d": Doc()}

    cand = type("C", (), {"doc": "d", "paragraph": 1, "start": 0, "end": 16})()
    q = "How many science volunteers are registered?"
    assert evidence_misses(Index(), Query(q, "志愿者"), cand)[0] == 0
    assert evidence_misses(Index(), Query(q + " in Wuhan", "武汉 志愿者", (), (("武汉",),)), cand)[0] == 1


def _one_paragraph_index(text: str, title: str = "政府工作报告", fields=()):
    class Doc:
        view = text
        def paragraph(self, n):
            return type("P", (), {"section": "", "start": 0, "end": len(text)})()

        def lead_in(self, n):
            return ""

    doc = Doc()
    doc.title, doc.text, doc.fields, doc.date = title, text, fields, "2026-02-05"
    doc.paragraphs = (doc.paragraph(1),)
    cand = type("C", (), {"doc": "d", "paragraph": 1, "start": 0, "end": len(text)})()
    return type("I", (), {"docs": {"d": doc}})(), cand


def test_the_documents_own_subject_and_an_unstated_year_are_not_missing():
    from rag.reader import Query
    from rag.reader.evidence import evidence_misses

    header = (("occasion", "——2026年1月26日在广东省第十四届", 7, 27),)
    index, cand = _one_paragraph_index("把稳就业放在优先位置来抓，城镇新增就业110万人以上。", fields=header)
    assert evidence_misses(index, Query.of("广东今年城镇新增就业的目标是多少人？"), cand)[0] == 0
    # The year the paragraph does not state is weak; another place is still strong.
    assert evidence_misses(index, Query.of("2025年城镇新增就业多少人？"), cand) == (0, 1, 0)
    assert evidence_misses(index, Query.of("湖南今年城镇新增就业的目标是多少人？"), cand)[0] == 1
    assert evidence_misses(index, Query.of("2020年城镇新增就业多少人？"), cand)[0] == 1  # not the report's year
    index, cand = _one_paragraph_index("2024年城镇新增就业110万人以上。", fields=header)
    assert evidence_misses(index, Query.of("2025年城镇新增就业多少人？"), cand)[0] == 1


def test_spaced_dates_and_numbers_are_answers():
    from rag.text.spans import has_fit
    from rag.reader.units import unit_fits

    assert has_fit("date", "並由主責機關於 4 月 26 日於平台上正式回應")
    assert unit_fits("每人补助多少元？", "每人補助 17000 元")


def test_which_ones_questions_need_a_list_next_to_the_named_set():
    from rag.reader.lists import lists_fit

    assert lists_fit("科协系统完成了哪些重大任务？", "圆满完成疫情防控、脱贫攻坚、文明创建等重大任务")
    assert not lists_fit("“九大行动”分别是哪些行动？", "明晰“五链一圈”总体架构与“九大行动”实施路径")
    assert lists_fit("黄石有几家院士工作站？", "现建有院士工作站4家")  # not a which-ones question


def test_tagger_guesses_and_surnameless_person_tags_are_not_names():
    from rag.text.terms import missing_terms

    assert missing_terms("五年里市科协请了多少人次院士？", "五年来,黄石市科协累计邀请院士50人次")[0] == []


def test_a_what_question_finds_the_quoted_name_in_the_clause_that_echoes_it():
    s = "创新开展“科协业务讲评会”、“科协讲堂”,着力打造“六型”机关和专业化干部队伍"
    assert short_span("科协想把机关打造成什么样的机关？", s, strict=True) == (26, 28)  # 六型
    assert short_span("科协的会员有什么福利？", s, strict=True) is None


def test_a_span_of_years_answers_a_which_years_question():
    from rag.text.spans import candidate_spans

    s = "深入实施《黄石市全民科学素质行动规划纲要(2021—2025)》"
    assert [s[a:b] for a, b in candidate_spans("date", s)] == ["2021—2025"]


def test_a_count_is_not_answered_by_a_date_nor_a_which_year_question_by_a_day():
    from rag.reader.fits import year_fits

    s = "提案在 2 月 26 連署通過後，行政院進行研析"
    assert candidate_spans("number", s) == [] and short_span("提案获得多少人附议？", s) is None
    t = "3 月 21 日，盘点50处"
    assert [t[a:b] for a, b in candidate_spans("number", t)] == ["50处"]
    assert not year_fits("In which year was the act passed?", s) and year_fits("哪一年通過？", "2019 年 2 月 26 日通過")
    assert year_fits("哪一天通過連署？", s)


def test_a_journalists_framing_is_not_a_topic_term():
    from rag.text.terms import missing_terms
    from rag.text.qtype import qtype

    assert missing_terms("请核实一下:攻克的关键技术难题是多少项?", "攻克关键技术难题258项") == ([], [])
    assert qtype("會在哪一天開幕?") == "date"


def test_repeated_questions_are_answered_from_the_cache(engine):
    """The same question (after cleaning) and top_k gives the very same response; another top_k is asked anew."""
    from concurrent.futures import ThreadPoolExecutor

    first = engine.ask("院士工作站有多少家？", 3)
    assert engine.ask(" 院士工作站有多少家？ ", 3) is first
    assert len(engine.ask("院士工作站有多少家？", 1).passages) == 1 and len(first.passages) == 3
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: engine.ask("院士工作站有多少家？", 3).to_dict(), range(8)))
    assert all(r == first.to_dict() for r in results)


def test_a_number_inside_a_quoted_name_is_not_a_value():
    """“新十二月市” names a brand; a how-many question must not take 十二月 for a count."""
    from rag.reader.units import unit_fits

    s = "打造“新十二月市”“3+1”等文旅消费品牌，全省接待游客超11亿人次"
    assert [s[a:b] for a, b in candidate_spans("number", s)] == ["11亿人次"]
    assert candidate_spans("number", "打造“新十二月市”品牌") == []
    # an amount of money asked wants a sum in 元, a rate does not
    assert not unit_fits("乐山机场的总投资是多少？", "加快天府国际机场二期等工程前期工作")
    assert unit_fits("乐山机场的总投资是多少？", "总投资120亿元") and unit_fits("投资增长了多少", "增长5%")
    # counted in 台, and in Traditional script
    assert unit_fits("加装了多少台电梯？", "加装电梯3295台") and unit_fits("加裝了多少台電梯", "加裝電梯3295臺")


def test_a_lead_in_line_scopes_the_line_it_introduces(tmp_path_factory):
    """A glossary's term line (2.“两新”：) and its definition are separate paragraphs; the definition
    is a candidate whenever the term line is, and reads the term as its scope."""
    from conftest import engine_for
    from rag.index.store import passage_text
    from rag.reader.candidates import candidates
    from rag.types import Hit

    glossary = ("2026年某省政府工作报告\n\n名词解释\n\n1.“四上”企业：\n\n指达到一定规模的法人单位。\n\n"
                "2.“两新”：\n\n指大规模设备更新和消费品以旧换新。\n")
    eng = engine_for(tmp_path_factory, "glossary", {"g.txt": glossary})
    doc = next(iter(eng.index.docs.values()))
    number = next(p.number for p in doc.paragraphs if doc.view[p.start:p.end].startswith("指大规模"))
    assert doc.lead_in(number) == "2.“两新”：" and doc.lead_in(number - 1) == ""
    assert "2.“两新”：" in passage_text(doc, number, "指大规模设备更新和消费品以旧换新。")
    term = next(c for c in eng.index.chunks if doc.view[c.start:c.end] == "2.“两新”：")
    texts = [doc.view[c.start:c.end] for c in candidates(eng.index, [Hit(term, 1.0, 1.0, 1.0)], 1)]
    assert texts == ["2.“两新”：", "指大规模设备更新和消费品以旧换新。"]


def test_a_sentence_of_the_wrong_shape_is_a_misfit_as_well_as_a_strong_miss():
    """A whole does not answer its part, and a count restated without its members lists none:
    both are the sentence's shape (misfit), counted among the strong misses too."""
    from rag.reader import Query
    from rag.reader.evidence import evidence_misses

    def misses(question, sentence):
        index, cand = _one_paragraph_index(sentence)
        strong, _, misfit = evidence_misses(index, Query.of(question), cand)
        return strong, misfit

    part = "全厂1200名职工中，女职工有多少人？"
    # neither the part's words nor a figure beside them: two shape misses
    assert misses(part, "全厂职工1200人，其中技术人员300人。") == (2, 2)
    assert misses(part, "全厂职工1200人，其中女职工500人。") == (0, 0)
    # a setting is no whole: 工作中 asks no part
    assert misses("今年工作中，新增就业多少人？", "新增就业30万人。") == (0, 0)
    members = "试点的12个镇分别是哪些？"
    assert misses(members, "全县36个甲类、乙类乡镇中，有12个镇开展试点。") == (1, 1)
    assert misses(members, "甲镇、乙镇等12个镇开展试点。") == (0, 0)
    assert misses(members, "12个镇开展试点，分别为甲镇、乙镇、丙镇。") == (0, 0)


def test_a_header_date_is_answered_without_the_space_after_it(report_engine):
    # The shipped report's dateline is "2025-12-17 09:24|文章来源:…": the date ends before the time.
    a = report_engine.ask("这份报告是什么时候发布的？").answer
    doc = report_engine.index.docs[a.citation.doc]
    assert a.text == "2025-12-17" and doc.text[a.span_start:a.span_end] == a.text


def test_an_english_count_is_answered_with_the_number_of_the_thing_it_counts(real_engine):
    # 全市275所学校配备科学副校长,科学教师队伍壮大至2800多人: schools are 275所, teachers 2800多人.
    assert real_engine.ask("How many schools in Huangshi have a science vice-principal?").answer.text == "275所"
    assert real_engine.ask("How many science teachers are there?").answer.text == "2800多人"


def test_who_is_a_named_person_shows_the_sentence_not_another_name(real_engine):
    # 推荐王加军、刘光辉…,推荐湖北师范大学吴杰教授…: "Who is Wu Jie?" is not answered 王加军.
    for question in ("Who is Wu Jie?", "吴杰是谁？"):
        a = real_engine.ask(question).answer
        assert a is not None and "吴杰教授" in a.text and a.text == a.sentence, question


def test_a_chinese_count_shows_the_number_of_the_thing_it_counts():
    from rag.reader.span import short_span

    # 全台222個第一類漁港，僅有18個漁港開放釣魚: the ports open to anglers are 18, not all 222.
    s = "全台 222 個第一類、第二類漁港，僅有 18 個漁港開放釣魚"
    a, b = short_span("全台有多少个渔港开放钓鱼？", s)
    assert s[a:b] == "18 個"


def test_what_another_report_is_about_is_not_answered_from_one_that_never_says_it(tmp_path_factory, monkeypatch):
    """广东's subsidy asked of a corpus where only Sichuan's report gives one: refused, its best guess kept,
    however confident the model; the same question about Sichuan is answered."""
    from conftest import engine_for
    from rag.reader.candidates import Candidate
    from rag.reader.evidence import other_subject
    from rag.reader.model import ReaderModel

    monkeypatch.setattr(ReaderModel, "answers", lambda self, confidence, margin: True)  # the fake embedder's are low
    filler = "".join(f"第{i}项工作有序推进。" for i in range(250))  # a whole report's length (WHOLE_REPORT)
    eng = engine_for(tmp_path_factory, "two-reports", {
        "sc.txt": f"2026年四川省人民政府工作报告\n\n兑现以旧换新补贴169亿元，发放消费券超7亿元。\n\n{filler}\n",
        "gd.txt": f"2026年广东省政府工作报告\n\n全省地区生产总值14.58万亿元。\n\n{filler}\n"})
    trace = eng.trace("2025年广东兑现了多少亿元以旧换新补贴？")
    assert trace.answer is None and trace.best.sentence == "兑现以旧换新补贴169亿元，发放消费券超7亿元。"
    assert trace.note == "问题问的是广东，最接近的段落出自《2026年四川省人民政府工作报告》，那篇报告没有提到广东"
    assert eng.trace("2025年四川兑现了多少亿元以旧换新补贴？").answer.text == "169亿元"
    doc = next(d for d in eng.index.docs.values() if "四川" in d.title)
    sentence = next(s for s in doc.sentences if doc.text[s.start:s.end].startswith("兑现"))
    cand = Candidate(doc.id, sentence.id, sentence.paragraph, sentence.start, sentence.end, 1.0)
    assert other_subject(eng.index, eng.query("2025年广东兑现了多少亿元以旧换新补贴？"), cand) == "广东"
    assert other_subject(eng.index, eng.query("2025年四川兑现了多少亿元以旧换新补贴？"), cand) == ""
    assert other_subject(eng.index, eng.query("2025年兑现了多少亿元以旧换新补贴？"), cand) == ""
    short = engine_for(tmp_path_factory, "two-paragraphs", {  # paragraphs, not reports: no veto
        "sc.txt": "2026年四川省人民政府工作报告\n\n兑现以旧换新补贴169亿元，发放消费券超7亿元。\n",
        "gd.txt": "2026年广东省政府工作报告\n\n全省地区生产总值14.58万亿元。\n"})
    assert short.trace("2025年广东兑现了多少亿元以旧换新补贴？").answer.text == "169亿元"
