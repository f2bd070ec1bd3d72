/**
 * `@sluice/stream-client/node`: what only a Node server needs. `createNodeFetch` makes provider
 * requests on `node:http` and `node:https`, which costs a server relaying many replies less
 * memory per reply than the built-in fetch. Kept out of the other entries, which run in browsers
 * and edge runtimes too.
 *
 * @packageDocumentation
 */
export { createNodeFetch } from './createNodeFetch.js';
export type { NodeFetchOptions } from './createNodeFetch.js';
