import type { StreamPart } from '../providers/StreamPart.js';
import type { PartialJsonParser } from '../tools/PartialJsonParser.js';
import type { DataPart, MessagePart, ReasoningPart, StepStartPart, TextPart, ToolCallPart } from './MessagePart.js';

/** A part being built: its last published form, and what has changed since. */
interface Entry {
  part: MessagePart;
  /** The text of a growing text or reasoning part, appended to here and published once per snapshot. */
  text?: string | undefined;
  /** The arguments of a tool call as they stream. */
  parser?: PartialJsonParser | undefined;
  /** When a reasoning part's first piece arrived. */
  startedAt?: number | undefined;
}

/** The parser's code, once loaded: the first tool call of a session asks for it. */
let Parser: typeof PartialJsonParser | undefined;
let parserLoading: Promise<void> | undefined;

/**
 * Loads the incremental JSON parser for tool arguments, once: a chat whose model never calls a
 * tool never ships it. A session starts it early, so it is here before a call streams; arguments
 * that arrive sooner are parsed as soon as it is.
 */
export function loadToolArgumentsParser(): Promise<void> {
  parserLoading ??= import('../tools/PartialJsonParser.js').then((module) => {
    Parser = module.PartialJsonParser;
  });
  return parserLoading;
}

/**
 * Builds a reply's parts from its stream: each text block, reasoning, tool call, source, file and
 * piece of data in the order it began, updated in place by id. Deltas are appended to buffers and
 * tool arguments fed to an incremental parser, so a token costs the same however long the reply;
 * `parts` makes new objects only for the parts that changed, once per read (once per frame).
 */
export class MessagePartsBuilder {
  /** The parts of earlier steps: kept, but for the calls this step's server answers. */
  private before: readonly MessagePart[];
  private beforeChanged = false;
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private readonly dirty = new Set<Entry>();
  private published: readonly MessagePart[];
  private step: Entry | undefined;
  private stepCount = 0;
  /** The reasoning part still growing, which anything else ends. */
  private thinking: Entry | undefined;
  /** A new step's text is set apart from the last step's, once it has some. */
  private separate = false;
  /** The reply's plain text: every step's, a blank line between steps. */
  text: string;

  /**
   * @param before - the parts of the reply's earlier steps, kept as they are
   * @param text - the plain text of those steps
   * @param nextId - makes the id of each new part
   */
  constructor(
    before: readonly MessagePart[],
    text: string,
    private readonly nextId: () => string,
  ) {
    this.before = before;
    this.published = before;
    this.text = text;
    this.startStep();
  }

  /** Whether anything changed since `parts` was last read. */
  get changed(): boolean {
    return this.dirty.size > 0 || this.beforeChanged;
  }

  /** The parts: the same array until something changes, and unchanged parts keep their identity. */
  get parts(): readonly MessagePart[] {
    if (!this.changed) return this.published;
    this.beforeChanged = false;
    for (const entry of this.dirty) entry.part = materialise(entry);
    this.dirty.clear();
    const parts = this.before.slice();
    for (const entry of this.entries) parts.push(entry.part);
    this.published = parts;
    return parts;
  }

