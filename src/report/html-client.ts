/**
 * The one inline script of the HTML report (allowed by its SHA-256 in the Content-Security-Policy).
 * It reads the JSON data block and renders drill-down lists on click, 100 items at a time, with
 * text nodes only (controls and bidi overrides isolated and shown as escapes): no data ever reaches
 * innerHTML, attributes that run code, or URLs.
 * Kept as plain browser JavaScript in a string because the page runs it as is.
 */
import { multiLinePattern } from "../text/terminal-text.ts";

export const clientScript = String.raw`(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  let strings = [];

  // Large reports store the string table gzip-compressed (base64); the browser inflates it locally.
  async function loadStrings(value) {
    if (Array.isArray(value)) return value;
    const binary = atob(value.gzipBase64);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }
  const panel = document.getElementById("drill");
  const pageSize = 100;
  const flagBits = { loose: 1, strict: 2, hard: 4 };

  // Controls (C0 but tab and line feed, DEL, C1) and bidi embeddings, overrides and isolates in model
  // text would reorder or hide what the reader sees (an RLO shows "evil" as "live"). Each stays in the
  // text (copying it gives the exact answer) but sits alone in an isolated element shown as \uXXXX.
  // The set is terminal-text.ts's, the one the Markdown and the table labels (html-escape.ts) use too.
  const controls = /${multiLinePattern.source}/g;

  function appendText(node, text) {
    let last = 0;
    for (const match of text.matchAll(controls)) {
      if (match.index > last) node.appendChild(document.createTextNode(text.slice(last, match.index)));
      const mark = document.createElement("span");
      mark.className = "control";
      mark.dataset.code = "\\u" + match[0].charCodeAt(0).toString(16).padStart(4, "0");
      mark.textContent = match[0];
      node.appendChild(mark);
      last = match.index + 1;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  function make(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) appendText(node, String(text));
    if (className) node.className = className;
    return node;
  }

  function field(label, text) {
    return { label, text };
  }

  function iceView(parts) {
    const target = data.ice[Number(parts[1])];
    if (!target) return undefined;
    const metric = parts[2];
    const bit = flagBits[metric] || 0;
    const entries = [];
    const items = target.items;
    for (let offset = 0; offset < items.length; offset += 6) {
      const flags = items[offset + 4];
      if (bit && !(flags & bit)) continue;
      const verdict = flags & 8
        ? "not judged"
        : ["loose", "strict", "hard"].filter((name) => flags & flagBits[name]).join(", ") || "none";
      const fields = [
        field("Template", items[offset + 1] >= 0 ? strings[items[offset + 1]] : "(none: the question was sent alone)"),
        field("Query", strings[items[offset + 2]]),
        field("Response", strings[items[offset + 3]]),
      ];
      if (items[offset + 5] >= 0) fields.push(field("Claims and judge notes", strings[items[offset + 5]]));
      entries.push({ heading: "Item " + items[offset] + " (flags: " + verdict + ")", fields });
    }
    const title = target.label + ": " + (bit ? metric + " items" : "all items");
    return { title, entries };
  }

  function rseView(parts) {
    const target = data.rse[Number(parts[1])];
    if (!target) return undefined;
    const datasetIndex = parts[2] === "all" ? -2 : Number(parts[2]);
    const entries = [];
    for (const item of target.items) {
      if (datasetIndex !== -2 && item[0] !== datasetIndex) continue;
      const dataset = item[0] >= 0 ? target.datasets[item[0]] : "(no dataset)";
      const score = item[5] === null ? "" : ", overall " + item[5];
      const fields = [field("Prompt", strings[item[2]]), field("Target response", strings[item[3]])];
      fields.push(field("Reference response" + (item[1] >= 0 ? " (" + strings[item[1]] + ")" : ""), strings[item[4]]));
      entries.push({ heading: dataset + score, fields });
    }
    const name = datasetIndex === -2 ? "all prompt sets" : target.datasets[datasetIndex];
    return { title: target.label + ": RSE items, " + name, entries };
  }

  function examplesFor(lineage, first, second) {
    const entries = [];
    for (const example of lineage.examples) {
      const a = strings[example[0]];
      const b = strings[example[1]];
      if (!((a === first && b === second) || (a === second && b === first))) continue;
      entries.push({
        heading: a + " / " + b,
        fields: [field("Prompt", strings[example[2]]), field(a, strings[example[3]]), field(b, strings[example[4]])],
      });
    }
    return entries;
  }

  function pairView(parts) {
    const lineage = data.lineage[Number(parts[1])];
    if (!lineage) return undefined;
    const row = lineage.rows[Number(parts[2])];
    const column = lineage.columns[Number(parts[3])];
    const value = (lineage.values[Number(parts[2])] || [])[Number(parts[3])];
    const entries = examplesFor(lineage, row, column);
    const note = "Similarity " + (value === null || value === undefined ? "n/a" : value) +
      (entries.length === 0 ? ". The lineage result holds no example prompt pairs for these two models." : "");
    return { title: row + " vs " + column, note, entries };
  }

  function attributionView(parts) {
    const lineage = data.lineage[Number(parts[1])];
    const attribution = lineage && lineage.attributions[Number(parts[2])];
    if (!attribution) return undefined;
    const value = (entry) => (entry[1] === null ? Number.NEGATIVE_INFINITY : entry[1]);
    const ranking = attribution.ranking.slice().sort((left, right) => value(right) - value(left));
    const entries = [{
      heading: "Ranking of candidates",
      fields: [field("Scores", ranking.map((entry) => entry[0] + ": " + (entry[1] === null ? "n/a" : entry[1])).join("\n"))],
    }];
    const partner = attribution.teacher || (ranking[0] && ranking[0][0]);
    if (partner) entries.push(...examplesFor(lineage, attribution.model, partner));
    const note = attribution.pValue === "not tested"
      ? "Not tested: no between-model reference (see the note above the table); candidates in order of raw similarity"
      : "Teacher: " + (attribution.teacher === null ? "none supported" : attribution.teacher) +
        ", p-value " + attribution.pValue;
    return { title: attribution.model, note, entries };
  }

  const views = { ice: iceView, rse: rseView, pair: pairView, attribution: attributionView };

  function renderEntries(list, entries, start) {
    const end = Math.min(entries.length, start + pageSize);
    for (let index = start; index < end; index += 1) {
      const entry = entries[index];
      const article = make("article", undefined, "item");
      article.appendChild(make("h4", entry.heading));
      for (const item of entry.fields) {
        article.appendChild(make("div", item.label, "label"));
        article.appendChild(make("pre", item.text, "text"));
      }
      list.appendChild(article);
    }
    return end;
  }

  function showDrill(key) {
    const parts = String(key).split("/");
    const build = Object.hasOwn(views, parts[0]) ? views[parts[0]] : undefined;
    const view = build && build(parts);
    if (!view) return;
    panel.replaceChildren();
    panel.dataset.key = key;
    panel.appendChild(make("h3", view.title));
    const summary = view.entries.length + (view.entries.length === 1 ? " item" : " items");
    panel.appendChild(make("p", view.note ? view.note + " (" + summary + ")" : summary, "note"));
    const list = make("div", undefined, "items");
    panel.appendChild(list);
    let shown = renderEntries(list, view.entries, 0);
    if (shown < view.entries.length) {
      const more = make("button", "", "more");
      const label = () => "Show more (" + shown + " of " + view.entries.length + " shown)";
      more.textContent = label();
      more.type = "button";
      more.addEventListener("click", () => {
        shown = renderEntries(list, view.entries, shown);
        if (shown >= view.entries.length) more.remove();
        else more.textContent = label();
      });
      panel.appendChild(more);
    }
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest("[data-drill]");
    if (button) {
      const key = button.getAttribute("data-drill");
      ready.then(() => showDrill(key));
      return;
    }
    const mark = target.closest("[ecmeta_ssr_type=chart][ecmeta_series_index]");
    const chart = target.closest("[data-chart]");
    if (!mark || !chart) return;
    const bySeries = data.charts[chart.getAttribute("data-chart")] || {};
    const keys = bySeries[mark.getAttribute("ecmeta_series_index")];
    const key = keys && keys[Number(mark.getAttribute("ecmeta_data_index"))];
    if (key) ready.then(() => showDrill(key));
  });
  const ready = loadStrings(data.strings).then((loaded) => {
    strings = loaded;
    document.documentElement.dataset.ready = "true";
  });
})();
`;
