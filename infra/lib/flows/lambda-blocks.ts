import { Edit, findNodeAtLocation, Node } from 'jsonc-parser';
import { functionNameOfArn, isLambdaArn } from './arn-map';

/** An `InvokeLambdaFunction` action of a flow (the designer's "AWS Lambda function" block). */
export interface LambdaBlock {
  /** The action's `Identifier`. */
  readonly identifier: string;
  /** `Parameters.LambdaFunctionARN` as written: an ARN, a `$.` reference, a `${...}` placeholder, or missing. */
  readonly arn: unknown;
  /** `Parameters.LambdaInvocationAttributes`, the parameters the function receives; undefined when absent. */
  readonly attributes: Readonly<Record<string, unknown>> | undefined;
  /** Where `LambdaFunctionARN`'s value sits in the text. */
  readonly arnNode: Node | undefined;
}

/** Connect reads a value that refers to flow data (`$.Attributes.x`, `$.External.y`) at run time. */
export function isDynamic(value: string): boolean {
  return value.includes('$.');
}

/** Every `InvokeLambdaFunction` action of a flow document, in the order of `Actions`. */
export function lambdaBlocks(flow: Node): LambdaBlock[] {
  const actions = findNodeAtLocation(flow, ['Actions'])?.children ?? [];
  return actions
    .filter((action) => findNodeAtLocation(action, ['Type'])?.value === 'InvokeLambdaFunction')
    .map((action) => {
      const arnNode = findNodeAtLocation(action, ['Parameters', 'LambdaFunctionARN']);
      const attributesNode = findNodeAtLocation(action, ['Parameters', 'LambdaInvocationAttributes']);
      return {
        identifier: String(findNodeAtLocation(action, ['Identifier'])?.value),
        arn: arnNode?.value,
        attributes: attributesNode?.type === 'object' ? attributesOf(attributesNode) : undefined,
        arnNode,
      };
    });
}

function attributesOf(node: Node): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    // Only scalars matter here (sf_operation); a nested value is kept as its type name.
    attributes[String(key.value)] = value.type === 'object' || value.type === 'array' ? value.type : value.value;
  }
  return attributes;
}

/**
 * The edits that point a block at another function: `Parameters.LambdaFunctionARN`,
 * and the designer's display of it in `Metadata.ActionMetadata.<id>.parameters.LambdaFunctionARN`
 * (`displayName`, the function's name; `value`, a copy of the ARN some exports carry) where the
 * export has them. Nothing else changes: each edit replaces one JSON string in place.
 */
export function pointBlockAt(flow: Node, block: LambdaBlock, arn: string): Edit[] {
  const edits: Edit[] = [replaceWith(block.arnNode!, arn)];
  const display = findNodeAtLocation(flow, ['Metadata', 'ActionMetadata', block.identifier, 'parameters', 'LambdaFunctionARN']);
  // A token (the construct substitutes at deploy time) has no name to show yet: the display stays.
  if (display !== undefined && isLambdaArn(arn)) {
    const displayName = findNodeAtLocation(display, ['displayName']);
    if (displayName?.type === 'string') edits.push(replaceWith(displayName, functionNameOfArn(arn)));
  }
  const value = display && findNodeAtLocation(display, ['value']);
  if (value?.type === 'string' && value.value === block.arn) edits.push(replaceWith(value, arn));
  return edits;
}

function replaceWith(node: Node, value: string): Edit {
  return { offset: node.offset, length: node.length, content: JSON.stringify(value) };
}
