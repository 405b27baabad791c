import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type OnMessage = NonNullable<Transport['onmessage']>;

const isResponse = (m: JSONRPCMessage): boolean => 'id' in m && ('result' in m || 'error' in m);

/**
 * Makes the SDK's `Client` see a transport's messages in the order they came. The SDK runs a
 * notification's handler one microtask late but settles a response at once, so a request's last
 * progress notification, read in the same chunk as its response, finds its handler already gone
 * and is dropped ("unknown token"). Here responses are a microtask late too: every message is
 * handled in arrival order. Call before the client connects (it sets `onmessage` then).
 */
export function deliverInOrder(transport: Transport): void {
  let wrapped: OnMessage | undefined;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => wrapped,
    set: (deliver: OnMessage | undefined) => {
      wrapped =
        deliver === undefined
          ? undefined
          : (message, extra) => {
              if (isResponse(message)) queueMicrotask(() => deliver(message, extra));
              else deliver(message, extra);
            };
    },
  });
}
