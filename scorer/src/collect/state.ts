/**
 * The collector's state file, `<out>/.collect/state.json`: where every endpoint's pagination stands, so
 * a run killed at any point (SIGKILL included) resumes and ends with the same page files.
 *
 * Write order per page: the page line is appended to `<out>/.collect/<tweetId>.<endpoint>.pages` and
 * flushed, then the state (with the new byte length and cursor) is written atomically. A kill between
 * the two leaves a longer pages file than the state says: on resume it is cut back to the recorded length
 * and the page is fetched again with the recorded cursor.
 */
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as path from "path";
import { writeFileAtomic } from "../output";
import { ScorerError } from "../errors";
import type { XApiEndpoint } from "../format/page-file";

export const STATE_FORMAT = "like2earn-collect-state-v1";
export const STATE_DIR = ".collect";

export interface EndpointState {
  /** Observed time (ISO) of each poll of this endpoint that has started: the page file's `polls`. */
  polls: string[];
  /** The collector poll this endpoint is in (or finished), −1 before the first. */
  poll: number;
  /** Pages fetched in this poll. */
  pages: number;
  /** Next token to fetch; null for page 1 (pages = 0) or when the poll's pages are complete. */
  cursor: string | null;
  /** Every token followed in this poll (a repeat is a loop). */
  tokens: string[];
  /** All pages of this poll are in the pages file. */
  complete: boolean;
  /** The page file holds this poll. */
  written: boolean;
  /** Committed length of the pages file. */
  bytes: number;
  /** Quotes and replies: the newest tweet id in the pages so far. */
  newestId?: string;
  /** Quotes and replies: the newest id of the earlier polls (this poll reads only what is newer). */
  sinceId?: string;
}

export interface PostState {
  authorId: string;
  createdAt: string;
  conversationId: string;
  publicMetrics?: Record<string, number>;
  /** Collector poll of this lookup. */
  lookupPoll: number;
}

export interface SearchState {
  poll: number;
  cursor: string | null;
  tokens: string[];
  found: string[];
  done: boolean;
}

export interface CollectState {
  format: typeof STATE_FORMAT;
  /** SHA-256 of collect.json: a state belongs to one config. */
  configSha256: string;
  mode: { every: number | null; until: string | null; fullArchive: boolean };
  /** Scheduled start of poll 0 (ISO); poll k is due at start + k·every. */
  startedAt: string;
  poll: number;
  finished: boolean;
  posts: string[];
  search: SearchState | null;
  /** Collector poll whose post lookup is done, −1 before. */
  lookupPoll: number;
  tweets: Record<string, PostState>;
  endpoints: Record<string, EndpointState>;
  warnings: string[];
}

export function endpointKey(tweetId: string, endpoint: XApiEndpoint): string {
  return `${tweetId}.${endpoint}`;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

export class StateStore {
  readonly dir: string;
  readonly file: string;

  constructor(
    readonly outDir: string,
    private readonly fsync: boolean,
  ) {
    this.dir = path.join(outDir, STATE_DIR);
    this.file = path.join(this.dir, "state.json");
  }

  pagesPath(key: string): string {
    return path.join(this.dir, `${key}.pages`);
  }

  async load(): Promise<CollectState | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    let s: CollectState;
    try {
      s = JSON.parse(text) as CollectState;
    } catch {
      throw new ScorerError(`${this.file} is not JSON: the collector's state file is damaged`, { details: ["Remove the --out directory and collect again."] });
    }
    if (s.format !== STATE_FORMAT) throw new ScorerError(`${this.file}: format ${JSON.stringify(s.format)} is not ${STATE_FORMAT}`);
    return s;
  }

  async save(state: CollectState): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(state)}\n`);
  }

  /** Appends one line at the committed length (cutting anything after it: a half-written line of a killed run). */
  async appendLine(key: string, committed: number, line: string): Promise<number> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = this.pagesPath(key);
    const handle = await fs.open(file, "a+").then(async (h) => {
      await h.close();
      return fs.open(file, "r+");
    });
    try {
      await handle.truncate(committed);
      const bytes = Buffer.from(`${line}\n`, "utf8");
      let off = 0;
      while (off < bytes.length) off += (await handle.write(bytes, off, bytes.length - off, committed + off)).bytesWritten;
      if (this.fsync) await handle.sync();
      return committed + bytes.length;
    } finally {
      await handle.close();
    }
  }

  /** The committed pages of an endpoint. */
  async readPages(key: string, committed: number): Promise<Buffer> {
    const all = await fs.readFile(this.pagesPath(key));
    return all.subarray(0, committed);
  }
}
