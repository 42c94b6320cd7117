/**
 * The compile jest's workers use (test/support/shared-compile.js): one compile per module text, and to each
 * context its own function, realm and state, with jest's line and column numbers.
 */
import * as vm from 'node:vm';

const { sharedCompile } = require('./shared-compile.js') as typeof import('./shared-compile.js');

const PARAMS = ['module', 'exports', 'require'];
const MODULE = [
  "'use strict';",
  'let loads = 0;',
  'module.exports = {',
  '  loads: () => ++loads,',
  '  realmArray: () => [],',
  "  fail: () => { throw new Error('from the module'); },",
  '};',
].join('\n');

/** Runs a compiled module function as jest does, and returns its exports. */
function load(fn: Function): { loads: () => number; realmArray: () => unknown[]; fail: () => never } {
  const module = { exports: {} };
  fn.call(module.exports, module, module.exports, () => undefined);
  return module.exports as never;
}

/** The file:line:column of the first frame in `filename`. */
function frame(fn: () => unknown, filename: string): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as Error).stack?.split('\n').find((l) => l.includes(filename))?.trim().replace(/^at (?:.*\()?|\)$/g, '');
  }
  return undefined;
}

describe('sharedCompile', () => {
  test('compiles a module once, and gives each context its own function, realm and state', () => {
    const compileFunction = jest.fn(vm.compileFunction);
    const compile = sharedCompile(compileFunction);
    const [a, b] = [vm.createContext({}), vm.createContext({})];
    const inA = load(compile(MODULE, PARAMS, { filename: '/m.js', parsingContext: a }));
    const inB = load(compile(MODULE, PARAMS, { filename: '/m.js', parsingContext: b }));
    const againInA = load(compile(MODULE, PARAMS, { filename: '/m.js', parsingContext: a }));
    // The first compile only is the given one.
    expect(compileFunction).toHaveBeenCalledTimes(1);
    expect([inA.loads(), inA.loads(), inB.loads(), againInA.loads()]).toEqual([1, 2, 1, 1]);
    expect(inA.realmArray()).toBeInstanceOf(vm.runInContext('Array', a));
    expect(inB.realmArray()).toBeInstanceOf(vm.runInContext('Array', b));
    expect(inA.realmArray()).not.toBeInstanceOf(vm.runInContext('Array', b));
  });

  test('keeps the module\'s line and column numbers, as jest\'s own compile does', () => {
    const compile = sharedCompile(vm.compileFunction);
    const context = vm.createContext({});
    const shared = load(compile(MODULE, PARAMS, { filename: '/shared.js', parsingContext: context }));
    // `new Error` on the module's sixth line, from its 23rd column.
    expect(frame(shared.fail, '/shared.js')).toBe('/shared.js:6:23');
    const firstLine = "throw new Error('on the first line');";
    expect(frame(() => compile(firstLine, PARAMS, { filename: '/first.js', parsingContext: context })(), '/first.js')).toBe('/first.js:1:7');
  });

  test('tells modules apart by file name and parameters', () => {
    const compile = sharedCompile(vm.compileFunction);
    const context = vm.createContext({});
    const other = compile(MODULE, PARAMS, { filename: '/other.js', parsingContext: context });
    expect(frame(load(other).fail, '/other.js')).toBe('/other.js:6:23');
    const fewer = compile('return typeof exports;', ['module'], { filename: '/other.js', parsingContext: context });
    expect(fewer({})).toBe('undefined');
  });

  test('leaves to the given compile what it cannot share', () => {
    const compileFunction = jest.fn(vm.compileFunction);
    const compile = sharedCompile(compileFunction);
    const parsingContext = vm.createContext({});
    compile(MODULE, PARAMS, { filename: '/m.js' });
    compile('return import("x");', PARAMS, { filename: '/m.js', parsingContext });
    compile(MODULE, PARAMS, { filename: '/m.js', parsingContext, produceCachedData: true });
    compile(MODULE, PARAMS, { filename: '/m.js', parsingContext, lineOffset: 2 });
    for (const dynamic of ['return import ("x");', 'return import\n("x");', 'return import/**/("x");']) {
      compile(dynamic, PARAMS, { filename: '/m.js', parsingContext });
      compile(dynamic, PARAMS, { filename: '/m.js', parsingContext });
    }
    expect(compileFunction).toHaveBeenCalledTimes(10);
    // A property or a name that merely contains the word is shared.
    compile('return x.import(1) + reimport(2);', PARAMS, { filename: '/m.js', parsingContext });
    compile('return x.import(1) + reimport(2);', PARAMS, { filename: '/m.js', parsingContext });
    expect(compileFunction).toHaveBeenCalledTimes(11);
  });

  test('refuses, as jest does, text that is no function body, even text that would close the wrapper early', () => {
    const compile = sharedCompile(vm.compileFunction);
    const parsingContext = vm.createContext({});
    // The error comes from the context's realm: its name, not its constructor.
    const errorName = (text: string): string | undefined => {
      try { compile(text, PARAMS, { filename: '/bad.js', parsingContext }); } catch (e) { return (e as Error).name; }
      return undefined;
    };
    for (const text of ['}, function () {', '})(), globalThis.ran = 1, (function () {', 'let x = (;']) {
      expect([errorName(text), errorName(text)]).toEqual(['SyntaxError', 'SyntaxError']);
    }
    expect(vm.runInContext('globalThis.ran', parsingContext)).toBeUndefined();
  });
});
