import type { Continuation } from '../providers/StreamPart.js';
import type { ChatFile, ChatRequest, ChatStep, ChatToolCall, ChatTurn } from '../stores/buildChatRequestBody.js';
import type { ToolSpec } from '../tools/ToolDefinition.js';
import { ChatRequestError } from './ChatRequestError.js';
import { checkContinuation } from './checkContinuation.js';

type Fields = Record<string, unknown>;

const roles: ReadonlySet<unknown> = new Set(['user', 'assistant', 'system']);
/** A tool's name as every provider takes it. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** What an attached file's address may be: its data, or a web address for the provider to fetch. */
const FILE_URL = /^(data:[^,]*,|https?:\/\/)/i;

/**
 * Reads what `useChat` sends (`{ system?, messages: [{ role, content, files?, steps? }], tools?,
 * ...body }`) into a {@link ChatRequest}, or refuses it with a 400 that says which field is wrong.
 * The body's other fields are kept apart in `body`, for `prepareRequest` to use or ignore: none
 * reaches the provider by itself, so a browser cannot choose the model or the price.
 *
 * Everything the client asks of the system prompt ends up in `system`: its `system` field, then
 * the text of any `system` turns, which leave `messages`. So a `prepareRequest` that drops
 * `chat.system` drops all the client's instructions, not only some. A conversation must hold a
 * user turn: no provider answers one without. A user turn's files, an assistant turn's steps
 * (its tool calls and their results), and the tools the client describes are checked field by field.
 */
export function readChatRequest(value: unknown): ChatRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('The body must be a JSON object: { "messages": [{ "role", "content" }], "system"? }.');
  }
  const { messages, system, tools, ...rest } = value as Fields;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('"messages" must be a non-empty array of { "role", "content" }.');
  }
  const turns = messages.map(readTurn);
  if (system !== undefined && system !== null && typeof system !== 'string') {
    throw invalid(`"system" must be a string, not ${describe(system)}.`);
  }
  const instructions = [typeof system === 'string' ? system : '', ...turns.filter(isSystem).map((turn) => turn.content)]
    .filter((text) => text !== '')
    .join('\n\n');
  const conversation = turns.filter((turn) => !isSystem(turn));
  if (!conversation.some((turn) => turn.role === 'user')) {
    throw invalid('"messages" must hold at least one turn with role "user".');
  }
  const request: ChatRequest = { messages: conversation };
  if (instructions !== '') request.system = instructions;
  if (tools !== undefined && tools !== null) request.tools = readTools(tools);
  if (Object.keys(rest).length > 0) request.body = rest;
  return request;
}

function readTurn(message: unknown, index: number): ChatTurn {
  const at = `messages[${index}]`;
  const fields = object(message, at, '{ "role", "content" }');
  const { role, content, continuation, files, steps } = fields;
  if (!roles.has(role)) throw invalid(`${at}.role must be "user", "assistant" or "system", not ${describe(role)}.`);
  if (typeof content !== 'string') throw invalid(`${at}.content must be a string, not ${describe(content)}.`);
  const turn: ChatTurn = { role: role as ChatTurn['role'], content };
  if (continuation !== undefined && continuation !== null) {
    if (role !== 'assistant')
      throw invalid(`${at}.continuation is not a reply's continuation: only an assistant turn has one.`);
    turn.continuation = readContinuation(continuation, `${at}.continuation`);
  }
  if (files !== undefined && files !== null) {
    if (role !== 'user') throw invalid(`${at}.files: only a user turn has files.`);
    turn.files = array(files, `${at}.files`).map((file, fileIndex) => readFile(file, `${at}.files[${fileIndex}]`));
  }
  if (steps !== undefined && steps !== null) {
    if (role !== 'assistant') throw invalid(`${at}.steps: only an assistant turn has steps.`);
    turn.steps = array(steps, `${at}.steps`).map((step, stepIndex) => readStep(step, `${at}.steps[${stepIndex}]`));
  }
  return turn;
}

function readFile(value: unknown, at: string): ChatFile {
  const { mediaType, url, filename } = object(value, at, '{ "mediaType", "url", "filename"? }');
  if (typeof mediaType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(mediaType)) {
    throw invalid(`${at}.mediaType must be a media type such as "image/png", not ${describe(mediaType)}.`);
  }
  if (typeof url !== 'string' || !FILE_URL.test(url)) {
    throw invalid(`${at}.url must be a data: URL or an http(s) address.`);
  }
  if (filename !== undefined && typeof filename !== 'string') throw invalid(`${at}.filename must be a string.`);
  return { mediaType, url, ...(filename === undefined ? {} : { filename }) };
}

function readStep(value: unknown, at: string): ChatStep {
  const { text, toolCalls, continuation } = object(value, at, '{ "text", "toolCalls"? }');
  if (typeof text !== 'string') throw invalid(`${at}.text must be a string, not ${describe(text)}.`);
  const step: ChatStep = { text };
  if (toolCalls !== undefined && toolCalls !== null) {
    step.toolCalls = array(toolCalls, `${at}.toolCalls`).map((call, callIndex) =>
      readToolCall(call, `${at}.toolCalls[${callIndex}]`),
    );
  }
  if (continuation !== undefined && continuation !== null) {
    step.continuation = readContinuation(continuation, `${at}.continuation`);
  }
  return step;
}

function readToolCall(value: unknown, at: string): ChatToolCall {
  const fields = object(value, at, '{ "id", "name", "input", "output"? }');
  const { id, name, input, output, isError, approval } = fields;
  if (typeof id !== 'string' || id === '' || id.length > 256) throw invalid(`${at}.id must be a call's id.`);
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) throw invalid(`${at}.name must be a tool's name.`);
  const call: ChatToolCall = { id, name, input };
  if ('output' in fields) call.output = output;
  if (isError !== undefined) {
    if (typeof isError !== 'boolean') throw invalid(`${at}.isError must be true or false.`);
    call.isError = isError;
  }
  if (approval !== undefined && approval !== null) {
    const { approved, reason } = object(approval, `${at}.approval`, '{ "approved", "reason"? }');
    if (typeof approved !== 'boolean') throw invalid(`${at}.approval.approved must be true or false.`);
    if (reason !== undefined && typeof reason !== 'string') throw invalid(`${at}.approval.reason must be a string.`);
    call.approval = { approved, ...(reason === undefined ? {} : { reason }) };
  }
  return call;
}

function readTools(value: unknown): ToolSpec[] {
  return array(value, 'tools').map((tool, index) => {
    const at = `tools[${index}]`;
    const { name, description, parameters } = object(tool, at, '{ "name", "description"?, "parameters" }');
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      throw invalid(`${at}.name must be 1 to 64 letters, digits, "_" or "-".`);
    }
    if (description !== undefined && typeof description !== 'string')
      throw invalid(`${at}.description must be a string.`);
    const schema = object(parameters ?? { type: 'object', properties: {} }, `${at}.parameters`, 'a JSON Schema');
    return { name, ...(description === undefined ? {} : { description }), parameters: schema };
  });
}

function readContinuation(value: unknown, at: string): Continuation {
  const problem = checkContinuation(value);
  if (problem !== undefined) throw invalid(`${at} is not a reply's continuation: ${problem}.`);
  return value as Continuation;
}

function isSystem(turn: ChatTurn): boolean {
  return turn.role === 'system';
}

function object(value: unknown, at: string, shape: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${at} must be an object ${shape}.`);
  return value as Fields;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${at} must be an array, not ${describe(value)}.`);
  return value;
}

function invalid(message: string): ChatRequestError {
  return new ChatRequestError(400, message, 'invalid_request', false);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
