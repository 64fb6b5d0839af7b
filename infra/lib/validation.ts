import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { SALESFORCE_FUNCTION_NAMES, selectFunctions } from './function-catalog';
import {
  credentialsParameterName,
  DEFAULT_LOGIN_URL,
  CONSTRUCT_VARIABLES,
  SECRETS_MANAGER_REFERENCE_PREFIX,
  TOKEN_CACHE_LOCK_SUFFIX,
} from './function-environment';
import { SalesforceConnectFunctionsProps } from './props';

// Every check fails at synth with a message naming the prop, so that a
// mistake never reaches a deploy, let alone a call from a contact flow.
// A value known only at deploy time (a token) is taken on trust.

/** Amazon Connect waits at most 8 seconds for a Lambda function. */
const CONNECT_MAX_TIMEOUT_SECONDS = 8;

/** Throws unless the props are ones the construct can deploy. */
export function validateProps(props: SalesforceConnectFunctionsProps): void {
  exactlyOne({
    credentialsParameterName: props.credentialsParameterName,
    credentialsParameter: props.credentialsParameter,
    credentialsSecret: props.credentialsSecret,
  });
  onlyWith(['vpc', props.vpc], { vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups });
  if (props.timeout !== undefined) validateTimeout('timeout', props.timeout.toSeconds());
  if (props.memorySize !== undefined) validateMemorySize('memorySize', props.memorySize);
  if (props.loginUrl !== undefined) validateLoginUrl(props.loginUrl);
  if (props.jwtAudience !== undefined) validateJwtAudience(props.jwtAudience);
  if (props.apiVersion !== undefined) validateApiVersion(props.apiVersion);
  if (props.connectInstanceArn !== undefined) validateConnectInstanceArn(props.connectInstanceArn);
  if (props.functionNamePrefix !== undefined) validateFunctionNamePrefix(props.functionNamePrefix);
  if (props.credentialsParameterName !== undefined) {
    const name = props.credentialsParameterName;
    validateParameterName(name, 'credentialsParameterName');
    if (name.startsWith(SECRETS_MANAGER_REFERENCE_PREFIX)) {
      throw new Error(
        `credentialsParameterName ${name} is a Secrets Manager reference: pass the secret as credentialsSecret instead, so that the functions may read it`,
      );
    }
  }
  if (props.tokenCacheParameterName !== undefined) {
    validateTokenCacheParameterName(props.tokenCacheParameterName, credentialsParameterName(props));
  }
  if (props.aliasName !== undefined) validateAliasName(props.aliasName);
  if (props.metricsNamespace !== undefined) validateMetricsNamespace(props.metricsNamespace);
  percent('alarms.errorRateThresholdPercent', props.alarms?.errorRateThresholdPercent);
  percent('alarms.durationThresholdPercent', props.alarms?.durationThresholdPercent);
  percent('alarms.apiUsageThresholdPercent', props.alarms?.apiUsageThresholdPercent);
  onlyWith(['dashboard', props.dashboard || undefined], { dashboardName: props.dashboardName });
  onlyWith(['connectInstanceArn', props.connectInstanceArn], { flows: props.flows });
  validateFunctionOptions(props);
}

/** Lambda's rule for an alias name: letters, digits, - and _, not only digits (that would be a version). */
function validateAliasName(name: string): void {
  if (!Token.isUnresolved(name) && (!/^[A-Za-z0-9_-]{1,128}$/.test(name) || /^[0-9]+$/.test(name))) {
    throw new Error(`aliasName must be 1 to 128 letters, digits, - and _, and not only digits (a version number), got ${JSON.stringify(name)}`);
  }
}

