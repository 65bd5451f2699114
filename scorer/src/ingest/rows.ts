/** Validation of one engagement row (NDJSON object or CSV record). */
import { InputError, show } from "../errors";
import { ENGAGEMENT_TYPES, EngagementTableBuilder, TYPE_INDEX, isEngagementType } from "../engagements";
import { userIdProblem } from "./participants";
import { isoTimeProblem, parseIsoTime } from "../time";

export const ENGAGEMENT_COLUMNS = ["id", "type", "contentId", "contentAuthorId", "userId", "timestamp"] as const;

/**
 * Validates one row and appends it to the builder. `get` returns a field's raw value; the error
 * names `file`, `line` and the field.
 */
export function pushEngagementRow(
  builder: EngagementTableBuilder,
  get: (field: (typeof ENGAGEMENT_COLUMNS)[number]) => unknown,
  file: string,
  line: number,
): void {
  const ids: string[] = [];
  for (const f of ["id", "contentId", "contentAuthorId", "userId"] as const) {
    const v = get(f);
    const problem = userIdProblem(v);
    if (problem) throw new InputError({ file, line, field: f }, problem);
    ids.push(v as string);
  }
  const type = get("type");
  if (!isEngagementType(type)) {
    throw new InputError(
      { file, line, field: "type" },
      type === undefined || type === "" ? "missing" : `${show(type)} is not an engagement type; expected one of ${ENGAGEMENT_TYPES.join(", ")}`,
    );
  }
  const ts = get("timestamp");
  if (ts === undefined || ts === null || ts === "") throw new InputError({ file, line, field: "timestamp" }, "missing");
  const time = typeof ts === "string" ? parseIsoTime(ts) : undefined;
  if (time === undefined) {
    throw new InputError({ file, line, field: "timestamp" }, typeof ts === "string" ? isoTimeProblem(ts) : `${show(ts)} is not an ISO 8601 date-time (like 2025-01-06T10:00:00Z)`);
  }
  builder.push(ids[0], TYPE_INDEX[type], ids[1], ids[2], ids[3], time, false, { file, line });
}
