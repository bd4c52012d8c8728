/**
 * The words a plan gives items the remote store serves, in a module of their own: the human reporter
 * recognises them (to say them once, not per item) without loading the store's code.
 */

/** The reason a plan gives for an item (or scene) the store already has. */
export const RESTORE_REASON = 'restore from remote: another machine or branch rendered this key (0 credits)';

/** What a video found whole in the store says instead of its scene count: none is rendered, nor composed. */
export const WHOLE_FROM_STORE = 'no scene to render: the whole video comes from the remote store';
