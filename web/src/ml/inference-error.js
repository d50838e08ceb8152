// The error type of inference calls, shared by the worker (which throws it) and the client
// (which rebuilds it from a 'throw' envelope). Codes follow the core's status codes.

export class InferenceError extends Error {
  name = 'InferenceError';

  /** @param {'invalid_argument'|'out_of_range'|'unsupported'|'corrupt_data'|'resource_exhausted'|'cancelled'|'internal'} code */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export function cancelledError() {
  return new InferenceError('cancelled', 'The upscale was cancelled.');
}
