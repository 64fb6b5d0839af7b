import * as fs from 'node:fs';
import * as path from 'node:path';
import * as connect from 'aws-cdk-lib/aws-connect';
import { parseTree } from 'jsonc-parser';
import { Construct, IDependable } from 'constructs';
import { readFlowFile } from './flow-file';
import { loadFunctionList } from './function-list';
import { DEFAULT_PATTERN, migrateFlow } from './migration';
import { flowPlaceholders, renderFlowText } from './placeholders';

// The construct's side of the flow language: flow files deployed as
// AWS::Connect::ContactFlow / ContactFlowModule resources, calling the
// functions' aliases, whose ARNs CloudFormation fills in at deploy time.

/** Amazon Connect's limit on a flow's content, in characters. */
const MAX_CONTENT_LENGTH = 256_000;

/** A flow file to deploy into the Connect instance with the functions. */
export interface SalesforceContactFlow {
  /**
   * The flow or flow module: a designer export, or the output of `aws
   * connect describe-contact-flow(-module)`. Its Lambda blocks may name the
   * functions by placeholder (`${SfPhoneLookupArn}`, as the sample flow does),
   * still call the older `sfInvokeAPI` (they are migrated as
   * `sf-connect-flows migrate` would), or call functions by literal ARN
   * (left as they are).
   */
  readonly file: string;

  /** The name in Connect, unique in the instance. @default the file's name without `.json` */
  readonly name?: string;

  /** @default none */
  readonly description?: string;

  /**
   * The flow's type (a flow module has none).
   * @default CONTACT_FLOW
   */
  readonly type?: string;

  /**
   * Which ARNs are the older single function's, whose blocks are pointed at
   * the function of their `sf_operation`.
   * @default sfInvokeAPI
   */
  readonly legacyFunctionPattern?: string;
}

/** The sample flow shipped with the package: caller lookup by phone, then a Case. */
export const SAMPLE_FLOW_FILE = sampleFlowFile();

function sampleFlowFile(): string {
  // lib/flows/ in a checkout, dist/lib/flows/ in the package: `flows/` sits beside lib/ or dist/.
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'flows', 'caller-lookup-create-case.json');
    if (fs.existsSync(file)) return file;
  }
  return path.resolve(__dirname, '..', '..', 'flows', 'caller-lookup-create-case.json');
}

/**
 * Creates a ContactFlow or ContactFlowModule for each flow file, in the
 * instance, with its Lambda blocks calling `arns` (function name → the alias
 * ARN, a deploy-time value). Each depends on `dependsOn` (the functions'
 * associations with the instance). Throws naming the flow and the blocks
 * when a flow cannot be deployed as it is: nothing is half-migrated.
 */
export function addContactFlows(
  scope: Construct,
  instanceArn: string,
  flows: readonly SalesforceContactFlow[],
  arns: ReadonlyMap<string, string>,
  dependsOn: readonly IDependable[],
): Record<string, connect.CfnContactFlow | connect.CfnContactFlowModule> {
  const functions = loadFunctionList();
  const created: Record<string, connect.CfnContactFlow | connect.CfnContactFlowModule> = {};
  flows.forEach((flow, i) => {
    const prop = `flows[${i}]`;
    if (!fs.existsSync(flow.file)) {
      throw new Error(`${prop}.file ${flow.file}: no such flow file`);
    }
    const file = readFlowFile(fs.readFileSync(flow.file, 'utf8'), flow.file);
    if (file.flowText.length > MAX_CONTENT_LENGTH) {
      throw new Error(`${prop}.file ${flow.file} holds ${file.flowText.length} characters; Amazon Connect takes at most ${MAX_CONTENT_LENGTH}`);
    }
    const leftOut = flowPlaceholders(file)
      .map((key) => functions.find((f) => f.outputKey === key))
      .filter((f) => f !== undefined && !arns.has(f.name));
    if (leftOut.length > 0) {
      throw new Error(`${prop}.file ${flow.file} calls ${leftOut.map((f) => f!.name).join(', ')}, which functions leaves out`);
    }
    const rendered = renderFlowText(file, functions, (f) => arns.get(f.name));
    const migration = migrateFlow(rendered, parseTree(rendered)!, {
      pattern: new RegExp(flow.legacyFunctionPattern ?? DEFAULT_PATTERN),
      functions,
      arns,
    });
    if (migration.left.length > 0) {
      const why = migration.left.map((b) => `block ${b.identifier}: ${b.detail}`).join('; ');
      throw new Error(`${prop}.file ${flow.file} still calls the older function where it cannot be migrated: ${why}`);
    }

    const name = flow.name ?? path.basename(flow.file, '.json');
    // Named after the flow, not its place in the list: a new logical id would replace the
    // flow, and the phone numbers routed to it would lose it.
    const id = `Flow${name.replace(/[^A-Za-z0-9]/g, '')}`;
    if (created[name] !== undefined || scope.node.tryFindChild(id) !== undefined) {
      throw new Error(`${prop}: another flow is named ${name} (or alike); give one a name of its own`);
    }
    const resource = file.isModule
      ? new connect.CfnContactFlowModule(scope, id, { instanceArn, name, content: migration.flowText, description: flow.description })
      : new connect.CfnContactFlow(scope, id, {
          instanceArn,
          name,
          type: flow.type ?? 'CONTACT_FLOW',
          content: migration.flowText,
          description: flow.description,
        });
    resource.node.addDependency(...dependsOn);
    created[name] = resource;
  });
  return created;
}
