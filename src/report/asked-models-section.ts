/**
 * Renders the "Where the models were asked" section (asked-models-view.ts) in Markdown and in HTML.
 * Every value from a result is escaped as the other sections escape it (escapeMarkdownInline; escapeLabel,
 * each in its own `<bdi>`); a loopback or private-network endpoint is marked in words, not colour alone.
 */

import { endpointPlaceText } from "../models/endpoint-place.ts";
import { escapeMarkdownInline } from "../text/markdown-inline.ts";
import type { AskedModelsView, AskedModelView } from "./asked-models-view.ts";
import { escapeHtml, escapeLabel } from "./html-escape.ts";

export const askedModelsTitle = "Where the models were asked";

const explanation =
  "Each model a result asked, and the endpoint (host, port and any non-default base URL path) that answered. An endpoint marked LOCAL is this machine or a private network: a stand-in there may answer under any provider's model id.";

/** Sentence for a result that does not record its endpoints; `label` and `kind` already escaped. */
function notRecorded(label: string, kind: string): string {
  return `${label} (${kind}): this result does not record where its models were asked (written by an older distillscope, or from transcripts without endpoints).`;
}

function placeText(model: AskedModelView): string {
  return model.endpoint === undefined ? "not recorded" : endpointPlaceText(model.place);
}

function rowsOf(views: readonly AskedModelsView[]) {
  return views.flatMap((view) =>
    (view.models ?? []).map((model) => ({ result: view.result, kind: view.kind, model })),
  );
}

/** The Markdown section; undefined when the report has no results. */
export function askedModelsMarkdown(views: readonly AskedModelsView[]): string | undefined {
  if (views.length === 0) return undefined;
  const rows = rowsOf(views).map(({ result, kind, model }) => {
    const where = placeText(model);
    return `| ${escapeMarkdownInline(result)} | ${escapeMarkdownInline(kind)} | ${escapeMarkdownInline(model.role)} | ${escapeMarkdownInline(model.id)} | ${model.endpoint === undefined ? "–" : escapeMarkdownInline(model.endpoint)} | ${model.place === undefined ? where : `**${where}**`} |`;
  });
  const parts = [`## ${askedModelsTitle}`, explanation];
  if (rows.length > 0)
    parts.push(
      [
        "| Result | Kind | Role | Model | Endpoint | Where |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
      ].join("\n"),
    );
  for (const view of views)
    if (view.models === undefined)
      parts.push(notRecorded(escapeMarkdownInline(view.result), escapeMarkdownInline(view.kind)));
  return parts.join("\n\n");
}

/** The HTML section; empty when the report has no results. */
export function askedModelsHtml(views: readonly AskedModelsView[]): string {
  if (views.length === 0) return "";
  const rows = rowsOf(views).map(({ result, kind, model }) => {
    const where = escapeHtml(placeText(model));
    return `<tr${model.place === undefined ? "" : ` class="local-endpoint"`}><td>${escapeLabel(result)}</td><td>${escapeLabel(kind)}</td><td>${escapeLabel(model.role)}</td><td>${escapeLabel(model.id)}</td><td>${model.endpoint === undefined ? "–" : escapeLabel(model.endpoint)}</td><td>${model.place === undefined ? where : `<strong>${where}</strong>`}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? ""
      : `<table id="asked-models-table"><thead><tr><th>Result</th><th>Kind</th><th>Role</th><th>Model</th><th>Endpoint</th><th>Where</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  const notes = views
    .filter((view) => view.models === undefined)
    .map(
      (view) =>
        `<p class="note not-recorded">${notRecorded(escapeLabel(view.result), escapeLabel(view.kind))}</p>`,
    )
    .join("");
  return `<section id="asked-models"><h2>${askedModelsTitle}</h2><p class="note">${escapeHtml(explanation)}</p>${table}${notes}</section>`;
}