function validateFunctionOptions(props: SalesforceConnectFunctionsProps): void {
  const deployed = selectFunctions(props.functions).map((f) => f.name);
  for (const [name, options] of Object.entries(props.functionOptions ?? {})) {
    const prop = `functionOptions['${name}']`;
    if (!SALESFORCE_FUNCTION_NAMES.includes(name)) {
      throw new Error(`functionOptions names ${JSON.stringify(name)}, which is no function; the functions are ${SALESFORCE_FUNCTION_NAMES.join(', ')}`);
    }
    if (!deployed.includes(name)) {
      throw new Error(`functionOptions names ${name}, which functions leaves out`);
    }
    if (options.timeout !== undefined) validateTimeout(`${prop}.timeout`, options.timeout.toSeconds());
    if (options.memorySize !== undefined) validateMemorySize(`${prop}.memorySize`, options.memorySize);
    wholeNumber(`${prop}.reservedConcurrentExecutions`, options.reservedConcurrentExecutions, 0);
    wholeNumber(`${prop}.provisionedConcurrentExecutions`, options.provisionedConcurrentExecutions, 1);
    const { reservedConcurrentExecutions: reserved, provisionedConcurrentExecutions: provisioned } = options;
    if (reserved !== undefined && provisioned !== undefined && !Token.isUnresolved(reserved) && !Token.isUnresolved(provisioned) && provisioned > reserved) {
      throw new Error(`${prop}.provisionedConcurrentExecutions (${provisioned}) may not exceed its reservedConcurrentExecutions (${reserved})`);
    }
    for (const variable of Object.keys(options.environment ?? {})) {
      if (CONSTRUCT_VARIABLES.includes(variable)) {
        throw new Error(`${prop}.environment sets ${variable}, which the construct sets from its own props`);
      }
      if (/^(AWS_|LAMBDA_|_)/.test(variable)) {
        throw new Error(`${prop}.environment sets ${variable}, a name Lambda reserves (AWS_*, LAMBDA_*, _*)`);
      }
    }
  }
}

/** CloudWatch's rule for a namespace; `AWS/` is kept for AWS's own. */
function validateMetricsNamespace(namespace: string): void {
  if (Token.isUnresolved(namespace)) return;
  if (!/^[A-Za-z0-9.\-_/#: ]{1,255}$/.test(namespace) || /^AWS\//.test(namespace)) {
    throw new Error(`metricsNamespace must be 1 to 255 letters, digits and . - _ / # : or spaces, not starting with AWS/, got ${JSON.stringify(namespace)}`);
  }
}

/** Throws unless `value` (when given) is a percentage above 0 and at most 100. */
function percent(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !(value > 0 && value <= 100)) {
    throw new Error(`${prop} must be a percentage above 0 and at most 100, got ${value}`);
  }
}

/** Throws unless `value` (when given and known) is a whole number of at least `min`. */
function wholeNumber(prop: string, value: number | undefined, min: number): void {
  if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < min)) {
    throw new Error(`${prop} must be a whole number of at least ${min}, got ${value}`);
  }
}

/**
 * Connect lists only functions of its own region in the flow designer, and
 * invokes only functions of its own account: an instance elsewhere than the
 * stack cannot use the functions. Checked when both sides are known at synth.
 */
export function validateConnectInstanceEnvironment(stack: Stack, arn: string | undefined): void {
  if (arn === undefined || Token.isUnresolved(arn)) return;
  const instance = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  for (const [what, theirs, ours] of [
    ['region', instance.region, stack.region],
    ['account', instance.account, stack.account],
  ] as const) {
    if (theirs !== undefined && !Token.isUnresolved(ours) && theirs !== ours) {
      throw new Error(
        `connectInstanceArn names an instance in ${what} ${theirs}, but the stack deploys to ${what} ${ours}: ` +
          `Amazon Connect can use only functions of its own ${what}; deploy the stack to ${theirs}`,
      );
    }
  }
}

/** Throws unless exactly one of the named props is given. */
export function exactlyOne(props: Record<string, unknown>): void {
  const names = Object.keys(props);
  const given = names.filter((name) => props[name] !== undefined);
  if (given.length !== 1) {
    const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw new Error(`give exactly one of ${list}${given.length > 1 ? `, not ${given.length === 2 ? 'both' : 'several'}` : ''}`);
  }
}

/** Throws when any of `dependents` is given without the prop `required` names. */
export function onlyWith([name, value]: [string, unknown], dependents: Record<string, unknown>): void {
  if (value === undefined && Object.values(dependents).some((v) => v !== undefined)) {
    throw new Error(`${Object.keys(dependents).join(' and ')} need ${name}`);
  }
}

function validateTimeout(prop: string, seconds: number): void {
  if (seconds < 1 || seconds > CONNECT_MAX_TIMEOUT_SECONDS) {
    throw new Error(`${prop} must be between 1 and ${CONNECT_MAX_TIMEOUT_SECONDS} seconds (Amazon Connect's limit), got ${seconds}`);
  }
}

