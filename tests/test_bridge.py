"""The English bridge: dictionary lookups restricted to corpus words."""
from __future__ import annotations

import pytest

from rag.reader import Query
from rag.reader.bridge import Bridge

CORPUS = "黄石市现建有院士工作站4家,专家工作站77家。科普大篷车累计行程2万公里。"


def test_translation_keeps_only_corpus_words_and_numbers():
    b = Bridge(CORPUS)
    terms = b.translate("How many academician workstations did Huangshi have in 2024?").split()
    assert terms[0] == "黄石" and "院士" in terms and "工作站" in terms and "2024" in terms
    assert all(t.isdigit() or t in CORPUS for t in terms)


def test_unknown_place_names_are_reported():
    assert Bridge(CORPUS).names("How many workstations does Ezhou have?") == ([], ["Ezhou"])
    assert Bridge(CORPUS).translate("What will the weather be like?") == ""


def test_a_month_is_a_date_not_a_name_the_corpus_lacks():
    # May is also a given name: read as one, the corpus "never mentions" it and the question is refused.
    b = Bridge("五月举办购物节。3月21日开会。")
    assert b.names("What is the May shopping festival called?") == ([], [])
    assert "5月" in b.translate("What is the May shopping festival called?").split()
    assert "3月" in b.translate("What happened on March 21?").split()
    # a day with its month, either way round, is the date as the report writes it
    assert "3月21日" in b.translate("What happened on March 21st, 2025?").split()
    assert "3月21日" in b.translate("What happened on 21 March 2025?").split()
    assert "5月" not in b.translate("May I ask about the shopping festival?").split()  # the modal verb


def test_a_dashed_compound_is_not_another_subject_when_one_part_is_mentioned():
    # Reports shorten such compounds (沿江高铁宜涪段): the part they drop is no unknown name.
    b = Bridge("沿江高铁宜昌段开工。")
    assert b.names("What about the Yichang–Fuling section?")[1] == []
    assert b.names("What about Fuling?")[1] == ["Fuling"]
    # Both parts dropped for a shortened form the corpus writes (川藏): the compound is still its subject.
    assert Bridge("川藏铁路建设加快推进").names("What about the Sichuan–Tibet railway?")[1] == []
    assert Bridge("铁路建设加快推进").names("What about the Sichuan–Tibet railway?")[1] == ["Sichuan", "Tibet"]


def test_may_opening_a_clause_is_the_modal_and_a_phrase_it_opens_is_a_name():
    b = Bridge("五四运动在5月举行，3月份的数据。")
    for question in ('(May we ask?)', '"May I ask?"', "Q:  May I ask?"):
        assert "5月" not in b.translate(question).split()
    assert "3月" in b.translate("March figures: what rose?").split()
    assert "5月" in b.translate("May 28: what happened?").split()
    assert ("五四运动",) in [terms for _, terms in b.segments("What did the May Fourth Movement change?")]


def test_english_question_end_to_end(report_engine):
    q = report_engine.query("How many academician workstations are there in Huangshi?")
    assert isinstance(q, Query) and q.latin and "院士" in q.lexical and q.unknown == 0
    assert report_engine.query("武汉有几家院士工作站").lexical == "武汉有几家院士工作站"
    assert report_engine.query("Does Ezhou have academician workstations?").unknown == 1


def test_an_english_question_is_one_question_whatever_dash_joins_its_words(report_engine):
    forms = [report_engine.query(f"How many science{d}popularization caravans does Huangshi run?")
             for d in ("-", "–", "‐", " – ", " - ")]
    assert len(set(forms)) == 1 and "science-popularization" in forms[0].text
    # the answer echoes the question as it was asked
    assert report_engine.ask("How many science–popularization caravans does Huangshi run?").question.count("–") == 1


