export * from './aws-managed-key';
export * from './context-props';
export * from './function-catalog';
export * from './salesforce-connect-functions';
export * from './salesforce-connect-stack';
