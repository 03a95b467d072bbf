"""Segmenting a page into articles: headlines, credits, columns, captions, summaries.

A raw page is a flat run of lines.  We first give every line a *kind* from its
shape alone (``classify``), then walk the lines once (``segment``) deciding where
stories begin.  A story begins at a headline, and a short heading-like line is a
headline (not a section heading inside the running story) when something that
only opens stories follows it — a lead-in (本报讯), a byline, a subtitle, a summary
box — or when it comes right after a column header or after the previous story's
closing credit, or when Markdown ranks it as a top heading.  These rules hold for
both seed formats and do not depend on any particular page's strings.

Nothing is dropped here: every line ends up in an article field, or in the page's
own record (page furniture such as column headers and page-wide photo credits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Article, Caption, Credit, LogEntry, Paragraph, SourcePage
from ..settings.profile import Layout, default_layout
from .credits import (
    PageCredit,
    parse_credit,
    parse_nameless_credit,
    parse_page_credit,
    parse_source_credit,
    split_leadin,
)

FINAL_PUNCT = "。！？!?…"
CLOSERS = "”’」』）)》\"'"
_INTERNAL_PUNCT = re.compile(r"[，。；：、,;:]|(?<=[\u4e00-\u9fff])[.]")
_COLUMN_SHAPE = re.compile(r"^([\u4e00-\u9fff]{2,8})\s+([A-Z]{2,}(?:\s+[A-Z]+)*)$")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[①-⑳])$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
_CAPTION = re.compile(r"^(?P<cap>[^。！？!?]+[。！？!?][”’」』]?)(?:\s+(?P<credit>\S.*)|(?P<paren>[（(].*))?$")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass
class Line:
    """One non-blank source line with its shape-based kind."""

    no: int  # 1-based line number in the source file
    text: str  # stripped, Markdown markup removed
    level: int  # Markdown heading level, 0 if none
    gap: int  # blank lines before it
    markup: str = ""  # Markdown markup removed from the line, kept for the log
    kind: str = "body"
    credit: Credit | None = None
    page_credit: PageCredit | None = None
    rest: str = ""  # summary text after the marker / paragraph text after a lead-in
    leadin: str = ""  # the lead-in as printed (本报讯 记者X报道)
    column: str = ""
    source: str = ""  # a source or organisation credited (来源：X, X供图, 图片由X提供)


@dataclass
class PageLayout:
    """What segmentation found on one page: its articles and its page furniture."""

    source: str
    articles: list[Article] = field(default_factory=list)
    furniture: list[LogEntry] = field(default_factory=list)  # column headers, page credits
    page_photographers: list[str] = field(default_factory=list)


def ends_sentence(text: str) -> bool:
    """True if the text ends like a finished sentence (closing quotes allowed)."""
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in FINAL_PUNCT


def _strip_markup(raw: str) -> tuple[str, int, str]:
    text = raw.strip().replace("\u3000", " ").strip()
    level, markup = 0, ""
    m = _MD_HEADING.match(text)
    if m:
        level, markup, text = len(m.group(1)), m.group(1), m.group(2).strip()
    b = _BOLD_LEAD.match(text)
    if b:
        markup += "****"
        text = (b.group(1) + " " + text[b.end():].strip()).strip()
    return text, level, markup


def read_lines(page: SourcePage) -> list[Line]:
    lines: list[Line] = []
    gap = 0
    for no, raw in enumerate(page.lines, start=1):
        if not raw.strip():
            gap += 1
            continue
        text, level, markup = _strip_markup(raw)
        if not text:  # a line of bare markup such as "###"
            gap += 1
            continue
        lines.append(Line(no=no, text=text, level=level, gap=gap, markup=markup))
        gap = 0
    return lines


def _column_name(text: str, lay: Layout) -> str | None:
    m = _COLUMN_SHAPE.match(text)
    if m:
        return m.group(1)
    first = text.split()[0] if text.split() else ""
    if first in lay.columns and (len(text.split()) == 1 or re.fullmatch(r"[A-Za-z\s]+", text[len(first):])):
        return first
    return None


def is_heading_like(text: str, level: int, next_text: str | None, lay: Layout) -> bool:
    """A line shaped like a (sub)heading rather than a paragraph cut by a column break."""
    if level:
        return True
    if len(text) > lay.max_headline_chars or len(text) < 4:
        return False
    if _INTERNAL_PUNCT.search(text):
        return False
    core = text.rstrip(CLOSERS)
    if not core or core[-1] in lay.fragment_final_chars:
        return False
    if core[-1] in "。…":
        return False
    if next_text and next_text[0] in "（(、，。；：！？,.;:!?)）》":
        return False  # the next line continues this one
    return True


def classify(lines: list[Line], lay: Layout) -> None:
    """Give every line a kind from its own shape (and, for headings, the next line)."""
    for i, line in enumerate(lines):
        text = line.text
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        col = _column_name(text, lay)
        if col:
            line.kind = "sidebar" if col in lay.sidebars else "column"
            line.column = col
            continue
        marker = next((m for m in lay.summary_markers if text.startswith(m)), None)
        if marker and (len(text) == len(marker) or text[len(marker)] in " :：】]"):
            line.kind, line.rest = "summary", text[len(marker):].lstrip(" :：】]")
            continue
        page_credit = parse_page_credit(text, lay)
        if page_credit:
            line.kind, line.page_credit = "page_credit", page_credit
            continue
        credit = parse_credit(text, lay)
        if credit:
            line.kind, line.credit = "credit", credit
            continue
        if parse_nameless_credit(text, lay):
            line.kind, line.credit = "credit", Credit()
            continue
        source = parse_source_credit(text, lay)
        if source:
            line.kind, line.credit, line.source = "credit", Credit(), source
            continue
        lead = split_leadin(text, lay)
        if lead:
            line.kind, line.leadin, line.credit, line.rest = "leadin", lead[0], lead[1], lead[2]
            continue
        if text.startswith("——") or text.startswith("--"):
            line.kind = "subtitle"
            continue
        if _SECTION_NUMBER.match(text):
            line.kind = "secnum"
            continue
        cap = _CAPTION.match(text) if len(text) <= lay.max_caption_chars and not line.level else None
        if cap:
            tail = cap.group("credit") or cap.group("paren")
            tail_credit = tail and (parse_credit(tail, lay) or parse_page_credit(tail, lay))
            tail_source = tail and not tail_credit and parse_source_credit(tail, lay)
            if tail and (tail_credit or tail_source):
                line.kind, line.rest = "caption", cap.group("cap")
                if isinstance(tail_credit, PageCredit):
                    line.page_credit = tail_credit
                elif tail_credit:
                    line.credit = tail_credit
                else:
                    line.source = tail_source or ""
                line.leadin = tail  # the credit as printed
                continue
            if not tail and (line.gap >= lay.caption_gap or (nxt and nxt.gap == 0 and parse_credit(nxt.text, lay) and not parse_credit(nxt.text, lay).authors)):
                line.kind, line.rest = "caption", text
                continue
        if is_heading_like(text, line.level, nxt.text if nxt else None, lay):
            line.kind = "heading"
    _classify_by_position(lines, lay)


def _picture_credit(line: Line | None) -> bool:
    """A line that credits a picture: ``X 摄`` or a source (``来源：X``, ``X供图``)."""
    return line is not None and line.kind == "credit" and line.credit is not None and (
        (bool(line.credit.photographers) and not line.credit.authors) or bool(line.source))


def _ends_with_own_credit(lines: list[Line], k: int) -> bool:
    """Lines from ``k`` are text (at least one line) ended by a closing credit: a byline,
    a nameless credit or a source credit (not a photo credit)."""
    start = k
    while k < len(lines) and lines[k].kind == "body":
        k += 1
    if k == start or k >= len(lines):
        return False
    end = lines[k]
    return end.kind == "credit" and end.credit is not None and (
        bool(end.credit.authors) or bool(end.source) or not end.credit.photographers)


def _finished(line: Line | None) -> bool:
    """Nothing before ``line`` is left open: page start, column header, credit, or a finished sentence."""
    return line is None or line.kind in ("column", "sidebar", "credit", "page_credit", "caption") or (
        line.kind == "body" and ends_sentence(line.text))


def _classify_by_position(lines: list[Line], lay: Layout) -> None:
    """Kinds that the line's shape leaves open and its neighbours decide.

    * A 2–3 character line of Chinese only (``丰收了``) after something finished and
      before text is a heading (its position then makes it a headline or a section heading).
    * A short line without sentence punctuation set off by a wide gap (a bare name
      under a picture: ``某某项目建设现场``) is a caption when a picture credit follows
      it, or the next story's headline (a Markdown heading, or a headline with its
      lead-in or byline), or the end of the page: a section heading is followed by its text.
    """
    finals = lay.short_headline_finals
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        text = line.text
        if line.kind != "body" or line.level or nxt is None or nxt.kind not in ("body", "leadin", "credit", "summary"):
            continue
        if nxt.text[0] in "（(、，。；：！？,.;:!?)）》":
            continue
        short = (2 <= len(text) <= 3 and _CJK_ONLY.match(text)
                 and (text[-1] not in lay.fragment_final_chars or text[-1] in finals)
                 and (_finished(prev) or prev.kind == "heading"))  # type: ignore[union-attr]
        # "夜市重开 烟火气回来了": a headline ending on a sentence-final particle, where
        # a story begins (page start, column header, credit, caption)
        particle = (4 <= len(text) <= lay.max_headline_chars and text[-1] in finals
                    and not _INTERNAL_PUNCT.search(text) and not ends_sentence(text)
                    and (prev is None or prev.kind in ("column", "sidebar", "credit", "page_credit", "caption")))
        if short or particle:
            line.kind = "heading"
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        text = line.text
        if (line.kind in ("heading", "body") and not line.level and line.gap >= lay.caption_gap
                and len(text) <= lay.max_caption_chars and not _INTERNAL_PUNCT.search(text)
                and not ends_sentence(text) and (line.kind == "heading" or _picture_credit(nxt))):
            after = lines[i + 2] if i + 2 < len(lines) else None
            next_story = nxt is not None and nxt.kind == "heading" and (
                nxt.level > 0 or (after is not None and (after.kind in ("leadin", "summary")
                                                         or (after.kind == "credit" and after.credit is not None
                                                             and bool(after.credit.authors))))
                # a headline whose text ends with its own credit; a name with a space
                # ("…看义县 系列报道之②") is rather a kicker above it
                or (" " not in text and _ends_with_own_credit(lines, i + 2)))
            if nxt is None or _picture_credit(nxt) or next_story:
                line.kind, line.rest = "caption", text


def _split_inline_subtitle(text: str) -> tuple[str, str]:
    """``引投资 聚产业 富乡村 ——锦州市发展…`` → (title, subtitle)."""
    m = re.match(r"^(.+?)\s+(——.+)$", text)
    return (m.group(1).strip(), m.group(2).strip()) if m else (text, "")


def split_kicker(heads: list[Line], lay: Layout) -> tuple[list[Line], list[Line]]:
    """(kicker lines, lines that are not a kicker) among the headline lines before the title.

    A kicker (引题) is one short line printed above the headline.  Several lines there,
    or one longer than any headline, are text that happens to look like headings (a
    page of 50,000 short lines separated by blank lines is one run): they belong to
    the story's body, not to a kicker that would swallow the page."""
    if len(heads) == 1 and len(heads[0].text) <= lay.max_headline_chars:
        return heads, []
    return [], heads


