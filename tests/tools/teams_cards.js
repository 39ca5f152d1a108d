// Checks cqcwatch's Teams messages with Microsoft's own Adaptive Cards library
// (the `adaptivecards` npm package, installed at test time).
//   node teams_cards.js validate NODE_MODULES RECORDS.jsonl PAGE.html
//     every recorded POST body must be a Teams Workflows message with one
//     Adaptive Card that the library parses and validates with no error or
//     warning; writes PAGE.html, which renders every card with the library's
//     HTML renderer and lists each card's visible text.
//   node teams_cards.js rendered DOM.html
//     the page as headless Chromium left it: each card rendered, and the
//     assessment cards show the council, the rating and the nine scores.
"use strict";
const fs = require("fs");
const path = require("path");

const statements = [
    "Assessing needs", "Supporting people to lead healthier lives", "Equity in experience and outcomes",
    "Care provision, integration and continuity", "Partnerships and communities",
    "Safe pathways, systems and transitions", "Safeguarding", "Governance, management and sustainability",
    "Learning, improvement and innovation"];
const with_scores = ["assessment.published", "assessment.updated", "embargo.lifted", "embargo.scheduled", "test"];

function fail(message) {
    console.error("FAIL: " + message);
    process.exit(1);
}

function validate(modules, records_path, page_path) {
    modules = path.resolve(modules);
    const AC = require(path.join(modules, "adaptivecards", "dist", "adaptivecards.min.js"));
    const records = fs.readFileSync(records_path, "utf8").split("\n").filter((l) => l.trim()).map(JSON.parse);
    const cards = [];
    for (const r of records) {
        if (r.method !== "POST") continue;
        const type = r.headers["X-Cqcwatch-Event"];
        const message = JSON.parse(r.body);
        if (message.type !== "message") fail(type + ": not a message: " + r.body);
        if (!Array.isArray(message.attachments) || message.attachments.length !== 1)
            fail(type + ": expected one attachment");
        const a = message.attachments[0];
        if (a.contentType !== "application/vnd.microsoft.card.adaptive") fail(type + ": contentType " + a.contentType);
        if (a.content.version !== "1.5") fail(type + ": version " + a.content.version);
        const card = new AC.AdaptiveCard();
        const context = new AC.SerializationContext();
        card.parse(a.content, context);
        const issues = [];
        for (let i = 0; i < context.eventCount; i++) issues.push(context.getEventAt(i));
        const validation = card.validateProperties();
        for (const e of validation.validationEvents) issues.push(e);
        if (issues.length) fail(type + ": the library reports " + JSON.stringify(issues));
        cards.push({type, content: a.content});
        console.log(type + ": parsed and validated, no errors or warnings");
    }
    if (cards.length === 0) fail("no cards recorded");
    const lib = path.join(modules, "adaptivecards", "dist", "adaptivecards.min.js");
    const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>cqcwatch Teams cards</title>
<style>body{font-family:sans-serif;background:#f5f5f5;width:760px} .card{background:#fff;margin:12px;padding:4px;border:1px solid #ccc} h2{font-size:13px;margin:12px} #report{display:none}</style>
<script src="file://${lib}"></script></head><body><pre id="report"></pre>
<script>
const cards = ${JSON.stringify(cards)};
const report = [];
for (const c of cards) {
  const h = document.createElement("h2"); h.textContent = c.type; document.body.appendChild(h);
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(c.content);
  const el = card.render();
  const box = document.createElement("div"); box.className = "card"; box.dataset.type = c.type;
  if (el) box.appendChild(el);
  document.body.appendChild(box);
  report.push({type: c.type, rendered: !!el, text: el ? el.innerText : "",
               actions: Array.from(box.querySelectorAll("button")).map((b) => b.innerText.trim())});
}
document.getElementById("report").textContent = "REPORT" + JSON.stringify(report) + "END";
</script></body></html>`;
    fs.writeFileSync(page_path, page);
}

function rendered(dom_path) {
    const dom = fs.readFileSync(dom_path, "utf8");
    const m = dom.match(/<pre id="report">REPORT(.*?)END<\/pre>/s);
    if (!m) fail("the page did not run (no report in the DOM)");
    const text = m[1].replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    const report = JSON.parse(text);
    for (const r of report) {
        if (!r.rendered) fail(r.type + ": the renderer returned nothing");
        if (!r.text.includes("cqcwatch") && !r.text.includes("CQC")) fail(r.type + ": headline missing: " + r.text);
        if (with_scores.includes(r.type)) {
            for (const want of ["Test Council (not real)", "Requires improvement", ...statements])
                if (!r.text.includes(want)) fail(r.type + ": '" + want + "' not visible in: " + r.text);
            const scores = (r.text.match(/\b[1-4]\/4\b/g) || []).length;
            if (scores < 9) fail(r.type + ": " + scores + " scores out of 4 visible, expected 9");
        }
        console.log(r.type + ": rendered; actions: " + JSON.stringify(r.actions));
    }
    const lifted = report.find((r) => r.type === "embargo.lifted");
    const published = report.find((r) => r.type === "assessment.published");
    if (!lifted || !lifted.text.includes("Embargo lifted")) fail("embargo.lifted: embargo state not visible");
    if (!published || !published.actions.includes("Open report")) fail("assessment.published: no 'Open report' button");
    const scheduled = report.find((r) => r.type === "embargo.scheduled");
    if (!scheduled || !scheduled.text.includes("do not publish before")) fail("embargo.scheduled: no embargo warning");
    console.log(report.length + " cards rendered by the adaptivecards HTML renderer in Chromium");
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "validate") validate(...args);
else if (mode === "rendered") rendered(...args);
else fail("usage: teams_cards.js validate NODE_MODULES RECORDS PAGE | rendered DOM");
