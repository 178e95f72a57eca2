import { TRPCError } from '@trpc/server';

/**
 * In-process limits in front of password checks. Each API process keeps its own (two processes
 * behind a proxy allow twice the rate): they are a brake on floods, while the real lockout is
 * counted in the database (users.failed_logins), which every process shares.
 */

export const TOO_MANY_ATTEMPTS = 'ログインの試行が多すぎます。しばらく待ってから再度お試しください';
export const LOGIN_BUSY = 'ただいまログインが混み合っています。数秒後に再度お試しください';

/** Token buckets by key: `capacity` attempts at once, refilled at `perMinute`. */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private capacity: number,
    private perMinute: number,
    private maxKeys = 50_000,
  ) {}

  private bucket(key: string, now: number) {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      b = { tokens: this.capacity, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
    b.at = now;
    return b;
  }

  /** Takes one token; false when the bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    const b = this.bucket(key, now);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Gives a token back (the attempt turned out legitimate). */
  give(key: string, now = Date.now()) {
    const b = this.bucket(key, now);
    b.tokens = Math.min(this.capacity, b.tokens + 1);
  }

  /** Whether a token is there, without taking it. */
  has(key: string, now = Date.now()): boolean {
    return this.bucket(key, now).tokens >= 1;
  }

  private prune(now: number) {
    for (const [key, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 60_000) * this.perMinute >= this.capacity) this.buckets.delete(key);
    // Still full of live buckets (a flood of addresses): drop the oldest half rather than grow.
    if (this.buckets.size >= this.maxKeys)
      for (const key of [...this.buckets.keys()].slice(0, this.maxKeys / 2)) this.buckets.delete(key);
  }
}

interface Job {
  run: () => void;
}

/**
 * A bounded queue for password hashing (scrypt: ~100 ms of CPU and 32 MiB each). At most
 * `concurrency` hashes of unknown browsers run; at most `maxQueued` wait, taken in turn per client
 * address so one address cannot fill the line. A browser that signed in successfully before (its
 * device cookie, for that login) has a slot of its own and a short line of its own, so it never
 * waits behind a flood. Beyond that an attempt is refused at once (429): a flood costs the attacker
 * a refusal, not the clinic a 16-second login.
 */
export class HashQueue {
  private running = 0;
  private runningPreferred = 0;
  private priority: Job[] = [];
  private byAddress = new Map<string, Job[]>();
  private queued = 0;

  constructor(
    private concurrency: number,
    private maxQueued: number,
    private preferredSlots = 1,
    private maxPriority = 32,
  ) {}

  get waiting() {
    return this.queued + this.priority.length;
  }

  /** Whether an attempt of this kind would run or wait now (rather than be refused). */
  hasRoom(preferred: boolean): boolean {
    if (this.running < this.concurrency) return true;
    if (preferred)
      return this.runningPreferred < this.preferredSlots || this.priority.length < this.maxPriority;
    return this.queued < this.maxQueued;
  }

  /** Refuses at once, before any database work, when this attempt could not even wait in line. */
  precheck(preferred: boolean) {
    if (!this.hasRoom(preferred)) throw busy();
  }

  async run<T>(address: string, preferred: boolean, work: () => Promise<T>): Promise<T> {
    let lane: 'normal' | 'preferred';
    if (this.running < this.concurrency) {
      this.running++;
      lane = 'normal';
    } else if (preferred && this.runningPreferred < this.preferredSlots) {
      this.runningPreferred++;
      lane = 'preferred';
    } else {
      // Wait for a slot; whoever finishes hands theirs over (the count of running hashes stays).
      lane = await new Promise<'normal' | 'preferred'>((resolve, reject) => {
        if (preferred && this.priority.length < this.maxPriority) {
          this.priority.push({ run: () => resolve(this.lastHandedLane) });
        } else if (!preferred && this.queued < this.maxQueued) {
          const job = { run: () => resolve(this.lastHandedLane) };
          const line = this.byAddress.get(address);
          if (line) line.push(job);
          else this.byAddress.set(address, [job]);
          this.queued++;
        } else {
          reject(busy());
        }
      });
    }
    try {
      return await work();
    } finally {
      this.release(lane);
    }
  }

  private lastHandedLane: 'normal' | 'preferred' = 'normal';

  private release(lane: 'normal' | 'preferred') {
    // Known browsers first, on any slot; the reserved slot serves only them.
    const job = this.priority.shift() ?? (lane === 'normal' ? this.takeRoundRobin() : undefined);
    if (job) {
      this.lastHandedLane = lane;
      job.run();
    } else if (lane === 'normal') this.running--;
    else this.runningPreferred--;
  }

  private takeRoundRobin(): Job | undefined {
    const first = this.byAddress.entries().next();
    if (first.done) return undefined;
    const [address, line] = first.value;
    const job = line.shift();
    this.byAddress.delete(address);
    // The address goes to the back of the round if it has more waiting.
    if (line.length > 0) this.byAddress.set(address, line);
    this.queued--;
    return job;
  }
}

const busy = () => new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LOGIN_BUSY });

export interface LoginLimits {
  /** Failed attempts per client address: burst, then per minute. */
  addressBurst: number;
  addressPerMinute: number;
  /** Failed attempts per facility + user name (known or not): burst, then per minute. */
  userBurst: number;
  userPerMinute: number;
  hashConcurrency: number;
  hashQueue: number;
}

export const defaultLoginLimits: LoginLimits = {
  addressBurst: 60,
  addressPerMinute: 30,
  userBurst: 10,
  userPerMinute: 2,
  hashConcurrency: 1,
  hashQueue: 64,
};

/** Browsers that signed in successfully before: sha256 of their device cookie → the logins (facility/user) they used. */
export class KnownDevices {
  private devices = new Map<string, Set<string>>();
  constructor(private max = 20_000) {}

  remember(device: string, userKey: string) {
    let users = this.devices.get(device);
    if (!users) {
      if (this.devices.size >= this.max) {
        const oldest = this.devices.keys().next().value;
        if (oldest !== undefined) this.devices.delete(oldest);
      }
      users = new Set();
      this.devices.set(device, users);
    }
    users.add(userKey);
  }

  knowsDevice(device: string): boolean {
    return this.devices.has(device);
  }

  knows(device: string | null, userKey: string): boolean {
    return !!device && (this.devices.get(device)?.has(userKey) ?? false);
  }
}

export class LoginGuard {
  readonly addresses: TokenBuckets;
  readonly users: TokenBuckets;
  readonly hashes: HashQueue;
  readonly devices = new KnownDevices();

  constructor(readonly limits: LoginLimits = defaultLoginLimits) {
    this.addresses = new TokenBuckets(limits.addressBurst, limits.addressPerMinute);
    this.users = new TokenBuckets(limits.userBurst, limits.userPerMinute);
    this.hashes = new HashQueue(limits.hashConcurrency, limits.hashQueue);
  }

  /**
   * Before any work: a token of the address (given back if the attempt succeeds) and a token left for
   * the user name (taken only when the attempt fails). Refused at once when either has run out.
   */
  admit(address: string, userKey: string) {
    if (!this.users.has(userKey) || !this.addresses.take(address)) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: TOO_MANY_ATTEMPTS });
    }
  }

  /** The key of a login for the per-user limit and the known devices. */
  static userKey(facilityCode: string, username: string) {
    return `${facilityCode}/${username.trim().toLowerCase()}`;
  }

  failed(userKey: string) {
    this.users.take(userKey);
  }

  succeeded(address: string) {
    this.addresses.give(address);
  }
}
