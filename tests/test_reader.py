"""The learned reader: model files round-trip, the shipped model fits the code, training runs end to end."""
from __future__ import annotations

import json

import numpy as np
import pytest

from rag.reader.features import QUESTION, SENTENCE
from rag.reader.model import MODEL_PATH, Logistic, Ranker, ReaderModel, load_model


def _toy(n_questions=60, per=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_questions * per, 3))
    qid = np.repeat(np.arange(n_questions), per)
    y = np.zeros(len(X), bool)
    for q in range(n_questions):  # the right candidate has the largest first feature
        rows = np.where(qid == q)[0]
        y[rows[np.argmax(X[rows, 0])]] = True
    return X, y, qid


def test_ranker_learns_and_round_trips_as_text():
    X, y, qid = _toy()
    r = Ranker.fit(X, y, qid, ("a", "b", "c"))
    s = r.predict(X)
    picked = [y[np.where(qid == q)[0][np.argmax(s[qid == q])]] for q in range(60)]
    assert np.mean(picked) > 0.9
    again = Ranker.from_dict(json.loads(json.dumps(r.to_dict())))
    assert np.array_equal(again.predict(X), s)
    assert Ranker.fit(X, y, qid, ("a", "b", "c")).texts == r.texts  # deterministic


def test_logistic_probabilities_are_calibrated_on_separable_data():
    X = np.linspace(-3, 3, 200)[:, None]
    y = (X[:, 0] + np.random.default_rng(1).normal(scale=1.0, size=200)) > 0
    p = Logistic.fit(X, y, ("x",), l2=0.1).predict(X)
    assert abs(p.mean() - y.mean()) < 0.02 and p[0] < 0.1 and p[-1] > 0.9


def test_the_shipped_model_fits_the_feature_columns_and_has_its_fold_models():
    model = load_model()
    assert model.sentence.columns == SENTENCE and model.question.columns == QUESTION
    assert 0 < model.threshold < 1 and len(model.info["folds"]) == model.info["fold_count"]
    fold = model.fold(0)
    assert fold.sentence.columns == SENTENCE and fold.sentence.texts == model.sentence.texts[:1]
    assert len(model.sentence.texts) == model.info["fold_count"]  # the shipped ranker is the folds' mean
    assert set(model.info["data"]) == {"cmrc2018", "cmrc2018-gold", "cmrc2018-swap", "devreports"}  # DRCD held out
    assert MODEL_PATH.stat().st_size < 8_000_000


def test_a_model_for_other_columns_is_refused(tmp_path):
    model = load_model()
    bad = ReaderModel(Ranker(("x",) + SENTENCE[1:], model.sentence.texts), model.question, 0.5)
    path = tmp_path / "m.json"
    path.write_text(bad.to_json(), encoding="utf-8")
    with pytest.raises(ValueError, match="rag train"):
        load_model(str(path))


def test_training_runs_end_to_end_on_a_tiny_corpus(report_engine):
    """collect -> cross_validate -> metrics on the shipped report with the fake embedder (a smoke test of the code path)."""
    from rag.evaluation.benchmarks import load_report_items
    from rag.evaluation.training import FOLDS, collect, cross_validate, metrics
    from conftest import ROOT

    items = load_report_items(ROOT / "eval" / "qa_report.jsonl", report_engine)[:60]
    data = collect(report_engine, items, "report", [i.id for i in items])
    assert data.X.shape[1] == len(SENTENCE) and len(data.info) == 60 and set(data.fold) <= set(range(FOLDS))
    cv = cross_validate(data)
    row = metrics(data, cv, 0.5)
    assert row["questions"] == 60 and 0 <= row["guess_acc"] <= 1 and 0 <= row["ece"] <= 1


def test_hard_negatives_count_as_unanswerable(report_engine):
    """A swapped question keeps its candidates but none is right, and it counts as unanswerable."""
    from rag.evaluation.benchmarks import load_report_items
    from rag.evaluation.training import collect
    from conftest import ROOT

    items = [i for i in load_report_items(ROOT / "eval" / "qa_report.jsonl", report_engine) if i.answers][:20]
    asked = collect(report_engine, items, "report", [i.id for i in items])
    swapped = collect(report_engine, items, "report", [i.id for i in items], mode="swap")
    assert asked.y.sum() > 0 and asked.answerable.all()
    assert swapped.y.sum() == 0 and not swapped.answerable.any() and len(swapped.y) == len(asked.y)


def test_swapped_questions_change_one_stated_number_or_name():
    from rag.evaluation.negatives import swapped_items
    from rag.evaluation.evaluate import QAItem

    items = [QAItem("a", "2019年黄石建成几家院士工作站？", ("4家",), doc="d1"),
             QAItem("b", "院士工作站有几家？", ("4家",), doc="d1")]
    out, groups = swapped_items(items, ["g1", "g2"], {"d1": "2019年黄石建成院士工作站4家"}, seed=0, limit=800)
    assert [i.id for i in out] == ["a-swap"] and groups == ["g1"]
    assert out[0].question != items[0].question and out[0].question[4:] == items[0].question[4:]


