import * as fs from 'node:fs';
import * as path from 'node:path';
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AwsManagedKeyArn } from './aws-managed-key';
import { SALESFORCE_FUNCTIONS, SalesforceFunctionName } from './function-catalog';

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
export const DEFAULT_API_VERSION = 'v66.0';
export const DEFAULT_TIMEOUT = Duration.seconds(7);
export const DEFAULT_MEMORY_SIZE = 128;
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** Amazon Connect waits at most 8 seconds for a Lambda function. */
const CONNECT_MAX_TIMEOUT_SECONDS = 8;
const SECRETS_MANAGER_REFERENCE_PREFIX = '/aws/reference/secretsmanager/';
/** The shared token cache's lease is the parameter `<name>-lock` (sf-core's shared_token). */
const TOKEN_CACHE_LOCK_SUFFIX = '-lock';

export type SalesforceLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface SalesforceConnectFunctionsProps {
  /**
   * Name of the SSM SecureString parameter that holds the credentials JSON,
   * such as `/sf-connect/credentials`. Give this or `credentialsSecret`.
   */
  readonly credentialsParameterName?: string;

  /**
   * An existing Secrets Manager secret holding the credentials JSON (for
   * instance the secret of the older single-function integration). The
   * functions read it through Parameter Store's
   * `/aws/reference/secretsmanager/<secret-name>` path. Give this or
   * `credentialsParameterName`.
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
   * Base URL of the org's OAuth token endpoint (env `SF_LOGIN_URL`):
   * `https://login.salesforce.com`, `https://test.salesforce.com` or the
   * org's My Domain URL.
   * @default https://login.salesforce.com
   */
  readonly loginUrl?: string;

  /** Salesforce REST API version (env `SF_API_VERSION`). @default v66.0 */
  readonly apiVersion?: string;

  /** The integration user, where the credentials JSON has no `Username` (env `SF_USERNAME`). */
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

  /** Run the functions in this VPC (they need a route to Salesforce, e.g. a NAT gateway). */
  readonly vpc?: ec2.IVpc;

  /** Subnets in `vpc`. @default the VPC's private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /** Security groups in `vpc`. @default one new group with all outbound traffic allowed */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * ARN of the Amazon Connect instance. When given, every function is
   * associated with the instance (so it is listed in the flow designer) and
   * Connect, from this instance and account only, may invoke it.
   */
  readonly connectInstanceArn?: string;

  /**
   * Prefix for explicit function names (`<prefix>sf-lookup`, ...). Without it
   * CloudFormation generates the names, so several copies can share an
   * account.
   */
  readonly functionNamePrefix?: string;

  /**
   * Directory holding `<name>/bootstrap` for each function, as written by
   * `cargo lambda build --release`.
   * @default `target/lambda` at the repository root
   */
  readonly assetDir?: string;
}

/**
 * The Salesforce functions for Amazon Connect, one per entry of
 * `functions.json`, each allowed to read the one credentials parameter (or
 * secret) and nothing else.
 */
export class SalesforceConnectFunctions extends Construct {
  /** Every function, by package name. */
  public readonly functions: Readonly<Record<SalesforceFunctionName, lambda.Function>>;

  /** The value of `SF_CREDENTIALS_PARAMETER`. */
  public readonly credentialsParameterName: string;

  constructor(scope: Construct, id: string, props: SalesforceConnectFunctionsProps) {
    super(scope, id);

    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_SIZE;
    const logLevel = props.logLevel ?? 'INFO';
    const loginUrl = props.loginUrl ?? DEFAULT_LOGIN_URL;
    const apiVersion = props.apiVersion ?? DEFAULT_API_VERSION;
    validateTimeout(timeout);
    validateMemorySize(memorySize);
    validateLoginUrl(loginUrl);
    validateApiVersion(apiVersion);
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      throw new Error('vpcSubnets and securityGroups need vpc');
    }

    const credentials = this.credentialsAccess(props);
    this.credentialsParameterName = credentials.parameterName;

    const environment: Record<string, string> = {
      SF_CREDENTIALS_PARAMETER: credentials.parameterName,
      SF_LOGIN_URL: loginUrl,
      SF_API_VERSION: apiVersion,
      RUST_LOG: logLevel.toLowerCase(),
    };
    if (props.username !== undefined) {
      environment.SF_USERNAME = props.username;
    }
    const statements = [...credentials.statements];
    if (props.tokenCacheParameterName !== undefined) {
      environment.SF_TOKEN_CACHE_PARAMETER = props.tokenCacheParameterName;
      statements.push(...this.tokenCacheAccess(props.tokenCacheParameterName, credentials.parameterName));
    }

    const assetDir = props.assetDir ?? defaultAssetDir();
    const connectInstanceArn = props.connectInstanceArn;
    if (connectInstanceArn !== undefined) {
      validateConnectInstanceArn(connectInstanceArn);
    }

