// Handler journal: notifications owed to hosts survive a failed, interrupted or killed run.
export { HandlerJournal, describeCleared, openHandlerJournal, type OpenJournalOptions, type PendingHandler } from './handler-journal.js';
export { journalKey, journalPath, stateDir, type JournalKey } from './location.js';
