// A small client for the QEMU Machine Protocol over a unix socket: newline-delimited
// JSON, one greeting, then commands matched to replies by id, with events in between.
// QEMU serves one QMP client at a time, so callers connect, do their work and close.
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';

export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  override name = 'QmpError';
  constructor(
    readonly command: string,
    readonly errorClass: string,
    description: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${description}`);
  }
}

export class QmpConnectionError extends Error {
  override name = 'QmpConnectionError';
}

/** No reply or event in time; the connection itself may still be fine. */
export class QmpTimeoutError extends Error {
  override name = 'QmpTimeoutError';
}

export interface WaitForEventOptions {
  timeoutMs: number;
  /** Only an event this accepts counts (e.g. the right job id). */
  where?: (event: QmpEvent) => boolean;
}

interface PendingCommand {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  onEvent: (event: QmpEvent) => void;
  onClose: (error: Error) => void;
}

const defaultCommandTimeoutMs = 10_000;

export class QmpClient {
  private readonly pending = new Map<string, PendingCommand>();
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;
  private unparsed = '';
  private closedBecause: Error | undefined;
  private readonly greeting: Promise<void>;
  private settleGreeting!: { resolve: () => void; reject: (error: Error) => void };

  private constructor(
    private readonly socket: Socket,
    readonly socketPath: string,
  ) {
    this.greeting = new Promise<void>((resolve, reject) => (this.settleGreeting = { resolve, reject }));
    // Only connect() awaits the greeting; a connection that fails later must not surface here too.
    this.greeting.catch(() => undefined);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.shutDown(new QmpConnectionError(`QMP ${socketPath}: ${error.message}`)));
    socket.on('close', () => this.shutDown(new QmpConnectionError(`QMP ${socketPath}: connection closed`)));
  }

  /** Connects, reads the greeting and leaves capabilities negotiation mode. */
  static async connect(socketPath: string, { timeoutMs = 5_000 } = {}): Promise<QmpClient> {
    const client = new QmpClient(createConnection(socketPath), socketPath);
    const noGreeting = new QmpConnectionError(`QMP ${socketPath}: no greeting within ${timeoutMs} ms (another client may hold the monitor)`);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([client.greeting, new Promise((_, reject) => (timer = setTimeout(() => reject(noGreeting), timeoutMs)))]);
      await client.execute('qmp_capabilities', {}, { timeoutMs });
      return client;
    } catch (error) {
      client.socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get closed(): boolean {
    return this.closedBecause !== undefined;
  }

  async execute<T = unknown>(command: string, args: Record<string, unknown> = {}, { timeoutMs = defaultCommandTimeoutMs } = {}): Promise<T> {
    if (this.closedBecause) throw this.closedBecause;
    const id = `strata-${this.nextId++}`;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpTimeoutError(`QMP ${command}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve, reject, timer });
    });
    this.socket.write(`${JSON.stringify({ execute: command, arguments: args, id })}\n`);
    return (await reply) as T;
  }

  /** Resolves with the next matching event. Start waiting before causing the event. */
  waitForEvent(names: string[], { timeoutMs, where = () => true }: WaitForEventOptions): Promise<QmpEvent> {
    return this.eventWaiter(names, timeoutMs, where).promise;
  }

  /** Runs a command and waits for the event it leads to, without a window to miss it. */
  async executeAndWaitForEvent(
    command: string,
    args: Record<string, unknown>,
    events: string[],
    options: WaitForEventOptions,
  ): Promise<QmpEvent> {
    const waiter = this.eventWaiter(events, options.timeoutMs, options.where ?? (() => true));
    try {
      await this.execute(command, args);
    } catch (error) {
      waiter.cancel();
      throw error;
    }
    return waiter.promise;
  }

  async queryStatus(): Promise<{ status: string; running: boolean }> {
    return this.execute('query-status');
  }

  /** Asks the guest to shut down (ACPI power button); a guest without ACPI ignores it. */
  async systemPowerdown(): Promise<void> {
    await this.execute('system_powerdown');
  }

  /** Ends QEMU at once; the reply may be lost as QEMU exits, which is success too. */
  async quit(): Promise<void> {
    try {
      await this.execute('quit');
    } catch (error) {
      if (!(error instanceof QmpConnectionError && this.closed)) throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.end();
    const forced = setTimeout(() => this.socket.destroy(), 1_000);
    await closed;
    clearTimeout(forced);
  }

  private eventWaiter(names: string[], timeoutMs: number, where: (event: QmpEvent) => boolean) {
    let waiter!: Waiter;
    let timer!: NodeJS.Timeout;
    const cancel = () => {
      clearTimeout(timer);
      this.waiters.delete(waiter);
    };
    const promise = new Promise<QmpEvent>((resolve, reject) => {
      waiter = {
        onEvent: (event) => {
          if (!names.includes(event.event) || !where(event)) return;
          cancel();
          resolve(event);
        },
        onClose: (error) => {
          cancel();
          reject(error);
        },
      };
      timer = setTimeout(() => {
        cancel();
        reject(new QmpTimeoutError(`QMP ${this.socketPath}: no ${names.join('/')} event within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    if (this.closedBecause) waiter.onClose(this.closedBecause);
    else this.waiters.add(waiter);
    return { promise, cancel };
  }

  private receive(chunk: string): void {
    this.unparsed += chunk;
    let newline: number;
    while ((newline = this.unparsed.indexOf('\n')) >= 0) {
      const line = this.unparsed.slice(0, newline).trim();
      this.unparsed = this.unparsed.slice(newline + 1);
      if (line === '') continue;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        this.socket.destroy();
        return this.shutDown(new QmpConnectionError(`QMP ${this.socketPath}: not a QMP message: ${line.slice(0, 200)}`));
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: Record<string, unknown>): void {
    if ('QMP' in message) return this.settleGreeting.resolve();
    if (typeof message.event === 'string') {
      for (const waiter of [...this.waiters]) waiter.onEvent(message as unknown as QmpEvent);
      return;
    }
    const pending = typeof message.id === 'string' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as string);
    clearTimeout(pending.timer);
    const error = message.error as { class?: string; desc?: string } | undefined;
    if (error) pending.reject(new QmpError(pending.command, error.class ?? 'GenericError', error.desc ?? 'no description'));
    else pending.resolve(message.return);
  }

  private shutDown(reason: Error): void {
    if (this.closedBecause) return;
    this.closedBecause = reason;
    this.settleGreeting.reject(reason);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
    for (const waiter of [...this.waiters]) waiter.onClose(reason);
  }
}