  /** Takes in one part of the stream. */
  add(part: StreamPart): void {
    if (part.type !== 'reasoning-delta' && this.thinking !== undefined && isContent(part)) this.endThinking();
    switch (part.type) {
      case 'step-start':
        this.endOpen();
        this.startStep();
        return;
      case 'text-delta': {
        if (part.choice !== undefined && part.choice !== 0) return;
        const entry = this.open(`text:${this.stepCount}:${part.block ?? 0}`, () => ({
          type: 'text',
          id: this.nextId(),
          text: '',
          state: 'streaming',
        }));
        entry.text = (entry.text ?? '') + part.text;
        if (this.separate && part.text !== '') {
          this.separate = false;
          this.text += '\n\n';
        }
        this.text += part.text;
        this.dirty.add(entry);
        return;
      }
      case 'reasoning-delta': {
        const entry = this.open(`reasoning:${this.stepCount}:${part.block ?? 0}`, () => ({
          type: 'reasoning',
          id: this.nextId(),
          text: '',
          state: 'streaming',
        }));
        entry.startedAt ??= performance.now();
        entry.text = (entry.text ?? '') + part.text;
        this.thinking = entry;
        this.dirty.add(entry);
        return;
      }
      case 'tool-call-start': {
        if (part.choice !== undefined && part.choice !== 0) return;
        const entry = this.open(`tool:${part.id}`, () => toolCall(part.id, part.name));
        entry.text ??= '';
        if (Parser === undefined) void loadToolArgumentsParser();
        else entry.parser ??= new Parser();
        return;
      }
      case 'tool-call-delta': {
        const entry = this.byKey.get(`tool:${part.id}`);
        if (entry === undefined || entry.part.type !== 'tool-call' || entry.part.state !== 'input-streaming') return;
        entry.text = (entry.text ?? '') + part.argumentsDelta;
        if (entry.parser !== undefined) entry.parser.feed(part.argumentsDelta);
        else if (Parser !== undefined) {
          // The parser arrived after the call began: it catches up once, then goes delta by delta.
          entry.parser = new Parser();
          entry.parser.feed(entry.text);
        }
        this.dirty.add(entry);
        return;
      }
      case 'tool-call': {
        const { toolCall: call } = part;
        if (call.choice !== 0) return;
        const entry = this.open(`tool:${call.id}`, () => toolCall(call.id, call.name));
        entry.parser = undefined;
        entry.text = undefined;
        this.replace(entry, { state: 'input-available', input: call.arguments, inputText: call.argumentsText });
        return;
      }
      case 'tool-result':
        this.updateCall(
          part.id,
          part.isError === true
            ? { state: 'output-error', errorText: errorText(part.output), runsOn: 'server' }
            : { state: 'output-available', output: part.output, runsOn: 'server' },
        );
        return;
      case 'tool-approval-request':
        this.updateCall(part.id, { state: 'awaiting-approval', runsOn: 'server' });
        return;
      case 'server-tool-call': {
        const { call } = part;
        const entry = this.open(`server:${call.id}`, () => ({
          type: 'server-tool',
          id: call.id,
          name: call.name,
          input: call.input,
          state: 'running',
        }));
        this.replace(entry, {
          input: call.input,
          ...(call.server === undefined ? {} : { server: call.server }),
          ...(call.output === undefined ? {} : { output: call.output, state: 'done' }),
          ...(call.isError === undefined ? {} : { isError: call.isError }),
        });
        return;
      }
      case 'server-tool-result': {
        const entry = this.byKey.get(`server:${part.id}`);
        if (entry === undefined) return;
        this.replace(entry, {
          output: part.output,
          state: 'done',
          ...(part.isError === undefined ? {} : { isError: part.isError }),
        });
        return;
      }
      case 'source': {
        const cited = this.byKey.get(`text:${this.stepCount}:${part.block ?? 0}`);
        this.append({
          type: 'source',
          id: this.nextId(),
          source: part.source,
          ...(cited === undefined ? {} : { textPartId: cited.part.id }),
        });
        return;
      }
      case 'file':
        this.append({
          type: 'file',
          id: this.nextId(),
          mediaType: part.mediaType,
          url: part.url,
          ...(part.filename === undefined ? {} : { filename: part.filename }),
        });
        return;
      case 'tool-request':
        this.append({ type: 'tool-request', id: part.request.id, request: part.request });
        return;
      case 'data': {
        const type = `data-${part.name}` as const;
        if (part.id === undefined) {
          this.append({ type, id: this.nextId(), data: part.data });
          return;
        }
        const id = part.id;
        const entry = this.open(`data:${part.name}:${id}`, (): DataPart => ({ type, id, data: part.data }));
        this.replace(entry, { data: part.data });
        return;
      }
      case 'continuation':
        if (this.step !== undefined) this.replace(this.step, { continuation: part.continuation });
        return;
      default:
        return;
    }
  }