class _Segmenter:
    """The single pass over a page's classified lines."""

    def __init__(self, page: SourcePage, lines: list[Line], lay: Layout):
        self.lay = lay
        self.page = page
        self.lines = lines
        self.result = PageLayout(source=page.name)
        self.current: Article | None = None
        self.closed = False  # the current story printed its closing credit
        self.column = ""
        self.column_level = 0  # Markdown level of the first story in the column
        self.story_level = 0  # Markdown level of the running story's headline
        self.after_column_header = False
        self.in_summary = False
        self.in_sidebar = False
        self.orphan_captions: list[Caption] = []
        self.orphan_photographers: list[str] = []
        self.sourced_captions: set[int] = set()
        self.pending_source_credits: list[tuple[Line, str]] = []  # picture sources printed before their story  # id() of captions credited to a source, not a photographer

    # -- helpers -----------------------------------------------------------
    def _furniture(self, line: Line, rule: str, detail: str) -> None:
        text = f"{line.markup} {line.text}" if line.markup else line.text
        self.result.furniture.append(LogEntry("removed", rule, line.no, text, detail))

    def _markup(self, line: Line) -> None:
        """Log Markdown markup stripped from a line whose text went to an article field."""
        if not line.markup:
            return
        entry = LogEntry("removed", "markdown-markup", line.no, line.markup, "原文的排版标记符号已删除")
        (self.current.log if self.current is not None else self.result.furniture).append(entry)

    def _log(self, kind: str, rule: str, line: Line, text: str, detail: str = "") -> None:
        assert self.current is not None
        self.current.log.append(LogEntry(kind, rule, line.no, text, detail))  # type: ignore[arg-type]

    def _add_people(self, credit: Credit, article: Article) -> None:
        for name in credit.authors:
            if name not in article.authors:
                article.authors.append(name)
        for name in credit.photographers:
            if name not in article.photographers:
                article.photographers.append(name)

    def _start_article(self, parts: list[Line]) -> Article:
        """Open a new story whose headline is made of ``parts`` (kicker, title, subtitle)."""
        self._finish_current()
        kicker_parts: list[str] = []
        not_kicker: list[Line] = []
        title, subtitle = "", ""
        heads = [p for p in parts if p.kind != "subtitle"]
        subs = [p for p in parts if p.kind == "subtitle"]
        if subs and not heads:  # a dash line alone is a headline that happens to start with dashes
            heads, subs = subs[:1], subs[1:]
        dashes: list[tuple[int, str]] = []
        for p in subs:
            subtitle = (subtitle + " " + p.text.lstrip("—-").strip()).strip()
            dashes.append((p.no, p.text[: len(p.text) - len(p.text.lstrip("—-"))]))
        if heads:
            title, inline_sub = _split_inline_subtitle(heads[-1].text)
            if inline_sub:
                subtitle = (inline_sub.lstrip("—-").strip() + " " + subtitle).strip()
                dashes.append((heads[-1].no, inline_sub[: len(inline_sub) - len(inline_sub.lstrip("—-"))]))
            kicker_lines, not_kicker = split_kicker(heads[:-1], self.lay)
            kicker_parts = [p.text for p in kicker_lines]
            heads = kicker_lines + heads[-1:]
        level = min((p.level for p in heads if p.level), default=0)
        lead_story = bool(kicker_parts or subtitle) or (level and self.column_level and level < self.column_level)
        if level == 1 or (lead_story and not self.after_column_header):
            self.column = ""
            self.column_level = 0
        if self.after_column_header:
            self.column_level = level
        self.story_level = level
        article = Article(
            source=self.page.name,
            index=len(self.result.articles),
            line=parts[0].no if parts else 0,
            title=title,
            kicker=" ".join(kicker_parts),
            subtitle=subtitle,
            column=self.column,
        )
        self.result.articles.append(article)
        self.current = article
        self.closed = False
        self.after_column_header = False
        self.in_summary = False
        self.in_sidebar = False
        for no, dash in dashes:
            article.log.append(LogEntry("removed", "subtitle-dash", no, dash, "标示副题的破折号，不属于副题"))
        if not_kicker:
            article.body.extend(Paragraph(p.text, p.no) for p in not_kicker)
            article.log.append(LogEntry("moved", "not-a-kicker", not_kicker[0].no, not_kicker[0].text[:40],
                                        f"标题上方的 {len(not_kicker)} 行文字过多或过长，不是引题（引题只有短短一行），"
                                        "作为正文开头保留"))
        for p in parts:
            self._markup(p)
        if self.orphan_captions:
            article.captions.extend(self.orphan_captions)
            for cap in self.orphan_captions:
                article.log.append(LogEntry("moved", "caption-before-headline", cap.line, cap.text,
                                            "印在标题之前的图片说明，归入本文"))
            self.orphan_captions = []
        for line, text in self.pending_source_credits:
            article.credit_lines.append(text)
            article.log.append(LogEntry("moved", "source-credit", line.no, text,
                                        f"标题之前的图片来源署名（{line.source}），随图片说明归入本文"))
        self.pending_source_credits = []
        return article

    def _untitled(self, line: Line) -> Article:
        article = self._start_article([])
        article.line = line.no
        article.title = ""
        article.log.append(LogEntry("flagged", "no-headline", line.no, line.text[:40],
                                    "这段文字前没有可辨认的标题，标题空缺"))
        return article

    def _promote_headline(self, line: Line) -> None:
        """Start a story at a lead-in, taking the line printed just before it as headline."""
        prev = self.current.body[-1] if self.current is not None and self.current.body else None
        if prev is not None and not prev.heading and not ends_sentence(prev.text) and len(prev.text) <= 2 * self.lay.max_headline_chars:
            emptied = self.current
            emptied.body.pop()  # type: ignore[union-attr]
            holds = (emptied.title, emptied.kicker, emptied.subtitle, emptied.body, emptied.summary, emptied.captions,
                     emptied.sidebar, emptied.credit_lines, [e for e in emptied.log if e.kind in ("removed", "moved")])
            if not any(holds):
                self.result.articles.remove(emptied)  # it only ever held this headline
            head = Line(no=prev.line, text=prev.text, level=0, gap=0, kind="heading")
            article = self._start_article([head])
            article.log.append(LogEntry("flagged", "headline-by-position", prev.line, prev.text,
                                        "其后紧接电头，故定为标题；仅凭字形无法判断"))
        else:
            self._untitled(line)

    def _finish_current(self) -> None:
        self.in_summary = False

    def _caption(self, line: Line) -> Caption:
        cap = Caption(text=line.rest or line.text, line=line.no)
        if line.credit:
            cap.photographers = list(line.credit.photographers or line.credit.authors)
        if line.source:
            self.sourced_captions.add(id(cap))
        return cap

    def _attach_caption(self, cap: Caption, line: Line) -> None:
        if self.current is None or self.after_column_header:
            self.orphan_captions.append(cap)
        else:
            self.current.captions.append(cap)
            self._log("moved", "caption", line, cap.text, "图片说明，移出正文" if ends_sentence(cap.text) else
                      "图片说明（无句末标点的名称，按位置判定：前有空行，后接图片署名或下一篇文章），移出正文")
        self._markup(line)
        if line.credit or line.source:
            self._caption_credit_log(line, line.leadin)
        if line.page_credit:
            self._page_credit(line, line.page_credit, line.leadin)

    def _caption_credit_log(self, line: Line, text: str = "") -> None:
        text = text or line.text
        if line.source:
            rule, detail = "source-credit", f"图片来源署名（{line.source}），移入署名栏；不是摄影者"
        else:
            rule, detail = "photo-credit", "摄影署名，移入署名栏"
        if self.current is not None and not self.after_column_header:
            self.current.credit_lines.append(text)
            self._log("moved", rule, line, text, detail)
        elif line.source:
            # the source is kept: no person to record, so the words stay with the story
            self.pending_source_credits.append((line, text))
        else:
            self.result.furniture.append(LogEntry("removed", "photo-credit", line.no, text,
                                                  "摄影署名印在所属文章之前；摄影者已记录"))

    def _page_credit(self, line: Line, credit: PageCredit, text: str = "") -> None:
        for name in credit.photographers:
            if name not in self.result.page_photographers:
                self.result.page_photographers.append(name)
        self.result.furniture.append(LogEntry("removed", "page-photo-credit", line.no, text or line.text,
                                              "本版所有未单独署名图片的摄影署名"))

    # -- the pass ----------------------------------------------------------
    def _headline_run(self, i: int) -> tuple[list[Line], list[Line], int]:
        """Collect consecutive headline-shaped lines from ``i``; captions in between are set aside."""
        parts: list[Line] = []
        captions: list[Line] = []
        j = i
        while j < len(self.lines):
            ln = self.lines[j]
            if ln.kind in ("heading", "subtitle", "secnum"):
                if parts and ln.kind == "heading" and ln.level and parts[-1].level and ln.level > parts[-1].level:
                    break  # a deeper Markdown heading after a title is a section of the story
                if parts and ln.kind == "heading" and not ln.level and ln.gap > 1:
                    break
                if captions:
                    break  # headline parts are printed together, not around a picture
                parts.append(ln)
            elif ln.kind == "caption" and parts:
                captions.append(ln)
                if self._is_photo_credit(j + 1):
                    j += 1
                    captions.append(self.lines[j])
            else:
                break
            j += 1
        return parts, captions, j

    def _is_photo_credit(self, j: int) -> bool:
        """A line that is only a photo credit (``X 摄``), as printed under a picture."""
        if j >= len(self.lines):
            return False
        return _picture_credit(self.lines[j])

    def _captions_from(self, lines: list[Line]) -> None:
        """Attach the captions of ``lines`` (each optionally followed by its photo credit)."""
        k = 0
        while k < len(lines):
            cap_line = lines[k]
            cap = self._caption(cap_line)
            if k + 1 < len(lines) and lines[k + 1].kind == "credit":
                credit_line = lines[k + 1]
                cap.photographers = list(credit_line.credit.photographers)  # type: ignore[union-attr]
                if credit_line.source:
                    self.sourced_captions.add(id(cap))
                self._caption_credit_log(credit_line)
                k += 1
            self._attach_caption(cap, cap_line)
            k += 1

    @staticmethod
    def _headline_signals(parts: list[Line], nxt: Line | None) -> bool:
        """What only a story's headline has: a subtitle, a top Markdown rank, or a
        lead-in, summary box or byline right after it."""
        if any(p.kind == "subtitle" or p.level in (1, 2) for p in parts):
            return True
        if nxt is None:
            return False
        return nxt.kind in ("leadin", "summary") or (nxt.kind == "credit" and bool(nxt.credit and nxt.credit.authors))

    def _story_text_ahead(self, j: int) -> tuple[int, int | None]:
        """From line ``j``: how many text lines follow, and the index of what ends them
        (a credit, a heading, a lead-in, a column header…; None at the page's end).
        Captions with their picture credits are skipped: they sit inside the text."""
        k, text_lines = j, 0
        while k < len(self.lines):
            ln = self.lines[k]
            if ln.kind == "body":
                text_lines += 1
            elif ln.kind == "caption":
                if self._is_photo_credit(k + 1):
                    k += 1
            else:
                return text_lines, k
            k += 1
        return text_lines, None

    def _previous_finished(self) -> bool:
        """The running story's last paragraph ends a sentence (or nothing is left open)."""
        art = self.current
        return art is not None and (not art.body or art.body[-1].heading or ends_sentence(art.body[-1].text))

    def _lone_plain_heading(self, parts: list[Line]) -> bool:
        """One plain line (no Markdown rank, no subtitle) in a story that has no section heading yet."""
        return (len(parts) == 1 and parts[0].kind == "heading" and not parts[0].level
                and self.current is not None and not any(p.heading for p in self.current.body))

    def _owns_closing_credit(self, parts: list[Line], i: int, j: int) -> bool:
        """A headline-shaped line after a finished paragraph opens a story of its own when
        the text under it ends with its own closing credit (a byline at the end, a nameless
        or a source credit) and the running story has no section headings: a section does
        not end with a credit, a story does.  (A story without byline followed by one with
        only a closing credit would otherwise be merged into it.)"""
        if self.current is None or any(p.heading for p in self.current.body) or not self._previous_finished():
            return False
        if any(p.kind == "secnum" for p in parts):
            return False
        if any(p.level and self.story_level and p.level > self.story_level for p in parts):
            return False  # ranked below the story's headline: a section of it
        text_lines, end = self._story_text_ahead(j)
        if not text_lines or end is None:
            return False
        ln = self.lines[end]
        return ln.kind == "credit" and ln.credit is not None and not self._is_photo_credit(end) or (
            ln.kind == "credit" and bool(ln.source))

    def _is_fragment(self, parts: list[Line], i: int, j: int) -> bool:
        """A punctuation-free line read as the start of a sentence (``村里引进的合作社在某村投资``),
        alone in its story (no section heading before it or in the text after it), right
        before text that continues it: a paragraph cut by a column break, not a heading."""
        if not self._lone_plain_heading(parts) or not self._previous_finished():
            return False
        text = parts[0].text.rstrip(CLOSERS)
        clause = self.lay.clause_chars
        if len(text) < 6 or " " in parts[0].text or not any(c in clause for c in text[1:-1]):
            return False
        if j >= len(self.lines) or self.lines[j].kind != "body":
            return False
        _, end = self._story_text_ahead(j)
        return end is None or self.lines[end].kind != "heading"

    def _opens_story(self, parts: list[Line], nxt: Line | None) -> bool:
        if self.current is None or self.closed or self.after_column_header:
            return True
        return self._headline_signals(parts, nxt)

    def run(self) -> PageLayout:
        lines = self.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            kind = line.kind
            if kind in ("column", "sidebar"):
                self._furniture(line, "column-header", f"栏目名「{line.column}」")
                if kind == "sidebar" and self.current is not None:
                    self.in_sidebar = True
                    self.in_summary = False
                    self.current.log.append(LogEntry("moved", "sidebar", line.no, line.text,
                                                     f"「{line.column}」框作为本文附栏保留"))
                else:
                    self.column = line.column
                    self.after_column_header = True
                    self.in_sidebar = False
                i += 1
                continue
            if kind == "page_credit":
                self._markup(line)
                self._page_credit(line, line.page_credit)  # type: ignore[arg-type]
                i += 1
                continue
            if kind in ("heading", "subtitle", "secnum"):
                parts, caps, j = self._headline_run(i)
                nxt = lines[j] if j < len(lines) else None
                if self.in_sidebar and self.current is not None and not self._headline_signals(parts, nxt):
                    for p in parts:
                        if not self.current.sidebar_title:
                            self.current.sidebar_title = p.text
                        else:
                            self.current.sidebar.append(Paragraph(p.text, p.no, heading=True))
                    self._captions_from(caps)
                    i = j
                    continue
                if self._opens_story(parts, nxt):
                    self._start_article(parts)
                elif self._is_fragment(parts, i, j):
                    line = parts[0]
                    self._markup(line)
                    self.current.body.append(Paragraph(text=line.text, line=line.no))  # type: ignore[union-attr]
                    self._log("moved", "fragment-not-heading", line, line.text,
                              "无句末标点的一行，其后接续正文、本文别无小标题：是被分栏截断的段落开头，不是小标题，归入正文")
                elif self._owns_closing_credit(parts, i, j):
                    article = self._start_article(parts)
                    article.log.append(LogEntry("flagged", "story-by-credit", parts[0].no, parts[0].text,
                                                "标题下没有署名，但前文已完整结束、其后正文以自己的文末署名结束："
                                                "按位置定为另一篇文章的标题"))
                else:
                    self._section_headings(parts)
                self._captions_from(caps)
                i = j
                continue
            if kind == "caption":
                group = [line] + ([lines[i + 1]] if self._is_photo_credit(i + 1) else [])
                self._captions_from(group)
                i += len(group)
                continue
            if kind == "credit":
                self._credit(line)
                i += 1
                continue
            if kind == "summary":
                if self.current is None:
                    self._untitled(line)
                self.in_summary = True
                self.current.log.append(LogEntry("removed", "summary-marker", line.no, line.text[: len(line.text) - len(line.rest)].strip(),
                                                 "核心提示框的标记；其后文字为核心提示"))  # type: ignore[union-attr]
                self._markup(line)
                if line.rest:
                    self.current.summary.append(Paragraph(line.rest, line.no))  # type: ignore[union-attr]
                i += 1
                continue
            if kind == "leadin":
                if self.current is None or self.closed or self.current.body:
                    # a lead-in with no headline before it: the previous line may be a
                    # headline whose shape did not give it away (very short, punctuated).
                    self._promote_headline(line)
                art = self.current
                assert art is not None
                self._markup(line)
                self._add_people(line.credit or Credit(), art)
                art.credit_lines.append(line.leadin)
                self._log("moved", "leadin", line, line.leadin, "文章开头的电头或署名，移入署名栏")
                if line.rest:
                    self._body(line, line.rest)
                i += 1
                continue
            # body
            if self.current is None:
                self._untitled(line)
            self._body(line, line.text)
            i += 1
        self._finish_current()
        if self.orphan_captions:
            if self.result.articles:
                self.result.articles[-1].captions.extend(self.orphan_captions)
            else:
                for cap in self.orphan_captions:
                    self.result.furniture.append(LogEntry("flagged", "caption-without-story", cap.line, cap.text,
                                                          "本版没有文章，图片说明无所属"))
        for line, text in self.pending_source_credits:
            if self.result.articles:
                last = self.result.articles[-1]
                last.credit_lines.append(text)
                last.log.append(LogEntry("moved", "source-credit", line.no, text,
                                         f"图片来源署名（{line.source}），随图片说明归入本文"))
            else:
                self.result.furniture.append(LogEntry("removed", "source-credit", line.no, text,
                                                      f"本版没有文章，图片来源署名（{line.source}）无所属"))
        self.pending_source_credits = []
        return self.result

    def _section_headings(self, parts: list[Line]) -> None:
        assert self.current is not None
        self.in_summary = False
        self.in_sidebar = False
        pending_number = ""
        for p in parts:
            self._markup(p)
            if p.kind == "secnum":
                if pending_number:  # two numbers in a row: keep the first as it stands
                    self.current.body.append(Paragraph(text=pending_number, line=p.no, heading=True))
                pending_number = p.text
                continue
            text = f"{pending_number} {p.text}" if pending_number else p.text
            if pending_number:
                self._log("joined", "section-number", p, pending_number, "单独成行的小标题序号，并入小标题")
            pending_number = ""
            self.current.body.append(Paragraph(text=text, line=p.no, heading=True))
        if pending_number:
            self.current.body.append(Paragraph(text=pending_number, line=parts[-1].no, heading=True))

    def _credit(self, line: Line) -> None:
        credit = line.credit
        assert credit is not None
        if self.current is None:
            # a credit before any story: hold it for the first story on the page
            if line.source:
                self.pending_source_credits.append((line, line.text))
                return
            self.orphan_photographers.extend(credit.photographers)
            self._furniture(line, "credit-before-story", "印在第一个标题之前的署名")
            return
        art = self.current
        self._markup(line)
        start = not art.body and not art.summary and not self.closed
        self._add_people(credit, art)
        art.credit_lines.append(line.text)
        where = "标题下的署名" if start else "文末署名"
        if line.source:
            self._log("moved", "source-credit", line, line.text, f"{where}注明来源（{line.source}），移入署名栏")
        elif not credit.authors and not credit.photographers:
            self._log("moved", "nameless-credit", line, line.text, f"{where}只有身份、未署姓名，移入署名栏")
        else:
            self._log("moved", "credit", line, line.text, f"{where}，移入署名栏")
        if not start:
            self.closed = True
            self.in_summary = False
            self.in_sidebar = False

    def _body(self, line: Line, text: str) -> None:
        art = self.current
        assert art is not None
        self._markup(line)
        if self.in_sidebar:
            art.sidebar.append(Paragraph(text, line.no))
            return
        if self.in_summary:
            art.summary.append(Paragraph(text, line.no))
            return
        art.body.append(Paragraph(text=text, line=line.no))


