import { STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { problem } from '@streamplane/core';

/**
 * Node answers requests its parser refuses (URL or headers over the size limit, malformed request
 * lines) itself, with an empty body, before Express runs. A `clientError` listener replaces that
 * answer, so these get a problem+json like every other error.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A response already under way on this socket cannot be replaced; a reset peer cannot be answered.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_HEADERS_TIMEOUT' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431 ? 'the request line or headers are larger than the server accepts' : status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP';
  const code = status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'malformed_request';
  const body = JSON.stringify({ ...problem(status, code, detail), title: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
