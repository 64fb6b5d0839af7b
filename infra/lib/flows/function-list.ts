import { SALESFORCE_FUNCTIONS, arnOutputKey } from '../function-catalog';

/** One function as the flow language sees it: its package name, the `sf_operation` values it serves, its stack output. */
export interface FlowFunction {
  /** Package name, e.g. `sf-phone-lookup`; the key of a plain ARN map. */
  readonly name: string;
  /** The `sf_operation` values the function serves, e.g. `lookup`, `lookup_all`. */
  readonly operations: readonly string[];
  /** The stack output that carries its ARN, e.g. `SfPhoneLookupArn`; also the placeholder name in a sample flow. */
  readonly outputKey: string;
}

/** `sf-phone-lookup` → `SfPhoneLookupArn`, the stack's output key for the function's ARN. */
export function outputKeyOf(name: string): string {
  return arnOutputKey(name);
}

/** The functions and the operations each serves, from the catalogue (`functions.json`). */
export function loadFunctionList(): FlowFunction[] {
  return SALESFORCE_FUNCTIONS.map((f) => ({ name: f.name, operations: f.operations, outputKey: arnOutputKey(f.name) }));
}
