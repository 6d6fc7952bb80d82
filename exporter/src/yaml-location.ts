import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** 1-based line and column of a place in a YAML file. */
export interface Location {
  line: number;
  column: number;
}

/**
 * Where a validation issue lives in the YAML source. Walks the document along `path` as far as it
 * exists, so a missing key points at the mapping that lacks it and an unknown key at the key itself.
 */
export function locateInYaml(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], key?: string): Location {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  const steps: PropertyKey[] = key === undefined ? [...path] : [...path, key];
  for (const step of steps) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      if (keyStart !== undefined) offset = keyStart;
      // Stop at the key when the value is empty or when the key itself is what is wrong.
      if (pair.value === null || pair.value === undefined) break;
      node = pair.value;
      if (step !== key) offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** `nodes[2].owned.capex`: a readable form of a validation path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? String(step) : `.${String(step)}`;
  }
  return out;
}
