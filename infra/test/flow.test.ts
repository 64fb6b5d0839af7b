import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SALESFORCE_FUNCTION_NAMES } from '../lib';
import { flowPlaceholders, loadFunctionList, readFlowFile, renderFlow } from '../lib/flows';

const FLOW_FILE = path.resolve(__dirname, '..', 'flows', 'caller-lookup-create-case.json');
const flowText = fs.readFileSync(FLOW_FILE, 'utf8');

interface Action {
  Identifier: string;
  Type: string;
  Parameters: Record<string, any>;
  Transitions: {
    NextAction?: string;
    Conditions?: { NextAction: string; Condition: { Operator: string; Operands: string[] } }[];
    Errors?: { NextAction: string; ErrorType: string }[];
  };
}
const flow = JSON.parse(flowText) as { Version: string; StartAction: string; Actions: Action[]; Metadata?: any };

const ARN_OF: Record<string, string> = Object.fromEntries(
  SALESFORCE_FUNCTION_NAMES.map((n) => [n, `arn:aws:lambda:eu-west-2:123456789012:function:SfConnect-${n}-A1B2C3`]),
);
const FUNCTIONS = loadFunctionList();
const sample = readFlowFile(flowText, FLOW_FILE);
const renderSample = (arnOf: (name: string) => string | undefined = (n) => ARN_OF[n]) => renderFlow(sample, FUNCTIONS, (f) => arnOf(f.name));

function targets(action: Action): string[] {
  const t = action.Transitions;
  return [t.NextAction, ...(t.Conditions ?? []).map((c) => c.NextAction), ...(t.Errors ?? []).map((e) => e.NextAction)].filter(
    (x): x is string => x !== undefined,
  );
}

function lambdaCalls(f: typeof flow, arn: string): Action[] {
  return f.Actions.filter((a) => a.Type === 'InvokeLambdaFunction' && a.Parameters.LambdaFunctionARN === arn);
}

