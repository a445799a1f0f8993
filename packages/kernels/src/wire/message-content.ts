import { z } from 'zod';

/**
 * The content of the messages this package consumes, as zod schemas: anything else a kernel
 * sends is ignored, and a message whose content does not parse is dropped and counted.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html (5.3): "Messages on the
 * shell (ROUTER/DEALER) channel", "Messages on the IOPub (PUB/SUB) channel", "Messages on the
 * stdin (ROUTER/DEALER) channel", "Messages on the control (ROUTER/DEALER) channel".
 */
const Text = z.string();
/** A MIME bundle: `text/plain` → "2", `image/png` → base64, `application/json` → JSON. */
const MimeBundle = z.record(z.string().max(256), z.unknown());
const Metadata = z.record(z.string(), z.unknown());
const Transient = z.object({ display_id: z.string().max(1024).optional() }).loose();

export const IopubContent = {
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#kernel-status */
  status: z.object({ execution_state: z.string().max(64) }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#streams-stdout-stderr-etc */
  stream: z.object({ name: z.enum(['stdout', 'stderr']), text: Text }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#display-data */
  display_data: z.object({
    data: MimeBundle,
    metadata: Metadata.default({}),
    transient: Transient.optional(),
  }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#update-display-data */
  update_display_data: z.object({
    data: MimeBundle,
    metadata: Metadata.default({}),
    transient: z.object({ display_id: z.string().max(1024) }).loose(),
  }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#id7 (execution results) */
  execute_result: z.object({
    execution_count: z.number().int().nullable(),
    data: MimeBundle,
    metadata: Metadata.default({}),
    transient: Transient.optional(),
  }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#execution-errors */
  error: z.object({ ename: Text, evalue: Text, traceback: z.array(Text).max(10_000) }),
  /** https://jupyter-client.readthedocs.io/en/stable/messaging.html#clear-output */
  clear_output: z.object({ wait: z.boolean() }),
} as const;
export type IopubType = keyof typeof IopubContent;

/** https://jupyter-client.readthedocs.io/en/stable/messaging.html#execution-results */
export const ExecuteReply = z.object({
  status: z.enum(['ok', 'error', 'aborted']),
  execution_count: z.number().int().nullable().optional(),
});
export type ExecuteReply = z.infer<typeof ExecuteReply>;

/** https://jupyter-client.readthedocs.io/en/stable/messaging.html#kernel-info */
export const KernelInfoReply = z
  .object({
    status: z.string().max(32).optional(),
    protocol_version: z.string().max(32),
    implementation: z.string().max(256).optional(),
    language_info: z
      .object({ name: z.string().max(256) })
      .loose()
      .optional(),
  })
  .loose();
export type KernelInfoReply = z.infer<typeof KernelInfoReply>;

/** interrupt_reply and shutdown_reply: https://jupyter-client.readthedocs.io/en/stable/messaging.html#kernel-shutdown */
export const StatusReply = z.object({ status: z.string().max(32) }).loose();

/** https://jupyter-client.readthedocs.io/en/stable/messaging.html#messages-on-the-stdin-router-dealer-channel */
export const InputRequest = z.object({
  prompt: z.string().max(64 * 1024),
  password: z.boolean().default(false),
});
export type InputRequest = z.infer<typeof InputRequest>;
