/** Streaming line readers and a strict one-line CSV splitter. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { InputError, ScorerError } from "../errors";

export interface NumberedLine {
  /** The line without its line break (and without a leading byte-order mark on line 1). */
  readonly text: string;
  /** 1-based. */
  readonly line: number;
}

/**
 * Reads a file line by line without loading it whole. `onBytes` reports the bytes read so far
 * (for a progress bar).
 */
export async function* readLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<NumberedLine> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  if (onBytes) stream.on("data", () => onBytes(stream.bytesRead));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of rl) {
      line++;
      yield { text: line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw, line };
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

/**
 * Splits one CSV line (RFC 4180 quoting: `"a ""quoted"" value"`; no line breaks inside fields).
 * Returns the fields, or a problem string.
 */
export function splitCsvLine(text: string): string[] | string {
  if (!text.includes('"')) return text.split(",");
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= text.length) return "unterminated quoted field";
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            v += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else v += text[i++];
      }
      out.push(v);
      if (i === text.length) return out;
      if (text[i] !== ",") return `unexpected character after quoted field ${out.length}`;
      i++;
    } else {
      const j = text.indexOf(",", i);
      const v = j === -1 ? text.slice(i) : text.slice(i, j);
      if (v.includes('"')) return `stray quote in field ${out.length + 1}`;
      out.push(v);
      if (j === -1) return out;
      i = j + 1;
    }
  }
}

/** Quotes a CSV field when needed. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Maps a CSV header to the expected columns (any order). Returns, for each expected column, its
 * index in a row; or a problem naming the column.
 */
export function csvColumns(header: readonly string[], expected: readonly string[]): number[] | { field: string; problem: string } {
  const names = header.map((h) => h.trim());
  for (let i = 0; i < names.length; i++) {
    if (!expected.includes(names[i])) {
      return { field: names[i] || `column ${i + 1}`, problem: `unknown column; the header must be ${expected.join(",")}` };
    }
    if (names.indexOf(names[i]) !== i) return { field: names[i], problem: "column appears twice in the header" };
  }
  const idx = expected.map((e) => names.indexOf(e));
  const missing = expected.find((_, i) => idx[i] === -1);
  if (missing) return { field: missing, problem: `missing column; the header must be ${expected.join(",")}` };
  return idx;
}

/** One data row of a CSV file: its values in the order of the expected columns, and its line. */
export interface CsvRow {
  readonly values: readonly string[];
  /** 1-based. */
  readonly line: number;
}

/**
 * Streams a CSV file whose header names `columns` (any order) and yields each data row's values in the
 * order of `columns`. Blank lines are skipped. Errors name file, line and field: a malformed line, a bad
 * header, a row whose column count differs from the header's (naming the first missing column), an
 * empty file.
 */
export async function* readCsvRows(
  path: string,
  columns: readonly string[],
  file = path,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CsvRow> {
  let cols: number[] | undefined;
  for await (const { text, line } of readLines(path, onBytes)) {
    if (text.trim() === "") continue;
    const fields = splitCsvLine(text);
    if (typeof fields === "string") throw new InputError({ file, line, field: "(row)" }, fields);
    if (!cols) {
      const c = csvColumns(fields, columns);
      if (!Array.isArray(c)) throw new InputError({ file, line, field: c.field }, c.problem);
      cols = c;
      continue;
    }
    if (fields.length !== cols.length) {
      const missing = fields.length < cols.length ? columns[cols.indexOf(fields.length)] : undefined;
      throw new InputError({ file, line, field: missing ?? "(row)" }, `row has ${fields.length} columns, the header has ${cols.length}`);
    }
    yield { values: cols.map((i) => fields[i]), line };
  }
  if (!cols) throw new InputError({ file, line: 1, field: "(header)" }, `empty file: expected the header ${columns.join(",")}`);
}

/** `file not found: PATH` / `PATH is a directory` rather than a bare ENOENT / EISDIR. */
export async function inputFileSize(path: string): Promise<number> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScorerError(code === "ENOENT" ? `file not found: ${path}` : `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (s.isDirectory()) throw new ScorerError(`${path} is a directory`, { details: ["expected a file (for many engagement files, a shell glob like dir/*.ndjson works)"] });
  return s.size;
}