def test_english_questions_match_the_glosses_of_chinese_sentences():
    from rag.text.gloss import gloss_coverage, question_stems

    assert question_stems("How many volunteers are registered?") == ["volunt", "regist"]
    cov = gloss_coverage("How many volunteers are registered?", ["全市科技志愿者注册人数3.3万人", "举办科普大会"])
    assert cov[0] == 1.0 and cov[1] == 0.0


def test_pinyin_names_match_characters_the_tagger_glued_to_a_neighbour():
    # jieba cuts 同东贝 as one word; Dongbei must still find 东贝, not count as unknown.
    assert Bridge("高校同东贝签订合作协议").names("Which universities signed with Dongbei?") == ([("东贝",)], [])


def test_words_the_corpus_never_mentions_are_absent(report_engine):
    q = report_engine.query("What will the weather be like in Huangshi tomorrow?")
    assert q.absent == ("weather", "tomorrow") and q.words == 4
    assert report_engine.query("How many academician workstations are there in Huangshi?").absent == ()


def test_stemming_is_safe_from_many_threads():
    """A snowball stemmer holds the word it works on: threads sharing one garbled words (an IndexError under load)."""
    from concurrent.futures import ThreadPoolExecutor

    from rag.text.gloss import _stemmer

    words = [w + suffix for w in ("organization", "relational", "generously", "hopefulness", "conditional")
             for suffix in ("", "s", "ly", "ness")] * 200
    expected = [_stemmer().stemWord(w) for w in words]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda w: _stemmer().stemWord(w), words))
    assert got == expected


def test_common_words_are_kept_in_the_cache_folder(tmp_path, monkeypatch):
    """Parsed once and stored; read back without CC-CEDICT; a damaged file is parsed again."""
    import rag.text.cedict
    from rag.text.cedict import cedict_entries
    from rag.text.terms import common_words

    monkeypatch.setenv("RAG_CACHE", str(tmp_path))
    parsed = frozenset(s for s, p, _ in cedict_entries() if p[:1].islower()) | {"城镇新增就业"}
    common_words.cache_clear()
    try:
        # the report vocabulary (no pinyin) holds common words (城镇新增就业)
        # and names CC-CEDICT spells as names (全运会 stays a name)
        assert parsed <= common_words() and "武汉" not in common_words() and "全运会" not in common_words()
        parsed = common_words()
        (stored,) = (tmp_path / "cedict").iterdir()
        with monkeypatch.context() as m:
            m.setattr(rag.text.cedict, "cedict_entries", None)  # reading the stored list must not parse
            common_words.cache_clear()
            assert common_words() == parsed
        stored.write_text("3\na", encoding="utf-8")
        common_words.cache_clear()
        assert common_words() == parsed and stored.read_text(encoding="utf-8").startswith(f"{len(parsed)}\n")
    finally:
        common_words.cache_clear()


def test_an_english_questions_vector_is_summed_with_its_bridges(report_engine):
    import numpy as np

    from rag.index import for_embedding

    unit = lambda v: v / np.linalg.norm(v)  # noqa: E731
    q = report_engine.query("How many academician workstations are there in Huangshi?")
    own, bridged = report_engine.embedder.queries([for_embedding(q.text), for_embedding(q.lexical)])
    for vec in report_engine.query_vectors(q):  # the shipped English map is e5's: the fake embedder's stay unmapped
        np.testing.assert_allclose(vec, unit(own + bridged), atol=1e-6)
    zh = report_engine.query("黄石有几家院士工作站")
    np.testing.assert_allclose(report_engine.query_vectors(zh)[1], unit(report_engine.embedder.queries([zh.text])[0]),
                               atol=1e-6)


