/**
 * Close codes the Yjs server sends. The upgrade is always completed first and then closed with
 * one of these, because a plain HTTP 401 on an upgrade reaches a browser WebSocket only as an
 * anonymous 1006 and the client could not tell "log in again" from "network down".
 *
 * | code | name            | when                                                              |
 * |------|-----------------|-------------------------------------------------------------------|
 * | 4400 | Malformed       | bad path, or a message that is not valid y-websocket protocol      |
 * | 4401 | Unauthorized    | token missing, forged, expired or with the wrong audience          |
 * | 4403 | Forbidden       | valid token, but for another interview or another document         |
 * | 4404 | UnknownDocument | document name outside the allowed set                              |
 * | 4413 | MessageTooBig   | a message larger than `maxMessageBytes`                            |
 * | 4500 | InternalError   | the document could not be loaded from the store                    |
 * | 4503 | ShuttingDown    | the server is closing; reconnect to another instance               |
 * | 1009 | (ws built-in)   | a frame beyond the hard cap (4 x maxMessageBytes), cut by `ws`     |
 */
export const CloseCode = {
  Malformed: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  UnknownDocument: 4404,
  MessageTooBig: 4413,
  InternalError: 4500,
  ShuttingDown: 4503
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
