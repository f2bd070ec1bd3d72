import type {
  Continuation,
  FinishReason,
  ServerToolCall,
  Source,
  StreamPart,
  ToolCall,
  ToolRequest,
  Usage,
} from '../providers/StreamPart.js';
import { resolveStreamLimits } from './StreamLimits.js';
import type { ResolvedStreamLimits } from './StreamLimits.js';
import type { ChoiceResult, Pricing, StreamMetrics, StreamResult } from './StreamResult.js';

/**
 * Folds stream parts into a {@link StreamResult}. Text grows by appending, so the cost of a part
 * does not depend on how long the answer already is.
 */
export class ResultAccumulator {
  /** The answer text so far (choice 0). */
  text = '';
  /** How many content deltas arrived: the token count used when the provider sends no usage. */
  contentDeltas = 0;
  private reasoning = '';
  private refusal = '';
  private readonly otherChoices = new Map<number, ChoiceResult>();
  private readonly toolCalls: ToolCall[] = [];
  private readonly serverToolCalls: ServerToolCall[] = [];
  private readonly toolRequests: ToolRequest[] = [];
  private readonly sources: Source[] = [];
  private continuation: Continuation | undefined;
  private usage: Partial<Usage> | undefined;
  /** The usage of the reply's earlier steps, to which the current step's is added. */
  private earlierUsage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private rawFinishReason: string | undefined;
  private responseId: string | undefined;
  private model: string | undefined;
  /** The reply's stream id, from a `sluice` header. */
  streamId: string | undefined;

  private parts = 0;
  private calls = 0;
  /** The content delta after which the texts are flattened next. */
  private flattenAt = 64;

  /** @param limits - what the stream may make it hold */
  constructor(private readonly limits: ResolvedStreamLimits = resolveStreamLimits()) {}

  /**
   * Why adding this part would pass the stream's limits, or `undefined` when it would not: checked
   * before `add`, so a stream that says `"index": 100000000` fails instead of allocating.
   */
  excess(part: StreamPart): string | undefined {
    const choice = part.type === 'tool-call' ? part.toolCall.choice : 'choice' in part ? part.choice : undefined;
    if (choice !== undefined && choice >= this.limits.maxChoices) {
      return `choice ${choice} is past the limit of ${this.limits.maxChoices} choices`;
    }
    if (this.parts >= this.limits.maxParts) return `the stream passed the limit of ${this.limits.maxParts} parts`;
    const call = part.type === 'tool-call-start' || part.type === 'server-tool-call' || part.type === 'tool-request';
    // Calls begun, and calls held (a finished call may come without its start).
    const held = this.toolCalls.length + this.serverToolCalls.length + this.toolRequests.length;
    if (
      (call && this.calls >= this.limits.maxToolCalls) ||
      (part.type === 'tool-call' && held >= this.limits.maxToolCalls)
    ) {
      return `the stream passed the limit of ${this.limits.maxToolCalls} tool calls`;
    }
    return undefined;
  }

  /**
   * Counts a content delta, and now and then makes the texts one string each again. V8 keeps
   * `a += b` as a pair of its halves, and a long answer held that way costs some 30 bytes a delta
   * more than its characters: a server holding a thousand replies feels it. Reading a character
   * flattens a string; doing it after a number of deltas that grows with the answer (an eighth
   * more each time) copies each character a bounded number of times, whatever the length. The
   * refusal and the texts of choices past the first, rare and short, are left as they grow.
   */
  private content(): true {
    if (++this.contentDeltas === this.flattenAt) {
      this.flattenAt += Math.max(64, this.contentDeltas >> 3);
      void (this.text.charCodeAt(0) + this.reasoning.charCodeAt(0));
    }
    return true;
  }

