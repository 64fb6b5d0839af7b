import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SALESFORCE_FUNCTION_NAMES } from '../lib';
import { INFRA_DIR, INSTANCE_ARN, makeAssetDir } from './helpers';

function run(command: string, args: string[], options: SpawnSyncOptions): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return String(result.stdout);
}

describe('the npm package', () => {
  it('is built by npm pack and carries the function catalogue and the sample flow, so another team\'s CDK app can build the construct from it', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-pack-'));
    try {
      // `npm pack` as a team runs it: prepack builds dist/ first.
      const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: INFRA_DIR })) as { filename: string }[];
      const installed = path.join(work, 'installed');
      fs.mkdirSync(installed);
      run('tar', ['-xzf', path.join(work, packed.filename), '-C', installed], {});
      assert.ok(fs.existsSync(path.join(installed, 'package', 'dist', 'lib', 'index.js')), 'the tarball has dist/');

      // A consumer outside this directory, with aws-cdk-lib and constructs as its own dependencies.
      const consumer = `
        const { App, Stack } = require('aws-cdk-lib');
        const { Template } = require('aws-cdk-lib/assertions');
        const sf = require(${JSON.stringify(path.join(installed, 'package'))});
        const stack = new Stack(new App(), 'Consumer');
        new sf.SalesforceConnectFunctions(stack, 'Sf', {
          credentialsParameterName: '/p',
          assetDir: process.argv[1],
          connectInstanceArn: ${JSON.stringify(INSTANCE_ARN)},
          flows: [{ file: sf.SAMPLE_FLOW_FILE }],
        });
        const template = Template.fromStack(stack);
        const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } });
        const flows = template.findResources('AWS::Connect::ContactFlow');
        console.log(JSON.stringify({ names: sf.SALESFORCE_FUNCTION_NAMES, functions: Object.keys(functions).length, flows: Object.keys(flows).length, sample: sf.SAMPLE_FLOW_FILE }));
      `;
      const out = run(process.execPath, ['-e', consumer, makeAssetDir()], {
        cwd: work,
        env: { ...process.env, NODE_PATH: path.join(INFRA_DIR, 'node_modules') },
      });
      const { names, functions, flows, sample } = JSON.parse(out) as { names: string[]; functions: number; flows: number; sample: string };
      assert.deepEqual(names, SALESFORCE_FUNCTION_NAMES);
      assert.equal(functions, SALESFORCE_FUNCTION_NAMES.length);
      // The sample flow ships in the package and is found from dist/.
      assert.equal(flows, 1);
      assert.equal(sample, path.join(installed, 'package', 'flows', 'caller-lookup-create-case.json'));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
