#!/usr/bin/env bash
# compare.sh: syncdoctor check against a loop of `helm template`, side by
# side, on the same generated repo (bench/gen) and the same app × envs.
#
#   bench/compare.sh [-s SERVICES] [-e dev,staging,prod] [-r RUNS] [-R HELM_RUNS] [-d]
#
# -d generates the repo with `gen -distinct`: no template text is shared
# between service charts.
#
# (a) one `helm template` process per service app × env (the real CLI, the
#     Helm version syncdoctor links, from scripts/install-test-assets), with
#     the same release name, namespace, value files and kube version that
#     syncdoctor renders with; file:// dependencies are built once per chart
#     in a copy before timing (`helm dependency build`), never in the loop.
#     The app-of-apps roots are plain directories and are not in the loop.
# (b) `syncdoctor check` (built once with go build), every check, JSON to
#     /dev/null.
# Each is run RUNS times (HELM_RUNS for the loop, default RUNS) under
# /usr/bin/time -v, interleaved (see below); the medians of wall time, CPU
# time (user+sys) and peak RSS are printed with the ratio. On a shared
# machine CPU time is the steadier figure.
set -euo pipefail

services=50 envs=dev,staging,prod runs=5 helm_runs= distinct=false
while getopts "s:e:r:R:d" opt; do
	case $opt in
	s) services=$OPTARG ;;
	e) envs=$OPTARG ;;
	r) runs=$OPTARG ;;
	R) helm_runs=$OPTARG ;;
	d) distinct=true ;;
	*) echo "usage: $0 [-s SERVICES] [-e ENVS] [-r RUNS] [-R HELM_RUNS] [-d]" >&2; exit 2 ;;
	esac
done
helm_runs=${helm_runs:-$runs}

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"
# shellcheck source=../scripts/env.sh
. scripts/env.sh
helm=$SYNCDOCTOR_HELM_BIN
[[ -x $helm ]] || { echo "helm not found at $helm: run scripts/install-test-assets" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
	echo "installing GNU time (/usr/bin/time -v)" >&2
	apt-get install -y -qq time >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/syncdoctor" ./cmd/syncdoctor
go run ./bench/gen -services "$services" -envs "$envs" -distinct="$distinct" "$work/repo" >/dev/null
kube=$(sed -n 's/^const DefaultKubeVersion = "\(.*\)"/\1/p' internal/render/render.go)

# The helm side works on a copy whose file:// dependencies are built.
cp -r "$work/repo" "$work/helmrepo"
for c in "$work"/helmrepo/charts/svc-*; do
	"$helm" dependency build "$c" >/dev/null
done
IFS=, read -r -a env_list <<<"$envs"
{
	echo "set -e"
	for c in "$work"/helmrepo/charts/svc-*; do
		svc=$(basename "$c")
		for env in "${env_list[@]}"; do
			echo "\"$helm\" template $svc-$env \"$c\" --namespace $env --kube-version $kube --include-crds" \
				"-f \"$work/helmrepo/environments/base.yaml\" -f \"$work/helmrepo/environments/$env.yaml\" >/dev/null"
		done
	done
} >"$work/helm-loop.sh"
targets=$((services * ${#env_list[@]}))

# sample NAME CMD...: runs CMD once under /usr/bin/time -v and appends
# its wall time, CPU time and peak RSS to $work/NAME.{wall,cpu,rss}.
sample() {
	local name=$1
	shift
	/usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || true
	awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s}' "$work/time.txt" >>"$work/$name.wall"
	awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$work/time.txt" >>"$work/$name.cpu"
	awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt" >>"$work/$name.rss"
	echo "  $name run $(wc -l <"$work/$name.wall"): wall $(tail -1 "$work/$name.wall")s cpu $(tail -1 "$work/$name.cpu")s rss $(tail -1 "$work/$name.rss") KiB" >&2
}
# medians NAME: prints "wall cpu rss_kb" medians of NAME's samples.
medians() { echo "$(median <"$work/$1.wall") $(median <"$work/$1.cpu") $(median <"$work/$1.rss")"; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "repo: $services services × ${#env_list[@]} envs = $targets app×env (+ ${#env_list[@]} app-of-apps roots); helm $("$helm" version --short); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
# The two are measured interleaved, each helm loop followed by its share
# of syncdoctor runs, so both see the same machine: on a shared host the
# speed of a core drifts over minutes (and after sustained load) by more
# than the differences measured here.
per=$(((runs + helm_runs - 1) / helm_runs))
done_runs=0
for ((h = 0; h < helm_runs; h++)); do
	sample helm bash "$work/helm-loop.sh"
	for ((k = 0; k < per && done_runs < runs; k++, done_runs++)); do
		sample syncdoctor "$work/syncdoctor" check "$work/repo" --offline -o json --fail-on none
	done
done
for (( ; done_runs < runs; done_runs++)); do
	sample syncdoctor "$work/syncdoctor" check "$work/repo" --offline -o json --fail-on none
done
read -r h_wall h_cpu h_rss < <(medians helm)
read -r s_wall s_cpu s_rss < <(medians syncdoctor)
awk -v hw="$h_wall" -v hc="$h_cpu" -v hr="$h_rss" -v sw="$s_wall" -v sc="$s_cpu" -v sr="$s_rss" -v n="$targets" 'BEGIN {
	printf "%-22s %10s %10s %12s\n", "median of runs", "wall s", "cpu s", "peak RSS MiB"
	printf "%-22s %10.2f %10.2f %12.1f\n", "helm template loop", hw, hc, hr / 1024
	printf "%-22s %10.2f %10.2f %12.1f\n", "syncdoctor check", sw, sc, sr / 1024
	printf "ratio (helm / syncdoctor): wall %.1fx, cpu %.1fx; syncdoctor %.1f ms wall per app×env\n", hw / sw, hc / sc, sw * 1000 / n
}'
