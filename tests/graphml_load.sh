#!/bin/sh
# GraphML interoperability: network.graphml must load unmodified in networkx
# (networkx.read_graphml) and R igraph (read_graph(format = "graphml")),
# with node and edge counts matching accounts.csv and summary.json and the
# cluster / weight attributes intact.
#
# Usage (from the repo root, as ctest runs it): sh tests/graphml_load.sh BUILD
#
# 1. Writes a small CNT-format CSV in which four accounts retweet the same
#    three posts within seconds (plus noise), runs
#    `BUILD/lockstep detect FILE -o DIR --min-weight 1` and loads
#    DIR/network.graphml with both readers, cross-checking accounts.csv
#    (nodes = accounts with degree > 0, cluster and strength per node) and
#    summary.json (edges = kept_links; the file is canonical JSON).
# 2. Loads BUILD/tests/explain_sample.graphml (left by test_explain; its
#    account names are hostile: markup, quotes, control and invalid bytes)
#    with both readers (running test_explain first if the sample is missing).
# A reader that is not installed is skipped; exit 77 (skipped) when neither
# reader or nothing to load is available.
# SPDX-License-Identifier: GPL-3.0-or-later

BUILD=${1:-build}
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ls_graphml_XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM

have_nx=0
have_r=0
if [ -x "$PY" ] && "$PY" -c 'import networkx' >/dev/null 2>&1; then
	have_nx=1
fi
if command -v Rscript >/dev/null 2>&1 &&
	Rscript -e 'suppressMessages(library(igraph))' >/dev/null 2>&1; then
	have_r=1
fi
if [ $have_nx = 0 ] && [ $have_r = 0 ]; then
	echo "SKIP: neither networkx (/usr/bin/python3) nor R igraph is installed"
	exit 77
fi
[ $have_nx = 1 ] || echo "note: networkx not installed; its checks are skipped"
[ $have_r = 1 ] || echo "note: R igraph not installed; its checks are skipped"

fail=0
checked=0

