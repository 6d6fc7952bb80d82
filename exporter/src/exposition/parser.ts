/**
 * Strict parser for the Prometheus text exposition format (version 0.0.4).
 *
 * Hand-written rather than taken from npm: the parsers there accept invalid input and silently
 * drop lines, and this one runs on every scrape of every target, so it has to be both strict and
 * fast. It walks the text with `charCodeAt` (no regular expressions, no splitting of the body into
 * lines), visiting each character a bounded number of times, so its cost stays linear in the input
 * size. The caller limits the body size; the parser limits how many error messages it keeps.
 *
 * A malformed line is reported as `"<origin>:<line>: <reason>"` and skipped; parsing continues
 * with the next line. Deliberate leniencies, all for real dcgm-exporter output:
 * - a backslash in a label value that does not start a valid escape (`\\`, `\"`, `\n`) is kept
 *   literally, because dcgm-exporter does not escape pod label values;
 * - blanks are allowed around `=` and `,` inside the braces and a trailing `,` before `}`;
 * - CRLF line ends, blank lines, a missing final newline and an empty HELP text are accepted.
 * An optional timestamp after the value is validated and ignored (the exporter sets no timestamps).
 */

export interface ParsedSample {
  name: string;
  /**
   * Own enumerable properties only; a label named `__proto__` is stored as data like any other.
   * Samples with the same label block share one object, so it is read-only.
   */
  labels: Readonly<Record<string, string>>;
  value: number;
  /** 1-based line of the input this sample came from. */
  lineNumber: number;
}

export interface ParseResult {
  samples: ParsedSample[];
  /** Metric family name → type as written in its TYPE line. */
  types: Map<string, string>;
  /** Metric family name → unescaped HELP text. */
  helps: Map<string, string>;
  /** `"<origin>:<line>: <reason>"`, at most `maxErrors` of them plus one summary line. */
  errors: string[];
}

export interface ParseOptions {
  /** Error messages kept before the rest are only counted (hostile input must not exhaust memory). */
  maxErrors?: number;
}

const DEFAULT_MAX_ERRORS = 100;
/** Bounds the memory the label-block cache can take on hostile input with unique blocks. */
const MAX_SHARED_LABEL_SETS = 10_000;
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
const VALID_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

const TAB = 9;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const EQUALS = 61;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Thrown inside one line and caught by the line loop; never escapes the parser. Not an Error, so a
 * body full of bad lines costs no stack traces.
 */
class LineError {
  constructor(readonly reason: string) {}
}

export function parseExposition(text: string, origin: string, options: ParseOptions = {}): ParseResult {
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const result: ParseResult = { samples: [], types: new Map(), helps: new Map(), errors: [] };
  let droppedErrors = 0;
  // Label blocks already parsed, by their exact text: dcgm-exporter repeats each device's block
  // for every field, and reusing the parsed object is several times cheaper than parsing it again.
  const labelSets = new Map<string, Record<string, string>>();
  const length = text.length;
  let lineStart = 0;
  let lineNumber = 0;

  while (lineStart < length) {
    lineNumber++;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    const next = lineEnd + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    try {
      parseLine(text, lineStart, lineEnd, lineNumber, result, labelSets);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      if (result.errors.length < maxErrors) result.errors.push(`${origin}:${lineNumber}: ${error.reason}`);
      else droppedErrors++;
    }
    lineStart = next;
  }
  if (droppedErrors > 0) {
    result.errors.push(`${origin}: ${droppedErrors} more malformed line(s) not listed`);
  }
  return result;
}

function parseLine(
  text: string,
  start: number,
  end: number,
  lineNumber: number,
  result: ParseResult,
  labelSets: Map<string, Record<string, string>>,
): void {
  let pos = skipBlanks(text, start, end);
  if (pos === end) return;
  if (text.charCodeAt(pos) === HASH) {
    parseComment(text, pos + 1, end, result);
    return;
  }

  const nameEnd = scanMetricName(text, pos, end);
  if (nameEnd === pos) throw new LineError(`invalid metric name at column ${pos - start + 1}`);
  const name = text.slice(pos, nameEnd);
  pos = nameEnd;

  let labels: Readonly<Record<string, string>> = NO_LABELS;
  if (pos < end && text.charCodeAt(pos) === OPEN_BRACE) {
    const blockEnd = scanLabelBlock(text, pos + 1, end);
    const block = blockEnd === -1 ? undefined : text.slice(pos, blockEnd);
    const known = block === undefined ? undefined : labelSets.get(block);
    if (known !== undefined) {
      labels = known;
      pos = blockEnd;
    } else {
      const parsed: Record<string, string> = {};
      pos = parseLabels(text, pos + 1, end, parsed);
      if (block !== undefined && labelSets.size < MAX_SHARED_LABEL_SETS) labelSets.set(block, parsed);
      labels = parsed;
    }
  }

  const afterName = pos;
  pos = skipBlanks(text, pos, end);
  if (pos === end) throw new LineError(`missing value for ${name}`);
  if (pos === afterName) throw new LineError(`unexpected character after ${name}`);
  const valueEnd = scanToken(text, pos, end);
  const value = parseValue(text, pos, valueEnd);
  if (value === undefined) {
    throw new LineError(`invalid value "${excerpt(text, pos, valueEnd)}" for ${name}`);
  }

  pos = skipBlanks(text, valueEnd, end);
  if (pos < end) {
    const timestampEnd = scanToken(text, pos, end);
    if (!isInteger(text, pos, timestampEnd)) {
      throw new LineError(`invalid timestamp "${excerpt(text, pos, timestampEnd)}" for ${name}`);
    }
    if (skipBlanks(text, timestampEnd, end) < end) throw new LineError(`unexpected text after timestamp of ${name}`);
  }

  result.samples.push({ name, labels, value, lineNumber });
}

