import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SALESFORCE_FUNCTIONS, SalesforceConnectFunctions } from '../lib';
import {
  ACCOUNT_ARN,
  assetDir,
  INSTANCE_ARN,
  actions,
  flatten,
  resources,
  roleStatements,
  salesforceFunctions,
  Statement,
  logicalId,
  synthFunctions,
} from './helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_COMPLETE_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:sfInvokeAPI/prod-AbC123';

/** Every function role's statements, checked to name no `*` resource; keyed by function logical id. */
function statementsByFunction(template: Template): Record<string, Statement[]> {
  const result: Record<string, Statement[]> = {};
  for (const id of Object.keys(salesforceFunctions(template))) {
    const statements = roleStatements(template, id);
    for (const s of statements) {
      assert.equal(s.Effect, 'Allow');
      for (const r of resources(s)) assert.ok(!r.includes('*'), `${id} has a wildcard resource ${r}`);
      for (const a of actions(s)) assert.ok(!a.includes('*'), `${id} has a wildcard action ${a}`);
    }
    result[id] = statements;
  }
  assert.equal(Object.keys(result).length, SALESFORCE_FUNCTIONS.length);
  return result;
}

/** Statements other than writing the function's own logs, which every role has. */
function credentialStatements(statements: Statement[]): Statement[] {
  const logs = statements.filter((s) => actions(s).every((a) => a.startsWith('logs:')));
  assert.equal(logs.length, 1);
  assert.equal(logs[0].Sid, 'WriteOwnLogs');
  assert.deepEqual(actions(logs[0]).sort(), ['logs:CreateLogStream', 'logs:PutLogEvents']);
  assert.equal(resources(logs[0]).length, 1);
  assert.match(resources(logs[0])[0], /^\$\{FunctionsSf\w+Logs\w+\.Arn\}$/);
  return statements.filter((s) => s !== logs[0]);
}

function managedKeyLookups(template: Template): Record<string, { alias: string }> {
  const found: Record<string, { alias: string }> = {};
  for (const [id, r] of Object.entries(template.findResources('Custom::AwsManagedKeyArn'))) {
    const call = JSON.parse(flatten(r.Properties.Create));
    assert.equal(call.action, 'DescribeKey');
    found[id] = { alias: call.parameters.KeyId };
  }
  return found;
}

