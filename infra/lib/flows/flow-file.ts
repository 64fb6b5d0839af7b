import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';

/** The flow language version this module reads and writes. */
export const FLOW_LANGUAGE_VERSION = '2019-10-30';

/**
 * How a flow reached us:
 * - `export`: the flow-language document itself, as the flow designer exports it;
 * - `describe-contact-flow` / `describe-contact-flow-module`: the AWS CLI's output,
 *   `{ "ContactFlow": { ..., "Content": "<the document as a JSON string>" } }`
 *   (`ContactFlowModule` for a module).
 */
export type FlowFileForm = 'export' | 'describe-contact-flow' | 'describe-contact-flow-module';

/** One flow file: the flow-language text inside it and how to put a changed text back. */
export interface FlowFile {
  readonly source: string;
  readonly form: FlowFileForm;
  /** The flow-language document's text, exactly as it appears (unescaped from `Content` in the describe forms). */
  readonly flowText: string;
  /** Its syntax tree, with the offsets edits need. */
  readonly flow: Node;
  /** Whether the document is a flow module (has `Settings`, or came from describe-contact-flow-module). */
  readonly isModule: boolean;
  /** The whole file's text. */
  readonly fileText: string;
}

/** A file that is not a flow in any form we read. */
export class NotAFlowError extends Error {
  constructor(source: string, why: string) {
    super(
      `${source} is not an Amazon Connect flow: ${why}. Expected a flow or flow module exported from the flow designer ` +
        `(Version "${FLOW_LANGUAGE_VERSION}", Actions) or the output of aws connect describe-contact-flow / describe-contact-flow-module`,
    );
    this.name = 'NotAFlowError';
  }
}

/** The text as JSON, strictly (the tree parser alone would accept comments and trailing commas). */
function strictTree(text: string, source: string, what: string): Node {
  try {
    JSON.parse(text);
  } catch (e) {
    throw new NotAFlowError(source, `${what} is not JSON (${(e as Error).message})`);
  }
  return parseTree(text)!;
}

function checkFlowDocument(flow: Node, source: string): void {
  if (flow.type !== 'object') {
    throw new NotAFlowError(source, 'the document is not a JSON object');
  }
  const version = findNodeAtLocation(flow, ['Version']);
  if (version?.value !== FLOW_LANGUAGE_VERSION) {
    throw new NotAFlowError(source, version ? `Version is ${JSON.stringify(version.value)}` : 'it has no Version');
  }
  if (findNodeAtLocation(flow, ['Actions'])?.type !== 'array') {
    throw new NotAFlowError(source, 'it has no Actions array');
  }
}

/** Reads a flow file in any of its forms; throws `NotAFlowError` for anything else. */
export function readFlowFile(fileText: string, source: string): FlowFile {
  // Editors and Windows tools may save a byte order mark; JSON.parse refuses it.
  const text = fileText.replace(/^\uFEFF/, '');
  const root = strictTree(text, source, 'the file');
  for (const [wrapper, form] of [
    ['ContactFlow', 'describe-contact-flow'],
    ['ContactFlowModule', 'describe-contact-flow-module'],
  ] as const) {
    const wrapped = findNodeAtLocation(root, [wrapper]);
    if (wrapped === undefined) continue;
    const content = findNodeAtLocation(wrapped, ['Content']);
    if (typeof content?.value !== 'string') {
      throw new NotAFlowError(source, `${wrapper} has no Content string`);
    }
    const flowText = content.value;
    const flow = strictTree(flowText, source, `${wrapper}.Content`);
    checkFlowDocument(flow, source);
    return { source, form, flowText, flow, isModule: form === 'describe-contact-flow-module', fileText };
  }
  checkFlowDocument(root, source);
  const isModule = findNodeAtLocation(root, ['Settings']) !== undefined;
  return { source, form: 'export', flowText: text, flow: root, isModule, fileText };
}

/**
 * The file with its flow-language text replaced by `flowText`, in the same form:
 * the export form is the text itself; the describe forms keep every other byte
 * and re-serialise `Content` as a JSON string. An unchanged text gives the file back as it was.
 */
export function withFlowText(file: FlowFile, flowText: string): string {
  if (flowText === file.flowText) {
    return file.fileText;
  }
  const bom = file.fileText.startsWith('\uFEFF') ? '\uFEFF' : '';
  if (file.form === 'export') {
    return bom + flowText;
  }
  const text = file.fileText.slice(bom.length);
  const wrapper = file.form === 'describe-contact-flow' ? 'ContactFlow' : 'ContactFlowModule';
  const content = findNodeAtLocation(parseTree(text)!, [wrapper, 'Content'])!;
  return bom + text.slice(0, content.offset) + JSON.stringify(flowText) + text.slice(content.offset + content.length);
}
