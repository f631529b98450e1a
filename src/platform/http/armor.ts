import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { ASTNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, ParseOptions, ValidationContext, ValidationRule, visit } from 'graphql';

/**
 * Query limits, measured on the client operations (../shared/clients, with their fragments) by the
 * same rules the server runs; test/platform/http/limits.test.ts measures them again and keeps these in step.
 *
 * | measure    | largest client operation                                   | limit    |
 * |------------|------------------------------------------------------------|----------|
 * | depth      | 8: OpenWorkOrders (7: TenantList, TenantDetail, MyProfile)  | 10       |
 * | cost       | 249.3: TenantDetail (213.7 MyProfile, 196.5 OpenWorkOrders) | 750 (3×) |
 * | aliases    | 0                                                          | 15       |
 * | directives | 0                                                          | 10       |
 * | tokens     | 117: TenantDetail                                          | 2000     |
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxCost: 750,
  maxAliases: 15,
  maxDirectives: 10,
  maxTokens: 2000,
};

export type QueryLimits = typeof QUERY_LIMITS;

/** armor's cost weights (its defaults, stated): objects 2, scalars 1, ×1.5 per level of depth. */
export const COST_WEIGHTS = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 } as const;

export type Measure = 'depth' | 'cost' | 'aliases' | 'directives';

export interface QueryProtection {
  plugins: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/**
 * graphql-armor for Apollo: depth, cost, aliases and directives as validation rules — refused before
 * execution with 400 GRAPHQL_VALIDATION_FAILED and a message naming the limit — and field suggestions
 * masked in production.
 *
 * Two parts are not armor's Apollo defaults:
 * - Tokens: graphql-js's own parser limit. armor's Apollo token plugin parses in `parsingDidStart`
 *   and throws, which Apollo answers with a 500 — for every syntax error too (graphql-armor issues
 *   #571, #751). In the parser an overlong document is a parse failure: 400 GRAPHQL_PARSE_FAILED.
 * - Cost: armor's rule, but structural. armor multiplies a field's cost by a *literal* `first`/`last`
 *   and cannot see a variable, so `tenants(first: 100)` would cost 100× what `tenants(first: $n)`
 *   costs with n = 100: no protection (a variable gets round it) yet honest literal queries refused.
 *   Page size is bounded where it is applied (MAX_PAGE_SIZE, 100); the cost limit bounds the shape.
 *
 * `onAccept` sees each measure of an accepted operation (the tests measure the client operations so).
 */
export function queryProtection(options: {
  production: boolean;
  limits?: QueryLimits;
  onAccept?: (measure: Measure, value: number) => void;
}): QueryProtection {
  const limits = options.limits ?? QUERY_LIMITS;
  const accept = (measure: Measure) => (options.onAccept ? { onAccept: [(_: unknown, d: { n: number }) => options.onAccept!(measure, d.n)] } : {});
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...accept('depth') },
    maxAliases: { n: limits.maxAliases, ...accept('aliases') },
    maxDirectives: { n: limits.maxDirectives, ...accept('directives') },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: options.production },
  });
  const { plugins, validationRules } = armor.protect() as Pick<ApolloServerOptions<any>, 'plugins' | 'validationRules'>;
  const cost = structuralCostRule({
    maxCost: limits.maxCost,
    ...COST_WEIGHTS,
    ignoreIntrospection: true,
    propagateOnRejection: false,
    // As armor does for its Apollo rules: a rejection is reported, so Apollo answers 400.
    onReject: [(context, error) => context?.reportError(error)],
    ...accept('cost'),
  });
  return {
    plugins: plugins ?? [],
    validationRules: [...(validationRules ?? []), cost],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** armor's cost rule on the operation (and its fragments) without `first`/`last` arguments. */
function structuralCostRule(options: Parameters<typeof costLimitRule>[0]): ValidationRule {
  const rule = costLimitRule(options);
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode | undefined>();
    const view = new Proxy(context, {
      get(target, property) {
        if (property === 'getFragment') {
          return (name: string) => {
            if (!fragments.has(name)) {
              const fragment = target.getFragment(name);
              fragments.set(name, fragment ? withoutPageSize(fragment) : undefined);
            }
            return fragments.get(name);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ValidationContext;
    const visitor = rule(view);
    return {
      [Kind.OPERATION_DEFINITION]: {
        enter: (operation: OperationDefinitionNode) => visitor.OperationDefinition.enter(withoutPageSize(operation)),
      },
    };
  };
}

function withoutPageSize<T extends ASTNode>(node: T): T {
  return visit(node, {
    Argument: (argument) => (argument.name.value === 'first' || argument.name.value === 'last' ? null : undefined),
  });
}
