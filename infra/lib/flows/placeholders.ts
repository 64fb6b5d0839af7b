import { applyEdits, Edit } from 'jsonc-parser';
import { FlowFile, withFlowText } from './flow-file';
import { FlowFunction } from './function-list';
import { LambdaBlock, lambdaBlocks, pointBlockAt } from './lambda-blocks';

/**
 * A flow that ships with the project names each function by a placeholder in its Lambda
 * blocks, `"LambdaFunctionARN": "${SfPhoneLookupArn}"`: the function's stack output key, in
 * the `${...}` form of CloudFormation's Fn::Sub.
 */
const PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;

/** The output key a block's placeholder names, if its ARN is one. */
function placeholderOf(block: LambdaBlock): string | undefined {
  return typeof block.arn === 'string' ? PLACEHOLDER.exec(block.arn)?.[1] : undefined;
}

/** The placeholders a flow's Lambda blocks use, e.g. `SfPhoneLookupArn`, each once. */
export function flowPlaceholders(file: FlowFile): string[] {
  const keys = lambdaBlocks(file.flow).map(placeholderOf);
  return [...new Set(keys.filter((k): k is string => k !== undefined))];
}

/**
 * The flow file with every placeholder replaced by its function's ARN (and the blocks' display
 * names by the functions' names), in the file's own form. `arnOf` gives a function's ARN: a
 * literal ARN for a file to import, or a deploy-time token. Throws naming every placeholder
 * that is not a function's or whose function has no ARN.
 */
export function renderFlow(file: FlowFile, functions: readonly FlowFunction[], arnOf: (f: FlowFunction) => string | undefined): string {
  return withFlowText(file, renderFlowText(file, functions, arnOf));
}

/** As `renderFlow`, but only the flow-language document: what Connect takes as a flow's content. */
export function renderFlowText(file: FlowFile, functions: readonly FlowFunction[], arnOf: (f: FlowFunction) => string | undefined): string {
  const edits: Edit[] = [];
  const unknown = new Set<string>();
  const missing = new Set<string>();
  for (const block of lambdaBlocks(file.flow)) {
    const key = placeholderOf(block);
    if (key === undefined) continue;
    const target = functions.find((f) => f.outputKey === key);
    const arn = target && arnOf(target);
    if (target === undefined) {
      unknown.add(key);
    } else if (arn === undefined) {
      missing.add(`${target.name} (${key})`);
    } else {
      edits.push(...pointBlockAt(file.flow, block, arn));
    }
  }
  if (unknown.size > 0) {
    throw new Error(`${file.source}: ${[...unknown].map((k) => `\${${k}}`).join(', ')} names no function; expected one of ${functions.map((f) => f.outputKey).join(', ')}`);
  }
  if (missing.size > 0) {
    throw new Error(`${file.source}: the ARN map has no ARN for ${[...missing].join(', ')}; was it made for another stack?`);
  }
  return applyEdits(file.flowText, edits);
}
