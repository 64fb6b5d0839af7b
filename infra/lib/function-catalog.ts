// `functions.json` is the one list of functions (sf-core's tests keep it in
// step with the operations). Imported rather than read with fs: tsc then
// copies it to dist/functions.json, the same `../functions.json` from this
// file's compiled twin, so the package works from lib/ (ts-node) and dist/lib.
import catalogue from '../functions.json';

/** One Lambda function, as `functions.json` lists it. */
export interface SalesforceFunction {
  /**
   * The Cargo package and binary, and so the directory that `cargo lambda
   * build` writes under `target/lambda/`, e.g. `sf-phone-lookup`.
   */
  readonly name: string;
  /** The CloudFormation logical-id stem and the stack output `<id>Arn`: the name in PascalCase, e.g. `SfPhoneLookup`. */
  readonly id: string;
  /** The `sf_operation` values the function serves. */
  readonly operations: readonly string[];
  /** A sample Connect event for it, relative to the repository root. */
  readonly event: string;
  readonly description: string;
}

/** A function's package name, e.g. `sf-phone-lookup`. */
export type SalesforceFunctionName = string;

/** `sf-phone-lookup` → `SfPhoneLookup`. */
function pascalCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Every function, in the order `functions.json` lists them. */
export const SALESFORCE_FUNCTIONS: readonly SalesforceFunction[] = catalogue.functions.map((f) => ({
  name: f.name,
  id: pascalCase(f.name),
  operations: f.operations,
  event: f.event,
  description: f.description,
}));

export const SALESFORCE_FUNCTION_NAMES: readonly SalesforceFunctionName[] = SALESFORCE_FUNCTIONS.map((f) => f.name);

/** The stack output key that carries a function's ARN, e.g. `SfPhoneLookupArn`. */
export function arnOutputKey(name: SalesforceFunctionName): string {
  const entry = SALESFORCE_FUNCTIONS.find((f) => f.name === name);
  if (!entry) {
    throw new Error(`unknown function ${name}`);
  }
  return `${entry.id}Arn`;
}

/**
 * The functions the `functions` prop names, each by its name or by an
 * `sf_operation` it serves, in the catalogue's order; every function when it
 * names none. Throws naming what it does not know.
 */
export function selectFunctions(names: readonly string[] | undefined): SalesforceFunction[] {
  if (names === undefined) return [...SALESFORCE_FUNCTIONS];
  if (names.length === 0) {
    throw new Error('functions names no function: leave it out to deploy them all');
  }
  const chosen = new Set<SalesforceFunction>();
  for (const name of names) {
    const found = SALESFORCE_FUNCTIONS.find((f) => f.name === name || f.operations.includes(name));
    if (found === undefined) {
      const known = SALESFORCE_FUNCTIONS.map((f) => `${f.name} (${f.operations.join(', ')})`).join(', ');
      throw new Error(`functions names ${JSON.stringify(name)}, which is neither a function nor an operation; expected one of ${known}`);
    }
    chosen.add(found);
  }
  return SALESFORCE_FUNCTIONS.filter((f) => chosen.has(f));
}
