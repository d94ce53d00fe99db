#!/bin/sh
# report.html in a real browser (headless Chromium, installed here if
# missing and we are root; skipped otherwise): it renders (cluster cards and
# the network are in the DOM, the screenshot is not blank), and a hostile
# corpus (account ids, names and post texts with <script>, "><img onerror>,
# javascript: URLs, </style>, bidi overrides, and a request to a local
# server) run through detect shows its payloads as text: the title is
# unchanged, no element or attribute of a payload exists, no request is made.
. "$(dirname "$0")/lib.sh.inc"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
			> "$TMP/apt.log" 2>&1 || true
		CHROMIUM=$(command -v chromium || true)
	fi
	[ -n "$CHROMIUM" ] || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }
fi
browse() { # browse MODE FILE OUT: MODE = dom or shot
	prof=$(mktemp -d "$TMP/prof.XXXXXX")
	if [ "$1" = dom ]; then
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$prof" --dump-dom "file://$2" > "$3" 2> "$TMP/chromium.err"
	else
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$prof" --hide-scrollbars --window-size=1280,1600 \
			--screenshot="$3" "file://$2" > /dev/null 2> "$TMP/chromium.err"
	fi
}

# --- renders
"$LOCKSTEP" synth -o "$TMP/data" --seed 6 --size small 2>/dev/null || fail "synth"
"$LOCKSTEP" detect --quiet "$TMP/data/posts.csv" -o "$TMP/out" || fail "detect"
browse dom "$TMP/out/report.html" "$TMP/dom.html" || { cat "$TMP/chromium.err"; fail "chromium --dump-dom"; }
cards=$(grep -o 'class="card cluster"' "$TMP/dom.html" | wc -l)
clusters=$(json_get "$TMP/out/summary.json" counts.clusters)
[ "$cards" -ge 1 ] && [ "$cards" = "$clusters" ] || fail "$cards cluster cards for $clusters clusters"
grep -q 'id="network"' "$TMP/dom.html" || fail "no network picture"
nodes=$(grep -o 'class="node"' "$TMP/dom.html" | wc -l)
[ "$nodes" -ge 2 ] || fail "network has $nodes nodes"
grep -q '<title>lockstep report</title>' "$TMP/dom.html" || fail "title"
browse shot "$TMP/out/report.html" "$TMP/shot.png" || { cat "$TMP/chromium.err"; fail "screenshot"; }
colours=$(python3 - "$TMP/shot.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}[ctype]
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
seen = set()
i = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2):
            seen.add(bytes(line[x:x + 3]))
    prev = line
print(len(seen))
PY
) || fail "reading the screenshot"
[ "$colours" -ge 8 ] || fail "screenshot looks blank ($colours colours)"
pass "report renders: $cards cluster cards, $nodes nodes, $colours colours on screen"

# --- hostile corpus
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$TMP" > "$TMP/http.log" 2>&1 &
HTTP_PID=$!
trap 'kill $HTTP_PID 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
python3 - "$TMP/data/posts.csv" "$TMP/hostile.csv" "$PORT" <<'PY'
import csv, sys
src, dst, port = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.reader(open(src, newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
beacon = "http://127.0.0.1:%s/beacon" % port
ids = ["<script>document.title='pwned'</script>",
       '"><img src=x onerror="document.title=\'pwned\'">',
       "</style><h1 id=injected>x</h1><style>",
       "javascript:document.title='pwned'",
       "\u202eevil\u202c<svg onload=alert(1)>",
       "<img src=%s>" % beacon]
names = ["<b id=injected>bold</b>", "x\" onmouseover=\"document.title='pwned'", "</title><script>x</script>",
         "<a href=javascript:alert(1)>a</a>", "\u202egnp.exe", "<link rel=stylesheet href=%s>" % beacon]
texts = ["<script>document.title='pwned'</script> ",
         "<img src=%s onerror=\"document.title='pwned'\"> " % beacon,
         "</style><style>body{background:url(%s)}</style> " % beacon,
         "<a href=\"javascript:document.title='pwned'\">click</a> ",
         "\u202e<iframe src=%s></iframe> " % beacon,
         "<meta http-equiv=refresh content=\"0;url=%s\"> " % beacon]
originals = [r for r in body if not r[3] and not r[4]][:40]
out = [head] + body
mid = 1800000000000000000
for k, o in enumerate(originals):
    t = int(o[6]) + 30
    for j in range(len(ids)):
        mid += 1
        out.append([str(mid), ids[j], names[j], o[0], "", texts[j] + "RT " + o[5][:40], str(t + j), beacon])
w = csv.writer(open(dst, "w", newline="", encoding="utf-8"), lineterminator="\n")
w.writerows(out)
PY
"$LOCKSTEP" detect --quiet "$TMP/hostile.csv" -o "$TMP/hout" || fail "detect on the hostile corpus"
grep -q "&lt;script&gt;document.title" "$TMP/hout/report.html" || fail "hostile accounts are not in the report (no cluster?)"
browse dom "$TMP/hout/report.html" "$TMP/hdom.html" || fail "chromium on the hostile report"
python3 - "$TMP/hdom.html" <<'PY' || fail "a payload reached the DOM"
import sys
from html.parser import HTMLParser
dom = open(sys.argv[1], encoding="utf-8").read()
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.title = ""; self.in_title = False; self.bad = []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "title" and "svg" not in self.tags: self.in_title = True
        for k, v in attrs:
            if k.startswith("on") or (v or "").strip().lower().startswith("javascript:") or k == "id" and v == "injected":
                self.bad.append((tag, k, v))
        a = dict(attrs)
        allowed_meta = tag == "meta" and (a.get("http-equiv") == "Content-Security-Policy"
                                          or "charset" in a or a.get("name") in ("referrer", "viewport"))
        if tag in ("script", "img", "iframe", "link", "b", "meta") and not allowed_meta:
            self.bad.append((tag, attrs))
        if tag == "a" and not (dict(attrs).get("href") or "").startswith("#"):
            self.bad.append((tag, attrs))
    def handle_endtag(self, tag):
        if tag == "title": self.in_title = False
    def handle_data(self, d):
        if self.in_title: self.title += d
p = P(); p.feed(dom)
assert p.title == "lockstep report", "title changed: %r" % p.title
assert not p.bad, "payload elements/attributes: %r" % p.bad[:5]
assert p.tags.count("style") == 1, "extra style elements"
assert p.tags.count("h1") == 1, "extra h1 elements"
assert "<script>document.title" in dom or "&lt;script&gt;document.title" in dom
print("DOM clean")
PY
sleep 1
grep -q "beacon" "$TMP/http.log" && fail "the report made a request: $(cat "$TMP/http.log")"
kill $HTTP_PID 2>/dev/null
pass "hostile corpus: payloads shown as text, title unchanged, no request"
