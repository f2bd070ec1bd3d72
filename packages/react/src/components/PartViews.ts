/**
 * The views of a reply's parts besides its text, and of its metrics, loaded together on first
 * need: a chat whose replies are text never ships them.
 */
export { AttachedFiles } from './AttachedFiles.js';
export { CitationMarkers } from './CitationMarkers.js';
export { CustomTool } from './CustomTool.js';
export { DataPart } from './DataPart.js';
export { FailureNote } from './FailureNote.js';
export { MessageFiles } from './MessageFiles.js';
export { MessageFooter } from './MessageFooter.js';
export { MessageMetrics } from './MessageMetrics.js';
export { Reasoning } from './Reasoning.js';
export { ServerTool } from './ServerTool.js';
export { Sources } from './Sources.js';
export { ToolCall } from './ToolCall.js';
export { ToolRequestNote } from './ToolRequestNote.js';
