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
  private finishReason: FinishReason | undefined;
  private rawFinishReason: string | undefined;
  private responseId: string | undefined;
  private model: string | undefined;
  /** The reply's stream id, from a `sluice` header. */
  streamId: string | undefined;

  /** Adds one part; returns true when it was content (a token the reader can see). */
  add(part: StreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
        if (part.choice === undefined || part.choice === 0) this.text += part.text;
        else this.choice(part.choice).text += part.text;
        this.contentDeltas++;
        return true;
      case 'reasoning-delta':
        this.reasoning += part.text;
        this.contentDeltas++;
        return true;
      case 'refusal-delta':
        if (part.choice === undefined || part.choice === 0) this.refusal += part.text;
        this.contentDeltas++;
        return true;
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
    return this.usage?.outputTokens ?? this.contentDeltas;
  }

  /** A result of everything added so far. */
  snapshot(metrics: StreamMetrics, pricing: Pricing | undefined): StreamResult {
    const first: ChoiceResult = { text: this.text };
    if (this.finishReason !== undefined) first.finishReason = this.finishReason;
    if (this.rawFinishReason !== undefined) first.rawFinishReason = this.rawFinishReason;
    const choices = [first];
    const lastChoice = Math.max(0, ...this.otherChoices.keys());
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
    if (this.usage !== undefined) {
      const usage = { inputTokens: this.usage.inputTokens ?? 0, outputTokens: this.usage.outputTokens ?? 0 };
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
