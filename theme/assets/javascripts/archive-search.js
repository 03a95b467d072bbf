/*
 * The archive's search worker: the browser half of generator/search/index.py.
 *
 * It speaks Material for MkDocs' worker protocol (SETUP 0 → READY 1, QUERY 2 →
 * RESULT 3), so Material's search box, result list and page highlighting are
 * used unchanged.  It runs as a real Worker over HTTP and inside Material's
 * iframe-worker shim from file://; in both, index files are loaded as scripts
 * (importScripts), because file:// forbids fetch.
 *
 * A query is folded (NFKC, lower case, traditional → simplified with OpenCC's
 * table, search/v.js) and split into terms: quoted phrases ("…", “…”, 「…」),
 * numbers with the word after them (100万吨), words found with the word list
 * jieba produced at build time (fewest characters left over, then fewest words;
 * characters left over stay together), ASCII words, and pinyin of known words
 * (jinzhou → 锦州) for an ASCII word no document has.  Every term is required.
 * A term matches where all its character pairs occur (a single character: where
 * it occurs); a number with a unit of one or two characters is one token of the
 * index; other phrases and numbers with units are then checked against the text
 * of each candidate (search/t/N.js).  When nothing matches, the closest spelling
 * — a word of the word list one character away, else one found in the documents
 * holding most of the query's characters — is searched instead (您是不是要找).
 * Each token's postings are read from one file of each range of documents
 * (meta.levels), joined end to end.  Results: the page of an entity named by the
 * query, then documents with more query words in the headline/filed under, then
 * newer; the first 20 with the passage where the words occur.  Material's box sends a
 * string; the search page (archive-search-page.js) sends a request object and
 * gets filters with their counts, sorted pages of results.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  var FORMAT = 3  // generator/search/index.py FORMAT
  var MAX_RESULTS = 100  // listed in the box (ten shown, more as the list scrolls); the count is exact, the search page lists all
  var VERIFY_MAX = 200  // candidates of a phrase or number with unit checked against their text (newest first)
  var PASSAGES = 20  // results shown with the passage where the query occurs (the text of each is loaded)
  var script = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src
    : self.location.href
  var BASE = new URL("../../search/", script).href
  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+(?:\.[0-9]+)*/g
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/
  var NUMBER = /^[0-9]+(?:\.[0-9]+)*$/

  var meta = null
  var tokens = {}      // token → {first document of a range → postings [headline, filed under, text only] (encoded)}
  var words = {}       // first two characters → [words]
  var named = {}       // word → ids of the entity pages it names
  var docs = {}        // id → an article's [location, title, date, column]; an entity page's [location, name, kind, teaser]
  var texts = {}       // id → an article's text (headline, filed under, text: lines)
  var pinyin = {}      // toneless pinyin → {first document of a range → the words of that range spelt so}
  var variants = null  // traditional → simplified character
  var pending = {}     // file → promise

  /* ------------------------------------------------------------------------
   * Loading: every index file calls one of these
   * --------------------------------------------------------------------- */
  self.archiveSearch = {
    meta: function (m) { meta = m },
    /* the postings of a range of documents (from `lo` on) for the tokens of one hash
       shard — "headline,filed under,text only" → the tokens with those postings —
       and the words first found in those documents */
    shard: function (lo, n, t, w, p) {
      for (var s in p) (pinyin[s] = pinyin[s] || {})[lo] = p[s].split(" ")
      for (var key in t) {
        var entry = key.split(",")
        t[key].split(" ").forEach(function (k) { (tokens[k] = tokens[k] || {})[lo] = entry })
      }
      for (var h in w) {
        var list = words[h] = words[h] || []
        w[h].split(" ").forEach(function (item) {
          var parts = item.split(":")
          if (parts.length > 1) named[parts[0]] = parts[1].split(",").map(Number)
          if (list.indexOf(parts[0]) < 0) list.push(parts[0])
        })
      }
    },
    text: function (id, text) { texts[id] = text },
    variants: function (pairs) {
      variants = {}
      for (var i = 0; i + 1 < pairs.length; i += 2) variants[pairs.charAt(i)] = pairs.charAt(i + 1)
    },
    docs: function (c, rows) {  // c: a chunk of articles, or "eN" of entity pages
      var first = typeof c === "number" ? c * meta.chunk : meta.articles + Number(c.slice(1)) * meta.chunk
      for (var i = 0; i < rows.length; i++) docs[first + i] = rows[i]
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

  /* many files in one importScripts call (fetched in parallel in a worker) */
  function loadMany(files) {
    files = files.filter(function (f) { return !pending[f] })
    if (!files.length) return Promise.resolve()
    var p = Promise.resolve().then(function () {
      return importScripts.apply(self, files.map(function (f) { return BASE + f }))
    })
    files.forEach(function (f) { pending[f] = p })
    return p
  }

  function hash(token) {
    var h = 0x811c9dc5
    for (var i = 0; i < token.length; i++) {
      var cp = token.codePointAt(i)
      if (cp > 0xffff) i++
      h = Math.imul(h ^ cp, 0x01000193) >>> 0
    }
    return h
  }

  /* a token's postings are split by document number into ranges (meta.levels:
     [first, end, shards, name]: the base, the newer, the newest with the entity
     pages); each range is sharded by the token's hash */
  function shardFiles(toks) {
    var seen = {}
    toks.forEach(function (t) {
      var h = hash(t)
      meta.levels.forEach(function (l) { seen["s/" + l[3] + "/" + (h % l[2]) + ".js"] = 1 })
    })
    return Object.keys(seen)
  }

  function isArticle(id) { return id < meta.articles }

  function chunkFile(id) {
    return isArticle(id) ? "d/" + Math.floor(id / meta.chunk) + ".js"
      : "d/e" + Math.floor((id - meta.articles) / meta.chunk) + ".js"
  }

  /* ------------------------------------------------------------------------
   * Postings: base-32 varint gaps (generator/search/index.py encode_postings)
   * --------------------------------------------------------------------- */
  function decode(data, base) {
    var out = [], value = 0, prev = (base || 0) - 1
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
   * Normalising: NFKC, lower case, traditional → simplified (OpenCC's table,
   * the part of it the index needs: search/v.js, loaded with the first
   * Chinese query) — generator/search/index.py normalise()
   * --------------------------------------------------------------------- */
  function fold(text) {
    if (!variants) return text
    var out = ""
    for (var i = 0; i < text.length; i++) out += variants[text.charAt(i)] || text.charAt(i)
    return out
  }

  function normalise(text) {
    return fold(text.normalize("NFKC").toLowerCase())
  }

  /* the normalised text and, for each of its characters, where it came from */
  function normalMap(text) {
    var out = "", from = []
    for (var i = 0; i < text.length; i++) {
      var cp = text.codePointAt(i), ch = cp > 0xffff ? text.substr(i, 2) : text.charAt(i)
      var n = normalise(ch)
      for (var k = 0; k < n.length; k++) from.push(i)
      out += n
      if (cp > 0xffff) i++
    }
    from.push(text.length)
    return [out, from]
  }

  function squeeze(text) {
    return text.replace(/\s+/g, " ").trim()
  }

  /* ------------------------------------------------------------------------
   * Query → terms: words (split with the word list), numbers with their
   * unit, quoted phrases, pinyin of known words
   * --------------------------------------------------------------------- */
  function pairs(run) {
    if (run.length < 2) return [run]
    var out = []
    for (var i = 0; i + 1 < run.length; i++) out.push(run.substr(i, 2))
    return out
  }

  /* the index tokens a literal string needs (generator/search/index.py tokens()) */
  function tokensOf(text) {
    var out = [], m, re = new RegExp(RUN.source, "g")
    while ((m = re.exec(text))) {
      var run = m[0]
      if (CJK.test(run)) out = out.concat(pairs(run))
      else {
        out.push(run)
        var next = text.charAt(m.index + run.length)
        if (NUMBER.test(run) && CJK.test(next) && !/[0-9a-z.]/.test(text.charAt(m.index - 1))) {
          out.push(run + next)
          if (CJK.test(text.charAt(m.index + run.length + 1))) out.push(run + text.substr(m.index + run.length, 2))
        }
      }
    }
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

  /* quoted phrases ("…", “…”, 「…」, 『…』) and the rest of the query */
  function splitQuotes(q) {
    var phrases = []
    var rest = q.replace(/["“「『]([^"”」』]*)(?:["”」』]|$)/g, function (_, p) {
      p = squeeze(p)
      if (p && phrases.indexOf(p) < 0) phrases.push(p)
      return " "
    })
    return [phrases, rest.replace(/["“”「」『』]/g, " ")]
  }

  var NUMBER_UNIT = /^([0-9]+(?:\.[0-9]+)*)[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,2}$/

  function term(text, kind) {
    var toks = kind === "word" && CJK.test(text) ? pairs(text) : tokensOf(text)
    /* exact in the index: a phrase of one character pair or one ASCII word, and a
       number with a unit of one or two characters (100万吨: one token) */
    var verify = kind === "number" || (kind === "phrase" && (toks.length > 1 || text !== toks[0]))
    if (verify && NUMBER_UNIT.test(text) && toks.indexOf(text) >= 0) {
      toks = [text]
      verify = false
    }
    return { text: text, kind: kind, toks: toks, verify: verify }
  }

  function queryTerms(q) {
    var sq = splitQuotes(q), out = sq[0].map(function (p) { return term(p, "phrase") })
    var rest = sq[1], m, re = new RegExp(RUN.source, "g"), prev = null
    while ((m = re.exec(rest))) {
      var run = m[0]
      if (CJK.test(run)) {
        var segs = segment(run)
        if (prev && prev.end === m.index && NUMBER.test(prev.term.text)) {
          var num = term(prev.term.text + segs.shift(), "number")  // 100 + 万吨: one word
          out[out.indexOf(prev.term)] = num
        }
        segs.forEach(function (w) { out.push(term(w, "word")) })
        prev = null
      } else {
        var t = term(run, "ascii")
        out.push(t)
        prev = { term: t, end: m.index + run.length }
      }
    }
    var seen = {}
    return out.filter(function (t) { return seen[t.kind + t.text] ? false : (seen[t.kind + t.text] = true) })
  }

  /* an ASCII word no document has, spelt like known words: jinzhou → 锦州 */
  function pinyinOf(t) {
    if (t.kind !== "ascii" || tokens[t.text] || !/^[a-z]{4,}$/.test(t.text) || !pinyin[t.text]) return t
    /* the names of entity pages first, then the words of the oldest range (each
       range's words in the order of their documents there) */
    var byRange = pinyin[t.text], ranges = Object.keys(byRange).map(Number).sort(function (a, b) {
      return (b >= meta.articles) - (a >= meta.articles) || a - b
    })
    var alt = term(byRange[ranges[0]][0], "word")
    alt.via = t.text
    return alt
  }

  /* documents holding a term's tokens: [anywhere, in the headline, in headline or filed under] */
  /* a token's postings in every range, by field: ranges follow each other, so they join end to end */
  function postings(tok) {
    var byRange = tokens[tok], out = [[], [], []]
    if (!byRange) return null
    meta.levels.forEach(function (l) {
      var entry = byRange[l[0]]
      if (entry) for (var k = 0; k < 3; k++) if (entry[k]) out[k] = out[k].concat(decode(entry[k], l[0]))
    })
    return out
  }

  function match(t) {
    var all = null, head = null, filed = null
    for (var i = 0; i < t.toks.length; i++) {
      var entry = postings(t.toks[i])
      if (!entry) return [[], [], []]
      var h = entry[0], f = union(h, entry[1]), a = union(f, entry[2])
      all = all ? intersect(all, a) : a
      head = head ? intersect(head, h) : h
      filed = filed ? intersect(filed, f) : f
    }
    return [all || [], head || [], filed || []]
  }

  /* ------------------------------------------------------------------------
   * Text of documents: an article's text file, an entity page's name
   * --------------------------------------------------------------------- */
  function loadTexts(ids) {
    var files = [], chunks = {}
    ids.forEach(function (id) {
      if (isArticle(id)) { if (!(id in texts)) files.push("t/" + id + ".js") }
      else chunks[chunkFile(id)] = 1
    })
    var batches = [loadAll(Object.keys(chunks))]
    for (var i = 0; i < files.length; i += 50) batches.push(loadMany(files.slice(i, i + 50)))
    return Promise.all(batches)
  }

  function textOf(id) {
    return isArticle(id) ? texts[id] || "" : (docs[id] ? docs[id][1] : "")
  }

  var normalCache = {}
  function normalText(id) {
    if (!(id in normalCache)) normalCache[id] = squeeze(normalise(textOf(id)))
    return normalCache[id]
  }

  /* ------------------------------------------------------------------------
   * Did you mean: the closest spelling found in the documents holding most of
   * the query's characters (one character substituted), as a known word
   * --------------------------------------------------------------------- */
  function hamming(a, b) {
    var diff = 0
    for (var k = 0; k < a.length; k++) if (a.charAt(k) !== b.charAt(k)) diff++
    return diff
  }

  /* the word list's words that start like the term (its first two characters) and
     differ from it in one later character: 营商坏境 → 营商环境, 九道领 → 九道岭(镇);
     the one in most documents, as the longest named form */
  function closestWord(t) {
    var n = t.text.length, head = t.text.substr(0, 2), found = []
    if (n < 3) return Promise.resolve(null)
    ;(words[head] || []).forEach(function (w) {
      var spelling = w.substr(0, n)
      if (w.length >= n && hamming(spelling, t.text) === 1 && found.indexOf(spelling) < 0) found.push(spelling)
    })
    if (!found.length) return Promise.resolve(null)
    found = found.slice(0, 5)
    var need = []
    found.forEach(function (w) { need = need.concat(pairs(w)) })
    return loadAll(shardFiles(need)).then(function () {
      var best = found.map(function (w) { return [match(term(w, "word"))[0].length, w] })
        .sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : 1) })[0]
      return best[0] ? longest(best[1]) : null
    })
  }

  /* a spelling found, as the name of a place or organisation when one starts so (九道岭 → 九道岭镇) */
  function longest(best) {
    var longer = (words[best.substr(0, 2)] || []).filter(function (w) {
      return w.length > best.length && w.indexOf(best) === 0 && named[w]
    }).sort(function (a, b) { return a.length - b.length })
    return longer.length ? longer[0] : best
  }

  function closest(t) {
    return closestWord(t).then(function (w) { return w || closestInText(t) })
  }

  function closestInText(t) {
    var chars = t.text.split("").filter(function (c) { return CJK.test(c) })
    if (chars.length < 2) return Promise.resolve(null)
    return loadAll(shardFiles(chars)).then(function () {
      var count = {}
      chars.forEach(function (c) {
        match({ toks: [c] })[0].forEach(function (id) { count[id] = (count[id] || 0) + 1 })
      })
      var ids = Object.keys(count).map(Number).filter(function (id) {
        return count[id] >= chars.length - 1 && isArticle(id)
      }).sort(function (a, b) { return count[b] - count[a] || b - a }).slice(0, 30)
      return loadTexts(ids).then(function () {
        var found = {}, n = t.text.length
        ids.forEach(function (id) {
          var text = normalText(id)
          for (var i = 0; i + n <= text.length; i++) {
            var diff = 0
            for (var k = 0; k < n && diff < 2; k++) if (text.charAt(i + k) !== t.text.charAt(k)) diff++
            if (diff === 1) {
              var w = text.substr(i, n)
              if (/^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/.test(w)) found[w] = (found[w] || 0) + 1
            }
          }
        })
        var best = Object.keys(found).sort(function (a, b) { return found[b] - found[a] })[0]
        if (!best) return null
        return loadAll(shardFiles([best.substr(0, 2)])).then(function () { return longest(best) })
      })
    })
  }

  /* ------------------------------------------------------------------------
   * Passages: the sentence with most query terms, terms marked
   * --------------------------------------------------------------------- */
  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]
    })
  }

  /* [start, end, needle] ranges of the original text where the needles occur (normalised) */
  function hits(text, needles) {
    var nm = normalMap(text), norm = nm[0], from = nm[1], out = []
    needles.forEach(function (n) {
      if (!n) return
      for (var i = norm.indexOf(n); i >= 0; i = norm.indexOf(n, i + 1)) out.push([from[i], from[i + n.length], n])
    })
    return out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1] })
  }

  function mark(text, needles) {
    var ranges = []
    hits(text, needles).forEach(function (h) {  // overlapping or touching hits: one mark
      var last = ranges[ranges.length - 1]
      if (last && h[0] <= last[1]) last[1] = Math.max(last[1], h[1])
      else ranges.push([h[0], h[1]])
    })
    var out = "", at = 0
    ranges.forEach(function (r) {
      out += escapeHTML(text.substring(at, r[0])) + "<mark data-md-highlight>" +
        escapeHTML(text.substring(r[0], r[1])) + "</mark>"
      at = r[1]
    })
    return out + escapeHTML(text.substring(at))
  }

  var PASSAGE = 140  // characters at most, around the first hit of the best sentence

  function passage(text, needles) {
    var best = null
    text.split("\n").slice(2).forEach(function (line) {
      var sentences = line.match(/[^。！？!?；;]+[。！？!?；;]*/g) || []
      sentences.forEach(function (s, i) {
        var norm = normalise(s)  // most sentences have no hit: map characters only where one does
        if (!needles.some(function (n) { return n && norm.indexOf(n) >= 0 })) return
        var h = hits(s, needles), distinct = {}
        h.forEach(function (x) { distinct[x[2]] = 1 })
        var score = Object.keys(distinct).length * 100 + h.length
        if (h.length && (!best || score > best.score)) {
          var after = s.length < 40 && sentences[i + 1] ? sentences[i + 1] : ""
          best = { score: score, text: s + after, first: h[0][0] }
        }
      })
    })
    if (!best) return null
    var t = best.text, start = 0, end = t.length
    if (t.length > PASSAGE) {
      start = Math.max(0, Math.min(best.first - 30, t.length - PASSAGE))
      end = start + PASSAGE
    }
    return (start > 0 ? "…" : "") + mark(t.substring(start, end).trim(), needles) + (end < t.length ? "…" : "")
  }

  /* ------------------------------------------------------------------------
   * Search: every term required; quoted phrases and numbers with their unit
   * checked against the text; results in Material's shape
   * --------------------------------------------------------------------- */
  /* ties: articles before entity pages, newest first (articles are numbered oldest
     first), entity pages with more articles first (they are numbered so) */
  function newest(id) { return isArticle(id) ? [0, -id] : [1, id] }

  /* what a result shows: [location, title, date, tags, teaser] */
  function row(id) {
    var d = docs[id]
    if (!isArticle(id)) return [d[0], d[1], "", [d[2]], d[3]]
    return [d[0], d[1], d[2], [d[2] || "日期不详", d[3]].filter(Boolean), ""]
  }

  var TEASER = 60  // characters of the lead shown when the words are only in the headline

  function lead(id) {
    var line = (texts[id] || "").split("\n").slice(2).filter(function (l) { return l.trim() })[0] || ""
    line = line.trim()
    return line.length > TEASER ? line.substr(0, TEASER) + "…" : line
  }

  function rankAndList(terms, ids, score, exact, extra) {
    function key(id) {
      return [exact[id] ? 0 : 1, -(score[id] || 0)].concat(newest(id))
    }
    ids.sort(function (a, b) {
      var ka = key(a), kb = key(b)
      for (var i = 0; i < 4; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i]
      return 0
    })
    var total = ids.length
    ids = ids.slice(0, MAX_RESULTS)
    var chunks = {}
    ids.forEach(function (id) { chunks[chunkFile(id)] = 1 })
    var shown = ids.slice(0, PASSAGES).filter(isArticle)
    return Promise.all([loadAll(Object.keys(chunks)), loadTexts(shown)]).then(function () {
      var needles = terms.map(function (t) { return t.text }), marks = {}
      terms.forEach(function (t) { marks[t.text] = true })
      var note = ""
      if (total > ids.length || extra)
        note = '<span class="archive-search-note" hidden data-total="' + total + '" data-shown="' + ids.length +
          '"' + (extra || "") + "></span>"
      return {
        items: ids.map(function (id, rank) {
          var d = row(id), found = rank < PASSAGES && texts[id] && passage(texts[id], needles)
          var text = found || mark(d[4] || (rank < PASSAGES ? lead(id) : ""), needles)
          return [{
            location: d[0],
            title: mark(d[1], needles),
            text: (rank ? "" : note) + (text ? "<p>" + text + "</p>" : ""),
            tags: d[3].map(escapeHTML),
            score: ids.length - rank,
            terms: marks
          }]
        })
      }
    })
  }

  function find(terms) {
    var ids = null, score = {}, exact = {}
    terms.forEach(function (t) {
      var m = match(t)
      ids = ids ? intersect(ids, m[0]) : m[0]
      m[1].forEach(function (id) { score[id] = (score[id] || 0) + 1 })  // headline: 1 + 1
      m[2].forEach(function (id) { score[id] = (score[id] || 0) + 1 })
      if (t.kind === "word") (named[t.text] || []).forEach(function (id) { exact[id] = 1 })
    })
    ids = ids || []
    var checks = terms.filter(function (t) { return t.verify })
    if (!checks.length || !ids.length) return Promise.resolve([ids, score, exact, 0])
    /* the entity pages and the newest VERIFY_MAX articles are checked; when there
       are more candidates, the count is estimated from them (and said to be) */
    var articles = ids.filter(isArticle)
    var sample = articles.slice(-VERIFY_MAX).concat(ids.filter(function (id) { return !isArticle(id) }))
    return loadTexts(sample).then(function () {
      var ok = sample.filter(function (id) {
        var text = normalText(id)
        return checks.every(function (t) { return text.indexOf(t.text) >= 0 })
      })
      return [ok, score, exact, ids.length > sample.length ? Math.round(ok.length * ids.length / sample.length) : 0]
    })
  }

  /* the query's terms and the documents holding all of them (or, when none does,
     those of the closest spelling): {terms, ids, score, exact, note} */
  function lookup(query) {
    var q = query.normalize("NFKC").toLowerCase(), terms, note = {}
    if (!(q.match(RUN) || []).length || meta.format !== FORMAT) return Promise.resolve(null)
    var first = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(q) ? load("v.js") : Promise.resolve()
    return first.then(function () {
      q = fold(q)
      return loadAll(shardFiles(tokensOf(q)))
    }).then(function () {
      terms = queryTerms(q).map(pinyinOf)  // with the word list of the loaded shards
      var need = []
      terms.forEach(function (t) { need = need.concat(t.toks) })
      return loadAll(shardFiles(need))
    }).then(function () {
      return find(terms)
    }).then(function (found) {
      var via = terms.filter(function (t) { return t.via }).map(function (t) { return t.via + "→" + t.text })
      if (via.length) note.pinyin = via.join(" ")
      if (found[3]) note.estimate = found[3]
      var result = { terms: terms, ids: found[0], score: found[1], exact: found[2], note: note }
      if (found[0].length) return result
      /* nothing: the closest spelling of each term that finds nothing alone */
      var lost = terms.filter(function (t) { return t.kind !== "ascii" && !match(t)[0].length })
      if (!lost.length) return result
      return Promise.all(lost.map(closest)).then(function (fixes) {
        if (fixes.some(function (f) { return !f })) return result
        var fixed = terms.map(function (t) {
          var i = lost.indexOf(t)
          return i < 0 ? t : term(fixes[i], t.kind === "phrase" ? "phrase" : "word")
        })
        var need = []
        fixed.forEach(function (t) { need = need.concat(t.toks) })
        return loadAll(shardFiles(need)).then(function () { return find(fixed) }).then(function (again) {
          if (!again[0].length) return result
          note.suggest = fixed.map(function (t) { return t.text }).join(" ")
          if (again[3]) note.estimate = again[3]
          return { terms: fixed, ids: again[0], score: again[1], exact: again[2], note: note }
        })
      })
    })
  }

  function search(query) {
    return lookup(query).then(function (r) {
      if (!r || !r.ids.length) return { items: [] }
      var extra = ""
      if (r.note.pinyin) extra += ' data-pinyin="' + escapeHTML(r.note.pinyin) + '"'
      if (r.note.suggest) extra += ' data-suggest="' + escapeHTML(r.note.suggest) + '"'
      if (r.note.estimate) extra += ' data-estimate="' + r.note.estimate + '"'
      return rankAndList(r.terms, r.ids, r.score, r.exact, extra)
    })
  }

  /* ------------------------------------------------------------------------
   * The search page (search.html): filters with their counts, sort, pages.
   * A request is {q, year, column, place, topic, sort: "" | "new" | "old",
   * from, size}; the answer {total, items, facets, note}.
   * --------------------------------------------------------------------- */
  var KINDS = ["year", "column", "place", "topic"]
  var facets = null  // kind → [[value, label, ids (encoded, then decoded)]]
  self.archiveSearch.facets = function (f) { facets = f }

  function facetIds(kind, value) {
    var row = (facets[kind] || []).filter(function (r) { return r[0] === value })[0]
    if (!row) return []
    if (typeof row[2] === "string") row[2] = decode(row[2])
    return row[2]
  }

  function browse(req) {
    return Promise.all([load("f.js"), lookup(req.q || "")]).then(function (all) {
      var r = all[1], words = (req.q || "").trim() !== ""
      if (!r) {
        r = { terms: [], ids: [], score: {}, exact: {}, note: {} }
        if (!words) for (var id = 0; id < meta.articles; id++) r.ids.push(id)  // browsing by filter
      }
      var chosen = KINDS.filter(function (k) { return req[k] })
      var sets = {}
      chosen.forEach(function (k) { sets[k] = facetIds(k, req[k]) })
      function without(skip) {
        var ids = r.ids
        chosen.forEach(function (k) { if (k !== skip) ids = intersect(ids, sets[k]) })
        return ids
      }
      var ids = without(null)
      /* each value's count among the results of the other filters */
      var counts = {}
      KINDS.forEach(function (k) {
        var mark = new Uint8Array(meta.docs)
        without(k).forEach(function (id) { mark[id] = 1 })
        counts[k] = (facets[k] || []).map(function (row) {
          var ids = facetIds(k, row[0]), n = 0
          for (var i = 0; i < ids.length; i++) n += mark[ids[i]]
          return [row[0], row[1], n]
        }).filter(function (row) { return row[2] > 0 || row[0] === req[k] })
      })
      function key(id) {
        if (req.sort === "new") return newest(id)
        if (req.sort === "old") return isArticle(id) ? [0, id] : [1, id]
        return [r.exact[id] ? 0 : 1, -(r.score[id] || 0)].concat(newest(id))
      }
      ids = ids.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b)
        for (var i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i]
        return 0
      })
      var from = req.from || 0, page = ids.slice(from, from + (req.size || 20))
      var chunks = {}
      page.forEach(function (id) { chunks[chunkFile(id)] = 1 })
      return Promise.all([loadAll(Object.keys(chunks)), loadTexts(page)]).then(function () {
        var needles = r.terms.map(function (t) { return t.text })
        return {
          id: req.id,
          from: from,
          total: ids.length,
          terms: needles,
          note: r.note,
          facets: counts,
          items: page.map(function (id) {
            var d = row(id), text = needles.length && texts[id] ? passage(texts[id], needles) : null
            return { location: d[0], title: mark(d[1], needles), date: d[2], tags: d[3],
                     text: text || mark(d[4] || lead(id), needles) }
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
        return (typeof query === "object" ? browse(query) : search(query)).then(function (data) {
          if (query === latest) postMessage({ type: RESULT, data: data })
        })
      }).catch(function (err) {
        console.error("archive search:", err)
        postMessage({ type: RESULT, data: { items: [] } })
      })
    }
  })
})()
