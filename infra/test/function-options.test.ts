import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { arnOutputKey, SALESFORCE_FUNCTIONS, SalesforceConnectFunctions, SalesforceConnectStack } from '../lib';
import { CONSTRUCT_VARIABLES, functionEnvironment } from '../lib/function-environment';
import { ACCOUNT_ARN, actions, assetDir, logicalId, makeAssetDir, resources, roleStatements, salesforceFunctions, synthFunctions } from './helpers';

/** The template's resources of the function `name` deployed by `construct`. */
function functionOf(template: Template, construct: SalesforceConnectFunctions, name: string) {
  const id = logicalId(construct.functions[name]);
  return { id, properties: template.toJSON().Resources[id].Properties };
}

describe('choosing the functions', () => {
  it('deploys only the functions named, by name or by an operation they serve, needing only their binaries', () => {
    const app = new App();
    const stack = new SalesforceConnectStack(app, 'Chosen', {
      credentialsParameterName: '/p',
      assetDir: makeAssetDir({ omit: 'sf-delete' }),
      functions: ['sf-phone-lookup', 'create', 'lookup_all', 'lookup'],
    });
    const template = Template.fromStack(stack);
    assert.deepEqual(Object.keys(stack.functions.functions), ['sf-lookup', 'sf-create', 'sf-phone-lookup']);
    assert.deepEqual(Object.keys(stack.functions.aliases), ['sf-lookup', 'sf-create', 'sf-phone-lookup']);
    assert.equal(Object.keys(salesforceFunctions(template)).length, 3);
    template.resourceCountIs('AWS::Lambda::Alias', 3);
    template.resourceCountIs('AWS::Logs::LogGroup', 3 + 1); // and the key lookup's
    const outputs = Object.keys(template.findOutputs('*')).filter((k) => k.endsWith('Arn')).sort();
    assert.deepEqual(outputs, ['sf-create', 'sf-lookup', 'sf-phone-lookup'].map(arnOutputKey).sort());
  });

  it('refuses a name that is neither a function nor an operation, an empty list, and options for a function left out', () => {
    assert.throws(() => synthFunctions({ functions: ['sf-delete', 'remove'] }), /functions names "remove", which is neither a function nor an operation; expected one of sf-lookup \(lookup, lookup_all\)/);
    assert.throws(() => synthFunctions({ functions: [] }), /functions names no function/);
    assert.throws(
      () => synthFunctions({ functions: ['lookup'], functionOptions: { 'sf-delete': { memorySize: 256 } } }),
      /functionOptions names sf-delete, which functions leaves out/,
    );
  });
});

