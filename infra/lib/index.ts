export * from './aws-managed-key';
export * from './context-props';
export * from './flows/contact-flow-resources';
export * from './function-catalog';
export { DEFAULT_API_VERSION, DEFAULT_LOGIN_URL, DEFAULT_METRICS_NAMESPACE, TOKEN_CACHE_LOCK_SUFFIX } from './function-environment';
export * from './monitoring';
export * from './props';
export * from './salesforce-connect-functions';
export * from './salesforce-connect-stack';
