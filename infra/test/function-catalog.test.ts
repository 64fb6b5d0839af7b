import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnOutputKey, SALESFORCE_FUNCTION_NAMES, SALESFORCE_FUNCTIONS } from '../lib';

describe('the function catalogue', () => {
  it('derives the logical ids of deployed stacks from the names, so updating a stack replaces no function', () => {
    // Ids that stacks deployed before the catalogue was data already use.
    assert.equal(SALESFORCE_FUNCTIONS.find((f) => f.name === 'sf-phone-lookup')?.id, 'SfPhoneLookup');
    assert.equal(arnOutputKey('sf-create-chatter-post'), 'SfCreateChatterPostArn');
    assert.equal(arnOutputKey('sf-query-one'), 'SfQueryOneArn');
  });

  it('gives every function a name that is a directory, and an id that is a logical id, each its own', () => {
    for (const f of SALESFORCE_FUNCTIONS) {
      assert.match(f.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      assert.match(f.id, /^[A-Z][A-Za-z0-9]*$/);
      assert.ok(f.operations.length > 0, `${f.name} serves no operation`);
      assert.ok(f.description.length > 0 && f.description.length <= 256, `${f.name}: Lambda descriptions are 0 to 256 characters`);
    }
    assert.equal(new Set(SALESFORCE_FUNCTION_NAMES).size, SALESFORCE_FUNCTIONS.length);
    assert.equal(new Set(SALESFORCE_FUNCTIONS.map((f) => f.id)).size, SALESFORCE_FUNCTIONS.length);
  });

  it('refuses to name the output of a function it does not list', () => {
    assert.throws(() => arnOutputKey('sf-nothing'), /unknown function sf-nothing/);
  });
});
