import type { DataPart as DataMessagePart } from '@sluice/stream-client';
import type { DataRenderer } from './ChatMessageView.js';

/** Props of {@link DataPart}. */
export interface DataPartProps {
  part: DataMessagePart;
  /** The app's view of this kind of data (`renderData[name]`). */
  render: DataRenderer;
}

/** A data part drawn by the app's own view. It loads with the part views: a chat without data ships none of it. */
export function DataPart({ part, render }: DataPartProps) {
  return (
    <div className="sluice-data" data-name={part.type}>
      {render(part)}
    </div>
  );
}
