#!/bin/sh
# seeds.sh: determinism across runs and seeds (issue "engine", must-show "Determinism").
# The same scenario and seed give byte-identical traces; another seed changes only what is
# random: with random ISNs and a perfect link only the absolute seq/ack numbers differ (the text
# text trace, relative but for the ISN on each SYN, differs only there); on a lossy link the fates
# differ too.
# Usage: seeds.sh TCPSIM SCENARIO_DIR WORK_DIR
set -u
tcpsim=$1
scn=$2
work=$3
mkdir -p "$work"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

full=$scn/04-full-lifecycle.scn
"$tcpsim" run "$full" --format jsonl --seed 1 >"$work/s1a.jsonl" || bad "run seed 1"
"$tcpsim" run "$full" --format jsonl --seed 1 >"$work/s1b.jsonl" || bad "run seed 1 again"
"$tcpsim" run "$full" --format jsonl --seed 2 >"$work/s2.jsonl" || bad "run seed 2"
cmp -s "$work/s1a.jsonl" "$work/s1b.jsonl" && ok || bad "same seed, different JSONL"
cmp -s "$work/s1a.jsonl" "$work/s2.jsonl" && bad "seeds 1 and 2 gave the same ISNs" || ok
# Blank out the absolute numbers: what remains must be identical.
strip() { sed -e 's/"seq":[0-9]*,"ack":[0-9]*,//' "$1"; }
strip "$work/s1a.jsonl" >"$work/s1.rel"
strip "$work/s2.jsonl" >"$work/s2.rel"
cmp -s "$work/s1.rel" "$work/s2.rel" && ok || { bad "seeds differ beyond absolute seq/ack"; diff "$work/s1.rel" "$work/s2.rel" | head; }
"$tcpsim" run "$full" --seed 1 >"$work/s1.txt" && "$tcpsim" run "$full" --seed 2 >"$work/s2.txt" || bad "text runs"
sed -e 's/ isn=[0-9]*//' "$work/s1.txt" >"$work/s1.rtxt"
sed -e 's/ isn=[0-9]*//' "$work/s2.txt" >"$work/s2.rtxt"
cmp -s "$work/s1.rtxt" "$work/s2.rtxt" && ok || bad "text traces differ between seeds beyond the ISNs"
cmp -s "$work/s1.txt" "$work/s2.txt" && bad "text traces show the same ISNs for two seeds" || ok

# A lossy link: another seed changes which segments are lost, and nothing else is random.
lossy="$work/lossy.scn"
sed -e 's/^link both delay 10ms$/link both delay 10ms loss 30%/' "$full" >"$lossy"
grep -q 'loss 30%' "$lossy" || bad "could not make the lossy copy"
"$tcpsim" run "$lossy" --format jsonl --seed 3 >"$work/l3a.jsonl" 2>/dev/null
"$tcpsim" run "$lossy" --format jsonl --seed 3 >"$work/l3b.jsonl" 2>/dev/null
"$tcpsim" run "$lossy" --format jsonl --seed 4 >"$work/l4.jsonl" 2>/dev/null
cmp -s "$work/l3a.jsonl" "$work/l3b.jsonl" && ok || bad "lossy: same seed, different trace"
fates() { grep '"ev":"tx"' "$1" | sed -e 's/.*"fate":"\([a-z]*\)".*/\1/' | tr '\n' ' '; }
[ "$(fates "$work/l3a.jsonl")" != "$(fates "$work/l4.jsonl")" ] && ok || bad "lossy: seeds 3 and 4 lost the same segments"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
