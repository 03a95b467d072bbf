/*
 * The full search page (search.html, written by generator/search/index.py): a query,
 * filters (year, 栏目, place, topic) with their counts for the current query,
 * sort, and the results 20 at a time, more as the reader scrolls.  Everything
 * is in the page's URL (search.html?q=锦州&year=2020), so a search can be shared
 * or bookmarked; it works over HTTP and from file:// (through the iframe-worker
 * shim, like Material's box).  The searching is done by archive-search.js,
 * the same worker as the header's box, sent a request object instead of a string.
 */
(function () {
  "use strict"

  var root = document.querySelector("[data-archive-search-page]")
  if (!root) return
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3, SIZE = 20
  var FIELDS = ["q", "year", "column", "place", "topic", "sort"], KINDS = ["year", "column", "place", "topic"]
  var form = root.querySelector("form"), status = root.querySelector(".archive-search-status")
  var list = root.querySelector(".archive-search-results"), more = root.querySelector(".archive-search-more")
  var script = document.currentScript.src
  var worker = new Worker(new URL("archive-search.js", script).href)
  var ready = false, serial = 0, shown = 0, total = 0, busy = false, timer = null

  /* the URL's state → the form */
  var params = new URLSearchParams(window.__archiveSearchParams || location.search)  // partials/archive-search.html
  FIELDS.forEach(function (f) {
    var el = form.elements[f], v = params.get(f) || ""
    if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v }))
      el.appendChild(new Option(v, v))
    el.value = v
  })

  function state() {
    var s = {}
    FIELDS.forEach(function (f) { s[f] = form.elements[f].value.trim() })
    return s
  }

  function share(s) {
    var p = new URLSearchParams()
    FIELDS.forEach(function (f) { if (s[f]) p.set(f, s[f]) })
    var url = location.pathname + (p.toString() ? "?" + p.toString() : "")
    history.replaceState(null, "", url)
  }

  var started = false  // the URL gets its ?q= back once Material has started (partials/archive-search.html)
  window.addEventListener("load", function () {
    setTimeout(function () { started = true; share(state()) }, 0)
  })

  function run(from) {
    var s = state()
    if (!from && started) share(s)
    if (!ready) return
    if (!from && !s.q && !KINDS.some(function (k) { return s[k] })) {
      serial++
      list.innerHTML = ""
      more.hidden = true
      status.textContent = "输入检索词，或选择年份、栏目、地点、主题浏览。"
      return
    }
    busy = true
    s.id = from ? serial : ++serial
    s.from = from
    s.size = SIZE
    if (!from) status.textContent = "正在搜索…"
    worker.postMessage({ type: QUERY, data: s })
  }

  function options(kind, rows) {
    var el = form.elements[kind], keep = el.value
    el.innerHTML = ""
    el.appendChild(new Option("全部", ""))
    rows.forEach(function (r) { el.appendChild(new Option(r[1] + "（" + r[2] + "）", r[0])) })
    el.value = keep
  }

  function render(data) {
    busy = false
    if (!data || data.id !== serial) return
    if (data.facets) KINDS.forEach(function (k) { options(k, data.facets[k] || []) })
    if (!data.from) {
      list.innerHTML = ""
      shown = 0
      total = data.total || 0
      status.textContent = ""
      var note = data.note || {}
      if (note.suggest) {
        var head = document.createElement("strong")
        head.textContent = "您是不是要找"
        status.appendChild(head)
        status.appendChild(document.createTextNode(" “" + note.suggest + "”？"))
      }
      if (note.pinyin) status.appendChild(document.createTextNode("按拼音 " + note.pinyin + "："))
      status.appendChild(document.createTextNode(note.estimate
        ? "约 " + note.estimate + " 个结果（核对了最新的候选，列出其中 " + total + " 个）" : total + " 个结果"))
    }
    ;(data.items || []).forEach(function (item, i) {
      var li = document.createElement("li"), a = document.createElement("a")
      a.href = item.location
      a.innerHTML = item.title  // escaped and marked by the worker
      var h = document.createElement("h2")
      h.appendChild(a)
      li.appendChild(h)
      var facts = document.createElement("p")
      facts.className = "archive-search-facts"
      facts.textContent = (item.tags || []).join(" · ")
      li.appendChild(facts)
      if (item.text) {
        var p = document.createElement("p")
        p.innerHTML = item.text
        li.appendChild(p)
      }
      li.value = data.from + i + 1
      list.appendChild(li)
    })
    shown = data.from + (data.items || []).length
    more.hidden = shown >= total
    more.textContent = "更多结果（已列出 " + shown + " / " + total + "）"
  }

  worker.addEventListener("message", function (ev) {
    var msg = ev.data
    if (msg.type === READY) { ready = true; run(0) }
    else if (msg.type === RESULT) render(msg.data)
  })
  worker.postMessage({ type: SETUP, data: {} })

  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(0) })
  form.addEventListener("input", function (ev) {
    if (ev.target.name !== "q") return
    clearTimeout(timer)
    timer = setTimeout(function () { run(0) }, 150)
  })
  form.addEventListener("change", function (ev) { if (ev.target.tagName === "SELECT") run(0) })
  more.addEventListener("click", function () { if (!busy) run(shown) })
  if ("IntersectionObserver" in window)
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && !more.hidden && !busy) run(shown)
    }, { rootMargin: "400px" }).observe(more)
})()