  /**
   * The stream ended (finished or not): growing text and reasoning are done, and tool calls whose
   * arguments never completed keep what arrived, as calls that cannot run.
   */
  end(): void {
    this.endOpen();
  }

  /**
   * Changes a tool call of this step, or of an earlier one: a call a person approved is run by the
   * server at the start of the next request, and its result belongs to the step that made it.
   */
  private updateCall(id: string, fields: Partial<ToolCallPart>): void {
    const entry = this.byKey.get(`tool:${id}`);
    if (entry !== undefined) {
      this.replace(entry, fields);
      return;
    }
    const index = this.before.findIndex((part) => part.type === 'tool-call' && part.id === id);
    if (index === -1) return;
    const parts = this.before.slice();
    parts[index] = { ...(parts[index] as ToolCallPart), ...fields };
    this.before = parts;
    this.beforeChanged = true;
  }

  private startStep(): void {
    this.step = this.append({ type: 'step-start', id: this.nextId() } satisfies StepStartPart);
    this.stepCount++;
    this.separate = this.text !== '';
  }

  /** Ends what grows in this step: text and reasoning are done, unfinished arguments are what they are. */
  private endOpen(): void {
    this.endThinking();
    for (const entry of this.entries) {
      const { part } = entry;
      if (part.type === 'text' && part.state === 'streaming') this.replace(entry, { state: 'done' });
      if (part.type === 'tool-call' && part.state === 'input-streaming') {
        const inputText = entry.text ?? '';
        const input = entry.parser !== undefined ? entry.parser.end() : parseWhole(inputText);
        entry.parser = undefined;
        entry.text = undefined;
        this.replace(entry, { state: 'input-available', input, inputText });
      }
    }
  }

  private endThinking(): void {
    const entry = this.thinking;
    if (entry === undefined) return;
    this.thinking = undefined;
    const durationMs = entry.startedAt === undefined ? 0 : performance.now() - entry.startedAt;
    this.replace(entry, { state: 'done', durationMs } satisfies Partial<ReasoningPart>);
  }

  /** The part kept under `key`, made by `make` the first time. */
  private open(key: string, make: () => MessagePart): Entry {
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      entry = this.append(make());
      this.byKey.set(key, entry);
    }
    return entry;
  }

  private append(part: MessagePart): Entry {
    const entry: Entry = { part };
    this.entries.push(entry);
    this.dirty.add(entry);
    return entry;
  }

  /** Changes fields of a part: published as a new object at the next read. */
  private replace(entry: Entry, fields: Record<string, unknown>): void {
    entry.part = { ...materialise(entry), ...fields } as MessagePart;
    this.dirty.add(entry);
  }
}

/** A part with what its buffers hold. */
function materialise(entry: Entry): MessagePart {
  const { part } = entry;
  if ((part.type === 'text' || part.type === 'reasoning') && entry.text !== undefined && entry.text !== part.text) {
    return { ...part, text: entry.text } satisfies TextPart | ReasoningPart;
  }
  if (part.type === 'tool-call' && entry.parser !== undefined) {
    const input = entry.parser.value;
    const inputText = entry.text ?? '';
    if (input !== part.input || inputText !== part.inputText) return { ...part, input, inputText };
  }
  return part;
}

/** Arguments read whole, for a call that ended before the incremental parser arrived. */
function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toolCall(id: string, name: string): ToolCallPart {
  return { type: 'tool-call', id, name, state: 'input-streaming', input: undefined, inputText: '' };
}

/** A tool's failure as the words the model and the person read. */
function errorText(output: unknown): string {
  if (typeof output === 'string') return output;
  try {
    return JSON.stringify(output) ?? 'The tool failed.';
  } catch {
    return 'The tool failed.';
  }
}

/** Whether a part is something of the answer other than reasoning, which ends a reasoning part's time. */
function isContent(part: StreamPart): boolean {
  return (
    part.type === 'text-delta' ||
    part.type === 'tool-call-start' ||
    part.type === 'tool-call' ||
    part.type === 'server-tool-call' ||
    part.type === 'refusal-delta' ||
    part.type === 'step-start' ||
    part.type === 'finish'
  );
}
