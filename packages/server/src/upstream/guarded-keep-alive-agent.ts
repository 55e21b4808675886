import type { Agent, AgentOptions } from 'node:http';
import type { Socket } from 'node:net';

/**
 * An `http.Agent`/`https.Agent` whose idle kept-alive sockets are never reused once the upstream
 * sent anything on them (GHSA-35p6-xmwp-9g52). While a socket waits in the pool no request owns
 * it, so any byte, FIN or error received then is unsolicited: a late or stray answer, a `408`
 * before closing, a half-closed or reset connection. Written to, such a socket would hand those
 * bytes to the next request as its answer. The guard destroys it and takes it out of the pool
 * at once (`agentRemove`), so `addRequest` never picks it.
 *
 * The window left: bytes the kernel holds for the socket but Node has not read yet when a request
 * picks it (the readable event is due later in the same event-loop turn, or arrives after the
 * turn's poll). undici 7 narrows the first part by writing a reused socket's request only in the
 * check phase, after every event of that poll is processed; the second part (bytes arriving after
 * the poll) is open in both, as is any close that races the request on the wire. That yield is
 * what made a burst of requests wait for the whole burst to be parsed before the first one went
 * out; this guard writes each request at once.
 */
export function guardIdleSockets<T extends Agent>(agent: T): T {
  const keepSocketAlive = agent.keepSocketAlive.bind(agent);
  const reuseSocket = agent.reuseSocket.bind(agent);
  agent.keepSocketAlive = (socket: Socket) => {
    // Node's agent keeps the socket only if this returns true (typed `void` in @types/node).
    if ((keepSocketAlive(socket) as unknown) !== true) return false;
    socket.on('data', dropIdleSocket);
    socket.on('end', dropIdleSocket);
    // A socket left paused would not report bytes while idle; the next request resumes it anyway.
    if (socket.isPaused()) socket.resume();
    return true;
  };
  agent.reuseSocket = (socket: Socket, request) => {
    socket.off('data', dropIdleSocket);
    socket.off('end', dropIdleSocket);
    reuseSocket(socket, request);
  };
  return agent;
}

/** The keep-alive settings of both agents: undici's `keepAliveTimeout` of the previous client. */
export const keepAliveAgentOptions: AgentOptions = {
  keepAlive: true,
  // Idle sockets close after 30 s, or 1 s before the upstream's own `keep-alive: timeout=`.
  timeout: 30_000,
  scheduling: 'lifo',
};

function dropIdleSocket(this: Socket): void {
  this.destroy();
  // Documented: a socket that emits `agentRemove` leaves the agent's pools now, not at `close`.
  this.emit('agentRemove');
}
