// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// React 19's server renderer (imported by @grafana/ui 13) needs MessageChannel, which jsdom lacks.
// A timer-based stand-in: Node's own MessageChannel would keep jest from exiting.
if (typeof global.MessageChannel === 'undefined') {
  global.MessageChannel = class MessageChannel {
    constructor() {
      this.port1 = { onmessage: null, close() {} };
      this.port2 = {
        postMessage: (data) => setTimeout(() => this.port1.onmessage && this.port1.onmessage({ data }), 0),
        close() {},
      };
    }
  };
}
