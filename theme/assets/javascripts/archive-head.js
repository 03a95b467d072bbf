{#-
  Rendered by MkDocs as a static template (mkdocs.yml: theme.static_templates) into
  assets/javascripts/archive-head.js; every page loads it in its <head>
  (partials/javascripts/base.html).  It does what Material writes inline into every
  page — 1.7 KB a page: the storage helpers (__md_scope, __md_get, __md_set;
  Material's own code, MIT) and the configuration its bundle reads from #__config
  (features, Chinese strings, and the archive's search worker) — once, for the
  whole site.  The site root is found from this script's own URL, so the same file
  serves every page, over HTTP and from file://, under any SITE_URL path.
-#}
{%- import "partials/language.html" as lang with context -%}
(function () {
  var root = new URL("../..", document.currentScript.src)
  window.__md_scope = root
  window.__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0)
  window.__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e))
  window.__md_set = (e, _, t = localStorage, a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {} }
  var config = document.createElement("script")
  config.id = "__config"
  config.type = "application/json"
  config.textContent = JSON.stringify({
    base: root.href,
    features: {{ (config.theme.features or []) | tojson }},
    translations: {
      "clipboard.copy": {{ lang.t("clipboard.copy") | tojson }},
      "clipboard.copied": {{ lang.t("clipboard.copied") | tojson }},
      "search.result.placeholder": {{ lang.t("search.result.placeholder") | tojson }},
      "search.result.none": {{ lang.t("search.result.none") | tojson }},
      "search.result.one": {{ lang.t("search.result.one") | tojson }},
      "search.result.other": {{ lang.t("search.result.other") | tojson }},
      "search.result.more.one": {{ lang.t("search.result.more.one") | tojson }},
      "search.result.more.other": {{ lang.t("search.result.more.other") | tojson }},
      "search.result.term.missing": {{ lang.t("search.result.term.missing") | tojson }},
      "select.version": {{ lang.t("select.version") | tojson }}
    },
    search: new URL("assets/javascripts/archive-search.js", root).href,  // the archive's own worker
    annotate: null, tags: null, version: null
  })
  document.head.appendChild(config)
})()
