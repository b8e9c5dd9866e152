/**
 * Progress for long commands: a cli-progress bar on a terminal, plain periodic lines otherwise (CI=true,
 * pipes), nothing with --quiet. Counts events itself, so one reporter can follow several runWork calls.
 */
import cliProgress from "cli-progress";
import type { EngineEvent } from "../engine/types.ts";
import { onInterrupt } from "./common.ts";

export interface ProgressOptions {
  label: string;
  total: number;
  quiet: boolean;
  /** Where to draw (default process.stderr); tests pass their own. */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines (default 10). */
  intervalSeconds?: number;
  environment?: NodeJS.ProcessEnv;
}

export interface ProgressReporter {
  onEvent: (event: EngineEvent) => void;
  /** Ends the display; `finalLine: false` (after an error) skips the closing plain line. */
  stop: (finalLine?: boolean) => void;
}

export interface ProgressTotals {
  done: number;
  total: number;
  cached: number;
  failed: number;
  retries: number;
  tokens: number;
  costUsd: number;
  /** Answers asked in this run whose price is unknown (a local or unlisted model): their cost is not in `costUsd`. */
  unpriced?: number;
  elapsedSeconds: number;
}

/** The cost shown: "$0.1234", "$0.1234+?" when some answers have no known price, "?" when none has. */
function costText(totals: ProgressTotals): string {
  const known = `$${totals.costUsd.toFixed(4)}`;
  if ((totals.unpriced ?? 0) === 0) return known;
  return totals.costUsd > 0 ? `${known}+?` : "?";
}

function compactNumber(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return String(Math.round(value));
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}

/** Time left at the rate so far: "0s" when done, "?" before the first answer (cli-progress printed "NFs"). */
function timeLeft(totals: ProgressTotals): string {
  const remaining = Math.max(0, totals.total - totals.done);
  if (remaining === 0) return "0s";
  const rate = totals.elapsedSeconds > 0 ? totals.done / totals.elapsedSeconds : 0;
  return duration(rate > 0 ? remaining / rate : Number.POSITIVE_INFINITY);
}

/** One plain progress line: done/total, rate, ETA, tokens, cost, retries. */
export function progressLine(label: string, totals: ProgressTotals): string {
  const rate = totals.elapsedSeconds > 0 ? totals.done / totals.elapsedSeconds : 0;
  const percent = totals.total > 0 ? ((100 * totals.done) / totals.total).toFixed(1) : "100.0";
  return (
    `${label}: ${totals.done}/${totals.total} (${percent}%) ${rate.toFixed(1)}/s eta ${timeLeft(totals)}` +
    ` tokens ${compactNumber(totals.tokens)} cost ${costText(totals)} retries ${totals.retries}` +
    ` cached ${totals.cached} failed ${totals.failed}`
  );
}

/** Creates the reporter; pass `onEvent` to runWork and call `stop` when done (also on errors). */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const environment = options.environment ?? process.env;
  const started = Date.now();
  const totals: ProgressTotals = {
    done: 0,
    total: options.total,
    cached: 0,
    failed: 0,
    retries: 0,
    tokens: 0,
    costUsd: 0,
    unpriced: 0,
    elapsedSeconds: 0,
  };
  if (options.quiet) return { onEvent: () => {}, stop: () => {} };

  const count = (event: EngineEvent): void => {
    if (event.type === "answer") {
      totals.done++;
      if (event.cached) totals.cached++;
      else {
        totals.tokens += event.usage.inputTokens + event.usage.outputTokens;
        if (event.costUsd === undefined) totals.unpriced = (totals.unpriced ?? 0) + 1;
        else totals.costUsd += event.costUsd;
      }
    } else if (event.type === "failure") {
      totals.done++;
      totals.failed++;
    } else if (event.type === "retry") totals.retries++;
    if (totals.done > totals.total) totals.total = totals.done;
    totals.elapsedSeconds = (Date.now() - started) / 1000;
  };

  const interactive = stream.isTTY === true && environment.CI !== "true" && environment.CI !== "1";
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.label} [{bar}] {value}/{total} {rate}/s eta {timeLeft} tokens {tokens} cost {cost} retries {retries}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 200,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = (): Record<string, string | number> => ({
      rate: (totals.elapsedSeconds > 0 ? totals.done / totals.elapsedSeconds : 0).toFixed(1),
      timeLeft: timeLeft(totals),
      tokens: compactNumber(totals.tokens),
      cost: costText(totals),
      retries: totals.retries,
    });
    bar.start(options.total, 0, payload());
    // The bar redraws at most 10 times a second anyway; feeding it every event (thousands a second
    // against a fast server) only built payloads nobody saw.
    let lastUpdate = 0;
    let barStopped = false;
    const update = (): void => {
      bar.setTotal(totals.total);
      bar.update(totals.done, payload());
    };
    const stopBar = (): void => {
      if (barStopped) return;
      barStopped = true;
      removeInterruptListener();
      update();
      bar.stop();
    };
    // On Ctrl-C the bar ends its line (and is not drawn again) before the interrupt message is written.
    const removeInterruptListener = onInterrupt(stopBar);
    return {
      onEvent: (event) => {
        count(event);
        if (barStopped) return;
        const now = Date.now();
        if (now - lastUpdate < 100 && event.type !== "finish") return;
        lastUpdate = now;
        update();
      },
      stop: stopBar,
    };
  }

  const intervalMs = (options.intervalSeconds ?? 10) * 1000;
  let lastLine = started;
  let stopped = false;
  /** Whether anything was counted since the last line written (none written yet counts as changed). */
  let changed = true;
  return {
    onEvent: (event) => {
      count(event);
      // "start" and "finish" change no number on the line: a line after them alone would be a repeat.
      if (event.type === "answer" || event.type === "failure" || event.type === "retry") changed = true;
      const now = Date.now();
      if (changed && now - lastLine >= intervalMs) {
        lastLine = now;
        changed = false;
        stream.write(`${progressLine(options.label, totals)}\n`);
      }
    },
    stop: (finalLine = true) => {
      if (stopped) return;
      stopped = true;
      // The closing line repeats nothing: skipped when the last periodic line already said it all.
      if (!finalLine || !changed) return;
      totals.elapsedSeconds = (Date.now() - started) / 1000;
      stream.write(`${progressLine(options.label, totals)}\n`);
    },
  };
}