describe('least privilege', () => {
  it('reads exactly the credentials parameter, decrypting with the AWS managed SSM key through SSM only', () => {
    const { template } = synthFunctions();
    const lookups = managedKeyLookups(template);
    assert.deepEqual(Object.values(lookups), [{ alias: 'alias/aws/ssm' }]);
    const lookupId = Object.keys(lookups)[0];

    for (const statements of Object.values(statementsByFunction(template))) {
      const rest = credentialStatements(statements);
      assert.equal(rest.length, 2);
      const [read, decrypt] = rest;
      assert.deepEqual(actions(read), ['ssm:GetParameter']);
      assert.deepEqual(resources(read), [ACCOUNT_ARN('ssm', 'parameter/sf-connect/credentials')]);
      assert.deepEqual(actions(decrypt), ['kms:Decrypt']);
      assert.deepEqual(resources(decrypt), [`\${${lookupId}.KeyMetadata.Arn}`]);
      assert.deepEqual(Object.keys(decrypt.Condition!), ['StringEquals']);
      assert.equal(flatten(decrypt.Condition!.StringEquals['kms:ViaService']), 'ssm.${AWS::Region}.${AWS::URLSuffix}');
    }
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
      if (id.startsWith('Functions')) assert.equal(role.Properties.ManagedPolicyArns, undefined, `${id} has a managed policy`);
    }
  });

  it('lets the key lookup describe only the key behind that alias', () => {
    const { template } = synthFunctions();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => actions(s).includes('kms:DescribeKey')),
    );
    assert.equal(policies.length, 1);
    const [statement] = policies[0].Properties.PolicyDocument.Statement as Statement[];
    assert.deepEqual(actions(statement), ['kms:DescribeKey']);
    assert.deepEqual(statement.Condition, { StringEquals: { 'kms:RequestAlias': 'alias/aws/ssm' } });
  });

  it('decrypts with the customer managed key when one is given, with no lookup', () => {
    const { template } = synthFunctions((stack) => ({ credentialsKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN) }));
    template.resourceCountIs('Custom::AwsManagedKeyArn', 0);
    for (const statements of Object.values(statementsByFunction(template))) {
      const decrypt = credentialStatements(statements).find((s) => actions(s).includes('kms:Decrypt'))!;
      assert.deepEqual(resources(decrypt), [KEY_ARN]);
    }
  });

  it('reads a Secrets Manager secret through the Parameter Store reference path', () => {
    const { template } = synthFunctions((stack) => ({
      credentialsSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'sfInvokeAPI/prod'),
    }));
    assert.deepEqual(Object.values(managedKeyLookups(template)), [{ alias: 'alias/aws/secretsmanager' }]);
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_CREDENTIALS_PARAMETER, '/aws/reference/secretsmanager/sfInvokeAPI/prod');
    }
    for (const statements of Object.values(statementsByFunction(template))) {
      const rest = credentialStatements(statements);
      assert.equal(rest.length, 3);
      const byAction = Object.fromEntries(rest.map((s) => [actions(s).join(','), s]));
      assert.deepEqual(resources(byAction['ssm:GetParameter']), [
        ACCOUNT_ARN('ssm', 'parameter/aws/reference/secretsmanager/sfInvokeAPI/prod'),
      ]);
      // The six characters Secrets Manager appends to the name, and nothing more.
      assert.deepEqual(resources(byAction['secretsmanager:GetSecretValue']), [
        ACCOUNT_ARN('secretsmanager', 'secret:sfInvokeAPI/prod-??????'),
      ]);
      const decrypt = byAction['kms:Decrypt'];
      assert.equal(flatten(decrypt.Condition!.StringEquals['kms:ViaService']), 'secretsmanager.${AWS::Region}.${AWS::URLSuffix}');
    }
  });

  it('names a secret given by complete ARN exactly, with its customer managed key', () => {
    const { template } = synthFunctions((stack) => ({
      credentialsSecret: secretsmanager.Secret.fromSecretAttributes(stack, 'Secret', {
        secretCompleteArn: SECRET_COMPLETE_ARN,
        encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
      }),
    }));
    template.resourceCountIs('Custom::AwsManagedKeyArn', 0);
    for (const statements of Object.values(statementsByFunction(template))) {
      const byAction = Object.fromEntries(credentialStatements(statements).map((s) => [actions(s).join(','), s]));
      assert.deepEqual(resources(byAction['secretsmanager:GetSecretValue']), [SECRET_COMPLETE_ARN]);
      assert.deepEqual(resources(byAction['kms:Decrypt']), [KEY_ARN]);
      assert.deepEqual(resources(byAction['ssm:GetParameter']), [
        ACCOUNT_ARN('ssm', 'parameter/aws/reference/secretsmanager/sfInvokeAPI/prod'),
      ]);
    }
  });
});

/** The token cache's statements: the three the construct adds, by action set. */
function tokenCacheStatements(statements: Statement[]): { token: Statement; lock: Statement; kms: Statement } {
  const byActions = (list: string[]) => {
    const found = statements.filter((s) => actions(s).slice().sort().join() === list.join());
    assert.equal(found.length, 1, `expected one statement allowing exactly ${list.join(', ')}`);
    return found[0];
  };
  return {
    token: byActions(['ssm:GetParameter', 'ssm:PutParameter']),
    lock: byActions(['ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:PutParameter']),
    kms: byActions(['kms:Decrypt', 'kms:Encrypt']),
  };
}

