/**
 * Streams engagement files into an {@link EngagementTable}. Three formats, chosen per file:
 * - `*.csv`: header `id,type,contentId,contentAuthorId,userId,timestamp` (any order), one row a line;
 * - NDJSON: one `{id, type, contentId, contentAuthorId, userId, timestamp}` object a line;
 * - X API page files: NDJSON whose first line is a `like2earn-xapi-v1` or `-v2` header (see format/page-file.ts).
 * Every file is read line by line; no file is loaded whole.
 */
import { stat } from "node:fs/promises";
import { InputError } from "../errors";
import { EngagementTableBuilder, type EngagementTable } from "../engagements";
import type { UnlistedCount } from "../format/page-file";
import { readCsvRows, readLines } from "./lines";
import { ENGAGEMENT_COLUMNS, pushEngagementRow } from "./rows";
import { isXApiHeader, parseXApiHeader, XApiPageReader } from "./xapi";
import { parseJsonText } from "../json-locate";

export interface IngestOptions {
  /** Name of a file in messages (default: the path as given). */
  readonly displayName?: (path: string) => string;
  /** Called as bytes are read: total bytes read so far over all files, and the total size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Called for each v2 page file whose post's public_metrics count differs from the engagers listed. */
  readonly onUnlisted?: (count: UnlistedCount & { readonly file: string }) => void;
}

export type EngagementFileFormat = "csv" | "ndjson" | "xapi";

/** Reads one file into the builder; returns the format it found. */
export async function ingestFile(
  builder: EngagementTableBuilder,
  path: string,
  file = path,
  onBytes?: (bytes: number) => void,
  onUnlisted?: IngestOptions["onUnlisted"],
): Promise<EngagementFileFormat> {
  if (path.toLowerCase().endsWith(".csv")) {
    for await (const { values, line } of readCsvRows(path, ENGAGEMENT_COLUMNS, file, onBytes)) {
      pushEngagementRow(builder, (f) => values[ENGAGEMENT_COLUMNS.indexOf(f)], file, line);
    }
    return "csv";
  }

  let format: EngagementFileFormat | undefined;
  let xapi: XApiPageReader | undefined;
  for await (const { text, line } of readLines(path, onBytes)) {
    if (text.trim() === "") continue;
    if (format === "xapi") {
      xapi!.page(text, line);
      continue;
    }
    const json = parseJsonText(text, file, line - 1, "(row)");
    if (format === undefined) {
      if (isXApiHeader(json)) {
        format = "xapi";
        xapi = new XApiPageReader(parseXApiHeader(json, file, line), builder, file, onUnlisted);
        continue;
      }
      format = "ndjson";
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new InputError({ file, line, field: "(row)" }, `expected an object {${ENGAGEMENT_COLUMNS.join(", ")}}`);
    }
    const o = json as Record<string, unknown>;
    pushEngagementRow(builder, (f) => o[f], file, line);
  }
  xapi?.finish();
  return format ?? "ndjson";
}

/**
 * Reads engagement files (CSV, NDJSON or X API pages, see above) into one table.
 * Throws an {@link InputError} naming file, line and field on the first bad value.
 */
export async function ingestEngagements(paths: readonly string[], options: IngestOptions = {}): Promise<EngagementTable> {
  const builder = new EngagementTableBuilder();
  const sizes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  for (let i = 0; i < paths.length; i++) {
    const base = before;
    await ingestFile(
      builder,
      paths[i],
      options.displayName?.(paths[i]) ?? paths[i],
      options.onProgress ? (b) => options.onProgress!(base + b, total) : undefined,
      options.onUnlisted,
    );
    before += sizes[i];
  }
  options.onProgress?.(total, total);
  return builder.build();
}
