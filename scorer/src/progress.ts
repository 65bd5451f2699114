/**
 * Progress on stderr (an edge; the core only calls back). On a terminal: one bar per stage, bytes shown
 * as MB, with the rate and an ETA. Elsewhere (CI, logs): a plain line every few seconds — stage, amount,
 * rows, rate, ETA — so a long run in a log is not silent. Nothing for runs shorter than `delayMs`.
 */
import { Presets, SingleBar } from "cli-progress";
import type { ProgressFn } from "./ingest/inputs";

export interface ProgressReporter {
  readonly onProgress: ProgressFn;
  stop(): void;
}

export interface ProgressOptions {
  /** Quiet for runs shorter than this (default 1 s). */
  readonly delayMs?: number;
  /** Not a terminal: one line at most this often (default 5 s). */
  readonly intervalMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** Stages counted in bytes. */
const BYTE_STAGES = new Set(["read engagements"]);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function seconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** One stage's figures: amount done/total in its unit, the rate and the ETA. */
export function describeProgress(stage: string, done: number, total: number, elapsedMs: number, rows?: number): string {
  const bytes = BYTE_STAGES.has(stage);
  const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
  const amount = bytes ? `${(done / 1e6).toFixed(1)} of ${mb(total)}` : `${done.toLocaleString("en")} of ${total.toLocaleString("en")}`;
  const perSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : NaN;
  const rate = !Number.isFinite(perSecond) ? "" : bytes ? `, ${(perSecond / 1e6).toFixed(1)} MB/s` : `, ${Math.round(perSecond).toLocaleString("en")}/s`;
  const eta = done >= total ? "" : `, ETA ${seconds((total - done) / perSecond)}`;
  const rowText = rows !== undefined ? `, ${rows.toLocaleString("en")} rows` : "";
  return `${stage}: ${amount} (${pct}%)${rowText}${rate}${eta}`;
}

/** Returns a {@link ProgressFn} that writes to `stream` (a bar on a terminal, plain lines otherwise). */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const delayMs = options.delayMs ?? 1000;
  const intervalMs = options.intervalMs ?? 5000;
  const started = now();
  const tty = Boolean(stream.isTTY);
  let stage = "";
  let stageStarted = started;
  let lastLine = -Infinity;
  let bar: SingleBar | undefined;

  const onProgress: ProgressFn = (name, done, total, rows) => {
    const t = now();
    if (name !== stage) {
      stage = name;
      stageStarted = t;
    }
    if (t - started < delayMs) return;
    const text = describeProgress(name, done, total, t - stageStarted, rows);
    if (!tty) {
      if (t - lastLine < intervalMs) return;
      lastLine = t;
      stream.write(`[scorer ${seconds((t - started) / 1000)}] ${text}\n`);
      return;
    }
    if (!bar) {
      bar = new SingleBar({ stream, format: "[{bar}] {text}", hideCursor: true, clearOnComplete: false, fps: 10, barsize: 24 }, Presets.shades_classic);
      bar.start(1, 0, { text });
    }
    bar.update(total > 0 ? Math.min(1, done / total) : 1, { text });
  };
  return {
    onProgress,
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
