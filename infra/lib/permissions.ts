import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AwsManagedKeyArn } from './aws-managed-key';
import { credentialsParameterName, SECRETS_MANAGER_REFERENCE_PREFIX, TOKEN_CACHE_LOCK_SUFFIX } from './function-environment';
import { SalesforceConnectFunctionsProps } from './props';

// The statements every function's role carries beyond writing its own logs.
// Each names one resource; the props were validated before (validation.ts).

/** The statements that let a function read the credentials, and nothing else. */
export function credentialsStatements(scope: Construct, props: SalesforceConnectFunctionsProps): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const secret = props.credentialsSecret;
  if (secret === undefined) {
    const keyArn = props.credentialsKey?.keyArn ?? managedKeyArn(scope, 'SsmManagedKey', 'alias/aws/ssm');
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
    managedKeyArn(scope, 'SecretsManagerManagedKey', 'alias/aws/secretsmanager');
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
export function tokenCacheStatements(scope: Construct, name: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
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
      resources: [managedKeyArn(scope, 'SsmManagedKey', 'alias/aws/ssm')],
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
function managedKeyArn(scope: Construct, id: string, alias: string): string {
  const lookup = (scope.node.tryFindChild(id) as AwsManagedKeyArn | undefined) ?? new AwsManagedKeyArn(scope, id, alias);
  return lookup.keyArn;
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