def test_the_titles_year_is_the_reports_own_not_the_passages(tmp_path_factory):
    """A 2026 report's review paragraph answers a 2025 question without naming 2025."""
    from conftest import engine_for

    from rag.reader import Candidate
    from rag.reader.evidence import evidence_misses

    text = "2026年上海市政府工作报告\n\n时间：2026-02-09\n\n新增养老床位3852张，新建社区长者食堂57家。\n\n今年新建保障性住房2万套。\n"
    eng = engine_for(tmp_path_factory, "titled-year", {"sh.txt": text})
    doc = eng.index.docs["sh"]
    cand = lambda i: Candidate("sh", i, doc.sentences[i].paragraph, doc.sentences[i].start, doc.sentences[i].end, 1.0)  # noqa: E731
    beds = next(i for i, s in enumerate(doc.sentences) if "养老床位" in doc.text[s.start:s.end])
    homes = next(i for i, s in enumerate(doc.sentences) if "保障性住房" in doc.text[s.start:s.end])
    assert evidence_misses(eng.index, eng.query("2025年新增了多少张养老床位？"), cand(beds)) == (0, 1, 0)
    # an older year is still a miss, and so is a count in the wrong unit
    assert evidence_misses(eng.index, eng.query("2020年新增了多少张养老床位？"), cand(beds))[0] == 1
    assert evidence_misses(eng.index, eng.query("今年新建保障性住房多少台？"), cand(homes))[0] == 1


def test_a_who_question_is_answered_by_a_group_and_a_count_not_by_a_batch_or_phase(tmp_path_factory):
    """A group answers 由谁 (no misfit; ``unnamed`` only where no one and no group is named);
    一批 and 三期 are no amounts."""
    from conftest import engine_for

    from rag.reader import Candidate
    from rag.reader.evidence import evidence_misses
    from rag.reader.features import sentence_features

    text = ("某港协作会议纪要\n\n垂钓区的管理办法由渔民团体自行订定。\n\n港区将分批开放，手续从简。\n\n"
            "今年新建一批驿站，码头三期扩建完工。\n\n去年新建驿站12个。\n")
    eng = engine_for(tmp_path_factory, "agents", {"r.txt": text})
    doc = eng.index.docs["r"]
    cands = [Candidate("r", i, s.paragraph, s.start, s.end, 1.0) for i, s in enumerate(doc.sentences)]
    group, plain, batch, count = (next(c for c in cands if w in doc.text[c.start:c.end]) for w in ("团体", "分批", "一批", "12个"))
    query = eng.query("垂钓区的管理办法由谁来订定？")
    X = sentence_features(eng.index, query, eng.query_vectors(query)[0], [group, plain])
    assert X[:, SENTENCE.index("unnamed")].tolist() == [0.0, 1.0]
    assert X[:, SENTENCE.index("misfit")].tolist() == [0.0, 0.0]
    assert evidence_misses(eng.index, eng.query("今年新建多少个驿站？"), batch)[2] == 1
    assert evidence_misses(eng.index, eng.query("今年新建多少个驿站？"), count)[2] == 0
    assert evidence_misses(eng.index, eng.query("码头扩建了多少？"), batch)[2] == 1  # 三期 is no amount
    assert evidence_misses(eng.index, eng.query("码头扩建到了第几期？"), batch)[2] == 0


def test_a_sentence_is_scoped_by_its_title_and_section(tmp_path_factory):
    """The subject a report names only in its title (广东) counts for each of its sentences, not for another report's."""
    from conftest import engine_for

    from rag.reader import Candidate
    from rag.reader.features import sentence_features

    body = "## 一、过去一年工作回顾\n\n加快筹设海洋大学，推进深海科考中心建设。\n"
    eng = engine_for(tmp_path_factory, "scoped", {"gd.md": "# 广东省政府工作报告\n\n" + body,
                                                  "sc.md": "# 四川省政府工作报告\n\n" + body})
    cands = []
    for name in ("gd", "sc"):
        doc = eng.index.docs[name]
        i = next(i for i, s in enumerate(doc.sentences) if "海洋大学" in doc.text[s.start:s.end])
        cands.append(Candidate(name, i, doc.sentences[i].paragraph, doc.sentences[i].start, doc.sentences[i].end, 1.0))
    query = eng.query("广东要加快筹设哪所大学？")
    X = sentence_features(eng.index, query, eng.query_vectors(query)[0], cands)
    plain, scoped = X[:, SENTENCE.index("lexical")], X[:, SENTENCE.index("scoped_lexical")]
    assert plain[0] == plain[1] and scoped[0] > scoped[1] and scoped[0] > plain[0]


