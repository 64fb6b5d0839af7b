import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SALESFORCE_FUNCTION_NAMES, SALESFORCE_FUNCTIONS, SalesforceConnectFunctions } from '../lib';
import { assetDir, logicalId, makeAssetDir, salesforceFunctions, synthFunctions } from './helpers';

describe('the functions of the catalogue', () => {
  it('are built from target/lambda/<name> with the documented defaults', () => {
    const { template, construct } = synthFunctions();
    const functions = salesforceFunctions(template);
    assert.equal(Object.keys(functions).length, SALESFORCE_FUNCTIONS.length);
    assert.deepEqual(Object.keys(construct.functions).sort(), [...SALESFORCE_FUNCTION_NAMES].sort());

    for (const spec of SALESFORCE_FUNCTIONS) {
      const id = logicalId(construct.functions[spec.name]);
      assert.ok(functions[id], `no function for ${spec.name}`);
      const p = functions[id].Properties!;
      assert.equal(p.Runtime, 'provided.al2023');
      assert.equal(p.Handler, 'bootstrap');
      assert.deepEqual(p.Architectures, ['arm64']);
      assert.equal(p.Timeout, 7);
      assert.equal(p.MemorySize, 128);
      assert.equal(p.FunctionName, undefined, 'names are left to CloudFormation without a prefix');
      assert.equal(p.Description, spec.description);
      assert.deepEqual(p.Environment.Variables, {
        SF_CREDENTIALS_PARAMETER: '/sf-connect/credentials',
        SF_LOGIN_URL: 'https://login.salesforce.com',
        SF_API_VERSION: 'v66.0',
        RUST_LOG: 'info',
        SF_METRICS_NAMESPACE: 'SalesforceConnect',
      });
      assert.equal(p.LoggingConfig.LogFormat, 'JSON');
      assert.equal(p.LoggingConfig.ApplicationLogLevel, 'INFO');
      assert.equal(p.VpcConfig, undefined);
    }
  });

  it('package each function from its own directory', () => {
    const app = new App();
    const stack = new Stack(app, 'Assets');
    const dir = makeAssetDir();
    // Give every bootstrap different bytes, so each gets its own asset.
    for (const name of SALESFORCE_FUNCTION_NAMES) fs.appendFileSync(path.join(dir, name, 'bootstrap'), name);
    new SalesforceConnectFunctions(stack, 'Functions', { credentialsParameterName: '/p', assetDir: dir });
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Assets.assets.json'), 'utf8'));
    const bootstraps = Object.values(manifest.files as Record<string, { source: { path: string } }>)
      .map((f) => path.join(assembly.directory, f.source.path, 'bootstrap'))
      .filter((file) => fs.existsSync(file));
    assert.equal(bootstraps.length, SALESFORCE_FUNCTIONS.length);
    const sources = bootstraps.map((file) => fs.readFileSync(file, 'utf8'));
    for (const name of SALESFORCE_FUNCTION_NAMES) {
      assert.equal(sources.filter((s) => s.endsWith(`# stand-in for ${name}\n${name}`)).length, 1, name);
    }
  });

  it('take x86_64, memory, timeout, log level and settings when asked', () => {
    const { template } = synthFunctions({
      architecture: lambda.Architecture.X86_64,
      memorySize: 256,
      timeout: Duration.seconds(5),
      logLevel: 'DEBUG',
      loginUrl: 'https://example.my.salesforce.com',
      jwtAudience: 'https://help.example.my.site.com',
      apiVersion: '62.0',
      username: 'integration@example.com',
    });
    for (const fn of Object.values(salesforceFunctions(template))) {
      const p = fn.Properties!;
      assert.deepEqual(p.Architectures, ['x86_64']);
      assert.equal(p.MemorySize, 256);
      assert.equal(p.Timeout, 5);
      assert.equal(p.LoggingConfig.ApplicationLogLevel, 'DEBUG');
      assert.deepEqual(p.Environment.Variables, {
        SF_CREDENTIALS_PARAMETER: '/sf-connect/credentials',
        SF_LOGIN_URL: 'https://example.my.salesforce.com',
        SF_API_VERSION: '62.0',
        SF_USERNAME: 'integration@example.com',
        SF_JWT_AUDIENCE: 'https://help.example.my.site.com',
        RUST_LOG: 'debug',
        SF_METRICS_NAMESPACE: 'SalesforceConnect',
      });
    }
  });

  it('get explicit names with a prefix', () => {
    const { template } = synthFunctions({ functionNamePrefix: 'prod-' });
    const names = Object.values(salesforceFunctions(template)).map((f) => f.Properties!.FunctionName);
    assert.deepEqual(names.sort(), SALESFORCE_FUNCTION_NAMES.map((n) => `prod-${n}`).sort());
  });

  it('each log to their own log group with the retention asked for', () => {
    const defaults = synthFunctions().template;
    // One per function, and the key lookup's (the same retention and removal policy).
    defaults.resourceCountIs('AWS::Logs::LogGroup', SALESFORCE_FUNCTIONS.length + 1);
    defaults.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    defaults.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });

    const { template } = synthFunctions({ logRetention: logs.RetentionDays.THREE_MONTHS, logRemovalPolicy: RemovalPolicy.DESTROY });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    const groups = new Set(Object.keys(template.findResources('AWS::Logs::LogGroup')));
    const used = Object.values(salesforceFunctions(template)).map((f) => f.Properties!.LoggingConfig.LogGroup.Ref);
    assert.equal(new Set(used).size, SALESFORCE_FUNCTIONS.length);
    for (const g of used) assert.ok(groups.has(g), `${g} is not a log group of the stack`);
  });

  it('run in a VPC only when one is given', () => {
    const none = synthFunctions().template;
    for (const fn of Object.values(salesforceFunctions(none))) assert.equal(fn.Properties!.VpcConfig, undefined);

    const { template } = synthFunctions((stack) => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-2a', 'eu-west-2b'] });
      return {
        vpc,
        vpcSubnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'A', 'subnet-0aaaaaaaaaaaaaaaa'), ec2.Subnet.fromSubnetId(stack, 'B', 'subnet-0bbbbbbbbbbbbbbbb')] },
        securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0')],
      };
    });
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.deepEqual(fn.Properties!.VpcConfig, { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], SecurityGroupIds: ['sg-0123456789abcdef0'] });
    }
    // No AWS managed policy: the network interface statements are the construct's own (permissions.test.ts).
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('Functions'));
    assert.equal(roles.length, SALESFORCE_FUNCTIONS.length);
    for (const [id, role] of roles) assert.equal(role.Properties.ManagedPolicyArns, undefined, id);
  });
});

