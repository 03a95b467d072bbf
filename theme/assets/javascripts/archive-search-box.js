/* The search box in every page's header (theme/partials/archive-search.html loads it).

   The archive's search box runs a query on every `input` event — typing, the end
   of an IME composition, paste with the mouse, dictation, autofill — not only on
   key events: Material's box reads its value on `keyup` and focus only, so a
   query pasted with the mouse did nothing until a key was pressed.  Each input
   (debounced, 150 ms) is handed to Material as the keyup it listens to.

   Material words the count from the number of results it was given; the worker
   (archive-search.js) adds a hidden note to the first result when there is more
   to say — the exact count when more documents match than are listed (or the
   estimate, for a phrase with more candidates than were checked), the pinyin it
   read (jinzhou → 锦州), or the spelling it found instead when nothing matched
   (您是不是要找) — and this script puts it in the line above the results.

   One file for every page instead of the same 4 KB inline in each: the search page's
   link is made from Material's __md_scope (the site root, set in every page's head).

   Material lists ten results, then four more each time the list is scrolled to its
   end — seen only as a change from not at the end to at the end, so a scroll that
   jumps to the new end (End key, a fast wheel, short results) loaded nothing more:
   a scroll event sent after each addition lets it see the change. */
(function () {
  var timer = null
  function run(ev) {
    var el = ev.target
    if (!el || !el.matches || !el.matches("input.md-search__input") || ev.isComposing) return
    clearTimeout(timer)
    timer = setTimeout(function () {
      el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
    }, 150)
  }
  document.addEventListener("input", run, true)
  document.addEventListener("compositionend", run, true)

  function note() {
    var list = document.querySelector(".md-search-result__list")
    var meta = document.querySelector(".md-search-result__meta")
    var el = list && list.querySelector(".archive-search-note")
    if (!el || !meta || el.dataset.done) return
    el.dataset.done = "1"
    var total = Number(el.dataset.total), shown = Number(el.dataset.shown)
    var text = total + " 个符合条件的结果" + (total > shown ? "，列出前 " + shown + " 个" : "")
    if (el.dataset.estimate)  /* a phrase with many candidates: the newest were checked */
      text = "约 " + el.dataset.estimate + " 个符合条件的结果（核对了最新的候选，列出其中 " + shown + " 个）"
    if (el.dataset.pinyin) text = "按拼音 " + el.dataset.pinyin + "：" + text
    if (el.dataset.suggest) {
      meta.textContent = ""
      var head = document.createElement("strong")
      head.className = "archive-search-suggest"
      head.textContent = "您是不是要找"
      meta.appendChild(head)
      meta.appendChild(document.createTextNode(" “" + el.dataset.suggest + "”？" + text))
    } else {
      meta.textContent = text
    }
  }
  /* the full search page, with filters and sort, for the query in the box */
  function more() {
    var meta = document.querySelector(".md-search-result__meta")
    var box = document.querySelector("input.md-search__input")
    if (!meta || !box) return
    var link = document.querySelector(".archive-search-all")
    if (!link) {
      link = document.createElement("a")
      link.className = "archive-search-all"
      link.textContent = "在搜索页筛选、排序 →"
      meta.parentNode.insertBefore(link, meta.nextSibling)
    }
    link.href = new URL("search.html", __md_scope).href + (box.value.trim() ? "?q=" + encodeURIComponent(box.value.trim()) : "")
  }
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".md-search-result__list")
    if (list) new MutationObserver(function () {
      note()
      more()
      var wrap = list.closest(".md-search__scrollwrap")
      if (wrap) wrap.dispatchEvent(new Event("scroll"))
    }).observe(list, { childList: true })
    more()
  })
  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("input.md-search__input")) more()
  }, true)
})()
