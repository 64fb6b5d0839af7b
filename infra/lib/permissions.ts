import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AwsManagedKeyArn } from './aws-managed-key';
import { credentialsParameterName, SECRETS_MANAGER_REFERENCE_PREFIX, TOKEN_CACHE_LOCK_SUFFIX } from './function-environment';
import { DEFAULT_LOG_RETENTION, SalesforceConnectFunctionsProps } from './props';

// The statements of the functions' roles and of the key lookup's. Each has a
// sid saying what it is for, and names the resources it needs, no others;
// where IAM accepts only `*`, the comment says so. The props were validated
// before (validation.ts).

/** Writing to one log group: what a Lambda function needs to log. (The group exists: no CreateLogGroup.) */
export function writeLogsStatement(logGroup: logs.ILogGroup): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  });
}

/** The statements that let a function read the credentials, and nothing else. */
export function credentialsStatements(scope: Construct, props: SalesforceConnectFunctionsProps): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const secret = props.credentialsSecret;
  if (secret === undefined) {
    const keyArn = props.credentialsKey?.keyArn ?? managedKeyArn(scope, 'SsmManagedKey', 'alias/aws/ssm', props);
    return [
      new iam.PolicyStatement({
        sid: 'ReadCredentialsParameter',
        actions: ['ssm:GetParameter'],
        resources: [props.credentialsParameter?.parameterArn ?? parameterArn(stack, credentialsParameterName(props))],
      }),
      decryptThrough(stack, 'ssm', keyArn),
    ];
  }

  const keyArn =
    props.credentialsKey?.keyArn ??
    secret.encryptionKey?.keyArn ??
    managedKeyArn(scope, 'SecretsManagerManagedKey', 'alias/aws/secretsmanager', props);
  return [
    new iam.PolicyStatement({
      sid: 'ReadCredentialsSecretReference',
      actions: ['ssm:GetParameter'],
      resources: [
        stack.formatArn({
          service: 'ssm',
          resource: 'parameter',
          resourceName: `${SECRETS_MANAGER_REFERENCE_PREFIX.slice(1)}${secret.secretName}`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ReadCredentialsSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }),
    decryptThrough(stack, 'secretsmanager', keyArn),
  ];
}

/**
 * The statements for the shared token cache `name`: the token (a SecureString
 * the functions read and overwrite) and its lease `<name>-lock` (a String they
 * create, read and delete).
 */
export function tokenCacheStatements(scope: Construct, props: SalesforceConnectFunctionsProps): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const name = props.tokenCacheParameterName!;
  return [
    new iam.PolicyStatement({
      sid: 'ReadWriteTokenCache',
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [parameterArn(stack, name)],
    }),
    new iam.PolicyStatement({
      sid: 'TakeAndReleaseTokenCacheLease',
      actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'],
      resources: [parameterArn(stack, `${name}${TOKEN_CACHE_LOCK_SUFFIX}`)],
    }),
    // The functions pass no KeyId, so SSM encrypts the token with alias/aws/ssm.
    new iam.PolicyStatement({
      sid: 'EncryptDecryptTokenCache',
      actions: ['kms:Encrypt', 'kms:Decrypt'],
      resources: [managedKeyArn(scope, 'SsmManagedKey', 'alias/aws/ssm', props)],
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.${stack.urlSuffix}` } },
    }),
  ];
}

/**
 * Sending trace segments to X-Ray, for a function with tracing on. X-Ray's
 * actions have no resource types to scope them to: `*` is the only resource
 * IAM accepts for them.
 */
export function tracingStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'SendTracesToXRay',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resources: ['*'],
  });
}

/** The ARN of an AWS managed key, looked up once in `scope` however many statements name it. */
function managedKeyArn(scope: Construct, id: string, alias: string, props: SalesforceConnectFunctionsProps): string {
  const lookup =
    (scope.node.tryFindChild(id) as AwsManagedKeyArn | undefined) ?? new AwsManagedKeyArn(scope, id, alias, keyLookupFunction(scope, props));
  return lookup.keyArn;
}

/**
 * The role and log group of the function that looks the keys up (one per
 * stack, as CDK makes it): only its own logs to write, kept as long as the
 * functions' logs, and no AWS managed policy.
 */
function keyLookupFunction(scope: Construct, props: SalesforceConnectFunctionsProps): { role: iam.IRole; logGroup: logs.ILogGroup } {
  const stack = Stack.of(scope);
  const id = 'SalesforceKeyLookupFunction';
  const existing = stack.node.tryFindChild(id);
  if (existing !== undefined) {
    return { role: existing.node.findChild('Role') as iam.Role, logGroup: existing.node.findChild('Logs') as logs.LogGroup };
  }
  const parent = new Construct(stack, id);
  const logGroup = new logs.LogGroup(parent, 'Logs', {
    retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(parent, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Execution role of the deploy-time lookup of AWS managed KMS keys',
  });
  role.addToPrincipalPolicy(writeLogsStatement(logGroup));
  return { role, logGroup };
}

/**
 * What Lambda needs to put a function in a VPC: it creates, reuses and deletes
 * the function's network interfaces with the function's role. Creating one is
 * scoped to the function's subnets and security groups; network interfaces
 * are scoped to the account and region (their ids are not known in advance).
 */
export function vpcStatements(scope: Construct, subnetIds: string[], securityGroupIds: string[]): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ec2', resource, resourceName });
  const networkInterfaces = ec2Arn('network-interface', '*');
  return [
    new iam.PolicyStatement({
      sid: 'CreateNetworkInterfaceInFunctionSubnets',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        networkInterfaces,
        ...subnetIds.map((id) => ec2Arn('subnet', id)),
        ...securityGroupIds.map((id) => ec2Arn('security-group', id)),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ManageNetworkInterfaces',
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [networkInterfaces],
    }),
    // EC2's Describe actions support no resource-level permissions: IAM
    // accepts only `*` for them (the Service Authorization Reference lists
    // no resource type for them).
    new iam.PolicyStatement({
      sid: 'DescribeNetworkInterfacesAndSubnets',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
  ];
}

/** kms:Decrypt on one key, only when the named service asks on the caller's behalf. */
function decryptThrough(stack: Stack, service: 'ssm' | 'secretsmanager', keyArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: service === 'ssm' ? 'DecryptCredentialsParameter' : 'DecryptCredentialsSecret',
    actions: ['kms:Decrypt'],
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } },
  });
}

/** The ARN of a parameter in this stack's account and region; `/a/b` and `a/b` name the same parameter. */
function parameterArn(stack: Stack, name: string): string {
  return stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: name.replace(/^\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