def test_english_glosses_of_a_chunk_include_its_title(tmp_path_factory):
    """A report's subject is named in its title, not in its passages (全省…)."""
    from conftest import engine_for

    from rag.text.gloss import coverage
    from rag.search import search

    body = "\n\n全省货物进出口总额达到1.2万亿元，增长5%。\n"
    eng = engine_for(tmp_path_factory, "titled", {"sc.txt": "2026年四川省政府工作报告" + body,
                                                  "gd.txt": "2026年广东省政府工作报告" + body})
    cov = coverage("What was Sichuan's total value of imports and exports?", eng.index.chunk_glosses())
    docs = [c.doc for c in eng.index.chunks]
    assert cov[docs.index("sc")] > cov[docs.index("gd")]
    q = eng.query("What was Sichuan's total value of imports and exports?")
    assert search(eng.index, q.lexical, eng.query_vectors(q)[1], 1, eng.search_settings, q.text)[0].chunk.doc == "sc"


def test_a_document_question_finds_the_document_that_has_the_field(tmp_path_factory):
    """Of a library only the blog post has a category; a question naming no topic still gets it."""
    from conftest import engine_for

    post = "---\ntitle: 漁港開放有共識\nauthor: 雨蒼\ncategory: blog\n---\n\n漁港開放釣魚，協作會議有共識。\n"
    report = "2026年四川省政府工作报告\n\n" + "".join(f"第{i}项：全省新建项目{i}个，完成投资{i}亿元，网站公开分类目录。\n\n"
                                                 for i in range(1, 40))
    eng = engine_for(tmp_path_factory, "library", {"post.md": post, "report.txt": report})
    answer = eng.ask("这篇文章在网站上属于哪个分类？").answer
    assert answer is not None and answer.text == "blog" and answer.citation.doc == "post"


def test_a_library_author_question_naming_no_document_is_not_answered_from_any_one(tmp_path_factory):
    """这篇文章的作者是谁 asked of a report and a post names neither: its passages
    are any, so it is refused; naming the kind (部落格, blog) picks the post."""
    from conftest import engine_for

    post = "---\ntitle: 漁港開放有共識\nauthor: 雨蒼\ncategory: blog\n---\n\n漁港開放釣魚，協作會議有共識。\n"
    report = ("2026年四川省政府工作报告\n四川省人民政府省长 施小琳\n\n"
              + "".join(f"第{i}项：全省新建项目{i}个，文章作者完成投资{i}亿元。\n\n" for i in range(1, 40)))
    eng = engine_for(tmp_path_factory, "authors", {"post.md": post, "report.txt": report})
    assert eng.ask("这篇文章的作者是谁？").answer is None and eng.ask("Who wrote this article?").answer is None
    for question in ("這篇部落格文章的作者是誰？", "Who wrote this blog post?"):
        answer = eng.ask(question).answer
        assert answer is not None and answer.text == "雨蒼" and answer.citation.doc == "post", question


def test_two_reports_of_one_province_are_not_told_apart_by_retrieval(tmp_path_factory):
    """Both headers name 广东: which report's speaker is meant is a guess, even
    when every passage retrieved is the 2026 one's, so it is refused; a blog
    post filed under 部落格 is found by that word."""
    from conftest import engine_for

    work = "".join(f"第{i}项：我代表省人民政府向大会报告第{i}项工作，由省政府作出部署。\n\n" for i in range(1, 30))
    other = "渔港开放钓鱼，协作会议形成共识。\n"
    post = "---\ntitle: 漁港開放\nauthor: 雨蒼\ncategory: 部落格\n---\n\n漁港開放釣魚，協作會議有共識。\n"
    eng = engine_for(tmp_path_factory, "twins", {"gd25.txt": "2025年广东省政府工作报告\n广东省省长 王伟中\n\n" + other,
                                                 "gd26.txt": "2026年广东省政府工作报告\n广东省省长 孟凡利\n\n" + work,
                                                 "post.md": post})
    question = "广东这份政府工作报告是由谁代表省政府作的？"
    assert {h.chunk.doc for h in eng.trace(question).hits[:3]} == {"gd26"}
    assert eng.ask(question).answer is None
    answer = eng.ask("这篇部落格文章的作者是谁？").answer
    assert answer is not None and answer.text == "雨蒼"


