// Registered under a built-in name: like CCR, the loaded module wins.
module.exports = class DeepseekOverride {
  constructor(options) {
    this.name = 'deepseek';
    this.limit = (options && options.limit) || 42;
  }

  transformRequestIn(request) {
    request.max_tokens = this.limit;
    return request;
  }
};
