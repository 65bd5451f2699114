/**
 * Line numbers for JSON paths, so that schema errors in a JSON file can name the line of the field. Values come
 * from `JSON.parse` (strict JSON); positions from jsonc-parser's syntax tree (`parseTree`, which keeps going past
 * errors, so a partly valid file still locates its fields).
 */
import { parse, parseTree, type Node, type ParseError } from "jsonc-parser";
import { InputError } from "./errors";

export type JsonPath = readonly PropertyKey[];

/** Maps a JSON path to the 1-based line of its key (object member) or value (array element). */
export type JsonLocator = (path: JsonPath) => number;

/** 1-based line of each offset of `text`. */
function lineOf(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) newlines.push(i);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/**
 * The locator of `text`: the line of the path's key (or array element), else of the deepest part of the path that
 * exists (a missing field is reported where its object is), else line 1. A repeated key: its last occurrence, the
 * one `JSON.parse` keeps.
 */
export function locateJson(text: string): JsonLocator {
  const root = parseTree(text, [], { disallowComments: true });
  const lineAt = lineOf(text);
  return (path) => {
    if (!root) return 1;
    let node: Node | undefined = root;
    let offset = root.offset;
    for (const segment of path) {
      if (node?.type === "object") {
        const members: Node[] = node.children ?? [];
        let member: Node | undefined;
        for (let m = members.length - 1; m >= 0 && !member; m--) if (members[m].children?.[0]?.value === String(segment)) member = members[m];
        if (!member) break;
        offset = member.offset;
        node = member.children?.[1];
      } else if (node?.type === "array" && typeof segment === "number") {
        const element: Node | undefined = node.children?.[segment];
        if (!element) break;
        offset = element.offset;
        node = element;
      } else break;
    }
    return lineAt(offset);
  };
}

/** Dotted field name of a path: `like2earn.kUser.tiers.1.min`. */
export function fieldName(path: JsonPath): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/**
 * `JSON.parse` with an {@link InputError} naming the file and the line of the syntax error (found by jsonc-parser).
 * `lineOffset` is added to the reported line (for one JSON value per line of a bigger file).
 */
export function parseJsonText(text: string, file: string, lineOffset = 0, field = "(json)"): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    // jsonc-parser's first error is where JSON stops being valid; JSON.parse's own position is the fallback.
    const pos = errors[0]?.offset ?? Number(/position (\d+)/.exec(msg)?.[1] ?? 0);
    throw new InputError({ file, line: lineOf(text)(pos) + lineOffset, field }, `not valid JSON (${msg})`, { cause: e });
  }
}
