/**
 * JSON a test reads by path (`body.messages[0].content`) after the hub or a fake wrote it: loose on purpose, since
 * the assertions themselves check the shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the test's expectations are the type check
export type Json = Record<string, any>;
