// Preloaded into a dsync process (NODE_OPTIONS=--require …) by tests that must prove where it
// connected: every outgoing TCP connection attempt and every DNS lookup is appended to the file
// named by DSYNC_TEST_CONNECT_LOG before it happens, one JSON line each.
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

const log = process.env.DSYNC_TEST_CONNECT_LOG;
const record = (entry) => fs.appendFileSync(log, `${JSON.stringify(entry)}\n`);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  if (options && typeof options === 'object' && !options.path) {
    record({ kind: 'connect', host: options.host ?? 'localhost', port: options.port });
  } else if (typeof options === 'number') {
    record({ kind: 'connect', host: typeof args[1] === 'string' ? args[1] : 'localhost', port: options });
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record({ kind: 'lookup', host: hostname });
  return lookup.call(this, hostname, ...rest);
};