/**
 * Position after the `}` that closes a label block starting after `{`, honouring quotes and
 * backslashes, or -1. Only finds the extent; parseLabels validates the content.
 */
function scanLabelBlock(text: string, start: number, end: number): number {
  let inQuotes = false;
  for (let pos = start; pos < end; pos++) {
    const c = text.charCodeAt(pos);
    if (inQuotes) {
      if (c === BACKSLASH) pos++;
      else if (c === QUOTE) inQuotes = false;
    } else if (c === QUOTE) {
      inQuotes = true;
    } else if (c === CLOSE_BRACE) {
      return pos + 1;
    }
  }
  return -1;
}

/** Parses `name="value", …}` starting after `{`; returns the position after `}`. */
function parseLabels(text: string, start: number, end: number, labels: Record<string, string>): number {
  let pos = skipBlanks(text, start, end);
  while (true) {
    if (pos === end) throw new LineError('unterminated label set');
    if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;

    const nameEnd = scanLabelName(text, pos, end);
    if (nameEnd === pos) throw new LineError(`invalid label name at "${excerpt(text, pos, end)}"`);
    const labelName = text.slice(pos, nameEnd);
    pos = skipBlanks(text, nameEnd, end);
    if (pos === end || text.charCodeAt(pos) !== EQUALS) throw new LineError(`expected "=" after label ${labelName}`);
    pos = skipBlanks(text, pos + 1, end);
    if (pos === end || text.charCodeAt(pos) !== QUOTE)
      throw new LineError(`expected quoted value for label ${labelName}`);

    const valueStart = pos + 1;
    const closing = findClosingQuote(text, valueStart, end);
    if (closing === -1) throw new LineError(`unterminated value for label ${labelName}`);
    if (Object.hasOwn(labels, labelName)) throw new LineError(`duplicate label ${labelName}`);
    const labelValue = unescapeLabelValue(text, valueStart, closing);
    // Plain objects are much faster than null-prototype ones; the one name that would hit the
    // prototype setter instead of becoming data is defined explicitly.
    if (labelName === '__proto__') {
      Object.defineProperty(labels, labelName, {
        value: labelValue,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      labels[labelName] = labelValue;
    }

    pos = skipBlanks(text, closing + 1, end);
    if (pos === end) throw new LineError('unterminated label set');
    const c = text.charCodeAt(pos);
    if (c === COMMA) pos = skipBlanks(text, pos + 1, end);
    else if (c !== CLOSE_BRACE) throw new LineError(`expected "," or "}" after label ${labelName}`);
  }
}

/** Position of the quote that ends a label value, or -1. A backslash always consumes the next character. */
function findClosingQuote(text: string, start: number, end: number): number {
  let pos = start;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE) return pos;
    pos += c === BACKSLASH ? 2 : 1;
  }
  return -1;
}

function unescapeLabelValue(text: string, start: number, end: number): string {
  const firstBackslash = findBackslash(text, start, end);
  return firstBackslash === -1 ? text.slice(start, end) : unescapeFrom(text, start, end, firstBackslash, true);
}

/** Bounded search: `indexOf` would scan past `end` to the end of the body and make parsing quadratic. */
function findBackslash(text: string, start: number, end: number): number {
  for (let pos = start; pos < end; pos++) if (text.charCodeAt(pos) === BACKSLASH) return pos;
  return -1;
}

/**
 * Resolves `\\`, `\n` and (in label values) `\"`. Any other backslash is kept literally together
 * with the character after it: dcgm-exporter writes pod labels unescaped.
 */
function unescapeFrom(text: string, start: number, end: number, firstBackslash: number, quoteEscape: boolean): string {
  let out = text.slice(start, firstBackslash);
  let pos = firstBackslash;
  let chunkStart = pos;
  while (pos < end) {
    if (text.charCodeAt(pos) !== BACKSLASH || pos + 1 >= end) {
      pos++;
      continue;
    }
    const next = text.charCodeAt(pos + 1);
    let replacement: string | undefined;
    if (next === BACKSLASH) replacement = '\\';
    else if (next === 110 /* n */) replacement = '\n';
    else if (quoteEscape && next === QUOTE) replacement = '"';
    if (replacement === undefined) {
      pos += 2;
      continue;
    }
    out += text.slice(chunkStart, pos) + replacement;
    pos += 2;
    chunkStart = pos;
  }
  return out + text.slice(chunkStart, end);
}

