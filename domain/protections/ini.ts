// Reads an INI file the way Python's configparser (as Glance uses it) does: sections in
// file order, option names case-insensitive, `=` or `:` delimiters, full-line `#`/`;`
// comments, indented continuation lines, [DEFAULT] options inherited by every section,
// and duplicate sections or options rejected.

export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly options: ReadonlyMap<string, string>;
}

export type IniParse =
  | { readonly ok: true; readonly sections: readonly IniSection[] }
  | { readonly ok: false; readonly fault: string };

const DEFAULT_SECTION = 'DEFAULT';
const SECTION_HEADER = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*[=:]\s*(.*)$/;

interface OpenSection {
  name: string;
  line: number;
  options: Map<string, string[]>;
}

export function parseIni(text: string): IniParse {
  const defaults: OpenSection = { name: DEFAULT_SECTION, line: 0, options: new Map() };
  const sections: OpenSection[] = [];
  let current: OpenSection | undefined;
  let option: string[] | undefined;
  let optionIndent = 0;

  const lines = text.split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    const content = line.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) {
      if (content === '' && option) option.push('');
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (option && indent > optionIndent) {
      option.push(content);
      continue;
    }
    option = undefined;
    const header = SECTION_HEADER.exec(content);
    if (header) {
      const name = header[1] ?? '';
      if (name === DEFAULT_SECTION) current = defaults;
      else if (sections.some((section) => section.name === name)) {
        return { ok: false, fault: `line ${lineNumber}: section [${name}] appears twice` };
      } else {
        current = { name, line: lineNumber, options: new Map() };
        sections.push(current);
      }
      continue;
    }
    if (!current) return { ok: false, fault: `line ${lineNumber}: "${content}" comes before any [section]` };
    const assignment = OPTION.exec(content);
    const key = assignment?.[1]?.toLowerCase() ?? '';
    if (!assignment || key === '') return { ok: false, fault: `line ${lineNumber}: "${content}" is not "name = value"` };
    if (current.options.has(key)) {
      return { ok: false, fault: `line ${lineNumber}: option "${key}" appears twice in [${current.name}]` };
    }
    option = [assignment[2] ?? ''];
    optionIndent = indent;
    current.options.set(key, option);
  }

  return {
    ok: true,
    sections: sections.map((section) => ({
      name: section.name,
      line: section.line,
      options: new Map([...joinValues(defaults.options), ...joinValues(section.options)]),
    })),
  };
}

function joinValues(options: ReadonlyMap<string, string[]>): [string, string][] {
  return [...options].map(([key, parts]) => [key, parts.join('\n').trimEnd()]);
}