@pytest.mark.parametrize("question", ["调研成果在哪家报纸上刊登？", "获奖的那篇专题调研报告题目是什么？",
                                      "In which newspaper were the survey results published?",
                                      "What is the title of the survey report that won the prize?"])
def test_a_newspaper_or_title_the_text_mentions_is_not_the_documents(tmp_path_factory, question):
    """Only a question pointing at this document (这份报告, this post) is answered from its header."""
    from conftest import engine_for

    text = ("2026年某市工作报告\n2026-01-02|来源:某市日报\n\n"
            "全市开展科技工作者状况调查，调研成果在《江城晚报》专题刊登。\n\n"
            "《关于青年人才发展的调研报告》获得全市优秀调研成果一等奖。\n")
    eng = engine_for(tmp_path_factory, "mentions", {"r.txt": text})
    hits = eng.trace(question).hits
    assert hits and eng.about_document(question, hits) is None
    assert eng.about_document("这份报告刊登在哪家报纸上？", hits).text == "某市日报"


def test_an_english_question_quoting_chinese_terms_is_read_as_english(report_engine):
    q = report_engine.query("How far has the caravan (科普大篷車) travelled?")
    assert q.latin and q.names[0] == ("科普大篷车",) and q.lexical.split()[0] == "科普大篷车"
    assert not report_engine.query("Audrey Tang在会上说了什么").latin


def test_a_description_that_mentions_a_river_is_not_its_name():
    b = Bridge("长江大保护纵深推进，三峡水运新通道")
    assert b.names("How many firms along the Yangtze were relocated?")[0] == [("长江",)]


def test_english_ordinals_and_amounts_meet_the_reports_numerals():
    b = Bridge("“十四五”时期，推进1.22万个亿元以上项目")
    terms = b.translate("How many projects over 100 million yuan in the 14th Five-Year Plan?").split()
    assert "十四五" in terms and "亿" in terms and "100" not in terms
    assert "十四" in b.translate("How many projects in the 14th year?").split()


def test_the_passages_a_question_finds_choose_its_words_senses():
    """"fine" glosses 细小 (thin) as well as 罚款 (a penalty): over passages
    about penalties it is their 罚款, and a word only single characters gloss
    (sheep: 羊) takes the passages' words built on them."""
    b = Bridge("罚款200元，出栏肉羊600万只。颗粒细小。")
    q = "How big was the fine and how many sheep?"
    assert b.translate(q) == "罚款 细小"
    assert b.within("罚款200元，出栏肉羊600万只。").translate(q) == "罚款 肉羊"
    assert b.within("").translate(q) == b.translate(q)


def test_an_english_question_is_bridged_with_the_senses_of_its_nearest_passages(tmp_path_factory):
    from conftest import engine_for

    eng = engine_for(tmp_path_factory, "grain", {"sc.txt": "2026年四川省政府工作报告\n\n全省粮食总产732.5亿斤。\n"})
    assert "粮食" in eng.query("How much grain did Sichuan harvest?").lexical.split()


def test_a_place_name_opening_a_question_is_still_a_name():
    assert Bridge("湖北经济总量。清江十堰").names("Hubei's economy grew how fast? Which city?") == ([("湖北",)], [])


@pytest.mark.parametrize("question, doc", [("广东这份政府工作报告是由谁代表省政府作的？", "广东"),
                                           ("這份湖北省政府工作報告是哪天作的？", "湖北"),
                                           ("Who delivered Sichuan's government work report?", "四川"),
                                           ("On what date was Guangdong's work report delivered?", "广东")])