  /** Adds one part; returns true when it was content (a token the reader can see). */
  add(part: StreamPart): boolean {
    this.parts++;
    if (part.type === 'tool-call-start' || part.type === 'server-tool-call' || part.type === 'tool-request')
      this.calls++;
    switch (part.type) {
      case 'text-delta':
        if (part.choice === undefined || part.choice === 0) this.text += part.text;
        else this.choice(part.choice).text += part.text;
        return this.content();
      case 'reasoning-delta':
        this.reasoning += part.text;
        return this.content();
      case 'refusal-delta':
        if (part.choice === undefined || part.choice === 0) this.refusal += part.text;
        return this.content();
      case 'tool-call-start':
      case 'tool-call-delta':
        return true;
      case 'tool-call':
        this.toolCalls.push(part.toolCall);
        return true;
      case 'server-tool-call':
        this.serverToolCalls.push({ ...part.call });
        return true;
      case 'server-tool-result': {
        // The result of a call made earlier in the reply; the latest call with the id, searched
        // from the end, since results follow their calls closely.
        let index = this.serverToolCalls.length - 1;
        while (index >= 0 && this.serverToolCalls[index]!.id !== part.id) index--;
        if (index >= 0) {
          const call = { ...this.serverToolCalls[index]!, output: part.output };
          if (part.isError !== undefined) call.isError = part.isError;
          this.serverToolCalls[index] = call;
        }
        return true;
      }
      case 'tool-request':
        this.toolRequests.push(part.request);
        return true;
      case 'source':
        this.sources.push(part.source);
        return false;
      case 'continuation':
        this.continuation = part.continuation;
        return false;
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        return false;
      case 'step-start': {
        // Each step is a provider request of its own, with its own usage: the reply's is their sum.
        const usage = this.totalUsage();
        if (usage !== undefined) this.earlierUsage = usage;
        this.usage = undefined;
        return false;
      }
      case 'tool-result':
      case 'tool-approval-request': {
        // A call the server runs (or will, once approved) is not one for the client to run.
        const index = this.toolCalls.findIndex((call) => call.id === part.id);
        if (index !== -1) this.toolCalls.splice(index, 1);
        return false;
      }
      case 'finish':
        if (part.choice === undefined || part.choice === 0) {
          this.finishReason = part.finishReason;
          this.rawFinishReason = part.rawFinishReason;
        } else {
          const choice = this.choice(part.choice);
          choice.finishReason = part.finishReason;
          if (part.rawFinishReason !== undefined) choice.rawFinishReason = part.rawFinishReason;
        }
        return false;
      case 'start':
        if (part.id !== undefined) this.responseId = part.id;
        if (part.model !== undefined) this.model = part.model;
        return false;
      case 'sluice':
        this.streamId = part.streamId;
        return false;
      default:
        return false;
    }
  }

  /** The provider's output token count when it sent one, else the deltas counted. */
  get outputTokens(): number {
    if (this.usage?.outputTokens === undefined && this.earlierUsage === undefined) return this.contentDeltas;
    return this.totalUsage()!.outputTokens;
  }

  /** A result of everything added so far. */
  snapshot(metrics: StreamMetrics, pricing: Pricing | undefined): StreamResult {
    const first: ChoiceResult = { text: this.text };
    if (this.finishReason !== undefined) first.finishReason = this.finishReason;
    if (this.rawFinishReason !== undefined) first.rawFinishReason = this.rawFinishReason;
    const choices = [first];
    let lastChoice = 0;
    for (const index of this.otherChoices.keys()) if (index > lastChoice) lastChoice = index;
    for (let index = 1; index <= lastChoice; index++) choices.push({ text: '', ...this.otherChoices.get(index) });
    const result: StreamResult = {
      text: this.text,
      reasoning: this.reasoning,
      refusal: this.refusal,
      choices,
      toolCalls: [...this.toolCalls],
      serverToolCalls: [...this.serverToolCalls],
      toolRequests: [...this.toolRequests],
      sources: [...this.sources],
      metrics,
    };
    if (this.continuation !== undefined) result.continuation = this.continuation;
    const usage = this.totalUsage();
    if (usage !== undefined) {
      result.usage = usage;
      if (pricing !== undefined) {
        const input = dollars((usage.inputTokens * pricing.inputPerMillion) / 1_000_000);
        const output = dollars((usage.outputTokens * pricing.outputPerMillion) / 1_000_000);
        result.cost = { input, output, total: dollars(input + output) };
      }
    }
    if (this.finishReason !== undefined) result.finishReason = this.finishReason;
    if (this.rawFinishReason !== undefined) result.rawFinishReason = this.rawFinishReason;
    if (this.responseId !== undefined) result.responseId = this.responseId;
    if (this.model !== undefined) result.model = this.model;
    if (this.streamId !== undefined) result.streamId = this.streamId;
    return result;
  }

  /** The usage of every step so far, or `undefined` when no step reported any. */
  private totalUsage(): Usage | undefined {
    const earlier = this.earlierUsage;
    const current = this.usage;
    if (current === undefined) return earlier;
    return {
      inputTokens: (earlier?.inputTokens ?? 0) + (current.inputTokens ?? 0),
      outputTokens: (earlier?.outputTokens ?? 0) + (current.outputTokens ?? 0),
    };
  }

  /** A result of the text alone, for when the whole snapshot cannot be made. */
  textOnly(metrics: StreamMetrics): StreamResult {
    return {
      text: this.text,
      reasoning: this.reasoning,
      refusal: this.refusal,
      choices: [{ text: this.text }],
      toolCalls: [],
      serverToolCalls: [],
      toolRequests: [],
      sources: [],
      metrics,
    };
  }

  private choice(index: number): ChoiceResult {
    let choice = this.otherChoices.get(index);
    if (choice === undefined) this.otherChoices.set(index, (choice = { text: '' }));
    return choice;
  }
}

/** An amount rounded to a billionth of a cent, so binary fractions do not show as 0.00009999999999999999. */
function dollars(amount: number): number {
  return Math.round(amount * 1e11) / 1e11;
}
