import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadArnMap } from './arn-map';
import { readFlowFile } from './flow-file';
import { loadFunctionList } from './function-list';
import { InputError, migrateFiles, reportInWords } from './migrate-files';
import { DEFAULT_PATTERN } from './migration';
import { renderFlow } from './placeholders';

/** Exit codes, for pipelines. */
export const EXIT = {
  /** Every block that called the older function was migrated (or there was none). */
  ok: 0,
  /** Some block was left unmigrated (and `--allow-unmigrated` was not given). */
  unmigrated: 1,
  /** Wrong usage, or an input that cannot be read (a file that is not a flow, a bad ARN map): nothing written. */
  usage: 2,
} as const;

const USAGE = `usage:
  sf-connect-flows migrate --arns MAP.json [--stack NAME] [--pattern REGEX] [--out DIR | --in-place | --check]
                           [--report-json FILE] [--allow-unmigrated] FILE|DIR...
  sf-connect-flows render [--arns MAP.json] [--stack NAME] [--flow FILE] [--out FILE]

migrate  points every InvokeLambdaFunction block whose LambdaFunctionARN matches REGEX
         (default ${DEFAULT_PATTERN}) at the function serving its sf_operation, and reports every
         block it changed and every block it left. FILE is a flow or flow module as the flow
         designer exports it or as aws connect describe-contact-flow(-module) prints it; a DIR
         stands for the .json files in it.
  --arns FILE          function ARNs: cdk-outputs.json, aws cloudformation describe-stacks output,
                       or {"sf-lookup": "arn:aws:lambda:...", ...}
  --stack NAME         the stack to take from a file holding several
  --out DIR            write migrated copies here, under their input's file name
  --in-place           rewrite the input files instead
  --check              write no flows; only report
  --report-json FILE   also write the report as JSON
  --allow-unmigrated   exit 0 even when blocks were left

render   fills the \${SfLookupArn}-style placeholders of a flow shipped with the project
         (default flows/caller-lookup-create-case.json) with the function ARNs (default
         --arns cdk-outputs.json; --outputs is the same) and prints it, or writes --out FILE.

exit codes: 0 done, 1 blocks left unmigrated, 2 usage or input error (nothing written)
`;

function migrate(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      arns: { type: 'string' },
      stack: { type: 'string' },
      pattern: { type: 'string', default: DEFAULT_PATTERN },
      out: { type: 'string' },
      'in-place': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      'report-json': { type: 'string' },
      'allow-unmigrated': { type: 'boolean', default: false },
    },
  });
  if (values.arns === undefined) {
    throw new InputError('--arns MAP.json is required: cdk-outputs.json, describe-stacks output, or {"sf-lookup": "arn:...", ...}');
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(values.pattern);
  } catch (e) {
    throw new InputError(`--pattern must be a regular expression: ${(e as Error).message}`);
  }
  const functions = loadFunctionList();
  const arns = loadArnMap(values.arns, functions, values.stack);
  const report = migrateFiles(positionals, {
    pattern,
    functions,
    arns,
    outDir: values.out,
    inPlace: values['in-place'],
    check: values.check,
  });
  process.stdout.write(reportInWords(report));
  if (values['report-json'] !== undefined) {
    fs.mkdirSync(path.dirname(values['report-json']), { recursive: true });
    fs.writeFileSync(values['report-json'], JSON.stringify(report, null, 2) + '\n');
  }
  return report.totals.left > 0 && !values['allow-unmigrated'] ? EXIT.unmigrated : EXIT.ok;
}

function render(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      arns: { type: 'string' },
      outputs: { type: 'string' },
      stack: { type: 'string' },
      flow: { type: 'string', default: path.join('flows', 'caller-lookup-create-case.json') },
      out: { type: 'string' },
    },
  });
  if (values.arns !== undefined && values.outputs !== undefined) {
    throw new InputError('--outputs is another name for --arns: give one');
  }
  const functions = loadFunctionList();
  const arns = loadArnMap(values.arns ?? values.outputs ?? 'cdk-outputs.json', functions, values.stack);
  if (!fs.existsSync(values.flow)) {
    throw new InputError(`${values.flow}: no such flow file`);
  }
  const rendered = renderFlow(readFlowFile(fs.readFileSync(values.flow, 'utf8'), values.flow), functions, (f) => arns.get(f.name));
  if (values.out !== undefined) {
    fs.writeFileSync(values.out, rendered);
    process.stderr.write(`wrote ${values.out}\n`);
  } else {
    process.stdout.write(rendered);
  }
  return EXIT.ok;
}

/** Runs `sf-connect-flows` with its arguments; returns the exit code. */
export function main(argv: string[]): number {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help' || args.includes('--help')) {
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === 'migrate') return migrate(args);
    if (command === 'render') return render(args);
    throw new InputError(`unknown command ${JSON.stringify(command)}: expected migrate or render`);
  } catch (e) {
    // parseArgs reports unknown or incomplete options with a code; ours carry a message a person can act on.
    const usage = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
    process.stderr.write(`sf-connect-flows: ${(e as Error).message}\n${usage ? 'sf-connect-flows --help shows the usage\n' : ''}`);
    return EXIT.usage;
  }
}
