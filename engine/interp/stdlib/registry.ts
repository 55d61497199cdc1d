// The standard-library modules the interpreter models natively, one file each; every other stdlib
// module is opaque (imports.ts OPAQUE_MODULES). Adding a module: its file, and one line here.
// Nothing registers itself; nothing here touches the real file system or environment.
import type { Interp } from '../interp';
import { nativeModule, type ModuleMembers } from './native';
import { abc } from './abc';
import { collections, collectionsAbc } from './collections';
import { copy } from './copy';
import { dataclasses } from './dataclasses';
import { enumModule } from './enum';
import { functools } from './functools';
import { inspect } from './inspect';
import { itertools } from './itertools';
import { math } from './math';
import { numbers } from './numbers';
import { numpy } from './numpy';
import { operator } from './operator';
import { os } from './os';
import { re } from './re';
import { sys } from './sys';
import { types } from './types';
import { typing } from './typing';
import { warnings } from './warnings';
import { distutils, distutilsVersion, packaging, packagingVersion, pkgResources } from './versions';

export const STDLIB_MODULES: Record<string, ModuleMembers> = {
  math, typing, typing_extensions: typing, collections, 'collections.abc': collectionsAbc, functools, enum: enumModule,
  dataclasses, copy, inspect, itertools, operator, warnings, abc, numbers, numpy, types, sys, os, re,
  // not the standard library, but what model code compares library versions with
  packaging, 'packaging.version': packagingVersion, distutils, 'distutils.version': distutilsVersion, pkg_resources: pkgResources,
};

/** Registers every module; each is built on its first import. */
export function installStdlib(it: Interp): void {
  for (const [name, members] of Object.entries(STDLIB_MODULES)) {
    // typing_extensions is typing under another name, as it is in Python
    const own = name === 'typing_extensions' ? 'typing' : name;
    it.nativeModules.set(name, () => nativeModule(it, own, members(it)));
  }
}