def test_a_question_about_a_named_report_is_answered_from_that_reports_header(tmp_path_factory, question, doc):
    """Of several reports alike in all but their header, the one the question names answers, not the first retrieved."""
    from conftest import engine_for

    body = "一年来，全省经济稳中向好，地区生产总值增长5%。\n\n今年要办好民生实事，新增城镇就业70万人。\n"
    # 湖北's body names the others: its passages come first for their questions too.
    other = "湖北省政府与广东省政府、四川省政府签署合作协议，广东、四川两省政府工作报告提出的合作全面落实。\n"
    files = {f"{p}.txt": f"2026年{p}省政府工作报告\n——2026年1月2{i}日在{p}省第十四届人民代表大会第五次会议上\n"
                         f"{p}省人民政府省长 {n}\n\n{body}" + (other if p == "湖北" else "")
             for i, (p, n) in enumerate([("湖北", "李殿勋"), ("广东", "孟凡利"), ("四川", "施小琳")])}
    answer = engine_for(tmp_path_factory, "named-report", files).ask(question).answer
    assert answer.citation.doc == doc and answer.citation.section == "（页头信息）"


def test_a_question_about_this_report_of_a_library_is_refused_unless_one_report_answers(tmp_path_factory):
    """Of reports by different speakers, 这份报告 is none in particular: refused, not answered from any one;
    a field every report gives alike (the same newspaper) still answers."""
    from conftest import engine_for

    body = "一年来，全省经济稳中向好，地区生产总值增长5%。\n\n今年要办好民生实事，新增城镇就业70万人。\n"
    files = {f"{p}.txt": f"2026年{p}省政府工作报告\n2026-02-0{i + 1}|来源:人民日报\n{p}省人民政府省长 {n}\n\n{body}"
             for i, (p, n) in enumerate([("湖北", "李殿勋"), ("广东", "孟凡利")])}
    eng = engine_for(tmp_path_factory, "library", files)
    refused = eng.trace("这份报告是谁作的？")
    assert refused.answer is None and refused.best.text.endswith(("李殿勋", "孟凡利")) and refused.confidence < 0.5
    assert "多篇文档" in eng.ask("这份报告是谁作的？").note and eng.ask("这份广东的报告是谁作的？").note == ""
    assert eng.ask("这份广东的报告是谁作的？").answer.text.endswith("孟凡利")
    assert eng.ask("这份报告的来源是哪家报纸？").answer.text == "人民日报"


def test_a_named_report_without_the_field_or_two_reports_named_alike_are_not_answered_from_another(tmp_path_factory):
    """广东's report has no speaker line: its question is not answered with 湖北's governor; nor is a
    question naming 广东 of two 广东 reports with different speakers answered from either."""
    from conftest import engine_for

    body = "一年来，全省经济稳中向好，地区生产总值增长5%。\n\n今年要办好民生实事，新增城镇就业70万人。\n"
    files = {"hb.txt": f"2026年湖北省政府工作报告\n湖北省人民政府省长 李殿勋\n\n{body}",
             "gd.txt": f"2026年广东省政府工作报告\n\n{body}"}
    eng = engine_for(tmp_path_factory, "unnamed-field", files)
    assert eng.ask("广东这份报告是谁作的？").answer is None
    files = {"gd25.txt": f"2025年广东省政府工作报告\n广东省人民政府省长 王伟中\n\n{body}",
             "gd26.txt": f"2026年广东省政府工作报告\n广东省人民政府省长 孟凡利\n\n{body}"}
    eng = engine_for(tmp_path_factory, "named-alike", files)
    assert eng.ask("广东这份报告是谁作的？").answer is None


