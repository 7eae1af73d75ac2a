/**
 * Thrown when `compile` cannot trace a function: it reads `.data` of a traced value (control
 * flow that depends on data), uses a `Value` computed outside it, or returns something other
 * than Values. A `TypeError`, so `catch (e) { if (e instanceof TypeError) ... }` still works;
 * test `instanceof TraceError` to fall back to eager mode for untraceable models only.
 */
export class TraceError extends TypeError {
  override name = 'TraceError';
}