def test_words_the_dictionary_cannot_bridge_are_not_misses_of_a_passage(tmp_path_factory):
    """An English question's untranslated words (editions, geology) say nothing about one sentence;
    the question model reads their share (``absent_share``) instead."""
    from conftest import engine_for

    from rag.reader import Candidate
    from rag.reader.evidence import evidence_misses

    eng = engine_for(tmp_path_factory, "absent", {"r.txt": "某市科协工作综述\n\n连续举办五届地矿科普大会，累计接待游客120万人次。\n"})
    doc = eng.index.docs["r"]
    s = doc.sentences[-1]
    query = eng.query("How many editions of the geology and mining science popularization fair were held?")
    assert len(query.absent) >= query.words / 2
    assert evidence_misses(eng.index, query, Candidate("r", len(doc.sentences) - 1, s.paragraph, s.start, s.end, 1.0)) == (0, 0, 0)


@pytest.mark.parametrize("simplified, traditional", [("湖北今年安排了多少资金用于民生实事？", "湖北今年安排了多少資金用於民生實事？"),
                                                     ("上海新能源汽车产量是多少辆？", "上海新能源汽車產量是多少輛？"),
                                                     ("总干事叫什么名字？", "總幹事叫什麼名字？")])
def test_a_traditional_question_meets_the_same_evidence_as_its_simplified_twin(tmp_path_factory, simplified, traditional):
    """Unit, money and role checks read the question in Simplified script: 多少資金 wants 元 as 多少资金 does."""
    from conftest import engine_for

    from rag.reader import Candidate
    from rag.reader.evidence import evidence_misses

    text = "2026年某省政府工作报告\n\n实施10大类60项民生实事项目，新能源汽车新上牌37万辆。全国渔会总干事表示很开心。\n"
    eng = engine_for(tmp_path_factory, "twins", {"r.txt": text})
    doc = eng.index.docs["r"]
    cands = [Candidate("r", i, s.paragraph, s.start, s.end, 1.0) for i, s in enumerate(doc.sentences)
             if "政府工作报告" not in doc.text[s.start:s.end]]
    assert len(cands) == 2
    misses = lambda q: [evidence_misses(eng.index, eng.query(q), c) for c in cands]  # noqa: E731
    assert misses(traditional) == misses(simplified)
    if "资金" in simplified:  # no sum of money in either sentence
        assert min(strong for strong, *_ in misses(traditional)) >= 1
    if "名字" in simplified:  # a role's holder: neither sentence names anyone
        from rag.reader.features import sentence_features

        unnamed = [sentence_features(eng.index, eng.query(q), eng.query_vectors(eng.query(q))[0], cands)
                   [:, SENTENCE.index("unnamed")].tolist() for q in (simplified, traditional)]
        assert unnamed == [[1.0, 1.0], [1.0, 1.0]]


def test_a_place_no_report_mentions_is_refused_with_the_guess_kept(tmp_path_factory):
    """Ezhou is a city the dictionary knows and the report never names: the answer is refused, the guess kept."""
    from conftest import engine_for

    eng = engine_for(tmp_path_factory, "unknown-place", {"r.txt": "黄石市科协工作综述\n\n黄石现建有院士工作站4家，专家工作站77家。\n"})
    trace = eng.trace("How many academician workstations does Ezhou have?")
    assert eng.query("How many academician workstations does Ezhou have?").unknown == 1
    assert trace.answer is None and trace.best is not None and "院士工作站" in trace.best.sentence


def test_the_shipped_ranker_scores_the_mean_of_its_fold_rankers():
    model = load_model()
    X = np.random.default_rng(0).normal(size=(7, len(SENTENCE)))
    folds = [model.fold(k).sentence.predict(X) for k in range(model.info["fold_count"])]
    np.testing.assert_allclose(model.sentence.predict(X), np.mean(folds, axis=0))


def test_the_question_model_reads_the_retrieval_score_of_the_best_candidates_chunk():
    """How well BM25 and the embedder agreed on the best guess's chunk is one of
    the question model's columns: the same guess from a chunk neither retriever
    put first is more often wrong (CMRC2018 out of fold 81.6 -> 83.0 with it)."""
    from rag.reader.features import question_features

    X = np.zeros((2, len(SENTENCE)), np.float32)
    X[:, SENTENCE.index("retrieval")] = [0.4, 0.9]
    info = np.zeros(8, np.float32)
    rows = [question_features(info, X, np.array([2.0, 1.0]), best) for best in (0, 1)]
    assert [round(float(r[QUESTION.index("retrieval")]), 2) for r in rows] == [0.4, 0.9]
    assert "retrieval" in load_model().question.columns


def test_a_which_city_question_wants_a_place_the_question_does_not_name():
    from rag.reader.places import place_fits

    sentence = "办好第十七届省运会、第十届省残运会"
    assert not place_fits("广东第十七届省运会将在哪个城市举办？", sentence)
    assert not place_fits("廣東第十七屆省運會將在哪個城市舉辦？", sentence)  # Traditional alike
    assert place_fits("省运会将在哪个城市举办？", "第十七届省运会将在江门举办")
    assert not place_fits("草里渔港位于新北市哪个区？", "新北市政府主动提出以草里渔港作为示范渔港")
    assert place_fits("Which city will host the games?", "第十七届省运会将在江门举办", "省运会 举办")
    assert place_fits("省运会有多少个项目？", sentence)  # not a place question
