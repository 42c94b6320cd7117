// @ts-check
'use strict';
/**
 * A drop-in for `vm.compileFunction` that shares each module's compiled code within a process (installed for
 * jest by test/support/jest-runtime.js).
 *
 * Jest gives every test file its own module registry and context, and compiles every module a file loads
 * anew for it: the parse, and every function again on its first call. cdk8s-plus-28's Kubernetes types alone
 * are 2.6 MB of JavaScript, loaded by some sixty files. Here a module's first load in a process is compiled
 * by the given compile (so a syntax error is reported as jest reports it, and only text that is a function
 * body goes further), and its text once more as a script that evaluates to the same function of the same
 * parameters; every later load runs that script in the context asked for. Each test file still gets its own
 * function, closures and module state in its own realm; only the compiled code (V8's shared function data) is
 * shared. Line and column numbers are the same as jest's.
 *
 * Left to the given compile every time: a call without a context, with V8's code cache, context extensions or
 * line and column offsets, and code with a dynamic `import (` in it (jest's handler for it belongs to one test
 * file's runtime).
 */
const vm = require('node:vm');

/** `import(`, also with blanks or a comment before the parenthesis: a dynamic import. */
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*(?:\(|\/[*/])/;

/**
 * @param {typeof vm.compileFunction} compileFunction the compile it stands in for
 * @returns {typeof vm.compileFunction}
 */
function sharedCompile(compileFunction) {
  /** @type {Map<string, vm.Script>} */
  const scripts = new Map();
  /**
   * @param {string} code
   * @param {string[]} [params]
   * @param {vm.CompileFunctionOptions} [options]
   */
  const compile = (code, params = [], options = {}) => {
    const context = options.parsingContext;
    if (context === undefined || options.cachedData !== undefined || options.produceCachedData !== undefined ||
      (options.contextExtensions?.length ?? 0) > 0 || (options.lineOffset ?? 0) !== 0 || (options.columnOffset ?? 0) !== 0 ||
      DYNAMIC_IMPORT.test(code)) {
      return compileFunction(code, params, options);
    }
    const filename = options.filename ?? '';
    const key = `${filename}\0${params.join(',')}\0${code}`;
    const script = scripts.get(key);
    if (script !== undefined) return script.runInContext(context);
    // The first time, the given compile: its errors are jest's own, and text it takes as a function body
    // (not one that closes the wrapper early, say) reads the same inside the wrapper.
    const fn = compileFunction(code, params, options);
    // The wrapper has a line of its own: the module's lines keep their numbers (lineOffset) and columns.
    scripts.set(key, new vm.Script(`(function (${params.join(', ')}) {\n${code}\n})`, { filename, lineOffset: -1 }));
    return fn;
  };
  return /** @type {typeof vm.compileFunction} */ (compile);
}

module.exports = { sharedCompile };
