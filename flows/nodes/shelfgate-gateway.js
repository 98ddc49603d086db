'use strict'
/** Config node: where the Shelfgate gateway is and which service account to use. */
module.exports = function (RED) {
  function ShelfgateGateway(config) {
    RED.nodes.createNode(this, config)
    this.url = config.url
    this.name = config.name
  }
  RED.nodes.registerType('shelfgate-gateway', ShelfgateGateway, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  })
}
