"""What a report's lines are when they are not body text: page chrome and header lines.

The rules come from what published report pages have in common (the shipped
report and the six development captures), never from one site: page
controls (打印/下载/【字号：大 中 小】/分享：), breadcrumbs, datelines,
``来源：`` and ``作者：`` lines, the speaker line of a speech, an occasion line
(``——2026年1月27日在…会议上``) and end-of-article links.

>>> [kind(x) for x in ["打印", "【字号：", "当前位置：首页 > 新闻", "来源：湖北日报", "时间：2026-02-05"]]
['chrome', 'chrome', 'chrome', 'source', 'date']
>>> [kind(x) for x in ["湖北省人民政府省长 李殿勋", "——2026年1月27日在湖北省第十四届人民代表大会第四次会议上"]]
['speaker', 'occasion']
>>> [kind(x) for x in ["一、2025年工作回顾", "春华秋实，硕果盈枝。", "相关报道："]]
['numbered', 'body', 'end']
"""
from __future__ import annotations

import re

DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
SENT_END = "。！？!?；;"
# Single words that are page controls wherever they stand alone on a line.
_CONTROLS = {
    "下载", "打印", "全屏", "收藏", "分享", "加大", "还原", "减小", "大", "中", "小", "默认", "放大", "缩小",
    "关闭", "返回", "返回顶部", "顶部", "打印本页", "关闭窗口", "关闭本页", "保存", "纠错", "我要纠错", "扫一扫",
    "字号", "字体", "】", "【", "[", "]", "|", "-", "·", "分享到", "手机扫码", "微信", "微博", "QQ空间", "上一篇",
    "下一篇", "打印文章", "收藏本页", "在手机上阅读", "浏览次数", "阅读量", "听全文", "朗读",
}
_CONTROL_RE = re.compile(
    r"^(?:【?\s*(?:字号|字体|文字|字体大小)\s*[:：]?.*|分享(?:到)?\s*[:：]?.*|【?\s*(?:打印|关闭|收藏|返回)[^】]{0,4}】?"
    r"|[0-9a-f]{16,}\s*[:：]?|(?:浏览|阅读|访问)(?:次数|量)?\s*[:：]\s*\d*|扫一扫.*|(?:上|下)一篇\s*[:：].*)$",
    re.IGNORECASE)
_BREADCRUMB_RE = re.compile(r"(?:当前位置|所在位置|您的位置|你的位置|现在位置)\s*[:：]|首页\s*(?:>|＞|»|/|→)")
_SOURCE_RE = re.compile(r"^(?:文章来源|信息来源|稿件来源|来源|来源单位|發布單位|发布单位|发布机构|出处)\s*[:：]\s*(.*)$")
_DATE_LABEL_RE = re.compile(r"^(?:时间|日期|发布时间|发布日期|發布日期|发表时间|更新时间|成文日期|印发日期|Date)\s*[:：]")
_AUTHOR_RE = re.compile(r"^(?:作者|撰稿|撰文|文|记者|通讯员|编辑|责任编辑|责编|供稿|执笔)\s*[:：/／]\s*(.+)$")
_ROLE = r"(?:省长|市长|州长|县长|区长|盟长|主席|书记|局长|主任|院长|校长|部长|总理|理事长|会长|秘书长|厅长|处长|代表)"
_SPEAKER_RE = re.compile(rf"^(?P<org>.{{0,30}}?{_ROLE})\s*(?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}})$")
_OCCASION_RE = re.compile(r"^[—─－-]{2}|^.{0,40}?\d{4}\s*年.{0,40}(?:会议|大会|会|典礼|论坛)上(?:的(?:讲话|报告|发言))?$")
_NUMBERED_RE = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十百\d]+[章节部篇条]"
                          r"|\d{1,2}[.、．](?!\d))")
_END_RE = re.compile(r"^(?:相关(?:报道|链接|附件|阅读|新闻|文章|稿件|推荐)|延伸阅读|推荐阅读|责任编辑|【责任编辑|附件下载)"
                     r"\s*[:：>》]*.{0,20}$")
