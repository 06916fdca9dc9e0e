/**
 * Splits a text holding JSON objects (one per line, or pretty-printed over many lines, or back to back) mixed with
 * other lines (a bench's own prints) into the objects. JSON.parse reads one value, not a stream, so this finds
 * each candidate's end by tracking brace depth outside strings (and escapes inside them).
 *
 * A candidate starts at a `{` that opens a line (after optional whitespace) or follows a previous value. When the
 * candidate does not parse, or never closes, it was probably a print (`{ ticks: 45 }`): scanning resumes on the
 * next line, so one stray brace cannot swallow the file. The caller decides which failures are errors.
 */
export type JsonChunk =
  | { kind: "value"; value: unknown; line: number }
  /** A `{`…`}` span that JSON.parse rejected, or (`unclosed`) a `{` whose span reached the end of the text. */
  | { kind: "bad"; text: string; line: number; problem: string; unclosed: boolean };

/** Index just past the `}` that closes the `{` at `start`, or -1 when the text ends first. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0xfeff;

export function splitJsonObjects(text: string): JsonChunk[] {
  const out: JsonChunk[] = [];
  // line numbers: count newlines incrementally as the scan moves forward
  let line = 1;
  let counted = 0;
  const lineAt = (pos: number): number => {
    for (; counted < pos; counted++) if (text.charCodeAt(counted) === 0x0a) line++;
    return line;
  };
  let i = 0;
  let atStart = true; // only whitespace since the line began or since the last value ended
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      atStart = true;
      i++;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c !== 0x7b || !atStart) {
      // a print line: skip to its end
      atStart = false;
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    const startLine = lineAt(i);
    const end = objectEnd(text, i);
    const candidate = text.slice(i, end === -1 ? text.length : end);
    let parsed: { ok: true; value: unknown } | { ok: false; problem: string };
    try {
      parsed = end === -1 ? { ok: false, problem: "the text ends before the object closes" } : { ok: true, value: JSON.parse(candidate) };
    } catch (e) {
      parsed = { ok: false, problem: (e as Error).message };
    }
    if (parsed.ok) {
      out.push({ kind: "value", value: parsed.value, line: startLine });
      i = end;
      atStart = true;
    } else {
      out.push({ kind: "bad", text: candidate, line: startLine, problem: parsed.problem, unclosed: end === -1 });
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      atStart = false;
    }
  }
  return out;
}
