// The one error a share link can produce when opened: its message is written for the person
// who clicked the link (shown as is), `reason` is a stable code for tests and callers.

export class ShareLinkError extends Error {
  constructor(reason, message, options) {
    super(message, options);
    this.name = 'ShareLinkError';
    this.reason = reason;
  }
}
