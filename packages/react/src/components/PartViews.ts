/**
 * The views of a reply's parts besides its text, and what goes under a message (its files,
 * sources, failure note and metrics), loaded together on first need: a chat whose replies are
 * text never ships them.
 */
export { AttachedFiles } from './AttachedFiles.js';
export { CitationMarkers } from './CitationMarkers.js';
export { MessageFooter } from './MessageFooter.js';
export { PartView } from './PartView.js';
