/*
 * The archive's search worker: the browser half of generator/search.py.
 *
 * It speaks Material for MkDocs' worker protocol (SETUP 0 → READY 1, QUERY 2 →
 * RESULT 3), so Material's search box, result list and page highlighting are
 * used unchanged.  It runs as a real Worker over HTTP and inside Material's
 * iframe-worker shim from file://; in both, index files are loaded as scripts
 * (importScripts), because file:// forbids fetch.
 *
 * A query is split into words with the word list jieba produced at build time
 * (fewest characters left over, then fewest words); characters left over stay
 * together as one sub-word.  Every word is required.  A word matches where all
 * of its character pairs occur (a single character: where it occurs), so words,
 * sub-words and single characters are all found.  Results: documents with more
 * query words in the headline/topics/places first, then newer first.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  var FORMAT = 1  // generator/search.py FORMAT
  var MAX_RESULTS = 200
  var script = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src
    : self.location.href
  var BASE = new URL("../../search/", script).href
  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+(?:\.[0-9]+)*/g
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/

  var meta = null
  var tokens = {}      // token → postings [headline, filed under, text only] (encoded)
  var words = {}       // first two characters → [words]
  var named = {}       // word → ids of the entity pages it names
  var docs = {}        // id → [location, title, date, tags, teaser]
  var pending = {}     // file → promise

  /* ------------------------------------------------------------------------
   * Loading: every index file calls one of these
   * --------------------------------------------------------------------- */
  self.archiveSearch = {
    meta: function (m) { meta = m },
    shard: function (n, t, w) {
      for (var k in t) tokens[k] = t[k]
      for (var h in w) words[h] = w[h].split(" ").map(function (item) {
        var parts = item.split(":")
        if (parts.length > 1) named[parts[0]] = parts[1].split(",").map(Number)
        return parts[0]
      })
    },
    docs: function (c, rows) {
      for (var i = 0; i < rows.length; i++) docs[c * meta.chunk + i] = rows[i]
    }
  }

  function load(file) {
    if (!pending[file])
      pending[file] = Promise.resolve().then(function () {
        return importScripts(BASE + file)  // a promise in the iframe shim, sync in a worker
      })
    return pending[file]
  }

  function loadAll(files) {
    return Promise.all(files.map(load))
  }

  function shardOf(token) {
    var h = 0x811c9dc5
    for (var i = 0; i < token.length; i++) {
      var cp = token.codePointAt(i)
      if (cp > 0xffff) i++
      h = Math.imul(h ^ cp, 0x01000193) >>> 0
    }
    return h % meta.shards
  }

  function shardFiles(toks) {
    var seen = {}
    toks.forEach(function (t) { seen["s/" + shardOf(t) + ".js"] = 1 })
    return Object.keys(seen)
  }

  /* ------------------------------------------------------------------------
   * Postings: base-32 varint gaps (generator/search.py encode_postings)
   * --------------------------------------------------------------------- */
  function decode(data) {
    var out = [], value = 0, prev = -1
    for (var i = 0; i < data.length; i++) {
      var ch = data.charAt(i), more = meta.more.indexOf(ch)
      if (more >= 0) {
        value = value * 32 + more
      } else {
        prev += value * 32 + meta.terminal.indexOf(ch) + 1
        out.push(prev)
        value = 0
      }
    }
    return out
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++
      else if (a[i] > b[j]) j++
      else { out.push(a[i]); i++; j++ }
    }
    return out
  }

  function union(a, b) {
    var out = [], i = 0, j = 0
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++])
      else if (i >= a.length || b[j] < a[i]) out.push(b[j++])
      else { out.push(a[i]); i++; j++ }
    }
    return out
  }

  /* ------------------------------------------------------------------------
   * Query → words
   * --------------------------------------------------------------------- */
  function runs(query) {
    return query.normalize("NFKC").toLowerCase().match(RUN) || []
  }

  function pairs(run) {
    if (run.length < 2) return [run]
    var out = []
    for (var i = 0; i + 1 < run.length; i++) out.push(run.substr(i, 2))
    return out
  }

  /* fewest characters outside known words, then fewest words */
  function segment(run) {
    var n = run.length, best = [[0, 0, -1, false]]
    for (var j = 1; j <= n; j++) best.push(null)
    function better(a, b) { return !b || a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) }
    for (var i = 0; i < n; i++) {
      if (!best[i]) continue
      var cand = words[run.substr(i, 2)] || []
      for (var k = 0; k < cand.length; k++) {
        var w = cand[k]
        if (run.substr(i, w.length) === w) {
          var c = [best[i][0], best[i][1] + 1, i, true]
          if (better(c, best[i + w.length])) best[i + w.length] = c
        }
      }
      for (var e = i + 1; e <= n; e++) {
        var d = [best[i][0] + (e - i), best[i][1] + 1, i, false]
        if (better(d, best[e])) best[e] = d
      }
    }
    var out = []
    for (var p = n; p > 0; p = best[p][2]) out.unshift(run.substring(best[p][2], p))
    return out
  }

  function queryWords(query) {
    var out = []
    runs(query).forEach(function (run) {
      (CJK.test(run) ? segment(run) : [run]).forEach(function (w) {
        if (out.indexOf(w) < 0) out.push(w)
      })
    })
    return out
  }

  /* documents holding a word: [anywhere, in the headline, in headline or filed under] */
  function match(word) {
    var all = null, head = null, filed = null
    var toks = CJK.test(word) ? pairs(word) : [word]
    for (var i = 0; i < toks.length; i++) {
      var entry = tokens[toks[i]]
      if (!entry) return [[], [], []]
      var h = decode(entry[0]), f = union(h, decode(entry[1])), a = union(f, decode(entry[2]))
      all = all ? intersect(all, a) : a
      head = head ? intersect(head, h) : h
      filed = filed ? intersect(filed, f) : f
    }
    return [all, head, filed]
  }

  /* ------------------------------------------------------------------------
   * Results in Material's shape
   * --------------------------------------------------------------------- */
  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]
    })
  }

  function highlighter(ws) {
    if (!ws.length) return escapeHTML
    var re = new RegExp("(" + ws.slice().sort(function (a, b) { return b.length - a.length })
      .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") }).join("|") + ")", "ig")
    return function (text) {
      return text.split(re).map(function (part, i) {
        return i % 2 ? "<mark data-md-highlight>" + escapeHTML(part) + "</mark>" : escapeHTML(part)
      }).join("")
    }
  }

  function search(query) {
    var rs = runs(query), ws
    if (!rs.length || meta.format !== FORMAT) return Promise.resolve({ items: [] })
    var toks = []
    rs.forEach(function (run) { toks = toks.concat(CJK.test(run) ? pairs(run) : [run]) })
    return loadAll(shardFiles(toks)).then(function () {
      ws = queryWords(query)  // with the word list of the loaded shards
      var need = []
      ws.forEach(function (w) { need = need.concat(CJK.test(w) ? pairs(w) : [w]) })
      return loadAll(shardFiles(need))
    }).then(function () {
      var ids = null, score = {}, exact = {}
      ws.forEach(function (w) {
        var m = match(w)
        ids = ids ? intersect(ids, m[0]) : m[0]
        m[1].forEach(function (id) { score[id] = (score[id] || 0) + 1 })  // headline: 1 + 1
        m[2].forEach(function (id) { score[id] = (score[id] || 0) + 1 })
        ;(named[w] || []).forEach(function (id) { exact[id] = 1 })
      })
      /* the page of an entity named by the query; then query words in the headline
         (2 each) or filed under (1); then articles before other entity pages; then newer */
      function key(id) {
        return [exact[id] ? 0 : 1, -(score[id] || 0), id < meta.entities ? 1 : 0, id]
      }
      ids.sort(function (a, b) {
        var ka = key(a), kb = key(b)
        for (var i = 0; i < 4; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i]
        return 0
      })
      ids = ids.slice(0, MAX_RESULTS)
      var chunks = {}
      ids.forEach(function (id) { chunks["d/" + Math.floor(id / meta.chunk) + ".js"] = 1 })
      return loadAll(Object.keys(chunks)).then(function () {
        var mark = highlighter(ws), terms = {}
        ws.forEach(function (w) { terms[w] = true })
        return {
          items: ids.map(function (id, rank) {
            var d = docs[id]
            return [{
              location: d[0],
              title: mark(d[1]),
              text: d[4] ? "<p>" + mark(d[4]) + "</p>" : "",
              tags: d[3].map(escapeHTML),
              score: ids.length - rank,
              terms: terms
            }]
          })
        }
      })
    })
  }

  /* ------------------------------------------------------------------------
   * Protocol: one query at a time; a query overtaken by a newer one is dropped
   * --------------------------------------------------------------------- */
  var queue = Promise.resolve(), latest = null

  addEventListener("message", function (ev) {
    var msg = ev.data
    if (msg.type === SETUP) {
      queue = queue.then(function () { return load("meta.js") }).then(function () {
        if (meta.format !== FORMAT)  // a worker cached from another build: say so, find nothing
          console.error("archive search: index format " + meta.format + ", worker expects " + FORMAT)
        postMessage({ type: READY })
      })
    } else if (msg.type === QUERY) {
      latest = msg.data
      var query = msg.data
      queue = queue.then(function () {
        if (query !== latest) return
        return search(query).then(function (data) {
          if (query === latest) postMessage({ type: RESULT, data: data })
        })
      }).catch(function (err) {
        console.error("archive search:", err)
        postMessage({ type: RESULT, data: { items: [] } })
      })
    }
  })
})()
