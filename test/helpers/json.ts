/**
 * JSON read by path (`body.messages[0].content`): what a fake upstream receives, or what a test gets back from the
 * hub. Loose on purpose: a fake answers whatever arrives, and a test's assertions are what check the shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the assertions are the type check
export type Json = Record<string, any>;