    const functions: Partial<Record<SalesforceFunctionName, lambda.Function>> = {};
    for (const spec of SALESFORCE_FUNCTIONS) {
      const codeDir = bootstrapDir(assetDir, spec.name, architecture);
      const functionName = props.functionNamePrefix !== undefined ? `${props.functionNamePrefix}${spec.name}` : undefined;
      if (functionName !== undefined && !Token.isUnresolved(functionName) && !/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
        throw new Error(`function name ${functionName} is not a valid Lambda name (letters, digits, - and _, at most 64)`);
      }

      const logGroup = new logs.LogGroup(this, `${spec.id}Logs`, {
        retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
        removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      });

      // One role per function, built here rather than by lambda.Function, so
      // that it carries no AWS managed policy with `*` resources: it may write
      // to its own log group and read the credentials, nothing more.
      const role = new iam.Role(this, `${spec.id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of ${spec.name}`,
      });
      logGroup.grantWrite(role);
      for (const statement of statements) {
        role.addToPrincipalPolicy(statement);
      }
      if (props.vpc) {
        // Creating and deleting the function's network interfaces cannot be
        // scoped to resources; this is the policy Lambda documents for it.
        role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      }

      const fn = new lambda.Function(this, spec.id, {
        functionName,
        description: spec.description,
        runtime: lambda.Runtime.PROVIDED_AL2023,
        handler: 'bootstrap',
        code: lambda.Code.fromAsset(codeDir),
        architecture,
        memorySize,
        timeout,
        role,
        environment,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        applicationLogLevelV2: lambda.ApplicationLogLevel[logLevel],
        systemLogLevelV2: lambda.SystemLogLevel.INFO,
        vpc: props.vpc,
        vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
        securityGroups: props.vpc ? props.securityGroups : undefined,
      });

      if (connectInstanceArn !== undefined) {
        fn.addPermission('ConnectInvoke', {
          principal: new iam.ServicePrincipal('connect.amazonaws.com'),
          action: 'lambda:InvokeFunction',
          sourceArn: connectInstanceArn,
          sourceAccount: Arn.split(connectInstanceArn, ArnFormat.SLASH_RESOURCE_NAME).account,
        });
        new connect.CfnIntegrationAssociation(this, `${spec.id}ConnectAssociation`, {
          instanceId: connectInstanceArn,
          integrationType: 'LAMBDA_FUNCTION',
          integrationArn: fn.functionArn,
        });
      }
      functions[spec.name] = fn;
    }
    this.functions = functions as Record<SalesforceFunctionName, lambda.Function>;
  }

  private ssmManagedKey?: AwsManagedKeyArn;

  /** The ARN of `alias/aws/ssm`, looked up once however many parameters use it. */
  private ssmManagedKeyArn(): string {
    this.ssmManagedKey ??= new AwsManagedKeyArn(this, 'SsmManagedKey', 'alias/aws/ssm');
    return this.ssmManagedKey.keyArn;
  }

  /**
   * The statements for the shared token cache: the token (a SecureString the
   * functions read and overwrite) and its lease `<name>-lock` (a String they
   * create, read and delete).
   */
  private tokenCacheAccess(name: string, credentialsParameterName: string): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const lockName = `${name}${TOKEN_CACHE_LOCK_SUFFIX}`;
    const tokenArn = parameterArn(stack, name, 'tokenCacheParameterName');
    const lockArn = parameterArn(stack, lockName, 'tokenCacheParameterName (with its -lock suffix)');
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw new Error(`tokenCacheParameterName ${name} starts with a prefix reserved by AWS (aws, ssm): choose a name such as /sf-connect/token`);
    }
    if (!Token.isUnresolved(credentialsParameterName) && [name, lockName].some((n) => sameParameter(n, credentialsParameterName))) {
      throw new Error(
        `tokenCacheParameterName ${name} would overwrite the credentials parameter ${credentialsParameterName}: give the cache its own name`,
      );
    }
    return [
      new iam.PolicyStatement({
        sid: 'ReadWriteTokenCache',
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [tokenArn],
      }),
      new iam.PolicyStatement({
        sid: 'TakeAndReleaseTokenCacheLease',
        actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'],
        resources: [lockArn],
      }),
      // The functions pass no KeyId, so SSM encrypts the token with alias/aws/ssm.
      new iam.PolicyStatement({
        sid: 'EncryptDecryptTokenCache',
        actions: ['kms:Encrypt', 'kms:Decrypt'],
        resources: [this.ssmManagedKeyArn()],
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.${stack.urlSuffix}` } },
      }),
    ];
  }

  /** The parameter name the functions read and the statements that allow exactly that. */
  private credentialsAccess(props: SalesforceConnectFunctionsProps): {
    parameterName: string;
    statements: iam.PolicyStatement[];
  } {
    const stack = Stack.of(this);
    if ((props.credentialsParameterName === undefined) === (props.credentialsSecret === undefined)) {
      throw new Error('give exactly one of credentialsParameterName and credentialsSecret');
    }

    if (props.credentialsParameterName !== undefined) {
      const name = props.credentialsParameterName;
      if (!Token.isUnresolved(name) && name.startsWith(SECRETS_MANAGER_REFERENCE_PREFIX)) {
        throw new Error(
          `credentialsParameterName ${name} is a Secrets Manager reference: pass the secret as credentialsSecret instead, so that the functions may read it`,
        );
      }
      const keyArn = props.credentialsKey?.keyArn ?? this.ssmManagedKeyArn();
      return {
        parameterName: name,
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadCredentialsParameter',
            actions: ['ssm:GetParameter'],
            resources: [parameterArn(stack, name, 'credentialsParameterName')],
          }),
          decryptThrough(stack, 'ssm', keyArn),
        ],
      };
    }

    const secret = props.credentialsSecret!;
    const parameterName = `${SECRETS_MANAGER_REFERENCE_PREFIX}${secret.secretName}`;
    const keyArn =
      props.credentialsKey?.keyArn ??
      secret.encryptionKey?.keyArn ??
      new AwsManagedKeyArn(this, 'SecretsManagerManagedKey', 'alias/aws/secretsmanager').keyArn;
    return {
      parameterName,
      statements: [
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
      ],
    };
  }
}

/** Whether two parameter names (with or without the leading `/`) name the same parameter. */
function sameParameter(a: string, b: string): boolean {
  return a.replace(/^\//, '') === b.replace(/^\//, '');
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
function parameterArn(stack: Stack, name: string, what: string): string {
  if (Token.isUnresolved(name)) {
    throw new Error(`${what} must be a literal parameter name, not a deploy-time value`);
  }
  if (!/^\/?[A-Za-z0-9_.\-/]{1,2047}$/.test(name) || name.includes('//') || name.endsWith('/')) {
    throw new Error(`${what} ${JSON.stringify(name)} is not a valid SSM parameter name`);
  }
  return stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: name.replace(/^\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * `<assetDir>/<name>`, checked to hold a `bootstrap` built for the chosen
 * architecture, so a missing or mismatched build fails at synth rather than
 * at the first call from a contact flow.
 */
function bootstrapDir(assetDir: string, name: string, architecture: lambda.Architecture): string {
  const dir = path.join(assetDir, name);
  const bootstrap = path.join(dir, 'bootstrap');
  if (!fs.existsSync(bootstrap)) {
    throw new Error(
      `${bootstrap} not found: run \`make build-lambdas\` first (cargo lambda build --release${architecture === lambda.Architecture.ARM_64 ? ' --arm64' : ''})`,
    );
  }
  const machine = elfMachine(bootstrap);
  const expected = architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x86_64';
  if (machine !== undefined && machine !== expected) {
    throw new Error(
      `${bootstrap} is built for ${machine} but the functions are ${expected}: rebuild with \`make build-lambdas\` or set the architecture to ${machine}`,
    );
  }
  return dir;
}

