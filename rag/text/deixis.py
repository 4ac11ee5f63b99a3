"""How a report names a place without naming it: 全省/我省 for its own province,
全国/全台 for its country, 川渝 or 粤港澳 for provinces by their one-character names.
A passage that says 全省 answers a question naming 湖北 in Hubei's report.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import simple

_PROVINCES = ("河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
              "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆").split()
_HOME = ("全省", "我省", "本省", "省内")


_NATION = ("全国", "我国", "国内", "本国", "全台")
_NATIONS = ("中国", "台湾")


# How a report names its own country without naming it.  Only 全台 says which country:
# Taiwanese posts write 全國 of Taiwan, so an English "China" is never found through it.
NATION_DEIXIS = {"中国": ("全国", "我国"), "台湾": ("全台",)}
OWN_NAME = {"台湾": ("全台",)}


def deixis_words(question: str, subject: str = "") -> tuple[str, ...]:
    """The words a passage may use for a country or province the question names:
    全国/我国 for 中国, 全台 for 台湾, 全省/我省 for the province the report is about.

    >>> deixis_words("台灣的漁港有幾個"), deixis_words("四川有多少个县", "2026年四川省政府工作报告")
    (('全台',), ('全省', '我省', '本省', '省内'))
    """
    q, about = simple(question), simple(subject)
    out = [w for name, ws in NATION_DEIXIS.items() if name in q for w in ws]
    if any(p in q and p in about for p in _PROVINCES):
        out += _HOME
    return tuple(out)


_OFTEN = 3  # a Taiwanese post naming 中國大陸 once is not about China throughout
WHOLE_REPORT = 2000  # characters: the shortest development report has 5,583, benchmark paragraphs at most 1,036


@lru_cache(maxsize=64)
def plain(text: str) -> str:
    """``simple(text)``, kept for the few whole documents asked about question after question."""
    return simple(text)


def named_by_deixis(name: str, context: str, document: str) -> bool:
    """Whether ``name`` is the report's own province, which the passage calls
    全省/我省 (the province the document names most), or its country, which
    it calls 全国/全台; or a province the passage names by its one-character
    name (重庆 in 川渝合作, 广东 in 粤港澳大湾区).

    >>> named_by_deixis("湖北", "大冶市率先在全省完成改革试点", "湖北省科协致信"), named_by_deixis("湖南", "全省", "湖北省")
    (True, False)
    >>> named_by_deixis("中国", "核电装机规模占全国25.8%", ""), named_by_deixis("中国", "全省", "")
    (True, False)
    >>> named_by_deixis("中国", "积极对接西部陆海新通道", "推进中国式现代化" * 300)
    True
    >>> named_by_deixis("台湾", "渔港建设投资12亿元", "深化闽台融合" + "推进渔港建设" * 400)
    False
    """
    ctx = simple(context)
    if name in _NATIONS:  # a whole report that keeps naming China (中国式现代化) speaks of it throughout
        return any(d in ctx for d in _NATION) or (name == "中国" and len(document) >= WHOLE_REPORT
                                                  and plain(document).count(name) >= _OFTEN)
    return name == _home_province(document) and any(d in ctx for d in _HOME) or named_short(name, ctx)


# The one-character names of provinces and municipalities, counted only beside another
# (川渝, 京津冀, 沪苏浙皖): alone each is also a common character (不渝, 晋升, 犹豫, 希冀).
# 新, 台, 青, 宁 and 藏 are left out (新台阶, 宝藏); 港 and 澳 pair only with each other.
_SHORT = dict(zip("北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
                  "广西 海南 重庆 四川 贵州 云南 陕西 甘肃".split(),
                  "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇陕陇"))
_SHORT_PAIR = re.compile(f"[{''.join(_SHORT.values())}]{{2,}}")


def named_short(name: str, context: str) -> bool:
    """Whether ``context`` (simplified) names the province ``name`` by its one-character name.

    >>> named_short("重庆", "320个川渝共建重点项目"), named_short("四川", "川渝共建"), named_short("四川", "山川秀美")
    (True, True, False)
    >>> named_short("重庆市", "矢志不渝"), named_short("上海", "沪苏浙"), named_short("山西", "畅通晋升通道")
    (False, True, False)
    >>> named_short("香港", "在粤港澳居民"), named_short("香港", "天津港货物吞吐量")
    (True, False)
    """
    if name in ("香港", "澳门"):  # 港 and 澳 pair only with each other (天津港 is a port)
        return "港澳" in context
    short = _SHORT.get(name.removesuffix("市").removesuffix("省"))
    return bool(short) and short in context and any(short in m.group() for m in _SHORT_PAIR.finditer(context))


@lru_cache(maxsize=64)
def _home_province(document: str) -> str | None:
    doc = simple(document)
    counts = {p: doc.count(p) for p in _PROVINCES}
    home = max(counts, key=counts.get)
    return home if counts[home] else None
