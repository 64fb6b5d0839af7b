import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SalesforceContactFlow } from './flows/contact-flow-resources';

export const DEFAULT_TIMEOUT = Duration.seconds(7);
export const DEFAULT_MEMORY_SIZE = 128;
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** The application log levels, as Lambda's JSON log-level filter names them. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export type SalesforceLogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: SalesforceLogLevel = 'INFO';
export const DEFAULT_ALIAS_NAME = 'live';

/** Which alarms the construct creates, and their thresholds. Each is on unless set to false. */
export interface SalesforceAlarmsProps {
  /** Per function: Lambda's Errors / Invocations above the threshold. @default true */
  readonly errorRate?: boolean;
  /** @default 5 (percent of calls) */
  readonly errorRateThresholdPercent?: number;
  /** Per function: the p99 duration close to the function's timeout. @default true */
  readonly duration?: boolean;
  /** @default 80 (percent of the timeout) */
  readonly durationThresholdPercent?: number;
  /** Per function: any call throttled. @default true */
  readonly throttles?: boolean;
  /** The org's API usage (sf-core's `ApiUsed` / `ApiLimit`) past the threshold. @default true */
  readonly apiUsage?: boolean;
  /** @default 80 (percent of the org's daily allowance) */
  readonly apiUsageThresholdPercent?: number;
}

/**
 * The Lambda function options a team may set on a function beyond those with
 * an option of their own. Left out, because the construct owns them: the role
 * (least privilege), the environment (`environment` adds to it), the code's
 * architecture, the VPC placement, the logging, the name and the versions.
 * Options that need more permissions (a dead-letter queue, Lambda Insights,
 * layers from another account, ...) add them to the function's role.
 */
export type SalesforceLambdaOptions = Omit<
  lambda.FunctionOptions,
  | 'role'
  | 'initialPolicy'
  | 'environment'
  | 'memorySize'
  | 'timeout'
  | 'tracing'
  | 'reservedConcurrentExecutions'
  | 'functionName'
  | 'architecture'
  | 'vpc'
  | 'vpcSubnets'
  | 'securityGroups'
  | 'allowPublicSubnet'
  | 'logGroup'
  | 'logRetention'
  | 'logRemovalPolicy'
  | 'logRetentionRole'
  | 'logRetentionRetryOptions'
  | 'logFormat'
  | 'loggingFormat'
  | 'applicationLogLevel'
  | 'applicationLogLevelV2'
  | 'systemLogLevel'
  | 'systemLogLevelV2'
  | 'currentVersionOptions'
>;

/** Settings of one function, overriding the construct's. */
export interface SalesforceFunctionOptions {
  /** @default the construct's `memorySize` */
  readonly memorySize?: number;

  /** At most 8 seconds. @default the construct's `timeout` */
  readonly timeout?: Duration;

  /**
   * Concurrent executions reserved for this function (and the most it may
   * run at once), e.g. to keep one busy function from taking the account's
   * whole concurrency.
   * @default none: the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Variables added to the function's environment. The ones the construct
   * sets (`SF_LOGIN_URL`, ...) have props of their own and may not be given here.
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;

  /** X-Ray tracing. @default the construct's `tracing` */
  readonly tracing?: lambda.Tracing;

  /** Any other Lambda function option. @default none */
  readonly lambdaOptions?: SalesforceLambdaOptions;

  /**
   * Provisioned concurrency on the function's alias: this many execution
   * environments kept initialised, so a call from a flow never waits for a
   * cold start. Charged while configured.
   * @default none
   */
  readonly provisionedConcurrentExecutions?: number;
}

export interface SalesforceConnectFunctionsProps {
  /**
   * Name of the SSM SecureString parameter that holds the credentials JSON,
   * such as `/sf-connect/credentials`. Give this, `credentialsParameter` or
   * `credentialsSecret`.
   * @default none: then `credentialsParameter` or `credentialsSecret`
   */
  readonly credentialsParameterName?: string;

  /**
   * The SSM SecureString parameter that holds the credentials JSON, as an
   * object (`ssm.StringParameter.fromSecureStringParameterAttributes`, or a
   * parameter of your own stack). Give this, `credentialsParameterName` or
   * `credentialsSecret`.
   * @default none: then `credentialsParameterName` or `credentialsSecret`
   */
  readonly credentialsParameter?: ssm.IParameter;

  /**
   * An existing Secrets Manager secret holding the credentials JSON (for
   * instance the secret of the older single-function integration). The
   * functions read it through Parameter Store's
   * `/aws/reference/secretsmanager/<secret-name>` path. Give this,
   * `credentialsParameterName` or `credentialsParameter`.
   * @default none: then `credentialsParameterName` or `credentialsParameter`
   */
  readonly credentialsSecret?: secretsmanager.ISecret;

  /**
   * The KMS key that encrypts the credentials. Import it by key ARN
   * (`kms.Key.fromKeyArn`), not by alias: IAM checks kms:Decrypt against the
   * key's ARN.
   *
   * @default the AWS managed key: `alias/aws/ssm` for a parameter, the
   * secret's own `encryptionKey` or else `alias/aws/secretsmanager` for a
   * secret. The AWS managed key's ARN is resolved at deploy time.
   */
  readonly credentialsKey?: kms.IKey;

  /**
   * Base URL of the org's OAuth token endpoint (env `SF_LOGIN_URL`), with no
   * path: `https://login.salesforce.com`, `https://test.salesforce.com` or
   * the org's My Domain URL.
   * @default https://login.salesforce.com
   */
  readonly loginUrl?: string;