/** The architecture an ELF executable was built for; undefined for anything else. */
function elfMachine(file: string): 'arm64' | 'x86_64' | 'other' | undefined {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, header, 0, header.length, 0) < header.length) {
      return undefined;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) {
    return undefined;
  }
  const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
  if (machine === 0xb7) return 'arm64';
  if (machine === 0x3e) return 'x86_64';
  return 'other';
}

/** `target/lambda` at the repository root: the nearest ancestor of this file with a Cargo.toml. */
function defaultAssetDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Cargo.toml'))) {
      return path.join(dir, 'target', 'lambda');
    }
    if (path.dirname(dir) === dir) {
      throw new Error('no Cargo.toml above the infra package: pass assetDir (the directory cargo lambda build wrote)');
    }
  }
}

function validateTimeout(timeout: Duration): void {
  const seconds = timeout.toSeconds();
  if (seconds < 1 || seconds > CONNECT_MAX_TIMEOUT_SECONDS) {
    throw new Error(`timeout must be between 1 and ${CONNECT_MAX_TIMEOUT_SECONDS} seconds (Amazon Connect's limit), got ${seconds}`);
  }
}

function validateMemorySize(memorySize: number): void {
  if (!Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240)) {
    throw new Error(`memorySize must be a whole number of MB from 128 to 10240, got ${memorySize}`);
  }
}

function validateLoginUrl(loginUrl: string): void {
  if (Token.isUnresolved(loginUrl)) return;
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    throw new Error(`loginUrl ${JSON.stringify(loginUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`loginUrl must use https, got ${loginUrl}`);
  }
}

function validateApiVersion(apiVersion: string): void {
  if (!Token.isUnresolved(apiVersion) && !/^v?\d+\.\d+$/.test(apiVersion)) {
    throw new Error(`apiVersion must look like v66.0 or 66.0, got ${JSON.stringify(apiVersion)}`);
  }
}

function validateConnectInstanceArn(arn: string): void {
  if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/.test(arn)) {
    throw new Error(
      `connectInstanceArn must be an instance ARN such as arn:aws:connect:eu-west-2:123456789012:instance/<instance-id>, got ${arn}`,
    );
  }
}
