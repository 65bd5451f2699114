/** A progress bar on stderr for runs longer than a second (an edge; the core only calls back). */
import { Presets, SingleBar } from "cli-progress";
import type { ProgressFn } from "./run";

export interface ProgressReporter {
  readonly onProgress: ProgressFn;
  stop(): void;
}

/**
 * Returns a {@link ProgressFn} that shows nothing during the first `delayMs`, then one bar per
 * stage on `stream` (only when it is a terminal).
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): ProgressReporter {
  const started = Date.now();
  let bar: SingleBar | undefined;
  let stage = "";
  const enabled = Boolean(stream.isTTY);
  const onProgress: ProgressFn = (name, done, total) => {
    if (!enabled) return;
    if (!bar) {
      if (Date.now() - started < delayMs) {
        stage = name;
        return;
      }
      bar = new SingleBar(
        { stream, format: "{stage} [{bar}] {percentage}% | {value}/{total}", hideCursor: true, clearOnComplete: false, fps: 10 },
        Presets.shades_classic,
      );
      bar.start(total, done, { stage: name.padEnd(16) });
      stage = name;
      return;
    }
    if (name !== stage) {
      stage = name;
      bar.setTotal(total);
    }
    bar.update(done, { stage: name.padEnd(16) });
  };
  return {
    onProgress,
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
