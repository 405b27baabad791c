import { describe, expect, it } from 'vitest';
import { ToolIndex, toolWords } from '../src/tool-index.js';

const catalog = [
  {
    name: 'read_file',
    description: 'Read the complete contents of a file from the file system',
    server: 'filesystem',
    inputSchema: { properties: { path: { description: 'Where the file is' } } },
  },
  { name: 'write_file', description: 'Create a new file or overwrite an existing one', server: 'filesystem' },
  {
    name: 'searchPapers',
    description: 'Find peer-reviewed academic research papers and their citations',
    server: 'scholar',
  },
  { name: 'weather.forecast', description: 'The weather forecast for a city for the next days', server: 'weather' },
  {
    name: 'convert_units',
    description: 'Convert a value between units of length, mass or temperature',
    server: 'units',
  },
];

describe('ToolIndex', () => {
  it('splits names on camelCase, snake_case, dots and dashes; keeps every script', () => {
    expect(toolWords('searchPapers weather.forecast read_file get-HTMLPage')).toEqual([
      'search',
      'papers',
      'weather',
      'forecast',
      'read',
      'file',
      'get',
      'html',
      'page',
    ]);
    expect(toolWords('天气预报 météo')).toEqual(['天', '气', '预', '报', '天气', '气预', '预报', 'météo']);
  });

  it('ranks the obvious match first', () => {
    const index = new ToolIndex(catalog);
    expect(index.search('find peer-reviewed papers', { k: 3 })[0]?.name).toBe('searchPapers');
    expect(index.search('what will the weather be in Oslo tomorrow', { k: 3 })[0]?.name).toBe('weather.forecast');
    expect(index.search('read the contents of a file', { k: 2 }).map((h) => h.name)).toEqual([
      'read_file',
      'write_file',
    ]);
    expect(index.search('convert 26 miles to kilometres', { k: 1 })[0]?.name).toBe('convert_units');
    expect(index.search('where is the file', { k: 1 })[0]?.name).toBe('read_file'); // a parameter's description counts
  });

  it('updates incrementally: changed tools re-ranked, removed ones gone, upsert and remove one at a time', () => {
    const index = new ToolIndex(catalog);
    expect(index.size).toBe(5);
    const changed = catalog.map((t) => (t.name === 'write_file' ? { ...t, description: 'Publish a blog post' } : t));
    index.update(changed);
    expect(index.search('publish a blog post', { k: 1 })[0]?.name).toBe('write_file');
    index.update(changed.filter((t) => t.name !== 'searchPapers'));
    expect(index.size).toBe(4);
    expect(index.search('academic research papers', { k: 5 }).map((h) => h.name)).not.toContain('searchPapers');
    index.upsert({ name: 'translate', description: 'Translate text into another language' });
    expect(index.search('translate this into French', { k: 1 })[0]?.name).toBe('translate');
    index.remove('translate');
    expect(index.search('translate this into French', { k: 5 }).map((h) => h.name)).not.toContain('translate');
  });

  it('takes Chinese descriptions and queries without trouble', () => {
    const index = new ToolIndex([
      ...catalog,
      { name: 'tianqi', description: '查询城市的天气预报' },
      { name: 'fanyi', description: '把文本翻译成其他语言' },
    ]);
    expect(index.search('明天的天气预报', { k: 1 })[0]?.name).toBe('tianqi');
    expect(index.search('翻译', { k: 1 })[0]?.name).toBe('fanyi');
  });

  it('fuses an embedder with the lexical ranking, embedding each tool once', async () => {
    // A tiny embedder of our own (letter counts): enough to move a ranking, no model needed.
    let embedded = 0;
    const embed = async (texts: string[]): Promise<number[][]> => {
      embedded += texts.length;
      return texts.map((t) =>
        Array.from({ length: 26 }, (_, i) => [...t.toLowerCase()].filter((c) => c.charCodeAt(0) === 97 + i).length),
      );
    };
    const index = new ToolIndex(catalog, { embed });
    const hits = await index.searchHybrid('weather forecast', { k: 2 });
    expect(hits[0]?.name).toBe('weather.forecast');
    await index.searchHybrid('a file', { k: 2 });
    expect(embedded).toBe(catalog.length + 2); // the tools once, then one query each
    expect(await new ToolIndex(catalog).searchHybrid('weather', { k: 1 })).toEqual(
      new ToolIndex(catalog).search('weather', { k: 1 }),
    );
  });

  it('gives the embedder a tool as prose: its name as words, then description, parameters and server', async () => {
    const seen: string[] = [];
    const embed = async (texts: string[]): Promise<number[][]> => {
      seen.push(...texts);
      return texts.map(() => [1]);
    };
    await new ToolIndex([catalog[0] as (typeof catalog)[number]], { embed }).searchHybrid('x');
    expect(seen[0]).toBe(
      'read file\nRead the complete contents of a file from the file system\n' +
        'Parameters: path. Where the file is\nServer: filesystem.',
    );
  });
});
