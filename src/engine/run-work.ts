/**
 * runWork: cache lookup, then the scheduler (adaptive per-endpoint concurrency, request and token rate
 * limits) and the one retry layer around the model adapter. Every answer is stored the moment it arrives
 * (a model marked `cacheable: false`, such as replay, is neither looked up nor stored).
 */
import { InputError, RuntimeFailure } from "../errors.ts";
import type { GenerateFailure, GenerateRequest, GenerateResult, Model } from "../models/types.ts";
import { checkCallbackOption, checkOptionsObject, checkSignalOption } from "../options/library-options.ts";
import { optionName } from "../options/option-name.ts";
import { redactKnownKeys } from "../secrets/known-keys.ts";
import { cacheKey, keyParameters } from "../store/cache-key.ts";
import type { PendingAnswer } from "../store/store.ts";
import type { RequestAttempt, StoredAnswer } from "../store/types.ts";
import { type Clock, systemClock } from "./clock.ts";
import { AdaptiveConcurrency, type AttemptOutcome } from "./concurrency.ts";
import { DeadlineQueue } from "./deadline-queue.ts";
import { neverAnsweredWatch } from "./never-answered.ts";
import { estimateTokens, RequestRateLimiter, TokenRateLimiter } from "./rate-limiter.ts";
import {
  backoffDelay,
  defaultRetryPolicy,
  type FailedAttempts,
  isConnectionFailure,
  mayRetry,
  type RetryPolicy,
} from "./retry-policy.ts";
import { SharedStore } from "./shared-store.ts";
import type {
  AnswerRecord,
  EngineEvent,
  EngineStats,
  RunWorkOptions,
  WorkFailure,
  WorkResult,
} from "./types.ts";

export const defaultConcurrency = 8;
export const defaultTimeoutMs = 60_000;
/** Answers that arrived in one turn of the event loop are written together, up to this many at once. */
const writeBatchSize = 256;

interface Scheduling {
  concurrency: AdaptiveConcurrency;
  requests?: RequestRateLimiter;
  tokens?: TokenRateLimiter;
}

/**
 * Limits are shared by every runWork call on the same endpoint with the same settings in this process
 * (many small calls, such as one judge request each, then respect one limit together).
 */
const schedulingByClock = new WeakMap<Clock, Map<string, Scheduling>>();

function schedulingFor(
  model: Model,
  concurrency: number,
  rpm: number | undefined,
  tpm: number | undefined,
  clock: Clock,
): Scheduling {
  let registry = schedulingByClock.get(clock);
  if (registry === undefined) {
    registry = new Map();
    schedulingByClock.set(clock, registry);
  }
  // A JSON array, not a joined string: an endpoint's path may hold the separator (models/endpoint-identity.ts).
  const key = JSON.stringify([model.endpoint, concurrency, rpm ?? null, tpm ?? null]);
  let scheduling = registry.get(key);
  if (scheduling === undefined) {
    scheduling = { concurrency: new AdaptiveConcurrency(concurrency, { now: () => clock.now() }) };
    if (rpm !== undefined) scheduling.requests = new RequestRateLimiter(rpm, clock);
    if (tpm !== undefined) scheduling.tokens = new TokenRateLimiter(tpm, clock);
    registry.set(key, scheduling);
  }
  return scheduling;
}

/** A library caller's missing or wrong model, items or store is an InputError, not a TypeError mid-run. */
function checkParts(model: unknown, items: unknown, store: unknown): void {
  if (typeof (model as { generate?: unknown } | undefined)?.generate !== "function")
    throw new InputError('model must be a Model, e.g. createModel("openai:gpt-4o-mini")');
  if (typeof (store as { startRun?: unknown } | undefined)?.startRun !== "function")
    throw new InputError('store must be a Store, e.g. openStore(".distillscope")');
  if (!Array.isArray(items)) throw new InputError("items must be a list of { id, request } work items");
}

function positiveOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0)
    throw new InputError(`${name} must be a number above 0, got ${value}`);
  return value;
}

