import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { visit } from 'jsonc-parser';
import {
  DEFAULT_PATTERN,
  FlowFile,
  loadFunctionList,
  migrateFlow,
  MigrationOptions,
  NotAFlowError,
  outputKeyOf,
  parseArnMap,
  readFlowFile,
  withFlowText,
} from '../lib/flows';

const FLOWS = path.join(__dirname, 'fixtures', 'flows');
const MAPS = path.join(__dirname, 'fixtures', 'arn-maps');
const FUNCTIONS = loadFunctionList();
const OLD_ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:sfInvokeAPI';

function fixture(name: string): FlowFile {
  const file = path.join(FLOWS, name);
  return readFlowFile(fs.readFileSync(file, 'utf8'), file);
}

function arnMap(name: string, stack?: string): Map<string, string> {
  const file = path.join(MAPS, name);
  return parseArnMap(fs.readFileSync(file, 'utf8'), file, FUNCTIONS, stack);
}

const ARNS = arnMap('cdk-outputs.json');
const OPTIONS: MigrationOptions = { pattern: new RegExp(DEFAULT_PATTERN), functions: FUNCTIONS, arns: ARNS };

function migrate(file: FlowFile, options: Partial<MigrationOptions> = {}) {
  return migrateFlow(file.flowText, file.flow, { ...OPTIONS, ...options });
}

/**
 * The JSON text as its scalar values (each with its path and its text exactly as written)
 * and everything between them: keys, punctuation and white space.
 */
function anatomy(text: string): { skeleton: string; values: Map<string, string> } {
  const values = new Map<string, string>();
  let skeleton = '';
  let from = 0;
  visit(text, {
    onLiteralValue: (_value, offset, length, _line, _column, pathSupplier) => {
      skeleton += text.slice(from, offset) + '\u0000';
      from = offset + length;
      values.set(pathSupplier().join('/'), text.slice(offset, offset + length));
    },
  });
  return { skeleton: skeleton + text.slice(from), values };
}

/** Asserts that `after` is `before` byte for byte except for the values at the given paths, which now hold those values. */
function assertChangedOnly(before: string, after: string, changes: Record<string, string>): void {
  const a = anatomy(before);
  const b = anatomy(after);
  assert.equal(b.skeleton, a.skeleton, 'keys, order and white space are as exported');
  assert.deepEqual([...b.values.keys()], [...a.values.keys()]);
  for (const [where, raw] of a.values) {
    const expected = where in changes ? JSON.stringify(changes[where]) : raw;
    assert.equal(b.values.get(where), expected, where);
  }
}

/** `Actions/<index>` of an action, for the paths `assertChangedOnly` takes. */
function actionIndex(file: FlowFile, identifier: string): number {
  const flow = JSON.parse(file.flowText) as { Actions: { Identifier: string }[] };
  return flow.Actions.findIndex((a) => a.Identifier === identifier);
}

const functionName = (arn: string) => arn.split(':function:')[1];

