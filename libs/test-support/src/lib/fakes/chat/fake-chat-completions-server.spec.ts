import OpenAI from 'openai';
import {
  defaultChatReply,
  estimateChatTokens,
  startFakeChatCompletionsServer,
  type FakeChatCompletionRequest,
  type FakeChatCompletionsServer,
} from './fake-chat-completions-server';

// Every test drives the fake through the real `openai` client (6.x).

const API_KEY = 'sk-test-0123456789abcdef';
const MODEL = 'gpt-4o-mini';

async function caught(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OpenAI.APIError) return err;
    throw err;
  }
  throw new Error('expected an OpenAI.APIError');
}

describe('fake chat completions server, through the openai client', () => {
  let server: FakeChatCompletionsServer;

  beforeEach(async () => {
    server = await startFakeChatCompletionsServer({ apiKey: API_KEY });
  });

  afterEach(async () => {
    await server.close();
  });

  const client = (options: { apiKey?: string; maxRetries?: number } = {}): OpenAI =>
    new OpenAI({ baseURL: server.baseURL, apiKey: options.apiKey ?? API_KEY, maxRetries: options.maxRetries });

  const emailPrompt = (subject: string): OpenAI.ChatCompletionMessageParam[] => [
    { role: 'system', content: 'You draft replies to customer email.\nTone: friendly' },
    { role: 'user', content: `Earlier:\n> Subject: Old thread\n> ...\n\nNewest message:\nFrom: bob@x.test\nSubject: ${subject}\n\nWhere is my invoice?` },
  ];

  it("answers in OpenAI's chat.completion shape, with the documented default reply and estimated usage", async () => {
    const before = Math.floor(Date.now() / 1000);
    const messages = emailPrompt('Invoice 42');
    const completion = await client().chat.completions.create({ model: MODEL, messages, temperature: 0.2, max_tokens: 200 });

    const content = 'Thank you for your message about "Invoice 42". This reply is written in a friendly tone.\n\nBest regards';
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.created).toBeGreaterThanOrEqual(before);
    const promptTokens = messages.reduce((sum, m) => sum + Math.ceil((m.content as string).length / 4), 0);
    expect(completion.usage).toMatchObject({
      prompt_tokens: promptTokens,
      completion_tokens: estimateChatTokens(content),
      total_tokens: promptTokens + estimateChatTokens(content),
    });
    expect(completion._request_id).toMatch(/^req_/);

    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200 });
    expect(recorded.body).toMatchObject({ model: MODEL, messages, temperature: 0.2, max_tokens: 200 });
    expect(recorded.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(recorded.headers['x-stainless-retry-count']).toBe('0');
  });

  it('derives the default reply from the request; a custom reply function gets the parsed request', async () => {
    const request = (messages: FakeChatCompletionRequest['messages']): FakeChatCompletionRequest => ({ model: MODEL, messages });
    expect(defaultChatReply(request([{ role: 'user', content: 'Hello' }]))).toBe('Thank you for your message. This reply is written in a neutral tone.\n\nBest regards');
    expect(
      defaultChatReply(request([{ role: 'developer', content: [{ type: 'text', text: 'Tone: formal. Be brief.' }] }, { role: 'user', content: 'Subject: A\n\nSubject: B' }])),
    ).toBe('Thank you for your message about "B". This reply is written in a formal tone.\n\nBest regards');

    const seen: FakeChatCompletionRequest[] = [];
    const custom = await startFakeChatCompletionsServer({ apiKey: API_KEY, reply: (r) => (seen.push(r), `echo ${r.messages.length}`) });
    try {
      const openai = new OpenAI({ baseURL: custom.baseURL, apiKey: API_KEY });
      const completion = await openai.chat.completions.create({ model: MODEL, messages: emailPrompt('X') });
      expect(completion.choices[0].message.content).toBe('echo 2');
      expect(seen[0]).toMatchObject({ model: MODEL, messages: emailPrompt('X') });
    } finally {
      await custom.close();
    }
  });

  it('refuses a wrong API key with 401 invalid_api_key (AuthenticationError, not retried)', async () => {
    const err = await caught(client({ apiKey: 'sk-wrong-key-123456' }).chat.completions.create({ model: MODEL, messages: emailPrompt('X') }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect(err.message).toMatch(/^401 Incorrect API key provided: sk-\*+3456\./);
    expect(err.error).toMatchObject({ code: 'invalid_api_key' });
    expect(err.requestID).toMatch(/^req_/);
    expect(server.requests).toHaveLength(1);
  });

  it('enforces the context window with 400 context_length_exceeded in OpenAI wording', async () => {
    const small = await startFakeChatCompletionsServer({ apiKey: API_KEY, contextWindowTokens: 100 });
    try {
      const openai = new OpenAI({ baseURL: small.baseURL, apiKey: API_KEY });
      const prompt: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'x'.repeat(400) }]; // 100 tokens
      await expect(openai.chat.completions.create({ model: MODEL, messages: prompt })).resolves.toBeDefined();

      const withCap = await caught(openai.chat.completions.create({ model: MODEL, messages: prompt, max_completion_tokens: 10 }));
      expect(withCap).toBeInstanceOf(OpenAI.BadRequestError);
      expect(withCap).toMatchObject({ status: 400, code: 'context_length_exceeded', type: 'invalid_request_error', param: 'messages' });
      expect(withCap.message).toBe(
        "400 This model's maximum context length is 100 tokens. However, you requested 110 tokens (100 in the messages, 10 in the completion). Please reduce the length of the messages or completion.",
      );
      const tooLong = await caught(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(401) }] }));
      expect(tooLong.message).toContain('However, your messages resulted in 101 tokens.');
      expect(small.requests.map((r) => r.status)).toEqual([200, 400, 400]); // 400 is not retried
    } finally {
      await small.close();
    }
  });

  it("cuts a reply longer than the completion cap with finish_reason 'length'", async () => {
    const completion = await client().chat.completions.create({ model: MODEL, messages: emailPrompt('Invoice'), max_completion_tokens: 5 });
    const full = defaultChatReply({ model: MODEL, messages: emailPrompt('Invoice') });
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: full.slice(0, 20) } });
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('by default the client retries 429 twice (3 requests), honouring retry-after, then throws RateLimitError', async () => {
    server.failNext({ count: 5, status: 429, retryAfterSeconds: 0 });
    const err = await caught(client().chat.completions.create({ model: MODEL, messages: emailPrompt('X') }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests', param: null });
    expect(err.headers?.get('retry-after')).toBe('0');
    expect(server.requests.map((r) => [r.status, r.headers['x-stainless-retry-count']])).toEqual([
      [429, '0'],
      [429, '1'],
      [429, '2'],
    ]);
  });

  it('by default the client retries 500 and 503 (with its own ~0.5 s, ~1 s backoff) and then succeeds', async () => {
    server.failNext({ count: 1, status: 500 });
    server.failNext({ count: 1, status: 503 });
    const started = Date.now();
    const completion = await client().chat.completions.create({ model: MODEL, messages: emailPrompt('X') });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(server.requests.map((r) => r.status)).toEqual([500, 503, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 0.5 s and 1 s, minus up to 25% jitter
  });

  it('with maxRetries: 0 the client makes exactly one request, for 429 and for 5xx', async () => {
    server.failNext({ count: 1, status: 429 });
    server.failNext({ count: 1, status: 503 });
    const openai = client({ maxRetries: 0 });
    expect(await caught(openai.chat.completions.create({ model: MODEL, messages: emailPrompt('X') }))).toBeInstanceOf(OpenAI.RateLimitError);
    const unavailable = await caught(openai.chat.completions.create({ model: MODEL, messages: emailPrompt('X') }));
    expect(unavailable).toBeInstanceOf(OpenAI.InternalServerError);
    expect(unavailable).toMatchObject({ status: 503, type: 'server_error', code: null });
    expect(server.requests.map((r) => r.status)).toEqual([429, 503]);
  });

  it('streams the same reply as chat.completion.chunk events when asked', async () => {
    const stream = await client().chat.completions.create({
      model: MODEL,
      messages: emailPrompt('Invoice 42'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(defaultChatReply({ model: MODEL, messages: emailPrompt('Invoice 42') }));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(estimateChatTokens(text));
  });

  it('answers other routes with 404 Invalid URL, and applies latency', async () => {
    const err = await caught(client({ maxRetries: 0 }).models.list());
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toBe('404 Invalid URL (GET /v1/models)');

    server.setLatencyMs(150);
    const started = Date.now();
    await client().chat.completions.create({ model: MODEL, messages: emailPrompt('X') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