# check_nx GRAPHML [OUTDIR]: load with networkx; with OUTDIR, cross-check.
check_nx() {
	"$PY" - "$@" <<'EOF'
import csv, json, math, sys
import networkx as nx

path = sys.argv[1]
g = nx.read_graphml(path)
assert not g.is_directed(), "graph should be undirected"
for n, d in g.nodes(data=True):
    for k, t in (("account", str), ("posts", int), ("cluster", int),
                 ("component", int), ("strength", float), ("degree", int)):
        assert isinstance(d.get(k), t), "node %s: %s missing or not %s" % (n, k, t.__name__)
    assert d["degree"] == g.degree(n), "node %s: degree %s != %s" % (n, d["degree"], g.degree(n))
for a, b, d in g.edges(data=True):
    assert isinstance(d.get("weight"), float) and d["weight"] > 0, "edge %s-%s weight" % (a, b)
    assert isinstance(d.get("coactions"), int) and isinstance(d.get("objects"), int)
    assert d.get("behaviours"), "edge %s-%s: no behaviours" % (a, b)
strength = dict(g.degree(weight="weight"))
for n, d in g.nodes(data=True):
    assert math.isclose(d["strength"], strength[n], rel_tol=1e-9), "node %s strength" % n

if len(sys.argv) > 2:
    out = sys.argv[2]
    with open(out + "/accounts.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    linked = [r for r in rows if int(r["degree"]) > 0]
    raw = open(out + "/summary.json", encoding="utf-8").read()
    summary = json.loads(raw)
    assert raw == json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", \
        "summary.json is not canonical"
    kept = summary["counts"]["kept_links"]
    assert g.number_of_nodes() == len(linked) == summary["counts"]["accounts_linked"], \
        "nodes %d, accounts with degree > 0 %d" % (g.number_of_nodes(), len(linked))
    assert g.number_of_edges() == kept, "edges %d, kept_links %d" % (g.number_of_edges(), kept)
    by_account = {d["account"]: d for _, d in g.nodes(data=True)}
    for r in linked:
        d = by_account[r["account"]]
        assert d["cluster"] == int(r["cluster"] or 0), "cluster of %s" % r["account"]
        assert d["component"] == int(r["component"] or 0), "component of %s" % r["account"]
        assert math.isclose(d["strength"], float(r["strength"]), rel_tol=1e-5)
    clustered = sum(1 for r in rows if r["cluster"])
    assert clustered == summary["counts"]["accounts_clustered"]
    with open(out + "/clusters.csv", newline="", encoding="utf-8") as f:
        clusters = list(csv.DictReader(f))
    assert len(clusters) == summary["counts"]["clusters"]
    assert g.number_of_nodes() >= 4 and g.number_of_edges() >= 6, "planted ring not found"
    assert len(clusters) >= 1, "no cluster reported"
print("networkx: %s: %d nodes, %d edges ok" % (path, g.number_of_nodes(), g.number_of_edges()))
EOF
}

# check_r GRAPHML NODES EDGES: load with R igraph and check counts/attributes.
check_r() {
	Rscript - "$@" <<'EOF'
suppressMessages(library(igraph))
a <- commandArgs(trailingOnly = TRUE)
g <- read_graph(a[1], format = "graphml")
stopifnot(!is_directed(g))
stopifnot(vcount(g) == as.integer(a[2]), ecount(g) == as.integer(a[3]))
for (k in c("account", "posts", "cluster", "component", "strength", "degree"))
	if (!(k %in% vertex_attr_names(g))) stop("vertex attribute missing: ", k)
for (k in c("weight", "objects", "coactions", "behaviours"))
	if (!(k %in% edge_attr_names(g))) stop("edge attribute missing: ", k)
stopifnot(is.numeric(V(g)$cluster), !anyNA(V(g)$cluster))
stopifnot(is.numeric(E(g)$weight), all(E(g)$weight > 0))
stopifnot(all(degree(g) == V(g)$degree))
stopifnot(isTRUE(all.equal(strength(g, weights = E(g)$weight), V(g)$strength,
                           check.attributes = FALSE)))
stopifnot(is.character(V(g)$account), all(nchar(V(g)$account) > 0))
cat(sprintf("R igraph: %s: %d nodes, %d edges ok\n", a[1], vcount(g), ecount(g)))
EOF
}

# count_xml GRAPHML: "NODES EDGES" counted in the file (for the R check).
count_xml() {
	n=$(grep -c '<node ' "$1")
	e=$(grep -c '<edge ' "$1")
	echo "$n $e"
}

# load_both GRAPHML [OUTDIR]
load_both() {
	g=$1
	shift
	if [ $have_nx = 1 ]; then
		check_nx "$g" "$@" || fail=1
	fi
	if [ $have_r = 1 ]; then
		# shellcheck disable=SC2046
		check_r "$g" $(count_xml "$g") || fail=1
	fi
	checked=$((checked + 1))
}

# ---- 1. through the CLI
if [ -x "$BUILD/lockstep" ]; then
	IN="$WORK/posts.csv"
	OUT="$WORK/out"
	{
		echo 'message_id,user_id,username,repost_id,reply_id,message,timestamp,urls'
		t=1700000000
		for post in 1 2 3 4 5; do
			echo "10$post,900,origin,,,Original post number $post about something,$t,"
			for u in 1 2 3 4; do
				ts=$((t + 100 + u * 3))
				echo "2$post$u,10$u,\"troll<$u>&\"\"q\"\"\",10$post,,RT @origin: Original post number $post about something,$ts,"
			done
			# a bystander retweets much later: outside the window
			echo "3${post}0,200,bystander,10$post,,RT @origin: Original post number $post about something,$((t + 5000)),"
			t=$((t + 20000))
		done
		echo "400,300,loner,,,An unrelated original post with no echo at all,1700090000,"
		# organic background: 400 accounts posting and retweeting at random
		# times over two days, so that the null model has chance activity to
		# compare the ring with (with nothing else, a ring is all there is)
		awk 'BEGIN { srand(7); id = 500000
			for (u = 0; u < 400; u++) for (k = 0; k < 4; k++) {
				t = 1700000000 + int(rand() * 172800)
				printf "%d,5%03d,user%d,,,Background post %d of user %d,%d,\n", id++, u, u, k, u, t
			}
			for (u = 0; u < 400; u++) for (k = 0; k < 4; k++) {
				t = 1700000000 + int(rand() * 172800); o = 500000 + int(rand() * 1600)
				printf "%d,5%03d,user%d,%d,,RT @someone: Background post,%d,\n", id++, u, u, o, t
			}
		}'
	} >"$IN"
	if ! "$BUILD/lockstep" detect "$IN" -o "$OUT" --min-weight 1 -q; then
		echo "FAIL: lockstep detect failed"
		exit 1
	fi
	for f in accounts.csv edges.csv clusters.csv network.graphml summary.json; do
		[ -s "$OUT/$f" ] || {
			echo "FAIL: $OUT/$f missing"
			exit 1
		}
	done
	load_both "$OUT/network.graphml" "$OUT"
else
	echo "note: $BUILD/lockstep not built; CLI part skipped"
fi

# ---- 2. the hostile-name sample written by test_explain
SAMPLE="$BUILD/tests/explain_sample.graphml"
if [ ! -s "$SAMPLE" ] && [ -x "$BUILD/tests/test_explain" ]; then
	"$BUILD/tests/test_explain" >/dev/null 2>&1 # writes the sample
fi
if [ -s "$SAMPLE" ]; then
	if ! grep -q 'x&lt;script&gt;&amp;&quot;' "$SAMPLE"; then
		echo "FAIL: $SAMPLE lacks the escaped hostile account"
		fail=1
	fi
	load_both "$SAMPLE"
else
	echo "note: $SAMPLE not found (run build/tests/test_explain first)"
fi

if [ $checked = 0 ]; then
	echo "SKIP: nothing to load"
	exit 77
fi
[ $fail = 0 ] || {
	echo "FAIL"
	exit 1
}
echo "PASS"
