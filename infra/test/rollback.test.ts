import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { SALESFORCE_FUNCTIONS, SalesforceConnectFunctions } from '../lib';
import { assetDir, logicalId, synthFunctions } from './helpers';

describe('rollback', () => {
  it('publishes a version of every function, keeps it, and points the alias live at it', () => {
    const { template, construct } = synthFunctions();
    const resources = template.toJSON().Resources;
    template.resourceCountIs('AWS::Lambda::Alias', SALESFORCE_FUNCTIONS.length);
    for (const spec of SALESFORCE_FUNCTIONS) {
      const fnId = logicalId(construct.functions[spec.name]);
      const alias = resources[logicalId(construct.aliases[spec.name])];
      assert.equal(alias.Properties.Name, 'live');
      assert.deepEqual(alias.Properties.FunctionName, { Ref: fnId });
      assert.equal(alias.Properties.ProvisionedConcurrencyConfig, undefined);
      const [versionId, attribute] = alias.Properties.FunctionVersion['Fn::GetAtt'];
      assert.equal(attribute, 'Version');
      const version = resources[versionId];
      assert.equal(version.Type, 'AWS::Lambda::Version');
      assert.deepEqual(version.Properties.FunctionName, { Ref: fnId });
      // Retained, so that a later deploy leaves it for the alias to move back to.
      assert.equal(version.DeletionPolicy, 'Retain');
      assert.equal(version.UpdateReplacePolicy, 'Retain');
    }
  });

  it('publishes a new version when the code changes, and only then', () => {
    const versionIds = (memorySize?: number) =>
      Object.keys(synthFunctions({ memorySize }).template.findResources('AWS::Lambda::Version')).sort();
    assert.deepEqual(versionIds(), versionIds());
    const changed = versionIds(256);
    assert.equal(changed.length, SALESFORCE_FUNCTIONS.length);
    assert.equal(changed.filter((id) => versionIds().includes(id)).length, 0);
  });

  it('takes another alias name, and provisioned concurrency per function on the alias', () => {
    const { template, construct } = synthFunctions({
      aliasName: 'prod',
      functionOptions: { 'sf-phone-lookup': { provisionedConcurrentExecutions: 3 } },
    });
    template.allResourcesProperties('AWS::Lambda::Alias', { Name: 'prod' });
    const aliases = template.findResources('AWS::Lambda::Alias');
    const withConcurrency = Object.entries(aliases).filter(([, a]) => a.Properties.ProvisionedConcurrencyConfig !== undefined);
    assert.equal(withConcurrency.length, 1);
    const [id, alias] = withConcurrency[0];
    assert.equal(id, logicalId(construct.aliases['sf-phone-lookup']));
    assert.deepEqual(alias.Properties.ProvisionedConcurrencyConfig, { ProvisionedConcurrentExecutions: 3 });
  });

  it('refuses an alias name Lambda refuses, options for an unknown function, and bad concurrency', () => {
    const build = (props: Record<string, unknown>) => () =>
      new SalesforceConnectFunctions(new Stack(new App(), 'S'), 'F', { credentialsParameterName: '/p', assetDir: assetDir(), ...props });
    assert.throws(build({ aliasName: '12' }), /aliasName must be .* not only digits/);
    assert.throws(build({ aliasName: 'a b' }), /aliasName must be/);
    assert.throws(build({ functionOptions: { 'sf-lookups': {} } }), /functionOptions names "sf-lookups", which is no function; the functions are sf-lookup,/);
    assert.throws(
      build({ functionOptions: { 'sf-lookup': { provisionedConcurrentExecutions: 0 } } }),
      /functionOptions\['sf-lookup'\]\.provisionedConcurrentExecutions must be a whole number of at least 1, got 0/,
    );
  });
});
