/**
 * The "Where the models were asked" part of a report: per result, each model it asked, in which role,
 * at which endpoint, and whether that endpoint is this machine or a private network (endpoint-place.ts),
 * so that a reader cannot take a local stand-in for the provider's real API. A result written before
 * results recorded this (no `models` field) is listed as not recording it, never guessed.
 */

import { type EndpointPlace, endpointPlace } from "../models/endpoint-place.ts";
import { redactSecrets } from "../secrets/redact.ts";
import type { ReportableResult } from "./result-schema.ts";

export interface AskedModelView {
  role: string;
  id: string;
  /** Absent when the result (or the transcript line it came from) named no endpoint. */
  endpoint?: string;
  place?: EndpointPlace;
}

export interface AskedModelsView {
  /** The result's label in the report. */
  result: string;
  /** The result's kind: a target's ICE and RSE results share its label, and this tells their rows apart. */
  kind: string;
  /** Undefined: the result does not record where its models were asked. */
  models?: AskedModelView[];
}

/** The asked models of one result (redacted again: a result file may have been edited by hand). */
export function askedModelsView(label: string, result: ReportableResult): AskedModelsView {
  const recorded = result.models;
  if (recorded === undefined) return { result: label, kind: result.kind };
  return {
    result: label,
    kind: result.kind,
    models: recorded.map((entry) => {
      const view: AskedModelView = { role: redactSecrets(entry.role), id: redactSecrets(entry.id) };
      if (entry.endpoint !== undefined && entry.endpoint !== "") {
        view.endpoint = redactSecrets(entry.endpoint);
        const place = endpointPlace(entry.endpoint);
        if (place !== undefined) view.place = place;
      }
      return view;
    }),
  };
}
