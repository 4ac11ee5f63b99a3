"""Which MatMuls stay fp32 in the int8 graph: those fed by outlier activations.

Dynamic int8 quantisation gives a MatMul's input one scale per run; an input
whose largest value is hundreds of times its mean magnitude (the activation
outliers described for LLM.int8(), Dettmers et al. 2022) keeps little
resolution for everything else. In multilingual-e5-small three of the 72
weight MatMuls, the feed-forward outputs of layers 4, 0 and 5, have ratios of
about 630, 410 and 310 on report text; the next is about 160. Keeping those
three in fp32 cut the int8 graph's error (1 − cosine to fp32, 160 report
chunks) from 0.0026 to 0.0010, for about a tenth more time; keeping all
twelve feed-forward outputs gave 0.0008 for a third more.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

# Ratio of max |x| to mean |x| over the real tokens above which a MatMul stays fp32.
OUTLIER_RATIO = 250.0
# At most this share of the weight MatMuls stays fp32, whatever the ratios say.
MAX_SHARE = 0.125
# Varied text (numbers, names, both scripts, English) so that the outliers show.
CALIBRATION = [
    "黄石有几家院士工作站？",
    "全市公民具备科学素质比例达15.3%，较2020年提高4.2个百分点。",
    "2024年全省地区生产总值增长5.2%，城镇新增就业110万人，居民人均可支配收入实际增长5.1%。",
    "深入实施创新驱动发展战略，建成院士专家工作站52家，引进高层次人才团队186个。",
    "本會於十一月召開第三次會員大會，通過年度工作報告與財務報告。",
    "The association held 120 science outreach events for 35,000 residents in 2025.",
]


def outlier_ratios(graph: Path, feeds: dict[str, np.ndarray]) -> dict[str, float]:
    """max |x| / mean |x| of the input of every MatMul with a constant weight, over the real tokens."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    model = onnx.load(str(graph))
    weights = {w.name for w in model.graph.initializer}
    nodes = [(n.name, n.input[0]) for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    for _, tensor in nodes:
        model.graph.output.append(helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    values = session.run([tensor for _, tensor in nodes], feeds)
    real = feeds["attention_mask"].astype(bool)
    out = {}
    for (name, _), value in zip(nodes, values):
        magnitude = np.abs(value[real] if value.shape[:2] == real.shape else value)
        out[name] = float(magnitude.max() / max(float(magnitude.mean()), 1e-12))
    return out


def keep_fp32(ratios: dict[str, float], limit: float = OUTLIER_RATIO, share: float = MAX_SHARE) -> list[str]:
    """The MatMuls to leave unquantised: ratio ≥ ``limit``, worst first, at most ``share`` of them.

    >>> keep_fp32({"a": 600.0, "b": 300.0, "c": 100.0, "d": 90.0}, limit=250, share=0.25)
    ['a']
    >>> keep_fp32({"a": 600.0, "b": 300.0, "c": 100.0}, limit=250, share=1.0)
    ['a', 'b']
    """
    chosen = sorted((name for name, r in ratios.items() if r >= limit), key=ratios.get, reverse=True)
    return chosen[:int(len(ratios) * share)]
