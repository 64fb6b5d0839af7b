import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MigrationReport } from '../lib/flows';

const INFRA = path.resolve(__dirname, '..');
const BIN = path.join(INFRA, 'bin', 'sf-connect-flows.js');
const FLOWS = path.join(__dirname, 'fixtures', 'flows');
const CDK_OUTPUTS = path.join(__dirname, 'fixtures', 'arn-maps', 'cdk-outputs.json');
const PLAIN_MAP = path.join(__dirname, 'fixtures', 'arn-maps', 'plain-map.json');

/** The fixtures that are flows, by what they hold. */
const MIGRATABLE = ['console-export-with-metadata.json', 'flow-module-describe-output.json', 'several-operations-describe-output.json', 'lookup-all.json', 'other-lambda.json'];
const WITH_LEFT_BLOCKS = ['dynamic-arn.json', 'dynamic-operation.json', 'unknown-operation.json'];

function run(args: string[], cwd: string = INFRA) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-flows-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A folder of exported flows, as a team would keep them. */
function exportedFolder(names: readonly string[]): string {
  const dir = path.join(tempDir(), 'exported');
  fs.mkdirSync(dir);
  for (const name of names) fs.copyFileSync(path.join(FLOWS, name), path.join(dir, name));
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

describe('sf-connect-flows migrate', () => {
  it('migrates a folder of exported flows into --out, reports every block, and exits 1 for the blocks it left', () => {
    const input = exportedFolder([...MIGRATABLE, ...WITH_LEFT_BLOCKS]);
    const before = snapshot(input);
    const work = path.dirname(input);
    const out = path.join(work, 'migrated');
    const reportFile = path.join(work, 'report.json');

    const result = run(['migrate', '--arns', CDK_OUTPUTS, '--out', out, '--report-json', reportFile, input], work);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(snapshot(input), before, 'the inputs are untouched');
    assert.deepEqual(fs.readdirSync(out).sort(), Object.keys(before).sort(), 'each copy keeps its input\'s name');

    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MigrationReport;
    assert.deepEqual(report.totals, { files: 8, migrated: 9, left: 3, untouched: 1 });
    const byName = new Map(report.files.map((f) => [path.basename(f.input), f]));
    assert.deepEqual(
      byName.get('several-operations-describe-output.json')!.migrated.map((b) => [b.operation, b.function]),
      [
        ['lookup', 'sf-lookup'],
        ['queryOne', 'sf-query-one'],
        ['createChatterPost', 'sf-create-chatter-post'],
        ['search', 'sf-search'],
      ],
    );
    assert.deepEqual(byName.get('unknown-operation.json')!.left.map((b) => [b.identifier, b.reason, b.operation]), [
      ['2577c1ec-fd42-4044-8ac7-93f519af685d', 'unknown-operation', 'upsert'],
    ]);
    assert.equal(byName.get('lookup-all.json')!.output, path.join(out, 'lookup-all.json'));

    // What was written is what the report says, in the input's form.
    const module = JSON.parse(fs.readFileSync(path.join(out, 'flow-module-describe-output.json'), 'utf8')) as { ContactFlowModule: { Content: string } };
    const moduleReport = byName.get('flow-module-describe-output.json')!;
    assert.equal(moduleReport.form, 'describe-contact-flow-module');
    assert.ok(module.ContactFlowModule.Content.includes(`"LambdaFunctionARN":"${moduleReport.migrated[0].newArn}"`));
    assert.equal(fs.readFileSync(path.join(out, 'dynamic-arn.json'), 'utf8'), before['dynamic-arn.json'], 'a flow with nothing to change is copied as it was');

    // The words for a person: every block changed and every block left, with its reason.
    assert.match(result.stdout, /several-operations-describe-output\.json \(flow, describe-contact-flow output\): 4 migrated, 0 left, 0 untouched/);
    assert.match(result.stdout, /migrated {3}[0-9a-f-]{36} {2}lookup_all -> sf-lookup: arn:aws:lambda:eu-west-2:123456789012:function:sfInvokeAPI -> arn:aws:lambda:.*:function:SfConnect-SfLookup-/);
    assert.match(result.stdout, /LEFT {7}[0-9a-f-]{36} {2}sf_operation is read at run time \(\$\.Attributes\.sf_operation\)/);
    assert.match(result.stdout, /untouched {2}[0-9a-f-]{36} {2}calls another function: arn:aws:lambda:eu-west-2:123456789012:function:holiday-calendar/);
    assert.match(result.stdout, /^8 files: 9 blocks migrated, 3 left unmigrated, 1 calling other functions untouched$/m);

    const allowed = run(['migrate', '--arns', CDK_OUTPUTS, '--out', out, '--allow-unmigrated', input], work);
    assert.equal(allowed.status, 0, allowed.stderr);
  });

  it('exits 0 when every block was migrated, and takes files as well as folders', () => {
    const input = exportedFolder(MIGRATABLE);
    const out = path.join(path.dirname(input), 'out');
    const single = path.join(FLOWS, 'lookup-all.json');
    // lookup-all.json twice (in the folder and by name) would be written to one place: refused.
    const clash = run(['migrate', '--arns', PLAIN_MAP, '--out', out, input, single]);
    assert.equal(clash.status, 2);
    assert.match(clash.stderr, /would both be written to .*lookup-all\.json/);
    assert.ok(!fs.existsSync(out), 'nothing written');

    fs.rmSync(path.join(input, 'lookup-all.json'));
    const result = run(['migrate', '--arns', PLAIN_MAP, '--out', out, input, single]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readdirSync(out).length, MIGRATABLE.length);
    assert.match(fs.readFileSync(path.join(out, 'lookup-all.json'), 'utf8'), /"LambdaFunctionARN": "arn:aws:lambda:eu-west-2:123456789012:function:prod-sf-lookup"/);
  });

  it('writes no flow under --check, only the report', () => {
    const input = exportedFolder(['lookup-all.json', 'dynamic-arn.json']);
    const before = snapshot(input);
    const work = path.dirname(input);
    const result = run(['migrate', '--arns', CDK_OUTPUTS, '--check', '--out', 'out', '--report-json', 'report.json', input], work);
    assert.equal(result.status, 1);
    assert.ok(!fs.existsSync(path.join(work, 'out')));
    assert.deepEqual(snapshot(input), before);
    const report = JSON.parse(fs.readFileSync(path.join(work, 'report.json'), 'utf8')) as MigrationReport;
    assert.equal(report.check, true);
    assert.deepEqual(
      report.files.map((f) => [path.basename(f.input), f.output, f.changed]),
      [
        ['dynamic-arn.json', null, false],
        ['lookup-all.json', null, true],
      ],
    );
    assert.match(result.stdout, /\(--check: nothing written\)/);
  });

  it('rewrites its inputs only with --in-place, and only those that change', () => {
    const input = exportedFolder(['lookup-all.json', 'dynamic-operation.json']);
    const before = snapshot(input);
    const refused = run(['migrate', '--arns', CDK_OUTPUTS, '--out', input, input]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /would be overwritten by its migrated copy: choose another --out, or say --in-place/);
    const nowhere = run(['migrate', '--arns', CDK_OUTPUTS, input]);
    assert.equal(nowhere.status, 2);
    assert.match(nowhere.stderr, /say where the migrated flows go: --out DIR, or --in-place/);
    assert.deepEqual(snapshot(input), before);

    const result = run(['migrate', '--arns', CDK_OUTPUTS, '--in-place', '--allow-unmigrated', input]);
    assert.equal(result.status, 0, result.stderr);
    const after = snapshot(input);
    assert.equal(after['dynamic-operation.json'], before['dynamic-operation.json']);
    assert.notEqual(after['lookup-all.json'], before['lookup-all.json']);
    assert.match(after['lookup-all.json'], /function:SfConnect-SfLookup-/);
  });

  it('stops with exit 2 and writes nothing when an input is not a flow', () => {
    const input = exportedFolder(['lookup-all.json', 'not-a-flow-list-contact-flows.json']);
    const out = path.join(path.dirname(input), 'out');
    const result = run(['migrate', '--arns', CDK_OUTPUTS, '--out', out, '--report-json', path.join(out, 'r.json'), input]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not-a-flow-list-contact-flows\.json is not an Amazon Connect flow: it has no Version/);
    assert.equal(result.stdout, '');
    assert.ok(!fs.existsSync(out));
  });

  it('says what is wrong with its arguments, with exit 2', () => {
    const lookupAll = path.join(FLOWS, 'lookup-all.json');
    for (const [args, message] of [
      [['migrate', '--check', lookupAll], /--arns MAP\.json is required/],
      [['migrate', '--arns', CDK_OUTPUTS, '--check', '--pattern', '(', lookupAll], /--pattern must be a regular expression/],
      [['migrate', '--arns', CDK_OUTPUTS, '--check', '--frobnicate', lookupAll], /Unknown option '--frobnicate'/],
      [['migrate', '--arns', CDK_OUTPUTS, '--check'], /name at least one flow file or folder/],
      [['migrate', '--arns', CDK_OUTPUTS, '--check', 'no-such-flow.json'], /no-such-flow\.json: no such file or folder/],
      [['migrate', '--arns', 'no-such-map.json', '--check', lookupAll], /no-such-map\.json not found: pass --arns with cdk-outputs\.json/],
      [['migrate', '--arns', lookupAll, '--check', lookupAll], /names none of the functions/],
      [['migrate', '--arns', CDK_OUTPUTS, '--out', 'x', '--in-place', lookupAll], /--in-place and --out exclude each other/],
      [['upgrade'], /unknown command "upgrade": expected migrate or render/],
    ] as const) {
      const result = run([...args]);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /sf-connect-flows migrate --arns MAP\.json/);
  });
});

describe('sf-connect-flows render (npm run render-flow)', () => {
  it('fills the sample flow\'s placeholders from the ARN map', () => {
    const out = path.join(tempDir(), 'rendered.json');
    const result = run(['render', '--outputs', CDK_OUTPUTS, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    const rendered = fs.readFileSync(out, 'utf8');
    assert.ok(!rendered.includes('${'));
    assert.match(rendered, /"LambdaFunctionARN": "arn:aws:lambda:eu-west-2:123456789012:function:SfConnect-SfPhoneLookup-/);

    const printed = run(['render', '--arns', PLAIN_MAP, '--flow', path.join(INFRA, 'flows', 'caller-lookup-create-case.json')], os.tmpdir());
    assert.equal(printed.status, 0, printed.stderr);
    assert.match(printed.stdout, /"displayName": "prod-sf-create"/);

    const missing = run(['render'], os.tmpdir());
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cdk-outputs\.json not found/);
  });
});

describe('the package bin', () => {
  it('runs from the repository root as npx --prefix infra sf-connect-flows', () => {
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    const result = spawnSync(npx, ['--prefix', 'infra', 'sf-connect-flows', 'migrate', '--arns', 'infra/test/fixtures/arn-maps/plain-map.json', '--check', 'infra/test/fixtures/flows/lookup-all.json'], {
      cwd: path.resolve(INFRA, '..'),
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /lookup_all -> sf-lookup/);
  });
});
