"""Issue 12, point 6: damage the cleaning flagged is visible where it is — an editor's
note at the spot, set off from the printed text — and the log's rule ids stay in
articles.json for editors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.pages.catalogue import read_catalogue


def test_text_cut_mid_sentence_is_marked_where_it_stops(seed_site: Path, page) -> None:
    records = read_catalogue(seed_site)
    cut = [(r, e) for r in records for e in r["log"] if e["rule"] == "cut-mid-sentence"]
    assert cut, "the seeds have stories cut off mid-sentence"
    for rec, entry in cut:
        page.goto((seed_site / rec["url"]).as_uri())
        notes = page.locator("article .editor-note", has_text="原文至此中断")
        assert notes.count() >= 1
        # the note follows the very words where the printed text stops
        before = notes.first.evaluate("n => n.previousSibling ? n.parentElement.innerText.split(n.innerText)[0] : ''")
        fold = lambda t: unicodedata.normalize("NFKC", t).strip()  # noqa: E731 — the log keeps the printed half-width marks
        assert fold(before).endswith(fold(entry["text"])[-6:]), (rec["url"], before[-20:], entry["text"])
        colour = notes.first.evaluate("n => getComputedStyle(n).color")
        body = notes.first.evaluate("n => getComputedStyle(n.parentElement).color")  # the printed words around it
        assert colour != body  # styled as an editor's note, not as the newspaper's words


def test_every_flag_with_a_note_shows_it(seed_site: Path) -> None:
    import yaml

    notes = yaml.safe_load((Path(__file__).parent.parent / "generator" / "data" / "notes.yaml").read_text("utf-8"))
    records = read_catalogue(seed_site)
    shown = 0
    for rec in records:
        html = (seed_site / rec["url"]).read_text("utf-8")
        for entry in rec["log"]:
            if entry["kind"] == "flagged" and entry["rule"] in notes:
                assert f"〔{notes[entry['rule']]['text']}〕" in html, (rec["url"], entry["rule"])
                shown += 1
    assert shown >= 5


def test_rule_ids_are_in_the_catalogue_not_on_pages(seed_site: Path) -> None:
    records = read_catalogue(seed_site)
    rules = {e["rule"] for r in records for e in r["log"]}
    assert {"column-break", "cut-mid-sentence", "punctuation"} <= rules
    for rec in records:
        html = (seed_site / rec["url"]).read_text("utf-8")
        assert not [rule for rule in rules if f">{rule}<" in html], rec["url"]
