// The restricted unpickler on its own: the same plain data pickled by CPython with protocols 1-5 reads
// back identically, and every malformed or disallowed construct is a WeightsError at its byte.
import { describe, expect, it } from 'vitest';
import { PyBytes, PyDict, PyList, PySet, PyTuple, unpickle, type PickleValue } from '../../../engine/io/pickle';
import { TORCH_GLOBALS } from '../../../engine/io/torchGlobals';
import { WeightsError } from '../../../engine/io/weightsError';

/**
 * CPython 3 `pickle.dumps(obj, protocol=p)` of
 * {'ints': [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**63, -2**70], 'floats': [0.5, -1e300, inf],
 *  'misc': [True, False, None, 'text', 'üñí', b'by\x00tes', (1,), (1, 2), (1, 2, 3), (), {5}, frozenset([6])],
 *  'shared': [l, l]} with l = [1]
 */
const PICKLES: Record<number, string> = {
  1: '7d7100285804000000696e747371015d7102284b004b014affffffff4bff4d00014dffff4a000001004a000000804c323134373438333634384c0a4c393232333337323033363835343737353830384c0a4c2d313138303539313632303731373431313330333432344c0a655806000000666c6f61747371035d710428473fe000000000000047fe37e43c8800759c477ff00000000000006558040000006d69736371055d7106284930310a4930300a4e58040000007465787471075806000000c3bcc3b1c3ad7108635f636f646563730a656e636f64650a7109285806000000627900746573710a58060000006c6174696e31710b74710c52710d284b0174710e284b014b0274710f284b014b024b0374711029635f5f6275696c74696e5f5f0a7365740a7111285d71124b0561747113527114635f5f6275696c74696e5f5f0a66726f7a656e7365740a7115285d71164b066174711752711865580600000073686172656471195d711a285d711b4b0161681b65752e',
  2: '80027d7100285804000000696e747371015d7102284b004b014affffffff4bff4d00014dffff4a000001004a000000808a0500000080008a090000000000000080008a090000000000000000c0655806000000666c6f61747371035d710428473fe000000000000047fe37e43c8800759c477ff00000000000006558040000006d69736371055d71062888894e58040000007465787471075806000000c3bcc3b1c3ad7108635f636f646563730a656e636f64650a71095806000000627900746573710a58060000006c6174696e31710b86710c52710d4b0185710e4b014b0286710f4b014b024b0387711029635f5f6275696c74696e5f5f0a7365740a71115d71124b0561857113527114635f5f6275696c74696e5f5f0a66726f7a656e7365740a71155d71164b066185711752711865580600000073686172656471195d711a285d711b4b0161681b65752e',
  3: '80037d7100285804000000696e747371015d7102284b004b014affffffff4bff4d00014dffff4a000001004a000000808a0500000080008a090000000000000080008a090000000000000000c0655806000000666c6f61747371035d710428473fe000000000000047fe37e43c8800759c477ff00000000000006558040000006d69736371055d71062888894e58040000007465787471075806000000c3bcc3b1c3ad7108430662790074657371094b0185710a4b014b0286710b4b014b024b0387710c29636275696c74696e730a7365740a710d5d710e4b056185710f527110636275696c74696e730a66726f7a656e7365740a71115d71124b066185711352711465580600000073686172656471155d7116285d71174b0161681765752e',
  4: '800495c9000000000000007d94288c04696e7473945d94284b004b014affffffff4bff4d00014dffff4a000001004a000000808a0500000080008a090000000000000080008a090000000000000000c0658c06666c6f617473945d9428473fe000000000000047fe37e43c8800759c477ff0000000000000658c046d697363945d942888894e8c0474657874948c06c3bcc3b1c3ad944306627900746573944b0185944b014b0286944b014b024b038794298f94284b0590284b069194658c06736861726564945d94285d944b0161681165752e',
  5: '800595c9000000000000007d94288c04696e7473945d94284b004b014affffffff4bff4d00014dffff4a000001004a000000808a0500000080008a090000000000000080008a090000000000000000c0658c06666c6f617473945d9428473fe000000000000047fe37e43c8800759c477ff0000000000000658c046d697363945d942888894e8c0474657874948c06c3bcc3b1c3ad944306627900746573944b0185944b014b0286944b014b024b038794298f94284b0590284b069194658c06736861726564945d94285d944b0161681165752e',
};
const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
const load = (b: Uint8Array | number[]) => unpickle(b instanceof Uint8Array ? b : Uint8Array.from(b), { globals: TORCH_GLOBALS, name: 'test.pkl' });

/** Plain JSON-able form of a value (tuples and sets tagged). */
function plain(v: PickleValue): unknown {
  if (v instanceof PyDict) return Object.fromEntries([...v.map].map(([k, x]) => [String(k), plain(x)]));
  if (v instanceof PyList) return v.items.map(plain);
  if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
  if (v instanceof PySet) return { [v.frozen ? 'frozenset' : 'set']: v.items.map(plain) };
  if (v instanceof PyBytes) return { bytes: Array.from(v.bytes) };
  return typeof v === 'bigint' ? `${v}n` : v;
}

