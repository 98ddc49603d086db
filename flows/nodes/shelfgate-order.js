'use strict'
/** Assigns a group-buy order to a pickup locker compartment; thin wrapper around ../lib/orders.js. */
const { createOrder, statusOf } = require('../lib/orders.js')

module.exports = function (RED) {
  function ShelfgateOrder(config) {
    RED.nodes.createNode(this, config)
    const node = this
    node.locker = config.locker
    node.gateway = RED.nodes.getNode(config.gateway)

    node.on('input', (msg, send, done) => {
      const gw = node.gateway
      if (!gw) {
        node.status(statusOf('error', 'no gateway'))
        done(new Error('no shelfgate-gateway configured'))
        return
      }
      const creds = gw.credentials || {}
      node.status(statusOf('sending'))
      createOrder({ url: gw.url, username: creds.username, password: creds.password }, msg.payload, node.locker).then(
        (answer) => {
          node.status(statusOf('ok', `slot ${answer.slot}`))
          msg.payload = answer
          send(msg)
          done()
        },
        (err) => {
          node.status(statusOf('error', err.code || 'failed'))
          done(err)
        },
      )
    })
    node.on('close', (_removed, done) => {
      node.status({})
      done()
    })
  }
  RED.nodes.registerType('shelfgate-order', ShelfgateOrder)
}
