import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SALESFORCE_FUNCTION_NAMES } from '../lib';
import { INFRA_DIR, makeAssetDir } from './helpers';

function run(command: string, args: string[], options: SpawnSyncOptions): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return String(result.stdout);
}

describe('the npm package', () => {
  it('carries the function catalogue, so another team\'s CDK app can build the construct from it', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-pack-'));
    try {
      // What `npm run build` then `npm pack` make, built into a copy of the package.
      const pkg = path.join(work, 'pkg');
      fs.mkdirSync(pkg);
      fs.copyFileSync(path.join(INFRA_DIR, 'package.json'), path.join(pkg, 'package.json'));
      fs.cpSync(path.join(INFRA_DIR, 'flows'), path.join(pkg, 'flows'), { recursive: true });
      run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', path.join(pkg, 'dist')], {
        cwd: INFRA_DIR,
      });
      const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: pkg })) as { filename: string }[];
      const installed = path.join(work, 'installed');
      fs.mkdirSync(installed);
      run('tar', ['-xzf', path.join(work, packed.filename), '-C', installed], {});

      // A consumer outside this directory, with aws-cdk-lib and constructs as its own dependencies.
      const consumer = `
        const { App, Stack } = require('aws-cdk-lib');
        const { Template } = require('aws-cdk-lib/assertions');
        const sf = require(${JSON.stringify(path.join(installed, 'package'))});
        const stack = new Stack(new App(), 'Consumer');
        new sf.SalesforceConnectFunctions(stack, 'Sf', { credentialsParameterName: '/p', assetDir: process.argv[1] });
        const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } });
        console.log(JSON.stringify({ names: sf.SALESFORCE_FUNCTION_NAMES, functions: Object.keys(functions).length }));
      `;
      const out = run(process.execPath, ['-e', consumer, makeAssetDir()], {
        cwd: work,
        env: { ...process.env, NODE_PATH: path.join(INFRA_DIR, 'node_modules') },
      });
      const { names, functions } = JSON.parse(out) as { names: string[]; functions: number };
      assert.deepEqual(names, SALESFORCE_FUNCTION_NAMES);
      assert.equal(functions, SALESFORCE_FUNCTION_NAMES.length);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