function fatalError(model: Model, failure: GenerateFailure): Error {
  const fix =
    failure.fix === undefined || failure.message.includes(failure.fix) ? "" : ` (fix: ${failure.fix})`;
  // Adapter messages already start with the model id; do not say it twice.
  const prefixed = failure.message.startsWith(`${model.id}: `);
  const message = `${prefixed ? "" : `${model.id}: `}${failure.message}${fix}`;
  // The failure rides along as the cause: a caller can tell a bad request from a rejected key.
  return failure.fix === undefined
    ? new RuntimeFailure(message, { cause: failure })
    : new InputError(message, { cause: failure });
}

function requestCharacters(request: GenerateRequest): number {
  let characters = 0;
  for (const message of request.messages) characters += message.content.length;
  return characters;
}

type AttemptResult = GenerateResult | { ok: false; aborted: true };

/**
 * Sends the items to the model (only those the store does not already answer), with retries, rate limits
 * and adaptive concurrency. Resolves with the answers in item order and the items that failed; throws
 * InputError/RuntimeFailure on a fatal error and RuntimeFailure when `signal` aborts.
 */
export async function runWork(options: RunWorkOptions): Promise<WorkResult> {
  checkOptionsObject(options, "runWork", "model, items, store");
  const { model, items, store } = options;
  checkParts(model, items, store);
  checkCallbackOption(options.onEvent, "onEvent");
  checkSignalOption(options.signal);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const concurrency =
    positiveOption(optionName("concurrency", "--concurrency"), options.concurrency) ?? defaultConcurrency;
  const timeoutMs =
    positiveOption(optionName("timeoutMs", "--timeout-ms"), options.timeoutMs) ?? defaultTimeoutMs;
  const rpm = positiveOption(optionName("requestsPerMinute", "--rpm"), options.requestsPerMinute);
  const tpm = positiveOption(optionName("tokensPerMinute", "--tpm"), options.tokensPerMinute);
  const scheduling = schedulingFor(model, Math.floor(concurrency), rpm, tpm, clock);
  // Shared by every runWork call on this model object: "never answered" means in the whole command.
  const silence = neverAnsweredWatch(model, clock);
  const started = clock.now();

  const stats: EngineStats = {
    total: items.length,
    done: 0,
    answered: 0,
    cached: 0,
    failed: 0,
    retries: 0,
    rateLimited: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    elapsedMs: 0,
  };
  const listening = options.onEvent !== undefined;
  const emit = (event: EngineEvent): void => {
    if (options.onEvent === undefined) return;
    options.onEvent(event);
  };
  const snapshot = (): EngineStats => ({ ...stats, elapsedMs: clock.now() - started });

  const keys = items.map((item) =>
    cacheKey({
      provider: model.provider,
      model: model.model,
      endpoint: model.endpoint,
      messages: item.request.messages,
      parameters: item.request,
      sample: item.sample ?? 0,
    }),
  );
  const seen = new Set<string>();
  for (const item of items) {
    const name = `${item.id}\u0000${item.sample ?? 0}`;
    if (seen.has(name))
      throw new InputError(`duplicate work item id "${item.id}" (sample ${item.sample ?? 0})`);
    seen.add(name);
  }

  const results: Array<AnswerRecord | undefined> = new Array(items.length);
  const failures: Array<WorkFailure & { index: number }> = [];
  const runId = store.startRun(options.runLabel ?? "run", model.id, items.length);
  emit({ type: "start", stats: snapshot() });

  const toRecord = (index: number, answer: StoredAnswer, cached: boolean): AnswerRecord => {
    const item = items[index]!;
    const record: AnswerRecord = {
      id: item.id,
      sample: item.sample ?? 0,
      model: model.id,
      response: answer.response,
      usage: answer.usage,
      latencyMs: answer.latencyMs,
      cached,
    };
    if (answer.costUsd !== undefined) record.costUsd = answer.costUsd;
    if (answer.finishReason !== undefined) record.finishReason = answer.finishReason;
    if (answer.parameters.sentWithout !== undefined) record.sentWithout = answer.parameters.sentWithout;
    return record;
  };
  const settleAnswer = (index: number, answer: StoredAnswer, cached: boolean): void => {
    const record = toRecord(index, answer, cached);
    results[index] = record;
    stats.done++;
    if (cached) stats.cached++;
    else {
      stats.answered++;
      stats.inputTokens += answer.usage.inputTokens;
      stats.outputTokens += answer.usage.outputTokens;
      stats.costUsd += answer.costUsd ?? 0;
    }
    if (!listening) return;
    emit({
      type: "answer",
      id: record.id,
      sample: record.sample,
      cached,
      usage: record.usage,
      ...(record.costUsd === undefined ? {} : { costUsd: record.costUsd }),
      stats: snapshot(),
    });
  };
  const settleFailure = (index: number, error: GenerateFailure): void => {
    const item = items[index]!;
    failures.push({ index, id: item.id, sample: item.sample ?? 0, error });
    stats.done++;
    stats.failed++;
    emit({ type: "failure", id: item.id, sample: item.sample ?? 0, error, stats: snapshot() });
  };

  // Items that share a cache key (same messages and parameters under different ids) are asked once:
  // the first one (the leader) is sent, the others (followers) get its answer or its failure.
  const leaders: number[] = [];
  const leaderByKey = new Map<string, number>();
  const followersByKey = new Map<string, number[]>();
  // A model that is not cacheable (replay) is always asked, and its answers are not stored.
  const cacheable = model.cacheable !== false;
  const cachedAnswers = cacheable ? store.findCachedMany(keys) : new Map<string, StoredAnswer>();
  for (let index = 0; index < items.length; index++) {
    const key = keys[index]!;
    const cached = cachedAnswers.get(key);
    if (cached !== undefined) {
      settleAnswer(index, cached, true);
      continue;
    }
    if (leaderByKey.has(key)) {
      const followers = followersByKey.get(key);
      if (followers === undefined) followersByKey.set(key, [index]);
      else followers.push(index);
      continue;
    }
    leaderByKey.set(key, index);
    leaders.push(index);
  }

  const runController = new AbortController();
  const onOuterAbort = (): void => runController.abort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (options.signal?.aborted) runController.abort();
  const runSignal = runController.signal;
  let fatal: Error | undefined;
  const stop = (error: Error): void => {
    fatal ??= error;
    runController.abort();
  };
  let expectedOutputTokens = 256;
  let connectionFailuresInARow = 0;
  let outputSamples = 0;

  // One abort listener for the whole run aborts every attempt in flight at once (fatal error, Ctrl-C).
  const attemptsInFlight = new Set<() => void>();
  runSignal.addEventListener("abort", () => {
    for (const abortAttempt of [...attemptsInFlight]) abortAttempt();
  });

  // One timer for the timeouts of every attempt in flight (all wait the same timeoutMs).
  const deadlines = new DeadlineQueue(clock, timeoutMs);
  const attemptOnce = (request: GenerateRequest): Promise<AttemptResult & { timedOut?: boolean }> =>
    new Promise((resolve) => {
      // A slot handed over just before a stop is taken up just after it: such an attempt would escape
      // the abort below and hold the run until its timeout (a minute, for a hung endpoint).
      if (runSignal.aborted) {
        resolve({ ok: false, aborted: true });
        return;
      }
      const controller = new AbortController();
      let settled = false;
      const finish = (result: AttemptResult & { timedOut?: boolean }): void => {
        if (settled) return;
        settled = true;
        deadline.settle();
        attemptsInFlight.delete(abortAttempt);
        resolve(result);
      };
      // Settling here, not in the adapter, makes a hung adapter harmless even if it ignores the signal.
      const abortAttempt = (): void => {
        finish({ ok: false, aborted: true });
        controller.abort();
      };
      attemptsInFlight.add(abortAttempt);
      const deadline = deadlines.add(() => {
        finish({
          ok: false,
          errorClass: "retryable",
          message: `timed out after ${timeoutMs} ms`,
          timedOut: true,
        });
        controller.abort();
      });
      const adapterError = (error: unknown): void => {
        const message = error instanceof Error ? error.message : String(error);
        finish({ ok: false, errorClass: "retryable", message: `adapter error: ${message}` });
      };
      try {
        model.generate(request, controller.signal).then(finish, adapterError);
      } catch (error) {
        adapterError(error);
      }
    });

  // Answers are written in micro-batches: every answer that arrives in one turn of the event loop joins
  // one transaction, committed on setImmediate (right after the I/O callbacks of that turn). An item
  // counts as done, and its worker moves on, only once its batch committed, so a kill -9 loses only the
  // requests in flight (an answer read but not yet committed was never reported).
  let pending: PendingAnswer[] = [];
  let pendingWritten: Promise<boolean> | undefined;
  let settlePending: (ok: boolean) => void = () => {};
  let flushScheduled: NodeJS.Immediate | undefined;
  const writeFailed = (reason: string): void =>
    stop(new RuntimeFailure(`cannot write the store ${store.path}: ${reason}`));
  const flushWrites = (): void => {
    if (flushScheduled !== undefined) clearImmediate(flushScheduled);
    flushScheduled = undefined;
    const batch = pending;
    const settleBatch = settlePending;
    pending = [];
    pendingWritten = undefined;
    if (batch.length === 0) return;
    try {
      const releaseClaimsOf = sharing.claimOwner;
      store.saveAnswers(runId, batch, {
        deferIndex: true,
        ...(releaseClaimsOf === undefined ? {} : { releaseClaimsOf }),
      });
      sharing.answered(batch);
      settleBatch(true);
    } catch (error) {
      writeFailed(error instanceof Error ? error.message : String(error));
      settleBatch(false);
    }
  };
  /** Queues an answer for the next group commit; resolves with whether it was written. */
  const writeAnswer = (cacheKey: string, answer: StoredAnswer, attempts: readonly RequestAttempt[]) => {
    // One promise per batch, not per answer: every answer of the batch waits for the same commit.
    pendingWritten ??= new Promise<boolean>((resolve) => {
      settlePending = resolve;
    });
    const written = pendingWritten;
    pending.push({ cacheKey, answer, attempts });
    if (pending.length >= writeBatchSize) flushWrites();
    else flushScheduled ??= setImmediate(flushWrites);
    return written;
  };

  // Another process may be collecting into the same store right now (two commands sharing prompts): each
  // item is claimed (or, alone on the store, noted in memory) just before it is sent, and an item another
  // run is sending is left for later and then served from the store (shared-store.ts).
  const sharing = new SharedStore(store, clock, cacheable);
  const settleStored = (index: number, key: string, answer: StoredAnswer): void => {
    settleAnswer(index, answer, true);
    for (const follower of followersByKey.get(key) ?? []) settleAnswer(follower, answer, true);
  };

  // The keys of the next items no worker has taken yet: a run sharing its store claims them ahead.
  let next = 0;
  const claimAhead = Math.min(32, Math.floor(concurrency));
  const upcoming = (): string[] => {
    const ahead: string[] = [];
    for (let position = next; position < leaders.length && ahead.length < claimAhead; position++)
      ahead.push(keys[leaders[position]!]!);
    return ahead;
  };

  /** Resolves "held" when another run is sending the item (it is then left for later). */
  const processItem = async (index: number, claimed: boolean): Promise<"held" | undefined> => {
    const item = items[index]!;
    const sample = item.sample ?? 0;
    const key = keys[index]!;
    const attempts: RequestAttempt[] = [];
    const firstStart = clock.now();
    const failed: FailedAttempts = { rateLimited: 0, other: 0 };
    const promptTokens = estimateTokens(requestCharacters(item.request));
    for (let attempt = 1; ; attempt++) {
      const permit =
        scheduling.concurrency.tryAcquire(runSignal) ?? (await scheduling.concurrency.acquire(runSignal));
      if (permit === undefined) return;
      if (attempt === 1 && !claimed) {
        const decision = sharing.beforeSend(key, upcoming);
        if (decision.kind !== "send") {
          scheduling.concurrency.release(permit, "other");
          if (decision.kind === "held") return "held";
          settleStored(index, key, decision.answer);
          return;
        }
      }
      let outcome: AttemptOutcome = "other";
      let result: AttemptResult & { timedOut?: boolean };
      let reservation: { time: number; tokens: number } | undefined;
      const attemptStart = clock.now();
      const wallStart = Date.now();
      try {
        if (scheduling.requests !== undefined && !(await scheduling.requests.acquire(runSignal))) return;
        if (scheduling.tokens !== undefined) {
          reservation = await scheduling.tokens.acquire(
            promptTokens + (item.request.maxTokens ?? expectedOutputTokens),
            runSignal,
          );
          if (reservation === undefined) return;
        }
        result = await attemptOnce(item.request);
        if (result.ok) outcome = "ok";
        else if (!("aborted" in result) && result.errorClass === "rate_limited") outcome = "rate_limited";
      } finally {
        scheduling.concurrency.release(permit, outcome);
      }
      if ("aborted" in result || runSignal.aborted) return;
      const deadModel = silence.record(result, clock.now(), policy);
      const durationMs = clock.now() - attemptStart;
      const record: RequestAttempt = {
        cacheKey: key,
        id: item.id,
        sample,
        attempt,
        startedAt: wallStart,
        durationMs,
        outcome: result.ok ? "ok" : result.timedOut ? "timeout" : result.errorClass,
      };
      if (!result.ok && result.status !== undefined) record.status = result.status;
      attempts.push(record);

      if (result.ok) {
        connectionFailuresInARow = 0;
        const usage = result.usage;
        if (reservation !== undefined && scheduling.tokens !== undefined)
          scheduling.tokens.correct(reservation, usage.inputTokens + usage.outputTokens);
        outputSamples++;
        expectedOutputTokens += (usage.outputTokens - expectedOutputTokens) / outputSamples;
        const answer: StoredAnswer = {
          id: item.id,
          sample,
          model: model.id,
          endpoint: model.endpoint,
          messages: item.request.messages,
          // As asked (they make the key), plus what the model refused and was not sent (parameter-fallback.ts).
          parameters:
            result.sentWithout === undefined
              ? keyParameters(item.request)
              : { ...keyParameters(item.request), sentWithout: result.sentWithout },
          // The one place answers from an endpoint enter the store: a reflected API key never does.
          response: redactKnownKeys(result.text),
          usage,
          latencyMs: durationMs,
          attempts: attempt,
        };
        if (result.costUsd !== undefined) answer.costUsd = result.costUsd;
        if (result.finishReason !== undefined) answer.finishReason = result.finishReason;
        // A clean first attempt is fully described by the answer row; the requests table logs retries.
        const log = attempts.length > 1 ? attempts : [];
        if (cacheable && !(await writeAnswer(key, answer, log))) return;
        settleAnswer(index, answer, false);
        for (const follower of followersByKey.get(key) ?? []) settleAnswer(follower, answer, true);
        return;
      }

      const failure: GenerateFailure = result;
      if (failure.errorClass === "rate_limited") {
        stats.rateLimited++;
        failed.rateLimited++;
      } else failed.other++;
      if (failure.errorClass === "fatal") {
        safely(() => store.saveAttempts(runId, attempts));
        stop(fatalError(model, failure));
        return;
      }
      if (isConnectionFailure(failure)) {
        // Nothing listening: stop the whole run quickly instead of retrying every item.
        connectionFailuresInARow++;
        const limit = policy.maxConnectionAttempts + (stats.answered === 0 ? 0 : concurrency);
        if (connectionFailuresInARow >= limit) {
          safely(() => store.saveAttempts(runId, attempts));
          // The adapters' message names the endpoint and the flag or variable to fix; others get both here.
          const named = failure.message.startsWith(`${model.id}: `) && failure.message.includes("check ");
          stop(
            new RuntimeFailure(
              named
                ? `${failure.message} (and that the ${failure.message.includes("the proxy set by") ? "proxy" : "server"} is running)`
                : `cannot reach ${model.endpoint} for ${model.id} (${failure.message}): check --base-url and that the server is running`,
            ),
          );
          return;
        }
      } else connectionFailuresInARow = 0;
      if (deadModel) {
        // No answer at all and transient failures for long enough: a dead endpoint, not a flaky one.
        safely(() => store.saveAttempts(runId, attempts));
        stop(new RuntimeFailure(silence.message(model, clock.now())));
        return;
      }
      const delayMs = backoffDelay(policy, attempt + 1, failure, random);
      if (mayRetry(policy, failure, failed, clock.now() - firstStart, delayMs)) {
        stats.retries++;
        emit({
          type: "retry",
          id: item.id,
          sample,
          attempt,
          errorClass: failure.errorClass,
          message: failure.message,
          delayMs,
          stats: snapshot(),
        });
        await clock.sleep(delayMs, runSignal);
        if (runSignal.aborted) return;
        continue;
      }
      safely(() =>
        store.saveError(
          runId,
          {
            cacheKey: key,
            id: item.id,
            sample,
            model: model.id,
            errorClass: failure.errorClass,
            ...(failure.status === undefined ? {} : { status: failure.status }),
            message: failure.message,
            attempts: attempt,
          },
          attempts,
        ),
      );
      sharing.failed(key);
      settleFailure(index, failure);
      for (const follower of followersByKey.get(key) ?? []) settleFailure(follower, failure);
      return;
    }
  };

  try {
    // Twice as many workers as slots: an item sleeping in back-off holds a worker but not a slot, so
    // the endpoint stays busy while some items wait, without thousands of items queued at once.
    // Items another process is sending wait in `held` until the leaders are all started, so that two
    // runs of the same prompts share the work out instead of one trailing the other.
    const held: number[] = [];
    const worker = async (): Promise<void> => {
      await sharing.join(runSignal);
      while (!runSignal.aborted) {
        if (next < leaders.length) {
          const index = leaders[next++]!;
          if ((await processItem(index, false)) === "held") held.push(index);
          continue;
        }
        const index = held.shift();
        if (index === undefined) return;
        const decision = await sharing.waitFor(keys[index]!, runSignal);
        if (decision === undefined) return;
        if (decision.kind === "stored") settleStored(index, keys[index]!, decision.answer);
        else await processItem(index, true);
      }
    };
    const workers = Math.min(leaders.length, Math.max(16, Math.floor(concurrency) * 2));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal?.removeEventListener("abort", onOuterAbort);
    deadlines.clear();
    sharing.leave();
  }
  const status =
    fatal !== undefined
      ? "fatal"
      : runSignal.aborted
        ? "interrupted"
        : failures.length > 0
          ? "failed"
          : "done";
  // The cache entries of this run's answers, written in bulk (store.saveAnswers with deferIndex).
  safely(() => store.indexCache());
  safely(() => store.finishRun(runId, status));
  emit({ type: "finish", stats: snapshot() });
  if (fatal !== undefined) throw fatal;
  if (runSignal.aborted)
    throw new RuntimeFailure(
      `interrupted: ${stats.done - stats.failed} of ${items.length} answers are stored; run the same command again to resume`,
    );
  failures.sort((left, right) => left.index - right.index);
  return {
    answers: results.filter((record): record is AnswerRecord => record !== undefined),
    failures: failures.map(({ id, sample, error }) => ({ id, sample, error })),
    stats: snapshot(),
  };
}

/** Bookkeeping writes must not hide the error that is being reported. */
function safely(work: () => void): void {
  try {
    work();
  } catch {
    // The answer or the fatal error matters more than the attempt log.
  }
}
