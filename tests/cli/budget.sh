# tests/cli/budget.sh - the memory budget through `airssys-wasm run`
# (issue 10): sourced by run_tests.sh, whose helpers (run, failure,
# expect_json, bad_opt...) it uses.  --max-memory is one budget over
# linear memory, tables and host state; the report shows it whole and by
# part; --max-table-elements and the manifest's max_table_elements add a
# per-table cap.  The modules with thousands of tables are written here.

# tables.wasm NTABLES MIN OUT: NTABLES funcref tables of MIN elements and
# an empty _start.
tables_wasm() {
  python3 - "$@" <<'PY'
import sys
n, mn, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def u(v):
    b = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        b.append(c | (0x80 if v else 0))
        if not v:
            return bytes(b)
def sec(i, body):
    return bytes([i]) + u(len(body)) + body
m = b"\0asm\1\0\0\0"
m += sec(1, u(1) + b"\x60\x00\x00")
m += sec(3, u(1) + u(0))
m += sec(4, u(n) + b"".join(b"\x70\x00" + u(mn) for _ in range(n)))
m += sec(7, u(1) + u(6) + b"_start" + b"\x00" + u(0))
m += sec(10, u(1) + u(2) + b"\x00\x0b")
open(out, "wb").write(m)
PY
}

# peak_rss_kib ARGS...: runs the CLI with ARGS (report in $REPORT) and
# prints the child's peak RSS in KiB (getrusage of the children).
peak_rss_kib() {
  rm -f "$REPORT" "$T/flat"
  python3 - "$CLI" "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

# ---------------------------------------------------------------- budget
tables_wasm 20000 10000 "$T/tables20k.wasm"
tables_wasm 9000 10000 "$T/tables9k.wasm"

CASE="20,000 tables of 10,000 under 64KiB: refused, RSS stays small"
KIB=$(peak_rss_kib run --report "$REPORT" --max-memory 64KiB "$T/tables20k.wasm")
expect_json outcome limit_exceeded
expect_json limit.resource "table count"
expect_json limit.limit 10000
expect_json memory.peak_bytes 0
# Before the budget: 1.36 GB.  The CLI itself needs a few MiB.
if [ "${KIB:-999999999}" -lt 32768 ]; then ok; else bad "peak RSS ${KIB} KiB"; fi
echo "     peak RSS of 20,000 x 10,000 tables under 64KiB: ${KIB} KiB" >&2

CASE="9,000 tables of 10,000 under 64KiB: the budget refuses"
KIB=$(peak_rss_kib run --report "$REPORT" --max-memory 64KiB "$T/tables9k.wasm")
expect_json outcome limit_exceeded
expect_json limit.resource memory
expect_json limit.unit bytes
expect_json limit.limit 65536
expect_json limit.requested 721152000
if [ "${KIB:-999999999}" -lt 32768 ]; then ok; else bad "peak RSS ${KIB} KiB"; fi

CASE="a 10,266-element table needs no option (the budget bounds it)"
run --max-memory 1MiB "$G/bigtable.wasm"
expect_rc 0
expect_json outcome success
expect_json memory.table_peak_bytes 82128
expect_json memory.linear_peak_bytes 65536
if python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['memory']; \
  assert m['peak_bytes'] > 65536 + 82128 and m['peak_bytes'] <= m['max_bytes'] == 1048576; \
  assert 0 < m['host_peak_bytes'] < 8192 and m['current_bytes'] == m['peak_bytes']" "$REPORT" 2>/dev/null; then
  ok
else
  bad "memory budget figures: $(rj memory)"
fi
CASE="the table and the page do not fit 128KiB"
run --max-memory 128KiB "$G/bigtable.wasm"
failure limit_exceeded 122
expect_json limit.resource memory
expect_msg_has "Resource limit exceeded: memory limit 131072 bytes, requested"

CASE="table.grow past the budget is -1 and a failed grow"
run --max-memory 256KiB --invoke tgrow "$G/bigtable.wasm" 100000
expect_rc 0
expect_out "-1"
expect_json memory.failed_grows 1
expect_json memory.table_peak_bytes 82128
CASE="table.grow within the budget"
run --max-memory 256KiB --invoke tgrow "$G/bigtable.wasm" 10000
expect_rc 0
expect_out "10266"
expect_json memory.failed_grows 0
# What is allocated is charged: the capacity doubles to 20,532 elements.
expect_json memory.table_peak_bytes 164256

CASE="--max-table-elements adds a per-table cap"
run --max-memory 1MiB --max-table-elements 10000 "$G/bigtable.wasm"
failure limit_exceeded 122
expect_json limit.resource table
expect_json limit.limit 10000
expect_json limit.requested 10266
run --max-memory 1MiB --max-table-elements 10300 --invoke tgrow "$G/bigtable.wasm" 35
expect_rc 0
expect_out "-1"
bad_opt "table cap too large" "too large (at most 10000000)" --max-memory 1MiB --max-table-elements 10000001 "$G/spin.wasm"
bad_opt "table cap garbage" "not a non-negative integer" --max-memory 1MiB --max-table-elements 1k "$G/spin.wasm"

CASE="manifest max_table_elements, and the option overrides it"
mkdir -p "$T/tabcomp"
cp "$G/bigtable.wasm" "$T/tabcomp/bigtable.wasm"
cat >"$T/tabcomp/Component.toml" <<'TOML'
[component]
name = "bigtable"
version = "0.1.0"
module = "bigtable.wasm"

[resources.memory]
max_bytes = 1048576
max_table_elements = 10000
TOML
run "$T/tabcomp"
failure limit_exceeded 122
expect_json limit.resource table
expect_json limit.limit 10000
run --max-table-elements 20000 "$T/tabcomp"
expect_rc 0
expect_json outcome success

CASE="a whole 4 GiB memory runs under a budget a little above 4 GiB"
printf '(module (memory 65536) (func (export "_start")))' >"$T/mem4g.wat"
wat2wasm "$T/mem4g.wat" -o "$T/mem4g.wasm"
run --max-memory 4097MiB "$T/mem4g.wasm"
expect_rc 0
expect_json memory.linear_peak_bytes 4294967296
run --max-memory 4GiB "$T/mem4g.wasm"
expect_rc 122
