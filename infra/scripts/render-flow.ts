/**
 * Fills a sample contact flow's `${<Output>Arn}` placeholders with the
 * function ARNs from `cdk deploy --outputs-file`, so the result can be
 * imported in the Amazon Connect flow designer.
 *
 *   npm run render-flow -- [--outputs cdk-outputs.json] [--stack SfConnect]
 *                          [--flow flows/caller-lookup-create-case.json] [--out FILE]
 *
 * Without --out the rendered flow goes to standard output.
 */
import * as fs from 'node:fs';

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The flow text with every placeholder replaced; throws naming any placeholder the outputs lack. */
export function renderFlow(flowText: string, outputs: Record<string, string>): string {
  const missing = new Set<string>();
  const rendered = flowText.replace(PLACEHOLDER, (whole, key: string) => {
    const value = outputs[key];
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    return value;
  });
  if (missing.size > 0) {
    throw new Error(`the stack outputs have no ${[...missing].join(', ')}; was the flow written for another stack?`);
  }
  JSON.parse(rendered); // an ARN never needs escaping, but make sure the result is still JSON
  return rendered;
}

/** The placeholders a flow uses, e.g. `SfPhoneLookupArn`. */
export function flowPlaceholders(flowText: string): string[] {
  return [...new Set([...flowText.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** One stack's outputs from a `cdk deploy --outputs-file` file (`{ "<stack>": { "<key>": "<value>" } }`). */
export function stackOutputs(outputsFileText: string, stackName?: string): Record<string, string> {
  const all = JSON.parse(outputsFileText) as Record<string, Record<string, string>>;
  const stacks = Object.keys(all);
  const name = stackName ?? (stacks.length === 1 ? stacks[0] : undefined);
  if (name === undefined || all[name] === undefined) {
    throw new Error(`name the stack with --stack: the outputs file holds ${stacks.join(', ') || 'no stack'}`);
  }
  return all[name];
}

function main(argv: string[]): void {
  const options: Record<string, string> = {
    outputs: 'cdk-outputs.json',
    flow: 'flows/caller-lookup-create-case.json',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined || !['outputs', 'stack', 'flow', 'out'].includes(flag.slice(2))) {
      throw new Error(`usage: render-flow [--outputs FILE] [--stack NAME] [--flow FILE] [--out FILE]; got ${argv.join(' ')}`);
    }
    options[flag.slice(2)] = value;
  }
  if (!fs.existsSync(options.outputs)) {
    throw new Error(`${options.outputs} not found: deploy with \`npm run deploy\` (it writes cdk-outputs.json) or pass --outputs`);
  }
  const outputs = stackOutputs(fs.readFileSync(options.outputs, 'utf8'), options.stack);
  const rendered = renderFlow(fs.readFileSync(options.flow, 'utf8'), outputs);
  if (options.out) {
    fs.writeFileSync(options.out, rendered);
    process.stderr.write(`wrote ${options.out}\n`);
  } else {
    process.stdout.write(rendered);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`render-flow: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
