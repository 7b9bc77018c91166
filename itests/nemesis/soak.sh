#!/usr/bin/env bash
# A nemesis soak: random faults against a local pair for as long as asked, the appliance's promises checked after
# every step (docs/testing.md). Prints the seed and schedule first and a summary last; a failure leaves its evidence
# in itests/pair/target/it-work/nemesis/pair-evidence-SEED.
#
# usage: itests/nemesis/soak.sh [--minutes N] [--seed S|random] [--only I,J,...] [--shrink]
#   --minutes N  start no step after N minutes (default 60)
#   --seed S     replay seed S; default: a new random one
#   --only I,J   only those steps of the seed's schedule
#   --shrink     on a failure, drop steps one at a time while it still fails and print the smallest schedule
# Needs what the integration tests need (root for nftables and tmpfs; see .ci/run).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
minutes=60
seed=random
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --only) extra+=("-Dnemesis.only=$2"); shift 2 ;;
        --shrink) extra+=("-Dnemesis.shrink=true"); shift ;;
        *) echo "usage: $0 [--minutes N] [--seed S|random] [--only I,J,...] [--shrink]" >&2; exit 2 ;;
    esac
done
cd "$top"
exec mvn -B verify -pl itests/pair -am -Dit.test=NemesisIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dnemesis.seed="$seed" -Dnemesis.minutes="$minutes" \
    -Dnemesis.steps=100000 "${extra[@]}"
