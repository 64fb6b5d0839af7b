import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SAMPLE_FLOW_FILE, SalesforceConnectFunctions, SalesforceConnectStack, stackPropsFromContext } from '../lib';
import { flatten, INSTANCE_ARN, logicalId, makeAssetDir, synthFunctions } from './helpers';

const FIXTURES = path.resolve(__dirname, 'fixtures', 'flows');

interface FlowDocument {
  Version: string;
  Actions: { Identifier: string; Type: string; Parameters: Record<string, any> }[];
}

/** A flow resource's content with every `Ref` as `${LogicalId}`, parsed. */
function content(resource: Record<string, any>): FlowDocument {
  return JSON.parse(flatten(resource.Properties.Content)) as FlowDocument;
}

function lambdaArns(flow: FlowDocument): Record<string, string> {
  return Object.fromEntries(flow.Actions.filter((a) => a.Type === 'InvokeLambdaFunction').map((a) => [a.Identifier, a.Parameters.LambdaFunctionARN]));
}

function aliasRef(construct: SalesforceConnectFunctions, name: string): string {
  return `\${${logicalId(construct.aliases[name])}}`;
}

describe('flows deployed with the functions', () => {
  it('creates the sample flow in the instance, its blocks calling the aliases, after the associations', () => {
    const { template, construct } = synthFunctions({ connectInstanceArn: INSTANCE_ARN, flows: [{ file: SAMPLE_FLOW_FILE, description: 'Caller lookup' }] });
    const flows = Object.values(template.findResources('AWS::Connect::ContactFlow'));
    assert.equal(flows.length, 1);
    const [flow] = flows;
    assert.equal(flow.Properties.InstanceArn, INSTANCE_ARN);
    assert.equal(flow.Properties.Name, 'caller-lookup-create-case');
    assert.equal(flow.Properties.Type, 'CONTACT_FLOW');
    assert.equal(flow.Properties.Description, 'Caller lookup');
    const document = content(flow);
    assert.equal(document.Version, '2019-10-30');
    const arns = Object.values(lambdaArns(document));
    assert.equal(arns.length, 3);
    assert.deepEqual([...new Set(arns)].sort(), [aliasRef(construct, 'sf-create'), aliasRef(construct, 'sf-phone-lookup')].sort());
    const associations = Object.keys(template.findResources('AWS::Connect::IntegrationAssociation'));
    for (const a of associations) assert.ok(flow.DependsOn.includes(a), `the flow does not wait for ${a}`);
    assert.deepEqual(Object.keys(construct.flows), ['caller-lookup-create-case']);
  });

  it('migrates blocks still calling sfInvokeAPI, in flows and flow modules, and names the flows as asked', () => {
    const { template, construct } = synthFunctions({
      connectInstanceArn: INSTANCE_ARN,
      flows: [
        { file: path.join(FIXTURES, 'several-operations-describe-output.json'), name: 'Inbound', type: 'CONTACT_FLOW' },
        { file: path.join(FIXTURES, 'flow-module-describe-output.json'), name: 'Close case' },
      ],
    });
    const [flow] = Object.values(template.findResources('AWS::Connect::ContactFlow'));
    assert.equal(flow.Properties.Name, 'Inbound');
    assert.deepEqual(lambdaArns(content(flow)), {
      '4105cca7-b533-42fc-954c-d2aad7185dda': aliasRef(construct, 'sf-lookup'),
      '834c687a-3acb-4266-820b-a2c250b601fc': aliasRef(construct, 'sf-query-one'),
      '902a174f-11fa-4ac0-879d-d25a49fe85b0': aliasRef(construct, 'sf-create-chatter-post'),
      '1b98fbe4-6680-4a11-9ba1-192ec42b7170': aliasRef(construct, 'sf-search'),
    });
    const modules = Object.values(template.findResources('AWS::Connect::ContactFlowModule'));
    assert.equal(modules.length, 1);
    assert.equal(modules[0].Properties.Name, 'Close case');
    assert.equal(modules[0].Properties.InstanceArn, INSTANCE_ARN);
    assert.equal(modules[0].Properties.Type, undefined);
    assert.deepEqual(lambdaArns(content(modules[0])), { '3bd03346-84e5-4160-b200-94ead7a94ded': aliasRef(construct, 'sf-update') });
  });

  it('refuses a flow it would half deploy: a function left out, a block it cannot migrate, a file that is no flow', () => {
    const flows = (file: string, extra = {}) => ({ connectInstanceArn: INSTANCE_ARN, flows: [{ file }], ...extra });
    assert.throws(() => synthFunctions(flows(SAMPLE_FLOW_FILE, { functions: ['phoneLookup'] })), /flows\[0\]\.file .*caller-lookup-create-case\.json calls sf-create, which functions leaves out/);
    assert.throws(
      () => synthFunctions(flows(path.join(FIXTURES, 'dynamic-operation.json'))),
      /flows\[0\]\.file .*dynamic-operation\.json still calls the older function where it cannot be migrated: block [\w-]+: sf_operation is read at run time/,
    );
    assert.throws(() => synthFunctions(flows(path.join(FIXTURES, 'several-operations-describe-output.json'), { functions: ['lookup'] })), /no ARN for sf-query-one/);
    assert.throws(() => synthFunctions(flows(path.join(FIXTURES, 'not-a-flow-list-contact-flows.json'))), /is not an Amazon Connect flow/);
    assert.throws(() => synthFunctions(flows(path.join(FIXTURES, 'missing.json'))), /flows\[0\]\.file .*missing\.json: no such flow file/);
    assert.throws(() => synthFunctions({ flows: [{ file: SAMPLE_FLOW_FILE }] }), /^Error: flows need connectInstanceArn$/);
    assert.throws(
      () => synthFunctions({ connectInstanceArn: INSTANCE_ARN, flows: [{ file: SAMPLE_FLOW_FILE }, { file: SAMPLE_FLOW_FILE }] }),
      /flows\[1\]: another flow is named caller-lookup-create-case/,
    );
  });

  it('come from context in the standalone app', () => {
    const app = new App({ context: { assetDir: makeAssetDir(), connectInstanceArn: INSTANCE_ARN, flows: SAMPLE_FLOW_FILE } });
    const { stackName, props } = stackPropsFromContext(app.node);
    const template = Template.fromStack(new SalesforceConnectStack(app, stackName, props));
    template.resourceCountIs('AWS::Connect::ContactFlow', 1);
  });
});
