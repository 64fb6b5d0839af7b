import * as fs from 'node:fs';
import * as path from 'node:path';

/** One function of `functions.json`: its package name, the `sf_operation` values it serves, its stack output. */
export interface FlowFunction {
  /** Package name, e.g. `sf-phone-lookup`; the key of a plain ARN map. */
  readonly name: string;
  /** The `sf_operation` values the function serves, e.g. `lookup`, `lookup_all`. */
  readonly operations: readonly string[];
  /** The stack output that carries its ARN, e.g. `SfPhoneLookupArn`; also the placeholder name in a sample flow. */
  readonly outputKey: string;
}

/**
 * `functions.json` sits at the package root: two levels up from `lib/flows/`
 * when run from source, three from `dist/lib/flows/` when compiled.
 */
function functionsFile(): string {
  const candidates = [path.resolve(__dirname, '..', '..', 'functions.json'), path.resolve(__dirname, '..', '..', '..', 'functions.json')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) {
    throw new Error(`functions.json not found (looked at ${candidates.join(', ')})`);
  }
  return found;
}

/** `sf-phone-lookup` → `SfPhoneLookupArn`, the stack's output key for the function's ARN. */
export function outputKeyOf(name: string): string {
  return `${name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Arn`;
}

/** The functions and the operations each serves, from the package's `functions.json`. */
export function loadFunctionList(file: string = functionsFile()): FlowFunction[] {
  const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { functions?: { name: string; operations: string[] }[] };
  if (!Array.isArray(document.functions)) {
    throw new Error(`${file}: expected {"functions": [...]}`);
  }
  return document.functions.map((f) => ({ name: f.name, operations: f.operations, outputKey: outputKeyOf(f.name) }));
}