describe('the shared token cache', () => {
  it('is neither configured nor allowed when no parameter is named', () => {
    const { template } = synthFunctions();
    for (const statements of Object.values(statementsByFunction(template))) {
      const all = statements.flatMap(actions);
      for (const action of ['ssm:PutParameter', 'ssm:DeleteParameter', 'kms:Encrypt']) {
        assert.ok(!all.includes(action), `${action} granted without a token cache`);
      }
      // The credentials' GetParameter and Decrypt, and the logs: nothing else.
      assert.equal(credentialStatements(statements).length, 2);
    }
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_TOKEN_CACHE_PARAMETER, undefined);
    }
  });

  it('reads and overwrites the token, takes and releases its lease, and encrypts with alias/aws/ssm through SSM only', () => {
    const { template } = synthFunctions({ tokenCacheParameterName: '/sf-connect/token' });
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_TOKEN_CACHE_PARAMETER, '/sf-connect/token');
    }
    // One lookup of the AWS managed key, shared by the credentials and the cache.
    const lookups = managedKeyLookups(template);
    assert.deepEqual(Object.values(lookups), [{ alias: 'alias/aws/ssm' }]);
    const ssmKeyArn = `\${${Object.keys(lookups)[0]}.KeyMetadata.Arn}`;

    for (const statements of Object.values(statementsByFunction(template))) {
      const rest = credentialStatements(statements);
      assert.equal(rest.length, 5); // credentials read and decrypt, token, lock, token key
      const { token, lock, kms: key } = tokenCacheStatements(rest);

      assert.deepEqual(resources(token), [ACCOUNT_ARN('ssm', 'parameter/sf-connect/token')]);
      assert.equal(token.Condition, undefined);
      assert.deepEqual(resources(lock), [ACCOUNT_ARN('ssm', 'parameter/sf-connect/token-lock')]);
      assert.equal(lock.Condition, undefined);

      assert.deepEqual(resources(key), [ssmKeyArn]);
      assert.deepEqual(Object.keys(key.Condition!), ['StringEquals']);
      assert.deepEqual(Object.keys(key.Condition!.StringEquals), ['kms:ViaService']);
      assert.equal(flatten(key.Condition!.StringEquals['kms:ViaService']), 'ssm.${AWS::Region}.${AWS::URLSuffix}');

      // Writing and deleting reach nothing else; the credentials stay read-only.
      const where = (action: string) => rest.filter((s) => actions(s).includes(action)).flatMap(resources).sort();
      assert.deepEqual(where('ssm:PutParameter'), [
        ACCOUNT_ARN('ssm', 'parameter/sf-connect/token'),
        ACCOUNT_ARN('ssm', 'parameter/sf-connect/token-lock'),
      ]);
      assert.deepEqual(where('ssm:DeleteParameter'), [ACCOUNT_ARN('ssm', 'parameter/sf-connect/token-lock')]);
      assert.deepEqual(where('kms:Encrypt'), [ssmKeyArn]);
      assert.deepEqual(where('ssm:GetParameter'), [
        ACCOUNT_ARN('ssm', 'parameter/sf-connect/credentials'),
        ACCOUNT_ARN('ssm', 'parameter/sf-connect/token'),
        ACCOUNT_ARN('ssm', 'parameter/sf-connect/token-lock'),
      ]);
    }
  });

  it('names a parameter given without the leading slash the same way', () => {
    const { template } = synthFunctions({ tokenCacheParameterName: 'sf-connect-token' });
    for (const statements of Object.values(statementsByFunction(template))) {
      const { token, lock } = tokenCacheStatements(credentialStatements(statements));
      assert.deepEqual(resources(token), [ACCOUNT_ARN('ssm', 'parameter/sf-connect-token')]);
      assert.deepEqual(resources(lock), [ACCOUNT_ARN('ssm', 'parameter/sf-connect-token-lock')]);
    }
  });

  it('keeps alias/aws/ssm for the token when the credentials have a customer managed key', () => {
    const { template } = synthFunctions((stack) => ({
      credentialsKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
      tokenCacheParameterName: '/sf-connect/token',
    }));
    const lookups = managedKeyLookups(template);
    assert.deepEqual(Object.values(lookups), [{ alias: 'alias/aws/ssm' }]);
    for (const statements of Object.values(statementsByFunction(template))) {
      const rest = credentialStatements(statements);
      const { kms: key } = tokenCacheStatements(rest);
      assert.deepEqual(resources(key), [`\${${Object.keys(lookups)[0]}.KeyMetadata.Arn}`]);
      const decryptCredentials = rest.filter((s) => actions(s).join() === 'kms:Decrypt');
      assert.equal(decryptCredentials.length, 1);
      assert.deepEqual(resources(decryptCredentials[0]), [KEY_ARN]);
    }
  });

  it('works beside credentials in Secrets Manager, looking up both AWS managed keys', () => {
    const { template } = synthFunctions((stack) => ({
      credentialsSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'sfInvokeAPI/prod'),
      tokenCacheParameterName: '/sf-connect/token',
    }));
    const lookups = managedKeyLookups(template);
    assert.deepEqual(Object.values(lookups).map((l) => l.alias).sort(), ['alias/aws/secretsmanager', 'alias/aws/ssm']);
    const ssmLookup = Object.entries(lookups).find(([, l]) => l.alias === 'alias/aws/ssm')![0];
    for (const statements of Object.values(statementsByFunction(template))) {
      const rest = credentialStatements(statements);
      assert.equal(rest.length, 6);
      const { token, kms: key } = tokenCacheStatements(rest);
      assert.deepEqual(resources(token), [ACCOUNT_ARN('ssm', 'parameter/sf-connect/token')]);
      assert.deepEqual(resources(key), [`\${${ssmLookup}.KeyMetadata.Arn}`]);
    }
  });

  it('refuses a name that would overwrite the credentials, or that AWS reserves', () => {
    assert.throws(() => synthFunctions({ tokenCacheParameterName: '/sf-connect/credentials' }), /would overwrite the credentials parameter/);
    assert.throws(() => synthFunctions({ tokenCacheParameterName: 'sf-connect/credentials' }), /would overwrite the credentials parameter/);
    assert.throws(
      () => synthFunctions({ credentialsParameterName: '/sf-connect/token-lock', tokenCacheParameterName: '/sf-connect/token' }),
      /would overwrite the credentials parameter/,
    );
    assert.throws(() => synthFunctions({ tokenCacheParameterName: '/aws/token' }), /reserved by AWS/);
    assert.throws(() => synthFunctions({ tokenCacheParameterName: 'ssm-token' }), /reserved by AWS/);
    assert.throws(() => synthFunctions({ tokenCacheParameterName: '/sf-connect//token' }), /not a valid SSM parameter name/);
  });
});

