// @ts-check
'use strict';
/**
 * Jest's module runtime (jest.config.js `runtime`) in a worker whose `vm.compileFunction`, the call jest
 * compiles every module with, shares each module's compiled code between the worker's test files instead of
 * compiling it anew for each (test/support/shared-compile.js).
 */
const vm = require('node:vm');
const { sharedCompile } = require('./shared-compile');

vm.compileFunction = sharedCompile(vm.compileFunction);

module.exports = require('jest-runtime');