def test_who_holds_the_office_a_speaker_line_names_is_answered_from_it(tmp_path_factory):
    """湖北省长是谁 (or "Who is the governor of Hubei?") is answered from 湖北's speaker line; a place no
    header names (Taipei's mayor) and an office no speaker holds (市长) are not answered from a header."""
    from conftest import engine_for

    body = "一年来，全省经济稳中向好，地区生产总值增长5%。\n\n今年要办好民生实事，新增城镇就业70万人。\n"
    files = {f"{p}.txt": f"2026年{p}省政府工作报告\n{p}省人民政府省长 {n}\n\n{body}"
             for p, n in [("湖北", "李殿勋"), ("广东", "孟凡利")]}
    eng = engine_for(tmp_path_factory, "holders", files)
    for question in ("湖北省长是谁？", "Who is the governor of Hubei?"):
        answer = eng.ask(question).answer
        assert answer.text == "湖北省人民政府省长 李殿勋" and answer.citation.section == "（页头信息）"
    assert eng.ask("广东省长叫什么名字").answer.text == "广东省人民政府省长 孟凡利"
    for question in ("Who is the mayor of Taipei?", "湖北市长是谁？", "台北省长是谁"):
        assert eng.trace(question).best is None or eng.trace(question).best.citation.section != "（页头信息）"


def test_report_vocabulary_bridges_what_a_general_dictionary_glosses_otherwise():
    """CC-CEDICT glosses 就业 as "to get a job" and 粮食 as "foodstuff"; the
    report vocabulary (rag/data/report_terms.u8) gives the renderings English
    questions about a report use, and an ordinal starts a phrase (14th
    Five-Year Plan -> 十四五) before it is read as a number."""
    b = Bridge("今年城镇新增就业85万人，粮食产量732.5亿斤。“十四五”时期地区生产总值增长")
    assert "城镇新增就业" in b.translate("How many new urban jobs will be created?").split()
    assert "粮食产量" in b.translate("What was the grain output?").split()
    assert {"地区生产总值", "十四五"} <= set(b.translate("GDP in the 14th Five-Year Plan").split())
    assert "85" in b.translate("Were 85 jobs created?").split()


def test_report_vocabulary_keeps_the_dictionarys_own_senses():
    """The vocabulary's glosses are singular, as CC-CEDICT's, so a plural
    question word finds both (parks: 公园 and 园区); it has no hyphenated
    gloss, whose words a question would match apart (trade-in caught "trade
    in 2025"); and only an ordinal, not an amount, opens a phrase (2000
    years keeps 2000)."""
    from rag.text.cedict import REPORT_TERMS

    assert "-in/" not in REPORT_TERMS.read_text(encoding="utf-8")
    b = Bridge("新建公园100座。产业园区。全年外贸进出口增长，以旧换新。两千年。十四五时期")
    assert "公园" in b.translate("How many new parks?").split()
    assert "2000" in b.translate("Over 2000 years?").split()


def test_latin_names_the_corpus_writes_as_they_are_stay_as_written(tmp_path_factory):
    """An acronym (ODIS) or a capitalised platform name (the Vote platform) the report
    writes in Latin letters is looked for as written: it is neither read as a
    dictionary word (vote: 投票) nor reported absent, and a passage lacking it
    misses a name."""
    from conftest import engine_for

    text = "某局工作简报\n\n2020 年 3 月 2 日，ODIS 小组在 Vote 平台上发布提案。\n\n居民可以投票选出社区项目。\n"
    eng = engine_for(tmp_path_factory, "latin", {"brief.txt": text})
    q = eng.query("When did ODIS post the proposal on the Vote platform?")
    assert ("odis",) in q.names and ("vote",) in q.names and not {"odis", "vote"} & set(q.absent)
    assert "投票" not in q.lexical.split() and {"odis", "vote"} <= set(q.lexical.split())
    assert eng.ask("When did ODIS post the proposal on the Vote platform?").passages[0].text.startswith("2020 年 3 月 2 日")


def test_a_latin_headword_is_not_found_inside_a_latin_word_of_the_corpus():
    """CC-CEDICT's Latin headwords (PO: to post) once matched inside any Latin word of the report (report)."""
    b = Bridge("详见 report 全文。提案已公告。")
    assert "PO" not in b.translate("When was the proposal posted?").split()