function validateMemorySize(prop: string, memorySize: number): void {
  if (!Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240)) {
    throw new Error(`${prop} must be a whole number of MB from 128 to 10240, got ${memorySize}`);
  }
}

/**
 * sf-core's rule for `SF_LOGIN_URL` (config.rs): `https://` and a host,
 * trailing slashes aside; not the token endpoint's full URL. (sf-core also
 * takes plain http to this machine, for local runs: no use in Lambda.)
 */
/** sf-core's rule for `SF_JWT_AUDIENCE`: an https:// URL with no query, fragment or user info. */
function validateJwtAudience(audience: string): void {
  if (Token.isUnresolved(audience)) return;
  let url: URL | undefined;
  try {
    url = new URL(audience.trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error(
      `jwtAudience must be an https:// URL such as https://login.salesforce.com or an Experience Cloud site's URL, got ${JSON.stringify(audience)}`,
    );
  }
}

function validateLoginUrl(loginUrl: string): void {
  if (Token.isUnresolved(loginUrl)) return;
  const base = loginUrl.trim().replace(/\/+$/, '');
  const host = base.startsWith('https://') ? base.slice('https://'.length) : '';
  if (host === '' || /[/?# ]/.test(host)) {
    throw new Error(
      `loginUrl must be an https:// base URL such as ${DEFAULT_LOGIN_URL}, https://test.salesforce.com or https://mydomain.my.salesforce.com, got ${JSON.stringify(loginUrl)}`,
    );
  }
}

/**
 * sf-core's rule for `SF_API_VERSION` (config.rs): digits, `.0`, with or
 * without a `v`. Anything else would stop every function at start-up.
 */
function validateApiVersion(apiVersion: string): void {
  if (!Token.isUnresolved(apiVersion) && !/^v?[0-9]+\.0$/.test(apiVersion.trim())) {
    throw new Error(`apiVersion must be a REST API version such as v66.0 or 66.0 (a major version, .0), got ${JSON.stringify(apiVersion)}`);
  }
}

function validateConnectInstanceArn(arn: string): void {
  if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/.test(arn)) {
    throw new Error(
      `connectInstanceArn must be an instance ARN such as arn:aws:connect:eu-west-2:123456789012:instance/<instance-id>, got ${arn}`,
    );
  }
}

/** Every `<prefix><name>` must be a Lambda function name. */
function validateFunctionNamePrefix(prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  for (const name of SALESFORCE_FUNCTION_NAMES) {
    const functionName = `${prefix}${name}`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
      throw new Error(`function name ${functionName} is not a valid Lambda name (letters, digits, - and _, at most 64)`);
    }
  }
}

/**
 * The functions' policies name the parameter's ARN, so the name must be
 * known at synth; `/a/b` and `a/b` name the same parameter.
 */
function validateParameterName(name: string, prop: string): void {
  if (Token.isUnresolved(name)) {
    throw new Error(`${prop} must be a literal parameter name, not a deploy-time value`);
  }
  if (!/^\/?[A-Za-z0-9_.\-/]{1,2047}$/.test(name) || name.includes('//') || name.endsWith('/')) {
    throw new Error(`${prop} ${JSON.stringify(name)} is not a valid SSM parameter name`);
  }
}

/** The token and its lease are written: never onto the credentials, nor where AWS reserves. */
function validateTokenCacheParameterName(name: string, credentials: string): void {
  const lockName = `${name}${TOKEN_CACHE_LOCK_SUFFIX}`;
  validateParameterName(name, 'tokenCacheParameterName');
  validateParameterName(lockName, `tokenCacheParameterName (with its ${TOKEN_CACHE_LOCK_SUFFIX} suffix)`);
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw new Error(`tokenCacheParameterName ${name} starts with a prefix reserved by AWS (aws, ssm): choose a name such as /sf-connect/token`);
  }
  if (!Token.isUnresolved(credentials) && [name, lockName].some((n) => sameParameter(n, credentials))) {
    throw new Error(`tokenCacheParameterName ${name} would overwrite the credentials parameter ${credentials}: give the cache its own name`);
  }
}

/** Whether two parameter names (with or without the leading `/`) name the same parameter. */
function sameParameter(a: string, b: string): boolean {
  return a.replace(/^\//, '') === b.replace(/^\//, '');
}
