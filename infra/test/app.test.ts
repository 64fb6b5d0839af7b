import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  arnOutputKey,
  SALESFORCE_FUNCTION_NAMES,
  SALESFORCE_FUNCTIONS,
  SalesforceConnectStack,
  SalesforceConnectStackProps,
  stackPropsFromContext,
} from '../lib';
import { INFRA_DIR, INSTANCE_ARN, makeAssetDir, salesforceFunctions } from './helpers';

function stackFromContext(context: Record<string, unknown>): Template {
  const app = new App({ context });
  const { stackName, props } = stackPropsFromContext(app.node);
  return Template.fromStack(new SalesforceConnectStack(app, stackName, props));
}

describe('the standalone app', () => {
  it('reads its settings from context, as strings from -c or typed from cdk.json', () => {
    const app = new App({
      context: {
        secretId: 'sfInvokeAPI/prod',
        architecture: 'X86_64',
        memorySize: '256',
        timeoutSeconds: 6,
        logRetentionDays: '14',
        subnetIds: 'subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb',
        securityGroupIds: ['sg-0123456789abcdef0'],
        vpcId: 'vpc-0123456789abcdef0',
        destroyLogs: 'true',
        logLevel: 'debug',
      },
    });
    const { stackName, props } = stackPropsFromContext(app.node);
    assert.equal(stackName, 'SfConnect');
    assert.equal(props.credentialsParameterName, undefined);
    assert.equal(props.secretId, 'sfInvokeAPI/prod');
    assert.equal(props.architecture, 'x86_64');
    assert.equal(props.memorySize, 256);
    assert.equal(props.timeoutSeconds, 6);
    assert.equal(props.logRetentionDays, 14);
    assert.deepEqual(props.subnetIds, ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    assert.deepEqual(props.securityGroupIds, ['sg-0123456789abcdef0']);
    assert.equal(props.destroyLogs, true);
    assert.equal(props.logLevel, 'DEBUG');

    const defaults = stackPropsFromContext(new App().node);
    assert.equal(defaults.props.credentialsParameterName, '/sf-connect/credentials');
    assert.throws(() => stackPropsFromContext(new App({ context: { architecture: 'ppc' } }).node), /arm64 or x86_64/);
    assert.throws(() => stackPropsFromContext(new App({ context: { memorySize: 'lots' } }).node), /whole number/);
  });

  it('outputs every function alias ARN and takes a secret, a key, a VPC and an instance from context', () => {
    const template = stackFromContext({
      assetDir: makeAssetDir(),
      secretId: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:sfInvokeAPI/prod-AbC123',
      kmsKeyArn: 'arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb',
      securityGroupIds: 'sg-0123456789abcdef0',
      connectInstanceArn: INSTANCE_ARN,
      logRetentionDays: '90',
    });
    const outputs = template.findOutputs('*');
    for (const name of SALESFORCE_FUNCTION_NAMES) {
      const output = outputs[arnOutputKey(name)];
      assert.ok(output, `no output for ${name}`);
      // The alias's ARN (Ref of an AWS::Lambda::Alias), which flows call.
      assert.equal(template.toJSON().Resources[output.Value.Ref]?.Type, 'AWS::Lambda::Alias', name);
    }
    assert.equal(outputs.CredentialsParameter.Value, '/aws/reference/secretsmanager/sfInvokeAPI/prod');
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', SALESFORCE_FUNCTIONS.length);
    template.resourceCountIs('Custom::AwsManagedKeyArn', 0);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.deepEqual(fn.Properties!.VpcConfig, { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], SecurityGroupIds: ['sg-0123456789abcdef0'] });
    }
  });

  it('takes the functions, the alias, the metrics namespace, an alarm topic and the dashboard from context', () => {
    const template = stackFromContext({
      assetDir: makeAssetDir(),
      functions: 'phoneLookup, sf-create',
      aliasName: 'prod',
      metricsNamespace: 'SalesforceConnect/prod',
      alarmTopicArn: 'arn:aws:sns:eu-west-2:123456789012:contact-centre-alarms',
      dashboard: 'true',
    });
    assert.equal(Object.keys(salesforceFunctions(template)).length, 2);
    template.allResourcesProperties('AWS::Lambda::Alias', { Name: 'prod' });
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_METRICS_NAMESPACE, 'SalesforceConnect/prod');
    }
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))) {
      assert.deepEqual(alarm.Properties.AlarmActions, ['arn:aws:sns:eu-west-2:123456789012:contact-centre-alarms']);
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('refuses settings that cannot work', () => {
    const dir = makeAssetDir();
    assert.throws(
      () => stackFromContext({ assetDir: dir, secretId: 's', credentialsParameter: '/p' }),
      /give exactly one of credentialsParameterName and secretId, not both/,
    );
    assert.throws(() => stackFromContext({ assetDir: dir, vpcId: 'vpc-0123456789abcdef0' }), /vpcId needs subnetIds/);
    assert.throws(() => stackFromContext({ assetDir: dir, kmsKeyArn: 'alias/aws/ssm' }), /key ARN/);
    assert.throws(() => stackFromContext({ assetDir: dir, logRetentionDays: '10' }), /logRetentionDays must be one of/);
  });

  it('names its own props when it refuses them, not the construct\'s', () => {
    const stack = (props: SalesforceConnectStackProps) => () => new SalesforceConnectStack(new App(), 'S', { assetDir: makeAssetDir(), ...props });
    assert.throws(stack({}), /^Error: give exactly one of credentialsParameterName and secretId$/);
    assert.throws(stack({ credentialsParameterName: '/p', secretId: 's' }), /^Error: give exactly one of credentialsParameterName and secretId, not both$/);
    assert.throws(stack({ credentialsParameterName: '/p', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] }), /^Error: subnetIds and securityGroupIds need vpcId$/);
    assert.throws(stack({ credentialsParameterName: '/p', securityGroupIds: ['sg-0123456789abcdef0'] }), /^Error: subnetIds and securityGroupIds need vpcId$/);
  });

  /** `cdk synth` as `npm run synth` runs it, with no AWS credentials or config in reach. */
  function cdkSynth(outDir: string, context: string[]) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-home-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home, // no ~/.aws, no cached CDK settings
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
    };
    const cli = require.resolve('aws-cdk/bin/cdk');
    try {
      return spawnSync(
        process.execPath,
        [cli, 'synth', '--no-notices', '--quiet', '--output', outDir, ...context.flatMap((c) => ['-c', c])],
        { cwd: INFRA_DIR, env, encoding: 'utf8', timeout: 180_000 },
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }

  it('tells to run make build-lambdas when the build is missing', () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-cdk-out-'));
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-no-build-'));
    try {
      const run = cdkSynth(outDir, [`assetDir=${emptyDir}`]);
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, new RegExp(`sf-connect: .*${SALESFORCE_FUNCTION_NAMES[0]}[/\\\\]bootstrap not found: run \`make build-lambdas\` first`));
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('synthesizes offline through the CDK CLI, with no AWS credentials', () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-cdk-out-'));
    const run = cdkSynth(outDir, [
      `assetDir=${makeAssetDir({ elf: 'x86_64' })}`,
      'architecture=x86_64',
      `connectInstanceArn=${INSTANCE_ARN}`,
      'stackName=SfConnectCliTest',
      'tokenCacheParameter=/sf-connect/token',
    ]);
    try {
      assert.equal(run.status, 0, `cdk synth failed:\n${run.stdout}\n${run.stderr}`);
      const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outDir, 'SfConnectCliTest.template.json'), 'utf8')));
      const functions = Object.values(salesforceFunctions(template));
      assert.equal(functions.length, SALESFORCE_FUNCTIONS.length);
      for (const fn of functions) {
        assert.deepEqual(fn.Properties!.Architectures, ['x86_64']);
        assert.equal(fn.Properties!.Environment.Variables.SF_TOKEN_CACHE_PARAMETER, '/sf-connect/token');
      }
      template.resourceCountIs('AWS::Lambda::Permission', SALESFORCE_FUNCTIONS.length);
      assert.equal(Object.keys(template.findOutputs('*')).filter((k) => k.endsWith('Arn')).length, SALESFORCE_FUNCTIONS.length);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