# A page footer's responsible editor (matched in Simplified script): the names on the line
# (责任编辑：王萌, 【责任编辑：王萌】, （责编：杨虞波罗、初梓瑞）, not the 校对 after them) or, when
# the line ends at the colon, the name on the next line.
_NAME = r"[\u4e00-\u9fff·]{2,8}"
EDITOR_RE = re.compile(rf"(?:^|[【（(\s])(?:责任编辑|责编)\s*[:：]\s*({_NAME}(?:[、，, ]+(?!\S{{1,4}}[:：]){_NAME})*)?")
NAME_LINE = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff·]{1,12}")
_FOOTER_KEYS = ("copyright", "版权所有", "icp备", "公网安备", "地址:", "地址：", "主办单位", "联合主办", "技术支持",
                "all rights reserved", "网站标识码", "联系我们", "网站地图")


def is_chrome(line: str) -> bool:
    """A page control, a breadcrumb or a footer line: never a paragraph or heading."""
    core = line.strip(" \t\u3000\u00a0")
    if core in _CONTROLS or _CONTROL_RE.match(core) or _BREADCRUMB_RE.search(core):
        return True
    lowered = core.lower()
    if (len(core) <= 80 or (len(core) <= 160 and not has_sentence_end(core))) and any(k in lowered for k in _FOOTER_KEYS):
        return True
    return _is_nav(core)


def _is_nav(line: str) -> bool:
    """Site navigation: short names between bars (首页 | 科协微信 | 科普中国).

    >>> _is_nav("学习强国 | 中国科协"), _is_nav("2025-12-17 09:24|文章来源:黄石市科协"), _is_nav("甲|乙")
    (True, False, True)
    """
    parts = [p.strip(" \u00a0\u3000") for p in re.split(r"[|｜]", line)]
    return (len(parts) >= 2 and all(0 < len(p) <= 12 for p in parts) and not DATE_RE.search(line)
            and not has_sentence_end(line))


def has_sentence_end(line: str) -> bool:
    return any(ch in SENT_END for ch in line)


def kind(line: str) -> str:
    """One of chrome, source, date, author, speaker, occasion, numbered, end, body, short."""
    if is_chrome(line):
        return "chrome"
    if _SOURCE_RE.match(line):
        return "source"
    if _AUTHOR_RE.match(line) and len(line) <= 40:
        return "author"
    if _END_RE.match(line):
        return "end"
    if _OCCASION_RE.match(line) and len(line) <= 80:
        return "occasion"
    if len(line) <= 80 and (_DATE_LABEL_RE.match(line) or _is_dateline(line)):
        return "date"
    if _SPEAKER_RE.match(line):
        return "speaker"
    if _NUMBERED_RE.match(line):
        return "numbered"
    if has_sentence_end(line) or len(line) > 60 or line.endswith(("：", ":")):
        return "body"  # a lead-in such as 各位代表： opens the body too
    return "short"


def _is_dateline(line: str) -> bool:
    """A line that is mostly a date (and maybe a time, a source): a dateline, not a sentence.

    >>> _is_dateline("2025-12-17 09:24|文章来源:黄石市科协"), _is_dateline("2026年02月10日 07时41分")
    (True, True)
    >>> _is_dateline("2025年12月17日，市科协召开全委会，审议通过了工作报告。")
    False
    """
    m = DATE_RE.search(line)
    if not m or has_sentence_end(line):
        return False
    rest = (line[:m.start()] + line[m.end():]).strip()
    rest = re.sub(r"\d{1,2}[:：时]\d{1,2}(?:[:：分]\d{1,2})?秒?分?", "", rest)
    rest = _SOURCE_RE.sub("", re.sub(r"^.*?[|｜]", "", rest)) if "|" in rest or "｜" in rest else rest
    return len(rest.strip(" |｜:：")) <= 12 or bool(_SOURCE_RE.search(rest))


def date_value(line: str) -> str:
    """The ISO date a line holds, or ''.

    >>> date_value("时间：2026-02-05"), date_value("2026年1月27日在湖北"), date_value("无")
    ('2026-02-05', '2026-01-27', '')
    """
    m = DATE_RE.search(line)
    if not m:
        return ""
    y, mo, d = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def source_value(line: str) -> str:
    """The organisation a ``来源：`` line names (possibly '' when it is on the next line).

    >>> source_value("2025-12-17 09:24|文章来源:黄石市科协"), source_value("来源:")
    ('黄石市科协', '')
    """
    for part in re.split(r"[|｜]", line):
        m = _SOURCE_RE.match(part.strip())
        if m:
            return m.group(1).strip().split()[0] if m.group(1).strip() else ""
    return ""


def author_value(line: str) -> str:
    m = _AUTHOR_RE.match(line)
    if m:
        return m.group(1).strip()
    m = _SPEAKER_RE.match(line)
    return m.group("name").replace(" ", "") if m else ""
