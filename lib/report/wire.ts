/**
 * Jupyter messaging protocol v5.3 wire format (https://jupyter-client.readthedocs.io/en/latest/messaging.html):
 * frames `[...routing ids, "<IDS|MSG>", hmac-sha256 hex, header, parent_header, metadata, content, ...buffers]`.
 * Pure encode/decode; the sockets live in kernelClient.ts.
 */
import { createHmac, randomUUID } from "node:crypto";

export const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
}

export function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (!key) return "";
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

export function newMessage(msgType: string, content: Record<string, unknown>, session: string): Message {
  return {
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: "litlab",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

/** Frames for a Dealer socket (no routing ids: the kernel's Router adds ours). */
export function encode(key: string, msg: Message): string[] {
  const parts = [JSON.stringify(msg.header), JSON.stringify(msg.parent_header), JSON.stringify(msg.metadata), JSON.stringify(msg.content)];
  return [DELIMITER, sign(key, parts), ...parts];
}

/** Decodes frames from a Dealer or Subscriber socket; throws on a bad signature or a malformed message. */
export function decode(key: string, frames: readonly Buffer[]): Message {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (at < 0 || frames.length < at + 6) throw new Error("malformed Jupyter message: no <IDS|MSG> delimiter or missing parts");
  const signature = frames[at + 1]!.toString();
  const parts = frames.slice(at + 2, at + 6);
  if (key && sign(key, parts) !== signature) throw new Error("Jupyter message with a bad HMAC signature");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString()) as unknown);
  return {
    header: header as MessageHeader,
    parent_header: (parent ?? {}) as Partial<MessageHeader>,
    metadata: (metadata ?? {}) as Record<string, unknown>,
    content: (content ?? {}) as Record<string, unknown>,
  };
}
