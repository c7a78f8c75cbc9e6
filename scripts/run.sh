#!/usr/bin/env bash
# The README's run command: installs what is missing, builds (release), starts sitrepd on its
# embedded PostgreSQL under ./var, loads the demo registry, and stays in the foreground until
# Ctrl-C, which stops sitrepd and its database cleanly.
#   scripts/run.sh [extra sitrepd flags]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target sitrepd sitrep sitrep-collector sitrep-bench
# The web console, from the committed lockfile; sitrepd serves web/dist.
(cd web && npm ci --no-audit --no-fund && npm run build)

data_dir=var
mkdir -p "$data_dir"
# As root the embedded cluster runs as the postgres user, which must reach var/.
chmod 755 "$data_dir"
bin=build/release
"$bin/server/sitrepd" --data-dir "$data_dir" "$@" &
sitrepd=$!
trap 'kill -TERM $sitrepd 2>/dev/null; wait $sitrepd' INT TERM

sitrep=("$bin/cli/sitrep" --token-file "$data_dir/admin.token")
for _ in $(seq 1 120); do
  if [ -s "$data_dir/admin.token" ] && "${sitrep[@]}" health >/dev/null 2>&1; then break; fi
  if ! kill -0 $sitrepd 2>/dev/null; then echo "run.sh: sitrepd did not start" >&2; exit 1; fi
  sleep 0.5
done

"${sitrep[@]}" demo seed --tokens-dir "$data_dir/tokens"

# Records through the real write path: the public data sets when ../shared/datasets is there
# (ATT&CK for ICS campaigns as incidents, CISA CSAF advisories as advisories and the ICS advisory
# index as advisory stubs), and a generated demo set of every province either way. The collector keeps
# checkpoints in its spool, so a second start sends nothing twice.
collector=("$bin/collector/sitrep-collector" --server 127.0.0.1:7443
           --token-file "$data_dir/tokens/national-collector.token"
           --spool-dir "$data_dir/collector-spool")
datasets=../shared/datasets
if [ -d "$datasets" ]; then
  "${collector[@]}" --format attack "$datasets/attack-ics/ics-attack-18.1.json"
  "${collector[@]}" --format csaf "$datasets/csaf-ics-2023" "$datasets/csaf-ics-2024"
  "${collector[@]}" --format advisories "$datasets/ics-advisories/CISA_ICS_ADV_Master.csv"
else
  echo "run.sh: $datasets not found; loading the generated demo set only"
fi
"${collector[@]}" --format demo --count 20000 --seed 2026

cat <<MSG

sitrepd is running on 127.0.0.1:7443 (metrics: http://127.0.0.1:9464/metrics).
Web console and HTTP/JSON API: http://127.0.0.1:8080/ — sign in with a token from
  $data_dir/tokens/, e.g. national-centre.token, guangdong-regulator.token or guangdong-enterprise.token.
The admin token is in $data_dir/admin.token; demo tokens of every role are in $data_dir/tokens/.
Try, in another terminal:
  $bin/cli/sitrep --token-file $data_dir/admin.token enterprises list
  $bin/cli/sitrep --token-file $data_dir/tokens/guangdong-regulator.token enterprises list
  $bin/cli/sitrep --token-file $data_dir/admin.token audit list
  $bin/cli/sitrep --token-file $data_dir/tokens/national-centre.token incidents list --min-severity II
  $bin/cli/sitrep --token-file $data_dir/tokens/guangdong-regulator.token incidents watch
  $bin/cli/sitrep --token-file $data_dir/tokens/national-centre.token assets list --exposed
  $bin/cli/sitrep --token-file $data_dir/tokens/national-centre.token situation --days 30
  $bin/cli/sitrep --token-file $data_dir/tokens/guangdong-regulator.token notices list
  $bin/cli/sitrep --token-file $data_dir/tokens/national-centre.token notices list --outbox
Ctrl-C stops sitrepd and its database.
MSG
wait $sitrepd