describe('Amazon Connect', () => {
  it('is neither associated nor allowed to invoke without an instance ARN', () => {
    const { template } = synthFunctions();
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('gets an association and an invoke permission per function alias, from that instance and account only', () => {
    const { template } = synthFunctions({ connectInstanceArn: INSTANCE_ARN });
    // Connect calls each function's alias (Ref of an AWS::Lambda::Alias is its ARN), never $LATEST.
    const aliasIds = Object.keys(template.findResources('AWS::Lambda::Alias')).sort();
    assert.equal(aliasIds.length, SALESFORCE_FUNCTIONS.length);

    const associations = Object.values(template.findResources('AWS::Connect::IntegrationAssociation'));
    assert.equal(associations.length, SALESFORCE_FUNCTIONS.length);
    for (const a of associations) {
      assert.equal(a.Properties.InstanceId, INSTANCE_ARN);
      assert.equal(a.Properties.IntegrationType, 'LAMBDA_FUNCTION');
    }
    assert.deepEqual(associations.map((a) => a.Properties.IntegrationArn.Ref).sort(), aliasIds);

    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    assert.equal(permissions.length, SALESFORCE_FUNCTIONS.length);
    for (const p of permissions) {
      assert.equal(p.Properties.Action, 'lambda:InvokeFunction');
      assert.equal(p.Properties.Principal, 'connect.amazonaws.com');
      assert.equal(p.Properties.SourceArn, INSTANCE_ARN);
      assert.equal(p.Properties.SourceAccount, '123456789012');
    }
    assert.deepEqual(permissions.map((p) => p.Properties.FunctionName.Ref).sort(), aliasIds);
  });
});

/** Every statement of every policy in the template, with the policy's logical id. */
function allStatements(template: Template): [string, Statement][] {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, p]) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((s): [string, Statement] => [id, s]),
  );
}

