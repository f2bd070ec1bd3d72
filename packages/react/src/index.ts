'use client';
/**
 * `@sluice/react`: React hooks and components for streaming LLM answers.
 *
 * The hooks (`useStream`, `useChat`) and components (`StreamingMessage`, `Chat`) arrive with their
 * own issues; until then this entry re-exports the client's types, so an app can depend on one package.
 *
 * @packageDocumentation
 */
export type * from '@sluice/stream-client';
