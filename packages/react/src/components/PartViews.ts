/**
 * The views of a reply's parts besides its text, and of its metrics, loaded together on first
 * need: a chat whose replies are text never ships them.
 */
export { AttachedFiles } from './AttachedFiles.js';
export { CitationMarkers } from './CitationMarkers.js';
export { FailureNote } from './FailureNote.js';
export { MessageFooter } from './MessageFooter.js';
export { MessageMetrics } from './MessageMetrics.js';
export { PartView } from './PartView.js';
