import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { DEFAULT_API_VERSION, DEFAULT_LOGIN_URL, SalesforceConnectFunctions, TOKEN_CACHE_LOCK_SUFFIX } from '../lib';
import { assetDir, salesforceFunctions, synthFunctions } from './helpers';

// sf-core reads the functions' environment at start-up and refuses what it
// cannot use; these tests read its source, so that changing either side
// without the other fails here rather than at the first cold start.
const SF_CORE = path.resolve(__dirname, '..', '..', 'crates', 'sf-core', 'src');
const configRs = fs.readFileSync(path.join(SF_CORE, 'config.rs'), 'utf8');
const sharedTokenRs = fs.readFileSync(path.join(SF_CORE, 'shared_token.rs'), 'utf8');

/** The value of `pub const <name>: &str = "...";` in config.rs. */
function rustConst(name: string): string {
  const found = configRs.match(new RegExp(`pub const ${name}: &str = "([^"]*)";`));
  assert.ok(found, `config.rs declares no string constant ${name}`);
  return found[1];
}

/** The values sf-core's test `fn <test>` gives to the variable `<constant>`, as `(<constant>, "<value>")`. */
function rustTestValues(test: string, constant: string): string[] {
  const start = configRs.indexOf(`fn ${test}()`);
  assert.ok(start >= 0, `config.rs has no test ${test}`);
  const end = configRs.indexOf('#[test]', start);
  const body = configRs.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(new RegExp(`\\(${constant},\\s*"([^"]*)"\\)`, 'g'))].map((m) => m[1]);
}

const withApiVersion = (apiVersion: string) => () =>
  new SalesforceConnectFunctions(new Stack(new App(), 'S'), 'F', { credentialsParameterName: '/p', assetDir: assetDir(), apiVersion });

describe('agreement with sf-core', () => {
  it('has the same defaults', () => {
    assert.equal(DEFAULT_API_VERSION, rustConst('DEFAULT_API_VERSION'));
    assert.equal(DEFAULT_LOGIN_URL, rustConst('DEFAULT_LOGIN_URL'));
  });

  it('grants the token cache lease sf-core takes', () => {
    const lock = sharedTokenRs.match(/lock: format!\("\{parameter\}([^"]*)"\)/);
    assert.ok(lock, 'shared_token.rs no longer names its lease as format!("{parameter}<suffix>")');
    assert.equal(TOKEN_CACHE_LOCK_SUFFIX, lock[1]);
  });

  it('sets only variables sf-core reads (besides RUST_LOG)', () => {
    const { template } = synthFunctions({ username: 'u@example.com', tokenCacheParameterName: '/sf-connect/token' });
    const [fn] = Object.values(salesforceFunctions(template));
    const names = Object.keys(fn.Properties!.Environment.Variables).filter((n) => n !== 'RUST_LOG');
    assert.ok(names.length >= 5, 'every optional variable is set here');
    const read = new Set([...configRs.matchAll(/pub const \w+: &str = "(SF_\w+)";/g)].map((m) => m[1]));
    for (const name of names) assert.ok(read.has(name), `sf-core does not read ${name}`);
  });

  it('refuses the API versions sf-core refuses at start-up, and takes the ones it takes', () => {
    const refusedBySfCore = rustTestValues('malformed_values_name_the_variable', 'API_VERSION');
    assert.ok(refusedBySfCore.includes('v66.1'), `sf-core's refused versions: ${refusedBySfCore.join(', ')}`);
    for (const version of [...refusedBySfCore, 'v66.01', '66.0.0', 'V66.0', 'vv66.0', 'v.0', '٦٦.0']) {
      assert.throws(withApiVersion(version), /apiVersion must be a REST API version such as v66.0 or 66.0/, JSON.stringify(version));
    }
    for (const version of [...rustTestValues('every_variable_read', 'API_VERSION'), 'v66.0', '66.0', 'v9.0', 'v120.0']) {
      assert.doesNotThrow(withApiVersion(version), JSON.stringify(version));
    }
  });
});
