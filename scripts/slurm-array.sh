#!/usr/bin/env bash
# Submit a sharded policysim job to Slurm: a job array of K shards, then a merge job that starts only
# when every shard has succeeded (--dependency=afterok). See docs/scaling.md.
#
#   scripts/slurm-array.sh [-k SHARDS] [-c CPUS] [-d DIR] [-r RESULT] [-t TIME] -- mc SCENARIO --runs N [--seed S] [--set ...]
#   scripts/slurm-array.sh -k 50 -- sweep scenarios/sweeps/ftz-openness-grid.yaml
#
#   -k SHARDS  number of array tasks (default 10)
#   -c CPUS    CPUs per task, used as --workers (default 1)
#   -d DIR     where the job scripts, part files and logs go (default policysim-job)
#   -r RESULT  the merged result (default DIR/result.json; .csv, .html or a table by extension, as policysim merge)
#   -t TIME    wall-clock limit per task, sbatch --time (default: the partition's)
# Environment: POLICYSIM (the command, default "policysim"), SBATCH_EXTRA (more sbatch options, e.g.
# "--partition=short --account=econ").
# Prints the two job ids: the array's and the merge's.
set -euo pipefail

shards=10 cpus=1 dir=policysim-job result='' time=''
while getopts 'k:c:d:r:t:h' opt; do
  case "$opt" in
    k) shards=$OPTARG ;;
    c) cpus=$OPTARG ;;
    d) dir=$OPTARG ;;
    r) result=$OPTARG ;;
    t) time=$OPTARG ;;
    *) sed -n '2,17p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
if [ $# -lt 2 ] || { [ "$1" != mc ] && [ "$1" != sweep ]; }; then
  echo "slurm-array.sh: give the policysim command after --: mc SCENARIO --runs N ... or sweep SWEEP.yaml" >&2
  exit 2
fi
case "$shards" in '' | *[!0-9]* | 0) echo "slurm-array.sh: -k must be a whole number >= 1" >&2; exit 2 ;; esac
case "$cpus" in '' | *[!0-9]* | 0) echo "slurm-array.sh: -c must be a whole number >= 1" >&2; exit 2 ;; esac

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
result=${result:-$dir/result.json}
policysim=${POLICYSIM:-policysim}
# Every argument quoted for bash, so scenario paths and --set values with spaces survive.
args=$(printf '%q ' "$@")
time_opt=${time:+#SBATCH --time=$time}

cat >"$dir/shard.sbatch" <<SCRIPT
#!/bin/bash
#SBATCH --job-name=policysim-shard
#SBATCH --cpus-per-task=$cpus
#SBATCH --output=$dir/shard-%a.log
$time_opt
set -euo pipefail
# The shard index comes from SLURM_ARRAY_TASK_ID (--shard auto/K checks the array's size).
exec $policysim $args --workers $cpus --shard auto/$shards --out "$dir/part-\$SLURM_ARRAY_TASK_ID.json"
SCRIPT

cat >"$dir/merge.sbatch" <<SCRIPT
#!/bin/bash
#SBATCH --job-name=policysim-merge
#SBATCH --output=$dir/merge.log
set -euo pipefail
exec $policysim merge "$dir"/part-*.json --out $(printf '%q' "$result")
SCRIPT

# shellcheck disable=SC2086 # SBATCH_EXTRA is a list of options
array=$(sbatch --parsable ${SBATCH_EXTRA:-} --array=0-$((shards - 1)) "$dir/shard.sbatch")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_EXTRA:-} --dependency=afterok:"$array" "$dir/merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