const EXPECTED = {
  ints: [0, 1, -1, 255, 256, 65535, 65536, -(2 ** 31), 2 ** 31, '9223372036854775808n', '-1180591620717411303424n'],
  floats: [0.5, -1e300, Infinity],
  misc: [true, false, null, 'text', 'üñí', { bytes: [98, 121, 0, 116, 101, 115] }, { tuple: [1] }, { tuple: [1, 2] }, { tuple: [1, 2, 3] }, { tuple: [] }, { set: [5] }, { frozenset: [6] }],
  shared: [[1], [1]],
};

describe('restricted unpickler', () => {
  for (const p of [1, 2, 3, 4, 5]) {
    it(`reads CPython's protocol ${p} pickle of plain data exactly (ints beyond 2^53 as BigInt, memo sharing kept)`, () => {
      const v = load(hex(PICKLES[p]));
      expect(plain(v)).toEqual(EXPECTED);
      const shared = ((v as PyDict).map.get('shared') as PyList).items;
      expect(shared[0]).toBe(shared[1]);
    });
  }
  const bad: Array<[string, number[], RegExp]> = [
    ['empty input', [], /ends without STOP/],
    ['no STOP', [0x80, 0x02, 0x4e], /ends without STOP/],
    ['stack underflow', [0x80, 0x02, 0x2e], /stack underflow/],
    ['TUPLE without MARK', [0x80, 0x02, 0x74, 0x2e], /no MARK/],
    ['memo entry never stored', [0x80, 0x02, 0x68, 0x07, 0x2e], /memo entry 7 was never stored/],
    ['string past the end', [0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x61], /truncated: needs 2147483647 more bytes, 1 left/],
    ['frame length past the end', [0x80, 0x04, 0x95, 0, 0, 0, 0, 0, 0, 0, 0x10], /runs past the end/],
    ['protocol 9', [0x80, 0x09, 0x2e], /unsupported pickle protocol 9/],
    ['odd dict items', [0x80, 0x02, 0x7d, 0x28, 0x4b, 0x01, 0x75, 0x2e], /odd number of items/],
    ['SETITEM on a list', [0x80, 0x02, 0x5d, 0x4b, 0x01, 0x4b, 0x02, 0x73, 0x2e], /SETITEM on list: only dicts take items/],
    ['APPEND on a dict', [0x80, 0x02, 0x7d, 0x4b, 0x01, 0x61, 0x2e], /APPEND on dict/],
    ['huge LONG4', [0x80, 0x02, 0x8b, 0x00, 0x00, 0x01, 0x00], /a 65536-byte integer/],
    ['BUILD on an int', [0x80, 0x02, 0x4b, 0x01, 0x7d, 0x62, 0x2e], /BUILD \(setting the state of int 1\) is not allowed/],
    ['REDUCE of a string', [0x80, 0x02, 0x58, 1, 0, 0, 0, 0x78, 0x29, 0x52, 0x2e], /REDUCE would call str 'x'/],
    ['EXT1', [0x80, 0x02, 0x82, 0x01, 0x2e], /EXT opcodes/],
    ['text PERSID', [0x50, 0x31, 0x0a, 0x2e], /text persistent ids/],
    ['BINPERSID outside an archive', [0x80, 0x02, 0x4b, 0x01, 0x51, 0x2e], /persistent id outside a checkpoint archive/],
    ['STACK_GLOBAL of non-strings', [0x80, 0x04, 0x4b, 0x01, 0x4b, 0x02, 0x93, 0x2e], /STACK_GLOBAL needs two strings/],
    ['NEWOBJ_EX with keywords', [0x80, 0x04, 0x63, ...Buffer.from('collections\nOrderedDict\n'), 0x29, 0x7d, 0x58, 1, 0, 0, 0, 0x6b, 0x4e, 0x73, 0x92, 0x2e], /NEWOBJ_EX with keyword arguments/],
    ['an over-long GLOBAL line', [0x63, ...Array(5000).fill(0x61), 0x0a], /over-long text line/],
    ['out-of-band buffer', [0x80, 0x05, 0x97, 0x2e], /out-of-band buffers/],
    ['unknown opcode', [0x80, 0x02, 0xff], /unknown opcode 0xff/],
    ['a global named like a prototype key', [0x63, ...Buffer.from('__proto__\nconstructor\n'), 0x2e], /refused global __proto__\.constructor/],
  ];
  for (const [what, bytes, msg] of bad) {
    it(`refuses ${what} with a WeightsError`, () => {
      let err: unknown;
      try { load(bytes); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(WeightsError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).toMatch(/^pickle test\.pkl at byte \d+: /);
    });
  }
});
