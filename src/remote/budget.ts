/**
 * `--max-credits` after the plan: the plan priced as free every key the remote store has a record of,
 * and the budget check passed on that. A build that then cannot restore such a key (its record or
 * blob damaged, HeyGen's render gone) renders it and pays: that price is held against the budget
 * before the POST, with what the plan already priced, and refused (E_BUDGET) when it would go over.
 */
import { HeygenBuildError } from '../errors.js';
import type { Plan } from '../model/plan.js';

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** What a build may still pay for keys the plan priced free, and what it has taken of that. */
export class StoreBudget {
  /** What the build may pay so far: the plan's credits, plus each free key it could not restore. */
  private committed: number;
  /** The price of each key the plan priced free because of a record. */
  private readonly prices = new Map<string, number>();

  constructor(plan: Plan, private readonly max: number | undefined) {
    this.committed = plan.totals.credits;
    for (const it of plan.items) {
      if (it.key && it.estimate.ifNotRestored !== undefined) this.prices.set(it.key, it.estimate.ifNotRestored);
      for (const s of it.scenes ?? []) if (s.key && s.estimate.ifNotRestored !== undefined) this.prices.set(s.key, s.estimate.ifNotRestored);
    }
  }

  /**
   * Before the paid POST of `key` (`label`: its progress id): when the plan priced it free, takes its
   * price, or throws E_BUDGET when that would go over the budget. Returns how to give it back (the key
   * turned out free after all: another machine's job adopted, its record appeared); undefined when
   * nothing was taken.
   */
  reserve(key: string, label: string): (() => void) | undefined {
    const price = this.prices.get(key);
    if (price === undefined || price === 0) return undefined;
    const after = round2(this.committed + price);
    if (this.max !== undefined && after > this.max) {
      throw new HeygenBuildError(
        'E_BUDGET',
        `${label}: the plan priced it free (the remote store has its record), but it cannot be restored from there and rendering it costs about ${price} credits: ` +
          `with the ${this.committed} credits the plan priced, that is ${after}, over the budget of ${this.max}: not submitted`,
        { hint: "raise --max-credits (or budget.maxCredits) to pay for it, or mend the store's copy (see the warnings above) and build again: a restore is free" },
      );
    }
    this.committed = after;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.committed = round2(this.committed - price);
    };
  }
}
