import * as fs from 'node:fs';
import { FlowFunction } from './function-list';

/** Function name (`sf-lookup`, ...) → the deployed function's ARN. */
export type ArnMap = ReadonlyMap<string, string>;

/** A Lambda function ARN, optionally with a version or alias; partitions such as aws-cn and aws-us-gov included. */
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9_$-]+)?$/;

export function isLambdaArn(value: string): boolean {
  return LAMBDA_ARN.test(value);
}

/** The function name an ARN names (what the flow designer shows), e.g. `prod-sf-lookup` or `prod-sf-lookup:live`. */
export function functionNameOfArn(arn: string): string {
  return arn.slice(arn.indexOf(':function:') + ':function:'.length);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The function ARNs from one of three documents:
 * - a plain map `{ "sf-lookup": "arn:aws:lambda:...", ... }` (stack output keys such as `SfLookupArn` work too);
 * - `cdk deploy --outputs-file` output, `{ "<stack>": { "SfLookupArn": "arn:...", ... } }`;
 * - `aws cloudformation describe-stacks` output, `{ "Stacks": [{ "StackName", "Outputs": [{ "OutputKey", "OutputValue" }] }] }`.
 * With several stacks, `stack` names the one to use; without it, the one stack that has function outputs.
 * Throws naming the source and what was expected.
 */
export function parseArnMap(text: string, source: string, functions: readonly FlowFunction[], stack?: string): Map<string, string> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(document)) {
    throw new Error(`${source}: expected a JSON object of function name to ARN, cdk-outputs.json, or describe-stacks output`);
  }

  const byKey = new Map<string, FlowFunction>();
  for (const f of functions) {
    byKey.set(f.name, f);
    byKey.set(f.outputKey, f);
  }

  let stacks: Map<string, Record<string, unknown>>;
  let plain = false;
  if (Array.isArray(document.Stacks)) {
    stacks = new Map(
      (document.Stacks as unknown[]).filter(isObject).map((s) => [
        String(s.StackName),
        Object.fromEntries(
          (Array.isArray(s.Outputs) ? s.Outputs : []).filter(isObject).map((o) => [String(o.OutputKey), o.OutputValue]),
        ),
      ]),
    );
  } else if (Object.values(document).every(isObject)) {
    stacks = new Map(Object.entries(document as Record<string, Record<string, unknown>>));
  } else {
    stacks = new Map([['', document]]);
    plain = true;
  }

  let chosen: [string, Record<string, unknown>];
  if (stack !== undefined) {
    const outputs = stacks.get(stack);
    if (plain || outputs === undefined) {
      throw new Error(`${source} has no stack ${stack}${plain ? ' (it is a plain map)' : `; it holds ${[...stacks.keys()].join(', ')}`}`);
    }
    chosen = [stack, outputs];
  } else {
    const candidates = [...stacks].filter(([, outputs]) => Object.keys(outputs).some((k) => byKey.has(k)));
    if (candidates.length !== 1) {
      throw new Error(
        candidates.length === 0
          ? `${source} names none of the functions (${functions.map((f) => f.name).join(', ')}) nor their stack outputs (SfLookupArn, ...)`
          : `${source} holds the functions of several stacks (${candidates.map(([name]) => name).join(', ')}): choose one with --stack`,
      );
    }
    chosen = candidates[0];
  }

  const [stackName, outputs] = chosen;
  const where = stackName ? `${source} (stack ${stackName})` : source;
  const arns = new Map<string, string>();
  for (const [key, value] of Object.entries(outputs)) {
    const f = byKey.get(key);
    if (f === undefined) {
      // A stack has outputs of its own; in a plain map an unknown name is most likely a typo.
      if (plain) {
        throw new Error(`${where}: ${key} is not one of the functions (${functions.map((x) => x.name).join(', ')})`);
      }
      continue;
    }
    if (typeof value !== 'string' || !isLambdaArn(value)) {
      throw new Error(`${where}: ${key} must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), got ${JSON.stringify(value)}`);
    }
    if (arns.has(f.name) && arns.get(f.name) !== value) {
      throw new Error(`${where}: two different ARNs for ${f.name}`);
    }
    arns.set(f.name, value);
  }
  return arns;
}

/** `parseArnMap` of a file; a missing file is an error that says where the map comes from. */
export function loadArnMap(file: string, functions: readonly FlowFunction[], stack?: string): Map<string, string> {
  if (!fs.existsSync(file)) {
    throw new Error(
      `${file} not found: pass --arns with cdk-outputs.json (\`npm run deploy\` in infra/ writes it), ` +
        'the output of aws cloudformation describe-stacks, or a JSON map of function name to ARN',
    );
  }
  return parseArnMap(fs.readFileSync(file, 'utf8'), file, functions, stack);
}
