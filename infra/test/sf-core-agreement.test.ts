import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { DEFAULT_API_VERSION, DEFAULT_LOGIN_URL, DEFAULT_METRICS_NAMESPACE, SalesforceConnectFunctions, TOKEN_CACHE_LOCK_SUFFIX } from '../lib';
import { OUTCOMES } from '../lib/monitoring';
import { assetDir, INFRA_DIR, salesforceFunctions, synthFunctions } from './helpers';

// sf-core reads the functions' environment at start-up and refuses what it
// cannot use; these tests read its source, so that changing either side
// without the other fails here rather than at the first cold start.
const SF_CORE = path.resolve(INFRA_DIR, '..', 'crates', 'sf-core', 'src');
const configRs = fs.readFileSync(path.join(SF_CORE, 'config.rs'), 'utf8');
const sharedTokenRs = fs.readFileSync(path.join(SF_CORE, 'shared_token.rs'), 'utf8');
const metricsRs = fs.readFileSync(path.join(SF_CORE, 'metrics.rs'), 'utf8');
const monitoringTs = fs.readFileSync(path.join(INFRA_DIR, 'lib', 'monitoring.ts'), 'utf8');

/** The value of `pub const <name>: &str = "...";` in config.rs. */
function rustConst(name: string): string {
  const found = configRs.match(new RegExp(`pub const ${name}: &str = "([^"]*)";`));
  assert.ok(found, `config.rs declares no string constant ${name}`);
  return found[1];
}

/** The values sf-core's test `fn <test>` gives to the variable `<constant>`, as `(<constant>, "<value>")` (rustfmt may wrap it). */
function rustTestValues(test: string, constant: string): string[] {
  const start = configRs.indexOf(`fn ${test}()`);
  assert.ok(start >= 0, `config.rs has no test ${test}`);
  const end = configRs.indexOf('#[test]', start);
  const body = configRs.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(new RegExp(`\\(\\s*${constant},\\s*"([^"]*)",?\\s*\\)`, 'g'))].map((m) => m[1]);
}

/** The `SF_*` variables config.rs declares. */
function read(rust: string): Set<string> {
  return new Set([...rust.matchAll(/pub const \w+: &str = "(SF_\w+)";/g)].map((m) => m[1]));
}

const build = (props: { apiVersion?: string; loginUrl?: string; metricsNamespace?: string }) => () =>
  new SalesforceConnectFunctions(new Stack(new App(), 'S'), 'F', { credentialsParameterName: '/p', assetDir: assetDir(), ...props });

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
    const variables = read(configRs);
    for (const name of names) assert.ok(variables.has(name), `sf-core does not read ${name}`);
  });

  it('reads the metrics sf-core writes, in its namespace and with its outcomes', () => {
    assert.ok(read(configRs).has('SF_METRICS_NAMESPACE'), 'config.rs does not read SF_METRICS_NAMESPACE');
    const namespace = metricsRs.match(/pub const DEFAULT_NAMESPACE: &str = "([^"]*)";/);
    assert.ok(namespace, 'metrics.rs declares no DEFAULT_NAMESPACE');
    assert.equal(DEFAULT_METRICS_NAMESPACE, namespace[1]);
    const outcomes = [...metricsRs.matchAll(/Outcome::\w+ => "(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual([...OUTCOMES].sort(), [...new Set(outcomes)].sort());
    const written = new Set([...metricsRs.matchAll(/writer\.value\(\s*"(\w+)"/g)].map((m) => m[1]));
    const used = [...monitoringTs.matchAll(/(?:this\.metric|acrossFunctions)\('(\w+)'/g)].map((m) => m[1]);
    assert.ok(used.length >= 3, `monitoring.ts's metrics: ${used.join(', ')}`);
    for (const name of [...used, 'Function', 'Outcome']) assert.ok(written.has(name), `sf-core writes no ${name}`);
  });

  it('refuses the metrics namespaces sf-core refuses at start-up, and takes the ones it takes', () => {
    const refusedBySfCore = rustTestValues('malformed_values_name_the_variable', 'METRICS_NAMESPACE');
    assert.ok(refusedBySfCore.includes('AWS/Lambda'), `sf-core's refused namespaces: ${refusedBySfCore.join(', ')}`);
    for (const namespace of refusedBySfCore) {
      assert.throws(build({ metricsNamespace: namespace }), /metricsNamespace must be/, JSON.stringify(namespace));
    }
    for (const namespace of [...rustTestValues('every_variable_read', 'METRICS_NAMESPACE'), DEFAULT_METRICS_NAMESPACE]) {
      assert.doesNotThrow(build({ metricsNamespace: namespace }), JSON.stringify(namespace));
    }
  });

  it('refuses the API versions sf-core refuses at start-up, and takes the ones it takes', () => {
    const refusedBySfCore = rustTestValues('malformed_values_name_the_variable', 'API_VERSION');
    assert.ok(refusedBySfCore.includes('v66.1'), `sf-core's refused versions: ${refusedBySfCore.join(', ')}`);
    for (const version of [...refusedBySfCore, 'v66.01', '66.0.0', 'V66.0', 'vv66.0', 'v.0', '٦٦.0']) {
      assert.throws(build({ apiVersion: version }), /apiVersion must be a REST API version such as v66.0 or 66.0/, JSON.stringify(version));
    }
    for (const version of [...rustTestValues('every_variable_read', 'API_VERSION'), 'v66.0', '66.0', 'v9.0', 'v120.0']) {
      assert.doesNotThrow(build({ apiVersion: version }), JSON.stringify(version));
    }
  });

  it('refuses the login URLs sf-core refuses at start-up, and takes the ones it takes', () => {
    const refusedBySfCore = rustTestValues('malformed_values_name_the_variable', 'LOGIN_URL');
    assert.ok(refusedBySfCore.includes('https://login.salesforce.com/services/oauth2/token'), `sf-core's refused URLs: ${refusedBySfCore.join(', ')}`);
    for (const url of [...refusedBySfCore, 'HTTPS://login.salesforce.com', 'https://login.salesforce.com?x=1', 'https:///']) {
      assert.throws(build({ loginUrl: url }), /loginUrl must be an https:\/\/ base URL/, JSON.stringify(url));
    }
    for (const url of [...rustTestValues('every_variable_read', 'LOGIN_URL'), DEFAULT_LOGIN_URL, 'https://test.salesforce.com/']) {
      assert.doesNotThrow(build({ loginUrl: url }), JSON.stringify(url));
    }
  });
});