describe('migrating an exported flow', () => {
  it('points each block of a designer export at its operation\'s function and changes nothing else', () => {
    const file = fixture('console-export-with-metadata.json');
    assert.equal(file.form, 'export');
    assert.equal(file.isModule, false);
    const result = migrate(file);

    const lookup = '73ab4876-7734-47c1-87fd-e805ec99108d';
    const create = '244caf9c-4dab-4481-b253-edc618187993';
    assert.deepEqual(result.migrated, [
      { identifier: lookup, operation: 'phoneLookup', function: 'sf-phone-lookup', oldArn: OLD_ARN, newArn: ARNS.get('sf-phone-lookup') },
      { identifier: create, operation: 'create', function: 'sf-create', oldArn: OLD_ARN, newArn: ARNS.get('sf-create') },
    ]);
    assert.deepEqual(result.left, []);
    assert.deepEqual(result.untouched, []);

    const display = (id: string) => `Metadata/ActionMetadata/${id}/parameters/LambdaFunctionARN`;
    assertChangedOnly(file.flowText, result.flowText, {
      [`Actions/${actionIndex(file, lookup)}/Parameters/LambdaFunctionARN`]: ARNS.get('sf-phone-lookup')!,
      [`Actions/${actionIndex(file, create)}/Parameters/LambdaFunctionARN`]: ARNS.get('sf-create')!,
      // The designer shows the function's name; this export also kept a copy of the ARN.
      [`${display(lookup)}/displayName`]: functionName(ARNS.get('sf-phone-lookup')!),
      [`${display(lookup)}/value`]: ARNS.get('sf-phone-lookup')!,
      [`${display(create)}/displayName`]: functionName(ARNS.get('sf-create')!),
    });
    // sf_operation stays: the functions accept their own operation there.
    assert.match(result.flowText, /"sf_operation": "phoneLookup"/);
    assert.match(result.flowText, /"InvocationTimeLimitSeconds": "8"/);
  });

  it('writes a describe-contact-flow-module file back in its own form, Content re-serialised as a string', () => {
    const file = fixture('flow-module-describe-output.json');
    assert.equal(file.form, 'describe-contact-flow-module');
    assert.equal(file.isModule, true);
    // A block of the function as the Serverless Application Repository named it.
    const result = migrate(file);
    assert.equal(result.migrated.length, 1);
    assert.equal(result.migrated[0].operation, 'update');
    assert.equal(result.migrated[0].function, 'sf-update');
    assert.match(result.migrated[0].oldArn, /:function:serverlessrepo-AmazonConnectSalesfor-sfInvokeAPI-/);

    const written = withFlowText(file, result.flowText);
    const content = (JSON.parse(written) as { ContactFlowModule: { Content: string } }).ContactFlowModule.Content;
    assert.equal(content, result.flowText);
    assertChangedOnly(file.fileText, written, { 'ContactFlowModule/Content': result.flowText });
    const id = result.migrated[0].identifier;
    assertChangedOnly(file.flowText, content, {
      [`Actions/${actionIndex(file, id)}/Parameters/LambdaFunctionARN`]: ARNS.get('sf-update')!,
      [`Metadata/ActionMetadata/${id}/parameters/LambdaFunctionARN/displayName`]: functionName(ARNS.get('sf-update')!),
    });
    // Numbers as exported (a parse and stringify would write 319).
    assert.match(content, /"y":319\.0/);
  });

  it('sends each operation of a flow to its own function', () => {
    const file = fixture('several-operations-describe-output.json');
    assert.equal(file.form, 'describe-contact-flow');
    const arns = arnMap('describe-stacks.json');
    const result = migrate(file, { arns });
    assert.deepEqual(
      result.migrated.map((b) => [b.operation, b.function, b.newArn]),
      [
        ['lookup', 'sf-lookup', arns.get('sf-lookup')],
        ['queryOne', 'sf-query-one', arns.get('sf-query-one')],
        ['createChatterPost', 'sf-create-chatter-post', arns.get('sf-create-chatter-post')],
        ['search', 'sf-search', arns.get('sf-search')],
      ],
    );
    const migrated = JSON.parse(result.flowText) as { Actions: { Type: string; Parameters: Record<string, unknown> }[] };
    const original = JSON.parse(file.flowText) as typeof migrated;
    migrated.Actions.forEach((action, i) => {
      const { LambdaFunctionARN: _new, ...rest } = action.Parameters;
      const { LambdaFunctionARN: _old, ...was } = original.Actions[i].Parameters;
      assert.deepEqual(rest, was, 'timeouts, attributes and response validation as they were');
    });
  });

  it('sends lookup_all to sf-lookup', () => {
    const result = migrate(fixture('lookup-all.json'));
    assert.deepEqual(
      result.migrated.map((b) => [b.operation, b.function]),
      [['lookup_all', 'sf-lookup']],
    );
    assert.match(result.flowText, /"sf_operation": "lookup_all"/);
  });

  it('sends searchSOSL to sf-search and searchOneSOSL to sf-search-one', () => {
    const file = fixture('sosl-operations.json');
    const result = migrate(file);
    assert.deepEqual(
      result.migrated.map((b) => [b.operation, b.function, b.newArn]),
      [
        ['searchSOSL', 'sf-search', ARNS.get('sf-search')],
        ['searchOneSOSL', 'sf-search-one', ARNS.get('sf-search-one')],
      ],
    );
    assert.deepEqual(result.left, []);
    // The statement and sf_operation stay as written: the functions take them.
    assert.match(result.flowText, /"sf_operation": "searchSOSL"/);
    assert.match(result.flowText, /"sf_operation": "searchOneSOSL"/);
    assert.match(result.flowText, /"query": "FIND \{callerName\} IN NAME FIELDS/);
  });

  for (const [name, reason, detail] of [
    ['dynamic-arn.json', 'dynamic-arn', /chosen at run time \(LambdaFunctionARN "\$\.Attributes\.sf_function_arn"\)/],
    ['dynamic-operation.json', 'dynamic-operation', /sf_operation is read at run time \(\$\.Attributes\.sf_operation\)/],
    ['unknown-operation.json', 'unknown-operation', /no function serves sf_operation "upsert" \(the operations are lookup, lookup_all, /],
  ] as const) {
    it(`leaves a block alone and says why: ${reason}`, () => {
      const file = fixture(name);
      const result = migrate(file);
      assert.deepEqual(result.migrated, []);
      assert.equal(result.left.length, 1);
      assert.equal(result.left[0].reason, reason);
      assert.match(result.left[0].detail, detail);
      assert.equal(result.flowText, file.flowText);
    });
  }

  it('leaves a block without sf_operation or with one that is not a name, and one whose function the map lacks', () => {
    const bare = readFlowFile(fs.readFileSync(path.join(FLOWS, 'lookup-all.json'), 'utf8').replace('"sf_operation": "lookup_all",', ''), 'bare.json');
    assert.deepEqual(
      migrate(bare).left.map((b) => b.reason),
      ['missing-operation'],
    );
    const numeric = readFlowFile(fs.readFileSync(path.join(FLOWS, 'lookup-all.json'), 'utf8').replace('"sf_operation": "lookup_all"', '"sf_operation": 4'), 'numeric.json');
    assert.deepEqual(
      migrate(numeric).left.map((b) => [b.reason, b.detail]),
      [['unknown-operation', 'sf_operation is 4, not an operation name']],
    );

    const partial = new Map([...ARNS].filter(([name]) => name !== 'sf-create'));
    const result = migrate(fixture('console-export-with-metadata.json'), { arns: partial });
    assert.deepEqual(
      result.migrated.map((b) => b.function),
      ['sf-phone-lookup'],
    );
    assert.deepEqual(
      result.left.map((b) => [b.reason, b.operation, b.detail]),
      [['no-arn-in-map', 'create', 'the ARN map has no ARN for sf-create (sf_operation create)']],
    );
  });

  it('counts a block for another Lambda as not ours, and leaves it', () => {
    const file = fixture('other-lambda.json');
    const result = migrate(file);
    assert.deepEqual(result.untouched, [
      { identifier: '03f8670d-3e36-4858-a2f7-647a952e1b8b', arn: 'arn:aws:lambda:eu-west-2:123456789012:function:holiday-calendar' },
    ]);
    assert.deepEqual(
      result.migrated.map((b) => b.function),
      ['sf-phone-lookup'],
    );
    assert.deepEqual(result.left, []);
    assert.match(result.flowText, /"displayName": "holiday-calendar"/);
  });

  it('counts a block whose function is chosen at run time as ours only when it sends sf_operation', () => {
    const text = fs.readFileSync(path.join(FLOWS, 'dynamic-arn.json'), 'utf8');
    assert.equal(migrate(readFlowFile(text, 'with.json')).left[0].operation, 'lookup');
    const without = migrate(readFlowFile(text.replace('"sf_operation": "lookup",', ''), 'without.json'));
    assert.deepEqual(without.left, []);
    assert.deepEqual(
      without.untouched.map((b) => b.arn),
      ['$.Attributes.sf_function_arn'],
    );
  });

  it('finds nothing more to do in a migrated flow, and names the functions it already calls', () => {
    const once = migrate(fixture('console-export-with-metadata.json'));
    const again = migrate(readFlowFile(once.flowText, 'once.json'));
    assert.equal(again.flowText, once.flowText);
    assert.deepEqual(again.migrated, []);
    assert.deepEqual(
      again.untouched.map((b) => b.function),
      ['sf-phone-lookup', 'sf-create'],
    );
  });

  it('takes the older function\'s ARN pattern as given', () => {
    const sarOnly = { pattern: /^arn:aws:lambda:[^:]+:\d+:function:serverlessrepo-.*-sfInvokeAPI-/ };
    assert.equal(migrate(fixture('flow-module-describe-output.json'), sarOnly).migrated.length, 1);
    const plain = migrate(fixture('lookup-all.json'), sarOnly);
    assert.deepEqual(plain.migrated, []);
    assert.deepEqual(
      plain.untouched.map((b) => b.arn),
      [OLD_ARN],
    );
  });
});

describe('reading a flow file', () => {
  it('refuses a file that is not a flow, saying what it expected', () => {
    const listing = path.join(FLOWS, 'not-a-flow-list-contact-flows.json');
    assert.throws(
      () => readFlowFile(fs.readFileSync(listing, 'utf8'), listing),
      (e: Error) =>
        e instanceof NotAFlowError &&
        e.message.startsWith(`${listing} is not an Amazon Connect flow: it has no Version.`) &&
        e.message.includes('describe-contact-flow'),
    );
    for (const [text, why] of [
      ['{"Version": "2019-10-30", "Actions": [', /the file is not JSON/],
      ['{"Version": "2019-10-30", "Actions": [],}', /the file is not JSON/],
      ['{"Version": "2017-03-10", "Actions": []}', /Version is "2017-03-10"/],
      ['{"Version": "2019-10-30", "StartAction": "a"}', /no Actions array/],
      ['[1, 2]', /not a JSON object/],
      ['{"ContactFlow": {"Id": "x"}}', /ContactFlow has no Content string/],
      ['{"ContactFlow": {"Content": "{\\"Version\\": 1}"}}', /Version is 1/],
      ['{"ContactFlowModule": {"Content": "{"}}', /ContactFlowModule\.Content is not JSON/],
    ] as const) {
      assert.throws(() => readFlowFile(text, 'f.json'), (e: Error) => e instanceof NotAFlowError && why.test(e.message), text);
    }
  });

  it('keeps a byte order mark where it was', () => {
    const text = '\uFEFF' + fs.readFileSync(path.join(FLOWS, 'lookup-all.json'), 'utf8');
    const file = readFlowFile(text, 'bom.json');
    const written = withFlowText(file, migrate(file).flowText);
    assert.ok(written.startsWith('\uFEFF{'));
    assert.equal(withFlowText(file, file.flowText), text);
  });
});

describe('the ARN map', () => {
  it('reads the same ARNs from cdk-outputs.json, describe-stacks output and a plain map', () => {
    const fromOutputs = arnMap('cdk-outputs.json');
    assert.equal(fromOutputs.size, FUNCTIONS.length);
    assert.deepEqual(arnMap('describe-stacks.json'), fromOutputs);
    const plain = arnMap('plain-map.json');
    assert.deepEqual([...plain.keys()].sort(), FUNCTIONS.map((f) => f.name).sort());
    assert.equal(plain.get('sf-phone-lookup'), 'arn:aws:lambda:eu-west-2:123456789012:function:prod-sf-phone-lookup');
  });

  it('takes one stack of several by name, and the one with our functions by itself', () => {
    const outputs = JSON.parse(fs.readFileSync(path.join(MAPS, 'cdk-outputs.json'), 'utf8')) as Record<string, Record<string, string>>;
    const staging = Object.fromEntries(Object.entries(outputs.SfConnect).map(([k, v]) => [k, v.replace('SfConnect-', 'Staging-')]));
    const two = JSON.stringify({ SfConnect: outputs.SfConnect, Staging: staging, Network: { VpcId: 'vpc-0a1b' } });
    assert.throws(() => parseArnMap(two, 'two.json', FUNCTIONS), /functions of several stacks \(SfConnect, Staging\): choose one with --stack/);
    assert.equal(parseArnMap(two, 'two.json', FUNCTIONS, 'Staging').get('sf-lookup'), staging.SfLookupArn);
    assert.throws(() => parseArnMap(two, 'two.json', FUNCTIONS, 'Prod'), /two\.json has no stack Prod; it holds SfConnect, Staging, Network/);
    const withNetwork = JSON.stringify({ SfConnect: outputs.SfConnect, Network: { VpcId: 'vpc-0a1b' } });
    assert.equal(parseArnMap(withNetwork, 'n.json', FUNCTIONS).get('sf-lookup'), outputs.SfConnect.SfLookupArn);
  });

  it('refuses a name that is no function, a value that is no Lambda ARN, and a map of nothing of ours', () => {
    const arn = 'arn:aws:lambda:eu-west-2:123456789012:function:prod-sf-lookup';
    assert.throws(() => parseArnMap(JSON.stringify({ 'sf-lookup': arn, 'sf-lokup': arn }), 'm.json', FUNCTIONS), /m\.json: sf-lokup is not one of the functions/);
    assert.throws(
      () => parseArnMap(JSON.stringify({ 'sf-lookup': 'prod-sf-lookup' }), 'm.json', FUNCTIONS),
      /sf-lookup must be a Lambda function ARN .*got "prod-sf-lookup"/,
    );
    assert.throws(() => parseArnMap(JSON.stringify({ Other: { BucketName: 'b' } }), 'o.json', FUNCTIONS), /names none of the functions/);
    assert.throws(() => parseArnMap('{"sf-lookup": ', 'x.json', FUNCTIONS), /x\.json is not JSON/);
    // The stack output key names a function as well as its name does; both must agree.
    assert.equal(parseArnMap(JSON.stringify({ SfLookupArn: arn }), 'k.json', FUNCTIONS).get('sf-lookup'), arn);
    assert.throws(() => parseArnMap(JSON.stringify({ SfLookupArn: arn, 'sf-lookup': `${arn}2` }), 'k.json', FUNCTIONS), /two different ARNs for sf-lookup/);
  });
});

describe('the function list', () => {
  it('comes from functions.json, each function with its stack output key', () => {
    const listed = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'functions.json'), 'utf8')) as { functions: { name: string }[] }).functions;
    assert.deepEqual(
      FUNCTIONS.map((f) => f.name),
      listed.map((f) => f.name),
    );
    assert.equal(outputKeyOf('sf-phone-lookup'), 'SfPhoneLookupArn');
    assert.equal(outputKeyOf('sf-create-chatter-comment'), 'SfCreateChatterCommentArn');
    assert.deepEqual(FUNCTIONS.find((f) => f.name === 'sf-lookup')!.operations, ['lookup', 'lookup_all']);
  });
});