  /**
   * Salesforce REST API version (env `SF_API_VERSION`): a major version,
   * `v66.0` or `66.0`, as sf-core requires.
   * @default v66.0
   */
  readonly apiVersion?: string;

  /**
   * The JWT bearer assertion's `aud` (env `SF_JWT_AUDIENCE`), where sf-core's rule does
   * not fit: an Experience Cloud site URL, say. sf-core otherwise sends
   * `https://login.salesforce.com` for production orgs and `https://test.salesforce.com`
   * for sandboxes and scratch orgs, from `loginUrl`'s host.
   * @default from `loginUrl`
   */
  readonly jwtAudience?: string;

  /**
   * The integration user, where the credentials JSON has no `Username` (env `SF_USERNAME`).
   * @default the credentials JSON's `Username`
   */
  readonly username?: string;

  /**
   * Name of an SSM parameter used as a shared access-token cache (env
   * `SF_TOKEN_CACHE_PARAMETER`), such as `/sf-connect/token`. It need not
   * exist: the first container to log in creates it.
   *
   * The functions store the token there as a SecureString (PutParameter with
   * Overwrite, no KeyId, so SSM encrypts it with the AWS managed key
   * `alias/aws/ssm`) and hold a lease on `<name>-lock` (a String created with
   * Overwrite=false and deleted when released) so that only one cold container
   * logs in at a time. Each function may therefore: ssm:GetParameter and
   * ssm:PutParameter on both parameters, ssm:DeleteParameter on the lock only,
   * and kms:Encrypt and kms:Decrypt on the `alias/aws/ssm` key through SSM
   * only. That key's ARN is resolved at deploy time, as for the credentials.
   * @default no shared token cache
   */
  readonly tokenCacheParameterName?: string;

  /**
   * The functions to deploy, each named by its package name (`sf-lookup`) or
   * by an `sf_operation` it serves (`lookup_all`). Only their binaries are
   * needed at synth. A team that never deletes records leaves out `sf-delete`.
   * @default every function of `functions.json`
   */
  readonly functions?: readonly string[];

  /** X-Ray tracing of every function (`functionOptions` may override it per function). @default lambda.Tracing.DISABLED */
  readonly tracing?: lambda.Tracing;

  /** @default lambda.Architecture.ARM_64 (build with `cargo lambda build --release --arm64`) */
  readonly architecture?: lambda.Architecture;

  /** @default 128 */
  readonly memorySize?: number;

  /** At most 8 seconds, Amazon Connect's limit for a Lambda call. @default 7 seconds */
  readonly timeout?: Duration;

  /** Retention of each function's log group. @default one month */
  readonly logRetention?: logs.RetentionDays;

  /** What happens to the log groups when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Application log level: Lambda's JSON log-level filter (which the Rust
   * runtime reads as `AWS_LAMBDA_LOG_LEVEL`) and `RUST_LOG`.
   * @default INFO
   */
  readonly logLevel?: SalesforceLogLevel;

  /**
   * Run the functions in this VPC (they need a route to Salesforce, e.g. a NAT gateway).
   * @default not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /** Subnets in `vpc`. @default the VPC's private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /** Security groups in `vpc`. @default one new group with all outbound traffic allowed */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * ARN of the Amazon Connect instance. When given, every function is
   * associated with the instance (so it is listed in the flow designer) and
   * Connect, from this instance and account only, may invoke it.
   * @default no association: add the functions to the instance by hand
   */
  readonly connectInstanceArn?: string;

  /**
   * Flows and flow modules to create in the Connect instance (opt-in; needs
   * `connectInstanceArn`), with their Lambda blocks calling the functions'
   * aliases: `[{ file: SAMPLE_FLOW_FILE }]` deploys the sample flow.
   * @default no flows
   */
  readonly flows?: readonly SalesforceContactFlow[];

  /**
   * Prefix for explicit function names (`<prefix>sf-lookup`, ...). Without it
   * CloudFormation generates the names, so several copies can share an
   * account.
   * @default names generated by CloudFormation
   */
  readonly functionNamePrefix?: string;

  /**
   * Name of the alias every function gets. Each deploy publishes a version of
   * each function and points this alias at it; the Connect association, the
   * invoke permission, the stack outputs and the flows use the alias's ARN,
   * so rolling back is moving the alias to an earlier version
   * (`aws lambda update-alias`).
   * @default live
   */
  readonly aliasName?: string;

  /**
   * Settings of single functions, by function name (`sf-lookup`, ...).
   * @default every function with the construct's settings
   */
  readonly functionOptions?: Readonly<Record<string, SalesforceFunctionOptions>>;

  /**
   * CloudWatch namespace of the metrics sf-core writes with every invocation
   * (env `SF_METRICS_NAMESPACE`), which the alarms and the dashboard read. Give
   * each copy of the stack in an account its own.
   * @default SalesforceConnect
   */
  readonly metricsNamespace?: string;

  /** Which alarms to create, and their thresholds. @default every alarm, default thresholds */
  readonly alarms?: SalesforceAlarmsProps;

  /**
   * What every alarm does when it fires and when it clears: an SNS topic, or
   * any alarm action.
   * @default none: the alarms show in the CloudWatch console only
   */
  readonly alarmAction?: cloudwatch.IAlarmAction | sns.ITopic;

  /** Create a CloudWatch dashboard of the functions and the org's API usage. @default false */
  readonly dashboard?: boolean;

  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;

  /**
   * Directory holding `<name>/bootstrap` for each function, as written by
   * `cargo lambda build --release`.
   * @default `target/lambda` at the repository root
   */
  readonly assetDir?: string;
}
