import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArnMap } from './arn-map';
import { FlowFile, FlowFileForm, NotAFlowError, readFlowFile, withFlowText } from './flow-file';
import { FlowFunction } from './function-list';
import { LeftBlock, MigratedBlock, migrateFlow, UntouchedBlock } from './migration';

/** The command was used wrongly or given something it cannot read: nothing was written. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface MigrateFilesOptions {
  readonly pattern: RegExp;
  readonly functions: readonly FlowFunction[];
  readonly arns: ArnMap;
  /** Where migrated copies go, under their input's file name. */
  readonly outDir?: string;
  /** Rewrite the inputs themselves (only those that change). */
  readonly inPlace?: boolean;
  /** Write nothing; only report. */
  readonly check?: boolean;
}

export interface FileReport {
  readonly input: string;
  /** Where the migrated copy was written; null when nothing was (`--check`, or unchanged in place). */
  readonly output: string | null;
  readonly form: FlowFileForm;
  readonly module: boolean;
  readonly changed: boolean;
  readonly migrated: MigratedBlock[];
  readonly left: LeftBlock[];
  readonly untouched: UntouchedBlock[];
}

export interface MigrationReport {
  readonly pattern: string;
  readonly check: boolean;
  readonly files: FileReport[];
  readonly totals: { readonly files: number; readonly migrated: number; readonly left: number; readonly untouched: number };
}

/** The flow files named: each file as given, and the `*.json` files directly inside each folder. */
function flowPaths(inputs: readonly string[]): string[] {
  if (inputs.length === 0) {
    throw new InputError('name at least one flow file or folder');
  }
  return inputs.flatMap((input) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new InputError(`${input}: no such file or folder`);
    }
    if (!stat.isDirectory()) return [input];
    const files = fs
      .readdirSync(input, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => path.join(input, e.name))
      .sort();
    if (files.length === 0) {
      throw new InputError(`${input}: the folder holds no .json files`);
    }
    return files;
  });
}

function readAll(files: readonly string[]): FlowFile[] {
  const problems: string[] = [];
  const flows = files.flatMap((file) => {
    try {
      return [readFlowFile(fs.readFileSync(file, 'utf8'), file)];
    } catch (e) {
      if (!(e instanceof NotAFlowError)) throw e;
      problems.push(e.message);
      return [];
    }
  });
  if (problems.length > 0) {
    throw new InputError(problems.join('\n'));
  }
  return flows;
}

function destinations(files: readonly string[], options: MigrateFilesOptions): (string | null)[] {
  if (options.check) return files.map(() => null);
  if (options.inPlace) return [...files];
  const outDir = options.outDir!;
  const seen = new Map<string, string>();
  return files.map((file) => {
    const destination = path.join(outDir, path.basename(file));
    const other = seen.get(destination);
    if (other !== undefined) {
      throw new InputError(`${other} and ${file} would both be written to ${destination}: migrate them to different --out folders`);
    }
    if (path.resolve(destination) === path.resolve(file)) {
      throw new InputError(`${file} would be overwritten by its migrated copy: choose another --out, or say --in-place`);
    }
    seen.set(destination, file);
    return destination;
  });
}

/**
 * Migrates every flow named and writes the copies (unless `check`). Every input is read and
 * checked before anything is written, so a file that is not a flow stops the run with nothing
 * written. Throws `InputError` for that and for clashing destinations.
 */
export function migrateFiles(inputs: readonly string[], options: MigrateFilesOptions): MigrationReport {
  if (!options.check && !options.inPlace && options.outDir === undefined) {
    throw new InputError('say where the migrated flows go: --out DIR, or --in-place (or only report with --check)');
  }
  if (options.inPlace && options.outDir !== undefined) {
    throw new InputError('--in-place and --out exclude each other');
  }
  const files = flowPaths(inputs);
  const targets = destinations(files, options);
  const flows = readAll(files);

  const reports = flows.map((file, i): FileReport => {
    const result = migrateFlow(file.flowText, file.flow, options);
    const text = withFlowText(file, result.flowText);
    const changed = text !== file.fileText;
    let output = targets[i];
    if (output !== null && (changed || !options.inPlace)) {
      fs.mkdirSync(path.dirname(output), { recursive: true });
      fs.writeFileSync(output, text);
    } else {
      output = null;
    }
    const { migrated, left, untouched } = result;
    return { input: file.source, output, form: file.form, module: file.isModule, changed, migrated, left, untouched };
  });

  const sum = (pick: (r: FileReport) => unknown[]) => reports.reduce((n, r) => n + pick(r).length, 0);
  return {
    pattern: options.pattern.source,
    check: options.check ?? false,
    files: reports,
    totals: { files: reports.length, migrated: sum((r) => r.migrated), left: sum((r) => r.left), untouched: sum((r) => r.untouched) },
  };
}

/** The report for a person: per file, every block changed and every block left, with the reason. */
export function reportInWords(report: MigrationReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const what = `${file.module ? 'flow module' : 'flow'}, ${file.form === 'export' ? 'designer export' : `${file.form} output`}`;
    lines.push(`${file.input} (${what}): ${file.migrated.length} migrated, ${file.left.length} left, ${file.untouched.length} untouched`);
    for (const b of file.migrated) {
      lines.push(`  migrated   ${b.identifier}  ${b.operation} -> ${b.function}: ${b.oldArn} -> ${b.newArn}`);
    }
    for (const b of file.left) {
      lines.push(`  LEFT       ${b.identifier}  ${b.detail}`);
    }
    for (const b of file.untouched) {
      lines.push(`  untouched  ${b.identifier}  ${b.function ? `already calls ${b.function}` : 'calls another function'}: ${b.arn}`);
    }
    if (file.output !== null) lines.push(`  wrote ${file.output}`);
  }
  const t = report.totals;
  lines.push(
    `${t.files} file${t.files === 1 ? '' : 's'}: ${t.migrated} block${t.migrated === 1 ? '' : 's'} migrated, ` +
      `${t.left} left unmigrated, ${t.untouched} calling other functions untouched${report.check ? ' (--check: nothing written)' : ''}`,
  );
  return lines.join('\n') + '\n';
}