describe('per-function options', () => {
  it('set memory, timeout, reserved concurrency, environment additions, tracing and other Lambda options on that function only', () => {
    const { template, construct } = synthFunctions({
      functionOptions: {
        'sf-search': {
          memorySize: 512,
          timeout: Duration.seconds(8),
          reservedConcurrentExecutions: 20,
          environment: { SF_API_USAGE_WARNING_PERCENT: '90' },
          tracing: lambda.Tracing.ACTIVE,
          lambdaOptions: { ephemeralStorageSize: Size.mebibytes(1024), description: 'SOSL for the IVR' },
        },
      },
    });
    const search = functionOf(template, construct, 'sf-search');
    assert.equal(search.properties.MemorySize, 512);
    assert.equal(search.properties.Timeout, 8);
    assert.equal(search.properties.ReservedConcurrentExecutions, 20);
    assert.equal(search.properties.Environment.Variables.SF_API_USAGE_WARNING_PERCENT, '90');
    assert.equal(search.properties.Environment.Variables.SF_LOGIN_URL, 'https://login.salesforce.com');
    assert.deepEqual(search.properties.TracingConfig, { Mode: 'Active' });
    assert.deepEqual(search.properties.EphemeralStorage, { Size: 1024 });
    assert.equal(search.properties.Description, 'SOSL for the IVR');
    const xray = roleStatements(template, search.id).filter((s) => actions(s).some((a) => a.startsWith('xray:')));
    assert.equal(xray.length, 1, 'one X-Ray statement, the construct\'s');
    assert.equal(xray[0].Sid, 'SendTracesToXRay');
    assert.deepEqual(actions(xray[0]).sort(), ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);

    for (const [name] of Object.entries(construct.functions).filter(([n]) => n !== 'sf-search')) {
      const other = functionOf(template, construct, name);
      assert.equal(other.properties.MemorySize, 128, name);
      assert.equal(other.properties.Timeout, 7, name);
      assert.equal(other.properties.ReservedConcurrentExecutions, undefined, name);
      assert.equal(other.properties.TracingConfig, undefined, name);
      assert.equal(other.properties.Environment.Variables.SF_API_USAGE_WARNING_PERCENT, undefined, name);
      assert.ok(!roleStatements(template, other.id).some((s) => actions(s).some((a) => a.startsWith('xray:'))), name);
    }
  });

  it('take tracing for every function from the construct, which a function may turn off', () => {
    const { template, construct } = synthFunctions({
      tracing: lambda.Tracing.ACTIVE,
      functionOptions: { 'sf-delete': { tracing: lambda.Tracing.DISABLED } },
    });
    for (const spec of SALESFORCE_FUNCTIONS) {
      const fn = functionOf(template, construct, spec.name);
      assert.deepEqual(fn.properties.TracingConfig, spec.name === 'sf-delete' ? undefined : { Mode: 'Active' }, spec.name);
    }
  });

  it('know every variable the construct sets, so that none can be replaced', () => {
    const all = functionEnvironment({
      credentialsParameterName: '/p',
      username: 'u@example.com',
      tokenCacheParameterName: '/t',
      jwtAudience: 'https://login.salesforce.com',
    });
    assert.deepEqual(Object.keys(all).sort(), [...CONSTRUCT_VARIABLES].sort());
  });

  it('refuse what the construct sets or cannot deploy, naming the function\'s option', () => {
    const build = (options: Record<string, unknown>) => () =>
      new SalesforceConnectFunctions(new Stack(new App(), 'S'), 'F', {
        credentialsParameterName: '/p',
        assetDir: assetDir(),
        functionOptions: { 'sf-create': options },
      });
    assert.throws(build({ timeout: Duration.seconds(10) }), /functionOptions\['sf-create'\]\.timeout must be between 1 and 8 seconds/);
    assert.throws(build({ memorySize: 100 }), /functionOptions\['sf-create'\]\.memorySize must be a whole number of MB/);
    assert.throws(build({ reservedConcurrentExecutions: -1 }), /functionOptions\['sf-create'\]\.reservedConcurrentExecutions must be a whole number of at least 0/);
    assert.throws(
      build({ reservedConcurrentExecutions: 2, provisionedConcurrentExecutions: 3 }),
      /functionOptions\['sf-create'\]\.provisionedConcurrentExecutions \(3\) may not exceed its reservedConcurrentExecutions \(2\)/,
    );
    assert.throws(build({ environment: { SF_LOGIN_URL: 'https://x.my.salesforce.com' } }), /environment sets SF_LOGIN_URL, which the construct sets from its own props/);
    assert.throws(build({ environment: { SF_TOKEN_CACHE_PARAMETER: '/t' } }), /environment sets SF_TOKEN_CACHE_PARAMETER/);
    assert.throws(build({ environment: { AWS_REGION: 'us-east-1' } }), /a name Lambda reserves/);
  });
});

describe('credentials as an SSM parameter object', () => {
  it('reads the parameter it names', () => {
    const { template } = synthFunctions((stack) => ({
      credentialsParameter: ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Creds', { parameterName: '/team/sf-credentials' }),
    }));
    for (const [id, fn] of Object.entries(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_CREDENTIALS_PARAMETER, '/team/sf-credentials');
      const read = roleStatements(template, id).find((s) => s.Sid === 'ReadCredentialsParameter')!;
      assert.deepEqual(actions(read), ['ssm:GetParameter']);
      assert.deepEqual(resources(read), [ACCOUNT_ARN('ssm', 'parameter/team/sf-credentials')]);
    }
  });

  it('is one of three ways to name the credentials', () => {
    assert.throws(
      () => synthFunctions((stack) => ({ credentialsParameter: ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'C', { parameterName: '/x' }), credentialsParameterName: '/y' })),
      /^Error: give exactly one of credentialsParameterName, credentialsParameter and credentialsSecret, not both$/,
    );
  });
});
