#!/usr/bin/env python3
"""gen.py - hostile modules whose compile cost grows with value arity.

  gen.py CASE ARITY SIZE OUT.wasm

writes a module of about SIZE bytes exercising CASE with labels or function
types of ARITY i32 values (ARITY 1 gives the baseline of the same shape):

  brif      block [] -> [A]: A values, then `local.get 0; br_if 0` repeated
  brif_deep the same with one more value under the block's values, so every
            br_if must shift the A values down by one slot
  block     A values, then `block (type [A] -> [A]) end` repeated
  brtable   64 nested blocks of 64 distinct (identical) types [] -> [A];
            A values, then one br_table whose labels cycle over the 64
  call      A values, then `call $g` repeated, g : [A] -> [A]

Used by bench/compile/run.sh and the unit tests' figures in
docs/hardening.md ("Compile cost").
"""
import sys


def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def vec(items):
    return leb(len(items)) + b"".join(items)


def functype(np, nr):
    return b"\x60" + leb(np) + b"\x7f" * np + leb(nr) + b"\x7f" * nr


def section(sid, payload):
    return bytes([sid]) + leb(len(payload)) + payload


def module(types, funcs, bodies):
    m = b"\0asm\1\0\0\0"
    m += section(1, vec(types))
    m += section(3, vec([leb(t) for t in funcs]))
    m += section(7, vec([leb(1) + b"f" + b"\0" + leb(0)]))
    m += section(10, vec([leb(len(b)) + b for b in bodies]))
    return m


LOCALS = b"\x01\x01\x7f"  # one i32 local (index 0)


def values(a):
    return b"\x20\x00" * a  # local.get 0, a times


def gen(case, a, size):
    if case in ("brif", "brif_deep"):
        # type 0: [] -> [A] (f and the block)
        unit = b"\x20\x00\x0d\x00"
        deep = case == "brif_deep"
        head = LOCALS + b"\x02\x00" + (b"\x41\x00" if deep else b"") + values(a)
        n = max(1, (size - len(head)) // len(unit))
        body = head + unit * n
        if deep:
            body += b"\x0c\x00"  # br 0: the top A values leave the block
        body += b"\x0b\x0b"
        return module([functype(0, a)], [0], [body])
    if case == "block":
        # type 0: [] -> [A], type 1: [A] -> [A]
        unit = b"\x02\x01\x0b"
        head = LOCALS + values(a)
        n = max(1, (size - len(head)) // len(unit))
        body = head + unit * n + b"\x0b"
        return module([functype(0, a), functype(a, a)], [0], [body])
    if case == "brtable":
        k = 64
        types = [functype(0, a) for _ in range(k)]
        head = LOCALS + b"".join(b"\x02" + leb(t) for t in range(k)) + values(a)
        head += b"\x20\x00\x0e"
        tail = b"\x0b" * k + b"\x0b"
        nl = max(1, size - len(head) - len(tail) - 8)
        labels = bytes(j % k for j in range(nl))
        body = head + leb(nl) + labels + b"\x00" + tail
        return module(types, [0], [body])
    if case == "call":
        # type 0: [] -> [A] (f), type 1: [A] -> [A] (g, index 1)
        unit = b"\x10\x01"
        head = LOCALS + values(a)
        n = max(1, (size - len(head)) // len(unit))
        body = head + unit * n + b"\x0b"
        g = b"\x00" + b"".join(b"\x20" + leb(i) for i in range(a)) + b"\x0b"
        return module([functype(0, a), functype(a, a)], [0, 1], [body, g])
    raise SystemExit("gen.py: unknown case " + case)


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    case, a, size, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with open(out, "wb") as f:
        f.write(gen(case, a, size))


if __name__ == "__main__":
    main()
