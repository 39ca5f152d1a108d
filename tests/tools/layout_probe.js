// Measures a page as Chromium laid it out, for tests/integration/test_cmd_report.cpp: the test puts
// this script at the end of a copy of the page, runs `chromium --headless --dump-dom`, and reads
// the JSON this leaves in <pre id="layout-probe">. Nothing cut off means: the page is no wider
// than the window (no horizontal scrollbar), no box's content is wider or taller than the box,
// no box reaches past the window's edges, every SVG text lies inside its drawing, white text on
// a coloured rectangle lies inside the rectangle, and no two SVG texts on one line overlap.
(function() {
'use strict';
const clean = (s) => (s || '').replace(/[<>&"\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
const name = (el) => el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class') : '') +
    ' \'' + clean(el.textContent) + '\'';
const de = document.documentElement;
const out = {
    innerWidth: window.innerWidth,
    clientWidth: de.clientWidth,
    scrollWidth: Math.max(de.scrollWidth, document.body.scrollWidth),
    boxes: 0,
    overflowing: [],
    outside: [],
    svg_texts: 0,
    svg_clipped: [],
    off_colour_box: [],
    overlapping: [],
};
for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || el.tagName === 'SCRIPT') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > de.clientWidth + 0.5 || r.left < -0.5)
        out.outside.push(name(el) + ' spans ' + r.left + '-' + r.right);
    if (el.clientWidth === 0) continue;  // inline boxes: their block is measured
    ++out.boxes;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.overflowing.push(
            name(el) + ' content ' + el.scrollWidth + 'x' + el.scrollHeight + ' in box ' + el.clientWidth + 'x' +
            el.clientHeight);
}
const inside = (b, x, y, w, h) =>
    b.x >= x - 0.5 && b.y >= y - 0.5 && b.x + b.width <= x + w + 0.5 && b.y + b.height <= y + h + 0.5;
for (const svg of document.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    const [vx, vy, vw, vh] =
        vb && vb.width ? [vb.x, vb.y, vb.width, vb.height] : [0, 0, svg.width.baseVal.value, svg.height.baseVal.value];
    const rects = Array.from(svg.querySelectorAll('rect')).map((r) => r.getBBox());
    const texts = Array.from(svg.querySelectorAll('text')).map((t) => ({t, b: t.getBBox()}));
    for (const {t, b} of texts) {
        ++out.svg_texts;
        if (!inside(b, vx, vy, vw, vh))
            out.svg_clipped.push(
                '\'' + clean(t.textContent) + '\' at ' + [b.x, b.y, b.width, b.height].join(',') + ' in ' +
                [vx, vy, vw, vh].join(','));
        if (t.getAttribute('fill') === '#fff') {
            const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
            const box = rects.find((r) => cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height);
            if (!box || !inside(b, box.x, box.y, box.width, box.height))
                out.off_colour_box.push('\'' + clean(t.textContent) + '\'');
        }
    }
    for (let i = 0; i < texts.length; ++i)
        for (let j = i + 1; j < texts.length; ++j) {
            const a = texts[i].b, c = texts[j].b;
            const x = Math.min(a.x + a.width, c.x + c.width) - Math.max(a.x, c.x);
            const y = Math.min(a.y + a.height, c.y + c.height) - Math.max(a.y, c.y);
            if (x > 1 && y > 3)
                out.overlapping.push(
                    '\'' + clean(texts[i].t.textContent) + '\' and \'' + clean(texts[j].t.textContent) + '\'');
        }
}
const pre = document.createElement('pre');
pre.id = 'layout-probe';
pre.style.display = 'none';
pre.textContent = 'PROBE' + JSON.stringify(out) + 'END';
document.body.appendChild(pre);
})();
