import { CliCredentialsStackSynthesizer } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { SalesforceConnectStackProps } from './salesforce-connect-stack';
import { LOG_LEVELS, SalesforceLogLevel } from './props';

export const DEFAULT_STACK_NAME = 'SfConnect';
export const DEFAULT_CREDENTIALS_PARAMETER = '/sf-connect/credentials';

/**
 * The standalone app's settings, read from CDK context (`cdk deploy -c
 * key=value`, or `context` in cdk.json). Values given on the command line
 * arrive as strings; lists are comma-separated.
 *
 * | key | meaning |
 * |---|---|
 * | stackName | CloudFormation stack name (default SfConnect) |
 * | credentialsParameter | SSM SecureString parameter with the credentials JSON (default /sf-connect/credentials) |
 * | secretId | or: a Secrets Manager secret name or ARN, read through /aws/reference/secretsmanager/ |
 * | kmsKeyArn | customer managed key of the parameter or secret (default: the AWS managed key) |
 * | loginUrl, apiVersion, username | SF_LOGIN_URL, SF_API_VERSION, SF_USERNAME |
 * | jwtAudience | SF_JWT_AUDIENCE |
 * | tokenCacheParameter | SSM parameter for the shared access-token cache, e.g. /sf-connect/token (created by the first container) |
 * | architecture | arm64 (default) or x86_64 |
 * | memorySize, timeoutSeconds, logRetentionDays, logLevel, destroyLogs | function settings |
 * | vpcId, subnetIds, securityGroupIds | VPC placement |
 * | connectInstanceArn | associate the functions with this Amazon Connect instance |
 * | functionNamePrefix | explicit names <prefix>sf-lookup, ... |
 * | functions | the functions to deploy, by name or operation, comma-separated (default all) |
 * | metricsNamespace | CloudWatch namespace of sf-core's metrics (default SalesforceConnect) |
 * | alarmTopicArn | SNS topic the alarms notify |
 * | dashboard | true: create the CloudWatch dashboard |
 * | flows | flow files to create in the Connect instance, comma-separated (needs connectInstanceArn) |
 * | aliasName | the alias each deploy moves to the new versions, and flows call (default live) |
 * | assetDir | where cargo lambda wrote <name>/bootstrap (default <repo>/target/lambda) |
 * | fileAssetsBucket, fileAssetsPrefix | for teams deploying the template without CDK: the template reads
 *   the function code from s3://<bucket>/<prefix><hash>.zip instead of the CDK bootstrap bucket, and
 *   needs no CDK bootstrap stack |
 */
export function stackPropsFromContext(node: Node): { stackName: string; props: SalesforceConnectStackProps } {
  const get = (key: string): unknown => {
    const value = node.tryGetContext(key);
    return value === '' || value === null ? undefined : value;
  };
  const text = (key: string): string | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
    return value.trim();
  };
  const integer = (key: string): number | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(n)) throw new Error(`context ${key} must be a whole number, got ${JSON.stringify(value)}`);
    return n;
  };
  const list = (key: string): string[] | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    const trimmed = items.map((s) => s.trim()).filter((s) => s.length > 0);
    return trimmed.length > 0 ? trimmed : undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
  };

  const architecture = text('architecture')?.toLowerCase();
  if (architecture !== undefined && architecture !== 'arm64' && architecture !== 'x86_64') {
    throw new Error(`context architecture must be arm64 or x86_64, got ${architecture}`);
  }
  const logLevel = text('logLevel')?.toUpperCase();
  if (logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new Error(`context logLevel must be one of ${LOG_LEVELS.join(', ')}, got ${logLevel}`);
  }
  const secretId = text('secretId');
  const credentialsParameterName = text('credentialsParameter') ?? (secretId === undefined ? DEFAULT_CREDENTIALS_PARAMETER : undefined);

  const fileAssetsBucket = text('fileAssetsBucket');
  const fileAssetsPrefix = text('fileAssetsPrefix');
  if (fileAssetsPrefix !== undefined && fileAssetsBucket === undefined) {
    throw new Error('context fileAssetsPrefix needs fileAssetsBucket');
  }

  return {
    stackName: text('stackName') ?? DEFAULT_STACK_NAME,
    props: {
      description: 'Salesforce Lambda functions for Amazon Connect contact flows',
      synthesizer:
        fileAssetsBucket !== undefined
          ? new CliCredentialsStackSynthesizer({ fileAssetsBucketName: fileAssetsBucket, bucketPrefix: fileAssetsPrefix ?? '' })
          : undefined,
      credentialsParameterName,
      secretId,
      kmsKeyArn: text('kmsKeyArn'),
      loginUrl: text('loginUrl'),
      jwtAudience: text('jwtAudience'),
      apiVersion: text('apiVersion'),
      username: text('username'),
      tokenCacheParameterName: text('tokenCacheParameter'),
      architecture: architecture as 'arm64' | 'x86_64' | undefined,
      memorySize: integer('memorySize'),
      timeoutSeconds: integer('timeoutSeconds'),
      logRetentionDays: integer('logRetentionDays'),
      logLevel: logLevel as SalesforceLogLevel | undefined,
      destroyLogs: flag('destroyLogs'),
      vpcId: text('vpcId'),
      subnetIds: list('subnetIds'),
      securityGroupIds: list('securityGroupIds'),
      connectInstanceArn: text('connectInstanceArn'),
      functionNamePrefix: text('functionNamePrefix'),
      aliasName: text('aliasName'),
      functions: list('functions'),
      metricsNamespace: text('metricsNamespace'),
      alarmTopicArn: text('alarmTopicArn'),
      dashboard: flag('dashboard'),
      flowFiles: list('flows'),
      assetDir: text('assetDir'),
    },
  };
}
