module.exports = class Nameless {
  transformRequestIn(request) {
    return request;
  }
};
