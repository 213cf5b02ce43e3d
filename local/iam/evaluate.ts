/**
 * IAM identity-policy evaluation, pure: does a role's statements allow `action` on `resource`?
 * As AWS evaluates identity policies within one account: an explicit Deny wins, otherwise an Allow
 * is needed, otherwise the implicit deny. Action, NotAction, Resource, NotResource with the `*` and `?`
 * wildcards (actions case-insensitive, resources case-sensitive). Conditions: the operators in
 * CONDITION_OPERATORS against the request's context keys; a missing key does not match (unless the
 * operator ends in IfExists); an operator this evaluator does not know fails closed: it makes an Allow
 * not match (deny) and a Deny match (deny). Not modelled: resource policies, permission boundaries,
 * SCPs, session policies, policy variables (`${aws:username}` is taken literally).
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny' | string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface IamRequest {
  /** `service:Operation`, e.g. dynamodb:PutItem */
  readonly action: string;
  /** the resource ARN the call is authorized against */
  readonly resource: string;
  /** condition keys of the request, e.g. { 'dynamodb:LeadingKeys': ['lead#1'] } */
  readonly context?: Readonly<Record<string, string | readonly string[] | boolean | undefined>>;
}

export type IamDecision =
  | { readonly decision: 'allow'; readonly statement: PolicyStatement }
  | { readonly decision: 'explicit-deny'; readonly statement: PolicyStatement }
  | { readonly decision: 'implicit-deny' };

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

const patternCache = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters (including none, ':' and '/'), `?` exactly one. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patternCache.get(key);
  if (!regex) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    patternCache.set(key, regex);
  }
  return regex.test(value);
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined)
    return list(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined) {
    return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  }
  return false;
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined)
    return list(statement.Resource).some((p) => wildcardMatch(p, resource));
  if (statement.NotResource !== undefined)
    return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  return false;
}

type Comparator = (actual: string, expected: string) => boolean;

const STRING: Record<string, Comparator> = {
  StringEquals: (a, e) => a === e,
  StringNotEquals: (a, e) => a !== e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringNotEqualsIgnoreCase: (a, e) => a.toLowerCase() !== e.toLowerCase(),
  StringLike: (a, e) => wildcardMatch(e, a),
  StringNotLike: (a, e) => !wildcardMatch(e, a),
  ArnEquals: (a, e) => a === e,
  ArnNotEquals: (a, e) => a !== e,
  ArnLike: (a, e) => wildcardMatch(e, a),
  ArnNotLike: (a, e) => !wildcardMatch(e, a),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};

/** The operators this evaluator understands (each also with the IfExists suffix and ForAllValues:/ForAnyValue:). */
export const CONDITION_OPERATORS = [...Object.keys(STRING), 'Null'] as const;

/** true / false, or 'unknown' for an operator this evaluator does not implement. */
function conditionMatches(
  condition: NonNullable<PolicyStatement['Condition']>,
  context: NonNullable<IamRequest['context']>,
): boolean | 'unknown' {
  for (const [rawOperator, keys] of Object.entries(condition)) {
    let operator = rawOperator;
    let quantifier: 'all' | 'any' | undefined;
    if (operator.startsWith('ForAllValues:')) [quantifier, operator] = ['all', operator.slice(13)];
    else if (operator.startsWith('ForAnyValue:')) [quantifier, operator] = ['any', operator.slice(12)];
    const ifExists = operator.endsWith('IfExists');
    if (ifExists) operator = operator.slice(0, -8);
    for (const [key, expectedRaw] of Object.entries(keys)) {
      const expected = (Array.isArray(expectedRaw) ? expectedRaw : [expectedRaw]).map(String);
      const contextKey = Object.keys(context).find((name) => name.toLowerCase() === key.toLowerCase());
      const value = contextKey === undefined ? undefined : context[contextKey];
      if (operator === 'Null') {
        if ((value === undefined) !== (expected[0] === 'true')) return false;
        continue;
      }
      const compare = STRING[operator];
      if (!compare) return 'unknown';
      if (value === undefined) {
        if (ifExists || quantifier === 'all') continue;
        return false;
      }
      const actual = (Array.isArray(value) ? value : [value]).map(String);
      const negated = operator.includes('Not');
      const one = (a: string) =>
        negated ? expected.every((e) => compare(a, e)) : expected.some((e) => compare(a, e));
      const ok = quantifier === 'all' ? actual.every(one) : actual.some(one);
      if (!ok) return false;
    }
  }
  return true;
}

/** The decision for one request against a role's statements. */
export function evaluate(statements: readonly PolicyStatement[], request: IamRequest): IamDecision {
  let allowedBy: PolicyStatement | undefined;
  for (const statement of statements) {
    if (!actionMatches(statement, request.action) || !resourceMatches(statement, request.resource)) continue;
    const conditions = statement.Condition
      ? conditionMatches(statement.Condition, request.context ?? {})
      : true;
    if (statement.Effect === 'Deny') {
      // fail closed: a Deny whose condition we cannot evaluate applies
      if (conditions !== false) return { decision: 'explicit-deny', statement };
    } else if (statement.Effect === 'Allow' && conditions === true) {
      allowedBy ??= statement;
    }
  }
  return allowedBy ? { decision: 'allow', statement: allowedBy } : { decision: 'implicit-deny' };
}

export const isAllowed = (statements: readonly PolicyStatement[], request: IamRequest): boolean =>
  evaluate(statements, request).decision === 'allow';