describe('the sample contact flow', () => {
  it('is a well-formed flow-language document', () => {
    assert.equal(flow.Version, '2019-10-30');
    const ids = flow.Actions.map((a) => a.Identifier);
    assert.equal(new Set(ids).size, ids.length, 'identifiers are unique');
    for (const id of ids) assert.match(id, /^[^%:(\\/)=$,;[\]{}]{1,50}$/);
    assert.ok(ids.includes(flow.StartAction));

    const known = new Set(['InvokeLambdaFunction', 'Compare', 'UpdateContactAttributes', 'MessageParticipant', 'DisconnectParticipant', 'UpdateFlowLoggingBehavior']);
    for (const action of flow.Actions) {
      assert.ok(known.has(action.Type), `unexpected action type ${action.Type}`);
      for (const target of targets(action)) assert.ok(ids.includes(target), `${action.Identifier} goes to unknown ${target}`);
      if (action.Type === 'DisconnectParticipant') {
        assert.deepEqual(action.Transitions, {});
      } else {
        assert.ok(action.Transitions.NextAction, `${action.Identifier} has no NextAction`);
      }
      if (['InvokeLambdaFunction', 'UpdateContactAttributes', 'MessageParticipant'].includes(action.Type)) {
        assert.ok(action.Transitions.Errors?.some((e) => e.ErrorType === 'NoMatchingError'), `${action.Identifier} has no error branch`);
      }
      if (action.Type === 'InvokeLambdaFunction') {
        const limit = Number(action.Parameters.InvocationTimeLimitSeconds);
        assert.ok(Number.isInteger(limit) && limit >= 1 && limit <= 8, 'Connect allows 1 to 8 seconds');
        assert.equal(action.Parameters.ResponseValidation.ResponseType, 'STRING_MAP');
      }
      if (action.Type === 'Compare') {
        assert.ok(action.Transitions.Errors?.some((e) => e.ErrorType === 'NoMatchingCondition'));
      }
    }

    // Every action can be reached from the start, and every path ends in a disconnect.
    const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
    const seen = new Set<string>();
    const queue = [flow.StartAction];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...targets(byId.get(id)!));
    }
    assert.deepEqual([...seen].sort(), [...ids].sort());
    for (const action of flow.Actions) {
      if (targets(action).length === 0) assert.equal(action.Type, 'DisconnectParticipant', `${action.Identifier} is a dead end`);
    }
    for (const id of Object.keys(flow.Metadata?.ActionMetadata ?? {})) assert.ok(byId.has(id), `metadata for unknown ${id}`);
  });

  it('looks the caller up by phone number and creates a Case linked to the contact found', () => {
    const rendered = JSON.parse(renderSample()) as typeof flow;
    const [lookup] = lambdaCalls(rendered, ARN_OF['sf-phone-lookup']);
    assert.ok(lookup, 'no sf-phone-lookup call');
    assert.deepEqual(lookup.Parameters.LambdaInvocationAttributes, {
      sf_phone: '$.CustomerEndpoint.Address',
      sf_fields: 'Id, Name, AccountId',
    });
    const byId = new Map(rendered.Actions.map((a) => [a.Identifier, a]));
    assert.equal(byId.get(rendered.StartAction)!.Transitions.NextAction, lookup.Identifier, 'the lookup comes first');
    const compare = byId.get(lookup.Transitions.NextAction!)!;
    assert.equal(compare.Type, 'Compare');
    assert.equal(compare.Parameters.ComparisonValue, '$.External.sf_count');
    const found = byId.get(compare.Transitions.Conditions![0].NextAction)!;
    assert.deepEqual(compare.Transitions.Conditions![0].Condition, { Operator: 'NumberGreaterThan', Operands: ['0'] });
    assert.equal(found.Type, 'UpdateContactAttributes');
    assert.equal(found.Parameters.Attributes.sf_contact_id, '$.External.Id');

    const creates = lambdaCalls(rendered, ARN_OF['sf-create']);
    assert.equal(creates.length, 2);
    const linked = creates.find((c) => c.Parameters.LambdaInvocationAttributes.ContactId !== undefined)!;
    assert.deepEqual(linked.Parameters.LambdaInvocationAttributes, {
      sf_object: 'Case',
      ContactId: '$.Attributes.sf_contact_id',
      Subject: 'Inbound call',
      Origin: 'Phone',
      SuppliedPhone: '$.CustomerEndpoint.Address',
    });
    const unknown = creates.find((c) => c !== linked)!;
    assert.equal(unknown.Parameters.LambdaInvocationAttributes.sf_object, 'Case');
    assert.equal(unknown.Parameters.LambdaInvocationAttributes.Origin, 'Phone');
    assert.equal(compare.Transitions.NextAction, unknown.Identifier, 'no match opens a Case without a contact');
  });
});

describe('rendering the sample flow', () => {
  it('fills every placeholder with its function\'s ARN and shows the function\'s name in the designer', () => {
    assert.deepEqual(flowPlaceholders(sample).sort(), ['SfCreateArn', 'SfPhoneLookupArn']);
    const rendered = renderSample();
    assert.deepEqual(flowPlaceholders(readFlowFile(rendered, 'rendered')), []);
    assert.ok(!rendered.includes('${'));
    const renderedFlow = JSON.parse(rendered) as typeof flow;
    const [lookup] = lambdaCalls(renderedFlow, ARN_OF['sf-phone-lookup']);
    assert.deepEqual(renderedFlow.Metadata.ActionMetadata[lookup.Identifier].parameters, {
      LambdaFunctionARN: { displayName: 'SfConnect-sf-phone-lookup-A1B2C3' },
    });
    // Only those values change: the rest of the file is as written, byte for byte.
    const shown = (text: string) => text.replace(/"(arn:aws:lambda:[^"]*|\$\{\w+\}|sf-[a-z-]+|SfConnect-[\w-]+)"/g, '"X"');
    assert.equal(shown(rendered), shown(flowText));
  });

  it('names the functions the ARN map lacks', () => {
    assert.throws(() => renderSample((n) => (n === 'sf-create' ? ARN_OF[n] : undefined)), /no ARN for sf-phone-lookup \(SfPhoneLookupArn\)/);
  });

  it('refuses a placeholder that names no function', () => {
    const typo = readFlowFile(flowText.replace('${SfCreateArn}', '${SfCreateCaseArn}'), 'typo.json');
    assert.throws(() => renderFlow(typo, FUNCTIONS, (f) => ARN_OF[f.name]), /\$\{SfCreateCaseArn\} names no function/);
  });
});
