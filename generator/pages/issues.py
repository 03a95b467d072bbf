"""Browsing by issue: a calendar per year, a page per day, an index of years.

``issues/index.md`` lists the years (days with pages, 版面, articles) and the pages
whose date is unknown (日期不详); ``issues/YYYY.md`` is the year's calendar, one
small seven-column table per month (Monday first) with a link on every day that
has pages; ``issues/YYYY/YYYY-MM-DD.md`` is one day: every 版面 of that day, each
with its articles in reading order, and the previous and next day with pages.

Pure functions: they take the pages (reader name + articles) and return
{docs path: Markdown}.  The calendar is plain HTML (no script) in the Markdown
page; every text goes through ``h``/``md``.  CSS classes: see ``assets/issues.css``.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..cache import Memo
from ..model import Article
from .metadata import article_path, page_url, rel, source_path
from .pagenames import PageName, cn_date, cn_weekday
from .paging import PER_PAGE, chunk, in_order_links, md_size

INDEX = "issues/index.md"


def year_path(year: int) -> str:
    return f"issues/{year:04d}.md"


def day_path(day: _dt.date) -> str:
    return f"issues/{day.year:04d}/{day.isoformat()}.md"


@dataclass
class Edition:
    """One 版面 as the issue pages show it: its name and its articles in reading order."""

    page: PageName
    articles: list[Article]


def _natural(text: str) -> tuple:
    """``第3版`` before ``第10版``."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def page_order(edition: Edition) -> tuple:
    """A day's pages: by newspaper, then page label (numbers as numbers), then file."""
    return (edition.page.newspaper, _natural(edition.page.page_label), edition.page.file)


def _article_rows(arts: list[Article], doc: str) -> list[dict]:
    return [{"title": a.title or "（无标题）", "link": rel(doc, article_path(a)), "column": a.column,
             "authors": a.authors} for a in sorted(arts, key=lambda a: a.index)]


def _front(title: str) -> str:
    from .mdtext import front_matter_block

    return front_matter_block({"title": title})


def _month_weeks(year: int, month: int) -> list[list[int]]:
    """Weeks of the month, Monday first; 0 for the days of the months around it."""
    return calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)


def issue_pages(editions: Iterable[Edition], memo: Memo | None = None) -> dict[str, str]:
    """docs path → Markdown for the index, a calendar per year and a page per day
    (``memo``: a day's page as in the previous build when it shows the same)."""
    memo = memo or Memo(None)
    by_day: dict[_dt.date, list[Edition]] = defaultdict(list)
    undated: list[Edition] = []
    for ed in editions:
        (by_day[ed.page.date] if ed.page.date else undated).append(ed)
    days = sorted(by_day)
    for day in days:
        by_day[day].sort(key=page_order)
    undated.sort(key=page_order)
    years: dict[int, list[_dt.date]] = defaultdict(list)
    for day in days:
        years[day.year].append(day)
    pages: dict[str, str] = {}
    from .render import env

    tmpl = env()

    # one page per day, chained by previous/next issue; a day of more than PER_PAGE
    # articles continues on issues/YYYY/YYYY-MM-DD/2.md …, in page and reading order
    for i, day in enumerate(days):
        doc = day_path(day)
        before = days[i - 1] if i else None
        after = days[i + 1] if i + 1 < len(days) else None
        eds = by_day[day]
        # (edition, number in it, article): editions in page order, articles in reading order
        entries = [(e, n, a) for e in eds
                   for n, a in (enumerate(sorted(e.articles, key=lambda a: a.index), 1) if e.articles else [(0, None)])]
        runs = chunk(entries, lambda entry: md_size(entry[2].title) + 200 if entry[2] else 200)
        docs = [doc] + [f"{doc[:-3]}/{n}.md" for n in range(2, len(runs) + 1)]
        for n, (run, here) in enumerate(zip(runs, docs), 1):
            shown: list[dict] = []
            for ed, number, art in run:
                if not shown or shown[-1]["edition"] is not ed:
                    shown.append({"edition": ed, "name": ed.page.name, "link": rel(here, source_path(ed.page.file)),
                                  "inferred": ed.page.date_inferred, "articles": [], "continued": number if number > 1 else 0})
                if art is not None:
                    shown[-1]["articles"].append(dict(_article_rows([art], here)[0], n=number))
            title = f"{cn_date(day)} {cn_weekday(day)}" + (f"（第 {n} 页）" if n > 1 else "")
            pages[here] = memo.render(
                here, tmpl.get_template("issue_day.md.j2"),
                front_matter=_front(title),
                date=cn_date(day),
                weekday=cn_weekday(day),
                page_number=n if len(runs) > 1 else 0,
                n_editions=len(eds),
                n_articles=sum(len(e.articles) for e in eds),
                previous=before and {"date": cn_date(before), "link": rel(here, day_path(before))},
                following=after and {"date": cn_date(after), "link": rel(here, day_path(after))},
                calendar_link=rel(here, year_path(day.year)) + f"#m{day.month:02d}",
                year=day.year,
                index_link=rel(here, INDEX),
                pager=in_order_links(docs, n),
                editions=[{k: v for k, v in e.items() if k != "edition"} for e in shown],  # plain values (the key)
            )

    # one calendar per year
    year_list = sorted(years)
    for i, year in enumerate(year_list):
        doc = year_path(year)
        have = {d: by_day[d] for d in years[year]}
        months = []
        for month in range(1, 13):
            weeks = []
            for week in _month_weeks(year, month):
                cells = []
                for n in week:
                    day = _dt.date(year, month, n) if n else None
                    eds = have.get(day) if day else None
                    cells.append({
                        "n": n,
                        "link": page_url(rel(doc, day_path(day))) if eds else "",
                        "title": (f"{cn_date(day)}：{len(eds)} 个版面，{sum(len(e.articles) for e in eds)} 篇文章" if eds else ""),
                    })
                weeks.append(cells)
            months.append({"month": month, "weeks": weeks, "n_days": sum(1 for d in have if d.month == month)})
        pages[doc] = tmpl.get_template("issue_year.md.j2").render(
            front_matter=_front(f"{year}年 日历"),
            year=year,
            n_days=len(have),
            n_pages=sum(len(v) for v in have.values()),
            previous=(year_list[i - 1], rel(doc, year_path(year_list[i - 1]))) if i else None,
            following=(year_list[i + 1], rel(doc, year_path(year_list[i + 1]))) if i + 1 < len(year_list) else None,
            index_link=rel(doc, INDEX),
            weekdays="一二三四五六日",
            months=months,
        )

    pages[INDEX] = tmpl.get_template("issues_index.md.j2").render(
        front_matter=_front("报刊"),
        years=[{"year": y, "link": rel(INDEX, year_path(y)), "n_days": len(years[y]),
                "n_pages": sum(len(by_day[d]) for d in years[y]),
                "n_articles": sum(len(e.articles) for d in years[y] for e in by_day[d])} for y in sorted(years, reverse=True)],
        latest=days and {"date": cn_date(days[-1]), "link": rel(INDEX, day_path(days[-1]))},
        # beyond one page, the undated 版面 are listed by the 版面 index (render.sources_index_pages)
        undated=[{"name": e.page.name, "link": rel(INDEX, source_path(e.page.file)), "n_articles": len(e.articles)}
                 for e in undated] if len(undated) <= PER_PAGE else [],
        n_undated=len(undated),
        undated_link=rel(INDEX, "sources/index/undated.md"),
    )
    return pages
