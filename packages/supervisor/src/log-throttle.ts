/**
 * Lets at most `limit` log lines through per `windowMs`. `take` returns the number of lines
 * suppressed since the last one let through, or false when this one is to be suppressed.
 */
export class LogThrottle {
  readonly #limit: number;
  readonly #windowMs: number;
  #windowStart = 0;
  #count = 0;
  #suppressed = 0;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  take(now: number): number | false {
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    if (this.#count >= this.#limit) {
      this.#suppressed += 1;
      return false;
    }
    this.#count += 1;
    const suppressed = this.#suppressed;
    this.#suppressed = 0;
    return suppressed;
  }
}
