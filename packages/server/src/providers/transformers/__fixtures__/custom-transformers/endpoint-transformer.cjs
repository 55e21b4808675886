// A CCR endpoint transformer: it adds an inbound API, which Conduit cannot serve.
module.exports = class EndpointTransformer {
  constructor() {
    this.name = 'my-endpoint';
    this.endPoint = '/v1/chat/completions';
  }

  async transformRequestOut(request) {
    return request;
  }
};
