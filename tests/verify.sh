#!/bin/sh
# The evidence bundle can be checked by anyone: `lockstep verify OUT` exits 0
# on a fresh run; changing any single byte of any file in OUT makes it fail
# (exit 4) and name the file; an added file is named; a changed, missing or
# stdin input fails with exit 5 and says so (--inputs says where it is now);
# an edit that keeps the manifest consistent is caught by the re-run, which
# names the file and line; Ed25519 sign/verify round trip, wrong key,
# missing or altered signature.
. "$(dirname "$0")/lib.sh.inc"
V() { "$LOCKSTEP" verify --quiet "$@" > "$TMP/v.out" 2>&1; echo $?; }
# forge DIR FILE: change line 2 of FILE and make the manifest consistent
# (its hash and the self checksum recomputed): only the re-run can tell
forge() {
	python3 - "$1" "$2" <<'PY'
import hashlib, json, sys
d, name = sys.argv[1], sys.argv[2]
lines = open(d + "/" + name, "rb").read().split(b"\n")
lines[1] = lines[1].replace(b",", b",9", 1) if b"," in lines[1] else lines[1] + b" "
open(d + "/" + name, "wb").write(b"\n".join(lines))
m = json.load(open(d + "/manifest.json"))
raw = open(d + "/" + name, "rb").read()
m["files"][name] = {"bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
m["self_sha256"] = "0" * 64
text = json.dumps(m, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
m["self_sha256"] = hashlib.sha256(text.encode()).hexdigest()
text = json.dumps(m, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
open(d + "/manifest.json", "w").write(text)
PY
}
ROOT=$(pwd)
"$LOCKSTEP" synth -o "$TMP/data" --seed 4 --size small 2>/dev/null || fail "synth"
cd "$TMP" || fail "cd"
"$LOCKSTEP" detect --quiet data/posts.csv -o out || fail "detect exited $?"
for f in evidence.json report.html network.gexf manifest.json; do
	[ -s "out/$f" ] || fail "detect did not write $f"
done
rc=$(V out); [ "$rc" = 0 ] || { cat v.out; fail "verify of a fresh run exited $rc"; }
grep -q "^verified" v.out || fail "no 'verified' line"

# one flipped byte in each file, in turn
for f in out/*; do
	name=$(basename "$f")
	rm -rf t && cp -r out t
	python3 -c 'import sys
p=sys.argv[1]; b=bytearray(open(p,"rb").read()); i=len(b)//2; b[i]^=0x01; open(p,"wb").write(b)' "t/$name"
	rc=$(V t)
	[ "$rc" = 4 ] || { cat v.out; fail "flipped byte in $name: verify exited $rc, not 4"; }
	grep -q "$name" v.out || { cat v.out; fail "flipped byte in $name: the file is not named"; }
done
pass "a flipped byte in each of $(ls out | wc -l) files is caught and named"

rm -rf t && cp -r out t && echo x > t/extra.txt
[ "$(V t)" = 4 ] && grep -q extra.txt v.out || fail "an added file is not reported"
rm -rf t && cp -r out t && rm t/edges.csv
[ "$(V t)" = 4 ] && grep -q edges.csv v.out || fail "a removed file is not reported"

# an edit with a consistent manifest (hashes and self checksum recomputed):
# only the re-run can tell
rm -rf t && cp -r out t
forge t clusters.csv || fail "forging"
rc=$(V t); [ "$rc" = 4 ] || { cat v.out; fail "forged but consistent bundle: exit $rc"; }
grep -q "clusters.csv differs from the re-run at line 2" v.out || { cat v.out; fail "re-run difference not located"; }
pass "added/removed files and a consistently forged file (re-run, line named) are caught"

# inputs: changed, missing, moved (--inputs), stdin
cp data/posts.csv posts.bak
printf 'x' >> data/posts.csv
rc=$(V out); [ "$rc" = 5 ] || { cat v.out; fail "changed input: exit $rc"; }
grep -q "data/posts.csv" v.out && grep -q "not the file that was analysed" v.out || { cat v.out; fail "changed input not named"; }
mv posts.bak data/moved.csv && rm data/posts.csv
rc=$(V out); [ "$rc" = 5 ] && grep -q "missing" v.out || { cat v.out; fail "missing input: exit $rc"; }
rc=$(V out --inputs data/moved.csv); [ "$rc" = 0 ] || { cat v.out; fail "--inputs: exit $rc"; }
"$LOCKSTEP" detect --quiet - -o sout < data/moved.csv || fail "detect from stdin"
rc=$(V sout); [ "$rc" = 5 ] && grep -q "standard input" v.out || { cat v.out; fail "stdin input: exit $rc"; }
grep -q '"note": "read from standard input' sout/evidence.json || fail "evidence does not say why stdin excerpts are missing"
rc=$(V sout data/moved.csv); [ "$rc" = 0 ] || { cat v.out; fail "stdin input given as a file: exit $rc"; }
mv data/moved.csv data/posts.csv
pass "changed, missing, moved and stdin inputs"

# signing
"$LOCKSTEP" keygen key.pem > /dev/null || fail "keygen"
[ "$(stat -c %a key.pem)" = 600 ] || fail "private key is not mode 0600"
"$LOCKSTEP" keygen key.pem > /dev/null 2>&1 && fail "keygen overwrote a key"
openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null && openssl pkey -in other.pem -pubout -out other.pub 2>/dev/null || fail "openssl keygen"
"$LOCKSTEP" detect --quiet --sign key.pem data/posts.csv -o signed || fail "detect --sign"
[ -s signed/manifest.sig ] || fail "no manifest.sig"
rc=$(V signed --pubkey key.pem.pub); [ "$rc" = 0 ] || { cat v.out; fail "signed run, right key: exit $rc"; }
grep -q "signed by Ed25519 key" v.out || fail "signature not reported"
rc=$(V signed --no-rerun); [ "$rc" = 0 ] || fail "signed run without --pubkey: exit $rc"
rc=$(V signed --pubkey other.pub --no-rerun); [ "$rc" = 4 ] && grep -q "different key" v.out || { cat v.out; fail "wrong key: exit $rc"; }
rc=$(V out --pubkey key.pem.pub --no-rerun); [ "$rc" = 4 ] && grep -q "manifest.sig is missing" v.out || { cat v.out; fail "unsigned run with --pubkey: exit $rc"; }
# re-signing a forged manifest with another key does not pass --pubkey
"$LOCKSTEP" detect --quiet --sign other.pem data/posts.csv -o forged || fail "detect --sign other"
rc=$(V forged --pubkey key.pem.pub --no-rerun); [ "$rc" = 4 ] || fail "a bundle signed by another key passed"
pass "Ed25519 sign/verify round trip, wrong key, missing signature"

# an ad run (the IRA ads when the shared data is there, else the small
# golden ads): ads.json is in the manifest, a fresh run verifies, a flipped
# byte and a consistently forged ads.json are caught and named
ADS="$ROOT/$SHARED/ira_fb_ads.jsonl"
[ -e "$ADS" ] || ADS="$ROOT/tests/data/ads/ira_ads.jsonl"
"$LOCKSTEP" detect --quiet "$ADS" -o ads 2>/dev/null || fail "detect (ads) exited $?"
grep -q '"ads.json"' ads/manifest.json || fail "ads.json is not in the manifest"
rc=$(V ads); [ "$rc" = 0 ] || { cat v.out; fail "verify of a fresh ad run exited $rc"; }
rm -rf t && cp -r ads t
python3 -c 'import sys
p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0x01; open(p,"wb").write(b)' t/ads.json
rc=$(V t); [ "$rc" = 4 ] && grep -q ads.json v.out || { cat v.out; fail "flipped byte in ads.json: exit $rc"; }
rm -rf t && cp -r ads t && forge t ads.json || fail "forging ads.json"
rc=$(V t); [ "$rc" = 4 ] && grep -q "ads.json differs from the re-run" v.out || { cat v.out; fail "forged ads.json: exit $rc"; }
pass "ad run ($(basename "$ADS")): verified; a flipped byte and a forged ads.json are caught"

"$LOCKSTEP" verify --help | grep -q "tampered" || fail "verify --help does not document the exit codes"
"$LOCKSTEP" verify nowhere > /dev/null 2>&1; [ $? = 1 ] || fail "verify of a missing folder is not an error (1)"
ls -d "${TMPDIR:-/tmp}"/lockstep-verify.* 2>/dev/null | grep -q . && echo "note: leftover verify temp dirs (maybe other runs)"
pass "verify"