/** The statements that name `*`, where IAM allows nothing narrower. */
const ONLY_STAR = ['SendTracesToXRay', 'DescribeNetworkInterfacesAndSubnets'];

describe('every IAM statement of the stack', () => {
  const configurations: [string, Parameters<typeof synthFunctions>[0]][] = [
    ['defaults', {}],
    ['a secret and the token cache', (stack) => ({
      credentialsSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'sfInvokeAPI/prod'),
      tokenCacheParameterName: '/sf-connect/token',
    })],
    ['a VPC, tracing and Connect', (stack) => ({
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-2a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] }),
      tracing: lambda.Tracing.ACTIVE,
      connectInstanceArn: INSTANCE_ARN,
    })],
  ];
  for (const [what, props] of configurations) {
    it(`says why it exists and names no '*' where IAM allows scoping, and no role has a managed policy (${what})`, () => {
      const { template } = synthFunctions(props);
      const statements = allStatements(template);
      assert.ok(statements.length > 0);
      for (const [policy, s] of statements) {
        assert.match(s.Sid ?? '', /^[A-Za-z0-9]+$/, `${policy}: a statement without a sid: ${JSON.stringify(s)}`);
        assert.equal(s.Effect, 'Allow');
        for (const a of actions(s)) assert.ok(!a.includes('*'), `${policy} ${s.Sid}: wildcard action ${a}`);
        if (resources(s).includes('*')) {
          assert.ok(ONLY_STAR.includes(s.Sid!), `${policy} ${s.Sid}: '*' resource`);
        }
      }
      for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
        assert.equal(role.Properties.ManagedPolicyArns, undefined, `${id} has a managed policy`);
        assert.equal(role.Properties.Policies, undefined, `${id} has a policy outside AWS::IAM::Policy`);
      }
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    });
  }

  it('lets a function in a VPC manage its network interfaces in its own subnets and security groups, describing with *', () => {
    const { template, construct } = synthFunctions((s) => ({
      functions: ['sf-lookup'],
      vpc: ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-2a', 'eu-west-2b'] }),
      vpcSubnets: { subnets: [ec2.Subnet.fromSubnetId(s, 'A', 'subnet-0aaaaaaaaaaaaaaaa'), ec2.Subnet.fromSubnetId(s, 'B', 'subnet-0bbbbbbbbbbbbbbbb')] },
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-0123456789abcdef0')],
    }));
    const id = logicalId(construct.functions['sf-lookup']);
    const bySid = Object.fromEntries(roleStatements(template, id).map((s) => [s.Sid, s]));
    assert.deepEqual(actions(bySid.CreateNetworkInterfaceInFunctionSubnets), ['ec2:CreateNetworkInterface']);
    assert.deepEqual(resources(bySid.CreateNetworkInterfaceInFunctionSubnets), [
      ACCOUNT_ARN('ec2', 'network-interface/*'),
      ACCOUNT_ARN('ec2', 'subnet/subnet-0aaaaaaaaaaaaaaaa'),
      ACCOUNT_ARN('ec2', 'subnet/subnet-0bbbbbbbbbbbbbbbb'),
      ACCOUNT_ARN('ec2', 'security-group/sg-0123456789abcdef0'),
    ]);
    assert.deepEqual(actions(bySid.ManageNetworkInterfaces).sort(), [
      'ec2:AssignPrivateIpAddresses',
      'ec2:DeleteNetworkInterface',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    assert.deepEqual(resources(bySid.ManageNetworkInterfaces), [ACCOUNT_ARN('ec2', 'network-interface/*')]);
    assert.deepEqual(actions(bySid.DescribeNetworkInterfacesAndSubnets).sort(), ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']);
    assert.deepEqual(resources(bySid.DescribeNetworkInterfacesAndSubnets), ['*']);
    // Lambda checks the role when it creates the function: the function waits for the policy.
    const fn = template.toJSON().Resources[id];
    const policyId = Object.entries(template.findResources('AWS::IAM::Policy')).find(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => s.Sid === 'ManageNetworkInterfaces'),
    )![0];
    assert.ok(fn.DependsOn.includes(policyId));
  });

  it('names the security group the function gets when none is given', () => {
    const { template, construct } = synthFunctions((s) => ({
      functions: ['sf-lookup'],
      vpc: ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-2a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] }),
    }));
    const id = logicalId(construct.functions['sf-lookup']);
    const create = roleStatements(template, id).find((s) => s.Sid === 'CreateNetworkInterfaceInFunctionSubnets')!;
    const [group] = Object.keys(template.findResources('AWS::EC2::SecurityGroup'));
    assert.deepEqual(resources(create).slice(1), [ACCOUNT_ARN('ec2', 'subnet/subnet-0aaaaaaaaaaaaaaaa'), ACCOUNT_ARN('ec2', `security-group/\${${group}.GroupId}`)]);
  });

  it('gives the key lookup its own role, writing only to its own log group, kept as long as the functions\' logs', () => {
    const { template } = synthFunctions({ logRetention: 90 });
    const provider = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) => f.Properties.Handler !== 'bootstrap');
    assert.equal(provider.length, 1);
    const [providerId, fn] = provider[0];
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    assert.equal(template.toJSON().Resources[logGroupId].Properties.RetentionInDays, 90);
    const statements = roleStatements(template, providerId);
    assert.deepEqual(statements.map((s) => s.Sid).sort(), ['DescribeKeyBehindAlias', 'WriteOwnLogs']);
    const logs = statements.find((s) => s.Sid === 'WriteOwnLogs')!;
    assert.deepEqual(actions(logs), ['logs:CreateLogStream', 'logs:PutLogEvents']);
    assert.deepEqual(resources(logs), [`\${${logGroupId}.Arn}`]);
    assert.equal(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns, undefined);
  });
});

describe('the Connect instance', () => {
  const build = (env: { region: string; account: string } | undefined) => () =>
    new SalesforceConnectFunctions(new Stack(new App(), 'S', { env }), 'F', {
      credentialsParameterName: '/p',
      assetDir: assetDir(),
      functions: ['sf-lookup'],
      connectInstanceArn: INSTANCE_ARN,
    });

  it('must be in the stack\'s region and account when both are known', () => {
    assert.throws(build({ region: 'eu-west-1', account: '123456789012' }), /connectInstanceArn names an instance in region eu-west-2, but the stack deploys to region eu-west-1/);
    assert.throws(build({ region: 'eu-west-2', account: '210987654321' }), /connectInstanceArn names an instance in account 123456789012, but the stack deploys to account 210987654321/);
    assert.doesNotThrow(build({ region: 'eu-west-2', account: '123456789012' }));
    assert.doesNotThrow(build(undefined), 'an environment-agnostic stack is checked at deploy time by Connect');
  });
});
