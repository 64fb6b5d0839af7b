import { DEFAULT_LOG_LEVEL, SalesforceConnectFunctionsProps } from './props';

// What sf-core reads at start-up (crates/sf-core/src/config.rs and
// shared_token.rs); test/sf-core-agreement.test.ts reads those files and
// fails when the two differ.

/** sf-core's default `SF_LOGIN_URL`. */
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
/** sf-core's default `SF_API_VERSION`. */
export const DEFAULT_API_VERSION = 'v66.0';
/**
 * The default `SF_METRICS_NAMESPACE`: the CloudWatch namespace of the metrics
 * sf-core writes with every invocation, and that the alarms read.
 */
export const DEFAULT_METRICS_NAMESPACE = 'SalesforceConnect';
/** The shared token cache's lease is the parameter `<name>-lock`. */
export const TOKEN_CACHE_LOCK_SUFFIX = '-lock';

/** Parameter Store's path to a Secrets Manager secret: `<prefix><secret-name>`. */
export const SECRETS_MANAGER_REFERENCE_PREFIX = '/aws/reference/secretsmanager/';

/** The value of `SF_CREDENTIALS_PARAMETER`: the parameter, or the secret's reference path. */
export function credentialsParameterName(props: SalesforceConnectFunctionsProps): string {
  if (props.credentialsSecret !== undefined) {
    return `${SECRETS_MANAGER_REFERENCE_PREFIX}${props.credentialsSecret.secretName}`;
  }
  return props.credentialsParameter?.parameterName ?? props.credentialsParameterName!;
}

/** The variables `functionEnvironment` may set: they come from props, never from `functionOptions[...].environment`. */
export const CONSTRUCT_VARIABLES: readonly string[] = [
  'SF_CREDENTIALS_PARAMETER',
  'SF_LOGIN_URL',
  'SF_API_VERSION',
  'RUST_LOG',
  'SF_USERNAME',
  'SF_TOKEN_CACHE_PARAMETER',
  'SF_METRICS_NAMESPACE',
  'SF_JWT_AUDIENCE',
];

/** Every function's environment: the settings sf-core reads at start-up. */
export function functionEnvironment(props: SalesforceConnectFunctionsProps): Record<string, string> {
  const environment: Record<string, string> = {
    SF_CREDENTIALS_PARAMETER: credentialsParameterName(props),
    SF_LOGIN_URL: props.loginUrl ?? DEFAULT_LOGIN_URL,
    SF_API_VERSION: props.apiVersion ?? DEFAULT_API_VERSION,
    RUST_LOG: (props.logLevel ?? DEFAULT_LOG_LEVEL).toLowerCase(),
    SF_METRICS_NAMESPACE: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
  };
  if (props.jwtAudience !== undefined) {
    environment.SF_JWT_AUDIENCE = props.jwtAudience;
  }
  if (props.username !== undefined) {
    environment.SF_USERNAME = props.username;
  }
  if (props.tokenCacheParameterName !== undefined) {
    environment.SF_TOKEN_CACHE_PARAMETER = props.tokenCacheParameterName;
  }
  return environment;
}
