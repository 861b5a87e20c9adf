import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Turns a fake server's async request pipeline into a Node request listener. Anything the
 * pipeline throws (not a provider error it answers itself) is a bug of the fake: it is answered
 * 500 `text/plain` `<serverName> bug: <error>` so the test sees what broke instead of a hang.
 */
export function reportHandlerBugs(serverName: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestListener {
  return (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`${serverName} bug: ${String(err)}`);
    });
  };
}
