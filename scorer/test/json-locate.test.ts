/**
 * json-locate on jsonc-parser: the line of every field of any pretty-printed JSON (keys with escapes, nested
 * arrays and objects), the deepest existing part of a missing path, repeated keys, CRLF, and syntax errors.
 */
import { expect } from "chai";
import fc from "fast-check";
import { InputError } from "../src/errors";
import { fieldName, locateJson, parseJsonText, type JsonPath } from "../src/json-locate";

/** Where JSON.stringify(value, null, 2) puts each path: containers open on their line, every child on the next. */
function expectedLines(value: unknown): { path: JsonPath; line: number }[] {
  const out: { path: JsonPath; line: number }[] = [{ path: [], line: 1 }];
  let line = 1;
  const walk = (v: unknown, path: PropertyKey[]): void => {
    if (v === null || typeof v !== "object") return;
    const entries: [PropertyKey, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    if (entries.length === 0) return;
    for (const [k, child] of entries) {
      line++;
      out.push({ path: [...path, k], line });
      walk(child, [...path, k]);
    }
    line++; // the closing bracket
  };
  walk(value, []);
  return out;
}

describe("json-locate (jsonc-parser)", function () {
  it("gives the line of every key and array element of pretty-printed JSON", function () {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value, null, 2);
        const locate = locateJson(text);
        // Object.entries order (integer-like keys first) is the order JSON.stringify writes.
        for (const { path, line } of expectedLines(JSON.parse(text))) expect(locate(path), fieldName(path)).to.equal(line);
      }),
      { numRuns: 300 },
    );
  });

  it("reports a missing field at the deepest part of its path that exists", function () {
    const text = '{\n  "a": {\n    "b": [\n      1,\n      {"c": 2}\n    ]\n  }\n}';
    const at = locateJson(text);
    expect(at(["a", "b", 1, "c"])).to.equal(5);
    expect(at(["a", "b", 1, "missing"])).to.equal(5);
    expect(at(["a", "b", 7])).to.equal(3);
    expect(at(["a", "x", "y"])).to.equal(2);
    expect(at(["nothing"])).to.equal(1);
  });

  it("takes the last of repeated keys (the value JSON.parse keeps), escaped keys and CRLF line ends", function () {
    const text = '{\r\n  "k": 1,\r\n  "k": 2,\r\n  "q\\"\\u00e9": 3\r\n}';
    expect(JSON.parse(text).k).to.equal(2);
    const at = locateJson(text);
    expect(at(["k"])).to.equal(3);
    expect(at(['q"é'])).to.equal(4);
  });

  it("still locates the fields before a syntax error, and names the line of the error", function () {
    const text = '{\n  "good": 1,\n  "bad": [1,,\n}';
    expect(locateJson(text)(["good"])).to.equal(2);
    let error: unknown;
    try {
      parseJsonText(text, "c.json");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).line).to.equal(3);
    expect((error as InputError).message).to.match(/^c\.json:3 field "\(json\)": not valid JSON/);
    expect(() => parseJsonText('{"a": 1}\n', "x.ndjson", 9)).to.not.throw();
    expect(() => parseJsonText("{oops", "x.ndjson", 9, "(row)")).to.throw(InputError, /^x\.ndjson:10 field "\(row\)": not valid JSON/);
  });
});
