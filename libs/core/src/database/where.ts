/**
 * Collects a WHERE clause and its parameters; each filter given adds one condition, so the
 * planner sees only the predicates asked for and can pick the index that leads with them.
 */
export class Where {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  add(condition: (param: (value: unknown) => string) => string): this {
    this.conditions.push(condition((value) => `$${this.params.push(value)}`));
    return this;
  }

  when<T>(value: T | undefined, condition: (p: string) => string): this {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) this.add((param) => condition(param(value)));
    return this;
  }

  toString(): string {
    return this.conditions.join(' AND ');
  }
}