def segment(page: SourcePage, lay: Layout | None = None) -> PageLayout:
    """Split one decoded page into articles (uncleaned text, credits resolved)."""
    lines = read_lines(page)
    lay = lay or default_layout()
    classify(lines, lay)
    result = (seg := _Segmenter(page, lines, lay)).run()
    for n, art in enumerate(result.articles):
        art.index = n
    # pictures without their own credit are by the page's photographer, else by
    # whoever the story's byline says took its pictures (文并摄)
    for art in result.articles:
        for cap in art.captions:
            if not cap.photographers and id(cap) not in seg.sourced_captions:
                cap.photographers = list(result.page_photographers or art.photographers)
            for name in cap.photographers:
                if name not in art.photographers:
                    art.photographers.append(name)
    if seg.orphan_photographers and result.articles:
        first = result.articles[0]
        for name in seg.orphan_photographers:
            if name not in first.photographers:
                first.photographers.append(name)
    _settle_summaries(result)
    return result


def _settle_summaries(result: PageLayout) -> None:
    """A summary box runs to the first section heading; without one, only its first paragraph."""
    for art in result.articles:
        if len(art.summary) > 1 and not any(p.heading for p in art.body):
            moved = art.summary[1:]
            art.summary = art.summary[:1]
            art.body[0:0] = moved
            art.log.append(LogEntry("moved", "summary-extent", moved[0].line, moved[0].text[:30],
                                    f"核心提示标记之后的 {len(moved)} 段移入正文："
                                    "本文没有小标题来结束核心提示框"))
