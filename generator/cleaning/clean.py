"""Cleaning segmented articles: repair what the layout broke, flag what cannot be repaired.

Every change is written to the article's cleaning log with the source line and the
exact text affected, so a reader can see what the archive did and an archivist can
undo it.  Cleaning is idempotent: cleaning a cleaned article changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Article, Caption, LogEntry, Paragraph
from ..segmenting.segment import PageLayout, ends_sentence
from ..settings.profile import Layout, default_layout

HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJK_PUNCT = "，。、；：！？“”‘’（）《》【】…—·「」『』"
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_SECTION_NO = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3}|[①-⑳])\s")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2})\1+")
MAX_PASSES = 5  # tidy/undouble/dedupe rounds; real pages settle in one or two
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")


def is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch in _CJK_PUNCT)


def _matching_paren(text: str, i: int) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return None


def normalise_punctuation(text: str) -> tuple[str, int]:
    """Half-width ``, : ; ! ? ( )`` in Chinese context become full-width.

    Numbers (``5:5``, ``1,000``, ``3.5``) and Latin text keep their punctuation: only a
    mark touching a Chinese character or Chinese punctuation is changed, and
    parentheses change as a pair.  A converted mark is itself Chinese context for
    its neighbours, so the pass repeats until nothing changes (idempotence).
    """
    total = 0
    while True:
        text, changed = _normalise_once(text)
        total += changed
        if not changed:
            return text, total


_HALF = re.compile(r"[,:;!?()]")


def _normalise_once(text: str) -> tuple[str, int]:
    if not _HALF.search(text):
        return text, 0
    chars = list(text)
    changed = 0
    paired: set[int] = set()
    for m in _HALF.finditer(text):
        i, ch = m.start(), m.group()
        if i in paired:
            continue
        prev = chars[i - 1] if i > 0 else ""  # already converted: "建设!?" → "建设！？"
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "(":
            j = _matching_paren(text, i)
            inside = text[i + 1 : j] if j is not None else nxt
            after = text[j + 1] if j is not None and j + 1 < len(text) else ""
            if is_cjk(prev) or is_cjk(after) or any(is_cjk(c) for c in inside):
                chars[i] = "（"
                changed += 1
                if j is not None:
                    chars[j] = "）"
                    paired.add(j)
                    changed += 1
            elif j is not None:
                paired.add(j)  # a Latin pair: leave both alone
            continue
        if ch in ",:" and prev.isdigit() and nxt.isdigit():
            continue
        if is_cjk(prev) or is_cjk(nxt):
            chars[i] = HALF_TO_FULL[ch]
            changed += 1
    return "".join(chars), changed


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


class _Cleaner:
    def __init__(self, article: Article, lay: Layout):
        self.art = article
        self.lay = lay

    def log(self, kind: str, rule: str, line: int, text: str, detail: str = "") -> None:
        self.art.log.append(LogEntry(kind, rule, line, text, detail))  # type: ignore[arg-type]

    # 1. column breaks ------------------------------------------------------
    def join_breaks(self, paras: list[Paragraph], where: str) -> list[Paragraph]:
        out: list[Paragraph] = []
        for p in paras:
            prev = out[-1] if out else None
            if prev is not None and not prev.heading and not p.heading and not ends_sentence(prev.text):
                detail = f"{where}：分栏断开的段落已接合（第 {prev.line}、{p.line} 行）"
                self.log("joined", "column-break", prev.line, prev.text[-6:] + "|" + p.text[:6], detail)
                if prev.text[-1] == p.text[0] and "\u4e00" <= p.text[0] <= "\u9fff":
                    self.log("flagged", "repeated-at-break", p.line, prev.text[-2:] + "|" + p.text[:2],
                             "上栏末字与下栏首字相同，可能重复排印")
                out[-1] = replace(prev, text=prev.text + p.text)
            else:
                out.append(p)
        for k, p in enumerate(out):
            nxt = out[k + 1] if k + 1 < len(out) else None
            if not p.heading and not ends_sentence(p.text) and (nxt is None or nxt.heading):
                self.log("flagged", "cut-mid-sentence", p.line, p.text[-12:],
                         f"{where}：文字在句中中断"
                         + ("，其后即是小标题" if nxt else "，位于本文末尾")
                         + "；后文不见于本版")
        return out

    # 2. punctuation and spacing -------------------------------------------
    def tidy(self, text: str, line: int, where: str, *, spaces: bool = True) -> str:
        new, n = normalise_punctuation(text)
        if n:
            self.log("normalised", "punctuation", line, f"{n}", f"{where}：{n} 个半角标点改为全角")
        if spaces:
            gaps = _CJK_GAP.findall(new)
            if gaps:
                new = _CJK_GAP.sub("", new)
                self.log("normalised", "cjk-spacing", line, "".join(gaps),
                         f"{where}：删除汉字间的 {len(gaps)} 处空格")
        return new

    def tidy_paragraphs(self, paras: list[Paragraph], where: str) -> list[Paragraph]:
        return [replace(p, text=self.tidy(p.text, p.line, where, spaces=not p.heading)) for p in paras]

    # 3. duplicates --------------------------------------------------------
    def undouble_words(self, paras: list[Paragraph]) -> list[Paragraph]:
        out = []
        for p in paras:
            def fix(m: re.Match[str]) -> str:
                word = m.group(1)
                if m.group(0)[:4] in self.lay.reduplications or word[0] == word[1] or word[0] == "一":
                    return m.group(0)
                self.log("removed", "doubled-word", p.line, m.group(0)[2:], f"词语重复排印（{m.group(0)}），已删去重复部分")
                return word
            out.append(replace(p, text=p.text if p.heading else _DOUBLED.sub(fix, p.text)))
        return out

    def dedupe(self, paras: list[Paragraph], where: str) -> list[Paragraph]:
        min_len = self.lay.min_duplicate_chars
        seen = ""
        out: list[Paragraph] = []
        for p in paras:
            if p.heading:
                out.append(p)
                continue
            if len(p.text) >= min_len and p.text in seen:
                self.log("removed", "duplicate-paragraph", p.line, p.text,
                         f"{where}：本段与本文前文重复")
                continue
            text = ""
            for s in sentences(p.text):
                if len(s) >= min_len and (s in seen or s in text):
                    self.log("removed", "duplicate-sentence", p.line, s,
                             f"{where}：本句与本文前文重复")
                    continue
                text += s
            if text:
                out.append(replace(p, text=text))
                seen += text + "\n"
        return out

    # 4. damage that stays --------------------------------------------------
    def check_section_order(self) -> None:
        numbers: list[tuple[int, Paragraph]] = []
        for p in self.art.body:
            m = _SECTION_NO.match(p.text + " ") if p.heading else None
            if m:
                tok = m.group(1)
                n = int(tok) if tok.isdigit() else _CN_DIGITS.get(tok) or (ord(tok) - ord("①") + 1 if "①" <= tok <= "⑳" else 0)
                numbers.append((n, p))
        seq = [n for n, _ in numbers]
        if seq and seq != list(range(1, len(seq) + 1)):
            self.log("flagged", "sections-out-of-order", numbers[0][1].line, ", ".join(map(str, seq)),
                     f"小标题序号印作 {'、'.join(map(str, seq))}，按原顺序保留")

    def run(self) -> Article:
        a = self.art
        a.title = self.tidy(a.title, a.line, "标题", spaces=False)
        a.kicker = self.tidy(a.kicker, a.line, "引题", spaces=False)
        a.subtitle = self.tidy(a.subtitle, a.line, "副题", spaces=False)
        a.sidebar_title = self.tidy(a.sidebar_title, a.line, "附栏标题", spaces=False)
        for attr, where in (("summary", "核心提示"), ("body", "正文"), ("sidebar", "附栏")):
            paras = getattr(a, attr)
            paras = self.join_breaks(paras, where)
            # to a fixpoint, so that cleaning a cleaned article changes nothing: a removal
            # can bring a half-width mark next to Chinese text ("JIAOBU!?" + "本报讯") or
            # leave two paragraphs identical (found by hypothesis)
            for _ in range(MAX_PASSES):
                before = [p.text for p in paras]
                paras = self.tidy_paragraphs(paras, where)
                paras = self.undouble_words(paras)
                paras = self.dedupe(paras, where)
                if [p.text for p in paras] == before:
                    break
            setattr(a, attr, paras)
        a.captions = [replace(c, text=self.tidy(c.text, c.line, "图片说明")) for c in a.captions]
        self.check_section_order()
        return a


def clean_article(article: Article, lay: Layout | None = None) -> Article:
    """Return a cleaned copy of ``article`` with its cleaning log extended."""
    copy = replace(
        article,
        body=list(article.body),
        summary=list(article.summary),
        sidebar=list(article.sidebar),
        captions=[Caption(c.text, c.line, list(c.photographers)) for c in article.captions],
        log=list(article.log),
    )
    return _Cleaner(copy, lay or default_layout()).run()


def flag_cross_article_repeats(articles: list[Article], lay: Layout) -> None:
    """Flag sentences printed in two stories of one page (layout mix-up).

    Neither copy is removed: we cannot tell which story the text belongs to.
    """
    min_len = lay.min_duplicate_chars + 8
    owners: dict[str, int] = {}
    for k, art in enumerate(articles):
        for p in art.body:
            for s in sentences(p.text):
                if len(s) < min_len:
                    continue
                for piece in re.split(r"[；;]", s):
                    if len(piece) < min_len:
                        continue
                    if piece in owners and owners[piece] != k:
                        other = articles[owners[piece]]
                        for a, b in ((art, other), (other, art)):
                            a.log.append(LogEntry("flagged", "repeated-in-other-story", p.line, piece,
                                                  f"同一文字亦见于「{b.title}」：排版可能把两篇文章混在了一起"))
                    else:
                        owners.setdefault(piece, k)


def clean_page(page: PageLayout, lay: Layout | None = None) -> PageLayout:
    lay = lay or default_layout()
    cleaned = [clean_article(a, lay) for a in page.articles]
    flag_cross_article_repeats(cleaned, lay)
    return replace(page, articles=cleaned)
