/** Graph's `recipient` resource: `{ emailAddress: { name, address } }`. */
export interface FakeGraphRecipient {
  readonly emailAddress: {
    /** Display name; Graph repeats the address when the header had no display name. */
    readonly name: string;
    readonly address: string;
  };
}

/** Graph's `itemBody` resource. */
export interface FakeGraphItemBody {
  readonly contentType: 'text' | 'html';
  readonly content: string;
}

/**
 * One message as the fake Graph server stores it. Records are replaced, never mutated, on
 * every change, so a value read from `listMessages()` is a snapshot.
 */
export interface FakeGraphMessage {
  /** Opaque, long, base64url-ish (`AAMkAD...=`), unique in the server; stays the same on move. */
  readonly id: string;
  /** Opaque; a new one on every change (also the `@odata.etag`, as `W/"<changeKey>"`). */
  readonly changeKey: string;
  /** Shared by a message and the replies whose In-Reply-To/References name it. */
  readonly conversationId: string;
  /** Opaque id of the folder the message is in. */
  readonly parentFolderId: string;
  /** ISO 8601 UTC, whole seconds (`2024-05-01T10:00:00Z`), as Graph writes it. */
  readonly receivedDateTime: string;
  /** From the Date header when it parses, else `receivedDateTime`. */
  readonly sentDateTime: string;
  readonly createdDateTime: string;
  readonly lastModifiedDateTime: string;
  readonly isDraft: boolean;
  readonly isRead: boolean;
  /** Decoded Subject header (RFC 2047 words decoded), `''` when absent. */
  readonly subject: string;
  /** First From address; `undefined` when the header is missing or empty. */
  readonly from: FakeGraphRecipient | undefined;
  readonly toRecipients: readonly FakeGraphRecipient[];
  readonly ccRecipients: readonly FakeGraphRecipient[];
  readonly bccRecipients: readonly FakeGraphRecipient[];
  readonly replyTo: readonly FakeGraphRecipient[];
  /** The Message-ID header with its angle brackets, or one the fake made up when missing. */
  readonly internetMessageId: string;
  /** Message ids from In-Reply-To, angle brackets kept. */
  readonly inReplyTo: readonly string[];
  /** Message ids from References, angle brackets kept, oldest first. */
  readonly references: readonly string[];
  /**
   * Set for drafts the fake wrote (createReply, PATCH). `undefined` for added mail: the server
   * then derives Graph's `body`/`bodyPreview`/`hasAttachments` from `raw` with mailparser when a
   * request asks for them.
   */
  readonly body: FakeGraphItemBody | undefined;
  /** The RFC 822 bytes served by `$value`; for added mail, the very Buffer given to addMessage. */
  readonly raw: Buffer;
}
