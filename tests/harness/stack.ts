export { startStack, query, type Stack, type StackOptions } from '../../scripts/stack.js';
