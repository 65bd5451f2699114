/**
 * Streams engagement files into an {@link EngagementTable}. Three formats, chosen per file:
 * - `*.csv`: header `id,type,contentId,contentAuthorId,userId,timestamp` (any order), one row a line;
 * - NDJSON: one `{id, type, contentId, contentAuthorId, userId, timestamp}` object a line;
 * - X API page files: NDJSON whose first line is a `like2earn-xapi-v1` or `-v2` header (see format/page-file.ts).
 * Every file is read line by line; no file is loaded whole.
 */
import { InputError, InputErrors, MAX_REPORTED_INPUT_ERRORS, ScorerError } from "../errors";
import { EngagementTableBuilder, type EngagementTable } from "../engagements";
import type { UnlistedCount } from "../format/page-file";
import { forEachLine } from "./byte-lines";
import { inputFileSize, readCsvRows } from "./lines";
import { newFastRow, parseEngagementLine } from "./ndjson-fast";

export { inputFileSize };
import { ENGAGEMENT_COLUMNS, pushEngagementRow } from "./rows";
import { isXApiHeader, parseXApiHeader, XApiPageReader } from "./xapi";
import { parseJsonText } from "../json-locate";

export interface IngestOptions {
  /** Name of a file in messages (default: the path as given). */
  readonly displayName?: (path: string) => string;
  /** Called as bytes are read: total bytes read so far over all files, and the total size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  /** Called for each v2 page file whose post's public_metrics count differs from the engagers listed. */
  readonly onUnlisted?: (count: UnlistedCount & { readonly file: string }) => void;
}

export type EngagementFileFormat = "csv" | "ndjson" | "xapi";

/**
 * Gathers bad rows so one run reports up to {@link MAX_REPORTED_INPUT_ERRORS} of them; at the limit it
 * throws at once (no point reading on). Anything but an {@link InputError} is rethrown as it is.
 */
export class InputErrorCollector {
  readonly errors: InputError[] = [];

  add(e: unknown): void {
    if (!(e instanceof InputError)) throw e;
    if (e instanceof InputErrors) this.errors.push(...e.errors);
    else this.errors.push(e);
    if (this.errors.length >= MAX_REPORTED_INPUT_ERRORS) throw new InputErrors(this.errors.slice(0, MAX_REPORTED_INPUT_ERRORS), true);
  }

  /** Throws the one error, or all of them, if any was added. */
  finish(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new InputErrors(this.errors, false);
  }
}

/**
 * Reads one file into the builder; returns the format it found. Bad rows go to `collector` when one is
 * given (the caller throws them), else the file's bad rows are thrown at its end.
 */
export async function ingestFile(
  builder: EngagementTableBuilder,
  path: string,
  file = path,
  onBytes?: (bytes: number) => void,
  onUnlisted?: IngestOptions["onUnlisted"],
  collector?: InputErrorCollector,
): Promise<EngagementFileFormat> {
  const ownCollector = collector === undefined;
  const errors = collector ?? new InputErrorCollector();
  if (path.toLowerCase().endsWith(".csv")) {
    for await (const { values, line } of readCsvRows(path, ENGAGEMENT_COLUMNS, file, onBytes)) {
      try {
        pushEngagementRow(builder, (f) => values[ENGAGEMENT_COLUMNS.indexOf(f)], file, line);
      } catch (e) {
        errors.add(e);
      }
    }
    if (ownCollector) errors.finish();
    return "csv";
  }

  let format: EngagementFileFormat | undefined;
  let xapi: XApiPageReader | undefined;
  let xapiFailed = false;
  const row = newFastRow();
  // One row at a time: the byte scanner for the common shape, JSON.parse (with exact errors) otherwise.
  const onLine = (buf: Buffer, start: number, end: number, line: number): void => {
    if (format === "ndjson" && parseEngagementLine(buf, start, end, row)) {
      try {
        builder.pushSpans(buf, row.spans, row.type, row.time, file, line);
      } catch (e) {
        errors.add(e);
      }
      return;
    }
    if (xapiFailed) return; // the pages after a bad one cannot be checked against it
    const text = buf.toString("utf8", start, end);
    if (text.trim() === "") return;
    try {
      if (format === "xapi") {
        xapi!.page(text, line);
        return;
      }
      const json = parseJsonText(text, file, line - 1, "(row)");
      if (format === undefined) {
        if (isXApiHeader(json)) {
          format = "xapi";
          xapi = new XApiPageReader(parseXApiHeader(json, file, line), builder, file, onUnlisted);
          return;
        }
        format = "ndjson";
      }
      if (json === null || typeof json !== "object" || Array.isArray(json)) {
        throw new InputError({ file, line, field: "(row)" }, `expected an object {${ENGAGEMENT_COLUMNS.join(", ")}}`);
      }
      const o = json as Record<string, unknown>;
      pushEngagementRow(builder, (f) => o[f], file, line);
    } catch (e) {
      if (format === "xapi" || format === undefined) xapiFailed = true;
      if (format === undefined) format = "ndjson";
      errors.add(e);
    }
  };
  await forEachLine(path, onLine, onBytes);
  if (xapi && !xapiFailed) {
    try {
      xapi.finish();
    } catch (e) {
      errors.add(e);
    }
  }
  if (ownCollector) errors.finish();
  return format ?? "ndjson";
}

/**
 * Reads engagement files (CSV, NDJSON or X API pages, see above) into one table. Throws an
 * {@link InputError} naming file, line and field for a bad row (an {@link InputErrors} with up to 20 of
 * them when there are several), and `0 engagements read from PATH` for an NDJSON or CSV file with no row.
 */
export async function ingestEngagements(paths: readonly string[], options: IngestOptions = {}): Promise<EngagementTable> {
  const builder = new EngagementTableBuilder();
  const sizes = await Promise.all(paths.map((p) => inputFileSize(p)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const errors = new InputErrorCollector();
  let before = 0;
  for (let i = 0; i < paths.length; i++) {
    const base = before;
    const file = options.displayName?.(paths[i]) ?? paths[i];
    const errorsBefore = errors.errors.length;
    const rowsBefore = builder.length;
    const format = await ingestFile(
      builder,
      paths[i],
      file,
      options.onProgress ? (b) => options.onProgress!(base + b, total, builder.length) : undefined,
      options.onUnlisted,
      errors,
    );
    if (builder.length === rowsBefore && format !== "xapi" && errors.errors.length === errorsBefore) {
      throw new ScorerError(`0 engagements read from ${file}`, {
        details: [format === "csv" ? "the file has a header and no rows" : "the file is empty or has only blank lines"],
      });
    }
    before += sizes[i];
  }
  errors.finish();
  options.onProgress?.(total, total, builder.length);
  return builder.build();
}
