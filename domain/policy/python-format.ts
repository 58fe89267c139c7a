// Python's `template % mapping`, which oslo.policy applies to every check's right side
// (`project_id:%(owner)s`). A missing key makes the check fail; any other formatting fault
// raises in Python, so it raises here too (the enforcer then fails closed).
import { PolicyEvaluationError } from './errors.js';
import { pythonRepr, pythonStr } from './python-values.js';

export type Substitution = { readonly found: true; readonly text: string } | { readonly found: false };

const SPEC = /^([-+ #0]*)(\d*)(?:\.(\d*))?[hlL]?/;

export function substitute(template: string, target: Readonly<Record<string, unknown>>): Substitution {
  let out = '';
  let index = 0;
  let wholeMappingUsed = false;
  while (index < template.length) {
    const percent = template.indexOf('%', index);
    if (percent < 0) {
      out += template.slice(index);
      break;
    }
    out += template.slice(index, percent);
    index = percent + 1;

    let argument: unknown;
    if (template[index] === '(') {
      const close = closingParenthesis(template, index);
      const key = template.slice(index + 1, close);
      // Python looks the key up before reading the conversion, so a missing key wins.
      if (!Object.hasOwn(target, key) || target[key] === undefined) return { found: false };
      argument = target[key];
      index = close + 1;
    } else if (template[index] === '%') {
      out += '%';
      index += 1;
      continue;
    } else {
      // `%s` without a key formats the whole mapping, once.
      if (wholeMappingUsed) throw new PolicyEvaluationError('not enough arguments for format string');
      wholeMappingUsed = true;
      argument = target;
    }

    const spec = SPEC.exec(template.slice(index)) ?? ['', '', '', undefined];
    index += spec[0].length;
    const conversion = template[index];
    if (conversion === undefined) throw new PolicyEvaluationError(`incomplete format in "${template}"`);
    index += 1;
    out += convert(argument, conversion, spec[1] ?? '', spec[2] ?? '', spec[3]);
  }
  return { found: true, text: out };
}

function closingParenthesis(template: string, open: number): number {
  let depth = 0;
  for (let i = open; i < template.length; i++) {
    if (template[i] === '(') depth += 1;
    else if (template[i] === ')' && --depth === 0) return i;
  }
  throw new PolicyEvaluationError(`incomplete format key in "${template}"`);
}

function convert(argument: unknown, conversion: string, flags: string, width: string, precision: string | undefined): string {
  let text: string;
  if (conversion === 's') text = pythonStr(argument);
  else if (conversion === 'r') text = pythonRepr(argument);
  else if ('diu'.includes(conversion) && flags === '' && width === '' && precision === undefined) text = pythonInteger(argument);
  else throw new PolicyEvaluationError(`unsupported format "%${flags}${width}${conversion}"`);
  if (precision !== undefined) text = [...text].slice(0, Number(precision || '0')).join('');
  const padding = Math.max(0, Number(width || '0') - [...text].length);
  return flags.includes('-') ? text + ' '.repeat(padding) : ' '.repeat(padding) + text;
}

function pythonInteger(argument: unknown): string {
  if (typeof argument === 'boolean') return argument ? '1' : '0';
  if (typeof argument === 'number' && Number.isFinite(argument)) return Math.trunc(argument).toFixed(0);
  throw new PolicyEvaluationError('%d format: a number is required');
}