describe('the construct refuses', () => {
  const build = (props: Record<string, unknown>, dir = assetDir()) => () =>
    new SalesforceConnectFunctions(new Stack(new App(), 'S'), 'F', { credentialsParameterName: '/p', assetDir: dir, ...props });

  it('a missing build, telling to run make build-lambdas', () => {
    const last = SALESFORCE_FUNCTION_NAMES[SALESFORCE_FUNCTION_NAMES.length - 1];
    const dir = makeAssetDir({ omit: last });
    assert.throws(build({}, dir), new RegExp(`${last}[/\\\\]bootstrap not found: run \`make build-lambdas\` first`));
  });

  it('a binary built for the other architecture', () => {
    assert.doesNotThrow(build({}, makeAssetDir({ elf: 'arm64' })));
    assert.throws(build({}, makeAssetDir({ elf: 'x86_64' })), /built for x86_64 but the functions are arm64/);
    assert.doesNotThrow(build({ architecture: lambda.Architecture.X86_64 }, makeAssetDir({ elf: 'x86_64' })));
  });

  it('a timeout past Amazon Connect\'s 8 seconds', () => {
    assert.doesNotThrow(build({ timeout: Duration.seconds(8) }));
    assert.throws(build({ timeout: Duration.seconds(9) }), /timeout must be between 1 and 8 seconds/);
  });

  it('bad settings', () => {
    assert.throws(build({ memorySize: 64 }), /memorySize/);
    assert.throws(build({ loginUrl: 'http://login.salesforce.com' }), /https/);
    for (const jwtAudience of ['http://login.salesforce.com', 'login.salesforce.com', 'https://login.salesforce.com?x=1', 'https://login.salesforce.com#x']) {
      assert.throws(build({ jwtAudience }), /jwtAudience must be an https:\/\/ URL/, jwtAudience);
    }
    assert.throws(build({ apiVersion: 'latest' }), /apiVersion/);
    assert.throws(build({ connectInstanceArn: 'arn:aws:connect:eu-west-2:123456789012:instance' }), /connectInstanceArn/);
    assert.throws(build({ credentialsParameterName: undefined }), /^Error: give exactly one of credentialsParameterName, credentialsParameter and credentialsSecret$/);
    assert.throws(build({ credentialsParameterName: '/aws/reference/secretsmanager/x' }), /credentialsSecret/);
    assert.throws(build({ credentialsParameterName: 'bad name!' }), /not a valid SSM parameter name/);
    assert.throws(build({ functionNamePrefix: 'x'.repeat(60) }), /not a valid Lambda name/);
    assert.throws(build({ securityGroups: [] }), /^Error: vpcSubnets and securityGroups need vpc$/);
  });
});