function parseComment(text: string, start: number, end: number, result: ParseResult): void {
  let pos = skipBlanks(text, start, end);
  const keywordEnd = scanToken(text, pos, end);
  const keyword = text.slice(pos, keywordEnd);
  if (keyword !== 'HELP' && keyword !== 'TYPE') return; // an ordinary comment

  pos = skipBlanks(text, keywordEnd, end);
  const nameEnd = scanMetricName(text, pos, end);
  if (nameEnd === pos) throw new LineError(`${keyword} line without a valid metric name`);
  if (nameEnd < end && !isBlank(text.charCodeAt(nameEnd)))
    throw new LineError(`invalid metric name in ${keyword} line`);
  const name = text.slice(pos, nameEnd);
  pos = skipBlanks(text, nameEnd, end);

  if (keyword === 'HELP') {
    if (result.helps.has(name)) throw new LineError(`second HELP line for ${name}`);
    const backslash = findBackslash(text, pos, end);
    const help = backslash === -1 ? text.slice(pos, end) : unescapeFrom(text, pos, end, backslash, false);
    result.helps.set(name, help);
    return;
  }

  const typeEnd = scanToken(text, pos, end);
  const type = text.slice(pos, typeEnd);
  if (!VALID_TYPES.has(type)) throw new LineError(`invalid type "${excerpt(text, pos, typeEnd)}" for ${name}`);
  if (skipBlanks(text, typeEnd, end) < end) throw new LineError(`unexpected text after TYPE of ${name}`);
  if (result.types.has(name)) throw new LineError(`second TYPE line for ${name}`);
  result.types.set(name, type);
}

/**
 * Accepts what Go's strconv.ParseFloat accepts for decimal input, which is what Prometheus uses:
 * an optionally signed decimal with optional fraction and exponent, NaN and [+-]Inf(inity) in any
 * case. Hexadecimal floats are rejected (no exporter writes them).
 */
function parseValue(text: string, start: number, end: number): number | undefined {
  if (start === end) return undefined;
  let pos = start;
  let sign = 1;
  const first = text.charCodeAt(pos);
  if (first === PLUS || first === MINUS) {
    if (first === MINUS) sign = -1;
    pos++;
  }
  const word = text.slice(pos, end).toLowerCase();
  if (word === 'inf' || word === 'infinity') return sign * Infinity;
  if (word === 'nan') return pos === start ? NaN : undefined;

  let digits = 0;
  while (pos < end && isDigit(text.charCodeAt(pos))) {
    pos++;
    digits++;
  }
  if (pos < end && text.charCodeAt(pos) === DOT) {
    pos++;
    while (pos < end && isDigit(text.charCodeAt(pos))) {
      pos++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if (pos < end && (text.charCodeAt(pos) | 0x20) === 101 /* e */) {
    pos++;
    const c = text.charCodeAt(pos);
    if (c === PLUS || c === MINUS) pos++;
    const exponentStart = pos;
    while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
    if (pos === exponentStart) return undefined;
  }
  if (pos !== end) return undefined;
  return Number(text.slice(start, end));
}

function isInteger(text: string, start: number, end: number): boolean {
  let pos = start;
  const c = text.charCodeAt(pos);
  if (c === PLUS || c === MINUS) pos++;
  if (pos === end) return false;
  for (; pos < end; pos++) if (!isDigit(text.charCodeAt(pos))) return false;
  return true;
}

function scanMetricName(text: string, start: number, end: number): number {
  if (start >= end) return start;
  const first = text.charCodeAt(start);
  if (!isNameStart(first) && first !== COLON) return start;
  let pos = start + 1;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (!isNameStart(c) && !isDigit(c) && c !== COLON) break;
    pos++;
  }
  return pos;
}

function scanLabelName(text: string, start: number, end: number): number {
  if (start >= end || !isNameStart(text.charCodeAt(start))) return start;
  let pos = start + 1;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (!isNameStart(c) && !isDigit(c)) break;
    pos++;
  }
  return pos;
}

/** End of the run of non-blank characters starting at `start`. */
function scanToken(text: string, start: number, end: number): number {
  let pos = start;
  while (pos < end && !isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

function skipBlanks(text: string, start: number, end: number): number {
  let pos = start;
  while (pos < end && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE;
}

/** A short, single-line piece of the input for error messages. */
function excerpt(text: string, start: number, end: number): string {
  const piece = text.slice(start, Math.min(end, start + 40));
  return end - start > 40 ? `${piece}…` : piece;
}
