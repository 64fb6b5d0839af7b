/**
 * The eleven Lambda functions, in the order the behaviour contract lists them.
 * `name` is the Cargo package and binary (and so the directory that
 * `cargo lambda build` writes under `target/lambda/`); `id` is the
 * CloudFormation logical-id stem and the stack output `<id>Arn`.
 */
export const SALESFORCE_FUNCTIONS = [
  { name: 'sf-lookup', id: 'SfLookup', description: 'Salesforce lookup / lookup_all (SOQL) for Amazon Connect' },
  { name: 'sf-create', id: 'SfCreate', description: 'Salesforce record create for Amazon Connect' },
  { name: 'sf-update', id: 'SfUpdate', description: 'Salesforce record update for Amazon Connect' },
  { name: 'sf-phone-lookup', id: 'SfPhoneLookup', description: 'Salesforce caller lookup by phone number for Amazon Connect' },
  { name: 'sf-delete', id: 'SfDelete', description: 'Salesforce record delete for Amazon Connect' },
  { name: 'sf-query', id: 'SfQuery', description: 'Salesforce SOQL query (all records) for Amazon Connect' },
  { name: 'sf-query-one', id: 'SfQueryOne', description: 'Salesforce SOQL query (exactly one record) for Amazon Connect' },
  { name: 'sf-create-chatter-post', id: 'SfCreateChatterPost', description: 'Salesforce Chatter post for Amazon Connect' },
  { name: 'sf-create-chatter-comment', id: 'SfCreateChatterComment', description: 'Salesforce Chatter comment for Amazon Connect' },
  { name: 'sf-search', id: 'SfSearch', description: 'Salesforce parameterized search (SOSL) for Amazon Connect' },
  { name: 'sf-search-one', id: 'SfSearchOne', description: 'Salesforce parameterized search (exactly one record) for Amazon Connect' },
] as const;

export type SalesforceFunctionName = (typeof SALESFORCE_FUNCTIONS)[number]['name'];

export const SALESFORCE_FUNCTION_NAMES: readonly SalesforceFunctionName[] = SALESFORCE_FUNCTIONS.map((f) => f.name);

/** The stack output key that carries a function's ARN, e.g. `SfPhoneLookupArn`. */
export function arnOutputKey(name: SalesforceFunctionName): string {
  const entry = SALESFORCE_FUNCTIONS.find((f) => f.name === name);
  if (!entry) {
    throw new Error(`unknown function ${name}`);
  }
  return `${entry.id}Arn`;
}
