import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { SALESFORCE_FUNCTION_NAMES, SalesforceConnectFunctions, SalesforceConnectFunctionsProps } from '../lib';

/** The infra package's directory. */
export const INFRA_DIR = path.resolve(__dirname, '..');

export const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:123456789012:instance/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

/** e_machine values of the ELF header. */
const ELF_MACHINE = { arm64: 0xb7, x86_64: 0x3e } as const;

const tempDirs: string[] = [];

/**
 * A temporary `target/lambda` with a `bootstrap` per function: a few bytes of
 * text by default (not an ELF, so the architecture check passes it), or the
 * start of an ELF executable for the given architecture. Removed at exit.
 */
export function makeAssetDir(options: { elf?: keyof typeof ELF_MACHINE; omit?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-assets-'));
  for (const name of SALESFORCE_FUNCTION_NAMES) {
    if (name === options.omit) continue;
    fs.mkdirSync(path.join(dir, name));
    let content: Buffer;
    if (options.elf) {
      content = Buffer.alloc(64);
      content.writeUInt32BE(0x7f454c46, 0); // \x7fELF
      content[4] = 2; // 64-bit
      content[5] = 1; // little-endian
      content.writeUInt16LE(ELF_MACHINE[options.elf], 18);
    } else {
      content = Buffer.from(`#!/bin/sh\n# stand-in for ${name}\n`);
    }
    fs.writeFileSync(path.join(dir, name, 'bootstrap'), content, { mode: 0o755 });
  }
  if (tempDirs.length === 0) {
    process.once('exit', () => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  }
  tempDirs.push(dir);
  return dir;
}

let sharedAssetDir: string | undefined;
/** One dummy asset dir shared by the tests that do not care about its content. */
export function assetDir(): string {
  sharedAssetDir ??= makeAssetDir();
  return sharedAssetDir;
}

/** A stack with the construct in it; `configure` may add imports to the stack first. */
export function synthFunctions(
  props: Partial<SalesforceConnectFunctionsProps> | ((stack: Stack) => Partial<SalesforceConnectFunctionsProps>) = {},
): { stack: Stack; template: Template; construct: SalesforceConnectFunctions } {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  const extra = typeof props === 'function' ? props(stack) : props;
  const construct = new SalesforceConnectFunctions(stack, 'Functions', {
    assetDir: assetDir(),
    ...(extra.credentialsSecret || extra.credentialsParameter ? {} : { credentialsParameterName: '/sf-connect/credentials' }),
    ...extra,
  });
  return { stack, template: Template.fromStack(stack), construct };
}

/** The logical id of the resource behind an L2 construct (a function, an alias), in its stack. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** Our functions, one per catalogue entry (the custom resource's provider function excluded), by logical id. */
export function salesforceFunctions(template: Template): Resources {
  const all = template.findResources('AWS::Lambda::Function') as Resources;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => r.Properties?.Handler === 'bootstrap'));
}

/**
 * A CloudFormation value as readable text: `Ref X` → `${X}`, `GetAtt A.B` →
 * `${A.B}`, `Join` concatenated. Lets tests compare ARNs as strings.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if ('Ref' in v) return `\${${v.Ref}}`;
    if ('Fn::GetAtt' in v) return `\${${v['Fn::GetAtt'].join('.')}}`;
    if ('Fn::Join' in v) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
    if ('Fn::Sub' in v) return String(v['Fn::Sub']);
    if ('Fn::Select' in v) return `\${Select(${v['Fn::Select'][0]},${flatten(v['Fn::Select'][1])})}`;
    if ('Fn::Split' in v) return `\${Split(${v['Fn::Split'][0]},${flatten(v['Fn::Split'][1])})}`;
  }
  return JSON.stringify(value);
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of every inline policy attached to the role of the function with this logical id. */
export function roleStatements(template: Template, functionLogicalId: string): Statement[] {
  const fn = template.toJSON().Resources[functionLogicalId];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties!.PolicyDocument.Statement as Statement[]);
}

export function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resources(statement: Statement): string[] {
  return (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(flatten);
}

export const ACCOUNT_ARN = (service: string, rest: string) =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`;
