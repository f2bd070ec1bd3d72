import type { JsonSchema } from './ToolDefinition.js';

/**
 * Checks a value against a JSON Schema and says where it first fails, or returns `undefined` when
 * it passes. It knows the keywords tool schemas use: `type` (one or several), `enum`, `const`,
 * `properties`, `required`, `additionalProperties`, `items`, `prefixItems`, `minItems`,
 * `maxItems`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `exclusiveMinimum`,
 * `exclusiveMaximum`, `multipleOf`, `anyOf`, `oneOf`, `allOf`, `not`, and `$ref` to `#/$defs/...`
 * or `#/definitions/...`. Keywords it does not know are passed over, as a validator must.
 */
export function validateJsonSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema): string | undefined {
  return check(value, schema, root, '', 0);
}

const MAX_DEPTH = 64;

function check(value: unknown, schema: unknown, root: JsonSchema, path: string, depth: number): string | undefined {
  if (schema === true || schema === undefined) return undefined;
  if (schema === false) return `${where(path)} is not allowed`;
  if (schema === null || typeof schema !== 'object' || depth > MAX_DEPTH) return undefined;
  const rules = schema as Record<string, unknown>;
  const ref = rules['$ref'];
  if (typeof ref === 'string') {
    const target = resolve(ref, root);
    if (target !== undefined) {
      const problem = check(value, target, root, path, depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  const type = rules['type'];
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((name) => isType(value, name)))
      return `${where(path)} must be ${types.join(' or ')}, not ${describe(value)}`;
  }
  if (Array.isArray(rules['enum']) && !rules['enum'].some((option) => same(option, value))) {
    return `${where(path)} must be one of ${rules['enum'].map((option) => JSON.stringify(option)).join(', ')}`;
  }
  if ('const' in rules && !same(rules['const'], value))
    return `${where(path)} must be ${JSON.stringify(rules['const'])}`;
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof rules['minLength'] === 'number' && length < rules['minLength'])
      return `${where(path)} must be at least ${rules['minLength']} characters`;
    if (typeof rules['maxLength'] === 'number' && length > rules['maxLength'])
      return `${where(path)} must be at most ${rules['maxLength']} characters`;
    if (typeof rules['pattern'] === 'string') {
      let matches = true;
      try {
        matches = new RegExp(rules['pattern'], 'u').test(value);
      } catch {
        // A pattern this engine cannot read is not held against the value.
      }
      if (!matches) return `${where(path)} must match ${rules['pattern']}`;
    }
  }
  if (typeof value === 'number') {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = rules;
    if (typeof minimum === 'number' && value < minimum) return `${where(path)} must be at least ${minimum}`;
    if (typeof maximum === 'number' && value > maximum) return `${where(path)} must be at most ${maximum}`;
    if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum)
      return `${where(path)} must be more than ${exclusiveMinimum}`;
    if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum)
      return `${where(path)} must be less than ${exclusiveMaximum}`;
    if (typeof multipleOf === 'number' && multipleOf > 0 && !Number.isInteger(value / multipleOf))
      return `${where(path)} must be a multiple of ${multipleOf}`;
  }
  if (Array.isArray(value)) {
    const { minItems, maxItems, items, prefixItems } = rules;
    if (typeof minItems === 'number' && value.length < minItems)
      return `${where(path)} must have at least ${minItems} items`;
    if (typeof maxItems === 'number' && value.length > maxItems)
      return `${where(path)} must have at most ${maxItems} items`;
    const prefix = Array.isArray(prefixItems) ? prefixItems : [];
    for (let index = 0; index < value.length; index++) {
      const itemSchema = index < prefix.length ? prefix[index] : Array.isArray(items) ? items[index] : items;
      const problem = check(value[index], itemSchema, root, `${path}[${index}]`, depth + 1);
      if (problem !== undefined) return problem;
    }
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (rules['properties'] ?? {}) as Record<string, unknown>;
    if (Array.isArray(rules['required'])) {
      for (const key of rules['required']) {
        if (typeof key === 'string' && !Object.hasOwn(object, key)) return `${where(join(path, key))} is required`;
      }
    }
    for (const key of Object.keys(object)) {
      const known = Object.hasOwn(properties, key);
      const keySchema = known ? properties[key] : rules['additionalProperties'];
      const problem = check(object[key], keySchema, root, join(path, key), depth + 1);
      if (problem !== undefined)
        return known || keySchema !== false ? problem : `${where(join(path, key))} is not a known argument`;
    }
  }
  if (Array.isArray(rules['allOf'])) {
    for (const each of rules['allOf']) {
      const problem = check(value, each, root, path, depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  if (
    Array.isArray(rules['anyOf']) &&
    !rules['anyOf'].some((each) => check(value, each, root, path, depth + 1) === undefined)
  ) {
    return `${where(path)} matches none of the allowed shapes`;
  }
  if (Array.isArray(rules['oneOf'])) {
    const matches = rules['oneOf'].filter((each) => check(value, each, root, path, depth + 1) === undefined).length;
    if (matches !== 1) return `${where(path)} must match exactly one of the allowed shapes`;
  }
  if (rules['not'] !== undefined && check(value, rules['not'], root, path, depth + 1) === undefined) {
    return `${where(path)} has a shape that is not allowed`;
  }
  return undefined;
}

function isType(value: unknown, name: unknown): boolean {
  switch (name) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function resolve(ref: string, root: JsonSchema): unknown {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match === null) return ref === '#' ? root : undefined;
  const defs = root[match[1]!] as Record<string, unknown> | undefined;
  return defs?.[decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')];
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function where(path: string): string {
  return path === '' ? 'the arguments' : `"${path.replace(/^\./, '')}"`;
}
