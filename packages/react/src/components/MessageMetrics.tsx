import type { StreamCost, StreamMetrics } from '@sluice/stream-client';
import { withClassName } from './withClassName.js';

/** Props of {@link MessageMetrics}. */
export interface MessageMetricsProps {
  metrics: StreamMetrics;
  cost?: StreamCost | undefined;
  className?: string | undefined;
}

/** A reply's time to first token, tokens per second and cost, in one quiet line. */
export function MessageMetrics({ metrics, cost, className }: MessageMetricsProps) {
  const parts: string[] = [];
  if (metrics.timeToFirstTokenMs !== undefined) parts.push(`first token ${Math.round(metrics.timeToFirstTokenMs)} ms`);
  if (metrics.tokensPerSecond !== undefined) parts.push(`${metrics.tokensPerSecond.toFixed(1)} tokens/s`);
  if (cost !== undefined) parts.push(`$${cost.total < 0.01 ? cost.total.toFixed(5) : cost.total.toFixed(3)}`);
  if (parts.length === 0) return null;
  return <p className={withClassName('sluice-metrics', className)}>{parts.join(' · ')}</p>;
}
