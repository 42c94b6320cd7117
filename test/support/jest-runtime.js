// @ts-check
'use strict';
/**
 * Jest's module runtime (jest.config.js `runtime`) in a worker whose `vm.compileFunction`, the call jest
 * compiles every module with, compiles each module once per worker instead of once per test file
 * (test/support/shared-compile.js).
 */
const vm = require('node:vm');
const { sharedCompile } = require('./shared-compile');

vm.compileFunction = sharedCompile(vm.compileFunction);

module.exports = require('jest-runtime');
