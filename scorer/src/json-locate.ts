/**
 * Line numbers for JSON paths, so that schema errors in a JSON file can name the line of the field.
 * Values come from `JSON.parse`; this scanner only records where each member starts.
 */
import { InputError } from "./errors";

export type JsonPath = readonly PropertyKey[];

/** Maps a JSON path to the 1-based line of its key (object member) or value (array element). */
export type JsonLocator = (path: JsonPath) => number;

const key = (path: JsonPath): string => path.map(String).join("\u0000");

export function locateJson(text: string): JsonLocator {
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) newlines.push(i);
  const lineAt = (pos: number): number => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const where = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: PropertyKey[], depth: number): void => {
    if (depth > 200) throw new Error("too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      for (;;) {
        ws();
        if (text[i] === "}") { i++; return; }
        if (text[i] !== '"') throw new Error("bad key");
        const at = i;
        const k = str();
        const p = [...path, k];
        where.set(key(p), lineAt(at));
        ws();
        if (text[i] !== ":") throw new Error("bad colon");
        i++;
        value(p, depth + 1);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") { i++; return; }
        else throw new Error("bad object");
      }
    } else if (c === "[") {
      i++;
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === "]") { i++; return; }
        const p = [...path, n];
        where.set(key(p), lineAt(i));
        value(p, depth + 1);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") { i++; return; }
        else throw new Error("bad array");
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !",]} \n\r\t".includes(text[i])) i++;
    }
  };
  try {
    ws();
    where.set(key([]), lineAt(i));
    value([], 0);
  } catch {
    // Malformed JSON: JSON.parse reports it; we keep what we located so far.
  }
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const line = where.get(key(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return 1;
  };
}

/** Dotted field name of a path: `like2earn.kUser.tiers.1.min`. */
export function fieldName(path: JsonPath): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/**
 * `JSON.parse` with an {@link InputError} naming the file and the line of the syntax error.
 * `lineOffset` is added to the reported line (for one JSON value per line of a bigger file).
 */
export function parseJsonText(text: string, file: string, lineOffset = 0, field = "(json)"): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    let line = 1;
    const lineCol = /line (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    if (lineCol) line = Number(lineCol[1]);
    else if (pos) line = text.slice(0, Number(pos[1])).split("\n").length;
    throw new InputError({ file, line: line + lineOffset, field }, `not valid JSON (${msg})`, { cause: e });
  }
}
