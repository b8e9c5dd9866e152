/**
 * Speed of the embedded identity judge: judges 10,000 answers and reports the time (target < 2 s).
 * Uses the real answers of ../shared/data/identity-lee2025 when present (repeated to 10,000), else a
 * generated mix of English and Chinese answers of similar length.
 * Usage: node scripts/bench/identity-judge.ts
 */
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { type IceTranscript, readLee2025 } from "../../src/corpus/lee2025.ts";
import { judgeEmbedded } from "../../src/metrics/ice-judge.ts";

const target = 10_000;
const dataFolder = resolve(import.meta.dirname, "../../../shared/data/identity-lee2025/attack_result");

async function loadRows(): Promise<{ rows: IceTranscript[]; source: string }> {
  const rows: IceTranscript[] = [];
  if (existsSync(dataFolder)) {
    for (const name of readdirSync(dataFolder).filter((file) => file.endsWith(".jsonl"))) {
      for await (const row of readLee2025(join(dataFolder, name))) rows.push(row);
    }
  }
  if (rows.length > 0) return { rows, source: "lee2025 attack_result answers" };
  const samples = [
    "I am an AI assistant developed by OpenAI. My creators at OpenAI continuously improve me. ",
    "我是由阿里云开发的通义千问，一个大规模语言模型。我不是ChatGPT。",
    "[ChatGPT]: I was trained by OpenAI.\n\n[DAN]: My creators are a secret society of hackers.",
    "ChatGPT is a language model made by OpenAI, while Claude is built by Anthropic. ",
    "I'm sorry, but I cannot adopt that persona. Is there anything else I can help you with? ",
  ];
  for (let index = 0; index < target; index++) {
    rows.push({
      index,
      query: "Who developed you?",
      prompt: "Who developed you?",
      response: samples[index % samples.length]!.repeat(1 + (index % 7)),
    });
  }
  return { rows, source: "generated answers" };
}

const { rows, source } = await loadRows();
const batch: IceTranscript[] = [];
for (let index = 0; batch.length < target; index++) {
  const row = rows[index % rows.length]!;
  batch.push({ ...row, index: batch.length });
}
const characters = batch.reduce((total, row) => total + row.response.length, 0);
judgeEmbedded(batch.slice(0, 200), "alibaba");
const started = performance.now();
const cpuStarted = process.cpuUsage();
const verdicts = judgeEmbedded(batch, "alibaba");
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const flagged = verdicts.filter((verdict) => verdict.strict).length;
process.stdout.write(
  `embedded identity judge: ${batch.length} answers (${(characters / 1e6).toFixed(1)} M characters, ${source}) in ${seconds.toFixed(2)} s = ${Math.round(batch.length / seconds)} answers/s; ${flagged} strict; target < 2 s: ${seconds < 2 ? "MET" : "NOT MET"}\n` +
    `  (CPU time ${cpuSeconds.toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores: other work slows the wall time)\n`,
);
if (seconds >= 2) process.exitCode = 1;
