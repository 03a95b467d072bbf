// Contrast of every visible text run against the colour actually behind it, from the
// computed styles (WCAG 2 relative luminance; 4.5:1, or 3:1 for large text).
// Backgrounds are composed from the root down; colours with alpha and opacity blend.
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/)
    if (!m) return null
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number)
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
  }
  const blend = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1])
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4) }
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
  }
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05) }
  const chain = (el) => { const out = []; for (let e = el; e; e = e.parentElement) out.unshift(e); return out }
  const background = (el) => {
    let bg = [255, 255, 255, 1]
    for (const e of chain(el)) {
      const c = parse(getComputedStyle(e).backgroundColor)
      if (c && c[3] > 0) bg = blend(c, bg)
    }
    return bg
  }
  const opacity = (el) => chain(el).reduce((o, e) => o * parseFloat(getComputedStyle(e).opacity), 1)
  const bad = [], seen = new Set()
  let checked = 0
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), el = walker.currentNode.parentElement
    if (!text || seen.has(el) || el.closest("svg, script, style, noscript")) continue
    seen.add(el)
    // what a reader can see: laid out, on screen (not in a closed drawer), not transparent
    const box = el.getBoundingClientRect(), alpha = opacity(el)
    if (box.width < 2 || box.height < 2 || box.right <= 0 || box.left >= innerWidth || alpha < 0.05
        || !el.checkVisibility({ visibilityProperty: true })) continue
    const cs = getComputedStyle(el), fg0 = parse(cs.color), bg = background(el)
    const fg = blend([fg0[0], fg0[1], fg0[2], fg0[3] * alpha], bg)
    const size = parseFloat(cs.fontSize), large = size >= 24 || (parseInt(cs.fontWeight) >= 700 && size >= 18.66)
    const r = ratio(fg, bg)
    checked++
    if (r < (large ? 3 : 4.5)) bad.push(`${el.tagName.toLowerCase()}.${el.className} “${text.slice(0, 16)}” ${r.toFixed(2)}:1`)
  }
  return { checked, bad }
}
