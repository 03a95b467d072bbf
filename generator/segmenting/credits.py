"""Parsing credit lines: who wrote a story and who took its pictures.

Credits are printed in a handful of shapes: the action last (``本报记者 张三 文并摄``,
``李兵 本报记者 文继红``, ``孙 娜 摄``, ``本报讯 记者崔治报道``) or first, before each
group of names (``文/图 本报记者 张三``, ``文/张三 图/李四``, ``摄影：王五``), in
parentheses or after a byline mark (``□本报记者 张三``).  A line counts as a credit
only if *every* token is a name, a role or an action, so ordinary text never turns
into a byline by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Credit
from ..settings.profile import Layout, default_layout

_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_CJK_CHAR = re.compile(r"^[\u4e00-\u9fff]$")
# 本版图片除署名外由本报记者高华庚摄 / 本版图片由本报记者高华庚摄 / 本版图片均由…摄
_PAGE_PHOTO = re.compile(r"^本版(?:图片|照片)(?:除署名外)?(?:均)?由(.+?)摄(?:影)?$")


@dataclass
class PageCredit:
    """A credit for every picture on the page that carries no credit of its own."""

    photographers: list[str]


def _merge_single_chars(tokens: list[str]) -> list[str] | None:
    """Join two-character names printed with a space (``孙 娜`` → ``孙娜``)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if _CJK_CHAR.match(tok):
            if i + 1 < len(tokens) and _CJK_CHAR.match(tokens[i + 1]):
                out.append(tok + tokens[i + 1])
                i += 2
                continue
            return None  # a lone character is not a name
        out.append(tok)
        i += 1
    return out


def _split_glued(tokens: list[str], lay: Layout) -> list[str]:
    """Separate roles and actions printed without a space (``记者高华庚``, ``高华庚摄``)."""
    out: list[str] = []
    for tok in tokens:
        if tok in lay.credit_actions or tok in lay.roles:
            out.append(tok)
            continue
        for role in lay.roles:
            if tok.startswith(role) and len(tok) > len(role):
                out.append(role)
                tok = tok[len(role):]
                break
        for action in sorted(lay.credit_actions, key=len, reverse=True):
            # only unambiguous actions may be glued to a name: "高华庚摄", not "张文"
            if action != "文" and tok.endswith(action) and _CJK_NAME.match(tok[: -len(action)] or "x"):
                out.extend([tok[: -len(action)], action])
                break
        else:
            out.append(tok)
    return out


def parse_names(text: str) -> list[str] | None:
    """A run of names separated by spaces, or None if anything else is there."""
    tokens = _merge_single_chars(text.split())
    if not tokens or not all(_CJK_NAME.match(t) for t in tokens):
        return None
    return tokens


_OPEN, _CLOSE = "（(", "）)"


def _unwrap(text: str, lay: Layout) -> str:
    """``（本报记者 宋佳）``, ``□本报记者 宋佳`` → ``本报记者 宋佳``: a credit printed in
    parentheses or after a byline mark (``byline_marks`` in layout.yaml)."""
    text = text.strip()
    if len(text) > 1 and text[0] in lay.byline_marks:
        text = text[1:].strip()
    if len(text) > 2 and text[0] in _OPEN and text[-1] in _CLOSE and not any(c in text[1:-1] for c in _OPEN + _CLOSE):
        return text[1:-1].strip()
    return text


_SOURCE_NAME = re.compile(r"^[^，。！？；,!?;“”\s]{2,30}$")


def parse_source_credit(text: str, lay: Layout | None = None) -> str | None:
    """The source named by a whole-line source credit, or None.

    ``（来源：某区委宣传部）``, ``某局供图``, ``（图片由某镇人民政府提供）``: a picture or a
    story credited to an organisation or a source rather than to a person.  The
    words come from ``source_credits`` in layout.yaml; the source itself is any
    short run of text without sentence punctuation."""
    lay = lay or default_layout()
    inner = _unwrap(text, lay)
    name = None
    for prefix in lay.source_prefixes:
        if inner.startswith(prefix):
            name = inner[len(prefix):].strip()
            break
    else:
        for before, after in lay.source_around:
            if inner.startswith(before) and inner.endswith(after) and len(inner) > len(before) + len(after):
                name = inner[len(before):-len(after)].strip()
                break
        else:
            for suffix in lay.source_suffixes:
                if inner.endswith(suffix) and len(inner) > len(suffix):
                    name = inner[:-len(suffix)].strip()
                    break
    if name and _SOURCE_NAME.match(name):
        return name
    return None


def parse_nameless_credit(text: str, lay: Layout | None = None) -> bool:
    """``（本报记者）``, ``本报通讯员``: a credit line of roles only, the names left out."""
    lay = lay or default_layout()
    tokens = _unwrap(text, lay).split()
    return bool(tokens) and all(t in lay.roles for t in tokens)


