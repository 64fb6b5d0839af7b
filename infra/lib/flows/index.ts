/**
 * Amazon Connect's flow language, as far as this project needs it: reading a flow file in any
 * of its forms (`flow-file`), its Lambda blocks and pointing one at a function (`lambda-blocks`),
 * moving blocks off the older `sfInvokeAPI` function (`migration`, `migrate-files`), filling the
 * placeholders of a flow that ships with the project (`placeholders`), the function ARNs from a
 * stack's outputs or a plain map (`arn-map`), and the `sf-connect-flows` command (`cli`).
 */
export * from './arn-map';
export * from './flow-file';
export * from './function-list';
export * from './lambda-blocks';
export * from './migrate-files';
export * from './migration';
export * from './placeholders';
