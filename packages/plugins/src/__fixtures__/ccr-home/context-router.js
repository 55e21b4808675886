// A CCR router that uses every part of its contract: req fields, config, event and req.log.
module.exports = async function router(req, config, { event }) {
  req.log.info({ tokenCount: req.tokenCount }, 'context-router called');
  event.emit('routed', req.sessionId);
  if (req.headers['x-route-to']) return req.headers['x-route-to'];
  if (req.tokenCount > config.Router.longContextThreshold) return config.Router.longContext;
  if (req.sessionId === 'bad-answer') return 'no-comma';
  if (req.sessionId === 'throw') throw new Error('router blew up');
  return null;
};