def parse_credit(text: str, lay: Layout | None = None, *, require_role_or_action: bool = True) -> Credit | None:
    """Parse a whole line as a credit, or return None if it is not one.

    A credit printed in parentheses (``（本报记者 宋佳）``) or after a byline mark
    (``□本报记者 宋佳``) is a credit too."""
    lay = lay or default_layout()
    inner = _unwrap(text, lay)
    groups = _action_first(inner, lay)
    if groups is not None:
        credit = Credit()
        for action, names in groups:
            part = _names_credit(names, action, lay, require_role_or_action=False)
            if part is None:
                return None
            credit.authors += [n for n in part.authors if n not in credit.authors]
            credit.photographers += [n for n in part.photographers if n not in credit.photographers]
        return credit
    tokens = inner.split()
    action: frozenset[str] | None = None
    if tokens and tokens[-1] in lay.credit_actions:
        action = lay.credit_actions[tokens[-1]]
        tokens = tokens[:-1]
    return _names_credit(" ".join(tokens), action, lay, require_role_or_action=require_role_or_action)


def _action_first(inner: str, lay: Layout) -> list[tuple[frozenset[str], str]] | None:
    """``文/张三 图/李四``, ``摄影：王五``, ``文/图 本报记者 张三``: each action before its
    names (after ``/``, ``：`` or a space), as (action, names) groups; None when the
    line does not open with an action."""
    actions = "|".join(map(re.escape, sorted(lay.credit_actions, key=len, reverse=True)))
    marks = list(re.finditer(rf"(?:^|(?<=\s))({actions})(?:\s*[：:/／]\s*|\s+)(?=\S)", inner))
    if not marks or marks[0].start() != 0:
        return None
    ends = [m.start() for m in marks[1:]] + [len(inner)]
    return [(lay.credit_actions[m.group(1)], inner[m.end():end].strip()) for m, end in zip(marks, ends)]


def _names_credit(text: str, action: frozenset[str] | None, lay: Layout, *,
                  require_role_or_action: bool) -> Credit | None:
    """Names and roles (``本报记者 张三 通讯员 李四``) done by ``action`` (author if None)."""
    tokens = _split_glued(text.split(), lay)
    if tokens and action is None and tokens[-1] in lay.credit_actions:  # 张三摄: the action glued to the name
        action = lay.credit_actions[tokens[-1]]
        tokens = tokens[:-1]
    if not tokens:
        return None
    has_role = any(t in lay.roles for t in tokens)
    if require_role_or_action and not (has_role or action is not None):
        return None
    name_tokens = [t for t in tokens if t not in lay.roles]
    merged = _merge_single_chars(name_tokens)
    if not merged or not all(_CJK_NAME.match(n) for n in merged):
        return None
    # every role must be followed by at least one name ("本报记者" alone is not a credit)
    if tokens[-1] in lay.roles:
        return None
    action = action or frozenset({"author"})
    credit = Credit()
    if "author" in action:
        credit.authors = merged
    if "photographer" in action:
        credit.photographers = list(merged)
    return credit


def parse_page_credit(text: str, lay: Layout | None = None) -> PageCredit | None:
    """``本版图片除署名外由本报记者X摄``: the default photographer of the page."""
    m = _PAGE_PHOTO.match(text.replace(" ", "")) if text.startswith("本版") else None
    if not m:
        return None
    who = m.group(1)
    for role in (lay or default_layout()).roles:
        who = who.replace(role, " ")
    names = parse_names(who.replace("、", " "))
    return PageCredit(names) if names else None


def split_leadin(text: str, lay: Layout | None = None) -> tuple[str, Credit, str] | None:
    """Split ``本报讯 记者X报道 正文…`` into (lead-in as printed, credit, rest of paragraph)."""
    lay = lay or default_layout()
    for leadin in lay.leadins:
        if text.startswith(leadin):
            break
    else:
        if not (len(text) > 1 and text[0] in lay.byline_marks and text[1:].lstrip().startswith(lay.roles)):
            return None
        leadin = text[0]  # □本报记者 张三 报道 正文…: the mark opens the byline
    rest = text[len(leadin):]
    credit = Credit()
    m = re.match(r"^\s*[（(]?\s*((?:%s)[^（()）。，,]{1,30}?)报道\s*[）)]?" % "|".join(map(re.escape, lay.roles)), rest)
    if m:
        parsed = parse_credit(m.group(1), lay, require_role_or_action=True)
        if parsed and parsed.authors:
            credit = parsed
            return text[: len(leadin) + m.end()].strip(), credit, rest[m.end():].strip()
    if leadin not in lay.leadins:
        return None  # a byline mark without 报道: nothing tells where the byline ends
    return leadin, credit, rest.strip()
