/**
 * Progress of a local computation counted in units (prompts compared, for lineage): a cli-progress bar
 * on a terminal, a plain line every few seconds otherwise (CI=true, pipes), nothing with --quiet. The
 * engine's reporter (progress.ts) counts model answers, tokens and cost; this one counts units only.
 */
import cliProgress from "cli-progress";
import { onInterrupt } from "./common.ts";

export interface CountProgressOptions {
  label: string;
  unit: string;
  total: number;
  quiet: boolean;
  /** Where to draw (default process.stderr); tests pass their own. */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines (default 10). */
  intervalSeconds?: number;
  environment?: NodeJS.ProcessEnv;
}

export interface CountProgress {
  update: (done: number) => void;
  /** Ends the display; `finalLine: false` (after an error) skips the closing plain line. */
  stop: (finalLine?: boolean) => void;
}

/** One plain line: "label: done/total unit (percent%) elapsed". */
export function countLine(label: string, unit: string, done: number, total: number, seconds: number): string {
  const percent = total > 0 ? ((100 * done) / total).toFixed(1) : "100.0";
  return `${label}: ${done}/${total} ${unit} (${percent}%) ${seconds.toFixed(1)} s`;
}

export function createCountProgress(options: CountProgressOptions): CountProgress {
  if (options.quiet) return { update: () => {}, stop: () => {} };
  const stream = options.stream ?? process.stderr;
  const environment = options.environment ?? process.env;
  const started = Date.now();
  const interactive = stream.isTTY === true && environment.CI !== "true" && environment.CI !== "1";
  let done = 0;
  let stopped = false;
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.label} [{bar}] {value}/{total} ${options.unit} eta {eta_formatted}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.total, 0);
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      removeInterruptListener();
      bar.update(done);
      bar.stop();
    };
    // On Ctrl-C the bar ends its line (and is not drawn again) before the interrupt message is written.
    const removeInterruptListener = onInterrupt(stop);
    return {
      update: (count) => {
        done = count;
        if (!stopped) bar.update(count);
      },
      stop,
    };
  }
  const intervalMs = (options.intervalSeconds ?? 10) * 1000;
  let lastLine = started;
  const line = () =>
    countLine(options.label, options.unit, done, options.total, (Date.now() - started) / 1000);
  return {
    update: (count) => {
      done = count;
      const now = Date.now();
      if (!stopped && now - lastLine >= intervalMs) {
        lastLine = now;
        stream.write(`${line()}\n`);
      }
    },
    stop: (finalLine = true) => {
      if (stopped) return;
      stopped = true;
      // A computation shorter than one interval says nothing: its result follows at once.
      if (finalLine && Date.now() - started >= intervalMs) stream.write(`${line()}\n`);
    },
  };
}
