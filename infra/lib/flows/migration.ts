import { applyEdits, Edit, Node } from 'jsonc-parser';
import { ArnMap } from './arn-map';
import { FlowFunction } from './function-list';
import { isDynamic, lambdaBlocks, pointBlockAt } from './lambda-blocks';

/** The parameter by which a flow told the single `sfInvokeAPI` function which operation to run. */
export const OPERATION_PARAMETER = 'sf_operation';

/** The ARN pattern of the older function when none is given. */
export const DEFAULT_PATTERN = 'sfInvokeAPI';

/** A block now pointing at the function of its operation. */
export interface MigratedBlock {
  readonly identifier: string;
  readonly operation: string;
  readonly function: string;
  readonly oldArn: string;
  readonly newArn: string;
}

/** Why a block that may call the older function was left as it was. */
export type LeftReason = 'dynamic-arn' | 'missing-operation' | 'dynamic-operation' | 'unknown-operation' | 'no-arn-in-map';

/** A block left as it was that a person has to look at. */
export interface LeftBlock {
  readonly identifier: string;
  readonly reason: LeftReason;
  /** The reason in words, with the value that caused it. */
  readonly detail: string;
  readonly arn: unknown;
  readonly operation?: unknown;
}

/**
 * A block calling some other function (or already one of ours, or one chosen at run time
 * without `sf_operation`): not part of the migration.
 */
export interface UntouchedBlock {
  readonly identifier: string;
  readonly arn: string;
  /** Set when the ARN is already that of one of our functions. */
  readonly function?: string;
}

export interface FlowMigration {
  /** The migrated flow-language text (the input text when nothing changed). */
  readonly flowText: string;
  readonly migrated: MigratedBlock[];
  readonly left: LeftBlock[];
  readonly untouched: UntouchedBlock[];
}

export interface MigrationOptions {
  /** Matches the ARNs of the older function. */
  readonly pattern: RegExp;
  readonly functions: readonly FlowFunction[];
  readonly arns: ArnMap;
}

/**
 * Points every block that calls the older function (its ARN matches `pattern`) at the function
 * serving its static `sf_operation`, and says what it did with every Lambda block of the flow.
 * `sf_operation` stays in the block: the functions accept their own operation there.
 */
export function migrateFlow(flowText: string, flow: Node, options: MigrationOptions): FlowMigration {
  const ours = new Map([...options.arns].map(([name, arn]) => [arn, name]));
  const migrated: MigratedBlock[] = [];
  const left: LeftBlock[] = [];
  const untouched: UntouchedBlock[] = [];
  const edits: Edit[] = [];

  for (const block of lambdaBlocks(flow)) {
    const { identifier, arn } = block;
    const leave = (reason: LeftReason, detail: string, operation?: unknown) =>
      left.push({ identifier, reason, detail, arn, ...(operation === undefined ? {} : { operation }) });

    const operation = block.attributes?.[OPERATION_PARAMETER];
    if (typeof arn !== 'string' || isDynamic(arn)) {
      // sfInvokeAPI needs sf_operation: a block without it is not calling sfInvokeAPI, whatever the ARN turns out to be.
      if (typeof arn === 'string' && operation === undefined) {
        untouched.push({ identifier, arn });
      } else {
        leave('dynamic-arn', `the function is chosen at run time (LambdaFunctionARN ${JSON.stringify(arn)}): set it by hand`, operation);
      }
      continue;
    }
    if (ours.has(arn)) {
      untouched.push({ identifier, arn, function: ours.get(arn) });
      continue;
    }
    if (!options.pattern.test(arn)) {
      untouched.push({ identifier, arn });
      continue;
    }
    if (operation === undefined) {
      leave('missing-operation', `it calls ${arn} without ${OPERATION_PARAMETER} in LambdaInvocationAttributes`);
      continue;
    }
    if (typeof operation !== 'string') {
      leave('unknown-operation', `${OPERATION_PARAMETER} is ${JSON.stringify(operation)}, not an operation name`, operation);
      continue;
    }
    if (isDynamic(operation)) {
      leave('dynamic-operation', `${OPERATION_PARAMETER} is read at run time (${operation}): split the block by operation`, operation);
      continue;
    }
    const target = options.functions.find((f) => f.operations.includes(operation));
    if (target === undefined) {
      const known = options.functions.flatMap((f) => f.operations).join(', ');
      leave('unknown-operation', `no function serves ${OPERATION_PARAMETER} ${JSON.stringify(operation)} (the operations are ${known})`, operation);
      continue;
    }
    const newArn = options.arns.get(target.name);
    if (newArn === undefined) {
      leave('no-arn-in-map', `the ARN map has no ARN for ${target.name} (${OPERATION_PARAMETER} ${operation})`, operation);
      continue;
    }
    edits.push(...pointBlockAt(flow, block, newArn));
    migrated.push({ identifier, operation, function: target.name, oldArn: arn, newArn });
  }

  return { flowText: applyEdits(flowText, edits), migrated, left, untouched };
}
