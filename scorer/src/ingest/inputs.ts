/** The inputs of a run, read and validated before anything touches the chain: config, participants, engagements. */
import { readFile } from "node:fs/promises";
import { parseConfigText, type CampaignConfig } from "../config";
import type { EngagementTable } from "../engagements";
import { ScorerError } from "../errors";
import type { UnlistedRecord } from "../format/page-file";
import { ingestEngagements } from "./index";
import { inputFileSize } from "./lines";
import { readParticipants, type Participant } from "./participants";

/**
 * Progress of a stage: `done` of `total` units (bytes for "read engagements", accounts for "read chain",
 * steps otherwise), and the rows read so far when the stage reads rows.
 */
export type ProgressFn = (stage: string, done: number, total: number, rows?: number) => void;

export interface CampaignInputPaths {
  readonly configPath: string;
  readonly engagementPaths: readonly string[];
  readonly participantsPath: string;
}

export interface LoadedInputs {
  readonly config: CampaignConfig;
  readonly participants: readonly Participant[];
  readonly table: EngagementTable;
  /** X API page files (v2) whose post's public_metrics count differs from the engagers listed. */
  readonly unlisted?: readonly UnlistedRecord[];
}

/** Reads and validates the config, participants and engagements (no chain access). */
export async function loadInputs(paths: CampaignInputPaths, onProgress?: ProgressFn): Promise<LoadedInputs> {
  if (paths.engagementPaths.length === 0) throw new ScorerError("no engagement files given (--engagements FILE...)");
  await inputFileSize(paths.configPath);
  let text: string;
  try {
    text = await readFile(paths.configPath, "utf8");
  } catch (e) {
    throw new ScorerError(`cannot read ${paths.configPath}: ${(e as Error).message}`, { cause: e });
  }
  const config = parseConfigText(text, paths.configPath);
  const participants = await readParticipants(paths.participantsPath);
  const unlisted: UnlistedRecord[] = [];
  const table = await ingestEngagements(paths.engagementPaths, {
    onProgress: onProgress ? (done, total, rows) => onProgress("read engagements", done, total, rows) : undefined,
    onUnlisted: (c) => unlisted.push(c),
  });
  return { config, participants, table, unlisted };
}
